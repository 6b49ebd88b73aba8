import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// 2 申请受理, the drafts list: the module. (Its state and keys are in `FormState.swift` and
/// `FormUpdate.swift` beside the form's.)
public enum IntakeScreen: ScreenModule {
    public static let id: ScreenID = "intake"

    public enum Effect: Equatable, Sendable {
        /// The user's drafts; `atLogin`: the list opens by itself when there are some.
        case loadDrafts(atLogin: Bool)
        case openDraft(Int64)
        case deleteDraft(Int64)
    }

    public enum Event: Sendable {
        case drafts([DraftSummary], atLogin: Bool)
        /// A draft's values, or nil when it is gone.
        case opened(id: Int64, values: FormValues?)
    }

    public static func open(_ s: inout AppState, env: AppEnvironment) -> [JiuzhuApp.Effect]? {
        s.push(IntakeScreen.embed(IntakeState()))
        return [effect(.loadDrafts(atLogin: false))]
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        guard let u = cx.user else { return nil }
        switch effect {
        case .loadDrafts(let atLogin):
            return .drafts(try cx.store.drafts(user: u.name), atLogin: atLogin)
        case .openDraft(let id):
            return .opened(id: id, values: try cx.store.draft(id: id, user: u.name))
        case .deleteDraft(let id):
            try cx.store.deleteDraft(id: id, user: u.name)
            return .drafts(try cx.store.drafts(user: u.name), atLogin: false)
        }
    }

    public static func event(_ s: inout AppState, _ st: inout IntakeState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch event {
        case .drafts(let drafts, _):
            st.drafts = drafts; st.loading = false
            st.selection = min(st.selection, drafts.count)
            return []
        case .opened(let id, let values):
            return opened(&s, id, values, env: env)
        }
    }

    public static func orphan(_ s: inout AppState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch event {
        case .drafts(let drafts, let atLogin):
            // At login, a clerk with unfinished drafts sees them first.
            guard atLogin && !drafts.isEmpty && s.top.id == MenuScreen.id else { return [] }
            var st = IntakeState(atLogin: true)
            st.drafts = drafts; st.loading = false; st.selection = 1
            s.push(IntakeScreen.embed(st))
            return []
        case .opened(let id, let values):
            return opened(&s, id, values, env: env)
        }
    }

    static func opened(_ s: inout AppState, _ id: Int64, _ values: FormValues?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        guard let v = values else {
            s.message = Message(title: env.t("error.title"), text: env.t("intake.draftGone"))
            return [effect(.loadDrafts(atLogin: false))]
        }
        return App.openForm(&s, values: v, draftId: id, env: env)
    }

    public static func key(_ s: inout AppState, _ st: inout IntakeState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        App.intakeKey(&s, &st, key, cmd, env: env)
    }

    public static func view(_ g: inout CellGrid, _ st: IntakeState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.intake(&g, st, s, env)
        return nil
    }
}

/// The application form (申请审批表): the module.
public enum FormScreen: ScreenModule {
    public static let id: ScreenID = "form"

    public enum Effect: Equatable, Sendable {
        case saveDraft(id: Int64?, title: String, values: FormValues)
        case checkID(FieldRef, value: String, household: Int64?)
        case checkOpenCase(householdId: Int64, programme: Programme)
        case searchHouseholds(requestId: Int, text: String)
        case loadHousehold(Int64)
        case submit(FormValues, draftId: Int64?)
        case printSurvey(FormValues, caseId: Int64?)
        /// Save a corrected survey as the case's next version (issue 21 item 4).
        case correct(caseId: Int64, caseVersion: Int, values: FormValues, reason: String)
    }

    public enum Event: Sendable {
        case draftSaved(id: Int64, at: Date)
        case draftNotSaved(any Error)
        case idChecked(FieldRef, value: String, holder: IDHolder?)
        case openCaseChecked(householdId: Int64, programme: Programme, open: Case?)
        case households(requestId: Int, rows: [HouseholdRow])
        case householdLoaded(Household, [Person])
        case submitted(caseId: Int64)
        case submitFailed(any Error)
        case printed([String])
        case corrected(caseId: Int64, version: Int)
        case correctFailed(any Error)
    }

