import Foundation
import GRDB
import Testing
import JiuzhuModel
@testable import JiuzhuStore

@Suite struct CaseWorkTests {
    func setup() throws -> (Store, Int64) {
        let s = try Fixture.store(households: 4)
        try s.addUser(name: "shenhe", displayName: "审核员", role: .reviewer, password: "demo", by: "test", iterations: 1000)
        try s.addUser(name: "shenpi", displayName: "审批员", role: .approver, password: "demo", by: "test", iterations: 1000)
        return (s, 1)
    }

    @Test func caseFileShowsRulesAndBenefit() throws {
        let (s, hid) = try setup()
        let id = try CaseFixture.ruralCase(s, household: hid, at: "township_review", since: Fixture.today.adding(days: -3))
        let f = try #require(try s.caseFile(id: id, today: Fixture.today, catalog: CaseFixture.catalog))
        #expect(f.investigators == "王立军、李春梅")
        #expect(f.assessment.rules.map(\.detail.zh).contains("人均月收入 412.50 元 < 标准 575.00 元（2026-01-01 起执行）"))
        // Household 1 (i = 0) has a head and a child: (575 − 412.50) × 2 = 325.00, head born 1950 → 76: +57.50
        #expect(f.assessment.lines.first?.text.zh == "差额：(标准 575.00 − 人均收入 412.50) × 2 人 = 325.00")
        #expect(f.assessment.amount == Money(yuan: 383))
        #expect(f.due?.kind == .workingDays)
    }

    @Test func actionsMoveTheCaseWithRecordAndAudit() throws {
        let (s, hid) = try setup()
        let id = try CaseFixture.ruralCase(s, household: hid, at: "township_review", since: Fixture.today.adding(days: -3))
        // The wrong role is refused and nothing changes.
        #expect(throws: StoreError.workflow(.wrongRole(step: "township_review", needs: .reviewer, has: .clerk), stepZh: "乡镇审核", stepEn: "township review")) {
            try s.act(caseId: id, version: 1, request: CaseRequest(action: .approve, actor: "jingban", role: .clerk, date: Fixture.today,
                                                                   inputs: ["opinion": "同意"]), catalog: CaseFixture.catalog)
        }
        let r = try s.act(caseId: id, version: 1, request: CaseRequest(action: .approve, actor: "shenhe", role: .reviewer, date: Fixture.today,
                                                                       inputs: ["opinion": "同意上报"]), catalog: CaseFixture.catalog)
        #expect(r.transition.step == "township_publicity")
        // A stale version (the other clerk acted first) is refused.
        #expect(throws: StoreError.staleEdit(entity: "case", id: id)) {
            try s.act(caseId: id, version: 1, request: CaseRequest(action: .reject, actor: "shenhe", role: .reviewer, date: Fixture.today,
                                                                   reason: "x"), catalog: CaseFixture.catalog)
        }
        let audit = try s.read { db in try Row.fetchOne(db, sql: "SELECT * FROM audit ORDER BY id DESC LIMIT 1")! }
        #expect(audit["action"] as String == "case.approve")
        #expect(audit["user"] as String == "shenhe")
        let f = try #require(try s.caseFile(id: id, today: Fixture.today, catalog: CaseFixture.catalog))
        #expect(f.history.last?.actor == "shenhe")
        #expect(f.history.last?.inputs.contains("同意上报") == true)
    }

    @Test func approvalUsesTheStandardOnTheDecisionDateAndIssuesACertificate() throws {
        let (s, hid) = try setup()
        let id = try CaseFixture.ruralCase(s, household: hid, at: "county_approval", since: CivilDate(year: 2025, month: 12, day: 29)!)
        let catalog = CaseFixture.catalog
        func request(_ date: CivilDate, amount: Money? = nil, why: String = "") -> CaseRequest {
            CaseRequest(action: .approve, actor: "shenpi", role: .approver, date: date, inputs: ["approver": "县民政局 李局长"],
                        amount: amount, overrideReason: why)
        }
        // An override without a reason is refused.
        #expect(throws: StoreError.self) { try s.act(caseId: id, version: 1, request: request(CivilDate(year: 2025, month: 12, day: 31)!, amount: Money(yuan: 100)), catalog: catalog) }
        // On 2025-12-31 the 2025 standard (550.00) is in force: (550 − 412.50) × 2 + 55.00 = 330.00
        let r = try s.act(caseId: id, version: 1, request: request(CivilDate(year: 2025, month: 12, day: 31)!), catalog: catalog)
        #expect(r.transition.decision?.amount == Money(yuan: 330))
        #expect(r.certificateNo == "532927101000-2025-00001")
        let f = try #require(try s.caseFile(id: id, today: Fixture.today, catalog: catalog))
        #expect(f.caseRecord.monthlyAmount == Money(yuan: 330))
        #expect(f.approver == "县民政局 李局长")
        #expect(f.facts.decisionDate == CivilDate(year: 2025, month: 12, day: 31)!)
        #expect(f.assessment.rules.map(\.detail.zh).contains("人均月收入 412.50 元 < 标准 550.00 元（2025-01-01 起执行）"))
        // A second approval the next year gets the next number of its own year.
        let id2 = try CaseFixture.ruralCase(s, household: 2, at: "county_approval", since: Fixture.today.adding(days: -1))
        let r2 = try s.act(caseId: id2, version: 1, request: request(Fixture.today, amount: Money(yuan: 150), why: "子女有赡养能力,酌减"), catalog: catalog)
        #expect(r2.certificateNo == "532927101000-2026-00001")
        let f2 = try #require(try s.caseFile(id: id2, today: Fixture.today, catalog: catalog))
        #expect(f2.overrideReason == "子女有赡养能力,酌减")
        #expect(f2.computedAmount != Money(yuan: 150))
    }

    @Test func queueShowsTheRolesCasesOverdueFirst() throws {
        let (s, _) = try setup()
        let fresh = try CaseFixture.ruralCase(s, household: 1, at: "township_review", since: Fixture.today.adding(days: -1))
        let late = try CaseFixture.ruralCase(s, household: 2, at: "township_review", since: Fixture.today.adding(days: -40))
        _ = try CaseFixture.ruralCase(s, household: 3, at: "county_approval", since: Fixture.today.adding(days: -2))
        let q = try s.reviewQueue(role: .reviewer, catalog: CaseFixture.catalog, today: Fixture.today)
        #expect(q.map(\.caseId) == [late, fresh])
        #expect(q[0].due?.overdue == true)
        #expect(q[1].due?.overdue == false)
        #expect(try s.reviewQueue(role: .approver, catalog: CaseFixture.catalog, today: Fixture.today).count == 1)
        #expect(try s.reviewQueue(role: .reviewer, catalog: CaseFixture.catalog, today: Fixture.today, village: "532927101202").isEmpty)
        #expect(try s.reviewQueue(role: .reviewer, catalog: CaseFixture.catalog, today: Fixture.today, programme: .urbanDibao).isEmpty)
    }
}
