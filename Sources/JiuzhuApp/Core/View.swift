import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// `view(state) -> grid`: pure, drawn fresh each frame; the backend sends only what changed.
public enum AppView {
    public static let minWidth = 80
    public static let minHeight = 24

    static let titleStyle = Style(fg: .white, bg: .blue, attrs: [.reverse, .bold])
    static let statusStyle = Style(fg: .black, bg: .cyan, attrs: .reverse)
    static let errorStyle = Style(fg: .red, attrs: .bold)
    static let selectedStyle = Style(fg: .black, bg: .yellow, attrs: .reverse)
    static let dimStyle = Style(attrs: .dim)
    static let headingStyle = Style(fg: .cyan, attrs: .bold)

    /// The whole screen, and where the text cursor stands (nil: hidden).
    public static func render(_ s: AppState, env: AppEnvironment) -> (CellGrid, (x: Int, y: Int)?) {
        var g = CellGrid(width: s.width, height: s.height)
        if s.width < minWidth || s.height < minHeight {
            let msg = env.t("app.tooSmall", ["size": "\(s.width)×\(s.height)"])
            let line = TextWidth.prefix(msg, fitting: s.width)
            g.put(line, x: max(0, (s.width - line.displayWidth) / 2), y: s.height / 2)
            return (g, nil)
        }
        titleBar(&g, s, env)
        var cursor = s.top.module.routeView(&g, s, env)
        keyBar(&g, s.topID, env, hidden: s.top.module.routeBarHidden(s, env), labels: s.top.module.routeBarLabels(s, env))
        if let a = s.ask {
            a.box.render(into: &g)
            cursor = nil
        }
        if let m = s.message {
            MessageBox(title: m.title, message: m.text, buttons: [env.t("message.ok")]).render(into: &g)
            cursor = nil
        }
        return (g, cursor)
    }

    static func titleBar(_ g: inout CellGrid, _ s: AppState, _ env: AppEnvironment) {
        let left = " " + env.t("app.name") + (env.township.isEmpty ? "" : " · " + env.township)
        var right = env.today.iso + " "
        if let u = s.user {
            let line = env.t("title.line", ["township": "", "user": u.displayName, "role": u.role.label(env.lang), "date": env.today.iso])
            let trim: (Character) -> Bool = { $0 == " " || $0 == "·" }
            right = String(line.drop(while: trim).reversed().drop(while: trim).reversed()) + " "
        }
        StatusLine(left: left + "  " + env.t("screen.\(s.top.id.rawValue)"), right: right).render(into: &g, x: 0, y: 0, width: g.width, style: titleStyle)
    }

    /// F1 first (the key a new user looks for), then the screen's keys as it takes them (generic
    /// and its own, `Keymap.bindings`), then the global ones it does not override.
    static func keyBar(_ g: inout CellGrid, _ screen: ScreenID, _ env: AppEnvironment, hidden: Set<Command> = [], labels: [Command: String] = [:]) {
        var items: [KeyBarItem] = []
        let own = env.screens.keymap.bindings(for: screen)
        for b in env.screens.keymap.global where b.key == "F1" { items.append(KeyBarItem(b.displayKey, b.bar.map { $0(env.lang) } ?? b.text(env.lang))) }
        for b in own + env.screens.keymap.global where b.key != "F1" {
            let key = b.barKey ?? b.displayKey
            guard let bar = b.bar, !items.contains(where: { $0.key == key }), !hidden.contains(b.command) else { continue }
            if own.contains(where: { $0.key == b.key && $0 != b }) { continue }
            items.append(KeyBarItem(key, labels[b.command] ?? bar(env.lang)))
        }
        _ = KeyBar(items).render(into: &g, x: 0, y: g.height - 1, width: g.width)
    }

    static func status(_ g: inout CellGrid, left: String, right: String) {
        StatusLine(left: left, right: right).render(into: &g, x: 0, y: g.height - 2, width: g.width, style: statusStyle)
    }

    static func grouped(_ n: Int) -> String {
        let s = String(n)
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return out
    }
}
