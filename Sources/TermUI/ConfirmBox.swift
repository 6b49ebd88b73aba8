/// A yes-or-no question in a centered box ("放弃未保存的输入？").
public struct ConfirmBox: Equatable, Sendable {
    public enum Choice: Equatable, Sendable { case yes, no }

    public var title: String
    public var message: String
    public var yesLabel: String
    public var noLabel: String
    /// The focused button: what Enter chooses. No by default, so a hurried Enter loses nothing.
    public var focus: Choice

    public init(title: String, message: String, yesLabel: String = "是(Y)", noLabel: String = "否(N)",
                focus: Choice = .no) {
        self.title = title; self.message = message; self.yesLabel = yesLabel; self.noLabel = noLabel
        self.focus = focus
    }

    /// Y or N (either case) decide at once; Enter takes the focused button; Esc means no.
    /// Left, Right, Tab and Shift-Tab move the focus. Returns the decision, or nil while the user
    /// is still choosing. A box takes every key while it is shown.
    public mutating func handle(_ key: KeyEvent) -> Choice? {
        switch key {
        case .char("y"), .char("Y"): return .yes
        case .char("n"), .char("N"), .escape: return .no
        case .enter: return focus
        case .left, .right, .tab, .backTab: focus = focus == .yes ? .no : .yes
        default: break
        }
        return nil
    }

    /// Draw the box centered on the whole grid, over whatever is there: yes on the left.
    public func render(into grid: inout CellGrid, chars: BoxChars = .unicode, style: Style = .plain) {
        Dialog.render(into: &grid, title: title, message: message, buttons: [yesLabel, noLabel],
                      focus: focus == .yes ? 0 : 1, chars: chars, style: style)
    }
}
