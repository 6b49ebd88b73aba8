import Foundation
import Testing

/// 审核审批 through the real binary in tmux at 80×24: the reviewer logs in, narrows the queue to
/// rural 低保, opens the case that has waited longest, reads the rule table, and approves.
@Suite(.serialized) struct ReviewEndToEndTests {
    /// The reviewer, on a copy of the demo named `name`: `3`, the queue narrowed to rural 低保
    /// (F6), Enter on the selected line: the first, the case most overdue or else the longest
    /// waiting, at 乡镇审核. Returns the database, the session and that case's number.
    static func openFirstRuralDibao(_ name: String) throws -> (db: String, t: Tmux, caseId: String) {
        let db = try SurveyTests.demoCopy(name)
        let t = try Tmux(width: 80, height: 24)
        try t.startDemo(db: db, user: "shenhe")
        try t.waitFor("审核审批")
        try t.type("3")
        try t.waitFor("待办")
        try t.key("F6")
        let queue = try t.waitFor("项目：农村低保")
        let first = try #require(queue.split(separator: "\n").first { $0.contains("▶") }.map(String.init))
        let caseId = try #require(first.split(separator: " ").last.map(String.init))
        #expect(first.contains("乡镇审核"))
        try t.key("Enter")
        return (db, t, caseId)
    }

    @Test(.enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux)")) func reviewerOpensTheOldestCaseReadsTheRulesAndApproves() throws {
        let (db, t, caseId) = try Self.openFirstRuralDibao("review.sqlite")
        let file = try t.waitFor("审核条件")
        #expect(file.contains("案件 #\(caseId)"))
        #expect(file.contains("✓ 入户调查：两名调查人"))
        #expect(SurveyTests.line(file, "家庭收入").contains("人均月收入"))
        #expect(file.contains("可办理：F2 同意"))
        try t.key("F2")
        try t.waitFor("审核意见")
        try t.key("F2")
        let done = try t.waitFor("办理完成")
        #expect(done.contains("乡镇公示"))
        try t.key("Enter")
        try t.key("F10")
        try t.waitFor("主菜单")
        try t.quitApp()

        #expect(Binary.sqlite(db, "SELECT step FROM assistance_case WHERE id = \(caseId)") == "township_publicity")
        #expect(Binary.sqlite(db, "SELECT actor || ' ' || action FROM case_step WHERE case_id = \(caseId) ORDER BY id DESC LIMIT 1") == "shenhe approve")
        #expect(Binary.sqlite(db, "SELECT user || ' ' || action FROM audit ORDER BY id DESC LIMIT 1") == "shenhe case.approve")
    }

    /// Issue 22 item 5: the reviewer extends the oldest case's time limit with `e` and a reason;
    /// the case then reads 45 working days and the reason, and the record is the reviewer's.
    @Test(.enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux)")) func reviewerExtendsTheTimeLimitWithAReason() throws {
        let (db, t, caseId) = try Self.openFirstRuralDibao("extend.sqlite")
        let file = try t.waitFor("审核条件")
        #expect(file.contains("办理时限：") && file.contains(" 30 个工作日"))
        try t.type("e")
        try t.waitFor("延长办理时限（特殊情况）")
        // No reason: said on the box.
        try t.key("F2")
        try t.waitFor("特殊情况理由")
        try t.type("需核查外地务工收入")
        try t.key("F2")
        let done = try t.waitFor("已按特殊情况延长")
        #expect(done.contains("45 个工作日"))
        try t.key("Enter")
        let after = try t.waitFor("需核查外地务工收入")
        #expect(after.contains("45 个工作日"))
        #expect(!(after.split(separator: "\n").last ?? "").contains("延长时限"), "the key bar still offers the extension")
        try t.quitApp()

        #expect(Binary.sqlite(db, "SELECT actor || ' ' || action || ' ' || note FROM case_step WHERE case_id = \(caseId) ORDER BY id DESC LIMIT 1") == "shenhe extend_limit 需核查外地务工收入")
        #expect(Binary.sqlite(db, "SELECT user || ' ' || action FROM audit ORDER BY id DESC LIMIT 1") == "shenhe case.extend_limit")
    }
}
