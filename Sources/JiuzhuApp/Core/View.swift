import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// `view(state) -> grid`: pure, drawn fresh each frame; the backend sends only what changed.
public enum AppView {
    public static let minWidth = 80
    public static let minHeight = 24

    static let titleStyle = Style(fg: .white, bg: .blue, attrs: [.reverse, .bold])
    static let statusStyle = Style(fg: .black, bg: .cyan, attrs: .reverse)
    static let errorStyle = Style(fg: .red, attrs: .bold)
    static let selectedStyle = Style(fg: .black, bg: .yellow, attrs: .reverse)
    static let dimStyle = Style(attrs: .dim)
    static let headingStyle = Style(fg: .cyan, attrs: .bold)

    /// The whole screen, and where the text cursor stands (nil: hidden).
    public static func render(_ s: AppState, env: AppEnvironment) -> (CellGrid, (x: Int, y: Int)?) {
        var g = CellGrid(width: s.width, height: s.height)
        if s.width < minWidth || s.height < minHeight {
            let msg = env.t("app.tooSmall", ["size": "\(s.width)×\(s.height)"])
            let line = TextWidth.prefix(msg, fitting: s.width)
            g.put(line, x: max(0, (s.width - line.displayWidth) / 2), y: s.height / 2)
            return (g, nil)
        }
        titleBar(&g, s, env)
        var cursor: (x: Int, y: Int)?
        switch s.top {
        case .login(let l): cursor = login(&g, l, env)
        case .menu(let m): menu(&g, m, s, env)
        case .households(let b): cursor = households(&g, b, s, env)
        case .householdCard(let c): card(&g, c, s, env)
        case .help(let h): help(&g, h, s, env)
        case .intake(let st): intake(&g, st, s, env)
        case .form(let f): cursor = form(&g, f, s, env)
        case .review(let q): review(&g, q, s, env)
        case .caseView(let c): cursor = caseView(&g, c, s, env)
        case .publicity(let p): cursor = publicityList(&g, p, s, env)
        case .batch(let b): cursor = batchView(&g, b, s, env)
        case .cases(let b): cursor = caseBrowser(&g, b, s, env)
        case .spotchecks(let l): cursor = spotList(&g, l, s, env)
        case .spotDraw(let d): cursor = spotDraw(&g, d, s, env)
        case .due(let d): cursor = dueView(&g, d, s, env)
        case .campaigns(let c): cursor = campaignView(&g, c, s, env)
        case .complaints(let c): cursor = complaintView(&g, c, s, env)
        case .reports(let r): cursor = reportView(&g, r, s, env)
        case .system(let st): cursor = systemView(&g, st, s, env)
        case .settings(let st): cursor = settingsView(&g, st, s, env)
        case .rosters(let l): cursor = rosterListView(&g, l, s, env)
        case .rosterLines(let r): cursor = rosterLinesView(&g, r, s, env)
        case .raise(let r): cursor = raiseView(&g, r, s, env)
        case .audit(let a): auditView(&g, a, s, env)
        }
        keyBar(&g, s.topID, env)
        if let a = s.ask {
            a.box.render(into: &g)
            cursor = nil
        }
        if let m = s.message {
            MessageBox(title: m.title, message: m.text, buttons: [env.t("message.ok")]).render(into: &g)
            cursor = nil
        }
        return (g, cursor)
    }

    static func titleBar(_ g: inout CellGrid, _ s: AppState, _ env: AppEnvironment) {
        let left = " " + env.t("app.name") + (env.township.isEmpty ? "" : " · " + env.township)
        var right = env.today.iso + " "
        if let u = s.user {
            let line = env.t("title.line", ["township": "", "user": u.displayName, "role": u.role.label(env.lang), "date": env.today.iso])
            let trim: (Character) -> Bool = { $0 == " " || $0 == "·" }
            right = String(line.drop(while: trim).reversed().drop(while: trim).reversed()) + " "
        }
        StatusLine(left: left + "  " + env.t("screen.\(s.top.id.rawValue)"), right: right).render(into: &g, x: 0, y: 0, width: g.width, style: titleStyle)
    }

