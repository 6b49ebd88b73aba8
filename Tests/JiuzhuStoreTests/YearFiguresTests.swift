import Foundation
import GRDB
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// 统计报表: the county's table worked out from step records, the same for a past period
/// whatever happens after it.
@Suite(.serialized) struct YearFiguresTests {
    typealias Step = (step: String, action: String, on: String, inputs: String)

    static func add(_ s: Store, household: Int64, _ p: Programme, status: CaseStatus, covered: Int, _ steps: [Step]) throws -> Int64 {
        try s.write { db in
            let village = try String.fetchOne(db, sql: "SELECT village_code FROM household WHERE id = ?", arguments: [household])!
            let records = steps.map { CaseStepRecord(caseId: 0, step: $0.step, action: $0.action, actor: "t", actedOn: CivilDate(iso: $0.on)!, inputs: $0.inputs) }
            let c = Case(householdId: household, programme: p, step: steps.last!.step, stepSince: CivilDate(iso: steps.last!.on)!, status: status,
                         appliedOn: CivilDate(iso: steps.first!.on)!, monthlyAmount: nil, coveredMembers: covered)
            let id = try Store.insertCase(db, c, steps: records, villageCode: village, now: "2026-05-01 09:00:00")
            try Store.backfillCaseColumns(db)
            return id
        }
    }

    static func store() throws -> (Store, a: Int64) {
        let s = try Fixture.store(households: 6)
        // A: rural, decided 2025-03-10 (500/month, 3 persons), paid from 2025-03-20; adjusted to 600
        // for 2 persons 2026-02-15; suspended 2026-05-10, resumed 2026-07-05.
        let a = try add(s, household: 1, .ruralDibao, status: .active, covered: 2, [
            ("county_approval", "approve", "2025-03-10", #"{"monthlyFen":50000,"covered":3}"#),
            ("payment", "done", "2025-03-20", "{}"),
            ("payment", "adjust", "2026-02-15", #"{"monthlyFen":60000,"covered":2}"#),
            ("payment", "suspend", "2026-05-10", "{}"),
            ("payment", "resume", "2026-07-05", "{}")])
        // B: urban, in force from its approval 2026-04-02 (300/month, 2 persons); 清退 2026-09-15.
        _ = try add(s, household: 2, .urbanDibao, status: .terminated, covered: 2, [
            ("county_approval", "approve", "2026-04-02", #"{"monthlyFen":30000,"covered":2}"#),
            ("county_approval", "terminate", "2026-09-15", #"{"kind":"clear"}"#)])
        // C: rural, decided 2026-10-01 but not paid yet: not on the roll.
        _ = try add(s, household: 3, .ruralDibao, status: .inProgress, covered: 2, [
            ("county_approval", "approve", "2026-10-01", #"{"monthlyFen":40000,"covered":2}"#)])
        // D: temporary, 1000 granted 2026-06-01 for 4 persons.
        _ = try add(s, household: 4, .temporary, status: .closed, covered: 4, [
            ("county_approval", "approve", "2026-06-01", #"{"amountFen":100000,"covered":4}"#),
            ("payment", "done", "2026-06-05", "{}")])
        // E: rural, on the roll since 2024-12 (400/month, 1 person); 取消 2026-01-20.
        _ = try add(s, household: 5, .ruralDibao, status: .terminated, covered: 1, [
            ("county_approval", "approve", "2024-12-01", #"{"monthlyFen":40000,"covered":1}"#),
            ("payment", "done", "2024-12-10", "{}"),
            ("payment", "terminate", "2026-01-20", #"{"kind":"cancel"}"#)])
        return (s, a)
    }

    func figures(_ s: Store, _ from: String, _ until: String) throws -> [Programme: ProgrammeFigures] {
        let all = try s.yearFigures(from: CivilDate(iso: from)!, until: CivilDate(iso: until)!, catalog: CaseFixture.catalog)
        return Dictionary(uniqueKeysWithValues: all.map { ($0.programme, $0) })
    }

    typealias C = ProgrammeFigures.Count

    @Test func everyFigureOfThePeriodFromTheRecords() throws {
        let (s, _) = try Self.store()
        let f = try figures(s, "2026-01-01", "2026-10-31")
        let rural = try #require(f[.ruralDibao])
        #expect(rural.atStart == C(households: 2, persons: 4))
        #expect(rural.added == C())
        #expect(rural.adjusted == C(households: 1, persons: 2))
        #expect(rural.cancelled == C(households: 1, persons: 1) && rural.cleared == C())
        #expect(rural.suspended == C(households: 1, persons: 2))
        #expect(rural.atEnd == C(households: 1, persons: 2))
        // Paid as the rosters pay (PaymentRules, from the month after a decision, stopped from the
        // month after a stop): A at 500 for January and February, 600 from March (adjusted in
        // February), nothing for June and July (suspended in May, resumed in July); E for January
        // (stopped on 20 January); C not before November.
        #expect(rural.amount == Money(yuan: 500 * 2 + 600 * 6 + 400))
        let urban = try #require(f[.urbanDibao])
        #expect(urban.atStart == C() && urban.added == C(households: 1, persons: 2) && urban.cleared == C(households: 1, persons: 2) && urban.atEnd == C())
        #expect(urban.amount == Money(yuan: 300 * 5))
        let temp = try #require(f[.temporary])
        #expect(temp.added == C(households: 1, persons: 4) && temp.amount == Money(yuan: 1000))
        // Start plus what came in, less what left, is the end, for every monthly programme.
        for p in [Programme.ruralDibao, .urbanDibao, .tekun] {
            let x = try #require(f[p])
            #expect(x.atStart.households + x.added.households - x.cancelled.households - x.cleared.households == x.atEnd.households)
        }
        // The year before ends where this one starts.
        let before = try figures(s, "2025-01-01", "2025-12-31")
        #expect(before[.ruralDibao]?.atEnd == rural.atStart)
        #expect(before[.ruralDibao]?.added == C(households: 1, persons: 3))
    }

    @Test func aPastPeriodIsTheSameAfterLaterWork() throws {
        let (s, a) = try Self.store()
        let then = try figures(s, "2026-01-01", "2026-10-31")
        // Later: A is stopped as 清退 and a new urban case comes on, both after the period.
        try s.write { db in
            try db.execute(sql: """
                INSERT INTO case_step(case_id, step, action, actor, acted_on, note, inputs, recorded_at)
                VALUES (?, 'payment', 'terminate', 't', '2026-11-20', '', '{"kind":"clear"}', '2026-11-20 09:00:00')
                """, arguments: [a])
            try db.execute(sql: "UPDATE assistance_case SET status = 'terminated', covered_members = 5 WHERE id = ?", arguments: [a])
        }
        _ = try Self.add(s, household: 6, .urbanDibao, status: .active, covered: 3, [
            ("county_approval", "approve", "2026-11-21", #"{"monthlyFen":30000,"covered":3}"#)])
        #expect(try figures(s, "2026-01-01", "2026-10-31") == then)
        let now = try figures(s, "2026-01-01", "2026-11-23")
        #expect(now[.ruralDibao]?.atEnd == C() && now[.ruralDibao]?.cleared == C(households: 1, persons: 2))
        #expect(now[.urbanDibao]?.atEnd == C(households: 1, persons: 3))
        #expect(throws: StoreError.self) { _ = try figures(s, "2026-05-01", "2026-04-30") }
    }

}
