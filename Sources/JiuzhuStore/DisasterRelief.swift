import Foundation
import GRDB
import JiuzhuModel

// Relief to the households on a ledger (严格按照灾民台帐，凭救济卡发放): a grant is a 受灾救助
// case through the programme's own steps (灾民登记 → 核灾定级, the decision → 审批公示, the
// village posting of 张榜公示 with its window and objections (《自然灾害救助条例》第二十一条:
// 救助对象 … 在村公示) → 发放救济卡 → 钱物发放); its amount is worked out from the grant (Eligibility.disaster). A card per
// household per event (应急期 and 过渡期) or per winter-spring season holds what its approved
// grants entitle; every distribution is written against a card, never beyond what is left on
// it, and goods leave the stock only through a distribution (never below zero).

/// A relief grant as asked for.
public struct NewReliefGrant: Equatable, Sendable {
    public var victimId: Int64
    public var period: ReliefPeriod
    /// nil: every person on the ledger line.
    public var persons: Int?
    public var days: Int
    public var needs: [WinterNeed]
    /// Goods to hand out with it, by item code.
    public var goods: [String: Int]
    /// 冬春: the season ("2026-2027"); nil takes the one the date is in.
    public var season: String?
    public var on: CivilDate
    public init(victimId: Int64, period: ReliefPeriod, persons: Int? = nil, days: Int = 0, needs: [WinterNeed] = [], goods: [String: Int] = [:],
                season: String? = nil, on: CivilDate) {
        self.victimId = victimId; self.period = period; self.persons = persons; self.days = days; self.needs = needs
        self.goods = goods; self.season = season; self.on = on
    }
    /// The winter-spring season a date falls in: from July, this winter and next spring.
    public static func season(of d: CivilDate) -> String { d.month >= 7 ? "\(d.year)-\(d.year + 1)" : "\(d.year - 1)-\(d.year)" }
}

/// A grant on the ledger with its case as it stands.
public struct ReliefGrant: Equatable, Sendable {
    public var caseId: Int64
    public var victimId: Int64
    public var headName: String
    public var villageName: String
    public var period: ReliefPeriod
    public var season: String
    public var persons: Int
    public var days: Int
    public var needs: [WinterNeed]
    public var goods: [String: Int]
    public var grantedOn: CivilDate
    public var step: String
    public var status: CaseStatus
    public var amount: Money?
    public var cardId: Int64?
}

/// A relief card (救济卡) with what it entitles and what has been handed out on it.
public struct ReliefCard: Equatable, Sendable {
    public struct Distribution: Equatable, Sendable {
        public var id: Int64
        public var handedOn: CivilDate
        public var cash: Money
        public var items: [String: Int]
        public var receiver: String
        public var issuedBy: String
        public var note: String
    }
    public var id: Int64
    public var number: String
    public var eventId: Int64
    public var eventName: String
    public var victimId: Int64
    public var householdId: Int64
    public var headName: String
    public var headId: String
    public var villageName: String
    public var persons: Int
    public var scope: String
    public var season: String
    public var issuedOn: CivilDate
    public var issuedBy: String
    public var cash: Money
    public var items: [String: Int]
    public var distributions: [Distribution]
    public var cashGiven: Money { Money(fen: distributions.reduce(0) { $0 + $1.cash.fen }) }
    public func given(_ item: String) -> Int { distributions.reduce(0) { $0 + ($1.items[item] ?? 0) } }
    public var cashLeft: Money { cash - cashGiven }
    public func left(_ item: String) -> Int { (items[item] ?? 0) - given(item) }
    public var fullyHandedOut: Bool { cashLeft.fen <= 0 && items.keys.allSatisfy { left($0) <= 0 } }
}

/// One relief item's stock.
public struct GoodsStock: Equatable, Sendable {
    public var item: String
    public var label: Text2
    public var unit: Text2
    public var received: Int
    public var issued: Int
    public var counted: Int
    public var onHand: Int
}

