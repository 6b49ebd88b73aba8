import Crypto
import Foundation
import GRDB
import JiuzhuModel

/// The audit log: every change a user makes writes a row in the same transaction, and each
/// row's hash covers the previous row's hash, so an edited or deleted row breaks the chain.
public enum Audit {
    public static let genesis = String(repeating: "0", count: 64)

    public struct Entry: Equatable, Sendable {
        public var id: Int64
        public var at: String
        public var user: String
        public var action: String
        public var entity: String
        public var entityId: String
        public var detail: String
        public var prevHash: String
        public var hash: String
    }

    /// The bytes a row's hash covers: its fields joined with the ASCII unit separator.
    static func canonical(id: Int64, at: String, user: String, action: String, entity: String, entityId: String, detail: String) -> String {
        [String(id), at, user, action, entity, entityId, detail].joined(separator: "\u{1F}")
    }

    static func hash(prev: String, canonical: String) -> String {
        var h = SHA256()
        h.update(data: Data(prev.utf8))
        h.update(data: Data(canonical.utf8))
        return Hex.string(h.finalize())
    }

    /// Encode a before/after detail as canonical JSON (sorted keys).
    public static func detail(_ fields: [String: String?]) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let clean = fields.mapValues { $0 ?? "" }
        return String(decoding: (try? enc.encode(clean)) ?? Data("{}".utf8), as: UTF8.self)
    }

    public static func detail<T: Encodable>(_ value: T) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? enc.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// Append one row. Call inside the transaction that makes the change.
    @discardableResult
    public static func append(_ db: Database, user: String, action: String, entity: String, entityId: String, detail: String) throws -> Int64 {
        let last = try Row.fetchOne(db, sql: "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
        let id: Int64 = (last?["id"] as Int64? ?? 0) + 1
        let prev: String = last?["hash"] ?? genesis
        let at = Timestamp.now()
        let h = hash(prev: prev, canonical: canonical(id: id, at: at, user: user, action: action, entity: entity, entityId: entityId, detail: detail))
        // The row's key (HMAC of its hash) comes from jz_mac, which only this program's
        // connections have: the key itself is in a file beside the database, not in it.
        try db.execute(sql: """
            INSERT INTO audit(id, at, user, action, entity, entity_id, detail, prev_hash, hash, mac)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, jz_mac(?))
            """, arguments: [id, at, user, action, entity, entityId, detail, prev, h, h])
        return id
    }

    public enum Verdict: Equatable, Sendable {
        case intact(rows: Int)
        case broken(atRow: Int64, reason: Reason)
    }

    /// Why the chain is not whole, by its key in `screens/strings-store.json` (area
    /// `store.verify.`) with the values it fills: the store stays language-neutral and the
    /// command line and the screens say it in the user's language.
    public struct Reason: Equatable, Sendable, CustomStringConvertible {
        public let key: String
        public let values: [String: String]
        public init(_ key: String, _ values: [String: String] = [:]) {
            self.key = key
            self.values = values
        }
        public func text(_ lang: Lang) -> String { say(key, lang, values) }
        public var description: String { text(.en) }

        /// Row `to` (or rows `from`–`to`) missing `since` a recorded head (anchor or backup).
        static func missing(from: Int, to: Int64, anchorAt at: String) -> Reason {
            Int64(from) == to ? Reason("store.verify.rowMissingSinceAnchor", ["row": "\(to)", "at": at])
                              : Reason("store.verify.rowsMissingSinceAnchor", ["from": "\(from)", "to": "\(to)", "at": at])
        }
        static func missing(from: Int, to: Int64, backupAt at: String, file: String) -> Reason {
            Int64(from) == to ? Reason("store.verify.rowMissingSinceBackup", ["row": "\(to)", "at": at, "file": file])
                              : Reason("store.verify.rowsMissingSinceBackup", ["from": "\(from)", "to": "\(to)", "at": at, "file": file])
        }
    }

    /// The key of an audit row: HMAC of its hash with the office's key.
    static func mac(_ key: SymmetricKey, hash: String) -> String { KeyFile.mac(key, hash) }

    /// Walk the chain from the first row; with `key`, each row's key is checked too (a chain
    /// edited and hashed again without the key fails there). Reads with a cursor, so a long
    /// log needs little memory.
    public static func verify(_ db: Database, key: SymmetricKey? = nil) throws -> Verdict {
        var prev = genesis
        var expectedId: Int64 = 1
        var count = 0
        let keyed = try db.columns(in: "audit").contains { $0.name == "mac" }
        let cursor = try Row.fetchCursor(db, sql: "SELECT id, at, user, action, entity, entity_id, detail, prev_hash, hash\(keyed ? ", mac" : "") FROM audit ORDER BY id")
        while let r = try cursor.next() {
            let id: Int64 = r["id"]
            if id != expectedId { return .broken(atRow: expectedId, reason: Reason("store.verify.rowMissing", ["row": "\(expectedId)"])) }
            let storedPrev: String = r["prev_hash"]
            if storedPrev != prev { return .broken(atRow: id, reason: Reason("store.verify.prevHashMismatch", ["row": "\(id)", "prev": "\(id - 1)"])) }
            let c = canonical(id: id, at: r["at"], user: r["user"], action: r["action"], entity: r["entity"], entityId: r["entity_id"], detail: r["detail"])
            let h = hash(prev: prev, canonical: c)
            if h != r["hash"] as String { return .broken(atRow: id, reason: Reason("store.verify.rowAltered", ["row": "\(id)"])) }
            if let key, keyed, (r["mac"] as String?) != mac(key, hash: h) {
                return .broken(atRow: id, reason: Reason("store.verify.rowNotKeyed", ["row": "\(id)"]))
            }
            prev = h
            expectedId += 1
            count += 1
        }
        return .intact(rows: count)
    }

    public static func entries(_ db: Database, limit: Int = 100) throws -> [Entry] {
        try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id DESC LIMIT ?", arguments: [limit]).map {
            Entry(row: $0)
        }
    }
}

