import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// Issue 18, the process half: each finding reproduced against the real store (in memory) and,
/// where a screen was the way round, through the runner and TestBackend.
@Suite(.serialized) struct ProcessRulesTests {
    static let catalog = CaseFixture.catalog
    static let village = "532927101201"

    func store() throws -> Store {
        let s = try Fixture.store(households: 6)
        try s.addUser(name: "shenhe", displayName: "审核员", role: .reviewer, password: "demo", by: "test", iterations: 1000)
        try s.addUser(name: "shenpi", displayName: "审批员", role: .approver, password: "demo", by: "test", iterations: 1000)
        return s
    }

    func caseRow(_ s: Store, _ id: Int64) throws -> Row {
        try s.read { db in try #require(try Row.fetchOne(db, sql: "SELECT * FROM assistance_case WHERE id = ?", arguments: [id])) }
    }

    // MARK: found 1 — who decides

    /// Found 1: the clerk pressed F3 at 入户调查 and the case became 不予批准. Now the store refuses a
    /// refusal anywhere but the decision step, and the clerk can only propose it (拟不予).
    @Test func aClerkCannotRefuseOnlyProposeAndTheApproverDecides() throws {
        let s = try store()
        let id = try CaseFixture.ruralCase(s, household: 1, at: "survey", since: Fixture.today.adding(days: -2))
        do {
            _ = try s.act(caseId: id, version: 1, request: CaseRequest(action: .reject, actor: "jingban", role: .clerk, date: Fixture.today,
                                                                       reason: "家庭人均收入高于标准"), catalog: Self.catalog)
            Issue.record("a clerk refused a case at the survey")
        } catch let e as StoreError {
            #expect(e.message(.zh).contains("县级审批") && e.message(.zh).contains("审批员"))
        }
        #expect(try caseRow(s, id)["status"] as String == "in_progress")
        // A reviewer at the township review cannot refuse either.
        let id2 = try CaseFixture.ruralCase(s, household: 3, at: "township_review", since: Fixture.today.adding(days: -2))
        #expect(throws: StoreError.self) {
            try s.act(caseId: id2, version: 1, request: CaseRequest(action: .reject, actor: "shenhe", role: .reviewer, date: Fixture.today,
                                                                    reason: "x"), catalog: Self.catalog)
        }
        // The clerk proposes, with the finding; the case goes to the approver.
        let p = try s.act(caseId: id, version: 1, request: CaseRequest(action: .proposeReject, actor: "jingban", role: .clerk, date: Fixture.today,
                                                                       reason: "家庭有小轿车一辆"), catalog: Self.catalog)
        #expect(p.transition.step == "county_approval" && p.transition.status == .inProgress)
        #expect(try s.reviewQueue(role: .approver, catalog: Self.catalog, today: Fixture.today).contains { $0.caseId == id })
        let r = try s.act(caseId: id, version: 2, request: CaseRequest(action: .reject, actor: "shenpi", role: .approver, date: Fixture.today,
                                                                       inputs: ["approver": "审批员"], reason: "家庭有小轿车一辆，不符合条件"),
                          catalog: Self.catalog)
        #expect(r.transition.status == .rejected)
        let f = try #require(try s.caseFile(id: id, today: Fixture.today, catalog: Self.catalog))
        #expect(f.approver == "审批员")
        #expect(f.decidingBody == "巍山县民政局")
        // The notice names who decided and no longer blames the office's own unfinished survey.
        let doc = CaseNotice.document(f, kind: .rejection, env: try Fixture.env(s), office: try s.office())
        #expect(!doc.failedRules.contains { $0.contains("调查人") })
        #expect(doc.particulars.contains { $0.0 == "决定人" && $0.1 == "审批员" })
        #expect(doc.particulars.contains { $0.0 == "决定机关" && $0.1 == "巍山县民政局" })
        #expect(doc.particulars.contains { $0.0 == "提出不予意见" && $0.1 == "入户调查" })
        // The survey printed again names the decision too.
        #expect(SurveyPrint.decisionLine(f, lang: .zh) == "审批人：审批员（巍山县民政局，\(Fixture.today.iso) 不予确认）")
        var survey = SurveyPrint.document(values: FormTests.filled(), caseId: id, figures: SurveyRules(today: Fixture.today, codes: [:], countedIncomeKinds: []).figures(FormTests.filled()),
                                          env: try Fixture.env(s), office: try s.office())
        survey.decision = SurveyPrint.decisionLine(f, lang: .zh)
        #expect(SurveyPrint.text(survey, env: try Fixture.env(s)).contains("审批人：审批员（巍山县民政局"))
    }

    // MARK: found 2 — publicity that happened

    // MARK: found 3 — responsibility on record

