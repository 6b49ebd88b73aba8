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
        switch event {
        case .key(let key):
            return handleKey(&s, key, env: env)
        case .loggedIn(let user):
            s.user = user
            s.stack = [.menu(MenuState())]
            return user.role == .clerk || user.role == .admin ? [.loadDrafts(atLogin: true)] : []
        case .draftsLoaded(let drafts, let atLogin):
            if let i = s.stack.lastIndex(where: { $0.id == .intake }), case .intake(var st) = s.stack[i] {
                st.drafts = drafts; st.loading = false
                st.selection = min(st.selection, drafts.count)
                s.stack[i] = .intake(st)
            } else if atLogin && !drafts.isEmpty && s.top.id == .menu {
                var st = IntakeState(atLogin: true)
                st.drafts = drafts; st.loading = false; st.selection = 1
                s.push(.intake(st))
            }
            return []
        case .draftOpened(let id, let values):
            guard let v = values else {
                s.message = Message(title: env.t("error.title"), text: env.t("intake.draftGone"))
                return [.loadDrafts(atLogin: false)]
            }
            return openForm(&s, values: v, draftId: id, env: env)
        case .draftSaved, .draftNotSaved, .idChecked, .openCaseChecked, .formHouseholds, .formHouseholdLoaded,
             .submitted, .submitFailed:
            return formEvent(&s, event, env: env)
        case .dueLoaded, .dueRecorded, .dueFailed:
            return dueEvent(&s, event, env: env)
        case .campaignsLoaded, .campaignDone, .campaignFailed:
            return campaignEvent(&s, event, env: env)
        case .complaintsLoaded, .complaintDone, .complaintFailed:
            return complaintEvent(&s, event, env: env)
        case .reportLoaded, .reportFailed:
            return reportEvent(&s, event, env: env)
        case .systemLoaded, .systemDone, .systemFailed:
            return systemEvent(&s, event, env: env)
        case .auditLoaded, .auditVerified:
            return auditEvent(&s, event, env: env)
        case .rostersLoaded, .rosterLinesLoaded, .rosterVillagesLoaded, .rosterDone, .rosterFailed:
            return rosterEvent(&s, event, env: env)
        case .raiseLoaded, .raiseDone, .raiseFailed:
            return raiseEvent(&s, event, env: env)
        case .settingsLoaded, .settingSaved, .settingFailed:
            return settingsEvent(&s, event, env: env)
        case .drawsLoaded, .drawLoaded, .spotDone, .spotFailed:
            return spotEvent(&s, event, env: env)
        case .casesLoaded, .casesSummarized, .filtersSaved:
            return caseBrowserEvent(&s, event)
        case .batchesLoaded, .batchLoaded, .publicityDone, .publicityFailed:
            return publicityEvent(&s, event, env: env)
        case .queueLoaded, .caseLoaded, .acted, .actFailed:
            return reviewEvent(&s, event, env: env)
        case .printed(let paths):
            s.message = Message(title: env.t("print.title"), text: env.t("print.done", ["paths": paths.joined(separator: "\n")]))
            return []
        case .loginFailed(let msg):
            if case .login(var l) = s.top {
                l.busy = false; l.error = msg; l.password = TextField("", maxLength: 64, isSecure: true); l.focus = 1
                s.replaceTop(.login(l))
            }
            return []
        case .householdPage(let id, let rows, let anchor, let limit):
            guard case .households(var b) = s.top, b.requestId == id else { return [] }
            merge(&b, rows: rows, anchor: anchor, limit: limit, pageSize: s.householdPageSize)
            s.replaceTop(.households(b))
            return []
        case .householdCount(let id, let n):
            guard case .households(var b) = s.top, b.countId == id else { return [] }
            b.count = n
            s.replaceTop(.households(b))
            return []
        case .householdCard(let card):
            if case .householdCard(var c) = s.top {
                c.card = card
                s.replaceTop(.householdCard(c))
            }
            return []
        case .failed(let msg):
            s.message = Message(title: env.t("error.title"), text: msg)
            if case .login(var l) = s.top { l.busy = false; s.replaceTop(.login(l)) }
            return []
        }
    }

    // MARK: keys

    static func handleKey(_ s: inout AppState, _ key: KeyEvent, env: AppEnvironment) -> [Effect] {
        if key == .hangup { return [.quit] }
        if case .resize(let w, let h) = key {
            s.width = w; s.height = h
            return refill(&s)
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
        // A form keeps what was typed: quitting saves the field being typed first, and the main
        // menu key asks as Esc does.
        if case .form(var f) = s.top, let spec = env.screens.forms[f.formId], f.submittedCase == nil {
            if cmd == .quit {
                let fx = leave(&f, spec: spec, env: env, user: s.user)
                s.replaceTop(.form(f))
                return fx + [.quit]
            }
            if cmd == .mainMenu {
                let fx = formKey(&s, &f, .escape, .back, env: env)
                if case .form = s.top { s.replaceTop(.form(f)) }
                return fx
            }
        }
        // Commands that work everywhere.
        switch cmd {
        case .quit?:
            return [.quit]
        case .help? where screen != .help:
            s.push(.help(HelpState(screen: screen)))
            return []
        case .mainMenu? where s.user != nil:
            while s.stack.count > 1, s.top.id != .menu { s.pop() }
            if s.top.id != .menu { s.stack = [.menu(MenuState())] }
            return []
        default: break
        }
        switch s.top {
        case .login(var l):
            let fx = login(&l, key, cmd, env: env)
            s.replaceTop(.login(l))
            return fx
        case .menu(var m):
            return menu(&s, &m, key, cmd, env: env)
        case .households(var b):
            let fx = households(&s, &b, key, cmd, env: env)
            if case .households = s.top { s.replaceTop(.households(b)) }
            return fx
        case .householdCard(var c):
            switch cmd {
            case .back?: s.pop()
            case .up?: c.scroll = max(0, c.scroll - 1); s.replaceTop(.householdCard(c))
            case .down?: c.scroll += 1; s.replaceTop(.householdCard(c))
            case .pageUp?: c.scroll = max(0, c.scroll - (s.height - 4)); s.replaceTop(.householdCard(c))
            case .pageDown?: c.scroll += s.height - 4; s.replaceTop(.householdCard(c))
            default: break
            }
            return []
        case .intake(var st):
            let fx = intakeKey(&s, &st, key, cmd, env: env)
            if case .intake = s.top { s.replaceTop(.intake(st)) }
            return fx
        case .form(var f):
            let depth = s.stack.count
            var fx = formKey(&s, &f, key, cmd, env: env)
            if s.stack.count == depth, case .form = s.top { s.replaceTop(.form(f)) }
            // Back on the drafts list: it shows what the form left or submitted.
            if s.stack.count < depth, case .intake = s.top { fx.append(.loadDrafts(atLogin: false)) }
            return fx
        case .campaigns(var c):
            let depth = s.stack.count
            let fx = campaignKey(&s, &c, key, cmd, env: env)
            if s.stack.count == depth, case .campaigns = s.top { s.replaceTop(.campaigns(c)) }
            return fx
        case .audit(var a):
            let depth = s.stack.count
            let fx = auditKey(&s, &a, key, cmd, env: env)
            if s.stack.count == depth, case .audit = s.top { s.replaceTop(.audit(a)) }
            return fx
        case .rosters(var l):
            let depth = s.stack.count
            let fx = rosterListKey(&s, &l, key, cmd, env: env)
            if s.stack.count == depth, case .rosters = s.top { s.replaceTop(.rosters(l)) }
            return fx
        case .rosterLines(var r):
            let depth = s.stack.count
            let fx = rosterLinesKey(&s, &r, key, cmd, env: env)
            if s.stack.count == depth, case .rosterLines = s.top { s.replaceTop(.rosterLines(r)) }
            return fx
        case .raise(var r):
            let depth = s.stack.count
            let fx = raiseKey(&s, &r, key, cmd, env: env)
            if s.stack.count == depth, case .raise = s.top { s.replaceTop(.raise(r)) }
            return fx
        case .settings(var st):
            let depth = s.stack.count
            let fx = settingsKey(&s, &st, key, cmd, env: env)
            if s.stack.count == depth, case .settings = s.top { s.replaceTop(.settings(st)) }
            return fx
        case .system(var st):
            let depth = s.stack.count
            let fx = systemKey(&s, &st, key, cmd, env: env)
            if s.stack.count == depth, case .system = s.top { s.replaceTop(.system(st)) }
            return fx
        case .reports(var r):
            let depth = s.stack.count
            let fx = reportKey(&s, &r, key, cmd, env: env)
            if s.stack.count == depth, case .reports = s.top { s.replaceTop(.reports(r)) }
            return fx
        case .complaints(var c):
            let depth = s.stack.count
            let fx = complaintKey(&s, &c, key, cmd, env: env)
            if s.stack.count == depth, case .complaints = s.top { s.replaceTop(.complaints(c)) }
            return fx
        case .due(var d):
            let depth = s.stack.count
            let fx = dueKey(&s, &d, key, cmd, env: env)
            if s.stack.count == depth, case .due = s.top { s.replaceTop(.due(d)) }
            return fx
        case .spotchecks(var l):
            let depth = s.stack.count
            let fx = spotListKey(&s, &l, key, cmd, env: env)
            if s.stack.count == depth, case .spotchecks = s.top { s.replaceTop(.spotchecks(l)) }
            return fx
        case .spotDraw(var d):
            let depth = s.stack.count
            let fx = spotDrawKey(&s, &d, key, cmd, env: env)
            if s.stack.count == depth, case .spotDraw = s.top { s.replaceTop(.spotDraw(d)) }
            return fx
        case .cases(var b):
            let depth = s.stack.count
            let fx = caseBrowserKey(&s, &b, key, cmd, env: env)
            if s.stack.count == depth, case .cases = s.top { s.replaceTop(.cases(b)) }
            return fx
        case .publicity(var p):
            let depth = s.stack.count
            let fx = publicityKey(&s, &p, key, cmd, env: env)
            if s.stack.count == depth, case .publicity = s.top { s.replaceTop(.publicity(p)) }
            return fx
        case .batch(var b):
            let depth = s.stack.count
            let fx = batchKey(&s, &b, key, cmd, env: env)
            if s.stack.count == depth, case .batch = s.top { s.replaceTop(.batch(b)) }
            return fx
        case .review(var q):
            let fx = reviewKey(&s, &q, key, cmd, env: env)
            if case .review = s.top { s.replaceTop(.review(q)) }
            return fx
        case .caseView(var c):
            let depth = s.stack.count
            let fx = caseKey(&s, &c, key, cmd, env: env)
            if s.stack.count == depth, case .caseView = s.top { s.replaceTop(.caseView(c)) }
            return fx
        case .help(var h):
            switch cmd {
            case .back?: s.pop()
            case .up?: h.scroll = max(0, h.scroll - 1); s.replaceTop(.help(h))
            case .down?: h.scroll += 1; s.replaceTop(.help(h))
            default: break
            }
            return []
        }
    }

    static func login(_ l: inout LoginState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        if l.busy { return [] }
        switch cmd {
        case .nextField?: l.focus = (l.focus + 1) % 2; return []
        case .prevField?: l.focus = (l.focus + 1) % 2; return []
        case .confirm?:
            let user = l.user.value.trimmingCharacters(in: .whitespaces)
            if user.isEmpty { l.error = env.t("login.empty"); l.focus = 0; return [] }
            if l.focus == 0 && l.password.value.isEmpty { l.focus = 1; return [] }
            l.busy = true; l.error = nil
            return [.authenticate(user: user, password: l.password.value)]
        default:
            if l.focus == 0 { _ = l.user.handle(key) } else { _ = l.password.handle(key) }
            return []
        }
    }

    // MARK: menu

    /// Why the current user may not use an item, or nil if they may.
    public static func denial(_ item: MenuItemSpec, user: User?, env: AppEnvironment) -> String? {
        guard let u = user else { return nil }
        if item.roles.contains(u.role.rawValue) { return nil }
        let roles = item.roles.compactMap { Role(rawValue: $0)?.label(env.lang) }.joined(separator: env.lang == .zh ? "、" : ", ")
        return env.t("menu.denied", ["role": u.role.label(env.lang), "roles": roles])
    }

    static func menu(_ s: inout AppState, _ m: inout MenuState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        let items = env.screens.menu
        var activate: Int?
        if case .char(let c) = key, let i = items.firstIndex(where: { $0.key == String(c) }) {
            activate = i
        } else {
            switch cmd {
            case .up?: m.selection = (m.selection + items.count - 1) % items.count
            case .down?: m.selection = (m.selection + 1) % items.count
            case .confirm?: activate = m.selection
            case .logout?:
                s.user = nil
                s.stack = [.login(LoginState())]
                return []
            default: break
            }
        }
        s.replaceTop(.menu(m))
        guard let i = activate else { return [] }
        m.selection = i
        s.replaceTop(.menu(m))
        let item = items[i]
        if item.id == "quit" { return [.quit] }
        if let why = denial(item, user: s.user, env: env) {
            s.message = Message(title: item.label(env.lang), text: why)
            return []
        }
        switch item.screen.flatMap(ScreenID.init(rawValue:)) {
        case .review?:
            return openReview(&s, env: env)
        case .publicity?:
            return openPublicity(&s)
        case .cases?:
            return openCaseBrowser(&s)
        case .spotchecks?:
            return openSpotChecks(&s)
        case .reports?:
            return openReports(&s, env: env)
        case .system?:
            return openSystem(&s)
        case .intake?:
            s.push(.intake(IntakeState()))
            return [.loadDrafts(atLogin: false)]
        case .households?:
            var b = HouseholdBrowserState()
            b.requestId = 1
            b.countId = 1
            s.push(.households(b))
            return [.loadHouseholds(requestId: 1, query: b.query, anchor: .first, limit: s.householdPageSize),
                    .countHouseholds(requestId: 1, text: "")]
        default:
            s.message = Message(title: item.label(env.lang), text: env.t("menu.notAvailable", ["item": item.label(env.lang)]))
            return []
        }
    }

    // MARK: household browser

    static func households(_ s: inout AppState, _ b: inout HouseholdBrowserState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        let page = s.householdPageSize
        func load(_ anchor: PageAnchor, _ limit: Int) -> [Effect] {
            b.requestId += 1
            return [.loadHouseholds(requestId: b.requestId, query: b.query, anchor: anchor, limit: limit)]
        }
        func requery() -> [Effect] {
            b.query.text = b.search.value
            b.count = nil
            b.loading = true
            let fx = load(.first, page)
            b.countId += 1
            return fx + [.countHouseholds(requestId: b.countId, text: b.query.text)]
        }
        switch cmd {
        case .up?:
            if b.selected > 0 { b.selected -= 1; return [] }
            if !b.atStart, let first = b.rows.first { return load(.before(first), 1) }
            return []
        case .down?:
            if b.selected < b.rows.count - 1 { b.selected += 1; return [] }
            if !b.atEnd, let last = b.rows.last { return load(.after(last), 1) }
            return []
        case .pageDown?:
            if !b.atEnd, let last = b.rows.last { return load(.after(last), page) }
            b.selected = max(0, b.rows.count - 1)
            return []
        case .pageUp?:
            if !b.atStart, let first = b.rows.first { return load(.before(first), page) }
            b.selected = 0
            return []
        case .first?:
            b.selected = 0
            return b.atStart ? [] : load(.first, page)
        case .last?:
            if b.atEnd { b.selected = max(0, b.rows.count - 1); return [] }
            return load(.last, page)
        case .confirm?:
            guard let row = b.selectedRow else { return [] }
            s.replaceTop(.households(b))
            s.push(.householdCard(CardState(householdId: row.id)))
            return [.loadHouseholdCard(row.id)]
        case .sortNext?:
            let sorts = env.screens.householdColumns.compactMap { $0.sort.flatMap(HouseholdQuery.Sort.init(rawValue:)) }
            if let i = sorts.firstIndex(of: b.query.sort) { b.query.sort = sorts[(i + 1) % sorts.count] }
            else if let f = sorts.first { b.query.sort = f }
            b.query.descending = false
            b.loading = true
            return load(.first, page)
        case .sortReverse?:
            b.query.descending.toggle()
            b.loading = true
            return load(.first, page)
        case .clearFilter?:
            if b.search.value.isEmpty { return [] }
            b.search = TextField("", maxLength: 40)
            return requery()
        case .back?:
            if !b.search.value.isEmpty {
                b.search = TextField("", maxLength: 40)
                return requery()
            }
            s.pop()
            return []
        case .find?:
            return []
        default:
            let before = b.search.value
            _ = b.search.handle(key)
            return b.search.value == before ? [] : requery()
        }
    }

    /// Fold a page that came back into the screenful of rows.
    static func merge(_ b: inout HouseholdBrowserState, rows new: [HouseholdRow], anchor: PageAnchor, limit: Int, pageSize: Int) {
        b.loading = false
        switch anchor {
        case .first:
            b.rows = new; b.atStart = true; b.atEnd = new.count < limit
            b.selected = min(b.selected, max(0, new.count - 1))
            if limit == pageSize { b.selected = 0 }
        case .from:
            b.rows = new; b.atEnd = new.count < limit
            b.selected = min(b.selected, max(0, new.count - 1))
        case .last:
            b.rows = new; b.atEnd = true; b.atStart = new.count < limit
            b.selected = max(0, new.count - 1)
        case .after:
            if new.isEmpty { b.atEnd = true; return }
            let all = b.rows + new
            b.rows = Array(all.suffix(pageSize))
            b.atStart = false
            b.atEnd = new.count < limit
            if limit == 1 { b.selected = b.rows.count - 1 } else { b.selected = min(b.selected, b.rows.count - 1) }
        case .before:
            if new.isEmpty { b.atStart = true; return }
            let all = new + b.rows
            b.rows = Array(all.prefix(pageSize))
            b.atEnd = false
            b.atStart = new.count < limit
            if limit == 1 { b.selected = 0 } else { b.selected = min(b.selected, b.rows.count - 1) }
        }
    }

    /// After a resize the screenful changes size: reload from the first row shown.
    static func refill(_ s: inout AppState) -> [Effect] {
        if case .form(var f) = s.top { f.scroll = 0; s.replaceTop(.form(f)); return [] }
        guard case .households(var b) = s.top else { return [] }
        b.requestId += 1
        let anchor: PageAnchor = b.rows.first.map { .from($0) } ?? .first
        let fx: [Effect] = [.loadHouseholds(requestId: b.requestId, query: b.query, anchor: anchor, limit: s.householdPageSize)]
        s.replaceTop(.households(b))
        return fx
    }
}
