import CSQLiteSession
import Foundation
import GRDB
import JiuzhuModel

/// Ids that do not clash across a county (issue 25 item 1).
///
/// Each file owns a block of the 64-bit row id space: `block × 2^40`, the block being the
/// township's three digits within the county (the 7th to 9th of its 12-digit code; 000 for
/// the county bureau). A record's global id is then its row id itself, readable as township and
/// local number (`IdBlock.describe`), the same in every file that holds it, so a changeset
/// applies unchanged. 2^40 is a trillion rows per file.
///
/// How a township's new rows land in its block: every exchanged table with an integer `id`
/// takes ids AUTOINCREMENT (migration v25), and `exchange start` sets each table's sequence to
/// the block's start; SQLite then gives `max(sequence, max(id)) + 1`, which stays in the block
/// because the only other rows a township file holds are the county's, in block 0 below it.
/// The county file holds every block above its own, so `max + 1` would land in the highest
/// township's: the county's writes name their ids (`Store.newId`), and `Store.write` refuses,
/// at the county, a new row outside block 0 — work that belongs to a township.
public enum IdBlock {
    public static let size: Int64 = 1 << 40

    /// The block of a township's 12-digit code: its 3 township digits (0 for the county bureau).
    public static func of(townshipCode: String) -> Int64? {
        let d = Array(townshipCode.utf8)
        guard d.count == 12, d.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int64(d[6] - 48) * 100 + Int64(d[7] - 48) * 10 + Int64(d[8] - 48)
    }

    /// An id as township digits and local number ("101-000000000042"), for people.
    public static func describe(_ id: Int64) -> String {
        (id / size < 100 ? String(format: "%03lld", id / size) : String(id / size)) + "-" + String(id % size)
    }

    /// An id for people: as it is below the first block (a file outside the exchange, the
    /// county's own records); "104-17" in a township's block.
    public static func shown(_ id: Int64) -> String {
        id < size ? String(id) : describe(id)
    }

    /// Whether a table's changes travel between files (`jz_is_exchanged`, the capture's filter).
    static func exchanged(_ table: String) -> Bool { jz_is_exchanged(table) != 0 }

