import CNcursesw
import TermUI

/// Turns what `wget_wch` returns into `KeyEvent`s. Pure (no curses state), so the mapping is
/// tested without a terminal; the backend does the reading and calls these.
public enum KeyDecoder {
    /// Map one `wget_wch` result. `isKeyCode` is true when `wget_wch` said `KEY_CODE_YES`
    /// (a function key), false for a character. `size` fills `.resize`. Returns nil for keys the
    /// app has no use for (mouse, Shift-F-keys, Ctrl-\ ...), so they are dropped, not typed.
    public static func map(code: Int32, isKeyCode: Bool, size: (width: Int, height: Int) = (0, 0)) -> KeyEvent? {
        if isKeyCode { return mapKeyCode(code, size: size) }
        switch code {
        case 8, 127: return .backspace          // ^H (vt100's kbs) and DEL (most terminals' kbs)
        case 9: return .tab
        case 10, 13: return .enter              // nonl(): Enter arrives as CR; ^J as LF
        case 27: return .escape
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(96 + code))))
        case 0, 28...31: return nil             // ^@ ^\ ^] ^^ ^_: nothing binds them
        default:
            guard isPrintable(code), let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            return .char(Character(scalar))
        }
    }

    /// A character that may be typed into a field: not a C0/C1 control or DEL.
    public static func isPrintable(_ code: Int32) -> Bool {
        code >= 0x20 && code != 0x7F && !(0x80...0x9F).contains(code) && Unicode.Scalar(UInt32(code)) != nil
    }

    private static func mapKeyCode(_ code: Int32, size: (width: Int, height: Int)) -> KeyEvent? {
        switch code {
        case KEY_UP, KEY_SR: return .up                  // KEY_SR/SF: Shift-Up/Down on xterm
        case KEY_DOWN, KEY_SF: return .down
        case KEY_LEFT, KEY_SLEFT: return .left
        case KEY_RIGHT, KEY_SRIGHT: return .right
        case KEY_PPAGE, KEY_SPREVIOUS, KEY_A3: return .pageUp     // A3/C3: keypad 9 / 3
        case KEY_NPAGE, KEY_SNEXT, KEY_C3: return .pageDown
        // Home and End come under several names: kHOM/kEND (Shifted), the keypad's 7 and 1
        // (A1, C1), and a vt220's Find/Select, which is what "\E[1~" / "\E[4~" decode to on
        // some terminfo entries.
        case KEY_HOME, KEY_SHOME, KEY_A1, KEY_FIND: return .home
        case KEY_END, KEY_SEND, KEY_C1, KEY_SELECT, KEY_LL: return .end
        case KEY_BTAB: return .backTab
        case KEY_BACKSPACE: return .backspace
        case KEY_DC, KEY_SDC: return .delete
        case KEY_IC, KEY_SIC: return .insert
        case KEY_ENTER: return .enter
        case KEY_RESIZE: return .resize(width: size.width, height: size.height)
        case jz_key_f(1)...jz_key_f(12): return .function(Int(code - jz_key_f(0)))
        default: return nil
        }
    }

    /// Map an extended key that ncurses defines at run time from terminfo (`keyname` of a code
    /// above KEY_MAX), e.g. "kHOM5" for Ctrl-Home or "kUP3" for Alt-Up. The modifier is
    /// dropped: Ctrl-Home still means Home.
    public static func map(extendedKeyName name: String) -> KeyEvent? {
        let base = String(name.prefix { !$0.isNumber })
        switch base {
        case "kUP": return .up
        case "kDN": return .down
        case "kLFT": return .left
        case "kRIT": return .right
        case "kHOM": return .home
        case "kEND": return .end
        case "kPRV": return .pageUp
        case "kNXT": return .pageDown
        case "kDC": return .delete
        case "kIC": return .insert
        default: return nil
        }
    }

    // MARK: Escape sequences ncurses did not decode

    /// Whether `body` (what followed ESC) is a whole sequence. CSI ("[") ends at a byte in
    /// 0x40...0x7E, SS3 ("O") after one more character; anything else is ESC plus one key
    /// (Alt+key). Used to know when to stop reading.
    public static func isCompleteEscapeBody(_ body: [Unicode.Scalar]) -> Bool {
        guard let first = body.first else { return false }
        switch first {
        case "[":
            // "\E[[A" is the Linux console's F1: one letter after the second "[".
            if body.count >= 2, body[1] == "[" { return body.count >= 3 }
            return body.count >= 2 && (0x40...0x7E).contains(body.last!.value)
        case "O": return body.count >= 2
        default: return true
        }
    }

    /// Decode a sequence that ncurses passed through as separate characters because the
    /// terminal's terminfo entry does not list it (a PuTTY or tmux Home under TERM=xterm, a
    /// Linux console key over ssh...). `body` is what followed ESC. Nil means "unknown":
    /// the caller drops it, so it never becomes typed garbage.
    public static func decodeEscapeBody(_ body: [Unicode.Scalar]) -> KeyEvent? {
        guard isCompleteEscapeBody(body), let first = body.first else { return nil }
        let rest = String(String.UnicodeScalarView(body.dropFirst()))
        if first == "O" {
            switch rest {
            case "A": return .up
            case "B": return .down
            case "C": return .right
            case "D": return .left
            case "H": return .home
            case "F": return .end
            case "P": return .function(1)
            case "Q": return .function(2)
            case "R": return .function(3)
            case "S": return .function(4)
            case "M": return .enter
            default: return nil
            }
        }
        guard first == "[" else { return nil }
        if rest.hasPrefix("[") {
            // Linux console F1...F5: \E[[A ... \E[[E
            guard let f = rest.unicodeScalars.last, (0x41...0x45).contains(f.value) else { return nil }
            return .function(Int(f.value) - 0x40)
        }
        let final = rest.unicodeScalars.last!
        let params = String(String.UnicodeScalarView(rest.unicodeScalars.dropLast()))
        // The first parameter names the key; a second is a modifier (";5" Ctrl, ";2" Shift).
        // Modified arrows and Home/End keep their meaning; modified F-keys (Shift-F1 is F13 on
        // xterm) are dropped, as their key codes are in `mapKeyCode`.
        let firstParam = Int(params.split(separator: ";", omittingEmptySubsequences: false).first ?? "")
        let modified = params.contains(";")
        if let key = decodeCSI(final: final, params: params, firstParam: firstParam),
           !(modified && isFunction(key)) {
            return key
        }
        return nil
    }

    private static func isFunction(_ key: KeyEvent) -> Bool {
        if case .function = key { return true }
        return false
    }

    private static func decodeCSI(final: Unicode.Scalar, params: String, firstParam: Int?) -> KeyEvent? {
        switch final {
        case "A": return .up
        case "B": return .down
        case "C": return .right
        case "D": return .left
        case "H": return .home
        case "F": return .end
        case "Z": return .backTab
        case "P": return .function(1)
        case "Q": return .function(2)
        case "R": return .function(3)
        case "S": return .function(4)
        case "~":
            switch firstParam {
            case 1, 7: return .home         // vt220 Find / rxvt Home
            case 4, 8: return .end          // vt220 Select / rxvt End
            case 2: return .insert
            case 3: return .delete
            case 5: return .pageUp
            case 6: return .pageDown
            case 11: return .function(1)
            case 12: return .function(2)
            case 13: return .function(3)
            case 14: return .function(4)
            case 15: return .function(5)
            case 17: return .function(6)
            case 18: return .function(7)
            case 19: return .function(8)
            case 20: return .function(9)
            case 21: return .function(10)
            case 23: return .function(11)
            case 24: return .function(12)
            default: return nil
            }
        default: return nil
        }
    }
}
