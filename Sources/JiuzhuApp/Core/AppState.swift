import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// Where the app reads the date and random numbers. The runner reads it once per event
/// (`AppEnvironment.tick`), so a running app's date rolls over at midnight and the reducer stays
/// a function of its inputs; tests hand in a clock they move.
public struct AppClock: Sendable {
    public var today: @Sendable () -> CivilDate
    public var random: @Sendable () -> UInt64
    /// The moment, for what is told to the minute: a draft's "saved at", whether a login lock
    /// has expired.
    public var now: @Sendable () -> Date
    public init(today: @escaping @Sendable () -> CivilDate, random: @escaping @Sendable () -> UInt64 = { UInt64.random(in: 1...999_999_999) },
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.today = today; self.random = random; self.now = now
    }
    /// The machine's date (`JIUZHU_TODAY=YYYY-MM-DD` fixes it) and the system's random numbers.
    public static let system = AppClock(today: { CivilDate.today })
    /// A date that never moves; its moment is 09:00 UTC that day.
    public static func fixed(_ day: CivilDate) -> AppClock {
        let moment = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"),
                                    year: day.year, month: day.month, day: day.day, hour: 9).date ?? Date(timeIntervalSince1970: 0)
        return AppClock(today: { day }, now: { moment })
    }
}

/// What does not change while the app runs: screen files, code labels, who the office is; and,
/// read afresh for each event, today's date and a random number.
public struct AppEnvironment: Sendable {
    public var screens: ScreenData
    public var lang: Lang
    public var township: String
    public var databasePath: String
    public var demo: Bool
    /// Today, as the clock said when the event being handled came in.
    public var today: CivilDate
    public var clock: AppClock
    /// The clock's date when last read: `today` follows the clock when the clock's day changes.
    var clockDay: CivilDate
    /// A random number in 1...999,999,999 drawn for the event being handled (a spot check's seed).
    public var random: UInt64 = 1
    /// Code labels by kind ("relationship", "ethnicity", ...) and code.
    public var labels: [String: [String: Text2]]
    public var catalog: ProgrammeCatalog?
    /// Code lists, rules and limits for forms.
    public var forms: FormSupport
    /// The county's spot-check percentage (setting `spotcheck_percent`).
    public var spotCheckPercent = 30
    /// Settings the workflow reads: `publicity_days`, and `confirm_delegated` (审核确认权下放).
    public var publicityDays = 7
    public var delegated = false
    /// Setting `amount_ceiling_ratio`: an amount above this many times the computed one is
    /// confirmed with a reason (the store refuses it otherwise).
    public var ceilingRatio: Int? = 3
    /// What each setting means in both languages (`data/settings.csv`'s description and
    /// description_en); the settings screen shows the user's language.
    public var settingMeanings: [String: Text2] = [:]

    /// The workflow engine as the store runs it, so a screen offers what the store would accept.
    public func workflow(_ p: Programme) -> Workflow? {
        catalog.map { Workflow($0.definition(p), publicityDays: publicityDays, delegated: delegated, ceilingRatio: ceilingRatio) }
    }

    public init(screens: ScreenData, lang: Lang, township: String, databasePath: String, demo: Bool, today: CivilDate,
                clock: AppClock? = nil, labels: [String: [String: Text2]] = [:], catalog: ProgrammeCatalog? = nil, forms: FormSupport? = nil) {
        self.screens = screens; self.lang = lang; self.township = township; self.databasePath = databasePath
        self.demo = demo; self.today = today; self.clock = clock ?? .fixed(today); self.clockDay = today; self.labels = labels; self.catalog = catalog
        self.forms = forms ?? FormSupport(rules: SurveyRules(today: today, codes: [:], countedIncomeKinds: []), order: [:], options: [:])
    }

    /// Read the clock for a new event: when its day has changed since the last reading (midnight
    /// passed), that is today, for the form rules too; and a random number.
    public mutating func tick() {
        let day = clock.today()
        if day != clockDay { clockDay = day; today = day; forms.rules.today = day }
        random = clock.random()
    }

    public func t(_ key: String, _ values: [String: String] = [:]) -> String { screens.text(key, lang, values) }

    public func label(_ kind: String, _ code: String?) -> String {
        guard let code else { return "" }
        return labels[kind]?[code].map { $0(lang) } ?? code
    }

    public func stepLabel(_ programme: Programme, _ step: String) -> String {
        catalog?.definition(programme).step(step)?.label(lang) ?? step
    }

    /// A step's name for a narrow column (10 cells): `enShort` in English.
    public func stepShort(_ programme: Programme, _ step: String) -> String {
        catalog?.definition(programme).step(step)?.shortLabel(lang) ?? step
    }
}

