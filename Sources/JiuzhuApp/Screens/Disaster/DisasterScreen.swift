import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// 救灾 (issue 24): the disasters; Enter opens one on its pages — 台帐 (the victims' ledger),
/// 救助 (grants and their 核灾定级), 救济卡 (cards and distributions), 物资 (goods), 住房 (houses
/// rebuilt), 报告 (stage reports). Tab moves between pages. Every change goes through the store,
/// which checks it (the screen only spares a refusal).
public struct DisasterState: Equatable, Sendable {
    public enum Page: Int, CaseIterable, Sendable {
        case ledger, relief, cards, goods, houses, reports
        var key: String {
            switch self {
            case .ledger: return "disaster.ui.page.ledger"
            case .relief: return "disaster.ui.page.relief"
            case .cards: return "disaster.ui.page.cards"
            case .goods: return "disaster.ui.page.goods"
            case .houses: return "disaster.ui.page.houses"
            case .reports: return "disaster.ui.page.reports"
            }
        }
    }
    public var events: [DisasterEvent] = []
    public var kinds: [RefCode] = []
    public var items: [RefCode] = []
    public var villages: [Region] = []
    /// The open disaster; nil on the list of disasters.
    public var open: DisasterData?
    public var page: Page = .ledger
    public var selected = 0
    public var loading = true
    public var dialog: ActionDialog?
    public var pending: DisasterPending?
    /// Opened from the application form's 申请项目 = 受灾救助: the current disaster's ledger is
    /// opened (on the household the form named, if any) for the grant.
    public var grantFor: GrantEntry?
    public init() {}

    var rowCount: Int {
        guard let d = open else { return events.count }
        switch page {
        case .ledger: return d.victims.count
        case .relief: return d.grants.count
        case .cards: return d.cards.count
        case .goods: return d.stock.count
        case .houses: return d.houses.count
        case .reports: return d.reports.count
        }
    }
}

/// 受灾救助 asked for from the application form: the household it named, if any.
public struct GrantEntry: Equatable, Sendable {
    public var householdId: Int64?
    public init(householdId: Int64?) { self.householdId = householdId }
}

/// One disaster with everything its pages show.
public struct DisasterData: Equatable, Sendable {
    public var event: DisasterEvent
    public var villages: [String: String]
    public var reports: [DisasterReport]
    public var victims: [DisasterVictim]
    public var ledger: DisasterFigures
    public var grants: [ReliefGrant]
    public var cards: [ReliefCard]
    public var stock: [GoodsStock]
    public var houses: [DisasterHouse]
}

/// What the open box is for.
public enum DisasterPending: Equatable, Sendable {
    case newEvent, endEvent(eventId: Int64, version: Int), report, addVictim, check(village: String), grant(victimId: Int64), decide(caseId: Int64), card(victimId: Int64)
    case distribute(cardId: Int64), receive, stockTake(item: String), house, stage(houseId: Int64, version: Int, to: HouseStage), pay(houseId: Int64)
}

/// A change the screen asks the store for.
public enum DisasterChange: Equatable, Sendable {
    case newEvent(kind: String, name: String, start: CivilDate, villages: [String])
    case endEvent(eventId: Int64, version: Int, on: CivilDate)
    case report(eventId: Int64, stage: DisasterStage, on: CivilDate, figures: DisasterFigures)
    case addVictim(eventId: Int64, household: String, entry: Store.VictimEntry, on: CivilDate)
    case check(eventId: Int64, village: String, on: CivilDate)
    case grant(NewReliefGrant)
    case decide(caseId: Int64, level: String, on: CivilDate)
    case card(victimId: Int64, period: ReliefPeriod, on: CivilDate)
    case distribute(cardId: Int64, on: CivilDate, cash: Money, items: [String: Int], receiver: String)
    case receive(item: String, quantity: Int, on: CivilDate, source: String, eventId: Int64)
    case stockTake(item: String, counted: Int, on: CivilDate, reason: String)
    case house(victimId: Int64, kind: DisasterHouse.Kind, subsidy: Money, due: CivilDate, on: CivilDate)
    case stage(houseId: Int64, version: Int, to: HouseStage, on: CivilDate)
    case pay(houseId: Int64, amount: Money, on: CivilDate)
}

