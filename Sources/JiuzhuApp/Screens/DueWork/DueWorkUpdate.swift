import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// 到期工作: what is due this week and overdue; a re-check or a sign-in recorded in a few keys.
public struct DueState: Equatable, Sendable {
    /// Everything due, and the items of the kind chosen with F5 (all kinds when nil).
    public var all: [DueItem] = []
    public var items: [DueItem] = []
    public var kind: DueItem.Kind?
    public var selected = 0
    public var loading = true
    public var dialog: ActionDialog?
    public init(kind: DueItem.Kind? = nil) { self.kind = kind }

    mutating func show(_ k: DueItem.Kind?) {
        kind = k
        items = k.map { k in all.filter { $0.kind == k } } ?? all
        selected = min(selected, max(0, items.count - 1))
    }
    public var selectedItem: DueItem? { items.indices.contains(selected) ? items[selected] : nil }
}

/// 到期工作: the module.
public enum DueScreen: ScreenModule {
    public static let id: ScreenID = "due"
    public static func keymapSection(_ d: DueState, _ s: AppState) -> ScreenID { d.dialog != nil ? .caseAction : id }

    public enum Effect: Equatable, Sendable {
        case load
        case record(DueItem, on: CivilDate, note: String, proposed: FollowUpAction, income: Money?)
    }

    public enum Event: Sendable {
        case loaded([DueItem])
        case recorded(DueItem, proposed: FollowUpAction)
        case refused(any Error)
    }

    /// The work list, of one kind or all.
    static func open(_ s: inout AppState, kind: DueItem.Kind? = nil) -> [JiuzhuApp.Effect] {
        s.push(DueScreen.embed(DueState(kind: kind)))
        return [effect(.load)]
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        switch effect {
        case .load:
            return .loaded(try cx.store.dueWork(today: cx.env.today, catalog: cx.env.catalog))
        case .record(let item, let on, let note, let proposed, let income):
            guard let u = cx.user else { return nil }
            do {
                try cx.store.recordDue(item, on: on, note: note, proposed: proposed, incomeEstimate: income, by: u.name)
                return .recorded(item, proposed: proposed)
            } catch { return .refused(error) }
        }
    }

    public static func event(_ s: inout AppState, _ d: inout DueState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch event {
        case .loaded(let items):
            d.all = items; d.loading = false
            d.show(d.kind)
        case .recorded(let item, let proposed):
            var text = env.t("due.recorded", ["what": item.kind.label(env.lang), "case": IdBlock.shown(item.caseId)])
            if proposed != .none { text += "\n" + env.t("due.followUpOpened", ["action": proposed.label(env.lang)]) }
            d.dialog = nil
            s.message = Message(title: env.t("screen.due"), text: text)
            return [effect(.load)]
        case .refused(let error):
            App.showRefusal(error, in: &d.dialog, &s, env: env)
        }
        return []
    }

    public static func key(_ s: inout AppState, _ d: inout DueState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        App.dueKey(&s, &d, key, cmd, env: env)
    }

    public static func view(_ g: inout CellGrid, _ d: DueState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.dueView(&g, d, s, env)
    }
}

