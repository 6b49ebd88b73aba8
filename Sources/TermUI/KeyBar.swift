/// One key on the `KeyBar`: the key's name and what it does here.
public struct KeyBarItem: Equatable, Sendable {
    public var key: String
    public var label: String
    public init(_ key: String, _ label: String) { self.key = key; self.label = label }
}

/// The bottom line of every screen: `F1 帮助  F2 保存  Esc 返回`.
public struct KeyBar: Equatable, Sendable {
    public var items: [KeyBarItem]
    public init(_ items: [KeyBarItem]) { self.items = items }

    /// Draw the items in order, key in `keyStyle` (reverse and bold, so keys stand out without
    /// colour), two spaces between items. An item that does not fit whole is left out with all
    /// after it, so no key is shown without its meaning. Returns how many items were drawn.
    @discardableResult
    public func render(into grid: inout CellGrid, x: Int, y: Int, width: Int,
                       keyStyle: Style = Style(attrs: [.reverse, .bold]), labelStyle: Style = .plain) -> Int {
        guard width > 0 else { return 0 }
        grid.fill(x: x, y: y, width: width, height: 1, style: labelStyle)
        var col = 0
        var drawn = 0
        for item in items {
            let start = drawn == 0 ? 0 : col + 2
            let itemWidth = item.key.displayWidth + 1 + item.label.displayWidth
            guard start + itemWidth <= width else { break }
            let keyWidth = grid.put(item.key, x: x + start, y: y, style: keyStyle)
            grid.put(item.label, x: x + start + keyWidth + 1, y: y, style: labelStyle)
            col = start + itemWidth
            drawn += 1
        }
        return drawn
    }
}
