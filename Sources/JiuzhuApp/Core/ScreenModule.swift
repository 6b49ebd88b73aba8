import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// One screen of the app, kept in its own folder `Screens/<Name>/`: its state, what its keys do,
/// what it does with the answers to its own effects, how it is drawn, and the handler that
/// carries out its effects. `Screens/Audit/AuditScreen.swift` is the worked example
/// (`docs/architecture.md`, "Adding a screen").
///
/// The root `Effect` and `AppEvent` only route: a screen's effect travels as
/// `.screen(ScreenEffect)` and its answer as `.screen(ScreenEvent)`, each remembering which
/// module it belongs to, so neither the runner nor the reducer names a screen's cases.
public protocol ScreenModule: SendableMetatype {
    /// What the screen holds; stored on the stack in its `Screen`.
    associatedtype State: Equatable & Sendable
    /// What the screen asks the outside world to do. Values, so a test can compare them.
    associatedtype Effect: Equatable & Sendable
    /// What the handler answers: facts (rows, ids, counts, errors), never text to show and never
    /// another screen's state. The screen's `event` turns them into what the user sees.
    associatedtype Event: Sendable

    /// The screen's name: its section in `keymap.json`, `screen.ID` in `strings.json`.
    static var id: ScreenID { get }
    /// Other keymap sections the screen reads in some modes (the case view's `caseInForce`).
    static var otherSections: [ScreenID] { get }

    /// The keymap section the screen's keys are read from now (a dialog reads `caseAction`).
    static func keymapSection(_ st: State, _ s: AppState) -> ScreenID
    /// A key before the global commands see it (a form saves what is typed before quitting):
    /// effects to take it, or nil to let it through.
    static func preempt(_ s: inout AppState, _ st: inout State, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect]?
    /// A key the global commands left to the screen. `st` is written back unless the key left
    /// the screen (popped it or pushed another).
    static func key(_ s: inout AppState, _ st: inout State, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect]
    /// An answer to one of the screen's effects, applied to the newest such screen on the stack.
    static func event(_ s: inout AppState, _ st: inout State, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect]
    /// An answer that finds no such screen on the stack (the user left it meanwhile).
    static func orphan(_ s: inout AppState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect]
    /// Draw the screen between the title bar and the key bar; where the text cursor stands.
    static func view(_ g: inout CellGrid, _ st: State, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)?
    /// Carry out an effect: the handler reads and writes through the store and answers with an
    /// event, or with none (`cx.background` answers later). A thrown error comes back to the
    /// user as a message (`AppEvent.failed`).
    static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event?
    /// Bounded reads that answer in milliseconds: the frame before them is not drawn.
    static func isQuickRead(_ effect: Effect) -> Bool
    /// Opened from the main menu (`menu.json` names the screen): push it and say what it loads
    /// first. nil: the screen is not opened from the menu.
    static func open(_ s: inout AppState, env: AppEnvironment) -> [JiuzhuApp.Effect]?
    /// The screen above this one was popped after data changed (`AppState.dataChanged`: a
    /// household change recorded, a case acted on, a ledger imported): reload what it shows.
    static func uncovered(_ s: inout AppState, _ st: inout State, env: AppEnvironment) -> [JiuzhuApp.Effect]
    /// The terminal changed size while the screen is on top.
    static func resized(_ s: inout AppState, _ st: inout State, env: AppEnvironment) -> [JiuzhuApp.Effect]
    /// Commands left off the key bar now because they do not apply (issue 21 item 5: the case
    /// view shows only the actions its step allows this user). The keys still answer, with why not.
    static func barHidden(_ st: State, _ s: AppState, _ env: AppEnvironment) -> Set<Command>
    /// Key-bar labels that name what a key does here, in place of the keymap's (issue 21 item 5:
    /// the case view's F2 reads 办结本步 at a clerk's step, 同意 at a reviewer's).
    static func barLabels(_ st: State, _ s: AppState, _ env: AppEnvironment) -> [Command: String]
}

extension ScreenModule {
    public static var otherSections: [ScreenID] { [] }
    /// The screen holding `state`, to push on the stack.
    public static func embed(_ state: State) -> Screen { Screen(Self.self, state) }
    /// The state of `screen` if it is this module's.
    public static func extract(_ screen: Screen) -> State? { screen.state(of: Self.self) }
    public static func keymapSection(_ st: State, _ s: AppState) -> ScreenID { id }
    public static func orphan(_ s: inout AppState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] { [] }
    public static func preempt(_ s: inout AppState, _ st: inout State, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect]? { nil }
    public static func isQuickRead(_ effect: Effect) -> Bool { false }
    public static func open(_ s: inout AppState, env: AppEnvironment) -> [JiuzhuApp.Effect]? { nil }
    public static func resized(_ s: inout AppState, _ st: inout State, env: AppEnvironment) -> [JiuzhuApp.Effect] { [] }
    public static func uncovered(_ s: inout AppState, _ st: inout State, env: AppEnvironment) -> [JiuzhuApp.Effect] { [] }
    public static func barHidden(_ st: State, _ s: AppState, _ env: AppEnvironment) -> Set<Command> { [] }
    public static func barLabels(_ st: State, _ s: AppState, _ env: AppEnvironment) -> [Command: String] { [:] }

