import Crypto
import Foundation
import GRDB
import JiuzhuModel

/// A copy of the office's database, made while it is in use, and put back when needed.
public struct BackupFile: Equatable, Sendable {
    public var path: String
    public var bytes: Int
    /// Local time the file was last written, "YYYY-MM-DD HH:MM".
    public var written: String
    public var modified: Date
    public init(path: String, bytes: Int, written: String, modified: Date) {
        self.path = path; self.bytes = bytes; self.written = written; self.modified = modified
    }
    /// Made by `autoBackupIfDue` (and so pruned by it), not by a person.
    public var isAutomatic: Bool { (path as NSString).lastPathComponent.contains("-auto-") }

    /// "560 KB", "43.2 MB".
    public static func sizeText(_ bytes: Int) -> String {
        bytes >= 1_048_576 ? String(format: "%.1f MB", Double(bytes) / 1_048_576) : String(format: "%.0f KB", Double(bytes) / 1024)
    }
}

public struct BackupResult: Equatable, Sendable {
    public var file: BackupFile
    /// Rows of the audit chain in the copy, each checked.
    public var auditRows: Int
    /// What is wrong with the copy's audit chain, if anything: a broken chain never stops a
    /// backup (it is the moment one is most needed), it is said.
    public var chainProblem: String? = nil
    /// The same as an error, to be said in the user's language.
    public var chainBreak: StoreError? = nil
}

extension Store {
    public struct BackupCheck: Equatable, Sendable {
        public var auditRows: Int
        public var households: Int
    }

    /// Check a backup without changing it: read-only, `quick_check`, the audit chain walked.
    public static func checkBackup(_ source: String, key: SymmetricKey? = nil) throws -> BackupCheck {
        let (q, check) = try openBackup(source, key: key)
        try q.close()
        return check
    }

    /// A backup checked against this office's key.
    public func checkBackup(_ source: String) throws -> BackupCheck { try Store.checkBackup(source, key: key) }

    static func openBackup(_ source: String, key: SymmetricKey?) throws -> (DatabaseQueue, BackupCheck) {
        guard FileManager.default.fileExists(atPath: source) else { throw StoreError.missingFile(path: source) }
        if let size = try? FileManager.default.attributesOfItem(atPath: source)[.size] as? Int, size == 0 { throw StoreError.emptyFile(path: source) }
        var config = Configuration()
        config.readonly = true
        config.busyMode = Store.busyTimeout
        do {
            let q = try DatabaseQueue(path: source, configuration: config)
            let check = try q.read { db -> BackupCheck in
                let problems = try String.fetchAll(db, sql: "PRAGMA quick_check").filter { $0 != "ok" }
                if !problems.isEmpty { throw StoreError.corrupt(path: source, detail: Store.summary(problems)) }
                guard try db.tableExists("audit"), try db.tableExists("household") else { throw StoreError.notADatabase(path: source) }
                let households = try Int.fetchOne(db, sql: "SELECT count(*) FROM household") ?? 0
                switch try Audit.verify(db, key: key) {
                case .intact(let n):
                    // The head the backup's sidecar recorded when it was made: rows cut from its end.
                    if let key, case .success(let a)? = KeyFile.readAnchor(source + ".anchor"), a.valid(key) {
                        let h = try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE id = ?", arguments: [a.id])
                        if a.id > n || h != a.hash {
                            throw StoreError.auditBroken(atRow: Int64(n) + 1, reason: Audit.Reason("store.verify.backupChainShort", ["head": a.short]))
                        }
                    }
                    return BackupCheck(auditRows: n, households: households)
                case .broken(let row, let why): throw StoreError.auditBroken(atRow: row, reason: why)
                }
            }
            return (q, check)
        } catch let e as StoreError {
            throw e
        } catch let e as DatabaseError {
            throw e.resultCode == .SQLITE_NOTADB ? StoreError.notADatabase(path: source) : StoreError.corrupt(path: source, detail: e.message ?? "\(e)")
        }
    }

    /// Where backups go unless told otherwise: `backups/` beside the database file.
    public var backupFolder: String {
        ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("backups")
    }

    /// A file name for a backup made at `now`: the database's name and the local time.
    public func backupName(at now: Date = Date(), automatic: Bool = false) -> String {
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return "\(base)-\(automatic ? "auto-" : "")\(ClockText.local(now, "%Y%m%d-%H%M%S")).sqlite"
    }

