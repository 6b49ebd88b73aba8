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
}
