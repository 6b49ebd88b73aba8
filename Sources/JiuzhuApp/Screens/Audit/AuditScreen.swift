import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// 系统管理 → 审计日志, the worked example of a screen (docs/architecture.md, "Adding a screen"):
/// its state in `AuditState.swift`, its view in `AuditView.swift`, and here the module: its
/// effects and their handler, its events, and its keys.
public enum AuditScreen: ScreenModule {
    public static let id: ScreenID = "audit"

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
        s.push(AuditScreen.embed(AuditState()))
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
}
