import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// 举报登记: the complaints register. Each complaint moves received → assigned → checked →
/// answered, one box per stage; Enter opens the box for the selected complaint's next stage.
public struct ComplaintState: Equatable, Sendable {
    public var rows: [Complaint] = []
    public var selected = 0
    public var loading = true
    public var dialog: ActionDialog?
    /// The complaint (and its version) the open box moves on; nil for a new one.
    public var editing: (id: Int64, version: Int, stage: Complaint.Stage)?
    /// The complaint to select when the list comes back (the one just registered or moved on).
    public var focusId: Int64?
    public init() {}
    public var selectedRow: Complaint? { rows.indices.contains(selected) ? rows[selected] : nil }

    public static func == (a: ComplaintState, b: ComplaintState) -> Bool {
        a.rows == b.rows && a.selected == b.selected && a.loading == b.loading && a.dialog == b.dialog && a.focusId == b.focusId
            && a.editing?.id == b.editing?.id && a.editing?.version == b.editing?.version && a.editing?.stage == b.editing?.stage
    }
}

/// What a stage's box asks the store to record.
public enum ComplaintStep: Equatable, Sendable {
    case receive(NewComplaint)
    case assign(id: Int64, version: Int, to: String, on: CivilDate)
    case check(id: Int64, version: Int, on: CivilDate, founded: Bool, finding: String, proposed: FollowUpAction)
    case answer(id: Int64, version: Int, on: CivilDate, text: String)
}

/// 举报登记: the module.
public enum ComplaintScreen: ScreenModule {
    public static let id: ScreenID = "complaints"
    public static func keymapSection(_ c: ComplaintState, _ s: AppState) -> ScreenID { c.dialog != nil ? .caseAction : id }

    public enum Effect: Equatable, Sendable {
        case load
        case step(ComplaintStep)
    }

    public enum Event: Sendable {
        case loaded([Complaint])
        /// A stage recorded on complaint `id` (a new one's id for `receive`).
        case done(ComplaintStep, id: Int64)
        case refused(any Error)
    }

    public static func isQuickRead(_ effect: Effect) -> Bool { effect == .load }

    /// The register, with `focus` selected when it comes back.
    static func open(_ s: inout AppState, focus: Int64? = nil) -> [JiuzhuApp.Effect] {
        var c = ComplaintState()
        c.focusId = focus
        s.push(ComplaintScreen.embed(c))
        return [effect(.load)]
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        switch effect {
        case .load:
            return .loaded(try cx.store.complaints())
        case .step(let step):
            guard let u = cx.user else { return nil }
            do {
                switch step {
                case .receive(let n):
                    return .done(step, id: try cx.store.receiveComplaint(n, by: u.name, today: cx.env.today))
                case .assign(let n, let version, let to, let on):
                    try cx.store.assignComplaint(id: n, version: version, to: to, on: on, by: u.name)
                    return .done(step, id: n)
                case .check(let n, let version, let on, let founded, let finding, let proposed):
                    try cx.store.checkComplaint(id: n, version: version, on: on, founded: founded, finding: finding, proposed: proposed, by: u.name)
                    return .done(step, id: n)
                case .answer(let n, let version, let on, let answer):
                    try cx.store.answerComplaint(id: n, version: version, on: on, answer: answer, by: u.name)
                    return .done(step, id: n)
                }
            } catch { return .refused(error) }
        }
    }

    public static func event(_ s: inout AppState, _ c: inout ComplaintState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch event {
        case .loaded(let rows):
            let keep = c.focusId ?? c.selectedRow?.id
            c.focusId = nil
            c.rows = rows; c.loading = false
            c.selected = keep.flatMap { id in rows.firstIndex { $0.id == id } } ?? min(c.selected, max(0, rows.count - 1))
        case .done(let step, let id):
            let text: String
            switch step {
            case .receive: text = env.t("complaint.received", ["id": String(id)])
            case .assign(_, _, let to, _): text = env.t("complaint.assigned", ["id": String(id), "to": to])
            case .check(_, _, _, _, _, let proposed):
                text = env.t("complaint.checked", ["id": String(id)])
                    + (proposed != .none ? "\n" + env.t("due.followUpOpened", ["action": proposed.label(env.lang)]) : "")
            case .answer: text = env.t("complaint.answered", ["id": String(id)])
            }
            c.dialog = nil; c.editing = nil; c.focusId = id
            s.message = Message(title: env.t("screen.complaints"), text: text)
            return [effect(.load)]
        case .refused(let error):
            App.showRefusal(error, in: &c.dialog, &s, env: env)
        }
        return []
    }

