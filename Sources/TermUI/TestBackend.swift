/// A backend for tests: scripted key events in, grids out.
///
/// It keeps its own screen and updates it only through `CellGrid.changes(from:)`, the way a
/// terminal backend does, so a test that reads `screenText` also tests the diff: a change the
/// diff forgets shows up as a stale cell on this screen.
public final class TestBackend: Backend {
    public var size: (width: Int, height: Int)
    public var hasColors: Bool
    /// Events `readEvent` will return, first first.
    public var pendingEvents: [KeyEvent]
    /// The screen as this backend holds it, built from the runs of changed cells it was sent.
    public private(set) var screen: CellGrid
    /// Every grid passed to `draw`, in order.
    public private(set) var frames: [CellGrid] = []
    /// Keep every frame (tests look back at them); a benchmark turns this off so its memory
    /// figure is the app's, not a record of every screen drawn.
    public var keepsFrames = true
    private var lastGrid: CellGrid?
    /// Where the last draw put the text cursor (nil: hidden).
    public private(set) var cursor: (x: Int, y: Int)?
    /// Cells sent by the last draw, and by all draws together.
    public private(set) var lastCellsSent = 0
    public private(set) var totalCellsSent = 0
    /// The runs the last draw sent.
    public private(set) var lastChanges: [CellGrid.Change] = []

    public init(width: Int = 80, height: Int = 24, hasColors: Bool = false, events: [KeyEvent] = []) {
        size = (width, height)
        self.hasColors = hasColors
        pendingEvents = events
        screen = CellGrid(width: width, height: height)
    }

    /// Queue events for `readEvent`.
    public func enqueue(_ events: KeyEvent...) { pendingEvents += events }

    /// Simulate the user resizing the terminal: the size changes and a `.resize` event is queued.
    public func resize(width: Int, height: Int) {
        size = (width, height)
        pendingEvents.append(.resize(width: width, height: height))
    }

    public func draw(_ grid: CellGrid, cursor: (x: Int, y: Int)?) {
        // Like a terminal backend, diff against the grid it believes is on screen (the last one
        // drawn), so a cell the diff forgets stays stale here as it would on a real terminal.
        // A grid of another size starts from a blank screen; the diff then sends everything.
        if screen.width != grid.width || screen.height != grid.height {
            screen = CellGrid(width: grid.width, height: grid.height)
        }
        // Against the last grid drawn, as CursesBackend does, whether or not frames are kept
        // (without them the bench used to send every cell of every frame).
        lastChanges = grid.changes(from: lastGrid)
        lastGrid = grid
        lastCellsSent = 0
        for change in lastChanges {
            for (i, cell) in change.cells.enumerated() { screen[change.x + i, change.y] = cell }
            lastCellsSent += change.cells.count
        }
        totalCellsSent += lastCellsSent
        self.cursor = cursor
        if keepsFrames { frames.append(grid) }
    }

    /// The next scripted event; nil when the script has run out (as a timeout would).
    public func readEvent(timeoutMs: Int) -> KeyEvent? {
        pendingEvents.isEmpty ? nil : pendingEvents.removeFirst()
    }

    /// The screen as text: one line per row, wide characters once, trailing spaces trimmed.
    public var screenText: String { Self.text(of: screen) }

    /// The screen as text with, under each row that has cells in one of `marks`' attributes, a
    /// line marking those cells (see `annotatedText(of:marks:)`).
    public func screenText(marking marks: [StyleMark]) -> String { Self.annotatedText(of: screen, marks: marks) }

    /// `grid` as text: one line per row, wide characters once, trailing spaces trimmed.
    public static func text(of grid: CellGrid) -> String {
        (0..<grid.height).map { trimmed(grid.rowText($0)) }.joined(separator: "\n")
    }

    /// `grid` as text where each row is followed, for each mark whose attribute some cell in the
    /// row carries, by a line with the mark's symbol under those cells (one symbol per column, so
    /// a wide character gets two) — reverse video and dimming made visible in a golden file.
    public static func annotatedText(of grid: CellGrid, marks: [StyleMark]) -> String {
        var lines: [String] = []
        for y in 0..<grid.height {
            lines.append(trimmed(grid.rowText(y)))
            for mark in marks {
                var line = ""
                var any = false
                for x in 0..<grid.width {
                    if grid[x, y].style.attrs.contains(mark.attr) { line.append(mark.symbol); any = true } else { line.append(" ") }
                }
                if any { lines.append(trimmed(line)) }
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func trimmed(_ s: String) -> String {
        var s = Substring(s)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

/// How `TestBackend.annotatedText` shows one attribute: `#` under reversed cells, say.
public struct StyleMark: Sendable {
    public var attr: Attr
    public var symbol: Character
    public init(_ attr: Attr, _ symbol: Character) { self.attr = attr; self.symbol = symbol }
    public static let reverse = StyleMark(.reverse, "#")
    public static let dim = StyleMark(.dim, "~")
}
