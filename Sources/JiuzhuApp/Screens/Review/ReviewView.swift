import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

extension AppView {
    static let lateStyle = Style(attrs: [.reverse])
    static let passStyle = Style(fg: .green)
    static let failStyle = Style(fg: .red, attrs: .bold)
    static let noteStyle = Style(fg: .yellow)

    // MARK: the queue

    /// `county`: a county file's queue, with the township before the village.
    static func reviewColumns(_ env: AppEnvironment, county: Bool = false) -> [TableColumn] {
        [TableColumn(env.t("review.col.due"), width: 13, priority: 9),
         TableColumn(env.t("review.col.programme"), width: 8, priority: 8),
         TableColumn(env.t("review.col.step"), width: 10, priority: 9)]
        + (county ? [TableColumn(env.t("county.col.township"), width: 8, priority: 7)] : []) + [
         TableColumn(env.t("review.col.village"), width: 8, flex: 1, priority: 6),
         TableColumn(env.t("review.col.head"), width: 8, flex: 1, priority: 9),
         TableColumn(env.t("review.col.covered"), width: 4, alignment: .right, priority: 4),
         TableColumn(env.t("review.col.since"), width: 10, priority: 7),
         TableColumn(env.t("review.col.case"), width: 7, alignment: .right, priority: 3)]
    }

    static func review(_ g: inout CellGrid, _ q: ReviewState, _ s: AppState, _ env: AppEnvironment) {
        var village = q.village.flatMap { code in q.villages.first { $0.code == code }?.name } ?? env.t("review.all")
        // A county file with no township chosen: the village's township with it (names repeat).
        if let towns = q.townships, q.township == nil, let code = q.village { village = CountyView.townshipName(code, towns) + " " + village }
        let programme = q.programme.map { $0.label(env.lang) } ?? env.t("review.all")
        var filters = env.t("review.filters", ["village": village, "programme": programme])
        if let step = q.step { filters += env.t("review.stepFilter", ["step": step]) }
        if q.followUpsOnly { filters += env.t("review.followUpFilter") }
        if let towns = q.townships {
            // A county file: the township filter first, and whether only the county's steps show.
            let town = q.township.flatMap { c in towns.first { $0.code == c }?.name } ?? env.t("review.all")
            filters = env.t("county.reviewFilters", ["township": town]) + filters
        }
        g.put(filters, x: 1, y: 1, maxWidth: g.width - 2)
        lateTable(&g, columns: reviewColumns(env, county: q.townships != nil), count: q.rows.count, selected: q.selected, top: 2, height: g.height - 4,
                  emptyText: q.loading ? env.t("review.loading") : env.t("review.empty"),
                  late: { q.rows[$0].due?.overdue == true || q.rows[$0].flowLimit?.overdue == true }) { i in
            let r = q.rows[i]
            let due = r.changeKind.map { $0.label(env.lang) + "·" + (r.followUp?.label(env.lang) ?? "") }
                ?? r.followUp.map { env.t("review.followUpTo", ["proposal": $0.label(env.lang)]) } ?? CaseReport.queueDue(r, env: env)
            let town = q.townships.map { [CountyView.townshipName(r.villageCode, $0)] } ?? []
            return [due, r.programme.shortLabel(env.lang), env.stepShort(r.programme, r.step)] + town + [r.villageName,
                    r.headName, String(r.covered), r.stepSince.iso, CountyView.caseNumber(r.caseId, county: q.townships != nil)]
        }
        let late = q.rows.filter { $0.due?.overdue == true || $0.flowLimit?.overdue == true }.count
        var left = q.loading ? env.t("review.loading") : env.t("review.count", ["n": String(q.total), "late": String(late)])
        if !q.loading && q.total > q.rows.count { left += env.t("review.cut", ["shown": String(q.rows.count)]) }
        let follow = q.rows.filter { $0.followUp != nil }.count
        if !q.loading && follow > 0 { left += env.t("review.followUpCount", ["n": String(follow)]) }
        // The county approval queue says so where the count is (the filter line is full at 80).
        if q.countySteps { left += env.t("county.countyStepsFilter") }
        let right = q.rows.isEmpty ? "" : "\(q.selected + 1)/\(q.rows.count)"
        status(&g, left: left, right: right)
    }

