import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// 对象查询: every case, filtered as you type, sorted by any column, the count and the sum of the
/// monthly amounts of what is selected; Enter opens the case.
public struct CaseBrowserState: Equatable, Sendable {
    public var search = TextField("", maxLength: 40)
    public var query = CaseQuery()
    public var rows: [CaseRow] = []
    /// The position of the first row shown (pages are read by keyset; this only counts them).
    public var offset = 0
    /// No rows after the last one shown.
    public var atEnd = false
    public var selected = 0
    public var loading = true
    public var count: Int?
    public var monthly: Money?
    public var requestId = 0
    public var summaryId = 0
    public var dialog: ActionDialog?
    /// What the open box is for: filter, save, load.
    public var purpose = "filter"
    public var villages: [Region] = []
    /// A county file's townships (`Store.countyTownships`); nil in a township's own file, whose
    /// screen has no township column nor filter.
    public var townships: [Region]?
    /// The user's saved selections, by name.
    public var saved: [String: CaseQuery] = [:]
    public init() {}

    public static func == (a: CaseBrowserState, b: CaseBrowserState) -> Bool {
        a.search.value == b.search.value && a.query == b.query && a.rows == b.rows && a.offset == b.offset && a.selected == b.selected
            && a.atEnd == b.atEnd && a.loading == b.loading && a.count == b.count && a.requestId == b.requestId && a.dialog == b.dialog
    }
}

/// 对象查询: the module.
public enum CaseBrowserScreen: ScreenModule {
    public static let id: ScreenID = "cases"
    public static func keymapSection(_ b: CaseBrowserState, _ s: AppState) -> ScreenID { b.dialog != nil ? .caseAction : id }

    public enum Effect: Equatable, Sendable {
        case load(requestId: Int, query: CaseQuery, anchor: CaseAnchor, limit: Int)
        /// The count and the monthly sum, on the background queue; a newer request supersedes it.
        case summarize(requestId: Int, query: CaseQuery)
        case loadSaved
        case save(name: String, query: CaseQuery)
        /// The selection as CSV and Excel (ID numbers masked) into `prints/`.
        case export(query: CaseQuery)
    }

    public enum Event: Sendable {
        case page(requestId: Int, rows: [CaseRow], villages: [Region], anchor: CaseAnchor, townships: [Region]? = nil)
        case summary(requestId: Int, count: Int, monthly: Money)
        /// The user's saved selections; `saved` names the one just saved.
        case filters([SavedFilter], saved: String?)
        case exported(paths: [String])
    }

    public static func isQuickRead(_ effect: Effect) -> Bool {
        switch effect {
        case .load, .summarize: return true
        default: return false
        }
    }

    public static func open(_ s: inout AppState, env: AppEnvironment) -> [JiuzhuApp.Effect]? {
        var b = CaseBrowserState()
        b.requestId = 1; b.summaryId = 1
        s.push(CaseBrowserScreen.embed(b))
        return [effect(.load(requestId: 1, query: b.query, anchor: .first, limit: App.casePageSize(s))),
                effect(.summarize(requestId: 1, query: b.query)), effect(.loadSaved)]
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        let store = cx.store
        switch effect {
        case .load(let id, let query, let anchor, let limit):
            guard let catalog = cx.env.catalog else { return nil }
            let rows = try store.casePage(query, anchor: anchor, limit: limit, today: cx.env.today, catalog: catalog)
            let fresh = anchor == .first && query.text.isEmpty && !query.isFiltered
            let villages = fresh ? try store.villages() : []
            return .page(requestId: id, rows: rows, villages: villages, anchor: anchor, townships: fresh ? try store.countyTownships() : nil)
        case .summarize(let id, let query):
            guard let catalog = cx.env.catalog else { return nil }
            let today = cx.env.today
            cx.background(space: "cases.summary", id: id) {
                do {
                    let r = try store.caseSummary(query, today: today, catalog: catalog)
                    return answer(.summary(requestId: id, count: r.count, monthly: r.monthly))
                } catch { return .failed(error) }
            }
            return nil
        case .loadSaved:
            guard let u = cx.user else { return nil }
            return .filters(try store.savedFilters(user: u.name).map { SavedFilter(name: $0.name, query: $0.query) }, saved: nil)
        case .save(let name, let query):
            guard let u = cx.user else { return nil }
            try store.saveFilter(query, name: name, user: u.name)
            return .filters(try store.savedFilters(user: u.name).map { SavedFilter(name: $0.name, query: $0.query) }, saved: name)
        case .export(let query):
            guard let catalog = cx.env.catalog else { return nil }
            return .exported(paths: try exportSelection(query, catalog: catalog, cx))
        }
    }

