import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

public struct CardState: Equatable, Sendable {
    public var householdId: Int64
    public var card: HouseholdRecord?
    public var scroll = 0
    /// F7: the list of kinds of change open, on this line.
    public var picker: Int?
    /// The kind being recorded and its form.
    public var kind: CardChangeKind?
    public var dialog: ActionDialog?
    public static func == (a: CardState, b: CardState) -> Bool {
        a.householdId == b.householdId && a.scroll == b.scroll && (a.card == nil) == (b.card == nil) && a.card?.household.version == b.card?.household.version
            && a.picker == b.picker && a.kind == b.kind && a.dialog == b.dialog
    }
}

/// 户卡: one household, its members and its cases, scrolled a line or a page at a time.
public enum HouseholdCardScreen: ScreenModule {
    public static let id: ScreenID = "householdCard"

    public static func keymapSection(_ c: CardState, _ s: AppState) -> ScreenID { c.dialog != nil ? .caseAction : id }

    public enum Effect: Equatable, Sendable {
        case load(Int64)
        /// Record the change the form was filled with, over the household as the clerk saw it (`version`).
        case record(householdId: Int64, version: Int, CardChangeRequest, on: CivilDate, reason: String)
    }

    public enum Event: Sendable {
        case loaded(HouseholdRecord?)
        case recorded(HouseholdChangeResult)
        case refused(any Error)
    }

    public static func isQuickRead(_ effect: Effect) -> Bool {
        if case .load = effect { return true }
        return false
    }

    static func open(_ s: inout AppState, household id: Int64) -> [JiuzhuApp.Effect] {
        s.push(HouseholdCardScreen.embed(CardState(householdId: id)))
        return [effect(.load(id))]
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        switch effect {
        case .load(let hid):
            return .loaded(try cx.store.read { db in try Store.householdRecord(db, id: hid) })
        case .record(let hid, let version, let request, let on, let reason):
            guard let u = cx.user, let catalog = cx.env.catalog else { return nil }
            do {
                // The store checks who may (Permission.householdChanges) on the user as stored.
                switch request {
                case .change(let change):
                    return .recorded(try cx.store.recordHouseholdChange(householdId: hid, version: version, change: change, on: on, reason: reason,
                                                                        by: u.name, today: cx.env.today, catalog: catalog))
                case .split(let persons, let newHead, let address, let remainingHead):
                    return .recorded(try cx.store.splitHousehold(householdId: hid, version: version, persons: persons, newHead: newHead, address: address,
                                                                 remainingHead: remainingHead, on: on, reason: reason, by: u.name, today: cx.env.today,
                                                                 catalog: catalog))
                case .merge(let into, let persons):
                    // The household joined is taken as it is now; this card's as the clerk saw it.
                    guard let target = try cx.store.householdCard(id: into) else {
                        throw StoreError.notFound(entity: "household", id: String(into))
                    }
                    return .recorded(try cx.store.mergeHouseholds(from: hid, fromVersion: version, into: into, intoVersion: target.household.version,
                                                                  persons: persons, on: on, reason: reason, by: u.name, today: cx.env.today,
                                                                  catalog: catalog))
                }
            } catch { return .refused(error) }
        }
    }

    public static func event(_ s: inout AppState, _ c: inout CardState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        guard top(s) != nil else { return [] }
        switch event {
        case .loaded(let card): c.card = card
        case .recorded(let r):
            c.dialog = nil; c.kind = nil
            s.message = Message(title: env.t("card.change.doneTitle"), text: doneText(r, env: env))
            s.dataChanged()     // the list under the card reloads when it is uncovered
            return [effect(.load(c.householdId))]
        case .refused(let error):
            App.showRefusal(error, in: &c.dialog, &s, env: env)
        }
        return []
    }

