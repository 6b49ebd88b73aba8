import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

public struct CardState: Equatable, Sendable {
    public var householdId: Int64
    public var card: HouseholdRecord?
    public var scroll = 0
    public static func == (a: CardState, b: CardState) -> Bool {
        a.householdId == b.householdId && a.scroll == b.scroll && (a.card == nil) == (b.card == nil)
    }
}

/// 户卡: one household, its members and its cases, scrolled a line or a page at a time.
public enum HouseholdCardScreen: ScreenModule {
    public static let id = ScreenID.householdCard
    public static func embed(_ state: CardState) -> Screen { .householdCard(state) }
    public static func extract(_ screen: Screen) -> CardState? { if case .householdCard(let c) = screen { return c } else { return nil } }

    public enum Effect: Equatable, Sendable {
        case load(Int64)
    }

    public enum Event: Sendable {
        case loaded(HouseholdRecord?)
    }

    public static func isQuickRead(_ effect: Effect) -> Bool { true }

    static func open(_ s: inout AppState, household id: Int64) -> [JiuzhuApp.Effect] {
        s.push(.householdCard(CardState(householdId: id)))
        return [effect(.load(id))]
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        switch effect {
        case .load(let hid):
            return .loaded(try cx.store.read { db in try Store.householdRecord(db, id: hid) })
        }
    }

    public static func event(_ s: inout AppState, _ c: inout CardState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        guard top(s) != nil else { return [] }
        switch event {
        case .loaded(let card): c.card = card
        }
        return []
    }

    public static func key(_ s: inout AppState, _ c: inout CardState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch cmd {
        case .back?: s.pop()
        case .up?: c.scroll = max(0, c.scroll - 1)
        case .down?: c.scroll += 1
        case .pageUp?: c.scroll = max(0, c.scroll - (s.height - 4))
        case .pageDown?: c.scroll += s.height - 4
        default: break
        }
        return []
    }

    public static func view(_ g: inout CellGrid, _ c: CardState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.card(&g, c, s, env)
        return nil
    }
}

extension AppView {
    // MARK: household card

