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
}

extension Store {
    public struct BackupCheck: Equatable, Sendable {
        public var auditRows: Int
        public var households: Int
    }

    /// Check a backup without changing it: read-only, `quick_check`, the audit chain walked.
    public static func checkBackup(_ source: String) throws -> BackupCheck {
        let (q, check) = try openBackup(source)
        try q.close()
        return check
    }

    static func openBackup(_ source: String) throws -> (DatabaseQueue, BackupCheck) {
        guard FileManager.default.fileExists(atPath: source) else { throw StoreError.missingFile(path: source) }
        var config = Configuration()
        config.readonly = true
        do {
            let q = try DatabaseQueue(path: source, configuration: config)
            let check = try q.read { db -> BackupCheck in
                let problems = try String.fetchAll(db, sql: "PRAGMA quick_check").filter { $0 != "ok" }
                if !problems.isEmpty { throw StoreError.corrupt(path: source, detail: problems.prefix(3).joined(separator: "; ")) }
                guard try db.tableExists("audit"), try db.tableExists("household") else { throw StoreError.notADatabase(path: source) }
                let households = try Int.fetchOne(db, sql: "SELECT count(*) FROM household") ?? 0
                switch try Audit.verify(db) {
                case .intact(let n): return BackupCheck(auditRows: n, households: households)
                case .broken(let row, let why): throw StoreError.auditBroken(atRow: row, detail: why)
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
        close(fd)
        func discard() { for f in [part, part + "-wal", part + "-shm", part + "-journal"] { try? fm.removeItem(atPath: f) } }
        let rows: Int
        do {
            var config = Configuration()
            config.busyMode = .timeout(5)
            let copy = try DatabaseQueue(path: part, configuration: config)
            try writer.backup(to: copy)
            rows = try copy.writeWithoutTransaction { db -> Int in
                // One file, not a WAL pair: a backup is copied to a USB stick as it is.
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                let problems = try String.fetchAll(db, sql: "PRAGMA quick_check").filter { $0 != "ok" }
                if !problems.isEmpty { throw StoreError.corrupt(path: dest, detail: problems.prefix(3).joined(separator: "; ")) }
                switch try Audit.verify(db) {
                case .intact(let n): return n
                case .broken(let row, let why): throw StoreError.auditBroken(atRow: row, detail: why)
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
        guard rename(part, dest) == 0 else {
            let why = String(cString: strerror(errno))
            discard(); throw StoreError.backupFailed(path: dest, detail: why)
        }
        let bytes = (try? fm.attributesOfItem(atPath: dest)[.size] as? Int) ?? 0
        try write { db in
            try Audit.append(db, user: actor, action: "backup", entity: "database", entityId: (path as NSString).lastPathComponent,
                             detail: Audit.detail(["to": dest, "bytes": String(bytes), "audit_rows": String(rows)]))
        }
        return BackupResult(file: BackupFile(path: dest, bytes: bytes, written: ClockText.local(now, "%Y-%m-%d %H:%M"), modified: now), auditRows: rows)
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
            if (try? FileManager.default.removeItem(atPath: old.path)) != nil { removed.append(old.path) }
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

    /// Put a backup back: the backup is checked first (quick_check, audit chain); then the
    /// database as it is now is itself backed up (its path is returned), and the backup's pages
    /// are copied into it through SQLite's online backup, so nothing is ever lost by a restore.
    public func restore(from source: String, by actor: String, now: Date = Date()) throws -> (saved: BackupResult, auditRows: Int) {
        let (from, check) = try Store.openBackup(source)
        let saved = try backup(by: actor, now: now)
        let rows = check.auditRows
        do {
            try from.backup(to: writer)
            try Store.migrator.migrate(writer)
            try write { db in
                try Audit.append(db, user: actor, action: "restore", entity: "database", entityId: (path as NSString).lastPathComponent,
                                 detail: Audit.detail(["from": source, "previous_saved_to": saved.file.path]))
            }
        } catch let e as DatabaseError {
            throw Store.translate(e, path: path)
        }
        return (saved, rows)
    }
}
