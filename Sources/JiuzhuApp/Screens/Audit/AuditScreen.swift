import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// 系统管理 → 审计日志: who did what and when, newest first, a screenful at a time; F3 walks the
/// hash chain from the first row and says whether it is whole.
public struct AuditState: Equatable, Sendable {
    public var entries: [Audit.Entry] = []
    public var selected = 0
    /// The newest row's id when the log was opened: the count shown, and where Home goes.
    public var newest: Int64 = 0
    public var loading = true
    public init() {}
    public var selectedEntry: Audit.Entry? { entries.indices.contains(selected) ? entries[selected] : nil }
}

/// The module: one enum per screen, holding its effects, its events and the four functions.
public enum AuditScreen: ScreenModule {
    public static let id = ScreenID.audit
    public static func embed(_ state: AuditState) -> Screen { .audit(state) }
    public static func extract(_ screen: Screen) -> AuditState? { if case .audit(let a) = screen { return a } else { return nil } }

    public enum Effect: Equatable, Sendable {
        /// A screenful: rows older than one id or newer than another; `keep` is the row to select in it.
        case load(olderThan: Int64?, newerThan: Int64?, limit: Int, keep: Int)
        /// Walk the hash chain from the first row.
        case verify
    }

    public enum Event: Sendable {
        case loaded([Audit.Entry], newest: Int64, keep: Int)
        case verified(Audit.Verdict)
    }

    /// Opened from 系统管理 (F7): the newest screenful.
    static func open(_ s: inout AppState) -> [JiuzhuApp.Effect] {
        s.push(.audit(AuditState()))
        return [effect(.load(olderThan: nil, newerThan: nil, limit: max(1, s.height - 8), keep: 0))]
    }

    public static func isQuickRead(_ effect: Effect) -> Bool { if case .load = effect { return true } else { return false } }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        guard Policy.allows(cx.user?.role, .auditLog) else { return nil }
        switch effect {
        case .load(let older, let newer, let limit, let keep):
            let page = try cx.store.auditPage(olderThan: older, newerThan: newer, limit: limit)
            return .loaded(page, newest: try cx.store.auditNewest(), keep: keep)
        case .verify:
            return .verified(try cx.store.verifyAudit())
        }
    }

    public static func event(_ s: inout AppState, _ a: inout AuditState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch event {
        case .loaded(let entries, let newest, let keep):
            if entries.isEmpty && !a.entries.isEmpty { return [] }   // past either end: stay
            a.entries = entries; a.newest = newest; a.loading = false
            a.selected = min(max(0, keep), max(0, entries.count - 1))
        case .verified(.intact(let n)):
            s.message = Message(title: env.t("screen.audit"), text: env.t("audit.intact", ["n": String(n)]))
        case .verified(.broken(let row, let why)):
            s.message = Message(title: env.t("screen.audit"), text: StoreError.auditBroken(atRow: row, reason: why).message(env.lang))
        }
        return []
    }

    public static func key(_ s: inout AppState, _ a: inout AuditState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        let page = max(1, s.height - 8)
        switch cmd {
        case .up?:
            if a.selected > 0 { a.selected -= 1 }
            // Above the top: the newer screenful, with the row just above selected (its last).
            else if let first = a.entries.first { return [effect(.load(olderThan: nil, newerThan: first.id, limit: page, keep: page - 1))] }
        case .down?:
            if a.selected < a.entries.count - 1 { a.selected += 1 }
            else if let last = a.entries.last, last.id > 1 { return [effect(.load(olderThan: last.id, newerThan: nil, limit: page, keep: 0))] }
        case .pageUp?:
            if let first = a.entries.first { return [effect(.load(olderThan: nil, newerThan: first.id, limit: page, keep: a.selected))] }
        case .pageDown?:
            if let last = a.entries.last, last.id > 1 { return [effect(.load(olderThan: last.id, newerThan: nil, limit: page, keep: a.selected))] }
        case .first?:
            return [effect(.load(olderThan: nil, newerThan: nil, limit: page, keep: 0))]
        case .last?:
            // The oldest screenful: the rows after id 0, oldest at the bottom.
            return [effect(.load(olderThan: nil, newerThan: 0, limit: page, keep: page - 1))]
        case .find?:
            return [effect(.verify)]
        case .back?:
            s.pop()
        default: break
        }
        return []
    }

    public static func view(_ g: inout CellGrid, _ a: AuditState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.auditView(&g, a, s, env)
        return nil
    }
}

extension AppView {
    static func auditView(_ g: inout CellGrid, _ a: AuditState, _ s: AppState, _ env: AppEnvironment) {
        g.put(env.t("audit.intro"), x: 1, y: 1, style: noteStyle, maxWidth: g.width - 2)
        let cells: [[String]] = a.entries.map { e in
            [String(e.id), ClockText.parseUTC(e.at).map { ClockText.local($0, "%Y-%m-%d %H:%M") } ?? e.at, e.user, e.action,
             e.entity + (e.entityId.isEmpty ? "" : " " + e.entityId), e.detail == "{}" ? "" : e.detail]
        }
        let titles = ["audit.col.id", "audit.col.at", "audit.col.user", "audit.col.action", "audit.col.entity", "audit.col.detail"].map { env.t($0) }
        func fit(_ i: Int, _ least: Int, _ most: Int) -> Int { columnWidth(cells, i, title: titles[i], least: least, most: most) }
        let cols = [TableColumn(titles[0], width: fit(0, 5, 9), alignment: .right, priority: 8),
                    TableColumn(titles[1], width: 16, priority: 9),
                    TableColumn(titles[2], width: fit(2, 6, 12), priority: 9),
                    TableColumn(titles[3], width: fit(3, 8, 18), priority: 9),
                    TableColumn(titles[4], width: fit(4, 8, 20), priority: 7),
                    TableColumn(titles[5], width: 10, flex: 1, priority: 5)]
        let tableHeight = max(3, g.height - 7)
        lateTable(&g, columns: cols, count: a.entries.count, selected: a.selected, top: 2, height: tableHeight,
                  emptyText: a.loading ? env.t("review.loading") : env.t("audit.none"), late: { _ in false }) { i in cells[i] }
        if let e = a.selectedEntry {
            // The whole detail of the selected row (the column cuts it).
            let lines = wrap(e.detail == "{}" ? "\(e.action) \(e.entity) \(e.entityId)" : e.detail, width: g.width - 2)
            for (k, line) in lines.prefix(2).enumerated() { g.put(line, x: 1, y: 2 + tableHeight + k, style: dimStyle, maxWidth: g.width - 2) }
        }
        status(&g, left: env.t("audit.count", ["n": String(a.newest)]), right: a.selectedEntry.map { "#\($0.id)" } ?? "")
    }
}