    /// The reason box of a survey correction reads the action box's keys.
    public static func keymapSection(_ f: FormState, _ s: AppState) -> ScreenID {
        f.correction?.reasonBox != nil ? .caseAction : id
    }

    public static func isQuickRead(_ effect: Effect) -> Bool {
        switch effect {
        case .searchHouseholds, .checkID: return true
        default: return false
        }
    }

    /// What the store needs to turn the form into a case: the programme's steps and the figures.
    static func submission(_ values: FormValues, draftId: Int64?, env: AppEnvironment) -> Submission {
        let programme = values.fields["programme"].flatMap(Programme.init(rawValue:)) ?? .ruralDibao
        // The steps from the catalogue (data/programmes.json), never written here.
        let d = env.catalog?.definition(programme)
        return Submission(values: values, programme: programme, figures: env.forms.rules.figures(values),
                          applyStep: d?.applyStep ?? "", surveyStep: d?.surveyStep, nextStep: d?.stepAfterIntake ?? "", draftId: draftId,
                          today: env.today, catalog: env.catalog)
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        let store = cx.store
        switch effect {
        case .saveDraft(let id, let title, let values):
            guard let u = cx.user else { return nil }
            do { return .draftSaved(id: try store.saveDraft(id: id, user: u.name, form: ApplicationForm.formId, title: title, values: values), at: cx.env.clock.now()) }
            catch {
                cx.log("draft not saved: \(error)")
                return .draftNotSaved(error)
            }
        case .checkID(let ref, let value, let household):
            return .idChecked(ref, value: value, holder: try store.idHolder(idNumber: value, outside: household))
        case .checkOpenCase(let hid, let programme):
            return .openCaseChecked(householdId: hid, programme: programme, open: try store.openCase(householdId: hid, programme: programme))
        case .searchHouseholds(let id, let text):
            var q = HouseholdQuery()
            q.text = text
            return .households(requestId: id, rows: try store.read { db in try Store.householdPage(db, q, anchor: .first, limit: 50) })
        case .loadHousehold(let hid):
            let (h, members) = try store.read { db in (try Store.household(db, id: hid), try Store.members(db, householdId: hid)) }
            return h.map { .householdLoaded($0, members) }
        case .submit(let values, let draftId):
            guard let u = cx.user else { return nil }
            do {
                let cid = try store.submitApplication(submission(values, draftId: draftId, env: cx.env), by: u.name)
                cx.log("application submitted: case \(cid) by \(u.name)")
                return .submitted(caseId: cid)
            } catch { return .submitFailed(error) }
        case .correct(let cid, let caseVersion, let values, let reason):
            guard let u = cx.user else { return nil }
            do {
                let v = try store.correctSurvey(caseId: cid, caseVersion: caseVersion, values: values, figures: cx.env.forms.rules.figures(values),
                                                reason: reason, by: u.name, today: cx.env.today)
                cx.log("survey of case \(cid) corrected: version \(v) by \(u.name)")
                return .corrected(caseId: cid, version: v)
            } catch { return .correctFailed(error) }
        case .printSurvey(let values, let caseId):
            return .printed(try SurveyPrint.write(values: values, caseId: caseId, besides: store.path, env: cx.env, office: try store.office()))
        }
    }

