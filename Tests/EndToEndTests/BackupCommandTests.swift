import Foundation
import Testing

/// `jiuzhu backup` and `jiuzhu restore` on a small demo township, through the binary.
@Suite(.serialized) struct BackupCommandTests {
    @Test func backUpChangeAndRestore() throws {
        let dir = Binary.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("office.sqlite").path
        #expect(try Binary.run(["demo", "--db", db, "--households", "30"]).status == 0)

        let b = try Binary.run(["backup", "--db", db])
        #expect(b.status == 0, "\(b.stderr)")
        #expect(b.stdout.contains("完整性检查通过"), "\(b.stdout)")
        let folder = dir.appendingPathComponent("backups").path
        // The backup and its keyed chain head beside it.
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".sqlite") }
        #expect(files.count == 1, "\(files)")
        #expect(FileManager.default.fileExists(atPath: folder + "/" + files[0] + ".anchor"))
        let backup = folder + "/" + files[0]
        #expect((try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try Binary.run(["backup", "--db", db, "--list"]).stdout.contains(backup))

        // A change after the backup.
        // (the administrator's password first, then the new user's)
        let add = try Binary.run(["user", "add", "later", "--role", "clerk", "--db", db, "--user", "admin", "--password-stdin"], stdin: "demo\nabcd\n")
        #expect(add.status == 0, "\(add.stderr)")

        // Without --yes the backup is only checked. (The demo's 30 households are 31 when its
        // recorded changes include a 分户.)
        let check = try Binary.run(["restore", backup, "--db", db])
        #expect(check.status == 0 && (check.stdout.contains("30 户") || check.stdout.contains("31 户")) && check.stdout.contains("--yes"), "\(check.stdout)\(check.stderr)")
        #expect(try Binary.run(["user", "list", "--db", db]).stdout.contains("later"))

        // Only an administrator, after the password, restores; the restore is audited under them.
        let noUser = try Binary.run(["restore", backup, "--db", db, "--yes"])
        #expect(noUser.status != 0 && noUser.stderr.contains("--user"), "\(noUser.stderr)")
        let clerk = try Binary.run(["restore", backup, "--db", db, "--yes", "--user", "jingban", "--password-stdin"], stdin: "demo\n")
        #expect(clerk.status != 0 && clerk.stderr.contains("jingban"), "\(clerk.stderr)")
        let restore = try Binary.run(["restore", backup, "--db", db, "--yes", "--user", "admin", "--password-stdin"], stdin: "demo\n")
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(Binary.sqlite(db, "SELECT user FROM audit WHERE action = 'restore' ORDER BY id DESC LIMIT 1") == "admin")
        #expect(!(try Binary.run(["user", "list", "--db", db]).stdout.contains("later")))
        // The database as it was before the restore is kept, and the restored one verifies.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".sqlite") }.count == 2)
        let v = try Binary.run(["verify", "--db", db])
        #expect(v.status == 0, "\(v.stdout)\(v.stderr)")

        // Refusals say what happened and change nothing.
        let bad = try Binary.run(["restore", db + ".nope", "--db", db, "--yes", "--user", "admin", "--password-stdin"], stdin: "demo\n")
        #expect(bad.status != 0 && bad.stderr.contains("什么也没有改动"), "\(bad.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".sqlite") }.count == 2)
    }
}
