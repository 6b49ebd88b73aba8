import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// 审核审批, the queue: the module.
public enum ReviewScreen: ScreenModule {
    public static let id: ScreenID = "review"

    public enum Effect: Equatable, Sendable {
        case load(village: String?, programme: Programme?, township: String? = nil, countySteps: Bool = false)
    }

    public enum Event: Sendable {
        case loaded([QueueRow], villages: [Region], total: Int, townships: [Region]? = nil)
    }

    /// The effect that reads the queue again as `q` filters it.
    static func reload(_ q: ReviewState) -> JiuzhuApp.Effect {
        effect(.load(village: q.village, programme: q.programme, township: q.township, countySteps: q.countySteps))
    }

    /// F4 and F7 are a county file's keys: not on a township's bar.
    public static func barHidden(_ q: ReviewState, _ s: AppState, _ env: AppEnvironment) -> Set<Command> {
        q.townships == nil ? [.filterTownship, .countySteps] : []
    }

    public static func open(_ s: inout AppState, env: AppEnvironment) -> [JiuzhuApp.Effect]? {
        s.push(ReviewScreen.embed(ReviewState()))
        return [effect(.load(village: nil, programme: nil))]
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        switch effect {
        case .load(let village, let programme, let township, let countySteps):
            guard let u = cx.user, let catalog = cx.env.catalog else { return nil }
            let rows = try cx.store.reviewQueue(role: u.role, catalog: catalog, today: cx.env.today, village: village, programme: programme,
                                                township: township, countySteps: countySteps)
            let total = try cx.store.reviewQueueTotal(role: u.role, catalog: catalog, village: village, programme: programme,
                                                      township: township, countySteps: countySteps)
            return .loaded(rows, villages: try cx.store.villages(), total: total, townships: try cx.store.countyTownships())
        }
    }

    public static func event(_ s: inout AppState, _ q: inout ReviewState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch event {
        case .loaded(var rows, let villages, let total, let townships):
            q.townships = townships
            var total = total
            // From the work list: one step's cases, or the follow-ups (Ctrl-U shows them all).
            if let step = q.step {
                rows = rows.filter { $0.followUp == nil && $0.changeKind == nil && env.stepLabel($0.programme, $0.step) == step }; total = rows.count
            } else if q.followUpsOnly {
                rows = rows.filter { $0.followUp != nil || $0.changeKind != nil }; total = rows.count
            }
            q.rows = rows; q.villages = villages; q.loading = false; q.total = max(total, rows.count)
            q.selected = min(q.selected, max(0, rows.count - 1))
        }
        return []
    }

    /// Back from a case acted on: the queue read again (the case may have left it).
    public static func uncovered(_ s: inout AppState, _ q: inout ReviewState, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        [reload(q)]
    }

    public static func key(_ s: inout AppState, _ q: inout ReviewState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        App.reviewKey(&s, &q, key, cmd, env: env)
    }

    public static func view(_ g: inout CellGrid, _ q: ReviewState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.review(&g, q, s, env)
        return nil
    }
}

/// One case: its papers and history, and the actions its step allows: the module.
public enum CaseScreen: ScreenModule {
    public static let id: ScreenID = "caseView"
    /// The keys of a case in force, and of a case this user may only read.
    public static let inForce: ScreenID = "caseInForce", readOnly: ScreenID = "caseReadOnly"
    public static var otherSections: [ScreenID] { [inForce, readOnly] }

    /// A dialog reads `caseAction`; a case in force has its own keys; who can take no action
    /// here sees only the keys that read: a supervisor on any case, anyone but the approver (or
    /// administrator) on a case in force, anyone on a finished one.
    public static func keymapSection(_ c: CaseViewState, _ s: AppState) -> ScreenID {
        if c.dialog != nil { return .caseAction }
        guard let st = c.file?.caseRecord.status else { return id }
        let inForce = st == .active || st == .suspended
        let role = s.user?.role
        if role == .supervisor || (inForce && role != .approver && role != .admin) || st == .rejected || st == .terminated || st == .closed || st == .withdrawn {
            return readOnly
        }
        return inForce ? Self.inForce : id
    }

