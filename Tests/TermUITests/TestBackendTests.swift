import Testing
import TermUI

@Suite struct TestBackendTests {
    @Test func screenTextTrimsAndCountsWideCharactersOnce() {
        let backend = TestBackend(width: 10, height: 2)
        var g = CellGrid(width: 10, height: 2)
        g.put("张三 ab", x: 1, y: 0)
        backend.draw(g, cursor: (3, 0))
        #expect(backend.screenText == " 张三 ab\n")
        #expect(backend.cursor?.x == 3)
    }

    @Test func firstDrawSendsEveryCellThenOnlyChanges() {
        let backend = TestBackend(width: 80, height: 24)
        var g = CellGrid(width: 80, height: 24)
        g.put("户主 张三丰  身份证号 110105194912310021", x: 0, y: 3)
        backend.draw(g, cursor: nil)
        #expect(backend.lastCellsSent == 80 * 24)

        g.put("李", x: 5, y: 3)  // 张三丰 becomes 李三丰
        backend.draw(g, cursor: nil)
        #expect(backend.lastCellsSent == 2)
        g.put("X", x: 37, y: 3)
        backend.draw(g, cursor: nil)
        #expect(backend.lastCellsSent == 1)
        #expect(backend.lastChanges == [CellGrid.Change(x: 37, y: 3, cells: [Cell("X")])])
        backend.draw(g, cursor: nil)
        #expect(backend.lastCellsSent == 0)
        #expect(backend.totalCellsSent == 80 * 24 + 3)
        #expect(backend.screen == g)
    }

    @Test func eventsComeOutInOrderThenNil() {
        let backend = TestBackend(events: [.char("张"), .enter])
        backend.enqueue(.function(2))
        #expect(backend.readEvent(timeoutMs: 0) == .char("张"))
        #expect(backend.readEvent(timeoutMs: 0) == .enter)
        #expect(backend.readEvent(timeoutMs: 0) == .function(2))
        #expect(backend.readEvent(timeoutMs: 100) == nil)
    }

    @Test func resizeChangesTheSizeQueuesAnEventAndRedrawsEverything() {
        let backend = TestBackend(width: 80, height: 24)
        backend.draw(CellGrid(width: 80, height: 24), cursor: nil)
        backend.resize(width: 100, height: 30)
        #expect(backend.size == (100, 30))
        #expect(backend.readEvent(timeoutMs: 0) == .resize(width: 100, height: 30))
        var g = CellGrid(width: 100, height: 30)
        g.put("x", x: 99, y: 29)
        backend.draw(g, cursor: nil)
        #expect(backend.lastCellsSent == 100 * 30)
        #expect(backend.screen == g)
    }

    /// The screen is built only from the runs `changes(from:)` sends; after any sequence of
    /// frames it must equal the last frame, or the diff lost a cell.
    @Test func theDiffPathReproducesEveryFrame() {
        var rng = SplitMix(state: 7)
        let backend = TestBackend(width: 20, height: 4)
        let pieces = ["张三", "a", "李四丰", "ＡＢ", "é", " ", "欧阳明月"]
        var g = CellGrid(width: 20, height: 4)
        for _ in 0..<300 {
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let x = Int.random(in: -1...20, using: &rng), y = Int.random(in: 0...3, using: &rng)
                switch Int.random(in: 0...2, using: &rng) {
                case 0: g.put(pieces.randomElement(using: &rng)!, x: x, y: y)
                case 1: g.restyle(x: x, y: y, width: Int.random(in: 1...3, using: &rng), style: Style(attrs: .reverse))
                default: g.fill(x: x, y: y, width: Int.random(in: 1...3, using: &rng), height: 1)
                }
            }
            backend.draw(g, cursor: nil)
            #expect(backend.screen == g)
        }
    }

    @Test func annotatedTextMarksReversedCellsPerColumn() {
        var g = CellGrid(width: 8, height: 3)
        g.put("张三 ab", x: 0, y: 1)
        g.restyle(x: 0, y: 1, width: 5, style: Style(attrs: .reverse))
        g.put("c", x: 2, y: 2, style: Style(attrs: [.dim, .reverse]))
        let backend = TestBackend(width: 8, height: 3)
        backend.draw(g, cursor: nil)
        #expect(backend.screenText(marking: [.reverse, .dim]) == """

            张三 ab
            #####
              c
              #
              ~
            """)
    }
}
