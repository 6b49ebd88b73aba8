import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// 导入台帐 (the household list's F9, `1` → F9): type the spreadsheet's path, Enter checks it — the columns found,
/// counts by village, every problem with its row, column and value, and the problem list
/// written beside the file — then F2 imports it after a question, all or nothing (F6: leave the
/// households with a problem out). The same `LedgerRun` as `jiuzhu import`.
public struct LedgerImportState: Equatable, Sendable {
    public var path = TextField("", maxLength: 400)
    /// The programme of a ledger with no programme column (F5 goes round the monthly ones).
    public var programme: Programme?
    /// F6: import the households without a problem, leave the others out.
    public var skipBad = false
    public var checked: LedgerChecked?
    public var selected = 0
    public var busy = false
    public var done: String?
    public init() {}

    public static func == (a: LedgerImportState, b: LedgerImportState) -> Bool {
        a.path.value == b.path.value && a.path.cursor == b.path.cursor && a.programme == b.programme && a.skipBad == b.skipBad &&
            a.checked == b.checked && a.selected == b.selected && a.busy == b.busy && a.done == b.done
    }
}

/// What a check found, as the screen shows it.
public struct LedgerChecked: Equatable, Sendable {
    public var path: String
    public var lines: [String]
    public var problems: [LedgerProblem]
    public var errors: Int
    public var good: Int
    public var goodPersons: Int
    public var goodCases: Int
    public var badRows: Int
    public var seenBefore: Bool
}

public enum LedgerImportScreen: ScreenModule {
    public static let id: ScreenID = "ledgerImport"

    public enum Effect: Equatable, Sendable {
        case check(path: String, programme: Programme?)
        case importNow(path: String, programme: Programme?, skipBad: Bool)
    }

    public enum Event: Sendable {
        case checked(LedgerRun, report: (csv: String, xlsx: String))
        case imported(LedgerImportResult, left: Int)
        case unreadable(Text2)
    }

    public static func open(_ s: inout AppState, env: AppEnvironment) -> [JiuzhuApp.Effect]? {
        s.push(LedgerImportScreen.embed(LedgerImportState()))
        return []
    }

    static func run(_ path: String, _ programme: Programme?, _ cx: EffectContext) throws -> LedgerRun? {
        guard let data = ReferenceData.defaultDirectory() else { return nil }
        let vocabulary = try LedgerVocabulary.load(from: data)
        let profile = programme.map { LedgerProfile(name: "", headers: [:], programme: $0) }
        return try LedgerRun.check(path: path, store: cx.store, profile: profile, vocabulary: vocabulary, today: cx.env.today)
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        guard let u = cx.user, Policy.allows(u.role, .importLedger) else { return nil }
        do {
            switch effect {
            case .check(let path, let programme):
                guard let r = try run(path, programme, cx) else { return nil }
                return .checked(r, report: try r.writeReport(cx.env.lang))
            case .importNow(let path, let programme, let skipBad):
                // Checked again: the file may have been changed since it was shown.
                guard let r = try run(path, programme, cx) else { return nil }
                guard let catalog = cx.env.catalog else { return nil }
                let result = try r.importNow(store: cx.store, user: u.name, again: false, skipBadRows: skipBad, catalog: catalog)
                cx.log("ledger import \(path) \(r.sha256) \(result.households) households")
                return .imported(result, left: r.plan.households.count - r.plan.good.count)
            }
        } catch let e as LedgerRun.Unreadable { return .unreadable(e.text) }
    }

    public static func event(_ s: inout AppState, _ st: inout LedgerImportState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        st.busy = false
        switch event {
        case .unreadable(let text):
            s.message = Message(title: env.t("screen.ledgerImport"), text: text(env.lang))
        case .checked(let run, let report):
            var lines: [String] = [run.kindText(env.lang)]
            for sheet in run.plan.sheets {
                let m = sheet.mapping
                lines.append(env.t("import.screen.sheet", ["sheet": sheet.name, "row": String(m.headerLast + 1),
                                                          "columns": String(m.matched.count + (m.members.isEmpty ? 0 : 1)),
                                                          "data": String(sheet.dataRows)]))
            }
            if run.plan.sheets.isEmpty { lines.append(env.t("import.cli.noHeader")) }
            let villages = run.plan.byVillage(good: true)
            if !villages.isEmpty {
                lines.append(villages.prefix(6).map { "\($0.village) \($0.households)/\($0.persons)/\($0.cases)" }.joined(separator: "  ")
                             + (villages.count > 6 ? " …" : ""))
            }
            lines.append(env.t("import.screen.report", ["path": (report.csv as NSString).lastPathComponent]))
            let good = run.plan.good
            st.checked = LedgerChecked(path: run.path, lines: lines, problems: run.plan.problems, errors: run.plan.errorCount,
                                       good: good.count, goodPersons: good.reduce(0) { $0 + $1.members.count },
                                       goodCases: good.reduce(0) { $0 + $1.cases.count }, badRows: run.plan.badRows,
                                       seenBefore: run.importedBefore != nil)
            st.selected = 0
            st.done = nil
        case .imported(let r, let left):
            st.done = env.t("import.screen.imported", ["households": String(r.households), "persons": String(r.persons),
                                                      "cases": String(r.cases), "left": String(left)])
            s.message = Message(title: env.t("screen.ledgerImport"), text: st.done ?? "")
            st.checked = nil
            // Back on the household list it came from, which reads itself again when uncovered
            // (it was read before the import).
            s.dataChanged()
            if s.stack.count >= 2, s.stack[s.stack.count - 2].id == HouseholdsScreen.id { s.pop() }
        }
        return []
    }

