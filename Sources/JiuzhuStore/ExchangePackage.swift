import Crypto
import Foundation
import GRDB
import JiuzhuModel

/// An exchange package (issue 25): a small SQLite file carrying one file's changes since its
/// last package — the sender's township code and file id, the outbox range, the previous
/// package's hash, the sender's audit rows of the range with their chain hashes, and the
/// changeset with its SHA-256. The receiver checks continuity before it applies anything: the
/// same file under the same township code, the range right after the last one applied from it
/// (no gap, no replay), linked to the previous package's hash, the audit rows continuing that
/// file's chain; then applies, stores the rows and the receipt and writes its own audit row, in
/// one transaction.
public struct ExchangePackage: Equatable, Sendable {
    public static let format = "jiuzhu-exchange-2"
    public var township: String
    /// Whom it is for: the county bureau's code (county digits and 000000) for a township's
    /// package; the township's code for one of the county's, which carries that township's
    /// records and what the county decides for all (standards, campaigns) only.
    public var to: String
    public var fileId: String
    public var side: String
    public var fromSeq: Int64
    public var toSeq: Int64
    public var previous: String
    public var changes: Data
    public var audit: [Audit.Entry]

    /// The package's own hash: its header and its changes (the next package names it).
    public var sha256: String {
        var h = SHA256()
        h.update(data: Data([Self.format, township, to, fileId, side, String(fromSeq), String(toSeq), previous,
                             audit.last?.hash ?? ""].joined(separator: "\u{1F}").utf8))
        h.update(data: changes)
        return Hex.string(h.finalize())
    }

    static func changesSHA(_ d: Data) -> String { Hex.string(SHA256.hash(data: d)) }

    /// Save the package as `path`: a new SQLite file (mode 0600; an existing file is not
    /// overwritten), removed again if writing it fails (a full disk leaves no half package).
    public func save(as path: String) throws {
        if FileManager.default.fileExists(atPath: path) { throw StoreError.said("store.exchange.exists", ["path": path]) }
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw StoreError.said("store.exchange.cannotWrite", ["path": path])
        }
        do {
            let q = try DatabaseQueue(path: path)
            defer { try? q.close() }
            try q.write { db in
                try db.execute(sql: """
                    CREATE TABLE package(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                    CREATE TABLE audit_row(id INTEGER PRIMARY KEY, at TEXT, user TEXT, action TEXT, entity TEXT, entity_id TEXT,
                        detail TEXT, prev_hash TEXT, hash TEXT);
                    CREATE TABLE changes(data BLOB NOT NULL);
                    """)
                for (k, v) in [("format", Self.format), ("township", township), ("to", to), ("file_id", fileId), ("side", side),
                               ("from_seq", String(fromSeq)), ("to_seq", String(toSeq)), ("previous", previous),
                               ("changes_sha256", Self.changesSHA(changes)), ("sha256", sha256)] {
                    try db.execute(sql: "INSERT INTO package VALUES (?, ?)", arguments: [k, v])
                }
                for a in audit {
                    try db.execute(sql: "INSERT INTO audit_row VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                   arguments: [a.id, a.at, a.user, a.action, a.entity, a.entityId, a.detail, a.prevHash, a.hash])
                }
                try db.execute(sql: "INSERT INTO changes VALUES (?)", arguments: [changes])
            }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    /// Read a package, refusing one that is not a package, is damaged, or whose changes do not
    /// match their hash.
    public static func read(_ path: String) throws -> ExchangePackage {
        let bad = { (why: String) in StoreError.said("store.exchange.notAPackage", ["path": path, "why": why]) }
        var config = Configuration()
        config.readonly = true
        let q: DatabaseQueue
        do { q = try DatabaseQueue(path: path, configuration: config) } catch { throw bad("\(error)") }
        defer { try? q.close() }
        do {
            return try q.read { db in
                guard try String.fetchOne(db, sql: "PRAGMA quick_check") == "ok" else { throw bad("quick_check") }
                let h = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT key, value FROM package")
                    .map { ($0["key"] as String, $0["value"] as String) })
                guard h["format"] == format, let township = h["township"], let to = h["to"], let fileId = h["file_id"], let side = h["side"],
                      let from = h["from_seq"].flatMap({ Int64($0) }), let toSeq = h["to_seq"].flatMap({ Int64($0) }) else {
                    throw bad("header")
                }
                let changes = try Data.fetchOne(db, sql: "SELECT data FROM changes") ?? Data()
                guard changesSHA(changes) == h["changes_sha256"], Changes.count(changes) != nil else { throw bad("changes") }
                let audit = try Row.fetchAll(db, sql: "SELECT * FROM audit_row ORDER BY id").map(Audit.Entry.init(row:))
                let p = ExchangePackage(township: township, to: to, fileId: fileId, side: side, fromSeq: from, toSeq: toSeq,
                                        previous: h["previous"] ?? "", changes: changes, audit: audit)
                guard p.sha256 == h["sha256"] else { throw bad("sha256") }
                return p
            }
        } catch let e as StoreError { throw e } catch { throw bad("\(error)") }
    }
}

/// What a file has sent and received.
public struct ExchangeStatus: Sendable {
    public struct Received: Sendable {
        public var township: String
        public var fileId: String
        public var packages: Int
        public var lastSeq: Int64
        public var lastAt: String
        /// Days since its last package arrived, and whether that is past `exchange_overdue_days`.
        public var daysSince: Int
        public var overdue: Bool
    }
    public var side: String?
    public var fileId: String?
    /// At the county: the last outbox entry sent to each township, by its code.
    public var sentTo: [String: Int64]
    public var recorded: Int
    public var lastSent: Int64
    public var waiting: Int
    public var received: [Received]
}

extension Store {
    static func exchangeValue(_ db: Database, _ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM exchange_state WHERE key = ?", arguments: [key])
    }

