import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// Issue 22 item 5, the screens: the whole flow's limit is extended (特殊情况) from the case view
/// with `e` and a reason, by the reviewer or the approver; the key bar names `e` only where it
/// applies; the case and the queue then show the longer limit; a store refusal keeps what was typed.
@Suite(.serialized) struct FlowLimitExtensionTests {
    struct Session {
        var store: Store
        var runner: AppRunner
        var backend: TestBackend
        var screen: String { backend.screenText }
        var bar: String { backend.screenText.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? "" }
        func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; runner.runUntilIdle() }
        var caseView: CaseViewState? { runner.state.top.state(of: CaseScreen.self) }
        var queue: ReviewState? { runner.state.top.state(of: ReviewScreen.self) }
    }

    /// A rural case waiting at the township review (the reviewer's step), received 23 days ago.
    /// `receivedDaysAgo` moves the day of 受理 (the fixture's is 23 days ago: the limit far).
    static func session(user: String, lang: Lang = .zh, at step: String = "township_review", receivedDaysAgo: Int? = nil) throws -> (Session, Int64) {
        let store = try Fixture.store(households: 4)
        try store.addUser(name: "shenhe", displayName: "审核员丙", role: .reviewer, password: "demo", by: "test", iterations: 1000)
        try store.addUser(name: "shenpi", displayName: "审批人丁", role: .approver, password: "demo", by: "test", iterations: 1000)
        let cid = try CaseFixture.ruralCase(store, household: 1, at: step, since: Fixture.today.adding(days: -3))
        if let d = receivedDaysAgo {
            try store.write { db in
                try db.execute(sql: "UPDATE assistance_case SET applied_on = ? WHERE id = ?", arguments: [Fixture.today.adding(days: -d).iso, cid])
            }
        }
        let backend = TestBackend(width: 80, height: 24)
        var env = try Fixture.env(store)
        env.lang = lang
        let r = AppRunner(backend: backend, store: store, env: env)
        let s = Session(store: store, runner: r, backend: backend)
        s.keys(.text(user), .tab, .text("demo"), .enter)
        if r.state.top.id == IntakeScreen.id { s.keys(.escape) }
        return (s, cid)
    }

    static func openCase(_ s: Session, _ cid: Int64) throws {
        s.keys(.char("3"))
        let q = try #require(s.queue)
        let i = try #require(q.rows.firstIndex { $0.caseId == cid })
        for _ in 0..<i { s.keys(.down) }
        s.keys(.enter)
        #expect(s.caseView?.caseId == cid)
    }

    /// Received 43 days ago: the 30 working days are near; the bar offers `e`.
    @Test func reviewerExtendsWithAReasonAndTheCaseAndQueueShowTheLongerLimit() throws {
        let (s, cid) = try Self.session(user: "shenhe", receivedDaysAgo: 43)
        try Self.openCase(s, cid)
        #expect(s.screen.contains("30 个工作日"))
        #expect(s.bar.contains("e 延长时限"))
        s.keys(.char("e"))
        let d = try #require(s.caseView?.dialog)
        #expect(d.purpose == .extendLimit)
        #expect(s.screen.contains("延长办理时限（特殊情况）"))
        // No reason: said on the box, nothing written.
        s.keys(.function(2))
        #expect(s.caseView?.dialog?.error?.contains("特殊情况理由") == true)
        #expect(try s.store.caseFile(id: cid, today: Fixture.today, catalog: CaseFixture.catalog)?.flowLimit?.workingDays == 30)
        s.keys(.text("需核查外地务工收入"), .function(2))
        #expect(s.caseView?.dialog == nil)
        #expect(s.runner.state.message?.text.contains("45 个工作日") == true)
        s.keys(.enter)
        let f = try #require(try s.store.caseFile(id: cid, today: Fixture.today, catalog: CaseFixture.catalog))
        #expect(f.flowLimit?.workingDays == 45 && f.flowLimit?.extendedBecause == "需核查外地务工收入")
        #expect(f.history.last?.action == FlowLimit.extendAction && f.history.last?.actor == "shenhe")
        #expect(try s.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit WHERE action = 'case.extend_limit' AND entity_id = ?", arguments: [String(cid)]) } == 1)
        #expect(s.screen.contains("45 个工作日") && s.screen.contains("需核查外地务工收入"))
        // Once per case: the key leaves the bar, and pressed says why.
        #expect(!s.bar.contains("延长时限"))
        s.keys(.char("e"))
        #expect(s.caseView?.dialog == nil)
        #expect(s.runner.state.message?.text == say("store.rules.extendOnce", .zh))
        s.keys(.enter, .escape)
        // The queue shows the 45-day limit (the step's own limit is not late).
        let row = try #require(s.queue?.rows.first { $0.caseId == cid })
        #expect(row.flowLimit?.workingDays == 45)
        #expect(s.screen.contains("45日限剩"))
    }

    /// The clerk sees no `e` on the bar; pressed, it says who extends.
    @Test func aClerkIsToldWhoExtends() throws {
        let (s, cid) = try Self.session(user: "jingban", at: "survey")
        try Self.openCase(s, cid)
        #expect(s.caseView?.file != nil)
        #expect(!s.bar.contains("延长时限"))
        s.keys(.char("e"))
        #expect(s.caseView?.dialog == nil)
        #expect(s.runner.state.message?.text.contains("审核") == true)
        // The store says the same to the command line's or anyone's attempt.
        let version = try #require(s.caseView?.file?.caseRecord.version)
        #expect(throws: StoreError.self) {
            try s.store.extendFlowLimit(caseId: cid, version: version, reason: "x", by: "jingban", on: Fixture.today, catalog: CaseFixture.catalog)
        }
    }

    /// The store refuses (the approver extended it meanwhile): the box stays with what was typed
    /// and says why.
    @Test func aRefusalKeepsTheReasonTyped() throws {
        let (s, cid) = try Self.session(user: "shenhe")
        try Self.openCase(s, cid)
        // The limit is far: `e` is not on the bar, yet answers.
        #expect(!s.bar.contains("延长时限"))
        s.keys(.char("e"), .text("外地收入待核"))
        let version = try #require(try s.store.caseFile(id: cid, today: Fixture.today, catalog: CaseFixture.catalog)?.caseRecord.version)
        try s.store.extendFlowLimit(caseId: cid, version: version, reason: "审批人先延长", by: "shenpi", on: Fixture.today, catalog: CaseFixture.catalog)
        s.keys(.function(2))
        let d = try #require(s.caseView?.dialog)
        #expect(d.value(DialogID.reason) == "外地收入待核")
        #expect(d.error?.isEmpty == false)
        #expect(!d.busy)
        #expect(s.screen.contains("外地收入待核"))
    }

    /// English: the bar and the box.
    @Test func inEnglish() throws {
        let (s, cid) = try Self.session(user: "shenhe", lang: .en, receivedDaysAgo: 43)
        try Self.openCase(s, cid)
        #expect(s.bar.contains("e extend"))
        s.keys(.char("e"), .text("income elsewhere"), .function(2))
        #expect(s.runner.state.message?.text.contains("45 working days") == true)
    }
}
