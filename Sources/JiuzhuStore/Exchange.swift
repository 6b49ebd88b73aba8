import CSQLiteSession
import Foundation
import GRDB
import JiuzhuModel

/// Change capture for the exchange between a township's file and the county's (issue 25), with
/// SQLite's own session extension: while a file takes part in an exchange, every write
/// transaction records what it changed as a changeset in `exchange_outbox`, in the same
/// transaction (so a change and its record commit or roll back together, and nothing is
/// captured twice). A package is the outbox's changesets since the last one the other side
/// acknowledged; applying one is all or nothing, any conflict refusing the whole of it.
/// See docs/architecture.md, "A county of townships".
public enum Changes {
    /// Run `body` recording the changes it makes to the database's tables (not the exchange's
    /// own, SQLite's or the keyed digests): its result and the changeset, empty when nothing changed.
    static func capture<T>(_ db: Database, _ body: () throws -> T) throws -> (T, Data) {
        var session: OpaquePointer?
        let rc = jz_session_begin(UnsafeMutableRawPointer(db.sqliteConnection), &session)
        guard rc == 0, let session else { throw StoreError.invalid("sqlite3session_create: \(rc)") }
        defer { jz_session_end(session) }
        let result = try body()
        if jz_session_isempty(session) != 0 { return (result, Data()) }
        var size: Int32 = 0
        var bytes: UnsafeMutableRawPointer?
        let rc2 = jz_session_changeset(session, &size, &bytes)
        defer { jz_free(bytes) }
        guard rc2 == 0 else { throw StoreError.invalid("sqlite3session_changeset: \(rc2)") }
        return (result, bytes.map { Data(bytes: $0, count: Int(size)) } ?? Data())
    }

    /// What a receiving file does with a household row both sides changed (see
    /// `jz_changeset_apply_strict`): nothing (a conflict, refused whole), the township's
    /// columns stand over the county's (at the county), or the county's change of the row is
    /// passed over (at a township). Either way the row's summary columns are computed again.
    enum HouseholdRows: Int32 { case strict = 0, townshipsStand = 1, keepOwn = 2 }

