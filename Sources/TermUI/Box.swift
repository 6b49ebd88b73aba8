/// The characters a box is drawn with. Line-drawing characters are the default; `.ascii` is for
/// terminals or fonts that show them badly (some serial consoles, some Windows SSH clients).
public struct BoxChars: Equatable, Sendable {
    public var topLeft: Character
    public var topRight: Character
    public var bottomLeft: Character
    public var bottomRight: Character
    public var horizontal: Character
    public var vertical: Character

    public init(topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character,
                horizontal: Character, vertical: Character) {
        self.topLeft = topLeft; self.topRight = topRight
        self.bottomLeft = bottomLeft; self.bottomRight = bottomRight
        self.horizontal = horizontal; self.vertical = vertical
    }

    public static let unicode = BoxChars(topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
                                         horizontal: "─", vertical: "│")
    public static let ascii = BoxChars(topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
                                       horizontal: "-", vertical: "|")
}

extension CellGrid {
    /// Draw a box border on the rectangle and clear its inside, so the box hides what was under it.
    /// A title, if any, sits in the top border (`┌─ 标题 ───┐`), cut to fit.
    public mutating func drawBox(x: Int, y: Int, width w: Int, height h: Int, title: String? = nil,
                                 chars: BoxChars = .unicode, style: Style = .plain) {
        guard w >= 2, h >= 2 else { return }
        fill(x: x + 1, y: y + 1, width: w - 2, height: h - 2, style: style)
        let horizontal = String(repeating: chars.horizontal, count: w - 2)
        put(String(chars.topLeft) + horizontal + String(chars.topRight), x: x, y: y, style: style)
        put(String(chars.bottomLeft) + horizontal + String(chars.bottomRight), x: x, y: y + h - 1, style: style)
        let side = String(chars.vertical)
        for row in (y + 1)..<(y + h - 1) {
            put(side, x: x, y: row, style: style)
            put(side, x: x + w - 1, y: row, style: style)
        }
        if let title, !title.isEmpty, w >= 6 {
            // One border character, a space, the title, a space: keep the corners.
            let room = w - 6
            let shown = title.displayWidth <= room ? title : TextWidth.prefix(title, fitting: room - 1) + "…"
            put(" " + shown + " ", x: x + 2, y: y, style: style)
        }
    }
}
