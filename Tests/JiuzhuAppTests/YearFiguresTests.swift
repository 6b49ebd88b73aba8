import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
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

    @Test func theReportScreenFromTheKeys() throws {
        let (store, _) = try Self.store()
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store))
        func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; r.runUntilIdle() }
        keys(.text("duzha"), .tab, .text("demo"), .enter, .char("7"))
        let rs = try #require(r.state.top.state(of: ReportScreen.self))
        #expect(rs.from.iso == "2026-01-01" && rs.until == Fixture.today)
        #expect(backend.screenText.contains("2026-01-01 至 2026-11-23"))
        #expect(backend.screenText.contains("期初在保（户）") && backend.screenText.contains("金额（万元）"))
        // PgUp: 2025 as a whole.
        keys(.pageUp)
        #expect(backend.screenText.contains("2025-01-01 至 2025-12-31"))
        // F3: a period; a date after today is refused on the box.
        keys(.function(3), .tab, .text("2026-12-31"), .function(2))
        #expect(backend.screenText.contains("日期格式"))
        keys(.backspace, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace,
             .text("2026-10-31"), .function(2))
        let rs2 = try #require(r.state.top.state(of: ReportScreen.self))
        #expect(rs2.until.iso == "2026-10-31" && rs2.dialog == nil)
        // A from April 2025 (decided in March), E all of 2025 and January 2026.
        #expect(rs2.figures.first { $0.programme == .ruralDibao }?.amount == Money(yuan: 9 * 500 + 500 * 2 + 600 * 6 + 12 * 400 + 400))
    }
}