    /// Found 3: the survey's investigators were lost and the 申请 step stored {}. Now both are on the
    /// case (searchable in 5), and the signatures are on the 申请 step.
    @Test func investigatorsAndSignaturesAreStoredAndFound() throws {
        let s = try store()
        let v = FormTests.filled()
        let figures = SurveyRules(today: Fixture.today, codes: [:], countedIncomeKinds: []).figures(v)
        let sub = Submission(values: v, programme: .ruralDibao, figures: figures, applyStep: "apply", surveyStep: "survey",
                             nextStep: "appraisal", draftId: nil, today: Fixture.today, catalog: Self.catalog)
        let id = try s.submitApplication(sub, by: "jingban")
        #expect(try caseRow(s, id)["investigators"] as String == "张明、李华")
        let f = try #require(try s.caseFile(id: id, today: Fixture.today, catalog: Self.catalog))
        #expect(f.investigators == "张明、李华")
        #expect(f.signatures.signed == true && f.signatures.authorised == true)
        let apply = try #require(f.history.first { $0.step == "apply" })
        #expect(apply.inputs != "{}" && apply.inputs.contains("\"authorised\":true"))
        var q = CaseQuery()
        q.investigator = "李华"
        let page = try s.casePage(q, limit: 20, today: Fixture.today, catalog: Self.catalog)
        #expect(page.map(\.id) == [id])
        // case show prints them.
        let text = CaseReport.lines(f, env: try Fixture.env(s)).map(\.text).joined(separator: "\n")
        #expect(text.contains("调查人：张明、李华"))
        #expect(text.contains("申请人签字：书面申请 已签；授权核对书 已签"))
        // An unsigned application is refused by the store, whatever the screen did.
        var unsigned = FormTests.filled(members: [("赵一", FormTests.id("53262219800101011"), "02", "M")])
        unsigned.fields["application_signed"] = "no"
        let sub2 = Submission(values: unsigned, programme: .ruralDibao, figures: figures, applyStep: "apply", surveyStep: "survey",
                              nextStep: "appraisal", draftId: nil, today: Fixture.today, catalog: Self.catalog)
        #expect(throws: StoreError.self) { try s.submitApplication(sub2, by: "jingban") }
    }

    // MARK: found 4 — the programme fits the household

    /// Found 4: 农村低保 was accepted for a household in an urban community. Refused by the store and
    /// on the form, with the reason.
    @Test func ruralDibaoIsForVillagesUrbanForCommunities() throws {
        let s = try store()
        try s.addRegion(code: "203", name: "石门社区", level: .community, by: "test")
        var v = FormTests.filled()
        v.fields["village"] = "532927101203"
        let figures = SurveyRules(today: Fixture.today, codes: [:], countedIncomeKinds: []).figures(v)
        func submit(_ p: Programme) throws -> Int64 {
            var w = v
            w.fields["programme"] = p.rawValue
            return try s.submitApplication(Submission(values: w, programme: p, figures: figures, applyStep: "apply", surveyStep: "survey",
                                                      nextStep: p == .ruralDibao ? "appraisal" : "township_review", draftId: nil,
                                                      today: Fixture.today, catalog: Self.catalog), by: "jingban")
        }
        do {
            _ = try submit(.ruralDibao)
            Issue.record("rural dibao accepted for a community")
        } catch let e as StoreError {
            #expect(e.message(.zh).contains("石门社区是城镇社区"))
        }
        _ = try submit(.urbanDibao)
        // The form says so before submitting.
        let f = try FormTests.openDraft(v, store: s)
        f.keys(.function(2))
        #expect(f.screen.contains("石门社区是城镇社区"))
        #expect(f.form?.submittedCase == nil)
    }

    // MARK: found 6 — a question before the irreversible

    /// Posting a batch asks first, naming what happens; no posts nothing.
    @Test func postingAskssFirst() throws {
        let (s, _) = try PublicityScreenTests.session()
        s.keys(.function(7))
        s.keys(.tab, .tab); s.type("李家村")
        s.keys(.function(2), .enter)
        #expect(s.batch?.batch?.state == .draft)
        s.keys(.function(2))
        #expect(s.screen.contains("公示期自今天"))
        s.keys(.char("n"))
        #expect(try s.store.batches().first?.state == .draft)
        s.keys(.function(2), .char("y"))
        #expect(try s.store.batches().first?.state == .posted)
    }
}