public enum DisasterScreen: ScreenModule {
    public static let id: ScreenID = "disaster"
    public static func keymapSection(_ d: DisasterState, _ s: AppState) -> ScreenID { d.dialog != nil ? .caseAction : id }

    public enum Effect: Equatable, Sendable {
        case list
        case load(Int64)
        case change(DisasterChange)
        case printReport(eventId: Int64, reportId: Int64)
        case printCards(eventId: Int64)
    }

    public enum Event: Sendable {
        case listed([DisasterEvent], kinds: [RefCode], items: [RefCode], villages: [Region])
        case loaded(DisasterData)
        case changed(String, eventId: Int64?)
        case printed([String])
        case refused(any Error)
    }

    public static func open(_ s: inout AppState, env: AppEnvironment) -> [JiuzhuApp.Effect]? {
        s.push(DisasterScreen.embed(DisasterState()))
        return [effect(.list)]
    }

    static func data(_ store: Store, _ id: Int64) throws -> DisasterData? {
        guard let e = try store.disasterEvent(id: id) else { return nil }
        var names: [String: String] = [:]
        for r in try store.villages() { names[r.code] = r.name }
        return DisasterData(event: e, villages: names, reports: try store.disasterReports(eventId: id), victims: try store.disasterVictims(eventId: id),
                            ledger: try store.ledgerTotals(eventId: id), grants: try store.reliefGrants(eventId: id), cards: try store.reliefCards(eventId: id),
                            stock: try store.goodsStock(), houses: try store.disasterHouses(eventId: id))
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        do {
            switch effect {
            case .list:
                return .listed(try cx.store.disasterEvents(), kinds: try cx.store.disasterKinds(), items: try cx.store.reliefItems(), villages: try cx.store.villages())
            case .load(let id):
                return try data(cx.store, id).map { .loaded($0) }
            case .printReport(let eid, let rid):
                guard let d = try data(cx.store, eid), let r = d.reports.first(where: { $0.id == rid }) else { return nil }
                let kind = try cx.store.disasterKinds().first { $0.code == d.event.kind }?.label(cx.env.lang) ?? d.event.kind
                let names = d.event.villages.map { d.villages[$0] ?? $0 }
                let text = DisasterPrint.stageReport(d.event, kind: kind, villages: names, report: r, ledger: d.ledger, township: cx.env.township, lang: cx.env.lang)
                let html = DisasterPrint.stageReportHTML(d.event, kind: kind, villages: names, report: r, ledger: d.ledger, township: cx.env.township, lang: cx.env.lang)
                let stem = try PrintsFolder.url(besides: cx.store.path).appendingPathComponent("disaster-\(eid)-\(r.stage.rawValue)-\(r.reportedOn.iso)").path
                try SurveyPrint.writePrivate(text, to: stem + ".txt")
                try SurveyPrint.writePrivate(html, to: stem + ".html")
                return .printed([stem + ".txt", stem + ".html"])
            case .printCards(let eid):
                guard let d = try data(cx.store, eid) else { return nil }
                let refs = try cx.store.reliefItems()
                let stem = try PrintsFolder.url(besides: cx.store.path).appendingPathComponent("relief-cards-\(eid)").path
                try SurveyPrint.writePrivate(DisasterPrint.cardsText(d.cards, refs: refs, township: cx.env.township, lang: cx.env.lang), to: stem + ".txt")
                try SurveyPrint.writePrivate(DisasterPrint.cardsHTML(d.cards, refs: refs, township: cx.env.township, lang: cx.env.lang), to: stem + ".html")
                return .printed([stem + ".txt", stem + ".html"])
            case .change(let c):
                guard let u = cx.user, let catalog = cx.env.catalog else { return nil }
                return .changed(try apply(c, cx.store, user: u.name, catalog: catalog, today: cx.env.today, lang: cx.env.lang), eventId: eventOf(c))
            }
        } catch { return .refused(error) }
    }