    /// Apply a changeset inside the current transaction, all or nothing: a conflict (a row the
    /// changeset inserts already there, or one it changes or deletes missing or different)
    /// leaves nothing of it applied and throws `store.exchange.conflict`. Returns the households
    /// settled under `households` (their summary columns to compute again).
    @discardableResult
    static func apply(_ db: Database, _ changes: Data, households policy: HouseholdRows = .strict, updates: Int = 0) throws -> [Int64] {
        guard !changes.isEmpty else { return [] }
        var conflicts: Int32 = 0, reason: Int32 = 0, settled: Int32 = 0
        var table = [CChar](repeating: 0, count: 64)
        var ids = [Int64](repeating: 0, count: max(1, updates))
        let rc = changes.withUnsafeBytes { raw in
            ids.withUnsafeMutableBufferPointer { buf in
                buf.baseAddress!.withMemoryRebound(to: CLongLong.self, capacity: buf.count) { p in
                    jz_changeset_apply_strict(UnsafeMutableRawPointer(db.sqliteConnection), Int32(raw.count), raw.baseAddress,
                                              &conflicts, &reason, &table, Int32(table.count), policy.rawValue, p, Int32(buf.count), &settled)
                }
            }
        }
        if rc != 0 || conflicts > 0 {
            let kind = ["", "data", "notfound", "conflict", "constraint", "foreign_key"]
            let name = String(decoding: table.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw StoreError.said("store.exchange.conflict", ["table": name, "kind": kind.indices.contains(Int(reason)) ? kind[Int(reason)] : String(reason),
                                                              "code": String(rc)])
        }
        return Array(ids.prefix(Int(settled)))
    }

    /// Apply with the keyed digests and the running search totals kept: the triggers are off
    /// while the changes apply, so the digests take the delta of the rows they touch instead
    /// (never a refold, see Guarded.folding), and so do the search totals (each file's own sums).
    /// A household row settled under `households` has its summary columns computed again
    /// afterwards, from the cases this file now holds (the triggers on: an ordinary write).
    static func applyKeepingDigests(_ db: Database, _ changes: Data, keys known: [(table: String, op: Int32, condition: String)]? = nil,
                                    households policy: HouseholdRows = .strict) throws {
        guard let keys = try known ?? keys(db, changes) else { throw StoreError.said("store.exchange.unreadable", ["code": "-1"]) }
        let households = try touchedHouseholds(db, changes, keys)
        var settled: [Int64] = []
        try Guarded.folding(db, rows: keys.map { ($0.table, $0.condition) }) {
            try SearchCounts.folding(db, households: households) {
                settled = try apply(db, changes, households: policy, updates: keys.filter { $0.table == "household" && $0.op == 23 }.count)
            }
        }
        for h in Set(settled) { try Store.refreshHouseholdSummary(db, h) }
    }

    /// The households whose search figures these changes can move, worked out before they
    /// apply: a household or its search rows changed; the household of a member or case made,
    /// removed or moved (from the changeset's values), or changed in place (from the row).
    static func touchedHouseholds(_ db: Database, _ changes: Data, _ keys: [(table: String, op: Int32, condition: String)]) throws -> Set<Int64> {
        var out = Set<Int64>()
        for k in keys {
            switch k.table {
            case "household": if let id = integer(k.condition, "id") { out.insert(id) }
            case "search_hit", "search_key": if let id = integer(k.condition, "household_id") { out.insert(id) }
            default: break
            }
        }
        for table in ["person", "assistance_case"] where try db.tableExists(table) {
            guard let column = try Int.fetchOne(db, sql: "SELECT cid FROM pragma_table_info(?) WHERE name = 'household_id'", arguments: [table]) else { continue }
            final class Box { var values: [(index: Int, hasOld: Bool, old: Int64, hasNew: Bool, new: Int64)] = [] }
            let box = Box()
            let rc = changes.withUnsafeBytes { raw in
                jz_changeset_column(Int32(raw.count), raw.baseAddress, table, Int32(column), Unmanaged.passUnretained(box).toOpaque()) { ctx, i, _, ho, o, hn, n in
                    guard let ctx else { return }
                    Unmanaged<Box>.fromOpaque(ctx).takeUnretainedValue().values.append((Int(i), ho != 0, o, hn != 0, n))
                }
            }
            guard rc == 0 else { throw StoreError.said("store.exchange.unreadable", ["code": String(rc)]) }
            for v in box.values {
                if v.hasOld { out.insert(v.old) }
                if v.hasNew { out.insert(v.new) }
                if !v.hasOld, !v.hasNew, keys.indices.contains(v.index),
                   let h = try Int64.fetchOne(db, sql: "SELECT household_id FROM \(table) WHERE \(keys[v.index].condition)") {
                    out.insert(h)
                }
            }
        }
        return out
    }

    /// The integer a key condition gives a column (`"id" IS 5` → 5).
    static func integer(_ condition: String, _ column: String) -> Int64? {
        let mark = "\"\(column)\" IS "
        guard let r = condition.range(of: mark) else { return nil }
        return Int64(condition[r.upperBound...].prefix { $0 == "-" || $0.isNumber })
    }

    /// `a` then `b` as one changeset (a row changed in both appears once, as changed in the end).
    public static func concat(_ a: Data, _ b: Data) throws -> Data {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        var size: Int32 = 0
        var out: UnsafeMutableRawPointer?
        let rc = a.withUnsafeBytes { ra in
            b.withUnsafeBytes { rb in
                jz_changeset_concat(Int32(ra.count), ra.baseAddress, Int32(rb.count), rb.baseAddress, &size, &out)
            }
        }
        defer { jz_free(out) }
        guard rc == 0 else { throw StoreError.said("store.exchange.unreadable", ["code": String(rc)]) }
        return out.map { Data(bytes: $0, count: Int(size)) } ?? Data()
    }

    /// How many row changes a changeset holds (nil if it cannot be read: truncated or not one).
    public static func count(_ changes: Data) -> Int? {
        let n = changes.withUnsafeBytes { jz_changeset_count(Int32($0.count), $0.baseAddress) }
        return n < 0 ? nil : Int(n)
    }

    /// Each change's table and primary key as an SQL condition on that table's columns
    /// (`"id" IS 5`), nil if the changeset cannot be read.
    static func keys(_ db: Database, _ changes: Data) throws -> [(table: String, op: Int32, condition: String)]? {
        final class Box { var items: [(String, Int32, String)] = [] }
        let box = Box()
        let rc = changes.withUnsafeBytes { raw in
            jz_changeset_keys(Int32(raw.count), raw.baseAddress, Unmanaged.passUnretained(box).toOpaque()) { ctx, table, op, key in
                guard let ctx, let table, let key else { return }
                Unmanaged<Box>.fromOpaque(ctx).takeUnretainedValue().items.append((String(cString: table), op, String(cString: key)))
            }
        }
        guard rc == 0 else { return nil }
        var columns: [String: [String]] = [:]
        return try box.items.map { table, op, key in
            if columns[table] == nil {
                columns[table] = try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table]).map { $0[0] }
            }
            let names = columns[table] ?? []
            let parts = key.split(separator: "\u{1E}").compactMap { part -> String? in
                guard let eq = part.firstIndex(of: "="), let i = Int(part[..<eq]), names.indices.contains(i) else { return nil }
                return "\"\(names[i])\" IS \(part[part.index(after: eq)...])"
            }
            return (table, op, parts.joined(separator: " AND "))
        }
    }

    /// Whether this file records its changes for an exchange (`exchange_state` names its side).
    static func capturing(_ db: Database) throws -> Bool {
        try Store.exchangeSide(db) != nil
    }

    /// The outbox entries after `after` joined into one changeset, and the last entry joined.
    static func outbox(_ db: Database, after: Int64) throws -> (changes: Data, last: Int64) {
        var all = Data()
        var last = after
        let rows = try Row.fetchCursor(db, sql: "SELECT seq, changes FROM exchange_outbox WHERE seq > ? ORDER BY seq", arguments: [after])
        while let r = try rows.next() {
            all = try concat(all, r["changes"])
            last = r["seq"]
        }
        return (all, last)
    }

    /// At the county, a new row must take its id from the county's own block (`Store.newId`):
    /// one past it is a township's, and a row made there belongs to the township's work
    /// (households, members, applications are the township's; the county decides, spot-checks
    /// and reports). Refused with the table named, so nothing clashes when the package arrives.
    /// What only a township writes: its households, members, their search keys, household
    /// changes and surveys (入户调查). The county reads them as the packages bring them.
    static let townshipTables: Set<String> = ["household", "person", "search_key", "search_hit", "household_change", "survey",
                                              "survey_version"]

    static func checkOwnBlock(_ db: Database, _ changes: Data) throws {
        guard !changes.isEmpty, try Store.exchangeSide(db) == "county", let keys = try keys(db, changes) else { return }
        for k in keys {
            // A decision at the county keeps the summary columns of the household and member it
            // is about (an update); making or removing them is the township's.
            if townshipTables.contains(k.table), k.op != 23 /* SQLITE_UPDATE */ || !["household", "person"].contains(k.table) {
                throw StoreError.said("store.exchange.townshipWork", ["table": k.table])
            }
            if k.op == 18 /* SQLITE_INSERT */, let id = integer(k.condition, "id"), id >= IdBlock.size, k.condition.hasPrefix("\"id\" IS") {
                throw StoreError.said("store.exchange.townshipWork", ["table": k.table])
            }
        }
    }

    /// Keep the changeset of the transaction that made it.
    static func record(_ db: Database, _ changes: Data) throws {
        guard !changes.isEmpty else { return }
        try db.cachedStatement(sql: """
            INSERT INTO exchange_outbox(at, audit_to, changes) VALUES (?, (SELECT max(id) FROM audit), ?)
            """).execute(arguments: [Timestamp.now(), changes])
    }
}

