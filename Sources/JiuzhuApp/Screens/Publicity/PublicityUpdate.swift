import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// 张榜公示: the list of batches, one batch's lines, and the boxes typed into.
public struct PublicityListState: Equatable, Sendable {
    public var batches: [PublicityBatch] = []
    public var selected = 0
    public var loading = true
    public var dialog: ActionDialog?
    public var villages: [Region] = []
    /// The open box asks which standing list (长期公布) to print, not a new batch.
    public var standing = false
    public init() {}
}

public struct BatchState: Equatable, Sendable {
    public var batchId: Int64
    public var batch: PublicityBatch?
    public var lines: [BatchLine] = []
    public var selected = 0
    public var dialog: ActionDialog?
    /// What the open box is for: objection, result.
    public var purpose = ""
    public init(batchId: Int64) { self.batchId = batchId }
    public var selectedLine: BatchLine? { lines.indices.contains(selected) ? lines[selected] : nil }
}

/// 张榜公示, the list of batches: the module.
public enum PublicityListScreen: ScreenModule {
    public static let id: ScreenID = "publicity"
    public static func keymapSection(_ p: PublicityListState, _ s: AppState) -> ScreenID { p.dialog != nil ? .caseAction : id }

    public enum Effect: Equatable, Sendable {
        case load
        case create(NewBatch)
        /// Print the standing lists of `programme`: one village, or every one with a case in force.
        case standing(Programme, village: String?)
    }

    public enum Event: Sendable {
        case loaded([PublicityBatch], villages: [Region])
        case created(Int64, PublicityBatch?)
        case printedStanding(villages: Int, files: [String])
        case refused(any Error)
    }

    public static func open(_ s: inout AppState, env: AppEnvironment) -> [JiuzhuApp.Effect]? {
        s.push(PublicityListScreen.embed(PublicityListState()))
        return [effect(.load)]
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        switch effect {
        case .load:
            return .loaded(try cx.store.batches(), villages: try cx.store.villages())
        case .create(let n):
            guard let u = cx.user, let catalog = cx.env.catalog else { return nil }
            do {
                let id = try cx.store.createBatch(n, by: u.name, today: cx.env.today, catalog: catalog)
                return .created(id, try cx.store.batch(id: id))
            } catch { return .refused(error) }
        case .standing(let programme, let village):
            guard let catalog = cx.env.catalog else { return nil }
            do {
                let codes = try village.map { [$0] } ?? cx.store.standingVillages(programme: programme).map(\.code)
                var files: [String] = []
                for code in codes {
                    let doc = try cx.store.standingDocument(programme: programme, villageCode: code, today: cx.env.today, catalog: catalog, lang: cx.env.lang)
                    files += try PublicityPrint.write(doc, name: "standing-\(programme.rawValue)-\(code)", besides: cx.store.path, lang: cx.env.lang)
                }
                return .printedStanding(villages: codes.count, files: files)
            } catch { return .refused(error) }
        }
    }

    public static func event(_ s: inout AppState, _ p: inout PublicityListState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch event {
        case .loaded(let batches, let villages):
            p.batches = batches; p.villages = villages; p.loading = false
            p.selected = min(p.selected, max(0, batches.count - 1))
        case .created(let id, let b):
            p.dialog = nil
            var text = env.t("publicity.created", ["title": b?.title ?? "", "n": String(b?.lineCount ?? 0), "until": b?.postedUntil.iso ?? ""])
            if let b, let step = b.kind.step {
                text += "\n" + NextStep.text(programme: b.programme, step: step, status: .inProgress, sentBack: false, followUpOpen: false, env: env)
            }
            s.message = Message(title: env.t("publicity.title"), text: text)
            guard top(s) != nil else { return [effect(.load)] }
            s.push(BatchScreen.embed(BatchState(batchId: id)))
            return [BatchScreen.effect(.load(id))]
        case .printedStanding(let villages, let files):
            p.dialog = nil; p.standing = false
            let folder = files.first.map { ($0 as NSString).deletingLastPathComponent } ?? ""
            s.message = Message(title: env.t("publicity.standing.title"),
                                text: env.t("publicity.standing.printed", ["villages": String(villages), "files": String(files.count), "folder": folder]))
        case .refused(let error):
            let why = App.describe(error, env.lang)
            if top(s) != nil, var d = p.dialog { d.error = why; d.busy = false; p.dialog = d; return [] }
            s.message = Message(title: env.t("error.title"), text: why)
        }
        return []
    }

