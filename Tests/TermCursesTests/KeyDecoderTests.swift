import Testing
@testable import TermCurses
import TermUI

// Key codes are ncurses' ABI values (curses.h, octal), written out so the tests check the
// mapping against what the library really returns.
private let KEY_DOWN: Int32 = 0o402, KEY_UP: Int32 = 0o403, KEY_LEFT: Int32 = 0o404, KEY_RIGHT: Int32 = 0o405
private let KEY_HOME: Int32 = 0o406, KEY_BACKSPACE: Int32 = 0o407, KEY_F0: Int32 = 0o410
private let KEY_DC: Int32 = 0o512, KEY_IC: Int32 = 0o513, KEY_NPAGE: Int32 = 0o522, KEY_PPAGE: Int32 = 0o523
private let KEY_ENTER: Int32 = 0o527, KEY_A1: Int32 = 0o534, KEY_C1: Int32 = 0o537, KEY_BTAB: Int32 = 0o541
private let KEY_END: Int32 = 0o550, KEY_FIND: Int32 = 0o552, KEY_SELECT: Int32 = 0o601
private let KEY_SEND: Int32 = 0o602, KEY_SHOME: Int32 = 0o607, KEY_RESIZE: Int32 = 0o632, KEY_MOUSE: Int32 = 0o631

@Suite struct KeyCodeMapping {
    private func key(_ code: Int32) -> KeyEvent? { KeyDecoder.map(code: code, isKeyCode: true, size: (80, 24)) }
    private func char(_ code: Int32) -> KeyEvent? { KeyDecoder.map(code: code, isKeyCode: false) }

    @Test func navigation() {
        #expect(key(KEY_UP) == .up)
        #expect(key(KEY_DOWN) == .down)
        #expect(key(KEY_LEFT) == .left)
        #expect(key(KEY_RIGHT) == .right)
        #expect(key(KEY_PPAGE) == .pageUp)
        #expect(key(KEY_NPAGE) == .pageDown)
    }

