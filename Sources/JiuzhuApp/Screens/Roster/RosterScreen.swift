import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// 发放名册 (from 统计报表, F8): the rosters by month and programme; the selected one's villages.
public struct RosterListState: Equatable, Sendable {
    public var rows: [PaymentRoster] = []
    public var villages: [PaymentVillageTotal] = []
    /// A county file: the selected roster's townships (nil in a township's own file, whose
    /// screen shows the villages).
    public var townships: [PaymentTownshipTotal]?
    /// A county file's townships, which name each roster's own (nil in a township's own file).
    public var county: [Region]?
    public var selected = 0
    public var loading = true
    public var dialog: ActionDialog?
    /// The roster the open box confirms (nil: the box makes one).
    public var confirming: PaymentRoster?
    public init() {}
    public var selectedRow: PaymentRoster? { rows.indices.contains(selected) ? rows[selected] : nil }
}

/// One roster's lines, by village and payee (ID numbers masked, the card shown as there or not),
/// a screenful at a time: a roster of 50,000 cases is never read whole onto the screen.
public struct RosterLinesState: Equatable, Sendable {
    public var roster: PaymentRoster
    /// The lines from `offset` (one screenful).
    public var lines: [PaymentLine] = []
    public var offset = 0
    /// The selected line, counted over the whole roster.
    public var selected = 0
    public var loading = true
    /// The confirm box (the approver's password).
    public var dialog: ActionDialog?
    /// A county file's townships (nil in a township's own file): the lines' township column.
    public var townships: [Region]?
    public init(roster: PaymentRoster) { self.roster = roster }
}

/// 发放名册: the module of the list; it carries out the roster's writes for the lines screen too.
public enum RosterListScreen: ScreenModule {
    public static let id: ScreenID = "rosters"
    public static func keymapSection(_ l: RosterListState, _ s: AppState) -> ScreenID { l.dialog != nil ? .caseAction : id }

    public enum Effect: Equatable, Sendable {
        /// The rosters, and the villages of the one selected (or the first).
        case load(selected: Int64?)
        /// The village shares of roster `id` (the selection moved; the list itself is as it was).
        case loadVillages(Int64)
        case make(month: String, programme: Programme)
        case confirm(id: Int64, version: Int, password: String)
        case export(Int64)
    }

    public enum Event: Sendable {
        case loaded([PaymentRoster], villages: [PaymentVillageTotal], selected: Int64?, townships: [PaymentTownshipTotal]? = nil,
                    county: [Region]? = nil)
        case villages(Int64, [PaymentVillageTotal], townships: [PaymentTownshipTotal]? = nil)
        case made(PaymentRoster)
        case confirmed(Int64)
        case exported(Int64, paths: [String])
        case refused(any Error)
    }

    public static func isQuickRead(_ effect: Effect) -> Bool { if case .loadVillages = effect { return true } else { return false } }

    static func open(_ s: inout AppState) -> [JiuzhuApp.Effect] {
        s.push(RosterListScreen.embed(RosterListState()))
        return [effect(.load(selected: nil))]
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        let store = cx.store
        switch effect {
        case .load(let selected):
            let rows = try store.rosters()
            let pick = rows.first { $0.id == selected } ?? rows.first
            let county = try store.countyTownships()
            return .loaded(rows, villages: try pick.map { try store.rosterVillageTotals(id: $0.id) } ?? [], selected: pick?.id,
                           townships: county != nil ? try pick.map { try store.rosterTownshipTotals(id: $0.id) } ?? [] : nil, county: county)
        case .loadVillages(let id):
            return .villages(id, try store.rosterVillageTotals(id: id),
                             townships: try store.isCountyFile() ? try store.rosterTownshipTotals(id: id) : nil)
        case .make(let month, let programme):
            guard let u = cx.user, App.mayMakeRosters(u), let catalog = cx.env.catalog else { return nil }
            do { return .made(try store.makeRoster(month: month, programme: programme, catalog: catalog, by: u.name)) }
            catch { return .refused(error) }
        case .confirm(let id, let version, let password):
            guard let u = cx.user, App.mayPayRosters(u), let catalog = cx.env.catalog else { return nil }
            do {
                // The approver's password, as `jiuzhu roster confirm` asks it.
                _ = try store.authenticate(name: u.name, password: password)
                try store.confirmRoster(id: id, version: version, catalog: catalog, by: u.name, today: cx.env.today)
                return .confirmed(id)
            } catch { return .refused(error) }
        case .export(let id):
            guard let u = cx.user, App.mayPayRosters(u) else { return nil }
            do {
                guard let r = try store.roster(id: id) else { return nil }
                // A county file: one roster per township.
                let paths = try store.isCountyFile()
                    ? try RosterExport.writeByTownship(r, store: store, towns: try store.rosterTownshipTotals(id: id), lang: cx.env.lang,
                                                       stem: try RosterExport.stem(r, besides: store.path))
                    : try RosterExport.write(r, lines: try store.rosterLines(id: id), township: cx.env.township, lang: cx.env.lang,
                                             stem: try RosterExport.stem(r, besides: store.path))
                try store.auditRosterExport(id: id, to: paths.joined(separator: ", "), by: u.name)
                return .exported(id, paths: paths)
            } catch { return .refused(error) }
        }
    }

