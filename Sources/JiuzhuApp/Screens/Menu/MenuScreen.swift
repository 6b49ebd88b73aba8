import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

public struct MenuState: Equatable, Sendable {
    /// The menu's items first, then the user's work (`work`), in one list for ↑↓ and Enter.
    public var selection = 0
    /// What this user must do next, by kind (issue 21 item 5), under the menu.
    public var work: [WorkItem] = []
    /// Just logged in: when the work arrives, the first kind of it is selected.
    public var atLogin = false
    public init(atLogin: Bool = false) { self.atLogin = atLogin }
}

/// One kind of work waiting for the user: the cases at a step of theirs, follow-ups, drafts.
public struct WorkItem: Equatable, Sendable {
    public enum Target: Equatable, Sendable {
        /// The review queue showing one programme's cases at this step only (its label).
        case queue(programme: Programme, step: String)
        /// The review queue showing the follow-ups only.
        case followUps
        /// The posting batches (4 张榜公示).
        case publicity
        /// The user's unfinished application forms.
        case drafts
    }
    public var label: String
    public var count: Int
    public var late: Int
    public var target: Target
    public init(label: String, count: Int, late: Int, target: Target) { self.label = label; self.count = count; self.late = late; self.target = target }
}

/// The facts the work list is made of: the user's queue by programme and step, and their drafts.
public struct WorkGroup: Equatable, Sendable {
    public var programme: Programme
    public var step: String
    public var followUp: Bool
    public var count: Int
    public var late: Int
}

/// 主菜单: the items of `screens/menu.json`, each opening its screen for the roles it names.
public enum MenuScreen: ScreenModule {
    public static let id: ScreenID = "menu"

    public enum Effect: Equatable, Sendable {
        /// What the user must do next: their queue by step, their drafts.
        case loadWork
    }
    public enum Event: Sendable {
        case work([WorkGroup], drafts: Int)
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        switch effect {
        case .loadWork:
            guard let u = cx.user, let catalog = cx.env.catalog else { return nil }
            var groups: [WorkGroup] = []
            // Counted as the rows are read, every row of the queue (the screen's list shows the
            // 5,000 longest waiting; the counts are of all): it is never held whole.
            // The groups in the queue's order of their first row.
            var firsts: [QueueKey] = []
            try cx.store.forEachInReviewQueue(role: u.role, catalog: catalog, today: cx.env.today, limit: Int.max) { r in
                let follow = r.followUp != nil || r.changeKind != nil
                let late = r.due?.overdue == true || r.flowLimit?.overdue == true
                if let i = groups.firstIndex(where: { $0.programme == r.programme && $0.step == r.step && $0.followUp == follow }) {
                    groups[i].count += 1; groups[i].late += late ? 1 : 0
                    firsts[i] = min(firsts[i], r.queueKey)
                } else {
                    groups.append(WorkGroup(programme: r.programme, step: r.step, followUp: follow, count: 1, late: late ? 1 : 0))
                    firsts.append(r.queueKey)
                }
            }
            groups = groups.indices.sorted { firsts[$0] < firsts[$1] }.map { groups[$0] }
            let drafts = Policy.allows(u.role, .takeApplications) ? try cx.store.drafts(user: u.name).count : 0
            return .work(groups, drafts: drafts)
        }
    }

    /// The groups as the user reads them: follow-ups first, then each programme's step with the
    /// programme's short name (申请 of 医疗救助 and of 临时救助 told apart), publicity steps as one
    /// kind, drafts last.
    static func workItems(_ groups: [WorkGroup], drafts: Int, env: AppEnvironment) -> [WorkItem] {
        var out: [WorkItem] = []
        func add(_ label: String, _ g: WorkGroup, _ target: WorkItem.Target) {
            if let i = out.firstIndex(where: { $0.target == target }) { out[i].count += g.count; out[i].late += g.late }
            else { out.append(WorkItem(label: label, count: g.count, late: g.late, target: target)) }
        }
        for g in groups where g.followUp { add(env.t("work.followUps"), g, .followUps) }
        for g in groups where !g.followUp {
            if env.catalog?.definition(g.programme).step(g.step)?.isPublicity == true { add(env.t("work.publicity"), g, .publicity); continue }
            let step = env.stepLabel(g.programme, g.step)
            add(env.t("work.programmeStep", ["programme": g.programme.shortLabel(env.lang), "step": step]), g,
                .queue(programme: g.programme, step: step))
        }
        if drafts > 0 { out.append(WorkItem(label: env.t("work.drafts"), count: drafts, late: 0, target: .drafts)) }
        return out
    }

    public static func event(_ s: inout AppState, _ m: inout MenuState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch event {
        case .work(let groups, let drafts):
            m.work = workItems(groups, drafts: drafts, env: env)
            let items = env.screens.menu.count
            if m.atLogin && !m.work.isEmpty && s.top.id == MenuScreen.id { m.selection = items }
            m.atLogin = false
            m.selection = min(m.selection, items + m.work.count - 1)
        }
        return []
    }

