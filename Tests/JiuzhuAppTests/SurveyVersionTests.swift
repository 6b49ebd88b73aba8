import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// Issue 21 item 4, the store's part: a survey corrected before the decision is a new version;
/// the earlier versions stay as they were; a decision records the version it used.
@Suite(.serialized) struct SurveyVersionTests {
    static let catalog = CaseFixture.catalog

    func submitted(_ s: Store) throws -> (Int64, FormValues) {
        let v = FormTests.filled()
        let def = Self.catalog.definition(.ruralDibao)
        let rules = try Fixture.env(s).forms.rules
        let sub = Submission(values: v, programme: .ruralDibao, figures: rules.figures(v), applyStep: def.applyStep, surveyStep: def.surveyStep,
                             nextStep: def.stepAfterIntake, draftId: nil, today: Fixture.today, catalog: Self.catalog)
        return (try s.submitApplication(sub, by: "jingban"), v)
    }

    func caseVersion(_ s: Store, _ cid: Int64) throws -> Int {
        try s.read { db in try #require(try Int.fetchOne(db, sql: "SELECT version FROM assistance_case WHERE id = ?", arguments: [cid])) }
    }

    @Test func aCorrectionIsANewVersionAndTheFirstStays() throws {
        let s = try Fixture.store(households: 4)
        let (cid, v) = try submitted(s)
        let first = try s.surveyVersions(caseId: cid)
        #expect(first.count == 1 && first[0].version == 1 && first[0].reason.isEmpty && first[0].values == v)
        var corrected = v
        corrected.groups["income"] = [["member": "1", "kind": "farming", "amount": "1200.00"]]
        let rules = try Fixture.env(s).forms.rules
        let figures = rules.figures(corrected)
        #expect(figures.perCapitaMonthly != first[0].figures?.perCapitaMonthly)
        // Refused: no reason, the supervisor, a case read before another change.
        #expect(throws: StoreError.self) {
            try s.correctSurvey(caseId: cid, caseVersion: try caseVersion(s, cid), values: corrected, figures: figures, reason: " ", by: "jingban", today: Fixture.today)
        }
        #expect(throws: StoreError.self) {
            try s.correctSurvey(caseId: cid, caseVersion: try caseVersion(s, cid), values: corrected, figures: figures, reason: "收入漏报", by: "duzha", today: Fixture.today)
        }
        #expect(throws: StoreError.self) {
            try s.correctSurvey(caseId: cid, caseVersion: try caseVersion(s, cid) - 1, values: corrected, figures: figures, reason: "收入漏报", by: "jingban", today: Fixture.today)
        }
        #expect(try s.surveyVersions(caseId: cid).count == 1)
        let n = try s.correctSurvey(caseId: cid, caseVersion: try caseVersion(s, cid), values: corrected, figures: figures, reason: "收入漏报，重新核算",
                                    by: "jingban", today: Fixture.today)
        #expect(n == 2)
        let all = try s.surveyVersions(caseId: cid)
        #expect(all.count == 2 && all[0] == first[0] && all[1].values == corrected && all[1].reason == "收入漏报，重新核算")
        // The rules read the newest.
        let now = try #require(try s.survey(caseId: cid))
        #expect(now.figures == figures)
        // The versions cannot be rewritten, even from SQL.
        #expect(throws: (any Error).self) { try s.write { db in try db.execute(sql: "UPDATE survey_version SET reason = 'x'") } }
        #expect(throws: (any Error).self) { try s.write { db in try db.execute(sql: "DELETE FROM survey_version") } }
        let audit = try s.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit WHERE action = 'survey.correct'") }
        #expect(audit == 1)
    }

    @Test func aDecidedCaseIsNotCorrectedAndADecisionNamesTheVersion() throws {
        let s = try Fixture.store(households: 4)
        try s.addUser(name: "shenpi", displayName: "审批员", role: .approver, password: "demo", by: "test", iterations: 1000)
        let cid = try DynamicManagementTests.activeCase(s, household: 1)
        let (other, v) = try submitted(s)
        // Give the case in force a survey, at its third version.
        try s.write { db in
            try db.execute(sql: """
                INSERT INTO survey(case_id, household_id, surveyed_on, investigator1, investigator2, form, data, members_counted, income_counted_fen,
                    income_excluded_fen, per_capita_fen, assets_pass, figures, recorded_by, recorded_at, version)
                SELECT ?, 1, surveyed_on, investigator1, investigator2, form, data, members_counted, income_counted_fen, income_excluded_fen,
                    per_capita_fen, assets_pass, figures, recorded_by, recorded_at, 3 FROM survey WHERE case_id = ?
                """, arguments: [cid, other])
        }
        let rules = try Fixture.env(s).forms.rules
        #expect(throws: StoreError.self) {
            try s.correctSurvey(caseId: cid, caseVersion: try caseVersion(s, cid), values: v, figures: rules.figures(v), reason: "更正", by: "jingban", today: Fixture.today)
        }
        _ = try s.act(caseId: cid, version: try caseVersion(s, cid), request: CaseRequest(action: .adjust, actor: "shenpi", role: .approver, date: Fixture.today,
                                                                                         reason: "复核调整"), catalog: Self.catalog)
        let inputs = try s.read { db in
            try #require(try String.fetchOne(db, sql: "SELECT inputs FROM case_step WHERE case_id = ? AND action = 'adjust' ORDER BY id DESC LIMIT 1", arguments: [cid]))
        }
        #expect(inputs.contains("\"surveyVersion\":3"), "\(inputs)")
    }
}
