import Crypto
import Foundation
import GRDB
import JiuzhuModel

/// An exchange package (issue 25): a small SQLite file carrying one file's outbox entries from
/// the first one its addressee has not acknowledged — the sender's township code and file id,
/// the entries each with its changeset and a hash chained to the one before, the sender's audit
/// rows from the last one acknowledged, and the sender's own acknowledgement of what it has
/// applied from the addressee. The receiver checks continuity before it applies anything: the
/// same file under the same township code, the entries reaching past the last one applied from
/// that file with no gap and the chain unbroken (entries it already holds are skipped, so a
/// package sent again after one was lost on the way applies nothing twice; one that brings
/// nothing new is a replay), the audit rows continuing that file's chain; then applies the new
/// entries, stores the rows, the receipt and the acknowledgement, and writes its own audit row,
/// in one transaction.
public struct ExchangePackage: Equatable, Sendable {
    public static let format = "jiuzhu-exchange-3"
    /// One outbox entry of the sender: its changes (at the county, only those for the
    /// addressee), and the hash of (the previous entry's hash, the entry's number, its changes).
    public struct Entry: Equatable, Sendable {
        public var seq: Int64
        public var prev: String
        public var hash: String
        public var changes: Data
    }
    /// What the sender has applied of the addressee's own entries: the addressee's file, the
    /// last entry and its hash, the last of its audit rows held.
    public struct Ack: Equatable, Sendable {
        public var fileId: String
        public var seq: Int64
        public var hash: String
        public var audit: Int64
        public static let none = Ack(fileId: "", seq: 0, hash: "", audit: 0)
    }
    public var township: String
    /// Whom it is for: the county bureau's code (county digits and 000000) for a township's
    /// package; the township's code for one of the county's, which carries that township's
    /// records and what the county decides for all (standards, campaigns) only.
    public var to: String
    public var fileId: String
    public var side: String
    public var entries: [Entry]
    public var audit: [Audit.Entry]
    public var ack: Ack

    public var fromSeq: Int64 { entries.first?.seq ?? 0 }
    public var toSeq: Int64 { entries.last?.seq ?? 0 }
    /// Every entry's changes joined (SQLite's changeset concatenation).
    public func changes(after seq: Int64 = 0) throws -> Data {
        var all = Data()
        for e in entries where e.seq > seq { all = try Changes.concat(all, e.changes) }
        return all
    }
    /// Rows changed in the entries after `seq`.
    public func rows(after seq: Int64 = 0) -> Int {
        entries.filter { $0.seq > seq }.reduce(0) { $0 + (Changes.count($1.changes) ?? 0) }
    }

    static func entryHash(to: String, fileId: String, seq: Int64, prev: String, changes: Data) -> String {
        var h = SHA256()
        h.update(data: Data([format, to, fileId, String(seq), prev, changesSHA(changes)].joined(separator: "\u{1F}").utf8))
        return Hex.string(h.finalize())
    }

    /// Chain `changes` (entry numbers and changesets, in order) from `prev`.
    static func chain(to: String, fileId: String, from prev: String, _ items: [(seq: Int64, changes: Data)]) -> [Entry] {
        var prev = prev
        return items.map { item in
            let h = entryHash(to: to, fileId: fileId, seq: item.seq, prev: prev, changes: item.changes)
            defer { prev = h }
            return Entry(seq: item.seq, prev: prev, hash: h, changes: item.changes)
        }
    }

