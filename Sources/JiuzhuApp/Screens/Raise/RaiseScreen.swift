import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// 提标普调 (from 发放名册, F6): every case of a monthly programme in force worked out again at
/// the standard in force today, old and new amounts side by side; the approver confirms with
/// the password and each raised case gets its adjustment, paid from the standard's month.
public struct RaiseState: Equatable, Sendable {
    public var programme: Programme = .ruralDibao
    public var plan: RaisePlan?
    public var problem: String?
    public var selected = 0
    public var loading = true
    public var dialog: ActionDialog?
    public init(programme: Programme = .ruralDibao) { self.programme = programme }
}

/// 提标普调: the module.
public enum RaiseScreen: ScreenModule {
    public static let id: ScreenID = "raise"
    public static func keymapSection(_ r: RaiseState, _ s: AppState) -> ScreenID { r.dialog != nil ? .caseAction : id }

    public enum Effect: Equatable, Sendable {
        case load(Programme)
        /// Record the raise shown, after the approver's password.
        case apply(RaisePlan, password: String)
    }

    public enum Event: Sendable {
        /// The list for a programme, or why there is none.
        case loaded(Programme, RaisePlan?, problem: (any Error)?)
        case applied(count: Int, RaisePlan)
        case refused(any Error)
    }

    static func open(_ s: inout AppState) -> [JiuzhuApp.Effect] {
        s.push(RaiseScreen.embed(RaiseState()))
        return [effect(.load(.ruralDibao))]
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        guard let catalog = cx.env.catalog else { return nil }
        switch effect {
        case .load(let p):
            do { return .loaded(p, try cx.store.raisePlan(programme: p, today: cx.env.today, catalog: catalog), problem: nil) }
            catch { return .loaded(p, nil, problem: error) }
        case .apply(let plan, let password):
            guard let u = cx.user, Policy.allows(u.role, .applyRaise) else { return nil }
            do {
                _ = try cx.store.authenticate(name: u.name, password: password)
                let n = try cx.store.applyRaise(plan, today: cx.env.today, catalog: catalog, by: u.name, role: u.role)
                return .applied(count: n, plan)
            } catch { return .refused(error) }
        }
    }

    public static func event(_ s: inout AppState, _ r: inout RaiseState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch event {
        case .loaded(let p, let plan, let problem):
            guard p == r.programme else { return [] }
            r.plan = plan; r.problem = problem.map { App.describe($0, env.lang) }; r.loading = false
            r.selected = min(r.selected, max(0, (plan?.lines.count ?? 0) - 1))
        case .applied(let n, let plan):
            r.dialog = nil
            s.message = Message(title: env.t("screen.raise"), text: done(n, plan, env))
            r.loading = true
            return [effect(.load(r.programme))]
        case .refused(let error):
            let why = App.describe(error, env.lang)
            if var box = r.dialog { box.error = why; box.busy = false; r.dialog = box }
            else { s.message = Message(title: env.t("error.title"), text: why) }
        }
        return []
    }

    static func done(_ n: Int, _ plan: RaisePlan, _ env: AppEnvironment) -> String {
        env.t("raise.done", ["n": String(n), "from": plan.from.description])
    }

    public static func orphan(_ s: inout AppState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        if case .applied(let n, let plan) = event { s.message = Message(title: env.t("screen.raise"), text: done(n, plan, env)) }
        return []
    }

    public static func key(_ s: inout AppState, _ r: inout RaiseState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        App.raiseKey(&s, &r, key, cmd, env: env)
    }

    public static func view(_ g: inout CellGrid, _ r: RaiseState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.raiseView(&g, r, s, env)
    }
}

