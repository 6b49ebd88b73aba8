/// A multi-line text input for notes ("家中老人长期卧床，儿子在外务工 …").
///
/// The value holds hard line breaks as "\n"; on screen each line is also soft-wrapped to the
/// width it is drawn at. As in `TextField`, the cursor counts characters (`Character`s): a Chinese
/// character, an emoji or a line break is one step for the arrows and one deletion for Backspace.
/// On screen a wide character takes two columns and is never split across rows.
///
/// Up, Down, Home and End move by the wrapped rows, so they need the width: set `layoutWidth`
/// (and `visibleRows`, for scrolling) from the layout, as `TableView.pageSize` is.
public struct TextArea: Equatable, Sendable {
    /// The text. Setting it turns "\r\n", "\r" and other line separators into "\n" and tabs into
    /// spaces, and keeps the cursor inside it.
    public var value: String {
        didSet {
            if value.contains(where: Self.needsCleaning) { value = Self.clean(value) }
            cursor = min(max(0, cursor), value.count)
        }
    }
    /// Characters before the cursor: 0 is before the first, `value.count` after the last.
    public var cursor: Int {
        didSet { cursor = min(max(0, cursor), value.count) }
    }
    /// At most this many characters, line breaks included; input beyond it is dropped (see
    /// `lastRejected`). A longer value set from outside is kept as it is.
    public var maxLength: Int?
    /// Whether Enter starts a new line. Off by default: Enter then belongs to the form (next
    /// field, save) and Ctrl-J starts a new line.
    public var enterInsertsNewline: Bool
    /// The width the area is drawn at: Up, Down, Home and End move by rows this wide.
    public var layoutWidth: Int
    /// The rows the area shows: how far it scrolls to keep the cursor in view.
    public var visibleRows: Int
    /// The first row shown. Drawing adjusts it to keep the cursor in view.
    public private(set) var scroll = 0
    /// The characters the last `handle` or `insert` dropped because of the length limit, so the
    /// screen can say why nothing appeared.
    public private(set) var lastRejected: [Character] = []
    /// The display column Up and Down aim for: where the cursor was before the first of a run of
    /// vertical moves, so passing a short row does not pull the cursor to the left for good.
    private var goalColumn: Int?

    public init(_ value: String = "", maxLength: Int? = nil, enterInsertsNewline: Bool = false,
                layoutWidth: Int = 40, visibleRows: Int = 4) {
        let clean = Self.clean(value)
        self.value = clean
        self.cursor = clean.count
        self.maxLength = maxLength
        self.enterInsertsNewline = enterInsertsNewline
        self.layoutWidth = layoutWidth
        self.visibleRows = visibleRows
        updateScroll()
    }

    // MARK: Keys

    /// Edit or move for `key`. Returns true if the area used the key (even when it changes
    /// nothing, as Left at the start); false for keys that belong to the form: Tab, Shift-Tab,
    /// Esc, PgUp, PgDn, function keys, other Ctrl keys, Enter unless `enterInsertsNewline`, Up on
    /// the first row and Down on the last (so the form can move to the field above or below).
    public mutating func handle(_ key: KeyEvent) -> Bool {
        lastRejected = []
        var keepGoal = false
        switch key {
        case .char(let c): insert(String(c))
        case .text(let t): insert(t)
        case .enter:
            guard enterInsertsNewline else { return false }
            insert("\n")
        case .ctrl("j"): insert("\n")
        case .left: cursor -= 1
        case .right: cursor += 1
        case .up, .down:
            let rows = layout(width: layoutWidth)
            let (row, column) = Self.locate(cursor, in: rows, chars: Array(value))
            let target = key == .up ? row - 1 : row + 1
            guard rows.indices.contains(target) else { return false }
            let goal = goalColumn ?? column
            cursor = Self.position(in: rows[target], column: goal, chars: Array(value))
            goalColumn = goal
            keepGoal = true
        case .home, .end:
            let rows = layout(width: layoutWidth)
            let row = rows[Self.locate(cursor, in: rows, chars: Array(value)).row]
            // The position after a wrapped row's last character is the next row's start, so End on
            // a wrapped row stops before that character (before the space where a sentence wraps).
            cursor = key == .home ? row.start : (row.endsLine ? row.end : row.end - 1)
        case .backspace:
            guard cursor > 0 else { break }
            // Move first: shortening `value` clamps the cursor, which must not count twice.
            cursor -= 1
            value.remove(at: value.index(value.startIndex, offsetBy: cursor))
        case .delete:
            guard cursor < value.count else { break }
            value.remove(at: value.index(value.startIndex, offsetBy: cursor))
        default:
            return false
        }
        if !keepGoal { goalColumn = nil }
        updateScroll()
        return true
    }

    /// Insert typed or pasted text at the cursor, up to the length limit. Line breaks of any kind
    /// ("\r\n" from a Windows clipboard, "\r") become "\n", tabs become spaces and other control
    /// characters are dropped.
    public mutating func insert(_ text: some StringProtocol) {
        lastRejected = []
        var accepted = ""
        var room = maxLength.map { max(0, $0 - value.count) } ?? Int.max
        for ch in Self.clean(String(text)) {
            if room == 0 { lastRejected.append(ch); continue }
            accepted.append(ch)
            room -= 1
        }
        guard !accepted.isEmpty else { return }
        let at = cursor
        let before = value.count
        value.insert(contentsOf: accepted, at: value.index(value.startIndex, offsetBy: at))
        // Count what was added rather than what was typed: a combining mark joins the character
        // before it and adds no character of its own.
        cursor = at + (value.count - before)
        goalColumn = nil
        updateScroll()
    }

