// `@preconcurrency`: swift-crypto 3.12 does not mark `SymmetricKey` Sendable, yet it is an
// immutable value (no mutating member; its bytes are written once, when it is made), so the
// office key is shared by the database's connections, each on its own queue, as GRDB's
// `prepareDatabase` and SQL functions require (@Sendable closures).
@preconcurrency import Crypto
import Foundation
import GRDB
import JiuzhuModel

/// The office's key and the chain's anchor, two small files beside the database that are not in
/// it: `NAME.key` (32 random bytes as hex, mode 0600) keys every audit row and the guarded
/// tables' digests (HMAC-SHA256), so a chain edited and hashed again with a SQLite tool no
/// longer verifies; `NAME.anchor` holds the newest audit row's id and hash (keyed), rewritten
/// after every change, so rows cut from the end of the log are noticed.
public enum KeyFile {
    public static func keyPath(for database: String) -> String { database + ".key" }
    public static func anchorPath(for database: String) -> String { database + ".anchor" }

    /// The key stored at `path`, nil if there is no such file; a damaged file is an error.
    static func load(_ path: String) throws -> SymmetricKey? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
              text.count == 64, let bytes = hexBytes(text) else {
            throw StoreError.keyFileDamaged(path: path)
        }
        return SymmetricKey(data: bytes)
    }

    /// Make a new key file (0600; never replaces one).
    static func create(_ path: String) throws -> SymmetricKey {
        let key = SymmetricKey(size: .bits256)
        let hex = Hex.string(key.withUnsafeBytes { Data($0) })
        try SafeFile.stream(to: path, force: false, unchecked: true) { try $0.write(hex + "\n") }
        return key
    }

    static func hexBytes(_ s: String) -> [UInt8]? {
        var out: [UInt8] = []
        var it = s.utf8.makeIterator()
        while let a = it.next() {
            guard let b = it.next(), let hi = nibble(a), let lo = nibble(b) else { return nil }
            out.append(hi << 4 | lo)
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }

    static func mac(_ key: SymmetricKey, _ text: String) -> String {
        Hex.string(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key))
    }

    /// The head of the chain as last written.
    public struct Anchor: Equatable, Sendable {
        public var id: Int64
        public var hash: String
        public var at: String
        public var mac: String

        func text() -> String { "jiuzhu-anchor 1\nid \(id)\nhash \(hash)\nat \(at)\nmac \(mac)\n" }

        static func parse(_ text: String) -> Anchor? {
            var f: [String: String] = [:]
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
                if parts.count == 2 { f[parts[0]] = parts[1] }
            }
            guard let id = f["id"].flatMap({ Int64($0) }), let h = f["hash"], let at = f["at"], let m = f["mac"] else { return nil }
            return Anchor(id: id, hash: h, at: at, mac: m)
        }

        static func signed(id: Int64, hash: String, at: String, key: SymmetricKey) -> Anchor {
            Anchor(id: id, hash: hash, at: at, mac: KeyFile.mac(key, "anchor\u{1F}\(id)\u{1F}\(hash)\u{1F}\(at)"))
        }

        func valid(_ key: SymmetricKey) -> Bool { Anchor.signed(id: id, hash: hash, at: at, key: key).mac == mac }

        /// "#57 3f2a9c1b" for a print's footer.
        public var short: String { "#\(id) \(hash.prefix(12))" }
    }

    /// The anchor at `path`: nil when there is none; `.failure` when it cannot be read.
    static func readAnchor(_ path: String) -> Result<Anchor, StoreError>? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let d = FileManager.default.contents(atPath: path), let a = Anchor.parse(String(decoding: d, as: UTF8.self)) else {
            return .failure(.keyFileDamaged(path: path))
        }
        return .success(a)
    }

    /// Write the anchor (whole or not at all; no fsync: an anchor a little behind is harmless).
    static func writeAnchor(_ a: Anchor, to path: String) {
        try? SafeFile.stream(to: path, force: true, unchecked: true, sync: false) { try $0.write(a.text()) }
    }
}