    public static func key(_ s: inout AppState, _ c: inout ComplaintState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        App.complaintKey(&s, &c, key, cmd, env: env)
    }

    public static func view(_ g: inout CellGrid, _ c: ComplaintState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.complaintView(&g, c, s, env)
    }
}

extension App {
    static func complaintKey(_ s: inout AppState, _ c: inout ComplaintState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        if c.dialog != nil {
            var box = c.dialog
            let editing = c.editing
            let fx = boxKey(&box, key, env: env) { d in (submitComplaint(&d, editing: editing, env: env), false) }
            c.dialog = box
            if box == nil { c.editing = nil }
            return fx
        }
        func f(_ id: String, _ key: String, _ v: String, _ hint: String, required: Bool = true, max: Int = 30) -> DialogField {
            DialogField(id: id, label: env.t(key), hint: hint, required: required, field: TextField(v, maxLength: max))
        }
        let dateHint = "YYYY-MM-DD"
        switch cmd {
        case .up?: c.selected = max(0, c.selected - 1)
        case .down?: c.selected = min(max(0, c.rows.count - 1), c.selected + 1)
        case .first?: c.selected = 0
        case .last?: c.selected = max(0, c.rows.count - 1)
        case .back?:
            s.pop()
            // Back on the work list: a complaint answered here has left it.
            if s.top.id == DueScreen.id { return [DueScreen.effect(.load)] }
        case .addItem?, .newItem?:
            c.editing = nil
            let channels = env.t("complaint.1Box2Phone")
            c.dialog = ActionDialog(action: .done, title: env.t("complaint.newTitle"), fields: [
                f("on", "complaint.receivedOn", env.today.iso, dateHint, max: 10),
                f("channel", "complaint.channel", "1", channels, max: 10),
                f("complainant", "complaint.complainant", "", env.t("complaint.nameHowToReach"), required: false, max: 40),
                f("subject", "complaint.subject", "", env.t("complaint.nameVillage"), required: false, max: 30),
                f("case", "complaint.case", "", env.t("complaint.caseNumberOptional"), required: false, max: 10),
                f("content", "complaint.content", "", env.t("complaint.whatIsReported"), max: 200),
            ])
        case .confirm?:
            guard let r = c.selectedRow else { return [] }
            c.editing = (r.id, r.version, r.stage)
            let title = env.t("complaint.number", ["id": IdBlock.shown(r.id)]) + " · "
            switch r.stage {
            case .received, .assigned:
                c.dialog = ActionDialog(action: .done, title: title + env.t("complaint.assignTitle"), fields: [
                    f("to", "complaint.assignedTo", r.assignedTo ?? "", env.t("complaint.whoChecksIt")),
                    f("on", "complaint.assignedOn", env.today.iso, dateHint, max: 10),
                ])
            case .checked:
                c.dialog = ActionDialog(action: .done, title: title + env.t("complaint.answerTitle"), fields: [
                    f("on", "complaint.answeredOn", env.today.iso, dateHint, max: 10),
                    f("answer", "complaint.answer", "", env.t("complaint.whatWasToldAnd"), max: 200),
                ])
            default:
                c.editing = nil
                s.message = Message(title: title + r.stage.label(env.lang), text: complaintText(r, env: env))
            }
        case .recordCheck?:
            // F4: the check of an assigned (or already checked, unanswered) complaint.
            guard let r = c.selectedRow else { return [] }
            guard r.stage == .assigned || r.stage == .checked else {
                s.message = Message(title: env.t("screen.complaints"), text: env.t("complaint.checkWhen", ["stage": r.stage.label(env.lang)]))
                return []
            }
            c.editing = (r.id, r.version, .checked)
            let choices = FollowUpAction.allCases.map { $0.label(env.lang) }.joined(separator: "/")
            c.dialog = ActionDialog(action: .done, title: env.t("complaint.number", ["id": IdBlock.shown(r.id)]) + " · " + env.t("complaint.checkTitle"), fields: [
                f("on", "complaint.checkedOn", env.today.iso, dateHint, max: 10),
                f("founded", "complaint.founded", r.founded.map { $0 ? (env.t("complaint.yes")) : (env.t("complaint.no")) } ?? "", env.t("complaint.yesNo"), max: 4),
                f("finding", "complaint.finding", r.finding ?? "", env.t("complaint.whatTheCheckFound"), max: 200),
                f("proposed", "due.proposed", FollowUpAction.none.label(env.lang), r.caseId == nil ? (env.t("complaint.noCaseNoChange")) : choices, required: false, max: 10),
            ])
        default: break
        }
        return []
    }

