import Testing
import TermUI

@Suite struct TextAreaLayoutTests {
    @Test func mixedChineseAndAsciiWrapWithoutSplittingWords() {
        let a = TextArea("家中老人长期卧床abc defg")
        #expect(a.rows(width: 10) == ["家中老人长", "期卧床abc ", "defg"])
        #expect(a.rowCount(width: 10) == 3)
        #expect(TextArea("hello world foo").rows(width: 8) == ["hello ", "world ", "foo"])
        // A phone number moves to the next row whole; only a word longer than a row is cut.
        #expect(TextArea("电话13800001111").rows(width: 12) == ["电话", "13800001111"])
        #expect(TextArea("电话13800001111").rows(width: 8) == ["电话", "13800001", "111"])
    }

    @Test func aWideCharacterIsNeverSplitAcrossRows() {
        #expect(TextArea("ab家中").rows(width: 5) == ["ab家", "中"])
        #expect(TextArea("家中老").rows(width: 3) == ["家", "中", "老"])
    }

    @Test func lineBreaksAlwaysBreak() {
        #expect(TextArea("第一行\n\n第三行").rows(width: 20) == ["第一行", "", "第三行"])
        #expect(TextArea("").rowCount(width: 10) == 1)
        #expect(TextArea("a\n").rowCount(width: 10) == 2)
    }

    /// The cursor after a line that fills its row needs a cell: the line gets an empty row.
    @Test func aLineFillingItsRowGetsARowForTheCursor() {
        #expect(TextArea("abcd").rows(width: 4) == ["abcd", ""])
        #expect(TextArea("abc").rows(width: 4) == ["abc"])
        #expect(TextArea("家中\n老").rows(width: 4) == ["家中", "", "老"])
        let a = TextArea("家中")
        #expect(position(a, width: 4) == [1, 0])
    }

    @Test func everyCursorPositionIsOnScreenOnTheCharacterAfterIt() {
        let text = "家中老人长期卧床，儿子ZhangSan在外务工。\n\n电话13800001111 (白天) 联系人：李四"
        let chars = Array(text)
        for width in 2...24 {
            var a = TextArea(text)
            let rows = a.rows(width: width)
            #expect(rows.joined() == String(chars.filter { $0 != "\n" }), "width \(width)")
            #expect(rows.allSatisfy { $0.displayWidth <= width }, "width \(width): \(rows)")
            for cursor in 0...chars.count {
                a.cursor = cursor
                var g = CellGrid(width: width, height: rows.count)
                guard let at = a.render(into: &g, x: 0, y: 0, width: width, height: rows.count) else {
                    Issue.record("no cursor at width \(width)"); continue
                }
                #expect(at.x >= 0 && at.x < width && at.y >= 0 && at.y < rows.count, "width \(width) cursor \(cursor)")
                #expect(!g[at.x, at.y].isContinuation, "width \(width) cursor \(cursor)")
                if cursor < chars.count, chars[cursor] != "\n" {
                    #expect(g[at.x, at.y].text == String(chars[cursor]), "width \(width) cursor \(cursor)")
                }
                expectConsistent(g)
            }
        }
    }
}

/// The cursor's row and column as one comparable value.
func position(_ a: TextArea, width: Int) -> [Int] {
    let p = a.cursorPosition(width: width)
    return [p.row, p.column]
}

@Suite struct TextAreaKeyTests {
    @Test func upAndDownMoveByWrappedRows() {
        // Rows at width 6: 家中老 | 人长期 | 卧床
        var a = TextArea("家中老人长期卧床", layoutWidth: 6)
        a.cursor = 0
        let used1 = a.handle(.down)
        #expect(used1)
        #expect(a.cursor == 3)
        _ = a.handle(.right)
        #expect(position(a, width: 6) == [1, 2])
        let used2 = a.handle(.down)
        #expect(used2)
        #expect(a.cursor == 7)
        let used3 = a.handle(.down)
        #expect(!used3)
        #expect(a.cursor == 7)
        let used4 = a.handle(.up)
        #expect(used4)
        #expect(a.cursor == 4)
        let used5 = a.handle(.up)
        #expect(used5)
        #expect(a.cursor == 1)
        let used6 = a.handle(.up)
        #expect(!used6)
        #expect(a.cursor == 1)
    }

