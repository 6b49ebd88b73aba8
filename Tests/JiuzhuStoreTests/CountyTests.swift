import Foundation
import GRDB
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// A county file (issue 25 item 4): the fixture's township and a second one, 五印乡, whose
/// villages' names repeat the first's, with households of its own (ids after the first's, so
/// nothing clashes).
enum CountyFixture {
    static let second = "532927102000"

    /// Adds 五印乡 (532927102) with villages 201 李家村 (the first township's name too) and 203
    /// 新村, and `n` households there whose heads cycle through the fixture's names.
    @discardableResult
    static func addTownship(_ s: Store, households n: Int) throws -> [Int64] {
        try s.write { db in
            try db.execute(sql: """
                INSERT INTO region(code, name, level, parent_code) VALUES
                    ('532927102000', '五印乡', 'township', '532927000000'),
                    ('532927102201', '李家村', 'village', '532927102000'),
                    ('532927102203', '新村', 'village', '532927102000')
                """)
        }
        var ids: [Int64] = []
        for i in 0..<n {
            let birth = CivilDate(year: 1955 + i % 40, month: 1 + i % 12, day: 1 + i % 28)!
            let id = IDNumber.make(region: "532927", birth: birth, sequence: 700 + i)
            let name = Fixture.names[(i + 3) % Fixture.names.count] + "乙" + String(i)
            let head = Person(name: name, idNumber: id.value, relation: Person.headRelation, sex: id.sex, birthDate: birth)
            ids.append(try s.addHousehold(Household(villageCode: i % 2 == 0 ? "532927102201" : "532927102203", address: "五印\(i)号"),
                                          members: [head], by: "test"))
        }
        return ids
    }

    /// A rural 低保 case of household `hid` (in its own village) waiting at `step`.
    static func waiting(_ s: Store, household hid: Int64, at step: String, since: CivilDate = Fixture.today.adding(days: -3)) throws -> Int64 {
        // 乡镇确认 is on the delegated path (审核确认权下放) only.
        let def = CaseFixture.catalog.definition(.ruralDibao)
        let path = def.path(delegated: false).contains { $0.code == step } ? def.path(delegated: false) : def.path(delegated: true)
        let upto = try #require(path.firstIndex { $0.code == step })
        let steps = path[..<upto].map { st in
            CaseStepRecord(caseId: 0, step: st.code, action: st.role == "clerk" ? "done" : "approve", actor: "jingban",
                           actedOn: since.adding(days: -1), inputs: "{}")
        }
        return try s.write { db in
            let village = try #require(try String.fetchOne(db, sql: "SELECT village_code FROM household WHERE id = ?", arguments: [hid]))
            let c = Case(householdId: hid, programme: .ruralDibao, step: step, stepSince: since, appliedOn: since.adding(days: -20),
                         coveredMembers: try Store.members(db, householdId: hid).count)
            let id = try Store.insertCase(db, c, steps: Array(steps), villageCode: village, now: "2026-11-01 09:00:00")
            try Store.backfillCaseColumns(db)
            return id
        }
    }
}

@Suite(.serialized) struct CountyTests {
    let first = "532927101000"

    @Test func aFileIsACountyFileWithASecondTownshipOrAsTheCountySide() throws {
        let s = try Fixture.store(households: 8)
        #expect(try s.townships().map(\.code) == [first])
        #expect(try s.isCountyFile() == false)
        #expect(try s.countyTownships() == nil)
        // The exchange's county side is a county file even before any township's records arrive.
        try s.write { db in try db.execute(sql: "INSERT INTO exchange_state(key, value) VALUES ('side', 'county')") }
        #expect(try s.isCountyFile())
        try s.write { db in try db.execute(sql: "UPDATE exchange_state SET value = 'township' WHERE key = 'side'") }
        #expect(try s.isCountyFile() == false)
        try CountyFixture.addTownship(s, households: 4)
        let towns = try #require(try s.countyTownships())
        #expect(towns.map(\.code) == [first, CountyFixture.second])
        #expect(towns.map(\.name) == ["南诏镇", "五印乡"])
        #expect(try s.isCountyFile())
        #expect(Store.township("五印乡", in: towns)?.code == CountyFixture.second)
        #expect(Store.township("532927102", in: towns)?.code == CountyFixture.second)
        #expect(Store.township("五印", in: towns) == nil)
    }

