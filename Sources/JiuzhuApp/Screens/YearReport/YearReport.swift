import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// 统计报表: the county's year-end table for a period — per programme, households and persons on
/// the roll at the start and the end, 新增 / 调整 / 取消 / 清退 / 暂停, and the money — from the
/// cases' step records, so any past period can be drawn again with the same figures.
public struct ReportState: Equatable, Sendable {
    public var from: CivilDate
    public var until: CivilDate
    public var figures: [ProgrammeFigures] = []
    /// The disaster rows (救灾) of the same period.
    public var disaster: DisasterYearFigures?
    public var loading = true
    public var dialog: ActionDialog?
    /// A county file's townships (nil in a township's own file) and the one shown (nil: the
    /// county's total).
    public var townships: [Region]?
    public var township: String?
    public init(from: CivilDate, until: CivilDate) { self.from = from; self.until = until }

    /// Whose table it is: the township's name, or in a county file the total's.
    public func owner(_ env: AppEnvironment) -> String {
        guard let towns = townships else { return env.township }
        guard let t = township else { return env.t("county.allTownships") }
        return towns.first { $0.code == t }?.name ?? t
    }

    /// The calendar year of `today`, up to today.
    public static func thisYear(_ today: CivilDate) -> ReportState {
        ReportState(from: CivilDate(year: today.year, month: 1, day: 1)!, until: today)
    }
}

public enum YearReport {
    /// The table's rows: a label and one cell per programme, two rows (户, 人) per count.
    public static func rows(_ figures: [ProgrammeFigures], lang: Lang) -> [[String]] {
        var out: [[String]] = []
        func pair(_ label: String, _ count: (ProgrammeFigures) -> ProgrammeFigures.Count?) {
            out.append([label + (say("print.yearReport.householdsUnit", lang))] + figures.map { f in count(f).map { String($0.households) } ?? "—" })
            out.append([say("print.yearReport.personsUnit", lang)] + figures.map { f in count(f).map { String($0.persons) } ?? "—" })
        }
        pair(say("print.yearReport.atStart", lang)) { $0.monthly ? $0.atStart : nil }
        pair(say("print.yearReport.added", lang)) { $0.added }
        pair(say("print.yearReport.adjusted", lang)) { $0.monthly ? $0.adjusted : nil }
        pair(say("print.yearReport.cancelled", lang)) { $0.monthly ? $0.cancelled : nil }
        pair(say("print.yearReport.removed", lang)) { $0.monthly ? $0.cleared : nil }
        pair(say("print.yearReport.suspended", lang)) { $0.monthly ? $0.suspended : nil }
        pair(say("print.yearReport.atEnd", lang)) { $0.monthly ? $0.atEnd : nil }
        out.append([say("print.yearReport.money10kYuan", lang)] + figures.map { $0.amount.wanYuanString })
        // Beside what was due, what the confirmed rosters sent, and for how many months.
        // A star: some month of the period has no confirmed roster.
        out.append([say("print.yearReport.paidRosters", lang)] + figures.map { f in
            f.paid.map { $0.wanYuanString + (f.rosterMonths < f.periodMonths ? "*" : "") } ?? "—"
        })
        // The difference to the fen: zero when every month's roster paid what the records made due.
        out.append([say("print.yearReport.paidDueYuan", lang)] + figures.map { f in
            f.monthly ? f.paid.map { Money(fen: $0.fen - f.amount.fen).yuanString } ?? "—" : "—"
        })
        return out
    }

