import Testing
import TermUI

@Suite struct TextFieldTests {
    func field(_ keys: [KeyEvent], _ start: TextField = TextField()) -> TextField {
        var f = start
        for k in keys { _ = f.handle(k) }
        return f
    }

    @Test func pasteThenBackspaceRemovesOneWholeCharacter() {
        var f = field([.text("张三ABC李四")])
        #expect(f.value == "张三ABC李四")
        #expect(f.cursor == 7)
        let used1 = f.handle(.backspace)
        #expect(used1)
        #expect(f.value == "张三ABC李")
        #expect(f.cursor == 6)
    }

    @Test func arrowsMoveByCharacterAndEditAtTheCursor() {
        var f = field([.text("张三ABC李四"), .home, .right, .right])
        #expect(f.cursor == 2)
        let used2 = f.handle(.delete)
        #expect(used2)
        #expect(f.value == "张三BC李四")
        _ = f.handle(.char("王"))
        #expect(f.value == "张三王BC李四")
        #expect(f.cursor == 3)
        _ = f.handle(.backspace); _ = f.handle(.backspace)
        #expect(f.value == "张BC李四")
        #expect(f.cursor == 1)
        _ = f.handle(.end)
        #expect(f.cursor == 5)
        _ = f.handle(.delete)
        #expect(f.value == "张BC李四")
    }

    func selected(_ v: String, filter: (@Sendable (Character) -> Bool)? = nil) -> TextField {
        var f = TextField(v, filter: filter)
        f.isSelected = true
        return f
    }

    @Test func aSelectedDefaultIsReplacedByTypingAndClearedByBackspace() {
        var f = field([.text("清退")], selected("不变"))
        #expect(f.value == "清退" && !f.isSelected)
        f = field([.char("调"), .char("整")], selected("不变"))
        #expect(f.value == "调整")
        f = field([.backspace], selected("2026-11-23"))
        #expect(f.value == "" && !f.isSelected)
        f = field([.delete, .text("x")], selected("2026-11-23"))
        #expect(f.value == "x")
    }

    @Test func movingKeepsTheSelectedDefaultForEditing() {
        var f = field([.end, .text("(补充)")], selected("入户核实"))
        #expect(f.value == "入户核实(补充)")
        f = field([.home, .char("再")], selected("核实"))
        #expect(f.value == "再核实" && f.cursor == 1)
    }

    @Test func aRejectedCharacterLeavesTheSelectedDefault() {
        let digits: @Sendable (Character) -> Bool = { $0.isASCII && $0.isNumber }
        let f = field([.char("a")], selected("30", filter: digits))
        #expect(f.value == "30")
        #expect(f.lastRejected == ["a"])
        #expect(field([.char("5")], selected("30", filter: digits)).value == "5")
    }

    @Test func aSelectedDefaultShowsInReverseVideo() {
        var g = CellGrid(width: 12, height: 1)
        _ = selected("不变").render(into: &g, x: 0, y: 0, width: 10)
        #expect(g[0, 0].style.attrs.contains(.reverse))
        var h = CellGrid(width: 12, height: 1)
        _ = selected("不变").render(into: &h, x: 0, y: 0, width: 10, showsSelection: false)
        #expect(!h[0, 0].style.attrs.contains(.reverse))
    }

    @Test func movingPastTheEndsStaysButIsConsumed() {
        var f = TextField("ab")
        let used3 = f.handle(.right)
        #expect(used3)
        #expect(f.cursor == 2)
        _ = f.handle(.home)
        let used4 = f.handle(.left)
        #expect(used4)
        let used5 = f.handle(.backspace)
        #expect(used5)
        #expect(f.cursor == 0)
        #expect(f.value == "ab")
    }

    @Test(arguments: [KeyEvent.enter, .tab, .backTab, .up, .down, .escape, .function(2), .ctrl("s"), .pageDown])
    func keysForTheFormAreNotConsumed(_ key: KeyEvent) {
        var f = TextField("张三")
        let used6 = f.handle(key)
        #expect(!used6)
        #expect(f.value == "张三")
    }

    @Test func cursorColumnCountsWideCharactersTwice() {
        var f = TextField()
        _ = f.handle(.char("张"))
        #expect(f.cursorColumn(width: 20) == 2)
        _ = f.handle(.char("三"))
        #expect(f.cursorColumn(width: 20) == 4)
        _ = f.handle(.char("A"))
        #expect(f.cursorColumn(width: 20) == 5)
        _ = f.handle(.left)
        #expect(f.cursorColumn(width: 20) == 4)
        var g = CellGrid(width: 30, height: 1)
        let x14 = f.render(into: &g, x: 10, y: 0, width: 20)
        #expect(x14 == 14)
    }