    /// The case browser's selection as CSV and as an Excel workbook, side by side in `prints/`
    /// (ID numbers masked, both 0600). Returns both paths.
    static func exportSelection(_ q: CaseQuery, catalog: ProgrammeCatalog, _ cx: EffectContext) throws -> [String] {
        let env = cx.env, store = cx.store
        let stem = try PrintsFolder.url(besides: store.path).appendingPathComponent("cases-\(Int(Date().timeIntervalSince1970))").path
        var header = Store.caseSelectionHeader(env.lang).components(separatedBy: ",")
        // A county file: the township after the programme (village names repeat across townships).
        let towns = try store.countyTownships()
        if towns != nil { header.insert(env.t("county.col.township"), at: 2) }
        func cells(_ r: CaseRow) -> [String] {
            let step = r.status == .inProgress ? env.stepLabel(r.programme, r.step) : r.status.label(env.lang)
            let town = towns.map { [CountyView.townshipName(r.villageCode, $0)] } ?? []
            return [String(r.id), r.programme.label(env.lang)] + town + [r.village, r.head, r.maskedID, step, r.stepSince.iso,
                    r.urbanClass ?? "", r.monthly?.yuanString ?? "", r.investigators, r.approver]
        }
        // One pass over the selection feeds both files.
        var text = CSVWriter.bom + CSVWriter.line(header)
        let title = (env.t("cases.casesExported")) + env.today.iso
        try TableXLSX.write(title: title, sheet: env.t("cases.cases"), header: header, numeric: towns == nil ? [0, 8] : [0, 9], lang: env.lang,
                            to: stem + ".xlsx") { sink in
            try store.forEachCaseInSelection(q, today: env.today, catalog: catalog) { r in
                let row = cells(r)
                text += CSVWriter.line(row)
                try sink(row)
            }
        }
        try SurveyPrint.writePrivate(text, to: stem + ".csv")
        return [stem + ".csv", stem + ".xlsx"]
    }

    public static func event(_ s: inout AppState, _ b: inout CaseBrowserState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch event {
        case .filters(_, let name?):
            s.message = Message(title: env.t("screen.cases"), text: env.t("cases.saved", ["name": name]))
        case .exported(let paths):
            s.message = Message(title: env.t("screen.cases"), text: env.t("cases.exported", ["path": paths.joined(separator: "\n")]))
        default: break
        }
        App.caseBrowserPage(&s, &b, event)
        return []
    }

    public static func orphan(_ s: inout AppState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        if case .exported(let paths) = event {
            s.message = Message(title: env.t("screen.cases"), text: env.t("cases.exported", ["path": paths.joined(separator: "\n")]))
        }
        return []
    }

    public static func key(_ s: inout AppState, _ b: inout CaseBrowserState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        App.caseBrowserKey(&s, &b, key, cmd, env: env)
    }

    public static func view(_ g: inout CellGrid, _ b: CaseBrowserState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.caseBrowser(&g, b, s, env)
    }
}

extension App {
    static func casePageSize(_ s: AppState) -> Int { max(1, s.height - 6) }

    static func caseBrowserPage(_ s: inout AppState, _ b: inout CaseBrowserState, _ event: CaseBrowserScreen.Event) {
        switch event {
        case .page(let id, let rows, let villages, let anchor, let townships):
            guard id == b.requestId else { return }
            b.loading = false
            if !villages.isEmpty { b.villages = villages }
            if let t = townships { b.townships = t }
            let page = casePageSize(s)
            switch anchor {
            case .first:
                b.rows = rows; b.offset = 0; b.atEnd = rows.count < page
            case .last:
                b.rows = rows; b.atEnd = true; b.selected = max(0, rows.count - 1)
                b.offset = b.count.map { max(0, $0 - rows.count) } ?? 0
            case .after:
                // Nothing after the last row: stay on it.
                if rows.isEmpty { b.atEnd = true; b.selected = max(0, b.rows.count - 1); break }
                b.offset += b.rows.count; b.rows = rows; b.atEnd = rows.count < page
            case .before:
                // Fewer than a page before the first row: the list's start, topped up from the rows shown.
                let short = rows.count < page
                b.offset = short ? 0 : max(0, b.offset - rows.count)
                b.rows = Array((rows + b.rows).prefix(page))
                if short { b.atEnd = b.rows.count < page }
                else { b.atEnd = false }
            }
            b.selected = min(b.selected, max(0, b.rows.count - 1))
        case .summary(let id, let n, let sum):
            guard id == b.summaryId else { return }
            b.count = n; b.monthly = sum
        case .filters(let saved, _):
            b.saved = Dictionary(saved.map { ($0.name, $0.query) }, uniquingKeysWith: { a, _ in a })
        case .exported: break
        }
    }

