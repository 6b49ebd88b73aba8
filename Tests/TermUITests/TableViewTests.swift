import Testing
import TermUI

let personColumns = [
    TableColumn("序号", width: 4, alignment: .right),
    TableColumn("姓名", width: 8),
    TableColumn("身份证号", width: 18),
    TableColumn("村(社区)", width: 10, flex: 1),
    TableColumn("类别", width: 8, priority: 2),
    TableColumn("金额", width: 8, alignment: .right),
    TableColumn("备注", width: 10, flex: 2, priority: 1),
]

func numberedRows(_ range: Range<Int>) -> [[String]] { range.map { ["\($0)", "人\($0)"] } }

@Suite struct TableLayoutTests {
    func widths(_ width: Int) -> [Int: Int] {
        Dictionary(uniqueKeysWithValues: TableLayout.layout(personColumns, width: width).map { ($0.column, $0.width) })
    }

    @Test func spareWidthGoesToFlexColumnsByWeight() {
        let slots = TableLayout.layout(personColumns, width: 80)
        #expect(slots.map(\.column) == [0, 1, 2, 3, 4, 5, 6])
        #expect(slots.map(\.width) == [4, 8, 18, 13, 8, 8, 15])
        #expect(slots.last.map { $0.x + $0.width } == 80)
        #expect(zip(slots, slots.dropFirst()).allSatisfy { $0.x + $0.width + 1 == $1.x })
    }

    @Test func optionalColumnsGoLowestPriorityFirst() {
        #expect(widths(70).keys.sorted() == [0, 1, 2, 3, 4, 5])
        #expect(widths(70)[3] == 19)
        #expect(widths(55).keys.sorted() == [0, 1, 2, 3, 5])
    }

    @Test func tooNarrowShrinksFlexThenOthersButKeepsTheMinimum() {
        let w = widths(40)
        #expect(w[3] == TableLayout.minimumColumnWidth)
        #expect(w[2] == 12)
        let slots = TableLayout.layout(personColumns, width: 40)
        #expect(slots.last.map { $0.x + $0.width } == 40)
        #expect(TableLayout.layout(personColumns, width: 10).allSatisfy { $0.width >= TableLayout.minimumColumnWidth || personColumns[$0.column].width < TableLayout.minimumColumnWidth })
    }

    @Test func noFlexLeavesSpareAtTheRight() {
        let slots = TableLayout.layout([TableColumn("a", width: 3), TableColumn("b", width: 5)], width: 80)
        #expect(slots.map(\.width) == [3, 5])
    }
}

@Suite struct TableViewKeyTests {
    func table(rows: Range<Int>, moreBefore: Bool = false, moreAfter: Bool = false, selecting: Int = 0, pageSize: Int = 5) -> TableView {
        var t = TableView(columns: [TableColumn("序号", width: 4), TableColumn("姓名", width: 8)], pageSize: pageSize)
        t.setRows(numberedRows(rows), moreBefore: moreBefore, moreAfter: moreAfter, selecting: selecting)
        return t
    }

    @Test func downMovesWithinTheWindow() {
        var t = table(rows: 0..<10)
        let action = t.handle(.down)
        #expect(action == .moved)
        #expect(t.selected == 1)
        #expect(t.selectedRow == ["1", "人1"])
    }

    @Test func downAtTheWindowsEndAsksForTheNextPage() {
        var t = table(rows: 0..<10, moreAfter: true, selecting: 9)
        let action = t.handle(.down)
        #expect(action == .needRowsAfter)
        #expect(t.selected == 9)
        t.appendRows(numberedRows(10..<20), moreAfter: true)
        #expect(t.selected == 10)
        #expect(t.selectedRow?.first == "10")
    }

    @Test func downAtTheEndOfTheWholeListStays() {
        var t = table(rows: 0..<10, moreAfter: false, selecting: 9)
        let action = t.handle(.down)
        #expect(action == .stayed)
        #expect(action.consumed)
    }

    @Test func pageDownPastTheWindowFinishesWhenRowsArrive() {
        var t = table(rows: 0..<10, moreAfter: true, selecting: 7)
        let action = t.handle(.pageDown)
        #expect(action == .needRowsAfter)
        #expect(t.pendingMove == 5)
        t.appendRows(numberedRows(10..<20), moreAfter: false)
        #expect(t.selected == 12)
        #expect(t.pendingMove == 0)
    }