    @Test func theColumnIsKeptAcrossAShortRow() {
        var a = TextArea("abcdefgh\nab\nabcdefgh", layoutWidth: 20)
        a.cursor = 6
        _ = a.handle(.down)
        #expect(a.cursor == 11)
        _ = a.handle(.down)
        #expect(a.cursor == 18)
        #expect(position(a, width: 20) == [2, 6])
    }

    @Test func aColumnInsideAWideCharacterStopsBeforeIt() {
        var a = TextArea("ab家中\nabcdef", layoutWidth: 20)
        a.cursor = 8
        #expect(position(a, width: 20) == [1, 3])
        _ = a.handle(.up)
        #expect(a.cursor == 2)
    }

    @Test func homeAndEndGoToTheEndsOfTheVisualRow() {
        var a = TextArea("家中老人长期卧床", layoutWidth: 6)
        a.cursor = 4
        _ = a.handle(.end)
        // A wrapped row's end is the next row's start, so End stops before its last character.
        #expect(a.cursor == 5)
        _ = a.handle(.home)
        #expect(a.cursor == 3)
        a.cursor = 7
        _ = a.handle(.end)
        #expect(a.cursor == 8)
        _ = a.handle(.home)
        #expect(a.cursor == 6)
        var b = TextArea("hello world foo", layoutWidth: 8)
        b.cursor = 0
        _ = b.handle(.end)
        #expect(b.cursor == 5)
    }

    @Test func leftAndRightCrossLineBreaks() {
        var a = TextArea("ab\ncd")
        a.cursor = 2
        #expect(position(a, width: 10) == [0, 2])
        let used7 = a.handle(.right)
        #expect(used7)
        #expect(a.cursor == 3)
        #expect(position(a, width: 10) == [1, 0])
        let used8 = a.handle(.left)
        #expect(used8)
        #expect(position(a, width: 10) == [0, 2])
        _ = a.handle(.left); _ = a.handle(.left); _ = a.handle(.left)
        #expect(a.cursor == 0)
    }

    @Test func backspaceOnALineBreakJoinsTheLines() {
        var a = TextArea("第一行\n第二行")
        a.cursor = 4
        let used9 = a.handle(.backspace)
        #expect(used9)
        #expect(a.value == "第一行第二行")
        #expect(a.cursor == 3)
        var b = TextArea("第一行\n第二行")
        b.cursor = 3
        let used10 = b.handle(.delete)
        #expect(used10)
        #expect(b.value == "第一行第二行")
        #expect(b.cursor == 3)
        _ = b.handle(.backspace)
        #expect(b.value == "第一第二行")
    }

    @Test func enterStartsALineOnlyWhenAskedButCtrlJAlways() {
        var a = TextArea("ab")
        let used11 = a.handle(.enter)
        #expect(!used11)
        #expect(a.value == "ab")
        let used12 = a.handle(.ctrl("j"))
        #expect(used12)
        #expect(a.value == "ab\n")
        #expect(a.cursor == 3)
        var b = TextArea("ab", enterInsertsNewline: true)
        b.cursor = 1
        let used13 = b.handle(.enter)
        #expect(used13)
        #expect(b.value == "a\nb")
        #expect(b.cursor == 2)
    }

    @Test func pastedLineBreaksAreNormalised() {
        var a = TextArea()
        let used14 = a.handle(.text("一\r\n二\r三\n四\t五\u{7}"))
        #expect(used14)
        #expect(a.value == "一\n二\n三\n四 五")
        #expect(a.value.count == 9)
        #expect(a.cursor == 9)
        #expect(TextArea("a\r\nb\rc").value == "a\nb\nc")
        a.value = "x\r\ny"
        #expect(a.value == "x\ny")
        #expect(a.value.count == 3)
    }

    @Test func maxLengthCountsCharactersAndLineBreaks() {
        var a = TextArea(maxLength: 5)
        _ = a.handle(.text("家中\r\n老人长期"))
        #expect(a.value == "家中\n老人")
        #expect(a.lastRejected == ["长", "期"])
        let used15 = a.handle(.char("x"))
        #expect(used15)
        #expect(a.lastRejected == ["x"])
        _ = a.handle(.ctrl("j"))
        #expect(a.value == "家中\n老人")
        _ = a.handle(.backspace)
        #expect(a.lastRejected == [])
        _ = a.handle(.char("x"))
        #expect(a.value == "家中\n老x")
    }

