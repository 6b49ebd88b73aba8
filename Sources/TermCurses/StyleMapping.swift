import CNcursesw
import TermUI

/// How `Style.attrs` become curses attribute bits on one terminal. Pure: the bits and what the
/// terminal supports are given, so the mapping is tested without a terminal.
public struct AttributeMap: Equatable, Sendable {
    public var bold: attr_t
    public var reverse: attr_t
    public var underline: attr_t
    /// Zero when the terminal cannot dim (vt100): dimmed items then draw normally, and the
    /// app says in text why an item is unavailable, so nothing is lost.
    public var dim: attr_t

    public init(bold: attr_t, reverse: attr_t, underline: attr_t, dim: attr_t) {
        self.bold = bold; self.reverse = reverse; self.underline = underline; self.dim = dim
    }

    /// The real A_* bits, keeping only those in `supported` (curses' `term_attrs()`).
    /// Bold, reverse and underline are kept even if terminfo does not list them: curses then
    /// simply draws without them, whereas a missing dim is worth knowing about.
    public static func curses(supported: attr_t) -> AttributeMap {
        AttributeMap(bold: jz_a_bold(), reverse: jz_a_reverse(), underline: jz_a_underline(),
                     dim: supported & jz_a_dim())
    }

    public func attributes(for attrs: Attr) -> attr_t {
        var a: attr_t = 0
        if attrs.contains(.bold) { a |= bold }
        if attrs.contains(.reverse) { a |= reverse }
        if attrs.contains(.underline) { a |= underline }
        if attrs.contains(.dim) { a |= dim }
        return a
    }
}

/// Colour pairs, allocated the first time a (foreground, background) combination is drawn.
/// Pure bookkeeping; the backend calls `init_pair` when `pair(fg:bg:)` reports a new pair.
public struct ColorPairCache: Sendable {
    /// Pairs the terminal offers (COLOR_PAIRS); pair 0 is the terminal's own and never changed.
    public let maxPairs: Int
    /// Whether `use_default_colors` worked, so -1 ("the terminal's colour") may be used in a pair.
    public let defaultColorsAvailable: Bool
    private var pairs: [Key: Int16] = [:]
    private var next: Int16 = 1

    private struct Key: Hashable, Sendable { var fg: Int16; var bg: Int16 }

    public init(maxPairs: Int, defaultColorsAvailable: Bool) {
        self.maxPairs = min(maxPairs, Int(Int16.max))
        self.defaultColorsAvailable = defaultColorsAvailable
    }

    /// Curses colour numbers for `fg`/`bg`. Without default colours, `.default` becomes white
    /// on black, which is what pair 0 shows on such terminals.
    public func colorNumbers(fg: Color, bg: Color) -> (fg: Int16, bg: Int16) {
        func number(_ c: Color, fallback: Color) -> Int16 {
            if c == .default && !defaultColorsAvailable { return Int16(fallback.rawValue) }
            return Int16(c.rawValue)
        }
        return (number(fg, fallback: .white), number(bg, fallback: .black))
    }

    /// The pair for this combination, and whether it was just allocated (so `init_pair` is due).
    /// When the terminal runs out of pairs the answer is pair 0: colour is lost, never text.
    public mutating func pair(fg: Color, bg: Color) -> (pair: Int16, isNew: Bool) {
        let n = colorNumbers(fg: fg, bg: bg)
        let plain = colorNumbers(fg: .default, bg: .default)
        if n == plain { return (0, false) }
        let key = Key(fg: n.fg, bg: n.bg)
        if let p = pairs[key] { return (p, false) }
        guard Int(next) < maxPairs else { return (0, false) }
        let p = next
        next += 1
        pairs[key] = p
        return (p, true)
    }

    /// Forget every pair (after the terminal's colours were reset).
    public mutating func reset() {
        pairs = [:]
        next = 1
    }
}
