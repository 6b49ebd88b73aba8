import Testing
import TermUI

/// A grid is consistent when every wide character has its continuation cell right after it and
/// no continuation cell stands alone; then each row's text is exactly as wide as the grid.
func expectConsistent(_ grid: CellGrid, sourceLocation: SourceLocation = #_sourceLocation) {
    for y in 0..<grid.height {
        for x in 0..<grid.width {
            let cell = grid[x, y]
            if cell.isContinuation {
                #expect(x > 0 && TextWidth.of(grid[x - 1, y].text) == 2, "orphan continuation at \(x),\(y)", sourceLocation: sourceLocation)
            } else if TextWidth.of(cell.text) == 2 {
                #expect(x + 1 < grid.width && grid[x + 1, y].isContinuation, "wide char without continuation at \(x),\(y)", sourceLocation: sourceLocation)
            }
        }
        #expect(grid.rowText(y).displayWidth == grid.width, "row \(y) is \(grid.rowText(y).displayWidth) wide", sourceLocation: sourceLocation)
    }
}

/// A small deterministic generator (SplitMix64) so a randomized test fails the same way twice.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

@Suite struct CellGridTests {
    @Test func putWritesWideCharactersAsTwoCells() {
        var g = CellGrid(width: 6, height: 1)
        #expect(g.put("张a", x: 1, y: 0) == 3)
        #expect(g[1, 0].text == "张")
        #expect(g[2, 0].isContinuation)
        #expect(g[3, 0].text == "a")
        #expect(g.rowText(0) == " 张a  ")
    }

    @Test func wideCharacterAtTheRightEdgeIsNotCut() {
        var g = CellGrid(width: 5, height: 1)
        #expect(g.put("ab张", x: 2, y: 0) == 3)
        #expect(g.rowText(0) == "  ab ")
        #expect(!g[4, 0].isContinuation)
        expectConsistent(g)
        var h = CellGrid(width: 5, height: 1)
        h.put("张三丰", x: 0, y: 0, maxWidth: 5)
        #expect(h.rowText(0) == "张三 ")
        expectConsistent(h)
    }

    @Test func overwritingTheSecondHalfBlanksTheFirst() {
        var g = CellGrid(width: 4, height: 1)
        g.put("张三", x: 0, y: 0)
        g.put("x", x: 1, y: 0)
        #expect(g.rowText(0) == " x三")
        expectConsistent(g)
    }

    @Test func overwritingTheFirstHalfBlanksTheSecond() {
        var g = CellGrid(width: 4, height: 1)
        g.put("张三", x: 0, y: 0)
        g.put("x", x: 2, y: 0)
        #expect(g.rowText(0) == "张x ")
        expectConsistent(g)
    }

    @Test func aWideCharacterOverlappingTwoOthersLeavesNoHalves() {
        var g = CellGrid(width: 6, height: 1)
        g.put("张三", x: 0, y: 0)
        g.put("李", x: 1, y: 0)
        #expect(g.rowText(0) == " 李   ")
        expectConsistent(g)
    }

    @Test func aWideCharacterStraddlingTheLeftEdgeShowsAsSpace() {
        var g = CellGrid(width: 4, height: 1)
        g.put("四四", x: 0, y: 0)
        g.put("张ab", x: -1, y: 0)
        #expect(g.rowText(0) == " ab ")
        expectConsistent(g)
    }

    @Test func controlCharactersNeverReachACell() {
        var g = CellGrid(width: 8, height: 1)
        g.put("a\nb\tc\u{1B}d\u{200B}e", x: 0, y: 0)
        #expect(g.rowText(0) == "a b cde ")
        for x in 0..<g.width {
            #expect(!g[x, 0].text.unicodeScalars.contains { $0.properties.generalCategory == .control })
        }
    }

    @Test func combinedCharactersStayInOneCell() {
        var g = CellGrid(width: 4, height: 1)
        g.put("e\u{301}x", x: 0, y: 0)
        #expect(g[0, 0].text == "e\u{301}")
        #expect(g[1, 0].text == "x")
        #expect(g.rowText(0) == "e\u{301}x  ")
    }