    public static func key(_ s: inout AppState, _ p: inout PublicityListState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        App.publicityKey(&s, &p, key, cmd, env: env)
    }

    public static func view(_ g: inout CellGrid, _ p: PublicityListState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.publicityList(&g, p, s, env)
    }
}

/// One publicity batch, its lines and objections: the module.
public enum BatchScreen: ScreenModule {
    public static let id: ScreenID = "batch"
    public static func keymapSection(_ b: BatchState, _ s: AppState) -> ScreenID { b.dialog != nil ? .caseAction : id }

    public enum Effect: Equatable, Sendable {
        case load(Int64)
        case setLine(batchId: Int64, caseId: Int64, included: Bool)
        case addWaiting(Int64)
        case post(Int64, version: Int)
        case close(Int64, version: Int)
        case registerObjection(batchId: Int64, caseId: Int64, on: CivilDate, how: String, content: String, handler: String)
        case objectionResult(Int64, upheld: Bool, reason: String)
        case print(Int64)
    }

    /// What a batch action did.
    public enum Outcome: Sendable {
        case added(Int)
        /// Posted: the cases' programme and the publicity step they wait at (nil: a changes posting).
        case posted(Programme, step: String?)
        /// Closed: where the moved cases went (each step and status once).
        case closed(moved: Int, held: Int, programme: Programme, landed: [CaseLanding])
        /// An objection to a posting that moves no case, registered as complaint `id`.
        case complaint(Int64)
        /// The case went back: where it now waits.
        case objected(Programme, CaseLanding?)
        case result(upheld: Bool)
        case printed([String])
    }

    public enum Event: Sendable {
        case loaded(Int64, PublicityBatch?, [BatchLine])
        case done(Outcome)
        case refused(any Error)
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        let store = cx.store, today = cx.env.today
        guard let catalog = cx.env.catalog else { return nil }
        if case .load(let id) = effect {
            return .loaded(id, try store.batch(id: id), try store.batchLines(batchId: id, today: today, catalog: catalog))
        }
        guard let u = cx.user else { return nil }
        do {
            switch effect {
            case .load: return nil
            case .setLine(let bid, let cid, let included):
                try store.setLine(batchId: bid, caseId: cid, included: included, by: u.name)
                return .loaded(bid, try store.batch(id: bid), try store.batchLines(batchId: bid, today: today, catalog: catalog))
            case .addWaiting(let bid):
                return .done(.added(try store.addWaiting(batchId: bid, by: u.name)))
            case .post(let bid, let version):
                try store.postBatch(bid, version: version, by: u.name, today: today, catalog: catalog)
                let b = try store.batch(id: bid)
                return .done(.posted(b?.programme ?? .ruralDibao, step: b?.kind.step))
            case .close(let bid, let version):
                let r = try store.closeBatch(bid, version: version, by: u.name, today: today, catalog: catalog)
                var landed: [CaseLanding] = []
                for id in r.moved { if let l = r.landed[id], !landed.contains(l) { landed.append(l) } }
                return .done(.closed(moved: r.moved.count, held: r.held.count, programme: try store.batch(id: bid)?.programme ?? .ruralDibao, landed: landed))
            case .registerObjection(let bid, let cid, let on, let how, let content, _) where try store.batch(id: bid)?.kind.step == nil:
                // A posting of adjustments and cancellations moves no case: the objection is a complaint to check.
                return .done(.complaint(try store.registerPostingComplaint(batchId: bid, caseId: cid, receivedOn: on, receivedHow: how,
                                                                            content: content, by: u.name, today: today)))
            case .registerObjection(let bid, let cid, let on, let how, let content, let handler):
                _ = try store.registerObjection(batchId: bid, caseId: cid, receivedOn: on, receivedBy: how, content: content, handler: handler,
                                                by: u.name, catalog: catalog)
                let f = try store.caseFile(id: cid, today: today, catalog: catalog)
                return .done(.objected(f?.caseRecord.programme ?? .ruralDibao,
                                       f.map { CaseLanding(step: $0.caseRecord.step, status: $0.caseRecord.status) }))
            case .objectionResult(let oid, let upheld, let reason):
                try store.recordObjectionResult(oid, upheld: upheld, reason: reason, by: u.name, today: today)
                return .done(.result(upheld: upheld))
            case .print(let bid):
                return .done(.printed(try PublicityPrint.write(batchId: bid, store: store, env: cx.env, catalog: catalog)))
            }
        } catch { return .refused(error) }
    }