    /// The disaster rows (issue 24): label and value, from the records of the period.
    public static func disasterRows(_ d: DisasterYearFigures, items: [RefCode], lang: Lang) -> [[String]] {
        func t(_ k: String) -> String { say(k, lang) }
        var out: [[String]] = [[t("disaster.year.title"), ""], [t("disaster.year.events"), String(d.events)]]
        for p in ReliefPeriod.allCases {
            let r = d.relief[p] ?? DisasterYearFigures.Relief()
            out.append([say("disaster.year.relief", lang, ["period": p.label(lang)]), say("disaster.year.reliefValue", lang, ["households": String(r.households), "persons": String(r.persons), "amount": r.amount.wanYuanString])])
        }
        let total = d.totalRelief
        out.append([t("disaster.year.reliefTotal"), say("disaster.year.reliefValue", lang, ["households": String(total.households), "persons": String(total.persons), "amount": total.amount.wanYuanString])])
        out.append([t("disaster.year.cashHanded"), say("disaster.year.cashValue", lang, ["amount": d.cashHanded.wanYuanString, "n": String(d.distributions)])])
        func goods(_ m: [String: Int]) -> String {
            let parts = items.filter { (m[$0.code] ?? 0) != 0 }.map { "\($0.label(lang)) \(m[$0.code]!)\($0.unit(lang))" }
            return parts.isEmpty ? "0" : Strings.shared.list(parts, lang)
        }
        out.append([t("disaster.year.goodsIn"), goods(d.goodsReceived)])
        out.append([t("disaster.year.goodsOut"), goods(d.goodsIssued)])
        out.append([t("disaster.year.houses"), say("disaster.year.housesValue", lang, ["approved": String(d.housesApproved), "accepted": String(d.housesAccepted),
                                                                                  "movedIn": String(d.housesMovedIn), "paid": d.housePaid.wanYuanString])])
        return out
    }

    /// `short`: the programmes' short names, for the screen's narrow columns.
    public static func header(_ figures: [ProgrammeFigures], lang: Lang, short: Bool = false) -> [String] {
        [say("print.yearReport.programme", lang)] + figures.map { short ? $0.programme.shortLabel(lang) : $0.programme.label(lang) }
    }

    /// What the figures mean, under the table and in the printed file.
    public static func notes(lang: Lang) -> [String] {
        ["print.yearReport.note1", "print.yearReport.note2", "print.yearReport.note3"].map { say($0, lang) }
    }

    /// The table as a workbook and as CSV (with BOM) in `stem`.xlsx / .csv, 0600; their paths.
    public static func write(_ figures: [ProgrammeFigures], from: CivilDate, until: CivilDate, township: String, lang: Lang,
                             stem: String, anchor: String? = nil, disaster: [[String]] = []) throws -> [String] {
        let title = say("print.yearReport.title", lang, ["township": "\(township)", "from": "\(from.iso)", "until": "\(until.iso)"])
        let header = header(figures, lang: lang)
        let body = rows(figures, lang: lang).map { $0.map { $0.trimmingCharacters(in: .whitespaces) } }
        let notes = disaster + (notes(lang: lang) + anchorLine(anchor, lang)).map { [$0] }
        var csv = CSVWriter.bom + CSVWriter.line([title]) + CSVWriter.line(header)
        for row in body + notes { csv += CSVWriter.line(row) }
        try SurveyPrint.writePrivate(csv, to: stem + ".csv")
        try TableXLSX.write(title: title, sheet: say("print.yearReport.report", lang), header: header,
                            numeric: Set(1..<header.count), lang: lang, to: stem + ".xlsx") { sink in
            for row in body + notes { try sink(row) }
        }
        return [stem + ".csv", stem + ".xlsx"]
    }

    /// The table as tab-separated text (the CLI; a file for Excel).
    /// The audit chain's head when the table was drawn (so a later cut of the log shows).
    static func anchorLine(_ anchor: String?, _ lang: Lang) -> [String] {
        anchor.map { [(say("print.yearReport.auditChainHeadWhen", lang)) + $0] } ?? []
    }

    public static func tsv(_ figures: [ProgrammeFigures], from: CivilDate, until: CivilDate, township: String, lang: Lang,
                           anchor: String? = nil, disaster: [[String]] = []) -> String {
        var lines = [(say("print.yearReport.title", lang, ["township": "\(township)", "from": "\(from.iso)", "until": "\(until.iso)"]))]
        lines.append(header(figures, lang: lang).joined(separator: "\t"))
        lines += rows(figures, lang: lang).map { $0.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\t") }
        lines += disaster.map { $0.joined(separator: "\t") }
        lines += notes(lang: lang) + anchorLine(anchor, lang)
        return lines.joined(separator: "\n") + "\n"
    }
}

/// 统计报表: the module.
public enum ReportScreen: ScreenModule {
    public static let id: ScreenID = "reports"
    public static func keymapSection(_ r: ReportState, _ s: AppState) -> ScreenID { r.dialog != nil ? .caseAction : id }

