import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// The reducer: `update(state, event) -> effects`. It never touches the database or the
/// terminal; effects are values the runner carries out and answers with events.
public enum App {
    /// Ask before an irreversible action: `what` says what will happen; yes carries out `effects`.
    static func ask(_ s: inout AppState, title: String, what: String, then effects: [Effect], env: AppEnvironment) {
        s.ask = PendingConfirm(box: ConfirmBox(title: title, message: what, yesLabel: env.t("confirm.yes"), noLabel: env.t("confirm.no")),
                               yes: effects)
    }

    public static func update(_ s: inout AppState, _ event: AppEvent, env: AppEnvironment) -> [Effect] {
        let depth = s.stack.count
        var fx = dispatch(&s, event, env: env)
        // The screen above was popped and data changed meanwhile: the one uncovered reloads.
        if s.stack.count < depth, s.top.stale {
            s.stack[s.stack.count - 1].stale = false
            fx += s.top.module.routeUncovered(&s, env: env)
        }
        return fx
    }

    static func dispatch(_ s: inout AppState, _ event: AppEvent, env: AppEnvironment) -> [Effect] {
        switch event {
        case .key(let key):
            return handleKey(&s, key, env: env)
        case .screen(let e):
            return e.apply(&s, env)
        case .loggedIn(let user):
            return loggedIn(&s, user)
        case .failed(let error):
            s.message = Message(title: env.t("error.title"), text: describe(error, env.lang))
            if var l = LoginScreen.extract(s.top) { l.busy = false; s.replaceTop(LoginScreen.embed(l)) }
            return []
        }
    }

    /// Someone logged in: the main menu with their own work under it (issue 21 item 5), and a
    /// clerk's unfinished drafts.
    static func loggedIn(_ s: inout AppState, _ user: User) -> [Effect] {
        s.user = user
        s.stack = [MenuScreen.embed(MenuState(atLogin: true))]
        return [MenuScreen.effect(.loadWork)] + (Policy.allows(user.role, .takeApplications) ? [IntakeScreen.effect(.loadDrafts(atLogin: true))] : [])
    }

    /// Files were written: where they are.
    static func printed(_ s: inout AppState, _ paths: [String], env: AppEnvironment) {
        s.message = Message(title: env.t("print.title"), text: env.t("print.done", ["paths": paths.joined(separator: "\n")]))
    }

    /// What an error says to the user: the store's own message in the language shown.
    /// A refusal shown where the user is: in the open dialog, its input kept, or else in a
    /// message box.
    static func showRefusal(_ error: any Error, in dialog: inout ActionDialog?, _ s: inout AppState, env: AppEnvironment) {
        let why = describe(error, env.lang)
        if var box = dialog { box.error = why; box.busy = false; dialog = box } else { s.message = Message(title: env.t("error.title"), text: why) }
    }

    public static func describe(_ error: any Error, _ lang: Lang) -> String {
        if let e = error as? StoreError { return e.message(lang) }
        return String(describing: error)
    }

    // MARK: keys

    static func handleKey(_ s: inout AppState, _ key: KeyEvent, env: AppEnvironment) -> [Effect] {
        if key == .hangup { return [.quit] }
        if case .resize(let w, let h) = key {
            s.width = w; s.height = h
            return refill(&s, env: env)
        }
        // A question before an irreversible action takes every key: yes runs it, no changes nothing.
        if var a = s.ask {
            guard let choice = a.box.handle(key) else { s.ask = a; return [] }
            s.ask = nil
            return choice == .yes ? a.yes : []
        }
        if s.message != nil {
            let cmd = env.screens.keymap.command(for: key, on: .message)
            if cmd == .confirm || cmd == .back || key == .enter || key == .escape { s.message = nil }
            if cmd == .quit { return [.quit] }
            return []
        }
        let screen = s.topID
        let cmd = env.screens.keymap.command(for: key, on: screen)
        // A screen may take a key before the global commands (a form saves what is typed first).
        if let fx = s.top.module.routePreempt(&s, key, cmd, env: env) { return fx }
        // Commands that work everywhere.
        switch cmd {
        case .quit?:
            return [.quit]
        case .help? where screen != HelpScreen.id:
            s.push(HelpScreen.embed(HelpState(screen: screen, hidden: s.top.module.routeBarHidden(s, env))))
            return []
        case .mainMenu? where s.user != nil:
            while s.stack.count > 1, s.top.id != MenuScreen.id { s.pop() }
            if s.top.id != MenuScreen.id { s.stack = [MenuScreen.embed(MenuState())] }
            return []
        default: break
        }
        return s.top.module.routeKey(&s, key, cmd, env: env)
    }

    /// After a resize the screenful changes size: reload from the first row shown.
    static func refill(_ s: inout AppState, env: AppEnvironment) -> [Effect] {
        s.top.module.routeResize(&s, env: env)
    }
}