    static func text(_ o: Outcome, _ env: AppEnvironment) -> String {
        switch o {
        case .added(let n): return env.t("publicity.added", ["n": String(n)])
        // Each ends with what comes next and who does it, as the case view says it.
        case .posted(let p, let step):
            let text = env.t("publicity.posted")
            guard let step else { return text }
            return text + "\n" + NextStep.text(programme: p, step: step, status: .inProgress, sentBack: false, followUpOpen: false, env: env)
        case .closed(let moved, let held, let p, let landed):
            return ([env.t("publicity.closed", ["moved": String(moved), "held": String(held)])]
                    + landed.map { NextStep.text(programme: p, step: $0.step, status: $0.status, sentBack: false, followUpOpen: false, env: env) })
                .joined(separator: "\n")
        case .complaint(let n): return env.t("publicity.objectedComplaint", ["id": String(n)])
        case .objected(let p, let landed):
            let text = env.t("publicity.objected")
            guard let l = landed else { return text }
            return text + "\n" + NextStep.text(programme: p, step: l.step, status: l.status, sentBack: true, followUpOpen: false, env: env)
        case .result(let upheld): return env.t(upheld ? "publicity.upheldDone" : "publicity.notUpheldDone")
        case .printed(let paths): return env.t("publicity.printed", ["paths": paths.joined(separator: "\n")])
        }
    }

    public static func event(_ s: inout AppState, _ b: inout BatchState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch event {
        case .loaded(let id, let batch, let lines):
            guard top(s) != nil, b.batchId == id else { return [] }
            b.batch = batch; b.lines = lines
            b.selected = min(b.selected, max(0, lines.count - 1))
        case .done(let outcome):
            s.message = Message(title: env.t("publicity.title"), text: text(outcome, env))
            guard top(s) != nil else { return [PublicityListScreen.effect(.load)] }
            b.dialog = nil
            return [effect(.load(b.batchId))]
        case .refused(let error):
            let why = App.describe(error, env.lang)
            if top(s) != nil, var d = b.dialog { d.error = why; d.busy = false; b.dialog = d; return [] }
            s.message = Message(title: env.t("error.title"), text: why)
        }
        return []
    }

    public static func orphan(_ s: inout AppState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        if case .done(let outcome) = event {
            s.message = Message(title: env.t("publicity.title"), text: text(outcome, env))
            return [PublicityListScreen.effect(.load)]
        }
        return []
    }

    public static func key(_ s: inout AppState, _ b: inout BatchState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        App.batchKey(&s, &b, key, cmd, env: env)
    }

    public static func view(_ g: inout CellGrid, _ b: BatchState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.batchView(&g, b, s, env)
    }
}

extension App {
    // MARK: the list

