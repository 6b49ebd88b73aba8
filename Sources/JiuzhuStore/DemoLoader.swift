import Foundation
import GRDB
import JiuzhuDemo
import JiuzhuModel

extension Store {
    /// Write a generated township into an empty database in one transaction: reference data,
    /// regions, households, members, cases and their histories, and the demo users (password
    /// `password`). One audit row records the whole load.
    public func loadDemo(_ t: DemoTownship, reference: ReferenceData, password: String, progress: (Int) -> Void = { _ in }) throws {
        // Derive password hashes before taking the write lock (PBKDF2 is slow on purpose).
        let users = try t.users.map { u -> (User, [UInt8], [UInt8]) in
            let salt = PasswordHash.newSalt()
            return (u, salt, try PasswordHash.derive(password, salt: salt, iterations: passwordIterations))
        }
        // A generated file has nothing to lose: no fsync per page and a large cache while it is
        // written (a failed load deletes the file). Normal settings return with the next open.
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144")
        }
        defer { try? writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA cache_size = -2000") } }
        try write { db in
            // Bulk load: the triggers that keep derived columns (the head's pinyin on each case,
            // the household's search signature) and the secondary indexes of the household and
            // case tables are set aside while the rows go in; afterwards each trigger is fired
            // once per household or case, and the indexes are built once, from their own
            // definitions in the schema (a load that fails rolls all of this back).
            let triggers = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
                .map { (name: $0["name"] as String, sql: $0["sql"] as String) }
            let indexes = try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('household', 'assistance_case')
                """).map { (name: $0["name"] as String, sql: $0["sql"] as String) }
            for t in triggers { try db.execute(sql: "DROP TRIGGER \(t.name)") }
            for i in indexes { try db.execute(sql: "DROP INDEX \(i.name)") }
            try Store.initializeOffice(db, reference: reference, office: Office(
                countyCode: String(t.county.code.prefix(6)), countyName: t.county.name,
                townshipCode: t.township.code, townshipName: t.township.name), actor: "demo")
            // A county-sized demo's further townships, then every village under its own.
            for r in t.regions where r.level == .township && r.code != t.township.code {
                try db.execute(sql: "INSERT INTO region(code, name, level, parent_code) VALUES (?, ?, ?, ?)",
                               arguments: [r.code, r.name, r.level.rawValue, r.parentCode])
            }
            for v in t.villages {
                try db.execute(sql: "INSERT INTO region(code, name, level, parent_code) VALUES (?, ?, ?, ?)",
                               arguments: [v.region.code, v.region.name, v.region.level.rawValue, v.region.parentCode ?? t.township.code])
            }
            let now = Timestamp.now()
            var postings = DemoPostings(firstId: (try Int64.fetchOne(db, sql: "SELECT max(id) FROM publicity_batch") ?? 0) + 1)
            let setProgrammes = try db.makeStatement(sql: "UPDATE household SET programmes = ? WHERE id = ?")
            for (n, dh) in t.households.enumerated() {
                let (hid, pids) = try Store.insertHousehold(db, dh.household, members: dh.members, now: now)
                var summary: [(Bool, String)] = []
                for dc in dh.cases {
                    var c = dc.case
                    c.householdId = hid
                    c.personId = dc.personIndex.map { pids[$0] }
                    var steps = dc.steps
                    let held = postings.tag(&steps, programme: c.programme, village: dh.household.villageCode, township: t.township.code)
                    let cid = try Store.insertCase(db, c, steps: steps, villageCode: dh.household.villageCode, now: now)
                    postings.hold(cid, held, steps: steps)
                    postings.changes(cid, steps: steps, programme: c.programme, village: dh.household.villageCode, today: t.today)
                    if c.status == .active || c.status == .inProgress {
                        summary.append((c.status == .active, "\(c.programme.label.zh) \(c.status.label.zh)"))
                    }
                }
                if !summary.isEmpty {
                    // Same order as refreshHouseholdSummary: cases in force first.
                    let text = summary.enumerated().sorted { ($0.element.0 ? 0 : 1, $0.offset) < ($1.element.0 ? 0 : 1, $1.offset) }
                        .map(\.element.1).joined(separator: "; ")
                    try setProgrammes.execute(arguments: [text, hid])
                }
                if n % 5000 == 4999 { progress(n + 1) }
            }
            try postings.write(db, regions: t.villages.map(\.region), township: t.township,
                               clerk: t.users.first { $0.role == .clerk }?.name ?? "jingban", now: now)
            for (u, salt, hash) in users {
                try db.execute(sql: """
                    INSERT INTO app_user(name, display_name, role, pw_algo, pw_iterations, pw_salt, pw_hash, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [u.name, u.displayName, u.role.rawValue, PasswordHash.algorithm, passwordIterations,
                                     Data(salt), Data(hash), now])
            }
            try Store.backfillCaseColumns(db)
            try Store.backfillPersonColumns(db)
            try Store.backfillCoverage(db)   // the persons each decided case covers, from the households as made
            // The running figures per short search text are filled in bulk at the end, and
            // their triggers created after that (firing them per key would cost minutes).
            let counting = { (name: String) in name.hasPrefix("search_count_") }
            // The household's ID signature passed on to its cases: not while the case indexes are
            // set aside (each household would scan every case); the case triggers copy it below.
            let toCases = { (name: String) in name == "household_id_sig_to_cases" }
            for t in triggers where !counting(t.name) && !toCases(t.name) { try db.execute(sql: t.sql) }
            try Guarded.refold(db)   // the guarded tables' digests, set aside with the triggers
            // Fire the person triggers once per household and the case triggers once per case
            // (an UPDATE OF a column fires its trigger even when the value is the same).
            try db.execute(sql: "UPDATE person SET name = name WHERE id IN (SELECT min(id) FROM person GROUP BY household_id)")
            try db.execute(sql: "UPDATE assistance_case SET household_id = household_id")
            for t in triggers where toCases(t.name) { try db.execute(sql: t.sql) }
            for i in indexes { try db.execute(sql: i.sql) }
            if try db.tableExists("search_hit") {
                try db.execute(sql: "DELETE FROM search_hit; DELETE FROM search_total")
                try SearchCounts.fill(db)
            }
            for t in triggers where counting(t.name) { try db.execute(sql: t.sql) }
            try Audit.append(db, user: "demo", action: "demo.generate", entity: "office", entityId: t.township.code,
                             detail: Audit.detail(["seed": String(t.seed), "households": String(t.households.count),
                                                   "today": t.today.iso]))
            try db.execute(sql: "ANALYZE")
        }
    }
}