    /// The package's own hash: its header, its entries' hashes, its audit rows' last hash and
    /// its acknowledgement (the audit rows name it).
    public var sha256: String {
        var h = SHA256()
        h.update(data: Data(([Self.format, township, to, fileId, side, audit.last?.hash ?? "",
                              ack.fileId, String(ack.seq), ack.hash, String(ack.audit)] + entries.map(\.hash))
            .joined(separator: "\u{1F}").utf8))
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
                    CREATE TABLE entry(seq INTEGER PRIMARY KEY, prev TEXT NOT NULL, hash TEXT NOT NULL, changes_sha256 TEXT NOT NULL,
                        changes BLOB NOT NULL);
                    """)
                for (k, v) in [("format", Self.format), ("township", township), ("to", to), ("file_id", fileId), ("side", side),
                               ("ack_file", ack.fileId), ("ack_seq", String(ack.seq)), ("ack_hash", ack.hash),
                               ("ack_audit", String(ack.audit)), ("sha256", sha256)] {
                    try db.execute(sql: "INSERT INTO package VALUES (?, ?)", arguments: [k, v])
                }
                for a in audit {
                    try db.execute(sql: "INSERT INTO audit_row VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                   arguments: [a.id, a.at, a.user, a.action, a.entity, a.entityId, a.detail, a.prevHash, a.hash])
                }
                for e in entries {
                    try db.execute(sql: "INSERT INTO entry VALUES (?, ?, ?, ?, ?)",
                                   arguments: [e.seq, e.prev, e.hash, Self.changesSHA(e.changes), e.changes])
                }
            }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    /// Read a package, refusing one that is not a package, is damaged, whose entries are not
    /// numbered one after another or whose changes or chain do not match their hashes.
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
                if let f = h["format"], f != format, f.hasPrefix("jiuzhu-exchange-") {
                    throw StoreError.said("store.exchange.otherFormat", ["path": path, "format": f, "expected": format])
                }
                guard h["format"] == format, let township = h["township"], let to = h["to"], let fileId = h["file_id"], let side = h["side"],
                      let ackSeq = h["ack_seq"].flatMap({ Int64($0) }), let ackAudit = h["ack_audit"].flatMap({ Int64($0) }) else {
                    throw bad("header")
                }
                var entries: [Entry] = []
                let rows = try Row.fetchCursor(db, sql: "SELECT seq, prev, hash, changes_sha256, changes FROM entry ORDER BY seq")
                while let r = try rows.next() {
                    let e = Entry(seq: r["seq"], prev: r["prev"], hash: r["hash"], changes: r["changes"] ?? Data())
                    guard changesSHA(e.changes) == r["changes_sha256"], Changes.count(e.changes) != nil else { throw bad("changes \(e.seq)") }
                    if let p = entries.last, e.seq != p.seq + 1 || e.prev != p.hash { throw bad("chain \(e.seq)") }
                    guard entryHash(to: to, fileId: fileId, seq: e.seq, prev: e.prev, changes: e.changes) == e.hash else { throw bad("entry \(e.seq)") }
                    entries.append(e)
                }
                let audit = try Row.fetchAll(db, sql: "SELECT * FROM audit_row ORDER BY id").map(Audit.Entry.init(row:))
                let p = ExchangePackage(township: township, to: to, fileId: fileId, side: side, entries: entries, audit: audit,
                                        ack: Ack(fileId: h["ack_file"] ?? "", seq: ackSeq, hash: h["ack_hash"] ?? "", audit: ackAudit))
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
    /// At the county: the last entry each township has acknowledged, by its code.
    public var ackedBy: [String: Int64]
    public var recorded: Int
    public var lastSent: Int64
    /// The last entry the other side has acknowledged (at the county: the least of the townships').
    public var acked: Int64
    public var waiting: Int
    public var received: [Received]
    /// The packages written (its audit rows `exchange.export`), by addressee: how many, the last when.
    public var sentPackages: [String: (count: Int, lastAt: String)] = [:]
}

extension Store {
    static func exchangeValue(_ db: Database, _ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM exchange_state WHERE key = ?", arguments: [key])
    }

    static func setExchangeValue(_ db: Database, _ key: String, _ value: String) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO exchange_state(key, value) VALUES (?, ?)", arguments: [key, value])
    }

    /// What this file has applied of `township`'s packages (the acknowledgement it sends back).
    static func ack(_ db: Database, from township: String) throws -> ExchangePackage.Ack {
        guard let r = try Row.fetchOne(db, sql: """
            SELECT file_id, to_seq, chain FROM exchange_inbox WHERE township = ? ORDER BY to_seq DESC LIMIT 1
            """, arguments: [township]) else { return .none }
        let file: String = r["file_id"]
        return ExchangePackage.Ack(fileId: file, seq: r["to_seq"], hash: r["chain"],
                                   audit: try Int64.fetchOne(db, sql: "SELECT max(id) FROM exchange_audit WHERE file_id = ?",
                                                             arguments: [file]) ?? 0)
    }

    /// Keep what the sender of `p` has applied of this file's entries: the next package from
    /// here starts after it. Taken from a package that brings new entries as it is (lower only
    /// when the sender's file was restored from an older backup: this file then sends again
    /// what that file lost), from one that brings nothing new only when it is later than the
    /// one kept. An acknowledgement of entries this file never wrote means one of the two files
    /// is not what the other knew (this one restored from an older backup): refused.
    static func takeAck(_ db: Database, _ p: ExchangePackage, onlyIfLater: Bool) throws -> Bool {
        guard let mine = try Store.exchangeValue(db, "file_id"), p.ack.fileId == mine || p.ack.fileId.isEmpty else { return false }
        let suffix = p.side == "county" ? "" : "." + p.township
        if onlyIfLater, p.ack.seq <= Int64(try Store.exchangeValue(db, "acked" + suffix) ?? "0") ?? 0 { return false }
        let recorded = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM exchange_outbox") ?? 0
        if p.ack.seq > recorded {
            throw StoreError.said("store.exchange.ackAhead", ["ack": String(p.ack.seq), "recorded": String(recorded)])
        }
        try Store.setExchangeValue(db, "acked" + suffix, String(p.ack.seq))
        try Store.setExchangeValue(db, "acked_hash" + suffix, p.ack.hash)
        try Store.setExchangeValue(db, "acked_audit" + suffix, String(p.ack.audit))
        return true
    }

    /// Write a package of every change recorded since the last entry the addressee
    /// acknowledged to `path`, and remember it as sent. Entries sent before and not yet
    /// acknowledged go again (a package lost on the way costs nothing; the receiver skips what
    /// it holds). A township's goes to its county. The county writes one per township
    /// (`township`, its 12-digit code): that township's records and what the county decided
    /// for all, each township's entries, chain and acknowledgement kept apart (`acked.CODE`…).
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
            let acked = Int64(try Store.exchangeValue(db, "acked" + suffix) ?? "0") ?? 0
            let ackedAudit = Int64(try Store.exchangeValue(db, "acked_audit" + suffix) ?? "0") ?? 0
            var items: [(seq: Int64, changes: Data)] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT seq, changes FROM exchange_outbox WHERE seq > ? ORDER BY seq", arguments: [acked])
            while let r = try rows.next() {
                var changes: Data = r["changes"]
                if let block, let keys = try Changes.keys(db, changes) {
                    changes = try Changes.filter(changes, keep: try Changes.blocks(db, keys).map { $0 == nil || $0 == block })
                }
                items.append((r["seq"], changes))
            }
            let ack = try Store.ack(db, from: to)
            // With no entry to send, a package still goes when it acknowledges more than the
            // last one did (else the other side would send the same entries again and again).
            let ackSent = Int64(try Store.exchangeValue(db, "ack_sent" + suffix) ?? "0") ?? 0
            guard !items.isEmpty || ack.seq > ackSent else { throw StoreError.said("store.exchange.nothingToSend") }
            let last = items.last?.seq ?? acked
            let audit = try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE id > ? ORDER BY id", arguments: [ackedAudit])
                .map(Audit.Entry.init(row:))
            let entries = ExchangePackage.chain(to: to, fileId: fileId, from: try Store.exchangeValue(db, "acked_hash" + suffix) ?? "", items)
            let p = ExchangePackage(township: township, to: to, fileId: fileId, side: side, entries: entries, audit: audit,
                                    ack: ack)
            try p.save(as: path)
            let sent = Int64(try Store.exchangeValue(db, "last_sent" + suffix) ?? "0") ?? 0
            try Store.setExchangeValue(db, "last_sent" + suffix, String(max(sent, last)))
            try Store.setExchangeValue(db, "ack_sent" + suffix, String(ack.seq))
            try Audit.append(db, user: user, action: "exchange.export", entity: "package", entityId: p.sha256,
                             detail: Audit.detail(["file": path, "to": to, "from": String(p.fromSeq), "to_seq": String(last),
                                                   "rows": String(p.rows()), "ack": String(p.ack.seq)]))
            return p
        }
    }

    /// Check a package's continuity and apply what it brings that this file does not hold yet,
    /// all or nothing (see `ExchangePackage`). Returns the package and the number of its
    /// entries applied here (the others were applied from an earlier package).
    @discardableResult
    public func importPackage(from path: String, by user: String) throws -> (package: ExchangePackage, applied: Int) {
        let p = try ExchangePackage.read(path)
        let applied = try write(capture: false) { db -> Int in
            try Store.authorize(db, user, .manageUsers)
            if try Store.exchangeValue(db, "file_id") == p.fileId { throw StoreError.said("store.exchange.ownPackage") }
            let me = try Store.setting(db, "office.township_code") ?? ""
            if p.to != me { throw StoreError.said("store.exchange.notForUs", ["to": p.to, "me": me]) }
            if let other = try String.fetchOne(db, sql: "SELECT file_id FROM exchange_inbox WHERE township = ? AND file_id <> ? LIMIT 1",
                                               arguments: [p.township, p.fileId]) {
                throw StoreError.said("store.exchange.foreign", ["township": p.township, "known": String(other.prefix(8)),
                                                                 "file": String(p.fileId.prefix(8))])
            }
            // Continuity: the entries reach past the last one held from that file, with no gap,
            // and the one held last is the same entry (its hash), or the first new one names it.
            let last = try Row.fetchOne(db, sql: "SELECT to_seq, chain FROM exchange_inbox WHERE file_id = ? ORDER BY to_seq DESC LIMIT 1",
                                        arguments: [p.fileId])
            let have = last?["to_seq"] as Int64? ?? 0, haveHash = last?["chain"] as String? ?? ""
            if p.toSeq <= have {
                // Nothing new to apply. A package sent again because the sender had not heard
                // back may still carry news: a later acknowledgement, taken (or the sender would
                // send the same entries for ever). Otherwise it is a replay and changes nothing.
                guard try Store.takeAck(db, p, onlyIfLater: true) else {
                    if p.entries.isEmpty { throw StoreError.said("store.exchange.ackSeen") }
                    throw StoreError.said("store.exchange.replay", ["from": String(p.fromSeq), "expected": String(have + 1)])
                }
                try Audit.append(db, user: user, action: "exchange.ack", entity: "package", entityId: p.sha256,
                                 detail: Audit.detail(["township": p.township, "ack": String(p.ack.seq)]))
                return 0
            }
            if p.fromSeq > have + 1 { throw StoreError.said("store.exchange.gap", ["from": String(p.fromSeq), "expected": String(have + 1)]) }
            let link = p.fromSeq == have + 1 ? p.entries[0].prev : p.entries[Int(have - p.fromSeq)].hash
            if link != haveHash { throw StoreError.said("store.exchange.chainBroken") }
            let changes = try p.changes(after: have)
            // Each side sends only what it owns: a township its own records, the county this
            // township's and its own. A change to another township's record is refused whole.
            guard let keys = try Changes.keys(db, changes) else { throw StoreError.said("store.exchange.unreadable", ["code": "-1"]) }
            do {
                let sender = IdBlock.of(townshipCode: p.township) ?? -1
                let mine = IdBlock.of(townshipCode: me) ?? -1
                for (i, b) in try Changes.blocks(db, keys).enumerated() {
                    if let b, b != (p.side == "county" ? mine : sender) {
                        throw StoreError.said("store.exchange.foreignRows", ["table": keys[i].table, "township": String(format: "%03lld", b)])
                    }
                }
            }
            // The sender's audit rows continue the chain already received from that file (the
            // rows held already are skipped, as the entries are).
            let held = try Row.fetchOne(db, sql: "SELECT id, hash FROM exchange_audit WHERE file_id = ? ORDER BY id DESC LIMIT 1",
                                        arguments: [p.fileId])
            var prev = held?["hash"] as String?
            for a in p.audit where a.id > held?["id"] as Int64? ?? 0 {
                let h = Audit.hash(prev: a.prevHash, canonical: Audit.canonical(id: a.id, at: a.at, user: a.user, action: a.action,
                                                                                 entity: a.entity, entityId: a.entityId, detail: a.detail))
                if h != a.hash || (prev != nil && a.prevHash != prev) {
                    throw StoreError.said("store.exchange.auditBroken", ["row": String(a.id)])
                }
                prev = a.hash
                try db.execute(sql: "INSERT INTO exchange_audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               arguments: [p.fileId, a.id, a.at, a.user, a.action, a.entity, a.entityId, a.detail, a.prevHash, a.hash])
            }
            // A household row is the township's: where the county's decision and the township's
            // edit both changed it, the township's columns stand and the summary is computed again.
            try Changes.applyKeepingDigests(db, changes, keys: keys,
                                            households: try Store.exchangeSide(db) == "county" ? .townshipsStand : .keepOwn)
            // The steps it brings, numbered as this package's arrival (for the rosters' back pay).
            do {
                let seq = (try Int64.fetchOne(db, sql: "SELECT max(seq) FROM exchange_arrival") ?? 0) + 1
                for k in keys where k.table == "case_step" && k.op == 18 {
                    if let id = Changes.integer(k.condition, "id") {
                        try db.execute(sql: "INSERT OR REPLACE INTO exchange_arrival(step_id, seq) VALUES (?, ?)", arguments: [id, seq])
                    }
                }
            }
            _ = try Store.takeAck(db, p, onlyIfLater: false)
            try db.execute(sql: "INSERT INTO exchange_inbox(file_id, township, from_seq, to_seq, sha256, applied_at, applied_by, chain) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [p.fileId, p.township, have + 1, p.toSeq, p.sha256, Timestamp.now(), user, p.entries.last?.hash ?? ""])
            try Audit.append(db, user: user, action: "exchange.import", entity: "package", entityId: p.sha256,
                             detail: Audit.detail(["township": p.township, "from": String(have + 1), "to": String(p.toSeq),
                                                   "skipped": String(have + 1 - p.fromSeq), "ack": String(p.ack.seq),
                                                   "rows": String(Changes.count(changes) ?? 0), "auditRows": String(p.audit.count)]))
            return Int(p.toSeq - have)
        }
        return (p, applied)
    }

    public func exchangeStatus(today: CivilDate = .today) throws -> ExchangeStatus {
        try read { db in
            // The county sends to each township apart: what waits is what the township sent to
            // least recently has not had.
            let side = try Store.exchangeValue(db, "side")
            func byTownship(_ key: String) throws -> [String: Int64] {
                var out: [String: Int64] = [:]
                for r in try Row.fetchAll(db, sql: "SELECT key, value FROM exchange_state WHERE key LIKE ? ESCAPE '\\'",
                                          arguments: [key.replacingOccurrences(of: "_", with: "\\_") + ".%"]) {
                    let k: String = r["key"]
                    out[String(k.dropFirst(key.count + 1))] = Int64(r["value"] as String) ?? 0
                }
                return out
            }
            let sentTo = try byTownship("last_sent"), ackedBy = try byTownship("acked")
            var lastSent = Int64(try Store.exchangeValue(db, "last_sent") ?? "0") ?? 0
            var acked = Int64(try Store.exchangeValue(db, "acked") ?? "0") ?? 0
            if side == "county" {
                let known = try String.fetchAll(db, sql: "SELECT DISTINCT township FROM exchange_inbox")
                lastSent = known.map { sentTo[$0] ?? 0 }.min() ?? 0
                acked = known.map { ackedBy[$0] ?? 0 }.min() ?? 0
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
            var sentPackages: [String: (count: Int, lastAt: String)] = [:]
            for r in try Row.fetchAll(db, sql: """
                SELECT json_extract(detail, '$.to') AS addressee, count(*) AS n, max(at) AS at FROM audit
                WHERE action = 'exchange.export' GROUP BY 1
                """) {
                sentPackages[r["addressee"] ?? ""] = (r["n"], r["at"] ?? "")
            }
            var status = ExchangeStatus(side: side, fileId: try Store.exchangeValue(db, "file_id"), sentTo: sentTo, ackedBy: ackedBy,
                                  recorded: try Int.fetchOne(db, sql: "SELECT count(*) FROM exchange_outbox") ?? 0,
                                  lastSent: lastSent, acked: acked,
                                  waiting: try Int.fetchOne(db, sql: "SELECT count(*) FROM exchange_outbox WHERE seq > ?", arguments: [lastSent]) ?? 0,
                                  received: received)
            status.sentPackages = sentPackages
            return status
        }
    }
}