    static func keyBar(_ g: inout CellGrid, _ screen: ScreenID, _ env: AppEnvironment) {
        var items: [KeyBarItem] = []
        let own = env.screens.keymap.bindings(for: screen)
        // Help first: it is the key a new user looks for; then the screen's keys, then global ones.
        for b in env.screens.keymap.global where b.key == "F1" { items.append(KeyBarItem(b.displayKey, b.bar.map { $0(env.lang) } ?? b.text(env.lang))) }
        for b in own + env.screens.keymap.global where b.key != "F1" {
            guard let bar = b.bar, !items.contains(where: { $0.key == b.displayKey }) else { continue }
            if own.contains(where: { $0.key == b.key && $0 != b }) { continue }
            items.append(KeyBarItem(b.displayKey, bar(env.lang)))
        }
        if screen == .households || screen == .menu || screen == .householdCard || screen == .help || screen == .intake || screen == .review || screen == .caseView || screen == .publicity || screen == .batch || screen == .cases || screen == .spotchecks || screen == .spotDraw || screen == .due || screen == .campaigns || screen == .caseInForce || screen == .complaints || screen == .caseReadOnly || screen == .system || screen == .settings || screen == .rosters || screen == .rosterLines || screen == .audit || screen == .raise {
            items.insert(KeyBarItem("↑↓", env.lang == .zh ? "选择" : "move"), at: min(1, items.count))
        }
        _ = KeyBar(items).render(into: &g, x: 0, y: g.height - 1, width: g.width)
    }

    static func status(_ g: inout CellGrid, left: String, right: String) {
        StatusLine(left: left, right: right).render(into: &g, x: 0, y: g.height - 2, width: g.width, style: statusStyle)
    }

    // MARK: login

    static func login(_ g: inout CellGrid, _ l: LoginState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        let w = 56, h = 9
        let x = (g.width - w) / 2, y = max(2, (g.height - h) / 2 - 2)
        g.drawBox(x: x, y: y, width: w, height: h, title: env.t("login.title"))
        let labelW = 10
        g.put(env.t("login.user"), x: x + 3, y: y + 2, maxWidth: labelW)
        g.put(env.t("login.password"), x: x + 3, y: y + 4, maxWidth: labelW)
        let fx = x + 3 + labelW + 1, fw = w - labelW - 8
        let c0 = l.user.render(into: &g, x: fx, y: y + 2, width: fw)
        let c1 = l.password.render(into: &g, x: fx, y: y + 4, width: fw)
        if l.busy {
            g.put(env.t("login.checking"), x: x + 3, y: y + 6, maxWidth: w - 6)
        } else if let e = l.error {
            g.put(e, x: x + 3, y: y + 6, style: errorStyle, maxWidth: w - 6)
        }
        var row = y + h + 1
        if env.demo {
            for line in wrap(env.t("login.demoHint"), width: min(76, g.width - 4)) {
                g.put(line, x: (g.width - line.displayWidth) / 2, y: row); row += 1
            }
        }
        let db = env.t("login.database", ["path": env.databasePath])
        g.put(TextWidth.prefix(db, fitting: g.width - 4), x: 2, y: g.height - 3, style: dimStyle)
        if l.busy { return nil }
        return l.focus == 0 ? (c0, y + 2) : (c1, y + 4)
    }

    // MARK: menu

    static func menu(_ g: inout CellGrid, _ m: MenuState, _ s: AppState, _ env: AppEnvironment) {
        let items = env.screens.menu
        let w = min(g.width - 4, 72)
        let x = (g.width - w) / 2
        let y = max(2, (g.height - items.count - 6) / 2)
        g.put(env.t("menu.title"), x: x, y: y, style: headingStyle)
        g.put(env.t("menu.hint"), x: x, y: y + 1, style: dimStyle, maxWidth: w)
        for (i, item) in items.enumerated() {
            let row = y + 3 + i
            let denied = App.denial(item, user: s.user, env: env)
            let notBuilt = item.screen == nil && item.id != "quit"
            var text = " \(item.key)  \(item.label(env.lang))"
            let labelW = 24
            text = TextWidth.fit(text, labelW)
            var style: Style = denied != nil ? dimStyle : .plain
            if i == m.selection { style = selectedStyle }
            g.put(text, x: x, y: row, style: style)
            // The reason is text too, so a monochrome terminal shows why an item is dim.
            if let why = denied {
                g.put(why, x: x + labelW + 1, y: row, style: dimStyle, maxWidth: w - labelW - 1)
            } else if notBuilt {
                g.put(env.t("menu.notAvailable", ["item": ""]).trimmingCharacters(in: CharacterSet(charactersIn: "「」“” ")),
                      x: x + labelW + 1, y: row, style: dimStyle, maxWidth: w - labelW - 1)
            }
        }
        status(&g, left: s.user.map { "\($0.displayName) · \($0.role.label(env.lang))" } ?? "", right: env.databasePath)
    }

