import Foundation
import GRDB
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// Backups (SQLite's online backup into a checked 0600 file), restoring one, and the
/// administrator's user changes.
@Suite struct BackupTests {
    func fileStore() throws -> (Store, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jz-\(UUID().uuidString)")
        let s = try Store(path: dir.appendingPathComponent("office.sqlite").path, mode: .create)
        s.passwordIterations = 1000
        try s.write { db in
            try db.execute(sql: """
                INSERT INTO region VALUES ('532927000000', '巍山县', 'county', NULL);
                INSERT INTO region VALUES ('532927101000', '南诏镇', 'township', '532927000000');
                """)
        }
        try s.addUser(name: "admin", role: .admin, password: "demo", by: "cli")
        return (s, dir)
    }

    @Test func backupIsACheckedPrivateCopyAndIsAudited() throws {
        let (s, dir) = try fileStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = Date(timeIntervalSince1970: 1_790_000_000)
        let r = try s.backup(by: "admin", now: t)
        #expect(r.file.path.hasPrefix(dir.appendingPathComponent("backups").path + "/office-"))
        #expect(r.file.path.hasSuffix(".sqlite"))
        let attrs = try FileManager.default.attributesOfItem(atPath: r.file.path)
        #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(r.file.bytes == (attrs[.size] as? Int))
        // Nothing half-made is left, and the copy is one file (not a WAL pair).
        let names = try FileManager.default.contentsOfDirectory(atPath: s.backupFolder)
        // (beside it, its chain head, keyed: a backup cut short is noticed on restore)
        #expect(names.sorted() == [(r.file.path as NSString).lastPathComponent, (r.file.path as NSString).lastPathComponent + ".anchor"], "\(names)")
        let copy = try DatabaseQueue(path: r.file.path)
        #expect(try copy.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "delete")
        #expect(try copy.read { try String.fetchOne($0, sql: "SELECT name FROM app_user") } == "admin")
        #expect(try copy.read { try Audit.verify($0) } == .intact(rows: r.auditRows))
        try copy.close()
        // The database records the backup, after the rows the copy holds.
        let last = try s.read { try Audit.entries($0, limit: 1) }.first
        #expect(last?.action == "backup")
        #expect(last?.id == Int64(r.auditRows + 1))
        #expect(s.backups().map(\.path) == [r.file.path])
        #expect(s.backups().first?.bytes == r.file.bytes)
        // A second backup in the same second gets its own name; a named file is never overwritten.
        let again = try s.backup(by: "admin", now: t)
        #expect(again.file.path == r.file.path.replacingOccurrences(of: ".sqlite", with: "-2.sqlite"))
        #expect(throws: StoreError.alreadyExists(path: r.file.path)) { try s.backup(to: r.file.path, by: "admin", now: t) }
        // A name without an extension is a folder, made if missing.
        let stick = dir.appendingPathComponent("stick").path
        #expect(try s.backup(to: stick, by: "admin", now: t).file.path == stick + "/" + (r.file.path as NSString).lastPathComponent)
        // A named file elsewhere.
        let named = dir.appendingPathComponent("usb-stick.sqlite").path
        #expect(try s.backup(to: named, by: "admin").file.path == named)
    }

