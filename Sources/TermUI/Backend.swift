/// A place to draw cell grids and read key events from: the ncursesw terminal in the product,
/// `TestBackend` in tests.
public protocol Backend: AnyObject {
    /// Current size in columns and rows.
    var size: (width: Int, height: Int) { get }
    /// Whether colours can be shown; styles must be usable without them.
    var hasColors: Bool { get }
    /// Show `grid`, sending only the cells that differ from the last grid drawn.
    /// `cursor` is where the text cursor should stand, or nil to hide it.
    func draw(_ grid: CellGrid, cursor: (x: Int, y: Int)?)
    /// The next input event, waiting at most `timeoutMs` milliseconds (negative: wait for ever).
    /// Returns nil on timeout.
    func readEvent(timeoutMs: Int) -> KeyEvent?
}