    /// Copy the whole database to `target` (a file such as "office.sqlite", or a folder to put it
    /// in, made if missing; by default `backupFolder`) through SQLite's online backup, so the
    /// other clerk can keep working. The copy is written 0600 to a ".part" file first, checked
    /// (`quick_check`, the audit chain walked) and only then given its name: a full disk or a
    /// failed check leaves no file that looks like a backup, and the database itself is only
    /// read. The backup is audited in the database.
    public func backup(to target: String? = nil, by actor: String, now: Date = Date(), automatic: Bool = false) throws -> BackupResult {
        // The backup folder takes anyone's backup; a copy elsewhere leaves the office's control.
        if target != nil { try read { db in try Store.authorize(db, actor, .backups) } }
        let fm = FileManager.default
        var isDir: ObjCBool = false
        let dest: String
        // A file when it names one (it has an extension, like "office.sqlite"); otherwise a folder,
        // made if missing.
        if let t = target, !(fm.fileExists(atPath: t, isDirectory: &isDir) && isDir.boolValue) && !t.hasSuffix("/"),
           !(t as NSString).pathExtension.isEmpty {
            dest = t
        } else {
            let folder = target ?? backupFolder
            if !fm.fileExists(atPath: folder) {
                do { try fm.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) }
                catch { throw StoreError.backupFailed(path: folder, detail: error.localizedDescription) }
            }
            // Two backups in one second (a restore's own copy right after one) get -2, -3 ...
            let name = backupName(at: now, automatic: automatic)
            var candidate = (folder as NSString).appendingPathComponent(name)
            var n = 2
            while fm.fileExists(atPath: candidate) {
                candidate = (folder as NSString).appendingPathComponent((name as NSString).deletingPathExtension + "-\(n).sqlite")
                n += 1
            }
            dest = candidate
        }
        if fm.fileExists(atPath: dest) { throw StoreError.alreadyExists(path: dest) }
        let part = dest + ".part"
        for f in [part, part + "-wal", part + "-shm", part + "-journal"] { try? fm.removeItem(atPath: f) }
        let fd = open(part, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        if fd < 0 { throw StoreError.backupFailed(path: dest, detail: String(cString: strerror(errno))) }
        Glibc.close(fd)
        func discard() { for f in [part, part + "-wal", part + "-shm", part + "-journal"] { try? fm.removeItem(atPath: f) } }
        var rows = 0
        var chainProblem: String?
        var chainBreak: StoreError?
        var head: KeyFile.Anchor?
        do {
            var config = Configuration()
            config.busyMode = .timeout(5)
            let copy = try DatabaseQueue(path: part, configuration: config)
            try writer.backup(to: copy)
            let key = self.key
            try copy.writeWithoutTransaction { db in
                // One file, not a WAL pair: a backup is copied to a USB stick as it is.
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                let problems = try String.fetchAll(db, sql: "PRAGMA quick_check").filter { $0 != "ok" }
                if !problems.isEmpty { throw StoreError.corrupt(path: dest, detail: Store.summary(problems)) }
                switch try Audit.verify(db, key: key) {
                case .intact(let n): rows = n
                case .broken(let row, let why):
                    rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM audit") ?? 0
                    chainBreak = StoreError.auditBroken(atRow: row, reason: why)
                    chainProblem = chainBreak?.message(.en)
                }
                if let key, let r = try Row.fetchOne(db, sql: "SELECT id, hash, at FROM audit ORDER BY id DESC LIMIT 1") {
                    head = .signed(id: r["id"], hash: r["hash"], at: r["at"], key: key)
                }
            }
            try copy.close()
        } catch let e as StoreError {
            discard(); throw e
        } catch let e as DatabaseError {
            discard()
            throw e.resultCode == .SQLITE_FULL ? StoreError.backupFailed(path: dest, detail: "disk full / 磁盘已满")
                                               : StoreError.backupFailed(path: dest, detail: e.message ?? "\(e)")
        } catch {
            discard(); throw StoreError.backupFailed(path: dest, detail: "\(error)")
        }
        // The copy's chain head beside it (keyed), so a backup cut short is noticed on restore.
        if let head { KeyFile.writeAnchor(head, to: dest + ".anchor") }
        do { try SafeFile.place(part, at: dest, force: false, checked: true) }
        catch {
            discard(); unlink(dest + ".anchor")
            throw StoreError.backupFailed(path: dest, detail: (error as? StoreError)?.message(.en) ?? "\(error)")
        }
        let bytes = (try? fm.attributesOfItem(atPath: dest)[.size] as? Int) ?? 0
        try write { db in
            try Audit.append(db, user: actor, action: "backup", entity: "database", entityId: (path as NSString).lastPathComponent,
                             detail: Audit.detail(["to": dest, "bytes": String(bytes), "audit_rows": String(rows), "head": head?.short,
                                                   "chain": chainProblem]))
        }
        return BackupResult(file: BackupFile(path: dest, bytes: bytes, written: ClockText.local(now, "%Y-%m-%d %H:%M"), modified: now),
                            auditRows: rows, chainProblem: chainProblem, chainBreak: chainBreak)
    }