extension App {
    static func dueKey(_ s: inout AppState, _ d: inout DueState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        if d.dialog != nil {
            var dialog = d.dialog
            let item = d.selectedItem
            let fx = boxKey(&dialog, key, env: env) { box in
                if missing(&box, env: env) { return ([], false) }
                guard let item else { return ([], false) }
                guard let on = CivilDate(iso: box.value("on").trimmingCharacters(in: .whitespaces)), on <= env.today else {
                    box.error = env.t("publicity.badDate"); box.focus = 0; return ([], false)
                }
                var proposed = FollowUpAction.none
                let typed = box.value("proposed").trimmingCharacters(in: .whitespaces)
                if !typed.isEmpty {
                    let choices = item.kind == .campaign ? FollowUpAction.allCases : FollowUpAction.allCases.filter { $0 != .clear }
                    guard let p = choices.first(where: { $0.rawValue == typed.lowercased() || $0.label.zh == typed || $0.label.en == typed.lowercased() }) else {
                        box.error = env.t("due.badProposal", ["choices": choices.map { "\($0.rawValue) \($0.label(env.lang))" }.joined(separator: " / ")])
                        box.focus = box.fields.firstIndex { $0.id == "proposed" } ?? box.focus
                        return ([], false)
                    }
                    proposed = p
                }
                var income: Money?
                let incomeText = box.value("income").trimmingCharacters(in: .whitespaces)
                if !incomeText.isEmpty {
                    guard let m = Money(yuanText: incomeText), m.fen >= 0 else {
                        box.error = env.t("review.badAmount", ["value": incomeText])
                        box.focus = box.fields.firstIndex { $0.id == "income" } ?? box.focus
                        return ([], false)
                    }
                    income = m
                }
                if proposed != .none && box.value("note").trimmingCharacters(in: .whitespaces).isEmpty {
                    box.error = env.t("review.missing", ["field": env.t("due.finding")])
                    box.focus = box.fields.firstIndex { $0.id == "note" } ?? box.focus
                    return ([], false)
                }
                box.busy = true
                return ([DueScreen.effect(.record(item, on: on, note: box.value("note"), proposed: proposed, income: income))], false)
            }
            d.dialog = dialog
            return fx
        }
        switch cmd {
        case .up?: d.selected = max(0, d.selected - 1)
        case .down?: d.selected = min(max(0, d.items.count - 1), d.selected + 1)
        case .pageUp?: d.selected = max(0, d.selected - (s.height - 6))
        case .pageDown?: d.selected = min(max(0, d.items.count - 1), d.selected + (s.height - 6))
        case .back?: s.pop()
        case .filterProgramme?:
            // F5: the next kind that has items, then all again.
            let kinds = DueItem.Kind.allCases.filter { k in d.all.contains { $0.kind == k } }
            let next = d.kind.flatMap { kinds.firstIndex(of: $0) }.map { $0 + 1 } ?? 0
            d.selected = 0
            d.show(next < kinds.count ? kinds[next] : nil)
        case .confirm?:
            guard let item = d.selectedItem else { return [] }
            switch item.kind {
            case .yearly, .recheck, .signIn, .campaign:
                var fields = [DialogField(id: "on", label: env.t("due.on"), hint: "YYYY-MM-DD", required: true, field: TextField(env.today.iso, maxLength: 10))]
                if item.kind != .signIn {
                    // The finding, and what it proposes: a change opens a follow-up for the approver.
                    fields.append(DialogField(id: "note", label: env.t("due.finding"), hint: env.t("due.findingHint"), required: item.kind != .campaign,
                                              field: TextField("", maxLength: 120)))
                    let choices = item.kind == .campaign ? FollowUpAction.allCases : FollowUpAction.allCases.filter { $0 != .clear }
                    fields.append(DialogField(id: "proposed", label: env.t("due.proposed"),
                                              hint: choices.map { $0.label(env.lang) }.joined(separator: "/"), required: false,
                                              field: TextField(FollowUpAction.none.label(env.lang), maxLength: 10)))
                    fields.append(DialogField(id: "income", label: env.t("review.incomeEstimate"), hint: env.t("due.yuanMonthOptional"),
                                              required: false, field: TextField("", maxLength: 12)))
                }
                d.dialog = ActionDialog(action: .done, title: item.kind.label(env.lang) + " · " + item.name, fields: fields)
            case .papers, .stalled, .flowLimit:
                s.replaceTop(DueScreen.embed(d))
                return CaseScreen.open(&s, item.caseId)
            case .posting:
                s.message = Message(title: env.t("screen.due"), text: env.t("due.postingHint"))
            case .complaint:
                s.replaceTop(DueScreen.embed(d))
                return ComplaintScreen.open(&s, focus: item.caseId)
            }
        default: break
        }
        return []
    }
}