    /// The skip along the household index: a township whose region row is missing is still
    /// found (named by its code), and one with no households is not listed.
    @Test func townshipsAreThoseWithHouseholds() throws {
        let s = try Fixture.store(households: 3)
        try s.write { db in
            try db.execute(sql: "INSERT INTO region(code, name, level, parent_code) VALUES ('532927109000', '空乡', 'township', '532927000000')")
            try db.execute(sql: "INSERT INTO region(code, name, level, parent_code) VALUES ('532927105301', '无乡村', 'village', NULL)")
        }
        _ = try s.addHousehold(Household(villageCode: "532927105301", address: "1号"),
                               members: [Person(name: "甲乙", idNumber: IDNumber.make(region: "532927", birth: CivilDate(year: 1970, month: 1, day: 1)!, sequence: 901).value,
                                                relation: Person.headRelation, sex: .male, birthDate: CivilDate(year: 1970, month: 1, day: 1)!)], by: "test")
        let towns = try s.townships()
        #expect(towns.map(\.code) == [first, "532927105000"])
        #expect(towns.last?.name == "532927105000")
        let plan = try s.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT min(village_code) FROM household WHERE village_code > ?", arguments: [""]).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING COVERING INDEX household_by_village") }, "\(plan)")
    }

    /// 对象查询 with a township: its cases only, and counts that add up to the file's — also for
    /// a short search text, whose file-wide count comes from the running figures while a
    /// township's is counted.
    @Test func theCaseBrowserFiltersAndCountsByTownship() throws {
        let s = try Fixture.store(households: 20)
        let seconds = try CountyFixture.addTownship(s, households: 16)
        var firstCases: Set<Int64> = [], secondCases: Set<Int64> = []
        for hid in Int64(1)...12 { firstCases.insert(try CountyFixture.waiting(s, household: hid, at: "county_approval")) }
        for hid in seconds.prefix(9) { secondCases.insert(try CountyFixture.waiting(s, household: hid, at: "county_approval")) }
        let catalog = CaseFixture.catalog, today = Fixture.today
        var all = CaseQuery()
        let total = try s.caseSummary(all, today: today, catalog: catalog)
        #expect(total.count == 21)
        var sum = 0
        for (code, expected) in [(first, firstCases), (CountyFixture.second, secondCases)] {
            var q = CaseQuery(); q.township = code
            #expect(q.isFiltered)
            let page = try s.casePage(q, limit: 100, today: today, catalog: catalog)
            #expect(Set(page.map(\.id)) == expected)
            #expect(page.allSatisfy { Store.townshipPrefix($0.villageCode) == Store.townshipPrefix(code) })
            let n = try s.caseSummary(q, today: today, catalog: catalog).count
            #expect(n == expected.count)
            sum += n
            // Keyset paging through the township two rows at a time, in every order (the page
            // bounds the ids by the township's lowest and highest).
            for sort in CaseQuery.Sort.allCases {
                q.sort = sort
                var seen: [Int64] = [], anchor = CaseAnchor.first
                while true {
                    let rows = try s.casePage(q, anchor: anchor, limit: 2, today: today, catalog: catalog)
                    seen += rows.map(\.id)
                    guard rows.count == 2, let last = rows.last else { break }
                    anchor = .after(last)
                }
                #expect(Set(seen) == expected && seen.count == expected.count, "\(sort)")
                let back = try s.casePage(q, anchor: .last, limit: 100, today: today, catalog: catalog)
                #expect(back.map(\.id) == seen, "\(sort)")
            }
            q.sort = .id
        }
        #expect(sum == total.count)
        // The same village name in both townships: the village filter is by code, within one.
        var q = CaseQuery(); q.township = CountyFixture.second; q.village = "532927101201"
        #expect(try s.caseSummary(q, today: today, catalog: catalog).count == 0)
        // A one-character text: the file's count from the stored figures, each township's
        // counted, and the two add up (and agree with a count done by hand).
        for text in ["张", "z", "李"] {
            all.text = text
            let whole = try s.caseSummary(all, today: today, catalog: catalog)
            var parts = 0, money: Int64 = 0
            for code in [first, CountyFixture.second] {
                var t = all; t.township = code
                let part = try s.caseSummary(t, today: today, catalog: catalog)
                let listed = try s.casePage(t, limit: 100, today: today, catalog: catalog)
                #expect(part.count == listed.count, "\(text) \(code)")
                parts += part.count; money += part.monthly.fen
            }
            #expect(parts == whole.count, "\(text)")
            #expect(money == whole.monthly.fen, "\(text)")
        }
        #expect(try s.verifySearchCounts()?.differ == [])
    }

    /// 审核审批 in a county file: a township's queue, and the county approval queue (县级审批
    /// from every township, without the townships' own steps).
    @Test func theReviewQueueByTownshipAndTheCountyApprovalQueue() throws {
        let s = try Fixture.store(households: 10)
        let seconds = try CountyFixture.addTownship(s, households: 8)
        let catalog = CaseFixture.catalog, today = Fixture.today
        var county: Set<Int64> = [], confirm: Set<Int64> = []
        for hid in Int64(1)...4 { county.insert(try CountyFixture.waiting(s, household: hid, at: "county_approval")) }
        for hid in seconds.prefix(3) { county.insert(try CountyFixture.waiting(s, household: hid, at: "county_approval")) }
        confirm.insert(try CountyFixture.waiting(s, household: 5, at: "township_confirmation"))
        confirm.insert(try CountyFixture.waiting(s, household: seconds[4], at: "township_confirmation"))
        _ = try CountyFixture.waiting(s, household: 6, at: "township_review")   // the reviewer's
        let everything = try s.reviewQueue(role: .approver, catalog: catalog, today: today)
        #expect(Set(everything.map(\.caseId)) == county.union(confirm))
        let countyQueue = try s.reviewQueue(role: .approver, catalog: catalog, today: today, countySteps: true)
        #expect(Set(countyQueue.map(\.caseId)) == county)
        #expect(countyQueue.allSatisfy { $0.step == "county_approval" })
        #expect(try s.reviewQueueTotal(role: .approver, catalog: catalog, countySteps: true) == county.count)
        var byTownship = 0
        for code in [first, CountyFixture.second] {
            let rows = try s.reviewQueue(role: .approver, catalog: catalog, today: today, township: code, countySteps: true)
            #expect(rows.allSatisfy { Store.townshipPrefix($0.villageCode) == Store.townshipPrefix(code) })
            let n = try s.reviewQueueTotal(role: .approver, catalog: catalog, township: code, countySteps: true)
            #expect(n == rows.count)
            byTownship += n
        }
        #expect(byTownship == county.count)
        let secondAll = try s.reviewQueue(role: .approver, catalog: catalog, today: today, township: CountyFixture.second)
        #expect(secondAll.count == 4)
        #expect(try s.reviewQueueTotal(role: .approver, catalog: catalog, township: CountyFixture.second) == 4)
        // The reviewer's step is never a county step.
        #expect(try s.reviewQueue(role: .reviewer, catalog: catalog, today: today, countySteps: true).isEmpty)
    }

    /// The year table per township: one pass gives each township's figures, equal to that
    /// township's own table, and the townships add up to the file's total, in 户, 人 and money.
    @Test func theYearTableByTownshipAddsUpToTheTotal() throws {
        let s = try Fixture.store(households: 8)
        try s.addUser(name: "shenpi", displayName: "审批员", role: .approver, password: "demo", by: "test", iterations: 1000)
        let seconds = try CountyFixture.addTownship(s, households: 6)
        for hid in Int64(1)...5 { _ = try DynamicManagementTests.activeCase(s, household: hid, amount: Money(yuan: 300 + Int64(hid))) }
        for hid in seconds.prefix(3) { _ = try DynamicManagementTests.activeCase(s, household: hid, daysAgo: 100, amount: Money(yuan: 410)) }
        let r = try s.makeRoster(month: "2026-10", programme: .ruralDibao, catalog: CaseFixture.catalog, by: "shenpi")
        try s.confirmRoster(id: r.id, version: r.version, catalog: CaseFixture.catalog, by: "shenpi", today: Fixture.today)
        let from = CivilDate(year: 2026, month: 1, day: 1)!, until = Fixture.today
        let total = try s.yearFigures(from: from, until: until, catalog: CaseFixture.catalog)
        let parts = try s.yearFiguresByTownship(from: from, until: until, catalog: CaseFixture.catalog)
        #expect(parts.map(\.township) == [first, CountyFixture.second])
        for (code, figures) in parts {
            #expect(figures == (try s.yearFigures(from: from, until: until, catalog: CaseFixture.catalog, township: code)))
        }
        let rural = try #require(total.first { $0.programme == .ruralDibao })
        #expect(rural.atEnd.households == 8 && rural.added.households == 8)
        #expect(rural.paid == r.total && rural.rosterMonths == 1)
        for (i, t) in total.enumerated() {
            let shares = parts.map { $0.figures[i] }
            #expect(shares.allSatisfy { $0.programme == t.programme })
            func sum(_ k: KeyPath<ProgrammeFigures, ProgrammeFigures.Count>) -> (Int, Int) {
                (shares.map { $0[keyPath: k].households }.reduce(0, +), shares.map { $0[keyPath: k].persons }.reduce(0, +))
            }
            for k in [\ProgrammeFigures.atStart, \.atEnd, \.added, \.adjusted, \.cancelled, \.cleared, \.suspended] {
                #expect(sum(k) == (t[keyPath: k].households, t[keyPath: k].persons), "\(t.programme) \(k)")
            }
            #expect(shares.map(\.amount.fen).reduce(0, +) == t.amount.fen)
            #expect(shares.map { $0.paid?.fen ?? 0 }.reduce(0, +) == (t.paid?.fen ?? 0))
            #expect(shares.allSatisfy { $0.rosterMonths == t.rosterMonths && $0.periodMonths == t.periodMonths })
        }
        let second = try #require(parts.last?.figures.first { $0.programme == .ruralDibao })
        #expect(second.atEnd == ProgrammeFigures.Count(households: 3, persons: 3))
        #expect(second.paid == Money(yuan: 410 * 3))
        // The second township's own roster of the same month (as its package brings it, v26):
        // one month of the total still, and one of that township's.
        try s.writer.write { db in
            try db.execute(sql: """
                INSERT INTO payment_roster(township, month, programme, state, made_by, made_at, lines, persons, total_fen, without_card)
                VALUES ('532927102000', '2026-10', 'rural_dibao', 'confirmed', 'shenpi', '2026-10-30 09:00:00', 0, 0, 0, 0)
                """)
        }
        let total2 = try #require(try s.yearFigures(from: from, until: until, catalog: CaseFixture.catalog).first { $0.programme == .ruralDibao })
        #expect(total2.rosterMonths == 1 && total2.paid == r.total)
        let parts2 = try s.yearFiguresByTownship(from: from, until: until, catalog: CaseFixture.catalog)
        #expect(parts2.map(\.township) == [first, CountyFixture.second])
        #expect(parts2.map { $0.figures.first { $0.programme == .ruralDibao }?.rosterMonths } == [1, 1])
    }

    /// A roster of a county file by township: the townships' shares and lines add up to the roster.
    /// A county's spot checks are stratified by township and village: the coverage sums by
    /// township too, adding up to the programme's, each township's to its villages'.
    @Test func spotCheckCoverageByTownship() throws {
        let s = try Fixture.store(households: 8)
        let seconds = try CountyFixture.addTownship(s, households: 6)
        for hid in Int64(1)...6 { _ = try DynamicManagementTests.activeCase(s, household: hid, amount: Money(yuan: 300)) }
        for hid in seconds { _ = try DynamicManagementTests.activeCase(s, household: hid, amount: Money(yuan: 350)) }
        let draw = try s.drawSpotCheck(programme: .ruralDibao, period: "2026", percent: 50, seed: 7, by: "duzha")
        let c = try s.coverage(drawId: draw.drawId)
        #expect(c.townships.map(\.code) == [String(first.prefix(9)), String(CountyFixture.second.prefix(9))])
        #expect(c.townships.map(\.name) == ["南诏镇", "五印乡"])
        #expect(c.townships.allSatisfy { $0.sampled > 0 })
        #expect(c.townships.map(\.sampled).reduce(0, +) == c.programmes.map(\.sampled).reduce(0, +))
        for t in c.townships {
            #expect(c.villages.filter { $0.code.hasPrefix(t.code) }.map(\.sampled).reduce(0, +) == t.sampled)
        }
        // A township's own file has no township rows.
        let own = try Fixture.store(households: 8)
        for hid in Int64(1)...6 { _ = try DynamicManagementTests.activeCase(own, household: hid, amount: Money(yuan: 300)) }
        let d2 = try own.drawSpotCheck(programme: .ruralDibao, period: "2026", percent: 50, seed: 7, by: "duzha")
        #expect(try own.coverage(drawId: d2.drawId).townships.isEmpty)
    }

    @Test func aRosterByTownship() throws {
        let s = try Fixture.store(households: 8)
        let seconds = try CountyFixture.addTownship(s, households: 6)
        for hid in Int64(1)...4 { _ = try DynamicManagementTests.activeCase(s, household: hid, amount: Money(yuan: 300)) }
        for hid in seconds.prefix(5) { _ = try DynamicManagementTests.activeCase(s, household: hid, amount: Money(yuan: 350)) }
        try s.writer.write { db in try db.execute(sql: "UPDATE household SET bank_card = '6217 0000 1111 2222' WHERE id IN (1, ?)", arguments: [seconds[0]]) }
        let r = try s.makeRoster(month: "2026-11", programme: .ruralDibao, catalog: CaseFixture.catalog, by: "jingban")
        let towns = try s.rosterTownshipTotals(id: r.id)
        #expect(towns.map(\.code) == [first, CountyFixture.second])
        #expect(towns.map(\.name) == ["南诏镇", "五印乡"])
        #expect(towns.map(\.lines) == [4, 5])
        #expect(towns.map(\.total) == [Money(yuan: 1200), Money(yuan: 1750)])
        #expect(towns.map(\.lines).reduce(0, +) == r.lines)
        #expect(towns.map(\.persons).reduce(0, +) == r.persons)
        #expect(towns.map(\.total.fen).reduce(0, +) == r.total.fen)
        #expect(towns.map(\.withoutCard).reduce(0, +) == r.withoutCard && towns.map(\.withoutCard) == [3, 4])
        for t in towns {
            let lines = try s.rosterLines(id: r.id, township: t.code)
            #expect(lines.count == t.lines)
            #expect(lines.map(\.amount.fen).reduce(0, +) == t.total.fen)
            #expect(lines.allSatisfy { Store.townshipPrefix($0.villageCode) == Store.townshipPrefix(t.code) })
            // A screenful after the first line stays in the township.
            let first = try #require(lines.first)
            #expect(try s.rosterLines(id: r.id, from: .after(first), limit: 100, township: t.code) == Array(lines.dropFirst()))
            #expect(t.roster(r).lines == t.lines && t.roster(r).total == t.total)
        }
    }
}