    /// The key bar names only what applies to this case for this user (issue 21 item 5): the
    /// actions its step allows, the notice when there is one, the survey keys when there is a survey.
    public static func barHidden(_ c: CaseViewState, _ s: AppState, _ env: AppEnvironment) -> Set<Command> {
        guard c.dialog == nil, let f = c.file, let user = s.user else { return [] }
        var hidden: Set<Command> = []
        let allowed = App.workflow(env, f.caseRecord.programme)?.allowed(f.progress, role: user.role) ?? []
        let publicity = f.caseRecord.status == .inProgress && env.catalog?.definition(f.caseRecord.programme).step(f.caseRecord.step)?.isPublicity == true
        for cmd in [Command.approve, .reject, .sendBack, .objection, .urgentPay, .terminate, .withdraw] {
            let a = App.action(for: cmd, file: f, env: env)
            if a == nil || !allowed.contains(a!) || (a == .done && publicity) { hidden.insert(cmd) }
        }
        if CaseNotice.kind(for: f) == nil { hidden.insert(.print) }
        if App.correctionRefusal(f, role: user.role, env: env) != nil { hidden.insert(.correctSurvey) }
        if f.surveyVersion == nil { hidden.insert(.surveyVersions) }
        // The extension is offered on the bar when the limit is near or past (it answers, F1 lists
        // it, whenever it applies); the bar at 80 columns has no room for it on every case.
        if App.extendRefusal(f, role: user.role, env: env) != nil || f.flowLimit?.isNear != true { hidden.insert(.extendLimit) }
        return hidden
    }

    /// F2, F3 and F4 named by what they do on this case: 办结本步 at a clerk's step, 同意 at a
    /// reviewer's, 拟不予 before the decision, 恢复 on a suspended case.
    public static func barLabels(_ c: CaseViewState, _ s: AppState, _ env: AppEnvironment) -> [Command: String] {
        guard c.dialog == nil, let f = c.file else { return [:] }
        var out: [Command: String] = [:]
        for cmd in [Command.approve, .reject, .sendBack] {
            if let a = App.action(for: cmd, file: f, env: env), let key = barKey(a) { out[cmd] = env.t(key) }
        }
        return out
    }

    /// The short key-bar label of an action F2–F4 can take.
    static func barKey(_ a: CaseAction) -> String? {
        switch a {
        case .done: return "review.bar.done"
        case .approve: return "review.bar.approve"
        case .reject: return "review.bar.reject"
        case .proposeReject: return "review.bar.proposeReject"
        case .back: return "review.bar.back"
        case .adjust: return "review.bar.adjust"
        case .keep: return "review.bar.keep"
        case .suspend: return "review.bar.suspend"
        case .resume: return "review.bar.resume"
        case .withdraw, .objection, .urgentPay, .terminate: return nil
        }
    }

    public enum Effect: Equatable, Sendable {
        case load(Int64)
        case act(caseId: Int64, version: Int, request: CaseRequest)
        case printNotice(Int64)
        /// The stored survey, to open the form on it as a correction (issue 21 item 4).
        case openSurvey(Int64)
        /// 特殊情况: the longer flow limit with its reason (issue 22 item 5).
        case extendLimit(caseId: Int64, version: Int, reason: String)
    }

    public enum Event: Sendable {
        case loaded(Int64, CaseFile?)
        /// The action was recorded; the notice the family is owed, written or why not.
        case acted(Store.ActResult, notice: Result<[String], any Error>)
        case printed([String])
        case refused(any Error)
        case surveyOpened(Int64, SurveyRecord?)
        /// The limit was extended: the case read again.
        case extended(Int64, CaseFile?)
    }

    public static func isQuickRead(_ effect: Effect) -> Bool { if case .load = effect { return true } else { return false } }

    static func open(_ s: inout AppState, _ caseId: Int64) -> [JiuzhuApp.Effect] {
        s.push(CaseScreen.embed(CaseViewState(caseId: caseId)))
        return [effect(.load(caseId))]
    }

    /// Refused, stopped, adjusted or suspended: the family is owed a written notice (`notices`
    /// in data/programmes.json).
    static func owesNotice(_ action: CaseAction, catalog: ProgrammeCatalog) -> Bool { catalog.owesNotice(after: action) }