/// Writes the chain's head to the anchor file after every transaction that added audit rows.
final class AnchorKeeper: TransactionObserver {
    let path: String
    let key: SymmetricKey
    var touched = false
    init(path: String, key: SymmetricKey) { self.path = path; self.key = key }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        if case .insert(let table) = eventKind { return table == "audit" }
        return false
    }
    func databaseDidChange(with event: DatabaseEvent) { touched = true }
    func databaseDidCommit(_ db: Database) {
        guard touched else { return }
        touched = false
        guard let row = try? Row.fetchOne(db, sql: "SELECT id, hash, at FROM audit ORDER BY id DESC LIMIT 1") else { return }
        KeyFile.writeAnchor(.signed(id: row["id"], hash: row["hash"], at: row["at"], key: key), to: path)
    }
    func databaseDidRollback(_ db: Database) { touched = false }
}

/// Tables whose rows may only change through the program: every insert, update and delete is
/// folded by a trigger into a keyed digest per table (`guard_digest`), through SQL functions
/// that exist only in this program's connections. A SQLite tool cannot write these tables (the
/// trigger's function is missing); one that drops the triggers first leaves a digest that no
/// longer matches the rows, which `verify` reports.
public enum Guarded {
    /// Each guarded table and the columns its digest covers.
    static let tables: [(name: String, columns: [String])] = [
        ("assistance_case", ["id", "household_id", "person_id", "programme", "step", "step_since", "status", "applied_on",
                             "monthly_amount_fen", "once_amount_fen", "computed_amount_fen", "covered_members", "urban_class",
                             "village_code", "investigators", "approver", "certificate_no", "override_reason", "version"]),
        ("case_step", ["id", "case_id", "step", "action", "actor", "acted_on", "note", "inputs", "recorded_at"]),
        ("app_user", ["id", "name", "role", "active", "pw_algo", "pw_iterations", "pw_salt", "pw_hash", "version"]),
        ("setting", ["key", "value", "version"]),
        ("payment_roster", ["id", "month", "programme", "state", "made_by", "confirmed_by", "lines", "persons", "total_fen", "without_card", "version"]),
        ("payment_line", ["roster_id", "case_id", "village_code", "payee_name", "payee_id", "bank_card", "persons", "amount_fen"]),
    ]

    static let zero = String(repeating: "0", count: 64)

    /// HMAC of a row: the table's name and each value, typed, joined by U+001F.
    static func rowMac(_ key: SymmetricKey, _ values: [DatabaseValue]) -> String {
        Hex.string(rowMacBytes(key, values))
    }

    /// The same MAC as bytes. The row's bytes are put together first and given to the HMAC at
    /// once: three `update` calls a column, each through the generic `DataProtocol` path with a
    /// `Data` of its own, were 40% of `verify` (issue 26). The bytes are the same.
    static func rowMacBytes(_ key: SymmetricKey, _ values: [DatabaseValue]) -> [UInt8] {
        var buf: [UInt8] = []
        buf.reserveCapacity(256)
        for v in values {
            switch v.storage {
            case .null: buf.append(contentsOf: "n\u{1F}".utf8)
            case .int64(let i): buf.append(UInt8(ascii: "i")); buf.append(contentsOf: String(i).utf8); buf.append(0x1F)
            case .double(let d): buf.append(contentsOf: "d\(d)\u{1F}".utf8)
            case .string(let s):
                buf.append(UInt8(ascii: "s")); buf.append(contentsOf: String(s.utf8.count).utf8); buf.append(UInt8(ascii: ":"))
                buf.append(contentsOf: s.utf8); buf.append(0x1F)
            case .blob(let b):
                buf.append(UInt8(ascii: "b")); buf.append(contentsOf: String(b.count).utf8); buf.append(UInt8(ascii: ":"))
                buf.append(contentsOf: b); buf.append(0x1F)
            }
        }
        var h = HMAC<SHA256>(key: key)
        h.update(data: buf)
        return Array(h.finalize())
    }

    static func xor(_ parts: [String]) -> String {
        var acc = [UInt8](repeating: 0, count: 32)
        for p in parts {
            guard let b = KeyFile.hexBytes(p), b.count == 32 else { continue }
            for i in 0..<32 { acc[i] ^= b[i] }
        }
        return Hex.string(acc)
    }

