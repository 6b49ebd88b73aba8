import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

extension AppEnvironment {
    /// Where `screens/` is: beside `data/`.
    public static func screensDirectory() -> URL? {
        ReferenceData.defaultDirectory()?.deletingLastPathComponent().appendingPathComponent("screens")
    }

    /// Everything the screens need that does not change while the app runs.
    /// `today` fixes the date (tests); otherwise `clock` gives it, read again for every event.
    public static func load(store: Store, screens: ScreenData, lang: Lang, demo: Bool, today fixed: CivilDate? = nil,
                            clock: AppClock = .system) throws -> AppEnvironment {
        let clock = fixed.map(AppClock.fixed) ?? clock
        let today = clock.today()
        let labels = try store.codeLabels()
        let township = try store.office()?.townshipName ?? ""
        var catalog: ProgrammeCatalog?
        if let dir = ReferenceData.defaultDirectory(),
           let data = FileManager.default.contents(atPath: dir.appendingPathComponent("programmes.json").path) {
            catalog = try ProgrammeCatalog.decode(data)
        }
        let reference = try store.formReference()
        let forms = FormSupport.build(reference, today: today)
        var env = AppEnvironment(screens: screens, lang: lang, township: township, databasePath: store.path, demo: demo,
                                 today: today, clock: clock, labels: labels, catalog: catalog, forms: forms)
        env.random = clock.random()
        env.spotCheckPercent = try store.spotCheckPercent()
        env.publicityDays = reference.settings["publicity_days"].flatMap(Int.init) ?? 7
        env.delegated = ReferenceData.yesNo(reference.settings["confirm_delegated"] ?? "no") ?? false
        env.ceilingRatio = reference.settings["amount_ceiling_ratio"].flatMap(Int.init) ?? 3
        if let dir = ReferenceData.defaultDirectory() { env.settingMeanings = try ReferenceData.settingMeanings(from: dir) }
        return env
    }
}

/// The loop: key → update → draw → effects → events → update … until quit. Page loads run at
/// once (they are index range scans); counts run on a background queue and come back as
/// events, so a slow count never delays a keystroke, and a newer search drops an older count.
public final class AppRunner {
    public private(set) var state: AppState
    /// Reloaded when the administrator changes a setting.
    public private(set) var env: AppEnvironment
    let store: Store
    let backend: Backend
    let log: (String) -> Void

    /// Shared with the background queue (the only state that is): answers waiting, work under
    /// way, and the newest request id of each background space (a screen's counts, sums): an
    /// older request not yet started is not run, as its answer would be dropped anyway.
    private let mail = Mailbox()
    private let countQueue = DispatchQueue(label: "jiuzhu.count")

    public init(backend: Backend, store: Store, env: AppEnvironment, log: @escaping (String) -> Void = { _ in }) {
        self.backend = backend
        self.store = store
        self.env = env
        self.log = log
        let size = backend.size
        state = AppState(width: size.width, height: size.height)
    }

    /// Run until the user quits.
    public func run() {
        draw()
        checkFileInBackground()
        while !state.quitting {
            let waiting = mail.waiting
            if let key = backend.readEvent(timeoutMs: waiting ? 15 : 250) {
                dispatch(.key(key))
            }
            drainInbox()
        }
    }

    /// Feed every queued key (tests, benchmarks), then wait for background work to answer.
    public func runUntilIdle() {
        draw()
        while !state.quitting, let key = backend.readEvent(timeoutMs: 0) {
            dispatch(.key(key))
            settle()
        }
        settle()
    }

    /// Wait for background work and apply its answers.
    public func settle() {
        countQueue.sync {}
        drainInbox()
    }