    /// The rejection or termination notice of a case, written beside the database.
    static func writeNotice(_ id: Int64, catalog: ProgrammeCatalog, _ cx: EffectContext) throws -> [String] {
        guard let f = try cx.store.caseFile(id: id, today: cx.env.today, catalog: catalog), let kind = CaseNotice.kind(for: f) else { return [] }
        return try CaseNotice.write(f, kind: kind, besides: cx.store.path, env: cx.env, office: try cx.store.office(), rules: try cx.store.paymentRules())
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        guard let catalog = cx.env.catalog else { return nil }
        switch effect {
        case .load(let id):
            return .loaded(id, try cx.store.caseFile(id: id, today: cx.env.today, catalog: catalog))
        case .act(let id, let version, let request):
            let r: Store.ActResult
            do { r = try cx.store.act(caseId: id, version: version, request: request, catalog: catalog) } catch { return .refused(error) }
            cx.log("case \(id): \(request.action.rawValue) by \(request.actor) -> \(r.transition.step) \(r.transition.status.rawValue)")
            guard owesNotice(request.action, catalog: catalog) else { return .acted(r, notice: .success([])) }
            return .acted(r, notice: Result { try writeNotice(id, catalog: catalog, cx) })
        case .printNotice(let id):
            return .printed(try writeNotice(id, catalog: catalog, cx))
        case .openSurvey(let id):
            return .surveyOpened(id, try cx.store.survey(caseId: id))
        case .extendLimit(let id, let version, let reason):
            guard let u = cx.user else { return nil }
            do { try cx.store.extendFlowLimit(caseId: id, version: version, reason: reason, by: u.name, on: cx.env.today, catalog: catalog) } catch { return .refused(error) }
            cx.log("case \(id): time limit extended by \(u.name)")
            return .extended(id, try cx.store.caseFile(id: id, today: cx.env.today, catalog: catalog))
        }
    }

    public static func event(_ s: inout AppState, _ c: inout CaseViewState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch event {
        case .loaded(let id, let file):
            guard top(s) != nil, c.caseId == id else { return [] }
            c.file = file
            c.missing = file == nil
        case .acted(let result, let notice):
            guard top(s) != nil, c.caseId == result.caseId else { return [] }
            let action = c.dialog?.action
            c.dialog = nil
            var text = env.t("review.done", ["step": c.file.map { env.stepLabel($0.caseRecord.programme, result.transition.step) } ?? result.transition.step,
                                             "status": result.transition.status.label(env.lang)])
            if let d = result.transition.decision { text += "\n" + env.t("review.doneAmount", ["amount": d.amount.yuanString]) }
            if let n = result.certificateNo { text += "\n" + env.t("review.certificate", ["no": n]) }
            // What comes next and who does it (issue 21 item 5).
            if let p = c.file?.caseRecord.programme {
                text += "\n" + NextStep.text(programme: p, step: result.transition.step, status: result.transition.status,
                                             sentBack: action == .back || action == .objection, followUpOpen: false, env: env)
            }
            switch notice {
            case .success(let paths) where !paths.isEmpty: text += "\n" + env.t("review.notice", ["paths": paths.joined(separator: "\n")])
            case .success: break
            case .failure(let error): text += "\n" + env.t("review.noticeFailed", ["why": App.describe(error, env.lang)])
            }
            s.message = Message(title: env.t("review.doneTitle"), text: text)
            s.dataChanged()     // the queue or list under the case reloads when it is uncovered
            return [effect(.load(result.caseId))]
        case .printed(let paths):
            App.printed(&s, paths, env: env)
        case .extended(let id, let file):
            guard top(s) != nil, c.caseId == id else { return [] }
            c.dialog = nil
            if let file { c.file = file }
            var text = env.t("review.extendDone", ["case": IdBlock.shown(id)])
            if let l = file?.flowLimit { text += "\n" + CaseReport.flowText(l, env: env) }
            s.message = Message(title: env.t("review.extendTitle"), text: text)
            s.dataChanged()     // the queue under the case shows the longer limit when uncovered
        case .surveyOpened(let id, let survey):
            guard top(s) != nil, c.caseId == id, let f = c.file else { return [] }
            guard let sv = survey else {
                s.message = Message(title: env.t("review.cannotTitle"), text: say("store.survey.none", env.lang, ["case": IdBlock.shown(id)]))
                return []
            }
            s.replaceTop(CaseScreen.embed(c))
            return App.openCorrection(&s, sv, caseVersion: f.caseRecord.version, version: f.surveyVersion ?? 1, env: env)
        case .refused(let why):
            if top(s) != nil, var d = c.dialog {
                d.error = App.describe(why, env.lang); d.busy = false
                c.dialog = d
            } else {
                s.message = Message(title: env.t("error.title"), text: App.describe(why, env.lang))
            }
        }
        return []
    }

    public static func orphan(_ s: inout AppState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch event {
        case .printed(let paths): App.printed(&s, paths, env: env)
        case .refused(let why): s.message = Message(title: env.t("error.title"), text: App.describe(why, env.lang))
        default: break
        }
        return []
    }

    public static func key(_ s: inout AppState, _ c: inout CaseViewState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        App.caseKey(&s, &c, key, cmd, env: env)
    }

    public static func view(_ g: inout CellGrid, _ c: CaseViewState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.caseView(&g, c, s, env)
    }
}