    static func publicityKey(_ s: inout AppState, _ p: inout PublicityListState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        if p.dialog != nil {
            var box = p.dialog
            let list = p
            let fx = boxKey(&box, key, env: env) { d in (list.standing ? submitStanding(&d, list, env: env) : submitNewBatch(&d, list, env: env), false) }
            p.dialog = box
            if box == nil { p.standing = false }
            return fx
        }
        switch cmd {
        case .up?: p.selected = max(0, p.selected - 1)
        case .down?: p.selected = min(max(0, p.batches.count - 1), p.selected + 1)
        case .first?: p.selected = 0
        case .last?: p.selected = max(0, p.batches.count - 1)
        case .back?: s.pop()
        case .confirm?:
            guard p.batches.indices.contains(p.selected) else { return [] }
            let id = p.batches[p.selected].id
            s.replaceTop(PublicityListScreen.embed(p))
            s.push(BatchScreen.embed(BatchState(batchId: id)))
            return [BatchScreen.effect(.load(id))]
        case .complaints?:
            // The clerk who takes a complaint at the counter or on the phone registers it here too.
            s.replaceTop(PublicityListScreen.embed(p))
            return ComplaintScreen.open(&s)
        case .addItem?, .newItem?:
            p.dialog = newBatchDialog(env: env); p.standing = false
        case .print?:
            p.dialog = standingDialog(env: env); p.standing = true
        default: break
        }
        return []
    }

    static func newBatchDialog(env: AppEnvironment) -> ActionDialog {
        func f(_ id: String, _ key: String, _ v: String = "", hint: String = "", required: Bool = false) -> DialogField {
            DialogField(id: id, label: env.t(key), hint: hint, required: required, field: TextField(v, maxLength: 40))
        }
        return ActionDialog(action: .done, title: env.t("publicity.new"), fields: [
            f("kind", "publicity.kind", "1", hint: env.t("publicity.kindHint"), required: true),
            f("programme", "publicity.programme", Programme.ruralDibao.label(env.lang), hint: env.t("publicity.programmeHint", ["a": Programme.ruralDibao.label(env.lang), "b": Programme.disaster.label(env.lang)]), required: true),
            f("village", "publicity.village", hint: env.t("publicity.villageHint"), required: true),
            f("from", "publicity.from", env.today.iso, hint: "YYYY-MM-DD", required: true),
            f("until", "publicity.until", hint: env.t("publicity.untilHint")),
            f("place", "publicity.place", hint: env.t("publicity.placeHint")),
            f("phone", "publicity.phone", hint: env.t("publicity.phoneHint")),
            f("box", "publicity.box", hint: env.t("publicity.boxHint")),
        ])
    }

    /// Which standing list (长期公布) to print: the programme, and a village or all of them.
    static func standingDialog(env: AppEnvironment) -> ActionDialog {
        ActionDialog(action: .done, title: env.t("publicity.standing.title"), fields: [
            DialogField(id: "programme", label: env.t("publicity.programme"), hint: env.t("publicity.standing.programmeHint"), required: true,
                        field: TextField(Programme.ruralDibao.label(env.lang), maxLength: 40)),
            DialogField(id: "village", label: env.t("publicity.village"), hint: env.t("publicity.standing.villageHint"), required: false,
                        field: TextField("", maxLength: 40)),
        ])
    }

    static func submitStanding(_ d: inout ActionDialog, _ p: PublicityListState, env: AppEnvironment) -> [Effect] {
        if missing(&d, env: env) { return [] }
        func fail(_ id: String, _ why: String) -> [Effect] {
            d.error = why; d.focus = d.fields.firstIndex { $0.id == id } ?? d.focus
            return []
        }
        guard let programme = Programme(text: d.value("programme").trimmingCharacters(in: .whitespaces)),
              programme == .ruralDibao || programme == .urbanDibao || programme == .tekun else {
            return fail("programme", env.t("publicity.standing.badProgramme"))
        }
        let vt = d.value("village").trimmingCharacters(in: .whitespaces)
        var code: String?
        if !vt.isEmpty {
            guard let v = p.villages.first(where: { $0.name == vt || $0.code == vt || $0.code.hasSuffix(vt) }) else {
                return fail("village", env.t("publicity.badVillage", ["name": vt]))
            }
            code = v.code
        }
        d.busy = true; d.error = nil
        return [PublicityListScreen.effect(.standing(programme, village: code))]
    }