    public static func event(_ s: inout AppState, _ l: inout RosterListState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        func done(_ text: String, select: Int64?) -> [JiuzhuApp.Effect] {
            l.dialog = nil; l.confirming = nil
            if let i = s.stack.lastIndex(where: { $0.id == RosterLinesScreen.id }), var r = RosterLinesScreen.extract(s.stack[i]) {
                r.dialog = nil; s.stack[i] = RosterLinesScreen.embed(r)
            }
            s.message = Message(title: env.t("screen.rosters"), text: text)
            var fx: [JiuzhuApp.Effect] = [effect(.load(selected: select))]
            if let r = RosterLinesScreen.extract(s.top) {
                fx.append(RosterLinesScreen.effect(.load(r.roster.id, anchor: r.lines.first.map { .from($0) } ?? .first, limit: App.rosterPage(s), offset: r.offset)))
            }
            return fx
        }
        switch event {
        case .loaded(let rows, let villages, let selected, let townships, let county):
            l.rows = rows; l.loading = false; l.county = county
            l.selected = rows.firstIndex { $0.id == selected } ?? min(l.selected, max(0, rows.count - 1))
            l.villages = villages; l.townships = townships
        case .villages(let id, let villages, let townships):
            guard l.selectedRow?.id == id else { return [] }
            l.villages = villages; l.townships = townships
        case .made(let r):
            var text = env.t("roster.made", ["month": r.month, "programme": r.programme.label(env.lang), "n": String(r.lines),
                                              "p": String(r.persons), "total": r.total.yuanString, "noCard": String(r.withoutCard)])
            if r.backPay.fen > 0 { text += "\n" + env.t("roster.backPay", ["back": r.backPay.yuanString]) }
            return done(text, select: r.id)
        case .confirmed(let id):
            return done(env.t("roster.confirmedDone"), select: id)
        case .exported(let id, let paths):
            return done(env.t("roster.exported", ["paths": paths.joined(separator: "\n")]), select: id)
        case .refused(let error):
            let why = App.describe(error, env.lang)
            if let i = s.stack.lastIndex(where: { $0.id == RosterLinesScreen.id }), var r = RosterLinesScreen.extract(s.stack[i]), var box = r.dialog, s.top.id == RosterLinesScreen.id {
                box.error = why; box.busy = false; r.dialog = box; s.stack[i] = RosterLinesScreen.embed(r)
            } else if var box = l.dialog, s.top.id == RosterListScreen.id {
                box.error = why; box.busy = false; l.dialog = box
            } else {
                s.message = Message(title: env.t("error.title"), text: why)
            }
        }
        return []
    }

    public static func key(_ s: inout AppState, _ l: inout RosterListState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        App.rosterListKey(&s, &l, key, cmd, env: env)
    }

    public static func view(_ g: inout CellGrid, _ l: RosterListState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.rosterListView(&g, l, s, env)
    }
}

