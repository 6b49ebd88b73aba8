/// Which column a table is sorted by, shown as ▲ (ascending) or ▼ beside its title.
public struct TableSort: Equatable, Sendable {
    public var column: Int
    public var ascending: Bool
    public init(column: Int, ascending: Bool = true) { self.column = column; self.ascending = ascending }
}

/// A list of rows under a header line, for lists too long to load whole.
///
/// The table holds a *window*: the rows fetched so far, which may start after the first row of
/// the list and end before its last (`moreBefore`, `moreAfter`). Moving past the window does not
/// move; `handle` answers with what to fetch (`.needRowsAfter`, …), remembers the move, and
/// finishes it when the app hands the rows over (`appendRows`, `prependRows`, `setRows`).
/// The app keeps whatever it pages by (row keys) alongside and trims it as the table reports.
public struct TableView: Equatable, Sendable {
    /// What a key did, or what the table needs to do it.
    public enum Action: Equatable, Sendable {
        /// Not a table key.
        case ignored
        /// A table key that changed nothing (Down on the last row of the whole list).
        case stayed
        /// The selection moved within the window.
        case moved
        /// Fetch rows after the window's last row, then call `appendRows`.
        case needRowsAfter
        /// Fetch rows before the window's first row, then call `prependRows`.
        case needRowsBefore
        /// Fetch the list's first page, then call `setRows(_:moreAfter:selecting: 0)`.
        case needFirstPage
        /// Fetch the list's last page, then call `setRows(_:moreBefore:selecting:)` with its last row.
        case needLastPage

        /// Whether the table used the key.
        public var consumed: Bool { self != .ignored }
    }

    public var columns: [TableColumn]
    /// The fetched rows, each one string per column.
    public private(set) var rows: [[String]] = []
    /// Whether rows exist before the window's first row and after its last.
    public private(set) var moreBefore = false
    public private(set) var moreAfter = false
    /// How many rows the whole list has; nil while that is still being counted.
    public var totalCount: Int?
    /// Index in the whole list of the window's first row, when known.
    public var windowOffset: Int?
    /// Selected row, as an index into `rows`.
    public private(set) var selected = 0
    /// First row shown, as an index into `rows`. Rendering adjusts it to keep the selection in view.
    public private(set) var scroll = 0
    /// Rows visible at once: the distance PgUp and PgDn move. Set it from the layout (the
    /// table's height less its header line); rendering keeps the selection visible regardless.
    public var pageSize: Int
    public var sort: TableSort?
    /// Rows are being fetched; with no rows yet, `loadingText` shows instead of `emptyText`.
    public var isLoading = false
    public var emptyText: String
    public var loadingText: String
    /// Spaces between columns.
    public var columnGap = 1
    /// How far the selection still has to move once the requested rows arrive, and whether by page.
    public private(set) var pendingMove = 0
    private var pendingIsPage = false

    public init(columns: [TableColumn], pageSize: Int = 20, emptyText: String = "没有记录",
                loadingText: String = "正在读取…") {
        self.columns = columns
        self.pageSize = max(1, pageSize)
        self.emptyText = emptyText
        self.loadingText = loadingText
    }

    /// The selected row's cells, if there are rows.
    public var selectedRow: [String]? { rows.indices.contains(selected) ? rows[selected] : nil }

    /// The selected row's place in the whole list, counting from 1, when the window's offset is known.
    public var selectedPosition: Int? {
        guard let windowOffset, !rows.isEmpty else { return nil }
        return windowOffset + selected + 1
    }

    // MARK: Keys

    /// Up/Down move a row, PgUp/PgDn a page, Home/End to the ends of the whole list.
    public mutating func handle(_ key: KeyEvent) -> Action {
        switch key {
        case .down: return move(by: 1, page: false)
        case .up: return move(by: -1, page: false)
        case .pageDown: return move(by: pageSize, page: true)
        case .pageUp: return move(by: -pageSize, page: true)
        case .home:
            if moreBefore { pendingMove = 0; return .needFirstPage }
            return move(by: -selected - pendingMove, page: false)
        case .end:
            if moreAfter { pendingMove = 0; return .needLastPage }
            return move(by: rows.count - 1 - selected - pendingMove, page: false)
        default:
            return .ignored
        }
    }

    private mutating func move(by delta: Int, page: Bool) -> Action {
        // A move asked for while rows are on their way adds to the one waiting for them.
        let total = pendingMove + delta
        let target = selected + total
        if target >= rows.count, moreAfter { pendingMove = total; pendingIsPage = page; return .needRowsAfter }
        if target < 0, moreBefore { pendingMove = total; pendingIsPage = page; return .needRowsBefore }
        pendingMove = 0
        return select(target, page: page) ? .moved : .stayed
    }

    /// Move the selection to `index` (clamped to the window). A page move scrolls by as much,
    /// so the selection keeps its place on screen. Returns whether it moved.
    @discardableResult
    private mutating func select(_ index: Int, page: Bool) -> Bool {
        guard !rows.isEmpty else { return false }
        let target = min(max(0, index), rows.count - 1)
        let old = selected
        if page { scroll += target - old }
        selected = target
        scroll = Self.clampScroll(scroll, selected: selected, count: rows.count, visible: pageSize)
        return target != old
    }

    // MARK: Rows arriving