public struct GoodsMovement: Equatable, Sendable {
    public var id: Int64
    public var item: String
    public var movement: String
    public var quantity: Int
    public var on: CivilDate
    public var source: String
    public var reason: String
    public var counted: Int?
    public var distributionId: Int64?
    public var recordedBy: String
}

extension RefCode {
    /// A relief item's unit in `lang` (data/relief_items.csv `unit`, `unit_en`).
    public func unit(_ lang: Lang) -> String {
        let parts = extra.split(separator: "|", maxSplits: 1).map(String.init)
        return lang == .en && parts.count > 1 ? parts[1] : parts.first ?? ""
    }
}

extension Store {
    // MARK: grants

    /// What the rules work a disaster case out from: its grant, the ledger line and the rates in
    /// force on the date; nil for a case that has no grant.
    static func reliefGrantFacts(_ db: Database, caseId: Int64, on date: CivilDate) throws -> ReliefGrantFacts? {
        guard let g = try Row.fetchOne(db, sql: """
            SELECT g.*, e.name AS event_name, v.damage FROM disaster_grant g JOIN disaster_event e ON e.id = g.event_id
            JOIN disaster_victim v ON v.id = g.victim_id WHERE g.case_id = ?
            """, arguments: [caseId]) else { return nil }
        let period = ReliefPeriod(rawValue: g["period"]) ?? .transition
        let needs = (g["needs"] as String).split(separator: ",").compactMap { WinterNeed(rawValue: String($0)) }
        var daily: Money?
        var winter: [WinterNeed: Money] = [:]
        if period == .winter {
            for n in WinterNeed.allCases {
                if let s = try ReferenceData.standardInForce(db, programme: Programme.disaster.rawValue, area: n.area, on: date) { winter[n] = s.amount }
            }
        } else {
            daily = try ReferenceData.standardInForce(db, programme: Programme.disaster.rawValue, area: period.rawValue, on: date)?.amount
        }
        return ReliefGrantFacts(period: period, persons: g["persons"], days: g["days"], needs: needs, daily: daily, winter: winter,
                                eventName: g["event_name"], damage: HouseDamage(rawValue: g["damage"]) ?? .none)
    }

    /// A grant to a household on the ledger: a 受灾救助 case registered (灾民登记 done) and
    /// waiting for 核灾定级, with the grant's period, persons, days, needs and goods. One grant
    /// per household, period and season while an earlier one is not refused or withdrawn.
    @discardableResult
    public func grantRelief(_ g: NewReliefGrant, by user: String, catalog: ProgrammeCatalog, today: CivilDate = .today) throws -> Int64 {
        try write { db in try Store.grantRelief(db, g, by: user, catalog: catalog, today: today) }
    }

