import PropertyBased
import Testing
import TermUI

/// Strings made only of scalars that are each a character of their own are measured and drawn
/// scalar by scalar; every other string character by character. Both ways must agree.
@Suite struct FastPathTests {
    /// Pieces mixing the fast path's scalars with everything that forces the slow one:
    /// combining marks, joiners, emoji with selectors and modifiers, Hangul jamo, CR LF, controls.
    static let pieces: [String] = [
        "a", "Z", " ", "~", "张", "三", "龥", "，", "。", "　", "（", "）", "Ａ", "…", "·", "×", "—", "“", "”",
        "↑", "↓", "─", "│", "┌", "▲", "▼", "〰",
        "e\u{301}", "\u{301}", "\u{200D}", "\u{200B}", "👍", "🏽", "\u{FE0F}", "❤", "가", "\u{1100}", "\u{1161}",
        "\r", "\n", "\t", "\u{1B}", "\u{3099}", "ｱ", "\u{2028}",
    ]
    static let text = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...12).map { (picks: [Int]) -> String in picks.map { pieces[$0] }.joined() }

    @Test func stringWidthIsTheSumOfItsCharacters() async {
        await propertyCheck(count: 400, input: Self.text) { (s: String) in
            #expect(TextWidth.of(s) == s.reduce(0) { $0 + TextWidth.of($1) }, "\(s.debugDescription)")
        }
    }

    @Test func putDrawsTheSameEitherWay() async {
        // A trailing control character draws nothing but sends the string down the slow path.
        await propertyCheck(count: 400, input: Self.text, Gen.int(in: -3...12), Gen.int(in: 0...14)) { (s: String, x: Int, maxWidth: Int) in
            var fast = CellGrid(width: 14, height: 1)
            var slow = CellGrid(width: 14, height: 1)
            fast.put("宽宽宽宽宽宽宽", x: 0, y: 0)
            slow.put("宽宽宽宽宽宽宽", x: 0, y: 0)
            let a = fast.put(s, x: x, y: 0, style: Style(attrs: .bold), maxWidth: maxWidth)
            let b = slow.put(s + "\u{1}", x: x, y: 0, style: Style(attrs: .bold), maxWidth: maxWidth)
            #expect(a == b, "\(s.debugDescription) at \(x) in \(maxWidth)")
            #expect(fast == slow, "\(s.debugDescription) at \(x) in \(maxWidth)")
        }
    }
}