    /// A table whose late rows are in reverse video and whose selected row is marked ▶, so a
    /// monochrome terminal tells the two apart. Only the rows on screen are built.
    /// A column as wide as its widest cell and its title, at least `least`, at most `most`:
    /// figures are never cut.
    static func columnWidth(_ cells: [[String]], _ i: Int, title: String = "", least: Int, most: Int = .max) -> Int {
        min(most, cells.reduce(max(least, TextWidth.of(title))) { max($0, TextWidth.of($1[i])) })
    }

    static func lateTable(_ g: inout CellGrid, columns cols: [TableColumn], count: Int, selected: Int, top: Int, height: Int,
                          emptyText: String, late: (Int) -> Bool, cells: (Int) -> [String]) {
        let slots = TableLayout.layout(cols, width: g.width, gap: 1)
        let header = Style(attrs: [.bold, .underline])
        g.fill(x: 0, y: top, width: g.width, height: 1, style: header)
        for slot in slots { g.putFitted(cols[slot.column].title, x: slot.x, y: top, width: slot.width, alignment: cols[slot.column].alignment, style: header) }
        let visible = height - 1
        guard count > 0 else {
            g.putFitted(emptyText, x: 0, y: top + 1, width: g.width, alignment: .center)
            return
        }
        // A selection past the rows (a list that shrank, a page still loading) draws the nearest row.
        let selected = min(max(0, selected), count - 1)
        let first = TableView.clampScroll(max(0, selected - visible / 2), selected: selected, count: count, visible: visible)
        for line in 0..<min(visible, count - first) {
            let i = first + line
            var style: Style = late(i) ? lateStyle : .plain
            if i == selected { style = selectedStyle }
            let y = top + 1 + line
            g.fill(x: 0, y: y, width: g.width, height: 1, style: style)
            var row = cells(i)
            if !row.isEmpty { row[0] = (i == selected ? "▶" : " ") + row[0] }
            for slot in slots where slot.column < row.count {
                g.putFitted(row[slot.column], x: slot.x, y: y, width: slot.width, alignment: cols[slot.column].alignment, style: style)
            }
        }
    }

    // MARK: a case

    static func style(_ k: CaseReport.Kind) -> Style {
        switch k {
        case .heading: return headingStyle
        case .plain: return .plain
        case .pass: return passStyle
        case .fail: return failStyle
        case .note: return noteStyle
        case .late: return lateStyle
        }
    }

    /// The case's report lines wrapped to the screen, so a long finding or reason is read whole:
    /// a continuation is indented two columns past its line's own indentation.
    static func caseLines(_ f: CaseFile, env: AppEnvironment, width: Int) -> [CaseReport.Line] {
        let w = max(10, width - 2)
        return CaseReport.lines(f, env: env).flatMap { line -> [CaseReport.Line] in
            guard TextWidth.of(line.text) > w else { return [line] }
            let indent = line.text.prefix { $0 == " " }.count
            let first = wrap(line.text, width: w)
            guard let head = first.first else { return [line] }
            let rest = String(line.text.dropFirst(head.count).drop { $0 == " " })
            let pad = String(repeating: " ", count: min(indent + 2, w / 2))
            return [CaseReport.Line(line.kind, head)] + wrap(rest, width: w - pad.count).map { CaseReport.Line(line.kind, pad + $0) }
        }
    }

