import Foundation
import GRDB
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// 对象查询: filters combine as a direct SQL count says; typing filters; Enter opens the case.
@Suite(.serialized) struct CaseBrowserTests {
    static func store() throws -> (Store, [Int64]) {
        let s = try Fixture.store(households: 12)
        var ids: [Int64] = []
        for h in 1...12 {
            let step = ["township_review", "county_approval", "village_publicity"][h % 3]
            let since = Fixture.today.adding(days: -(h * 4))
            ids.append(try CaseFixture.ruralCase(s, household: Int64(h), at: step, since: since))
        }
        try s.write { db in
            try db.execute(sql: "UPDATE assistance_case SET status = 'active', step = 'payment', monthly_amount_fen = id * 10000 WHERE id % 4 = 0")
        }
        return (s, ids)
    }

    @Test func filtersCombineAsADirectCountSays() throws {
        let (s, _) = try Self.store()
        func direct(_ whereSQL: String) throws -> Int {
            try s.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM assistance_case c WHERE \(whereSQL)")! }
        }
        func count(_ q: CaseQuery) throws -> Int { try s.caseSummary(q, today: Fixture.today, catalog: CaseFixture.catalog).count }
        var q = CaseQuery()
        let all0 = try direct("1"), v0 = try direct("village_code = '532927101201'")
        let va = try direct("village_code = '532927101201' AND status = 'active'")
        let vam = try direct("village_code = '532927101201' AND status = 'active' AND monthly_amount_fen >= 50000")
        #expect(try count(q) == all0)
        q.village = "532927101201"
        #expect(try count(q) == v0)
        q.status = .active
        #expect(try count(q) == va)
        q.minAmount = Money(yuan: 500)
        let r = try s.caseSummary(q, today: Fixture.today, catalog: CaseFixture.catalog)
        #expect(r.count == vam)
        let sum = try s.read { db in try Int64.fetchOne(db, sql: "SELECT SUM(monthly_amount_fen) FROM assistance_case WHERE village_code = '532927101201' AND status = 'active' AND monthly_amount_fen >= 50000") ?? 0 }
        #expect(r.monthly == Money(fen: sum))
        // Late: township review past its 15 working days, county approval past 5, posting past 7 days.
        var late = CaseQuery()
        late.overdueOnly = true
        let rows = try s.casePage(late, limit: 100, today: Fixture.today, catalog: CaseFixture.catalog)
        let settings = try s.read { db in try Store.workflowSettings(db, catalog: CaseFixture.catalog) }
        for r in rows {
            let f = try #require(try s.caseFile(id: r.id, today: Fixture.today, catalog: CaseFixture.catalog))
            let due = settings.workflow(.ruralDibao).due(f.progress, today: Fixture.today, calendar: settings.calendar)
            #expect(due?.overdue == true, "case \(r.id)")
        }
        let all = try s.casePage(CaseQuery(), limit: 100, today: Fixture.today, catalog: CaseFixture.catalog)
        let expectedLate = try all.filter { r in
            guard let f = try s.caseFile(id: r.id, today: Fixture.today, catalog: CaseFixture.catalog) else { return false }
            return settings.workflow(.ruralDibao).due(f.progress, today: Fixture.today, calendar: settings.calendar)?.overdue == true
        }.map(\.id)
        #expect(rows.map(\.id).sorted() == expectedLate.sorted())
        // Decided between two dates: as the step records say.
        try s.write { db in
            try db.execute(sql: "UPDATE case_step SET acted_on = '2026-03-0' || (case_id % 9 + 1) WHERE step = 'county_approval'")
            try db.execute(sql: "INSERT INTO case_step(case_id, step, action, actor, acted_on, note, inputs, recorded_at) SELECT id, 'county_approval', 'approve', 'shenpi', '2026-03-0' || (id % 9 + 1), '', '{}', 'x' FROM assistance_case WHERE status = 'active'")
        }
        var decided = CaseQuery(); decided.decidedFrom = CivilDate(year: 2026, month: 3, day: 3); decided.decidedTo = CivilDate(year: 2026, month: 3, day: 6)
        let decidedDirect = try direct("EXISTS (SELECT 1 FROM case_step s WHERE s.case_id = c.id AND s.action = 'approve' AND s.step = 'county_approval' AND s.acted_on BETWEEN '2026-03-03' AND '2026-03-06')")
        #expect(decidedDirect > 0)
        #expect(try count(decided) == decidedDirect)
        // A search text matching many households takes the other plan: same rows, same count.
        var text = CaseQuery(); text.text = "z"
        for threshold in [Store.planThreshold, 1] {
            let rows = try s.casePage(text, limit: 100, today: Fixture.today, catalog: CaseFixture.catalog, threshold: threshold)
            let sum = try s.caseSummary(text, today: Fixture.today, catalog: CaseFixture.catalog, threshold: threshold)
            #expect(rows.count == sum.count, "threshold \(threshold)")
            #expect(!rows.isEmpty && rows.allSatisfy { ["张", "赵", "诸", "周"].contains(String($0.head.prefix(1))) || $0.head.hasPrefix("子") == false })
        }
        // Sorting by amount, descending.
        var byAmount = CaseQuery(); byAmount.sort = .amount; byAmount.descending = true; byAmount.status = .active
        let amounts = try s.casePage(byAmount, limit: 100, today: Fixture.today, catalog: CaseFixture.catalog).compactMap(\.monthly)
        #expect(amounts == amounts.sorted(by: >))
    }

    /// A search text with many keys is paged by walking a sort index and testing each case's
    /// members: both read one index each, without the case's or the members' rows (v29; 55 → 15 ms
    /// for 姓名 ↑ under "huang" at 230,000 households). The walk gives the page the collected
    /// households give.
    @Test func theWalkUnderASearchTextReadsIndexesOnly() throws {
        let (s, _) = try Self.store()
        let today = Fixture.today, catalog = CaseFixture.catalog
        let texts = try s.read { db in
            [try String.fetchOne(db, sql: "SELECT substr(py, 1, 2) FROM person ORDER BY id LIMIT 1") ?? "",
             try String.fetchOne(db, sql: "SELECT substr(name, 1, 1) FROM person ORDER BY id LIMIT 1") ?? ""]
        }
        for text in texts + ["1"] {
            for sort in [CaseQuery.Sort.head, .village, .since, .amount, .programme, .step] {
                for descending in [false, true] {
                    var q = CaseQuery(); q.text = text; q.sort = sort; q.descending = descending
                    let plan = try s.read { db in
                        let (sql, args) = try Store.casePageStatement(db, q, anchor: .first, limit: 5, today: today, catalog: catalog,
                                                                      threshold: 1, collectThreshold: Store.caseCollectThreshold)
                        return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: args).map { $0["detail"] as String }
                    }
                    #expect(plan.contains { $0.hasPrefix("SCAN c USING COVERING INDEX case_by_") }, "\(text) \(sort) \(descending): \(plan)")
                    #expect(plan.contains("SEARCH p USING COVERING INDEX person_by_household (household_id=?)"), "\(text) \(sort): \(plan)")
                    let walked = try s.read { db in
                        try Store.casePage(db, q, limit: 5, today: today, catalog: catalog, threshold: 1).map(\.id)
                    }
                    let collected = try s.read { db in
                        try Store.casePage(db, q, limit: 5, today: today, catalog: catalog, threshold: .max).map(\.id)
                    }
                    #expect(walked == collected, "\(text) \(sort) \(descending)")
                }
            }
        }
    }
}
