import Testing
import TermUI

/// Whole screens through TestBackend, compared with Golden/*.txt. Lines under a row mark its
/// reversed cells with `#` and dimmed cells with `~`.
@Suite struct GoldenTests {
    static let people: [[String]] = [
        ["1", "王芳", "110105195703120026", "东风村", "低保", "1,230.00", "独居，需每月走访"],
        ["2", "张三丰", "11010519491231002X", "红旗社区", "特困", "2,045.50", ""],
        ["3", "欧阳明月", "110105198807070041", "新华村第三村民小组", "低保边缘", "380.00", "Zhang Wei 代办"],
        ["4", "司马相如", "110105200101010013", "东风村", "低保", "960.00", "残疾证 11010519490101001344"],
        ["5", "李娜", "110105197602290024", "西山村", "临时救助", "500.00", "火灾"],
        ["6", "陈建国", "110105196312150018", "红旗社区", "低保", "1,230.00", ""],
        ["7", "诸葛孔明", "110105195511110039", "南河村", "特困", "2,045.50", "集中供养"],
        ["8", "Ａｌｉ买买提", "650102199003030057", "新华村", "低保", "870.00", "全角字母姓名"],
    ]

    static func tableScreen(width: Int = 80, height: Int = 24) -> CellGrid {
        var g = CellGrid(width: width, height: height)
        var table = TableView(columns: personColumns, pageSize: height - 3, emptyText: "没有符合条件的对象")
        table.setRows(people, moreAfter: true, selecting: 2)
        table.sort = TableSort(column: 1)
        StatusLine(left: "对象查询 > 在保对象", right: "第 3 条 / 计数中…").render(into: &g, x: 0, y: 0, width: width)
        table.render(into: &g, x: 0, y: 1, width: width, height: height - 2)
        listKeys.render(into: &g, x: 0, y: height - 1, width: width)
        return g
    }

    @Test func tableAt80Columns() {
        let backend = TestBackend(width: 80, height: 24)
        backend.draw(Self.tableScreen(), cursor: nil)
        expectGolden(backend.screenText(marking: [.reverse]), named: "table-80x24")
    }

    @Test func textFieldNarrowerThanItsText() {
        var g = CellGrid(width: 30, height: 16)
        var field = TextField("张三ABC李四")
        for cursor in 0...7 {
            field.cursor = cursor
            g.put("cursor \(cursor)  [", x: 0, y: 2 * cursor)
            let x = field.render(into: &g, x: 11, y: 2 * cursor, width: 8)
            g.put("]", x: 19, y: 2 * cursor)
            g.put("^ \(x - 11)", x: x, y: 2 * cursor + 1)
        }
        let backend = TestBackend(width: 30, height: 16)
        backend.draw(g, cursor: nil)
        expectGolden(backend.screenText, named: "textfield-narrow")
    }

    @Test func narrowTerminalAsksToEnlarge() {
        let backend = TestBackend(width: 80, height: 24)
        backend.draw(Self.tableScreen(), cursor: nil)
        backend.resize(width: 79, height: 24)
        #expect(backend.readEvent(timeoutMs: 0) == .resize(width: 79, height: 24))
        var g = CellGrid(width: backend.size.width, height: backend.size.height)
        #expect(renderTooSmall(into: &g))
        backend.draw(g, cursor: nil)
        expectGolden(backend.screenText, named: "too-small-79x24")
    }

    @Test func helpScreen() {
        var g = CellGrid(width: 80, height: 24)
        StatusLine(left: "帮助 — 对象查询", right: "F1").render(into: &g, x: 0, y: 0, width: 80)
        HelpView(entries: listHelp, pageSize: 21).render(into: &g, x: 1, y: 2, width: 78, height: 21)
        KeyBar([KeyBarItem("↑↓", "滚动"), KeyBarItem("Esc", "返回")]).render(into: &g, x: 0, y: 23, width: 80)
        let backend = TestBackend(width: 80, height: 24)
        backend.draw(g, cursor: nil)
        expectGolden(backend.screenText, named: "help-80x24")
    }

    @Test func menuWithDisabledItems() {
        let items = [
            MenuItem(hotkey: "1", label: "家庭户籍"),
            MenuItem(hotkey: "2", label: "申请受理"),
            MenuItem(hotkey: "3", label: "审核审批", isEnabled: false, disabledReason: "需要审核员权限"),
            MenuItem(hotkey: "4", label: "张榜公示"),
            MenuItem(hotkey: "5", label: "对象查询"),
            MenuItem(hotkey: "6", label: "抽查督查"),
            MenuItem(hotkey: "7", label: "统计报表"),
            MenuItem(hotkey: "8", label: "系统管理", isEnabled: false, disabledReason: "仅系统管理员可用"),
            MenuItem(hotkey: "0", label: "退出"),
        ]
        var menu = Menu(items: items)
        _ = menu.handle(.end)
        _ = menu.handle(.up)
        var g = CellGrid(width: 80, height: 24)
        StatusLine(left: "救助 — 主菜单", right: "李会计 · 东风镇").render(into: &g, x: 0, y: 0, width: 80)
        menu.render(into: &g, x: 4, y: 3, width: 44, height: 9)
        KeyBar([KeyBarItem("F1", "帮助"), KeyBarItem("Enter", "进入"), KeyBarItem("0", "退出")]).render(into: &g, x: 0, y: 23, width: 80)
        let backend = TestBackend(width: 80, height: 24)
        backend.draw(g, cursor: nil)
        expectGolden(backend.screenText(marking: [.reverse, .dim]), named: "menu-disabled")
    }

    @Test func confirmBoxInAsciiOverTheTable() {
        let backend = TestBackend(width: 80, height: 24)
        backend.draw(Self.tableScreen(), cursor: nil)
        var g = Self.tableScreen()
        ConfirmBox(title: "确认", message: "放弃对“欧阳明月”家庭的未保存修改？已输入的 3 项将丢失。").render(into: &g, chars: .ascii)
        backend.draw(g, cursor: nil)
        // Only the box's cells were sent, not the screen again.
        #expect(backend.lastCellsSent < 80 * 8)
        expectGolden(backend.screenText(marking: [.reverse]), named: "confirm-ascii")
    }
}