/// Keys of 审核审批: the queue, a case, and the box an action is typed into.
extension App {
    // MARK: the queue

    static func reviewKey(_ s: inout AppState, _ q: inout ReviewState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        let page = max(1, s.height - 7)
        switch cmd {
        case .up?: q.selected = max(0, q.selected - 1)
        case .down?: q.selected = min(max(0, q.rows.count - 1), q.selected + 1)
        case .pageUp?: q.selected = max(0, q.selected - page)
        case .pageDown?: q.selected = min(max(0, q.rows.count - 1), q.selected + page)
        case .first?: q.selected = 0
        case .last?: q.selected = max(0, q.rows.count - 1)
        case .back?: s.pop()
        case .confirm?:
            guard let row = q.selectedRow else { return [] }
            s.replaceTop(ReviewScreen.embed(q))
            return CaseScreen.open(&s, row.caseId)
        case .filterVillage?:
            // With a township chosen, its villages only.
            let villages = q.township.map { t in q.villages.filter { Store.townshipPrefix($0.code) == Store.townshipPrefix(t) } } ?? q.villages
            let codes: [String?] = [nil] + villages.map { Optional($0.code) }
            let i = codes.firstIndex(of: q.village) ?? 0
            q.village = codes[(i + 1) % codes.count]
            q.loading = true; q.selected = 0
            return [ReviewScreen.reload(q)]
        case .filterTownship?:
            guard let towns = q.townships else { return [] }
            let codes: [String?] = [nil] + towns.map { Optional($0.code) }
            let i = codes.firstIndex(of: q.township) ?? 0
            q.township = codes[(i + 1) % codes.count]
            // A village of another township would leave nothing.
            if let v = q.village, let t = q.township, Store.townshipPrefix(v) != Store.townshipPrefix(t) { q.village = nil }
            q.loading = true; q.selected = 0
            return [ReviewScreen.reload(q)]
        case .countySteps?:
            guard q.townships != nil else { return [] }
            q.countySteps.toggle()
            q.loading = true; q.selected = 0
            return [ReviewScreen.reload(q)]
        case .filterProgramme?:
            let all: [Programme?] = [nil] + Programme.allCases.map { Optional($0) }
            let i = all.firstIndex(of: q.programme) ?? 0
            q.programme = all[(i + 1) % all.count]
            q.loading = true; q.selected = 0
            return [ReviewScreen.reload(q)]
        case .clearFilter?:
            if q.village == nil && q.programme == nil && q.step == nil && !q.followUpsOnly && q.township == nil && !q.countySteps { return [] }
            q.village = nil; q.programme = nil; q.step = nil; q.followUpsOnly = false; q.loading = true; q.selected = 0
            q.township = nil; q.countySteps = false
            return [ReviewScreen.reload(q)]
        default: break
        }
        return []
    }

    // MARK: a case

    /// The scroll that shows the case's last line at the bottom (past it, Up would seem dead).
    static func lastScroll(_ c: CaseViewState, _ s: AppState, _ env: AppEnvironment) -> Int {
        guard let f = c.file else { return 0 }
        return max(0, AppView.caseLines(f, env: env, width: s.width).count - (s.height - 4))
    }

