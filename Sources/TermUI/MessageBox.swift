/// A message in a centered box, with one or more buttons ("确定" alone by default).
public struct MessageBox: Equatable, Sendable {
    public var title: String
    public var message: String
    public var buttons: [String]
    /// Index of the focused button.
    public var focus: Int

    public init(title: String, message: String, buttons: [String] = ["确定"], focus: Int = 0) {
        self.title = title; self.message = message; self.buttons = buttons; self.focus = focus
    }

    /// Left/Right and Tab/Shift-Tab move between buttons; Enter chooses the focused one and Esc
    /// the last one (by convention the way out: 取消, or the only button). Returns the chosen
    /// button's index, or nil while the box stays open. A box takes every key while it is shown.
    public mutating func handle(_ key: KeyEvent) -> Int? {
        guard !buttons.isEmpty else { return key == .enter || key == .escape ? 0 : nil }
        switch key {
        case .enter: return focus
        case .escape: return buttons.count - 1
        case .left, .backTab: focus = (focus + buttons.count - 1) % buttons.count
        case .right, .tab: focus = (focus + 1) % buttons.count
        default: break
        }
        return nil
    }

    /// Draw the box centered on the whole grid, over whatever is there.
    public func render(into grid: inout CellGrid, chars: BoxChars = .unicode, style: Style = .plain) {
        Dialog.render(into: &grid, title: title, message: message, buttons: buttons, focus: focus,
                      chars: chars, style: style)
    }
}
