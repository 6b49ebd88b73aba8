import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

extension AppView {
    static func disasterView(_ g: inout CellGrid, _ d: DisasterState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        let lang = env.lang
        guard let o = d.open else {
            g.put(env.t("disaster.ui.intro"), x: 1, y: 1, style: noteStyle, maxWidth: g.width - 2)
            let cols = [TableColumn(env.t("disaster.ui.col.id"), width: 4, alignment: .right, priority: 9),
                        TableColumn(env.t("disaster.ui.col.name"), width: 14, flex: 1, priority: 9),
                        TableColumn(env.t("disaster.ui.col.kind"), width: 10, priority: 7),
                        TableColumn(env.t("disaster.ui.col.started"), width: 10, priority: 8),
                        TableColumn(env.t("disaster.ui.col.ended"), width: 10, priority: 5),
                        TableColumn(env.t("disaster.ui.col.villages"), width: 16, priority: 4)]
            lateTable(&g, columns: cols, count: d.events.count, selected: d.selected, top: 2, height: g.height - 5,
                      emptyText: d.loading ? env.t("review.loading") : env.t("disaster.ui.noEvents"), late: { _ in false }) { i in
                let e = d.events[i]
                let names = e.villages.map { c in d.villages.first { $0.code == c }?.name ?? c }
                return [String(e.id), e.name, d.kinds.first { $0.code == e.kind }?.label(lang) ?? e.kind, e.startedOn.iso, e.endedOn?.iso ?? "—",
                        Strings.shared.list(names, lang)]
            }
            status(&g, left: env.t("disaster.ui.listKeys"), right: d.events.isEmpty ? "" : "\(d.selected + 1)/\(d.events.count)")
            let cursor = d.dialog.flatMap { actionDialog(&g, $0, env) }
            if d.pending == .newEvent {
                // The kinds of data/disaster_kinds.csv, numbered, below the box (too many for a hint).
                let list = env.t("disaster.ui.kinds", ["kinds": d.kinds.enumerated().map { "\($0.offset + 1) \($0.element.label(lang))" }
                    .joined(separator: env.t("disaster.ui.kindsSeparator"))])
                let lines = wrap(list, width: g.width - 2)
                for (i, l) in lines.enumerated() { g.put(l, x: 1, y: g.height - 2 - lines.count + i, style: noteStyle, maxWidth: g.width - 2) }
            }
            return cursor
        }
        let kind = d.kinds.first { $0.code == o.event.kind }?.label(lang) ?? o.event.kind
        g.put("#\(o.event.id) \(o.event.name) · \(kind) · \(o.event.startedOn.iso)", x: 1, y: 1, style: Style(attrs: .bold), maxWidth: g.width - 2)
        // The pages, the open one reversed.
        var x = 1
        for p in DisasterState.Page.allCases {
            let label = " " + env.t(p.key) + " "
            g.put(label, x: x, y: 2, style: p == d.page ? Style(attrs: .reverse) : dimStyle, maxWidth: max(0, g.width - x))
            x += TextWidth.of(label) + 1
        }
        let top = 3, height = g.height - 7
        func table(_ cols: [TableColumn], _ count: Int, late: (Int) -> Bool = { _ in false }, _ cells: (Int) -> [String]) {
            lateTable(&g, columns: cols, count: count, selected: d.selected, top: top, height: height,
                      emptyText: d.loading ? env.t("review.loading") : env.t("disaster.ui.empty"), late: late, cells: cells)
        }
        var foot = ""
        switch d.page {
        case .ledger:
            table([TableColumn(env.t("disaster.ui.col.line"), width: 4, alignment: .right, priority: 9),
                   TableColumn(env.t("disaster.ui.col.village"), width: 8, priority: 6),
                   TableColumn(env.t("disaster.ui.col.head"), width: 8, flex: 1, priority: 9),
                   TableColumn(env.t("disaster.ui.col.persons"), width: 4, alignment: .right, priority: 9),
                   TableColumn(env.t("disaster.ui.col.damage"), width: HouseDamage.allCases.map { TextWidth.of($0.label(env.lang)) }.max() ?? 8, priority: 8),
                   TableColumn(env.t("disaster.ui.col.rooms"), width: 3, alignment: .right, priority: 7),
                   TableColumn(env.t("disaster.ui.col.relocated"), width: 4, priority: 5),
                   TableColumn(env.t("disaster.ui.col.relief"), width: 13, priority: 6),
                   TableColumn(env.t("disaster.ui.col.checked"), width: 10, priority: 4)], o.victims.count) { i in
                let v = o.victims[i]
                let grants = o.grants.filter { $0.victimId == v.id }.map { $0.period.shortLabel(lang) }
                return [String(v.id), v.villageName, v.headName, String(v.persons), v.damage.label(lang), String(v.rooms),
                        v.relocated ? env.t("disaster.ui.yes") : "", grants.joined(separator: ","), v.checkedOn?.iso ?? ""]
            }
            if let r = o.reports.last {
                let diff = DisasterRules.difference(ledger: o.ledger, report: r.figures)
                let parts = diff.filter { $0.ledger != $0.report }.prefix(4).map { "\(DisasterFigures.label($0.key)(lang)) \(String(format: "%+d", $0.ledger - $0.report))" }
                foot = env.t("disaster.ui.ledgerFoot", ["persons": String(o.ledger.affected), "stage": r.stage.label(lang),
                                                        "diff": parts.isEmpty ? env.t("disaster.ui.agrees") : parts.joined(separator: " ")])
            } else {
                foot = env.t("disaster.ui.ledgerFootNoReport", ["persons": String(o.ledger.affected)])
            }
        case .relief:
            let steps = env.catalog?.definition(.disaster)
            table([TableColumn(env.t("disaster.ui.col.case"), width: 5, alignment: .right, priority: 9),
                   TableColumn(env.t("disaster.ui.col.head"), width: 8, flex: 1, priority: 9),
                   TableColumn(env.t("disaster.ui.col.period"), width: 8, priority: 8),
                   TableColumn(env.t("disaster.ui.col.persons"), width: 4, alignment: .right, priority: 7),
                   TableColumn(env.t("disaster.ui.col.days"), width: 4, alignment: .right, priority: 5),
                   TableColumn(env.t("disaster.ui.col.step"), width: 10, priority: 8),
                   TableColumn(env.t("disaster.ui.col.amount"), width: 10, alignment: .right, priority: 9)], o.grants.count) { i in
                let r = o.grants[i]
                let step = r.status == .inProgress ? (steps?.step(r.step).map { $0.shortLabel(lang) } ?? r.step) : r.status.label(lang)
                return [String(r.caseId), r.headName, r.period.shortLabel(lang), String(r.persons), r.days > 0 ? String(r.days) : "", step,
                        r.amount?.yuanString ?? ""]
            }
            foot = env.t("disaster.ui.reliefFoot")
        case .cards:
            table([TableColumn(env.t("disaster.ui.col.card"), width: 19, priority: 9),
                   TableColumn(env.t("disaster.ui.col.head"), width: 8, flex: 1, priority: 9),
                   TableColumn(env.t("disaster.ui.col.entitled"), width: 10, alignment: .right, priority: 8),
                   TableColumn(env.t("disaster.ui.col.handed"), width: 10, alignment: .right, priority: 7),
                   TableColumn(env.t("disaster.ui.col.left"), width: 10, alignment: .right, priority: 9),
                   TableColumn(env.t("disaster.ui.col.times"), width: 5, alignment: .right, priority: 5)], o.cards.count) { i in
                let c = o.cards[i]
                return [c.number, c.headName, c.cash.yuanString, c.cashGiven.yuanString, c.cashLeft.yuanString, String(c.distributions.count)]
            }
            if o.cards.indices.contains(d.selected) {
                let c = o.cards[d.selected]
                foot = env.t("disaster.ui.cardFoot", ["goods": d.items.filter { (c.items[$0.code] ?? 0) > 0 }
                    .map { env.t("disaster.ui.cardGood", ["item": $0.label(lang), "given": String(c.given($0.code)), "total": String(c.items[$0.code]!), "unit": $0.unit(lang)]) }.joined(separator: " ")])
            }
        case .goods:
            table([TableColumn(env.t("disaster.ui.col.item"), width: 8, flex: 1, priority: 9),
                   TableColumn(env.t("disaster.ui.col.unit"), width: 6, priority: 6),
                   TableColumn(env.t("disaster.ui.col.received"), width: 8, alignment: .right, priority: 8),
                   TableColumn(env.t("disaster.ui.col.issued"), width: 8, alignment: .right, priority: 8),
                   TableColumn(env.t("disaster.ui.col.counted"), width: 8, alignment: .right, priority: 5),
                   TableColumn(env.t("disaster.ui.col.onHand"), width: 8, alignment: .right, priority: 9)], o.stock.count) { i in
                let st = o.stock[i]
                return [st.label(lang), st.unit(lang), String(st.received), String(st.issued), String(st.counted), String(st.onHand)]
            }
            foot = env.t("disaster.ui.goodsFoot")
        case .houses:
            table([TableColumn(env.t("disaster.ui.col.id"), width: 4, alignment: .right, priority: 9),
                   TableColumn(env.t("disaster.ui.col.head"), width: 8, flex: 1, priority: 9),
                   TableColumn(env.t("disaster.ui.col.houseKind"), width: 7, priority: 6),
                   TableColumn(env.t("disaster.ui.col.subsidy"), width: 9, alignment: .right, priority: 7),
                   TableColumn(env.t("disaster.ui.col.paid"), width: 9, alignment: .right, priority: 7),
                   TableColumn(env.t("disaster.ui.col.stage"), width: 16, priority: 9),
                   TableColumn(env.t("disaster.ui.col.due"), width: 10, priority: 8)], o.houses.count, late: { o.houses[$0].overdue(on: env.today) }) { i in
                let h = o.houses[i]
                return [String(h.id), h.headName, h.kind.label(lang), h.subsidy.yuanString, h.paid.yuanString, h.stage.label(lang), h.dueOn.iso]
            }
            let open = o.houses.filter { $0.stage != .movedIn }.count, late = o.houses.filter { $0.overdue(on: env.today) }.count
            foot = env.t("disaster.ui.housesFoot", ["open": String(open), "late": String(late)])
        case .reports:
            table([TableColumn(env.t("disaster.ui.col.date"), width: 11, priority: 9),
                   TableColumn(env.t("disaster.ui.col.stageReport"), width: 16, priority: 9),
                   TableColumn(env.t("disaster.ui.col.affected"), width: 9, alignment: .right, priority: 8),
                   TableColumn(env.t("disaster.ui.col.evacuated"), width: 9, alignment: .right, priority: 6),
                   TableColumn(env.t("disaster.ui.col.collapsed"), width: 9, alignment: .right, priority: 7),
                   TableColumn(env.t("disaster.ui.col.loss"), width: 12, alignment: .right, priority: 5)], o.reports.count) { i in
                let r = o.reports[i]
                return [r.reportedOn.iso, r.stage.label(lang), String(r.figures.affected), String(r.figures.relocated),
                        String(r.figures.collapsedHouseholds), r.figures.loss.wanYuanString]
            }
            foot = env.t("disaster.ui.reportsFoot")
        }
        g.put(foot, x: 1, y: g.height - 3, style: dimStyle, maxWidth: g.width - 2)
        let keys: String
        switch d.page {
        case .ledger: keys = "disaster.ui.keys.ledger"
        case .relief: keys = "disaster.ui.keys.relief"
        case .cards: keys = "disaster.ui.keys.cards"
        case .goods: keys = "disaster.ui.keys.goods"
        case .houses: keys = "disaster.ui.keys.houses"
        case .reports: keys = "disaster.ui.keys.reports"
        }
        status(&g, left: env.t(keys), right: d.rowCount == 0 ? "" : "\(d.selected + 1)/\(d.rowCount)")
        return d.dialog.flatMap { actionDialog(&g, $0, env) }
    }
}