    static func eventOf(_ c: DisasterChange) -> Int64? {
        switch c {
        case .report(let e, _, _, _), .addVictim(let e, _, _, _), .check(let e, _, _), .receive(_, _, _, _, let e): return e
        default: return nil
        }
    }

    /// The change made through the store; what to tell the user.
    static func apply(_ c: DisasterChange, _ store: Store, user: String, catalog: ProgrammeCatalog, today: CivilDate, lang: Lang) throws -> String {
        func t(_ k: String, _ v: [String: String] = [:]) -> String { say(k, lang, v) }
        switch c {
        case .newEvent(let kind, let name, let start, let villages):
            let id = try store.addDisasterEvent(kind: kind, name: name, startedOn: start, villages: villages, by: user, today: today)
            return t("disaster.ui.done.event", ["id": String(id), "name": name])
        case .endEvent(let id, let version, let on):
            try store.endDisasterEvent(id: id, version: version, on: on, by: user, today: today)
            return t("disaster.ui.done.ended", ["date": on.iso])
        case .report(let e, let stage, let on, let f):
            try store.addDisasterReport(eventId: e, stage: stage, on: on, figures: f, by: user, today: today)
            return t("disaster.ui.done.report", ["stage": stage.label(lang)])
        case .addVictim(let e, let text, let entry, let on):
            let hid = try store.disasterHousehold(eventId: e, text: text)
            var entry = entry
            // No number typed: every member living in the household now.
            if entry.persons == 0 { entry.persons = try store.read { db in try Store.members(db, householdId: hid).count } }
            try store.addDisasterVictim(eventId: e, householdId: hid, entry, on: on, by: user, today: today)
            return t("disaster.ui.done.victim")
        case .check(let e, let village, let on):
            let n = try store.checkDisasterVillage(eventId: e, villageCode: village, on: on, by: user, today: today)
            return t("disaster.ui.done.check", ["n": String(n)])
        case .grant(let g):
            let cid = try store.grantRelief(g, by: user, catalog: catalog, today: today)
            return t("disaster.ui.done.grant", ["case": IdBlock.shown(cid)])
        case .decide(let cid, let level, let on):
            guard let f = try store.caseFile(id: cid, today: today, catalog: catalog), let me = try store.users().first(where: { $0.name == user }) else {
                throw StoreError.notFound(entity: "case", id: String(cid))
            }
            _ = try store.act(caseId: cid, version: f.caseRecord.version,
                              request: CaseRequest(action: .approve, actor: user, role: me.role, date: on, inputs: ["lossLevel": level]), catalog: catalog)
            let after = try store.caseFile(id: cid, today: today, catalog: catalog)
            return t("disaster.ui.done.decide", ["case": IdBlock.shown(cid), "amount": after?.onceAmount?.yuanString ?? "0.00"])
        case .card(let v, let period, let on):
            let id = try store.issueReliefCard(victimId: v, period: period, on: on, by: user, catalog: catalog, today: today)
            return t("disaster.ui.done.card", ["number": try store.reliefCard(id: id)?.number ?? ""])
        case .distribute(let card, let on, let cash, let items, let receiver):
            try store.distributeRelief(cardId: card, on: on, cash: cash, items: items, receiver: receiver, by: user, catalog: catalog, today: today)
            return t("disaster.ui.done.distribute")
        case .receive(let item, let q, let on, let source, let e):
            try store.receiveGoods(item: item, quantity: q, on: on, source: source, eventId: e, by: user, today: today)
            return t("disaster.ui.done.receive")
        case .stockTake(let item, let counted, let on, let reason):
            let diff = try store.stockTake(item: item, counted: counted, on: on, reason: reason, by: user, today: today)
            return t("disaster.ui.done.stockTake", ["diff": String(diff)])
        case .house(let v, let kind, let subsidy, let due, let on):
            try store.applyHouse(victimId: v, kind: kind, subsidy: subsidy, dueOn: due, on: on, by: user, today: today)
            return t("disaster.ui.done.house")
        case .stage(let h, let version, let to, let on):
            try store.advanceHouse(id: h, version: version, to: to, on: on, by: user, today: today)
            return t("disaster.ui.done.stage", ["stage": to.label(lang)])
        case .pay(let h, let amount, let on):
            let n = try store.payHouseInstalment(id: h, amount: amount, on: on, by: user, today: today)
            return t("disaster.ui.done.pay", ["n": String(n), "amount": amount.yuanString])
        }
    }

