import Foundation
import GRDB
import JiuzhuModel

/// A posting as the office keeps it.
public struct PublicityBatch: Equatable, Sendable {
    public var id: Int64
    public var kind: PublicityKind
    public var programme: Programme
    public var scopeCode: String
    public var scopeName: String
    public var title: String
    public var postedFrom: CivilDate
    public var postedUntil: CivilDate
    public var place: String
    public var phone: String
    public var box: String
    public var state: PublicityState
    public var version: Int
    public var lineCount: Int
    public var pendingObjections: Int
}

/// An objection (异议) against one line.
public struct ObjectionRecord: Equatable, Sendable {
    public var id: Int64
    public var batchId: Int64
    public var caseId: Int64
    public var receivedOn: CivilDate
    public var receivedBy: String
    public var content: String
    public var handler: String
    /// pending, upheld, not_upheld
    public var result: String
    public var resultReason: String
    public var resultOn: CivilDate?
}

/// One line of a batch: what the public sees, and where its case stands.
public struct BatchLine: Equatable, Sendable {
    public var line: PublicLine
    public var caseStep: String
    public var caseStatus: CaseStatus
    public var objections: [ObjectionRecord]
    public var openObjection: Bool { objections.contains { $0.result == "pending" } }
}

/// What a clerk fills in to start a batch.
public struct NewBatch: Equatable, Sendable {
    public var kind: PublicityKind
    public var programme: Programme
    /// A village's code, or the township's for a township-wide posting.
    public var scopeCode: String
    public var postedFrom: CivilDate
    /// Nil: posted-from plus the publicity days (the re-publicity days when every case is back
    /// after an objection).
    public var postedUntil: CivilDate?
    public var place: String
    public var phone: String
    public var box: String
    public init(kind: PublicityKind, programme: Programme, scopeCode: String, postedFrom: CivilDate, postedUntil: CivilDate? = nil,
                place: String = "", phone: String = "", box: String = "") {
        self.kind = kind; self.programme = programme; self.scopeCode = scopeCode; self.postedFrom = postedFrom
        self.postedUntil = postedUntil; self.place = place; self.phone = phone; self.box = box
    }
}

/// What closing a batch did.
public struct CloseResult: Equatable, Sendable {
    /// Cases moved to their next step.
    public var moved: [Int64]
    /// Cases kept back: an open objection, or no longer at the posting's step.
    public var held: [Int64]
    /// Where each moved case went: its step and status after the posting, so the message can
    /// name the next step and who does it.
    public var landed: [Int64: CaseLanding] = [:]
}

/// A case's step and status after an action.
public struct CaseLanding: Hashable, Sendable {
    public var step: String
    public var status: CaseStatus
    public init(step: String, status: CaseStatus) { self.step = step; self.status = status }
}

extension Store {
    /// What 民发〔2021〕57号 allows a posting to show: the name (a minor head never named), the
    /// persons covered and the amount; the changes posting adds the kind (调整 / 取消 / 清退). A
    /// posting is of one village (its title names it) and one programme, so neither is a column;
    /// per-capita income only where a county's setting asks for it.
    static let defaultColumns: [PublicityKind: [PublicColumn]] = [
        .appraisal: [.index, .name, .persons, .monthly],
        .review: [.index, .name, .persons, .monthly],
        .approval: [.index, .name, .persons, .category, .monthly],
        .cancellation: [.index, .name, .persons, .change, .monthly],
    ]
    static let standingColumns: [PublicColumn] = [.index, .name, .persons, .category, .monthly]
    /// A posting of relief grants (受灾救助, issue 24): the period as the class and the one-off
    /// amount (setting `publicity_columns_disaster` may choose others).
    static let reliefColumns: [PublicColumn] = [.index, .name, .persons, .category, .amount]

