import Foundation
import Testing

/// `jiuzhu household show` and `jiuzhu household change` as the real binary (issue 21, item 7):
/// a change is on the card's history, masked, and reaches the approver as a follow-up.
@Suite(.serialized) struct HouseholdCommandTests {
    @Test func theDemoCardShowsItsChangeHistoryMasked() throws {
        let db = Binary.sharedDemo
        let hid = try #require(Binary.sqlite(db, "SELECT household_id FROM household_change WHERE kind = 'birth' LIMIT 1"))
        let r = try Binary.run(["household", "show", hid, "--db", db, "--lang", "zh"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("变动记录") && r.stdout.contains("出生：") && r.stdout.contains("登记:jingban"), "\(r.stdout)")
        #expect(r.stdout.contains("出生证"))
        // No full ID number, phone or card.
        #expect(r.stdout.range(of: #"\d{17}[\dX]"#, options: .regularExpression) == nil)
        #expect(r.stdout.range(of: #"1[3-9]\d{9}"#, options: .regularExpression) == nil)
        let en = try Binary.run(["household", "show", hid, "--db", db, "--lang", "en"])
        #expect(en.status == 0 && en.stdout.contains("Change history") && en.stdout.contains("birth"), "\(en.stdout)")
        let none = try Binary.run(["household", "show", "999999", "--db", db])
        #expect(none.status != 0 && !none.stderr.isEmpty)
    }

    @Test func aChangeFromTheCommandLineNeedsThePasswordAndOpensAFollowUp() throws {
        let db = Binary.tempDir().appendingPathComponent("demo.sqlite").path
        try Binary.copyDatabase(Binary.sharedDemo, to: db)
        // A household on rural 低保 with no open follow-up.
        let hid = try #require(Binary.sqlite(db, """
            SELECT h.id FROM household h JOIN assistance_case c ON c.household_id = h.id AND c.programme = 'rural_dibao' AND c.status = 'active'
            WHERE NOT EXISTS (SELECT 1 FROM case_followup f WHERE f.case_id = c.id AND f.closed_on IS NULL) ORDER BY h.id LIMIT 1
            """))
        let args = ["household", "change", hid, "--db", db, "--lang", "zh", "--kind", "birth", "--name", "测试宝", "--birth-cert", "Q532099999",
                    "--born", "2026-11-01", "--sex", "female", "--relation", "41", "--on", "2026-11-20", "--reason", "新生儿出生"]
        // Without a user, nothing is changed.
        let anonymous = try Binary.run(args)
        #expect(anonymous.status != 0 && anonymous.stderr.contains("--user"), "\(anonymous.stderr)")
        // The supervisor may not.
        let supervisor = try Binary.run(args + ["--user", "duzha", "--password-stdin"], stdin: "demo\n")
        #expect(supervisor.status != 0, "\(supervisor.stdout)")
        // A bad certificate is refused with a reason.
        var bad = args; bad[bad.firstIndex(of: "Q532099999")!] = "12"
        let refused = try Binary.run(bad + ["--user", "jingban", "--password-stdin"], stdin: "demo\n")
        #expect(refused.status != 0 && refused.stderr.contains("出生医学证明"), "\(refused.stderr)")
        let ok = try Binary.run(args + ["--user", "jingban", "--password-stdin"], stdin: "demo\n")
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("增员") && ok.stdout.contains("拟调整为"), "\(ok.stdout)")
        let count = Binary.sqlite(db, """
            SELECT count(*) FROM case_followup f JOIN assistance_case c ON c.id = f.case_id
            WHERE c.household_id = \(hid) AND f.source = 'household' AND f.closed_on IS NULL
            """)
        #expect(count == "1")
        let show = try Binary.run(["household", "show", hid, "--db", db])
        #expect(show.stdout.contains("测试宝"), "\(show.stdout)")
        let verify = try Binary.run(["verify", "--db", db])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    /// `household change|split|merge` sign in as the other guarded commands: a user and their
    /// password; the store then checks the user's role as the screens do (clerk, reviewer,
    /// approver; not the administrator nor the supervisor). A wrong password or an unknown name
    /// changes nothing.
    @Test func whoMayRecordAChangeSplitOrMergeFromTheCommandLine() throws {
        let db = Binary.tempDir().appendingPathComponent("roles.sqlite").path
        try Binary.copyDatabase(Binary.sharedDemo, to: db)
        let hid = try #require(Binary.sqlite(db, """
            SELECT h.id FROM household h WHERE h.member_count >= 3 AND h.merged_into IS NULL AND EXISTS (SELECT 1 FROM person p WHERE p.household_id = h.id AND p.relation <> '02' AND p.birth_date < '2000-01-01' AND p.died_on IS NULL AND p.left_on IS NULL)
              AND NOT EXISTS (SELECT 1 FROM assistance_case c WHERE c.household_id = h.id) ORDER BY h.id LIMIT 1
            """))
        let changes = { Binary.sqlite(db, "SELECT count(*) FROM household_change") }
        let before = changes()
        func phone(_ n: Int, _ user: String, password: String = "demo") throws -> (status: Int32, stdout: String, stderr: String) {
            let r = try Binary.run(["household", "change", hid, "--db", db, "--lang", "en", "--kind", "facts", "--phone", "1390872\(String(format: "%04d", n))",
                                    "--reason", "called in", "--user", user, "--password-stdin"], stdin: password + "\n")
            return (r.status, r.stdout, r.stderr)
        }
        for (n, u) in ["admin", "duzha"].enumerated() {
            let r = try phone(n, u)
            #expect(r.status != 0 && r.stderr.contains("clerk"), "\(u): \(r.stderr)")
        }
        let wrong = try phone(5, "jingban", password: "nope")
        #expect(wrong.status != 0, "\(wrong.stdout)")
        let nobody = try phone(6, "nobody")
        #expect(nobody.status != 0, "\(nobody.stdout)")
        #expect(changes() == before)
        for (n, u) in ["jingban", "shenhe", "shenpi"].enumerated() {
            let r = try phone(10 + n, u)
            #expect(r.status == 0, "\(u): \(r.stderr)")
        }
        #expect(Int(changes() ?? "") == (Int(before ?? "") ?? -99) + 3)
        #expect(Binary.sqlite(db, "SELECT recorded_by FROM household_change ORDER BY id DESC LIMIT 1") == "shenpi")
        // A split: refused for the administrator, done by the reviewer; a merge back by the approver.
        let member = try #require(Binary.sqlite(db, "SELECT id FROM person WHERE household_id = \(hid) AND relation <> '02' AND died_on IS NULL AND left_on IS NULL AND birth_date < '2000-01-01' ORDER BY id DESC LIMIT 1"))
        let split = ["household", "split", hid, "--db", db, "--lang", "en", "--persons", member, "--new-head", member, "--address", "附1号",
                     "--reason", "set up on their own", "--password-stdin"]
        let refused = try Binary.run(split + ["--user", "admin"], stdin: "demo\n")
        #expect(refused.status != 0, "\(refused.stdout)")
        let done = try Binary.run(split + ["--user", "shenhe"], stdin: "demo\n")
        #expect(done.status == 0, "\(done.stderr)")
        let nid = try #require(Binary.sqlite(db, "SELECT household_id FROM person WHERE id = \(member)"))
        #expect(nid != hid)
        let merge = ["household", "merge", nid, "--into", hid, "--db", db, "--lang", "en", "--persons", "\(member):20", "--reason", "came back",
                     "--password-stdin"]
        let noUser = try Binary.run(Array(merge.dropLast()), stdin: "")
        #expect(noUser.status != 0 && noUser.stderr.contains("--user"), "\(noUser.stderr)")
        let merged = try Binary.run(merge + ["--user", "shenpi"], stdin: "demo\n")
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(Binary.sqlite(db, "SELECT household_id FROM person WHERE id = \(member)") == hid)
        let verify = try Binary.run(["verify", "--db", db])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }
}
