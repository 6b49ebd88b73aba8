import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// Issue 21 item 5: after login each user sees their own work under the menu, a count per kind
/// (Enter opens the queue on that kind); the case and the message after an action name what
/// comes next and who does it; the key bar names only the keys that apply.
@Suite(.serialized) struct WorkListTests {
    static func session(as user: String) throws -> (ReviewTests.Session, [Int64]) {
        let store = try Fixture.store(households: 6)
        try store.addUser(name: "shenhe", displayName: "审核员丙", role: .reviewer, password: "demo", by: "test", iterations: 1000)
        try store.addUser(name: "shenpi", displayName: "审批员丁", role: .approver, password: "demo", by: "test", iterations: 1000)
        let late = try CaseFixture.ruralCase(store, household: 1, at: "township_review", since: Fixture.today.adding(days: -40))
        let fresh = try CaseFixture.ruralCase(store, household: 2, at: "township_review", since: Fixture.today.adding(days: -1))
        let approval = try CaseFixture.ruralCase(store, household: 3, at: "county_approval", since: Fixture.today.adding(days: -2))
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store))
        let s = ReviewTests.Session(store: store, runner: r, backend: backend)
        s.keys(.text(user), .tab, .text("demo"), .enter)
        return (s, [late, fresh, approval])
    }

    @Test func theReviewerSeesTheirWorkFirstAndEnterOpensIt() throws {
        let (s, ids) = try Self.session(as: "shenhe")
        let m = try #require(s.runner.state.top.state(of: MenuScreen.self))
        let menuCount = Fixture.screens.menu.count
        #expect(m.work == [WorkItem(label: "农村低保 乡镇审核", count: 2, late: 1, target: .queue(programme: .ruralDibao, step: "乡镇审核"))])
        // The work is selected first.
        #expect(m.selection == menuCount)
        #expect(s.screen.contains("我的待办") && s.screen.contains("农村低保 乡镇审核：2 件，超期 1 件"))
        s.keys(.enter)
        let q = try #require(s.runner.state.top.state(of: ReviewScreen.self))
        #expect(q.step == "乡镇审核" && Set(q.rows.map(\.caseId)) == Set([ids[0], ids[1]]))
        #expect(s.screen.contains("步骤：乡镇审核"))
        // Ctrl-U shows the whole queue again.
        s.keys(.ctrl("u"))
        let all = try #require(s.runner.state.top.state(of: ReviewScreen.self))
        #expect(all.step == nil)
        // The digits still open the menu's screens.
        s.keys(.escape)
        try #require(s.runner.state.top.id == MenuScreen.id, "not back on the menu")
        s.keys(.char("3"))
        let q3 = try #require(s.runner.state.top.state(of: ReviewScreen.self))
        #expect(q3.step == nil)
    }

    @Test func theApproverSeesTheirOwnKind() throws {
        let (s, _) = try Self.session(as: "shenpi")
        let m = try #require(s.runner.state.top.state(of: MenuScreen.self))
        #expect(m.work.map(\.label) == ["农村低保 县级审批"] && m.work.first?.count == 1)
    }

    @Test func theNextStepIsNamedOnTheCaseAndAfterTheAction() throws {
        let (s, ids) = try Self.session(as: "shenhe")
        s.keys(.enter)
        let i = try #require({ () -> Int? in if let q = s.runner.state.top.state(of: ReviewScreen.self) { return q.rows.firstIndex { $0.caseId == ids[0] } }; return nil }())
        for _ in 0..<i { s.keys(.down) }
        s.keys(.enter)
        #expect(s.caseView?.caseId == ids[0])
        #expect(s.screen.contains("下一步：乡镇审核 — 审核员在“3 审核审批”中审核"))
        // The key bar: the reviewer's actions here, no objection, no notice, no survey keys.
        #expect(s.screen.contains("F2 同意") && !s.screen.contains("F5 异议") && !s.screen.contains("F9 通知书") && !s.screen.contains("更正调查"))
        s.keys(.function(2), .function(2))
        let text = try #require(s.runner.state.message?.text)
        #expect(text.contains("下一步：") && text.contains("经办员在“4 张榜公示”中张榜"), "\(text)")
        s.keys(.enter)
        #expect(s.screen.contains("经办员在“4 张榜公示”中张榜"))
        // The reviewer can do nothing more here: the bar has no action keys.
        #expect(!s.screen.contains("F2 同意"))
    }
}
