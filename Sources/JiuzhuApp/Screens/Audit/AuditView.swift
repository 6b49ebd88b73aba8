import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// What the audit log looks like: the newest rows first, the selected row's whole detail under
/// the table, the count of rows in the status line.
extension AuditScreen {
    public static func view(_ g: inout CellGrid, _ a: AuditState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        g.put(env.t("audit.intro"), x: 1, y: 1, style: AppView.noteStyle, maxWidth: g.width - 2)
        let cells: [[String]] = a.entries.map { e in
            [String(e.id), ClockText.parseUTC(e.at).map { ClockText.local($0, "%Y-%m-%d %H:%M") } ?? e.at, e.user, e.action,
             e.entity + (e.entityId.isEmpty ? "" : " " + e.entityId), e.detail == "{}" ? "" : e.detail]
        }
        let titles = ["audit.col.id", "audit.col.at", "audit.col.user", "audit.col.action", "audit.col.entity", "audit.col.detail"].map { env.t($0) }
        func fit(_ i: Int, _ least: Int, _ most: Int) -> Int { AppView.columnWidth(cells, i, title: titles[i], least: least, most: most) }
        let cols = [TableColumn(titles[0], width: fit(0, 5, 9), alignment: .right, priority: 8),
                    TableColumn(titles[1], width: 16, priority: 9),
                    TableColumn(titles[2], width: fit(2, 6, 12), priority: 9),
                    TableColumn(titles[3], width: fit(3, 8, 18), priority: 9),
                    TableColumn(titles[4], width: fit(4, 8, 20), priority: 7),
                    TableColumn(titles[5], width: 10, flex: 1, priority: 5)]
        let tableHeight = max(3, g.height - 7)
        AppView.lateTable(&g, columns: cols, count: a.entries.count, selected: a.selected, top: 2, height: tableHeight,
                  emptyText: a.loading ? env.t("review.loading") : env.t("audit.none"), late: { _ in false }) { i in cells[i] }
        if let e = a.selectedEntry {
            // The whole detail of the selected row (the column cuts it).
            let lines = wrap(e.detail == "{}" ? "\(e.action) \(e.entity) \(e.entityId)" : e.detail, width: g.width - 2)
            for (k, line) in lines.prefix(2).enumerated() { g.put(line, x: 1, y: 2 + tableHeight + k, style: AppView.dimStyle, maxWidth: g.width - 2) }
        }
        AppView.status(&g, left: env.t("audit.count", ["n": String(a.newest)]), right: a.selectedEntry.map { "#\($0.id)" } ?? "")
        return nil
    }
}