    static func grantRelief(_ db: Database, _ g: NewReliefGrant, by user: String, catalog: ProgrammeCatalog, today: CivilDate) throws -> Int64 {
        try Store.authorize(db, user, .takeApplications)
        guard let v = try Store.victim(db, g.victimId) else { throw StoreError.said("disaster.err.noVictim", ["id": String(g.victimId)]) }
        let e = try Store.mustEvent(db, v.eventId)
        if g.on < e.startedOn || g.on > today { throw StoreError.said("disaster.err.reportDate", ["date": g.on.iso, "start": e.startedOn.iso]) }
        let persons = g.persons ?? v.persons
        if persons < 1 || persons > v.persons {
            throw StoreError.said("disaster.err.grantPersons", ["persons": String(persons), "ledger": String(v.persons)])
        }
        var days = g.days
        var needs = g.needs
        switch g.period {
        case .emergency:
            if !(v.relocated || v.needRelief) { throw StoreError.said("disaster.err.emergencyNotNeeded", ["head": v.headName]) }
            if days < 1 || days > 366 { throw StoreError.said("disaster.err.days") }
            needs = []
        case .transition:
            // 过渡期生活救助: for those whose house collapsed or is badly damaged (无房可住).
            if v.damage != .collapsed && v.damage != .severe { throw StoreError.said("disaster.err.transitionNotNeeded", ["head": v.headName]) }
            if days < 1 || days > 366 { throw StoreError.said("disaster.err.days") }
            needs = []
        case .winter:
            if needs.isEmpty { throw StoreError.said("disaster.rule.noNeeds") }
            days = 0
        }
        let season = g.period == .winter ? (g.season ?? NewReliefGrant.season(of: g.on)) : ""
        for (item, qty) in g.goods {
            if try ReferenceData.code(db, kind: .reliefItem, code: item) == nil { throw StoreError.said("disaster.err.badItem", ["item": item]) }
            if qty < 1 { throw StoreError.said("disaster.err.quantity", ["item": item]) }
        }
        if let other = try Int64.fetchOne(db, sql: """
            SELECT g.case_id FROM disaster_grant g JOIN assistance_case c ON c.id = g.case_id
            WHERE g.victim_id = ? AND g.period = ? AND g.season = ? AND c.status NOT IN ('rejected', 'withdrawn')
            """, arguments: [v.id, g.period.rawValue, season]) {
            throw StoreError.said("disaster.err.grantTwice", ["head": v.headName, "case": String(other),
                                                               "period_zh": g.period.label.zh, "period_en": g.period.label.en])
        }
        let def = catalog.definition(.disaster)
        guard def.steps.count >= 2 else { throw StoreError.said("disaster.err.noEvent", ["id": "?"]) }
        let register = def.steps[0].code, next = def.steps[1].code
        let inputs = Workflow.json(["event": e.name, "eventId": e.id, "affectedPersons": persons, "period": g.period.rawValue])
        let c = Case(householdId: v.householdId, programme: .disaster, step: next, stepSince: g.on, appliedOn: g.on, coveredMembers: persons)
        let now = Timestamp.now()
        let cid = try Store.insertCase(db, c, steps: [CaseStepRecord(caseId: 0, step: register, action: "done", actor: user, actedOn: g.on,
                                                                     note: "", inputs: inputs)], villageCode: v.villageCode, now: now)
        try db.execute(sql: """
            INSERT INTO disaster_grant(case_id, event_id, victim_id, period, season, persons, days, needs, granted_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [cid, e.id, v.id, g.period.rawValue, season, persons, days, needs.map(\.rawValue).joined(separator: ","), g.on.iso])
        for (item, qty) in g.goods.sorted(by: { $0.key < $1.key }) {
            try db.execute(sql: "INSERT INTO disaster_grant_item(case_id, item, quantity) VALUES (?, ?, ?)", arguments: [cid, item, qty])
        }
        try Store.refreshHouseholdSummary(db, v.householdId)
        try Audit.append(db, user: user, action: "case.apply", entity: "case", entityId: String(cid),
                         detail: Audit.detail(["household": String(v.householdId), "programme": Programme.disaster.rawValue, "event": String(e.id),
                                               "period": g.period.rawValue, "persons": String(persons), "days": String(days),
                                               "goods": g.goods.sorted(by: { $0.key < $1.key }).map { "\($0.key)×\($0.value)" }.joined(separator: ",")]))
        return cid
    }

    static let grantSQL = """
        SELECT g.*, c.step, c.status, c.once_amount_fen, h.head_name, COALESCE(r.name, v.village_code) AS village_name,
               (SELECT group_concat(item || ':' || quantity) FROM disaster_grant_item i WHERE i.case_id = g.case_id) AS goods
        FROM disaster_grant g JOIN assistance_case c ON c.id = g.case_id JOIN disaster_victim v ON v.id = g.victim_id
        JOIN household h ON h.id = v.household_id LEFT JOIN region r ON r.code = v.village_code
        """

    static func items(_ text: String?) -> [String: Int] {
        var out: [String: Int] = [:]
        for p in (text ?? "").split(separator: ",") {
            let kv = p.split(separator: ":")
            if kv.count == 2, let q = Int(kv[1]) { out[String(kv[0]), default: 0] += q }
        }
        return out
    }

    static func grant(from r: Row) -> ReliefGrant {
        ReliefGrant(caseId: r["case_id"], victimId: r["victim_id"], headName: r["head_name"], villageName: r["village_name"],
                    period: ReliefPeriod(rawValue: r["period"]) ?? .transition, season: r["season"], persons: r["persons"], days: r["days"],
                    needs: (r["needs"] as String).split(separator: ",").compactMap { WinterNeed(rawValue: String($0)) },
                    goods: items(r["goods"]), grantedOn: CivilDate(iso: r["granted_on"]) ?? .today, step: r["step"],
                    status: CaseStatus(rawValue: r["status"]) ?? .inProgress, amount: (r["once_amount_fen"] as Int64?).map(Money.init(fen:)),
                    cardId: r["card_id"])
    }

    /// An event's grants, village by village.
    public func reliefGrants(eventId: Int64) throws -> [ReliefGrant] {
        try read { db in
            try Row.fetchAll(db, sql: Store.grantSQL + " WHERE g.event_id = ? ORDER BY v.village_code, h.head_py, g.period, g.case_id", arguments: [eventId])
                .map(Store.grant(from:))
        }
    }

    // MARK: cards

    /// The card for a household's grants of `period`'s scope (the event's 应急/过渡, or the
    /// season's 冬春): made with the next number when there is none, then every approved grant
    /// of that scope still waiting for its card gets it (its 发放救济卡 step done with the number).
    @discardableResult
    public func issueReliefCard(victimId: Int64, period: ReliefPeriod, season: String? = nil, on date: CivilDate, by user: String,
                                catalog: ProgrammeCatalog, today: CivilDate = .today) throws -> Int64 {
        try write { db in try Store.issueReliefCard(db, victimId: victimId, period: period, season: season, on: date, by: user, catalog: catalog, today: today) }
    }

    static func issueReliefCard(_ db: Database, victimId: Int64, period: ReliefPeriod, season: String?, on date: CivilDate, by user: String,
                                catalog: ProgrammeCatalog, today: CivilDate) throws -> Int64 {
        let actor = try Store.authorize(db, user, .disasterWork)
        guard let v = try Store.victim(db, victimId) else { throw StoreError.said("disaster.err.noVictim", ["id": String(victimId)]) }
        if date > today { throw StoreError.said("disaster.err.future", ["date": date.iso]) }
        let scope = period.cardScope
        let periods = scope == "winter" ? ["winter"] : ["emergency", "transition"]
        let def = catalog.definition(.disaster)
        // The step that records the card number (发放救济卡): after the decision and its posting.
        guard let cardStep = def.steps.first(where: { $0.stepInputs.contains { $0.id == "cardNo" } })?.code else {
            throw StoreError.said("disaster.err.noEvent", ["id": "?"])
        }
        let seasonText = scope == "winter" ? (season ?? NewReliefGrant.season(of: date)) : ""
        let waiting = try Row.fetchAll(db, sql: """
            SELECT g.case_id, c.version FROM disaster_grant g JOIN assistance_case c ON c.id = g.case_id
            WHERE g.victim_id = ? AND g.period IN (\(periods.map { _ in "?" }.joined(separator: ", "))) AND g.season = ?
              AND c.step = ? AND c.status = 'in_progress' ORDER BY g.case_id
            """, arguments: StatementArguments([victimId] + periods + [seasonText, cardStep] as [DatabaseValueConvertible]))
        if waiting.isEmpty {
            // Decided but still to be posted, or on a posting that has not closed: said as such.
            let posting = def.steps.filter(\.isPublicity).map(\.code)
            let atPosting = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM disaster_grant g JOIN assistance_case c ON c.id = g.case_id
                WHERE g.victim_id = ? AND g.period IN (\(periods.map { _ in "?" }.joined(separator: ", "))) AND g.season = ?
                  AND c.status = 'in_progress' AND c.step IN (\(posting.map { _ in "?" }.joined(separator: ", ")))
                """, arguments: StatementArguments([victimId] + periods + [seasonText] + posting as [DatabaseValueConvertible])) ?? 0
            if atPosting > 0 && !posting.isEmpty { throw StoreError.said("disaster.err.stillPosted", ["head": v.headName]) }
            throw StoreError.said("disaster.err.nothingApproved", ["head": v.headName])
        }
        var cardId = try Int64.fetchOne(db, sql: "SELECT id FROM disaster_card WHERE victim_id = ? AND scope = ? AND season = ?",
                                        arguments: [victimId, scope, seasonText])
        var number: String
        if let id = cardId {
            number = try String.fetchOne(db, sql: "SELECT number FROM disaster_card WHERE id = ?", arguments: [id]) ?? ""
        } else {
            number = try Store.nextReliefCard(db, on: date)
            try db.execute(sql: """
                INSERT INTO disaster_card(number, event_id, victim_id, scope, season, issued_on, issued_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [number, v.eventId, victimId, scope, seasonText, date.iso, user, Timestamp.now()])
            cardId = db.lastInsertedRowID
            try Audit.append(db, user: user, action: "relief_card.issue", entity: "disaster_card", entityId: String(cardId!),
                             detail: Audit.detail(["number": number, "victim": String(victimId), "scope": scope, "season": seasonText]))
        }
        let settings = try Store.workflowSettings(db, catalog: catalog)
        for w in waiting {
            let cid: Int64 = w["case_id"]
            try db.execute(sql: "UPDATE disaster_grant SET card_id = ? WHERE case_id = ?", arguments: [cardId, cid])
            _ = try Store.act(db, caseId: cid, version: nil, request: CaseRequest(action: .done, actor: user, role: actor.role, date: date,
                                                                                  inputs: ["cardNo": number]), settings: settings)
        }
        return cardId!
    }

    /// The next card number: JJK, the township's three digits (cards of a county's townships
    /// meet in the county's file, issue 25), the year, a five-digit counter per year.
    static func nextReliefCard(_ db: Database, on date: CivilDate) throws -> String {
        let name = "relief-card-\(date.year)"
        let n = (try Int.fetchOne(db, sql: "SELECT value FROM sequence WHERE name = ?", arguments: [name]) ?? 0) + 1
        try db.execute(sql: "INSERT INTO sequence(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value", arguments: [name, n])
        let township = String((try Store.setting(db, "office.township_code") ?? "000000000").dropFirst(6).prefix(3))
        return "JJK-\(township)-\(date.year)-" + String(format: "%05d", n)
    }

    static let cardSQL = """
        SELECT k.*, e.name AS event_name, v.household_id, v.persons, h.head_name, h.head_id, COALESCE(r.name, v.village_code) AS village_name
        FROM disaster_card k JOIN disaster_event e ON e.id = k.event_id JOIN disaster_victim v ON v.id = k.victim_id
        JOIN household h ON h.id = v.household_id LEFT JOIN region r ON r.code = v.village_code
        """

    static func reliefCard(_ db: Database, _ r: Row) throws -> ReliefCard {
        let id: Int64 = r["id"]
        // What the card entitles: its approved grants (a refused or withdrawn one entitles nothing).
        let cash = try Int64.fetchOne(db, sql: """
            SELECT COALESCE(SUM(c.once_amount_fen), 0) FROM disaster_grant g JOIN assistance_case c ON c.id = g.case_id
            WHERE g.card_id = ? AND c.status NOT IN ('rejected', 'withdrawn')
            """, arguments: [id]) ?? 0
        var items: [String: Int] = [:]
        for i in try Row.fetchAll(db, sql: """
            SELECT i.item, SUM(i.quantity) AS q FROM disaster_grant_item i JOIN disaster_grant g ON g.case_id = i.case_id
            JOIN assistance_case c ON c.id = g.case_id WHERE g.card_id = ? AND c.status NOT IN ('rejected', 'withdrawn') GROUP BY i.item
            """, arguments: [id]) { items[i["item"]] = i["q"] }
        let ds = try Row.fetchAll(db, sql: """
            SELECT d.*, (SELECT group_concat(item || ':' || quantity) FROM disaster_distribution_item i WHERE i.distribution_id = d.id) AS goods
            FROM disaster_distribution d WHERE d.card_id = ? ORDER BY d.handed_on, d.id
            """, arguments: [id]).map {
            ReliefCard.Distribution(id: $0["id"], handedOn: CivilDate(iso: $0["handed_on"]) ?? .today, cash: Money(fen: $0["cash_fen"]),
                                    items: Store.items($0["goods"]), receiver: $0["receiver"], issuedBy: $0["issued_by"], note: $0["note"])
        }
        return ReliefCard(id: id, number: r["number"], eventId: r["event_id"], eventName: r["event_name"], victimId: r["victim_id"],
                          householdId: r["household_id"], headName: r["head_name"], headId: r["head_id"], villageName: r["village_name"],
                          persons: r["persons"], scope: r["scope"], season: r["season"], issuedOn: CivilDate(iso: r["issued_on"]) ?? .today,
                          issuedBy: r["issued_by"], cash: Money(fen: cash), items: items, distributions: ds)
    }

    public func reliefCards(eventId: Int64) throws -> [ReliefCard] {
        try read { db in
            try Row.fetchAll(db, sql: Store.cardSQL + " WHERE k.event_id = ? ORDER BY k.number", arguments: [eventId]).map { try Store.reliefCard(db, $0) }
        }
    }

    public func reliefCard(id: Int64) throws -> ReliefCard? {
        try read { db in try Row.fetchOne(db, sql: Store.cardSQL + " WHERE k.id = ?", arguments: [id]).map { try Store.reliefCard(db, $0) } }
    }

    public func reliefCard(number: String) throws -> ReliefCard? {
        try read { db in try Row.fetchOne(db, sql: Store.cardSQL + " WHERE k.number = ?", arguments: [number]).map { try Store.reliefCard(db, $0) } }
    }

    // MARK: distributions

    /// Hand out cash and goods against a card: never more than is left on it, goods never beyond
    /// the stock (each item leaves the stock as an issue of this distribution). When the card is
    /// fully handed out its grants' 钱物发放 step is done.
    @discardableResult
    public func distributeRelief(cardId: Int64, on date: CivilDate, cash: Money, items: [String: Int], receiver: String, note: String = "",
                                 by user: String, catalog: ProgrammeCatalog, today: CivilDate = .today) throws -> Int64 {
        try write { db in
            try Store.distributeRelief(db, cardId: cardId, on: date, cash: cash, items: items, receiver: receiver, note: note, by: user,
                                       catalog: catalog, today: today)
        }
    }

    static func distributeRelief(_ db: Database, cardId: Int64, on date: CivilDate, cash: Money, items: [String: Int], receiver: String, note: String,
                                 by user: String, catalog: ProgrammeCatalog, today: CivilDate) throws -> Int64 {
        let actor = try Store.authorize(db, user, .disasterWork)
        guard let r = try Row.fetchOne(db, sql: Store.cardSQL + " WHERE k.id = ?", arguments: [cardId]) else {
            throw StoreError.said("disaster.err.noCard", ["id": String(cardId)])
        }
        let card = try Store.reliefCard(db, r)
        let who = receiver.trimmingCharacters(in: .whitespaces)
        try TextBounds.check(who, field: Store.fieldName("disaster.field.receiver"))
        try TextBounds.check(note, field: Store.fieldName("disaster.field.note"), max: 200, allowEmpty: true)
        if date < card.issuedOn || date > today { throw StoreError.said("disaster.err.handedDate", ["date": date.iso, "issued": card.issuedOn.iso]) }
        let goods = items.filter { $0.value != 0 }
        if cash.fen < 0 || goods.values.contains(where: { $0 < 0 }) { throw StoreError.said("disaster.err.negative", ["field_zh": "", "field_en": ""]) }
        if cash.fen == 0 && goods.isEmpty { throw StoreError.said("disaster.err.nothingHanded") }
        if cash > card.cashLeft {
            throw StoreError.said("disaster.err.beyondCash", ["card": card.number, "left": card.cashLeft.yuanString, "asked": cash.yuanString])
        }
        for (item, qty) in goods.sorted(by: { $0.key < $1.key }) {
            let label = try ReferenceData.code(db, kind: .reliefItem, code: item)
            let name = Text2(zh: label?.zh ?? item, en: label?.en ?? item)
            if qty > card.left(item) {
                throw StoreError.said("disaster.err.beyondItem", ["card": card.number, "item_zh": name.zh, "item_en": name.en,
                                                                  "left": String(max(0, card.left(item))), "asked": String(qty)])
            }
            let stock = try Store.stock(db, item)
            if qty > stock {
                throw StoreError.said("disaster.err.beyondStock", ["item_zh": name.zh, "item_en": name.en, "stock": String(stock), "asked": String(qty)])
            }
        }
        let now = Timestamp.now()
        try db.execute(sql: "INSERT INTO disaster_distribution(card_id, handed_on, cash_fen, receiver, issued_by, note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [cardId, date.iso, cash.fen, who, user, note, now])
        let did = db.lastInsertedRowID
        for (item, qty) in goods.sorted(by: { $0.key < $1.key }) {
            try db.execute(sql: "INSERT INTO disaster_distribution_item(distribution_id, item, quantity) VALUES (?, ?, ?)", arguments: [did, item, qty])
            try db.execute(sql: """
                INSERT INTO relief_goods(item, movement, quantity, moved_on, source, event_id, distribution_id, recorded_by, recorded_at)
                VALUES (?, 'issue', ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [item, -qty, date.iso, card.number, card.eventId, did, user, now])
        }
        try Audit.append(db, user: user, action: "relief.distribute", entity: "disaster_card", entityId: String(cardId),
                         detail: Audit.detail(["card": card.number, "on": date.iso, "cash": cash.yuanString, "receiver": who,
                                               "goods": goods.sorted(by: { $0.key < $1.key }).map { "\($0.key)×\($0.value)" }.joined(separator: ",")]))
        // Fully handed out: the grants' last step (钱物发放) is done.
        guard let after = try Row.fetchOne(db, sql: Store.cardSQL + " WHERE k.id = ?", arguments: [cardId]).map({ try Store.reliefCard(db, $0) }),
              after.fullyHandedOut else { return did }
        let def = catalog.definition(.disaster)
        let last = def.steps.last?.code ?? ""
        let settings = try Store.workflowSettings(db, catalog: catalog)
        let summary = after.items.keys.sorted().map { "\($0)×\(after.given($0))" }.joined(separator: ",")
        for cid in try Int64.fetchAll(db, sql: """
            SELECT g.case_id FROM disaster_grant g JOIN assistance_case c ON c.id = g.case_id WHERE g.card_id = ? AND c.step = ? AND c.status = 'in_progress'
            """, arguments: [cardId, last]) {
            _ = try Store.act(db, caseId: cid, version: nil, request: CaseRequest(action: .done, actor: user, role: actor.role, date: date,
                                                                                  inputs: ["goods": summary]), settings: settings)
        }
        return did
    }

