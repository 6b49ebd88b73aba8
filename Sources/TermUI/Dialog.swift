/// The drawing MessageBox and ConfirmBox share: a box centered on the grid with the title in its
/// border, the message wrapped inside, and a row of buttons, the focused one in reverse video.
enum Dialog {
    /// The widest a dialog gets, so its lines stay short enough to read at a glance.
    static let maxWidth = 64

    static func render(into grid: inout CellGrid, title: String, message: String, buttons: [String],
                       focus: Int, chars: BoxChars, style: Style) {
        let boxMax = min(grid.width - 2, maxWidth)
        guard boxMax >= 8, grid.height >= 5 else { return }
        var lines = wrap(message, width: boxMax - 4)
        // Two borders, a blank line above and below the text, and the buttons.
        let maxLines = max(1, grid.height - 5)
        if lines.count > maxLines {
            lines.removeLast(lines.count - maxLines)
            let last = lines[maxLines - 1]
            lines[maxLines - 1] = TextWidth.prefix(last, fitting: boxMax - 5) + "…"
        }
        let labels = buttons.map { "[ \($0) ]" }
        let buttonsWidth = labels.reduce(0) { $0 + $1.displayWidth } + 2 * max(0, labels.count - 1)
        let textWidth = lines.reduce(0) { max($0, $1.displayWidth) }
        let inner = min(boxMax - 4, max(textWidth, title.displayWidth + 2, buttonsWidth, 16))
        let boxWidth = inner + 4
        let boxHeight = lines.count + 5
        let bx = (grid.width - boxWidth) / 2
        let by = max(0, (grid.height - boxHeight) / 2)

        grid.drawBox(x: bx, y: by, width: boxWidth, height: boxHeight, title: title, chars: chars, style: style)
        for (i, line) in lines.enumerated() {
            grid.put(line, x: bx + 2, y: by + 2 + i, style: style, maxWidth: inner)
        }
        var col = bx + 2 + max(0, (inner - buttonsWidth) / 2)
        for (i, label) in labels.enumerated() {
            var buttonStyle = style
            if i == focus { buttonStyle.attrs.insert(.reverse) }
            col += grid.put(label, x: col, y: by + boxHeight - 2, style: buttonStyle, maxWidth: bx + 2 + inner - col) + 2
        }
    }
}
