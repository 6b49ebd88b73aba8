import Testing
import TermUI

/// Part of the GB 3304 code list, with pinyin initials and full pinyin as search keys.
let ethnicities: [Picker.Option] = [
    .init(code: "01", label: "汉族", keys: ["hz", "hanzu"]),
    .init(code: "02", label: "蒙古族", keys: ["mgz", "mengguzu"]),
    .init(code: "03", label: "回族", keys: ["hz", "huizu"]),
    .init(code: "04", label: "藏族", keys: ["zz", "zangzu"]),
    .init(code: "05", label: "维吾尔族", keys: ["wwez", "weiwuerzu"]),
    .init(code: "06", label: "苗族", keys: ["mz", "miaozu"]),
    .init(code: "07", label: "彝族", keys: ["yz", "yizu"]),
    .init(code: "08", label: "壮族", keys: ["zz", "zhuangzu"]),
    .init(code: "09", label: "布依族", keys: ["byz", "buyizu"]),
    .init(code: "10", label: "朝鲜族", keys: ["cxz", "chaoxianzu"]),
    .init(code: "11", label: "满族", keys: ["mz", "manzu"]),
    .init(code: "12", label: "侗族", keys: ["dz", "dongzu"]),
    .init(code: "16", label: "哈尼族", keys: ["hnz", "hanizu"]),
    .init(code: "17", label: "哈萨克族", keys: ["hskz", "hasakezu"]),
    .init(code: "97", label: "其他", keys: ["qt", "qita"]),
    .init(code: "98", label: "外国血统中国籍人士", keys: ["wgxtzgjrs"]),
]

@Suite struct PickerFilterTests {
    func codes(_ filter: String) -> [String] {
        Picker(title: "民族", options: ethnicities, filter: filter).visibleOptions.map(\.code)
    }

    @Test func noFilterShowsTheWholeListInItsOrder() {
        #expect(codes("") == ethnicities.map(\.code))
    }

    @Test func codePrefixMatches() {
        #expect(codes("1") == ["10", "11", "12", "16", "17"])
        #expect(codes("0") == ["01", "02", "03", "04", "05", "06", "07", "08", "09"])
        #expect(codes("01") == ["01"])
    }

    @Test func labelSubstringMatches() {
        #expect(codes("古") == ["02"])
        #expect(codes("哈") == ["16", "17"])
        #expect(codes("族").count == 14)
        #expect(codes("中国") == ["98"])
    }

    @Test func pinyinKeysMatchFromTheirStart() {
        #expect(codes("hz") == ["01", "03"])
        #expect(codes("han") == ["01", "16"])
        #expect(codes("ha") == ["01", "16", "17"])
        // A key matches only from its start: "anzu" is inside "hanzu" but begins no key.
        #expect(codes("anzu") == [])
    }

    @Test func caseAndFullWidthAreIgnored() {
        #expect(codes("HZ") == ["01", "03"])
        #expect(codes("ｈｚ") == ["01", "03"])
        #expect(codes("０１") == ["01"])
    }

    /// Exact code, then code prefix, then label prefix, then the rest — each in list order.
    @Test func matchesAreRanked() {
        let options: [Picker.Option] = [
            .init(code: "X1", label: "含h的名称"),
            .init(code: "H1", label: "甲"),
            .init(code: "Y1", label: "h开头"),
            .init(code: "H", label: "乙"),
            .init(code: "Z1", label: "丙", keys: ["hb"]),
            .init(code: "Z2", label: "丁", keys: ["ah"]),
            .init(code: "Z3", label: "戊"),
            .init(code: "Y2", label: "H也开头"),
        ]
        let p = Picker(title: "t", options: options, filter: "H")
        #expect(p.visibleOptions.map(\.code) == ["H", "H1", "Y1", "Y2", "X1", "Z1"])
    }

    @Test func typingPastingAndBackspaceEditTheFilter() {
        var p = Picker(title: "民族", options: ethnicities)
        let action1 = p.handle(.char("h"))
        #expect(action1 == .none)
        let action2 = p.handle(.text("a\nn"))
        #expect(action2 == .none)
        #expect(p.filter == "han")
        #expect(p.visibleOptions.map(\.code) == ["01", "16"])
        let action3 = p.handle(.backspace)
        #expect(action3 == .none)
        #expect(p.filter == "ha")
        #expect(p.visibleOptions.map(\.code) == ["01", "16", "17"])
        _ = p.handle(.backspace); _ = p.handle(.backspace)
        #expect(p.filter == "")
        let action4 = p.handle(.backspace)
        #expect(action4 == .none)
        #expect(p.visibleOptions.count == ethnicities.count)
    }
}

@Suite struct PickerKeyTests {
    @Test func theHighlightStartsOnTheCurrentValue() {
        let p = Picker(title: "民族", options: ethnicities, selected: ["03"])
        #expect(p.highlightedOption?.code == "03")
        let q = Picker(title: "民族", options: ethnicities)
        #expect(q.highlightedOption?.code == "01")
    }

