import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// The household browser: a search text, a sort, and one screenful of rows paged by keyset.
public struct HouseholdBrowserState: Equatable, Sendable {
    public var search = TextField("", maxLength: 40)
    public var query = HouseholdQuery()
    public var rows: [HouseholdRow] = []
    public var selected = 0
    public var atStart = true
    public var atEnd = true
    public var loading = true
    public var count: Int?
    /// The newest request; replies to older ones are dropped (a newer keystroke wins).
    public var requestId = 0
    /// The newest count request (counts outlive paging: only a new search text replaces them).
    public var countId = 0
    public init() {}

    public var selectedRow: HouseholdRow? { rows.indices.contains(selected) ? rows[selected] : nil }

    public static func == (a: HouseholdBrowserState, b: HouseholdBrowserState) -> Bool {
        a.search.value == b.search.value && a.query == b.query && a.rows == b.rows && a.selected == b.selected &&
            a.atStart == b.atStart && a.atEnd == b.atEnd && a.loading == b.loading && a.count == b.count && a.requestId == b.requestId && a.countId == b.countId
    }
}

/// 1 户籍查询: search by name, pinyin or ID digits as one types; Enter opens the household card.
public enum HouseholdsScreen: ScreenModule {
    public static let id: ScreenID = "households"

    public enum Effect: Equatable, Sendable {
        case load(requestId: Int, query: HouseholdQuery, anchor: PageAnchor, limit: Int)
        /// The exact count, on the background queue; a newer count request supersedes it.
        case count(requestId: Int, text: String)
    }

    public enum Event: Sendable {
        case page(requestId: Int, rows: [HouseholdRow], anchor: PageAnchor, limit: Int)
        case counted(requestId: Int, count: Int)
    }

    public static func isQuickRead(_ effect: Effect) -> Bool { true }

    public static func open(_ s: inout AppState, env: AppEnvironment) -> [JiuzhuApp.Effect]? {
        var b = HouseholdBrowserState()
        b.requestId = 1
        b.countId = 1
        s.push(HouseholdsScreen.embed(b))
        return [effect(.load(requestId: 1, query: b.query, anchor: .first, limit: s.householdPageSize)),
                effect(.count(requestId: 1, text: ""))]
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        switch effect {
        case .load(let id, let query, let anchor, let limit):
            let rows = try cx.store.read { db in try Store.householdPage(db, query, anchor: anchor, limit: limit) }
            return .page(requestId: id, rows: rows, anchor: anchor, limit: limit)
        case .count(let id, let text):
            let store = cx.store
            cx.background(space: "households.count", id: id) {
                do {
                    let n = try store.read { db in try Store.householdCount(db, text: text) }
                    return answer(.counted(requestId: id, count: n))
                } catch { return .failed(error) }
            }
            return nil
        }
    }

    public static func event(_ s: inout AppState, _ b: inout HouseholdBrowserState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        guard top(s) != nil else { return [] }      // only the browser on top takes its answers
        switch event {
        case .page(let id, let rows, let anchor, let limit):
            guard b.requestId == id else { return [] }
            merge(&b, rows: rows, anchor: anchor, limit: limit, pageSize: s.householdPageSize)
        case .counted(let id, let n):
            guard b.countId == id else { return [] }
            b.count = n
        }
        return []
    }

    /// After a resize the screenful changes size: reload from the first row shown.
    public static func resized(_ s: inout AppState, _ b: inout HouseholdBrowserState, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        b.requestId += 1
        let anchor: PageAnchor = b.rows.first.map { .from($0) } ?? .first
        return [effect(.load(requestId: b.requestId, query: b.query, anchor: anchor, limit: s.householdPageSize))]
    }

    /// Back from a card whose household changed, or from a ledger import: the same screenful
    /// read again, and the count.
    public static func uncovered(_ s: inout AppState, _ b: inout HouseholdBrowserState, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        b.requestId += 1; b.countId += 1; b.count = nil
        let anchor: PageAnchor = b.rows.first.map { .from($0) } ?? .first
        return [effect(.load(requestId: b.requestId, query: b.query, anchor: anchor, limit: s.householdPageSize)),
                effect(.count(requestId: b.countId, text: b.query.text))]
    }