    public static func event(_ s: inout AppState, _ d: inout DisasterState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch event {
        case .listed(let events, let kinds, let items, let villages):
            d.events = events; d.kinds = kinds; d.items = items; d.villages = villages; d.loading = false
            if d.open == nil { d.selected = min(d.selected, max(0, events.count - 1)) }
            if d.grantFor != nil && d.open == nil { return grantEntry(&s, &d, env: env) }
        case .loaded(let data):
            d.open = data; d.loading = false
            d.selected = min(d.selected, max(0, d.rowCount - 1))
            if let entry = d.grantFor {
                d.grantFor = nil
                d.page = .ledger; d.selected = 0
                let line = entry.householdId.flatMap { hid in data.victims.firstIndex { $0.householdId == hid } }
                if let i = line { d.selected = i }
                let key = entry.householdId != nil && line == nil ? "disaster.ui.grantNotOnLedger" : "disaster.ui.grantHere"
                s.message = Message(title: env.t("screen.disaster"), text: env.t(key, ["event": data.event.name]))
            }
        case .changed(let text, let eventId):
            d.dialog = nil; d.pending = nil
            s.message = Message(title: env.t("screen.disaster"), text: text)
            var fx: [JiuzhuApp.Effect] = [effect(.list)]
            if let id = d.open?.event.id ?? eventId, d.open != nil { fx.append(effect(.load(id))) }
            return fx
        case .printed(let paths):
            s.message = Message(title: env.t("print.title"), text: env.t("disaster.ui.printed", ["paths": paths.joined(separator: "\n")]))
        case .refused(let error):
            App.showRefusal(error, in: &d.dialog, &s, env: env)
        }
        return []
    }

    /// The list came for a grant asked from the form: the current disaster opens by itself; with
    /// none, or several, the clerk is told what to do.
    static func grantEntry(_ s: inout AppState, _ d: inout DisasterState, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        let current = d.events.filter { ($0.endedOn ?? env.today) >= env.today }
        let candidates = current.isEmpty ? d.events : current
        if candidates.count == 1, let e = candidates.first, let i = d.events.firstIndex(of: e) {
            d.selected = i; d.loading = true; d.page = .ledger
            return [effect(.load(e.id))]
        }
        d.grantFor = candidates.isEmpty ? nil : d.grantFor
        s.message = Message(title: env.t("screen.disaster"), text: env.t(candidates.isEmpty ? "disaster.ui.grantNoEvent" : "disaster.ui.grantPickEvent"))
        return []
    }

    public static func orphan(_ s: inout AppState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        if case .printed(let paths) = event {
            s.message = Message(title: env.t("print.title"), text: env.t("disaster.ui.printed", ["paths": paths.joined(separator: "\n")]))
        }
        return []
    }

    public static func key(_ s: inout AppState, _ d: inout DisasterState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        App.disasterKey(&s, &d, key, cmd, env: env)
    }

    public static func view(_ g: inout CellGrid, _ d: DisasterState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.disasterView(&g, d, s, env)
    }
}
