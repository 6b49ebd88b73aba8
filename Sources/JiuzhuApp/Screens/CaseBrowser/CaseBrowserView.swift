import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

extension AppView {
    static func caseBrowser(_ g: inout CellGrid, _ b: CaseBrowserState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        let label = env.t("cases.search")
        g.put(label, x: 1, y: 1, maxWidth: g.width / 2)
        let fx = 1 + min(label.displayWidth, g.width / 2)
        let sortText = env.t("cases.sort", ["column": env.t("cases.sort.\(b.query.sort.rawValue)"), "dir": b.query.descending ? "▼" : "▲"])
        let cx = b.search.render(into: &g, x: fx, y: 1, width: max(8, g.width - fx - sortText.displayWidth - 3))
        g.put(sortText, x: g.width - sortText.displayWidth - 1, y: 1, style: dimStyle)
        // The filters in force, in words.
        var parts: [String] = []
        let q = b.query
        if let p = q.programme { parts.append(p.label(env.lang)) }
        if let t = q.township { parts.append(b.townships?.first { $0.code == t }?.name ?? t) }
        if let v = q.village { parts.append(b.villages.first { $0.code == v }?.name ?? v) }
        if let st = q.status { parts.append(st.label(env.lang)) }
        if let u = q.urbanClass { parts.append(env.t("cases.urbanClass", ["class": u.rawValue])) }
        if q.overdueOnly { parts.append(env.t("cases.overdue")) }
        if q.minAmount != nil || q.maxAmount != nil { parts.append("\(q.minAmount?.yuanString ?? "")~\(q.maxAmount?.yuanString ?? "")") }
        if let i = q.investigator { parts.append(i) }
        if q.decidedFrom != nil || q.decidedTo != nil {
            parts.append((env.t("cases.decided")) + "\(q.decidedFrom?.iso ?? "")~\(q.decidedTo?.iso ?? "")")
        }
        if !parts.isEmpty { g.put(env.t("cases.filters", ["filters": parts.joined(separator: " · ")]), x: 1, y: 2, style: noteStyle, maxWidth: g.width - 2) }
        // A county file: the township before the village (`CountyView.townshipName`).
        let towns = b.townships
        let township = towns.map { _ in [TableColumn(env.t("county.col.township"), width: 8, priority: 6)] } ?? []
        let cols = [TableColumn(env.t("cases.col.id"), width: 6, alignment: .right, priority: 4),
                    TableColumn(env.t("cases.col.programme"), width: 8, priority: 8)] + township + [
                    TableColumn(env.t("cases.col.village"), width: 8, priority: 6),
                    TableColumn(env.t("cases.col.head"), width: 8, flex: 1, priority: 9),
                    TableColumn(env.t("cases.col.idno"), width: 18, priority: 3),
                    TableColumn(env.t("cases.col.step"), width: 10, priority: 8),
                    TableColumn(env.t("cases.col.days"), width: 4, alignment: .right, priority: 7),
                    TableColumn(env.t("cases.col.class"), width: 3, priority: 2),
                    TableColumn(env.t("cases.col.amount"), width: 9, alignment: .right, priority: 8),
                    TableColumn(env.t("cases.col.investigators"), width: 12, flex: 1, priority: 1),
                    TableColumn(env.t("cases.col.approver"), width: 8, priority: 1)]
        var table = TableView(columns: cols, pageSize: App.casePageSize(s), emptyText: env.t("cases.empty"), loadingText: env.t("review.loading"))
        table.setRows(b.rows.map { r in
            let step = r.status == .inProgress ? env.stepShort(r.programme, r.step) : r.status.label(env.lang)
            let town = towns.map { [CountyView.townshipName(r.villageCode, $0)] } ?? []
            return [CountyView.caseNumber(r.id, county: towns != nil), r.programme.shortLabel(env.lang)] + town + [r.village, r.head, r.maskedID, step,
                    String(r.stepSince.days(until: env.today)), r.urbanClass ?? "", r.monthly?.yuanString ?? "", r.investigators, r.approver]
        }, moreBefore: b.offset > 0, moreAfter: !b.atEnd, selecting: b.selected)
        table.isLoading = b.loading && b.rows.isEmpty
        table.render(into: &g, x: 0, y: 3, width: g.width, height: g.height - 5)
        let left = b.count.map { env.t("cases.summary", ["n": grouped($0), "sum": b.monthly?.yuanString ?? "0.00"]) } ?? env.t("cases.counting")
        status(&g, left: left, right: b.rows.isEmpty ? "" : "\(b.offset + b.selected + 1)")
        if let d = b.dialog { return actionDialog(&g, d, env) }
        return (cx, 1)
    }
}

/// How a county file's screens name a row's township.
enum CountyView {
    /// The township of village `code` among `towns`, by name (its code when not there).
    static func townshipName(_ code: String, _ towns: [Region]) -> String {
        let p = Store.townshipPrefix(code)
        return towns.first { Store.townshipPrefix($0.code) == p }?.name ?? p
    }

    /// A case's number as a list shows it: the local number within its township's id block
    /// (`IdBlock`) — in a county file the township column says whose; in a township's own file
    /// it is the number the case had before the file joined the exchange (its rows moved into
    /// the block by adding the block's start), so the clerk's numbers do not change.
    static func caseNumber(_ id: Int64, county: Bool) -> String {
        String(id % IdBlock.size)
    }
}
