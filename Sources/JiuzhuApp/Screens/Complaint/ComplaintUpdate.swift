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

extension App {
    static func complaintEvent(_ s: inout AppState, _ event: AppEvent, env: AppEnvironment) -> [Effect] {
        guard let i = s.stack.lastIndex(where: { $0.id == .complaints }), case .complaints(var c) = s.stack[i] else { return [] }
        switch event {
        case .complaintsLoaded(let rows):
            let keep = c.focusId ?? c.selectedRow?.id
            c.focusId = nil
            c.rows = rows; c.loading = false
            c.selected = keep.flatMap { id in rows.firstIndex { $0.id == id } } ?? min(c.selected, max(0, rows.count - 1))
        case .complaintDone(let text, let id):
            c.dialog = nil; c.editing = nil; c.focusId = id
            s.stack[i] = .complaints(c)
            s.message = Message(title: env.t("screen.complaints"), text: text)
            return [.loadComplaints]
        case .complaintFailed(let why):
            if var box = c.dialog { box.error = why; box.busy = false; c.dialog = box } else { s.message = Message(title: env.t("error.title"), text: why) }
        default: return []
        }
        s.stack[i] = .complaints(c)
        return []
    }

    static func complaintKey(_ s: inout AppState, _ c: inout ComplaintState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        if c.dialog != nil {
            var box = c.dialog
            let editing = c.editing
            let fx = boxKey(&box, key, env: env) { d in (submitComplaint(&d, editing: editing, env: env), false) }
            c.dialog = box
            if box == nil { c.editing = nil }
            return fx
        }
        let zh = env.lang == .zh
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
            if case .due = s.top { return [.loadDue] }
        case .addItem?, .newItem?:
            c.editing = nil
            let channels = zh ? "1箱 2电话 3来访 4来信 5匿名 6异议" : "1 box 2 phone 3 visit 4 letter 5 anon. 6 posting"
            c.dialog = ActionDialog(action: .done, title: env.t("complaint.newTitle"), fields: [
                f("on", "complaint.receivedOn", env.today.iso, dateHint, max: 10),
                f("channel", "complaint.channel", "1", channels, max: 10),
                f("complainant", "complaint.complainant", "", zh ? "姓名、联系方式；匿名可空" : "name, how to reach them; empty if anonymous", required: false, max: 40),
                f("subject", "complaint.subject", "", zh ? "被举报人姓名、村" : "name, village", required: false, max: 30),
                f("case", "complaint.case", "", zh ? "案件号，可空" : "case number, optional", required: false, max: 10),
                f("content", "complaint.content", "", zh ? "反映的问题" : "what is reported", max: 200),
            ])
        case .confirm?:
            guard let r = c.selectedRow else { return [] }
            c.editing = (r.id, r.version, r.stage)
            let title = env.t("complaint.number", ["id": String(r.id)]) + " · "
            switch r.stage {
            case .received, .assigned:
                c.dialog = ActionDialog(action: .done, title: title + env.t("complaint.assignTitle"), fields: [
                    f("to", "complaint.assignedTo", r.assignedTo ?? "", zh ? "核查人或核查组" : "who checks it"),
                    f("on", "complaint.assignedOn", env.today.iso, dateHint, max: 10),
                ])
            case .checked:
                c.dialog = ActionDialog(action: .done, title: title + env.t("complaint.answerTitle"), fields: [
                    f("on", "complaint.answeredOn", env.today.iso, dateHint, max: 10),
                    f("answer", "complaint.answer", "", zh ? "答复举报人的内容与方式" : "what was told, and how", max: 200),
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
            c.dialog = ActionDialog(action: .done, title: env.t("complaint.number", ["id": String(r.id)]) + " · " + env.t("complaint.checkTitle"), fields: [
                f("on", "complaint.checkedOn", env.today.iso, dateHint, max: 10),
                f("founded", "complaint.founded", r.founded.map { $0 ? (zh ? "是" : "yes") : (zh ? "否" : "no") } ?? "", zh ? "是/否" : "yes/no", max: 4),
                f("finding", "complaint.finding", r.finding ?? "", zh ? "核查情况" : "what the check found", max: 200),
                f("proposed", "due.proposed", FollowUpAction.none.label(env.lang), r.caseId == nil ? (zh ? "未关联案件：不变" : "no case: no change") : choices, required: false, max: 10),
            ])
        default: break
        }
        return []
    }

    /// A complaint written out whole, for the box an answered one opens.
    static func complaintText(_ r: Complaint, env: AppEnvironment) -> String {
        let zh = env.lang == .zh
        var lines = [
            (zh ? "受理：" : "Received: ") + "\(r.receivedOn.iso) \(r.channel.label(env.lang)) \(r.complainant)",
            (zh ? "对象：" : "About: ") + r.subject + (r.caseId.map { zh ? " 案件 #\($0)" : " case #\($0)" } ?? ""),
            (zh ? "内容：" : "Content: ") + r.content,
        ]
        if let to = r.assignedTo, let on = r.assignedOn { lines.append((zh ? "交办：" : "Assigned: ") + "\(on.iso) \(to)") }
        if let on = r.checkedOn {
            let f = r.founded == true ? (zh ? "查实" : "founded") : (zh ? "不实" : "not founded")
            lines.append((zh ? "核查：" : "Checked: ") + "\(on.iso) \(f)：\(r.finding ?? "")")
        }
        if let on = r.answeredOn { lines.append((zh ? "答复：" : "Answered: ") + "\(on.iso) \(r.answer ?? "")") }
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
            return [.complaintStep(.receive(NewComplaint(receivedOn: on, channel: channel, complainant: text("complainant"),
                                                         subject: text("subject"), caseId: caseId, content: text("content"))))]
        }
        guard let on = date("on") else { return fail(env.t("publicity.badDate"), "on") }
        switch d.fields.first(where: { $0.id != "on" })?.id {
        case "to"?:
            d.busy = true
            return [.complaintStep(.assign(id: e.id, version: e.version, to: text("to"), on: on))]
        case "answer"?:
            d.busy = true
            return [.complaintStep(.answer(id: e.id, version: e.version, on: on, text: text("answer")))]
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
            return [.complaintStep(.check(id: e.id, version: e.version, on: on, founded: yes.contains(t), finding: text("finding"), proposed: proposed))]
        }
    }
}