    @Test func pageDownWithoutMoreRowsStopsOnTheLast() {
        var t = table(rows: 0..<10, selecting: 7)
        let action = t.handle(.pageDown)
        #expect(action == .moved)
        #expect(t.selected == 9)
    }

    @Test func pageDownKeepsTheSelectionsPlaceOnScreen() {
        var t = table(rows: 0..<30, selecting: 2)
        _ = t.handle(.pageDown)
        #expect(t.selected == 7)
        #expect(t.scroll == 5)
        _ = t.handle(.pageUp)
        #expect(t.selected == 2)
        #expect(t.scroll == 0)
    }

    @Test func movesWaitingForRowsAddUp() {
        var t = table(rows: 0..<10, moreAfter: true, selecting: 9)
        var action = t.handle(.down)
        action = t.handle(.down)
        #expect(action == .needRowsAfter)
        t.appendRows(numberedRows(10..<20), moreAfter: true)
        #expect(t.selected == 11)
    }

    @Test func fewerRowsThanWantedStopOnTheLastArrived() {
        var t = table(rows: 0..<10, moreAfter: true, selecting: 9)
        _ = t.handle(.pageDown)
        t.appendRows(numberedRows(10..<12), moreAfter: false)
        #expect(t.selected == 11)
        #expect(!t.moreAfter)
    }

    @Test func upAtTheWindowsStartAsksForThePageBefore() {
        var t = table(rows: 100..<110, moreBefore: true)
        t.windowOffset = 100
        let action = t.handle(.up)
        #expect(action == .needRowsBefore)
        t.prependRows(numberedRows(90..<100), moreBefore: true)
        #expect(t.selectedRow?.first == "99")
        #expect(t.windowOffset == 90)
        #expect(t.selectedPosition == 100)
    }

    @Test func homeAndEndAskForTheEndsOfTheWholeList() {
        var t = table(rows: 100..<110, moreBefore: true, moreAfter: true, selecting: 4)
        var action = t.handle(.home)
        #expect(action == .needFirstPage)
        action = t.handle(.end)
        #expect(action == .needLastPage)
        t.setRows(numberedRows(990..<1000), moreBefore: true, selecting: 9)
        #expect(t.selectedRow?.first == "999")
        #expect(t.scroll == 5)
        action = t.handle(.end)
        #expect(action == .stayed)
        action = t.handle(.home)
        #expect(action == .needFirstPage)
    }

    @Test func homeAndEndWithinACompleteListJustMove() {
        var t = table(rows: 0..<10, selecting: 4)
        var action = t.handle(.end)
        #expect(action == .moved)
        #expect(t.selected == 9)
        action = t.handle(.home)
        #expect(action == .moved)
        #expect(t.selected == 0)
    }

    @Test func appendingKeepsTheWindowBoundedAndSaysHowManyWentOut() {
        var t = table(rows: 0..<10, moreAfter: true, selecting: 9)
        t.windowOffset = 0
        _ = t.handle(.down)
        let dropped = t.appendRows(numberedRows(10..<20), moreAfter: true, keepingAtMost: 12)
        // Rows 0–5 were above the view (rows 6–10 are on screen); only those may go.
        #expect(dropped == 6)
        #expect(t.rows.count == 14)
        #expect(t.selectedRow?.first == "10")
        #expect(t.moreBefore)
        #expect(t.windowOffset == 6)
        #expect(t.selectedPosition == 11)
    }

    @Test func trimmingNeverDropsVisibleRows() {
        var t = table(rows: 0..<10, moreAfter: true, selecting: 9)
        _ = t.handle(.down)
        let dropped = t.appendRows(numberedRows(10..<20), moreAfter: true, keepingAtMost: 3)
        // Everything above the view went, nothing on it.
        #expect(dropped == 6)
        #expect(t.scroll == 0)
        #expect(t.selectedRow?.first == "10")
        #expect(t.rows.first?.first == "\(dropped)")
        #expect(t.rows.count == 20 - dropped)
        #expect(t.rows.count >= t.pageSize)
    }

