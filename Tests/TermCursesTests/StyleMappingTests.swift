import Testing
@testable import TermCurses
import TermUI

@Suite struct AttributeMapping {
    let map = AttributeMap(bold: 1, reverse: 2, underline: 4, dim: 8)

    @Test func eachAttributeMapsToItsBit() {
        #expect(map.attributes(for: []) == 0)
        #expect(map.attributes(for: .bold) == 1)
        #expect(map.attributes(for: .reverse) == 2)
        #expect(map.attributes(for: .underline) == 4)
        #expect(map.attributes(for: .dim) == 8)
        #expect(map.attributes(for: [.bold, .reverse, .underline, .dim]) == 15)
    }

    @Test func dimIsNormalWhereTheTerminalCannotDim() {
        // vt100's term_attrs() has bold, reverse, underline, blink, but no dim.
        let vt100 = AttributeMap.curses(supported: 0)
        #expect(vt100.dim == 0)
        #expect(vt100.attributes(for: .dim) == 0)
        #expect(vt100.attributes(for: [.dim, .bold]) == vt100.bold)
        #expect(vt100.bold != 0 && vt100.reverse != 0 && vt100.underline != 0)
    }

    @Test func dimIsKeptWhereSupported() {
        let all = AttributeMap.curses(supported: ~0)
        #expect(all.dim != 0)
        #expect(all.attributes(for: .dim) == all.dim)
    }
}

@Suite struct ColorPairs {
    @Test func defaultOnDefaultIsPairZero() {
        var cache = ColorPairCache(maxPairs: 64, defaultColorsAvailable: true)
        #expect(cache.pair(fg: .default, bg: .default) == (0, false))
    }

    @Test func pairsAreAllocatedOnceInOrder() {
        var cache = ColorPairCache(maxPairs: 64, defaultColorsAvailable: true)
        #expect(cache.pair(fg: .red, bg: .default) == (1, true))
        #expect(cache.pair(fg: .white, bg: .blue) == (2, true))
        #expect(cache.pair(fg: .red, bg: .default) == (1, false))
        #expect(cache.pair(fg: .white, bg: .blue) == (2, false))
        #expect(cache.colorNumbers(fg: .red, bg: .default) == (1, -1))
    }

    @Test func runningOutOfPairsFallsBackToPairZero() {
        var cache = ColorPairCache(maxPairs: 3, defaultColorsAvailable: true)
        #expect(cache.pair(fg: .red, bg: .default).pair == 1)
        #expect(cache.pair(fg: .green, bg: .default).pair == 2)
        #expect(cache.pair(fg: .blue, bg: .default) == (0, false))
        #expect(cache.pair(fg: .red, bg: .default) == (1, false))
    }

    @Test func withoutDefaultColorsDefaultIsWhiteOnBlack() {
        var cache = ColorPairCache(maxPairs: 64, defaultColorsAvailable: false)
        #expect(cache.colorNumbers(fg: .default, bg: .default) == (7, 0))
        #expect(cache.colorNumbers(fg: .red, bg: .default) == (1, 0))
        // White on black is what pair 0 already shows there.
        #expect(cache.pair(fg: .white, bg: .black) == (0, false))
        #expect(cache.pair(fg: .red, bg: .default) == (1, true))
    }

    @Test func noPairsAtAll() {
        var cache = ColorPairCache(maxPairs: 0, defaultColorsAvailable: false)
        #expect(cache.pair(fg: .red, bg: .blue) == (0, false))
    }

    @Test func resetStartsOver() {
        var cache = ColorPairCache(maxPairs: 64, defaultColorsAvailable: true)
        _ = cache.pair(fg: .red, bg: .default)
        cache.reset()
        #expect(cache.pair(fg: .green, bg: .default) == (1, true))
    }
}

@Suite struct ResetBytes {
    @Test func paddingIsStripped() {
        let vt100sgr0 = Array("\u{1B}[m\u{0F}$<2>".utf8)
        #expect(TerminalRescue.stripPadding(vt100sgr0) == Array("\u{1B}[m\u{0F}".utf8))
        #expect(TerminalRescue.stripPadding(Array("a$<5*/>b$c".utf8)) == Array("ab$c".utf8))
        #expect(TerminalRescue.stripPadding(Array("$<unclosed".utf8)) == Array("$<unclosed".utf8))
    }
}