    static func caseKey(_ s: inout AppState, _ c: inout CaseViewState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        if c.dialog != nil { return dialogKey(&s, &c, key, env: env) }
        let page = max(1, s.height - 5)
        switch cmd {
        case .up?: c.scroll = max(0, c.scroll - 1)
        case .down?: c.scroll = min(c.scroll + 1, lastScroll(c, s, env))
        case .pageUp?: c.scroll = max(0, c.scroll - page)
        case .pageDown?: c.scroll = min(c.scroll + page, lastScroll(c, s, env))
        case .first?: c.scroll = 0
        case .last?: c.scroll = lastScroll(c, s, env)
        case .back?:
            s.pop()
        case .surveyVersions?:
            guard let f = c.file else { return [] }
            guard f.surveyVersion != nil else {
                s.message = Message(title: env.t("sv.noneTitle"), text: say("store.survey.none", env.lang, ["case": IdBlock.shown(c.caseId)]))
                return []
            }
            s.replaceTop(CaseScreen.embed(c))
            return SurveyVersionsScreen.open(&s, f, env: env)
        case .correctSurvey?:
            guard let f = c.file, let user = s.user else { return [] }
            // Said before the form opens; the store checks the same when it saves.
            if let why = correctionRefusal(f, role: user.role, env: env) {
                s.message = Message(title: env.t("review.cannotTitle"), text: why)
                return []
            }
            return [CaseScreen.effect(.openSurvey(c.caseId))]
        case .extendLimit?:
            guard let f = c.file, let user = s.user else { return [] }
            // Said before the box opens; the store checks the same when it saves.
            if let why = extendRefusal(f, role: user.role, env: env) {
                s.message = Message(title: env.t("review.cannotTitle"), text: why)
                return []
            }
            c.dialog = extendDialog(f, env: env)
        case .print?:
            guard let f = c.file else { return [] }
            if CaseNotice.kind(for: f) != nil { return [CaseScreen.effect(.printNotice(c.caseId))] }
            s.message = Message(title: env.t("review.noticeTitle"), text: env.t("review.noNotice"))
        case .approve?, .reject?, .sendBack?, .objection?, .urgentPay?, .terminate?, .withdraw?:
            guard let f = c.file, let user = s.user else { return [] }
            let wanted = action(for: cmd!, file: f, env: env)
            guard let wf = workflow(env, f.caseRecord.programme) else { return [] }
            let allowed = wf.allowed(f.progress, role: user.role)
            // A publicity step is finished by closing its posted batch, never on the case.
            if wanted == .done, f.caseRecord.status == .inProgress, wf.definition.step(f.caseRecord.step)?.isPublicity == true {
                s.message = Message(title: env.t("review.cannotTitle"), text: WorkflowError.notPosted.message(env.lang))
                return []
            }
            guard let a = wanted, allowed.contains(a) else {
                s.message = Message(title: env.t("review.cannotTitle"), text: cannot(wanted, file: f, role: user.role, allowed: allowed, env: env))
                return []
            }
            c.dialog = dialog(a, file: f, user: user, env: env)
        default: break
        }
        return []
    }

    static func workflow(_ env: AppEnvironment, _ p: Programme) -> Workflow? { env.workflow(p) }

    /// Why this user cannot correct this case's survey now, or nil: only who takes applications,
    /// only before the decision, only a case with a survey (`Store.correctSurvey` holds the same rules).
    static func correctionRefusal(_ f: CaseFile, role: Role, env: AppEnvironment) -> String? {
        if !Policy.allows(role, .takeApplications) {
            return env.t("review.correctWho", ["role": role.label(env.lang)])
        }
        if f.caseRecord.status != .inProgress { return say("store.survey.caseDecided", env.lang, ["case": IdBlock.shown(f.caseRecord.id ?? 0)]) }
        if f.surveyVersion == nil { return say("store.survey.none", env.lang, ["case": IdBlock.shown(f.caseRecord.id ?? 0)]) }
        return nil
    }

    /// Why this user cannot extend this case's flow limit now, or nil: only the reviewer or the
    /// approver, only while the limit runs (before the decision, not 受灾), once per case
    /// (`Store.extendFlowLimit` holds the same rules).
    static func extendRefusal(_ f: CaseFile, role: Role, env: AppEnvironment) -> String? {
        let allowed = Role.allCases.filter(Store.flowLimitExtendRoles.contains)
        if !Store.flowLimitExtendRoles.contains(role) {
            return env.t("review.extendWho", ["role": role.label(env.lang),
                                              "roles": allowed.map { $0.label(env.lang) }.joined(separator: env.t("list.or"))])
        }
        if f.caseRecord.status != .inProgress { return say("store.rules.extendNotInProgress", env.lang) }
        if f.flowLimit?.extendedBecause != nil { return say("store.rules.extendOnce", env.lang) }
        if f.flowLimit == nil { return say("store.rules.extendNoLimit", env.lang) }
        return nil
    }

    /// The box for the extension: the reason, and what the limit becomes.
    static func extendDialog(_ f: CaseFile, env: AppEnvironment) -> ActionDialog {
        let field = DialogField(id: DialogID.reason, label: env.t("review.extendReason"), hint: env.t("review.extendHint"),
                                required: true, field: TextField("", maxLength: 120))
        return ActionDialog(action: .done, title: env.t("review.extendBox", ["step": env.stepLabel(f.caseRecord.programme, f.caseRecord.step)]),
                            fields: [field], purpose: .extendLimit)
    }

