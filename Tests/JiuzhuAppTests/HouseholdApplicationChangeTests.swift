import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// Issue 21 item 3: an application on a household already on record records what it changes
/// as household changes (on the card's history, each reaching the household's other cases in
/// force), never a silent rewrite.
@Suite(.serialized) struct HouseholdApplicationChangeTests {
    static let catalog = CaseFixture.catalog

    /// Household 1 (head and child) as the form fills it for a 临时救助 application.
    func application(_ s: Store, _ edit: (inout FormValues) -> Void) throws -> Submission {
        var v = FormTests.filled()
        let h = try #require(try s.read { db in try Store.household(db, id: 1) })
        let members = try s.read { db in try Store.members(db, householdId: 1) }
        ApplicationForm.fill(&v, household: h, members: members)
        v.fields["programme"] = Programme.temporary.rawValue
        edit(&v)
        let def = Self.catalog.definition(.temporary)
        let figures = SurveyRules(today: Fixture.today, codes: [:], countedIncomeKinds: []).figures(v)
        return Submission(values: v, programme: .temporary, figures: figures, applyStep: def.applyStep, surveyStep: def.surveyStep,
                          nextStep: def.stepAfterIntake, draftId: nil, today: Fixture.today, catalog: Self.catalog)
    }

    func newborn() -> [String: String] {
        var m = FormValues.newItem(Fixture.screens.forms["application"]!.section("members")!, today: Fixture.today)
        let id = IDNumber.make(region: "532927", birth: CivilDate(year: 2026, month: 10, day: 2)!, sequence: 901)
        m["name"] = "张小宝"; m["id_number"] = id.value; m["relation"] = "41"; m["sex"] = id.sex.rawValue
        return m
    }

    @Test func aNewbornAndANewPhoneInTheApplicationAreRecordedAndReachTheCaseInForce() throws {
        let s = try Fixture.store(households: 8)
        let cid = try DynamicManagementTests.activeCase(s, household: 1)
        let before = try #require(try s.householdCard(id: 1)).household
        let sub = try application(s) { v in
            v.groups["members"]!.append(newborn())
            v.fields["phone"] = "13908720001"
            if HukouType(rawValue: v.fields["hukou"] ?? "")?.isObsolete ?? true { v.fields["hukou"] = before.hukou.rawValue }
        }
        let newCase = try s.submitApplication(sub, by: "jingban")
        let card = try #require(try s.householdCard(id: 1))
        #expect(card.members.contains { $0.name == "张小宝" } && card.household.phone == "13908720001")
        let kinds = Set(card.changes.map(\.kind))
        #expect(kinds == [.birth, .facts], "\(card.changes.map(\.summary))")
        #expect(card.changes.allSatisfy { $0.recordedBy == "jingban" && $0.reason.contains("临时救助") })
        // The 低保 case in force gets its 增员 follow-up; the new application's case gets none.
        let open = try s.read { db in
            try Row.fetchAll(db, sql: "SELECT case_id, change_kind FROM case_followup WHERE source = 'household' AND closed_on IS NULL")
        }
        #expect(open.count == 1 && open[0]["case_id"] as Int64 == cid && open[0]["change_kind"] as String == "added")
        #expect(newCase != cid)
        let audit = try s.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit WHERE action = 'household.change'") }
        #expect(audit == 2)
    }

    @Test func anUnchangedHouseholdRecordsNothingAndAStaleFormIsRefused() throws {
        let s = try Fixture.store(households: 8)
        let before = try #require(try s.householdCard(id: 1)).household
        let sub = try application(s) { _ in }
        // Another clerk records a change after the form was filled: the form's version is old.
        var f = HouseholdFacts(before)
        f.address = "1号附2"
        if f.hukou.isObsolete { f.hukou = .local }
        _ = try s.recordHouseholdChange(householdId: 1, version: before.version, change: .facts(f), on: Fixture.today, reason: "门牌更正",
                                        by: "jingban", today: Fixture.today, catalog: Self.catalog)
        #expect(throws: StoreError.self) { try s.submitApplication(sub, by: "jingban") }
        #expect(try s.householdCard(id: 1)?.changes.count == 1)
        // Filled again from the record: nothing differs, nothing is recorded.
        let again = try application(s) { _ in }
        _ = try s.submitApplication(again, by: "jingban")
        #expect(try s.householdCard(id: 1)?.changes.count == 1)
    }

    @Test func aNewCardWithoutABankIsSentToTheCardAndNothingIsKept() throws {
        let s = try Fixture.store(households: 8)
        let sub = try application(s) { v in
            v.fields["paid_by_card"] = "yes"
            v.fields["bank_card"] = "6222020200112233445"
        }
        let e = try #require(throws: StoreError.self) { try s.submitApplication(sub, by: "jingban") }
        #expect(e.message(.zh).contains("F7"), "\(e.message(.zh))")
        let cases = try s.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM assistance_case") }
        let none = try s.householdCard(id: 1)?.changes.isEmpty
        #expect(cases == 0 && none == true)
    }
}
