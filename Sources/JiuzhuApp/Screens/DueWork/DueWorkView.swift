import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

extension AppView {
    static func dueView(_ g: inout CellGrid, _ d: DueState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        let counts = DueItem.Kind.allCases.map { k in
            let n = "\(k.label(env.lang)) \(d.all.filter { $0.kind == k }.count)"
            return k == d.kind ? "[\(n)]" : n
        }.joined(separator: " · ")
        // On two rows when one is too narrow (English), so no count is cut off.
        let countLines = Array(wrap(counts, width: g.width - 2).prefix(2))
        for (k, line) in countLines.enumerated() { g.put(line, x: 1, y: 1 + k, style: noteStyle, maxWidth: g.width - 2) }
        let top = 1 + max(1, countLines.count)
        // The item column as wide as its longest name ("A/B/C re-check" in English) and the ▶ of the
        // selected row, so no word is cut.
        let kindWidth = 1 + min(15, DueItem.Kind.allCases.reduce(TextWidth.of(env.t("due.col.kind"))) { max($0, TextWidth.of($1.label(env.lang))) })
        let cols = [TableColumn(env.t("due.col.kind"), width: kindWidth, priority: 9),
                    TableColumn(env.t("due.col.due"), width: 11, priority: 9),
                    TableColumn(env.t("spot.col.village"), width: 8, priority: 7),
                    TableColumn(env.t("spot.col.head"), width: 10, flex: 1, priority: 9),
                    TableColumn(env.t("due.col.detail"), width: 14, priority: 5),
                    TableColumn(env.t("spot.col.case"), width: 6, alignment: .right, priority: 4)]
        lateTable(&g, columns: cols, count: d.items.count, selected: d.selected, top: top, height: g.height - 2 - top,
                  emptyText: d.loading ? env.t("review.loading") : env.t("due.none"), late: { d.items[$0].overdue }) { i in
            let item = d.items[i]
            let detail = item.kind == .complaint ? Complaint.Stage(rawValue: item.detail).map { $0.label(env.lang) } ?? item.detail
                : item.detailText?(env.lang) ?? item.detail
            return [item.kind.label(env.lang), item.due.iso + (item.overdue ? "!" : ""), item.village, item.name, detail,
                    item.kind == .posting || item.kind == .complaint ? "#\(item.caseId)" : String(item.caseId)]
        }
        let late = d.items.filter(\.overdue).count
        status(&g, left: env.t("due.count", ["n": String(d.items.count), "late": String(late)]), right: d.items.isEmpty ? "" : "\(d.selected + 1)/\(d.items.count)")
        return d.dialog.flatMap { actionDialog(&g, $0, env) }
    }
}