/// The done-when walk: the ten rural 低保 steps through the screens, as the clerk, reviewer and
/// approver would key them, with the clock moved on. No publicity step finishes from the case
/// screen; each finishes only when a posted batch closes after its window.
@Suite(.serialized) struct TenStepWalkTests {
    struct Session {
        var runner: AppRunner
        var backend: TestBackend
        var screen: String { backend.screenText }
        func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; runner.runUntilIdle() }
        func type(_ t: String) { keys(.text(t)) }
    }

    static func login(_ store: Store, _ user: String, on day: CivilDate) throws -> Session {
        let backend = TestBackend(width: 80, height: 24)
        var env = try Fixture.env(store)
        env.today = day
        let r = AppRunner(backend: backend, store: store, env: env)
        let s = Session(runner: r, backend: backend)
        s.keys(.text(user), .tab, .text("demo"), .enter)
        if r.state.top.id == IntakeScreen.id { s.keys(.escape) }
        return s
    }

    static func step(_ store: Store, _ id: Int64) throws -> String {
        try store.read { db in try String.fetchOne(db, sql: "SELECT step FROM assistance_case WHERE id = ?", arguments: [id]) ?? "" }
    }

    /// Open the case from 3 and press F2: a clerk's publicity step says where it is finished.
    static func f2OnCase(_ s: Session) { s.keys(.char("3"), .enter, .function(2)) }

    /// Make, post and (on `closeOn`) close a batch of `kind` from 4.
    static func publish(_ store: Store, kind: String, village: String?, postOn: CivilDate, closeOn: CivilDate) throws {
        let s = try login(store, "jingban", on: postOn)
        s.keys(.char("4"), .function(7))
        s.keys(.text(kind), .tab, .tab)
        if let v = village { s.type(v) }
        s.keys(.function(2), .enter)
        s.keys(.function(2), .char("y"), .enter)    // post, after the question
        let posted = try store.batches().contains { $0.state == .posted }
        #expect(posted)
        s.keys(.function(3))                        // too early
        #expect(s.screen.contains("期满前不能结束公示"))
        s.keys(.enter)
        let later = try login(store, "jingban", on: closeOn)
        later.keys(.char("4"), .enter, .function(3))
    }

    @Test func theTenStepsCannotSkipAPosting() throws {
        let store = try Fixture.store(households: 4)
        try store.addUser(name: "shenhe", displayName: "审核员", role: .reviewer, password: "demo", by: "test", iterations: 1000)
        try store.addUser(name: "shenpi", displayName: "审批员", role: .approver, password: "demo", by: "test", iterations: 1000)
        let d0 = Fixture.today
        // 1–2 申请 and 入户调查: the form, both investigators, the signatures.
        let form = try FormTests.openDraft(FormTests.filled(), store: store)
        form.keys(.function(2))
        let id = try #require(form.form?.submittedCase)
        #expect(try Self.step(store, id) == "appraisal")
        // 3 民主评议
        let a = try Self.login(store, "jingban", on: d0)
        a.keys(.char("3"), .enter, .function(2))
        a.keys(.tab, .text("25"), .tab, .text("21"), .tab, .text("18"), .tab, .text("2"), .function(2))
        #expect(try Self.step(store, id) == "village_publicity")
        // 4 村级公示: F2 on the case is refused; only the batch closes it, after 7 days.
        let b = try Self.login(store, "jingban", on: d0)
        Self.f2OnCase(b)
        #expect(b.screen.contains("公示批次"))
        #expect(try Self.step(store, id) == "village_publicity")
        try Self.publish(store, kind: "1", village: "李家村", postOn: d0, closeOn: d0.adding(days: 6))
        #expect(try Self.step(store, id) == "village_publicity")        // one day short
        let c = try Self.login(store, "jingban", on: d0.adding(days: 7))
        c.keys(.char("4"), .enter, .function(3))
        #expect(try Self.step(store, id) == "township_review")
        // 5 乡镇审核
        let r = try Self.login(store, "shenhe", on: d0.adding(days: 8))
        r.keys(.char("3"), .enter, .function(2), .function(2))
        #expect(try Self.step(store, id) == "township_publicity")
        // 6 乡镇公示
        let t = try Self.login(store, "jingban", on: d0.adding(days: 8))
        Self.f2OnCase(t)
        #expect(try Self.step(store, id) == "township_publicity")
        try Self.publish(store, kind: "2", village: "李家村", postOn: d0.adding(days: 9), closeOn: d0.adding(days: 16))
        #expect(try Self.step(store, id) == "county_approval")
        // 7 县级审批: the approver decides.
        let ap = try Self.login(store, "shenpi", on: d0.adding(days: 17))
        ap.keys(.char("3"), .enter, .function(2), .function(2))
        #expect(try Self.step(store, id) == "approval_publicity")
        // 8 审批公示
        let u = try Self.login(store, "jingban", on: d0.adding(days: 17))
        Self.f2OnCase(u)
        #expect(try Self.step(store, id) == "approval_publicity")
        try Self.publish(store, kind: "3", village: "李家村", postOn: d0.adding(days: 18), closeOn: d0.adding(days: 25))
        #expect(try Self.step(store, id) == "certificate")
        // 9 发放领取证
        let cert = try Self.login(store, "jingban", on: d0.adding(days: 26))
        cert.keys(.char("3"), .enter, .function(2), .function(2))
        #expect(try Self.step(store, id) == "payment")
        // Every posting behind the case really happened: the process check finds nothing.
        let check = try store.verifyProcess(catalog: CaseFixture.catalog)
        #expect(check.publicityChecked == 3 && check.problemCount == 0, "\(check.problems)")
    }
}