    public static func key(_ s: inout AppState, _ b: inout HouseholdBrowserState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        let page = s.householdPageSize
        func load(_ anchor: PageAnchor, _ limit: Int) -> [JiuzhuApp.Effect] {
            b.requestId += 1
            return [effect(.load(requestId: b.requestId, query: b.query, anchor: anchor, limit: limit))]
        }
        func requery() -> [JiuzhuApp.Effect] {
            b.query.text = b.search.value
            b.count = nil
            b.loading = true
            let fx = load(.first, page)
            b.countId += 1
            return fx + [effect(.count(requestId: b.countId, text: b.query.text))]
        }
        switch cmd {
        case .up?:
            if b.selected > 0 { b.selected -= 1; return [] }
            if !b.atStart, let first = b.rows.first { return load(.before(first), 1) }
            return []
        case .down?:
            if b.selected < b.rows.count - 1 { b.selected += 1; return [] }
            if !b.atEnd, let last = b.rows.last { return load(.after(last), 1) }
            return []
        case .pageDown?:
            if !b.atEnd, let last = b.rows.last { return load(.after(last), page) }
            b.selected = max(0, b.rows.count - 1)
            return []
        case .pageUp?:
            if !b.atStart, let first = b.rows.first { return load(.before(first), page) }
            b.selected = 0
            return []
        case .first?:
            b.selected = 0
            return b.atStart ? [] : load(.first, page)
        case .last?:
            if b.atEnd { b.selected = max(0, b.rows.count - 1); return [] }
            return load(.last, page)
        case .confirm?:
            guard let row = b.selectedRow else { return [] }
            s.replaceTop(HouseholdsScreen.embed(b))
            return HouseholdCardScreen.open(&s, household: row.id)
        case .sortNext?:
            let sorts = env.screens.householdColumns.compactMap { $0.sort.flatMap(HouseholdQuery.Sort.init(rawValue:)) }
            if let i = sorts.firstIndex(of: b.query.sort) { b.query.sort = sorts[(i + 1) % sorts.count] }
            else if let f = sorts.first { b.query.sort = f }
            b.query.descending = false
            b.loading = true
            return load(.first, page)
        case .sortReverse?:
            b.query.descending.toggle()
            b.loading = true
            return load(.first, page)
        case .clearFilter?:
            if b.search.value.isEmpty { return [] }
            b.search = TextField("", maxLength: 40)
            return requery()
        case .back?:
            if !b.search.value.isEmpty {
                b.search = TextField("", maxLength: 40)
                return requery()
            }
            s.pop()
            return []
        case .importLedger?:
            guard Policy.allows(s.user?.role, .importLedger) else {
                s.message = Message(title: env.t("screen.ledgerImport"), text: env.t("import.screen.notYours")); return []
            }
            s.replaceTop(HouseholdsScreen.embed(b))
            return LedgerImportScreen.open(&s, env: env) ?? []
        case .find?:
            return []
        default:
            let before = b.search.value
            _ = b.search.handle(key)
            return b.search.value == before ? [] : requery()
        }
    }

    /// Fold a page that came back into the screenful of rows.
    static func merge(_ b: inout HouseholdBrowserState, rows new: [HouseholdRow], anchor: PageAnchor, limit: Int, pageSize: Int) {
        b.loading = false
        switch anchor {
        case .first:
            b.rows = new; b.atStart = true; b.atEnd = new.count < limit
            b.selected = min(b.selected, max(0, new.count - 1))
            if limit == pageSize { b.selected = 0 }
        case .from:
            b.rows = new; b.atEnd = new.count < limit
            b.selected = min(b.selected, max(0, new.count - 1))
        case .last:
            b.rows = new; b.atEnd = true; b.atStart = new.count < limit
            b.selected = max(0, new.count - 1)
        case .after:
            if new.isEmpty { b.atEnd = true; return }
            let all = b.rows + new
            b.rows = Array(all.suffix(pageSize))
            b.atStart = false
            b.atEnd = new.count < limit
            if limit == 1 { b.selected = b.rows.count - 1 } else { b.selected = min(b.selected, b.rows.count - 1) }
        case .before:
            if new.isEmpty { b.atStart = true; return }
            let all = new + b.rows
            b.rows = Array(all.prefix(pageSize))
            b.atEnd = false
            b.atStart = new.count < limit
            if limit == 1 { b.selected = 0 } else { b.selected = min(b.selected, b.rows.count - 1) }
        }
    }

    // MARK: view

    static func columns(_ env: AppEnvironment, sort: HouseholdQuery) -> ([TableColumn], [String]) {
        let specs = env.screens.householdColumns
        let cols = specs.map { spec -> TableColumn in
            var title = spec.title(env.lang)
            if spec.sort == sort.sort.rawValue { title += sort.descending ? "▼" : "▲" }
            return TableColumn(title, width: spec.width, alignment: spec.align == "right" ? .right : .left,
                               flex: spec.flex == true ? 1 : 0, priority: spec.priority)
        }
        return (cols, specs.map(\.id))
    }

    static func cells(_ r: HouseholdRow, ids: [String], lang: Lang) -> [String] {
        ids.map { id in
            switch id {
            case "head": return r.headName
            case "id": return r.maskedID
            case "village": return r.village
            case "members": return String(r.memberCount)
            case "programmes": return Store.programmesSummary(r.programmes, lang)
            default: return ""
            }
        }
    }

    public static func view(_ g: inout CellGrid, _ b: HouseholdBrowserState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        let label = env.t("households.search")
        g.put(label, x: 1, y: 1, style: .plain)
        let fx = 1 + label.displayWidth
        let sortName = env.screens.householdColumns.first { $0.sort == b.query.sort.rawValue }?.title(env.lang) ?? b.query.sort.rawValue
        let sortText = env.t("households.sort", ["column": sortName, "dir": env.t(b.query.descending ? "sort.desc" : "sort.asc")])
        let fieldW = max(10, g.width - fx - sortText.displayWidth - 4)
        let cx = b.search.render(into: &g, x: fx, y: 1, width: fieldW)
        g.put(sortText, x: g.width - sortText.displayWidth - 1, y: 1, style: AppView.dimStyle)

        let (cols, ids) = columns(env, sort: b.query)
        var table = TableView(columns: cols, pageSize: s.householdPageSize, emptyText: env.t("households.empty"),
                              loadingText: env.t("households.loading"))
        table.setRows(b.rows.map { cells($0, ids: ids, lang: env.lang) }, moreBefore: !b.atStart, moreAfter: !b.atEnd, selecting: b.selected)
        table.isLoading = b.loading && b.rows.isEmpty
        table.render(into: &g, x: 0, y: 2, width: g.width, height: g.height - 4)

        let countText = b.count.map { env.t("households.count", ["n": AppView.grouped($0)]) } ?? env.t("households.counting")
        let hint = b.search.value.isEmpty ? env.t("households.searchHint") : ""
        AppView.status(&g, left: countText + (hint.isEmpty ? "" : "  " + hint), right: "")
        return (cx, 1)
    }
}