/// One screen on the stack: its module and the module's state. Equal when the same module's
/// states are equal.
public struct Screen: Equatable, Sendable, CustomStringConvertible {
    /// The module that draws the screen and handles its keys and answers.
    public let module: any ScreenModule.Type
    let value: any Equatable & Sendable
    /// What the screen shows was read before data changed under it (`AppState.dataChanged`):
    /// when the screen above it is popped, its module's `uncovered` reloads it. Not part of `==`.
    var stale = false

    init<M: ScreenModule>(_ module: M.Type, _ state: M.State) { self.module = module; value = state }

    /// The state if this is `module`'s screen.
    public func state<M: ScreenModule>(of module: M.Type) -> M.State? {
        self.module == module ? value as? M.State : nil
    }

    public var id: ScreenID { module.id }

    public static func == (a: Screen, b: Screen) -> Bool {
        func same<T: Equatable>(_ x: T, _ y: Any) -> Bool { (y as? T) == x }
        return a.module == b.module && same(a.value, b.value)
    }

    public var description: String { "\(id)(\(value))" }

    /// Every screen: adding a screen is one line here. Its `id` is the section `keymap.json` names.
    static let modules: [any ScreenModule.Type] = [
        LoginScreen.self,
        MenuScreen.self,
        HouseholdsScreen.self,
        HouseholdCardScreen.self,
        HelpScreen.self,
        AuditScreen.self,
        DisasterScreen.self,
        LedgerImportScreen.self,
        CampaignScreen.self,
        DueScreen.self,
        ComplaintScreen.self,
        SystemScreen.self,
        SettingsScreen.self,
        RaiseScreen.self,
        RosterListScreen.self,
        RosterLinesScreen.self,
        ReportScreen.self,
        SpotListScreen.self,
        SpotDrawScreen.self,
        CaseBrowserScreen.self,
        PublicityListScreen.self,
        BatchScreen.self,
        ReviewScreen.self,
        CaseScreen.self,
        IntakeScreen.self,
        FormScreen.self,
        SurveyVersionsScreen.self,
    ]

    /// The modules by id.
    static let byID: [ScreenID: any ScreenModule.Type] = Dictionary(uniqueKeysWithValues: modules.map { ($0.id, $0) })
}

/// A box over the current screen.
public struct Message: Equatable, Sendable {
    public var title: String
    public var text: String
}

/// A confirm box over any screen; `yes` are the effects carried out when the user says yes.
public struct PendingConfirm: Equatable, Sendable {
    public var box: ConfirmBox
    public var yes: [Effect]
    public init(box: ConfirmBox, yes: [Effect]) { self.box = box; self.yes = yes }
}

public struct AppState: Equatable, Sendable {
    public var stack: [Screen]
    public var user: User?
    public var width: Int
    public var height: Int
    public var message: Message?
    /// A question before an irreversible action: what will happen, and the effects to run on yes.
    public var ask: PendingConfirm?
    public var quitting = false

    public init(width: Int, height: Int) {
        stack = [LoginScreen.embed(LoginState())]
        self.width = width; self.height = height
    }

    public var top: Screen { stack[stack.count - 1] }
    public var topID: ScreenID {
        if message != nil { return .message }
        return top.module.routeSection(self)
    }

    /// Put `s` in place of the top screen (the same screen's new state keeps its staleness).
    mutating func replaceTop(_ s: Screen) {
        var s = s
        if s.module == top.module { s.stale = s.stale || top.stale }
        stack[stack.count - 1] = s
    }
    /// A write went through: every screen under the top one shows what was read before it, and
    /// reloads when it is uncovered (`ScreenModule.uncovered`).
    public mutating func dataChanged() { for i in stack.indices.dropLast() { stack[i].stale = true } }
    mutating func push(_ s: Screen) { stack.append(s) }
    mutating func pop() { if stack.count > 1 { stack.removeLast() } }

    /// Rows of the household table that fit: the screen less title, search, header, status and key bar.
    public var householdPageSize: Int { max(1, height - 5) }
}

/// Things that happen to the app: keys, and replies from the store.
public enum AppEvent: Sendable {
    case key(KeyEvent)
    case loggedIn(User)
    /// A read or write failed: the store's error, shown in a message box.
    case failed(any Error)
    /// A screen's answer, routed to the screen that asked.
    case screen(ScreenEvent)
}

/// A case-browser selection kept under a name.
public struct SavedFilter: Equatable, Sendable {
    public var name: String
    public var query: CaseQuery
    public init(name: String, query: CaseQuery) { self.name = name; self.query = query }
}

/// What the app asks the outside world to do. Values, so a test can assert on them.
public enum Effect: Equatable, Sendable {
    /// A screen's own effect, carried out by its handler.
    case screen(ScreenEffect)
    case quit
}

extension Effect {
    /// Bounded reads that answer in milliseconds (index walks for one page, one case file or
    /// household card, an ID look-up) or only start background work. The frame before them
    /// is not drawn: the answer's frame follows at once.
    var isQuickRead: Bool {
        switch self {
        case .screen(let e):
            return e.quick
        case .quit:
            return true
        }
    }
}