    /// The root effect that carries `effect` to this screen's handler.
    public static func effect(_ effect: Effect) -> JiuzhuApp.Effect { .screen(ScreenEffect(effect, Self.self)) }
    /// The root event that carries `event` to this screen.
    public static func answer(_ event: Event) -> AppEvent { .screen(ScreenEvent(event, Self.self)) }

    /// The state of the top screen if it is this one.
    static func top(_ s: AppState) -> State? { extract(s.top) }

    // The routing the reducer and the view use: one line each there.

    static func routeKey(_ s: inout AppState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        guard var st = extract(s.top) else { return [] }
        let depth = s.stack.count
        let fx = Self.key(&s, &st, key, cmd, env: env)
        if s.stack.count == depth, extract(s.top) != nil { s.replaceTop(embed(st)) }
        return fx
    }

    static func routePreempt(_ s: inout AppState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect]? {
        guard var st = extract(s.top) else { return nil }
        let depth = s.stack.count
        guard let fx = preempt(&s, &st, key, cmd, env: env) else { return nil }
        if s.stack.count == depth, extract(s.top) != nil { s.replaceTop(embed(st)) }
        return fx
    }

    static func routeEvent(_ s: inout AppState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        guard let i = s.stack.lastIndex(where: { extract($0) != nil }), var st = extract(s.stack[i]) else {
            return orphan(&s, event, env: env)
        }
        let fx = Self.event(&s, &st, event, env: env)
        // The event may have moved the stack (popped, pushed): write back where the screen still is.
        if s.stack.indices.contains(i), extract(s.stack[i]) != nil {
            let stale = s.stack[i].stale
            s.stack[i] = embed(st); s.stack[i].stale = stale
        }
        return fx
    }

    static func routeResize(_ s: inout AppState, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        guard var st = extract(s.top) else { return [] }
        let fx = resized(&s, &st, env: env)
        s.replaceTop(embed(st))
        return fx
    }

    static func routeUncovered(_ s: inout AppState, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        guard var st = extract(s.top) else { return [] }
        let depth = s.stack.count
        let fx = uncovered(&s, &st, env: env)
        if s.stack.count == depth, extract(s.top) != nil { s.replaceTop(embed(st)) }
        return fx
    }

    static func routeView(_ g: inout CellGrid, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        guard let st = extract(s.top) else { return nil }
        return view(&g, st, s, env)
    }

    static func routeBarHidden(_ s: AppState, _ env: AppEnvironment) -> Set<Command> {
        guard let st = extract(s.top) else { return [] }
        return barHidden(st, s, env)
    }

    static func routeBarLabels(_ s: AppState, _ env: AppEnvironment) -> [Command: String] {
        guard let st = extract(s.top) else { return [:] }
        return barLabels(st, s, env)
    }

    static func routeSection(_ s: AppState) -> ScreenID {
        guard let st = extract(s.top) else { return id }
        return keymapSection(st, s)
    }
}

/// A screen's effect on its way to the screen's handler: equal when the same screen's effects
/// are equal, so tests compare effects as values.
public struct ScreenEffect: Equatable, Sendable, CustomStringConvertible {
    public let screen: ScreenID
    let value: any Equatable & Sendable
    let quick: Bool
    let run: @Sendable (EffectContext) throws -> AppEvent?

    init<M: ScreenModule>(_ effect: M.Effect, _ module: M.Type) {
        screen = M.id
        value = effect
        quick = M.isQuickRead(effect)
        run = { cx in try M.perform(effect, cx).map { M.answer($0) } }
    }

    /// The effect as the screen's own type, or nil when it is another screen's.
    public func `as`<E>(_ type: E.Type) -> E? { value as? E }

    public static func == (a: ScreenEffect, b: ScreenEffect) -> Bool {
        func same<T: Equatable>(_ x: T, _ y: Any) -> Bool { (y as? T) == x }
        return a.screen == b.screen && same(a.value, b.value)
    }

    public var description: String { "\(screen).\(value)" }
}

/// An answer on its way back to the screen that asked.
public struct ScreenEvent: Sendable, CustomStringConvertible {
    public let screen: ScreenID
    let value: any Sendable
    let apply: @Sendable (inout AppState, AppEnvironment) -> [Effect]

    init<M: ScreenModule>(_ event: M.Event, _ module: M.Type) {
        screen = M.id
        value = event
        apply = { s, env in M.routeEvent(&s, event, env: env) }
    }

    public func `as`<E>(_ type: E.Type) -> E? { value as? E }
    public var description: String { "\(screen).\(value)" }
}

/// What a screen's effect handler may use: the store, who is logged in, the environment of this
/// event, the log, and a way to run slow reads off the drawing thread.
public struct EffectContext {
    public let store: Store
    public let user: User?
    public let env: AppEnvironment
    let log: (String) -> Void
    let backgroundWork: (_ space: String, _ id: Int, _ work: @escaping @Sendable () -> AppEvent?) -> Void
    let reload: () throws -> Void

    /// Read the environment again from the store (a setting changed), for the events after this one.
    public func reloadEnvironment() throws { try reload() }

    /// Run `work` on the background queue and post what it answers. Requests of one `space`
    /// (a screen's own name for them) supersede each other: when a newer id was asked for
    /// before this one starts, it is not run. Each space has its own ids.
    public func background(space: String, id: Int, _ work: @escaping @Sendable () -> AppEvent?) {
        backgroundWork(space, id, work)
    }
}
