import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

extension AppView {
    static func campaignView(_ g: inout CellGrid, _ c: CampaignState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        g.put(env.t("campaign.intro"), x: 1, y: 1, style: noteStyle, maxWidth: g.width - 2)
        let cells: [[String]] = c.rows.map { r in
            let g = r.campaign
            let state = g.closedOn.map { env.t("campaign.endedOn", ["date_zh": $0.iso]) } ?? env.t("campaign.open")
            return [g.name, g.programme.shortLabel(env.lang), g.startedOn.year == g.endsOn.year && g.startedOn.year == env.today.year
                    ? "\(g.startedOn.iso.dropFirst(5))~\(g.endsOn.iso.dropFirst(5))" : "\(g.startedOn.iso)~\(g.endsOn.iso)",
                    env.t("campaign.listedHPersonsP", ["listed": "\(g.listed)", "persons": "\(g.persons)"]),
                    "\(g.checked)/\(g.listed)", String(r.outcome?.openFollowUps ?? 0), state]
        }
        // Figures are never cut: a programme of 53,000 cases needs wider columns than one of 800.
        func fit(_ i: Int, _ least: Int) -> Int { columnWidth(cells, i, least: least) }
        let cols = [TableColumn(env.t("campaign.col.name"), width: 12, flex: 1, priority: 9),
                    TableColumn(env.t("review.col.programme"), width: 8, priority: 8),
                    TableColumn(env.t("campaign.col.period"), width: fit(2, 11), priority: 6),
                    TableColumn(env.t("campaign.col.listed"), width: fit(3, 11), alignment: .right, priority: 8),
                    TableColumn(env.t("campaign.col.checked"), width: fit(4, 8), alignment: .right, priority: 9),
                    TableColumn(env.t("campaign.col.open"), width: 6, alignment: .right, priority: 7),
                    TableColumn(env.t("campaign.col.state"), width: fit(6, 6), priority: 5)]
        let tableHeight = min(max(3, c.rows.count + 1), max(3, g.height / 3))
        lateTable(&g, columns: cols, count: c.rows.count, selected: c.selected, top: 2, height: tableHeight,
                  emptyText: c.loading ? env.t("review.loading") : env.t("campaign.none"),
                  late: { i in c.rows[i].campaign.closedOn == nil && c.rows[i].campaign.endsOn < env.today }) { i in cells[i] }
        var y = 2 + tableHeight + 1
        if let r = c.selectedRow, let o = r.outcome, y < g.height - 3 {
            let g0 = r.campaign
            let until = g0.closedOn.map(\.iso) ?? env.today.iso
            g.put(env.t("campaign.outcomeTitle", ["name": g0.name, "from": g0.startedOn.iso, "until": until]), x: 1, y: y,
                  style: Style(attrs: .bold), maxWidth: g.width - 2)
            y += 1
            let head = Style(attrs: [.bold, .underline])
            let w = min(g.width - 2, 40)
            g.fill(x: 1, y: y, width: w, height: 1, style: head)
            g.putFitted(env.t("campaign.col.outcome"), x: 1, y: y, width: 14, style: head)
            g.putFitted(env.t("campaign.households"), x: 15, y: y, width: 12, alignment: .right, style: head)
            g.putFitted(env.t("campaign.persons"), x: 28, y: y, width: 12, alignment: .right, style: head)
            y += 1
            let lines: [(String, CampaignOutcome.Count)] = [
                (env.t("campaign.removed"), o.cleared), (env.t("campaign.adjusted"), o.adjusted), (env.t("campaign.cancelled"), o.cancelled),
                (env.t("campaign.added"), o.added), (env.t("campaign.suspended"), o.suspended)]
            for (label, n) in lines where y < g.height - 2 {
                g.putFitted(label, x: 1, y: y, width: 14)
                g.putFitted(String(n.households), x: 15, y: y, width: 12, alignment: .right)
                g.putFitted(String(n.persons), x: 28, y: y, width: 12, alignment: .right)
                y += 1
            }
            if y < g.height - 2 {
                g.put(env.t("campaign.progress", ["checked": String(g0.checked), "listed": String(g0.listed),
                                                  "changed": String(g0.proposedChange), "open": String(o.openFollowUps)]),
                      x: 1, y: y, maxWidth: g.width - 2)
            }
        }
        let open = c.rows.filter { $0.campaign.closedOn == nil }.count
        status(&g, left: env.t("campaign.count", ["n": String(c.rows.count), "open": String(open)]),
               right: c.rows.isEmpty ? "" : "\(c.selected + 1)/\(c.rows.count)")
        return c.dialog.flatMap { actionDialog(&g, $0, env) }
    }
}