/// The postings the demo's histories went through, written as the batches a clerk would have
/// made: one per programme, posting, village (村级公示) or township, first day and closing day,
/// holding its cases; each closed when its window had run and its cases moved on (or, for an
/// objection, when its only case went back to re-investigation). Every publicity step finished
/// in the demo names its batch, so `jiuzhu verify` finds the posting behind it.
struct DemoPostings {
    struct Batch {
        var id: Int64
        var kind: PublicityKind
        var programme: Programme
        var scope: String
        var from: CivilDate
        var until: CivilDate
        var closedOn: CivilDate
        var cases: [Int64] = []
    }
    struct Objection { var batch: Int64; var caseId: Int64; var on: CivilDate; var inputs: [String: Any]; var settledOn: CivilDate? }
    /// A changes posting's line: the case and 调整 / 取消 / 清退.
    var changeLines: [Int64: [(Int64, PublicityChange)]] = [:]
    var next: Int64
    var batches: [Batch] = []
    var index: [String: Int] = [:]
    var objections: [Objection] = []

    init(firstId: Int64) { next = firstId }

    /// Name the batch in each finished posting and each objection of a case's records; returns
    /// the batches (by index) that held the case, with the record that moved it.
    mutating func tag(_ steps: inout [CaseStepRecord], programme: Programme, village: String, township: String) -> [(Int, Int)] {
        var held: [(Int, Int)] = []
        for i in steps.indices {
            guard let kind = PublicityKind(rawValue: steps[i].step), kind.step != nil,
                  steps[i].action == CaseAction.done.rawValue || steps[i].action == CaseAction.objection.rawValue else { continue }
            var o = Store.object(steps[i].inputs)
            guard let from = (o["from"] as? String).flatMap(CivilDate.init(iso:)),
                  let until = (o["until"] as? String).flatMap(CivilDate.init(iso:)) else { continue }
            // Every posting is in the applicant's village or community (民发〔2021〕57号).
            let scope = village
            let objection = steps[i].action == CaseAction.objection.rawValue
            let key = "\(programme.rawValue)|\(kind.rawValue)|\(scope)|\(from.iso)|\(steps[i].actedOn.iso)|\(objection)"
            let b: Int
            if let known = index[key] { b = known } else {
                b = batches.count
                batches.append(Batch(id: next, kind: kind, programme: programme, scope: scope, from: from, until: until, closedOn: steps[i].actedOn))
                index[key] = b
                next += 1
            }
            o["batch"] = batches[b].id
            steps[i].inputs = Workflow.json(o)
            held.append((b, i))
        }
        return held
    }

