import Testing
import TermUI

let listHelp: [HelpEntry] = [
    .section("列表"),
    HelpEntry(keys: "↑ ↓", description: "上一行 / 下一行"),
    HelpEntry(keys: "PgUp PgDn", description: "上一页 / 下一页"),
    HelpEntry(keys: "Home End", description: "第一条 / 最后一条"),
    HelpEntry(keys: "Enter", description: "打开所选家庭"),
    HelpEntry(keys: "F3 或 /", description: "查找：输入姓名、拼音首字母（如 zsf 找张三丰）、身份证号或其后六位，边输入边筛选"),
    .section("通用"),
    HelpEntry(keys: "F1", description: "本帮助"),
    HelpEntry(keys: "F2 或 Ctrl-S", description: "保存"),
    HelpEntry(keys: "F10", description: "主菜单"),
    HelpEntry(keys: "Esc", description: "返回（有未保存的输入时先询问）"),
]

@Suite struct HelpViewTests {
    @Test func lineCountHasABlankBeforeEachLaterSection() {
        #expect(HelpView(entries: listHelp).lineCount == 12)
        #expect(HelpView(entries: Array(listHelp.dropFirst())).lineCount == 11)
    }

    @Test func keysScrollWithinTheContent() {
        var help = HelpView(entries: listHelp, pageSize: 5)
        var used = help.handle(.up)
        #expect(used)
        #expect(help.scroll == 0)
        used = help.handle(.pageDown)
        #expect(help.scroll == 5)
        used = help.handle(.pageDown)
        #expect(help.scroll == 7)
        used = help.handle(.down)
        #expect(help.scroll == 7)
        used = help.handle(.up)
        #expect(help.scroll == 6)
        used = help.handle(.home)
        #expect(help.scroll == 0)
        used = help.handle(.end)
        #expect(help.scroll == 7)
        used = help.handle(.escape)
        #expect(!used)
    }

    @Test func twoColumnsWithMarksForMoreAboveAndBelow() {
        var help = HelpView(entries: listHelp, pageSize: 4)
        var g = CellGrid(width: 40, height: 4)
        help.render(into: &g, x: 0, y: 0, width: 40, height: 4)
        #expect(g.rowText(0).trimmingSuffixSpaces == "列表")
        #expect(g[0, 0].style.attrs.contains(.bold))
        #expect(g.rowText(1).trimmingSuffixSpaces == "  ↑ ↓           上一行 / 下一行")
        #expect(g.rowText(3).hasSuffix("▼"))
        #expect(!g.rowText(0).hasSuffix("▲"))
        _ = help.handle(.pageDown)
        help.render(into: &g, x: 0, y: 0, width: 40, height: 4)
        #expect(g.rowText(0).hasSuffix("▲"))
        #expect(g.rowText(0).hasPrefix("  Enter"))
        #expect(g.rowText(1).contains("查找：输入姓名") && g.rowText(1).contains("…"))
        expectConsistent(g)
    }
}

@Suite struct TooSmallTests {
    @Test(arguments: [(79, 24), (80, 23), (40, 10), (3, 1), (0, 0)])
    func belowTheMinimumOnlyTheMessageShows(_ width: Int, _ height: Int) {
        var g = CellGrid(width: width, height: height)
        g.fill(x: 0, y: 0, width: width, height: height, style: Style(attrs: .reverse))
        g.put("旧的内容", x: 0, y: 0)
        #expect(renderTooSmall(into: &g))
        let lines = (0..<height).map { g.rowText($0).trimmingCharacters(in: " ") }
        #expect(lines.filter { !$0.isEmpty }.count == (width > 0 && height > 0 ? 1 : 0))
        #expect(!lines.contains { $0.contains("旧的内容") })
        #expect(g.cells.allSatisfy { $0.style == .plain })
        if width >= 60, height > 0 {
            #expect(lines[(height - 1) / 2].contains("请放大窗口"))
        }
    }

    @Test func atTheMinimumNothingIsTouched() {
        var g = CellGrid(width: 80, height: 24)
        g.put("家庭户籍", x: 0, y: 0)
        let before = g
        #expect(!renderTooSmall(into: &g))
        #expect(g == before)
    }

    @Test func theMessageIsCentered() {
        var g = CellGrid(width: 60, height: 20)
        renderTooSmall(into: &g, message: "请放大窗口")
        #expect(g.rowText(9) == String(repeating: " ", count: 25) + "请放大窗口" + String(repeating: " ", count: 25))
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> Substring {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return s
    }
}
