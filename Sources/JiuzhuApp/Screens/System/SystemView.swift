import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

extension AppView {
    static func systemView(_ g: inout CellGrid, _ st: SystemState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        g.put(env.t("system.intro"), x: 1, y: 1, style: noteStyle, maxWidth: g.width - 2)
        let cells: [[String]] = st.users.map { u in
            let state = !u.active ? env.t("system.disabled")
                : u.lockedUntil.map { env.t("system.locked", ["until": $0]) } ?? env.t("system.active")
            return [u.name, u.displayName, u.role.label(env.lang), state]
        }
        let titles = ["system.col.name", "system.col.display", "system.col.role", "system.col.state"].map { env.t($0) }
        // Each column as wide as its widest cell or its title.
        func fit(_ i: Int, _ least: Int) -> Int { columnWidth(cells, i, title: titles[i], least: least) }
        let cols = [TableColumn(titles[0], width: fit(0, 10), priority: 9),
                    TableColumn(titles[1], width: fit(1, 8), priority: 8),
                    TableColumn(titles[2], width: fit(2, 8), priority: 7),
                    TableColumn(titles[3], width: fit(3, 8), flex: 1, priority: 9)]
        // The accounts get what they need up to half the screen; the backups the rest.
        let tableHeight = min(max(3, st.users.count + 1), max(3, (g.height - 6) / 2))
        lateTable(&g, columns: cols, count: st.users.count, selected: st.selected, top: 2, height: tableHeight,
                  emptyText: st.loading ? env.t("review.loading") : "",
                  late: { i in !st.users[i].active }) { i in cells[i] }
        var y = 2 + tableHeight + 1
        if y < g.height - 3 {
            g.put(env.t("system.backups", ["folder": st.folder]), x: 1, y: y, style: Style(attrs: .bold), maxWidth: g.width - 2)
            y += 1
        }
        if st.backups.isEmpty, !st.loading, y < g.height - 3 {
            g.put(env.t("system.noBackups"), x: 3, y: y, style: dimStyle, maxWidth: g.width - 4)
        }
        for b in st.backups where y < g.height - 3 {
            g.put(b.written, x: 3, y: y, maxWidth: 16)
            g.putFitted(BackupFile.sizeText(b.bytes), x: 20, y: y, width: 9, alignment: .right)
            g.put((b.path as NSString).lastPathComponent, x: 31, y: y, maxWidth: max(1, g.width - 32))
            y += 1
        }
        // The keys the bar has no room for.
        g.put(env.t("system.keys"), x: 1, y: g.height - 3, style: dimStyle, maxWidth: g.width - 2)
        let active = st.users.filter(\.active).count
        let last = st.backups.first.map { env.t("system.lastBackup", ["at": $0.written]) } ?? env.t("system.neverBackedUp")
        status(&g, left: env.t("system.count", ["n": String(st.users.count), "active": String(active)]) + last,
               right: st.users.isEmpty ? "" : "\(st.selected + 1)/\(st.users.count)")
        return st.dialog.flatMap { actionDialog(&g, $0, env) }
    }
}