    static func caseView(_ g: inout CellGrid, _ c: CaseViewState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        guard let f = c.file else {
            g.put(c.missing ? env.t("review.caseMissing") : env.t("review.loading"), x: 2, y: 2)
            return nil
        }
        let lines = caseLines(f, env: env, width: g.width)
        let area = g.height - 4
        let top = min(c.scroll, max(0, lines.count - area))
        for (i, line) in lines.dropFirst(top).prefix(area).enumerated() {
            g.put(line.text, x: 1, y: 1 + i, style: style(line.kind), maxWidth: g.width - 2)
        }
        var actions: [String] = []
        if let user = s.user, let wf = App.workflow(env, f.caseRecord.programme) {
            let keys: [CaseAction: String] = [.done: "F2", .approve: "F2", .reject: "F3", .proposeReject: "F3", .withdraw: "F8", .back: "F4", .objection: "F5", .urgentPay: "F6", .terminate: "F7",
                                                .adjust: "F2", .keep: "F3", .suspend: "F4", .resume: "F2"]
            actions = wf.allowed(f.progress, role: user.role).map { "\(keys[$0] ?? "") \($0.label(env.lang))" }
        }
        let left = actions.isEmpty ? env.t("review.noActions") : env.t("review.actions", ["actions": actions.joined(separator: " · ")])
        status(&g, left: left, right: "\(min(lines.count, top + area))/\(lines.count)")
        guard let d = c.dialog else { return nil }
        return actionDialog(&g, d, env)
    }

    /// The action box: one line per input, label on the left, hint on the right; the error,
    /// and the keys, at the bottom.
    static func actionDialog(_ g: inout CellGrid, _ d: ActionDialog, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        let w = min(g.width - 4, 76)
        // A blank line between fields when they fit so; packed when they would not.
        let step = d.fields.count * 2 + 5 <= g.height - 2 ? 2 : 1
        let h = min(g.height - 2, d.fields.count * step + 5)
        let x = (g.width - w) / 2, y = max(1, (g.height - h) / 2)
        g.fill(x: x, y: y, width: w, height: h)
        g.drawBox(x: x, y: y, width: w, height: h, title: d.title)
        let labelW = min(14, d.fields.map { $0.label.displayWidth + ($0.required ? 1 : 0) }.max() ?? 8)
        let fieldW = min(28, w - labelW - 6)
        var cursor: (x: Int, y: Int)?
        for (i, fld) in d.fields.enumerated() {
            let row = y + 1 + i * step
            if row >= y + h - 3 { break }
            let label = TextWidth.fit((fld.required ? "*" : " ") + fld.label, labelW + 1, ellipsis: true)
            g.put(label, x: x + 2, y: row, style: i == d.focus ? Style(attrs: .bold) : .plain)
            let fx = x + 4 + labelW
            let cx = fld.field.render(into: &g, x: fx, y: row, width: fieldW, showsSelection: i == d.focus)
            if !fld.hint.isEmpty {
                let hx = fx + fieldW + 1, hw = x + w - 2 - hx
                if hx < x + w - 2 {
                    // A hint too long for its column goes on in the blank line below, when the
                    // fields have one; what still does not fit ends in "…".
                    let lines = TermUI.wrap(fld.hint, width: hw)
                    let room = step
                    let shown = lines.count <= room ? lines
                        : Array(lines.prefix(room - 1)) + [TextWidth.fit(lines[(room - 1)...].joined(separator: " "), hw, ellipsis: true)]
                    for (k, line) in shown.enumerated() { g.put(line, x: hx, y: row + k, style: dimStyle, maxWidth: hw) }
                } else {
                    g.put(fld.hint.replacingOccurrences(of: "\n", with: " "), x: fx, y: row + 1, style: dimStyle, maxWidth: w - labelW - 6)
                }
            }
            if i == d.focus { cursor = (cx, row) }
        }
        let bottom = y + h - 2
        if let e = d.error {
            g.put(e, x: x + 2, y: bottom - 1, style: errorStyle, maxWidth: w - 4)
        } else if d.busy {
            g.put(env.t("review.saving"), x: x + 2, y: bottom - 1, maxWidth: w - 4)
        }
        g.put(env.t("review.dialogKeys"), x: x + 2, y: bottom, style: dimStyle, maxWidth: w - 4)
        return d.busy ? nil : cursor
    }
}