    /// The automatic backup, when one is due: the newest backup in `backupFolder` (by anyone) is
    /// older than `auto_backup_days` (setting; 0 turns this off). Then the automatic backups
    /// beyond the newest `auto_backup_keep` are removed; a person's backups are never removed.
    public func autoBackupIfDue(by actor: String, now: Date = Date()) throws -> (made: BackupResult?, removed: [String]) {
        let (days, keep) = try read { db in
            (try Store.intSetting(db, "auto_backup_days", default: 1), try Store.intSetting(db, "auto_backup_keep", default: 10))
        }
        guard days > 0 else { return (nil, []) }
        if let newest = backups().first, now.timeIntervalSince(newest.modified) < Double(days) * 86_400 { return (nil, []) }
        let made = try backup(by: actor, now: now, automatic: true)
        var removed: [String] = []
        for old in backups().filter(\.isAutomatic).dropFirst(max(1, keep)) {
            if (try? FileManager.default.removeItem(atPath: old.path)) != nil {
                removed.append(old.path)
                try? FileManager.default.removeItem(atPath: old.path + ".anchor")
            }
        }
        return (made, removed)
    }

    /// The backups in `folder` (by default `backupFolder`), newest first.
    public func backups(in folder: String? = nil) -> [BackupFile] {
        let folder = folder ?? backupFolder
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { $0.hasSuffix(".sqlite") }.compactMap { name -> (BackupFile, Date)? in
            let p = (folder as NSString).appendingPathComponent(name)
            guard let a = try? fm.attributesOfItem(atPath: p), let d = a[.modificationDate] as? Date else { return nil }
            return (BackupFile(path: p, bytes: a[.size] as? Int ?? 0, written: ClockText.local(d, "%Y-%m-%d %H:%M"), modified: d), d)
        }.sorted { ($0.1, $0.0.path) > ($1.1, $1.0.path) }.map(\.0)
    }

    /// Put a backup back: the backup is checked first (quick_check, audit chain, its sidecar);
    /// the database as it is now is kept (a checked backup, or, when it cannot be backed up, its
    /// files copied aside as they are); the backup is made ready in a `.part` file with its
    /// restore audit row; and its pages are copied into the database in one transaction, so a
    /// kill leaves either the old database or the restored one with its audit row.
    public func restore(from source: String, by actor: String, now: Date = Date()) throws -> (saved: BackupResult?, keptAside: [String], auditRows: Int) {
        try read { db in try Store.authorize(db, actor, .restore) }
        let (from, check) = try Store.openBackup(source, key: key)
        try from.close()
        var saved: BackupResult?
        var aside: [String] = []
        do { saved = try backup(by: actor, now: now) }
        catch { aside = try Store.copyAside(path, into: backupFolder, now: now) }
        let part = path + ".restore.part"
        defer { for f in [part, part + "-wal", part + "-shm", part + "-journal", part + ".anchor"] { unlink(f) } }
        try Store.prepareRestore(from: source, into: part, sidecars: path, by: actor,
                                 detail: ["from": source, "previous_saved_to": saved?.file.path ?? aside.first])
        do {
            var config = Configuration()
            config.readonly = true
            let ready = try DatabaseQueue(path: part, configuration: config)
            try ready.backup(to: writer)
            try ready.close()
            // The page copy is no commit the anchor keeper sees: write the head now.
            if let key, let r = try read({ try Row.fetchOne($0, sql: "SELECT id, hash, at FROM audit ORDER BY id DESC LIMIT 1") }) {
                KeyFile.writeAnchor(.signed(id: r["id"], hash: r["hash"], at: r["at"], key: key), to: anchorPath)
            }
        } catch let e as DatabaseError {
            throw Store.translate(e, path: path)
        }
        return (saved, aside, check.auditRows)
    }