    /// Update, perform the effects, draw. A keystroke in a browser is drawn once, with its new
    /// page: the page reads are bounded index walks (milliseconds), so showing the typed
    /// character a frame early would only cost a second render and diff. Before any slower
    /// effect (a write, a print, an export, a draw of a sample) the frame is drawn first, so
    /// the screen says what is under way while it runs.
    public func dispatch(_ event: AppEvent) {
        // A new event from outside (a key, a background answer): read the clock for it.
        if depth == 0 { env.tick() }
        depth += 1
        defer {
            depth -= 1
            if depth == 0 {
                if dirty { draw() }
                startBackground()
            }
        }
        let effects = App.update(&state, event, env: env)
        dirty = true
        if !effects.allSatisfy(\.isQuickRead) { draw() }
        for e in effects { perform(e) }
    }
    /// Dispatches under way (an effect's answer is dispatched inside its cause's), and whether
    /// the state changed since the last frame.
    private var depth = 0
    private var dirty = false
    /// Background work (counts, sums) asked for during a dispatch, started once its frame is
    /// drawn: waking a worker thread, and the work itself running on the other core, would
    /// otherwise fall inside the keystroke the user is waiting to see.
    private var queuedBackground: [@Sendable () -> Void] = []
    /// When the last frame was handed to the backend (uptime nanoseconds): the bench times a
    /// keystroke from the key to this.
    public private(set) var lastFrameAt: UInt64 = 0

    private func background(_ work: @escaping @Sendable () -> Void) {
        if depth > 0 { queuedBackground.append(work) } else { countQueue.async(execute: work) }
    }

    /// Background work of one request space: posted when it answers, skipped when a newer
    /// request of the same space was asked for before it started.
    private func superseding(_ space: String, _ id: Int, _ work: @escaping @Sendable () -> AppEvent?) {
        mail.begin(space, id: id)
        let mail = mail
        background {
            defer { mail.end() }
            if !mail.isLatest(space, id: id) { return }
            if let e = work() { mail.post(e) }
        }
    }

    /// A file too large to check before the first screen (`Store.checkedWhenOpened` false) is
    /// checked now, on a queue of its own (a check of a large file takes seconds to a minute,
    /// which the counts' queue must not wait for), a second after the first frame. A damaged file
    /// comes back as a failure shown in a message box; the store refuses every write from then on.
    public func checkFileInBackground(after seconds: Double = 1) {
        guard !store.checkedWhenOpened else { return }
        let store = store, mail = mail
        // Not counted as work under way: the loop would wake every 15 ms for a minute; an
        // answer is picked up at the next quarter-second tick.
        DispatchQueue(label: "jiuzhu.file-check", qos: .utility).asyncAfter(deadline: .now() + seconds) {
            if let found = store.checkAfterOpening() { mail.post(.failed(found)) }
        }
    }

    private func startBackground() {
        guard !queuedBackground.isEmpty else { return }
        let work = queuedBackground
        queuedBackground = []
        for w in work { countQueue.async(execute: w) }
    }

    func draw() {
        let (grid, cursor) = AppView.render(state, env: env)
        backend.draw(grid, cursor: cursor)
        lastFrameAt = DispatchTime.now().uptimeNanoseconds
        dirty = false
    }

    private func drainInbox() {
        let events = mail.take()
        for e in events { dispatch(e) }
    }

    /// The interpreter: a screen's effect goes to its handler, whose answer is dispatched (an
    /// error comes back as `.failed`, shown to the user).
    func perform(_ effect: Effect) {
        switch effect {
        case .quit:
            state.quitting = true
        case .screen(let e):
            let cx = EffectContext(store: store, user: state.user, env: env, log: log, backgroundWork: { [self] space, id, work in
                superseding(space, id, work)
            }, reload: { [self] in
                var new = try AppEnvironment.load(store: store, screens: env.screens, lang: env.lang, demo: env.demo, clock: env.clock)
                // The day the app is working on stays: the clock moves it at midnight.
                new.today = env.today; new.clockDay = env.clockDay; new.forms.rules.today = env.today
                env = new
            })
            do { if let answer = try e.run(cx) { dispatch(answer) } } catch { dispatch(.failed(error)) }
        }
    }
}
