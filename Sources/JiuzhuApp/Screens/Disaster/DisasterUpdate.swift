import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

extension App {
    /// 申请项目 = 受灾救助 on the application form (main menu 2): a grant is made to a household
    /// on a disaster's ledger (严格按照灾民台帐), so the clerk is taken to the ledger, where the
    /// grant goes through the same store call as from 9 救灾. A form with nothing typed gives
    /// way; one with work in it stays beneath (Esc comes back to it).
    static func disasterFromForm(_ s: inout AppState, _ f: FormState, env: AppEnvironment) -> [Effect] {
        let hid = f.values.fields["household"].flatMap { Int64($0) }
        if let spec = env.screens.forms[f.formId], f.draftId == nil, f.values == FormValues.blank(spec, today: env.today) {
            s.pop()
        } else {
            s.replaceTop(FormScreen.embed(f))
        }
        var d = DisasterState()
        d.grantFor = GrantEntry(householdId: hid)
        s.push(DisasterScreen.embed(d))
        return [DisasterScreen.effect(.list)]
    }

    static func disasterKey(_ s: inout AppState, _ d: inout DisasterState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        if d.dialog != nil {
            var box = d.dialog
            let pending = d.pending
            let state = d
            let fx = boxKey(&box, key, env: env) { dlg in (submitDisaster(&dlg, pending, state, env: env), false) }
            d.dialog = box
            if box == nil { d.pending = nil }
            return fx
        }
        func f(_ id: String, _ label: String, _ v: String, _ hint: String, required: Bool = true, max: Int = 30) -> DialogField {
            DialogField(id: id, label: env.t(label), hint: hint, required: required, field: TextField(v, maxLength: max))
        }
        func ask(_ p: DisasterPending, _ title: String, _ fields: [DialogField]) { d.pending = p; d.dialog = ActionDialog(action: .done, title: title, fields: fields) }
        let today = env.today.iso
        let dateHint = "YYYY-MM-DD"
        let n = d.rowCount
        switch cmd {
        case .up?: d.selected = max(0, d.selected - 1)
        case .down?: d.selected = min(max(0, n - 1), d.selected + 1)
        case .first?: d.selected = 0
        case .last?: d.selected = max(0, n - 1)
        case .nextField?, .prevField?:
            guard d.open != nil else { return [] }
            let all = DisasterState.Page.allCases
            d.page = all[(d.page.rawValue + (cmd == .nextField ? 1 : all.count - 1)) % all.count]
            d.selected = 0
        case .back?:
            if let o = d.open {
                d.open = nil; d.page = .ledger
                d.selected = d.events.firstIndex { $0.id == o.event.id } ?? 0
                return [DisasterScreen.effect(.list)]
            }
            s.pop()
        case .addItem?, .newItem?:
            guard let o = d.open else {
                ask(.newEvent, env.t("disaster.ui.newEvent"), [
                    f("kind", "disaster.ui.f.kind", "1", env.t("disaster.ui.h.kind"), max: 20),
                    f("name", "disaster.ui.f.name", "", env.t("disaster.ui.h.name"), max: 60),
                    f("start", "disaster.ui.f.start", today, dateHint, max: 10),
                    f("villages", "disaster.ui.f.villages", "", env.t("disaster.ui.h.villages"), max: 200),
                ])
                return []
            }
            switch d.page {
            case .ledger, .relief:
                ask(.addVictim, env.t("disaster.ui.addVictim", ["event": o.event.name]), [
                    f("household", "disaster.ui.f.household", "", env.t("disaster.ui.h.household"), max: 20),
                    f("persons", "disaster.ui.f.persons", "", env.t("disaster.ui.h.persons"), required: false, max: 3),
                    f("damage", "disaster.ui.f.damage", "0", env.t("disaster.ui.h.damage"), max: 8),
                    f("rooms", "disaster.ui.f.rooms", "0", "", max: 3),
                    f("relocated", "disaster.ui.f.relocated", env.t("disaster.ui.no"), env.t("disaster.ui.h.yesNo"), max: 4),
                    f("needRelief", "disaster.ui.f.needRelief", env.t("disaster.ui.no"), env.t("disaster.ui.h.yesNo"), max: 4),
                    f("needs", "disaster.ui.f.needs", "", env.t("disaster.ui.h.needs"), required: false, max: 100),
                    f("on", "disaster.ui.f.on", today, dateHint, max: 10),
                ])
            case .reports:
                var fields = [f("stage", "disaster.ui.f.stage", o.reports.isEmpty ? "1" : "2", env.t("disaster.ui.h.stage"), max: 4),
                              f("on", "disaster.ui.f.on", today, dateHint, max: 10)]
                let last = o.reports.last?.figures ?? o.ledger
                for (key, path) in DisasterFigures.countFields {
                    fields.append(DialogField(id: key, label: DisasterFigures.shortLabel(key)(env.lang), hint: "", required: false,
                                              field: TextField(String(last[keyPath: path]), maxLength: 8)))
                }
                fields.append(DialogField(id: "cropArea", label: DisasterFigures.shortLabel("cropArea")(env.lang), hint: "0.00", required: false,
                                          field: TextField(DisasterFigures.areaText(last.cropArea), maxLength: 10)))
                fields.append(DialogField(id: "loss", label: DisasterFigures.shortLabel("loss")(env.lang), hint: "0.0000", required: false,
                                          field: TextField(last.loss.wanYuanString, maxLength: 12)))
                ask(.report, env.t("disaster.ui.newReport", ["event": o.event.name]), fields)
            case .goods, .cards:
                ask(.receive, env.t("disaster.ui.receive"), [
                    f("item", "disaster.ui.f.item", d.items.first?.label(env.lang) ?? "", env.t("disaster.ui.h.item"), max: 20),
                    f("quantity", "disaster.ui.f.quantity", "", "", max: 8),
                    f("source", "disaster.ui.f.source", env.t("disaster.ui.h.sourceDefault"), env.t("disaster.ui.h.source"), max: 60),
                    f("on", "disaster.ui.f.on", today, dateHint, max: 10),
                ])
            case .houses:
                ask(.house, env.t("disaster.ui.applyHouse"), [
                    f("line", "disaster.ui.f.line", "", env.t("disaster.ui.h.line"), max: 8),
                    f("kind", "disaster.ui.f.houseKind", "1", env.t("disaster.ui.h.houseKind"), max: 6),
                    f("subsidy", "disaster.ui.f.subsidy", "", env.t("disaster.ui.h.yuan"), max: 12),
                    f("due", "disaster.ui.f.due", env.today.adding(days: 180).iso, dateHint, max: 10),
                    f("on", "disaster.ui.f.on", today, dateHint, max: 10),
                ])
            }
        case .confirm?:
            guard let o = d.open else {
                guard d.events.indices.contains(d.selected) else { return [] }
                d.loading = true; d.page = .ledger; d.selected = 0
                return [DisasterScreen.effect(.load(d.events[d.selected].id))]
            }
            switch d.page {
            case .ledger:
                guard o.victims.indices.contains(d.selected) else { return [] }
                let v = o.victims[d.selected]
                let period: ReliefPeriod = v.damage == .collapsed || v.damage == .severe ? .transition : v.relocated || v.needRelief ? .emergency : .winter
                ask(.grant(victimId: v.id), env.t("disaster.ui.grant", ["head": v.headName]), [
                    f("period", "disaster.ui.f.period", String(ReliefPeriod.allCases.firstIndex(of: period)! + 1), env.t("disaster.ui.h.period"), max: 6),
                    f("persons", "disaster.ui.f.persons", String(v.persons), "", max: 3),
                    f("days", "disaster.ui.f.days", period == .winter ? "0" : "30", env.t("disaster.ui.h.days"), required: false, max: 3),
                    f("needs", "disaster.ui.f.winterNeeds", period == .winter ? WinterNeed.food.label(env.lang) : "", env.t("disaster.ui.h.winterNeeds"), required: false, max: 30),
                    f("goods", "disaster.ui.f.goods", "", env.t("disaster.ui.h.goods"), required: false, max: 60),
                    f("on", "disaster.ui.f.on", today, dateHint, max: 10),
                ])
            case .relief:
                guard o.grants.indices.contains(d.selected) else { return [] }
                let g = o.grants[d.selected]
                let decision = env.catalog?.definition(.disaster).steps.first(where: \.isDecision)?.code
                guard g.step == decision, g.status == .inProgress else {
                    s.message = Message(title: env.t("screen.disaster"), text: env.t("disaster.ui.notAtDecision", ["case": IdBlock.shown(g.caseId)]))
                    return []
                }
                let damage = o.victims.first { $0.id == g.victimId }?.damage ?? .general
                // The loss levels are the decision step's own choices (data/programmes.json), worst first.
                let levels = lossLevels(env)
                let level = levels.isEmpty ? "" : levels[damage == .collapsed ? 0 : damage == .severe ? min(1, levels.count - 1) : levels.count - 1].code
                ask(.decide(caseId: g.caseId), env.t("disaster.ui.decide", ["head": g.headName, "case": IdBlock.shown(g.caseId)]), [
                    f("level", "disaster.ui.f.level", level, levels.map(\.code).joined(separator: "/"), max: 4),
                    f("on", "disaster.ui.f.on", today, dateHint, max: 10),
                ])
            case .cards:
                guard o.cards.indices.contains(d.selected) else { return [] }
                let c = o.cards[d.selected]
                let left = d.items.filter { c.left($0.code) > 0 }.map { "\($0.label(env.lang))\(c.left($0.code))" }.joined(separator: " ")
                ask(.distribute(cardId: c.id), env.t("disaster.ui.distribute", ["number": c.number, "head": c.headName]), [
                    f("cash", "disaster.ui.f.cash", c.cashLeft.yuanString, env.t("disaster.ui.h.cashLeft", ["left": c.cashLeft.yuanString]), required: false, max: 12),
                    f("goods", "disaster.ui.f.goods", left, env.t("disaster.ui.h.goods"), required: false, max: 60),
                    f("receiver", "disaster.ui.f.receiver", c.headName, "", max: 20),
                    f("on", "disaster.ui.f.on", today, dateHint, max: 10),
                ])
            case .goods:
                guard o.stock.indices.contains(d.selected) else { return [] }
                let st = o.stock[d.selected]
                ask(.stockTake(item: st.item), env.t("disaster.ui.stockTake", ["item": st.label(env.lang), "book": String(st.onHand), "unit": st.unit(env.lang)]), [
                    f("counted", "disaster.ui.f.counted", String(st.onHand), "", max: 8),
                    f("reason", "disaster.ui.f.reason", "", env.t("disaster.ui.h.reason"), required: false, max: 100),
                    f("on", "disaster.ui.f.on", today, dateHint, max: 10),
                ])
            case .houses:
                guard o.houses.indices.contains(d.selected) else { return [] }
                let h = o.houses[d.selected]
                guard let next = h.stage.next else {
                    s.message = Message(title: env.t("screen.disaster"), text: env.t("disaster.ui.movedIn", ["head": h.headName])); return []
                }
                ask(.stage(houseId: h.id, version: h.version, to: next), env.t("disaster.ui.stage", ["head": h.headName, "stage": next.label(env.lang)]), [
                    f("on", "disaster.ui.f.on", today, dateHint, max: 10),
                ])
            case .reports:
                guard o.reports.indices.contains(d.selected) else { return [] }
                return [DisasterScreen.effect(.printReport(eventId: o.event.id, reportId: o.reports[d.selected].id))]
            }
        case .submit?:
            guard let o = d.open else {
                // On the list: the day the selected disaster ended (item 1: start and end).
                guard d.events.indices.contains(d.selected) else { return [] }
                let e = d.events[d.selected]
                ask(.endEvent(eventId: e.id, version: e.version), env.t("disaster.ui.endEvent", ["name": e.name]), [
                    f("on", "disaster.ui.f.ended", e.endedOn?.iso ?? today, dateHint, max: 10),
                ])
                return []
            }
            if d.page == .ledger, o.victims.indices.contains(d.selected) {
                let v = o.victims[d.selected]
                let cardStep = env.catalog?.definition(.disaster).steps.first { $0.stepInputs.contains { $0.id == "cardNo" } }?.code
                let waiting = o.grants.first { $0.victimId == v.id && $0.step == cardStep }
                ask(.card(victimId: v.id), env.t("disaster.ui.card", ["head": v.headName]), [
                    f("period", "disaster.ui.f.period", String(ReliefPeriod.allCases.firstIndex(of: waiting?.period ?? .transition)! + 1), env.t("disaster.ui.h.period"), max: 6),
                    f("on", "disaster.ui.f.on", today, dateHint, max: 10),
                ])
            } else if d.page == .houses, o.houses.indices.contains(d.selected) {
                let h = o.houses[d.selected]
                ask(.pay(houseId: h.id), env.t("disaster.ui.pay", ["head": h.headName, "n": String(h.instalments + 1)]), [
                    f("amount", "disaster.ui.f.amount", (h.subsidy - h.paid).yuanString, env.t("disaster.ui.h.paid", ["paid": h.paid.yuanString, "subsidy": h.subsidy.yuanString]), max: 12),
                    f("on", "disaster.ui.f.on", today, dateHint, max: 10),
                ])
            }
        case .recordCheck?:
            guard let o = d.open, d.page == .ledger, o.victims.indices.contains(d.selected) else { return [] }
            let v = o.victims[d.selected]
            ask(.check(village: v.villageCode), env.t("disaster.ui.check", ["village": v.villageName]), [f("on", "disaster.ui.f.on", today, dateHint, max: 10)])
        case .print?:
            guard let o = d.open else { return [] }
            if d.page == .reports, o.reports.indices.contains(d.selected) {
                return [DisasterScreen.effect(.printReport(eventId: o.event.id, reportId: o.reports[d.selected].id))]
            }
            return [DisasterScreen.effect(.printCards(eventId: o.event.id))]
        default: break
        }
        return []
    }