/// One roster's lines: the module. Its confirm and export are the list's effects.
public enum RosterLinesScreen: ScreenModule {
    public static let id: ScreenID = "rosterLines"
    public static func keymapSection(_ r: RosterLinesState, _ s: AppState) -> ScreenID { r.dialog != nil ? .caseAction : id }

    public enum Effect: Equatable, Sendable {
        /// A screenful of a roster's lines from `anchor`; `offset` is where it will start in the
        /// whole roster (the reducer keeps count as it moves).
        case load(Int64, anchor: Store.LineAnchor, limit: Int, offset: Int)
    }

    public enum Event: Sendable {
        case loaded(PaymentRoster, [PaymentLine], offset: Int, townships: [Region]? = nil)
    }

    public static func isQuickRead(_ effect: Effect) -> Bool { true }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        switch effect {
        case .load(let id, let anchor, let limit, let offset):
            guard let r = try cx.store.roster(id: id) else { return nil }
            return .loaded(r, try cx.store.rosterLines(id: id, from: anchor, limit: limit), offset: offset,
                           townships: try cx.store.countyTownships())
        }
    }

    public static func event(_ s: inout AppState, _ r: inout RosterLinesState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch event {
        case .loaded(let roster, let lines, let offset, let townships):
            guard r.roster.id == roster.id else { return [] }
            r.roster = roster; r.lines = lines; r.offset = offset; r.loading = false; r.townships = townships
            r.selected = min(max(r.selected, offset), offset + max(0, lines.count - 1))
        }
        return []
    }

    public static func key(_ s: inout AppState, _ r: inout RosterLinesState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        App.rosterLinesKey(&s, &r, key, cmd, env: env)
    }

    public static func view(_ g: inout CellGrid, _ r: RosterLinesState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.rosterLinesView(&g, r, s, env)
    }
}

extension App {
    /// Who may make a draft roster: the clerk, the approver, the administrator.
    static func mayMakeRosters(_ u: User?) -> Bool { Policy.allows(u?.role, .makeRoster) }
    /// Who may confirm one and take out the bank's file (full ID and card numbers).
    static func mayPayRosters(_ u: User?) -> Bool { Policy.allows(u?.role, .confirmRoster) }

    static func rosterListKey(_ s: inout AppState, _ l: inout RosterListState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        if let r = l.confirming, l.dialog != nil {
            var box = l.dialog
            let fx = boxKey(&box, key, env: env) { d in confirmSubmit(&d, r, env: env) }
            l.dialog = box
            if box == nil { l.confirming = nil }
            return fx
        }
        if l.dialog != nil {
            var box = l.dialog
            let fx = boxKey(&box, key, env: env) { d in
                if missing(&d, env: env) { return ([], false) }
                let month = d.value("month").trimmingCharacters(in: .whitespaces)
                guard Store.isMonth(month) else {
                    d.error = env.t("roster.badMonth"); d.focus = 0; return ([], false)
                }
                guard let p = Programme(text: d.value("programme").trimmingCharacters(in: .whitespaces)), env.catalog?.definition(p).isMonthly == true else {
                    d.error = env.t("roster.badProgramme"); d.focus = 1; return ([], false)
                }
                d.busy = true
                return ([RosterListScreen.effect(.make(month: month, programme: p))], false)
            }
            l.dialog = box
            return fx
        }
        let before = l.selected
        switch cmd {
        case .up?: l.selected = max(0, l.selected - 1)
        case .down?: l.selected = min(max(0, l.rows.count - 1), l.selected + 1)
        case .back?: s.pop(); return []
        case .confirm?:
            guard let r = l.selectedRow else { return [] }
            s.replaceTop(RosterListScreen.embed(l))
            s.push(RosterLinesScreen.embed(RosterLinesState(roster: r)))
            return [RosterLinesScreen.effect(.load(r.id, anchor: .first, limit: rosterPage(s), offset: 0))]
        case .addItem?, .newItem?:
            guard mayMakeRosters(s.user) else {
                s.message = Message(title: env.t("screen.rosters"), text: env.t("roster.notYoursMake")); return []
            }
            let month = String(format: "%04d-%02d", env.today.year, env.today.month)
            l.dialog = ActionDialog(action: .done, title: env.t("roster.makeTitle"), fields: [
                DialogField(id: "month", label: env.t("roster.month"), hint: "YYYY-MM", required: true, field: TextField(month, maxLength: 7)),
                DialogField(id: "programme", label: env.t("publicity.programme"), hint: (env.catalog?.monthlyProgrammes ?? []).map { $0.label(env.lang) }.joined(separator: "/"),
                            required: true, field: TextField(Programme.ruralDibao.label(env.lang), maxLength: 12)),
            ])
            return []
        case .submit?:
            if let r = l.selectedRow, let box = confirmBox(&s, r, env: env) { l.dialog = box; l.confirming = r }
            return []
        case .print?:
            return exportRoster(&s, l.selectedRow, env: env)
        case .standardRaise?:
            s.replaceTop(RosterListScreen.embed(l))
            return RaiseScreen.open(&s)
        default: break
        }
        if l.selected != before, let r = l.selectedRow { return [RosterListScreen.effect(.loadVillages(r.id))] }
        return []
    }