    @Test func homeAndEndUnderEveryName() {
        for code in [KEY_HOME, KEY_SHOME, KEY_A1, KEY_FIND] { #expect(key(code) == .home) }
        for code in [KEY_END, KEY_SEND, KEY_C1, KEY_SELECT] { #expect(key(code) == .end) }
    }

    @Test func editingKeys() {
        #expect(key(KEY_BTAB) == .backTab)
        #expect(key(KEY_BACKSPACE) == .backspace)
        #expect(key(KEY_DC) == .delete)
        #expect(key(KEY_IC) == .insert)
        #expect(key(KEY_ENTER) == .enter)
    }

    @Test func functionKeysOneToTwelve() {
        for n in 1...12 { #expect(key(KEY_F0 + Int32(n)) == .function(n)) }
        // F13...F24 are Shift-F1...F12 on xterm: nothing binds them, so they are dropped.
        #expect(key(KEY_F0 + 13) == nil)
        #expect(key(KEY_F0) == nil)
    }

    @Test func resizeCarriesTheNewSize() {
        #expect(KeyDecoder.map(code: KEY_RESIZE, isKeyCode: true, size: (100, 30)) == .resize(width: 100, height: 30))
    }

    @Test func unknownKeyCodesAreDropped() {
        #expect(key(KEY_MOUSE) == nil)
        #expect(key(0o777) == nil)
    }

    @Test func controlCharacters() {
        #expect(char(9) == .tab)
        #expect(char(13) == .enter)
        #expect(char(10) == .enter)
        #expect(char(27) == .escape)
        #expect(char(127) == .backspace)
        #expect(char(8) == .backspace)
        #expect(char(1) == .ctrl("a"))
        #expect(char(3) == .ctrl("c"))
        #expect(char(19) == .ctrl("s"))
        #expect(char(26) == .ctrl("z"))
        #expect(char(0) == nil)
        #expect(char(28) == nil)
        #expect(char(0x9B) == nil)   // C1 CSI is not text
    }

    @Test func printableCharacters() {
        #expect(char(0x61) == .char("a"))
        #expect(char(0x20) == .char(" "))
        #expect(char(0x5F20) == .char("张"))
        #expect(char(0x1F600) == .char("😀"))
        #expect(char(0xD800) == nil)  // a lone surrogate is not a character
    }

    @Test func extendedKeyNamesDropTheModifier() {
        #expect(KeyDecoder.map(extendedKeyName: "kHOM5") == .home)
        #expect(KeyDecoder.map(extendedKeyName: "kEND3") == .end)
        #expect(KeyDecoder.map(extendedKeyName: "kUP5") == .up)
        #expect(KeyDecoder.map(extendedKeyName: "kDN") == .down)
        #expect(KeyDecoder.map(extendedKeyName: "kLFT7") == .left)
        #expect(KeyDecoder.map(extendedKeyName: "kRIT2") == .right)
        #expect(KeyDecoder.map(extendedKeyName: "kNXT5") == .pageDown)
        #expect(KeyDecoder.map(extendedKeyName: "kPRV5") == .pageUp)
        #expect(KeyDecoder.map(extendedKeyName: "kDC5") == .delete)
        #expect(KeyDecoder.map(extendedKeyName: "kxIN") == nil)  // focus-in report
    }
}

@Suite struct EscapeSequences {
    private func body(_ s: String) -> [Unicode.Scalar] { Array(s.unicodeScalars) }
    private func decode(_ s: String) -> KeyEvent? { KeyDecoder.decodeEscapeBody(body(s)) }

    @Test func homeAndEndAsTerminalsSendThem() {
        #expect(decode("[1~") == .home)   // tmux, screen, Linux console, PuTTY
        #expect(decode("[4~") == .end)
        #expect(decode("[7~") == .home)   // rxvt
        #expect(decode("[8~") == .end)
        #expect(decode("[H") == .home)    // xterm, normal cursor mode
        #expect(decode("[F") == .end)
        #expect(decode("OH") == .home)    // xterm, application mode
        #expect(decode("OF") == .end)
        #expect(decode("[1;5H") == .home) // Ctrl-Home
    }

    @Test func otherKeys() {
        #expect(decode("[A") == .up)
        #expect(decode("OB") == .down)
        #expect(decode("[1;2C") == .right)
        #expect(decode("[5~") == .pageUp)
        #expect(decode("[6~") == .pageDown)
        #expect(decode("[2~") == .insert)
        #expect(decode("[3~") == .delete)
        #expect(decode("[Z") == .backTab)
        #expect(decode("OM") == .enter)
    }

    @Test func functionKeys() {
        #expect(decode("OP") == .function(1))
        #expect(decode("OS") == .function(4))
        #expect(decode("[[A") == .function(1))  // Linux console
        #expect(decode("[[E") == .function(5))
        #expect(decode("[15~") == .function(5))
        #expect(decode("[21~") == .function(10))
        #expect(decode("[24~") == .function(12))
        #expect(decode("[15;2~") == nil)       // Shift-F5: dropped like KEY_F(17)
        #expect(decode("[1;2P") == nil)
    }

    @Test func unknownSequencesAndAltKeysAreDropped() {
        #expect(decode("[25~") == nil)
        #expect(decode("[200~") == nil)   // bracketed paste marker
        #expect(decode("a") == nil)       // Alt-a
        #expect(decode("张") == nil)
        #expect(decode("[") == nil)       // incomplete
    }

    @Test func sequenceEnds() {
        #expect(!KeyDecoder.isCompleteEscapeBody(body("[")))
        #expect(!KeyDecoder.isCompleteEscapeBody(body("[1")))
        #expect(!KeyDecoder.isCompleteEscapeBody(body("[1;5")))
        #expect(KeyDecoder.isCompleteEscapeBody(body("[1;5H")))
        #expect(KeyDecoder.isCompleteEscapeBody(body("[15~")))
        #expect(!KeyDecoder.isCompleteEscapeBody(body("[[")))
        #expect(KeyDecoder.isCompleteEscapeBody(body("[[A")))
        #expect(!KeyDecoder.isCompleteEscapeBody(body("O")))
        #expect(KeyDecoder.isCompleteEscapeBody(body("OP")))
        #expect(KeyDecoder.isCompleteEscapeBody(body("x")))
        #expect(!KeyDecoder.isCompleteEscapeBody([]))
    }
}
