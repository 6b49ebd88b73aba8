import Foundation
import GRDB
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// 发放名册: the month's payments of a monthly programme, made from the cases in force, made
/// again while a draft, and kept as confirmed.
@Suite(.serialized) struct PaymentRosterTests {
    /// Five 农村低保 cases in force (300, 310, … 340 元), one suspended, two households with a card.
    func setup() throws -> (Store, [Int64]) {
        let s = try Fixture.store(households: 6)
        try s.addUser(name: "shenpi", displayName: "审批员", role: .approver, password: "demo", by: "test", iterations: 1000)
        var ids: [Int64] = []
        for hid in Int64(1)...5 {
            ids.append(try DynamicManagementTests.activeCase(s, household: hid, amount: Money(yuan: 300 + 10 * Int64(hid - 1))))
        }
        // Suspended in October through the workflow: not paid from November.
        _ = try s.act(caseId: ids[4], version: 1, request: CaseRequest(action: .suspend, actor: "shenpi", role: .approver,
                                                                       date: CivilDate(year: 2026, month: 10, day: 15)!, reason: "未按月签到"),
                      catalog: CaseFixture.catalog)
        try s.writer.write { db in
            try db.execute(sql: "UPDATE household SET bank_card = '6217 0000 1111 2222' WHERE id IN (1, 2)")
        }
        return (s, ids)
    }

    @Test func aRosterListsTheCasesInForceAndItsTotals() throws {
        let (s, ids) = try setup()
        let r = try s.makeRoster(month: "2026-11", programme: .ruralDibao, catalog: CaseFixture.catalog, by: "jingban")
        #expect(r.state == .draft && r.month == "2026-11" && r.lines == 4)
        #expect(r.total == Money(yuan: 300 + 310 + 320 + 330))
        let lines = try s.rosterLines(id: r.id)
        #expect(Set(lines.map(\.caseId)) == Set(ids.prefix(4)))
        #expect(r.persons == lines.map(\.persons).reduce(0, +))
        #expect(r.withoutCard == 2 && lines.filter { $0.bankCard == nil }.count == 2)
        // The payee is the head, with the full ID number the bank matches.
        let heads = try s.read { try String.fetchAll($0, sql: "SELECT head_id FROM household WHERE id <= 4 ORDER BY id") }
        #expect(Set(lines.map(\.payeeId)) == Set(heads))
        #expect(lines.allSatisfy { $0.payeeId.count == 18 })
        // Village totals add up to the roster's.
        let villages = try s.rosterVillageTotals(id: r.id)
        #expect(villages.map(\.total.fen).reduce(0, +) == r.total.fen)
        #expect(villages.map(\.lines).reduce(0, +) == 4)
        #expect(Set(villages.map(\.village)) == ["李家村", "石门村"])
    }

    @Test func aDraftIsMadeAgainAConfirmedOneNever() throws {
        let (s, ids) = try setup()
        let first = try s.makeRoster(month: "2026-11", programme: .ruralDibao, catalog: CaseFixture.catalog, by: "jingban")
        // The suspended case resumed in October (recorded late): made again, the draft has it.
        let v = try s.read { db in try Int.fetchOne(db, sql: "SELECT version FROM assistance_case WHERE id = ?", arguments: [ids[4]])! }
        _ = try s.act(caseId: ids[4], version: v, request: CaseRequest(action: .resume, actor: "shenpi", role: .approver,
                                                                       date: CivilDate(year: 2026, month: 10, day: 20)!, reason: "已补签到"),
                      catalog: CaseFixture.catalog)
        let again = try s.makeRoster(month: "2026-11", programme: .ruralDibao, catalog: CaseFixture.catalog, by: "jingban")
        #expect(again.lines == 5 && again.total == Money(yuan: 300 + 310 + 320 + 330 + 340))
        #expect(try s.rosters().count == 1)
        #expect(again.id == first.id && again.version == first.version + 1)
        #expect(throws: StoreError.staleEdit(entity: "roster", id: first.id)) { try s.confirmRoster(id: first.id, version: first.version, catalog: CaseFixture.catalog, by: "shenpi") }
        // Confirmed: the other clerk's stale confirm is refused, and it can no longer be made again.
        #expect(throws: StoreError.staleEdit(entity: "roster", id: again.id)) { try s.confirmRoster(id: again.id, version: again.version + 1, catalog: CaseFixture.catalog, by: "shenpi") }
        try s.confirmRoster(id: again.id, version: again.version, catalog: CaseFixture.catalog, by: "shenpi")
        let confirmed = try #require(try s.roster(id: again.id))
        #expect(confirmed.state == .confirmed && confirmed.confirmedBy == "shenpi")
        #expect(throws: (any Error).self) { try s.makeRoster(month: "2026-11", programme: .ruralDibao, catalog: CaseFixture.catalog, by: "jingban") }
        #expect(throws: (any Error).self) { try s.confirmRoster(id: again.id, version: confirmed.version, catalog: CaseFixture.catalog, by: "shenpi") }
        #expect(try s.rosterLines(id: again.id).count == 5)
        // Another month is its own roster.
        #expect(try s.makeRoster(month: "2026-12", programme: .ruralDibao, catalog: CaseFixture.catalog, by: "jingban").lines == 5)
        let actions = try s.read { try Audit.entries($0, limit: 10) }.map(\.action)
        #expect(actions.filter { $0 == "roster.make" }.count == 3 && actions.contains("roster.confirm"))
    }

    @Test func badMonthsAndOneOffProgrammesAreRefused() throws {
        let (s, _) = try setup()
        for m in ["2026-13", "2026-1", "26-11", "2026/11", ""] {
            #expect(throws: (any Error).self, "\(m)") { try s.makeRoster(month: m, programme: .ruralDibao, catalog: CaseFixture.catalog, by: "jingban") }
        }
        #expect(throws: (any Error).self) { try s.makeRoster(month: "2026-11", programme: .temporary, catalog: CaseFixture.catalog, by: "jingban") }
        #expect(try s.rosters().isEmpty)
        // A programme with no case in force gives an empty roster, not an error.
        #expect(try s.makeRoster(month: "2026-11", programme: .urbanDibao, catalog: CaseFixture.catalog, by: "jingban").lines == 0)
    }
}


