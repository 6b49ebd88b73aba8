/// A pop-up list for choosing from a code list (56 ethnicities, 40 relationships to the head of
/// household …), narrowed by typing.
///
/// What the user types goes into a filter. An option matches when the filter, ignoring case and
/// full-width forms, begins its code, occurs anywhere in its label, or begins one of its keys (the
/// caller's extra search keys: pinyin initials `hz` and full pinyin `hanzu` for 汉族). Matches are
/// ranked: the option whose code *is* the filter, then codes beginning with it, then labels
/// beginning with it, then the rest — each group in the list's own order, which for a code list
/// is usually the order of how often it is used.
///
/// Single select chooses one code with Enter. Multi-select (several disability types, say) ticks
/// options with Space and returns every ticked code with Enter.
public struct Picker: Equatable, Sendable {
    /// One entry of the code list.
    public struct Option: Equatable, Sendable {
        public var code: String
        public var label: String
        /// Extra search keys, matched from their start: pinyin initials, full pinyin, old names.
        public var keys: [String]

        public init(code: String, label: String, keys: [String] = []) {
            self.code = code; self.label = label; self.keys = keys
        }
    }

    /// What a key did.
    public enum Action: Equatable, Sendable {
        /// A picker key that leaves the picker open: a move, a letter of the filter, a tick.
        case none
        /// Single select: this code was chosen with Enter.
        case chosen(String)
        /// Multi-select: Enter confirmed these ticked codes, in the list's order.
        case chosenMany([String])
        /// Esc: close without changing anything.
        case cancelled
        /// Not a picker key (Tab, function keys, Ctrl keys): the screen may use it.
        case ignored

        /// Whether the picker used the key.
        public var consumed: Bool { self != .ignored }
    }

    public var title: String
    /// The code list. Setting it filters again and keeps the highlight on the same code if it is
    /// still shown.
    public var options: [Option] {
        didSet {
            // `matches` still indexes the old list.
            let code = matches.indices.contains(highlight) ? oldValue[matches[highlight]].code : nil
            folded = options.map(Folded.init)
            refilter(keeping: code)
        }
    }
    public var multiSelect: Bool
    /// Ticked codes (multi-select), or the current value (single select: the highlight starts on
    /// it). Codes not in `options` are kept and returned too, so opening the picker on a record
    /// holding a retired code does not drop it.
    public var selected: Set<String>
    /// The text typed so far. Setting it filters again, as typing does.
    public var filter: String {
        didSet { filterChanged(from: oldValue) }
    }
    /// Shown before the filter text.
    public var filterLabel: String = "筛选:"
    /// Show the code column ("01  汉族"); off for lists whose codes mean nothing to a clerk
    /// ("rural_dibao"). Codes still match what is typed.
    public var showsCodes = true
    /// Shown when nothing matches the filter.
    public var emptyText: String = "无匹配"
    /// Options PgUp and PgDn move by. Set it from the layout (`height - 3` for a picker drawn
    /// `height` rows tall); drawing keeps the highlight visible regardless.
    public var pageSize: Int = 10

    /// The matching options, as indices into `options`, best first.
    public private(set) var matches: [Int] = []
    /// The highlighted option, as an index into `matches`.
    public private(set) var highlight = 0
    /// The first match shown, as an index into `matches`. Drawing adjusts it to keep the highlight
    /// in view.
    public private(set) var scroll = 0

    /// Options with code, label and keys folded for matching, made once per code list rather than
    /// once per key press.
    private var folded: [Folded]

    public init(title: String, options: [Option], multiSelect: Bool = false, selected: Set<String> = [],
                filter: String = "") {
        self.title = title
        self.options = options
        self.multiSelect = multiSelect
        self.selected = selected
        self.filter = filter
        folded = options.map(Folded.init)
        matches = Self.match(folded, filter: Self.fold(filter))
        // Open on the current value, so Enter straight away keeps it.
        highlight = matches.firstIndex { selected.contains(options[$0].code) } ?? 0
        scroll = TableView.clampScroll(0, selected: highlight, count: matches.count, visible: pageSize)
    }

    /// The highlighted option, if anything matches.
    public var highlightedOption: Option? {
        matches.indices.contains(highlight) ? options[matches[highlight]] : nil
    }

    /// The matching options, best first.
    public var visibleOptions: [Option] { matches.map { options[$0] } }

    // MARK: Keys