    public static func event(_ s: inout AppState, _ f: inout FormState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        guard let spec = env.screens.forms[f.formId] else { return [] }
        var fx: [JiuzhuApp.Effect] = []
        switch event {
        case .draftSaved(let id, let at):
            f.draftId = id; f.draftSavedAt = ClockText.local(at, "%H:%M:%S"); f.draftError = nil
        case .draftNotSaved(let error):
            f.draftError = App.describe(error, env.lang)
            f.lastSaved = nil
        case .idChecked(let ref, let value, let holder):
            guard f.values[ref] == value else { break }
            if let h = holder {
                let values = ["village": h.village, "head": h.headName, "name": h.name,
                              "programmes_zh": h.programmes, "programmes_en": Store.programmesSummary(h.programmes, .en)]
                f.dbMessages[ref] = FieldMessage(ref, .error, sayBoth(h.programmes.isEmpty ? "form.idHeld" : "form.idHeldIn", values))
            } else {
                f.dbMessages[ref] = nil
            }
        case .openCaseChecked(let hid, let programme, let open):
            // A correction is of the case open on the household: not a second application.
            if f.correction != nil { break }
            let ref = FieldRef(section: "application", field: "programme")
            guard f.values.fields["household"] == String(hid), f.values.fields["programme"] == programme.rawValue else { break }
            f.dbMessages[ref] = open.map { c in
                FieldMessage(ref, .error, sayBoth("form.alreadyOpen", ["programme_zh": programme.label.zh, "programme_en": programme.label.en,
                                                                    "case": IdBlock.shown(c.id ?? 0), "status_zh": c.status.label.zh, "status_en": c.status.label.en,
                                                                    "step": env.stepLabel(programme, c.step)]))
            }
        case .households(let id, let rows):
            guard var fp = f.picker, fp.householdSearch, fp.requestId == id else { break }
            fp.picker.options = rows.map { Picker.Option(code: String($0.id), label: "\($0.headName)  \($0.village)  \($0.maskedID)  " + env.t("form.pickerPersons", ["n": String($0.memberCount)])) }
            fp.picker.emptyText = env.t("form.householdNone")
            f.picker = fp
        case .householdLoaded(let h, let members):
            ApplicationForm.fill(&f.values, household: h, members: members)
            f.messages = [:]
            f.dbMessages = [:]
            if let hid = h.id, let p = f.values.fields["programme"].flatMap(Programme.init(rawValue:)) {
                fx.append(effect(.checkOpenCase(householdId: hid, programme: p)))
            }
            App.enter(&f, page: f.page, slot: f.focus, spec: spec, env: env)
            fx += App.move(&f, by: 1, spec: spec, env: env, user: s.user)
        case .submitted(let cid):
            f.busy = false
            f.submittedCase = cid
            f.draftId = nil
            f.messages = [:]
            s.message = Message(title: env.t("form.submittedTitle"), text: env.t("form.submitted", ["case": IdBlock.shown(cid)]))
        case .submitFailed(let error):
            f.busy = false
            s.message = Message(title: env.t("form.submitFailedTitle"), text: env.t("form.submitFailed", ["why": App.describe(error, env.lang)]))
        case .printed(let paths):
            App.printed(&s, paths, env: env)
        case .corrected(let cid, let version):
            f.correction?.reasonBox = nil
            f.correction?.saved = version
            s.message = Message(title: env.t("form.correctedTitle"), text: env.t("form.corrected", ["case": IdBlock.shown(cid), "v": String(version)]))
            // Back on the case, which reads the new version.
            if s.top.id == FormScreen.id { s.pop() }
            if let c = CaseScreen.extract(s.top), c.caseId == cid { return [CaseScreen.effect(.load(cid))] }
        case .correctFailed(let error):
            // The box stays with the reason typed; the form keeps every value.
            f.correction?.reasonBox?.busy = false
            f.correction?.reasonBox?.error = env.t("form.correctFailed", ["why": App.describe(error, env.lang)])
        }
        return fx
    }

    public static func orphan(_ s: inout AppState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        if case .printed(let paths) = event { App.printed(&s, paths, env: env) }
        return []
    }

    /// A form keeps what was typed: quitting saves the field being typed first, and the main
    /// menu key asks as Esc does.
    public static func preempt(_ s: inout AppState, _ f: inout FormState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect]? {
        guard let spec = env.screens.forms[f.formId], f.submittedCase == nil else { return nil }
        if cmd == .quit { return App.leave(&f, spec: spec, env: env, user: s.user) + [.quit] }
        if cmd == .mainMenu { return App.formKey(&s, &f, .escape, .back, env: env) }
        return nil
    }

    public static func key(_ s: inout AppState, _ f: inout FormState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        let depth = s.stack.count
        var fx = App.formKey(&s, &f, key, cmd, env: env)
        if f.toDisaster {
            f.toDisaster = false
            return fx + App.disasterFromForm(&s, f, env: env)
        }
        // Back on the drafts list: it shows what the form left or submitted.
        if s.stack.count < depth, s.top.id == IntakeScreen.id { fx.append(IntakeScreen.effect(.loadDrafts(atLogin: false))) }
        return fx
    }

    public static func resized(_ s: inout AppState, _ f: inout FormState, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        f.scroll = 0
        return []
    }

    public static func view(_ g: inout CellGrid, _ f: FormState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.form(&g, f, s, env)
    }
}