    /// Replace the window: a first or last page, or a new filter or sort. Selects `index`.
    /// `windowOffset` is the first row's index in the whole list if known; with no rows before
    /// the window it is 0.
    public mutating func setRows(_ rows: [[String]], moreBefore: Bool = false, moreAfter: Bool = false,
                                 selecting index: Int = 0, windowOffset: Int? = nil) {
        self.rows = rows
        self.moreBefore = moreBefore
        self.moreAfter = moreAfter
        self.windowOffset = windowOffset ?? (moreBefore ? nil : 0)
        pendingMove = 0
        isLoading = false
        selected = min(max(0, index), max(0, rows.count - 1))
        // Scroll no further than needed: the last row (End) shows at the foot of a full page.
        scroll = Self.clampScroll(0, selected: selected, count: rows.count, visible: pageSize)
    }

    /// Replace one row's cells (after the record behind it was edited), keeping the selection.
    public mutating func updateRow(at index: Int, with cells: [String]) {
        guard rows.indices.contains(index) else { return }
        rows[index] = cells
    }

    /// Rows fetched after the window's last row, answering `.needRowsAfter`. Finishes the waiting
    /// move. With `keepingAtMost`, rows scrolled off the top are dropped to bring the window down
    /// towards that size (never a row on screen). Returns how many rows were dropped from the
    /// front, for the app to drop as many keys.
    @discardableResult
    public mutating func appendRows(_ more: [[String]], moreAfter: Bool, keepingAtMost limit: Int? = nil) -> Int {
        rows += more
        self.moreAfter = moreAfter
        isLoading = false
        let move = pendingMove
        pendingMove = 0
        select(selected + move, page: pendingIsPage)
        guard let limit, rows.count > limit else { return 0 }
        let drop = min(rows.count - limit, scroll)
        guard drop > 0 else { return 0 }
        rows.removeFirst(drop)
        selected -= drop
        scroll -= drop
        moreBefore = true
        windowOffset = windowOffset.map { $0 + drop }
        return drop
    }

    /// Rows fetched before the window's first row (in list order), answering `.needRowsBefore`.
    /// Finishes the waiting move. With `keepingAtMost`, rows below the view are dropped to bring
    /// the window down towards that size. Returns how many rows were dropped from the end.
    @discardableResult
    public mutating func prependRows(_ more: [[String]], moreBefore: Bool, keepingAtMost limit: Int? = nil) -> Int {
        rows.insert(contentsOf: more, at: 0)
        self.moreBefore = moreBefore
        isLoading = false
        selected += more.count
        scroll += more.count
        windowOffset = windowOffset.map { max(0, $0 - more.count) }
        let move = pendingMove
        pendingMove = 0
        select(selected + move, page: pendingIsPage)
        guard let limit, rows.count > limit else { return 0 }
        let drop = min(rows.count - limit, rows.count - (scroll + pageSize))
        guard drop > 0 else { return 0 }
        rows.removeLast(drop)
        moreAfter = true
        return drop
    }

    /// The first row to show so that `selected` is visible and, where rows allow, the view is full.
    public static func clampScroll(_ scroll: Int, selected: Int, count: Int, visible: Int) -> Int {
        guard visible > 0, count > 0 else { return 0 }
        var s = min(scroll, count - visible)
        s = max(s, selected - visible + 1)
        s = min(s, selected)
        return max(0, s)
    }

    // MARK: Drawing

    /// Draw the header line and as many rows as fit below it. The selected row is in reverse
    /// video across the table; cells are cut by display width with "…"; with no rows, the
    /// loading or empty text shows on the first row.
    public func render(into grid: inout CellGrid, x: Int, y: Int, width: Int, height: Int,
                       style: Style = .plain, headerStyle: Style = Style(attrs: [.bold, .underline])) {
        guard width > 0, height > 0 else { return }
        let slots = TableLayout.layout(columns, width: width, gap: columnGap)
        grid.fill(x: x, y: y, width: width, height: height, style: style)

        grid.fill(x: x, y: y, width: width, height: 1, style: headerStyle)
        for slot in slots {
            let column = columns[slot.column]
            var title = column.title
            if let sort, sort.column == slot.column {
                let mark: Character = sort.ascending ? "▲" : "▼"
                title = title.displayWidth + 1 > slot.width
                    ? TextWidth.fit(title, slot.width - 1, ellipsis: true) + String(mark)
                    : title + String(mark)
            }
            grid.putFitted(title, x: x + slot.x, y: y, width: min(slot.width, width - slot.x),
                         alignment: column.alignment, style: headerStyle)
        }

        let visible = height - 1
        guard visible > 0 else { return }
        if rows.isEmpty {
            let text = isLoading ? loadingText : emptyText
            grid.putFitted(text, x: x, y: y + 1, width: width, alignment: .center, style: style)
            return
        }
        let first = Self.clampScroll(scroll, selected: selected, count: rows.count, visible: visible)
        for line in 0..<min(visible, rows.count - first) {
            let index = first + line
            var rowStyle = style
            if index == selected {
                rowStyle.attrs.insert(.reverse)
                grid.fill(x: x, y: y + 1 + line, width: width, height: 1, style: rowStyle)
            }
            let row = rows[index]
            for slot in slots where slot.column < row.count {
                grid.putFitted(row[slot.column], x: x + slot.x, y: y + 1 + line,
                             width: min(slot.width, width - slot.x), alignment: columns[slot.column].alignment,
                             style: rowStyle)
            }
        }
    }
}