    /// F2 finishes the step: 同意 at a reviewer's or approver's step, 办结 at a clerk's (the key
    /// bar names which, `CaseScreen.barLabels`).
    static func action(for cmd: Command, file f: CaseFile, env: AppEnvironment) -> CaseAction? {
        // A case in force: F2 adjust, F3 keep as is, F4 suspend, F7 stop; suspended: F2 resume.
        switch (f.caseRecord.status, cmd) {
        case (.active, .approve): return .adjust
        case (.active, .reject): return .keep
        case (.active, .sendBack): return .suspend
        case (.suspended, .approve), (.suspended, .sendBack): return .resume
        case (.active, _), (.suspended, _): return cmd == .terminate ? .terminate : nil
        default: break
        }
        switch cmd {
        case .approve:
            guard let wf = workflow(env, f.caseRecord.programme), let step = wf.definition.step(f.caseRecord.step) else { return nil }
            return wf.completion(step)
        case .reject:
            // The decider refuses; an earlier step proposes refusal (拟不予).
            guard let wf = workflow(env, f.caseRecord.programme), let step = wf.definition.step(f.caseRecord.step) else { return .reject }
            return step.isDecision ? .reject : .proposeReject
        case .withdraw: return .withdraw
        case .sendBack: return .back
        case .objection: return .objection
        case .urgentPay: return .urgentPay
        case .terminate: return .terminate
        default: return nil
        }
    }

    /// Why the action cannot be taken, in words: the status, the role, or the step.
    static func cannot(_ a: CaseAction?, file f: CaseFile, role: Role, allowed: [CaseAction], env: AppEnvironment) -> String {
        let c = f.caseRecord
        let step = env.stepLabel(c.programme, c.step)
        let inForce = c.status == .active || c.status == .suspended
        if inForce && role != .approver {
            return env.t("review.approverOnly", ["status": c.status.label(env.lang)])
        }
        if c.status != .inProgress && !inForce {
            return env.t("review.notInProgress", ["status": c.status.label(env.lang)])
        }
        if let wf = workflow(env, c.programme), let s = wf.definition.step(c.step), s.role != role.rawValue, !inForce {
            return env.t("review.wrongRole", ["step": step, "role": Role(rawValue: s.role)?.label(env.lang) ?? s.role, "you": role.label(env.lang)])
        }
        if a == .reject || a == .proposeReject, let wf = workflow(env, c.programme), let d = wf.decisionStep,
           wf.definition.step(c.step)?.canReject != true {
            return WorkflowError.decisionOnly(.reject, decisionStep: d.code, role: wf.decisionRole)
                .message(env.lang, stepLabel: { env.stepLabel(c.programme, $0) })
        }
        let can = allowed.map { $0.label(env.lang) }.joined(separator: env.t("list.separator"))
        return env.t("review.notHere", ["action": a?.label(env.lang) ?? "", "step": step, "can": can.isEmpty ? "—" : can])
    }

