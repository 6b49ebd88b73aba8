/// One entry of a `Menu`.
public struct MenuItem: Equatable, Sendable {
    /// The key that activates the item directly (`1` for 家庭户籍).
    public var hotkey: Character
    public var label: String
    public var isEnabled: Bool
    /// Why the item cannot be used, shown beside it ("仅管理员可用").
    public var disabledReason: String?

    public init(hotkey: Character, label: String, isEnabled: Bool = true, disabledReason: String? = nil) {
        self.hotkey = hotkey; self.label = label; self.isEnabled = isEnabled; self.disabledReason = disabledReason
    }
}

/// A vertical menu with hotkeys. Disabled items stay in the list and can be selected — a user
/// should see what exists and why it is closed to them — but never activate.
public struct Menu: Equatable, Sendable {
    /// What a key did to the menu.
    public enum Action: Equatable, Sendable {
        /// Not a menu key.
        case ignored
        /// A menu key that changed nothing (Up on the first item).
        case stayed
        case moved
        /// The item at this index was chosen, by Enter or its hotkey.
        case activated(Int)
        /// The item at this index was chosen but is disabled; it is now selected so its reason shows.
        case refused(Int)

        /// Whether the menu used the key.
        public var consumed: Bool { self != .ignored }
    }

    public var items: [MenuItem]
    /// Index of the selected item.
    public var selection: Int

    public init(items: [MenuItem], selection: Int = 0) {
        self.items = items
        self.selection = selection
    }

    /// Up/Down/Home/End move (stopping at the ends), Enter activates the selected item, a hotkey
    /// (letters in either case) selects and activates its item.
    public mutating func handle(_ key: KeyEvent) -> Action {
        guard !items.isEmpty else { return .ignored }
        switch key {
        case .up: return select(selection - 1)
        case .down: return select(selection + 1)
        case .home, .pageUp: return select(0)
        case .end, .pageDown: return select(items.count - 1)
        case .enter: return activate(selection)
        case .char(let c):
            let wanted = c.lowercased()
            guard let i = items.firstIndex(where: { $0.hotkey.lowercased() == wanted }) else { return .ignored }
            selection = i
            return activate(i)
        default: return .ignored
        }
    }

    private mutating func select(_ index: Int) -> Action {
        let clamped = min(max(0, index), items.count - 1)
        guard clamped != selection else { return .stayed }
        selection = clamped
        return .moved
    }

    private func activate(_ index: Int) -> Action {
        guard items.indices.contains(index) else { return .stayed }
        return items[index].isEnabled ? .activated(index) : .refused(index)
    }

    /// Draw one item per row: hotkey, label and, for a disabled item, its reason (or
    /// `unavailableText` when it has none) — dimmed, and readable where dim does not show.
    /// The selected item is in reverse video across `width`. If the items do not fit in
    /// `height` rows, the list scrolls to keep the selection in view.
    public func render(into grid: inout CellGrid, x: Int, y: Int, width: Int, height: Int,
                       style: Style = .plain, unavailableText: String = "不可用") {
        guard width > 0, height > 0 else { return }
        grid.fill(x: x, y: y, width: width, height: height, style: style)
        let labelWidth = items.reduce(0) { max($0, $1.label.displayWidth) }
        let first = selection >= height ? selection - height + 1 : 0
        for row in 0..<min(height, items.count - first) {
            let i = first + row
            let item = items[i]
            var itemStyle = style
            if !item.isEnabled { itemStyle.attrs.insert(.dim) }
            if i == selection { itemStyle.attrs.insert(.reverse) }
            let rowY = y + row
            grid.fill(x: x, y: rowY, width: width, height: 1, style: itemStyle)
            // " 1  家庭户籍  reason": labels padded to the widest so the reasons line up.
            grid.put(String(item.hotkey), x: x + 1, y: rowY, style: itemStyle, maxWidth: width - 1)
            let labelX = x + 1 + TextWidth.of(item.hotkey) + 2
            grid.putFitted(item.label, x: labelX, y: rowY, width: x + width - labelX, style: itemStyle)
            if !item.isEnabled {
                let reasonX = labelX + labelWidth + 2
                grid.putFitted(item.disabledReason ?? unavailableText, x: reasonX, y: rowY,
                               width: x + width - reasonX, style: itemStyle)
            }
        }
    }
}
