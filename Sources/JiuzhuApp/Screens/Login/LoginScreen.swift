import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

public struct LoginState: Equatable, Sendable {
    public var user = TextField("", maxLength: 32)
    public var password = TextField("", maxLength: 64, isSecure: true)
    public var focus = 0            // 0 user, 1 password
    public var busy = false
    public var error: String?
    public init() {}

    public static func == (a: LoginState, b: LoginState) -> Bool {
        a.user.value == b.user.value && a.password.value == b.password.value && a.focus == b.focus && a.busy == b.busy && a.error == b.error
    }
}

/// 登录: a name and a password, checked by the store (slowly, on purpose: PBKDF2).
public enum LoginScreen: ScreenModule {
    public static let id: ScreenID = "login"

    public enum Effect: Equatable, Sendable {
        case authenticate(user: String, password: String)
    }

    public enum Event: Sendable {
        case authenticated(User)
        /// Wrong name or password, locked, disabled: the store's error, said on the login box.
        case refused(any Error)
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        switch effect {
        case .authenticate(let user, let password):
            do {
                let u = try cx.store.authenticate(name: user, password: password)
                cx.log("login \(u.name)")
                return .authenticated(u)
            } catch {
                return .refused(error)
            }
        }
    }

    public static func event(_ s: inout AppState, _ l: inout LoginState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch event {
        case .authenticated(let user):
            return App.loggedIn(&s, user)
        case .refused(let error):
            guard LoginScreen.top(s) != nil else { return [] }
            l.busy = false; l.password = TextField("", maxLength: 64, isSecure: true); l.focus = 1
            switch error as? StoreError {
            case .corrupt?, .diskFull?, .readOnly?, .locked?, .writeFailed?, .keyMissing?, .keyFileDamaged?:
                // About the file, not the name or password: the whole paragraph (what happened,
                // what to do) in a message box; the login box's one line would cut it.
                l.error = nil
                s.message = Message(title: env.t("error.title"), text: App.describe(error, env.lang))
            default:
                l.error = App.describe(error, env.lang)
            }
            return []
        }
    }

    public static func orphan(_ s: inout AppState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        if case .authenticated(let user) = event { return App.loggedIn(&s, user) }
        return []
    }

    public static func key(_ s: inout AppState, _ l: inout LoginState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        if l.busy { return [] }
        switch cmd {
        case .nextField?: l.focus = (l.focus + 1) % 2; return []
        case .prevField?: l.focus = (l.focus + 1) % 2; return []
        case .confirm?:
            let user = l.user.value.trimmingCharacters(in: .whitespaces)
            if user.isEmpty { l.error = env.t("login.empty"); l.focus = 0; return [] }
            if l.focus == 0 && l.password.value.isEmpty { l.focus = 1; return [] }
            l.busy = true; l.error = nil
            return [effect(.authenticate(user: user, password: l.password.value))]
        default:
            if l.focus == 0 { _ = l.user.handle(key) } else { _ = l.password.handle(key) }
            return []
        }
    }

    /// `text` with a line break after each Chinese full stop but the last.
    static func sentenceLines(_ text: String) -> String {
        let fullStop: Character = "\u{3002}"           // the ideographic full stop
        var out = ""
        for ch in text {
            out.append(ch)
            if ch == fullStop { out.append("\n") }
        }
        return out.hasSuffix("\n") ? String(out.dropLast()) : out
    }

    public static func view(_ g: inout CellGrid, _ l: LoginState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        let w = 56
        // The refusal whole (English words run longer): the box grows by the lines it wraps to.
        // Chinese has no spaces to break at: each sentence (。) begins a line of its own, so a
        // line never ends inside a word such as 输错.
        let errorLines = l.busy ? [] : l.error.map { TermUI.wrap(Self.sentenceLines($0), width: w - 6) } ?? []
        let h = 8 + max(1, min(errorLines.count, 4))
        let x = (g.width - w) / 2, y = max(2, (g.height - h) / 2 - 2)
        g.drawBox(x: x, y: y, width: w, height: h, title: env.t("login.title"))
        let labelW = 10
        g.put(env.t("login.user"), x: x + 3, y: y + 2, maxWidth: labelW)
        g.put(env.t("login.password"), x: x + 3, y: y + 4, maxWidth: labelW)
        let fx = x + 3 + labelW + 1, fw = w - labelW - 8
        let c0 = l.user.render(into: &g, x: fx, y: y + 2, width: fw)
        let c1 = l.password.render(into: &g, x: fx, y: y + 4, width: fw)
        if l.busy {
            g.put(env.t("login.checking"), x: x + 3, y: y + 6, maxWidth: w - 6)
        } else {
            for (i, line) in errorLines.prefix(4).enumerated() { g.put(line, x: x + 3, y: y + 6 + i, style: AppView.errorStyle, maxWidth: w - 6) }
        }
        var row = y + h + 1
        if env.demo {
            for line in TermUI.wrap(env.t("login.demoHint"), width: min(76, g.width - 4)) {
                g.put(line, x: (g.width - line.displayWidth) / 2, y: row); row += 1
            }
        }
        let db = env.t("login.database", ["path": env.databasePath])
        g.put(TextWidth.prefix(db, fitting: g.width - 4), x: 2, y: g.height - 3, style: AppView.dimStyle)
        if l.busy { return nil }
        return l.focus == 0 ? (c0, y + 2) : (c1, y + 4)
    }
}
