import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// 对象查询 by keyset: page after page (and back from the end) gives exactly the rows of the plain
/// ordered query, for every sort column both ways, ties included, whichever plan is taken.
@Suite(.serialized) struct CaseBrowserKeysetTests {
    /// Twelve cases with many ties: two programmes, two villages, three amounts and none.
    static func store() throws -> Store {
        let (s, _) = try CaseBrowserTests.store()
        try s.write { db in
            try db.execute(sql: "UPDATE assistance_case SET monthly_amount_fen = (id % 3) * 10000 WHERE id % 2 = 0")
            try db.execute(sql: "UPDATE assistance_case SET programme = 'urban_dibao' WHERE id % 5 = 0")
            try db.execute(sql: "UPDATE household SET head_py = 'zhangsan' WHERE id IN (2, 7, 9)")
            try db.execute(sql: """
                INSERT INTO case_step(case_id, step, action, actor, acted_on, note, inputs, recorded_at)
                SELECT id, 'county_approval', 'approve', 'shenpi', '2026-03-0' || (id % 9 + 1), '', '{}', 'x' FROM assistance_case WHERE id % 3 <> 0
                """)
        }
        return s
    }

    /// The order as written directly, with the head's pinyin read from the household.
    static func reference(_ s: Store, _ q: CaseQuery, where extra: String = "1") throws -> [Int64] {
        let d = q.descending ? " DESC" : ""
        let cols: [String]
        switch q.sort {
        case .id: cols = ["c.id"]
        case .village: cols = ["c.village_code", "c.id"]
        case .head: cols = ["h.head_py", "c.id"]
        case .programme: cols = ["c.programme", "c.id"]
        case .step: cols = ["c.programme", "c.step", "c.id"]
        case .since: cols = ["c.step_since", "c.id"]
        case .amount: cols = ["c.monthly_amount_fen", "c.id"]
        }
        return try s.read { db in
            try Int64.fetchAll(db, sql: "SELECT c.id FROM assistance_case c JOIN household h ON h.id = c.household_id WHERE \(extra) ORDER BY "
                                  + cols.map { $0 + d }.joined(separator: ", "))
        }
    }

    static func pages(_ s: Store, _ q: CaseQuery, size: Int, backwards: Bool, collect: Int) throws -> [Int64] {
        var all: [CaseRow] = []
        var anchor: CaseAnchor = backwards ? .last : .first
        for _ in 0..<50 {
            let rows = try s.read { db in
                try Store.casePage(db, q, anchor: anchor, limit: size, today: Fixture.today, catalog: CaseFixture.catalog, collectThreshold: collect)
            }
            all = backwards ? rows + all : all + rows
            if rows.count < size { break }
            anchor = backwards ? .before(rows.first!) : .after(rows.last!)
        }
        return all.map(\.id)
    }

    @Test func pageDownAndBackThroughTheBrowser() throws {
        let store = try Fixture.store(households: 40)
        for h in 1...40 {
            _ = try CaseFixture.ruralCase(store, household: Int64(h), at: "township_review", since: Fixture.today.adding(days: -h))
        }
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store))
        for e: KeyEvent in [.text("duzha"), .tab, .text("demo"), .enter, .char("5")] { backend.enqueue(e) }
        r.runUntilIdle()
        func browser() -> CaseBrowserState? { r.state.top.state(of: CaseBrowserScreen.self) }
        let all = try Self.reference(store, CaseQuery())
        let page = App.casePageSize(r.state)
        #expect(all.count == 40 && page == 18)
        #expect(browser()?.rows.map(\.id) == Array(all[0..<18]))
        backend.enqueue(.pageDown); r.runUntilIdle()
        #expect(browser()?.rows.map(\.id) == Array(all[18..<36]) && browser()?.offset == 18)
        backend.enqueue(.pageDown); r.runUntilIdle()
        #expect(browser()?.rows.map(\.id) == Array(all[36..<40]) && browser()?.atEnd == true)
        #expect(backend.screenText.contains("37"))
        backend.enqueue(.pageDown); r.runUntilIdle()
        #expect(browser()?.rows.map(\.id) == Array(all[36..<40]) && browser()?.selected == 3)
        backend.enqueue(.pageUp); r.runUntilIdle()
        #expect(browser()?.rows.map(\.id) == Array(all[18..<36]) && browser()?.offset == 18 && browser()?.atEnd == false)
        // Down past the last row of a screenful brings the next one; up past the first, the one before.
        for _ in 0..<18 { backend.enqueue(.down) }
        r.runUntilIdle()
        #expect(browser()?.rows.map(\.id) == Array(all[36..<40]) && browser()?.selected == 0)
        backend.enqueue(.up); r.runUntilIdle()
        #expect(browser()?.rows.map(\.id) == Array(all[18..<36]) && browser()?.selected == 17)
        backend.enqueue(.home); r.runUntilIdle()
        #expect(browser()?.rows.map(\.id) == Array(all[0..<18]) && browser()?.offset == 0)
    }
}