    private mutating func updateScroll() {
        let rows = layout(width: layoutWidth)
        let row = Self.locate(cursor, in: rows, chars: Array(value)).row
        scroll = TableView.clampScroll(scroll, selected: row, count: rows.count, visible: max(1, visibleRows))
    }

    // MARK: Layout

    /// Rows the text takes at `width` columns: what a form needs to size the area to its text.
    public func rowCount(width: Int) -> Int { layout(width: width).count }

    /// The cursor's row (among all rows, not only those shown) and display column at `width`.
    public func cursorPosition(width: Int) -> (row: Int, column: Int) {
        Self.locate(cursor, in: layout(width: width), chars: Array(value))
    }

    /// The text of each row at `width`, without line breaks: what `render` shows, scrolled.
    public func rows(width: Int) -> [String] {
        let chars = Array(value)
        return layout(width: width).map { String(chars[$0.start..<$0.end]) }
    }

    /// One row on screen: characters `start..<end` of the value, line break not included.
    struct Row: Equatable {
        var start: Int
        var end: Int
        /// The last row of its line. The position `end` belongs to this row only if so; after a
        /// soft wrap it is the next row's start.
        var endsLine: Bool
    }

    func layout(width: Int) -> [Row] { Self.layout(Array(value), width: max(1, width)) }

    /// Break the text into rows of at most `width` columns.
    ///
    /// A row may break after a space or beside a wide character, so an English word, a phone
    /// number or an ID number moves to the next row whole; only a word longer than a row is cut.
    /// A wide character never straddles two rows. A line that fills its last row exactly gets an
    /// empty row after it, for the cursor at its end to stand on.
    static func layout(_ chars: [Character], width: Int) -> [Row] {
        var rows: [Row] = []
        var lineStart = 0
        while true {
            let lineEnd = chars[lineStart...].firstIndex(of: "\n") ?? chars.count
            var rowStart = lineStart
            var used = 0
            // Where the next row could start if this one has to break.
            var breakAt: Int?
            var i = lineStart
            while i < lineEnd {
                let cw = TextWidth.of(chars[i])
                if i > rowStart {
                    let prev = chars[i - 1]
                    if (prev == " " && chars[i] != " ") || TextWidth.of(prev) == 2 || cw == 2 { breakAt = i }
                }
                if used + cw > width, i > rowStart {
                    // A space that does not fit starts the next row: breaking earlier would move
                    // the word before it along for nothing.
                    let b = chars[i] == " " ? i : (breakAt ?? i)
                    rows.append(Row(start: rowStart, end: b, endsLine: false))
                    rowStart = b
                    used = chars[b..<i].reduce(0) { $0 + TextWidth.of($1) }
                    breakAt = nil
                    continue  // Try the same character on the new row.
                }
                used += cw
                i += 1
            }
            if used >= width, lineEnd > rowStart {
                rows.append(Row(start: rowStart, end: lineEnd, endsLine: false))
                rowStart = lineEnd
            }
            rows.append(Row(start: rowStart, end: lineEnd, endsLine: true))
            guard lineEnd < chars.count else { return rows }
            lineStart = lineEnd + 1
        }
    }

    /// The row holding cursor position `position`, and its display column there.
    static func locate(_ position: Int, in rows: [Row], chars: [Character]) -> (row: Int, column: Int) {
        let r = rows.firstIndex { position >= $0.start && (position < $0.end || (position == $0.end && $0.endsLine)) }
            ?? rows.count - 1
        let row = rows[r]
        let column = chars[row.start..<min(max(row.start, position), row.end)].reduce(0) { $0 + TextWidth.of($1) }
        return (r, column)
    }

    /// The position on `row` nearest to display column `column` without passing it: a wide
    /// character under the column puts the cursor before it.
    static func position(in row: Row, column: Int, chars: [Character]) -> Int {
        let last = row.endsLine ? row.end : max(row.start, row.end - 1)
        var p = row.start
        var col = 0
        while p < last {
            let cw = TextWidth.of(chars[p])
            if col + cw > column { break }
            col += cw
            p += 1
        }
        return p
    }

    // MARK: Drawing

    /// Draw the rows around the cursor in the rectangle, the rest of it blank in `style`
    /// (underlined by default, so the area's extent shows without colour). Scrolls as little as
    /// it can to keep the cursor's row in view. Returns the screen position of the cursor.
    @discardableResult
    public func render(into grid: inout CellGrid, x: Int, y: Int, width: Int, height: Int,
                       style: Style = Style(attrs: .underline)) -> (x: Int, y: Int)? {
        guard width > 0, height > 0 else { return nil }
        grid.fill(x: x, y: y, width: width, height: height, style: style)
        let chars = Array(value)
        let rows = Self.layout(chars, width: width)
        let (cursorRow, column) = Self.locate(cursor, in: rows, chars: chars)
        let first = TableView.clampScroll(scroll, selected: cursorRow, count: rows.count, visible: height)
        for line in 0..<min(height, rows.count - first) {
            let row = rows[first + line]
            grid.put(String(chars[row.start..<row.end]), x: x, y: y + line, style: style, maxWidth: width)
        }
        return (x: x + min(column, width - 1), y: y + cursorRow - first)
    }

    // MARK: Cleaning

    private static func needsCleaning(_ ch: Character) -> Bool {
        (ch.isNewline && ch != "\n") || ch == "\t" || (ch != "\n" && ch.unicodeScalars.first?.properties.generalCategory == .control)
    }

    /// Every kind of line break as "\n", tabs as a space, other control characters dropped.
    static func clean(_ text: String) -> String {
        guard text.contains(where: needsCleaning) else { return text }
        var out = ""
        for ch in text {
            if ch.isNewline { out.append("\n") }
            else if ch == "\t" { out.append(" ") }
            else if ch.unicodeScalars.first?.properties.generalCategory != .control { out.append(ch) }
        }
        return out
    }
}
