@preconcurrency import Crypto   // SymmetricKey is immutable: see KeyFile.swift
import Foundation
import GRDB

/// The chain heads recorded outside the database besides its anchor file: each backup in
/// `backups/` has a keyed sidecar (`NAME.sqlite.anchor`) with the head of the chain it copied.
/// The database and its anchor can be put back together to an older copy (or the last rows cut
/// and the anchor written again by someone who has the key file); the backups made since then
/// still record a longer chain, which `verifyAudit` compares against.
///
/// A restore puts an older chain back on purpose. Its audit row (keyed, inside the chain it
/// starts) lists every backup head it supersedes (`supersedes`: "id:hash16,…", each sidecar in
/// `backups/` whose head is not in the restored chain), and `verify` takes those as explained.
/// A database rolled back by copying files has no such row: the newer heads are reported.
/// (Listing the heads, not a date: an old office PC's clock can go backwards.)
enum ChainRecords {
    struct Record {
        var head: KeyFile.Anchor
        /// The backup's file name, for the message.
        var file: String
    }

    /// "57:3f2a9c1b4e0d7a61" — how a restore row names a head it supersedes.
    static func token(_ a: KeyFile.Anchor) -> String { "\(a.id):\(a.hash.prefix(16))" }

    /// Whether `name` is a backup of the database named `base` as `Store.backup` names them:
    /// `BASE-[auto-]YYYYMMDD-HHMMSS[-N].sqlite` (another database's backups in the same folder,
    /// or a copy of this one under another name, are not its history).
    static func isBackupName(_ name: String, base: String) -> Bool {
        guard name.hasPrefix(base + "-"), name.hasSuffix(".sqlite") else { return false }
        var rest = Substring(name.dropFirst(base.count + 1).dropLast(".sqlite".count))
        if rest.hasPrefix("auto-") { rest = rest.dropFirst(5) }
        let parts = rest.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts[0].count == 8, parts[1].count == 6 else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }

    /// The heads the sidecars of this database's backups record (keyed with `key`; a sidecar
    /// that is damaged or keyed otherwise is not this office's record and is passed over).
    static func backupHeads(database path: String, key: SymmetricKey) -> [Record] {
        let split = SafeFile.split(path)
        let folder = (split.folder as NSString).appendingPathComponent("backups")
        let base = (split.name as NSString).deletingPathExtension
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var out: [Record] = []
        for n in names.sorted() where n.hasSuffix(".sqlite.anchor") {
            let backup = String(n.dropLast(".anchor".count))
            guard isBackupName(backup, base: base),
                  case .success(let a)? = KeyFile.readAnchor((folder as NSString).appendingPathComponent(n)), a.valid(key) else { continue }
            out.append(Record(head: a, file: backup))
        }
        return out
    }

    /// The heads that the restore rows of the chain say they superseded.
    static func superseded(_ db: Database) throws -> Set<String> {
        var out: Set<String> = []
        let cursor = try String.fetchCursor(db, sql: "SELECT detail FROM audit WHERE action = 'restore'")
        while let d = try cursor.next() {
            guard let o = try? JSONSerialization.jsonObject(with: Data(d.utf8)) as? [String: Any],
                  let s = o["supersedes"] as? String else { continue }
            for t in s.split(separator: ",") { out.insert(String(t)) }
        }
        return out
    }

    /// Whether the chain in `db` holds the head `a` (its row with that hash).
    static func holds(_ db: Database, _ a: KeyFile.Anchor) throws -> Bool {
        if a.id == 0 { return true }
        return try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE id = ?", arguments: [a.id]) == a.hash
    }

    /// The backup heads not in the chain in `db` (what a restore of it supersedes), as tokens.
    static func notHeld(_ db: Database, database path: String, key: SymmetricKey) throws -> [String] {
        try backupHeads(database: path, key: key).filter { !(try holds(db, $0.head)) }.map { token($0.head) }
    }

    /// The first backup head that the chain (`rows` long, whole) does not hold and that no
    /// restore row explains: the database was put back to an older copy. nil when none.
    static func rollback(_ db: Database, rows n: Int, database path: String, key: SymmetricKey) throws -> Audit.Verdict? {
        let heads = backupHeads(database: path, key: key)
        guard !heads.isEmpty else { return nil }
        var missing: [Record] = []
        for r in heads where !(try holds(db, r.head)) { missing.append(r) }
        guard !missing.isEmpty else { return nil }
        let explained = try superseded(db)
        let unexplained = missing.filter { !explained.contains(token($0.head)) }
        // The longest chain recorded names the most rows missing.
        guard let r = unexplained.max(by: { ($0.head.id, $0.file) < ($1.head.id, $1.file) }) else { return nil }
        let a = r.head
        if a.id > n {
            return .broken(atRow: Int64(n) + 1, reason: .missing(from: n + 1, to: a.id, backupAt: a.at, file: r.file))
        }
        return .broken(atRow: a.id, reason: Audit.Reason("store.verify.rowReplacedSinceBackup", ["row": "\(a.id)", "at": a.at, "file": r.file]))
    }
}