    /// The SQL functions the triggers and the migration call, bound to `key`.
    static func register(_ db: Database, key: SymmetricKey) {
        db.add(function: DatabaseFunction("jz_row", argumentCount: nil, pure: true) { values in rowMac(key, values) })
        db.add(function: DatabaseFunction("jz_xor", argumentCount: nil, pure: true) { values in
            xor(values.compactMap { String.fromDatabaseValue($0) })
        })
        db.add(function: DatabaseFunction("jz_mac", argumentCount: 1, pure: true) { values in
            KeyFile.mac(key, String.fromDatabaseValue(values[0]) ?? "")
        })
    }

    static func rowCall(_ table: String, _ columns: [String], _ prefix: String) -> String {
        "jz_row('\(table)', " + columns.map { "\(prefix).\"\($0)\"" }.joined(separator: ", ") + ")"
    }

    static func triggerNames(_ table: String) -> [String] { ["jz_guard_\(table)_ins", "jz_guard_\(table)_upd", "jz_guard_\(table)_del"] }

    /// Create any missing trigger (a table rebuilt by a later migration loses its triggers).
    static func installTriggers(_ db: Database) throws {
        for (t, cols) in tables where try db.tableExists(t) {
            let set = "UPDATE guard_digest SET digest = "
            let n = triggerNames(t)
            try db.execute(sql: """
                CREATE TRIGGER IF NOT EXISTS \(n[0]) AFTER INSERT ON \(t) BEGIN
                  \(set)jz_xor(digest, \(rowCall(t, cols, "NEW"))) WHERE tbl = '\(t)'; END;
                CREATE TRIGGER IF NOT EXISTS \(n[1]) AFTER UPDATE OF \(cols.map { "\"\($0)\"" }.joined(separator: ", ")) ON \(t) BEGIN
                  \(set)jz_xor(digest, \(rowCall(t, cols, "OLD")), \(rowCall(t, cols, "NEW"))) WHERE tbl = '\(t)'; END;
                CREATE TRIGGER IF NOT EXISTS \(n[2]) AFTER DELETE ON \(t) BEGIN
                  \(set)jz_xor(digest, \(rowCall(t, cols, "OLD"))) WHERE tbl = '\(t)'; END;
                """)
        }
    }

    static func triggersComplete(_ db: Database) throws -> Bool {
        let have = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'jz_guard_%'"))
        for (t, _) in tables where try db.tableExists(t) {
            if !triggerNames(t).allSatisfy(have.contains) { return false }
        }
        return true
    }

    /// Fold a table's rows as they are now (`key` in Swift, so it works without the functions).
    static func fold(_ db: Database, table: String, columns: [String], key: SymmetricKey) throws -> String {
        var acc = [UInt8](repeating: 0, count: 32)
        let cursor = try Row.fetchCursor(db, sql: "SELECT " + columns.map { "\"\($0)\"" }.joined(separator: ", ") + " FROM \(table)")
        while let r = try cursor.next() {
            let b = rowMacBytes(key, [table.databaseValue] + (0..<columns.count).map { r[$0] as DatabaseValue })
            for i in 0..<32 { acc[i] ^= b[i] }
        }
        return Hex.string(acc)
    }

    /// The guarded tables whose rows no longer match their digest: changed outside the program.
    public static func check(_ db: Database, key: SymmetricKey) throws -> [String] {
        guard try db.tableExists("guard_digest") else { return tables.map(\.name) }
        var bad: [String] = []
        for (t, cols) in tables where try db.tableExists(t) {
            let stored = try String.fetchOne(db, sql: "SELECT digest FROM guard_digest WHERE tbl = ?", arguments: [t])
            if stored != (try fold(db, table: t, columns: cols, key: key)) { bad.append(t) }
        }
        if !(try triggersComplete(db)) { bad.append("triggers") }
        return bad
    }