extension App {
    static func raiseKey(_ s: inout AppState, _ r: inout RaiseState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        if r.dialog != nil, let plan = r.plan {
            var box = r.dialog
            let fx = boxKey(&box, key, env: env) { d in
                if missing(&d, env: env) { return ([], false) }
                d.busy = true
                return ([RaiseScreen.effect(.apply(plan, password: d.value("password")))], false)
            }
            r.dialog = box
            return fx
        }
        let count = r.plan?.lines.count ?? 0
        let page = max(1, s.height - 6)
        switch cmd {
        case .up?: r.selected = max(0, r.selected - 1)
        case .down?: r.selected = min(max(0, count - 1), r.selected + 1)
        case .pageUp?: r.selected = max(0, r.selected - page)
        case .pageDown?: r.selected = min(max(0, count - 1), r.selected + page)
        case .first?: r.selected = 0
        case .last?: r.selected = max(0, count - 1)
        case .back?: s.pop()
        case .filterProgramme?:
            // The next monthly programme.
            let all = env.catalog?.monthlyProgrammes ?? [r.programme]
            r.programme = all[((all.firstIndex(of: r.programme) ?? 0) + 1) % all.count]
            r.plan = nil; r.problem = nil; r.selected = 0; r.loading = true
            return [RaiseScreen.effect(.load(r.programme))]
        case .submit?:
            guard Policy.allows(s.user?.role, .applyRaise) else {
                s.message = Message(title: env.t("screen.raise"), text: env.t("raise.notYours")); return []
            }
            guard let plan = r.plan, !plan.lines.isEmpty else {
                s.message = Message(title: env.t("screen.raise"), text: env.t("raise.nothing")); return []
            }
            r.dialog = ActionDialog(action: .adjust, title: env.t("raise.confirmTitle", ["n": String(plan.lines.count), "from": plan.from.description]), fields: [
                DialogField(id: "password", label: env.t("roster.password"), hint: env.t("raise.confirmHint"), required: true,
                            field: TextField("", maxLength: 64, isSecure: true)),
            ])
        default: break
        }
        return []
    }
}

extension AppView {
    static func raiseView(_ g: inout CellGrid, _ r: RaiseState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        let title: String
        if let plan = r.plan {
            let std = plan.standards.map { "\($0.amount.yuanString)(\($0.effectiveFrom.iso))" }.joined(separator: "/")
            title = env.t("raise.title", ["programme": r.programme.label(env.lang), "standard": std, "from": plan.from.description])
        } else {
            title = r.programme.label(env.lang)
        }
        g.put(title, x: 1, y: 1, style: Style(attrs: .bold), maxWidth: g.width - 2)
        g.put(env.t("raise.intro"), x: 1, y: 2, style: noteStyle, maxWidth: g.width - 2)
        let lines = r.plan?.lines ?? []
        let cells: [[String]] = lines.map { l in
            [String(l.caseId), l.village, l.headName, String(l.persons), l.old.yuanString, l.new.yuanString, Money(fen: l.new.fen - l.old.fen).yuanString]
        }
        let titles = ["raise.col.case", "cases.col.village", "raise.col.head", "roster.col.persons", "raise.col.old", "raise.col.new", "raise.col.up"].map { env.t($0) }
        func fit(_ i: Int, _ least: Int) -> Int { columnWidth(cells, i, title: titles[i], least: least) }
        let cols = [TableColumn(titles[0], width: fit(0, 4), alignment: .right, priority: 6),
                    TableColumn(titles[1], width: fit(1, 8), priority: 8),
                    TableColumn(titles[2], width: fit(2, 6), priority: 9),
                    TableColumn(titles[3], width: fit(3, 4), alignment: .right, priority: 5),
                    TableColumn(titles[4], width: fit(4, 8), alignment: .right, priority: 9),
                    TableColumn(titles[5], width: fit(5, 8), alignment: .right, priority: 9),
                    TableColumn(titles[6], width: fit(6, 6), alignment: .right, priority: 7)]
        let empty = r.loading ? env.t("review.loading") : (r.problem ?? env.t("raise.none"))
        lateTable(&g, columns: cols, count: lines.count, selected: r.selected, top: 3, height: g.height - 5,
                  emptyText: empty, late: { _ in false }) { i in cells[i] }
        let left = r.plan.map { p in
            env.t("raise.totals", ["n": String(p.lines.count), "old": p.oldTotal.yuanString, "new": p.newTotal.yuanString, "same": String(p.unchanged)])
        } ?? ""
        status(&g, left: left, right: lines.isEmpty ? "" : "\(r.selected + 1)/\(lines.count)")
        return r.dialog.flatMap { actionDialog(&g, $0, env) }
    }
}
