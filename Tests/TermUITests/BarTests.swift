import Testing
import TermUI

let listKeys = KeyBar([KeyBarItem("F1", "帮助"), KeyBarItem("F2", "保存"), KeyBarItem("F3", "查找"), KeyBarItem("Esc", "返回")])

@Suite struct KeyBarTests {
    @Test func itemsWithKeysInReverseVideo() {
        var g = CellGrid(width: 40, height: 1)
        let drawn = listKeys.render(into: &g, x: 0, y: 0, width: 40)
        #expect(drawn == 4)
        #expect(g.rowText(0).trimmingSuffixSpaces == "F1 帮助  F2 保存  F3 查找  Esc 返回")
        #expect(g[0, 0].style.attrs == [.reverse, .bold])
        #expect(g[1, 0].style.attrs == [.reverse, .bold])
        #expect(g[2, 0].style.attrs == [])
        #expect(g[3, 0].style.attrs == [])
        #expect(g[9, 0].style.attrs.contains(.reverse))
    }

    /// "F1 帮助  F2 保存  F3 查找" is 25 columns; at 24 the third item goes whole.
    @Test(arguments: [(25, 3), (24, 2), (16, 2), (15, 1), (7, 1), (6, 0)])
    func aNarrowBarDropsWholeItems(_ width: Int, _ expected: Int) {
        var g = CellGrid(width: width, height: 1)
        let drawn = listKeys.render(into: &g, x: 0, y: 0, width: width)
        #expect(drawn == expected)
        let text = g.rowText(0)
        for item in listKeys.items {
            #expect(text.contains(item.key + " " + item.label) || !text.contains(item.key), "width \(width): \(text)")
        }
    }
}

@Suite struct StatusLineTests {
    @Test func leftAndRightOnOneReversedLine() {
        var g = CellGrid(width: 30, height: 1)
        StatusLine(left: "对象查询", right: "共 1234 条").render(into: &g, x: 0, y: 0, width: 30)
        #expect(g.rowText(0) == " 对象查询          共 1234 条 ")
        #expect((0..<30).allSatisfy { g[$0, 0].style.attrs == .reverse })
    }

    @Test func theLeftGivesWayToTheRight() {
        var g = CellGrid(width: 20, height: 1)
        StatusLine(left: "家庭户籍 > 张三丰家 > 成员", right: "李会计").render(into: &g, x: 0, y: 0, width: 20)
        #expect(g.rowText(0) == " 家庭户籍 >… 李会计 ")
        expectConsistent(g)
    }

    @Test func aRightTooLongForTheLineIsCut() {
        var g = CellGrid(width: 8, height: 1)
        StatusLine(left: "左", right: "第 12 条，共 345 条").render(into: &g, x: 0, y: 0, width: 8)
        #expect(g.rowText(0) == " 第 12… ")
    }
}
