/// One line of a help screen: keys and what they do, or a section heading.
public struct HelpEntry: Equatable, Sendable {
    public var keys: String
    public var description: String
    public var isSection: Bool

    public init(keys: String, description: String) {
        self.keys = keys; self.description = description; isSection = false
    }

    /// A heading that groups the entries after it ("列表", "编辑").
    public static func section(_ title: String) -> HelpEntry {
        var entry = HelpEntry(keys: "", description: title)
        entry.isSection = true
        return entry
    }
}

/// Keys and what they do, in two columns, scrollable — the F1 screen, generated from the keymap.
public struct HelpView: Equatable, Sendable {
    public var entries: [HelpEntry]
    /// First line shown.
    public private(set) var scroll = 0
    /// Lines visible at once: the distance PgUp and PgDn move. Set it from the layout.
    public var pageSize: Int

    public init(entries: [HelpEntry], pageSize: Int = 20) {
        self.entries = entries
        self.pageSize = max(1, pageSize)
    }

    /// Lines the help takes: one per entry, and a blank line before each section but the first.
    public var lineCount: Int {
        entries.indices.reduce(0) { $0 + (entries[$1].isSection && $1 > 0 ? 2 : 1) }
    }

    /// Up/Down scroll a line, PgUp/PgDn (and Space) a page, Home/End to the ends.
    public mutating func handle(_ key: KeyEvent) -> Bool {
        let last = max(0, lineCount - pageSize)
        switch key {
        case .up: scroll -= 1
        case .down: scroll += 1
        case .pageUp: scroll -= pageSize
        case .pageDown, .char(" "): scroll += pageSize
        case .home: scroll = 0
        case .end: scroll = last
        default: return false
        }
        scroll = min(max(0, scroll), last)
        return true
    }

    /// Draw the keys in a column as wide as the widest keys (at most a third of `width`), the
    /// descriptions beside them, section headings in bold. Lines that do not fit are cut with
    /// "…". ▲ and ▼ at the right edge say there is more above or below.
    public func render(into grid: inout CellGrid, x: Int, y: Int, width: Int, height: Int, style: Style = .plain) {
        guard width > 0, height > 0 else { return }
        grid.fill(x: x, y: y, width: width, height: height, style: style)
        let keysWidth = min(width / 3, entries.reduce(0) { $1.isSection ? $0 : max($0, $1.keys.displayWidth) })
        let descX = keysWidth + 2
        var bold = style
        bold.attrs.insert(.bold)

        let first = min(scroll, max(0, lineCount - height))
        var line = 0
        for (i, entry) in entries.enumerated() {
            if entry.isSection, i > 0 { line += 1 }
            defer { line += 1 }
            guard line >= first else { continue }
            let row = y + line - first
            if row >= y + height { break }
            if entry.isSection {
                grid.putFitted(entry.description, x: x, y: row, width: width - 1, alignment: .left, style: bold)
            } else {
                grid.putFitted(entry.keys, x: x + 2, y: row, width: keysWidth, alignment: .left, style: style)
                grid.putFitted(entry.description, x: x + 2 + descX, y: row,
                                  width: width - 3 - descX, alignment: .left, style: style)
            }
        }
        if first > 0 { grid.put("▲", x: x + width - 1, y: y, style: style) }
        if first + height < lineCount { grid.put("▼", x: x + width - 1, y: y + height - 1, style: style) }
    }
}
