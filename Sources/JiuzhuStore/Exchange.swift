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

    /// Apply a changeset inside the current transaction, all or nothing: a conflict (a row the
    /// changeset inserts already there, or one it changes or deletes missing or different)
    /// leaves nothing of it applied and throws `store.exchange.conflict`.
    static func apply(_ db: Database, _ changes: Data) throws {
        guard !changes.isEmpty else { return }
        var conflicts: Int32 = 0, reason: Int32 = 0
        var table = [CChar](repeating: 0, count: 64)
        let rc = changes.withUnsafeBytes { raw in
            jz_changeset_apply_strict(UnsafeMutableRawPointer(db.sqliteConnection), Int32(raw.count), raw.baseAddress,
                                      &conflicts, &reason, &table, Int32(table.count))
        }
        if rc != 0 || conflicts > 0 {
            let kind = ["", "data", "notfound", "conflict", "constraint", "foreign_key"]
            let name = String(decoding: table.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw StoreError.said("store.exchange.conflict", ["table": name, "kind": kind.indices.contains(Int(reason)) ? kind[Int(reason)] : String(reason),
                                                              "code": String(rc)])
        }
    }

    /// Apply with the keyed digests kept: the triggers are off while the changes apply, so the
    /// digests take the delta of the rows they touch instead (never a refold, see Guarded.folding).
    static func applyKeepingDigests(_ db: Database, _ changes: Data) throws {
        guard let keys = try keys(db, changes) else { throw StoreError.said("store.exchange.unreadable", ["code": "-1"]) }
        try Guarded.folding(db, rows: keys) { try apply(db, changes) }
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
    static func keys(_ db: Database, _ changes: Data) throws -> [(table: String, condition: String)]? {
        final class Box { var items: [(String, String)] = [] }
        let box = Box()
        let rc = changes.withUnsafeBytes { raw in
            jz_changeset_keys(Int32(raw.count), raw.baseAddress, Unmanaged.passUnretained(box).toOpaque()) { ctx, table, key in
                guard let ctx, let table, let key else { return }
                Unmanaged<Box>.fromOpaque(ctx).takeUnretainedValue().items.append((String(cString: table), String(cString: key)))
            }
        }
        guard rc == 0 else { return nil }
        var columns: [String: [String]] = [:]
        return try box.items.map { table, key in
            if columns[table] == nil {
                columns[table] = try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table]).map { $0[0] }
            }
            let names = columns[table] ?? []
            let parts = key.split(separator: "\u{1E}").compactMap { part -> String? in
                guard let eq = part.firstIndex(of: "="), let i = Int(part[..<eq]), names.indices.contains(i) else { return nil }
                return "\"\(names[i])\" IS \(part[part.index(after: eq)...])"
            }
            return (table, parts.joined(separator: " AND "))
        }
    }

    /// Whether this file records its changes for an exchange (`exchange_state` names its side).
    static func capturing(_ db: Database) throws -> Bool {
        try db.tableExists("exchange_state")
            && (try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM exchange_state WHERE key = 'side'")) ?? false)
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
    /// "county"). Recorded from the next change on; the administrator's act is audited.
    public func startExchange(side: String, by user: String) throws {
        try write { db in
            try Store.authorize(db, user, .manageUsers)
            try db.execute(sql: "INSERT OR REPLACE INTO exchange_state(key, value) VALUES ('side', ?)", arguments: [side])
            // The file's own id: a package names it, so a copy of a file (or another file under
            // the same township code) is told apart at the receiver.
            try db.execute(sql: "INSERT OR IGNORE INTO exchange_state(key, value) VALUES ('file_id', ?)",
                           arguments: [UUID().uuidString.lowercased()])
            try Audit.append(db, user: user, action: "exchange.start", entity: "office", entityId: side, detail: "{}")
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