    // MARK: goods

    static func stock(_ db: Database, _ item: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(quantity), 0) FROM relief_goods WHERE item = ?", arguments: [item]) ?? 0
    }

    static func mustItem(_ db: Database, _ item: String) throws -> RefCode {
        guard let c = try ReferenceData.code(db, kind: .reliefItem, code: item) else { throw StoreError.said("disaster.err.badItem", ["item": item]) }
        return c
    }

    /// Goods received from the county or a donor.
    @discardableResult
    public func receiveGoods(item: String, quantity: Int, on date: CivilDate, source: String, eventId: Int64? = nil,
                             by user: String, today: CivilDate = .today) throws -> Int64 {
        try write { db in
            try Store.authorize(db, user, .disasterWork)
            _ = try Store.mustItem(db, item)
            if quantity < 1 { throw StoreError.said("disaster.err.quantity", ["item": item]) }
            if date > today { throw StoreError.said("disaster.err.future", ["date": date.iso]) }
            let from = source.trimmingCharacters(in: .whitespaces)
            try TextBounds.check(from, field: Store.fieldName("disaster.field.source"), max: 60)
            if let e = eventId { _ = try Store.mustEvent(db, e) }
            try db.execute(sql: "INSERT INTO relief_goods(item, movement, quantity, moved_on, source, event_id, recorded_by, recorded_at) VALUES (?, 'receipt', ?, ?, ?, ?, ?, ?)",
                           arguments: [item, quantity, date.iso, from, eventId, user, Timestamp.now()])
            let id = db.lastInsertedRowID
            try Audit.append(db, user: user, action: "relief_goods.receive", entity: "relief_goods", entityId: String(id),
                             detail: Audit.detail(["item": item, "quantity": String(quantity), "source": from, "on": date.iso]))
            return id
        }
    }

    /// A stock-take: the quantity counted; a difference from the book is recorded with its reason.
    /// Returns the difference (counted − book).
    @discardableResult
    public func stockTake(item: String, counted: Int, on date: CivilDate, reason: String, by user: String, today: CivilDate = .today) throws -> Int {
        try write { db in
            try Store.authorize(db, user, .disasterWork)
            _ = try Store.mustItem(db, item)
            if counted < 0 { throw StoreError.said("disaster.err.quantity", ["item": item]) }
            if date > today { throw StoreError.said("disaster.err.future", ["date": date.iso]) }
            let book = try Store.stock(db, item)
            let diff = counted - book
            let why = reason.trimmingCharacters(in: .whitespaces)
            if diff != 0 && why.isEmpty { throw StoreError.said("disaster.err.stockTakeReason", ["book": String(book), "counted": String(counted)]) }
            try TextBounds.check(why, field: Store.fieldName("disaster.field.reason"), max: 200, allowEmpty: true)
            try db.execute(sql: """
                INSERT INTO relief_goods(item, movement, quantity, moved_on, counted, reason, recorded_by, recorded_at) VALUES (?, 'stocktake', ?, ?, ?, ?, ?, ?)
                """, arguments: [item, diff, date.iso, counted, why, user, Timestamp.now()])
            try Audit.append(db, user: user, action: "relief_goods.stocktake", entity: "relief_goods", entityId: String(db.lastInsertedRowID),
                             detail: Audit.detail(["item": item, "book": String(book), "counted": String(counted), "reason": why]))
            return diff
        }
    }

    /// Every relief item with its stock: received, issued, stock-take differences, on hand.
    public func goodsStock() throws -> [GoodsStock] {
        try read { db in
            var sums: [String: (Int, Int, Int)] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT item, movement, SUM(quantity) AS q FROM relief_goods GROUP BY item, movement") {
                var s = sums[r["item"], default: (0, 0, 0)]
                switch r["movement"] as String {
                case "receipt": s.0 = r["q"]
                case "issue": s.1 = -(r["q"] as Int)
                default: s.2 = r["q"]
                }
                sums[r["item"]] = s
            }
            return try ReferenceData.codes(db, kind: .reliefItem).map { c in
                let s = sums[c.code, default: (0, 0, 0)]
                return GoodsStock(item: c.code, label: Text2(zh: c.zh, en: c.en), unit: Text2(zh: c.unit(.zh), en: c.unit(.en)),
                                  received: s.0, issued: s.1, counted: s.2, onHand: s.0 - s.1 + s.2)
            }
        }
    }

    /// The movements of one item (or all), newest first.
    public func goodsMovements(item: String? = nil, limit: Int = 200) throws -> [GoodsMovement] {
        try read { db in
            let filter = item == nil ? "" : " WHERE item = ?"
            var args: [DatabaseValueConvertible] = item.map { [$0] } ?? []
            args.append(limit)
            return try Row.fetchAll(db, sql: "SELECT * FROM relief_goods\(filter) ORDER BY moved_on DESC, id DESC LIMIT ?", arguments: StatementArguments(args)).map {
                GoodsMovement(id: $0["id"], item: $0["item"], movement: $0["movement"], quantity: $0["quantity"], on: CivilDate(iso: $0["moved_on"]) ?? .today,
                              source: $0["source"], reason: $0["reason"], counted: $0["counted"], distributionId: $0["distribution_id"], recordedBy: $0["recorded_by"])
            }
        }
    }
}