enum Timestamp {
    static func now() -> String {
        ClockText.utc(Date())
    }
}

extension Store {
    /// The whole check: the chain's links and keys, the anchor beside the database (rows cut
    /// from the end), the heads the backups' sidecars record (the database and its anchor put
    /// back together to an older copy; see `ChainRecords`), and the guarded tables' digests
    /// (rows changed with no audit row).
    public func verifyAudit() throws -> Audit.Verdict {
        try read { db in
            let v = try Audit.verify(db, key: key)
            guard case .intact(let n) = v else { return v }
            let keyed = try db.columns(in: "audit").contains { $0.name == "mac" }
                && (try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM audit WHERE mac IS NOT NULL)") ?? false)
            guard let key else {
                if keyed { return .broken(atRow: 1, reason: Audit.Reason("store.verify.keyFileMissing", ["path": keyPath])) }
                return v
            }
            if anchorPath.isEmpty {
                // In memory (tests): no file to anchor to.
            } else if let anchor = KeyFile.readAnchor(anchorPath) {
                guard case .success(let a) = anchor, a.valid(key) else {
                    return .broken(atRow: Int64(n), reason: Audit.Reason("store.verify.anchorDamaged", ["path": anchorPath]))
                }
                if a.id > n {
                    return .broken(atRow: Int64(n) + 1, reason: .missing(from: n + 1, to: a.id, anchorAt: a.at))
                }
                let h = try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE id = ?", arguments: [a.id])
                if a.id > 0, h != a.hash { return .broken(atRow: a.id, reason: Audit.Reason("store.verify.rowReplacedSinceAnchor", ["row": "\(a.id)", "at": a.at])) }
            } else if n > 0, keyed {
                return .broken(atRow: Int64(n), reason: Audit.Reason("store.verify.anchorMissing", ["path": anchorPath]))
            }
            // The backups' sidecars: a database put back with its anchor to an older copy.
            if !anchorPath.isEmpty,
               let r = try ChainRecords.rollback(db, rows: n, database: String(keyPath.dropLast(".key".count)), key: key) { return r }
            let tables = try Guarded.check(db, key: key)
            if !tables.isEmpty {
                return .broken(atRow: Int64(n), reason: Audit.Reason("store.verify.changedWithoutAudit", ["tables": tables.joined(separator: ", ")]))
            }
            return v
        }
    }

    /// The chain's head as the anchor file records it ("#57 3f2a9c1b4e0d"), for prints.
    public func anchorText() -> String? {
        guard case .success(let a)? = KeyFile.readAnchor(anchorPath) else { return nil }
        return a.short
    }
}

extension Store {
    /// A screenful of the audit log, newest first: the newest `limit` rows, those older than
    /// `olderThan`, or those newer than `newerThan` (read by the primary key, so any page of a
    /// long log costs the same).
    public func auditPage(olderThan: Int64? = nil, newerThan: Int64? = nil, limit: Int) throws -> [Audit.Entry] {
        try read { db in
            let rows: [Row]
            if let n = newerThan {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE id > ? ORDER BY id LIMIT ?", arguments: [n, limit]).reversed()
            } else if let o = olderThan {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?", arguments: [o, limit])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id DESC LIMIT ?", arguments: [limit])
            }
            return rows.map(Audit.Entry.init(row:))
        }
    }

    /// The newest audit row's id (the log's length: ids run from 1 with no gap while it is whole).
    public func auditNewest() throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM audit") ?? 0 }
    }
}

extension Audit.Entry {
    /// A row of `audit` (or of a table with its columns: an exchange package's, the senders' at the county).
    init(row r: Row) {
        self.init(id: r["id"], at: r["at"], user: r["user"], action: r["action"], entity: r["entity"],
                  entityId: r["entity_id"], detail: r["detail"], prevHash: r["prev_hash"], hash: r["hash"])
    }
}
