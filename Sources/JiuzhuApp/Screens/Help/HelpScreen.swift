import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

public struct HelpState: Equatable, Sendable {
    public var screen: ScreenID
    public var scroll = 0
    /// The screen's keys that are off where it was opened (a county file's F4/F7 in a
    /// township's review queue): not listed.
    public var hidden: Set<Command> = []
    public init(screen: ScreenID, scroll: Int = 0, hidden: Set<Command> = []) { self.screen = screen; self.scroll = scroll; self.hidden = hidden }
}

/// F1: the keys of the screen it was opened on, then the keys every screen takes, from `keymap.json`.
public enum HelpScreen: ScreenModule {
    public static let id: ScreenID = "help"

    public enum Effect: Equatable, Sendable {}
    public enum Event: Sendable {}
    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {}
    public static func event(_ s: inout AppState, _ st: inout HelpState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {}

    public static func key(_ s: inout AppState, _ h: inout HelpState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch cmd {
        case .back?: s.pop()
        case .up?: h.scroll = max(0, h.scroll - 1)
        case .down?: h.scroll += 1
        default: break
        }
        return []
    }

    public static func view(_ g: inout CellGrid, _ h: HelpState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.help(&g, h, s, env)
        return nil
    }
}

extension AppView {
    // MARK: help

    static func helpEntries(_ screen: ScreenID, _ env: AppEnvironment, hidden: Set<Command> = []) -> [HelpEntry] {
        var entries: [HelpEntry] = [.section(env.t("screen.\(screen.rawValue)"))]
        for b in env.screens.keymap.bindings(for: screen) where !hidden.contains(b.command) {
            entries.append(HelpEntry(keys: b.displayKey, description: b.text(env.lang)))
        }
        if screen == HouseholdsScreen.id {
            entries.append(HelpEntry(keys: "abc 张 123", description: env.t("households.searchHint")))
        }
        entries.append(.section(env.t("help.global")))
        for b in env.screens.keymap.global { entries.append(HelpEntry(keys: b.displayKey, description: b.text(env.lang))) }
        return entries
    }

    static func help(_ g: inout CellGrid, _ h: HelpState, _ s: AppState, _ env: AppEnvironment) {
        g.put(env.t("help.title", ["screen": env.t("screen.\(h.screen.rawValue)")]), x: 1, y: 1, style: headingStyle)
        // A description too long for its column goes on under itself (HelpView would cut it):
        // the column's width as HelpView lays it out.
        let width = g.width - 2
        let entries = helpEntries(h.screen, env, hidden: h.hidden)
        let keysWidth = min(width / 3, entries.reduce(0) { $1.isSection ? $0 : max($0, $1.keys.displayWidth) })
        let descWidth = width - 3 - (keysWidth + 2)
        let wrapped = entries.flatMap { e -> [HelpEntry] in
            guard !e.isSection, descWidth > 10, e.description.displayWidth > descWidth else { return [e] }
            let lines = wrap(e.description, width: descWidth)
            return [HelpEntry(keys: e.keys, description: lines.first ?? "")] + lines.dropFirst().map { HelpEntry(keys: "", description: $0) }
        }
        var view = HelpView(entries: wrapped, pageSize: g.height - 5)
        for _ in 0..<h.scroll { _ = view.handle(.down) }
        view.render(into: &g, x: 1, y: 3, width: g.width - 2, height: g.height - 5)
    }
}
