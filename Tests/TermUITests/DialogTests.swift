import Testing
import TermUI

@Suite struct BoxTests {
    @Test func boxWithTitleInBothCharacterSets() {
        var g = CellGrid(width: 12, height: 3)
        g.put("xxxxxxxxxxxx", x: 0, y: 1)
        g.drawBox(x: 1, y: 0, width: 10, height: 3, title: "提示")
        #expect(TestBackend.text(of: g) == " ┌─ 提示 ─┐\nx│        │x\n └────────┘")
        g.drawBox(x: 1, y: 0, width: 10, height: 3, title: "提示", chars: .ascii)
        #expect(TestBackend.text(of: g) == " +- 提示 -+\nx|        |x\n +--------+")
    }

    @Test func aLongTitleIsCutInsideTheCorners() {
        var g = CellGrid(width: 10, height: 2)
        g.drawBox(x: 0, y: 0, width: 10, height: 2, title: "很长很长的标题")
        #expect(g.rowText(0) == "┌─ 很… ──┐")
        expectConsistent(g)
    }
}

@Suite struct MessageBoxTests {
    @Test func enterChoosesTheFocusedButtonEscTheLast() {
        var box = MessageBox(title: "保存失败", message: "记录已被他人修改。", buttons: ["重新载入", "保留我的输入", "取消"])
        var chosen = box.handle(.right)
        #expect(chosen == nil)
        #expect(box.focus == 1)
        chosen = box.handle(.tab)
        chosen = box.handle(.tab)
        #expect(box.focus == 0)
        chosen = box.handle(.backTab)
        #expect(box.focus == 2)
        chosen = box.handle(.left)
        chosen = box.handle(.enter)
        #expect(chosen == 1)
        chosen = box.handle(.escape)
        #expect(chosen == 2)
        chosen = box.handle(.char("x"))
        #expect(chosen == nil)
    }

    @Test func theBoxIsCenteredAndTheTextWrapped() {
        let box = MessageBox(title: "提示", message: "这条记录已被另一位工作人员修改，你的输入已保留。请重新载入后再保存。")
        var g = CellGrid(width: 40, height: 12)
        box.render(into: &g)
        let text = TestBackend.text(of: g).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let top = text.firstIndex { $0.contains("┌") }!
        let bottom = text.firstIndex { $0.contains("┘") }!
        #expect(top == (12 - (bottom - top + 1)) / 2)
        #expect(text[top].contains("┌─ 提示 ─"))
        #expect(text[bottom - 1].contains("[ 确定 ]"))
        let left = text[top].firstIndex(of: "┌").map { text[top].distance(from: text[top].startIndex, to: $0) }!
        let width = text[top].displayWidth - left
        #expect(left == (40 - width) / 2)
        // The message comes back whole, in order, from the lines inside the box.
        let inside = text[(top + 1)..<(bottom - 1)].map { $0.filter { $0 != "│" && $0 != " " } }.joined()
        #expect(inside == "这条记录已被另一位工作人员修改，你的输入已保留。请重新载入后再保存。")
        let buttons = text[bottom - 1]
        let buttonColumn = buttons.prefix(upTo: buttons.range(of: "[ 确定 ]")!.lowerBound).displayWidth
        #expect((buttonColumn..<(buttonColumn + 8)).allSatisfy { g[$0, bottom - 1].style.attrs.contains(.reverse) })
        #expect(!g[buttonColumn - 1, bottom - 1].style.attrs.contains(.reverse))
        expectConsistent(g)
    }

    @Test func aMessageTooLongForTheScreenEndsInAnEllipsis() {
        let box = MessageBox(title: "说明", message: String(repeating: "很长的说明文字。", count: 80))
        var g = CellGrid(width: 80, height: 24)
        box.render(into: &g)
        let lines = TestBackend.text(of: g).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.contains("┌") == true)
        #expect(lines.last?.contains("┘") == true)
        #expect(lines.contains { $0.contains("…") })
    }
}

@Suite struct ConfirmBoxTests {
    @Test(arguments: [(KeyEvent.char("y"), ConfirmBox.Choice.yes), (.char("Y"), .yes), (.char("n"), .no), (.char("N"), .no), (.escape, .no)])
    func lettersAndEscDecideAtOnce(_ key: KeyEvent, _ expected: ConfirmBox.Choice) {
        var box = ConfirmBox(title: "确认", message: "放弃未保存的输入？", focus: .yes)
        #expect(box.handle(key) == expected)
    }

    @Test func enterTakesTheFocusWhichStartsOnNo() {
        var box = ConfirmBox(title: "确认", message: "放弃未保存的输入？")
        var decision = box.handle(.enter)
        #expect(decision == .no)
        decision = box.handle(.left)
        #expect(decision == nil)
        #expect(box.focus == .yes)
        decision = box.handle(.enter)
        #expect(decision == .yes)
        for key in [KeyEvent.right, .tab, .backTab] {
            decision = box.handle(key)
            #expect(decision == nil)
        }
        #expect(box.focus == .no)
        decision = box.handle(.char("张"))
        #expect(decision == nil)
    }

    @Test func theFocusedButtonIsReversed() {
        let box = ConfirmBox(title: "确认", message: "删除这条草稿？")
        var g = CellGrid(width: 80, height: 24)
        box.render(into: &g)
        let row = (0..<24).first { g.rowText($0).contains("[ 否(N) ]") }!
        let text = g.rowText(row)
        let yesColumn = text.prefix(upTo: text.range(of: "[ 是(Y) ]")!.lowerBound).displayWidth
        let noColumn = text.prefix(upTo: text.range(of: "[ 否(N) ]")!.lowerBound).displayWidth
        #expect(!g[yesColumn, row].style.attrs.contains(.reverse))
        #expect(g[noColumn, row].style.attrs.contains(.reverse))
        #expect(yesColumn < noColumn)
    }
}
