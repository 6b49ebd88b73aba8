import Crypto
import Foundation
import GRDB
import JiuzhuModel

/// What an import brought in.
public struct LedgerImportResult: Equatable, Sendable {
    public var households: Int
    public var persons: Int
    public var cases: Int
    /// The audit row that records it.
    public var auditId: Int64
}

/// An earlier import of the same file (by its SHA-256).
public struct LedgerImportedBefore: Equatable, Sendable {
    public var at: String
    public var user: String
    public var file: String
}

extension Store {
    /// The SHA-256 of a file's bytes (hex), read in pieces: what recognises a file imported before.
    public static func fileSHA256(_ path: String) throws -> String {
        guard let h = FileHandle(forReadingAtPath: path) else { throw StoreError.missingFile(path: path) }
        defer { try? h.close() }
        var hasher = SHA256()
        while let chunk = try h.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return Hex.string(hasher.finalize())
    }

    /// What the ledger checks need: the township's villages and communities, the code lists, today.
    public func ledgerContext(today: CivilDate) throws -> LedgerContext {
        try read { db in
            let villages = try Store.regions(db).filter { $0.level == .village || $0.level == .community }
            var codes: [String: [LedgerContext.Code]] = [:]
            for r in try Row.fetchAll(db, sql: """
                SELECT kind, code, zh, en FROM ref_code
                WHERE kind IN ('relationship', 'ethnicity', 'health', 'disability_type', 'work_ability') ORDER BY kind, sort
                """) {
                codes[r["kind"], default: []].append(.init(code: r["code"], zh: r["zh"], en: r["en"]))
            }
            return LedgerContext(villages: villages, codes: codes, today: today)
        }
    }

    /// Who already holds each of `ids` (those held only), said in both languages with the
    /// household and village, for the dry run's report.
    public func idHolders(_ ids: [String]) throws -> [String: Text2] {
        try read { db in
            var out: [String: Text2] = [:]
            var i = 0
            while i < ids.count {
                let chunk = Array(ids[i..<min(ids.count, i + 500)])
                i += 500
                let marks = chunk.map { _ in "?" }.joined(separator: ",")
                for r in try Row.fetchAll(db, sql: """
                    SELECT p.id_number, p.name, p.household_id, h.head_name, r.name AS village
                    FROM person p JOIN household h ON h.id = p.household_id JOIN region r ON r.code = h.village_code
                    WHERE p.id_number IN (\(marks))
                    """, arguments: StatementArguments(chunk)) {
                    let values = ["name": r["name"] as String, "head": r["head_name"] as String, "village": r["village"] as String,
                                  "household": String(r["household_id"] as Int64)]
                    out[r["id_number"]] = sayBoth("store.import.holder", values)
                }
            }
            return out
        }
    }

    /// The import of a file with this SHA-256, if one was made.
    public func ledgerImported(sha256: String) throws -> LedgerImportedBefore? {
        try read { db in try Store.ledgerImported(db, sha256: sha256) }
    }

    static func ledgerImported(_ db: Database, sha256: String) throws -> LedgerImportedBefore? {
        guard let r = try Row.fetchOne(db, sql: """
            SELECT at, user, json_extract(detail, '$.file') AS file FROM audit WHERE action = 'ledger.import' AND entity_id = ? ORDER BY id LIMIT 1
            """, arguments: [sha256]) else { return nil }
        return LedgerImportedBefore(at: r["at"], user: r["user"], file: r["file"] ?? "")
    }