    /// Lines of a roster that fit: the screen less title, note, header, status and key bar.
    static func rosterPage(_ s: AppState) -> Int { max(1, s.height - 5) }

    static func rosterLinesKey(_ s: inout AppState, _ r: inout RosterLinesState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        if r.dialog != nil {
            var box = r.dialog
            let roster = r.roster
            let fx = boxKey(&box, key, env: env) { d in confirmSubmit(&d, roster, env: env) }
            r.dialog = box
            return fx
        }
        let page = rosterPage(s)
        let total = r.roster.lines
        let last = max(0, total - 1)
        let id = r.roster.id
        switch cmd {
        case .up?: r.selected = max(0, r.selected - 1)
        case .down?: r.selected = min(last, r.selected + 1)
        case .pageUp?: r.selected = max(0, r.selected - page)
        case .pageDown?: r.selected = min(last, r.selected + page)
        case .first?:
            r.selected = 0
            return r.offset == 0 ? [] : [RosterLinesScreen.effect(.load(id, anchor: .first, limit: page, offset: 0))]
        case .last?:
            r.selected = last
            return r.offset + r.lines.count >= total ? [] : [RosterLinesScreen.effect(.load(id, anchor: .last, limit: page, offset: max(0, total - page)))]
        case .back?: s.pop(); return []
        case .submit?:
            r.dialog = confirmBox(&s, r.roster, env: env)
            return []
        case .print?: return exportRoster(&s, r.roster, env: env)
        default: break
        }
        // Off the screenful shown: the next or previous screenful, by keyset from its edge.
        if r.selected >= r.offset + r.lines.count, let edge = r.lines.last {
            return [RosterLinesScreen.effect(.load(id, anchor: .after(edge), limit: page, offset: r.offset + r.lines.count))]
        }
        if r.selected < r.offset, let edge = r.lines.first {
            return r.offset - page <= 0 ? [RosterLinesScreen.effect(.load(id, anchor: .first, limit: page, offset: 0))]
                : [RosterLinesScreen.effect(.load(id, anchor: .before(edge), limit: page, offset: r.offset - page))]
        }
        return []
    }

    /// The box that asks before a roster is confirmed: what will be sent to the bank, that it
    /// never changes after, and the approver's password (as `jiuzhu roster confirm` asks it).
    static func confirmBox(_ s: inout AppState, _ r: PaymentRoster, env: AppEnvironment) -> ActionDialog? {
        guard mayPayRosters(s.user) else {
            s.message = Message(title: env.t("screen.rosters"), text: env.t("roster.notYoursPay")); return nil
        }
        if r.state == .confirmed {
            s.message = Message(title: env.t("screen.rosters"), text: env.t("roster.alreadyConfirmed")); return nil
        }
        return ActionDialog(action: .done, title: env.t("roster.confirmTitle", ["month": r.month, "programme": r.programme.label(env.lang),
                                                                               "n": String(r.lines), "total": r.total.yuanString]), fields: [
            DialogField(id: "password", label: env.t("roster.password"), hint: env.t("roster.confirmHint"), required: true,
                        field: TextField("", maxLength: 64, isSecure: true)),
        ])
    }