    /// Typed characters, pasted text and Backspace edit the filter; Up/Down, PgUp/PgDn, Home/End
    /// move the highlight (stopping at the ends); Space ticks the highlighted option in
    /// multi-select (in single select it is typed, as a label may hold one); Enter chooses; Esc
    /// cancels. Enter with nothing matching stays open.
    public mutating func handle(_ key: KeyEvent) -> Action {
        switch key {
        case .up: move(to: highlight - 1)
        case .down: move(to: highlight + 1)
        case .pageUp: move(to: highlight - max(1, pageSize))
        case .pageDown: move(to: highlight + max(1, pageSize))
        case .home: move(to: 0)
        case .end: move(to: matches.count - 1)
        case .char(" ") where multiSelect:
            if let code = highlightedOption?.code {
                if selected.contains(code) { selected.remove(code) } else { selected.insert(code) }
            }
        case .char(let c): addToFilter(String(c))
        case .text(let t): addToFilter(t)
        case .backspace:
            if !filter.isEmpty { filter.removeLast() }
        case .enter:
            if multiSelect { return .chosenMany(chosenCodes) }
            if let code = highlightedOption?.code { return .chosen(code) }
        case .escape:
            return .cancelled
        default:
            return .ignored
        }
        return .none
    }

    /// The ticked codes in the list's order, then any ticked codes the list does not hold.
    public var chosenCodes: [String] {
        let listed = options.map(\.code).filter { selected.contains($0) }
        let known = Set(options.map(\.code))
        return listed + selected.filter { !known.contains($0) }.sorted()
    }

    /// Add typed or pasted text to the filter. Line breaks and control characters are dropped: the
    /// filter is one line.
    private mutating func addToFilter(_ text: String) {
        let clean = text.filter { !$0.isNewline && $0.unicodeScalars.first?.properties.generalCategory != .control }
        if !clean.isEmpty { filter += clean }
    }

    private mutating func move(to index: Int) {
        guard !matches.isEmpty else { return }
        highlight = min(max(0, index), matches.count - 1)
        scroll = TableView.clampScroll(scroll, selected: highlight, count: matches.count, visible: pageSize)
    }

    // MARK: Filtering

    /// After typing the best match is highlighted. After Backspace (the list only grows) the
    /// highlight stays on the option it was on, so stepping back does not lose the user's place.
    private mutating func filterChanged(from old: String) {
        let widened = old.hasPrefix(filter) && old != filter
        refilter(keeping: widened ? highlightedOption?.code : nil)
    }

    private mutating func refilter(keeping code: String?) {
        matches = Self.match(folded, filter: Self.fold(filter))
        highlight = code.flatMap { code in matches.firstIndex { options[$0].code == code } } ?? 0
        scroll = 0
        move(to: highlight)
    }

    /// An option's code, label and keys as the matcher compares them.
    private struct Folded: Equatable, Sendable {
        var code: String
        var label: String
        var keys: [String]
        init(_ option: Option) {
            code = Picker.fold(option.code)
            label = Picker.fold(option.label)
            keys = option.keys.map(Picker.fold)
        }
    }

    /// Indices of the options matching `filter` (already folded), best first.
    private static func match(_ options: [Folded], filter f: String) -> [Int] {
        guard !f.isEmpty else { return Array(options.indices) }
        var ranked: [(rank: Int, index: Int)] = []
        for (i, o) in options.enumerated() {
            let rank: Int
            if o.code == f { rank = 0 }
            else if o.code.hasPrefix(f) { rank = 1 }
            else if o.label.hasPrefix(f) { rank = 2 }
            else if o.label.contains(f) || o.keys.contains(where: { $0.hasPrefix(f) }) { rank = 3 }
            else { continue }
            ranked.append((rank, i))
        }
        // Sorting on (rank, index) keeps each rank in the list's order without relying on a stable sort.
        return ranked.sorted { ($0.rank, $0.index) < ($1.rank, $1.index) }.map(\.index)
    }

