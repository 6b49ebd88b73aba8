import Foundation
import Testing

@Suite(.serialized) struct CLITests {
    @Test func checkIDAgreesWithTheStandard() throws {
        let r = try Binary.run(["check-id", "11010519491231002X", "110105194912310021", "440524800101001", "12345", "--lang", "en"])
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0] == "11010519491231002X\tOK\t1949-12-31\t女")
        #expect(lines[1].hasPrefix("110105194912310021\tINVALID\t"))
        #expect(lines[1].contains("X"))          // names the expected check character
        #expect(lines[2].hasPrefix("440524800101001\tOK\t1980-01-01\t男"))
        #expect(lines[2].contains("440524198001010013"))
        #expect(lines[3].hasPrefix("12345\tINVALID"))
        #expect(r.status == 1)
        let ok = try Binary.run(["check-id", "-"], stdin: "11010519491231002X\n")
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("\tOK\t"))
        let zh = try Binary.run(["check-id", "110105194912310021", "--lang", "zh"])
        #expect(zh.stdout.contains("校验位错误"))
    }

    @Test func demoIsDeterministic() throws {
        let d = Binary.tempDir()
        let a = d.appendingPathComponent("a.sqlite").path, b = d.appendingPathComponent("b.sqlite").path
        let c = d.appendingPathComponent("c.sqlite").path
        #expect(try Binary.run(["demo", "--db", a, "--households", "300", "--seed", "7"]).status == 0)
        #expect(try Binary.run(["demo", "--db", b, "--households", "300", "--seed", "7"]).status == 0)
        #expect(try Binary.run(["demo", "--db", c, "--households", "300", "--seed", "8"]).status == 0)
        let q = "SELECT group_concat(name || id_number || relation || birth_date, '|') FROM (SELECT * FROM person ORDER BY id)"
        let qa = Binary.sqlite(a, q), qb = Binary.sqlite(b, q), qc = Binary.sqlite(c, q)
        #expect(qa != nil && qa == qb)
        #expect(qa != qc)
        let cases = "SELECT group_concat(programme || step || status || ifnull(monthly_amount_fen, ''), '|') FROM (SELECT * FROM assistance_case ORDER BY id)"
        #expect(Binary.sqlite(a, cases) == Binary.sqlite(b, cases))
        let ea = try Binary.run(["export", "households", "--db", a]).stdout
        let eb = try Binary.run(["export", "households", "--db", b]).stdout
        #expect(ea == eb && !ea.isEmpty)
        // Refuses to overwrite.
        #expect(try Binary.run(["demo", "--db", a, "--households", "10"]).status != 0)
    }

    @Test func exportMasksIDsAndWritesBOM() throws {
        let db = Binary.sharedDemo
        let out = Binary.tempDir().appendingPathComponent("h.csv").path
        let r = try Binary.run(["export", "households", "--db", db, "--format", "csv", "-o", out])
        #expect(r.status == 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: out))
        #expect(data.prefix(3) == Data([0xEF, 0xBB, 0xBF]))
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\r\n")
        #expect(lines.count == 602)   // 600 households made, one the demo's 分户 made, and the header
        #expect(lines[0].contains("户主"))
        // No 18-character ID number anywhere.
        #expect(text.range(of: #"\d{17}[\dX]"#, options: .regularExpression) == nil)
        #expect(text.contains("********"))
        let perms = try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int
        #expect(perms == 0o600)
    }

    @Test func unmaskedExportNeedsAnAdminAndIsAudited() throws {
        let d = Binary.tempDir()
        let db = d.appendingPathComponent("o.sqlite").path
        #expect(try Binary.run(["demo", "--db", db, "--households", "50", "--seed", "3"]).status == 0)
        let denied = try Binary.run(["export", "households", "--db", db, "--unmasked", "--user", "jingban", "--password-stdin"], stdin: "demo\n")
        #expect(denied.status != 0)
        #expect(denied.stdout.isEmpty)
        let wrong = try Binary.run(["export", "households", "--db", db, "--unmasked", "--user", "admin", "--password-stdin"], stdin: "nope\n")
        #expect(wrong.status != 0)
        let ok = try Binary.run(["export", "households", "--db", db, "--unmasked", "--user", "admin", "--password-stdin"], stdin: "demo\n")
        #expect(ok.status == 0)
        #expect(ok.stdout.range(of: #"\d{17}[\dX]"#, options: .regularExpression) != nil)
        #expect(Binary.sqlite(db, "SELECT count(*) FROM audit WHERE action = 'export.unmasked' AND user = 'admin'") == "1")
        #expect(try Binary.run(["verify", "--db", db]).status == 0)
    }

    @Test func initCreatesAnOfficeAndRefusesToOverwrite() throws {
        let d = Binary.tempDir()
        let db = d.appendingPathComponent("office.sqlite").path
        let r = try Binary.run(["init", "--db", db, "--county-code", "532927", "--township", "南诏镇", "--admin", "boss", "--password-stdin"],
                               stdin: "s3cret\n")
        #expect(r.status == 0, "\(r.stderr)")
        let perms = try FileManager.default.attributesOfItem(atPath: db)[.posixPermissions] as? Int
        #expect(perms == 0o600)
        // Every change after the first init is made as a named user, after the password.
        let noUser = try Binary.run(["region", "add", "201", "李家村", "--db", db, "--lang", "en"])
        #expect(noUser.status != 0 && noUser.stderr.contains("--user"), "\(noUser.stderr)")
        let wrong = try Binary.run(["region", "add", "201", "李家村", "--db", db, "--user", "boss", "--password-stdin", "--lang", "en"], stdin: "nope\n")
        #expect(wrong.status != 0 && wrong.stderr.contains("Wrong user name or password"), "\(wrong.stderr)")
        let nobody = try Binary.run(["region", "add", "201", "李家村", "--db", db, "--user", "nobody", "--password-stdin", "--lang", "en"], stdin: "s3cret\n")
        #expect(nobody.stderr == wrong.stderr, "the message must not tell a wrong name from a wrong password")
        #expect(try Binary.run(["region", "add", "201", "李家村", "--db", db, "--user", "boss", "--password-stdin"], stdin: "s3cret\n").stdout.contains("532927001201"))
        #expect(try Binary.run(["user", "add", "clerk1", "--role", "经办员", "--db", db, "--user", "boss", "--password-stdin"], stdin: "s3cret\npw1234\n").status == 0)
        #expect(Binary.sqlite(db, "SELECT user FROM audit WHERE action LIKE 'user.add%' ORDER BY id DESC LIMIT 1") == "boss")
        // A clerk cannot add users.
        let byClerk = try Binary.run(["user", "add", "x2", "--role", "admin", "--db", db, "--user", "clerk1", "--password-stdin"], stdin: "pw1234\nabcd\n")
        #expect(byClerk.status != 0)
        #expect(Binary.sqlite(db, "SELECT count(*) FROM app_user WHERE name = 'x2'") == "0")
        // Failed log-ins are audited, an unknown name too.
        #expect(Binary.sqlite(db, "SELECT count(*) FROM audit WHERE action = 'login.failed'") == "2")
        let users = try Binary.run(["user", "list", "--db", db, "--lang", "en"]).stdout
        #expect(users.contains("boss\tadmin") && users.contains("clerk1\tclerk"))
        let again = try Binary.run(["init", "--db", db, "--county-code", "532927", "--township", "x", "--admin", "y", "--password-stdin"], stdin: "zzzz\n")
        #expect(again.status != 0)
        #expect(again.stderr.contains(db))
        #expect(Binary.sqlite(db, "SELECT count(*) FROM ref_code WHERE kind = 'ethnicity'").map { Int($0)! >= 56 } == true)
    }

    @Test func badDatabaseFilesGiveAParagraphNotAStackTrace() throws {
        let d = Binary.tempDir()
        let missing = try Binary.run(["user", "list", "--db", d.appendingPathComponent("none.sqlite").path, "--lang", "en"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("does not exist"))
        let garbage = d.appendingPathComponent("garbage.sqlite")
        try Data(repeating: 0x42, count: 4096).write(to: garbage)
        let g = try Binary.run(["user", "list", "--db", garbage.path, "--lang", "en"])
        #expect(g.status != 0)
        #expect(g.stderr.contains(garbage.path))
        #expect(!g.stderr.contains("Fatal error"))
        let ro = d.appendingPathComponent("ro.sqlite").path
        _ = try Binary.run(["demo", "--db", ro, "--households", "5"])
        chmod(ro, 0o400)
        if getuid() != 0 {   // root can write anything; the check only means something for a clerk's account
            let r = try Binary.run(["region", "add", "299", "x", "--db", ro, "--lang", "en"])
            #expect(r.stderr.contains("read-only"))
        }
    }
}
