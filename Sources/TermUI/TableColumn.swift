/// One column of a `TableView`.
public struct TableColumn: Equatable, Sendable {
    public typealias Alignment = TextAlignment

    public var title: String
    /// Columns the column wants on screen (display columns: a Chinese character takes two).
    public var width: Int
    public var alignment: Alignment
    /// Share of the spare width this column takes when the table is wider than its columns
    /// (0: a fixed width). Flex columns are also the first to give up width when it is short.
    public var flex: Int
    /// nil: always shown. A number makes the column optional: when the table is too narrow,
    /// optional columns are dropped, lowest priority first.
    public var priority: Int?

    public init(_ title: String, width: Int, alignment: Alignment = .left, flex: Int = 0, priority: Int? = nil) {
        self.title = title; self.width = width; self.alignment = alignment; self.flex = flex; self.priority = priority
    }
}

/// Where a column lands on screen: the index into the table's columns (and each row's cells),
/// its first screen column relative to the table, and its width.
public struct ColumnSlot: Equatable, Sendable {
    public var column: Int
    public var x: Int
    public var width: Int
}

public enum TableLayout {
    /// A column never shrinks below this many display columns (two Chinese characters, or one
    /// and the ellipsis).
    public static let minimumColumnWidth = 4

    /// Place `columns` in `width` display columns with `gap` spaces between neighbours.
    ///
    /// Too narrow: optional columns are dropped (lowest priority first, the rightmost of equals
    /// first), then flex columns shrink, then any column, down to `minimumColumnWidth`; what
    /// still does not fit is cut at the right edge. Too wide: flex columns share the spare
    /// width by their weights.
    public static func layout(_ columns: [TableColumn], width: Int, gap: Int = 1) -> [ColumnSlot] {
        var shown = Array(columns.indices)
        var widths = columns.map { max(0, $0.width) }
        func needed() -> Int { shown.reduce(0) { $0 + widths[$1] } + gap * max(0, shown.count - 1) }

        while needed() > width {
            let optional = shown.enumerated().filter { columns[$0.element].priority != nil }
            guard let drop = optional.min(by: { a, b in
                let pa = columns[a.element].priority!, pb = columns[b.element].priority!
                return pa != pb ? pa < pb : a.offset > b.offset
            }) else { break }
            shown.remove(at: drop.offset)
        }

        var excess = needed() - width
        for flexOnly in [true, false] where excess > 0 {
            // Take one column at a time from the widest, so shrinking spreads evenly.
            while excess > 0 {
                let candidates = shown.filter { (!flexOnly || columns[$0].flex > 0) && widths[$0] > minimumColumnWidth }
                guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { break }
                widths[widest] -= 1
                excess -= 1
            }
        }

        let spare = width - needed()
        let totalFlex = shown.reduce(0) { $0 + max(0, columns[$1].flex) }
        if spare > 0, totalFlex > 0 {
            var given = 0
            for i in shown where columns[i].flex > 0 {
                let share = spare * columns[i].flex / totalFlex
                widths[i] += share
                given += share
            }
            // The rounding remainder goes to the first flex columns, one each.
            for i in shown where columns[i].flex > 0 && given < spare {
                widths[i] += 1
                given += 1
            }
        }

        var slots: [ColumnSlot] = []
        var x = 0
        for i in shown {
            slots.append(ColumnSlot(column: i, x: x, width: widths[i]))
            x += widths[i] + gap
        }
        return slots
    }
}
