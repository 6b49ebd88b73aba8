/// One input event, as the app's reducer sees it. Backends translate their own input into these.
public enum KeyEvent: Equatable, Sendable {
    /// A single printable character typed.
    case char(Character)
    /// Several characters that arrived at once: a paste, or a composed input-method string.
    case text(String)
    case enter, escape, tab, backTab, backspace, delete, insert
    case up, down, left, right, pageUp, pageDown, home, end
    /// F1 ... F12.
    case function(Int)
    /// Ctrl plus a letter, lower-case: `.ctrl("s")` for Ctrl-S.
    case ctrl(Character)
    /// The terminal changed size; the new size in columns and rows.
    case resize(width: Int, height: Int)
    /// The terminal went away (window closed, connection lost): save what can be and leave.
    case hangup
}

extension KeyEvent {
    /// The name used for this key in `screens/keymap.json` ("F2", "C-s", "Enter", "PgDn", "a").
    public var keymapName: String {
        switch self {
        case .char(let c): return c == " " ? "Space" : String(c)
        case .text(let t): return t
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .insert: return "Insert"
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .function(let n): return "F\(n)"
        case .ctrl(let c): return "C-\(c)"
        case .resize: return "Resize"
        case .hangup: return "Hangup"
        }
    }
}