    @Test func combiningAndEmojiCharactersAreOneStep() {
        var f = field([.text("Cafe\u{301}👨‍👩‍👧")])
        #expect(f.cursor == 5)
        _ = f.handle(.backspace)
        #expect(f.value == "Cafe\u{301}")
        _ = f.handle(.backspace)
        #expect(f.value == "Caf")
    }

    @Test func maxLengthDropsTheRestAndSaysWhat() {
        var f = TextField(maxLength: 5)
        let used7 = f.handle(.text("张三ABC李四"))
        #expect(used7)
        #expect(f.value == "张三ABC")
        #expect(f.lastRejected == ["李", "四"])
        _ = f.handle(.char("x"))
        #expect(f.value == "张三ABC")
        #expect(f.lastRejected == ["x"])
        _ = f.handle(.backspace)
        #expect(f.lastRejected == [])
    }

    @Test func filterRejectsCharactersPerKeystroke() {
        var f = TextField(filter: { $0.isASCII && ($0.isNumber || $0 == "X") })
        _ = f.handle(.text("4401A06１9x"))
        #expect(f.value == "4401069")
        #expect(f.lastRejected == ["A", "１", "x"])
        let used8 = f.handle(.char("Q"))
        #expect(used8)
        #expect(f.value == "4401069")
        _ = f.handle(.char("X"))
        #expect(f.value == "4401069X")
    }

    @Test func pastedLineBreaksDoNotEnterTheField() {
        let f = field([.text("张三\n李四\r\n\t王")])
        #expect(f.value == "张三李四王")
    }

    @Test func settingTheValueKeepsTheCursorInside() {
        var f = TextField("张三ABC李四")
        f.value = "李"
        #expect(f.cursor == 1)
        f.cursor = 9
        #expect(f.cursor == 1)
        f.cursor = -2
        #expect(f.cursor == 0)
    }

    @Test func secureFieldShowsOneStarPerCharacter() {
        var f = TextField("密码ab", isSecure: true)
        var g = CellGrid(width: 12, height: 1)
        let x5 = f.render(into: &g, x: 1, y: 0, width: 10)
        #expect(x5 == 5)
        #expect(g.rowText(0) == " ****       ")
        _ = f.handle(.home)
        let x1 = f.render(into: &g, x: 1, y: 0, width: 10)
        #expect(x1 == 1)
        #expect(f.value == "密码ab")
    }

    @Test func aWideFieldShowsAllAndUnderlinesItsExtent() {
        let f = TextField("张三")
        var g = CellGrid(width: 10, height: 1)
        let x6 = f.render(into: &g, x: 2, y: 0, width: 6)
        #expect(x6 == 6)
        #expect(g.rowText(0) == "  张三    ")
        #expect((2..<8).allSatisfy { g[$0, 0].style.attrs.contains(.underline) })
        #expect(!g[8, 0].style.attrs.contains(.underline))
    }

    /// Width 8, text 11 columns: the end page holds `ABC李四` and the cursor cell; the page
    /// before it `张三` — and since it starts the text, as much as fits after it.
    @Test(arguments: [(0, "张三ABC ", 0), (1, "张三ABC ", 2), (2, "ABC李四", 0), (5, "ABC李四", 3), (7, "ABC李四", 7)])
    func aNarrowFieldShowsThePageWithTheCursor(_ cursor: Int, _ shown: String, _ column: Int) {
        var f = TextField("张三ABC李四")
        f.cursor = cursor
        var g = CellGrid(width: 8, height: 1)
        let x = f.render(into: &g, x: 0, y: 0, width: 8)
        #expect(g.rowText(0).trimmingSuffixSpaces == shown.trimmingSuffixSpaces)
        #expect(x == column)
        #expect(f.cursorColumn(width: 8) == column)
    }

    @Test func everyCursorPositionIsVisibleAndNeverOnHalfACharacter() {
        let text = "欧阳明月住在ABC村12组，电话13800001111"
        for width in 3...20 {
            var f = TextField(text)
            for cursor in 0...text.count {
                f.cursor = cursor
                var g = CellGrid(width: width, height: 1)
                let x = f.render(into: &g, x: 0, y: 0, width: width)
                #expect(x >= 0 && x < width, "width \(width) cursor \(cursor) at \(x)")
                #expect(!g[x, 0].isContinuation, "width \(width) cursor \(cursor)")
                if cursor < text.count, TextWidth.of(Array(text)[cursor]) <= width {
                    // The character after the cursor is the one drawn under it.
                    #expect(g[x, 0].text == String(Array(text)[cursor]), "width \(width) cursor \(cursor)")
                }
            }
        }
    }
}

extension String {
    var trimmingSuffixSpaces: Substring {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return s
    }
}