    /// The migration's part: the digest table, each table's digest as it is, the triggers.
    static func create(_ db: Database) throws {
        try db.execute(sql: "CREATE TABLE guard_digest(tbl TEXT PRIMARY KEY, digest TEXT NOT NULL) WITHOUT ROWID")
        try refold(db)
        try installTriggers(db)
    }

    /// Fold into a table's digest the rows past `afterRowid`, as its insert trigger would have
    /// one by one (for a bulk insert that set that trigger aside in the same transaction).
    static func extend(_ db: Database, table: String, afterRowid: Int64) throws {
        guard let cols = tables.first(where: { $0.name == table })?.columns else { return }
        let stored = try String.fetchOne(db, sql: "SELECT digest FROM guard_digest WHERE tbl = ?", arguments: [table]) ?? zero
        let acc = try xorRows(db, stored, sql: "SELECT " + rowCall(table, cols, table) + " FROM \(table) WHERE rowid > ?",
                              arguments: [afterRowid])
        try db.execute(sql: "UPDATE guard_digest SET digest = ? WHERE tbl = ?", arguments: [acc, table])
    }

    /// Run `body`, which changes the `rows` named (table and SQL condition) with the triggers
    /// off, and fold into each guarded table's digest what the triggers would have: each touched
    /// row's MAC as it was XORed out, as it is now XORed in. Rows not touched are not folded
    /// again, so a change made to them outside the program is still found by `verify`.
    static func folding(_ db: Database, rows: [(table: String, condition: String)], _ body: () throws -> Void) throws {
        guard try db.tableExists("guard_digest") else { return try body() }
        var touched: [String: Set<String>] = [:]
        for r in rows where tables.contains(where: { $0.name == r.table }) && !r.condition.isEmpty {
            touched[r.table, default: []].insert(r.condition)
        }
        func macs() throws -> [String: String] {
            var out: [String: String] = [:]
            for (t, conditions) in touched {
                let cols = tables.first { $0.name == t }!.columns
                var acc = zero
                // Up to 256 rows a statement (each condition names one row by its key, so SQLite
                // reads them through the key's index): one statement a row was 15,000 statements
                // prepared for a month's rosters.
                let list = conditions.sorted()
                for start in stride(from: 0, to: list.count, by: 256) {
                    let chunk = list[start..<min(start + 256, list.count)].map { "(\($0))" }.joined(separator: " OR ")
                    acc = try xorRows(db, acc, sql: "SELECT " + rowCall(t, cols, t) + " FROM \(t) WHERE \(chunk)")
                }
                out[t] = acc
            }
            return out
        }
        let before = try macs()
        try body()
        let after = try macs()
        for (t, b) in before {
            let stored = try String.fetchOne(db, sql: "SELECT digest FROM guard_digest WHERE tbl = ?", arguments: [t]) ?? zero
            try db.execute(sql: "UPDATE guard_digest SET digest = ? WHERE tbl = ?", arguments: [xor([stored, b, after[t] ?? zero]), t])
        }
    }

    /// `start` XOR the row MACs the query yields.
    static func xorRows(_ db: Database, _ start: String, sql: String, arguments: StatementArguments = []) throws -> String {
        var acc = start
        let cursor = try String.fetchCursor(db, sql: sql, arguments: arguments)
        var batch: [String] = []
        while let m = try cursor.next() {
            batch.append(m)
            if batch.count == 1024 { acc = xor([acc] + batch); batch.removeAll(keepingCapacity: true) }
        }
        return xor([acc] + batch)
    }

    /// Each guarded table's digest worked out afresh from its rows (after a bulk load by the
    /// program itself, which sets the triggers aside; never to hide a change).
    static func refold(_ db: Database) throws {
        for (t, cols) in tables where try db.tableExists(t) {
            let acc = try xorRows(db, zero, sql: "SELECT " + rowCall(t, cols, t) + " FROM \(t)")
            try db.execute(sql: "INSERT OR REPLACE INTO guard_digest VALUES (?, ?)", arguments: [t, acc])
        }
    }
}

/// The key of the database at a path, for the command line (nil when there is no key file).
public enum KeyFileAccess {
    public static func key(for database: String) throws -> SymmetricKey? { try KeyFile.load(KeyFile.keyPath(for: database)) }
}