    @Test func windowOffsetFollowsTheRowsHandedOver() {
        var t = table(rows: 0..<10)
        #expect(t.windowOffset == 0)
        #expect(t.selectedPosition == 1)
        t.setRows(numberedRows(990..<1000), moreBefore: true, selecting: 9)
        #expect(t.windowOffset == nil)
        #expect(t.selectedPosition == nil)
        t.setRows(numberedRows(990..<1000), moreBefore: true, selecting: 9, windowOffset: 990)
        #expect(t.selectedPosition == 1000)
    }

    @Test func anEditedRowIsReplacedInPlace() {
        var t = table(rows: 0..<10, selecting: 3)
        t.updateRow(at: 3, with: ["3", "王五"])
        t.updateRow(at: 30, with: ["x"])
        #expect(t.selectedRow == ["3", "王五"])
        #expect(t.rows.count == 10)
    }

    @Test func emptyTableConsumesKeysButStays() {
        var t = table(rows: 0..<0)
        var action = t.handle(.down)
        #expect(action == .stayed)
        action = t.handle(.end)
        #expect(action == .stayed)
        action = t.handle(.char("a"))
        #expect(action == .ignored)
        #expect(t.selectedRow == nil)
    }
}

@Suite struct TableViewRenderTests {
    @Test func selectedRowIsReversedAcrossTheTable() {
        var t = TableView(columns: [TableColumn("序号", width: 4, alignment: .right), TableColumn("姓名", width: 8)])
        t.setRows([["1", "王芳"], ["2", "张三丰"]], selecting: 1)
        var g = CellGrid(width: 20, height: 4)
        t.render(into: &g, x: 0, y: 0, width: 20, height: 4)
        #expect(g.rowText(0).trimmingSuffixSpaces == "序号 姓名")
        #expect(g.rowText(1).trimmingSuffixSpaces == "   1 王芳")
        #expect(g.rowText(2).trimmingSuffixSpaces == "   2 张三丰")
        #expect((0..<20).allSatisfy { g[$0, 2].style.attrs.contains(.reverse) })
        #expect(!(0..<20).contains { g[$0, 1].style.attrs.contains(.reverse) })
        #expect(g[0, 0].style.attrs.contains(.bold))
    }

    @Test func cellsAreCutWithAnEllipsisNeverHalfACharacter() {
        var t = TableView(columns: [TableColumn("姓名", width: 6), TableColumn("地址", width: 5)])
        t.setRows([["欧阳明月", "ab张三丰"]])
        var g = CellGrid(width: 12, height: 2)
        t.render(into: &g, x: 0, y: 0, width: 12, height: 2)
        #expect(g.rowText(1) == "欧阳…  ab张…")
        expectConsistent(g)
    }

    @Test func sortedColumnShowsItsDirection() {
        var t = TableView(columns: [TableColumn("姓名", width: 8), TableColumn("年龄", width: 4, alignment: .right)])
        t.sort = TableSort(column: 1, ascending: false)
        var g = CellGrid(width: 13, height: 2)
        t.render(into: &g, x: 0, y: 0, width: 13, height: 2)
        #expect(g.rowText(0) == "姓名     年…▼")
        t.sort = TableSort(column: 0)
        t.render(into: &g, x: 0, y: 0, width: 13, height: 2)
        #expect(g.rowText(0).hasPrefix("姓名▲    年龄"))
    }

    @Test func emptyAndLoadingTextsShowWhenThereAreNoRows() {
        var t = TableView(columns: [TableColumn("姓名", width: 8)], emptyText: "没有符合条件的对象", loadingText: "正在查询…")
        var g = CellGrid(width: 30, height: 3)
        t.isLoading = true
        t.render(into: &g, x: 0, y: 0, width: 30, height: 3)
        #expect(g.rowText(1).contains("正在查询…"))
        t.setRows([])
        t.render(into: &g, x: 0, y: 0, width: 30, height: 3)
        #expect(g.rowText(1).contains("没有符合条件的对象"))
        #expect(!g.rowText(1).contains("正在查询"))
    }

    @Test func renderScrollsToTheSelectionWhateverThePageSize() {
        var t = TableView(columns: [TableColumn("序号", width: 4)], pageSize: 50)
        t.setRows(numberedRows(0..<40), selecting: 30)
        var g = CellGrid(width: 10, height: 6)
        t.render(into: &g, x: 0, y: 0, width: 10, height: 6)
        #expect(g.rowText(5).hasPrefix("30"))
        #expect(g[0, 5].style.attrs.contains(.reverse))
    }
}