    /// The columns of setting `key` (comma-separated column names), else `fallback`.
    static func columns(_ db: Database, _ key: String, _ fallback: [PublicColumn]) throws -> [PublicColumn] {
        if let text = try Store.setting(db, key) {
            let cols = text.split(separator: ",").compactMap { PublicColumn(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
            if !cols.isEmpty { return cols }
        }
        return fallback
    }

    /// The columns a posting of `kind` shows: setting `publicity_columns_<step>` (for the changes
    /// posting `publicity_columns_cancellation`), else the defaults.
    static func publicityColumns(_ db: Database, _ kind: PublicityKind) throws -> [PublicColumn] {
        try columns(db, "publicity_columns_\(kind.rawValue)", defaultColumns[kind] ?? PublicColumn.allCases)
    }

    /// The supervision phone and box a posting shows: the batch's own, else the office's settings
    /// (`publicity_phone`, `publicity_box`). Refused when either is missing or the phone is not
    /// one (民发〔2021〕57号: the public must have a way to report): the command line and every
    /// screen go through here before a batch is made or posted, and before a standing list.
    static func supervision(_ db: Database, phone: String, box: String) throws -> (phone: String, box: String) {
        var p = phone.trimmingCharacters(in: .whitespaces), b = box.trimmingCharacters(in: .whitespaces)
        if p.isEmpty { p = (try Store.setting(db, "publicity_phone") ?? "").trimmingCharacters(in: .whitespaces) }
        if b.isEmpty { b = (try Store.setting(db, "publicity_box") ?? "").trimmingCharacters(in: .whitespaces) }
        if p.isEmpty { throw StoreError.said("store.publicity.needPhone") }
        if !PublicityContact.isPhone(p) { throw StoreError.said("store.publicity.badPhone", ["phone": p]) }
        if b.isEmpty { throw StoreError.said("store.publicity.needBox") }
        return (p, b)
    }

    /// The village or community a posting is for: a case is posted where the applicant lives
    /// (民发〔2021〕57号: 在申请家庭所在村、社区公示), so a township-wide batch is refused.
    static func postingVillage(_ db: Database, _ code: String) throws -> (name: String, level: RegionLevel) {
        guard let r = try Row.fetchOne(db, sql: "SELECT name, level FROM region WHERE code = ?", arguments: [code]),
              let level = RegionLevel(rawValue: r["level"]), level == .village || level == .community else {
            throw StoreError.said("store.publicity.villageOnly", ["scope": code])
        }
        return (r["name"], level)
    }

    static func batch(from r: Row) -> PublicityBatch {
        PublicityBatch(id: r["id"], kind: PublicityKind(rawValue: r["kind"]) ?? .appraisal, programme: Programme(rawValue: r["programme"]) ?? .ruralDibao,
                       scopeCode: r["scope_code"], scopeName: r["scope_name"], title: r["title"],
                       postedFrom: CivilDate(iso: r["posted_from"]) ?? .today, postedUntil: CivilDate(iso: r["posted_until"]) ?? .today,
                       place: r["place"], phone: r["phone"], box: r["box"], state: PublicityState(rawValue: r["state"]) ?? .draft,
                       version: r["version"], lineCount: r["line_count"] ?? 0, pendingObjections: r["pending"] ?? 0)
    }

    static let batchSelect = """
        SELECT b.*, (SELECT count(*) FROM publicity_line l WHERE l.batch_id = b.id) AS line_count,
               (SELECT count(*) FROM objection o WHERE o.batch_id = b.id AND o.result = 'pending') AS pending
        FROM publicity_batch b
        """

    public func batches() throws -> [PublicityBatch] {
        try read { db in
            try Row.fetchAll(db, sql: Store.batchSelect + " ORDER BY CASE b.state WHEN 'posted' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END, b.posted_from DESC, b.id DESC")
                .map(Store.batch(from:))
        }
    }

    static func batch(_ db: Database, id: Int64) throws -> PublicityBatch? {
        try Row.fetchOne(db, sql: Store.batchSelect + " WHERE b.id = ?", arguments: [id]).map(Store.batch(from:))
    }

    public func batch(id: Int64) throws -> PublicityBatch? { try read { db in try Store.batch(db, id: id) } }

    /// Cases a new batch would post: waiting at the posting's step, of the programme, in the
    /// village (or anywhere in the township), and on no other open batch.
    static func proposals(_ db: Database, kind: PublicityKind, programme: Programme, scopeCode: String) throws -> [Int64] {
        // Changes in force: benefits stopped and never posted as such (取消), and amounts adjusted
        // since the case was last posted as adjusted (调整).
        let which = kind == .cancellation
            ? """
              c.programme = ? AND (
                (c.status = 'terminated' AND NOT EXISTS (SELECT 1 FROM publicity_line l WHERE l.case_id = c.id AND l.change IN ('cancelled', 'cleared')))
                OR (c.status IN ('active', 'suspended') AND c.id IN (
                    SELECT s.case_id FROM case_step s INDEXED BY case_step_adjustments WHERE s.action = 'adjust'
                      AND NOT EXISTS (SELECT 1 FROM publicity_line l JOIN publicity_batch b ON b.id = l.batch_id
                                      WHERE l.case_id = s.case_id AND l.change = 'adjusted' AND b.posted_from >= s.acted_on))))
              """
            : "c.status = 'in_progress' AND c.step = ? AND c.programme = ?"
        var sql = """
            SELECT c.id FROM assistance_case c
            WHERE \(which)
              AND NOT EXISTS (SELECT 1 FROM publicity_line l JOIN publicity_batch b ON b.id = l.batch_id
                              WHERE l.case_id = c.id AND b.state IN ('draft', 'posted'))
            """
        var args: [DatabaseValueConvertible] = kind == .cancellation ? [programme.rawValue] : [kind.rawValue, programme.rawValue]
        if scopeCode.count == 12 && !scopeCode.hasSuffix("000") { sql += " AND c.village_code = ?"; args.append(scopeCode) }
        sql += " ORDER BY c.village_code, c.step_since, c.id"
        return try Int64.fetchAll(db, sql: sql, arguments: StatementArguments(args))
    }

    /// What a line of a `kind` posting says of the case: new, or on the changes posting
    /// cancelled (benefits stopped) or adjusted (still in force).
    static func lineChange(_ db: Database, kind: PublicityKind, caseId: Int64) throws -> PublicityChange {
        guard kind == .cancellation else { return .new }
        let status = try String.fetchOne(db, sql: "SELECT status FROM assistance_case WHERE id = ?", arguments: [caseId])
        guard status == CaseStatus.terminated.rawValue else { return .adjusted }
        // 取消 or 清退, as the stop was recorded.
        let how = try String.fetchOne(db, sql: """
            SELECT json_extract(inputs, '$.kind') FROM case_step WHERE case_id = ? AND action = 'terminate' ORDER BY id DESC LIMIT 1
            """, arguments: [caseId])
        return how == TerminationKind.clear.rawValue ? .cleared : .cancelled
    }

    public func proposals(kind: PublicityKind, programme: Programme, scopeCode: String) throws -> [Int64] {
        try read { db in try Store.proposals(db, kind: kind, programme: programme, scopeCode: scopeCode) }
    }

    /// e.g. 李家村2026年12月农村低保民主评议结果公示
    public static func batchTitle(scope: String, from: CivilDate, programme: Programme, kind: PublicityKind) -> String {
        "\(scope)\(from.year)年\(from.month)月\(programme.label.zh)\(kind.label.zh)"
    }

    /// Start a draft batch with the proposed cases. Refused when there is nothing to post, when
    /// it would start before today, or when the window is shorter than the law's (a posting after
    /// an objection too: a new full window).
    public func createBatch(_ n: NewBatch, by user: String, today: CivilDate, catalog: ProgrammeCatalog) throws -> Int64 {
        try write { db in
            try Store.authorize(db, user, .publicity)
            let settings = try Store.workflowSettings(db, catalog: catalog)
            if n.postedFrom < today {
                throw StoreError.said("store.publicityStore.thePostingCannotStart", ["postedFromIso": "\(n.postedFrom.iso)", "todayIso": "\(today.iso)"])
            }
            _ = try Store.postingVillage(db, n.scopeCode)
            let ids = try Store.proposals(db, kind: n.kind, programme: n.programme, scopeCode: n.scopeCode)
            if ids.isEmpty {
                throw StoreError.said("store.publicityStore.noCaseWaitsFor", ["label_zh": "\(n.kind.label.zh)", "labelZh2_zh": "\(n.programme.label.zh)", "label_en": "\(n.programme.label.en)"])
            }
            let minDays = settings.publicityDays
            let until = n.postedUntil ?? n.postedFrom.adding(days: minDays)
            if n.postedFrom.days(until: until) < minDays {
                throw StoreError.said("store.publicityStore.aPostingRunsAt", ["minDays": "\(minDays)", "v2": "\(n.postedFrom.adding(days: minDays).iso)"])
            }
            let (scopeName, level) = try Store.postingVillage(db, n.scopeCode)
            let contact = try Store.supervision(db, phone: n.phone, box: n.box)
            let now = Timestamp.now()
            let place = !n.place.isEmpty ? n.place
                : scopeName + say(level == .community ? "store.publicity.boardCommunity" : "store.publicity.boardVillage", .zh)
            try db.execute(sql: """
                INSERT INTO publicity_batch(kind, programme, scope_code, scope_name, title, posted_from, posted_until, place, phone, box,
                    state, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?)
                """, arguments: [n.kind.rawValue, n.programme.rawValue, n.scopeCode, scopeName,
                                 Store.batchTitle(scope: scopeName, from: n.postedFrom, programme: n.programme, kind: n.kind),
                                 n.postedFrom.iso, until.iso, place, contact.phone, contact.box, user, now])
            let bid = db.lastInsertedRowID
            for id in ids {
                try db.execute(sql: "INSERT INTO publicity_line(batch_id, case_id, change) VALUES (?, ?, ?)",
                               arguments: [bid, id, try Store.lineChange(db, kind: n.kind, caseId: id).rawValue])
            }
            try Audit.append(db, user: user, action: "publicity.create", entity: "publicity", entityId: String(bid),
                             detail: Audit.detail(["kind": n.kind.rawValue, "scope": n.scopeCode, "lines": String(ids.count),
                                                   "from": n.postedFrom.iso, "until": until.iso]))
            return bid
        }
    }

    static func requireBatch(_ db: Database, _ id: Int64, version: Int?, state: PublicityState?) throws -> PublicityBatch {
        guard let b = try Store.batch(db, id: id) else { throw StoreError.notFound(entity: "publicity", id: String(id)) }
        if let v = version, v != b.version { throw StoreError.staleEdit(entity: "publicity", id: id) }
        if let s = state, b.state != s {
            throw StoreError.said("store.publicityStore.batchIs", ["id": "\(id)", "label_zh": "\(b.state.label.zh)", "label_en": "\(b.state.label.en)"])
        }
        return b
    }

    /// Put every case now waiting for this posting on the draft; how many were added.
    public func addWaiting(batchId: Int64, by user: String) throws -> Int {
        let b = try read { db in try Store.requireBatch(db, batchId, version: nil, state: .draft) }
        let ids = try proposals(kind: b.kind, programme: b.programme, scopeCode: b.scopeCode)
        for id in ids { try setLine(batchId: batchId, caseId: id, included: true, by: user) }
        return ids.count
    }

    /// Add or remove a line while the batch is a draft.
    public func setLine(batchId: Int64, caseId: Int64, included: Bool, by user: String) throws {
        try write { db in
            try Store.authorize(db, user, .publicity)
            let b = try Store.requireBatch(db, batchId, version: nil, state: .draft)
            if included {
                let ok = try Store.proposals(db, kind: b.kind, programme: b.programme, scopeCode: b.scopeCode).contains(caseId)
                if !ok { throw StoreError.said("store.publicityStore.caseDoesNotWait", ["caseId": "\(caseId)"]) }
                try db.execute(sql: "INSERT OR IGNORE INTO publicity_line(batch_id, case_id, change) VALUES (?, ?, ?)",
                               arguments: [batchId, caseId, try Store.lineChange(db, kind: b.kind, caseId: caseId).rawValue])
            } else {
                try db.execute(sql: "DELETE FROM publicity_line WHERE batch_id = ? AND case_id = ?", arguments: [batchId, caseId])
            }
            try db.execute(sql: "UPDATE publicity_batch SET version = version + 1 WHERE id = ?", arguments: [batchId])
            try Audit.append(db, user: user, action: included ? "publicity.add" : "publicity.remove", entity: "publicity",
                             entityId: String(batchId), detail: Audit.detail(["case": String(caseId)]))
        }
    }

    static func objections(_ db: Database, batchId: Int64) throws -> [ObjectionRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM objection WHERE batch_id = ? ORDER BY id", arguments: [batchId]).map {
            ObjectionRecord(id: $0["id"], batchId: $0["batch_id"], caseId: $0["case_id"], receivedOn: CivilDate(iso: $0["received_on"]) ?? .today,
                            receivedBy: $0["received_by"], content: $0["content"], handler: $0["handler"], result: $0["result"],
                            resultReason: $0["result_reason"], resultOn: ($0["result_on"] as String?).flatMap(CivilDate.init(iso:)))
        }
    }

    /// The public line of a case as of now: masked by `PublicLine`'s type.
    static func publicLine(_ db: Database, caseId: Int64, change: PublicityChange, today: CivilDate, settings: WorkflowSettings) throws -> PublicLine? {
        guard let f = try Store.caseFile(db, id: caseId, today: today, settings: settings), let head = f.head else { return nil }
        let c = f.caseRecord
        let counted = f.members.filter { $0.coResident && !$0.absent }
        let minors = counted.filter { $0.birthDate.age(on: today) < 18 }.count
        var category = c.urbanClass.map { $0.rawValue + "类" } ?? ""
        if c.programme == .tekun {
            for r in f.history.reversed() {
                if let m = Store.object(r.inputs)["supportMode"] as? String { category = m + "供养"; break }
            }
        }
        var amount = c.monthlyAmount ?? (f.assessment.eligible ? f.assessment.amount : nil)
        if c.programme == .disaster {
            // A relief grant (issue 24): the period as its class, the one-off amount decided.
            category = f.facts.reliefGrant?.period.label.zh ?? ""
            amount = f.onceAmount ?? amount
        }
        return PublicLine(caseId: caseId, name: PublicLine.name(of: head, on: today), village: f.villageName, persons: c.coveredMembers,
                          minors: min(minors, c.coveredMembers), change: change, programme: c.programme.label.zh, category: category,
                          perCapita: f.facts.perCapitaMonthly, monthly: amount)
    }

    public func batchLines(batchId: Int64, today: CivilDate, catalog: ProgrammeCatalog) throws -> [BatchLine] {
        try read { db in
            let settings = try Store.workflowSettings(db, catalog: catalog)
            let objections = try Store.objections(db, batchId: batchId)
            var out: [BatchLine] = []
            for r in try Row.fetchAll(db, sql: """
                SELECT l.case_id, l.change, c.step, c.status FROM publicity_line l JOIN assistance_case c ON c.id = l.case_id
                WHERE l.batch_id = ? ORDER BY c.village_code, l.case_id
                """, arguments: [batchId]) {
                let id: Int64 = r["case_id"]
                guard let line = try Store.publicLine(db, caseId: id, change: PublicityChange(rawValue: r["change"]) ?? .new,
                                                      today: today, settings: settings) else { continue }
                out.append(BatchLine(line: line, caseStep: r["step"], caseStatus: CaseStatus(rawValue: r["status"]) ?? .inProgress,
                                     objections: objections.filter { $0.caseId == id }))
            }
            return out
        }
    }

    /// The document: as published for a posted or closed batch, as it would be now for a draft.
    static func document(_ db: Database, batch b: PublicityBatch, today: CivilDate, settings: WorkflowSettings) throws -> PublicityDocument {
        if b.state != .draft, let json = try String.fetchOne(db, sql: "SELECT document FROM publicity_batch WHERE id = ?", arguments: [b.id]),
           let doc = try? JSONDecoder().decode(PublicityDocument.self, from: Data(json.utf8)) {
            return doc
        }
        var lines: [PublicLine] = []
        for r in try Row.fetchAll(db, sql: """
            SELECT l.case_id, l.change FROM publicity_line l JOIN assistance_case c ON c.id = l.case_id
            WHERE l.batch_id = ? ORDER BY c.village_code, l.case_id
            """, arguments: [b.id]) {
            if let l = try Store.publicLine(db, caseId: r["case_id"], change: PublicityChange(rawValue: r["change"]) ?? .new,
                                            today: today, settings: settings) { lines.append(l) }
        }
        let o = try Store.office(db)
        let officeName = (o.map { $0.countyName + $0.townshipName } ?? "") + "人民政府"
        return PublicityDocument(batchId: b.id, title: b.title, office: officeName, postedFrom: b.postedFrom, postedUntil: b.postedUntil,
                                 place: b.place, complaintPhone: b.phone, complaintBox: b.box,
                                 columns: b.programme == .disaster ? try Store.columns(db, "publicity_columns_disaster", Store.reliefColumns)
                                                                   : try Store.publicityColumns(db, b.kind),
                                 lines: lines, issuedOn: b.postedFrom)
    }

    public func document(batchId: Int64, today: CivilDate, catalog: ProgrammeCatalog) throws -> PublicityDocument {
        try read { db in
            let b = try Store.requireBatch(db, batchId, version: nil, state: nil)
            return try Store.document(db, batch: b, today: today, settings: try Store.workflowSettings(db, catalog: catalog))
        }
    }

    /// The standing list (长期公布) of a village's households in force of `programme`, as a
    /// document printed in the same formats as a posting (民发〔2021〕57号: 低保家庭 are kept
    /// published while they are paid). Refused without the office's supervision phone and box, for
    /// anything but a village or community, and when nobody is in force there.
    public func standingDocument(programme: Programme, villageCode: String, today: CivilDate, catalog: ProgrammeCatalog,
                                 lang: Lang = .zh) throws -> PublicityDocument {
        try read { db in
            let (village, level) = try Store.postingVillage(db, villageCode)
            let contact = try Store.supervision(db, phone: "", box: "")
            let settings = try Store.workflowSettings(db, catalog: catalog)
            let ids = try Int64.fetchAll(db, sql: """
                SELECT id FROM assistance_case WHERE programme = ? AND village_code = ? AND status = 'active' ORDER BY id
                """, arguments: [programme.rawValue, villageCode])
            var lines: [PublicLine] = []
            for id in ids {
                if let l = try Store.publicLine(db, caseId: id, change: .inForce, today: today, settings: settings) { lines.append(l) }
            }
            if lines.isEmpty {
                throw StoreError.said("store.publicity.standingNone", ["village": village, "programme": programme.label(lang)])
            }
            let o = try Store.office(db)
            return PublicityDocument(
                batchId: 0,
                title: say("store.publicity.standingTitle", lang, ["village": village, "programme": programme.label(lang),
                                                                    "year": "\(today.year)", "month": "\(today.month)"]),
                office: (o.map { $0.countyName + $0.townshipName } ?? "") + say("store.publicity.government", lang),
                postedFrom: today, postedUntil: today,
                place: village + say(level == .community ? "store.publicity.boardCommunity" : "store.publicity.boardVillage", lang),
                complaintPhone: contact.phone, complaintBox: contact.box,
                columns: try Store.columns(db, "publicity_columns_standing", Store.standingColumns),
                lines: lines, issuedOn: today, standing: true)
        }
    }

    /// The villages and communities with a case of `programme` in force, for the standing lists.
    public func standingVillages(programme: Programme) throws -> [(code: String, name: String)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT DISTINCT c.village_code, r.name FROM assistance_case c JOIN region r ON r.code = c.village_code
                WHERE c.programme = ? AND c.status = 'active' ORDER BY c.village_code
                """, arguments: [programme.rawValue]).map { (code: $0["village_code"], name: $0["name"]) }
        }
    }

    /// Draft → posted: the window starts today, the day it is pinned up (a draft planned for an
    /// earlier or later day keeps its length, never less than the publicity days), lines whose
    /// case has left the posting's step are dropped, and the document is frozen as published.
    @discardableResult
    public func postBatch(_ id: Int64, version: Int, by user: String, today: CivilDate, catalog: ProgrammeCatalog) throws -> PublicityBatch {
        try write { db in
            try Store.authorize(db, user, .publicity)
            var b = try Store.requireBatch(db, id, version: version, state: .draft)
            let settings = try Store.workflowSettings(db, catalog: catalog)
            if let step = b.kind.step {
                try db.execute(sql: """
                    DELETE FROM publicity_line WHERE batch_id = ? AND case_id IN (
                        SELECT id FROM assistance_case WHERE status <> 'in_progress' OR step <> ?)
                    """, arguments: [id, step])
                b.lineCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM publicity_line WHERE batch_id = ?", arguments: [id]) ?? 0
            }
            if b.lineCount == 0 { throw StoreError.said("store.publicityStore.theBatchHasNo") }
            // Never pinned up without the supervision phone and box (a draft made before they
            // were required takes the office's).
            let contact = try Store.supervision(db, phone: b.phone, box: b.box)
            b.phone = contact.phone; b.box = contact.box
            _ = try Store.postingVillage(db, b.scopeCode)
            let days = max(settings.publicityDays, b.postedFrom.days(until: b.postedUntil))
            b.postedFrom = today
            b.postedUntil = today.adding(days: days)
            b.title = Store.batchTitle(scope: b.scopeName, from: today, programme: b.programme, kind: b.kind)
            let doc = try Store.document(db, batch: b, today: today, settings: settings)
            let enc = JSONEncoder()
            enc.outputFormatting = [.sortedKeys]
            try db.execute(sql: """
                UPDATE publicity_batch SET state = 'posted', title = ?, posted_from = ?, posted_until = ?, document = ?, posted_at = ?,
                    phone = ?, box = ?, version = version + 1 WHERE id = ?
                """, arguments: [b.title, b.postedFrom.iso, b.postedUntil.iso, String(decoding: try enc.encode(doc), as: UTF8.self), Timestamp.now(),
                                 b.phone, b.box, id])
            try Audit.append(db, user: user, action: "publicity.post", entity: "publicity", entityId: String(id),
                             detail: Audit.detail(["lines": String(doc.lines.count), "from": b.postedFrom.iso, "until": b.postedUntil.iso]))
            return try Store.requireBatch(db, id, version: nil, state: nil)
        }
    }

    /// After a case left a posting's step on its own (an objection, a withdrawal): every posted
    /// batch holding it with no case left waiting at its step is closed, with the reason.
    static func closeEmptiedBatches(_ db: Database, caseId: Int64, by user: String) throws {
        let open = try Row.fetchAll(db, sql: """
            SELECT b.id, b.kind FROM publicity_batch b JOIN publicity_line l ON l.batch_id = b.id
            WHERE l.case_id = ? AND b.state = 'posted'
            """, arguments: [caseId])
        for r in open {
            guard let step = PublicityKind(rawValue: r["kind"])?.step else { continue }
            let bid: Int64 = r["id"]
            let left = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM publicity_line l JOIN assistance_case c ON c.id = l.case_id
                WHERE l.batch_id = ? AND c.status = 'in_progress' AND c.step = ?
                """, arguments: [bid, step]) ?? 0
            if left > 0 { continue }
            try db.execute(sql: "UPDATE publicity_batch SET state = 'closed', closed_at = ?, version = version + 1 WHERE id = ?",
                           arguments: [Timestamp.now(), bid])
            try Audit.append(db, user: user, action: "publicity.close", entity: "publicity", entityId: String(bid),
                             detail: Audit.detail(["moved": "0", "reason": "no case left at the step", "last": String(caseId)]))
        }
    }

    /// Posted → closed, not before posted-until: every case still at the posting's step and
    /// without an open objection moves on (the workflow engine's 办结), in one transaction.
    public func closeBatch(_ id: Int64, version: Int, by user: String, today: CivilDate, catalog: ProgrammeCatalog) throws -> CloseResult {
        try write { db in
            try Store.authorize(db, user, .publicity)
            let b = try Store.requireBatch(db, id, version: version, state: .posted)
            if today < b.postedUntil {
                throw StoreError.said("store.publicityStore.thePostingRunsUntil", ["postedUntilIso": "\(b.postedUntil.iso)"])
            }
            let settings = try Store.workflowSettings(db, catalog: catalog)
            let pending = Set(try Int64.fetchAll(db, sql: "SELECT case_id FROM objection WHERE batch_id = ? AND result = 'pending'", arguments: [id]))
            var result = CloseResult(moved: [], held: [])
            for r in try Row.fetchAll(db, sql: """
                SELECT l.case_id, c.step, c.status, c.step_since FROM publicity_line l JOIN assistance_case c ON c.id = l.case_id
                WHERE l.batch_id = ? ORDER BY l.case_id
                """, arguments: [id]) {
                let cid: Int64 = r["case_id"]
                if b.kind.step == nil { continue }   // a cancellation posting moves no case
                // Held: an open objection, no longer at the step, or back at it after the batch was
                // posted (a re-investigation): that case needs a new posting of its own.
                let since = CivilDate(iso: r["step_since"]) ?? today
                guard !pending.contains(cid), r["step"] as String == b.kind.rawValue, r["status"] as String == CaseStatus.inProgress.rawValue,
                      since <= b.postedFrom else {
                    result.held.append(cid); continue
                }
                let role = Role(rawValue: settings.catalog.definition(b.programme).step(b.kind.rawValue)?.role ?? "") ?? .clerk
                let acted = try Store.act(db, caseId: cid, version: nil, request: CaseRequest(action: .done, actor: user, role: role, date: today,
                                                                                       posting: Posting(batchId: id, from: b.postedFrom, until: b.postedUntil)),
                                  settings: settings)
                result.moved.append(cid)
                result.landed[cid] = CaseLanding(step: acted.transition.step, status: acted.transition.status)
            }
            try db.execute(sql: "UPDATE publicity_batch SET state = 'closed', closed_at = ?, version = version + 1 WHERE id = ?",
                           arguments: [Timestamp.now(), id])
            try Audit.append(db, user: user, action: "publicity.close", entity: "publicity", entityId: String(id),
                             detail: Audit.detail(["moved": String(result.moved.count), "held": result.held.map(String.init).joined(separator: ",")]))
            return result
        }
    }

    /// Register an objection against a line of a posted batch: recorded, and the case goes back
    /// to re-investigation (the engine's objection), in one transaction.
    public func registerObjection(batchId: Int64, caseId: Int64, receivedOn: CivilDate, receivedBy: String, content: String,
                                  handler: String, by user: String, catalog: ProgrammeCatalog) throws -> Int64 {
        try write { db in
            try Store.authorize(db, user, .publicity)
            if try Store.requireBatch(db, batchId, version: nil, state: .posted).kind.step == nil {
                throw StoreError.said("store.publicityStore.anObjectionToAn")
            }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM publicity_line WHERE batch_id = ? AND case_id = ?", arguments: [batchId, caseId]) == true else {
                throw StoreError.said("store.complaints.caseIsNotOn", ["caseId": "\(caseId)", "batchId": "\(batchId)"])
            }
            let text = content.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { throw StoreError.said("store.complaints.writeWhatTheObjection") }
            let settings = try Store.workflowSettings(db, catalog: catalog)
            _ = try Store.act(db, caseId: caseId, version: nil, request: CaseRequest(action: .objection, actor: user, role: .clerk, date: receivedOn,
                                                                                      inputs: ["received": receivedBy, "handler": handler, "batch": String(batchId)],
                                                                                      reason: text), settings: settings)
            try db.execute(sql: """
                INSERT INTO objection(batch_id, case_id, received_on, received_by, content, handler, recorded_by, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [batchId, caseId, receivedOn.iso, receivedBy, text, handler, user, Timestamp.now()])
            let oid = db.lastInsertedRowID
            try Audit.append(db, user: user, action: "publicity.objection", entity: "publicity", entityId: String(batchId),
                             detail: Audit.detail(["case": String(caseId), "objection": String(oid), "received": receivedBy]))
            return oid
        }
    }

    /// The outcome of an objection: upheld or not, with the reason. A case whose objection is not
    /// upheld comes back, after its re-investigation, to a re-publicity of the shorter window.
    public func recordObjectionResult(_ id: Int64, upheld: Bool, reason: String, by user: String, today: CivilDate) throws {
        try write { db in
            try Store.authorize(db, user, .publicity)
            let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            if why.isEmpty { throw StoreError.said("store.publicityStore.writeTheReasonFor") }
            try db.execute(sql: "UPDATE objection SET result = ?, result_reason = ?, result_on = ? WHERE id = ? AND result = 'pending'",
                           arguments: [upheld ? "upheld" : "not_upheld", why, today.iso, id])
            if db.changesCount == 0 { throw StoreError.said("store.publicityStore.objectionDoesNotExist", ["id": "\(id)"]) }
            try Audit.append(db, user: user, action: "publicity.objection_result", entity: "objection", entityId: String(id),
                             detail: Audit.detail(["upheld": upheld ? "yes" : "no", "reason": why]))
        }
    }
}

extension Store {
    /// The demo township's postings of today, made through the same calls a clerk's keys make:
    /// the office's supervision phone and box set by the administrator (postings are refused
    /// without them); for each village with cases at 村级公示, a batch posted today (one with an
    /// objection); for each village with cases at 乡镇公示, a draft. (Postings of the past are the
    /// closed batches the demo's histories were made with; see `loadDemo`.)
    public func loadDemoPublicity(catalog: ProgrammeCatalog, today: CivilDate, clerk: String = "jingban", admin: String = "admin") throws {
        for (key, value) in [("publicity_phone", "0872-6121234"), ("publicity_box", say("store.publicity.demoBox", .zh))] {
            if let v = try read({ db in try Int.fetchOne(db, sql: "SELECT version FROM setting WHERE key = ?", arguments: [key]) }) {
                try changeSetting(key: key, value: value, version: v, by: admin)
            }
        }
        func villages(at step: String) throws -> [String] {
            try read { db in
                try String.fetchAll(db, sql: """
                    SELECT DISTINCT village_code FROM assistance_case
                    WHERE status = 'in_progress' AND step = ? AND programme = 'rural_dibao' ORDER BY village_code
                    """, arguments: [step])
            }
        }
        var objected = false
        for code in try villages(at: PublicityKind.appraisal.rawValue) {
            guard !(try proposals(kind: .appraisal, programme: .ruralDibao, scopeCode: code)).isEmpty else { continue }
            let id = try createBatch(NewBatch(kind: .appraisal, programme: .ruralDibao, scopeCode: code, postedFrom: today),
                                     by: clerk, today: today, catalog: catalog)
            guard let b = try batch(id: id) else { continue }
            try postBatch(id, version: b.version, by: clerk, today: today, catalog: catalog)
            if !objected, let line = try read({ db in try Int64.fetchOne(db, sql: "SELECT case_id FROM publicity_line WHERE batch_id = ? LIMIT 1", arguments: [id]) }) {
                _ = try registerObjection(batchId: id, caseId: line, receivedOn: today, receivedBy: say("store.publicity.demoObjectionChannel", .zh),
                                          content: say("store.publicity.demoObjection", .zh), handler: say("store.publicity.demoHandler", .zh),
                                          by: clerk, catalog: catalog)
                objected = true
            }
        }
        for code in try villages(at: PublicityKind.review.rawValue) {
            guard !(try proposals(kind: .review, programme: .ruralDibao, scopeCode: code)).isEmpty else { continue }
            _ = try createBatch(NewBatch(kind: .review, programme: .ruralDibao, scopeCode: code, postedFrom: today),
                                by: clerk, today: today, catalog: catalog)
        }
    }
}
