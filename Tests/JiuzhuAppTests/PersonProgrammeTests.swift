import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// Issue 22 items 1 and 2 against the real store (in memory): 医疗救助 with its bills and category
/// from an application to a decision, the year's grants counted against the cap; 特困 for the
/// person chosen, with care level and supporters, and never paid twice with a 低保 household.
@Suite(.serialized) struct PersonProgrammeTests {
    static let catalog = CaseFixture.catalog
    static let village = "532927101201"
    static let headID = FormTests.id("53262219480305001")     // 78 on 2026-11-23
    static let sonID = FormTests.id("53262219750812003")

    func store() throws -> Store {
        let s = try Fixture.store(households: 2)
        try s.addUser(name: "shenhe", displayName: "审核员", role: .reviewer, password: "demo", by: "test", iterations: 1000)
        try s.addUser(name: "shenpi", displayName: "审批员", role: .approver, password: "demo", by: "test", iterations: 1000)
        return s
    }

    func row(_ s: Store, _ id: Int64) throws -> Row {
        try s.read { db in try #require(try Row.fetchOne(db, sql: "SELECT * FROM assistance_case WHERE id = ?", arguments: [id])) }
    }

    func act(_ s: Store, _ id: Int64, _ a: CaseAction, _ actor: String, _ role: Role, on date: CivilDate = Fixture.today,
             _ inputs: [String: String] = [:], amount: Money? = nil) throws {
        let v: Int = try row(s, id)["version"]
        _ = try s.act(caseId: id, version: v, request: CaseRequest(action: a, actor: actor, role: role, date: date, inputs: inputs, amount: amount),
                      catalog: Self.catalog)
    }

    /// An application form for a household of a 78-year-old head and his son.
    static func form(_ p: Programme, household: Int64? = nil) -> FormValues {
        var v = FormTests.filled(members: [("杨建华", headID, "02", "M"), ("杨军", sonID, "20", "M")])
        v.fields["programme"] = p.rawValue
        if let h = household { v.fields["household"] = String(h) }
        return v
    }

    func submit(_ s: Store, _ v: FormValues, _ p: Programme) throws -> Int64 {
        let def = Self.catalog.definition(p)
        let figures = SurveyRules(today: Fixture.today, codes: [:], countedIncomeKinds: ["farming"]).figures(v)
        let path = def.path(delegated: false)
        let survey = path.first { $0.code == "survey" }?.code
        let next = path[survey == nil ? 1 : 2].code
        return try s.submitApplication(Submission(values: v, programme: p, figures: figures, applyStep: path[0].code, surveyStep: survey,
                                                  nextStep: next, draftId: nil, today: Fixture.today, catalog: Self.catalog), by: "jingban")
    }

    // MARK: 医疗救助

    static func bill(_ hospital: String, total: String, basic: String, serious: String, own: String) -> [String: String] {
        ["hospital": hospital, "from": "2026-10-08", "until": "2026-10-20", "total": total, "basic": basic, "serious": serious, "self_paid": own]
    }

    @Test func aMedicalApplicationIsDecidedOnItsBillsAndTheYearsGrantsCount() throws {
        let s = try store()
        var v = Self.form(.medical)
        v.fields["medical_person"] = "2"
        v.fields["medical_category"] = "low_income"
        v.groups["bills"] = [Self.bill("县人民医院", total: "30000.00", basic: "15000.00", serious: "3000.00", own: "8000.00"),
                             Self.bill("县中医医院", total: "4000.00", basic: "1500.00", serious: "0", own: "2000.00")]
        let id = try submit(s, v, .medical)
        let r = try row(s, id)
        #expect(r["medical_category"] as String? == "low_income")
        let son = try s.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM person WHERE id_number = ?", arguments: [Self.sonID]) }
        #expect(r["person_id"] as Int64? == son)
        // The case as the reviewer sees it: category, each bill, deductible, ratio, cap.
        let f = try #require(try s.caseFile(id: id, today: Fixture.today, catalog: Self.catalog))
        let text = CaseReport.lines(f, env: try Fixture.env(s)).map(\.text).joined(separator: "\n")
        #expect(text.contains("县人民医院 2026-10-08—2026-10-20：总费用 30000.00 − 基本医保 15000.00 − 大病保险 3000.00；政策范围内自付 8000.00"))
        #expect(text.contains("起付标准 1700.00(本年已计 0.00)，本次扣除 1700.00，计入 8300.00"))
        #expect(text.contains("8300.00 × 救助比例 65% = 5395.00"))
        #expect(f.assessment.amount == Money(yuan: 5_395))
        try act(s, id, .approve, "shenhe", .reviewer, ["opinion": "同意"])
        try act(s, id, .approve, "shenpi", .approver, ["approver": "审批员"])
        #expect(try row(s, id)["once_amount_fen"] as Int64? == 539_500)
        try act(s, id, .done, "jingban", .clerk, ["method": "一站式结算"])

        // A second stay in the year: the deductible is used up, and only the cap's room is left.
        var v2 = Self.form(.medical, household: r["household_id"])
        v2.fields["household_version"] = String(try s.read { db in try Int.fetchOne(db, sql: "SELECT version FROM household WHERE id = ?", arguments: [r["household_id"] as Int64]) } ?? 1)
        v2.fields["medical_person"] = "2"
        v2.fields["medical_category"] = "low_income"
        v2.groups["bills"] = [Self.bill("州人民医院", total: "120000.00", basic: "50000.00", serious: "20000.00", own: "45000.00")]
        let id2 = try submit(s, v2, .medical)
        let f2 = try #require(try s.caseFile(id: id2, today: Fixture.today, catalog: Self.catalog))
        #expect(f2.facts.medical?.grantedThisYear == Money(yuan: 5_395))
        #expect(f2.facts.medical?.selfPaidThisYear == Money(yuan: 10_000))
        #expect(f2.assessment.amount == Money(yuan: 24_605))    // 30,000 − 5,395, not 45,000 × 65%
        try act(s, id2, .approve, "shenhe", .reviewer, ["opinion": "同意"])
        try act(s, id2, .approve, "shenpi", .approver, ["approver": "审批员"])
        // The first case's figures read as they were decided (the later grant is not "earlier").
        let again = try #require(try s.caseFile(id: id, today: Fixture.today, catalog: Self.catalog))
        #expect(again.facts.medical?.grantedThisYear == .zero && again.assessment.amount == Money(yuan: 5_395))
    }

    @Test func theStoreRefusesAMedicalApplicationWithoutItsPersonOrWithBillsThatDoNotAddUp() throws {
        let s = try store()
        var v = Self.form(.medical)
        v.fields["medical_category"] = "spending"
        v.groups["bills"] = [Self.bill("县人民医院", total: "3000.00", basic: "1500.00", serious: "0", own: "800.00")]
        v.fields["medical_person"] = "0"
        #expect(throws: StoreError.self) { try submit(s, v, .medical) }
        v.fields["medical_person"] = "1"
        v.groups["bills"] = [Self.bill("县人民医院", total: "3000.00", basic: "2500.00", serious: "0", own: "800.00")]
        do { _ = try submit(s, v, .medical); Issue.record("accepted bills over their total") } catch let e as StoreError {
            #expect(e.message(.zh).contains("第 1 张票据") && e.message(.zh).contains("未提交"))
        }
        #expect(try s.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM assistance_case WHERE programme = 'medical'") } == 0)
        // Claimed as 低保 with no 低保 case in force: the rule says so and the amount is nil.
        v.fields["medical_category"] = "dibao"
        v.groups["bills"] = [Self.bill("县人民医院", total: "3000.00", basic: "1500.00", serious: "0", own: "800.00")]
        let id = try submit(s, v, .medical)
        let f = try #require(try s.caseFile(id: id, today: Fixture.today, catalog: Self.catalog))
        #expect(!f.assessment.eligible && f.assessment.amount == .zero)
        // And it cannot be approved, at 0.00 or at a typed amount: the store says which rule failed.
        try act(s, id, .approve, "shenhe", .reviewer, ["opinion": "同意"])
        for amount in [nil, Money(yuan: 500)] {
            do {
                try act(s, id, .approve, "shenpi", .approver, ["approver": "审批员"], amount: amount)
                Issue.record("approved a case whose rules fail")
            } catch let e as StoreError { #expect(e.message(.zh).contains("救助对象类别") && e.message(.zh).contains("什么也没有改动")) }
        }
        #expect(try row(s, id)["step"] as String == "county_approval")
    }

    // MARK: 特困

    /// A 低保 case in force for the household, covering both members, decided today − 60.
    func dibaoInForce(_ s: Store, household hid: Int64) throws -> Int64 {
        let id = try CaseFixture.ruralCase(s, household: hid, at: "county_approval", since: Fixture.today.adding(days: -62), pci: Money(yuan: 100))
        try act(s, id, .approve, "shenpi", .approver, on: Fixture.today.adding(days: -60), ["approver": "审批员"])
        // A decided case on its way (审批结果公示) cannot be changed by a 特困 decision: the store says so.
        if try row(s, id)["status"] as String == "in_progress" {
            let from = Fixture.today.adding(days: -58)
            let bid = try s.createBatch(NewBatch(kind: .approval, programme: .ruralDibao, scopeCode: Self.village, postedFrom: from,
                                                 place: "村务公开栏", phone: "0872-1234567", box: "村委会举报箱"),
                                        by: "jingban", today: from, catalog: Self.catalog)
            try s.postBatch(bid, version: 1, by: "jingban", today: from, catalog: Self.catalog)
            let b = try #require(try s.batch(id: bid))
            _ = try s.closeBatch(bid, version: b.version, by: "jingban", today: Fixture.today.adding(days: -50), catalog: Self.catalog)
            let cert: String = try row(s, id)["certificate_no"]
            try act(s, id, .done, "jingban", .clerk, on: Fixture.today.adding(days: -49), ["certificateNo": cert])
            try act(s, id, .done, "jingban", .clerk, on: Fixture.today.adding(days: -48), ["firstMonth": "2026-10", "method": "一卡通"])
        }
        #expect(try row(s, id)["status"] as String == "active")
        return id
    }

    /// 特困 from the application to the decision: the person, the care level, the supporters.
    func tekunToDecision(_ s: Store, household: Int64? = nil, supporters: [[String: String]] = [], care: String = "semi",
                         mode: String = "dispersed", institution: String? = nil) throws -> Int64 {
        var v = Self.form(.tekun, household: household)
        if let h = household {
            v.fields["household_version"] = String(try s.read { db in try Int.fetchOne(db, sql: "SELECT version FROM household WHERE id = ?", arguments: [h]) } ?? 1)
        }
        v.fields["applied_on"] = Fixture.today.adding(days: -30).iso
        v.fields["survey_date"] = Fixture.today.adding(days: -28).iso
        v.fields["tekun_person"] = "1"
        v.fields["care_level"] = care
        v.fields["support_mode"] = mode
        if let i = institution { v.fields["institution"] = i }
        v.groups["supporters"] = supporters
        v.groups["income"] = []
        let id = try submit(s, v, .tekun)
        try act(s, id, .approve, "shenhe", .reviewer, on: Fixture.today.adding(days: -25), ["opinion": "同意"])
        let from = Fixture.today.adding(days: -20)
        let bid = try s.createBatch(NewBatch(kind: .review, programme: .tekun, scopeCode: Self.village, postedFrom: from,
                                             place: "村务公开栏", phone: "0872-1234567", box: "村委会举报箱"),
                                    by: "jingban", today: from, catalog: Self.catalog)
        try s.postBatch(bid, version: 1, by: "jingban", today: from, catalog: Self.catalog)
        let b = try #require(try s.batch(id: bid))
        _ = try s.closeBatch(bid, version: b.version, by: "jingban", today: Fixture.today, catalog: Self.catalog)
        #expect(try row(s, id)["step"] as String == "county_approval")
        return id
    }

    @Test func aTekunPersonGetsTheBasicAndCareStandardsAndLeavesTheDibaoCount() throws {
        let s = try store()
        // The household applies for 低保 first and is in force, both covered.
        let hid = try s.addHousehold(Household(villageCode: Self.village, address: "李家村1组1号"),
                                     members: [Person(name: "杨建华", idNumber: Self.headID, relation: "02", sex: .male, birthDate: CivilDate(year: 1948, month: 3, day: 5)!),
                                               Person(name: "杨军", idNumber: Self.sonID, relation: "20", sex: .male, birthDate: CivilDate(year: 1975, month: 8, day: 12)!)],
                                     by: "test")
        let dibao = try dibaoInForce(s, household: hid)
        #expect(try row(s, dibao)["covered_members"] as Int == 2)
        let before: Int64 = try row(s, dibao)["monthly_amount_fen"]
        // The father is 特困 (the son works away and is in prison: no ability, 第八条(五)).
        let tekun = try tekunToDecision(s, household: hid, supporters: [["sup_name": "杨军", "sup_relation": "20", "sup_income": "0", "sup_ability": "incapacity"]])
        let f = try #require(try s.caseFile(id: tekun, today: Fixture.today, catalog: Self.catalog))
        let text = CaseReport.lines(f, env: try Fixture.env(s)).map(\.text).joined(separator: "\n")
        #expect(text.contains("供养对象：杨建华，78 岁"))
        #expect(text.contains("78 岁，60周岁以上(第六条)"))
        #expect(text.contains("杨军(20)，年收入 0.00 元，无行为能力/失踪/服刑"))
        #expect(text.contains("基本生活标准(分散供养(在家)) 8970.00 元/年 ÷ 12 = 747.50"))
        #expect(text.contains("照料护理标准(半护理) 3600.00 元/年 ÷ 12 = 300.00"))
        #expect(f.assessment.amount == Money(yuan: 1_048))
        try act(s, tekun, .approve, "shenpi", .approver, ["approver": "审批员", "supportMode": "分散", "careLevel": "半护理"])
        #expect(try row(s, tekun)["monthly_amount_fen"] as Int64 == 104_800)
        #expect(try row(s, tekun)["care_level"] as String? == "semi")
        // The 低保 case now covers the son only, from the same month, recomputed, with its record.
        let d = try row(s, dibao)
        #expect(d["covered_members"] as Int == 1)
        #expect(d["monthly_amount_fen"] as Int64 != before)
        let father = try #require(try s.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM person WHERE id_number = ?", arguments: [Self.headID]) })
        #expect(try s.coverage(caseId: dibao, on: Fixture.today)?.contains(father) == false)
        let adjust = try #require(try s.caseFile(id: dibao, today: Fixture.today, catalog: Self.catalog)?.history.last)
        #expect(adjust.action == "adjust" && adjust.note.contains("纳入特困供养"))
        // No month pays him twice: the rosters of next month pay him once, on the 特困 roster.
        for p in [Programme.ruralDibao, .tekun] {
            _ = try s.makeRoster(month: "2026-12", programme: p, catalog: Self.catalog, by: "shenpi")
        }
        let lines = try s.read { db in try Row.fetchAll(db, sql: "SELECT l.case_id, l.persons FROM payment_line l") }
        #expect(lines.count == 2)
        #expect(lines.reduce(0) { $0 + ($1["persons"] as Int) } == 2)
        // And a 低保 adjustment naming him again is refused by the store.
        #expect(throws: StoreError.self) {
            try act(s, dibao, .adjust, "shenpi", .approver, ["persons": "\(father),\(father + 1)", "perCapitaIncome": "100.00"])
        }
    }

    @Test func aSoleCoveredPersonBecomingTekunStopsTheDibaoAndConcentratedSupportIsPaidToTheInstitution() throws {
        let s = try store()
        let hid = try s.addHousehold(Household(villageCode: Self.village, address: "李家村2组2号"),
                                     members: [Person(name: "杨建华", idNumber: Self.headID, relation: "02", sex: .male, birthDate: CivilDate(year: 1948, month: 3, day: 5)!)],
                                     by: "test")
        let dibao = try dibaoInForce(s, household: hid)
        let tekun = try tekunToDecision(s, household: hid, care: "full", mode: "concentrated", institution: "JLY001")
        try act(s, tekun, .approve, "shenpi", .approver, ["approver": "审批员", "supportMode": "集中", "careLevel": "全护理", "institution": "JLY001"])
        #expect(try row(s, dibao)["status"] as String == "terminated")
        #expect(try row(s, tekun)["institution"] as String? == "JLY001")
        // (9,720 + 7,200) / 12 = 1,410.00
        #expect(try row(s, tekun)["monthly_amount_fen"] as Int64 == 141_000)
        let r = try s.makeRoster(month: "2026-12", programme: .tekun, catalog: Self.catalog, by: "shenpi")
        let line = try #require(try s.read { db in try Row.fetchOne(db, sql: "SELECT * FROM payment_line WHERE roster_id = ?", arguments: [r.id]) })
        #expect(line["payee_name"] as String == "石门镇敬老院")
        #expect(line["payee_id"] as String == "JLY001")
        #expect(line["bank_card"] as String? == "6217001234567890124")
    }

    @Test func aTekunApplicationNeedsItsPersonCareLevelAndInstitution() throws {
        let s = try store()
        var v = Self.form(.tekun)
        v.fields["care_level"] = "self"
        v.fields["support_mode"] = "dispersed"
        #expect(throws: StoreError.self) { try submit(s, v, .tekun) }        // no person
        v.fields["tekun_person"] = "1"
        v.fields["support_mode"] = "concentrated"
        v.fields["institution"] = "NOPE"
        #expect(throws: StoreError.self) { try submit(s, v, .tekun) }        // unknown institution
        v.fields["support_mode"] = "dispersed"
        v.groups["supporters"] = [["sup_name": "", "sup_ability": "able"]]
        #expect(throws: StoreError.self) { try submit(s, v, .tekun) }        // a supporter without a name
        v.groups["supporters"] = [["sup_name": "杨梅", "sup_relation": "30", "sup_income": "36000.00", "sup_ability": "able"]]
        let id = try submit(s, v, .tekun)
        let f = try #require(try s.caseFile(id: id, today: Fixture.today, catalog: Self.catalog))
        // A daughter able to support: not eligible, said with her figures.
        #expect(!f.assessment.eligible)
        #expect(f.assessment.rules.contains { $0.pass == false && $0.detail.zh.contains("杨梅(30)，年收入 36000.00 元，有履行能力") })
    }
}
