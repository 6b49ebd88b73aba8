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
    /// Returns the number of columns written.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var col = x
        for ch in text {
            var cw = TextWidth.of(ch)
            if cw == 0 {
                // Combining mark: attach to the previous cell.
                if col > 0, col - 1 >= x, contains(x: col - 1, y: y) {
                    var prev = col - 1
                    if self[prev, y].isContinuation, prev > 0 { prev -= 1 }
                    self[prev, y].text.append(ch)
                }
                continue
            }
            let s = ch.isNewline || ch == "\t" ? " " : String(ch)
            if ch.isNewline || ch == "\t" { cw = 1 }
            if col + cw > limit {
                // Pad the remainder rather than cut a wide character.
                while col < limit { if col >= 0 { setCell(col, y, Cell(" ", style: style)) }; col += 1 }
                break
            }
            if col >= 0 {
                setCell(col, y, Cell(s, style: style))
                if cw == 2 { setCell(col + 1, y, Cell("", style: style, isContinuation: true)) }
            }
            col += cw
        }
        return max(0, col - x)
    }

    /// Fill a rectangle with spaces in `style`.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: Style = .plain) {
        for row in max(0, y)..<min(height, y + h) {
            for col in max(0, x)..<min(width, x + w) { setCell(col, row, Cell(" ", style: style)) }
        }
    }

    /// Apply a style to every cell in a row segment, keeping the text (a selection bar).
    public mutating func restyle(x: Int, y: Int, width w: Int, style: Style) {
        guard y >= 0, y < height else { return }
        for col in max(0, x)..<min(width, x + w) { cells[y * width + col].style = style }
    }

    /// Set one cell, repairing any wide character that the write splits.
    private mutating func setCell(_ x: Int, _ y: Int, _ cell: Cell) {
        let i = y * width + x
        // Overwriting the continuation half of a wide char: blank its leading half.
        if cells[i].isContinuation, x > 0, !cell.isContinuation {
            cells[i - 1] = Cell(" ", style: cells[i - 1].style)
        }
        // Overwriting the leading half of a wide char: blank its continuation.
        if !cell.isContinuation, x + 1 < width, cells[i + 1].isContinuation, TextWidth.of(cells[i].text) == 2 {
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
    }

    /// The cells that differ from `old`, grouped into runs per row. A different size means
    /// every cell changed. A run never starts on a continuation cell.
    public func changes(from old: CellGrid?) -> [Change] {
        let full = old == nil || old!.width != width || old!.height != height
        var out: [Change] = []
        for y in 0..<height {
            var x = 0
            while x < width {
                if full || self[x, y] != old![x, y] {
                    var start = x
                    if self[start, y].isContinuation && start > 0 { start -= 1 }
                    var run: [Cell] = []
                    var end = start
                    while end < width && (full || self[end, y] != old![end, y] || self[end, y].isContinuation) {
                        run.append(self[end, y]); end += 1
                    }
                    if let last = out.last, last.y == y, last.x + last.cells.count == start {
                        out[out.count - 1].cells += run
                    } else if let last = out.last, last.y == y, last.x + last.cells.count > start {
                        // overlap from stepping back onto a wide char's lead: merge
                        let keep = start - last.x
                        out[out.count - 1].cells = Array(last.cells.prefix(keep)) + run
                    } else {
                        out.append(Change(x: start, y: y, cells: run))
                    }
                    x = max(end, x + 1)
                } else {
                    x += 1
                }
            }
        }
        return out
    }
}