    @Test func fillAndRestyleOutsideTheGridDoNotTrap() {
        var g = CellGrid(width: 4, height: 2)
        g.fill(x: 10, y: 0, width: 3, height: 1)
        g.fill(x: 0, y: 5, width: 3, height: 3)
        g.fill(x: 2, y: 0, width: -3, height: 1)
        g.restyle(x: 9, y: 0, width: 2, style: Style(attrs: .bold))
        g.addAttrs(.reverse, x: -5, y: 1, width: 6)
        #expect(g[0, 1].style.attrs == .reverse)
        #expect(g[1, 1].style.attrs == [])
    }

    @Test func randomWritesKeepTheGridConsistent() {
        var rng = SplitMix(state: 42)
        let pieces = ["张三", "a", "李四丰", "ＡＢ", "x张", "é", "欧阳明月", " ", "👍", "ab\ncd"]
        var g = CellGrid(width: 13, height: 3)
        for _ in 0..<2000 {
            let text = pieces.randomElement(using: &rng)!
            let x = Int.random(in: -3...14, using: &rng)
            let y = Int.random(in: 0...2, using: &rng)
            if Bool.random(using: &rng) {
                g.put(text, x: x, y: y, maxWidth: Int.random(in: 0...6, using: &rng))
            } else {
                g.fill(x: x, y: y, width: Int.random(in: 0...4, using: &rng), height: 1)
            }
        }
        expectConsistent(g)
    }
}

@Suite struct CellGridChangesTests {
    @Test func noChangeSendsNothing() {
        var g = CellGrid(width: 10, height: 2)
        g.put("张三ABC", x: 1, y: 1)
        #expect(g.changes(from: g).isEmpty)
    }

    @Test func oneCharacterChangeIsOneCell() {
        var old = CellGrid(width: 10, height: 2)
        old.put("hello", x: 0, y: 1)
        var new = old
        new.put("j", x: 0, y: 1)
        let runs = new.changes(from: old)
        #expect(runs.count == 1)
        #expect(runs.first?.x == 0 && runs.first?.y == 1)
        #expect(runs.first?.cells.map(\.text) == ["j"])
    }

    @Test func aWideCharacterIsSentWhole() {
        var old = CellGrid(width: 10, height: 1)
        old.put("张三", x: 2, y: 0)
        var new = old
        new.put("李", x: 4, y: 0)
        let runs = new.changes(from: old)
        #expect(runs == [CellGrid.Change(x: 4, y: 0, cells: [Cell("李"), Cell("", isContinuation: true)])])
    }

    @Test func aRunNeverStartsOnASecondHalf() {
        var old = CellGrid(width: 6, height: 1)
        old.put("张", x: 2, y: 0)
        var new = old
        // Only the continuation cell's style changes.
        new.restyle(x: 3, y: 0, width: 1, style: Style(attrs: .reverse))
        let runs = new.changes(from: old)
        #expect(runs.count == 1)
        #expect(runs.first?.x == 2)
        #expect(runs.first?.cells.count == 2)
    }

    @Test func separateChangesAreSeparateRuns() {
        let old = CellGrid(width: 20, height: 3)
        var new = old
        new.put("ab", x: 1, y: 0)
        new.put("c", x: 10, y: 0)
        new.put("张", x: 5, y: 2)
        let runs = new.changes(from: old)
        #expect(runs.map { [$0.x, $0.y, $0.cells.count] } == [[1, 0, 2], [10, 0, 1], [5, 2, 2]])
    }

    @Test func replacingHalfAWideCharacterSendsBothCells() {
        var old = CellGrid(width: 6, height: 1)
        old.put("张", x: 0, y: 0)
        var new = old
        new.put("x", x: 1, y: 0)
        #expect(new.changes(from: old) == [CellGrid.Change(x: 0, y: 0, cells: [Cell(" "), Cell("x")])])
    }

    @Test func noOldGridOrANewSizeSendsEverything() {
        let g = CellGrid(width: 7, height: 3)
        #expect(g.changes(from: nil).map(\.cells.count) == [7, 7, 7])
        #expect(g.changes(from: CellGrid(width: 7, height: 4)).reduce(0) { $0 + $1.cells.count } == 21)
    }
}