    static func setExchangeValue(_ db: Database, _ key: String, _ value: String) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO exchange_state(key, value) VALUES (?, ?)", arguments: [key, value])
    }

    /// Write a package of every change recorded since the last package to `path`, and remember
    /// it as sent. A township's goes to its county. The county writes one per township
    /// (`township`, its 12-digit code): that township's records and what the county decided
    /// for all, each township's range and chain kept apart (`last_sent.CODE`…).
    public func exportPackage(to path: String, township destination: String? = nil, by user: String) throws -> ExchangePackage {
        try write(capture: false) { db in
            try Store.authorize(db, user, .manageUsers)
            guard let side = try Store.exchangeValue(db, "side"), let fileId = try Store.exchangeValue(db, "file_id") else {
                throw StoreError.said("store.exchange.notStarted")
            }
            let township = try Store.setting(db, "office.township_code") ?? ""
            let county = String(township.prefix(6)) + "000000"
            var to = county, suffix = ""
            var block: Int64?
            if side == "county" {
                guard let d = destination, let b = IdBlock.of(townshipCode: d), b > 0, d.hasPrefix(String(county.prefix(6))) else {
                    throw StoreError.said("store.exchange.whichTownship", ["township": destination ?? ""])
                }
                to = d; suffix = "." + d; block = b
            }
            let lastSeq = Int64(try Store.exchangeValue(db, "last_sent" + suffix) ?? "0") ?? 0
            let lastAudit = Int64(try Store.exchangeValue(db, "last_sent_audit" + suffix) ?? "0") ?? 0
            var (changes, last) = try Changes.outbox(db, after: lastSeq)
            guard last > lastSeq else { throw StoreError.said("store.exchange.nothingToSend") }
            if let block, let keys = try Changes.keys(db, changes) {
                let owners = try Changes.blocks(db, keys)
                changes = try Changes.filter(changes, keep: owners.map { $0 == nil || $0 == block })
            }
            let audit = try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE id > ? ORDER BY id", arguments: [lastAudit])
                .map(Audit.Entry.init(row:))
            let p = ExchangePackage(township: township, to: to, fileId: fileId, side: side, fromSeq: lastSeq + 1, toSeq: last,
                                    previous: try Store.exchangeValue(db, "last_sent_sha256" + suffix) ?? "", changes: changes, audit: audit)
            try p.save(as: path)
            try Store.setExchangeValue(db, "last_sent" + suffix, String(last))
            try Store.setExchangeValue(db, "last_sent_sha256" + suffix, p.sha256)
            if let a = audit.last { try Store.setExchangeValue(db, "last_sent_audit" + suffix, String(a.id)) }
            try Audit.append(db, user: user, action: "exchange.export", entity: "package", entityId: p.sha256,
                             detail: Audit.detail(["file": path, "to": to, "from": String(p.fromSeq), "to_seq": String(last),
                                                   "rows": String(Changes.count(changes) ?? 0)]))
            return p
        }
    }

