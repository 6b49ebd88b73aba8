/// Where text sits in a space wider than itself.
public enum TextAlignment: Equatable, Sendable { case left, right, center }

extension CellGrid {
    /// Put `text` in a space `width` columns wide, aligned, cut with "…" if it does not fit
    /// (never half a wide character). Only the text's own cells are written, so a background
    /// drawn beforehand (a selection bar) stays. Returns the columns written.
    @discardableResult
    public mutating func putFitted(_ text: String, x: Int, y: Int, width: Int,
                                   alignment: TextAlignment = .left, style: Style = .plain) -> Int {
        guard width > 0 else { return 0 }
        var textWidth = text.displayWidth
        let shown: String
        if textWidth > width {
            // The common case (it fits) allocates nothing; only a cut builds a new string.
            shown = width >= 2 ? TextWidth.prefix(text, fitting: width - 1) + "…" : TextWidth.prefix(text, fitting: width)
            textWidth = shown.displayWidth
        } else {
            shown = text
        }
        let pad = width - textWidth
        let offset: Int
        switch alignment {
        case .left: offset = 0
        case .right: offset = pad
        case .center: offset = pad / 2
        }
        return put(shown, x: x + offset, y: y, style: style, maxWidth: width - offset)
    }
}