    /// Lower case, with full-width ASCII (what a Chinese input method types in full-width mode:
    /// `ｈｚ`, `０１`) turned into ordinary ASCII.
    static func fold(_ s: String) -> String {
        var scalars = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if (0xFF01...0xFF5E).contains(u.value), let a = Unicode.Scalar(u.value - 0xFEE0) {
                scalars.append(a)
            } else if u.value == 0x3000 {
                scalars.append(" ")
            } else {
                scalars.append(u)
            }
        }
        return String(scalars).lowercased()
    }

    // MARK: Drawing

    /// Width and height the picker would like: wide enough for its widest option, title and filter
    /// line, tall enough for every option (so typing does not resize it), within the limits.
    public func preferredSize(maxWidth: Int, maxHeight: Int) -> (width: Int, height: Int) {
        let rowWidth = markWidth + codeWidth(inner: Int.max) + 2 + options.reduce(0) { max($0, $1.label.displayWidth) }
        let inner = max(rowWidth, filterLabel.displayWidth + 1 + 12, emptyText.displayWidth,
                        title.displayWidth + 2, positionText(options.count, options.count).displayWidth + 2)
        // A border and a column of padding on each side; the title row, filter row and bottom border.
        return (width: max(0, min(maxWidth, inner + 4)), height: max(0, min(maxHeight, max(1, options.count) + 3)))
    }

    /// Draw the pop-up in the rectangle, over whatever is there: the title in the top border, the
    /// filter line, then one option per row ("01  汉族", or "[x] 01  汉族" in multi-select) with the
    /// highlight in reverse video, or `emptyText` when nothing matches. When the matches do not
    /// all fit, the bottom border shows the highlight's place ("12/56"). Labels are cut with "…",
    /// never half a wide character. Returns where the text cursor goes: after the filter text.
    @discardableResult
    public func render(into grid: inout CellGrid, x: Int, y: Int, width: Int, height: Int,
                       chars: BoxChars = .unicode, style: Style = .plain) -> (x: Int, y: Int)? {
        guard width >= 5, height >= 4 else { return nil }
        grid.drawBox(x: x, y: y, width: width, height: height, title: title, chars: chars, style: style)
        let left = x + 2
        let inner = width - 4

        // The filter line; a filter longer than the line shows its end, where the typing is.
        let labelWidth = grid.put(filterLabel + " ", x: left, y: y + 1, style: style, maxWidth: inner)
        let room = inner - labelWidth - 1
        var cursorX = left + labelWidth
        if room > 0 {
            cursorX += grid.put(TextWidth.suffix(filter, fitting: room), x: cursorX, y: y + 1, style: style, maxWidth: room)
        }
        let cursor = (x: min(cursorX, left + inner - 1), y: y + 1)

        let visible = height - 3
        let top = y + 2
        guard !matches.isEmpty else {
            grid.putFitted(emptyText, x: left, y: top, width: inner, alignment: .center, style: style)
            return cursor
        }
        let first = TableView.clampScroll(scroll, selected: highlight, count: matches.count, visible: visible)
        let codeWidth = codeWidth(inner: inner)
        for line in 0..<min(visible, matches.count - first) {
            let index = first + line
            let option = options[matches[index]]
            let rowY = top + line
            var rowStyle = style
            if index == highlight {
                rowStyle.attrs.insert(.reverse)
                // The bar runs from border to border, padding included.
                grid.fill(x: x + 1, y: rowY, width: width - 2, height: 1, style: rowStyle)
            }
            var col = left
            if multiSelect {
                col += grid.put(selected.contains(option.code) ? "[x] " : "[ ] ", x: col, y: rowY, style: rowStyle,
                                maxWidth: left + inner - col)
            }
            if showsCodes {
                grid.putFitted(option.code, x: col, y: rowY, width: min(codeWidth, left + inner - col), style: rowStyle)
                col += codeWidth + 2
            }
            grid.putFitted(option.label, x: col, y: rowY, width: left + inner - col, style: rowStyle)
        }
        if matches.count > visible {
            let position = " " + positionText(highlight + 1, matches.count) + " "
            let w = position.displayWidth
            if w <= width - 4 { grid.put(position, x: x + width - 2 - w, y: y + height - 1, style: style) }
        }
        return cursor
    }

    /// Columns of the "[x] " tick box, in multi-select.
    private var markWidth: Int { multiSelect ? 4 : 0 }

    /// The code column: as wide as the widest code in the whole list (so it does not jump while
    /// typing), but never more than half of the room left after the tick box.
    private func codeWidth(inner: Int) -> Int {
        guard showsCodes else { return -2 }
        let widest = options.reduce(0) { max($0, $1.code.displayWidth) }
        return inner == .max ? widest : min(widest, max(1, (inner - markWidth) / 2))
    }

    private func positionText(_ position: Int, _ count: Int) -> String { "\(position)/\(count)" }
}
