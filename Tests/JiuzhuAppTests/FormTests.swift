import Foundation
@testable import JiuzhuApp
import JiuzhuModel
import JiuzhuStore
import TermUI
import Testing

/// The application and survey form through the real runner, the real store (in memory) and
/// TestBackend: keys in, screens and database rows out.
@Suite(.serialized) struct FormTests {
    static func id(_ body: String) -> String { body + String(IDNumber.checkCharacter(for: body)!) }
    /// A head born 1970 and a child born 2005, in a region no fixture household uses.
    static let headID = id("53262219700305001")
    static let spouseID = id("53262219720812002")
    static let childID = id("53262220050101003")

    struct Session {
        var store: Store
        var runner: AppRunner
        var backend: TestBackend
        var screen: String { backend.screenText }
        var form: FormState? { runner.state.top.state(of: FormScreen.self) }
        func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; runner.runUntilIdle() }
        func type(_ t: String) { keys(.text(t)) }
        var focusedField: String? {
            guard let f = form, let spec = runner.env.screens.forms[f.formId] else { return nil }
            let pages = spec.pages(f.values)
            let slots = spec.slots(pages[f.page], f.values)
            return slots.indices.contains(f.focus) ? slots[f.focus].field : nil
        }
    }

    /// Logged in as the clerk, on a new form's first field.
    static func newForm(width: Int = 80, height: Int = 24, store: Store? = nil) throws -> Session {
        let store = try store ?? Fixture.store()
        let backend = TestBackend(width: width, height: height)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store))
        let s = Session(store: store, runner: r, backend: backend)
        s.keys(.text("jingban"), .tab, .text("demo"), .enter)
        if r.state.top.id == IntakeScreen.id { s.keys(.escape) }
        s.keys(.char("2"))
        s.keys(.enter)
        return s
    }

    /// A complete two-member application, as a draft would hold it.
    static func filled(members: [(String, String, String, String)] = [("王大山", headID, "02", "M"), ("李秀英", spouseID, "10", "F")]) -> FormValues {
        var v = FormValues.blank(Fixture.screens.forms["application"]!, today: Fixture.today)
        v.fields["programme"] = "rural_dibao"
        v.fields["village"] = "532927101201"
        v.fields["address"] = "李家村3组12号"
        v.fields["paid_by_card"] = "no"
        v.fields["causes"] = "illness"
        v.fields["investigator1"] = "张明"
        v.fields["investigator2"] = "李华"
        v.fields["signed"] = "yes"
        v.fields["application_signed"] = "yes"
        v.fields["check_authorised"] = "yes"
        v.groups["members"] = members.map { m in
            var item = FormValues.newItem(Fixture.screens.forms["application"]!.section("members")!, today: Fixture.today)
            item["name"] = m.0; item["id_number"] = m.1; item["relation"] = m.2; item["sex"] = m.3
            return item
        }
        v.groups["income"] = [["member": "1", "kind": "farming", "amount": "3600.00"], ["member": "2", "kind": "youfu", "amount": "1200.00"]]
        return v
    }

    /// Open a saved draft through the drafts list.
    static func openDraft(_ v: FormValues, width: Int = 80, height: Int = 24, store: Store? = nil) throws -> Session {
        let store = try store ?? Fixture.store()
        try store.saveDraft(id: nil, user: "jingban", form: "application", title: "t", values: v)
        let backend = TestBackend(width: width, height: height)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store))
        let s = Session(store: store, runner: r, backend: backend)
        s.keys(.text("jingban"), .tab, .text("demo"), .enter)
        // The drafts list offers to continue, the draft highlighted.
        #expect(s.screen.contains("继续填写"))
        s.keys(.enter)
        return s
    }

    /// Move the cursor to a field by Tab, at most `limit` steps.
    static func tab(_ s: Session, to field: String, limit: Int = 60) {
        for _ in 0..<limit where s.focusedField != field { s.keys(.tab) }
    }

    // MARK: the form file

    @Test func theApplicationFormIsLoadedAndValid() throws {
        let spec = try #require(Fixture.screens.forms["application"])
        #expect(ScreenData.validate(spec) == nil)
        #expect(spec.sections.map(\.id) == ["application", "household_info", "members", "medical", "bills", "tekun", "supporters",
                                            "income", "assets", "investigation"])
        // The programme's own sections only for it: a 低保 form has none of them.
        var v = FormValues.blank(spec, today: Fixture.today)
        v.fields["programme"] = "rural_dibao"
        #expect(spec.pages(v).map(\.section).contains("bills") == false)
        v.fields["programme"] = "medical"
        #expect(spec.pages(v).map(\.section).contains("bills") && !spec.pages(v).map(\.section).contains("supporters"))
    }

    @Test(arguments: [
        ("\"codes\": \"relationship\"", "\"codes\": \"relations\"", "unknown code list 'relations'"),
        ("\"checks\": [\"idNumber\"]", "\"checks\": [\"idNumbr\"]", "unknown rule 'idNumbr'"),
        ("\"field\": \"health\"", "\"field\": \"healthy\"", "'when' names unknown field 'healthy'"),
        ("\"required\": true, \"checks\": [\"idNumber\"]", "\"requird\": true, \"checks\": [\"idNumber\"]", "unknown key 'requird'"),
        ("\"kind\": \"money\", \"required\": true", "\"kind\": \"cash\", \"required\": true", "form_application.json"),
    ])
    func aMistakeInAFormFileIsAnErrorNamingTheFile(find: String, replace: String, says: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("screens-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Fixture.root.appendingPathComponent("screens"), to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("form_application.json")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains(find))
        try text.replacingOccurrences(of: find, with: replace).write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try ScreenData.load(from: dir)
            Issue.record("a broken form file was accepted")
        } catch let e as ScreenData.LoadError {
            #expect(e.file == "form_application.json")
            #expect(e.description.contains(says), "\(e)")
        }
    }

    // MARK: checks as you type, as you leave, on submit

    @Test func anIDFieldTakesDigitsAndAFinalXOnly() throws {
        let s = try Self.newForm()
        s.keys(.pageDown, .pageDown)
        Self.tab(s, to: "id_number")
        s.type("5326A22")                            // a paste: the letter is dropped and said so
        #expect(s.form?.editor.value == "532622")
        #expect(s.screen.contains("身份证号只能输入数字"))
        for _ in 0..<6 { s.keys(.backspace) }
        for c in "53262219700305001" { s.keys(.char(c)) }
        s.keys(.char("a"))
        #expect(s.screen.contains("身份证号只能输入数字"))
        #expect(s.form?.editor.value == "53262219700305001")
        s.keys(.char("X"))
        #expect(s.form?.editor.value == "53262219700305001X")
        s.keys(.char("5"))                           // nothing after the 18th
        #expect(s.form?.editor.value == "53262219700305001X")
    }

    @Test func aWrongCheckCharacterIsNamedWhenTheFieldIsLeft() throws {
        let s = try Self.newForm()
        s.keys(.pageDown, .pageDown)
        Self.tab(s, to: "id_number")
        let wrong = String(Self.headID.dropLast()) + (Self.headID.last == "1" ? "2" : "1")
        s.type(wrong)
        #expect(!s.screen.contains("校验位错误"))      // not while typing
        s.keys(.tab)
        #expect(s.screen.contains("校验位错误"))
        #expect(s.screen.contains("应为 \(Self.headID.last!)") || s.screen.contains("\(Self.headID.last!)"))
        // Corrected, the message goes when the field is left again; sex is filled in from the ID.
        s.keys(.backTab, .backspace)
        s.type(String(Self.headID.last!))
        s.keys(.tab)
        #expect(!s.screen.contains("校验位错误"))
        #expect(s.form?.values.items("members")[0]["sex"] == "M")
    }

    @Test func sexAgainstTheIDAndAnImpossibleBirthDate() throws {
        var v = Self.filled()
        v.groups["members"]![0]["sex"] = "F"
        let s = try Self.openDraft(v)
        s.keys(.function(2))
        #expect(s.screen.contains("性别与身份证号不符"))
        let bad = Self.id("53262219700230001")       // 30 February
        let rules = s.runner.env.forms.rules
        v.groups["members"]![0]["id_number"] = bad
        let msgs = rules.check(FieldRef(section: "members", item: 0, field: "id_number"), spec: s.runner.env.screens.forms["application"]!, values: v)
        #expect(msgs.contains { $0.text.zh.contains("出生日期") })
    }

    /// An income of 20 digits is refused as too large (not as a wrong format, nor cut to 12
    /// digits); a negative one as negative (issue 19 finding 9).
    @Test func anIncomeTooLargeOrNegativeIsSaidAsSuch() throws {
        let v = Self.filled()
        let s = try Self.openDraft(v)
        let rules = s.runner.env.forms.rules
        let spec = try #require(s.runner.env.screens.forms["application"])
        let ref = FieldRef(section: "income", item: 0, field: "amount")
        for (typed, said) in [("12345678901234567890", "金额过大"), ("123456789012.00", "金额过大"), ("-100", "不能为负数"), ("12.345", "最多两位小数")] {
            var w = v
            w.groups["income"]![0]["amount"] = typed
            let msgs = rules.check(ref, spec: spec, values: w)
            #expect(msgs.contains { $0.text.zh.contains(said) }, "\(typed): \(msgs.map(\.text.zh))")
        }
    }

    @Test func aChildOlderThanTheHeadsSpouseIsQuestionedNotRefused() throws {
        // The "child" born 1960 is older than the spouse born 1972.
        let oldChild = Self.id("53262219600101005")
        let s = try Self.openDraft(Self.filled(members: [("王大山", Self.headID, "02", "M"), ("李秀英", Self.spouseID, "10", "F"), ("王老大", oldChild, "20", "M")]))
        s.keys(.function(2))
        #expect(s.screen.contains("请核实关系"))
        #expect(s.screen.contains("仍然提交"))       // a warning asks; it does not refuse
        s.keys(.char("y"))
        #expect(s.form?.submittedCase != nil)
    }

    @Test func aDuplicateIDAnywhereInTheDatabaseNamesTheHousehold() throws {
        let store = try Fixture.store()
        let holder = try store.read { db in try Store.members(db, householdId: 1) }[0]
        let s = try Self.newForm(store: store)
        s.keys(.pageDown, .pageDown)
        Self.tab(s, to: "id_number")
        s.type(holder.idNumber)
        s.keys(.tab)
        #expect(s.screen.contains("该身份证号已是李家村"))
        #expect(s.screen.contains(holder.name))
        // And the store refuses it even if the screen were bypassed.
        var v = Self.filled()
        v.groups["members"]![1]["id_number"] = holder.idNumber
        let sub = Submission(values: v, programme: .ruralDibao, figures: s.runner.env.forms.rules.figures(v), applyStep: "apply",
                             surveyStep: "survey", nextStep: "appraisal", draftId: nil, today: Fixture.today)
        #expect(throws: StoreError.self) { try store.submitApplication(sub, by: "jingban") }
    }

    @Test func anOpenCaseInTheSameProgrammeIsRefused() throws {
        let store = try Fixture.store()
        var v = Self.filled()
        let h = try #require(try store.read { db in try Store.household(db, id: 2) })
        let members = try store.read { db in try Store.members(db, householdId: 2) }
        ApplicationForm.fill(&v, household: h, members: members)
        v.fields["causes"] = "illness"
        v.fields["paid_by_card"] = "no"
        let figures = SurveyRules(today: Fixture.today, codes: [:], countedIncomeKinds: []).figures(v)
        let sub = Submission(values: v, programme: .ruralDibao, figures: figures, applyStep: "apply", surveyStep: "survey",
                             nextStep: "appraisal", draftId: nil, today: Fixture.today)
        _ = try store.submitApplication(sub, by: "jingban")
        // A second application for the same household and programme.
        v.fields["household_version"] = String(try #require(try store.read { db in try Store.household(db, id: 2) }).version)
        let again = Submission(values: v, programme: .ruralDibao, figures: figures, applyStep: "apply", surveyStep: "survey",
                               nextStep: "appraisal", draftId: nil, today: Fixture.today)
        #expect(throws: StoreError.self) { try store.submitApplication(again, by: "jingban") }
        // On screen: a draft for that household and programme says so as soon as it is opened.
        v.groups["income"] = []
        let s = try Self.openDraft(v, store: store)
        #expect(s.form?.dbMessages[FieldRef(section: "application", field: "programme")] != nil)
        s.keys(.function(2))
        #expect(s.screen.contains("不能重复申请"))
    }

    @Test func submitListsEveryErrorAndEnterJumpsToTheFirst() throws {
        var v = Self.filled()
        v.fields["investigator2"] = "张明"           // the same person twice
        v.groups["members"]![1]["name"] = ""
        let s = try Self.openDraft(v)
        s.keys(.function(2))
        #expect(s.screen.contains("处需改正"))
        let list = try #require(s.form?.errorList)
        #expect(list.count == 2)
        #expect(list[0].ref == FieldRef(section: "members", item: 1, field: "name"))
        s.keys(.enter)
        #expect(s.form?.errorList == nil)
        #expect(s.focusedField == "name")
        #expect(s.screen.contains("家庭成员 2/2"))
        #expect(try s.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM survey") } == 0)
    }

    @Test func aMissingInvestigatorCannotBeSubmitted() throws {
        var v = Self.filled()
        v.fields["investigator2"] = ""
        let s = try Self.openDraft(v)
        s.keys(.function(2))
        #expect(s.form?.errorList?.contains { $0.ref.field == "investigator2" } == true)
        #expect(s.form?.submittedCase == nil)
    }

    // MARK: members

    @Test func membersAreAddedDeletedAfterAskingAndMoved() throws {
        let s = try Self.openDraft(Self.filled())
        s.keys(.pageDown, .pageDown)                 // member 1
        #expect(s.screen.contains("家庭成员 1/2"))
        s.keys(.function(7))
        #expect(s.screen.contains("家庭成员 2/3"))
        #expect(s.focusedField == "name")
        s.type("王小花")
        s.keys(.tab)
        s.keys(.function(8))
        #expect(s.screen.contains("删除第2个成员 王小花"))
        s.keys(.char("n"))
        #expect(s.form?.values.items("members").count == 3)
        s.keys(.function(8), .char("y"))
        #expect(s.form?.values.items("members").map { $0["name"] } == ["王大山", "李秀英"])
        #expect(s.form?.values.items("income").map { $0["member"] } == ["1", "2"])
        // Move the spouse up: her income row follows her.
        #expect(s.screen.contains("家庭成员 2/2"))
        s.keys(.function(5))
        #expect(s.form?.values.items("members").map { $0["name"] } == ["李秀英", "王大山"])
        #expect(s.form?.values.items("income").map { $0["member"] } == ["2", "1"])
    }

    // MARK: drafts and submit

    @Test func eachFieldLeftIsInTheDraft() throws {
        let s = try Self.newForm()
        s.type("n"); s.keys(.enter)                  // programme from the picker
        Self.tab(s, to: "address")
        s.type("石门村5号")
        s.keys(.tab)
        let drafts = try s.store.drafts(user: "jingban")
        #expect(drafts.count == 1)
        let saved = try #require(try s.store.draft(id: drafts[0].id, user: "jingban"))
        #expect(saved.fields["programme"] == "rural_dibao")
        #expect(saved.fields["address"] == "石门村5号")
        // A field typed into but not left yet is not in the draft.
        s.type("未离开")
        #expect(try s.store.draft(id: drafts[0].id, user: "jingban")?.fields["phone"] == nil)
    }

    @Test func submitCreatesTheCaseTheSurveyStepAndStoresTheFigures() throws {
        let s = try Self.openDraft(Self.filled())
        s.keys(.function(2))
        let cid = try #require(s.form?.submittedCase)
        #expect(s.screen.contains("已受理"))
        let steps = try s.store.read { db in try Store.caseSteps(db, caseId: cid) }
        #expect(steps.map(\.step) == ["apply", "survey"])
        #expect(steps[1].inputs.contains("张明") && steps[1].inputs.contains("李华"))
        let survey = try #require(try s.store.survey(caseId: cid))
        #expect(survey.investigators == ("张明", "李华"))
        #expect(survey.figures.membersCounted == 2)
        #expect(survey.figures.incomeCountedYearly == Money(yuan: 3600))   // 优抚金 not counted
        #expect(survey.figures.incomeExcludedYearly == Money(yuan: 1200))
        #expect(survey.figures.perCapitaMonthly == Money(yuan: 150))       // 3600 / 12 / 2
        #expect(try s.store.drafts(user: "jingban").isEmpty)               // the draft is gone
        let c = try s.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM assistance_case WHERE id = ? AND step = 'appraisal'", arguments: [cid]) }
        #expect(c == 1)
        if case .broken(let row, let why) = try s.store.verifyAudit() { Issue.record("audit broken at \(row): \(why)") }
    }

    @Test func printWritesAnA4FormWithSignatureLinesMode0600() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("print-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let env = try Fixture.env(try Fixture.store())
        let paths = try SurveyPrint.write(values: Self.filled(), caseId: 7, besides: dir.appendingPathComponent("x.sqlite").path,
                                          env: env, office: Office(countyCode: "532927", countyName: "巍山县", townshipCode: "532927101000", townshipName: "南诏镇"))
        #expect(paths.count == 2)
        let text = try String(contentsOfFile: paths[0], encoding: .utf8)
        for s in ["巍山县南诏镇", "社会救助家庭入户调查表", "案件号:7", "王大山", "李秀英", Self.headID, "调查人1 张明 签字", "调查人2 李华 签字", "人均月收入 150.00 元"] {
            #expect(text.contains(s), "missing \(s)")
        }
        let html = try String(contentsOfFile: paths[1], encoding: .utf8)
        #expect(html.contains("size: A4") && html.contains("李秀英"))
        for p in paths {
            let mode = try FileManager.default.attributesOfItem(atPath: p)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }

    // MARK: screens

    @Test func goldenSurveyMemberPage80x24() throws {
        let s = try Self.openDraft(Self.filled())
        s.keys(.pageDown, .pageDown)
        expectGolden(s.screen, named: "form-member-80x24")
    }

    @Test func goldenSurveyMemberPage160x50ShowsTwoColumns() throws {
        let s = try Self.openDraft(Self.filled(), width: 160, height: 50)
        s.keys(.pageDown, .pageDown)
        expectGolden(s.screen, named: "form-member-160x50")
    }

    @Test func goldenIncomeTable80x24() throws {
        let s = try Self.openDraft(Self.filled())
        s.keys(.pageDown, .pageDown, .pageDown, .pageDown)
        expectGolden(s.screen, named: "form-income-80x24")
    }

    @Test func everyPageFitsAt80x24AndSurvivesResizing() throws {
        let s = try Self.openDraft(Self.filled())
        for _ in 0..<8 {
            s.keys(.pageDown)
            for line in s.screen.split(separator: "\n") { #expect(line.displayWidth <= 80) }
        }
        s.backend.resize(width: 60, height: 20)
        s.runner.runUntilIdle()
        #expect(s.screen.contains("请放大窗口"))
        s.backend.resize(width: 120, height: 40)
        s.runner.runUntilIdle()
        #expect(s.screen.contains("入户调查"))
    }
}
