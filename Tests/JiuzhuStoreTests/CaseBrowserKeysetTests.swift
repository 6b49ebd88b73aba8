import Foundation
import GRDB
import JiuzhuModel
@testable import JiuzhuStore
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

    @Test func keysetPagesGiveTheOrderedQuerysRows() throws {
        let s = try Self.store()
        var active = CaseQuery(); active.status = .active
        var village = CaseQuery(); village.village = "532927101201"
        var decided = CaseQuery(); decided.decidedFrom = CivilDate(year: 2026, month: 3, day: 3)
        let approved = "EXISTS (SELECT 1 FROM case_step s WHERE s.case_id = c.id AND s.action = 'approve' AND s.step IN ('county_approval', 'assessment') AND s.acted_on >= '2026-03-03')"
        #expect(try s.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM assistance_case c WHERE \(approved)")! } > 0)
        let filters: [(CaseQuery, String)] = [(CaseQuery(), "1"), (active, "c.status = 'active'"), (village, "c.village_code = '532927101201'"),
                                              (decided, approved)]
        for (base, extra) in filters {
            for sort in CaseQuery.Sort.allCases {
                for descending in [false, true] {
                    var q = base; q.sort = sort; q.descending = descending
                    let expected = try Self.reference(s, q, where: extra)
                    #expect(!expected.isEmpty)
                    // collect 1: always walk the sort's index (and test a date range case by case);
                    // 1,000,000: always collect and sort.
                    for collect in [1, 1_000_000] {
                        for size in [1, 5, 100] {
                            let what = "\(extra) \(sort) \(descending ? "desc" : "asc") collect \(collect) page \(size)"
                            #expect(try Self.pages(s, q, size: size, backwards: false, collect: collect) == expected, "\(what) forwards")
                            #expect(try Self.pages(s, q, size: size, backwards: true, collect: collect) == expected, "\(what) backwards")
                        }
                    }
                }
            }
        }
    }

    @Test func aSearchTextPagesAlikeOnBothPlans() throws {
        let s = try Self.store()
        for sort in CaseQuery.Sort.allCases {
            for descending in [false, true] {
                var q = CaseQuery(); q.text = "z"; q.sort = sort; q.descending = descending
                let whole = try s.casePage(q, limit: 100, today: Fixture.today, catalog: CaseFixture.catalog).map(\.id)
                #expect(!whole.isEmpty)
                for threshold in [Store.planThreshold, 1] {
                    let paged = try s.read { db -> [Int64] in
                        var all: [CaseRow] = []
                        var anchor = CaseAnchor.first
                        while true {
                            let rows = try Store.casePage(db, q, anchor: anchor, limit: 2, today: Fixture.today, catalog: CaseFixture.catalog,
                                                          threshold: threshold)
                            all += rows
                            guard rows.count == 2 else { return all.map(\.id) }
                            anchor = .after(rows.last!)
                        }
                    }
                    #expect(paged == whole, "\(sort) \(descending) threshold \(threshold)")
                }
            }
        }
    }

    @Test func theHeadsPinyinOnTheCaseFollowsTheHousehold() throws {
        let s = try Self.store()
        func copied() throws -> [Int64: String] {
            try s.read { db in
                Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, head_py FROM assistance_case").map { ($0["id"], $0["head_py"]) })
            }
        }
        func households() throws -> [Int64: String] {
            try s.read { db in
                Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT c.id, h.head_py FROM assistance_case c JOIN household h ON h.id = c.household_id").map { ($0["id"], $0["head_py"]) })
            }
        }
        #expect(try copied() == households())
        try s.write { db in try db.execute(sql: "UPDATE household SET head_py = 'aaaa' WHERE id = 4") }
        #expect(try copied() == households())
        _ = try CaseFixture.ruralCase(s, household: 4, at: "township_review", since: Fixture.today)
        try s.write { db in try db.execute(sql: "UPDATE assistance_case SET household_id = 5 WHERE id = 1") }
        #expect(try copied() == households())
    }

}
