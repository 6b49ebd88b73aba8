import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// Issue 21 item 4, the screens: a case sent back (退回重新调查) opens the survey form on its
/// stored values with S; F2 asks why and saves the next version through `Store.correctSurvey`;
/// the case says which version it has and which one its decision used; V lists the versions with
/// what changed, by whom, when and why.
@Suite(.serialized) struct SurveyCorrectionScreenTests {
    struct Session {
        var store: Store
        var runner: AppRunner
        var backend: TestBackend
        var screen: String { backend.screenText }
        /// The screen with the times a version was recorded (the real clock's) as ##:##, for a golden.
        var steadyScreen: String {
            screen.replacingOccurrences(of: #"\d{2}-\d{2} \d{2}:\d{2}"#, with: "##-## ##:##", options: .regularExpression)
        }
        func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; runner.runUntilIdle() }
        func type(_ t: String) { keys(.text(t)) }
        var form: FormState? { runner.state.top.state(of: FormScreen.self) }
        var caseView: CaseViewState? { runner.state.top.state(of: CaseScreen.self) }
        var versions: SurveyVersionsState? { runner.state.top.state(of: SurveyVersionsScreen.self) }
    }

    /// A rural case at the township review with a survey on record (version 1), sent back by the
    /// reviewer: it waits at the survey step for the clerk.
    static func sentBack(_ store: Store) throws -> Int64 {
        try store.addUser(name: "shenhe", displayName: "审核员丙", role: .reviewer, password: "demo", by: "test", iterations: 1000)
        let cid = try CaseFixture.ruralCase(store, household: 1, at: "township_review", since: Fixture.today.adding(days: -3))
        var values = FormTests.filled()
        values.fields["household"] = "1"
        let rules = try Fixture.env(store).forms.rules
        let f = rules.figures(values)
        try store.write { db in
            try db.execute(sql: """
                INSERT INTO survey(case_id, household_id, surveyed_on, investigator1, investigator2, form, data, members_counted, income_counted_fen,
                    income_excluded_fen, per_capita_fen, assets_pass, figures, recorded_by, recorded_at)
                VALUES (?, 1, ?, '王立军', '李春梅', 'application', ?, ?, ?, ?, ?, ?, ?, 'jingban', '2026-11-20T01:00:00Z')
                """, arguments: [cid, Fixture.today.adding(days: -10).iso, values.json(), f.membersCounted, f.incomeCountedYearly.fen,
                                 f.incomeExcludedYearly.fen, f.perCapitaMonthly.fen, f.assetsPass, Audit.detail(f)])
            try Store.keepSurveyVersion(db, caseId: cid, reason: "")
        }
        let version = try store.read { db in try #require(try Int.fetchOne(db, sql: "SELECT version FROM assistance_case WHERE id = ?", arguments: [cid])) }
        _ = try store.act(caseId: cid, version: version, request: CaseRequest(action: .back, actor: "shenhe", role: .reviewer, date: Fixture.today,
                                                                              reason: "家庭收入漏报务工收入"), catalog: CaseFixture.catalog)
        return cid
    }

    static func session(lang: Lang = .zh) throws -> (Session, Int64) {
        let store = try Fixture.store(households: 4)
        let cid = try sentBack(store)
        let backend = TestBackend(width: 80, height: 24)
        var env = try Fixture.env(store)
        env.lang = lang
        let r = AppRunner(backend: backend, store: store, env: env)
        let s = Session(store: store, runner: r, backend: backend)
        s.keys(.text("jingban"), .tab, .text("demo"), .enter)
        if r.state.top.id == IntakeScreen.id { s.keys(.escape) }
        s.keys(.char("3"))
        return (s, cid)
    }

    /// On the case: open it from the clerk's queue.
    static func openCase(_ s: Session, _ cid: Int64) throws {
        let q = try #require(s.runner.state.top.state(of: ReviewScreen.self))
        let i = try #require(q.rows.firstIndex { $0.caseId == cid })
        for _ in 0..<i { s.keys(.down) }
        s.keys(.enter)
        #expect(s.caseView?.caseId == cid)
    }

    /// The income table's page, then a farming row of 1,200 yuan a year added.
    static func addIncome(_ s: Session) throws {
        let spec = try #require(Fixture.screens.forms["application"])
        let pages = spec.pages(try #require(s.form).values)
        let target = try #require(pages.firstIndex { $0.section == "income" })
        for _ in 0..<target { s.keys(.pageDown) }
        #expect(s.form?.page == target)
        s.keys(.function(7))
        // The new row: the whole household, wages, 6,000 yuan a year.
        s.keys(.tab)
        s.type("工资")
        s.keys(.enter)
        s.type("6000")
        s.keys(.tab)
    }

    @Test func aCaseSentBackIsCorrectedAsANewVersionWithItsReason() throws {
        let (s, cid) = try Self.session()
        try Self.openCase(s, cid)
        #expect(s.screen.contains("入户调查：第 1 版"))
        // What comes next: the clerk corrects the survey here, then completes the step.
        #expect(s.screen.contains("（退回重新调查）— 经办员在本案按 s 更正调查表"))
        // The key bar names what applies here: the survey keys, not the reviewer's.
        #expect(s.screen.contains("s 更正调查") && s.screen.contains("v 调查版本") && !s.screen.contains("F5 异议"))
        s.keys(.char("s"))
        let form = try #require(s.form)
        #expect(form.correction?.caseId == cid && form.correction?.version == 1)
        #expect(s.screen.contains("更正调查 #\(cid)") && s.screen.contains("第1版→第2版"))
        // The programme is the case's own: typing on it is refused with a word.
        s.keys(.char("x"))
        #expect(s.form?.typingNote?.contains("不能改") == true)
        // Change the survey: one more income row.
        try Self.addIncome(s)
        let before = try #require(s.form).values.items("income").count
        #expect(before >= 1)
        s.keys(.function(2))
        // The warnings the form may raise are confirmed; then the reason is asked for.
        if s.form?.confirm != nil { s.keys(.char("y")) }
        if s.form?.errorList != nil {
            Issue.record("the corrected form has errors: \(s.form!.errorList!.map { $0.text(.zh) })")
            return
        }
        #expect(s.form?.correction?.reasonBox != nil)
        expectGolden(s.screen, named: "survey-correct-reason-80x24")
        // No reason: the box says so and nothing is saved.
        s.keys(.function(2))
        #expect(s.form?.correction?.reasonBox?.error != nil)
        #expect(try s.store.surveyVersions(caseId: cid).count == 1)
        s.type("补录务工收入")
        s.keys(.function(2))
        #expect(s.runner.state.message?.text.contains("第 2 版") == true)
        s.keys(.enter)
        // Back on the case, which reads version 2.
        #expect(s.caseView?.caseId == cid)
        #expect(s.screen.contains("第 2 版，共 2 版"))
        let all = try s.store.surveyVersions(caseId: cid)
        #expect(all.count == 2 && all[1].reason == "补录务工收入" && all[1].recordedBy == "jingban")
        #expect(all[1].values?.items("income").count == before)
        let audit = try s.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit WHERE action = 'survey.correct' AND entity_id = ?", arguments: [String(cid)]) }
        #expect(audit == 1)
        // No draft was kept for a correction.
        #expect(try s.store.drafts(user: "jingban").isEmpty)

        // The versions: the newest selected, what changed from version 1, who and why.
        s.keys(.char("v"))
        let v = try #require(s.versions)
        #expect(v.versions.count == 2 && v.selected == 1)
        #expect(s.screen.contains("补录务工收入") && s.screen.contains("与第 1 版相比"))
        expectGolden(s.steadyScreen, named: "survey-versions-80x24")
        s.keys(.up)
        #expect(s.screen.contains("首次调查"))
        s.keys(.escape)
        #expect(s.caseView?.caseId == cid)
    }

    @Test func theVersionsScreenInEnglish() throws {
        let (s, cid) = try Self.session(lang: .en)
        var values = try #require(try s.store.survey(caseId: cid)).values
        values.groups["income"] = [["member": "1", "kind": "farming", "amount": "1200.00"]]
        let rules = try Fixture.env(s.store).forms.rules
        let version = try s.store.read { db in try #require(try Int.fetchOne(db, sql: "SELECT version FROM assistance_case WHERE id = ?", arguments: [cid])) }
        try s.store.correctSurvey(caseId: cid, caseVersion: version, values: values, figures: rules.figures(values), reason: "farm income left out",
                                  by: "jingban", today: Fixture.today)
        try Self.openCase(s, cid)
        #expect(s.screen.contains("household survey: version 2 of 2"))
        s.keys(.char("v"))
        #expect(s.screen.contains("farm income left out") && s.screen.contains("what changed from version 1"))
        expectGolden(s.steadyScreen, named: "survey-versions-en-80x24")
        // The form opened for a correction, in English.
        s.keys(.escape, .char("s"))
        #expect(s.form?.correction?.version == 2)
        expectGolden(s.screen, named: "survey-correct-form-en-80x24")
        // Leaving asks, and says nothing is kept.
        s.keys(.escape)
        #expect(s.screen.contains("stays at version 2"))
        s.keys(.char("y"))
        #expect(s.caseView?.caseId == cid)
        #expect(try s.store.surveyVersions(caseId: cid).count == 2)
    }

    /// The store refuses a correction of another programme or household, or one that changes nothing, whatever the screen sends.
    @Test func theStoreKeepsTheCasesOwnProgrammeAndHousehold() throws {
        let store = try Fixture.store(households: 4)
        let cid = try Self.sentBack(store)
        let rules = try Fixture.env(store).forms.rules
        let version = try store.read { db in try #require(try Int.fetchOne(db, sql: "SELECT version FROM assistance_case WHERE id = ?", arguments: [cid])) }
        var values = try #require(try store.survey(caseId: cid)).values
        // The same form again is no new version.
        #expect(throws: StoreError.self) {
            try store.correctSurvey(caseId: cid, caseVersion: version, values: values, figures: rules.figures(values), reason: "x", by: "jingban", today: Fixture.today)
        }
        values.fields["programme"] = "urban_dibao"
        #expect(throws: StoreError.self) {
            try store.correctSurvey(caseId: cid, caseVersion: version, values: values, figures: rules.figures(values), reason: "x", by: "jingban", today: Fixture.today)
        }
        values.fields["programme"] = "rural_dibao"
        values.fields["household"] = "2"
        #expect(throws: StoreError.self) {
            try store.correctSurvey(caseId: cid, caseVersion: version, values: values, figures: rules.figures(values), reason: "x", by: "jingban", today: Fixture.today)
        }
        #expect(try store.surveyVersions(caseId: cid).count == 1)
    }

    /// Who corrects: the clerk (and the administrator), only before the decision; the screen says
    /// so before opening the form, as the store would refuse it.
    @Test func onlyTheClerkCorrectsBeforeTheDecision() throws {
        let store = try Fixture.store(households: 4)
        let cid = try Self.sentBack(store)
        let env = try Fixture.env(store)
        let file = try #require(try store.caseFile(id: cid, today: Fixture.today, catalog: CaseFixture.catalog))
        #expect(file.surveyVersion == 1)
        #expect(App.correctionRefusal(file, role: .clerk, env: env) == nil)
        #expect(App.correctionRefusal(file, role: .reviewer, env: env)?.contains("经办员") == true)
        #expect(App.correctionRefusal(file, role: .supervisor, env: env) != nil)
        var decided = file
        decided.caseRecord.status = .active
        #expect(App.correctionRefusal(decided, role: .clerk, env: env) != nil)
        let values = try #require(try store.survey(caseId: cid)).values
        #expect(throws: StoreError.self) {
            try store.correctSurvey(caseId: cid, caseVersion: file.caseRecord.version, values: values, figures: env.forms.rules.figures(values),
                                    reason: "x", by: "shenhe", today: Fixture.today)
        }
    }
}