    /// The loss levels 核灾定级 chooses from (data/programmes.json), worst first.
    static func lossLevels(_ env: AppEnvironment) -> [ProgrammeCatalog.Input.Choice] {
        guard let def = env.catalog?.definition(.disaster), let step = def.steps.first(where: \.isDecision) else { return [] }
        return step.stepInputs.first { $0.id == "lossLevel" }?.choices ?? []
    }

    /// 万元 with up to four decimals ("123.4567") as money; empty is zero.
    static func wanYuan(_ text: String) -> Money? {
        if text.isEmpty { return .zero }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int64(parts[0]), whole >= 0, whole < 100_000_000 else { return nil }
        var frac: Int64 = 0
        if parts.count == 2 {
            guard parts[1].count <= 4, parts[1].allSatisfy(\.isNumber) else { return nil }
            frac = Int64(String(parts[1]).padding(toLength: 4, withPad: "0", startingAt: 0)) ?? 0
        }
        return Money(fen: whole * 1_000_000 + frac * 100)
    }

    /// "大米25 棉被2", "rice:25, quilt 2" as item codes and quantities; nil when a word is not an item.
    static func reliefGoods(_ text: String, items: [RefCode]) -> [String: Int]? {
        var out: [String: Int] = [:]
        let cleaned = text.replacingOccurrences(of: "\u{FF1A}", with: ":").replacingOccurrences(of: "\u{FF0C}", with: " ").replacingOccurrences(of: "\u{3001}", with: " ")
            .replacingOccurrences(of: ",", with: " ").replacingOccurrences(of: ":", with: " ")
        var pendingName: String?
        for word in cleaned.split(separator: " ").map(String.init) {
            let name = String(word.prefix { !$0.isNumber })
            let digits = String(word.dropFirst(name.count))
            if !name.isEmpty && digits.isEmpty { pendingName = name; continue }
            guard let q = Int(digits) else { return nil }
            let key = name.isEmpty ? (pendingName ?? "") : name
            pendingName = nil
            guard let item = items.first(where: { $0.code == key || $0.zh == key || $0.en.lowercased() == key.lowercased() }) else { return nil }
            out[item.code, default: 0] += q
        }
        return pendingName == nil ? out : nil
    }