    @Test func movesStopAtTheEnds() {
        var p = Picker(title: "民族", options: ethnicities)
        p.pageSize = 5
        let action5 = p.handle(.up)
        #expect(action5 == .none)
        #expect(p.highlight == 0)
        _ = p.handle(.down)
        #expect(p.highlightedOption?.code == "02")
        _ = p.handle(.pageDown)
        #expect(p.highlight == 6)
        _ = p.handle(.pageDown); _ = p.handle(.pageDown); _ = p.handle(.pageDown)
        #expect(p.highlight == 15)
        let action6 = p.handle(.down)
        #expect(action6 == .none)
        #expect(p.highlightedOption?.code == "98")
        _ = p.handle(.pageUp)
        #expect(p.highlight == 10)
        _ = p.handle(.home)
        #expect(p.highlight == 0)
        _ = p.handle(.end)
        #expect(p.highlight == 15)
    }

    @Test func typingHighlightsTheBestMatch() {
        var p = Picker(title: "民族", options: ethnicities)
        _ = p.handle(.end)
        _ = p.handle(.char("1"))
        #expect(p.highlightedOption?.code == "10")
        _ = p.handle(.char("6"))
        #expect(p.highlightedOption?.code == "16")
        #expect(p.highlight == 0)
    }

    @Test func backspaceKeepsTheHighlightedOption() {
        var p = Picker(title: "民族", options: ethnicities, filter: "han")
        _ = p.handle(.down)
        #expect(p.highlightedOption?.code == "16")
        _ = p.handle(.backspace)
        #expect(p.visibleOptions.map(\.code) == ["01", "16", "17"])
        #expect(p.highlightedOption?.code == "16")
        _ = p.handle(.backspace); _ = p.handle(.backspace)
        #expect(p.highlightedOption?.code == "16")
        #expect(p.highlight == 12)
    }

    @Test func theHighlightStaysOnAShownOption() {
        var p = Picker(title: "民族", options: ethnicities)
        _ = p.handle(.end)
        _ = p.handle(.text("mz"))
        #expect(p.visibleOptions.map(\.code) == ["06", "11"])
        #expect(p.highlight == 0)
        _ = p.handle(.end)
        #expect(p.highlightedOption?.code == "11")
        _ = p.handle(.char("x"))
        #expect(p.visibleOptions.isEmpty)
        #expect(p.highlightedOption == nil)
        let action7 = p.handle(.down)
        #expect(action7 == .none)
        let action8 = p.handle(.enter)
        #expect(action8 == .none)
        _ = p.handle(.backspace)
        #expect(p.highlightedOption?.code == "06")
    }

    @Test func enterChoosesAndEscCancels() {
        var p = Picker(title: "民族", options: ethnicities)
        _ = p.handle(.text("zz"))
        _ = p.handle(.down)
        let action9 = p.handle(.enter)
        #expect(action9 == .chosen("08"))
        var q = Picker(title: "民族", options: ethnicities, selected: ["03"])
        let action10 = q.handle(.escape)
        #expect(action10 == .cancelled)
        #expect(q.selected == ["03"])
    }

    @Test(arguments: [KeyEvent.tab, .backTab, .function(1), .ctrl("s"), .left, .right])
    func otherKeysAreLeftToTheScreen(_ key: KeyEvent) {
        var p = Picker(title: "民族", options: ethnicities)
        let action = p.handle(key)
        #expect(action == .ignored)
        #expect(!action.consumed)
        #expect(p.filter == "")
        #expect(p.highlight == 0)
    }

    @Test func multiSelectTicksWithSpaceAndReturnsListOrder() {
        var p = Picker(title: "残疾类别", options: ethnicities, multiSelect: true, selected: ["97"])
        _ = p.handle(.text("10"))
        let action11 = p.handle(.char(" "))
        #expect(action11 == .none)
        #expect(p.filter == "10")
        _ = p.handle(.backspace); _ = p.handle(.backspace)
        _ = p.handle(.home)
        _ = p.handle(.char(" "))   // 01
        _ = p.handle(.down); _ = p.handle(.down)
        _ = p.handle(.char(" "))   // 03
        _ = p.handle(.char(" "))   // 03 again: off
        #expect(p.selected == ["01", "10", "97"])
        let action12 = p.handle(.enter)
        #expect(action12 == .chosenMany(["01", "10", "97"]))
        var q = p
        let action13 = q.handle(.escape)
        #expect(action13 == .cancelled)
    }

    @Test func aTickedCodeMissingFromTheListIsKept() {
        var p = Picker(title: "民族", options: ethnicities, multiSelect: true, selected: ["99", "02"])
        let action14 = p.handle(.enter)
        #expect(action14 == .chosenMany(["02", "99"]))
    }

    @Test func replacingTheOptionsKeepsTheHighlightedCode() {
        var p = Picker(title: "民族", options: ethnicities, selected: ["16"])
        p.options = Array(ethnicities.reversed())
        #expect(p.highlightedOption?.code == "16")
        #expect(p.highlight == 3)
    }
}

