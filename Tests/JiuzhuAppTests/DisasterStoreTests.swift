import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// Disaster work (issue 24) in the store: stage reports in order, the ledger against the latest
/// report, relief through the workflow with its amount from the grant, cards that refuse
/// over-distribution, goods that refuse an issue beyond stock, houses stage by stage, and the
/// year table's disaster rows as the sums of their records.
@Suite(.serialized) struct DisasterStoreTests {
    static let catalog = CaseFixture.catalog
    static let today = Fixture.today
    static let start = CivilDate(year: 2026, month: 7, day: 10)!

    /// A store with a reviewer and an approver, a flood over 李家村 (201) and `n` households of
    /// it on the ledger: the first collapsed (2 rooms, evacuated), the second badly damaged, the
    /// rest slightly.
    static func flood(ledger n: Int = 3) throws -> (Store, Int64, [DisasterVictim]) {
        let s = try Fixture.store(households: 12)
        try s.addUser(name: "shenhe", displayName: "审核员", role: .reviewer, password: "demo", by: "test", iterations: 1000)
        try s.addUser(name: "shenpi", displayName: "审批员", role: .approver, password: "demo", by: "test", iterations: 1000)
        let e = try s.addDisasterEvent(kind: "flood", name: "7·10洪涝", startedOn: start, villages: ["532927101201"], by: "jingban", today: today)
        let village = try s.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM household WHERE village_code = '532927101201' ORDER BY id")
        }
        for (i, hid) in village.prefix(n).enumerated() {
            let members = try s.read { db in try Store.members(db, householdId: hid).count }
            let damage: HouseDamage = i == 0 ? .collapsed : i == 1 ? .severe : .general
            try s.addDisasterVictim(eventId: e, householdId: hid, Store.VictimEntry(persons: members, damage: damage, rooms: i == 0 ? 2 : 1,
                                                                                      relocated: i == 0, needRelief: i < 2, needs: "口粮"),
                                    on: start.adding(days: 1), by: "jingban", today: today)
        }
        return (s, e, try s.disasterVictims(eventId: e))
    }

    /// A grant decided by the reviewer (核灾定级) at the computed amount.
    static func decided(_ s: Store, _ g: NewReliefGrant) throws -> Int64 {
        let cid = try s.grantRelief(g, by: "jingban", catalog: catalog, today: today)
        let c = try #require(try s.caseFile(id: cid, today: today, catalog: catalog))
        _ = try s.act(caseId: cid, version: c.caseRecord.version,
                      request: CaseRequest(action: .approve, actor: "shenhe", role: .reviewer, date: g.on, inputs: ["lossLevel": "重度"]),
                      catalog: catalog)
        return cid
    }

    /// The decided grants waiting in 李家村 posted (审批公示, 张榜公示's batch) on `on`, and the
    /// posting closed when its window has run (not before): they move on to their cards. The day
    /// it closed.
    static func posted(_ s: Store, on: CivilDate) throws -> CivilDate {
        let bid = try s.createBatch(NewBatch(kind: .approval, programme: .disaster, scopeCode: "532927101201", postedFrom: on), by: "jingban",
                                    today: on, catalog: catalog)
        let b = try #require(try s.batch(id: bid))
        let p = try s.postBatch(bid, version: b.version, by: "jingban", today: on, catalog: catalog)
        #expect(throws: StoreError.self) { try s.closeBatch(bid, version: p.version, by: "jingban", today: on, catalog: catalog) }
        let r = try s.closeBatch(bid, version: p.version, by: "jingban", today: p.postedUntil, catalog: catalog)
        #expect(!r.moved.isEmpty && r.held.isEmpty)
        return p.postedUntil
    }

    @Test func reportsComeInOrderAndTheLedgerShowsItsDifference() throws {
        let (s, e, victims) = try Self.flood()
        var f = DisasterFigures()
        f.affected = 10; f.relocated = 2; f.collapsedHouseholds = 1; f.collapsedRooms = 2
        // 续报 before 初报, 初报 twice, a report after 核报: refused.
        #expect(throws: StoreError.self) { try s.addDisasterReport(eventId: e, stage: .update, on: Self.start, figures: f, by: "jingban", today: Self.today) }
        try s.addDisasterReport(eventId: e, stage: .initial, on: Self.start, figures: f, by: "jingban", today: Self.today)
        #expect(throws: StoreError.self) { try s.addDisasterReport(eventId: e, stage: .initial, on: Self.start, figures: f, by: "jingban", today: Self.today) }
        // A relocated count above those affected, rooms below households: refused.
        var bad = f; bad.relocated = 11
        #expect(throws: StoreError.self) { try s.addDisasterReport(eventId: e, stage: .update, on: Self.start, figures: bad, by: "jingban", today: Self.today) }
        bad = f; bad.collapsedRooms = 0
        #expect(throws: StoreError.self) { try s.addDisasterReport(eventId: e, stage: .update, on: Self.start, figures: bad, by: "jingban", today: Self.today) }
        f.affected = 8
        try s.addDisasterReport(eventId: e, stage: .update, on: Self.start.adding(days: 3), figures: f, by: "jingban", today: Self.today)
        // Dated before the last report: refused.
        #expect(throws: StoreError.self) { try s.addDisasterReport(eventId: e, stage: .final, on: Self.start.adding(days: 2), figures: f, by: "jingban", today: Self.today) }
        try s.addDisasterReport(eventId: e, stage: .final, on: Self.start.adding(days: 20), figures: f, by: "jingban", today: Self.today)
        #expect(throws: StoreError.self) { try s.addDisasterReport(eventId: e, stage: .update, on: Self.start.adding(days: 21), figures: f, by: "jingban", today: Self.today) }
        let reports = try s.disasterReports(eventId: e)
        #expect(reports.map(\.stage) == [.initial, .update, .final])

        let ledger = try s.ledgerTotals(eventId: e)
        let persons = victims.reduce(0) { $0 + $1.persons }
        #expect(ledger.affected == persons && ledger.collapsedHouseholds == 1 && ledger.collapsedRooms == 2 && ledger.severeHouseholds == 1
                && ledger.generalHouseholds == 1 && ledger.relocated == victims.first { $0.damage == .collapsed }?.persons)
        let diff = DisasterRules.difference(ledger: ledger, report: reports.last!.figures)
        #expect(diff.first { $0.key == "affected" }.map { $0.ledger - $0.report } == persons - 8)

        // A household of a village the flood did not hit, or on the ledger twice: refused.
        let other = try s.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM household WHERE village_code = '532927101202' LIMIT 1") }!
        #expect(throws: StoreError.self) {
            try s.addDisasterVictim(eventId: e, householdId: other, Store.VictimEntry(persons: 1, damage: .none), on: Self.start, by: "jingban", today: Self.today)
        }
        #expect(throws: StoreError.self) {
            try s.addDisasterVictim(eventId: e, householdId: victims[0].householdId, Store.VictimEntry(persons: 1, damage: .none), on: Self.start,
                                    by: "jingban", today: Self.today)
        }
        // Checked village by village; a checked line stays as checked.
        #expect(try s.checkDisasterVillage(eventId: e, villageCode: "532927101201", on: Self.start.adding(days: 5), by: "jingban", today: Self.today) == 3)
        let v = try #require(try s.disasterVictim(id: victims[0].id))
        #expect(v.checkedOn == Self.start.adding(days: 5))
        #expect(throws: StoreError.self) { try s.updateDisasterVictim(id: v.id, version: v.version, Store.VictimEntry(persons: 1, damage: .severe, rooms: 1), by: "jingban") }
        // The printed report carries the ledger beside it.
        let text = DisasterPrint.stageReport(try #require(try s.disasterEvent(id: e)), kind: "洪涝", villages: ["李家村"], report: reports[0],
                                             ledger: ledger, township: "南诏镇", lang: .zh)
        #expect(text.contains("初报") && text.contains("台帐合计"))
        #expect(text.split(separator: "\n").allSatisfy { TextWidthProbe.width($0) <= 80 })
    }

    @Test func reliefIsWorkedOutFromTheGrantAndCardsRefuseOverDistribution() throws {
        let (s, e, victims) = try Self.flood()
        let collapsed = victims.first { $0.damage == .collapsed }!
        // 过渡期: persons × days × the daily standard of 2026 (22.00): never the old months by loss level.
        var on = Self.start.adding(days: 2)
        // Transition relief for a slightly damaged house, or an emergency grant for a household
        // neither evacuated nor in need: refused.
        let general = victims.first { $0.damage == .general }!
        #expect(throws: StoreError.self) { try s.grantRelief(NewReliefGrant(victimId: general.id, period: .transition, days: 30, on: on), by: "jingban", catalog: Self.catalog, today: Self.today) }
        #expect(throws: StoreError.self) { try s.grantRelief(NewReliefGrant(victimId: general.id, period: .emergency, days: 5, on: on), by: "jingban", catalog: Self.catalog, today: Self.today) }
        let cid = try Self.decided(s, NewReliefGrant(victimId: collapsed.id, period: .transition, days: 30, goods: ["rice": 50, "quilt": 2], on: on))
        let file = try #require(try s.caseFile(id: cid, today: Self.today, catalog: Self.catalog))
        #expect(file.onceAmount == Money(yuan: 22) * (collapsed.persons * 30))
        #expect(file.assessment.lines.first?.text.zh.contains("× 30 天") == true)
        // A second transition grant for the same household: refused.
        #expect(throws: StoreError.self) { try s.grantRelief(NewReliefGrant(victimId: collapsed.id, period: .transition, days: 10, on: on), by: "jingban", catalog: Self.catalog, today: Self.today) }

        // Nothing handed out without a card.
        #expect(throws: StoreError.self) { try s.distributeRelief(cardId: 999, on: on, cash: Money(yuan: 1), items: [:], receiver: "户主", by: "jingban", catalog: Self.catalog, today: Self.today) }
        // No card while the decided grant is still to be posted in its village.
        #expect(throws: StoreError.said("disaster.err.stillPosted", ["head": collapsed.headName])) {
            try s.issueReliefCard(victimId: collapsed.id, period: .transition, on: on, by: "jingban", catalog: Self.catalog, today: Self.today)
        }
        on = try Self.posted(s, on: on)
        let cardId = try s.issueReliefCard(victimId: collapsed.id, period: .transition, on: on, by: "jingban", catalog: Self.catalog, today: Self.today)
        var card = try #require(try s.reliefCard(id: cardId))
        #expect(card.number == "JJK-101-2026-00001" && card.cash == file.onceAmount && card.items == ["rice": 50, "quilt": 2])
        #expect(try s.caseFile(id: cid, today: Self.today, catalog: Self.catalog)?.caseRecord.step == "distribution")

        // Beyond the cash left: refused, nothing written.
        let audits = try s.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit") ?? 0 }
        #expect(throws: StoreError.self) {
            try s.distributeRelief(cardId: cardId, on: on, cash: card.cash + Money(fen: 1), items: [:], receiver: collapsed.headName, by: "jingban", catalog: Self.catalog, today: Self.today)
        }
        // Goods with nothing in stock: refused.
        #expect(throws: StoreError.self) {
            try s.distributeRelief(cardId: cardId, on: on, cash: .zero, items: ["rice": 25], receiver: collapsed.headName, by: "jingban", catalog: Self.catalog, today: Self.today)
        }
        #expect(try s.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit") ?? 0 } == audits)
        try s.receiveGoods(item: "rice", quantity: 60, on: on, source: "县应急管理局", eventId: e, by: "jingban", today: Self.today)
        try s.receiveGoods(item: "quilt", quantity: 1, on: on, source: "县红十字会", eventId: e, by: "jingban", today: Self.today)
        try s.distributeRelief(cardId: cardId, on: on, cash: Money(yuan: 500), items: ["rice": 25], receiver: collapsed.headName, by: "jingban", catalog: Self.catalog, today: Self.today)
        #expect(try s.goodsStock().first { $0.item == "rice" }?.onHand == 35)
        // Beyond the card's rice (25 left), beyond the quilt stock (1): refused.
        #expect(throws: StoreError.self) {
            try s.distributeRelief(cardId: cardId, on: on, cash: .zero, items: ["rice": 26], receiver: collapsed.headName, by: "jingban", catalog: Self.catalog, today: Self.today)
        }
        #expect(throws: StoreError.self) {
            try s.distributeRelief(cardId: cardId, on: on, cash: .zero, items: ["quilt": 2], receiver: collapsed.headName, by: "jingban", catalog: Self.catalog, today: Self.today)
        }
        // The trigger backs the store: an issue beyond stock cannot be written even directly.
        #expect(throws: StoreError.invalid("relief_goods: beyond the stock on hand")) {
            try s.write { db in
                try db.execute(sql: "INSERT INTO relief_goods(item, movement, quantity, moved_on, recorded_by, recorded_at) VALUES ('quilt', 'issue', -2, '2026-07-12', 'x', 'x')")
            }
        }
        // A stock-take that differs needs its reason.
        #expect(throws: StoreError.self) { try s.stockTake(item: "rice", counted: 34, on: on, reason: "", by: "jingban", today: Self.today) }
        #expect(try s.stockTake(item: "rice", counted: 34, on: on, reason: "受潮损耗 1 公斤", by: "jingban", today: Self.today) == -1)
        try s.receiveGoods(item: "quilt", quantity: 5, on: on, source: "县应急管理局", by: "jingban", today: Self.today)
        card = try #require(try s.reliefCard(id: cardId))
        try s.distributeRelief(cardId: cardId, on: on, cash: card.cashLeft, items: ["rice": 25, "quilt": 2], receiver: collapsed.headName, by: "jingban", catalog: Self.catalog, today: Self.today)
        card = try #require(try s.reliefCard(id: cardId))
        #expect(card.fullyHandedOut && card.distributions.count == 2)
        // Fully handed out: the case's last step is done.
        #expect(try s.caseFile(id: cid, today: Self.today, catalog: Self.catalog)?.caseRecord.status == .closed)
        #expect(throws: StoreError.self) {
            try s.distributeRelief(cardId: cardId, on: on, cash: Money(fen: 1), items: [:], receiver: collapsed.headName, by: "jingban", catalog: Self.catalog, today: Self.today)
        }
        // The cards print several to a page, within 80 columns.
        let text = DisasterPrint.cardsText([card, card, card, card], refs: try s.reliefItems(), township: "南诏镇", lang: .zh)
        #expect(text.components(separatedBy: "\u{0C}").count == 2)
        #expect(text.split(separator: "\n").allSatisfy { TextWidthProbe.width($0) <= 80 })
    }

    /// Item 3 "published per village like the other lists": a decided grant is posted in its
    /// village through 张榜公示 (name, persons, the period, the amount; no ID), an objection sends
    /// it back to 核灾定级, and no card is issued before the posting has closed.
    @Test func reliefIsPostedPerVillageBeforeItsCard() throws {
        let (s, _, victims) = try Self.flood()
        let v = victims[0]
        let on = Self.start.adding(days: 2)
        let cid = try Self.decided(s, NewReliefGrant(victimId: v.id, period: .transition, days: 30, on: on))
        let amount = try #require(try s.caseFile(id: cid, today: Self.today, catalog: Self.catalog)?.onceAmount)
        #expect(try s.caseFile(id: cid, today: Self.today, catalog: Self.catalog)?.caseRecord.step == PublicityKind.approval.rawValue)
        #expect(try s.proposals(kind: .approval, programme: .disaster, scopeCode: "532927101201") == [cid])
        let bid = try s.createBatch(NewBatch(kind: .approval, programme: .disaster, scopeCode: "532927101201", postedFrom: on), by: "jingban",
                                    today: on, catalog: Self.catalog)
        let b = try #require(try s.batch(id: bid))
        let posted = try s.postBatch(bid, version: b.version, by: "jingban", today: on, catalog: Self.catalog)
        let doc = try s.document(batchId: bid, today: on, catalog: Self.catalog)
        #expect(doc.title.contains("受灾救助"))
        #expect(doc.columns == [.index, .name, .persons, .category, .amount])
        let line = try #require(doc.lines.first)
        #expect(doc.lines.count == 1 && line.name == v.headName && line.persons == v.persons)
        #expect(line.category == "过渡期" && line.monthly == amount)
        #expect(PublicityRender.totalsLine(doc, lang: .zh).contains("救助金额合计 \(amount.yuanString) 元"))
        #expect(!PublicityRender.totalsLine(doc, lang: .zh).contains("月保障金"))
        // No card while it is up; an objection sends the grant back to 核灾定级.
        #expect(throws: StoreError.self) {
            try s.issueReliefCard(victimId: v.id, period: .transition, on: on, by: "jingban", catalog: Self.catalog, today: Self.today)
        }
        _ = try s.registerObjection(batchId: bid, caseId: cid, receivedOn: on.adding(days: 1), receivedBy: "举报箱", content: "该户房屋未倒塌",
                                    handler: "jingban", by: "jingban", catalog: Self.catalog)
        #expect(try s.caseFile(id: cid, today: Self.today, catalog: Self.catalog)?.caseRecord.step == "assessment")
        #expect(posted.state == .posted)
    }

    @Test func winterReliefIsPerPersonByNeed() throws {
        let (s, _, victims) = try Self.flood()
        let v = victims[1]
        let on = CivilDate(year: 2026, month: 11, day: 10)!
        let cid = try Self.decided(s, NewReliefGrant(victimId: v.id, period: .winter, needs: [.food, .heating], goods: ["coal": 100], on: on))
        let f = try #require(try s.caseFile(id: cid, today: Self.today, catalog: Self.catalog))
        #expect(f.onceAmount == Money(yuan: 400) * v.persons)
        let card = try s.issueReliefCard(victimId: v.id, period: .winter, on: try Self.posted(s, on: on), by: "jingban", catalog: Self.catalog, today: Self.today)
        #expect(try s.reliefCard(id: card)?.season == "2026-2027")
        // Winter relief without a need: refused.
        #expect(throws: StoreError.self) { try s.grantRelief(NewReliefGrant(victimId: victims[0].id, period: .winter, on: on), by: "jingban", catalog: Self.catalog, today: Self.today) }
    }

    @Test func housesGoStageByStageAndInstalmentsStayWithinTheSubsidy() throws {
        let (s, _, victims) = try Self.flood()
        let general = victims.first { $0.damage == .general }!
        #expect(throws: StoreError.self) {
            try s.applyHouse(victimId: general.id, kind: .rebuild, subsidy: Money(yuan: 20_000), dueOn: Self.today, on: Self.start, by: "jingban", today: Self.today)
        }
        let collapsed = victims.first { $0.damage == .collapsed }!
        let id = try s.applyHouse(victimId: collapsed.id, kind: .rebuild, subsidy: Money(yuan: 20_000), dueOn: CivilDate(year: 2026, month: 11, day: 1)!,
                                  on: Self.start.adding(days: 5), by: "jingban", today: Self.today)
        var h = try #require(try s.disasterHouse(id: id))
        // Paid before approval, verified by a clerk, a stage skipped: refused.
        #expect(throws: StoreError.self) { try s.payHouseInstalment(id: id, amount: Money(yuan: 1), on: Self.start.adding(days: 6), by: "jingban", today: Self.today) }
        #expect(throws: StoreError.self) { try s.advanceHouse(id: id, version: h.version, to: .verified, on: Self.start.adding(days: 6), by: "jingban", today: Self.today) }
        #expect(throws: StoreError.self) { try s.advanceHouse(id: id, version: h.version, to: .approved, on: Self.start.adding(days: 6), by: "shenpi", today: Self.today) }
        try s.advanceHouse(id: id, version: h.version, to: .verified, on: Self.start.adding(days: 6), by: "shenhe", today: Self.today)
        h = try #require(try s.disasterHouse(id: id))
        // Dated before the stage before it: refused.
        #expect(throws: StoreError.self) { try s.advanceHouse(id: id, version: h.version, to: .approved, on: Self.start.adding(days: 5), by: "shenpi", today: Self.today) }
        try s.advanceHouse(id: id, version: h.version, to: .approved, on: Self.start.adding(days: 8), by: "shenpi", today: Self.today)
        try s.payHouseInstalment(id: id, amount: Money(yuan: 12_000), on: Self.start.adding(days: 9), by: "jingban", today: Self.today)
        #expect(throws: StoreError.self) { try s.payHouseInstalment(id: id, amount: Money(yuan: 8_001), on: Self.start.adding(days: 9), by: "jingban", today: Self.today) }
        h = try #require(try s.disasterHouse(id: id))
        #expect(h.paid == Money(yuan: 12_000) && h.instalments == 1)
        #expect(try s.housesNotMovedIn(today: Self.today).map(\.id) == [id])
        #expect(h.overdue(on: Self.today))
        for (k, st) in [HouseStage.started, .structureDone, .accepted, .movedIn].enumerated() {
            h = try #require(try s.disasterHouse(id: id))
            try s.advanceHouse(id: id, version: h.version, to: st, on: Self.start.adding(days: 20 + 10 * k), by: "jingban", today: Self.today)
        }
        #expect(try s.housesNotMovedIn(today: Self.today).isEmpty)
    }

    /// The disaster rows equal the sums of their records for any period.
    @Test(arguments: [(7, 1, 7, 31), (7, 1, 11, 23), (7, 12, 7, 12), (8, 1, 11, 23), (1, 1, 6, 30)])
    func theYearTableDisasterRowsAreTheSumsOfTheirRecords(_ m1: Int, _ d1: Int, _ m2: Int, _ d2: Int) throws {
        let (s, e, victims) = try Self.flood(ledger: 6)
        let from = CivilDate(year: 2026, month: m1, day: d1)!, until = CivilDate(year: 2026, month: m2, day: d2)!
        try s.receiveGoods(item: "rice", quantity: 500, on: Self.start.adding(days: 1), source: "县应急管理局", eventId: e, by: "jingban", today: Self.today)
        var expected = DisasterYearFigures()
        if Self.start >= from && Self.start <= until { expected.events = 1 }
        expected.goodsReceived = Self.start.adding(days: 1) >= from && Self.start.adding(days: 1) <= until ? ["rice": 500] : [:]
        for (i, v) in victims.enumerated() {
            let on = Self.start.adding(days: 2 + i * 9)
            let period: ReliefPeriod = v.damage == .general ? .winter : .transition
            let cid = try Self.decided(s, NewReliefGrant(victimId: v.id, period: period, days: 10 + i, needs: [.food], goods: ["rice": 10 + i], on: on))
            let amount = try #require(try s.caseFile(id: cid, today: Self.today, catalog: Self.catalog)?.onceAmount)
            if on >= from && on <= until {
                expected.relief[period, default: .init()].households += 1
                expected.relief[period, default: .init()].persons += v.persons
                expected.relief[period, default: .init()].amount += amount
            }
            let cardOn = try Self.posted(s, on: on)
            let card = try s.issueReliefCard(victimId: v.id, period: period, on: cardOn, by: "jingban", catalog: Self.catalog, today: Self.today)
            let handed = cardOn.adding(days: 1)
            try s.distributeRelief(cardId: card, on: handed, cash: Money(yuan: 100), items: ["rice": 5], receiver: v.headName, by: "jingban", catalog: Self.catalog, today: Self.today)
            if handed >= from && handed <= until {
                expected.cashHanded += Money(yuan: 100); expected.distributions += 1
                expected.goodsIssued["rice", default: 0] += 5
            }
        }
        let collapsed = victims.first { $0.damage == .collapsed }!
        let hid = try s.applyHouse(victimId: collapsed.id, kind: .rebuild, subsidy: Money(yuan: 20_000), dueOn: Self.today, on: Self.start.adding(days: 3), by: "jingban", today: Self.today)
        let days: [(HouseStage, Int, String)] = [(.verified, 5, "shenhe"), (.approved, 10, "shenpi"), (.started, 20, "jingban"), (.structureDone, 40, "jingban"),
                                                 (.accepted, 60, "jingban"), (.movedIn, 80, "jingban")]
        for (st, d, who) in days {
            let h = try #require(try s.disasterHouse(id: hid))
            let on = Self.start.adding(days: d)
            try s.advanceHouse(id: hid, version: h.version, to: st, on: on, by: who, today: Self.today)
            let inside = on >= from && on <= until
            if st == .approved && inside { expected.housesApproved += 1 }
            if st == .accepted && inside { expected.housesAccepted += 1 }
            if st == .movedIn && inside { expected.housesMovedIn += 1 }
            if st == .approved || st == .accepted {
                try s.payHouseInstalment(id: hid, amount: Money(yuan: 10_000), on: on, by: "jingban", today: Self.today)
                if inside { expected.housePaid += Money(yuan: 10_000) }
            }
        }
        let got = try s.disasterYearFigures(from: from, until: until, catalog: Self.catalog)
        #expect(got == expected)
    }
}

/// Display width for the print checks (a CJK character takes two columns).
enum TextWidthProbe {
    static func width(_ s: Substring) -> Int { s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && $1.value != 0x2500 && !(0x2500...0x257F).contains($1.value) ? 2 : 1) } }
}