    /// Open one kind of work.
    static func openWork(_ s: inout AppState, _ w: WorkItem, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch w.target {
        case .drafts: return IntakeScreen.open(&s, env: env) ?? []
        case .publicity: return PublicityListScreen.open(&s, env: env) ?? []
        case .queue(let programme, let step):
            var q = ReviewState(); q.step = step; q.programme = programme
            s.push(ReviewScreen.embed(q))
            return [ReviewScreen.effect(.load(village: nil, programme: programme))]
        case .followUps:
            var q = ReviewState(); q.followUpsOnly = true
            s.push(ReviewScreen.embed(q))
            return [ReviewScreen.effect(.load(village: nil, programme: nil))]
        }
    }

    /// Why the current user may not use an item, or nil if they may.
    public static func denial(_ item: MenuItemSpec, user: User?, env: AppEnvironment) -> String? {
        guard let u = user else { return nil }
        if item.roles.contains(u.role.rawValue) { return nil }
        let roles = item.roles.compactMap { Role(rawValue: $0)?.label(env.lang) }.joined(separator: env.t("menu.text"))
        return env.t("menu.denied", ["role": u.role.label(env.lang), "roles": roles])
    }

    /// Back on the menu after work was done: the work list under it counted again.
    public static func uncovered(_ s: inout AppState, _ m: inout MenuState, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        [effect(.loadWork)]
    }

    public static func key(_ s: inout AppState, _ m: inout MenuState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        let items = env.screens.menu
        let all = items.count + m.work.count
        var activate: Int?
        if case .char(let c) = key, let i = items.firstIndex(where: { $0.key == String(c) }) {
            activate = i
        } else {
            switch cmd {
            case .up?: m.selection = (m.selection + all - 1) % all
            case .down?: m.selection = (m.selection + 1) % all
            case .confirm?:
                if m.selection >= items.count, m.work.indices.contains(m.selection - items.count) {
                    s.replaceTop(MenuScreen.embed(m))
                    return openWork(&s, m.work[m.selection - items.count], env: env)
                }
                activate = m.selection
            case .logout?:
                s.user = nil
                s.stack = [LoginScreen.embed(LoginState())]
                return []
            default: break
            }
        }
        guard let i = activate else { return [] }
        m.selection = i
        s.replaceTop(MenuScreen.embed(m))
        let item = items[i]
        if item.id == "quit" { return [.quit] }
        if let why = denial(item, user: s.user, env: env) {
            s.message = Message(title: item.label(env.lang), text: why)
            return []
        }
        if let screen = item.screen.map(ScreenID.init(rawValue:)),
           let fx = Screen.byID[screen]?.open(&s, env: env) {
            return fx
        }
        s.message = Message(title: item.label(env.lang), text: env.t("menu.notAvailable", ["item": item.label(env.lang)]))
        return []
    }

    public static func view(_ g: inout CellGrid, _ m: MenuState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        let items = env.screens.menu
        let w = min(g.width - 4, 72)
        let x = (g.width - w) / 2
        // With work waiting, the menu moves up to leave its rows room below.
        let y = m.work.isEmpty ? max(2, (g.height - items.count - 6) / 2) : 1
        g.put(env.t("menu.title"), x: x, y: y, style: AppView.headingStyle)
        g.put(env.t("menu.hint"), x: x, y: y + 1, style: AppView.dimStyle, maxWidth: w)
        for (i, item) in items.enumerated() {
            let row = y + 3 + i
            let denied = denial(item, user: s.user, env: env)
            let notBuilt = item.screen == nil && item.id != "quit"
            var text = " \(item.key)  \(item.label(env.lang))"
            // As wide as the longest label (a label is never cut), the reason gets the rest.
            let labelW = min(w / 2, max(24, items.map { " \($0.key)  \($0.label(env.lang))".displayWidth + 1 }.max() ?? 0))
            text = TextWidth.fit(text, labelW)
            var style: Style = denied != nil ? AppView.dimStyle : .plain
            if i == m.selection { style = AppView.selectedStyle }
            g.put(text, x: x, y: row, style: style)
            // The reason is text too, so a monochrome terminal shows why an item is dim.
            if let why = denied {
                g.put(why, x: x + labelW + 1, y: row, style: AppView.dimStyle, maxWidth: w - labelW - 1)
            } else if notBuilt {
                g.put(env.t("menu.notAvailable", ["item": ""]).trimmingCharacters(in: CharacterSet(charactersIn: "「」“” ")),
                      x: x + labelW + 1, y: row, style: AppView.dimStyle, maxWidth: w - labelW - 1)
            }
        }
        if !m.work.isEmpty {
            let top = y + 3 + items.count + 1
            g.put(env.t("work.title"), x: x, y: top, style: AppView.headingStyle, maxWidth: w)
            let room = max(0, g.height - 3 - top)
            // The selected kind stays in view when there are more kinds than rows.
            let sel = m.selection - items.count
            let first = sel >= room ? sel - room + 1 : 0
            for (k, item) in m.work.enumerated().dropFirst(first).prefix(room) {
                var text = " " + env.t("work.line", ["what": item.label, "n": String(item.count)])
                if item.late > 0 { text += env.t("work.late", ["n": String(item.late)]) }
                let style: Style = items.count + k == m.selection ? AppView.selectedStyle : (item.late > 0 ? AppView.lateStyle : .plain)
                g.put(TextWidth.fit(text, w), x: x, y: top + 1 + k - first, style: style, maxWidth: w)
            }
        }
        AppView.status(&g, left: s.user.map { "\($0.displayName) · \($0.role.label(env.lang))" } ?? "", right: env.databasePath)
        return nil
    }
}