    static func caseBrowserKey(_ s: inout AppState, _ b: inout CaseBrowserState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        let page = casePageSize(s)
        func load(_ anchor: CaseAnchor = .first) -> [Effect] {
            b.requestId += 1; b.loading = true
            return [CaseBrowserScreen.effect(.load(requestId: b.requestId, query: b.query, anchor: anchor, limit: page))]
        }
        func requery() -> [Effect] {
            b.query.text = b.search.value
            b.offset = 0; b.selected = 0; b.count = nil; b.monthly = nil
            b.summaryId += 1
            return load() + [CaseBrowserScreen.effect(.summarize(requestId: b.summaryId, query: b.query))]
        }
        if b.dialog != nil {
            var box = b.dialog
            let fx = boxKey(&box, key, env: env) { d in
                switch b.purpose {
                case "save":
                    let name = d.value("name").trimmingCharacters(in: .whitespaces)
                    if name.isEmpty { d.error = env.t("review.missing", ["field": env.t("cases.filterName")]); return ([], false) }
                    var q = b.query; q.text = b.search.value
                    return ([CaseBrowserScreen.effect(.save(name: name, query: q))], true)
                case "load":
                    let name = d.value("name").trimmingCharacters(in: .whitespaces)
                    guard let q = b.saved[name] else { d.error = env.t("cases.noSuchFilter", ["name": name]); return ([], false) }
                    b.query = q
                    b.search = TextField(q.text, maxLength: 40)
                    return (requery(), true)
                default:
                    if let why = applyFilters(d, to: &b, env: env) { d.error = why; return ([], false) }
                    return (requery(), true)
                }
            }
            b.dialog = box
            return fx
        }
        switch cmd {
        case .up?:
            if b.selected > 0 { b.selected -= 1; return [] }
            if b.offset > 0, let first = b.rows.first { b.selected = page - 1; return load(.before(first)) }
        case .down?:
            if b.selected < b.rows.count - 1 { b.selected += 1; return [] }
            if !b.atEnd, let last = b.rows.last { b.selected = 0; return load(.after(last)) }
        case .pageDown?:
            if !b.atEnd, let last = b.rows.last { b.selected = 0; return load(.after(last)) }
            b.selected = max(0, b.rows.count - 1)
        case .pageUp?:
            if b.offset > 0, let first = b.rows.first { b.selected = 0; return load(.before(first)) }
            b.selected = 0
        case .first?:
            b.selected = 0
            if b.offset > 0 { return load() }
        case .last?:
            if b.atEnd { b.selected = max(0, b.rows.count - 1); return [] }
            return load(.last)
        case .confirm?:
            guard b.rows.indices.contains(b.selected) else { return [] }
            let id = b.rows[b.selected].id
            s.replaceTop(CaseBrowserScreen.embed(b))
            return CaseScreen.open(&s, id)
        case .sortNext?:
            let all = CaseQuery.Sort.allCases
            b.query.sort = all[((all.firstIndex(of: b.query.sort) ?? 0) + 1) % all.count]
            b.query.descending = false; b.offset = 0; b.selected = 0
            return load()
        case .sortReverse?:
            b.query.descending.toggle(); b.offset = 0; b.selected = 0
            return load()
        case .find?:
            b.purpose = "filter"
            b.dialog = filterDialog(b, env: env)
        case .addItem?:
            b.purpose = "save"
            b.dialog = ActionDialog(action: .done, title: env.t("cases.saveTitle"), fields: [
                DialogField(id: "name", label: env.t("cases.filterName"), hint: "", required: true, field: TextField("", maxLength: 20))])
        case .pick?:
            b.purpose = "load"
            let names = b.saved.keys.sorted().joined(separator: env.t("cases.listSeparator"))
            b.dialog = ActionDialog(action: .done, title: env.t("cases.loadTitle"), fields: [
                DialogField(id: "name", label: env.t("cases.filterName"), hint: names.isEmpty ? env.t("cases.noneSaved") : names,
                            required: true, field: TextField("", maxLength: 20))])
        case .print?:
            var q = b.query; q.text = b.search.value
            return [CaseBrowserScreen.effect(.export(query: q))]
        case .clearFilter?:
            if b.search.value.isEmpty && !b.query.isFiltered { return [] }
            let sort = b.query.sort, desc = b.query.descending
            b.search = TextField("", maxLength: 40); b.query = CaseQuery(); b.query.sort = sort; b.query.descending = desc
            return requery()
        case .back?:
            if !b.search.value.isEmpty { b.search = TextField("", maxLength: 40); return requery() }
            s.pop()
        default:
            let before = b.search.value
            _ = b.search.handle(key)
            return b.search.value == before ? [] : requery()
        }
        return []
    }

