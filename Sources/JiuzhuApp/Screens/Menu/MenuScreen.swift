import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

public struct MenuState: Equatable, Sendable {
    public var selection = 0
    public init() {}
}

/// 主菜单: the items of `screens/menu.json`, each opening its screen for the roles it names.
public enum MenuScreen: ScreenModule {
    public static let id = ScreenID.menu
    public static func embed(_ state: MenuState) -> Screen { .menu(state) }
    public static func extract(_ screen: Screen) -> MenuState? { if case .menu(let m) = screen { return m } else { return nil } }

    public enum Effect: Equatable, Sendable {}
    public enum Event: Sendable {}
    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {}
    public static func event(_ s: inout AppState, _ st: inout MenuState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {}

    /// Why the current user may not use an item, or nil if they may.
    public static func denial(_ item: MenuItemSpec, user: User?, env: AppEnvironment) -> String? {
        guard let u = user else { return nil }
        if item.roles.contains(u.role.rawValue) { return nil }
        let roles = item.roles.compactMap { Role(rawValue: $0)?.label(env.lang) }.joined(separator: env.t("menu.text"))
        return env.t("menu.denied", ["role": u.role.label(env.lang), "roles": roles])
    }

    public static func key(_ s: inout AppState, _ m: inout MenuState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        let items = env.screens.menu
        var activate: Int?
        if case .char(let c) = key, let i = items.firstIndex(where: { $0.key == String(c) }) {
            activate = i
        } else {
            switch cmd {
            case .up?: m.selection = (m.selection + items.count - 1) % items.count
            case .down?: m.selection = (m.selection + 1) % items.count
            case .confirm?: activate = m.selection
            case .logout?:
                s.user = nil
                s.stack = [.login(LoginState())]
                return []
            default: break
            }
        }
        guard let i = activate else { return [] }
        m.selection = i
        s.replaceTop(.menu(m))
        let item = items[i]
        if item.id == "quit" { return [.quit] }
        if let why = denial(item, user: s.user, env: env) {
            s.message = Message(title: item.label(env.lang), text: why)
            return []
        }
        if let screen = item.screen.flatMap(ScreenID.init(rawValue:)),
           let fx = Screen.modules[screen]?.open(&s, env: env) {
            return fx
        }
        s.message = Message(title: item.label(env.lang), text: env.t("menu.notAvailable", ["item": item.label(env.lang)]))
        return []
    }

    public static func view(_ g: inout CellGrid, _ m: MenuState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        let items = env.screens.menu
        let w = min(g.width - 4, 72)
        let x = (g.width - w) / 2
        let y = max(2, (g.height - items.count - 6) / 2)
        g.put(env.t("menu.title"), x: x, y: y, style: AppView.headingStyle)
        g.put(env.t("menu.hint"), x: x, y: y + 1, style: AppView.dimStyle, maxWidth: w)
        for (i, item) in items.enumerated() {
            let row = y + 3 + i
            let denied = denial(item, user: s.user, env: env)
            let notBuilt = item.screen == nil && item.id != "quit"
            var text = " \(item.key)  \(item.label(env.lang))"
            // As wide as the longest label (a label is never cut), the reason gets the rest.
            let labelW = min(w / 2, max(24, items.map { " \($0.key)  \($0.label(env.lang))".displayWidth + 1 }.max() ?? 0))
            text = TextWidth.fit(text, labelW)
            var style: Style = denied != nil ? AppView.dimStyle : .plain
            if i == m.selection { style = AppView.selectedStyle }
            g.put(text, x: x, y: row, style: style)
            // The reason is text too, so a monochrome terminal shows why an item is dim.
            if let why = denied {
                g.put(why, x: x + labelW + 1, y: row, style: AppView.dimStyle, maxWidth: w - labelW - 1)
            } else if notBuilt {
                g.put(env.t("menu.notAvailable", ["item": ""]).trimmingCharacters(in: CharacterSet(charactersIn: "「」“” ")),
                      x: x + labelW + 1, y: row, style: AppView.dimStyle, maxWidth: w - labelW - 1)
            }
        }
        AppView.status(&g, left: s.user.map { "\($0.displayName) · \($0.role.label(env.lang))" } ?? "", right: env.databasePath)
        return nil
    }
}