    // MARK: household browser

    static func householdColumns(_ env: AppEnvironment, sort: HouseholdQuery) -> ([TableColumn], [String]) {
        let specs = env.screens.householdColumns
        let cols = specs.map { spec -> TableColumn in
            var title = spec.title(env.lang)
            if spec.sort == sort.sort.rawValue { title += sort.descending ? "▼" : "▲" }
            return TableColumn(title, width: spec.width, alignment: spec.align == "right" ? .right : .left,
                               flex: spec.flex == true ? 1 : 0, priority: spec.priority)
        }
        return (cols, specs.map(\.id))
    }

    static func cells(_ r: HouseholdRow, ids: [String]) -> [String] {
        ids.map { id in
            switch id {
            case "head": return r.headName
            case "id": return r.maskedID
            case "village": return r.village
            case "members": return String(r.memberCount)
            case "programmes": return r.programmes
            default: return ""
            }
        }
    }

    static func households(_ g: inout CellGrid, _ b: HouseholdBrowserState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        let label = env.t("households.search")
        g.put(label, x: 1, y: 1, style: .plain)
        let fx = 1 + label.displayWidth
        let sortName = env.screens.householdColumns.first { $0.sort == b.query.sort.rawValue }?.title(env.lang) ?? b.query.sort.rawValue
        let sortText = env.t("households.sort", ["column": sortName, "dir": env.t(b.query.descending ? "sort.desc" : "sort.asc")])
        let fieldW = max(10, g.width - fx - sortText.displayWidth - 4)
        let cx = b.search.render(into: &g, x: fx, y: 1, width: fieldW)
        g.put(sortText, x: g.width - sortText.displayWidth - 1, y: 1, style: dimStyle)

        let (cols, ids) = householdColumns(env, sort: b.query)
        var table = TableView(columns: cols, pageSize: s.householdPageSize, emptyText: env.t("households.empty"),
                              loadingText: env.t("households.loading"))
        table.setRows(b.rows.map { cells($0, ids: ids) }, moreBefore: !b.atStart, moreAfter: !b.atEnd, selecting: b.selected)
        table.isLoading = b.loading && b.rows.isEmpty
        table.render(into: &g, x: 0, y: 2, width: g.width, height: g.height - 4)

        let countText = b.count.map { env.t("households.count", ["n": grouped($0)]) } ?? env.t("households.counting")
        let hint = b.search.value.isEmpty ? env.t("households.searchHint") : ""
        status(&g, left: countText + (hint.isEmpty ? "" : "  " + hint), right: "")
        return (cx, 1)
    }

    static func grouped(_ n: Int) -> String {
        let s = String(n)
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return out
    }

    // MARK: household card

    /// The card as lines, so it can scroll at any height.
    static func cardLines(_ card: Store.HouseholdCard, width: Int, env: AppEnvironment) -> [(String, Style)] {
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

    // MARK: help

    static func helpEntries(_ screen: ScreenID, _ env: AppEnvironment) -> [HelpEntry] {
        var entries: [HelpEntry] = [.section(env.t("screen.\(screen.rawValue)"))]
        for b in env.screens.keymap.bindings(for: screen) {
            entries.append(HelpEntry(keys: b.displayKey, description: b.text(env.lang)))
        }
        if screen == .households {
            entries.append(HelpEntry(keys: "abc 张 123", description: env.t("households.searchHint")))
        }
        entries.append(.section(env.t("help.global")))
        for b in env.screens.keymap.global { entries.append(HelpEntry(keys: b.displayKey, description: b.text(env.lang))) }
        return entries
    }

    static func help(_ g: inout CellGrid, _ h: HelpState, _ s: AppState, _ env: AppEnvironment) {
        g.put(env.t("help.title", ["screen": env.t("screen.\(h.screen.rawValue)")]), x: 1, y: 1, style: headingStyle)
        var view = HelpView(entries: helpEntries(h.screen, env), pageSize: g.height - 5)
        for _ in 0..<h.scroll { _ = view.handle(.down) }
        view.render(into: &g, x: 1, y: 3, width: g.width - 2, height: g.height - 5)
    }
}
