import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// What does not change while the app runs: screen files, code labels, who the office is.
public struct AppEnvironment: Sendable {
    public var screens: ScreenData
    public var lang: Lang
    public var township: String
    public var databasePath: String
    public var demo: Bool
    public var today: CivilDate
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

    /// The workflow engine as the store runs it, so a screen offers what the store would accept.
    public func workflow(_ p: Programme) -> Workflow? {
        catalog.map { Workflow($0.definition(p), publicityDays: publicityDays, delegated: delegated) }
    }

    public init(screens: ScreenData, lang: Lang, township: String, databasePath: String, demo: Bool, today: CivilDate,
                labels: [String: [String: Text2]] = [:], catalog: ProgrammeCatalog? = nil, forms: FormSupport? = nil) {
        self.screens = screens; self.lang = lang; self.township = township; self.databasePath = databasePath
        self.demo = demo; self.today = today; self.labels = labels; self.catalog = catalog
        self.forms = forms ?? FormSupport(rules: SurveyRules(today: today, codes: [:], countedIncomeKinds: []), order: [:], options: [:])
    }

    public func t(_ key: String, _ values: [String: String] = [:]) -> String { screens.text(key, lang, values) }

    public func label(_ kind: String, _ code: String?) -> String {
        guard let code else { return "" }
        return labels[kind]?[code].map { $0(lang) } ?? code
    }

    public func stepLabel(_ programme: Programme, _ step: String) -> String {
        catalog?.definition(programme).step(step)?.label(lang) ?? step
    }
}

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

public struct MenuState: Equatable, Sendable {
    public var selection = 0
    public init() {}
}

/// The household browser: a search text, a sort, and one screenful of rows paged by keyset.
public struct HouseholdBrowserState: Equatable, Sendable {
    public var search = TextField("", maxLength: 40)
    public var query = HouseholdQuery()
    public var rows: [HouseholdRow] = []
    public var selected = 0
    public var atStart = true
    public var atEnd = true
    public var loading = true
    public var count: Int?
    /// The newest request; replies to older ones are dropped (a newer keystroke wins).
    public var requestId = 0
    /// The newest count request (counts outlive paging: only a new search text replaces them).
    public var countId = 0
    public init() {}

    public var selectedRow: HouseholdRow? { rows.indices.contains(selected) ? rows[selected] : nil }

    public static func == (a: HouseholdBrowserState, b: HouseholdBrowserState) -> Bool {
        a.search.value == b.search.value && a.query == b.query && a.rows == b.rows && a.selected == b.selected &&
            a.atStart == b.atStart && a.atEnd == b.atEnd && a.loading == b.loading && a.count == b.count && a.requestId == b.requestId && a.countId == b.countId
    }
}

public struct CardState: Equatable, Sendable {
    public var householdId: Int64
    public var card: Store.HouseholdCard?
    public var scroll = 0
    public static func == (a: CardState, b: CardState) -> Bool {
        a.householdId == b.householdId && a.scroll == b.scroll && (a.card == nil) == (b.card == nil)
    }
}

public struct HelpState: Equatable, Sendable {
    public var screen: ScreenID
    public var scroll = 0
    public init(screen: ScreenID, scroll: Int = 0) { self.screen = screen; self.scroll = scroll }
}

/// One screen on the stack.
public enum Screen: Equatable, Sendable {
    case login(LoginState)
    case menu(MenuState)
    case households(HouseholdBrowserState)
    case householdCard(CardState)
    case help(HelpState)
    case intake(IntakeState)
    case form(FormState)
    case review(ReviewState)
    case caseView(CaseViewState)
    case publicity(PublicityListState)
    case batch(BatchState)
    case cases(CaseBrowserState)
    case spotchecks(SpotListState)
    case spotDraw(SpotDrawState)
    case due(DueState)
    case campaigns(CampaignState)
    case complaints(ComplaintState)
    case reports(ReportState)
    case system(SystemState)
    case settings(SettingsState)
    case rosters(RosterListState)
    case rosterLines(RosterLinesState)
    case raise(RaiseState)
    case audit(AuditState)