    static func dialog(_ a: CaseAction, file f: CaseFile, user: User, env: AppEnvironment) -> ActionDialog {
        let c = f.caseRecord
        var fields: [DialogField] = []
        func add(_ id: String, _ label: String, _ value: String = "", hint: String = "", required: Bool = false, max: Int = 60) {
            fields.append(DialogField(id: id, label: label, hint: hint, required: required, field: TextField(value, maxLength: max)))
        }
        let step = env.catalog?.definition(c.programme).step(c.step)
        switch a {
        case .done, .approve:
            for i in step?.stepInputs ?? [] {
                var v = ""
                var hint = ""
                switch i.kind {
                case .date: v = env.today.iso; hint = "YYYY-MM-DD"
                case .month: v = String(format: "%04d-%02d", env.today.year, env.today.month); hint = "YYYY-MM"
                case .yesno: v = env.t("review.yes"); hint = env.t("review.yesNo")
                case .choice:
                    hint = (i.choices ?? []).map { $0.code }.joined(separator: "/")
                    if i.id == "method" { v = i.choices?.first?.code ?? "" }
                case .money: hint = env.t("review.yuan")
                case .integer, .text: break
                }
                switch i.id {
                case "applicant": v = f.head?.name ?? ""
                case "approver": v = user.displayName
                case "certificateNo": v = f.certificateNo ?? ""
                case "opinion": v = env.t("review.agreed")
                // 特困: what the application recorded (生活自理能力, 供养方式, 供养机构), to confirm or change.
                case "supportMode": v = f.facts.tekun?.mode?.recorded ?? ""
                case "careLevel": v = f.facts.tekun?.careLevel?.label.zh ?? ""
                case "institution": v = f.facts.tekun?.institutionCode ?? ""
                case "urbanClass": v = UrbanClass.suggested(f.members, on: env.today).rawValue
                    hint += env.t("review.urbanClassSuggested")
                default: break
                }
                add(i.id, i.label(env.lang), v, hint: hint, required: i.isRequired)
            }
            if step?.isDecision == true {
                let unit = f.assessment.monthly ? env.t("review.yuanMonth") : env.t("review.yuan")
                add(DialogID.amount, env.t("review.amount"), f.assessment.amount.yuanString,
                    hint: env.t("review.amountHint", ["computed": f.assessment.amount.yuanString, "unit": unit]), required: true, max: 12)
                add(DialogID.override, env.t("review.override"), hint: env.t("review.overrideHint"))
            }
        case .reject:
            add("approver", env.t("review.decidedBy"), user.displayName, required: true)
            let proposal = f.history.last { $0.action == CaseAction.proposeReject.rawValue }
            let finding = f.progress.history.last?.action == CaseAction.proposeReject.rawValue ? (proposal.map { Store.object($0.inputs)["reason"] as? String ?? "" } ?? "") : ""
            add(DialogID.reason, env.t("review.reason"), finding, required: true, max: 120)
        case .proposeReject:
            add(DialogID.reason, env.t("review.finding"), hint: env.t("review.findingHint"), required: true, max: 120)
        case .withdraw:
            add(DialogID.reason, env.t("review.withdrawReason"), hint: env.t("review.withdrawHint"), required: true, max: 120)
        case .back:
            add(DialogID.reason, env.t("review.reason"), required: true, max: 120)
        case .terminate:
            let clear = f.followUps.contains { $0.isOpen && $0.proposed == .clear }
            add("kind", env.t("review.terminationKind"), (clear ? TerminationKind.clear : .cancel).label(env.lang),
                hint: env.t("review.terminationKindHint"), required: true, max: 8)
            add(DialogID.reason, env.t("review.reason"), openFinding(f, env), required: true, max: 120)
        case .keep, .suspend, .resume:
            add(DialogID.reason, env.t("review.reason"), a == .keep ? "" : openFinding(f, env), required: true, max: 120)
        case .adjust:
            let estimate = f.followUps.last { $0.isOpen && $0.incomeEstimate != nil }?.incomeEstimate ?? f.facts.perCapitaMonthly
            add("perCapitaIncome", env.t("review.incomeEstimate"), estimate?.yuanString ?? "", hint: env.t("review.incomeEstimateHint"), max: 12)
            if c.programme == .urbanDibao {
                add("urbanClass", env.t("review.class"), c.urbanClass?.rawValue ?? UrbanClass.suggested(f.members, on: env.today).rawValue, hint: "A/B/C", max: 1)
            }
            add(DialogID.amount, env.t("review.newAmount"), hint: env.t("review.newAmountHint", ["current": f.amount?.yuanString ?? "—"]), max: 12)
            add(DialogID.override, env.t("review.override"), hint: env.t("review.overrideHint"))
            add(DialogID.reason, env.t("review.reason"), openFinding(f, env), required: true, max: 120)
        case .objection:
            add(DialogID.reason, env.t("review.objectionContent"), required: true, max: 120)
            add("received", env.t("review.objectionReceived"), hint: env.t("review.objectionReceivedHint"), required: true)
            add("handler", env.t("review.objectionHandler"), user.displayName, required: true)
        case .urgentPay:
            let most = f.assessment.firstPaymentLimit ?? f.assessment.amount
            add(DialogID.amount, env.t("review.amount"), most.yuanString, hint: env.t("review.urgentMost", ["amount": most.yuanString]), required: true, max: 12)
            add(DialogID.reason, env.t("review.reason"), hint: env.t("review.urgentReasonHint"), max: 120)
        }
        let title = a.label(env.lang) + " · " + env.stepLabel(c.programme, c.step)
        return ActionDialog(action: a, title: title, fields: fields)
    }

    /// The finding of the follow-up waiting on the case, to start the reason from.
    static func openFinding(_ f: CaseFile, _ env: AppEnvironment) -> String {
        guard let u = f.followUps.last(where: \.isOpen) else { return "" }
        return env.t("review.openFinding", ["source": u.source.label(env.lang), "finding": u.finding])
    }

    enum DialogStep { case stay, cancel, submit }

    /// Move between the fields of a box, type into one, or say the box is done with.
    static func edit(_ d: inout ActionDialog, _ key: KeyEvent, env: AppEnvironment) -> DialogStep {
        if d.busy { return .stay }
        switch env.screens.keymap.command(for: key, on: .caseAction) {
        case .back?: return .cancel
        case .nextField?: d.focus = (d.focus + 1) % max(1, d.fields.count)
        case .prevField?: d.focus = (d.focus + d.fields.count - 1) % max(1, d.fields.count)
        case .confirm?:
            if d.focus < d.fields.count - 1 { d.focus += 1 } else { return .submit }
        case .submit?: return .submit
        default:
            if d.fields.indices.contains(d.focus) { _ = d.fields[d.focus].field.handle(key) }
            d.error = nil
        }
        return .stay
    }

