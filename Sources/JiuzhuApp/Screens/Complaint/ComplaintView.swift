import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

extension AppView {
    static func complaintView(_ g: inout CellGrid, _ c: ComplaintState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        let zh = env.lang == .zh
        g.put(env.t("complaint.intro"), x: 1, y: 1, style: noteStyle, maxWidth: g.width - 2)
        let cols = [TableColumn(env.t("complaint.col.id"), width: 4, alignment: .right, priority: 9),
                    TableColumn(env.t("complaint.col.received"), width: 10, priority: 8),
                    TableColumn(env.t("complaint.channel"), width: 8, priority: 5),
                    TableColumn(env.t("complaint.subject"), width: 12, priority: 9),
                    TableColumn(env.t("complaint.content"), width: 16, flex: 1, priority: 7),
                    TableColumn(env.t("complaint.col.stage"), width: zh ? 9 : 14, priority: 9),
                    TableColumn(env.t("complaint.col.days"), width: 4, alignment: .right, priority: 6),
                    TableColumn(env.t("complaint.col.who"), width: 10, priority: 4)]
        let open = c.rows.filter { $0.answeredOn == nil }
        let listHeight = g.height - 4 - 2
        // Open for longer than `Complaint.answerDays` shows as late.
        lateTable(&g, columns: cols, count: c.rows.count, selected: c.selected, top: 2, height: listHeight,
                  emptyText: c.loading ? env.t("review.loading") : env.t("complaint.none"),
                  late: { i in c.rows[i].answeredOn == nil && c.rows[i].receivedOn.days(until: env.today) > Complaint.answerDays }) { i in
            let r = c.rows[i]
            var stage = r.stage.label(env.lang)
            if r.stage == .checked || r.stage == .answered, let f = r.founded { stage += f ? (env.t("complaint.y")) : (env.t("complaint.n")) }
            let subject = r.subject.isEmpty ? (r.caseId.map { "#\($0)" } ?? "") : r.subject + (r.caseId.map { " #\($0)" } ?? "")
            let days = r.answeredOn == nil ? String(r.receivedOn.days(until: env.today)) : ""
            return [String(r.id), r.receivedOn.iso, r.channel.label(env.lang), subject, r.content, stage, days, r.assignedTo ?? ""]
        }
        if let r = c.selectedRow {
            let next: String
            switch r.stage {
            case .received: next = env.t("complaint.next.assign")
            case .assigned: next = env.t("complaint.next.check")
            case .checked: next = env.t("complaint.next.answer")
            case .answered: next = env.t("complaint.next.view")
            }
            g.put(next, x: 1, y: g.height - 3, style: dimStyle, maxWidth: g.width - 2)
        }
        let late = open.filter { $0.receivedOn.days(until: env.today) > Complaint.answerDays }.count
        status(&g, left: env.t("complaint.count", ["n": String(c.rows.count), "open": String(open.count), "late": String(late)]),
               right: c.rows.isEmpty ? "" : "\(c.selected + 1)/\(c.rows.count)")
        return c.dialog.flatMap { actionDialog(&g, $0, env) }
    }
}