    static func submitNewBatch(_ d: inout ActionDialog, _ p: PublicityListState, env: AppEnvironment) -> [Effect] {
        if missing(&d, env: env) { return [] }
        func fail(_ id: String, _ why: String) -> [Effect] {
            d.error = why; d.focus = d.fields.firstIndex { $0.id == id } ?? d.focus
            return []
        }
        let kinds: [String: PublicityKind] = ["1": .appraisal, "2": .review, "3": .approval, "4": .cancellation]
        let kt = d.value("kind").trimmingCharacters(in: .whitespaces)
        guard let kind = kinds[kt] ?? PublicityKind(rawValue: kt) ?? PublicityKind.allCases.first(where: { $0.label.zh.hasPrefix(kt) }) else {
            return fail("kind", env.t("publicity.badKind"))
        }
        guard let programme = Programme(text: d.value("programme").trimmingCharacters(in: .whitespaces)) else {
            return fail("programme", env.t("publicity.badProgramme"))
        }
        let vt = d.value("village").trimmingCharacters(in: .whitespaces)
        // A case is posted in the applicant's village or community (民发〔2021〕57号); the store
        // refuses anything else, and names the notice board when the place is left blank.
        guard let v = p.villages.first(where: { $0.name == vt || $0.code == vt || $0.code.hasSuffix(vt) }) else {
            return fail("village", env.t("publicity.badVillage", ["name": vt]))
        }
        let scope = v.code
        let place = d.value("place").trimmingCharacters(in: .whitespaces)
        guard let from = CivilDate(iso: d.value("from").trimmingCharacters(in: .whitespaces)) else { return fail("from", env.t("publicity.badDate")) }
        let ut = d.value("until").trimmingCharacters(in: .whitespaces)
        var until: CivilDate?
        if !ut.isEmpty {
            guard let u = CivilDate(iso: ut) else { return fail("until", env.t("publicity.badDate")) }
            until = u
        }
        d.busy = true; d.error = nil
        return [PublicityListScreen.effect(.create(NewBatch(kind: kind, programme: programme, scopeCode: scope, postedFrom: from, postedUntil: until,
                                                          place: place, phone: d.value("phone"), box: d.value("box"))))]
    }

    // MARK: one batch

