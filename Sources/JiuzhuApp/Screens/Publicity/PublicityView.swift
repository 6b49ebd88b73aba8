import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

extension AppView {
    static func publicityList(_ g: inout CellGrid, _ p: PublicityListState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        let cols = [TableColumn(env.t("publicity.col.state"), width: 6, priority: 9),
                    TableColumn(env.t("publicity.col.title"), width: 30, flex: 1, priority: 9),
                    TableColumn(env.t("publicity.col.dates"), width: 21, priority: 8),
                    TableColumn(env.t("publicity.col.lines"), width: 4, alignment: .right, priority: 7),
                    TableColumn(env.t("publicity.col.objections"), width: 4, alignment: .right, priority: 6),
                    TableColumn("#", width: 4, alignment: .right, priority: 3)]
        var table = TableView(columns: cols, pageSize: g.height - 5, emptyText: env.t("publicity.none"), loadingText: env.t("review.loading"))
        table.setRows(p.batches.map { b in
            [b.state.label(env.lang), b.title, "\(b.postedFrom.iso)~\(b.postedUntil.iso)", String(b.lineCount),
             b.pendingObjections > 0 ? String(b.pendingObjections) : "", String(b.id)]
        }, selecting: p.selected)
        table.isLoading = p.loading
        table.render(into: &g, x: 0, y: 1, width: g.width, height: g.height - 3)
        status(&g, left: env.t("publicity.listHint"), right: p.batches.isEmpty ? "" : "\(p.selected + 1)/\(p.batches.count)")
        return p.dialog.flatMap { actionDialog(&g, $0, env) }
    }

    static func batchView(_ g: inout CellGrid, _ b: BatchState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        guard let batch = b.batch else {
            g.put(env.t("review.loading"), x: 2, y: 2)
            return nil
        }
        g.put(batch.title, x: 1, y: 1, style: headingStyle, maxWidth: g.width - 2)
        let info = env.t("publicity.info", ["state": batch.state.label(env.lang), "from": batch.postedFrom.iso, "until": batch.postedUntil.iso,
                                            "place": batch.place])
        g.put(info, x: 1, y: 2, maxWidth: g.width - 2)
        let cols = [TableColumn(env.t("publicity.col.no"), width: 4, alignment: .right, priority: 5),
                    TableColumn(PublicColumn.name.title(env.lang), width: 10, flex: 1, priority: 9),
                    TableColumn(PublicColumn.village.title(env.lang), width: 10, priority: 7),
                    TableColumn(PublicColumn.persons.title(env.lang), width: 8, alignment: .right, priority: 8),
                    // A relief posting (受灾救助) shows the period and the one-off amount.
                    batch.programme == .disaster ? TableColumn(PublicColumn.category.title(env.lang), width: 14, priority: 6)
                        : TableColumn(PublicColumn.perCapita.title(env.lang), width: 14, alignment: .right, priority: 6),
                    TableColumn((batch.programme == .disaster ? PublicColumn.amount : .monthly).title(env.lang), width: 12, alignment: .right, priority: 6),
                    TableColumn(env.t("publicity.col.case"), width: 14, flex: 1, priority: 8)]
        var table = TableView(columns: cols, pageSize: g.height - 6, emptyText: env.t("publicity.noLines"), loadingText: "")
        table.setRows(b.lines.enumerated().map { i, l in
            var st = env.stepShort(Programme(text: l.line.programme) ?? .ruralDibao, l.caseStep)
            if l.openObjection { st = env.t("publicity.objectionOpen") }
            else if let o = l.objections.last { st = env.t(o.result == "upheld" ? "publicity.objectionUpheld" : "publicity.objectionNotUpheld") }
            return [String(i + 1), l.line.name, l.line.village, String(l.line.persons),
                    batch.programme == .disaster ? reliefClass(l.line.category, env) : l.line.perCapita?.yuanString ?? "", l.line.monthly?.yuanString ?? "", st]
        }, selecting: b.selected)
        table.render(into: &g, x: 0, y: 3, width: g.width, height: g.height - 5)
        let persons = b.lines.reduce(0) { $0 + $1.line.persons }
        let hint: String
        switch batch.state {
        case .draft: hint = env.t("publicity.draftHint")
        case .posted: hint = env.t("publicity.postedHint")
        case .closed: hint = env.t("publicity.closedHint")
        }
        status(&g, left: env.t("publicity.totals", ["n": String(b.lines.count), "persons": String(persons)]) + "  " + hint, right: "")
        return b.dialog.flatMap { actionDialog(&g, $0, env) }
    }

    /// A relief grant's class as the posting holds it (the period's Chinese name, as posted),
    /// said in the user's language.
    static func reliefClass(_ posted: String, _ env: AppEnvironment) -> String {
        ReliefPeriod.allCases.first { $0.label.zh == posted }.map { $0.label(env.lang) } ?? posted
    }
}