    static func submitDisaster(_ dlg: inout ActionDialog, _ pending: DisasterPending?, _ d: DisasterState, env: AppEnvironment) -> [Effect] {
        if missing(&dlg, env: env) { return [] }
        func fail(_ text: String, _ id: String) -> [Effect] { dlg.error = text; dlg.focus = dlg.fields.firstIndex { $0.id == id } ?? dlg.focus; return [] }
        func text(_ id: String) -> String { dlg.value(id).trimmingCharacters(in: .whitespaces) }
        func date(_ id: String) -> CivilDate? { CivilDate(iso: text(id)) }
        func int(_ id: String) -> Int? { text(id).isEmpty ? 0 : Int(text(id)) }
        func yes(_ id: String) -> Bool? {
            let t = text(id).lowercased()
            if [env.t("disaster.ui.yes"), "y", "yes", "1"].contains(t) { return true }
            if [env.t("disaster.ui.no"), "n", "no", "0", ""].contains(t) { return false }
            return nil
        }
        func go(_ c: DisasterChange) -> [Effect] { dlg.busy = true; return [DisasterScreen.effect(.change(c))] }
        guard let p = pending else { return [] }
        let on = date("on") ?? env.today
        if dlg.fields.contains(where: { $0.id == "on" }) && date("on") == nil { return fail(env.t("publicity.badDate"), "on") }
        let eventId = d.open?.event.id ?? 0
        switch p {
        case .endEvent(let id, let version):
            return go(.endEvent(eventId: id, version: version, on: on))
        case .newEvent:
            let k = text("kind")
            let kind = Int(k).flatMap { d.kinds.indices.contains($0 - 1) ? d.kinds[$0 - 1] : nil } ?? d.kinds.first { $0.code == k || $0.zh == k || $0.en == k }
            guard let kind else { return fail(env.t("disaster.ui.badKind"), "kind") }
            guard let start = date("start") else { return fail(env.t("publicity.badDate"), "start") }
            let words = text("villages").replacingOccurrences(of: "\u{3001}", with: " ").replacingOccurrences(of: "\u{FF0C}", with: " ").replacingOccurrences(of: ",", with: " ")
                .split(separator: " ").map(String.init)
            var codes: [String] = []
            for w in words {
                guard let r = d.villages.first(where: { $0.code == w || $0.name == w || $0.code.hasSuffix(w) && w.count == 3 }) else {
                    return fail(env.t("disaster.ui.badVillage", ["word": w]), "villages")
                }
                codes.append(r.code)
            }
            return go(.newEvent(kind: kind.code, name: text("name"), start: start, villages: codes))
        case .report:
            let stages: [String: DisasterStage] = ["1": .initial, "2": .update, "3": .final]
            guard let stage = stages[text("stage")] ?? DisasterStage.allCases.first(where: { $0.label.zh == text("stage") || $0.rawValue == text("stage") }) else {
                return fail(env.t("disaster.ui.badStage"), "stage")
            }
            var fig = DisasterFigures()
            for (key, path) in DisasterFigures.countFields {
                guard let v = int(key), v >= 0 else { return fail(env.t("disaster.ui.badNumber"), key) }
                fig[keyPath: path] = v
            }
            guard let area = DisasterFigures.area(text: text("cropArea")) else { return fail(env.t("disaster.ui.badNumber"), "cropArea") }
            fig.cropArea = area
            guard let loss = wanYuan(text("loss")) else { return fail(env.t("disaster.ui.badNumber"), "loss") }
            fig.loss = loss
            return go(.report(eventId: eventId, stage: stage, on: on, figures: fig))
        case .addVictim:
            guard let damage = HouseDamage(text: text("damage")) else { return fail(env.t("disaster.ui.badDamage"), "damage") }
            guard let rooms = int("rooms"), rooms >= 0 else { return fail(env.t("disaster.ui.badNumber"), "rooms") }
            guard let persons = int("persons"), persons >= 0 else { return fail(env.t("disaster.ui.badNumber"), "persons") }
            guard let moved = yes("relocated") else { return fail(env.t("disaster.ui.badYesNo"), "relocated") }
            guard let need = yes("needRelief") else { return fail(env.t("disaster.ui.badYesNo"), "needRelief") }
            return go(.addVictim(eventId: eventId, household: text("household"),
                                 entry: Store.VictimEntry(persons: persons, damage: damage, rooms: rooms, relocated: moved, needRelief: need, needs: text("needs")), on: on))
        case .check(let village):
            return go(.check(eventId: eventId, village: village, on: on))
        case .grant(let victimId):
            guard let period = ReliefPeriod(text: text("period")) else { return fail(env.t("disaster.ui.badPeriod"), "period") }
            guard let persons = int("persons"), persons > 0 else { return fail(env.t("disaster.ui.badNumber"), "persons") }
            guard let days = int("days"), days >= 0 else { return fail(env.t("disaster.ui.badNumber"), "days") }
            var needs: [WinterNeed] = []
            for w in text("needs").replacingOccurrences(of: "\u{3001}", with: " ").split(separator: " ").map(String.init) {
                guard let n = WinterNeed(rawValue: w) ?? WinterNeed.allCases.first(where: { $0.label.zh == w || $0.label.en == w }) else {
                    return fail(env.t("disaster.ui.badNeed"), "needs")
                }
                needs.append(n)
            }
            guard let goods = reliefGoods(text("goods"), items: d.items) else { return fail(env.t("disaster.ui.badGoods"), "goods") }
            return go(.grant(NewReliefGrant(victimId: victimId, period: period, persons: persons, days: days, needs: needs, goods: goods, on: on)))
        case .decide(let caseId):
            guard lossLevels(env).contains(where: { $0.code == text("level") }) else { return fail(env.t("disaster.ui.badLevel"), "level") }
            return go(.decide(caseId: caseId, level: text("level"), on: on))
        case .card(let victimId):
            guard let period = ReliefPeriod(text: text("period")) else { return fail(env.t("disaster.ui.badPeriod"), "period") }
            return go(.card(victimId: victimId, period: period, on: on))
        case .distribute(let cardId):
            guard let cash = text("cash").isEmpty ? Money.zero : Money(yuanText: text("cash")) else { return fail(env.t("disaster.ui.badNumber"), "cash") }
            guard let goods = reliefGoods(text("goods"), items: d.items) else { return fail(env.t("disaster.ui.badGoods"), "goods") }
            return go(.distribute(cardId: cardId, on: on, cash: cash, items: goods, receiver: text("receiver")))
        case .receive:
            let t = text("item")
            guard let item = d.items.first(where: { $0.code == t || $0.zh == t || $0.en.lowercased() == t.lowercased() }) else { return fail(env.t("disaster.ui.badGoods"), "item") }
            guard let q = Int(text("quantity")), q > 0 else { return fail(env.t("disaster.ui.badNumber"), "quantity") }
            return go(.receive(item: item.code, quantity: q, on: on, source: text("source"), eventId: eventId))
        case .stockTake(let item):
            guard let q = Int(text("counted")), q >= 0 else { return fail(env.t("disaster.ui.badNumber"), "counted") }
            return go(.stockTake(item: item, counted: q, on: on, reason: text("reason")))
        case .house:
            guard let line = Int64(text("line").trimmingCharacters(in: CharacterSet(charactersIn: "#"))) else { return fail(env.t("disaster.ui.badNumber"), "line") }
            let kind: DisasterHouse.Kind = text("kind") == "1" || DisasterHouse.Kind.rebuild.label.zh == text("kind") || text("kind") == "rebuild" ? .rebuild : .repair
            guard let subsidy = Money(yuanText: text("subsidy")) else { return fail(env.t("disaster.ui.badNumber"), "subsidy") }
            guard let due = date("due") else { return fail(env.t("publicity.badDate"), "due") }
            return go(.house(victimId: line, kind: kind, subsidy: subsidy, due: due, on: on))
        case .stage(let houseId, let version, let to):
            return go(.stage(houseId: houseId, version: version, to: to, on: on))
        case .pay(let houseId):
            guard let amount = Money(yuanText: text("amount")) else { return fail(env.t("disaster.ui.badNumber"), "amount") }
            return go(.pay(houseId: houseId, amount: amount, on: on))
        }
    }
}
