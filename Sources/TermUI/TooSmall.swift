/// The smallest screen the app lays out for; below it, only a request to enlarge the window.
public enum MinimumSize {
    public static let width = 80
    public static let height = 24

    /// Whether a grid this size is below the minimum.
    public static func isTooSmall(width: Int, height: Int) -> Bool {
        width < Self.width || height < Self.height
    }
}

/// If `grid` is below 80×24, clear it and draw `message` on one centered line (cut with "…" if
/// even that is too wide), and return true: the caller draws nothing else. A grid big enough is
/// left alone and the result is false.
@discardableResult
public func renderTooSmall(into grid: inout CellGrid,
                           message: String = "请放大窗口 / please enlarge the window (至少 80×24)") -> Bool {
    guard MinimumSize.isTooSmall(width: grid.width, height: grid.height) else { return false }
    grid.fill(x: 0, y: 0, width: grid.width, height: grid.height)
    guard grid.width > 0, grid.height > 0 else { return true }
    grid.putFitted(message, x: 0, y: (grid.height - 1) / 2, width: grid.width,
                      alignment: .center, style: .plain)
    return true
}