    static func filterDialog(_ b: CaseBrowserState, env: AppEnvironment) -> ActionDialog {
        let q = b.query
        func f(_ id: String, _ key: String, _ v: String, _ hint: String) -> DialogField {
            DialogField(id: id, label: env.t(key), hint: hint, required: false, field: TextField(v, maxLength: 30))
        }
        let village = q.village.flatMap { c in b.villages.first { $0.code == c }?.name } ?? ""
        // A county file: the township beside the village (village names repeat across townships).
        let township: [DialogField] = b.townships.map { towns in
            [f("township", "county.township", q.township.flatMap { c in towns.first { $0.code == c }?.name } ?? "", env.t("county.townshipBlankAll"))]
        } ?? []
        return ActionDialog(action: .done, title: env.t("cases.filterTitle"), fields: [
            f("programme", "publicity.programme", q.programme.map { $0.label(env.lang) } ?? "", env.t("cases.blankAll")),
        ] + township + [
            f("village", "publicity.village", village, env.t("cases.villageBlankAll")),
            f("status", "cases.status", q.status.map { $0.label(env.lang) } ?? "", env.t("cases.inProgressInForce")),
            f("class", "cases.class", q.urbanClass?.rawValue ?? "", "A/B/C"),
            f("overdue", "cases.overdue", q.overdueOnly ? (env.t("cases.yes")) : "", env.t("cases.yesLateOnly")),
            f("min", "cases.min", q.minAmount?.yuanString ?? "", env.t("cases.monthlyFrom")),
            f("max", "cases.max", q.maxAmount?.yuanString ?? "", env.t("cases.monthlyTo")),
            f("investigator", "cases.investigator", q.investigator ?? "", env.t("cases.partOfAName")),
            f("decidedFrom", "cases.decidedFrom", q.decidedFrom?.iso ?? "", "YYYY-MM-DD"),
            f("decidedTo", "cases.decidedTo", q.decidedTo?.iso ?? "", "YYYY-MM-DD"),
        ])
    }

    /// Read the filter box into the query, or say which field is wrong.
    static func applyFilters(_ d: ActionDialog, to b: inout CaseBrowserState, env: AppEnvironment) -> String? {
        func v(_ id: String) -> String { d.value(id).trimmingCharacters(in: .whitespaces) }
        var q = b.query
        if v("programme").isEmpty { q.programme = nil } else {
            guard let p = Programme(text: v("programme")) else { return env.t("publicity.badProgramme") }
            q.programme = p
        }
        if let towns = b.townships {
            if v("township").isEmpty { q.township = nil } else {
                guard let t = Store.township(v("township"), in: towns) else { return env.t("county.badTownship", ["name": v("township")]) }
                q.township = t.code
            }
        }
        if v("village").isEmpty { q.village = nil } else {
            // Within the township chosen first: a county has many villages of one name.
            let within = q.township.map { t in b.villages.filter { Store.townshipPrefix($0.code) == Store.townshipPrefix(t) } } ?? b.villages
            let named = within.filter { $0.name == v("village") || $0.code == v("village") }
            guard let r = named.first else { return env.t("publicity.badVillage", ["name": v("village")]) }
            // A county file without a township: a name several townships have is not guessed.
            if b.townships != nil && named.count > 1 { return env.t("county.villageInSeveral", ["name": v("village")]) }
            q.village = r.code
        }
        if v("status").isEmpty { q.status = nil } else {
            guard let st = CaseStatus.allCases.first(where: { $0.label.zh == v("status") || $0.label.en == v("status") || $0.rawValue == v("status") })
            else { return env.t("cases.badStatus") }
            q.status = st
        }
        if v("class").isEmpty { q.urbanClass = nil } else {
            guard let u = UrbanClass(rawValue: v("class").uppercased()) else { return env.t("cases.badClass") }
            q.urbanClass = u
        }
        q.overdueOnly = ["是", "y", "yes", "1"].contains(v("overdue").lowercased())
        for (id, path) in [("min", \CaseQuery.minAmount), ("max", \CaseQuery.maxAmount)] {
            if v(id).isEmpty { q[keyPath: path] = nil; continue }
            guard let m = Money(yuanText: v(id)) else { return env.t("review.badAmount", ["value": v(id)]) }
            q[keyPath: path] = m
        }
        q.investigator = v("investigator").isEmpty ? nil : v("investigator")
        for (id, path) in [("decidedFrom", \CaseQuery.decidedFrom), ("decidedTo", \CaseQuery.decidedTo)] {
            if v(id).isEmpty { q[keyPath: path] = nil; continue }
            guard let d = CivilDate(iso: v(id)) else { return env.t("publicity.badDate") }
            q[keyPath: path] = d
        }
        b.query = q
        return nil
    }
}