    static func confirmSubmit(_ d: inout ActionDialog, _ r: PaymentRoster, env: AppEnvironment) -> (effects: [Effect], close: Bool) {
        if missing(&d, env: env) { return ([], false) }
        d.busy = true
        return ([RosterListScreen.effect(.confirm(id: r.id, version: r.version, password: d.value("password")))], false)
    }

    static func exportRoster(_ s: inout AppState, _ r: PaymentRoster?, env: AppEnvironment) -> [Effect] {
        guard let r else { return [] }
        guard mayPayRosters(s.user) else {
            s.message = Message(title: env.t("screen.rosters"), text: env.t("roster.notYoursPay")); return []
        }
        return [RosterListScreen.effect(.export(r.id))]
    }
}

extension AppView {
    static func rosterListView(_ g: inout CellGrid, _ l: RosterListState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        g.put(env.t("roster.intro"), x: 1, y: 1, style: noteStyle, maxWidth: g.width - 2)
        // A county file: each roster's own township last (every township's rosters are here).
        let cells: [[String]] = l.rows.map { r in
            [r.month, r.programme.label(env.lang), r.state == .confirmed ? env.t("roster.confirmed") : env.t("roster.draft"),
             String(r.lines), String(r.persons), r.total.yuanString, String(r.withoutCard)]
            + (l.county.map { towns in
                // One made in the county's own file (township digits 000) is the county's.
                [r.township.count == 12 && r.township.dropFirst(6).hasPrefix("000") ? env.t("county.allTownships")
                    : CountyView.townshipName(r.township, towns)]
            } ?? [])
        }
        let titles = ["roster.month", "review.col.programme", "roster.col.state", "roster.col.lines", "roster.col.persons",
                      "roster.col.total", "roster.col.noCard"].map { env.t($0) } + (l.county != nil ? [env.t("county.col.township")] : [])
        // Each column as wide as its widest cell or its title: figures are never cut.
        func fit(_ i: Int, _ least: Int) -> Int { columnWidth(cells, i, title: titles[i], least: least) }
        let cols = [TableColumn(titles[0], width: fit(0, 8), priority: 9),   // the first column also holds the ▶
                    TableColumn(titles[1], width: fit(1, 8), priority: 9),
                    TableColumn(titles[2], width: fit(2, 6), priority: 8),
                    TableColumn(titles[3], width: fit(3, 4), alignment: .right, priority: 9),
                    TableColumn(titles[4], width: fit(4, 4), alignment: .right, priority: 7),
                    TableColumn(titles[5], width: fit(5, 10), alignment: .right, priority: 9),
                    TableColumn(titles[6], width: fit(6, 4), alignment: .right, priority: 6)]
                    + (l.county != nil ? [TableColumn(titles[7], width: fit(7, 6), priority: 7)] : [])
        let tableHeight = min(max(3, l.rows.count + 1), max(3, (g.height - 6) / 2))
        lateTable(&g, columns: cols, count: l.rows.count, selected: l.selected, top: 2, height: tableHeight,
                  emptyText: l.loading ? env.t("review.loading") : env.t("roster.none"), late: { _ in false }) { i in cells[i] }
        var y = 2 + tableHeight + 1
        if let r = l.selectedRow, let towns = l.townships, y < g.height - 3 {
            // A county file: each township's share (its own roster when exported).
            g.put(env.t("county.rosterByTownship", ["month": r.month, "programme": r.programme.label(env.lang)]), x: 1, y: y,
                  style: Style(attrs: .bold), maxWidth: g.width - 2)
            y += 1
            for t in towns where y < g.height - 2 {
                g.putFitted(t.name, x: 3, y: y, width: 14)
                g.putFitted(env.t("roster.villageLine", ["n": String(t.lines), "p": String(t.persons)]), x: 18, y: y, width: 22, alignment: .right)
                g.putFitted(t.total.yuanString, x: 42, y: y, width: 14, alignment: .right)
                y += 1
            }
        } else if let r = l.selectedRow, !l.villages.isEmpty, y < g.height - 3 {
            g.put(env.t("roster.byVillage", ["month": r.month, "programme": r.programme.label(env.lang)]), x: 1, y: y, style: Style(attrs: .bold), maxWidth: g.width - 2)
            y += 1
            for v in l.villages where y < g.height - 2 {
                g.putFitted(v.village, x: 3, y: y, width: 14)
                g.putFitted(env.t("roster.villageLine", ["n": String(v.lines), "p": String(v.persons)]), x: 18, y: y, width: 16, alignment: .right)
                g.putFitted(v.total.yuanString, x: 36, y: y, width: 12, alignment: .right)
                y += 1
            }
        }
        let left = l.selectedRow.map { r in
            r.state == .confirmed ? env.t("roster.confirmedBy", ["by": r.confirmedBy ?? "", "at": String((r.confirmedAt ?? "").prefix(10))])
                : env.t("roster.madeBy", ["by": r.madeBy, "at": String(r.madeAt.prefix(10))])
        } ?? ""
        status(&g, left: left, right: l.rows.isEmpty ? "" : "\(l.selected + 1)/\(l.rows.count)")
        return l.dialog.flatMap { actionDialog(&g, $0, env) }
    }