    @Test func backupToAFolderThatCannotBeMadeSaysSo() throws {
        let (s, dir) = try fileStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A plain file where the folder should be.
        let file = dir.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: file)
        do { _ = try s.backup(to: file.path + "/sub/", by: "admin"); Issue.record("backed up under a file") }
        catch let e as StoreError { if case .backupFailed = e {} else { Issue.record("\(e)") } }
    }

    @Test func restorePutsTheBackupBackAndKeepsWhatWasThere() throws {
        let (s, dir) = try fileStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        let b = try s.backup(by: "admin", now: Date(timeIntervalSince1970: 1_790_000_000))
        try s.addUser(name: "later", role: .clerk, password: "demo", by: "admin")
        let restored = try s.restore(from: b.file.path, by: "admin", now: Date(timeIntervalSince1970: 1_790_000_100))
        let saved = try #require(restored.saved), rows = restored.auditRows
        #expect(rows == b.auditRows)
        // The user added after the backup is gone from the database ...
        #expect(try s.userStatus("later") == nil)
        #expect(try s.userStatus("admin") != nil)
        // ... and kept in the copy made just before the restore.
        let before = try DatabaseQueue(path: saved.file.path)
        #expect(try before.read { try String.fetchAll($0, sql: "SELECT name FROM app_user ORDER BY id") } == ["admin", "later"])
        try before.close()
        // The restored chain is whole, and ends with the restore.
        guard case .intact(let n) = try s.verifyAudit() else { Issue.record("audit chain broken after restore"); return }
        #expect(n == b.auditRows + 1)
        #expect(try s.read { try Audit.entries($0, limit: 1) }.first?.action == "restore")
        #expect(try s.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
        // The store goes on working.
        try s.addUser(name: "again", role: .clerk, password: "demo", by: "admin")
        #expect(try s.authenticate(name: "again", password: "demo").name == "again")
    }

    @Test func restoreRefusesWhatIsNotABackup() throws {
        let (s, dir) = try fileStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        let junk = dir.appendingPathComponent("junk.sqlite").path
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: junk))
        #expect(throws: StoreError.notADatabase(path: junk)) { try s.restore(from: junk, by: "admin") }
        let other = dir.appendingPathComponent("other.sqlite").path
        let q = try DatabaseQueue(path: other)
        try q.write { try $0.execute(sql: "CREATE TABLE t(x)") }
        try q.close()
        #expect(throws: StoreError.notADatabase(path: other)) { try s.restore(from: other, by: "admin") }
        #expect(throws: StoreError.missingFile(path: other + ".nope")) { try s.restore(from: other + ".nope", by: "admin") }
        // Nothing was changed, and no pre-restore copy was made for a refused restore.
        #expect(try s.userStatus("admin") != nil)
        #expect(s.backups().isEmpty)
    }

    @Test func administratorDisablesEnablesAndResetsPasswords() throws {
        let (s, dir) = try fileStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        try s.addUser(name: "jingban", role: .clerk, password: "old1", by: "admin")
        try s.setUserActive(name: "jingban", active: false, by: "admin")
        #expect(throws: StoreError.accountDisabled("jingban")) { try s.authenticate(name: "jingban", password: "old1") }
        try s.setUserActive(name: "jingban", active: true, by: "admin")
        try s.resetPassword(name: "jingban", password: "new2", by: "admin")
        #expect(try s.authenticate(name: "jingban", password: "new2").name == "jingban")
        #expect(throws: StoreError.loginFailed) { try s.authenticate(name: "jingban", password: "old1") }
        #expect(throws: StoreError.said("store.users.thePasswordNeedsAt")) {
            try s.resetPassword(name: "jingban", password: "abc", by: "admin")
        }
        #expect(throws: StoreError.unknownUser("nobody")) { try s.resetPassword(name: "nobody", password: "abcd", by: "admin") }
        // Not oneself, and never the last administrator.
        #expect(throws: (any Error).self) { try s.setUserActive(name: "admin", active: false, by: "admin") }
        #expect(throws: (any Error).self) { try s.setUserActive(name: "admin", active: false, by: "jingban") }
        try s.addUser(name: "admin2", role: .admin, password: "demo", by: "admin")
        try s.setUserActive(name: "admin", active: false, by: "admin2")
        #expect(try s.userStatuses().map { "\($0.user.name):\($0.user.active)" } == ["admin:false", "jingban:true", "admin2:true"])
        // Each change is audited, and no password is.
        let actions = try s.read { try Audit.entries($0, limit: 20) }.map(\.action)
        for a in ["user.disable", "user.enable", "user.password"] { #expect(actions.contains(a), "\(actions)") }
        let details = try s.read { try String.fetchAll($0, sql: "SELECT detail FROM audit") }.joined()
        #expect(!details.contains("new2"))
    }

    @Test func settingsChangeCheckedStaleRefusedAndAudited() throws {
        let s = try Store()
        let ref = try ReferenceData.load(from: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("data"))
        try s.write { try ref.install(in: $0) }
        try s.addUser(name: "admin", role: .admin, password: "demo", by: "init", iterations: 1000)
        try s.addUser(name: "admin2", role: .admin, password: "demo", by: "admin", iterations: 1000)
        let row = try #require(try s.settingRows().first { $0.key == "publicity_days" })
        #expect(row.value == "7" && !row.description.isEmpty)
        #expect(throws: (any Error).self) { try s.changeSetting(key: "publicity_days", value: "91", version: row.version, by: "admin") }
        #expect(throws: (any Error).self) { try s.changeSetting(key: "publicity_days", value: "seven", version: row.version, by: "admin") }
        try s.changeSetting(key: "publicity_days", value: " 10 ", version: row.version, by: "admin")
        #expect(try s.setting("publicity_days") == "10")
        // The other clerk's box, opened before that change, is refused and changes nothing.
        #expect(throws: StoreError.staleEdit(entity: "setting publicity_days", id: Int64(row.version + 1))) {
            try s.changeSetting(key: "publicity_days", value: "5", version: row.version, by: "admin2")
        }
        #expect(try s.setting("publicity_days") == "10")
        let e = try #require(try s.read { try Audit.entries($0, limit: 1) }.first)
        #expect(e.action == "setting.change" && e.entityId == "publicity_days")
        #expect(e.detail.contains("\"before\":\"7\"") && e.detail.contains("\"after\":\"10\""), "\(e.detail)")
        #expect(throws: StoreError.notFound(entity: "setting", id: "no_such")) { try s.changeSetting(key: "no_such", value: "x", version: 1, by: "admin") }
    }

    @Test func automaticBackupsWhenDueKeepingTheNewest() throws {
        let (s, dir) = try fileStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        try s.write { db in
            try Store.setSetting(db, "auto_backup_days", "1")
            try Store.setSetting(db, "auto_backup_keep", "2")
        }
        let t0 = Date()
        // None yet: one is made, named as automatic.
        let first = try #require(try s.autoBackupIfDue(by: "jingban", now: t0).made)
        #expect(first.file.isAutomatic && first.file.path.contains("/office-auto-"))
        // Not again the same day, nor after a person's backup within the day.
        #expect(try s.autoBackupIfDue(by: "jingban", now: t0.addingTimeInterval(3600)).made == nil)
        let manual = try s.backup(by: "admin", now: t0.addingTimeInterval(60))
        #expect(!manual.file.isAutomatic)
        // A day on: another; three days on: a third, and the oldest automatic one goes.
        let second = try #require(try s.autoBackupIfDue(by: "jingban", now: t0.addingTimeInterval(86_400 + 120)).made)
        let third = try s.autoBackupIfDue(by: "jingban", now: t0.addingTimeInterval(3 * 86_400))
        #expect(third.made != nil && third.removed == [first.file.path])
        let left = Set(s.backups().map(\.path))
        #expect(left == [manual.file.path, second.file.path, third.made!.file.path], "\(left)")
        // 0 turns it off.
        try s.write { db in try Store.setSetting(db, "auto_backup_days", "0") }
        #expect(try s.autoBackupIfDue(by: "jingban", now: t0.addingTimeInterval(30 * 86_400)).made == nil)
    }

    @Test func aBrokenChainStillGetsBackedUpAndRestoredOver() throws {
        let (s, dir) = try fileStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = try s.backup(by: "admin", now: Date(timeIntervalSince1970: 1_790_000_000))
        #expect(good.chainProblem == nil)
        try s.addUser(name: "later", role: .clerk, password: "demo", by: "admin")
        // Someone edits the log with a SQLite tool: the chain breaks.
        let q = try DatabaseQueue(path: s.path)
        try q.write { try $0.execute(sql: "UPDATE audit SET user = 'x' WHERE id = 2") }
        try q.close()
        // A backup is still made (it is when one is most needed), and says what is wrong.
        let broken = try s.backup(by: "admin", now: Date(timeIntervalSince1970: 1_790_000_050))
        #expect(broken.chainProblem?.contains("row 2") == true, "\(String(describing: broken.chainProblem))")
        // Restoring over it works and keeps what was there.
        let r = try s.restore(from: good.file.path, by: "admin", now: Date(timeIntervalSince1970: 1_790_000_100))
        #expect(r.saved != nil)
        #expect(try s.userStatus("later") == nil)
        #expect(try s.verifyAudit() == .intact(rows: good.auditRows + 1))
        #expect(try s.read { try Audit.entries($0, limit: 1) }.first?.action == "restore")
    }

    @Test func aDatabaseThatCannotBeOpenedIsRescuedAndKeptAside() throws {
        let (s, dir) = try fileStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = try s.backup(by: "admin", now: Date(timeIntervalSince1970: 1_790_000_000))
        try s.close()
        // Flip bytes in the middle of the file: it no longer opens.
        var image = try Data(contentsOf: URL(fileURLWithPath: s.path))
        for i in stride(from: 4096 + 100, to: image.count - 100, by: 5) { image[i] ^= 0x33 }
        try image.write(to: URL(fileURLWithPath: s.path))
        #expect(throws: (any Error).self) { try Store(path: s.path, mode: .mustExist) }
        let r = try Store.rescue(database: s.path, from: good.file.path, by: "admin", now: Date(timeIntervalSince1970: 1_790_000_100))
        #expect(r.auditRows == good.auditRows)
        // The damaged file is kept aside, byte for byte.
        let kept = try #require(r.keptAside.first)
        #expect(kept.contains("-damaged-"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: kept)) == image)
        let back = try Store(path: s.path, mode: .mustExist)
        #expect(try back.verifyAudit() == .intact(rows: good.auditRows + 1))
        #expect(try back.userStatus("admin") != nil)
        // An empty file in its place is rescued the same way.
        try back.close()
        for f in [s.path, s.path + "-wal", s.path + "-shm"] { unlink(f) }
        #expect(FileManager.default.createFile(atPath: s.path, contents: Data()))
        let r2 = try Store.rescue(database: s.path, from: good.file.path, by: "admin")
        #expect(r2.keptAside.count == 1)
        #expect(try Store(path: s.path, mode: .readOnly).verifyAudit() == .intact(rows: good.auditRows + 1))
    }

    @Test func partLeftoversAreListedAndOldOnesRemoved() throws {
        let (s, dir) = try fileStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(atPath: s.backupFolder, withIntermediateDirectories: true)
        let old = s.backupFolder + "/office-1.sqlite.part", young = s.backupFolder + "/office-2.sqlite.part"
        #expect(FileManager.default.createFile(atPath: old, contents: Data(count: 10)))
        #expect(FileManager.default.createFile(atPath: young, contents: Data(count: 10)))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: old)
        let (removed, left) = s.partLeftovers(removeOld: true)
        #expect(removed == [old])
        #expect(left == [young])
        #expect(!FileManager.default.fileExists(atPath: old))
    }
}
