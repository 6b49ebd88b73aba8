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
    public static func load(store: Store, screens: ScreenData, lang: Lang, demo: Bool, today: CivilDate = .today) throws -> AppEnvironment {
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
                                 today: today, labels: labels, catalog: catalog, forms: forms)
        env.spotCheckPercent = try store.spotCheckPercent()
        env.publicityDays = reference.settings["publicity_days"].flatMap(Int.init) ?? 7
        env.delegated = ReferenceData.yesNo(reference.settings["confirm_delegated"] ?? "no") ?? false
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

    private let lock = NSLock()
    private var inbox: [AppEvent] = []
    private var pending = 0
    private var latestCount = 0
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
        while !state.quitting {
            let waiting = lock.withLock { pending > 0 || !inbox.isEmpty }
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
        let events: [AppEvent] = lock.withLock { let e = inbox; inbox = []; return e }
        for e in events { dispatch(e) }
    }

    private func post(_ e: AppEvent) { lock.withLock { inbox.append(e) } }

    static func clock() -> String {
        ClockText.local(Date(), "%H:%M:%S")
    }

    /// What the store needs to turn the form into a case: the programme's steps and the figures.
    func submission(_ values: FormValues, draftId: Int64?) -> Submission {
        let programme = values.fields["programme"].flatMap(Programme.init(rawValue:)) ?? .ruralDibao
        let steps = env.catalog?.definition(programme).steps.map(\.code) ?? ["apply", "survey"]
        let survey = steps.contains("survey") ? "survey" : nil
        let after = survey.flatMap { steps.firstIndex(of: $0) } ?? 0
        let next = steps.indices.contains(after + 1) ? steps[after + 1] : steps[after]
        return Submission(values: values, programme: programme, figures: env.forms.rules.figures(values),
                          applyStep: steps.first ?? "apply", surveyStep: survey, nextStep: next, draftId: draftId, today: env.today,
                          catalog: env.catalog)
    }

    /// 张榜公示's writes: each answers with what was done, or why not.
    func publicity(_ effect: Effect) {
        guard let u = state.user, let catalog = env.catalog else { return }
        do {
            switch effect {
            case .createBatch(let n):
                let id = try store.createBatch(n, by: u.name, today: env.today, catalog: catalog)
                let b = try store.batch(id: id)
                dispatch(.publicityDone(env.t("publicity.created", ["title": b?.title ?? "", "n": String(b?.lineCount ?? 0),
                                                                     "until": b?.postedUntil.iso ?? ""]), openBatch: id))
            case .setBatchLine(let bid, let cid, let included):
                try store.setLine(batchId: bid, caseId: cid, included: included, by: u.name)
                dispatch(.batchLoaded(bid, try store.batch(id: bid), try store.batchLines(batchId: bid, today: env.today, catalog: catalog)))
            case .addWaiting(let bid):
                let n = try store.addWaiting(batchId: bid, by: u.name)
                dispatch(.publicityDone(env.t("publicity.added", ["n": String(n)]), openBatch: nil))
            case .postBatch(let bid, let version):
                try store.postBatch(bid, version: version, by: u.name, today: env.today, catalog: catalog)
                dispatch(.publicityDone(env.t("publicity.posted"), openBatch: nil))
            case .closeBatch(let bid, let version):
                let r = try store.closeBatch(bid, version: version, by: u.name, today: env.today, catalog: catalog)
                dispatch(.publicityDone(env.t("publicity.closed", ["moved": String(r.moved.count), "held": String(r.held.count)]), openBatch: nil))
            case .registerObjection(let bid, let cid, let on, let how, let content, _) where try store.batch(id: bid)?.kind.step == nil:
                // A posting of adjustments and cancellations moves no case: the objection is a complaint to check.
                let n = try store.registerPostingComplaint(batchId: bid, caseId: cid, receivedOn: on, receivedHow: how, content: content,
                                                           by: u.name, today: env.today)
                dispatch(.publicityDone(env.t("publicity.objectedComplaint", ["id": String(n)]), openBatch: nil))
            case .registerObjection(let bid, let cid, let on, let how, let content, let handler):
                _ = try store.registerObjection(batchId: bid, caseId: cid, receivedOn: on, receivedBy: how, content: content, handler: handler,
                                                by: u.name, catalog: catalog)
                dispatch(.publicityDone(env.t("publicity.objected"), openBatch: nil))
            case .objectionResult(let oid, let upheld, let reason):
                try store.recordObjectionResult(oid, upheld: upheld, reason: reason, by: u.name, today: env.today)
                dispatch(.publicityDone(env.t(upheld ? "publicity.upheldDone" : "publicity.notUpheldDone"), openBatch: nil))
            case .printBatch(let bid):
                let paths = try PublicityPrint.write(batchId: bid, store: store, env: env, catalog: catalog)
                dispatch(.publicityDone(env.t("publicity.printed", ["paths": paths.joined(separator: "\n")]), openBatch: nil))
            default: break
            }
        } catch {
            dispatch(.publicityFailed(message(error)))
        }
    }

    /// The case browser's selection as CSV (BOM, ID numbers masked) into `prints/`, mode 0600.
    /// The case browser's selection as CSV and as an Excel workbook, side by side in `prints/`
    /// (ID numbers masked, both 0600). Returns both paths.
    func exportSelection(_ q: CaseQuery, catalog: ProgrammeCatalog) throws -> [String] {
        let stem = try PrintsFolder.url(besides: store.path).appendingPathComponent("cases-\(Int(Date().timeIntervalSince1970))").path
        let header = Store.caseSelectionHeader(env.lang).components(separatedBy: ",")
        func cells(_ r: CaseRow) -> [String] {
            let step = r.status == .inProgress ? env.stepLabel(r.programme, r.step) : r.status.label(env.lang)
            return [String(r.id), r.programme.label(env.lang), r.village, r.head, r.maskedID, step, r.stepSince.iso,
                    r.urbanClass ?? "", r.monthly?.yuanString ?? "", r.investigators, r.approver]
        }
        // One pass over the selection feeds both files.
        var text = CSVWriter.bom + CSVWriter.line(header)
        let title = (env.lang == .zh ? "对象查询导出 " : "Cases exported ") + env.today.iso
        try TableXLSX.write(title: title, sheet: env.lang == .zh ? "对象" : "Cases", header: header, numeric: [0, 8], lang: env.lang,
                            to: stem + ".xlsx") { sink in
            try store.forEachCaseInSelection(q, today: env.today, catalog: catalog) { r in
                let row = cells(r)
                text += CSVWriter.line(row)
                try sink(row)
            }
        }
        try SurveyPrint.writePrivate(text, to: stem + ".csv")
        return [stem + ".csv", stem + ".xlsx"]
    }

    /// The rejection or termination notice of a case, written beside the database.
    func writeNotice(_ id: Int64, catalog: ProgrammeCatalog) throws -> [String] {
        guard let f = try store.caseFile(id: id, today: env.today, catalog: catalog), let kind = CaseNotice.kind(for: f) else { return [] }
        return try CaseNotice.write(f, kind: kind, besides: store.path, env: env, office: try store.office())
    }

    func message(_ error: Error) -> String { Self.message(error, env.lang) }

    /// For work off the drawing thread, which must not read `env` (a settings change replaces it).
    static func message(_ error: Error, _ lang: Lang) -> String {
        if let e = error as? StoreError { return e.message(lang) }
        return String(describing: error)
    }

    func perform(_ effect: Effect) {
        switch effect {
        case .quit:
            state.quitting = true
        case .authenticate(let user, let password):
            do {
                let u = try store.authenticate(name: user, password: password)
                log("login \(u.name)")
                dispatch(.loggedIn(u))
            } catch {
                dispatch(.loginFailed(message(error)))
            }
        case .loadHouseholds(let id, let query, let anchor, let limit):
            do {
                let rows = try store.read { db in try Store.householdPage(db, query, anchor: anchor, limit: limit) }
                dispatch(.householdPage(requestId: id, rows: rows, anchor: anchor, limit: limit))
            } catch {
                dispatch(.failed(message(error)))
            }
        case .countHouseholds(let id, let text):
            lock.withLock { pending += 1; latestCount = id }
            let lang = env.lang
            background { [self] in
                defer { lock.withLock { pending -= 1 } }
                // A newer search has been typed: this count would be dropped anyway.
                if lock.withLock({ latestCount != id }) { return }
                do {
                    let n = try store.read { db in try Store.householdCount(db, text: text) }
                    post(.householdCount(requestId: id, count: n))
                } catch {
                    post(.failed(Self.message(error, lang)))
                }
            }
        case .loadDrafts(let atLogin):
            guard let u = state.user else { return }
            do { dispatch(.draftsLoaded(try store.drafts(user: u.name), atLogin: atLogin)) } catch { dispatch(.failed(message(error))) }
        case .openDraft(let id):
            guard let u = state.user else { return }
            do { dispatch(.draftOpened(id: id, values: try store.draft(id: id, user: u.name))) } catch { dispatch(.failed(message(error))) }
        case .deleteDraft(let id):
            guard let u = state.user else { return }
            do {
                try store.deleteDraft(id: id, user: u.name)
                dispatch(.draftsLoaded(try store.drafts(user: u.name), atLogin: false))
            } catch { dispatch(.failed(message(error))) }
        case .saveDraft(let id, let title, let values):
            guard let u = state.user else { return }
            do {
                let did = try store.saveDraft(id: id, user: u.name, form: ApplicationForm.formId, title: title, values: values)
                dispatch(.draftSaved(id: did, at: Self.clock()))
            } catch {
                log("draft not saved: \(error)")
                dispatch(.draftNotSaved(message(error)))
            }
        case .checkID(let ref, let value, let household):
            do { dispatch(.idChecked(ref, value: value, holder: try store.idHolder(idNumber: value, outside: household))) }
            catch { dispatch(.failed(message(error))) }
        case .checkOpenCase(let hid, let programme):
            do { dispatch(.openCaseChecked(householdId: hid, programme: programme, open: try store.openCase(householdId: hid, programme: programme))) }
            catch { dispatch(.failed(message(error))) }
        case .searchHouseholdsForForm(let id, let text):
            do {
                var q = HouseholdQuery()
                q.text = text
                let rows = try store.read { db in try Store.householdPage(db, q, anchor: .first, limit: 50) }
                dispatch(.formHouseholds(requestId: id, rows: rows))
            } catch { dispatch(.failed(message(error))) }
        case .loadHouseholdIntoForm(let hid):
            do {
                let (h, members) = try store.read { db in (try Store.household(db, id: hid), try Store.members(db, householdId: hid)) }
                if let h { dispatch(.formHouseholdLoaded(h, members)) }
            } catch { dispatch(.failed(message(error))) }
        case .submit(let values, let draftId):
            guard let u = state.user else { return }
            do {
                let cid = try store.submitApplication(submission(values, draftId: draftId), by: u.name)
                log("application submitted: case \(cid) by \(u.name)")
                dispatch(.submitted(caseId: cid))
            } catch {
                dispatch(.submitFailed(message(error)))
            }
        case .printSurvey(let values, let caseId):
            do {
                let paths = try SurveyPrint.write(values: values, caseId: caseId, besides: store.path, env: env,
                                                  office: try store.office())
                dispatch(.printed(paths: paths))
            } catch {
                dispatch(.failed(message(error)))
            }
        case .loadQueue(let village, let programme):
            guard let u = state.user, let catalog = env.catalog else { return }
            do {
                let rows = try store.reviewQueue(role: u.role, catalog: catalog, today: env.today, village: village, programme: programme)
                let total = try store.reviewQueueTotal(role: u.role, catalog: catalog, village: village, programme: programme)
                dispatch(.queueLoaded(rows, villages: try store.villages(), total: total))
            } catch { dispatch(.failed(message(error))) }
        case .loadCase(let id):
            guard let catalog = env.catalog else { return }
            do { dispatch(.caseLoaded(id, try store.caseFile(id: id, today: env.today, catalog: catalog))) }
            catch { dispatch(.failed(message(error))) }
        case .act(let id, let version, let request):
            guard let catalog = env.catalog else { return }
            do {
                let r = try store.act(caseId: id, version: version, request: request, catalog: catalog)
                log("case \(id): \(request.action.rawValue) by \(request.actor) -> \(r.transition.step) \(r.transition.status.rawValue)")
                var notice: [String] = []
                // Refused, stopped, adjusted or suspended: the family is owed a written notice.
                if r.transition.status == .rejected || r.transition.status == .terminated
                    || request.action == .adjust || request.action == .suspend {
                    notice = (try? writeNotice(id, catalog: catalog)) ?? []
                }
                dispatch(.acted(r, notice: notice))
            } catch {
                dispatch(.actFailed(message(error)))
            }
        case .printNotice(let id):
            guard let catalog = env.catalog else { return }
            do { dispatch(.printed(paths: try writeNotice(id, catalog: catalog))) } catch { dispatch(.failed(message(error))) }
        case .loadBatches:
            do { dispatch(.batchesLoaded(try store.batches(), villages: try store.villages())) } catch { dispatch(.failed(message(error))) }
        case .loadBatch(let id):
            guard let catalog = env.catalog else { return }
            do {
                dispatch(.batchLoaded(id, try store.batch(id: id), try store.batchLines(batchId: id, today: env.today, catalog: catalog)))
            } catch { dispatch(.failed(message(error))) }
        case .createBatch, .setBatchLine, .addWaiting, .postBatch, .closeBatch, .registerObjection, .objectionResult, .printBatch:
            publicity(effect)
        case .loadCases(let id, let query, let anchor, let limit):
            guard let catalog = env.catalog else { return }
            do {
                let rows = try store.casePage(query, anchor: anchor, limit: limit, today: env.today, catalog: catalog)
                let villages = (anchor == .first && query.text.isEmpty && !query.isFiltered) ? try store.villages() : []
                dispatch(.casesLoaded(requestId: id, rows: rows, villages: villages, anchor: anchor))
            } catch { dispatch(.failed(message(error))) }
        case .summarizeCases(let id, let query):
            guard let catalog = env.catalog else { return }
            lock.withLock { pending += 1; latestCount = id }
            // The environment as it is now: a settings change reloads `env` on this thread.
            let today = env.today, lang = env.lang
            background { [self] in
                defer { lock.withLock { pending -= 1 } }
                if lock.withLock({ latestCount != id }) { return }
                do {
                    let r = try store.caseSummary(query, today: today, catalog: catalog)
                    post(.casesSummarized(requestId: id, count: r.count, monthly: r.monthly))
                } catch { post(.failed(Self.message(error, lang))) }
            }
        case .loadSavedFilters:
            guard let u = state.user else { return }
            do { dispatch(.filtersSaved(try store.savedFilters(user: u.name).map { SavedFilter(name: $0.name, query: $0.query) })) }
            catch { dispatch(.failed(message(error))) }
        case .saveFilter(let name, let query):
            guard let u = state.user else { return }
            do {
                try store.saveFilter(query, name: name, user: u.name)
                dispatch(.filtersSaved(try store.savedFilters(user: u.name).map { SavedFilter(name: $0.name, query: $0.query) }))
                state.message = Message(title: env.t("screen.cases"), text: env.t("cases.saved", ["name": name]))
                draw()
            } catch { dispatch(.failed(message(error))) }
        case .exportCases(let query):
            guard let catalog = env.catalog else { return }
            do {
                let paths = try exportSelection(query, catalog: catalog)
                state.message = Message(title: env.t("screen.cases"), text: env.t("cases.exported", ["path": paths.joined(separator: "\n")]))
                draw()
            } catch { dispatch(.failed(message(error))) }
        case .loadDraws:
            do { dispatch(.drawsLoaded(try store.spotCheckDraws(), try store.coverage())) } catch { dispatch(.failed(message(error))) }
        case .loadDraw(let id):
            do { dispatch(.drawLoaded(id, try store.spotCheckDraw(id: id), try store.spotChecks(drawId: id), try store.coverage(drawId: id))) }
            catch { dispatch(.failed(message(error))) }
        case .drawSpotCheck(let p, let pct, let seed, let period):
            guard let u = state.user else { return }
            do {
                let r = try store.drawSpotCheck(programme: p, period: period, percent: pct, seed: seed, by: u.name, dryRun: false)
                var text = env.t("spot.drawn", ["n": String(r.lines.count), "of": String(r.population), "seed": String(seed), "pct": String(pct)])
                if let w = r.warning { text += "\n" + w(env.lang) }
                dispatch(.spotDone(text, openDraw: r.drawId))
            } catch { dispatch(.spotFailed(message(error))) }
        case .recordSpotVisit(let id, let on, let by, let findings, let discrepancy, let action):
            guard let u = state.user else { return }
            do {
                try store.recordSpotCheckVisit(id: id, visitedOn: on, by: by, findings: findings, discrepancy: discrepancy, proposedAction: action, user: u.name)
                dispatch(.spotDone(env.t(discrepancy ? "spot.recordedDiscrepancy" : "spot.recorded", ["action": action.label(env.lang)]), openDraw: nil))
            } catch { dispatch(.spotFailed(message(error))) }
        case .loadDue:
            do { dispatch(.dueLoaded(try store.dueWork(today: env.today))) } catch { dispatch(.failed(message(error))) }
        case .recordDue(let item, let on, let note, let proposed, let income):
            guard let u = state.user else { return }
            do {
                try store.recordDue(item, on: on, note: note, proposed: proposed, incomeEstimate: income, by: u.name)
                var text = env.t("due.recorded", ["what": item.kind.label(env.lang), "case": String(item.caseId)])
                if proposed != .none { text += "\n" + env.t("due.followUpOpened", ["action": proposed.label(env.lang)]) }
                dispatch(.dueRecorded(text))
            } catch { dispatch(.dueFailed(message(error))) }
        case .loadReport(let from, let until):
            guard let catalog = env.catalog else { return }
            do { dispatch(.reportLoaded(from: from, until: until, try store.yearFigures(from: from, until: until, catalog: catalog))) }
            catch { dispatch(.reportFailed(message(error))) }
        case .loadComplaints:
            do { dispatch(.complaintsLoaded(try store.complaints())) } catch { dispatch(.failed(message(error))) }
        case .complaintStep(let step):
            guard let u = state.user else { return }
            do {
                let (id, text): (Int64, String)
                switch step {
                case .receive(let n):
                    let n = try store.receiveComplaint(n, by: u.name, today: env.today)
                    (id, text) = (n, env.t("complaint.received", ["id": String(n)]))
                case .assign(let n, let version, let to, let on):
                    try store.assignComplaint(id: n, version: version, to: to, on: on, by: u.name)
                    (id, text) = (n, env.t("complaint.assigned", ["id": String(n), "to": to]))
                case .check(let n, let version, let on, let founded, let finding, let proposed):
                    try store.checkComplaint(id: n, version: version, on: on, founded: founded, finding: finding, proposed: proposed, by: u.name)
                    (id, text) = (n, env.t("complaint.checked", ["id": String(n)])
                        + (proposed != .none ? "\n" + env.t("due.followUpOpened", ["action": proposed.label(env.lang)]) : ""))
                case .answer(let n, let version, let on, let answer):
                    try store.answerComplaint(id: n, version: version, on: on, answer: answer, by: u.name)
                    (id, text) = (n, env.t("complaint.answered", ["id": String(n)]))
                }
                dispatch(.complaintDone(text, id: id))
            } catch { dispatch(.complaintFailed(message(error))) }
        case .loadCampaigns:
            do {
                let rows = try store.campaigns().map { g in
                    CampaignRow(campaign: g, outcome: env.catalog.flatMap { try? store.campaignOutcome(id: g.id, catalog: $0, today: env.today) })
                }
                dispatch(.campaignsLoaded(rows))
            } catch { dispatch(.failed(message(error))) }
        case .startCampaign(let name, let programme, let from, let until):
            guard let u = state.user else { return }
            do {
                let id = try store.startCampaign(name: name, programme: programme, startedOn: from, endsOn: until, by: u.name)
                let g = try store.campaign(id: id)
                dispatch(.campaignDone(env.t("campaign.started", ["name": name, "n": String(g?.listed ?? 0), "p": String(g?.persons ?? 0)])))
            } catch { dispatch(.campaignFailed(message(error))) }
        case .closeCampaign(let id, let on):
            guard let u = state.user else { return }
            do {
                try store.closeCampaign(id: id, on: on, by: u.name)
                dispatch(.campaignDone(env.t("campaign.closed", ["on": on.iso])))
            } catch { dispatch(.campaignFailed(message(error))) }
        case .loadSystem:
            do {
                let now = Date()
                let users = try store.userStatuses().map { u -> UserRow in
                    let lock = u.lockedUntil.flatMap(ClockText.parseUTC).flatMap { $0 > now ? ClockText.local($0, "%Y-%m-%d %H:%M") : nil }
                    return UserRow(name: u.user.name, displayName: u.user.displayName, role: u.user.role, active: u.user.active, lockedUntil: lock)
                }
                dispatch(.systemLoaded(users: users, backups: store.backups(), folder: store.backupFolder))
            } catch { dispatch(.failed(message(error))) }
        case .addUser(let name, let displayName, let role, let password):
            guard let u = state.user, u.role == .admin else { return }
            do {
                try store.addUser(name: name, displayName: displayName, role: role, password: password, by: u.name)
                log("user \(name) added by \(u.name)")
                dispatch(.systemDone(env.t("system.added", ["name": name, "role": role.label(env.lang)])))
            } catch { dispatch(.systemFailed(message(error))) }
        case .resetPassword(let name, let password):
            guard let u = state.user, u.role == .admin else { return }
            do {
                try store.resetPassword(name: name, password: password, by: u.name)
                dispatch(.systemDone(env.t("system.passwordSet", ["name": name])))
            } catch { dispatch(.systemFailed(message(error))) }
        case .setUserActive(let name, let active):
            guard let u = state.user, u.role == .admin else { return }
            do {
                try store.setUserActive(name: name, active: active, by: u.name)
                dispatch(.systemDone(env.t(active ? "system.enabled" : "system.disabledDone", ["name": name])))
            } catch { dispatch(.systemFailed(message(error))) }
        case .backup(let to):
            guard let u = state.user, u.role == .admin else { return }
            do {
                let r = try store.backup(to: to.isEmpty ? nil : to, by: u.name)
                log("backup \(r.file.path) \(r.file.bytes) bytes")
                dispatch(.systemDone(env.t("system.backedUp", ["path": r.file.path, "size": BackupFile.sizeText(r.file.bytes), "rows": String(r.auditRows)])))
            } catch { dispatch(.systemFailed(message(error))) }
        case .loadSettings:
            do { dispatch(.settingsLoaded(try store.settingRows())) } catch { dispatch(.failed(message(error))) }
        case .changeSetting(let key, let value, let version):
            guard let u = state.user, u.role == .admin else { return }
            do {
                try store.changeSetting(key: key, value: value, version: version, by: u.name)
                log("setting \(key) changed by \(u.name)")
                // Limits, rounding and periods the screens hold take the new value at once; should
                // that fail, the value is saved all the same and the next start picks it up.
                var text = env.t("settings.saved", ["key": key, "value": value.trimmingCharacters(in: .whitespaces)])
                do { env = try AppEnvironment.load(store: store, screens: env.screens, lang: env.lang, demo: env.demo, today: env.today) }
                catch { text = env.t("settings.savedRestart", ["key": key, "why": message(error)]) }
                dispatch(.settingSaved(text))
            } catch { dispatch(.settingFailed(message(error))) }
        case .loadRosters(let selected):
            do {
                let rows = try store.rosters()
                let pick = rows.first { $0.id == selected } ?? rows.first
                dispatch(.rostersLoaded(rows, villages: try pick.map { try store.rosterVillageTotals(id: $0.id) } ?? [], selected: pick?.id))
            } catch { dispatch(.failed(message(error))) }
        case .loadRosterVillages(let id):
            do { dispatch(.rosterVillagesLoaded(id, try store.rosterVillageTotals(id: id))) } catch { dispatch(.failed(message(error))) }
        case .loadRosterLines(let id, let anchor, let limit, let offset):
            do {
                guard let r = try store.roster(id: id) else { return }
                dispatch(.rosterLinesLoaded(r, try store.rosterLines(id: id, from: anchor, limit: limit), offset: offset))
            } catch { dispatch(.failed(message(error))) }
        case .makeRoster(let month, let programme):
            guard let u = state.user, App.mayMakeRosters(u) else { return }
            do {
                guard let catalog = env.catalog else { return }
                let r = try store.makeRoster(month: month, programme: programme, catalog: catalog, by: u.name)
                var text = env.t("roster.made", ["month": r.month, "programme": r.programme.label(env.lang), "n": String(r.lines),
                                                  "p": String(r.persons), "total": r.total.yuanString, "noCard": String(r.withoutCard)])
                if r.backPay.fen > 0 { text += "\n" + env.t("roster.backPay", ["back": r.backPay.yuanString]) }
                dispatch(.rosterDone(text, select: r.id))
            } catch { dispatch(.rosterFailed(message(error))) }
        case .confirmRoster(let id, let version, let password):
            guard let u = state.user, App.mayPayRosters(u), let catalog = env.catalog else { return }
            do {
                // The approver's password, as `jiuzhu roster confirm` asks it.
                _ = try store.authenticate(name: u.name, password: password)
                try store.confirmRoster(id: id, version: version, catalog: catalog, by: u.name, today: env.today)
                dispatch(.rosterDone(env.t("roster.confirmedDone"), select: id))
            } catch { dispatch(.rosterFailed(message(error))) }
        case .loadRaise(let p):
            guard let catalog = env.catalog else { return }
            do { dispatch(.raiseLoaded(p, try store.raisePlan(programme: p, today: env.today, catalog: catalog), problem: nil)) }
            catch { dispatch(.raiseLoaded(p, nil, problem: message(error))) }
        case .applyRaise(let plan, let password):
            guard let u = state.user, u.role == .approver, let catalog = env.catalog else { return }
            do {
                _ = try store.authenticate(name: u.name, password: password)
                let n = try store.applyRaise(plan, today: env.today, catalog: catalog, by: u.name, role: u.role)
                dispatch(.raiseDone(env.t("raise.done", ["n": String(n), "from": plan.from.description])))
            } catch { dispatch(.raiseFailed(message(error))) }
        case .exportRoster(let id):
            guard let u = state.user, App.mayPayRosters(u) else { return }
            do {
                guard let r = try store.roster(id: id) else { return }
                let paths = try RosterExport.write(r, lines: try store.rosterLines(id: id), township: env.township, lang: env.lang,
                                                   stem: try RosterExport.stem(r, besides: store.path))
                try store.auditRosterExport(id: id, to: paths.joined(separator: ", "), by: u.name)
                dispatch(.rosterDone(env.t("roster.exported", ["paths": paths.joined(separator: "\n")]), select: id))
            } catch { dispatch(.rosterFailed(message(error))) }
        case .loadAudit(let older, let newer, let limit, let keep):
            guard state.user?.role == .admin else { return }
            do {
                let page = try store.auditPage(olderThan: older, newerThan: newer, limit: limit)
                dispatch(.auditLoaded(page, newest: try store.auditNewest(), keep: keep))
            } catch { dispatch(.failed(message(error))) }
        case .verifyAudit:
            guard state.user?.role == .admin else { return }
            do {
                switch try store.verifyAudit() {
                case .intact(let n): dispatch(.auditVerified(env.t("audit.intact", ["n": String(n)])))
                case .broken(let row, let why): dispatch(.auditVerified(StoreError.auditBroken(atRow: row, detail: why).message(env.lang)))
                }
            } catch { dispatch(.failed(message(error))) }
        case .writeReport(let from, let until, let figures):
            do {
                let stem = try PrintsFolder.url(besides: store.path).appendingPathComponent("report-\(from.iso)-\(until.iso)").path
                let paths = try YearReport.write(figures, from: from, until: until, township: env.township, lang: env.lang, stem: stem,
                                                anchor: store.anchorText())
                dispatch(.printed(paths: paths))
            } catch { dispatch(.reportFailed(message(error))) }
        case .loadHouseholdCard(let hid):
            do {
                let card = try store.read { db in try Store.householdCard(db, id: hid) }
                dispatch(.householdCard(card))
            } catch {
                dispatch(.failed(message(error)))
            }
        }
    }
}
