import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// 审核审批 through the real runner, the in-memory store and TestBackend: keys in, screens and
/// rows out.
@Suite(.serialized) struct ReviewTests {
    struct Session {
        var store: Store
        var runner: AppRunner
        var backend: TestBackend
        var screen: String { backend.screenText }
        func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; runner.runUntilIdle() }
        func type(_ t: String) { keys(.text(t)) }
        var caseView: CaseViewState? { runner.state.top.state(of: CaseScreen.self) }
        func caseRow(_ id: Int64) throws -> Row { try store.read { db in try Row.fetchOne(db, sql: "SELECT * FROM assistance_case WHERE id = ?", arguments: [id])! } }
    }

    /// Three rural cases: one at township review overdue, one fresh, one at county approval.
    static func session(as user: String, width: Int = 80, height: Int = 24) throws -> (Session, [Int64]) {
        let store = try Fixture.store(households: 6)
        try store.addUser(name: "shenhe", displayName: "审核员丙", role: .reviewer, password: "demo", by: "test", iterations: 1000)
        try store.addUser(name: "shenpi", displayName: "审批员丁", role: .approver, password: "demo", by: "test", iterations: 1000)
        let late = try CaseFixture.ruralCase(store, household: 1, at: "township_review", since: Fixture.today.adding(days: -40))
        let fresh = try CaseFixture.ruralCase(store, household: 2, at: "township_review", since: Fixture.today.adding(days: -1))
        let approval = try CaseFixture.ruralCase(store, household: 3, at: "county_approval", since: Fixture.today.adding(days: -2))
        let backend = TestBackend(width: width, height: height)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store))
        let s = Session(store: store, runner: r, backend: backend)
        s.keys(.text(user), .tab, .text("demo"), .enter)
        if r.state.top.id == IntakeScreen.id { s.keys(.escape) }
        s.keys(.char("3"))
        return (s, [late, fresh, approval])
    }

    @Test func queueListsTheReviewersCasesLateFirst() throws {
        let (s, ids) = try Self.session(as: "shenhe")
        let q = try #require(s.runner.state.top.state(of: ReviewScreen.self))
        #expect(q.rows.map(\.caseId) == [ids[0], ids[1]])
        #expect(s.screen.contains("超"))
        #expect(s.screen.contains("待办 2 件，其中超期 1 件"))
        expectGolden(s.screen, named: "review-queue-80x24")
    }

    @Test func reviewerApprovesTheOldestCase() throws {
        let (s, ids) = try Self.session(as: "shenhe")
        s.keys(.enter)
        #expect(s.caseView?.caseId == ids[0])
        #expect(s.screen.contains("人均月收入 412.50 元 < 标准 575.00 元"))
        expectGolden(s.screen, named: "review-case-80x24")
        s.keys(.function(2))
        #expect(s.caseView?.dialog?.action == .approve)
        #expect(s.screen.contains("审核意见"))
        s.keys(.function(2))
        #expect(s.runner.state.message?.text.contains("乡镇公示") == true)
        s.keys(.enter)
        let row = try s.caseRow(ids[0])
        #expect(row["step"] as String == "township_publicity")
        #expect(row["version"] as Int == 2)
        let steps = try s.store.read { db in try Store.caseSteps(db, caseId: ids[0]) }
        #expect(steps.last?.actor == "shenhe")
        #expect(steps.last?.action == "approve")
        // Back on the queue, the case has gone from it.
        s.keys(.escape)
        let q = try #require(s.runner.state.top.state(of: ReviewScreen.self))
        #expect(q.rows.map(\.caseId) == [ids[1]])
    }

    /// F3 at the township review proposes refusal (拟不予) with the finding: the case goes to the
    /// approver, who refuses it (不予确认) after a question naming what will happen; a notice follows.
    @Test func rejectNeedsAReasonAndWritesANotice() throws {
        let (s, ids) = try Self.session(as: "shenhe")
        s.keys(.enter, .function(3))
        #expect(s.caseView?.dialog?.action == .proposeReject)
        s.keys(.function(2))
        #expect(s.caseView?.dialog?.error == "请填写“调查发现”。")
        #expect(try s.caseRow(ids[0])["status"] as String == "in_progress")
        s.type("经乡镇复查，家庭收入超过标准")
        s.keys(.function(2))
        var row = try s.caseRow(ids[0])
        #expect(row["status"] as String == "in_progress" && row["step"] as String == "county_approval")
        s.keys(.enter)
        // The approver decides.
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: s.store, env: try Fixture.env(s.store))
        let a = Session(store: s.store, runner: r, backend: backend)
        a.keys(.text("shenpi"), .tab, .text("demo"), .enter)
        if r.state.top.id == IntakeScreen.id { a.keys(.escape) }
        a.keys(.char("3"))
        let q = try #require(r.state.top.state(of: ReviewScreen.self), "not queued")
        let at = try #require(q.rows.firstIndex(where: { $0.caseId == ids[0] }), "not queued")
        for _ in 0..<at { a.keys(.down) }
        a.keys(.enter, .function(3))
        #expect(a.caseView?.dialog?.action == .reject)
        #expect(a.caseView?.dialog?.value(DialogID.reason) == "经乡镇复查，家庭收入超过标准")
        a.keys(.function(2))
        #expect(r.state.ask?.box.message.contains("不予确认案件 #\(ids[0])") == true)
        a.keys(.char("n"))
        #expect(try a.caseRow(ids[0])["status"] as String == "in_progress")
        a.keys(.function(2), .char("y"))
        row = try a.caseRow(ids[0])
        #expect(row["status"] as String == "rejected")
        let msg = r.state.message?.text ?? ""
        #expect(msg.contains("通知书已生成"))
        let paths = msg.split(separator: "\n").map(String.init).filter { $0.hasSuffix(".txt") || $0.hasSuffix(".html") }
        #expect(paths.count == 2)
        for p in paths {
            let attrs = try FileManager.default.attributesOfItem(atPath: p)
            #expect((attrs[.posixPermissions] as? Int) == 0o600)
            let text = try String(contentsOfFile: p, encoding: .utf8)
            #expect(text.contains("经乡镇复查，家庭收入超过标准") && text.contains("审批员丁"))
            try? FileManager.default.removeItem(atPath: p)
        }
    }

    @Test func sendBackGoesToReinvestigationAndComesBack() throws {
        let (s, ids) = try Self.session(as: "shenhe")
        s.keys(.enter, .function(4))
        s.type("赡养人收入未核实")
        s.keys(.function(2), .enter)
        #expect(try s.caseRow(ids[0])["step"] as String == "survey")
        // The clerk re-investigates from the queue: the case returns to the township review.
        s.keys(.escape, .escape, .escape)
        s.runner.dispatch(.key(.escape))
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: s.store, env: try Fixture.env(s.store))
        let clerk = Session(store: s.store, runner: r, backend: backend)
        clerk.keys(.text("jingban"), .tab, .text("demo"), .enter)
        if r.state.top.id == IntakeScreen.id { clerk.keys(.escape) }
        clerk.keys(.char("3"))
        let q = try #require(r.state.top.state(of: ReviewScreen.self), "the clerk's queue lacks the case")
        let i = try #require(q.rows.firstIndex(where: { $0.caseId == ids[0] }), "the clerk's queue lacks the case")
        for _ in 0..<i { clerk.keys(.down) }
        clerk.keys(.enter, .function(2))
        // Date is filled in; investigators are needed and must differ.
        clerk.keys(.tab); clerk.type("王立军"); clerk.keys(.tab); clerk.type("王立军")
        clerk.keys(.function(2))
        #expect(clerk.caseView?.dialog?.error?.contains("两名调查人不能是同一人") == true)
        clerk.keys(.backspace, .backspace, .backspace); clerk.type("李春梅")
        clerk.keys(.function(2))
        #expect(try s.caseRow(ids[0])["step"] as String == "township_review")
        #expect(try s.caseRow(ids[0])["investigators"] as String == "王立军、李春梅")
    }

    @Test func approverSetsTheAmountAndAnOverrideNeedsAReason() throws {
        let (s, ids) = try Self.session(as: "shenpi")
        let q = try #require(s.runner.state.top.state(of: ReviewScreen.self))
        #expect(q.rows.map(\.caseId) == [ids[2]])
        s.keys(.enter, .function(2))
        guard let d = s.caseView?.dialog, let amountAt = d.fields.firstIndex(where: { $0.id == "_amount" }) else {
            Issue.record("no amount field"); return
        }
        let computed = d.value("_amount")
        #expect(!computed.isEmpty)
        for _ in 0..<amountAt { s.keys(.tab) }
        for _ in 0..<12 { s.keys(.backspace) }
        s.type("300")
        s.keys(.function(2))
        #expect(s.caseView?.dialog?.error?.contains("须写明理由") == true)
        #expect(try s.caseRow(ids[2])["step"] as String == "county_approval")
        s.keys(.tab); s.type("子女有赡养能力，酌减")
        s.keys(.function(2))
        let row = try s.caseRow(ids[2])
        #expect(row["monthly_amount_fen"] as Int64 == 30_000)
        #expect(row["override_reason"] as String == "子女有赡养能力，酌减")
        #expect((row["certificate_no"] as String?)?.hasPrefix("532927101000-2026-") == true)
        #expect(s.runner.state.message?.text.contains("领取证编号") == true)
        s.keys(.enter)
        // The override and its reason show wherever the amount is.
        #expect(s.screen.contains("核定金额 300.00"))
    }

    @Test func aClerkCannotApproveAtTheReviewersStep() throws {
        let (s, ids) = try Self.session(as: "jingban")
        let q = try #require(s.runner.state.top.state(of: ReviewScreen.self))
        #expect(!q.rows.contains { $0.caseId == ids[0] })
        // Even with the case open, F2 says who may, and nothing is asked of the store.
        var st = AppState(width: 80, height: 24)
        st.user = User(name: "jingban", displayName: "经办员甲", role: .clerk)
        var cv = CaseViewState(caseId: ids[0])
        cv.file = try s.store.caseFile(id: ids[0], today: Fixture.today, catalog: CaseFixture.catalog)
        st.stack = [MenuScreen.embed(MenuState()), CaseScreen.embed(cv)]
        let fx = App.update(&st, .key(.function(2)), env: s.runner.env)
        #expect(fx.isEmpty)
        #expect(st.message?.text == "“乡镇审核”须由审核员办理，您是经办员。")
    }
}
