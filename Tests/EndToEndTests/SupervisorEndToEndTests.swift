import Foundation
import Testing

/// The county supervisor through the real binary in tmux at 80×24: the case browser narrowed to
/// one village and programme, then a spot-check sample drawn with a given seed.
@Suite(.serialized) struct SupervisorEndToEndTests {
    @Test(.enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux)")) func duzhaFiltersTheBrowserAndDrawsASample() throws {
        let db = try SurveyTests.demoCopy("supervisor.sqlite")
        let village = try #require(Binary.sqlite(db, """
            SELECT r.name FROM assistance_case c JOIN region r ON r.code = c.village_code
            WHERE c.programme = 'rural_dibao' AND c.status = 'active' GROUP BY r.code ORDER BY count(*) DESC LIMIT 1
            """))
        let expected = try #require(Binary.sqlite(db, """
            SELECT count(*) FROM assistance_case c JOIN region r ON r.code = c.village_code
            WHERE c.programme = 'rural_dibao' AND r.name = '\(village)'
            """))
        let t = try Tmux(width: 80, height: 24)
        try t.startDemo(db: db, user: "duzha")
        try t.waitFor("对象查询")
        try t.type("5")
        try t.waitFor("月保障金合计")
        try t.key("F3")
        try t.waitFor("筛选（可组合")
        try t.type("农村低保"); try t.key("Tab"); try t.type(village); try t.key("F2")
        let filtered = try t.waitFor("共 \(expected) 件")
        #expect(filtered.contains("筛选：农村低保 · \(village)"))
        try t.key("Escape")
        try t.waitFor("主菜单")
        try t.type("6")
        try t.waitFor("抽查督查")
        try t.key("F7")
        try t.waitFor("新抽样")
        try t.key("Tab"); try t.key("BSpace"); try t.key("BSpace"); try t.type("50")
        try t.key("Tab"); try t.type("20261123")
        try t.key("F2")
        try t.waitFor("种子 20261123")
        try t.key("Enter")
        let sample = try t.waitFor("在保")
        #expect(sample.contains("50%"))
        try t.quitApp()
        #expect(Binary.sqlite(db, "SELECT seed || ' ' || percent FROM spot_check_draw ORDER BY id DESC LIMIT 1") == "20261123 50")
        let n = Int(Binary.sqlite(db, "SELECT count(*) FROM spot_check") ?? "0") ?? 0
        #expect(n > 0)
    }

    /// The approver settles the demo's spot-check discrepancy that proposes an adjustment: the
    /// case found from 对象查询 by the head's name, F2 调整待遇 with the re-estimated income
    /// prefilled, F2 to submit; the follow-up is closed as adjusted and the new amount is the
    /// case's.
    @Test(.enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux)")) func shenpiAdjustsACaseAfterASpotCheck() throws {
        let db = try SurveyTests.demoCopy("followup.sqlite")
        let row = try #require(Binary.sqlite(db, """
            SELECT c.id || '|' || h.head_name || '|' || c.monthly_amount_fen FROM case_followup f JOIN assistance_case c ON c.id = f.case_id
            JOIN household h ON h.id = c.household_id WHERE f.source = 'spotcheck' AND f.proposed = 'adjust' AND f.closed_on IS NULL LIMIT 1
            """)).split(separator: "|").map(String.init)
        let (caseId, head, before) = (row[0], row[1], row[2])
        let t = try Tmux(width: 80, height: 24)
        try t.startDemo(db: db, user: "shenpi")
        try t.waitFor("对象查询")
        try t.type("5")
        try t.waitFor("月保障金合计")
        try t.type(head)
        try t.waitFor(head)
        try t.key("Enter")
        let file = try t.waitFor("跟进处理")
        #expect(file.contains("建议调整"))
        #expect(file.contains("F2 调整"))
        try t.key("F2")
        try t.waitFor("重估人均月收入")
        try t.key("F2")
        try t.waitFor("办理完成")
        try t.key("Enter")
        try t.quitApp()
        #expect(Binary.sqlite(db, "SELECT outcome FROM case_followup WHERE case_id = \(caseId) AND source = 'spotcheck'") == "adjusted")
        #expect(Binary.sqlite(db, "SELECT action FROM case_step WHERE case_id = \(caseId) ORDER BY id DESC LIMIT 1") == "adjust")
        let after = Binary.sqlite(db, "SELECT monthly_amount_fen FROM assistance_case WHERE id = \(caseId)")
        #expect(after != nil && after != before)
        #expect(Binary.sqlite(db, "SELECT json_extract(inputs, '$.perCapitaIncomeFen') FROM case_step WHERE case_id = \(caseId) ORDER BY id DESC LIMIT 1") == "48000")
        #expect(try Binary.run(["verify", "--db", db]).status == 0)
    }
}
