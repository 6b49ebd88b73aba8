import Testing
import TermUI

let mainMenuItems = [
    MenuItem(hotkey: "1", label: "家庭户籍"),
    MenuItem(hotkey: "2", label: "申请受理"),
    MenuItem(hotkey: "3", label: "审核审批", isEnabled: false, disabledReason: "需要审核员权限"),
    MenuItem(hotkey: "8", label: "系统管理", isEnabled: false),
    MenuItem(hotkey: "q", label: "退出"),
]

@Suite struct MenuTests {
    @Test func arrowsMoveAndStopAtTheEnds() {
        var m = Menu(items: mainMenuItems)
        var action = m.handle(.up)
        #expect(action == .stayed)
        action = m.handle(.down)
        #expect(action == .moved)
        #expect(m.selection == 1)
        action = m.handle(.end)
        #expect(action == .moved)
        #expect(m.selection == 4)
        action = m.handle(.down)
        #expect(action == .stayed)
        action = m.handle(.home)
        #expect(m.selection == 0)
    }

    @Test func disabledItemsCanBeSelectedButNotActivated() {
        var m = Menu(items: mainMenuItems)
        _ = m.handle(.down); _ = m.handle(.down)
        #expect(m.selection == 2)
        let action = m.handle(.enter)
        #expect(action == .refused(2))
        #expect(action.consumed)
    }

    @Test func enterActivatesTheSelectedEnabledItem() {
        var m = Menu(items: mainMenuItems, selection: 1)
        let action = m.handle(.enter)
        #expect(action == .activated(1))
    }

    @Test func hotkeysSelectAndActivate() {
        var m = Menu(items: mainMenuItems)
        var action = m.handle(.char("2"))
        #expect(action == .activated(1))
        #expect(m.selection == 1)
        action = m.handle(.char("Q"))
        #expect(action == .activated(4))
        action = m.handle(.char("8"))
        #expect(action == .refused(3))
        #expect(m.selection == 3)
        action = m.handle(.char("7"))
        #expect(action == .ignored)
        #expect(!action.consumed)
        action = m.handle(.function(1))
        #expect(action == .ignored)
    }

    @Test func disabledItemsAreDimmedAndSayWhy() {
        let m = Menu(items: mainMenuItems, selection: 2)
        var g = CellGrid(width: 40, height: 5)
        m.render(into: &g, x: 0, y: 0, width: 40, height: 5, unavailableText: "无权使用")
        #expect(g.rowText(0).hasPrefix(" 1  家庭户籍 "))
        #expect(g.rowText(2).hasPrefix(" 3  审核审批  需要审核员权限"))
        #expect(g.rowText(3).hasPrefix(" 8  系统管理  无权使用"))
        #expect(g[5, 2].style.attrs.contains(.dim))
        #expect(g[5, 2].style.attrs.contains(.reverse))
        #expect(g[39, 2].style.attrs.contains(.reverse))
        #expect(g[5, 3].style.attrs == .dim)
        #expect(g[5, 0].style.attrs == [])
    }

    @Test func aShortMenuScrollsToKeepTheSelectionInView() {
        let m = Menu(items: mainMenuItems, selection: 4)
        var g = CellGrid(width: 20, height: 2)
        m.render(into: &g, x: 0, y: 0, width: 20, height: 2)
        #expect(g.rowText(0).hasPrefix(" 8  系统管理"))
        #expect(g.rowText(1).hasPrefix(" q  退出"))
    }

    @Test func aNarrowMenuCutsTheReasonWithAnEllipsis() {
        let m = Menu(items: mainMenuItems)
        var g = CellGrid(width: 20, height: 5)
        m.render(into: &g, x: 0, y: 0, width: 20, height: 5)
        #expect(g.rowText(2) == " 3  审核审批  需要… ")
        expectConsistent(g)
    }
}