extension Store {
    /// Start recording this file's changes for the exchange, as `side` ("township" or
    /// "county"); the administrator's act is audited.
    ///
    /// A township's file moves its rows into its block of the id space (its township digits ×
    /// 2^40; the references with them; the audit rows before keep the numbers they named, the
    /// offset is in this act's audit row), places its next ids there, and records as its first
    /// outbox entry a baseline: every row it holds, as inserts — SQLite's own
    /// `sqlite3session_diff` against an empty copy of the tables — so the county's file receives
    /// the township as it is and then each change. A county's file is one made for the county
    /// bureau (township digits 000: block 0) and records from its next change on.
    public func startExchange(side: String, by user: String) throws {
        if let d = damaged { throw StoreError.corrupt(path: path, detail: d) }
        guard side == "township" || side == "county" else { throw StoreError.said("store.exchange.wrongSide", ["block": side]) }
        try writer.writeWithoutTransaction { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").filter(IdBlock.exchanged)
            try db.execute(sql: "ATTACH DATABASE ':memory:' AS jz_blank")
            defer { try? db.execute(sql: "DETACH DATABASE jz_blank") }
            for t in tables {
                let sql = try String.fetchOne(db, sql: "SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = ?", arguments: [t]) ?? ""
                guard let r = sql.range(of: "CREATE TABLE \(t)") ?? sql.range(of: "CREATE TABLE \"\(t)\"") else {
                    throw StoreError.invalid("exchange start: cannot read the declaration of \(t)")
                }
                try db.execute(sql: sql.replacingCharacters(in: r, with: "CREATE TABLE jz_blank.\"\(t)\""))
            }
            try db.inTransaction(.immediate) {
                try Store.authorize(db, user, .manageUsers)
                if try Store.exchangeSide(db) != nil { throw StoreError.said("store.exchange.started") }
                guard let code = try Store.setting(db, "office.township_code"), let block = IdBlock.of(townshipCode: code),
                      (side == "county") == (block == 0) else {
                    throw StoreError.said("store.exchange.wrongSide", ["block": try Store.setting(db, "office.township_code") ?? "—"])
                }
                var detail = ["side": side, "block": String(block)]
                if side == "township" {
                    let offset = block * IdBlock.size
                    try IdBlock.renumber(db, offset: offset)
                    try IdBlock.reserve(db, from: offset)
                    var session: OpaquePointer?
                    guard jz_session_begin(UnsafeMutableRawPointer(db.sqliteConnection), &session) == 0, let session else {
                        throw StoreError.invalid("sqlite3session_create")
                    }
                    defer { jz_session_end(session) }
                    for t in tables {
                        let rc = jz_session_diff(session, "jz_blank", t)
                        guard rc == 0 else { throw StoreError.invalid("sqlite3session_diff \(t): \(rc)") }
                    }
                    var size: Int32 = 0
                    var bytes: UnsafeMutableRawPointer?
                    guard jz_session_changeset(session, &size, &bytes) == 0 else { throw StoreError.invalid("sqlite3session_changeset") }
                    defer { jz_free(bytes) }
                    let baseline = bytes.map { Data(bytes: $0, count: Int(size)) } ?? Data()
                    try Changes.record(db, baseline)
                    detail["offset"] = String(offset)
                    detail["baselineRows"] = String(Changes.count(baseline) ?? 0)
                }
                try db.execute(sql: "INSERT OR REPLACE INTO exchange_state(key, value) VALUES ('side', ?)", arguments: [side])
                // The file's own id: a package names it, so a copy of a file (or another file under
                // the same township code) is told apart at the receiver.
                try db.execute(sql: "INSERT OR IGNORE INTO exchange_state(key, value) VALUES ('file_id', ?)",
                               arguments: [UUID().uuidString.lowercased()])
                try Audit.append(db, user: user, action: "exchange.start", entity: "office", entityId: side, detail: Audit.detail(detail))
                return .commit
            }
        }
    }

    /// The changes recorded since outbox entry `after`, as one changeset, and the last entry it holds.
    public func outbox(after: Int64) throws -> (changes: Data, last: Int64) {
        try read { db in try Changes.outbox(db, after: after) }
    }

    /// Apply the other side's changes (an exchange package's changeset), all or nothing, with
    /// an audit row naming how many rows changed; not recorded for sending back.
    @discardableResult
    public func applyChanges(_ changes: Data, from origin: String, by user: String) throws -> Int {
        guard let n = Changes.count(changes) else { throw StoreError.said("store.exchange.unreadable", ["code": "-1"]) }
        return try write(capture: false) { db in
            try Store.authorize(db, user, .manageUsers)
            try Changes.applyKeepingDigests(db, changes)
            try Audit.append(db, user: user, action: "exchange.apply", entity: "office", entityId: origin,
                             detail: Audit.detail(["rows": String(n)]))
            return n
        }
    }
}