    static func rosterLinesView(_ g: inout CellGrid, _ r: RosterLinesState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        let ro = r.roster
        let state = ro.state == .confirmed ? env.t("roster.confirmed") : env.t("roster.draft")
        g.put(env.t("roster.linesTitle", ["month": ro.month, "programme": ro.programme.label(env.lang), "state": state]),
              x: 1, y: 1, style: Style(attrs: .bold), maxWidth: g.width - 2)
        // A county file: the township first (the lines run township by township, village names repeat).
        let towns = r.townships
        let cells: [[String]] = r.lines.map { l in
            (towns.map { [CountyView.townshipName(l.villageCode, $0)] } ?? [])
            + [l.village, l.payeeName, Masking.idNumber(l.payeeId), l.bankCard == nil ? env.t("roster.noCard") : env.t("roster.card"),
               String(l.persons), l.amount.yuanString]
        }
        let k = towns == nil ? 0 : 1
        func fit(_ i: Int, _ least: Int) -> Int { columnWidth(cells, i + k, least: least) }
        // One more column for the ▶ the first cell carries.
        let township = towns.map { _ in [TableColumn(env.t("county.col.township"), width: columnWidth(cells, 0, title: env.t("county.col.township"), least: 6) + 1, priority: 7)] } ?? []
        let cols = township + [TableColumn(env.t("cases.col.village"), width: fit(0, 8), priority: 8),
                    TableColumn(env.t("roster.col.payee"), width: fit(1, 6), priority: 9),
                    TableColumn(env.t("cases.col.idno"), width: 18, priority: 7),
                    TableColumn(env.t("roster.col.card"), width: fit(3, 6), priority: 8),
                    TableColumn(env.t("roster.col.persons"), width: 4, alignment: .right, priority: 6),
                    TableColumn(env.t("roster.col.amount"), width: fit(5, 8), alignment: .right, priority: 9)]
        lateTable(&g, columns: cols, count: r.lines.count, selected: r.selected - r.offset, top: 2, height: g.height - 4,
                  emptyText: r.loading ? env.t("review.loading") : env.t("roster.noLines"), late: { i in r.lines[i].bankCard == nil }) { i in cells[i] }
        let back = ro.backPay.fen > 0 ? env.t("roster.backPayShort", ["back": ro.backPay.yuanString]) : ""
        status(&g, left: env.t("roster.totals", ["n": String(ro.lines), "p": String(ro.persons), "total": ro.total.yuanString, "noCard": String(ro.withoutCard)]) + back,
               right: r.lines.isEmpty ? "" : "\(r.selected + 1)/\(ro.lines)")
        return r.dialog.flatMap { actionDialog(&g, $0, env) }
    }
}