    public enum Effect: Equatable, Sendable {
        case load(from: CivilDate, until: CivilDate, township: String? = nil)
        /// `owner`: whose table (a county file's total or township, by name); `township`: the
        /// township's code, in the file's name so each township's table is a file of its own.
        case write(from: CivilDate, until: CivilDate, [ProgrammeFigures], disaster: DisasterYearFigures?, owner: String? = nil,
                   township: String? = nil)
    }

    public enum Event: Sendable {
        case loaded(from: CivilDate, until: CivilDate, [ProgrammeFigures], disaster: DisasterYearFigures?, townships: [Region]? = nil,
                    township: String? = nil)
        case written(paths: [String])
        case refused(any Error)
    }

    /// F5 (township) is a county file's key: not on a township's bar.
    public static func barHidden(_ r: ReportState, _ s: AppState, _ env: AppEnvironment) -> Set<Command> {
        r.townships == nil ? [.filterTownship] : []
    }

    public static func open(_ s: inout AppState, env: AppEnvironment) -> [JiuzhuApp.Effect]? {
        let r = ReportState.thisYear(env.today)
        s.push(ReportScreen.embed(r))
        return [effect(.load(from: r.from, until: r.until))]
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        do {
            switch effect {
            case .load(let from, let until, let township):
                guard let catalog = cx.env.catalog else { return nil }
                // A township of a county file: its programmes' figures; the disaster rows are the file's.
                return .loaded(from: from, until: until, try cx.store.yearFigures(from: from, until: until, catalog: catalog, township: township),
                               disaster: township == nil ? try cx.store.disasterYearFigures(from: from, until: until, catalog: catalog) : nil,
                               townships: try cx.store.countyTownships(), township: township)
            case .write(let from, let until, let figures, let disaster, let owner, let township):
                let name = "report-\(from.iso)-\(until.iso)" + (township.map { "-" + $0 } ?? "")
                let stem = try PrintsFolder.url(besides: cx.store.path).appendingPathComponent(name).path
                let rows = try disaster.map { YearReport.disasterRows($0, items: try cx.store.reliefItems(), lang: cx.env.lang) } ?? []
                return .written(paths: try YearReport.write(figures, from: from, until: until, township: owner ?? cx.env.township, lang: cx.env.lang,
                                                            stem: stem, anchor: cx.store.anchorText(), disaster: rows))
            }
        } catch { return .refused(error) }
    }

    public static func event(_ s: inout AppState, _ r: inout ReportState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch event {
        case .loaded(let from, let until, let figures, let disaster, let townships, let township):
            guard from == r.from && until == r.until && township == r.township else { return [] }
            r.figures = figures; r.disaster = disaster; r.loading = false; r.townships = townships
        case .written(let paths):
            App.printed(&s, paths, env: env)
        case .refused(let error):
            r.loading = false
            App.showRefusal(error, in: &r.dialog, &s, env: env)
        }
        return []
    }

    public static func orphan(_ s: inout AppState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        if case .written(let paths) = event { App.printed(&s, paths, env: env) }
        return []
    }

    public static func key(_ s: inout AppState, _ r: inout ReportState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        App.reportKey(&s, &r, key, cmd, env: env)
    }