    /// Check a package's continuity and apply it, all or nothing (see `ExchangePackage`).
    @discardableResult
    public func importPackage(from path: String, by user: String) throws -> ExchangePackage {
        let p = try ExchangePackage.read(path)
        try write(capture: false) { db in
            try Store.authorize(db, user, .manageUsers)
            if let mine = try Store.exchangeValue(db, "file_id"), mine == p.fileId {
                throw StoreError.said("store.exchange.ownPackage")
            }
            let me = try Store.setting(db, "office.township_code") ?? ""
            if p.to != me { throw StoreError.said("store.exchange.notForUs", ["to": p.to, "me": me]) }
            // Each side sends only what it owns: a township its own records, the county this
            // township's and its own. A change to another township's record is refused whole.
            guard let keys = try Changes.keys(db, p.changes) else { throw StoreError.said("store.exchange.unreadable", ["code": "-1"]) }
            do {
                let sender = IdBlock.of(townshipCode: p.township) ?? -1
                let mine = IdBlock.of(townshipCode: me) ?? -1
                for (i, b) in try Changes.blocks(db, keys).enumerated() {
                    if let b, b != (p.side == "county" ? mine : sender) {
                        throw StoreError.said("store.exchange.foreignRows", ["table": keys[i].table, "township": String(format: "%03lld", b)])
                    }
                }
            }
            if let other = try String.fetchOne(db, sql: "SELECT file_id FROM exchange_inbox WHERE township = ? AND file_id <> ? LIMIT 1",
                                               arguments: [p.township, p.fileId]) {
                throw StoreError.said("store.exchange.foreign", ["township": p.township, "known": String(other.prefix(8)),
                                                                 "file": String(p.fileId.prefix(8))])
            }
            let last = try Row.fetchOne(db, sql: "SELECT to_seq, sha256 FROM exchange_inbox WHERE file_id = ? ORDER BY to_seq DESC LIMIT 1",
                                        arguments: [p.fileId])
            let expected = (last?["to_seq"] as Int64? ?? 0) + 1
            if p.fromSeq != expected {
                throw StoreError.said(p.fromSeq < expected ? "store.exchange.replay" : "store.exchange.gap",
                                      ["from": String(p.fromSeq), "expected": String(expected)])
            }
            if p.previous != (last?["sha256"] as String? ?? "") { throw StoreError.said("store.exchange.chainBroken") }
            // The sender's audit rows continue the chain already received from that file.
            var prev = try String.fetchOne(db, sql: "SELECT hash FROM exchange_audit WHERE file_id = ? ORDER BY id DESC LIMIT 1",
                                           arguments: [p.fileId])
            for a in p.audit {
                let h = Audit.hash(prev: a.prevHash, canonical: Audit.canonical(id: a.id, at: a.at, user: a.user, action: a.action,
                                                                                 entity: a.entity, entityId: a.entityId, detail: a.detail))
                if h != a.hash || (prev != nil && a.prevHash != prev) {
                    throw StoreError.said("store.exchange.auditBroken", ["row": String(a.id)])
                }
                prev = a.hash
                try db.execute(sql: "INSERT INTO exchange_audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               arguments: [p.fileId, a.id, a.at, a.user, a.action, a.entity, a.entityId, a.detail, a.prevHash, a.hash])
            }
            try Changes.applyKeepingDigests(db, p.changes, keys: keys)
            // The steps it brings, numbered as this package's arrival (for the rosters' back pay).
            do {
                let seq = (try Int64.fetchOne(db, sql: "SELECT max(seq) FROM exchange_arrival") ?? 0) + 1
                for k in keys where k.table == "case_step" && k.op == 18 {
                    if let id = Changes.integer(k.condition, "id") {
                        try db.execute(sql: "INSERT OR REPLACE INTO exchange_arrival(step_id, seq) VALUES (?, ?)", arguments: [id, seq])
                    }
                }
            }
            try db.execute(sql: "INSERT INTO exchange_inbox VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [p.fileId, p.township, p.fromSeq, p.toSeq, p.sha256, Timestamp.now(), user])
            try Audit.append(db, user: user, action: "exchange.import", entity: "package", entityId: p.sha256,
                             detail: Audit.detail(["township": p.township, "from": String(p.fromSeq), "to": String(p.toSeq),
                                                   "rows": String(Changes.count(p.changes) ?? 0), "auditRows": String(p.audit.count)]))
        }
        return p
    }

    public func exchangeStatus(today: CivilDate = .today) throws -> ExchangeStatus {
        try read { db in
            // The county sends to each township apart: what waits is what the township sent to
            // least recently has not had.
            let side = try Store.exchangeValue(db, "side")
            var sentTo: [String: Int64] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT key, value FROM exchange_state WHERE key LIKE 'last\\_sent.%' ESCAPE '\\'") {
                let k: String = r["key"]
                sentTo[String(k.dropFirst("last_sent.".count))] = Int64(r["value"] as String) ?? 0
            }
            var lastSent = Int64(try Store.exchangeValue(db, "last_sent") ?? "0") ?? 0
            if side == "county" {
                let known = try String.fetchAll(db, sql: "SELECT DISTINCT township FROM exchange_inbox")
                lastSent = known.map { sentTo[$0] ?? 0 }.min() ?? 0
            }
            let limit = try Store.intSetting(db, "exchange_overdue_days", default: 35)
            let received = try Row.fetchAll(db, sql: """
                SELECT township, file_id, count(*) AS n, max(to_seq) AS seq, max(applied_at) AS at FROM exchange_inbox
                GROUP BY file_id ORDER BY township
                """).map { r -> ExchangeStatus.Received in
                    let at: String = r["at"]
                    let days = CivilDate(iso: String(at.prefix(10))).map { $0.days(until: today) } ?? 0
                    return ExchangeStatus.Received(township: r["township"], fileId: r["file_id"], packages: r["n"],
                                                   lastSeq: r["seq"], lastAt: at, daysSince: days, overdue: days > limit)
                }
            return ExchangeStatus(side: side, fileId: try Store.exchangeValue(db, "file_id"), sentTo: sentTo,
                                  recorded: try Int.fetchOne(db, sql: "SELECT count(*) FROM exchange_outbox") ?? 0,
                                  lastSent: lastSent,
                                  waiting: try Int.fetchOne(db, sql: "SELECT count(*) FROM exchange_outbox WHERE seq > ?", arguments: [lastSent]) ?? 0,
                                  received: received)
        }
    }
}