    /// What was recorded and where it goes next: each case in force it reached, with the
    /// proposal and who settles it.
    static func doneText(_ r: HouseholdChangeResult, env: AppEnvironment) -> String {
        var lines = [env.t("card.change.done", ["id": IdBlock.shown(r.changeId)])]
        if let n = r.newHouseholdId { lines.append(env.t("card.change.newHousehold", ["id": IdBlock.shown(n)])) }
        if r.proposals.isEmpty { lines.append(env.t("card.change.noCase")) }
        for p in r.proposals {
            let what: String
            switch p.proposed {
            case .adjust: what = env.t("card.change.proposeAdjust", ["amount": p.amount?.yuanString ?? "?", "n": String(p.persons.count)])
            case .cancel: what = env.t("card.change.proposeStop", ["month": p.stopMonth ?? ""])
            default: what = env.t("card.change.proposeSame")
            }
            lines.append(env.t("card.change.followUp", ["case": IdBlock.shown(p.caseId), "kind": p.kind.label(env.lang), "what": what]))
        }
        // What comes next and who does it, as the case view says it (a follow-up open on a case in force).
        if !r.proposals.isEmpty {
            lines.append(NextStep.text(programme: nil, step: "", status: .active, sentBack: false, followUpOpen: true, env: env))
        }
        return lines.joined(separator: "\n")
    }

    public static func key(_ s: inout AppState, _ c: inout CardState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        if c.dialog != nil { return formKey(&s, &c, key, env: env) }
        if let line = c.picker {
            let kinds = CardChangeKind.allCases
            switch cmd {
            case .up?: c.picker = (line + kinds.count - 1) % kinds.count
            case .down?: c.picker = (line + 1) % kinds.count
            case .back?: c.picker = nil
            case .confirm?:
                guard let card = c.card else { return [] }
                c.picker = nil
                c.kind = kinds[line]
                // The kind's name before its explanation ("迁出：婚嫁、…" → "迁出").
                let short = kinds[line].label(env).split(whereSeparator: { ":(\u{FF1A}\u{FF08}".contains($0) }).first.map(String.init) ?? ""
                let title = env.t("card.change.title", ["kind": short.trimmingCharacters(in: .whitespaces),
                                                        "head": card.members.first { $0.isHead }?.name ?? ""])
                var d = ActionDialog(action: .done, title: title,
                                     fields: HouseholdChangeForm.fields(kinds[line], card, env: env))
                HouseholdChangeForm.liveCheck(&d, env: env)
                c.dialog = d
            default: break
            }
            return []
        }
        switch cmd {
        case .householdChange?:
            guard c.card != nil, let u = s.user else { return [] }
            // The store refuses the others too; here they are told before they type.
            if !Policy.allows(u.role, .householdChanges) {
                s.message = Message(title: env.t("error.title"),
                                    text: StoreError.notPermitted(user: u.name, role: u.role, permission: .householdChanges).message(env.lang))
                return []
            }
            if c.card?.mergedInto != nil {
                s.message = Message(title: env.t("error.title"), text: env.t("card.change.merged", ["id": IdBlock.shown(c.card?.mergedInto ?? 0)]))
                return []
            }
            c.picker = 0
        case .back?: s.pop()
        case .up?: c.scroll = max(0, c.scroll - 1)
        case .down?: c.scroll += 1
        case .pageUp?: c.scroll = max(0, c.scroll - (s.height - 4))
        case .pageDown?: c.scroll += s.height - 4
        default: break
        }
        return []
    }

    /// Keys typed into the change form: Esc drops it (nothing recorded), F2 or Enter on the
    /// last field records it; a field that cannot be read says why and takes the cursor.
    static func formKey(_ s: inout AppState, _ c: inout CardState, _ key: KeyEvent, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        guard let kind = c.kind, let card = c.card else { c.dialog = nil; return [] }
        var box = c.dialog
        if key == .char(" "), var d = box, !d.busy, HouseholdChangeForm.cycle(&d, kind, env: env) {
            c.dialog = d
            return []
        }
        let fx = App.boxKey(&box, key, env: env) { d in
            if App.missing(&d, env: env) { return ([], false) }
            switch HouseholdChangeForm.read(kind, d, card, env: env) {
            case .failure(let r):
                d.error = r.text
                d.focus = d.fields.firstIndex { $0.id == r.field } ?? d.focus
                return ([], false)
            case .success(let (request, on, reason)):
                d.error = nil; d.busy = true
                return ([effect(.record(householdId: c.householdId, version: card.household.version, request, on: on, reason: reason))], false)
            }
        }
        if var b = box { HouseholdChangeForm.liveCheck(&b, env: env); box = b } else { c.kind = nil }
        c.dialog = box
        return fx
    }