    /// A complaint written out whole, for the box an answered one opens.
    static func complaintText(_ r: Complaint, env: AppEnvironment) -> String {
        var lines = [
            (env.t("complaint.received2")) + "\(r.receivedOn.iso) \(r.channel.label(env.lang)) \(r.complainant)",
            (env.t("complaint.about")) + r.subject + (r.caseId.map { env.t("complaint.caseV", ["v": "\($0)"]) } ?? ""),
            (env.t("complaint.content2")) + r.content,
        ]
        if let to = r.assignedTo, let on = r.assignedOn { lines.append((env.t("complaint.assigned2")) + "\(on.iso) \(to)") }
        if let on = r.checkedOn {
            let f = r.founded == true ? (env.t("complaint.founded2")) : (env.t("complaint.notFounded"))
            lines.append(env.t("complaint.checkedLine", ["date": on.iso, "founded": f, "finding": r.finding ?? ""]))
        }
        if let on = r.answeredOn { lines.append((env.t("complaint.answered2")) + "\(on.iso) \(r.answer ?? "")") }
        return lines.joined(separator: "\n")
    }

    /// The box read into a step for the store, or an error on the box.
    static func submitComplaint(_ d: inout ActionDialog, editing: (id: Int64, version: Int, stage: Complaint.Stage)?, env: AppEnvironment) -> [Effect] {
        if missing(&d, env: env) { return [] }
        func fail(_ text: String, _ id: String) -> [Effect] {
            d.error = text; d.focus = d.fields.firstIndex { $0.id == id } ?? d.focus; return []
        }
        func date(_ id: String) -> CivilDate? {
            let t = d.value(id).trimmingCharacters(in: .whitespaces)
            guard let v = CivilDate(iso: t), v <= env.today else { return nil }
            return v
        }
        func text(_ id: String) -> String { d.value(id).trimmingCharacters(in: .whitespaces) }
        guard let e = editing else {
            guard let on = date("on") else { return fail(env.t("publicity.badDate"), "on") }
            guard let channel = Complaint.Channel(text: text("channel")) else { return fail(env.t("complaint.badChannel"), "channel") }
            var caseId: Int64?
            if !text("case").isEmpty {
                guard let n = Int64(text("case").trimmingCharacters(in: CharacterSet(charactersIn: "#＃"))), n > 0 else {
                    return fail(env.t("complaint.badCase"), "case")
                }
                caseId = n
            }
            if text("subject").isEmpty && caseId == nil { return fail(env.t("complaint.needSubject"), "subject") }
            d.busy = true
            return [ComplaintScreen.effect(.step(.receive(NewComplaint(receivedOn: on, channel: channel, complainant: text("complainant"),
                                                         subject: text("subject"), caseId: caseId, content: text("content")))))]
        }
        guard let on = date("on") else { return fail(env.t("publicity.badDate"), "on") }
        switch d.fields.first(where: { $0.id != "on" })?.id {
        case "to"?:
            d.busy = true
            return [ComplaintScreen.effect(.step(.assign(id: e.id, version: e.version, to: text("to"), on: on)))]
        case "answer"?:
            d.busy = true
            return [ComplaintScreen.effect(.step(.answer(id: e.id, version: e.version, on: on, text: text("answer"))))]
        default:
            let yes = ["是", "y", "yes", "1", "查实"], no = ["否", "n", "no", "0", "不实"]
            let t = text("founded").lowercased()
            guard yes.contains(t) || no.contains(t) else { return fail(env.t("complaint.badFounded"), "founded") }
            var proposed = FollowUpAction.none
            let typed = text("proposed")
            if !typed.isEmpty {
                guard let p = FollowUpAction.allCases.first(where: { $0.rawValue == typed.lowercased() || $0.label.zh == typed || $0.label.en == typed.lowercased() }) else {
                    return fail(env.t("due.badProposal", ["choices": FollowUpAction.allCases.map { "\($0.rawValue) \($0.label(env.lang))" }.joined(separator: " / ")]), "proposed")
                }
                proposed = p
            }
            d.busy = true
            return [ComplaintScreen.effect(.step(.check(id: e.id, version: e.version, on: on, founded: yes.contains(t), finding: text("finding"), proposed: proposed)))]
        }
    }
}