    static func batchKey(_ s: inout AppState, _ b: inout BatchState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        if b.dialog != nil {
            var box = b.dialog
            let batch = b
            let fx = boxKey(&box, key, env: env) { d in (submitBatchDialog(&d, batch, env: env), false) }
            b.dialog = box
            return fx
        }
        guard let batch = b.batch else { if cmd == .back { s.pop(); return [PublicityListScreen.effect(.load)] }; return [] }
        func refuse(_ key: String) -> [Effect] {
            s.message = Message(title: env.t("publicity.title"), text: env.t(key, ["state": batch.state.label(env.lang)]))
            return []
        }
        switch cmd {
        case .up?: b.selected = max(0, b.selected - 1)
        case .down?: b.selected = min(max(0, b.lines.count - 1), b.selected + 1)
        case .pageUp?: b.selected = max(0, b.selected - (s.height - 8))
        case .pageDown?: b.selected = min(max(0, b.lines.count - 1), b.selected + (s.height - 8))
        case .back?:
            s.pop()
            return [PublicityListScreen.effect(.load)]
        case .deleteItem?:
            guard batch.state == .draft else { return refuse("publicity.onlyDraft") }
            guard let l = b.selectedLine else { return [] }
            ask(&s, title: env.t("publicity.title"), what: env.t("publicity.askRemove", ["head": l.line.name, "case": IdBlock.shown(l.line.caseId), "id": String(batch.id)]),
                then: [BatchScreen.effect(.setLine(batchId: batch.id, caseId: l.line.caseId, included: false))], env: env)
        case .addItem?:
            guard batch.state == .draft else { return refuse("publicity.onlyDraft") }
            return [BatchScreen.effect(.addWaiting(batch.id))]
        case .submit?:
            guard batch.state == .draft else { return refuse("publicity.onlyDraft") }
            // The window runs from today, the day it is pinned up, for at least the publicity days.
            let days = max(env.publicityDays, batch.postedFrom.days(until: batch.postedUntil))
            ask(&s, title: env.t("publicity.title"), what: env.t("publicity.askPost", ["id": String(batch.id), "n": String(batch.lineCount),
                                                                                   "from": env.today.iso, "until": env.today.adding(days: days).iso]),
                then: [BatchScreen.effect(.post(batch.id, version: batch.version))], env: env)
        case .closeBatch?:
            guard batch.state == .posted else { return refuse("publicity.onlyPosted") }
            return [BatchScreen.effect(.close(batch.id, version: batch.version))]
        case .print?:
            return [BatchScreen.effect(.print(batch.id))]
        case .objection?:
            guard batch.state == .posted else { return refuse("publicity.onlyPosted") }
            guard let l = b.selectedLine else { return [] }
            b.purpose = "objection"
            b.dialog = ActionDialog(action: .objection, title: env.t("publicity.objectionTitle", ["name": l.line.name]), fields: [
                DialogField(id: "on", label: env.t("publicity.receivedOn"), hint: "YYYY-MM-DD", required: true, field: TextField(env.today.iso, maxLength: 10)),
                DialogField(id: "how", label: env.t("review.objectionReceived"), hint: env.t("review.objectionReceivedHint"),
                            required: true, field: TextField("", maxLength: 20)),
                DialogField(id: "content", label: env.t("review.objectionContent"), hint: "", required: true, field: TextField("", maxLength: 120)),
                DialogField(id: "handler", label: env.t("review.objectionHandler"), hint: "", required: true, field: TextField(s.user?.displayName ?? "", maxLength: 20)),
            ])
        case .objectionResult?:
            guard let l = b.selectedLine, let o = l.objections.last(where: { $0.result == "pending" }) else {
                s.message = Message(title: env.t("publicity.title"), text: env.t("publicity.noPending"))
                return []
            }
            b.purpose = "result:\(o.id)"
            b.dialog = ActionDialog(action: .objection, title: env.t("publicity.resultTitle", ["name": l.line.name]), fields: [
                DialogField(id: "upheld", label: env.t("publicity.upheld"), hint: env.t("publicity.upheldHint"),
                            required: true, field: TextField("", maxLength: 4)),
                DialogField(id: "reason", label: env.t("review.reason"), hint: "", required: true, field: TextField("", maxLength: 120)),
            ])
        default: break
        }
        return []
    }

    static func submitBatchDialog(_ d: inout ActionDialog, _ b: BatchState, env: AppEnvironment) -> [Effect] {
        if missing(&d, env: env) { return [] }
        guard let batch = b.batch else { return [] }
        if b.purpose == "objection", let l = b.selectedLine {
            guard let on = CivilDate(iso: d.value("on").trimmingCharacters(in: .whitespaces)), on <= env.today else {
                d.error = env.t("publicity.badDate"); d.focus = 0; return []
            }
            d.busy = true
            return [BatchScreen.effect(.registerObjection(batchId: batch.id, caseId: l.line.caseId, on: on, how: d.value("how"),
                                                       content: d.value("content"), handler: d.value("handler")))]
        }
        if b.purpose.hasPrefix("result:"), let id = Int64(b.purpose.dropFirst(7)) {
            let yn = d.value("upheld").trimmingCharacters(in: .whitespaces).lowercased()
            let upheld: Bool
            switch yn {
            case "是", "y", "yes", "属实": upheld = true
            case "否", "n", "no", "不属实": upheld = false
            default: d.error = env.t("publicity.badYesNo"); d.focus = 0; return []
            }
            d.busy = true
            return [BatchScreen.effect(.objectionResult(id, upheld: upheld, reason: d.value("reason")))]
        }
        return []
    }
}
