import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

extension AppView {
    static func dueView(_ g: inout CellGrid, _ d: DueState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        let counts = DueItem.Kind.allCases.map { k in "\(k.label(env.lang)) \(d.items.filter { $0.kind == k }.count)" }.joined(separator: " · ")
        g.put(counts, x: 1, y: 1, style: noteStyle, maxWidth: g.width - 2)
        let cols = [TableColumn(env.t("due.col.kind"), width: 9, priority: 9),
                    TableColumn(env.t("due.col.due"), width: 11, priority: 9),
                    TableColumn(env.t("spot.col.village"), width: 8, priority: 7),
                    TableColumn(env.t("spot.col.head"), width: 10, flex: 1, priority: 9),
                    TableColumn(env.t("due.col.detail"), width: 8, priority: 5),
                    TableColumn(env.t("spot.col.case"), width: 6, alignment: .right, priority: 4)]
        let top = 2, height = g.height - 4
        let slots = TableLayout.layout(cols, width: g.width, gap: 1)
        let header = Style(attrs: [.bold, .underline])
        g.fill(x: 0, y: top, width: g.width, height: 1, style: header)
        for slot in slots { g.putFitted(cols[slot.column].title, x: slot.x, y: top, width: slot.width, alignment: cols[slot.column].alignment, style: header) }
        let visible = height - 1
        if d.items.isEmpty {
            g.putFitted(d.loading ? env.t("review.loading") : env.t("due.none"), x: 0, y: top + 1, width: g.width, alignment: .center)
        } else {
            let first = TableView.clampScroll(max(0, d.selected - visible / 2), selected: d.selected, count: d.items.count, visible: visible)
            for line in 0..<min(visible, d.items.count - first) {
                let i = first + line, item = d.items[i]
                var style: Style = item.overdue ? lateStyle : .plain
                if i == d.selected { style = selectedStyle }
                let y = top + 1 + line
                g.fill(x: 0, y: y, width: g.width, height: 1, style: style)
                let cells = [(i == d.selected ? "▶" : " ") + item.kind.label(env.lang), item.due.iso + (item.overdue ? "!" : ""), item.village,
                             item.name, item.detail, item.kind == .posting ? "#\(item.caseId)" : String(item.caseId)]
                for slot in slots {
                    g.putFitted(cells[slot.column], x: slot.x, y: y, width: slot.width, alignment: cols[slot.column].alignment, style: style)
                }
            }
        }
        let late = d.items.filter(\.overdue).count
        status(&g, left: env.t("due.count", ["n": String(d.items.count), "late": String(late)]), right: d.items.isEmpty ? "" : "\(d.selected + 1)/\(d.items.count)")
        return d.dialog.flatMap { actionDialog(&g, $0, env) }
    }
}