    public var id: ScreenID {
        switch self {
        case .login: return .login
        case .menu: return .menu
        case .households: return .households
        case .householdCard: return .householdCard
        case .help: return .help
        case .intake: return .intake
        case .form: return .form
        case .review: return .review
        case .caseView: return .caseView
        case .publicity: return .publicity
        case .batch: return .batch
        case .cases: return .cases
        case .spotchecks: return .spotchecks
        case .spotDraw: return .spotDraw
        case .due: return .due
        case .campaigns: return .campaigns
        case .complaints: return .complaints
        case .reports: return .reports
        case .system: return .system
        case .settings: return .settings
        case .rosters: return .rosters
        case .rosterLines: return .rosterLines
        case .raise: return .raise
        case .audit: return .audit
        }
    }
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
        stack = [.login(LoginState())]
        self.width = width; self.height = height
    }

    public var top: Screen { stack[stack.count - 1] }
    public var topID: ScreenID {
        if message != nil { return .message }
        if case .caseView(let c) = top, c.dialog != nil { return .caseAction }
        // A case in force has its own keys: adjust, keep, suspend or resume, stop.
        if case .caseView(let c) = top, let st = c.file?.caseRecord.status {
            let inForce = st == .active || st == .suspended
            // Who can take no action here sees only the keys that read: a supervisor on any case,
            // anyone but the approver (or administrator) on a case in force, anyone on a finished one.
            let role = user?.role
            if role == .supervisor || (inForce && role != .approver && role != .admin) || st == .rejected || st == .terminated || st == .closed || st == .withdrawn {
                return .caseReadOnly
            }
            if inForce { return .caseInForce }
        }
        if case .publicity(let p) = top, p.dialog != nil { return .caseAction }
        if case .batch(let b) = top, b.dialog != nil { return .caseAction }
        if case .cases(let b) = top, b.dialog != nil { return .caseAction }
        if case .spotchecks(let l) = top, l.dialog != nil { return .caseAction }
        if case .spotDraw(let d) = top, d.dialog != nil { return .caseAction }
        if case .due(let d) = top, d.dialog != nil { return .caseAction }
        if case .campaigns(let c) = top, c.dialog != nil { return .caseAction }
        if case .complaints(let c) = top, c.dialog != nil { return .caseAction }
        if case .reports(let r) = top, r.dialog != nil { return .caseAction }
        if case .system(let st) = top, st.dialog != nil { return .caseAction }
        if case .settings(let st) = top, st.dialog != nil { return .caseAction }
        if case .rosters(let l) = top, l.dialog != nil { return .caseAction }
        if case .rosterLines(let r) = top, r.dialog != nil { return .caseAction }
        if case .raise(let r) = top, r.dialog != nil { return .caseAction }
        return top.id
    }

    mutating func replaceTop(_ s: Screen) { stack[stack.count - 1] = s }
    mutating func push(_ s: Screen) { stack.append(s) }
    mutating func pop() { if stack.count > 1 { stack.removeLast() } }

    /// Rows of the household table that fit: the screen less title, search, header, status and key bar.
    public var householdPageSize: Int { max(1, height - 5) }
}

/// Things that happen to the app: keys, and replies from the store.
public enum AppEvent: Sendable {
    case key(KeyEvent)
    case loggedIn(User)
    case loginFailed(String)
    case householdPage(requestId: Int, rows: [HouseholdRow], anchor: PageAnchor, limit: Int)
    case householdCount(requestId: Int, count: Int)
    case householdCard(Store.HouseholdCard?)
    case failed(String)
    case draftsLoaded([DraftSummary], atLogin: Bool)
    case draftOpened(id: Int64, values: FormValues?)
    case draftSaved(id: Int64, at: String)
    case draftNotSaved(String)
    case idChecked(FieldRef, value: String, holder: IDHolder?)
    case openCaseChecked(householdId: Int64, programme: Programme, open: Case?)
    case formHouseholds(requestId: Int, rows: [HouseholdRow])
    case formHouseholdLoaded(Household, [Person])
    case submitted(caseId: Int64)
    case submitFailed(String)
    case printed(paths: [String])
    case queueLoaded([QueueRow], villages: [Region], total: Int)
    case caseLoaded(Int64, CaseFile?)
    case acted(Store.ActResult, notice: [String])
    case actFailed(String)
    case batchesLoaded([PublicityBatch], villages: [Region])
    case batchLoaded(Int64, PublicityBatch?, [BatchLine])
    /// A publicity action finished: what to tell the user, and a new batch to open.
    case publicityDone(String, openBatch: Int64?)
    case publicityFailed(String)
    case casesLoaded(requestId: Int, rows: [CaseRow], villages: [Region], anchor: CaseAnchor)
    case casesSummarized(requestId: Int, count: Int, monthly: Money)
    case filtersSaved([SavedFilter])
    case drawsLoaded([SpotCheckDraw], SpotCheckCoverage?)
    case drawLoaded(Int64, SpotCheckDraw?, [SpotCheckRecord], SpotCheckCoverage?)
    case spotDone(String, openDraw: Int64?)
    case spotFailed(String)
    case dueLoaded([DueItem])
    case dueRecorded(String)
    case dueFailed(String)
    case campaignsLoaded([CampaignRow])
    case campaignDone(String)
    case campaignFailed(String)
    case complaintsLoaded([Complaint])
    case complaintDone(String, id: Int64)
    case complaintFailed(String)
    case reportLoaded(from: CivilDate, until: CivilDate, [ProgrammeFigures])
    case reportFailed(String)
    case systemLoaded(users: [UserRow], backups: [BackupFile], folder: String)
    case systemDone(String)
    case systemFailed(String)
    case settingsLoaded([SettingRow])
    case settingSaved(String)
    case settingFailed(String)
    case rostersLoaded([PaymentRoster], villages: [PaymentVillageTotal], selected: Int64?)
    case rosterLinesLoaded(PaymentRoster, [PaymentLine], offset: Int)
    /// 提标普调: the list for a programme, or why there is none.
    case raiseLoaded(Programme, RaisePlan?, problem: String?)
    case raiseDone(String)
    case raiseFailed(String)
    case rosterVillagesLoaded(Int64, [PaymentVillageTotal])
    case rosterDone(String, select: Int64?)
    case rosterFailed(String)
    /// A screenful of the audit log; `keep` is the row to select in it.
    case auditLoaded([Audit.Entry], newest: Int64, keep: Int)
    case auditVerified(String)
}