    public static func view(_ g: inout CellGrid, _ c: CardState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.card(&g, c, s, env)
        if let line = c.picker { AppView.changeKinds(&g, line, env) }
        guard let d = c.dialog else { return nil }
        let members = c.card.map { card in card.members.enumerated().map { "\($0.offset + 1) \($0.element.name)" } } ?? []
        return AppView.changeDialog(&g, d, members: c.kind == .facts ? [] : members, env)
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
        let causes = h.causes.map { env.label("poverty_cause", $0) }.joined(separator: env.t("card.text"))
        lines.append((field("card.causes", causes.isEmpty ? "—" : causes) + (h.cadreRelative ? "  · " + env.t("card.cadre") : ""), .plain))
        if let p = h.phone { lines.append((field("card.phone", p), .plain)) }
        lines.append(("", .plain))
        lines.append((env.t("card.members", ["n": String(card.members.count)]), headingStyle))
        let memberRows: [[String]] = card.members.enumerated().map { n, m in
            var health = env.label("health", m.health.rawValue)
            if let t = m.disabilityType {
                health = env.label("disability_type", t) + (m.disabilityLevel.map { env.t("card.disabilityLevel", ["n": String($0)]) } ?? "")
            }
            return [String(n + 1), m.name, env.label("relationship", m.relation), m.sex.label(env.lang), String(m.birthDate.age(on: env.today)),
                    env.label("ethnicity", m.ethnicity), health, env.label("work_ability", m.workAbility.rawValue),
                    m.hasIDNumber ? m.idNumber : env.t("card.birthCert", ["cert": m.birthCertificate ?? String(m.idNumber.dropFirst(2))])]
        }
        // Each column as wide as its title and its widest value (at least its floor); the number,
        // name, sex, age and ID number columns stay whole. Too wide for the window (English words,
        // "head of household", "fully able to work", are longer than Chinese ones): the flexible
        // columns give back, first down to their longest word, and their cells wrap onto the
        // next lines of the row instead of being cut (issue 21 item 6).
        let caps: [(String, Int)] = [("card.col.no", 2), ("card.col.name", 4), ("card.col.relation", 6), ("card.col.sex", 3),
                                     ("card.col.age", 3), ("card.col.ethnicity", 6), ("card.col.health", 6), ("card.col.work", 8),
                                     ("card.col.id", 18)]
        let titles = caps.map { env.t($0.0) }
        func longestWord(_ text: String) -> Int {
            text.split(separator: " ").map { TextWidth.of(String($0)) }.max() ?? 0
        }
        var widths: [Int] = caps.indices.map { i in memberRows.reduce(max(caps[i].1, TextWidth.of(titles[i]))) { max($0, TextWidth.of($1[i])) } }
        widths[8] = min(widths[8], 18)
        let flexible = [2, 5, 6, 7]
        let least: [Int: Int] = Dictionary(uniqueKeysWithValues: flexible.map { i in
            (i, max(4, memberRows.reduce(longestWord(titles[i])) { max($0, longestWord($1[i])) }))
        })
        var over = widths.reduce(widths.count - 1, +) - (width - 2)
        // The lines a column's cells take at a width: give back where it adds the fewest lines.
        func cost(_ i: Int, _ w: Int) -> Int { memberRows.reduce(wrap(titles[i], width: w).count) { $0 + wrap($1[i], width: w).count } }
        while over > 0 {
            let candidates = flexible.filter { widths[$0] > least[$0]! }
            guard let i = candidates.min(by: { a, b in
                let da = cost(a, widths[a] - 1) - cost(a, widths[a]), db = cost(b, widths[b] - 1) - cost(b, widths[b])
                return da != db ? da < db : widths[a] > widths[b]
            }) else { break }
            widths[i] -= 1; over -= 1
        }
        // Still too wide: words are broken, the widest column first.
        while over > 0, let i = flexible.filter({ widths[$0] > 4 }).max(by: { widths[$0] < widths[$1] }) {
            widths[i] -= 1; over -= 1
        }
        let mcols: [(String, Int)] = zip(caps, widths).map { ($0.0, $1) }
        func row(_ vals: [String], _ cols: [(String, Int)]) -> String {
            zip(vals, cols).map { TextWidth.fit($0, $1.1, ellipsis: true) }.joined(separator: " ")
        }
        /// One row over as many lines as its longest cell wraps to.
        func wrappedRow(_ vals: [String], _ cols: [(String, Int)]) -> [String] {
            let cells = zip(vals, cols).map { v, c -> [String] in
                let w = wrap(v, width: c.1)
                return w.isEmpty ? [""] : w
            }
            let n = cells.map(\.count).max() ?? 1
            return (0..<n).map { k in
                zip(cells, cols).map { TextWidth.fit(k < $0.count ? $0[k] : "", $1.1) }.joined(separator: " ")
            }
        }
        for l in wrappedRow(titles, mcols) { lines.append((l, Style(attrs: .underline))) }
        for r in memberRows { for l in wrappedRow(r, mcols) { lines.append((l, .plain)) } }
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

    /// The change form over the card: the members as the card numbers them at its top (the
    /// member fields take those numbers), the fields, the error wrapped on up to two lines.
    static func changeDialog(_ g: inout CellGrid, _ d: ActionDialog, members: [String], _ env: AppEnvironment) -> (x: Int, y: Int)? {
        let w = min(g.width - 4, 76)
        let inner = w - 4
        let memberLines = members.isEmpty ? [] : wrap(env.t("card.change.members") + members.joined(separator: "  "), width: inner)
        let top = memberLines.isEmpty ? 0 : memberLines.count + 1
        let fixed = 6 + top   // borders, error (two lines), keys
        let step = d.fields.count * 2 + fixed <= g.height - 2 ? 2 : 1
        let h = min(g.height - 2, d.fields.count * step + fixed)
        let x = (g.width - w) / 2, y = max(1, (g.height - h) / 2)
        g.fill(x: x, y: y, width: w, height: h)
        g.drawBox(x: x, y: y, width: w, height: h, title: d.title)
        for (i, line) in memberLines.enumerated() { g.put(line, x: x + 2, y: y + 1 + i, style: dimStyle, maxWidth: inner) }
        let labelW = min(14, d.fields.map { $0.label.displayWidth + ($0.required ? 1 : 0) }.max() ?? 8)
        let fieldW = min(28, w - labelW - 6)
        var cursor: (x: Int, y: Int)?
        for (i, fld) in d.fields.enumerated() {
            let row = y + 1 + top + i * step
            if row >= y + h - 4 { break }
            let label = TextWidth.fit((fld.required ? "*" : " ") + fld.label, labelW + 1, ellipsis: true)
            g.put(label, x: x + 2, y: row, style: i == d.focus ? Style(attrs: .bold) : .plain)
            let fx = x + 4 + labelW
            let cx = fld.field.render(into: &g, x: fx, y: row, width: fieldW, showsSelection: i == d.focus)
            if !fld.hint.isEmpty {
                let hx = fx + fieldW + 1
                g.put(fld.hint, x: hx, y: row, style: dimStyle, maxWidth: x + w - 2 - hx)
            }
            if i == d.focus { cursor = (cx, row) }
        }
        let bottom = y + h - 2
        if let e = d.error {
            for (i, line) in wrap(e, width: inner).prefix(2).enumerated() { g.put(line, x: x + 2, y: bottom - 2 + i, style: errorStyle, maxWidth: inner) }
        } else if d.busy {
            g.put(env.t("review.saving"), x: x + 2, y: bottom - 1, maxWidth: inner)
        }
        g.put(env.t("review.dialogKeys"), x: x + 2, y: bottom, style: dimStyle, maxWidth: inner)
        return d.busy ? nil : cursor
    }

    /// F7's list of the kinds of change, over the card.
    static func changeKinds(_ g: inout CellGrid, _ line: Int, _ env: AppEnvironment) {
        let kinds = CardChangeKind.allCases
        let w = min(g.width - 4, max(40, kinds.map { $0.label(env).displayWidth }.max() ?? 0) + 8)
        let h = min(g.height - 2, kinds.count + 4)
        let x = (g.width - w) / 2, y = max(1, (g.height - h) / 2)
        g.fill(x: x, y: y, width: w, height: h)
        g.drawBox(x: x, y: y, width: w, height: h, title: env.t("card.change.pickTitle"))
        for (i, k) in kinds.enumerated() where y + 1 + i < y + h - 2 {
            let text = TextWidth.fit(" " + k.label(env), w - 4)
            g.put(text, x: x + 2, y: y + 1 + i, style: i == line ? Style(attrs: .reverse) : .plain)
        }
        g.put(env.t("card.change.pickKeys"), x: x + 2, y: y + h - 2, style: dimStyle, maxWidth: w - 4)
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
