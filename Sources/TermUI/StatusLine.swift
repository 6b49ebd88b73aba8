/// A one-line status bar: where the user is on the left, counts or the user's name on the right.
public struct StatusLine: Equatable, Sendable {
    public var left: String
    public var right: String
    public init(left: String = "", right: String = "") { self.left = left; self.right = right }

    /// Draw the line in `style` (reverse video by default, to set it apart without colour), with
    /// a space at each end. The right text is kept whole when it can be; the left is cut with
    /// "…" to leave it room and a space between them.
    public func render(into grid: inout CellGrid, x: Int, y: Int, width: Int, style: Style = Style(attrs: .reverse)) {
        guard width > 0 else { return }
        grid.fill(x: x, y: y, width: width, height: 1, style: style)
        let inner = width - 2
        guard inner > 0 else { return }
        let rightWidth = min(right.displayWidth, inner)
        if rightWidth > 0 {
            let shown = rightWidth < right.displayWidth ? TextWidth.fit(right, rightWidth, ellipsis: true) : right
            grid.put(shown, x: x + 1 + inner - rightWidth, y: y, style: style, maxWidth: rightWidth)
        }
        let leftRoom = inner - rightWidth - (rightWidth > 0 ? 1 : 0)
        if leftRoom > 0, !left.isEmpty {
            let shown = left.displayWidth > leftRoom ? TextWidth.fit(left, leftRoom, ellipsis: true) : left
            grid.put(shown, x: x + 1, y: y, style: style, maxWidth: leftRoom)
        }
    }
}