    /// Keys for the box open over a screen: typed into it, Esc closes it, F2 (or Enter on the last
    /// field) hands it to `submit`, which says what to do and whether the box closes.
    static func boxKey(_ box: inout ActionDialog?, _ key: KeyEvent, env: AppEnvironment,
                       submit: (inout ActionDialog) -> (effects: [Effect], close: Bool)) -> [Effect] {
        guard var d = box else { return [] }
        switch edit(&d, key, env: env) {
        case .cancel: box = nil; return []
        case .stay: box = d; return []
        case .submit:
            let r = submit(&d)
            box = r.close ? nil : d
            return r.effects
        }
    }

    /// The first required field left empty, as an error on the box.
    static func missing(_ d: inout ActionDialog, env: AppEnvironment) -> Bool {
        for (i, fld) in d.fields.enumerated() where fld.required && fld.field.value.trimmingCharacters(in: .whitespaces).isEmpty {
            d.error = env.t("review.missing", ["field": fld.label]); d.focus = i
            return true
        }
        return false
    }

    static func dialogKey(_ s: inout AppState, _ c: inout CaseViewState, _ key: KeyEvent, env: AppEnvironment) -> [Effect] {
        var box = c.dialog
        let fx = boxKey(&box, key, env: env) { d in (submitDialog(&s, &c, &d, env: env), false) }
        c.dialog = box
        return fx
    }

    static func submitDialog(_ s: inout AppState, _ c: inout CaseViewState, _ d: inout ActionDialog, env: AppEnvironment) -> [Effect] {
        guard let f = c.file, let user = s.user else { return [] }
        if missing(&d, env: env) { return [] }
        if d.purpose == .extendLimit {
            d.error = nil; d.busy = true
            return [CaseScreen.effect(.extendLimit(caseId: c.caseId, version: f.caseRecord.version, reason: d.value(DialogID.reason)))]
        }
        var amount: Money?
        let amountText = d.value(DialogID.amount).trimmingCharacters(in: .whitespaces)
        if !amountText.isEmpty {
            guard let m = Money(yuanText: amountText) else {
                d.error = env.t("review.badAmount", ["value": amountText])
                d.focus = d.fields.firstIndex { $0.id == DialogID.amount } ?? d.focus
                return []
            }
            amount = m
        }
        var inputs: [String: String] = [:]
        for fld in d.fields where !fld.id.hasPrefix("_") { inputs[fld.id] = fld.field.value }
        var r = CaseRequest(action: d.action, actor: user.name, role: user.role, date: env.today, inputs: inputs,
                            reason: d.value(DialogID.reason), amount: amount, overrideReason: d.value(DialogID.override))
        d.error = nil
        // Above the ceiling (setting amount_ceiling_ratio × the computed amount): the reason
        // first, then a question; the store refuses the amount without both.
        if let a = amount, let k = env.ceilingRatio, a.fen > f.assessment.amount.fen * Int64(k) {
            let ceiling = Money(fen: f.assessment.amount.fen * Int64(k))
            let values = ["amount": a.yuanString, "ceiling": ceiling.yuanString, "computed": f.assessment.amount.yuanString, "ratio": String(k)]
            if r.overrideReason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                d.error = env.t("review.ceilingReason", values)
                d.focus = d.fields.firstIndex { $0.id == DialogID.override } ?? d.focus
                return []
            }
            r.confirmedAboveCeiling = true
            ask(&s, title: d.action.label(env.lang), what: env.t("review.askAboveCeiling", values),
                then: [CaseScreen.effect(.act(caseId: c.caseId, version: f.caseRecord.version, request: r))], env: env)
            return []
        }
        let effect = CaseScreen.effect(.act(caseId: c.caseId, version: f.caseRecord.version, request: r))
        // Irreversible: say what will happen and ask first.
        if [.reject, .terminate, .withdraw].contains(d.action) {
            let head = f.head?.name ?? ""
            let key = d.action == .reject ? "review.askReject" : d.action == .terminate ? "review.askTerminate" : "review.askWithdraw"
            ask(&s, title: d.action.label(env.lang), what: env.t(key, ["case": IdBlock.shown(c.caseId), "head": head,
                                                                      "programme": f.caseRecord.programme.label(env.lang)]),
                then: [effect], env: env)
            return []
        }
        d.busy = true
        return [effect]
    }
}
