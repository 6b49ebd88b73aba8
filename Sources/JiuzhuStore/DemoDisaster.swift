import Foundation
import GRDB
import JiuzhuDemo
import JiuzhuModel

extension Store {
    /// The demo's disaster work (issue 24), made through the same store calls as the screen:
    /// the flood the demo's 受灾救助 cases belong to, registered with its 初报, 续报 and 核报; its
    /// ledger (the households of those cases, village by village, checked); goods received from
    /// the county and donors; 过渡期 and a season of 冬春救助 granted, decided by the reviewer,
    /// posted per village (审批公示, one posting still up), carded and handed out (some in full, some in part); a stock-take; and a dozen houses rebuilt or
    /// repaired at every stage from the application to 入住, their subsidies paid in instalments.
    public func loadDemoDisaster(catalog: ProgrammeCatalog, today: CivilDate, clerk: String = "jingban", reviewer: String = "shenhe",
                                 approver: String = "shenpi") throws {
        // The flood as the demo's cases recorded it: name, day, villages, households.
        let rows = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.household_id, c.village_code, c.covered_members, h.member_count,
                       json_extract(r.inputs, '$.event') AS event, json_extract(r.inputs, '$.eventDate') AS day,
                       (SELECT json_extract(a.inputs, '$.houseDamage') FROM case_step a WHERE a.case_id = c.id AND a.step = 'assessment' AND a.action IN ('approve', 'done')) AS damage
                FROM assistance_case c JOIN household h ON h.id = c.household_id
                JOIN case_step r ON r.case_id = c.id AND r.step = 'register'
                WHERE c.programme = 'disaster' AND c.status NOT IN ('rejected', 'withdrawn') AND h.merged_into IS NULL
                ORDER BY c.village_code, c.household_id
                """)
        }
        guard let first = rows.first, let start = (first["day"] as String?).flatMap(CivilDate.init(iso:)) ?? Optional(today.adding(days: -90)) else { return }
        let name: String = first["event"] ?? DemoDisasterTexts.defaultName
        var villages: [String] = []
        for r in rows where !villages.contains(r["village_code"]) { villages.append(r["village_code"]) }
        let event = try addDisasterEvent(kind: "flood", name: name, startedOn: start, endedOn: nil, villages: villages, by: clerk, today: today)

        // The ledger: each household once, about forty.
        var seen = Set<Int64>()
        var victims: [(id: Int64, household: Int64, damage: HouseDamage, persons: Int)] = []
        for (i, r) in rows.enumerated() where victims.count < 40 {
            let hid: Int64 = r["household_id"]
            guard seen.insert(hid).inserted else { continue }
            let members: Int = r["member_count"]
            let persons = max(1, min(members, (r["covered_members"] as Int?) ?? members))
            let damage = HouseDamage(rawValue: DemoDisasterTexts.damage[(r["damage"] as String?) ?? ""] ?? "general") ?? .general
            let rooms = damage == .none ? 0 : damage == .collapsed ? 2 + i % 3 : 1 + i % 2
            let needs: String
            switch damage {
            case .collapsed: needs = DemoDisasterTexts.needsCollapsed
            case .severe: needs = DemoDisasterTexts.needsSevere
            case .general: needs = DemoDisasterTexts.needsGeneral
            case .none: needs = DemoDisasterTexts.needsNone
            }
            let id = try addDisasterVictim(eventId: event, householdId: hid,
                                           VictimEntry(persons: persons, damage: damage, rooms: rooms, relocated: damage == .collapsed,
                                                       needRelief: damage == .collapsed || damage == .severe, needs: needs),
                                           on: start.adding(days: 1 + i % 4), by: clerk, today: today)
            victims.append((id, hid, damage, persons))
        }
        // Every village checked a week after the flood.
        for v in villages { _ = try? checkDisasterVillage(eventId: event, villageCode: v, on: start.adding(days: 7), by: reviewer, today: today) }

        // 初报 the day of the flood (a first estimate), 续报 three days on, 核报 from the checked ledger.
        let ledger = try ledgerTotals(eventId: event)
        func scaled(_ f: DisasterFigures, _ pct: Int) -> DisasterFigures {
            var g = f
            for (_, path) in DisasterFigures.countFields { g[keyPath: path] = g[keyPath: path] * pct / 100 }
            g.collapsedRooms = max(g.collapsedRooms, g.collapsedHouseholds); g.severeRooms = max(g.severeRooms, g.severeHouseholds)
            g.generalRooms = max(g.generalRooms, g.generalHouseholds)
            g.relocated = min(g.relocated, g.affected); g.needRelief = min(g.needRelief, g.affected)
            return g
        }
        var final = ledger
        final.cropArea = 4_250
        final.loss = Money(yuan: 3_860_000)
        var initial = scaled(final, 130); initial.cropArea = 6_000; initial.loss = Money(yuan: 5_000_000)
        var update = scaled(final, 110); update.cropArea = 4_800; update.loss = Money(yuan: 4_200_000)
        try addDisasterReport(eventId: event, stage: .initial, on: start, figures: initial, by: clerk, today: today)
        try addDisasterReport(eventId: event, stage: .update, on: start.adding(days: 3), figures: update, by: clerk, today: today)
        try addDisasterReport(eventId: event, stage: .final, on: start.adding(days: 20), figures: final, by: clerk, today: today)

        // Goods from the county and donors.
        let received = start.adding(days: 2)
        try receiveGoods(item: "rice", quantity: 3_000, on: received, source: DemoDisasterTexts.county, eventId: event, by: clerk, today: today)
        try receiveGoods(item: "quilt", quantity: 120, on: received, source: DemoDisasterTexts.county, eventId: event, by: clerk, today: today)
        try receiveGoods(item: "tent", quantity: 20, on: received, source: DemoDisasterTexts.county, eventId: event, by: clerk, today: today)
        try receiveGoods(item: "padded_coat", quantity: 80, on: start.adding(days: 10), source: DemoDisasterTexts.redCross, eventId: event, by: clerk, today: today)
        try receiveGoods(item: "coal", quantity: 4_000, on: today.adding(days: -30), source: DemoDisasterTexts.donor, eventId: event, by: clerk, today: today)

        // The decided grants posted village by village (审批公示 through 张榜公示, the same calls as
        // menu 4) on `day`; the posting closed when its window has run by today, moving them on
        // to their cards. Only these grants go on it. Returns the day the posting closed, if it did.
        func post(_ cases: [Int64], on day: CivilDate) throws -> CivilDate? {
            var closedOn: CivilDate?
            let byVillage = try read { db in
                try Row.fetchAll(db, sql: "SELECT id, village_code FROM assistance_case WHERE id IN (\(cases.map(String.init).joined(separator: ",")))")
                    .map { (id: $0["id"] as Int64, village: $0["village_code"] as String) }
            }
            for village in Array(Set(byVillage.map(\.village))).sorted() {
                let mine = Set(byVillage.filter { $0.village == village }.map(\.id))
                let bid = try createBatch(NewBatch(kind: .approval, programme: .disaster, scopeCode: village, postedFrom: day), by: clerk, today: day, catalog: catalog)
                for other in try read({ db in try Int64.fetchAll(db, sql: "SELECT case_id FROM publicity_line WHERE batch_id = ?", arguments: [bid]) })
                where !mine.contains(other) {
                    try setLine(batchId: bid, caseId: other, included: false, by: clerk)
                }
                guard let b = try batch(id: bid) else { continue }
                let posted = try postBatch(bid, version: b.version, by: clerk, today: day, catalog: catalog)
                guard posted.postedUntil <= today else { continue }
                _ = try closeBatch(bid, version: posted.version, by: clerk, today: posted.postedUntil, catalog: catalog)
                closedOn = posted.postedUntil
            }
            return closedOn
        }

        // 过渡期生活救助 for the households whose house fell or is badly damaged: 60 days, with rice
        // and quilts, decided, posted, carded and handed out in full.
        let transitionOn = start.adding(days: 10)
        var transition: [(victim: Int64, household: Int64, caseId: Int64)] = []
        for v in victims where v.damage == .collapsed || v.damage == .severe {
            guard transitionOn.adding(days: 25) <= today else { break }
            let cid = try grantRelief(NewReliefGrant(victimId: v.id, period: .transition, days: 60, goods: ["rice": 20 * v.persons, "quilt": 2], on: transitionOn),
                                      by: clerk, catalog: catalog, today: today)
            let version = try read { db in try Int.fetchOne(db, sql: "SELECT version FROM assistance_case WHERE id = ?", arguments: [cid]) } ?? 1
            _ = try act(caseId: cid, version: version, request: CaseRequest(action: .approve, actor: reviewer, role: .reviewer, date: transitionOn.adding(days: 2),
                                                                             inputs: ["lossLevel": DemoDisasterTexts.level(v.damage.rawValue)]), catalog: catalog)
            transition.append((v.id, v.household, cid))
        }
        if !transition.isEmpty, let closed = try post(transition.map(\.caseId), on: transitionOn.adding(days: 3)) {
            for t in transition {
                let card = try issueReliefCard(victimId: t.victim, period: .transition, on: closed, by: clerk, catalog: catalog, today: today)
                guard let c = try reliefCard(id: card) else { continue }
                let head = try read { db in try String.fetchOne(db, sql: "SELECT head_name FROM household WHERE id = ?", arguments: [t.household]) } ?? ""
                try distributeRelief(cardId: card, on: closed.adding(days: 1), cash: c.cash, items: c.items, receiver: head, by: clerk, catalog: catalog, today: today)
            }
        }

        // 冬春救助: a season's grants to the households in need, decided by the reviewer, posted in
        // their villages, carded and handed out; a few decided since are on a posting still up
        // (公示中, menu 4), and a few wait for the reviewer.
        let winterOn = today.adding(days: -25)
        if winterOn >= start {
            var decided: [(k: Int, victim: Int64, household: Int64, caseId: Int64)] = []
            var late: [Int64] = []
            for (k, v) in victims.enumerated() where k % 3 != 2 {
                let needs: [WinterNeed] = v.damage == .collapsed || v.damage == .severe ? [.food, .clothing, .heating] : [.food]
                let goods = v.damage == .collapsed ? ["rice": 25 * v.persons, "quilt": 2, "coal": 200] : ["rice": 15 * v.persons]
                let cid = try grantRelief(NewReliefGrant(victimId: v.id, period: .winter, needs: needs, goods: goods, on: winterOn), by: clerk, catalog: catalog, today: today)
                if k % 7 == 6 { continue }                 // waiting for the reviewer
                let version = try read { db in try Int.fetchOne(db, sql: "SELECT version FROM assistance_case WHERE id = ?", arguments: [cid]) } ?? 1
                let level = DemoDisasterTexts.level(v.damage.rawValue)
                // Most decided two days on; some only lately, and posted today.
                let lately = k % 5 == 4
                _ = try act(caseId: cid, version: version, request: CaseRequest(action: .approve, actor: reviewer, role: .reviewer,
                                                                                 date: lately ? today.adding(days: -2) : winterOn.adding(days: 2),
                                                                                 inputs: ["lossLevel": level]), catalog: catalog)
                if lately { late.append(cid) } else { decided.append((k, v.id, v.household, cid)) }
            }
            if !decided.isEmpty, let closed = try post(decided.map(\.caseId), on: winterOn.adding(days: 3)) {
                for d in decided {
                    let card = try issueReliefCard(victimId: d.victim, period: .winter, on: closed, by: clerk, catalog: catalog, today: today)
                    guard let c = try reliefCard(id: card) else { continue }
                    let head = try read { db in try String.fetchOne(db, sql: "SELECT head_name FROM household WHERE id = ?", arguments: [d.household]) } ?? ""
                    // Most handed out in full; some half so far.
                    let half = d.k % 4 == 1
                    var items: [String: Int] = [:]
                    for (item, q) in c.items { items[item] = half ? q / 2 : q }
                    items = items.filter { $0.value > 0 }
                    let cash = half ? Money(fen: c.cash.fen / 2) : c.cash
                    try distributeRelief(cardId: card, on: closed.adding(days: 2), cash: cash, items: items, receiver: head, by: clerk, catalog: catalog, today: today)
                }
            }
            if !late.isEmpty { _ = try post(late, on: today) }
        }
        // A stock-take finds rice short.
        if let rice = try goodsStock().first(where: { $0.item == "rice" }) {
            try stockTake(item: "rice", counted: rice.onHand - 20, on: today.adding(days: -5), reason: DemoDisasterTexts.stockTakeReason, by: clerk, today: today)
        }

        // A dozen houses at every stage: rebuilt (collapsed) or repaired (badly or slightly damaged).
        let candidates = victims.filter { $0.damage == .collapsed } + victims.filter { $0.damage == .severe } + victims.filter { $0.damage == .general }
        let stages = HouseStage.allCases
        for (k, v) in candidates.prefix(12).enumerated() {
            let kind: DisasterHouse.Kind = v.damage == .collapsed ? .rebuild : .repair
            let subsidy = Money(yuan: kind == .rebuild ? 25_000 : 6_000)
            let applied = start.adding(days: 5 + k)
            // The family is to be in by spring; a few houses fall behind their day.
            let due = k % 5 == 3 ? applied.adding(days: 60) : today.adding(days: 100)
            let id = try applyHouse(victimId: v.id, kind: kind, subsidy: subsidy, dueOn: due, on: applied, by: clerk, today: today)
            let reach = stages[k % stages.count]
            var day = applied
            for st in stages.dropFirst() {
                guard stages.firstIndex(of: st)! <= stages.firstIndex(of: reach)! else { break }
                day = day.adding(days: st == .verified ? 3 : st == .approved ? 5 : 12)
                if day > today { break }
                let version = try read { db in try Int.fetchOne(db, sql: "SELECT version FROM disaster_house WHERE id = ?", arguments: [id]) } ?? 1
                let who = st == .verified ? reviewer : st == .approved ? approver : clerk
                try advanceHouse(id: id, version: version, to: st, on: day, by: who, today: today)
                // The subsidy in instalments: 40% on approval, 30% when the structure is up, the rest on acceptance.
                switch st {
                case .approved: _ = try payHouseInstalment(id: id, amount: Money(fen: subsidy.fen * 40 / 100), on: day, by: clerk, today: today)
                case .structureDone: _ = try payHouseInstalment(id: id, amount: Money(fen: subsidy.fen * 30 / 100), on: day, by: clerk, today: today)
                case .accepted: _ = try payHouseInstalment(id: id, amount: Money(fen: subsidy.fen - subsidy.fen * 70 / 100), on: day, by: clerk, today: today)
                default: break
                }
            }
        }
    }
}