    /// The exchanged tables keyed by an integer `id` (a row id).
    static func idTables(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p
            WHERE m.type = 'table' AND p.name = 'id' AND p.pk = 1 AND upper(p.type) = 'INTEGER'
              AND (SELECT count(*) FROM pragma_table_info(m.name) q WHERE q.pk > 0) = 1
            ORDER BY m.name
            """).filter(exchanged)
    }

    /// References to ids that the schema does not declare as foreign keys.
    static let undeclared: [(table: String, column: String)] = [
        ("campaign_case", "household_id"), ("case_coverage", "person_id"), ("case_coverage", "step_id"),
        ("case_followup", "case_step_id"), ("case_followup", "source_id"), ("household_change", "other_household_id"),
        ("household_change", "person_id"), ("payment_back", "case_id"), ("search_hit", "household_id"),
        ("search_key", "household_id"), ("search_key", "person_id"),
    ]

    /// Ids inside a step's inputs (JSON): the publicity batch, the disaster event.
    static let inJSON: [(table: String, column: String, path: String)] = [
        ("case_step", "inputs", "$.batch"), ("case_step", "inputs", "$.eventId"),
    ]

    /// Every column that holds an id of an exchanged id table: the ids themselves, the declared
    /// foreign keys to them (followed through: a key to a key column), and `undeclared`.
    static func idColumns(_ db: Database) throws -> [(table: String, column: String)] {
        let tables = try idTables(db)
        var set = Set(tables.map { "\($0).id" })
        var out = tables.map { (table: $0, column: "id") }
        let all = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").filter(exchanged)
        var grew = true
        while grew {
            grew = false
            for t in all {
                for fk in try Row.fetchAll(db, sql: "SELECT \"table\" AS target, \"from\" AS col, \"to\" AS tocol FROM pragma_foreign_key_list(?)",
                                           arguments: [t]) {
                    let target: String = fk["target"]
                    let to: String = (fk["tocol"] as String?) ?? "id"
                    let col: String = fk["col"]
                    if set.contains("\(target).\(to)"), !set.contains("\(t).\(col)") {
                        set.insert("\(t).\(col)"); out.append((t, col)); grew = true
                    }
                }
            }
        }
        for u in undeclared where !set.contains("\(u.table).\(u.column)") {
            if try db.tableExists(u.table), try db.columns(in: u.table).contains(where: { $0.name == u.column }) {
                set.insert("\(u.table).\(u.column)"); out.append(u)
            }
        }
        return out
    }

    /// Move every id of this file's rows below `offset` up by `offset`, and every reference
    /// with it, in the current transaction. The triggers are off (the rows keep their derived
    /// columns; the guard triggers would refuse a step row changing), the foreign keys are
    /// checked at commit, and the keyed digests take the delta of every guarded row — XORed out
    /// as it was, in as it is — so a row changed outside the program before still shows.
    static func renumber(_ db: Database, offset: Int64) throws {
        guard offset > 0 else { return }
        try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
        let columns = try idColumns(db)
        let was = jz_enable_triggers(UnsafeMutableRawPointer(db.sqliteConnection), 0)
        defer { _ = jz_enable_triggers(UnsafeMutableRawPointer(db.sqliteConnection), was) }
        try Guarded.folding(db, rows: Guarded.tables.map { (table: $0.name, condition: "1") }) {
            for (t, c) in columns {
                try db.execute(sql: "UPDATE \(t) SET \"\(c)\" = \"\(c)\" + ? WHERE \"\(c)\" IS NOT NULL AND \"\(c)\" < ?",
                               arguments: [offset, offset])
            }
            for (t, c, path) in inJSON where try db.tableExists(t) {
                try db.execute(sql: """
                    UPDATE \(t) SET \(c) = json_set(\(c), '\(path)', json_extract(\(c), '\(path)') + ?)
                    WHERE json_valid(\(c)) AND json_type(\(c), '\(path)') = 'integer' AND json_extract(\(c), '\(path)') < ?
                    """, arguments: [offset, offset])
            }
        }
    }

    /// Make each exchanged id table's next id at least `start` (its AUTOINCREMENT sequence).
    static func reserve(_ db: Database, from start: Int64) throws {
        for t in try idTables(db) {
            try db.execute(sql: "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", arguments: [start, t])
            try db.execute(sql: "INSERT INTO sqlite_sequence(name, seq) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)",
                           arguments: [t, start, t])
        }
    }

    /// Migration v25: every exchanged id table takes its ids AUTOINCREMENT. Only the declared
    /// text changes, not how the table is stored (SQLite's own simpler procedure for a change
    /// that leaves the stored rows as they are: `writable_schema` and a new schema version), so
    /// it is instant at any size. A table created later declares it itself (ExchangeCountyTests checks).
    static func makeAutoincrement(_ db: Database) throws {
        let tables = try idTables(db).filter { t in
            !((try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [t]) ?? "").contains("AUTOINCREMENT"))
        }
        guard !tables.isEmpty else { return }
        if !(try db.tableExists("sqlite_sequence")) {
            // SQLite makes its sequence table with the first AUTOINCREMENT table.
            try db.execute(sql: "CREATE TABLE jz_make_sequence(id INTEGER PRIMARY KEY AUTOINCREMENT); DROP TABLE jz_make_sequence;")
        }
        let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        for t in tables {
            let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [t]) ?? ""
            guard let r = sql.range(of: "id INTEGER PRIMARY KEY") else {
                try db.execute(sql: "PRAGMA writable_schema = OFF")
                throw StoreError.invalid("v25: \(t) does not declare \"id INTEGER PRIMARY KEY\"")
            }
            let changed = sql.replacingCharacters(in: r, with: "id INTEGER PRIMARY KEY AUTOINCREMENT")
            try db.execute(sql: "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", arguments: [changed, t])
        }
        try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
        try db.execute(sql: "PRAGMA writable_schema = OFF")
        db.clearSchemaCache()
    }
}

extension Store {
    /// The id for a new row of `table` written at the county: the next in block 0 (the county's
    /// own), since `max + 1` over every township's block would land in the highest one. Nil
    /// elsewhere: SQLite's own AUTOINCREMENT gives the township's next id in its block.
    static func newId(_ db: Database, _ table: String) throws -> Int64? {
        guard try exchangeSide(db) == "county" else { return nil }
        return (try Int64.fetchOne(db, sql: "SELECT max(id) FROM \(table) WHERE id < ?", arguments: [IdBlock.size]) ?? 0) + 1
    }

    /// A number as people give it: in a township's file that joined the exchange, a number
    /// below its block (the case's number as the lists show it, `id % 2^40`) is that township's
    /// record; a full id, or a number in any other file, is taken as it is.
    static func ownId(_ db: Database, _ id: Int64) throws -> Int64 {
        guard id > 0, id < IdBlock.size, try exchangeSide(db) == "township",
              let block = IdBlock.of(townshipCode: try Store.setting(db, "office.township_code") ?? ""), block > 0 else { return id }
        return block * IdBlock.size + id
    }

    static func exchangeSide(_ db: Database) throws -> String? {
        guard try db.tableExists("exchange_state") else { return nil }
        return try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM exchange_state WHERE key = 'side'"))
    }
}

extension Store {
    /// Ownership (issue 25 item 3): a case is at one side at a time. Its steps marked
    /// `only: county` (县级审批) are done in the county's file, every other step in the
    /// township's; in a file taking part in the exchange, a step done on the wrong side is
    /// refused here, where it is written, whatever screen or command asks. So two files never
    /// both change one case, and a package cannot bring a second edit of a row.
    static func checkSide(_ db: Database, case c: Case, steps: [String], def: ProgrammeCatalog.Definition) throws {
        guard let side = try exchangeSide(db) else { return }
        let county = steps.contains { def.step($0)?.only == "county" }
        guard county != (side == "county") else { return }
        let at = say(county ? "store.exchange.atCounty" : "store.exchange.atTownship", .zh)
        let atEn = say(county ? "store.exchange.atCounty" : "store.exchange.atTownship", .en)
        throw StoreError.said("store.exchange.caseElsewhere", [
            "case": IdBlock.describe(c.id ?? 0), "side_zh": at, "side_en": atEn,
            "where_zh": say("store.exchange.caseAt", .zh, ["step": def.step(c.step)?.zh ?? c.step]),
            "where_en": say("store.exchange.caseAt", .en, ["step": def.step(c.step)?.en ?? c.step]),
        ])
    }
}

extension Changes {
    /// The changes at the positions `keep` marks, as a changeset of their own.
    static func filter(_ changes: Data, keep: [Bool]) throws -> Data {
        if keep.allSatisfy({ $0 }) { return changes }
        if !keep.contains(true) { return Data() }
        var size: Int32 = 0
        var out: UnsafeMutableRawPointer?
        let flags = keep.map { UInt8($0 ? 1 : 0) }
        let rc = changes.withUnsafeBytes { raw in
            flags.withUnsafeBufferPointer { k in
                jz_changeset_filter(Int32(raw.count), raw.baseAddress, k.baseAddress, Int32(k.count), &size, &out)
            }
        }
        defer { jz_free(out) }
        guard rc == 0 else { throw StoreError.said("store.exchange.unreadable", ["code": String(rc)]) }
        return out.map { Data(bytes: $0, count: Int(size)) } ?? Data()
    }

    /// Columns that tie a row to a township: its own id, its case's, household's, member's…
    static let links = ["id", "case_id", "household_id", "person_id", "roster_id", "batch_id", "event_id", "victim_id",
                        "card_id", "house_id", "distribution_id", "draw_id", "campaign_id"]

    /// For each change, the block of the township whose record it is (nil: the county's own or
    /// the county's alike — a standard, a code, a campaign — which every township receives).
    /// An id in a township's block names it; a row the county made (block 0) belongs where the
    /// case, household or member it is about belongs, read from the row as it is here.
    static func blocks(_ db: Database, _ keys: [(table: String, op: Int32, condition: String)]) throws -> [Int64?] {
        var columns: [String: [String]] = [:]
        return try keys.map { k in
            if k.table == "region" {
                let code = k.condition.split(separator: "'").dropFirst().first.map(String.init) ?? ""
                return IdBlock.of(townshipCode: code).flatMap { $0 == 0 ? nil : $0 }
            }
            for c in links { if let v = integer(k.condition, c), v >= IdBlock.size { return v / IdBlock.size } }
            if columns[k.table] == nil { columns[k.table] = try db.columns(in: k.table).map(\.name).filter(links.contains) }
            let cols = (columns[k.table] ?? []).filter { $0 != "id" }
            guard !cols.isEmpty, k.op != 9 /* SQLITE_DELETE: the row is gone here */ else { return nil }
            guard let row = try Row.fetchOne(db, sql: "SELECT \(cols.map { "\"\($0)\"" }.joined(separator: ", ")) FROM \(k.table) WHERE \(k.condition)") else { return nil }
            for c in cols { if let v = row[c] as Int64?, v >= IdBlock.size { return v / IdBlock.size } }
            return nil
        }
    }
}