    @Test func aCombiningMarkJoinsTheCharacterBeforeIt() {
        var a = TextArea("Cafe")
        _ = a.handle(.char("\u{301}"))
        #expect(a.value == "Caf\u{E9}")
        #expect(a.cursor == 4)
        _ = a.handle(.backspace)
        #expect(a.value == "Caf")
    }

    @Test(arguments: [KeyEvent.tab, .backTab, .escape, .pageUp, .pageDown, .function(2), .ctrl("s"), .enter])
    func keysForTheFormAreNotConsumed(_ key: KeyEvent) {
        var a = TextArea("家中\n老人")
        let used = a.handle(key)
        #expect(!used)
        #expect(a.value == "家中\n老人")
        #expect(a.cursor == 5)
    }

    @Test func upOnTheFirstRowAndDownOnTheLastAreForTheForm() {
        var a = TextArea("一行")
        let used16 = a.handle(.up)
        #expect(!used16)
        let used17 = a.handle(.down)
        #expect(!used17)
        #expect(a.cursor == 2)
    }
}

@Suite struct TextAreaRenderTests {
    // Rows at width 10: 第一行 | 第二行很长 | 很长的内容 | (empty: the line fills its row) | 第三行
    let text = "第一行\n第二行很长很长的内容\n第三行"

    @Test func scrollsToKeepTheCursorRowInView() {
        var a = TextArea(text, layoutWidth: 10, visibleRows: 2)
        #expect(a.rowCount(width: 10) == 5)
        var g = CellGrid(width: 12, height: 4)
        var at = a.render(into: &g, x: 1, y: 1, width: 10, height: 2)
        #expect(g.rowText(1).trimmingSuffixSpaces == "")
        #expect(g.rowText(2).trimmingSuffixSpaces == " 第三行")
        #expect(at.map { [$0.x, $0.y] } == [7, 2])
        _ = a.handle(.up)
        at = a.render(into: &g, x: 1, y: 1, width: 10, height: 2)
        #expect(g.rowText(2).trimmingSuffixSpaces == " 第三行")
        #expect(at.map { [$0.x, $0.y] } == [1, 1])
        // Up once more scrolls by one row only.
        _ = a.handle(.up)
        at = a.render(into: &g, x: 1, y: 1, width: 10, height: 2)
        #expect(g.rowText(1).trimmingSuffixSpaces == " 很长的内容")
        #expect(g.rowText(2).trimmingSuffixSpaces == "")
        #expect(at.map { [$0.x, $0.y] } == [7, 1])
        #expect(a.cursor == 12)
        _ = a.handle(.home); _ = a.handle(.up); _ = a.handle(.up)
        at = a.render(into: &g, x: 1, y: 1, width: 10, height: 2)
        #expect(g.rowText(1).trimmingSuffixSpaces == " 第一行")
        #expect(at.map { [$0.x, $0.y] } == [1, 1])
        expectConsistent(g)
    }

    @Test func theCursorIsShownEvenWhenTheLayoutSizeWasNotSet() {
        var a = TextArea(text)
        a.cursor = 0
        var g = CellGrid(width: 10, height: 2)
        _ = a.render(into: &g, x: 0, y: 0, width: 10, height: 2)
        #expect(g.rowText(0).trimmingSuffixSpaces == "第一行")
        a.cursor = text.count
        let at = a.render(into: &g, x: 0, y: 0, width: 10, height: 2)
        #expect(g.rowText(1).trimmingSuffixSpaces == "第三行")
        #expect(at.map { [$0.x, $0.y] } == [6, 1])
    }

    @Test func theAreaIsUnderlinedToItsExtent() {
        let a = TextArea("张三")
        var g = CellGrid(width: 8, height: 3)
        _ = a.render(into: &g, x: 1, y: 0, width: 6, height: 2)
        #expect((1..<7).allSatisfy { g[$0, 1].style.attrs.contains(.underline) })
        #expect(!g[7, 1].style.attrs.contains(.underline))
        #expect(!g[1, 2].style.attrs.contains(.underline))
        var none = CellGrid(width: 8, height: 3)
        #expect(a.render(into: &none, x: 0, y: 0, width: 0, height: 2) == nil)
    }
}