    /// Bring in `households` (the checked plan's good ones) as one transaction with one audit
    /// row naming the file and its SHA-256: households and members as if entered, each case in
    /// force as its decision on record — an approval at the programme's decision step dated
    /// the day it was in force from, paid from that month, for the persons and amount the
    /// ledger gives (a note naming the file and row), and the programme's last step done on the
    /// same day — so rosters, the year table and `verify` read it as any other case. A file
    /// imported before is refused unless `again`. Anything refused leaves nothing written.
    public func importLedger(_ households: [LedgerHousehold], file: String, sha256: String, again: Bool, skipped: (rows: Int, households: Int),
                             by user: String, catalog: ProgrammeCatalog) throws -> LedgerImportResult {
        try write { db in
            try Store.authorize(db, user, .importLedger)
            // A 10,000-household roll writes about 30 MB of pages in this one transaction. With the
            // app's 1 MB page cache SQLite spills and re-reads them through the WAL all along;
            // 64 MB for the import's length keeps them in memory (the peak stays near 150 MB,
            // issue 23's ceiling is 200 MB), and the connection's own cache size is put back after.
            let appCache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -1024
            try db.execute(sql: "PRAGMA cache_size = -65536")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(appCache)") }
            if !again, let before = try Store.ledgerImported(db, sha256: sha256) {
                throw StoreError.said("store.import.sameFile", ["at": before.at, "user": before.user, "file": before.file])
            }
            guard !households.isEmpty else { throw StoreError.said("store.import.nothingToImport") }
            let settings = try Store.workflowSettings(db, catalog: catalog)
            let villages = Set(try String.fetchAll(db, sql: "SELECT code FROM region"))
            let bulk = try BulkInsert(db)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let now = Timestamp.now()
            let name = (file as NSString).lastPathComponent
            var persons = 0, cases = 0
            for h in households {
                guard villages.contains(h.household.villageCode) else {
                    throw StoreError.said("store.import.noVillage", ["village": h.villageName])
                }
                let (hid, pids) = try Store.insertHousehold(db, h.household, members: h.members, now: now)
                persons += pids.count
                for c in h.cases {
                    let def = settings.workflow(c.programme)
                    guard let decision = def.decisionStep, let last = def.steps.last else { continue }
                    let month = PayMonth(c.start)
                    let covered: [Int64]
                    if let m = c.member { covered = [pids[m]] } else {
                        let counted = h.members.indices.filter { h.members[$0].coResident && !h.members[$0].absent }.map { pids[$0] }
                        covered = Array(counted.prefix(c.persons))
                    }
                    let note = say("store.import.note", .zh, ["file": name, "row": String(c.row)])
                    let approval = ImportedInputs(monthlyFen: c.amount.fen, covered: c.persons, effectiveMonth: month.description,
                                                  imported: .init(file: name, sha256: sha256, sheet: h.sheet, row: c.row))
                    var steps = [CaseStepRecord(caseId: 0, step: decision.code, action: "approve", actor: user, actedOn: c.start,
                                                note: note, inputs: try approval.json(encoder))]
                    if last.code != decision.code {
                        let done = ImportedInputs(firstMonth: month.description, imported: .init(file: name, row: c.row))
                        steps.append(CaseStepRecord(caseId: 0, step: last.code, action: "done", actor: user, actedOn: c.start,
                                                    note: note, inputs: try done.json(encoder)))
                    }
                    let k = Case(householdId: hid, personId: c.member.map { pids[$0] }, programme: c.programme, step: last.code,
                                 stepSince: c.start, status: .active, appliedOn: c.start, monthlyAmount: c.amount,
                                 coveredMembers: c.persons)
                    let cid = try Store.insertCase(db, k, steps: steps, villageCode: h.household.villageCode, now: now)
                    let stepId = try Int64.fetchOne(db.cachedStatement(sql: """
                        SELECT id FROM case_step WHERE case_id = ? AND action = 'approve' ORDER BY id LIMIT 1
                        """), arguments: [cid]) ?? 0
                    try Store.insertCoverage(db, caseId: cid, stepId: stepId, from: c.start, persons: covered)
                    cases += 1
                }
                if !h.cases.isEmpty { try Store.refreshHouseholdSummary(db, hid) }
            }
            try bulk.finish(db)
            let id = try Audit.append(db, user: user, action: "ledger.import", entity: "import", entityId: sha256,
                                      detail: Audit.detail(["file": file, "sha256": sha256, "households": String(households.count),
                                                            "persons": String(persons), "cases": String(cases),
                                                            "skippedRows": String(skipped.rows), "skippedHouseholds": String(skipped.households)]))
            return LedgerImportResult(households: households.count, persons: persons, cases: cases, auditId: id)
        }
    }
}

/// The insert triggers a large import sets aside while its rows go in, and what stands in for
/// them once at the end (issue 23: a 10,000-household roll fired them 75,000 times):
/// - the household's search signature, once per new household instead of once per member;
/// - the case's copy of the head's pinyin, once per new case;
/// - the keyed digests of the guarded tables, *extended* by the rows this transaction added
///   (the same XOR the triggers would have folded in, row by row). The rows that were there
///   before are not folded again, so a change made to them outside the program is still found
///   by `verify`; an import only inserts, and a guarded row it changed would show there too.
/// Update and delete triggers stay in place throughout. Everything happens inside the import's
/// transaction: a failure rolls the triggers back with the rows.
struct BulkInsert {
    static let setAside = ["person_sig_on_insert", "person_id_sig_on_insert", "case_head_py_on_insert"]
        + ["assistance_case", "case_step"].map { Guarded.triggerNames($0)[0] }
    let triggers: [(name: String, sql: String)]
    let before: [String: Int64]

    init(_ db: Database) throws {
        let names = Self.setAside.map { "'\($0)'" }.joined(separator: ", ")
        triggers = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (\(names))")
            .map { (name: $0["name"], sql: $0["sql"]) }
        var before: [String: Int64] = [:]
        for t in ["person", "assistance_case", "case_step"] {
            before[t] = try Int64.fetchOne(db, sql: "SELECT ifnull(max(rowid), 0) FROM \(t)") ?? 0
        }
        self.before = before
        for t in triggers { try db.execute(sql: "DROP TRIGGER \(t.name)") }
    }

    func finish(_ db: Database) throws {
        for t in triggers { try db.execute(sql: t.sql) }
        // An UPDATE OF a column fires its trigger even when the value stays the same.
        try db.execute(sql: "UPDATE person SET name = name WHERE id IN (SELECT min(id) FROM person WHERE id > ? GROUP BY household_id)",
                       arguments: [before["person"] ?? 0])
        try db.execute(sql: "UPDATE assistance_case SET household_id = household_id WHERE id > ?", arguments: [before["assistance_case"] ?? 0])
        for t in ["assistance_case", "case_step"] where triggers.contains(where: { $0.name == Guarded.triggerNames(t)[0] }) {
            try Guarded.extend(db, table: t, afterRowid: before[t] ?? 0)
        }
    }
}

/// The inputs an imported case's decision and last step record (JSON with sorted keys, as
/// `Workflow.json` writes; a typed encoder because JSONSerialization cost 80 µs a step).
struct ImportedInputs: Encodable {
    struct Source: Encodable { var file: String; var sha256: String? = nil; var sheet: String? = nil; var row: Int }
    var monthlyFen: Int64? = nil
    var covered: Int? = nil
    var effectiveMonth: String? = nil
    var firstMonth: String? = nil
    var imported: Source

    func json(_ encoder: JSONEncoder) throws -> String { String(decoding: try encoder.encode(self), as: UTF8.self) }
}