    /// The card as lines, so it can scroll at any height.
    static func cardLines(_ card: HouseholdRecord, width: Int, env: AppEnvironment) -> [(String, Style)] {
        var lines: [(String, Style)] = []
        let h = card.household
        let head = card.members.first { $0.isHead } ?? card.members.first
        func field(_ key: String, _ value: String) -> String { TextWidth.fit(env.t(key), 9) + " " + value }
        lines.append((field("card.village", card.village) + "    " + field("card.hukou", env.t("hukou.\(h.hukou.rawValue)")), .plain))
        lines.append((field("card.address", h.address), .plain))
        var housing = env.t("housing.\(h.housing.rawValue)")
        if let a = h.housingArea { housing += " \(a) m²" }
        if h.dilapidated { housing += " · " + env.t("card.dilapidated") }
        lines.append((field("card.housing", housing), .plain))
        let causes = h.causes.map { env.label("poverty_cause", $0) }.joined(separator: env.lang == .zh ? "、" : ", ")
        lines.append((field("card.causes", causes.isEmpty ? "—" : causes) + (h.cadreRelative ? "  · " + env.t("card.cadre") : ""), .plain))
        if let p = h.phone { lines.append((field("card.phone", p), .plain)) }
        lines.append(("", .plain))
        lines.append((env.t("card.members", ["n": String(card.members.count)]), headingStyle))
        let mcols: [(String, Int)] = [("card.col.name", 10), ("card.col.relation", 6), ("card.col.sex", 4), ("card.col.age", 4),
                                     ("card.col.ethnicity", 6), ("card.col.health", 8), ("card.col.work", 12), ("card.col.id", 18)]
        func row(_ vals: [String], _ cols: [(String, Int)]) -> String {
            zip(vals, cols).map { TextWidth.fit($0, $1.1, ellipsis: true) }.joined(separator: " ")
        }
        lines.append((row(mcols.map { env.t($0.0) }, mcols), Style(attrs: .underline)))
        for m in card.members {
            var health = env.label("health", m.health.rawValue)
            if let t = m.disabilityType { health = env.label("disability_type", t) + (m.disabilityLevel.map { "\($0)级" } ?? "") }
            lines.append((row([m.name, env.label("relationship", m.relation), m.sex.label(env.lang), String(m.birthDate.age(on: env.today)),
                               env.label("ethnicity", m.ethnicity), health, env.label("work_ability", m.workAbility.rawValue),
                               m.idNumber], mcols), .plain))
        }
        lines.append(("", .plain))
        lines.append((env.t("card.cases"), headingStyle))
        if card.cases.isEmpty {
            lines.append((env.t("card.noCases"), dimStyle))
        } else {
            let ccols: [(String, Int)] = [("card.col.programme", 12), ("card.col.step", 14), ("card.col.status", 10),
                                         ("card.col.since", 10), ("card.col.amount", 10)]
            lines.append((row(ccols.map { env.t($0.0) }, ccols), Style(attrs: .underline)))
            for c in card.cases {
                let amount = c.monthlyAmount ?? c.id.flatMap { card.onceAmounts[$0] }
                let why = c.id.flatMap { card.overrides[$0] }
                lines.append((row([c.programme.label(env.lang), env.stepLabel(c.programme, c.step), c.status.label(env.lang),
                                   c.stepSince.iso, (amount.map(\.yuanString) ?? "—") + (why == nil ? "" : "*")], ccols), .plain))
                if let why { lines.append(("  * " + env.t("card.override", ["reason": why]), noteStyle)) }
            }
        }
        // Those who died or moved out stay on the record; the change history (变动记录), newest first.
        if !card.formerMembers.isEmpty {
            lines.append(("", .plain))
            lines.append((env.t("card.former"), headingStyle))
            for m in card.formerMembers {
                var what = m.diedOn.map { env.t("card.died", ["date": $0.iso]) } ?? ""
                if let d = m.leftOn { what = env.t("card.left", ["why": m.leftReason?.label(env.lang) ?? "", "date": d.iso]) }
                lines.append((m.name + "  " + env.label("relationship", m.relation) + "  " + what, dimStyle))
            }
        }
        lines.append(("", .plain))
        lines.append((env.t("card.changes", ["n": String(card.changes.count)]), headingStyle))
        if card.changes.isEmpty { lines.append((env.t("card.noChanges"), dimStyle)) }
        for c in card.changes {
            for (i, part) in wrap(c.effectiveOn.iso + "  " + c.kind.label(env.lang) + "  " + c.summary, width: max(20, width)).enumerated() {
                lines.append(((i == 0 ? "" : "    ") + part, .plain))
            }
            let by = env.t("card.changeBy", ["reason": c.reason, "by": c.recordedBy, "at": String(c.recordedAt.prefix(16)).replacingOccurrences(of: "T", with: " ")])
            for part in wrap(by, width: max(20, width - 4)) { lines.append(("    " + part, dimStyle)) }
        }
        _ = head
        return lines
    }

    static func card(_ g: inout CellGrid, _ c: CardState, _ s: AppState, _ env: AppEnvironment) {
        guard let card = c.card else {
            g.put(env.t("households.loading"), x: 2, y: 2)
            return
        }
        let head = card.members.first { $0.isHead } ?? card.members.first
        g.put(env.t("card.title", ["head": head?.name ?? ""]), x: 1, y: 1, style: headingStyle)
        let lines = cardLines(card, width: g.width - 2, env: env)
        let area = g.height - 5
        let top = min(c.scroll, max(0, lines.count - area))
        for (i, (text, style)) in lines.dropFirst(top).prefix(area).enumerated() {
            g.put(text, x: 1, y: 3 + i, style: style, maxWidth: g.width - 2)
        }
        status(&g, left: "\(min(lines.count, top + area))/\(lines.count)", right: "")
    }

}
