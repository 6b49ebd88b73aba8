/// One screen position. A wide character occupies its cell and the next one; the next one is a
/// continuation cell (`isContinuation`) that draws nothing of its own.
public struct Cell: Equatable, Sendable {
    public var text: String
    public var style: Style
    public var isContinuation: Bool
    public init(_ text: String = " ", style: Style = .plain, isContinuation: Bool = false) {
        self.text = text; self.style = style; self.isContinuation = isContinuation
    }
    public static let blank = Cell()
}

/// A screen's worth of cells. Views draw into a grid; a backend shows the grid by sending only
/// the cells that changed since the last one.
public struct CellGrid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    public func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    /// Write `text` at (x, y) in `style`, clipped to `maxWidth` columns (and the grid's edge).
    /// A wide character that would not fit whole is replaced by spaces, never cut in half.
    /// Text is one line: a newline or tab shows as a space; other control characters are dropped
    /// (sent to a terminal they would move its cursor). Returns the number of columns written.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = maxWidth.map { $0 >= width - x ? width : x + $0 } ?? width
        var col = x
        if text.unicodeScalars.allSatisfy({ TextWidth.simpleWidth($0.value) != nil }) {
            // Every scalar is a character of its own (nearly every string on a screen): no
            // character boundaries to find, no marks or controls to handle.
            for u in text.unicodeScalars {
                let cw = TextWidth.simpleWidth(u.value) ?? 1
                if col + cw > limit {
                    while col < limit { if col >= 0 { setCell(col, y, Cell(" ", style: style)) }; col += 1 }
                    break
                }
                if col >= 0 {
                    setCell(col, y, Cell(String(u), style: style))
                    if cw == 2 { setCell(col + 1, y, Cell("", style: style, isContinuation: true)) }
                } else if col + cw > 0 {
                    setCell(0, y, Cell(" ", style: style))
                }
                col += cw
            }
            return max(0, col - x)
        }
        for ch in text {
            var cw = TextWidth.of(ch)
            var s: String?
            if ch == "\t" || ch.isNewline {
                cw = 1; s = " "
            } else if cw == 0 {
                // A lone combining mark belongs with the character before it; any other zero-width
                // character (controls, bidi overrides) is dropped so it never reaches the terminal.
                if Self.isMark(ch), col - 1 >= max(x, 0) {
                    var prev = col - 1
                    if self[prev, y].isContinuation, prev > 0 { prev -= 1 }
                    cells[y * width + prev].text.append(ch)
                }
                continue
            }
            if col + cw > limit {
                // Pad the remainder rather than cut a wide character.
                while col < limit { if col >= 0 { setCell(col, y, Cell(" ", style: style)) }; col += 1 }
                break
            }
            if col >= 0 {
                setCell(col, y, Cell(s ?? String(ch), style: style))
                if cw == 2 { setCell(col + 1, y, Cell("", style: style, isContinuation: true)) }
            } else if col + cw > 0 {
                // A wide character straddling the left edge: only its second half is on the grid.
                setCell(0, y, Cell(" ", style: style))
            }
            col += cw
        }
        return max(0, col - x)
    }

    private static func isMark(_ ch: Character) -> Bool {
        switch ch.unicodeScalars.first?.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// Fill a rectangle with spaces in `style`.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: Style = .plain) {
        let cols = max(0, x)..<max(max(0, x), min(width, x + w))
        for row in max(0, y)..<max(max(0, y), min(height, y + h)) {
            for col in cols { setCell(col, row, Cell(" ", style: style)) }
        }
    }

    /// Apply a style to every cell in a row segment, keeping the text (a selection bar).
    public mutating func restyle(x: Int, y: Int, width w: Int, style: Style) {
        guard y >= 0, y < height else { return }
        for col in max(0, x)..<max(max(0, x), min(width, x + w)) { cells[y * width + col].style = style }
    }

    /// Add attributes to a row segment, keeping text and colours (reverse video for a selection
    /// over cells that already carry their own style).
    public mutating func addAttrs(_ attrs: Attr, x: Int, y: Int, width w: Int) {
        guard y >= 0, y < height else { return }
        for col in max(0, x)..<max(max(0, x), min(width, x + w)) { cells[y * width + col].style.attrs.formUnion(attrs) }
    }

    /// Set one cell, repairing any wide character that the write splits.
    private mutating func setCell(_ x: Int, _ y: Int, _ cell: Cell) {
        let i = y * width + x
        // Overwriting the second half of a wide character: its first half cannot stand alone.
        if cells[i].isContinuation, !cell.isContinuation, x > 0 {
            cells[i - 1] = Cell(" ", style: cells[i - 1].style)
        }
        // Overwriting the first half (with anything, even another wide character's second half):
        // the old second half cannot stand alone either.
        if !cells[i].isContinuation, x + 1 < width, cells[i + 1].isContinuation {
            cells[i + 1] = Cell(" ", style: cells[i + 1].style)
        }
        cells[i] = cell
    }

    /// One row as plain text, wide characters counted once (continuation cells add nothing).
    public func rowText(_ y: Int) -> String {
        var s = ""
        for x in 0..<width where !self[x, y].isContinuation { s += self[x, y].text }
        return s
    }

    /// The whole grid as text, one line per row, trailing spaces kept.
    public var text: String { (0..<height).map(rowText).joined(separator: "\n") }

    /// A run of changed cells on one row: what a backend must send.
    public struct Change: Equatable, Sendable {
        public var x: Int
        public var y: Int
        public var cells: [Cell]
        public init(x: Int, y: Int, cells: [Cell]) { self.x = x; self.y = y; self.cells = cells }
    }

    /// The cells that differ from `old`, grouped into runs of adjacent cells per row; unchanged
    /// cells are not sent. A different size (or no old grid) means every cell changed.
    /// A wide character is always sent whole: a run never starts or ends inside one.
    public func changes(from old: CellGrid?) -> [Change] {
        guard let old, old.width == width, old.height == height else {
            return (0..<height).map { y in
                Change(x: 0, y: y, cells: Array(cells[(y * width)..<((y + 1) * width)]))
            }
        }
        var out: [Change] = []
        for y in 0..<height {
            let row = y * width
            var x = 0
            while x < width {
                if cells[row + x] == old.cells[row + x] { x += 1; continue }
                let start = cells[row + x].isContinuation && x > 0 ? x - 1 : x
                var end = x + 1
                while end < width, cells[row + end] != old.cells[row + end] || cells[row + end].isContinuation {
                    end += 1
                }
                if let last = out.last, last.y == y, last.x + last.cells.count >= start {
                    // Stepping back onto a wide character's first half can touch the previous run.
                    out[out.count - 1].cells += cells[(row + last.x + last.cells.count)..<(row + end)]
                } else {
                    out.append(Change(x: start, y: y, cells: Array(cells[(row + start)..<(row + end)])))
                }
                x = end
            }
        }
        return out
    }
}