/// A case-browser selection kept under a name.
public struct SavedFilter: Equatable, Sendable {
    public var name: String
    public var query: CaseQuery
    public init(name: String, query: CaseQuery) { self.name = name; self.query = query }
}

/// What the app asks the outside world to do. Values, so a test can assert on them.
public enum Effect: Equatable, Sendable {
    case authenticate(user: String, password: String)
    case loadHouseholds(requestId: Int, query: HouseholdQuery, anchor: PageAnchor, limit: Int)
    case countHouseholds(requestId: Int, text: String)
    case loadHouseholdCard(Int64)
    case loadDrafts(atLogin: Bool)
    case openDraft(Int64)
    case deleteDraft(Int64)
    case saveDraft(id: Int64?, title: String, values: FormValues)
    case checkID(FieldRef, value: String, household: Int64?)
    case checkOpenCase(householdId: Int64, programme: Programme)
    case searchHouseholdsForForm(requestId: Int, text: String)
    case loadHouseholdIntoForm(Int64)
    case submit(FormValues, draftId: Int64?)
    case printSurvey(FormValues, caseId: Int64?)
    case loadQueue(village: String?, programme: Programme?)
    case loadCase(Int64)
    case act(caseId: Int64, version: Int, request: CaseRequest)
    case printNotice(Int64)
    case loadBatches
    case createBatch(NewBatch)
    case loadBatch(Int64)
    case setBatchLine(batchId: Int64, caseId: Int64, included: Bool)
    case addWaiting(Int64)
    case postBatch(Int64, version: Int)
    case closeBatch(Int64, version: Int)
    case registerObjection(batchId: Int64, caseId: Int64, on: CivilDate, how: String, content: String, handler: String)
    case objectionResult(Int64, upheld: Bool, reason: String)
    case printBatch(Int64)
    case loadCases(requestId: Int, query: CaseQuery, anchor: CaseAnchor, limit: Int)
    case summarizeCases(requestId: Int, query: CaseQuery)
    case loadSavedFilters
    case saveFilter(name: String, query: CaseQuery)
    case exportCases(query: CaseQuery)
    case loadDraws
    case drawSpotCheck(programme: Programme, percent: Int, seed: UInt64, period: String)
    case loadDraw(Int64)
    case recordSpotVisit(id: Int64, on: CivilDate, by: String, findings: String, discrepancy: Bool, action: SpotCheckAction)
    case loadDue
    case recordDue(DueItem, on: CivilDate, note: String, proposed: FollowUpAction, income: Money?)
    case loadCampaigns
    case startCampaign(name: String, programme: Programme, from: CivilDate, until: CivilDate)
    case closeCampaign(id: Int64, on: CivilDate)
    case loadComplaints
    case loadReport(from: CivilDate, until: CivilDate)
    case complaintStep(ComplaintStep)
    case loadSystem
    case addUser(name: String, displayName: String, role: Role, password: String)
    case resetPassword(name: String, password: String)
    case setUserActive(name: String, active: Bool)
    case backup(to: String)
    case loadSettings
    case changeSetting(key: String, value: String, version: Int)
    /// The rosters, and the villages of the one selected (or the first).
    case loadRosters(selected: Int64?)
    /// A screenful of a roster's lines from `anchor`; `offset` is where it will start in the
    /// whole roster (the reducer keeps count as it moves).
    case loadRosterLines(Int64, anchor: Store.LineAnchor, limit: Int, offset: Int)
    /// The village shares of roster `id` (the selection moved; the list itself is as it was).
    case loadRosterVillages(Int64)
    case makeRoster(month: String, programme: Programme)
    case confirmRoster(id: Int64, version: Int, password: String)
    case exportRoster(Int64)
    case loadRaise(Programme)
    /// Record the raise shown, after the approver's password.
    case applyRaise(RaisePlan, password: String)
    case loadAudit(olderThan: Int64?, newerThan: Int64?, limit: Int, keep: Int)
    case verifyAudit
    case writeReport(from: CivilDate, until: CivilDate, [ProgrammeFigures])
    case quit
}

extension Effect {
    /// Bounded reads that answer in milliseconds (index walks for one page, one case file or
    /// household card, an ID look-up) or only start background work. The frame before them
    /// is not drawn: the answer's frame follows at once.
    var isQuickRead: Bool {
        switch self {
        case .loadHouseholds, .countHouseholds, .searchHouseholdsForForm, .loadCases, .summarizeCases,
             .loadHouseholdCard, .loadCase, .checkID, .loadComplaints, .loadRosterLines, .loadRosterVillages, .loadAudit, .quit:
            return true
        default:
            return false
        }
    }
}