@Suite struct PickerRenderTests {
    @Test func drawsTitleFilterAndOptionsInABox() {
        var p = Picker(title: "民族", options: ethnicities)
        _ = p.handle(.text("hz"))
        _ = p.handle(.down)
        var g = CellGrid(width: 22, height: 6)
        let cursor = p.render(into: &g, x: 0, y: 0, width: 22, height: 6)
        #expect(TestBackend.annotatedText(of: g, marks: [.reverse]) == """
        ┌─ 民族 ─────────────┐
        │ 筛选: hz           │
        │ 01  汉族           │
        │ 03  回族           │
         ####################
        │                    │
        └────────────────────┘
        """)
        #expect(cursor.map { [$0.x, $0.y] } == [10, 1])
        expectConsistent(g)
    }

    @Test func nothingMatchingSaysSo() {
        var p = Picker(title: "民族", options: ethnicities)
        p.emptyText = "没有这一项"
        _ = p.handle(.text("xyz"))
        var g = CellGrid(width: 20, height: 5)
        p.render(into: &g, x: 0, y: 0, width: 20, height: 5)
        #expect(g.rowText(2) == "│    没有这一项    │")
    }

    @Test func aLongListShowsWhereTheHighlightIs() {
        var p = Picker(title: "民族", options: ethnicities)
        p.pageSize = 4
        var g = CellGrid(width: 24, height: 7)
        p.render(into: &g, x: 0, y: 0, width: 24, height: 7)
        #expect(g.rowText(2).hasPrefix("│ 01  汉族"))
        #expect(g.rowText(6) == "└───────────────" + " 1/16 " + "─┘")
        _ = p.handle(.end)
        p.render(into: &g, x: 0, y: 0, width: 24, height: 7)
        #expect(g.rowText(2).hasPrefix("│ 16  哈尼族"))
        #expect(g.rowText(5) == "│ 98  外国血统中国籍…  │")
        #expect(g.rowText(6).hasSuffix("─ 16/16 ─┘"))
        #expect(g[5, 5].style.attrs.contains(.reverse))
        // Up from the last row stays on the same page: the list does not jump.
        _ = p.handle(.up)
        p.render(into: &g, x: 0, y: 0, width: 24, height: 7)
        #expect(g.rowText(2).hasPrefix("│ 16  哈尼族"))
        #expect(g[5, 4].style.attrs.contains(.reverse))
        #expect(!g[5, 5].style.attrs.contains(.reverse))
    }

    @Test func multiSelectShowsTickBoxes() {
        var p = Picker(title: "民族", options: ethnicities, multiSelect: true, selected: ["02"])
        var g = CellGrid(width: 24, height: 5)
        p.render(into: &g, x: 0, y: 0, width: 24, height: 5)
        #expect(g.rowText(2) == "│ [ ] 01  汉族         │")
        #expect(g.rowText(3) == "│ [x] 02  蒙古族       │")
        // The highlight starts on the first ticked option.
        _ = p.handle(.char(" "))
        _ = p.handle(.up)
        _ = p.handle(.char(" "))
        p.render(into: &g, x: 0, y: 0, width: 24, height: 5)
        #expect(g.rowText(2) == "│ [x] 01  汉族         │")
        #expect(g.rowText(3) == "│ [ ] 02  蒙古族       │")
    }

    /// At every width, wide labels are cut whole with "…" and every row stays exactly the grid's width.
    @Test func wideLabelsAreNeverCutInHalf() {
        var p = Picker(title: "民族", options: ethnicities, multiSelect: true)
        _ = p.handle(.end)
        for width in 5...30 {
            var g = CellGrid(width: width + 2, height: 8)
            p.render(into: &g, x: 1, y: 1, width: width, height: 7)
            expectConsistent(g)
            let row = g.rowText(6)
            let full = "外国血统中国籍人士"
            if !row.contains(full), width >= 16 {
                // A cut label: a prefix of the label, then "…", then padding.
                let shown = row.drop { $0 != "外" }.prefix { $0 != "…" }
                #expect(full.hasPrefix(shown), "width \(width): \(row)")
                #expect(row.contains("…"), "width \(width): \(row)")
            }
        }
        var g = CellGrid(width: 17, height: 7)
        p.render(into: &g, x: 0, y: 0, width: 17, height: 7)
        // Room for 5 columns: 外国 (4) and "…" — 血 would need 2 more.
        #expect(g.rowText(5) == "│ [ ] 98  外国… │")
    }

    @Test func preferredSizeFitsTheWidestOptionAndEveryRow() {
        let p = Picker(title: "民族", options: ethnicities)
        // "98  外国血统中国籍人士" is 22 columns; a border and a space each side.
        #expect(p.preferredSize(maxWidth: 80, maxHeight: 40) == (width: 26, height: 19))
        let size = p.preferredSize(maxWidth: 20, maxHeight: 10)
        #expect(size.width == 20 && size.height == 10)
        let multi = Picker(title: "民族", options: ethnicities, multiSelect: true)
        #expect(multi.preferredSize(maxWidth: 80, maxHeight: 40).width == 30)
    }
}