    public static func view(_ g: inout CellGrid, _ r: ReportState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.reportView(&g, r, s, env)
    }
}

extension App {
    static func reportKey(_ s: inout AppState, _ r: inout ReportState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        if r.dialog != nil {
            var box = r.dialog
            var period: (CivilDate, CivilDate)?
            let fx = boxKey(&box, key, env: env) { d in
                if missing(&d, env: env) { return ([], false) }
                func date(_ id: String) -> CivilDate? {
                    let t = d.value(id).trimmingCharacters(in: .whitespaces)
                    return CivilDate(iso: t)
                }
                guard let from = date("from") else { d.error = env.t("publicity.badDate"); d.focus = 0; return ([], false) }
                guard let until = date("until"), until <= env.today else { d.error = env.t("publicity.badDate"); d.focus = 1; return ([], false) }
                if until < from { d.error = env.t("campaign.endsBeforeStart"); d.focus = 1; return ([], false) }
                period = (from, until)
                return ([], true)
            }
            r.dialog = box
            if let (from, until) = period { return load(&r, from, until) }
            return fx
        }
        switch cmd {
        case .back?: s.pop()
        case .print?:
            guard !r.loading, !r.figures.isEmpty else { return [] }
            return [ReportScreen.effect(.write(from: r.from, until: r.until, r.figures, disaster: r.disaster,
                                               owner: r.townships == nil ? nil : r.owner(env), township: r.township))]
        case .filterTownship?:
            // A county file: the total, then each township in turn.
            guard let towns = r.townships else { return [] }
            let codes: [String?] = [nil] + towns.map { Optional($0.code) }
            r.township = codes[((codes.firstIndex(of: r.township) ?? 0) + 1) % codes.count]
            return load(&r, r.from, r.until)
        case .rosters?:
            s.replaceTop(ReportScreen.embed(r))
            return RosterListScreen.open(&s)
        case .find?:
            r.dialog = ActionDialog(action: .done, title: env.t("report.periodTitle"), fields: [
                DialogField(id: "from", label: env.t("report.from"), hint: "YYYY-MM-DD", required: true, field: TextField(r.from.iso, maxLength: 10)),
                DialogField(id: "until", label: env.t("report.until"), hint: env.t("report.untilHint"), required: true, field: TextField(r.until.iso, maxLength: 10)),
            ])
        case .pageUp?, .pageDown?:
            // The calendar year before or after (a year not yet over runs to today).
            let y = r.from.year + (cmd == .pageUp ? -1 : 1)
            guard let from = CivilDate(year: y, month: 1, day: 1), from <= env.today else { return [] }
            return load(&r, from, min(CivilDate(year: y, month: 12, day: 31)!, env.today))
        default: break
        }
        return []
    }

    private static func load(_ r: inout ReportState, _ from: CivilDate, _ until: CivilDate) -> [Effect] {
        r.from = from; r.until = until; r.loading = true; r.figures = []; r.disaster = nil
        return [ReportScreen.effect(.load(from: from, until: until, township: r.township))]
    }
}

extension AppView {
    static func reportView(_ g: inout CellGrid, _ r: ReportState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        g.put(env.t("print.yearReport.screenTitle", ["township": "\(r.owner(env))", "from": "\(r.from.iso)", "until": "\(r.until.iso)"]),
              x: 1, y: 1, style: Style(attrs: .bold), maxWidth: g.width - 2)
        if r.loading || r.figures.isEmpty {
            g.put(env.t("report.loading"), x: 1, y: 3, maxWidth: g.width - 2)
        } else {
            let head = YearReport.header(r.figures, lang: env.lang, short: true)
            let rows = YearReport.rows(r.figures, lang: env.lang)
            let labelW = max(10, rows.map { TextWidth.of($0[0]) }.max() ?? 10)
            let cellW = min(16, max(8, (g.width - 2 - labelW) / max(1, r.figures.count) - 1))
            let header = Style(attrs: [.bold, .underline])
            g.fill(x: 0, y: 2, width: g.width, height: 1, style: header)
            var y = 2
            func line(_ cells: [String], style: Style) {
                g.putFitted(cells[0], x: 1, y: y, width: labelW, style: style)
                for (i, c) in cells.dropFirst().enumerated() {
                    g.putFitted(c, x: 1 + labelW + 1 + i * (cellW + 1), y: y, width: cellW, alignment: .right, style: style)
                }
            }
            line(head, style: header)
            for (i, row) in rows.enumerated() where y < g.height - 4 {
                y += 1
                line(row, style: i % 2 == 1 || i == rows.count - 1 ? .plain : Style(attrs: .bold))
            }
            if let d = r.disaster, y < g.height - 4 {
                y += 1
                let t = d.totalRelief
                g.put(env.t("disaster.year.line", ["events": String(d.events), "persons": String(t.persons), "amount": t.amount.wanYuanString,
                                                   "accepted": String(d.housesAccepted), "movedIn": String(d.housesMovedIn)]),
                      x: 1, y: y, style: Style(attrs: .bold), maxWidth: g.width - 2)
            }
            for line in YearReport.notes(lang: env.lang).flatMap({ wrap($0, width: g.width - 2) }) where y < g.height - 3 {
                y += 1
                g.put(line, x: 1, y: y, style: noteStyle, maxWidth: g.width - 2)
            }
        }
        status(&g, left: r.townships == nil ? env.t("report.keys") : env.t("county.reportKeys"), right: "")
        return r.dialog.flatMap { actionDialog(&g, $0, env) }
    }
}
