import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

extension AppView {
    static func coverageText(_ rows: [SpotCheckCoverageRow], env: AppEnvironment) -> String {
        let sampled = rows.reduce(0) { $0 + $1.sampled }, checked = rows.reduce(0) { $0 + $1.checked }
        let bad = rows.reduce(0) { $0 + $1.discrepancies }
        let share = checked == 0 ? "0" : String(format: "%.1f", Double(bad) * 100 / Double(checked))
        return env.t("spot.coverage", ["checked": String(checked), "sampled": String(sampled), "bad": String(bad), "share": share])
    }

    static func spotList(_ g: inout CellGrid, _ l: SpotListState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        // "#12", or "#104-1" in a file of a county's exchange.
        let numberWidth = max(5, l.draws.map { IdBlock.shown($0.id).count + 1 }.max() ?? 0)
        let cols = [TableColumn(env.t("spot.col.draw"), width: numberWidth, alignment: .right, priority: 9),
                    TableColumn(env.t("spot.col.programme"), width: 8, priority: 9),
                    TableColumn(env.t("spot.col.period"), width: 7, priority: 7),
                    TableColumn(env.t("spot.col.pct"), width: 4, alignment: .right, priority: 8),
                    TableColumn(env.t("spot.col.seed"), width: 10, alignment: .right, priority: 8),
                    TableColumn(env.t("spot.col.sampled"), width: 9, alignment: .right, priority: 8),
                    TableColumn(env.t("spot.col.visited"), width: 7, alignment: .right, priority: 7),
                    TableColumn(env.t("spot.col.by"), width: 8, flex: 1, priority: 4)]
        // The draws on top; below, coverage of every draw by programme and by village.
        let drawsHeight = l.coverage == nil ? g.height - 4 : min(g.height - 4, max(3, min(l.draws.count + 1, (g.height - 4) / 3)))
        var table = TableView(columns: cols, pageSize: drawsHeight - 1, emptyText: env.t("spot.none"), loadingText: env.t("review.loading"))
        table.setRows(l.draws.map { d in
            ["#" + IdBlock.shown(d.id), d.programme.shortLabel(env.lang), d.period, "\(d.percent)", String(d.seed), "\(d.sampled)/\(d.population)", String(d.visited), d.drawnBy]
        }, selecting: l.selected)
        table.isLoading = l.loading
        table.render(into: &g, x: 0, y: 1, width: g.width, height: drawsHeight)
        if let c = l.coverage, !l.draws.isEmpty {
            let top = 1 + drawsHeight + 1
            g.put(coverageText(c.programmes, env: env), x: 1, y: top, style: noteStyle, maxWidth: g.width - 2)
            let ccols = [TableColumn(env.t(c.townships.isEmpty ? "spot.col.scope" : "spot.col.scopeCounty"), width: 10, flex: 1, priority: 9),
                         TableColumn(env.t("spot.col.sampledN"), width: 6, alignment: .right, priority: 9),
                         TableColumn(env.t("spot.col.visited"), width: 7, alignment: .right, priority: 9),
                         TableColumn(env.t("spot.col.coverage"), width: 7, alignment: .right, priority: 7),
                         TableColumn(env.t("spot.col.bad"), width: 6, alignment: .right, priority: 9),
                         TableColumn(env.t("spot.col.share"), width: 7, alignment: .right, priority: 8),
                         TableColumn(env.t("spot.col.open"), width: 6, alignment: .right, priority: 7)]
            func pct(_ a: Int, _ b: Int) -> String { b == 0 ? "—" : String(format: "%.1f%%", Double(a) * 100 / Double(b)) }
            // Programmes, then villages; in a county file townships (a draw's own screen gives
            // its villages).
            let rows = c.programmes.map { ($0, "▪ " + (Programme(rawValue: $0.code)?.label(env.lang) ?? $0.name)) }
                + (c.townships.isEmpty ? c.villages : c.townships).map { ($0, "  " + $0.name) }
            var cov = TableView(columns: ccols, pageSize: max(1, g.height - top - 4), emptyText: "", loadingText: "")
            cov.setRows(rows.map { r, label in
                [label, String(r.sampled), String(r.checked), pct(r.checked, r.sampled), String(r.discrepancies),
                 pct(r.discrepancies, r.checked), String(r.openFollowUps)]
            }, selecting: -1)
            cov.render(into: &g, x: 0, y: top + 1, width: g.width, height: max(1, g.height - top - 3))
        }
        status(&g, left: env.t("spot.listHint"), right: l.draws.isEmpty ? "" : "\(l.selected + 1)/\(l.draws.count)")
        return l.dialog.flatMap { actionDialog(&g, $0, env) }
    }

    static func spotDraw(_ g: inout CellGrid, _ st: SpotDrawState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        guard let d = st.draw else { g.put(env.t("review.loading"), x: 2, y: 2); return nil }
        g.put(env.t("spot.header", ["id": IdBlock.shown(d.id), "programme": d.programme.label(env.lang), "period": d.period, "pct": String(d.percent),
                                    "seed": String(d.seed), "population": String(d.population), "sampled": String(d.sampled)]),
              x: 1, y: 1, style: headingStyle, maxWidth: g.width - 2)
        if let c = st.coverage {
            var line = coverageText(c.villages, env: env)
            let villages = c.villages.map { "\($0.name) \($0.checked)/\($0.sampled)" }.joined(separator: " ")
            line += " · " + villages
            g.put(line, x: 1, y: 2, style: noteStyle, maxWidth: g.width - 2)
        }
        let cols = [TableColumn(env.t("spot.col.village"), width: 8, priority: 8),
                    TableColumn(env.t("spot.col.head"), width: 8, flex: 1, priority: 9),
                    TableColumn(env.t("spot.col.case"), width: max(6, st.records.map { IdBlock.shown($0.caseId).count }.max() ?? 0), alignment: .right, priority: 6),
                    TableColumn(env.t("spot.col.on"), width: 10, priority: 8),
                    TableColumn(env.t("spot.col.visitor"), width: 8, priority: 5),
                    TableColumn(env.t("spot.col.result"), width: env.lang == .zh ? 8 : 11, priority: 9),
                    TableColumn(env.t("spot.col.followUp"), width: 14, priority: 7)]
        var table = TableView(columns: cols, pageSize: g.height - 6, emptyText: "", loadingText: "")
        table.setRows(st.records.map { r in
            let result = r.visitedOn == nil ? env.t("spot.notYet") : (r.discrepancy == true ? env.t("spot.differs") : env.t("spot.match"))
            // What was proposed, and where its follow-up stands: waiting for the approver, or what was done.
            var follow = r.proposedAction.map { $0.label(env.lang) } ?? ""
            if let o = r.followUpOutcome { follow += "→" + o.label(env.lang) }
            else if r.followUpOpen == true { follow += env.t("spot.open") }
            return [r.villageName, r.headName, IdBlock.shown(r.caseId), r.visitedOn?.iso ?? "", r.visitedBy ?? "", result, follow]
        }, selecting: st.selected)
        table.render(into: &g, x: 0, y: 3, width: g.width, height: g.height - 5)
        status(&g, left: "", right: st.records.isEmpty ? "" : "\(st.selected + 1)/\(st.records.count)")
        return st.dialog.flatMap { actionDialog(&g, $0, env) }
    }
}