    mutating func hold(_ caseId: Int64, _ held: [(Int, Int)], steps: [CaseStepRecord]) {
        for (b, i) in held {
            batches[b].cases.append(caseId)
            guard steps[i].action == CaseAction.objection.rawValue else { continue }
            // Settled when the case passed the same posting later (not upheld, re-posted in full).
            let later = steps[(i + 1)...].first { $0.step == steps[i].step && $0.action == CaseAction.done.rawValue }
            objections.append(Objection(batch: batches[b].id, caseId: caseId, on: steps[i].actedOn, inputs: Store.object(steps[i].inputs),
                                        settledOn: later.map { _ in steps[(i + 1)...].first { $0.step == "survey" }?.actedOn ?? steps[i].actedOn }))
        }
    }

    /// The changes postings (调整和取消保障公示) the office made after each month's stops and
    /// adjustments, in the village, from the first day of the next month for the publicity days
    /// (7), when that window has run by `today`; the newer ones wait for the clerk's own posting.
    mutating func changes(_ caseId: Int64, steps: [CaseStepRecord], programme: Programme, village: String, today: CivilDate) {
        var posted: Set<String> = []
        for r in steps {
            let change: PublicityChange
            switch r.action {
            case CaseAction.adjust.rawValue: change = .adjusted
            case CaseAction.terminate.rawValue:
                change = (Store.object(r.inputs)["kind"] as? String) == TerminationKind.clear.rawValue ? .cleared : .cancelled
            default: continue
            }
            let month = PayMonth(r.actedOn).adding(1)
            guard let from = CivilDate(year: month.index / 12, month: month.index % 12 + 1, day: 1) else { continue }
            let until = from.adding(days: 7)
            guard until <= today else { continue }
            let key = "\(programme.rawValue)|cancellation|\(village)|\(from.iso)"
            if posted.contains(key) { continue }   // one line per case and posting
            posted.insert(key)
            let b: Int
            if let known = index[key] { b = known } else {
                b = batches.count
                batches.append(Batch(id: next, kind: .cancellation, programme: programme, scope: village, from: from, until: until, closedOn: until))
                index[key] = b
                next += 1
            }
            changeLines[batches[b].id, default: []].append((caseId, change))
        }
    }

    func write(_ db: Database, regions: [Region], township: Region, clerk: String, now: String) throws {
        let names = Dictionary(regions.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let batch = try db.makeStatement(sql: """
            INSERT INTO publicity_batch(id, kind, programme, scope_code, scope_name, title, posted_from, posted_until, place, phone, box,
                state, created_by, created_at, posted_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'closed', ?, ?, ?, ?)
            """)
        let line = try db.makeStatement(sql: "INSERT OR IGNORE INTO publicity_line(batch_id, case_id, change) VALUES (?, ?, 'new')")
        for b in batches {
            let region = names[b.scope]
            let scopeName = region?.name ?? township.name
            let place = region.map { $0.name + ($0.level == .community ? "居务公开栏" : "村务公开栏") } ?? township.name + "政府公示栏"
            try batch.execute(arguments: [b.id, b.kind.rawValue, b.programme.rawValue, b.scope, scopeName,
                                          Store.batchTitle(scope: scopeName, from: b.from, programme: b.programme, kind: b.kind),
                                          b.from.iso, b.until.iso, place, "0872-6121234", region == nil ? "乡镇政府举报箱" : "村委会门口举报箱",
                                          clerk, now, b.from.iso, b.closedOn.iso])
            for c in b.cases { try line.execute(arguments: [b.id, c]) }
            for (c, change) in changeLines[b.id] ?? [] {
                try db.execute(sql: "INSERT OR IGNORE INTO publicity_line(batch_id, case_id, change) VALUES (?, ?, ?)",
                               arguments: [b.id, c, change.rawValue])
            }
        }
        for o in objections {
            try db.execute(sql: """
                INSERT INTO objection(batch_id, case_id, received_on, received_by, content, handler, result, result_reason, result_on,
                    recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [o.batch, o.caseId, o.on.iso, o.inputs["received"] as? String ?? "举报箱",
                                 o.inputs["content"] as? String ?? "公示期间收到异议", o.inputs["handler"] as? String ?? clerk,
                                 o.settledOn == nil ? "pending" : "not_upheld", o.settledOn == nil ? "" : "经重新入户调查，反映情况不属实",
                                 o.settledOn?.iso, clerk, now])
        }
    }
}