    public static func key(_ s: inout AppState, _ st: inout LedgerImportState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch cmd {
        case .back?: s.pop(); return []
        case .up?: st.selected = max(0, st.selected - 1); return []
        case .down?: st.selected = min(max(0, (st.checked?.problems.count ?? 1) - 1), st.selected + 1); return []
        case .pageUp?: st.selected = max(0, st.selected - 8); return []
        case .pageDown?: st.selected = min(max(0, (st.checked?.problems.count ?? 1) - 1), st.selected + 8); return []
        case .filterProgramme?:
            let all: [Programme?] = [nil, .ruralDibao, .urbanDibao, .tekun]
            st.programme = all[((all.firstIndex(of: st.programme) ?? 0) + 1) % all.count]
            st.checked = nil
            return []
        case .toggleUser?:
            st.skipBad.toggle()
            return []
        case .confirm?:
            let path = st.path.value.trimmingCharacters(in: .whitespaces)
            guard !path.isEmpty, !st.busy else { return [] }
            st.busy = true
            return [effect(.check(path: path, programme: st.programme))]
        case .submit?:
            guard let c = st.checked, !st.busy else {
                s.message = Message(title: env.t("screen.ledgerImport"), text: env.t("import.screen.checkFirst"))
                return []
            }
            if c.errors > 0 && !st.skipBad {
                s.message = Message(title: env.t("screen.ledgerImport"),
                                    text: env.t("import.cli.problemsLeft", ["rows": String(c.badRows), "good": String(c.good)])
                                        .replacingOccurrences(of: "--skip-bad-rows", with: "F6"))
                return []
            }
            if c.seenBefore {
                s.message = Message(title: env.t("screen.ledgerImport"), text: env.t("import.screen.seenBefore"))
                return []
            }
            App.ask(&s, title: env.t("screen.ledgerImport"),
                what: env.t("import.screen.ask", ["households": String(c.good), "persons": String(c.goodPersons), "cases": String(c.goodCases),
                                                 "file": (c.path as NSString).lastPathComponent]),
                then: [effect(.importNow(path: c.path, programme: st.programme, skipBad: st.skipBad))], env: env)
            return []
        default:
            if st.path.handle(key) { st.checked = nil; st.done = nil }
            return []
        }
    }

    public static func view(_ g: inout CellGrid, _ st: LedgerImportState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        let label = env.t("import.screen.file")
        g.put(label, x: 1, y: 1, maxWidth: g.width - 2)
        let fx = 1 + displayWidth(label) + 1
        let cursor = st.path.render(into: &g, x: fx, y: 1, width: max(10, g.width - fx - 1))
        let programme = st.programme.map { $0.label(env.lang) } ?? env.t("import.screen.programmeFromFile")
        g.put(env.t("import.screen.options", ["programme": programme, "skip": env.t(st.skipBad ? "import.screen.yes" : "import.screen.no")]),
              x: 1, y: 2, style: AppView.dimStyle, maxWidth: g.width - 2)
        var y = 3
        guard let c = st.checked else {
            let hint = st.busy ? env.t("import.screen.checking") : (st.done ?? env.t("import.screen.hint"))
            for line in wrap(hint, width: g.width - 2).prefix(max(1, g.height - 6)) { g.put(line, x: 1, y: y, maxWidth: g.width - 2); y += 1 }
            AppView.status(&g, left: "", right: "")
            return (cursor, 1)
        }
        for line in c.lines.prefix(4) { g.put(line, x: 1, y: y, maxWidth: g.width - 2); y += 1 }
        g.put(env.t("import.screen.summary", ["households": String(c.good), "persons": String(c.goodPersons), "cases": String(c.goodCases),
                                              "badRows": String(c.badRows)]),
              x: 1, y: y, style: c.errors > 0 ? AppView.noteStyle : Style(), maxWidth: g.width - 2)
        y += 1
        let cells = c.problems.map { p in
            [p.row > 0 ? String(p.row) : "", p.column, (p.severity == .error ? "" : "· ") + p.text(env.lang), p.value]
        }
        let titles = ["import.report.col.row", "import.report.col.column", "import.report.col.problem", "import.report.col.value"].map { env.t($0) }
        let cols = [TableColumn(titles[0], width: 5, alignment: .right, priority: 9),
                    TableColumn(titles[1], width: AppView.columnWidth(cells, 1, title: titles[1], least: 6, most: 16), priority: 8),
                    TableColumn(titles[2], width: 20, flex: 1, priority: 9),
                    TableColumn(titles[3], width: AppView.columnWidth(cells, 3, title: titles[3], least: 6, most: 20), priority: 7)]
        let height = max(3, g.height - y - 4)
        AppView.lateTable(&g, columns: cols, count: cells.count, selected: st.selected, top: y, height: height,
                          emptyText: env.t("import.screen.noProblems"), late: { c.problems[$0].severity == .error }) { cells[$0] }
        if c.problems.indices.contains(st.selected) {
            let p = c.problems[st.selected]
            // The whole problem on two lines under the table (its column cuts it).
            for (k, line) in wrap(p.text(env.lang), width: g.width - 2).prefix(2).enumerated() {
                g.put(line, x: 1, y: y + height + k, style: AppView.dimStyle, maxWidth: g.width - 2)
            }
        }
        AppView.status(&g, left: env.t("import.screen.count", ["n": String(c.problems.count), "errors": String(c.errors)]),
                       right: c.problems.isEmpty ? "" : "\(st.selected + 1)/\(c.problems.count)")
        return (cursor, 1)
    }
}
