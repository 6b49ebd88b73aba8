import Foundation
import Testing

/// Issue 21 end to end: a birth recorded in a household on rural 低保 reaches the approver as a
/// 增员 follow-up; the approver adjusts the case on its screen; next month's roster pays the new
/// amount for the new number of persons. (The birth is recorded with `jiuzhu household change`,
/// the same store call as the card's form would make.)
@Suite(.serialized) struct HouseholdChangeEndToEndTests {
    @Test(.enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux)")) func aBirthReachesTheApproverAndTheNextRoster() throws {
        let db = try SurveyTests.demoCopy("birth.sqlite")
        let row = try #require(Binary.sqlite(db, """
            SELECT h.id || '|' || h.head_name || '|' || c.id || '|' || c.covered_members FROM household h
            JOIN assistance_case c ON c.household_id = h.id AND c.programme = 'rural_dibao' AND c.status = 'active'
            WHERE NOT EXISTS (SELECT 1 FROM case_followup f WHERE f.case_id = c.id AND f.closed_on IS NULL)
              AND (SELECT count(*) FROM household h2 WHERE h2.head_name = h.head_name) = 1
              AND (SELECT count(*) FROM assistance_case c2 WHERE c2.household_id = h.id) = 1 AND c.covered_members = h.member_count
            ORDER BY h.id LIMIT 1
            """)).split(separator: "|").map(String.init)
        let (hid, head, caseId, covered) = (row[0], row[1], row[2], Int(row[3]) ?? 0)
        let birth = try Binary.run(["household", "change", hid, "--db", db, "--lang", "zh", "--kind", "birth", "--name", "端到端", "--birth-cert",
                                    "Q532088888", "--born", "2026-11-02", "--sex", "male", "--relation", "41", "--on", "2026-11-20",
                                    "--reason", "新生儿出生", "--user", "jingban", "--password-stdin"], stdin: "demo\n")
        #expect(birth.status == 0 && birth.stdout.contains("增员"), "\(birth.stdout)\(birth.stderr)")

        let t = try Tmux(width: 80, height: 24)
        try t.startDemo(db: db, user: "shenpi")
        try t.waitFor("对象查询")
        try t.type("5")
        try t.waitFor("月保障金合计")
        try t.type(head)
        try t.waitFor(head)
        try t.key("Enter")
        let file = try t.waitFor("跟进处理")
        #expect(file.contains("户籍变动") || file.contains("增员"), "\(file)")
        try t.key("F2")
        try t.waitFor("重估人均月收入")
        try t.key("F2")
        try t.waitFor("办理完成")
        try t.key("Enter")
        try t.quitApp()

        #expect(Binary.sqlite(db, "SELECT outcome FROM case_followup WHERE case_id = \(caseId) AND source = 'household'") == "adjusted")
        #expect(Binary.sqlite(db, "SELECT covered_members FROM assistance_case WHERE id = \(caseId)") == String(covered + 1))
        let amount = try #require(Binary.sqlite(db, "SELECT monthly_amount_fen FROM assistance_case WHERE id = \(caseId)"))
        // The adjustment pays from the month after its date (payment_start_months 1).
        let adjusted = try #require(Binary.sqlite(db, "SELECT acted_on FROM case_step WHERE case_id = \(caseId) AND action = 'adjust' ORDER BY id DESC LIMIT 1"))
        let parts = adjusted.split(separator: "-").compactMap { Int($0) }
        let month = parts[1] == 12 ? String(format: "%04d-01", parts[0] + 1) : String(format: "%04d-%02d", parts[0], parts[1] + 1)
        let made = try Binary.run(["roster", "make", "--db", db, "--program", "rural_dibao", "--month", month, "--user", "shenpi", "--password-stdin"],
                                  stdin: "demo\n")
        #expect(made.status == 0, "\(made.stdout)\(made.stderr)")
        let line = Binary.sqlite(db, """
            SELECT l.amount_fen || '|' || l.persons FROM payment_line l JOIN payment_roster r ON r.id = l.roster_id
            WHERE r.month = '\(month)' AND l.case_id = \(caseId)
            """)
        #expect(line == "\(amount)|\(covered + 1)")
        #expect(try Binary.run(["verify", "--db", db]).status == 0)
    }
}