    /// Copy `source` (checked) into a new file `part`, bring it up to date and write the restore's
    /// audit row there, keyed with the key of `sidecars`; then close it.
    static func prepareRestore(from source: String, into part: String, sidecars: String, by actor: String, detail: [String: String?]) throws {
        for f in [part, part + "-wal", part + "-shm", part + "-journal"] { unlink(f) }
        let key = try KeyFile.load(KeyFile.keyPath(for: sidecars))
        let (from, _) = try openBackup(source, key: key)
        do {
            let fd = open(part, O_CREAT | O_EXCL | O_WRONLY, 0o600)
            if fd < 0 { throw StoreError.cannotCreate(path: part, detail: String(cString: strerror(errno))) }
            Glibc.close(fd)
            let copy = try DatabaseQueue(path: part)
            try from.backup(to: copy)
            try copy.close()
            try from.close()
            let ready = try Store(path: part, mode: .mustExist, sidecars: sidecars, anchor: part + ".anchor", allowUnsigned: true)
            try ready.write { db in
                // The backups' heads this older chain leaves behind, so `verify` knows them
                // for a restore's and not a rollback's (`ChainRecords`).
                var detail = detail
                if let key {
                    let gone = try ChainRecords.notHeld(db, database: sidecars, key: key)
                    if !gone.isEmpty { detail["supersedes"] = gone.joined(separator: ",") }
                }
                try Audit.append(db, user: actor, action: "restore", entity: "database", entityId: (sidecars as NSString).lastPathComponent,
                                 detail: Audit.detail(detail))
            }
            try ready.seal()
        } catch let e as DatabaseError {
            throw e.resultCode == .SQLITE_FULL ? StoreError.diskFull(path: part) : Store.translate(e, path: part)
        }
    }

    /// Copy a database's files (`path`, `-wal`) byte for byte into `folder` as
    /// `NAME-before-restore-DATE.sqlite`: what is kept of a database too damaged to back up.
    static func copyAside(_ path: String, into folder: String, now: Date) throws -> [String] {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let stem = (folder as NSString).appendingPathComponent("\(base)-before-restore-\(ClockText.local(now, "%Y%m%d-%H%M%S"))")
        var kept: [String] = []
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: path + suffix) {
            let to = stem + ".sqlite" + suffix
            guard let data = FileManager.default.contents(atPath: path + suffix) else { throw StoreError.readOnly(path: path + suffix) }
            try SafeFile.write(data, to: to)
            kept.append(to)
        }
        return kept
    }

    /// Put a backup in place of a database that cannot be opened (damaged, empty, not SQLite,
    /// unkeyed beside its key) or is missing: the backup is checked and made ready in a `.part`
    /// file with its restore audit row; the files there now are renamed aside into `backups/`
    /// (`NAME-damaged-DATE.sqlite`, never deleted); then the ready file takes the name.
    public static func rescue(database path: String, from source: String, by actor: String, now: Date = Date()) throws -> (keptAside: [String], auditRows: Int) {
        let check = try checkBackup(source, key: try KeyFile.load(KeyFile.keyPath(for: path)))
        let part = path + ".restore.part"
        defer { for f in [part, part + "-wal", part + "-shm", part + "-journal", part + ".anchor"] { unlink(f) } }
        try prepareRestore(from: source, into: part, sidecars: path, by: actor, detail: ["from": source, "rescue": "yes"])
        let folder = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("backups")
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let stem = (folder as NSString).appendingPathComponent("\(base)-damaged-\(ClockText.local(now, "%Y%m%d-%H%M%S"))")
        var aside: [String] = []
        for suffix in ["", "-wal", "-shm", "-journal"] where FileManager.default.fileExists(atPath: path + suffix) {
            let to = stem + ".sqlite" + suffix
            guard rename(path + suffix, to) == 0 else { throw StoreError.cannotCreate(path: to, detail: String(cString: strerror(errno))) }
            aside.append(to)
        }
        guard rename(part, path) == 0 else { throw StoreError.cannotCreate(path: path, detail: String(cString: strerror(errno))) }
        rename(part + ".anchor", KeyFile.anchorPath(for: path))
        SafeFile.syncFolder(of: path)
        return (aside, check.auditRows)
    }

    /// `.part` files in `backups/` left by a backup that was killed: those older than an hour
    /// are removed (`removeOld`), and all are returned (a younger one may be a backup running now).
    public func partLeftovers(removeOld: Bool, now: Date = Date()) -> (removed: [String], left: [String]) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: backupFolder) else { return ([], []) }
        var removed: [String] = [], left: [String] = []
        for n in names.sorted() where n.contains(".part") {
            let p = (backupFolder as NSString).appendingPathComponent(n)
            let d = (try? fm.attributesOfItem(atPath: p)[.modificationDate] as? Date) ?? now
            if removeOld && now.timeIntervalSince(d) > 3600, (try? fm.removeItem(atPath: p)) != nil { removed.append(p) } else { left.append(p) }
        }
        return (removed, left)
    }
}
