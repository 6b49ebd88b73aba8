/// A one-line text input.
///
/// The cursor counts characters (`Character`s), so a Chinese character, an accented letter or an
/// emoji is one step for the arrows and one deletion for Backspace. On screen the cursor is in
/// display columns, a wide character counting two.
public struct TextField: Sendable {
    /// The text. Setting it keeps the cursor inside it.
    public var value: String {
        didSet { cursor = min(max(0, cursor), value.count) }
    }
    /// Characters before the cursor: 0 is before the first, `value.count` after the last.
    public var cursor: Int {
        didSet { cursor = min(max(0, cursor), value.count) }
    }
    /// At most this many characters; input beyond it is dropped (see `lastRejected`).
    public var maxLength: Int?
    /// Show one `*` per character instead of the text (passwords).
    public var isSecure: Bool
    /// Decides, per character typed or pasted, whether it may go in; rejected ones are dropped
    /// (an ID-number field takes digits and X only).
    public var filter: (@Sendable (Character) -> Bool)?
    /// The characters the last `handle` or `insert` dropped, by the filter or the length limit,
    /// so the screen can say why nothing appeared.
    public private(set) var lastRejected: [Character] = []
    /// The whole text is selected, as a prefilled default is: the first character typed
    /// replaces it, Backspace or Delete clears it, and an arrow, Home or End keeps it and
    /// moves the cursor. Any edit or move ends the selection.
    public var isSelected = false

    public init(_ value: String = "", maxLength: Int? = nil, isSecure: Bool = false,
                filter: (@Sendable (Character) -> Bool)? = nil) {
        self.value = value
        self.cursor = value.count
        self.maxLength = maxLength
        self.isSecure = isSecure
        self.filter = filter
    }

    /// Edit or move for `key`. Returns true if the key is one a text field uses (even when it
    /// changes nothing, as Left at the start); false for keys that belong to the form or screen
    /// (Enter, Tab, arrows up and down, function and control keys).
    public mutating func handle(_ key: KeyEvent) -> Bool {
        lastRejected = []
        if isSelected {
            switch key {
            case .char, .text:
                isSelected = false
                let old = value
                value = ""
                _ = handle(key)
                // Nothing typed got in (a digit-only field, say): the default stays, selected.
                if value.isEmpty { value = old; cursor = old.count; isSelected = true }
                return true
            case .backspace, .delete:
                isSelected = false
                value = ""
                return true
            case .left, .home: isSelected = false; cursor = 0; return true
            case .right, .end: isSelected = false; cursor = value.count; return true
            default: break
            }
        }
        switch key {
        case .char(let c): insert(String(c))
        case .text(let t): insert(t)
        case .left: cursor -= 1
        case .right: cursor += 1
        case .home: cursor = 0
        case .end: cursor = value.count
        case .backspace:
            guard cursor > 0 else { break }
            // Move first: shortening `value` clamps the cursor, which must not count twice.
            cursor -= 1
            value.remove(at: value.index(value.startIndex, offsetBy: cursor))
        case .delete:
            guard cursor < value.count else { break }
            value.remove(at: value.index(value.startIndex, offsetBy: cursor))
        case .ctrl("u"):
            // Ctrl-U clears the field (as in a shell), where the screen binds it to nothing else.
            isSelected = false
            value = ""
            cursor = 0
        default:
            return false
        }
        return true
    }

    /// Insert typed or pasted text at the cursor, through the filter and the length limit.
    /// Line breaks and other control characters are dropped: a field holds one line.
    public mutating func insert(_ text: some StringProtocol) {
        lastRejected = []
        var accepted = ""
        var room = maxLength.map { max(0, $0 - value.count) } ?? Int.max
        for ch in text {
            if ch.isNewline || ch.unicodeScalars.first?.properties.generalCategory == .control { continue }
            if room == 0 || !(filter?(ch) ?? true) { lastRejected.append(ch); continue }
            accepted.append(ch)
            room -= 1
        }
        guard !accepted.isEmpty else { return }
        let at = cursor
        value.insert(contentsOf: accepted, at: value.index(value.startIndex, offsetBy: at))
        cursor = at + accepted.count
    }

    /// The display column of the cursor inside a field `width` columns wide, after the field has
    /// scrolled to keep it visible.
    public func cursorColumn(width: Int) -> Int {
        let widths = charWidths
        let start = Self.windowStart(widths: widths, cursor: cursor, width: width)
        return widths[start..<cursor].reduce(0, +)
    }

    /// Draw the field on one row: the part of the text around the cursor, the rest of the field
    /// blank in `style` (underline by default, so the field's extent shows without colour).
    /// Returns the screen column of the cursor.
    @discardableResult
    public func render(into grid: inout CellGrid, x: Int, y: Int, width: Int,
                       style: Style = Style(attrs: .underline), showsSelection: Bool = true) -> Int {
        guard width > 0 else { return x }
        let widths = charWidths
        let start = Self.windowStart(widths: widths, cursor: cursor, width: width)
        grid.fill(x: x, y: y, width: width, height: 1, style: style)
        var textStyle = style
        if isSelected && showsSelection { textStyle.attrs.insert(.reverse) }
        if isSecure {
            grid.put(String(repeating: "*", count: value.count - start), x: x, y: y, style: textStyle, maxWidth: width)
        } else {
            grid.put(value.dropFirst(start), x: x, y: y, style: textStyle, maxWidth: width)
        }
        return x + min(widths[start..<cursor].reduce(0, +), width - 1)
    }

    private var charWidths: [Int] {
        isSecure ? Array(repeating: 1, count: value.count) : value.map { TextWidth.of($0) }
    }

    /// The first character shown in a field `width` columns wide.
    ///
    /// The text is cut into pages from its end: the last page holds the end of the text and one
    /// column for the cursor after it (a field shows the end being typed); each earlier page
    /// holds as many characters as fit before the next page. The field shows the page the cursor
    /// is on, so the window depends only on text, cursor and width — no scroll state to keep —
    /// and it moves a page at a time rather than jittering a column per key.
    static func windowStart(widths: [Int], cursor: Int, width: Int) -> Int {
        var end = widths.count
        var room = width - 1
        while true {
            var start = end
            var used = 0
            while start > 0, used + widths[start - 1] <= room {
                start -= 1
                used += widths[start]
            }
            // A character wider than the whole field still gets a page of its own.
            if start == end, start > 0 { start -= 1 }
            if start <= cursor || start == 0 { return start }
            end = start
            room = width
        }
    }
}
