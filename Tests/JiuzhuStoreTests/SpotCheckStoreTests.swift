import Foundation
import GRDB
import Testing
import JiuzhuModel
@testable import JiuzhuStore

@Suite struct SpotCheckStoreTests {
    static let li = "532927101201", shi = "532927101202"

    /// 30 households; a case in force for each of the first 25 (odd households in 李家村, even in
    /// 石门村, as the fixture places them), one case still in progress and one terminated.
    func setup() throws -> Store {
        let s = try Fixture.store(households: 30)
        try s.write { db in
            for hid in Int64(1)...25 {
                let c = Case(householdId: hid, programme: .ruralDibao, step: "done", stepSince: Fixture.today.adding(days: -100),
                             status: .active, appliedOn: Fixture.today.adding(days: -140), monthlyAmount: Money(yuan: 300), coveredMembers: 1)
                _ = try Store.insertCase(db, c, steps: [], villageCode: hid % 2 == 1 ? Self.li : Self.shi, now: "2026-08-01 09:00:00")
            }
            let urban = Case(householdId: 26, programme: .urbanDibao, step: "done", stepSince: Fixture.today, status: .active,
                             appliedOn: Fixture.today, coveredMembers: 1)
            _ = try Store.insertCase(db, urban, steps: [], villageCode: Self.li, now: "2026-08-01 09:00:00")
            let gone = Case(householdId: 27, programme: .ruralDibao, step: "done", stepSince: Fixture.today, status: .terminated,
                            appliedOn: Fixture.today, coveredMembers: 1)
            _ = try Store.insertCase(db, gone, steps: [], villageCode: Self.li, now: "2026-08-01 09:00:00")
        }
        _ = try CaseFixture.ruralCase(s, household: 28, at: "township_review", since: Fixture.today)
        return s
    }

