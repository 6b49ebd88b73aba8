import Testing
import TermUI

@Suite struct TextWidthTests {
    @Test(arguments: [
        ("a", 1), ("张", 2), ("，", 2), ("。", 2), ("　", 2), ("Ａ", 2), ("가", 2), ("ｱ", 1),
        ("e\u{301}", 1), ("é", 1), ("👍", 2), ("👍🏽", 2), ("👨‍👩‍👧", 2), ("❤️", 2), ("❤", 1), ("…", 1),
        ("\u{301}", 0), ("\n", 0), ("\u{1B}", 0), ("\u{200B}", 0),
    ] as [(String, Int)])
    func characterWidth(_ text: String, _ expected: Int) {
        #expect(text.count == 1, "\(text.debugDescription) should be one Character")
        #expect(TextWidth.of(Character(text)) == expected)
    }

    @Test func stringWidth() {
        #expect(displayWidth("ＡＢ") == 4)
        #expect("张三ABC李四".displayWidth == 11)
        #expect(TextWidth.of("Cafe\u{301}") == 4)
        #expect("".displayWidth == 0)
    }

    @Test func prefixNeverCutsAWideCharacter() {
        #expect(TextWidth.prefix("张三ABC", fitting: 3) == "张")
        #expect(TextWidth.prefix("张三ABC", fitting: 4) == "张三")
        #expect(TextWidth.prefix("张三ABC", fitting: 5) == "张三A")
        #expect(TextWidth.prefix("张三", fitting: 1) == "")
    }

    @Test func suffixKeepsTheEnd() {
        #expect(TextWidth.suffix("张三ABC李四", fitting: 5) == "C李四")
        #expect(TextWidth.suffix("张三ABC李四", fitting: 3) == "四")
        #expect(TextWidth.suffix("ab", fitting: 10) == "ab")
    }

    @Test func fitCutsWithEllipsisAndPads() {
        #expect(TextWidth.fit("张三丰", 5, ellipsis: true) == "张三…")
        // Room for 3 columns before the ellipsis holds only one wide character; pad the rest.
        #expect(TextWidth.fit("张三丰", 4, ellipsis: true) == "张… ")
        #expect(TextWidth.fit("张三", 6) == "张三  ")
        #expect(TextWidth.fit("12", 5, alignRight: true) == "   12")
        #expect(TextWidth.fit("张三丰", 5) == "张三 ")
        #expect(TextWidth.fit("abc", 0) == "")
        for w in 0...8 { #expect(TextWidth.fit("欧阳明月abc", w, ellipsis: true).displayWidth == w) }
    }
}