    func count(_ s: Store, _ table: String) throws -> Int {
        try s.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)")! }
    }

    @Test func aDrawWritesItsRowsAndOneAuditRow() throws {
        let s = try setup()
        let auditBefore = try count(s, "audit")
        let r = try s.drawSpotCheck(programme: .ruralDibao, period: "2026", percent: 30, seed: 20261123, by: "duzha")
        let id = try #require(r.drawId)
        // 13 in 李家村 → 4, 12 in 石门村 → 4 (3.6 rounded up); the terminated and in-progress cases are not drawn.
        #expect(r.villages == [SpotCheckVillage(code: Self.li, name: "李家村", population: 13, sampled: 4),
                               SpotCheckVillage(code: Self.shi, name: "石门村", population: 12, sampled: 4)])
        #expect(r.population == 25)
        #expect(r.warning == nil)
        #expect(r.lines.allSatisfy { !$0.headName.isEmpty })
        #expect(r.lines.map(\.villageCode) == [Self.li, Self.li, Self.li, Self.li, Self.shi, Self.shi, Self.shi, Self.shi])

        let rows = try s.spotChecks(drawId: id)
        #expect(rows.map(\.caseId) == r.sampledIds)
        #expect(rows.allSatisfy { $0.visitedOn == nil && $0.discrepancy == nil && $0.proposedAction == nil })
        #expect(rows.first?.villageName == "李家村")

        let draws = try s.spotCheckDraws()
        #expect(draws.count == 1)
        #expect(draws[0].seed == 20261123 && draws[0].percent == 30 && draws[0].period == "2026")
        #expect(draws[0].population == 25 && draws[0].sampled == 8 && draws[0].drawnBy == "duzha")

        #expect(try count(s, "audit") == auditBefore + 1)
        let audit = try s.read { db in try Row.fetchOne(db, sql: "SELECT * FROM audit ORDER BY id DESC LIMIT 1")! }
        #expect(audit["action"] as String == "spotcheck.draw")
        #expect(audit["entity_id"] as String == String(id))
        let detail = audit["detail"] as String
        for part in [#""seed":"20261123""#, #""percent":"30""#, #""programme":"rural_dibao""#, #""period":"2026""#,
                     #""population":"25""#, #""sampled":"8""#] {
            #expect(detail.contains(part), "\(detail) lacks \(part)")
        }
        #expect(try s.verifyAudit() == .intact(rows: auditBefore + 1))
    }

    @Test func aDryRunWritesNothing() throws {
        let s = try setup()
        let auditBefore = try count(s, "audit")
        let dry = try s.drawSpotCheck(programme: .ruralDibao, period: "2026-11", percent: 50, seed: 7, by: "duzha", dryRun: true)
        #expect(dry.drawId == nil)
        #expect(dry.lines.count == 7 + 6)
        #expect(try count(s, "spot_check_draw") == 0)
        #expect(try count(s, "spot_check") == 0)
        #expect(try count(s, "audit") == auditBefore)
        // The real draw with the same seed is the sample the dry run showed.
        let real = try s.drawSpotCheck(programme: .ruralDibao, period: "2026-11", percent: 50, seed: 7, by: "duzha")
        #expect(real.lines == dry.lines)
    }

    @Test func theStoredSeedDrawsTheSameSampleAgain() throws {
        let s = try setup()
        let first = try s.drawSpotCheck(programme: .ruralDibao, period: "2026", percent: 30, seed: 99, by: "duzha")
        let kept = try #require(try s.spotCheckDraws().first)
        let again = try s.drawSpotCheck(programme: kept.programme, period: kept.period, percent: kept.percent, seed: kept.seed,
                                        by: "duzha", dryRun: true)
        #expect(again.sampledIds == first.sampledIds)
        #expect(try s.spotChecks(drawId: kept.id).map(\.caseId) == first.sampledIds)
        // Another seed draws the same numbers per village, but not the same cases.
        let other = try s.drawSpotCheck(programme: .ruralDibao, period: "2026", percent: 30, seed: 100, by: "duzha", dryRun: true)
        #expect(other.villages == first.villages)
        #expect(other.sampledIds != first.sampledIds)
    }

    @Test func percentPeriodAndEmptyPopulationAreChecked() throws {
        let s = try setup()
        for bad in [0, 101, -5] {
            #expect(throws: StoreError.self) { try s.drawSpotCheck(programme: .ruralDibao, period: "2026", percent: bad, seed: 1, by: "duzha") }
        }
        #expect(throws: StoreError.self) { try s.drawSpotCheck(programme: .ruralDibao, period: "2026-13", percent: 30, seed: 1, by: "duzha") }
        #expect(throws: StoreError.self) { try s.drawSpotCheck(programme: .tekun, period: "2026", percent: 30, seed: 1, by: "duzha") }
        #expect(try count(s, "spot_check_draw") == 0)
        // Below the county's 30%: drawn, with a warning kept in the result and the audit row.
        let low = try s.drawSpotCheck(programme: .ruralDibao, period: "2026", percent: 10, seed: 1, by: "duzha")
        #expect(low.warning?.zh.contains("低于规定的 30%") == true)
        #expect(low.lines.count == 2 + 2)
        let audit = try s.read { db in try String.fetchOne(db, sql: "SELECT detail FROM audit ORDER BY id DESC LIMIT 1")! }
        #expect(audit.contains(#""below_minimum":"30""#))
        // The county may set 50%, or check everyone.
        #expect(try s.drawSpotCheck(programme: .ruralDibao, period: "2026", percent: 100, seed: 1, by: "duzha", dryRun: true).lines.count == 25)
        #expect(try s.spotCheckPercent() == 30)
    }

    @Test func coverageCountsVisitsAndDiscrepancies() throws {
        let s = try setup()
        let r = try s.drawSpotCheck(programme: .ruralDibao, period: "2026", percent: 30, seed: 5, by: "duzha")
        let urban = try s.drawSpotCheck(programme: .urbanDibao, period: "2026", percent: 30, seed: 5, by: "duzha")
        let rows = try s.spotChecks(drawId: r.drawId!)
        let forms = #"{"householdAsRecorded":{"members":true,"income":false},"incomeFen":52000,"finding":"外出务工收入未申报"}"#
        try s.recordSpotCheckVisit(id: rows[0].id, visitedOn: Fixture.today, by: "王立军、李春梅", findings: forms, discrepancy: true,
                                   proposedAction: .adjust, user: "duzha")
        try s.recordSpotCheckVisit(id: rows[1].id, visitedOn: Fixture.today, by: "王立军、李春梅", findings: "{}", discrepancy: false,
                                   proposedAction: .none, user: "duzha")
        try s.recordSpotCheckVisit(id: rows[5].id, visitedOn: Fixture.today, by: "王立军、李春梅", findings: "{}", discrepancy: true,
                                   proposedAction: .cancel, user: "duzha")
        // No discrepancy cannot propose a change; findings must be JSON.
        #expect(throws: StoreError.self) {
            try s.recordSpotCheckVisit(id: rows[2].id, visitedOn: Fixture.today, by: "王立军", findings: "{}", discrepancy: false, proposedAction: .suspend, user: "duzha")
        }
        #expect(throws: StoreError.self) {
            try s.recordSpotCheckVisit(id: rows[2].id, visitedOn: Fixture.today, by: "王立军", findings: "not json", discrepancy: true, proposedAction: .adjust, user: "duzha")
        }
        let visited = try s.spotChecks(drawId: r.drawId!)[0]
        #expect(visited.discrepancy == true && visited.proposedAction == .adjust && visited.visitedOn == Fixture.today)

        let c = try s.coverage(drawId: r.drawId!)
        // Each discrepancy opened a follow-up that still waits for the approver.
        #expect(c.villages == [SpotCheckCoverageRow(code: Self.li, name: "李家村", sampled: 4, checked: 2, discrepancies: 1, openFollowUps: 1),
                               SpotCheckCoverageRow(code: Self.shi, name: "石门村", sampled: 4, checked: 1, discrepancies: 1, openFollowUps: 1)])
        #expect(c.programmes == [SpotCheckCoverageRow(code: "rural_dibao", name: "农村低保", sampled: 8, checked: 3, discrepancies: 2, openFollowUps: 2)])
        #expect(abs(c.programmes[0].discrepancyShare - 2.0 / 3.0) < 1e-9)
        // Every draw: both programmes.
        let all = try s.coverage()
        #expect(all.programmes.map(\.code) == ["rural_dibao", "urban_dibao"])
        #expect(all.programmes[1].sampled == urban.lines.count)
        #expect(try s.spotCheckDraws().first?.visited == 3)
    }
}
