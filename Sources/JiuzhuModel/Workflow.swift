import Foundation

/// What a user can do to a case at its step.
public enum CaseAction: String, Codable, Sendable, CaseIterable {
    /// Finish the current step (a clerk's step: appraisal held, publicity ended, certificate issued ...).
    case done
    /// Agree at a review or approval step (同意 / 批准).
    case approve
    /// Refuse the case (不予确认), with a reason; a written notice follows. Only at the decision
    /// step, by its role.
    case reject
    /// 拟不予: an earlier step proposes refusal with its finding; the case goes to the decision step.
    case proposeReject = "propose_reject"
    /// 撤回申请: the applicant withdraws the application (in writing), at any step before the decision.
    case withdraw
    /// Send the case back for re-investigation (退回重新调查), with a reason.
    case back
    /// An objection (异议) during publicity: back to re-investigation, then a shorter re-publicity.
    case objection
    /// 先行救助: pay first, papers later.
    case urgentPay = "urgent_pay"
    /// Stop a benefit in force (取消 / 清退), with a reason; a written notice follows.
    case terminate
    /// 动态调整: a new amount for a case in force, from re-estimated figures, with a reason.
    case adjust
    /// 暂停发放: stop paying a case in force until it is resumed or stopped.
    case suspend
    /// 恢复发放: pay a suspended case again.
    case resume
    /// 维持不变: a follow-up found nothing to change; the reason is kept.
    case keep

    public var label: Text2 {
        switch self {
        case .done: return sayBoth("model.workflow.completeStep")
        case .approve: return sayBoth("model.workflow.approve")
        case .reject: return sayBoth("model.workflow.refuse")
        case .proposeReject: return sayBoth("model.workflow.proposeRefusal")
        case .withdraw: return sayBoth("model.workflow.withdraw")
        case .back: return sayBoth("model.workflow.sendBack")
        case .objection: return sayBoth("model.workflow.recordObjection")
        case .urgentPay: return sayBoth("model.workflow.payFirst")
        case .terminate: return sayBoth("model.workflow.terminate")
        case .adjust: return sayBoth("model.workflow.adjust")
        case .suspend: return sayBoth("model.workflow.suspend")
        case .resume: return sayBoth("model.workflow.resume")
        case .keep: return sayBoth("model.workflow.keepAsIs")
        }
    }

    /// Actions that finish the step they are taken at.
    public var completes: Bool { self == .done || self == .approve }
    /// Actions that need a written reason.
    public var needsReason: Bool {
        switch self {
        case .done, .approve, .urgentPay: return false
        default: return true
        }
    }
    /// Actions on a case already decided (在保 or 暂停发放): dynamic management, by the approver.
    public var inForce: Bool { [.terminate, .adjust, .suspend, .resume, .keep].contains(self) }
}

/// How a benefit in force is stopped: 取消 (circumstances changed) or 清退 (found never to have
/// been eligible, e.g. in a 阳光行动 campaign). Counted apart in the county's figures.
public enum TerminationKind: String, Codable, Sendable, CaseIterable {
    case cancel, clear

    public var label: Text2 { sayBoth("model.workflow.termination.\(rawValue)") }

    /// The code or its label in either language (取消 / cancel, 清退 / clear).
    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let k = Self.allCases.first(where: { $0.rawValue == t || $0.label.zh == t || $0.label.en == t }) else { return nil }
        self = k
    }
}

/// A case as the engine sees it: where it is and what happened so far.
public struct CaseProgress: Equatable, Sendable {
    public var programme: Programme
    public var step: String
    public var status: CaseStatus
    public var stepSince: CivilDate
    public var appliedOn: CivilDate
    public var history: [CaseStepRecord]
    public init(programme: Programme, step: String, status: CaseStatus, stepSince: CivilDate, appliedOn: CivilDate,
                history: [CaseStepRecord]) {
        self.programme = programme; self.step = step; self.status = status; self.stepSince = stepSince
        self.appliedOn = appliedOn; self.history = history
    }
    public init(_ c: Case, history: [CaseStepRecord]) {
        self.init(programme: c.programme, step: c.step, status: c.status, stepSince: c.stepSince, appliedOn: c.appliedOn,
                  history: history)
    }
}

/// What a user asks for.
public struct CaseRequest: Equatable, Sendable {
    public var action: CaseAction
    public var actor: String
    public var role: Role
    public var date: CivilDate
    /// The step's inputs as typed, by input id.
    public var inputs: [String: String]
    public var reason: String
    /// At a decision: the amount worked out by `Benefit`, and the amount decided. A different
    /// amount needs `overrideReason`.
    public var computed: Money?
    public var amount: Money?
    public var overrideReason: String
    /// Finishing a publicity step: the posted batch that held the case, closing. Only the store's
    /// close of a batch sets it; without it a publicity step cannot be finished.
    public var posting: Posting?
    /// The decider saw that the amount is above the ceiling (`Workflow.ceilingRatio` × the
    /// computed amount) and confirms it, with `overrideReason`.
    public var confirmedAboveCeiling: Bool
    public init(action: CaseAction, actor: String, role: Role, date: CivilDate, inputs: [String: String] = [:],
                reason: String = "", computed: Money? = nil, amount: Money? = nil, overrideReason: String = "",
                posting: Posting? = nil, confirmedAboveCeiling: Bool = false) {
        self.action = action; self.actor = actor; self.role = role; self.date = date; self.inputs = inputs
        self.reason = reason; self.computed = computed; self.amount = amount; self.overrideReason = overrideReason
        self.posting = posting; self.confirmedAboveCeiling = confirmedAboveCeiling
    }
}

/// A posting that really happened: a batch, the day it was posted and the last day of its window.
public struct Posting: Equatable, Sendable {
    public var batchId: Int64
    public var from: CivilDate
    public var until: CivilDate
    public init(batchId: Int64, from: CivilDate, until: CivilDate) { self.batchId = batchId; self.from = from; self.until = until }
}

/// The decision an approval carries.
public struct CaseDecision: Equatable, Sendable {
    public var amount: Money
    public var computed: Money?
    public var overrideReason: String?
    /// Monthly benefit (低保, 特困) or a one-off payment.
    public var monthly: Bool
    public var urbanClass: UrbanClass?
}

/// What one action does to a case: the records to append and where the case goes.
public struct CaseTransition: Equatable, Sendable {
    public var records: [CaseStepRecord]
    public var step: String
    public var status: CaseStatus
    public var stepSince: CivilDate
    public var decision: CaseDecision?
    /// The investigators who answer for this survey (谁调查谁负责).
    public var investigators: [String]?
    /// The approver who answers for this decision or refusal (谁审批谁负责).
    public var approver: String?
    /// The decision step it was taken at (county_approval: the county; else the township).
    public var decidedAt: String?
    /// 先行救助: the date the papers are due.
    public var papersDue: CivilDate?
    /// A stop of a case in force: 取消 or 清退.
    public var terminationKind: TerminationKind?
}

public enum WorkflowError: Error, Equatable, Sendable {
    case notInProgress(CaseStatus)
    case wrongRole(step: String, needs: Role, has: Role)
    case notAllowed(CaseAction, step: String)
    /// A required input left empty (its label from the programme catalogue).
    case missingInput(Text2)
    /// An input that does not read as its kind: its label and why.
    case badInput(Text2, Text2)
    /// A termination kind that is neither 取消/cancel nor 清退/clear.
    case badTerminationKind(String)
    case reasonRequired
    case windowOpen(until: CivilDate)
    case overrideNeedsReason(computed: Money, amount: Money)
    case amountRequired
    case negativeAmount
    case sameInvestigator
    case appraisalNotPassed(votesFor: Int, attendance: Int)
    case inFuture(Text2)
    case alreadyPaid
    /// A publicity step is finished only by closing the posted batch that holds the case.
    case notPosted
    /// The batch was posted before the case reached the step.
    case postedBeforeStep(posted: CivilDate, reached: CivilDate)
    case windowTooShort(days: Int, needs: Int)
    /// Refusal and the like only at the decision step, by its role.
    case decisionOnly(CaseAction, decisionStep: String, role: Role)
    case proposalPending
    /// An amount above `ratio` × the computed amount, not confirmed with a reason.
    case aboveCeiling(amount: Money, computed: Money, ceiling: Money, ratio: Int)

    public func message(_ lang: Lang, stepLabel: (String) -> String = { $0 }) -> String {
        switch self {
        case .notInProgress(let s):
            return say("model.workflow.notInProgress", lang, ["status": "\(s.label(lang))"])
        case .wrongRole(let step, let needs, let has):
            return say("model.workflow.wrongRole", lang, ["step": "\(stepLabel(step))", "needs": "\(needs.label(lang))", "role": "\(has.label(lang))"])
        case .notAllowed(let a, let step):
            return say("model.workflow.notAllowed", lang, ["action": "\(a.label(lang))", "step": "\(stepLabel(step))"])
        case .missingInput(let l): return say("model.workflow.lIsRequired", lang, ["l": l(lang)])
        case .badInput(let l, let why): return say("model.workflow.lWhy", lang, ["l": l(lang), "why": why(lang)])
        case .badTerminationKind(let given): return say("model.workflow.badTerminationKind", lang, ["given": given])
        case .reasonRequired: return say("model.workflow.aReasonIsRequired", lang)
        case .windowOpen(let until):
            return say("model.workflow.thePostingRunsUntil", lang, ["until": "\(until.iso)"])
        case .overrideNeedsReason(let c, let a):
            return say("model.workflow.overrideNeedsReason", lang, ["amount": "\(a.yuanString)", "computed": "\(c.yuanString)"])
        case .aboveCeiling(let a, let c, let ceiling, let k):
            return say("model.workflow.aboveCeiling", lang, ["amount": a.yuanString, "ceiling": ceiling.yuanString, "computed": c.yuanString, "ratio": String(k)])
        case .amountRequired: return say("model.workflow.enterTheAmount", lang)
        case .negativeAmount: return say("model.workflow.theAmountCannotBe", lang)
        case .sameInvestigator:
            return say("model.workflow.theTwoInvestigatorsMust", lang)
        case .appraisalNotPassed(let yes, let n):
            return say("model.workflow.yesVotesForOut", lang, ["yes": "\(yes)", "n": "\(n)"])
        case .inFuture(let l): return say("model.workflow.lCannotBeAfter", lang, ["l": l(lang)])
        case .alreadyPaid: return say("model.workflow.alreadyPaidFirst", lang)
        case .notPosted:
            return say("model.workflow.aPublicityStepFinishes", lang)
        case .postedBeforeStep(let posted, let reached):
            return say("model.workflow.theBatchWasPosted", lang, ["posted": "\(posted.iso)", "reached": "\(reached.iso)"])
        case .windowTooShort(let d, let n):
            return say("model.workflow.thePostingRanD", lang, ["d": "\(d)", "n": "\(n)"])
        case .decisionOnly(let a, let step, let role):
            return say("model.workflow.decisionOnly", lang, ["action": "\(a.label(lang))", "step": "\(stepLabel(step))", "role": "\(role.label(lang))"])
        case .proposalPending:
            return say("model.workflow.refusalWasProposedThe", lang)
        }
    }
}

/// How long a case may wait at its step, and whether it is late.
public struct CaseDue: Equatable, Sendable {
    public enum Kind: String, Sendable { case workingDays, publicity, papers }
    public var kind: Kind
    public var date: CivilDate
    /// Working days (limits) or calendar days (publicity, papers) left; negative when late.
    public var left: Int
    public var overdue: Bool { left < 0 }
}

/// The workflow engine: pure, by the programme's definition (`data/programmes.json`).
public struct Workflow: Sendable {
    public var definition: ProgrammeCatalog.Definition
    /// Every posting, first or after an objection, runs at least this many days.
    public var publicityDays: Int
    /// 审核确认权下放 (民发〔2021〕57号): the township confirms, the county step leaves the path.
    public var delegated: Bool
    /// An amount above this many times the computed one needs the decider's reason and an
    /// explicit confirmation (setting `amount_ceiling_ratio`); nil: no ceiling.
    public var ceilingRatio: Int?

    public init(_ definition: ProgrammeCatalog.Definition, publicityDays: Int = 7, delegated: Bool = false, ceilingRatio: Int? = nil) {
        self.definition = definition; self.publicityDays = publicityDays; self.delegated = delegated; self.ceilingRatio = ceilingRatio
    }

    /// Refuse an amount above the ceiling unless confirmed with a reason; the inputs record the
    /// confirmation.
    func checkCeiling(_ amount: Money, _ r: CaseRequest, reason why: String, inputs: inout [String: Any]) throws {
        guard let k = ceilingRatio, let c = r.computed else { return }
        let ceiling = Money(fen: c.fen * Int64(k))
        guard amount.fen > ceiling.fen else { return }
        guard r.confirmedAboveCeiling && !why.isEmpty else {
            throw WorkflowError.aboveCeiling(amount: amount, computed: c, ceiling: ceiling, ratio: k)
        }
        inputs["aboveCeilingConfirmed"] = "yes"
        inputs["ceilingFen"] = ceiling.fen
    }

    /// The steps a case walks (the path for the delegation setting).
    public var steps: [ProgrammeCatalog.Step] { definition.path(delegated: delegated) }

    /// The step that approves, refuses and stops, and the role that does it.
    public var decisionStep: ProgrammeCatalog.Step? { definition.decisionStep(delegated: delegated) }
    public var decisionRole: Role { decisionStep.flatMap { Role(rawValue: $0.role) } ?? .approver }

    /// The step after `code` on the path (a case at a step that left the path when the setting
    /// changed goes on to the next step that is on it).
    func next(after code: String) -> ProgrammeCatalog.Step? {
        guard let i = definition.index(of: code) else { return nil }
        return definition.steps[(i + 1)...].first { $0.onPath(delegated: delegated) }
    }

    /// A refusal proposed (拟不予) and waiting at the decision step: the proposal's record.
    public func pendingProposal(_ p: CaseProgress) -> CaseStepRecord? {
        guard p.status == .inProgress, let last = p.history.last, last.action == CaseAction.proposeReject.rawValue,
              definition.step(p.step)?.isDecision == true else { return nil }
        return last
    }

    /// Roles that may record an applicant's withdrawal (the office receives it in writing).
    static let caseworkRoles: [Role] = [.clerk, .reviewer, .approver]

    /// The action that finishes `step`: 同意 at a reviewer's or approver's step, otherwise 办结.
    public func completion(_ step: ProgrammeCatalog.Step) -> CaseAction {
        step.role == Role.reviewer.rawValue || step.role == Role.approver.rawValue ? .approve : .done
    }

    // MARK: reading the history

    static func object(_ json: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
    }

    /// After a send-back or an objection the case returns to the step it was sent from once the
    /// re-investigation is done: that step, while the case is still at the re-investigation.
    public func resumeStep(_ p: CaseProgress) -> String? {
        guard let i = p.history.lastIndex(where: { $0.action == CaseAction.back.rawValue || $0.action == CaseAction.objection.rawValue })
        else { return nil }
        let sentFrom = definition.step(p.history[i].step)
        let target = p.history[i].action == CaseAction.back.rawValue ? sentFrom?.backTo : sentFrom?.objectionTo
        guard target == p.step else { return nil }
        let done = p.history[(i + 1)...].contains { $0.step == p.step && CaseAction(rawValue: $0.action)?.completes == true }
        if done { return nil }
        guard let r = Self.object(p.history[i].inputs)["resume"] as? String, definition.index(of: r) != nil else { return nil }
        return r
    }

    /// The earliest a posting of the case could end: posted the day it reached the step, for the
    /// publicity days (after an objection too: a new full posting). Only a due date to show; the
    /// step itself finishes with the batch that really held the case.
    public func publicityWindow(_ p: CaseProgress) -> (from: CivilDate, until: CivilDate)? {
        guard definition.step(p.step)?.isPublicity == true else { return nil }
        return (p.stepSince, p.stepSince.adding(days: publicityDays))
    }

    /// 先行救助 paid and its papers due date, if any.
    public func urgentPayment(_ p: CaseProgress) -> (paid: CaseStepRecord, due: CivilDate)? {
        guard let r = p.history.last(where: { $0.action == CaseAction.urgentPay.rawValue }) else { return nil }
        let due = (Self.object(r.inputs)["papersDue"] as? String).flatMap(CivilDate.init(iso:))
            ?? r.actedOn.adding(days: definition.urgent?.papersDays ?? 10)
        return (r, due)
    }

    /// The deadline that matters now: the step's working-day limit, the end of a posting, or
    /// the 先行救助 papers (whichever is sooner).
    public func due(_ p: CaseProgress, today: CivilDate, calendar: WorkingCalendar) -> CaseDue? {
        guard p.status == .inProgress, let s = definition.step(p.step) else { return nil }
        var found: [CaseDue] = []
        if let l = s.limitWorkingDays, l > 0 {
            let d = calendar.adding(workingDays: l, to: p.stepSince)
            found.append(CaseDue(kind: .workingDays, date: d, left: calendar.workingDays(from: today, to: d)))
        }
        if let w = publicityWindow(p) {
            found.append(CaseDue(kind: .publicity, date: w.until, left: today.days(until: w.until)))
        }
        if let u = urgentPayment(p) {
            found.append(CaseDue(kind: .papers, date: u.due, left: today.days(until: u.due)))
        }
        return found.min { $0.left < $1.left }
    }

    // MARK: what may be done

    /// What `role` may do to the case now, in the order a screen offers them.
    /// A publicity step's completion is not offered: it comes only with the close of its batch.
    public func allowed(_ p: CaseProgress, role: Role) -> [CaseAction] {
        if p.status == .active {
            return role == decisionRole ? [.adjust, .keep, .suspend, .terminate] : []
        }
        if p.status == .suspended {
            return role == decisionRole ? [.resume, .terminate] : []
        }
        guard p.status == .inProgress, let s = definition.step(p.step) else { return [] }
        let withdraw: [CaseAction] = Self.caseworkRoles.contains(role) ? [.withdraw] : []
        guard s.role == role.rawValue else { return withdraw }
        if pendingProposal(p) != nil { return [.reject, .back] + withdraw }
        var out: [CaseAction] = s.isPublicity ? [] : [completion(s)]
        if s.canReject { out.append(s.isDecision ? .reject : .proposeReject) }
        if s.backTo != nil { out.append(.back) }
        if s.objectionTo != nil { out.append(.objection) }
        if urgentPayAllowed(p, at: s) { out.append(.urgentPay) }
        return out + withdraw
    }

    // MARK: doing it

    /// Apply a request: the new records and where the case goes, or why not.
    public func apply(_ p: CaseProgress, _ r: CaseRequest) throws -> CaseTransition {
        if r.action.inForce { return try applyInForce(p, r) }
        guard p.status == .inProgress else { throw WorkflowError.notInProgress(p.status) }
        guard let s = definition.step(p.step) else {
            throw WorkflowError.notAllowed(r.action, step: p.step)
        }
        let reason = r.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if r.action == .withdraw {
            guard Self.caseworkRoles.contains(r.role) else { throw WorkflowError.wrongRole(step: s.code, needs: .clerk, has: r.role) }
            if reason.isEmpty { throw WorkflowError.reasonRequired }
            var inputs = try Self.validated(r.inputs, specs: [], date: r.date)
            inputs["reason"] = reason
            let rec = record(p, step: s.code, action: .withdraw, r, note: reason, inputs: inputs)
            return CaseTransition(records: [rec], step: s.code, status: .withdrawn, stepSince: r.date)
        }
        guard let needs = Role(rawValue: s.role), needs == r.role else {
            // Refusing is the decider's, wherever the case is: say where it is decided.
            if r.action == .reject, let d = decisionStep, !s.isDecision {
                throw WorkflowError.decisionOnly(.reject, decisionStep: d.code, role: decisionRole)
            }
            throw WorkflowError.wrongRole(step: s.code, needs: Role(rawValue: s.role) ?? .clerk, has: r.role)
        }
        if s.isPublicity && r.action == .done {
            // Finished only by the close of a posted batch that held the case, after its window.
            guard let post = r.posting else { throw WorkflowError.notPosted }
            if post.from < p.stepSince { throw WorkflowError.postedBeforeStep(posted: post.from, reached: p.stepSince) }
            let days = post.from.days(until: post.until)
            if days < publicityDays { throw WorkflowError.windowTooShort(days: days, needs: publicityDays) }
            if r.date < post.until { throw WorkflowError.windowOpen(until: post.until) }
        } else if !allowed(p, role: r.role).contains(r.action) {
            if r.action == .reject, let d = decisionStep, !s.isDecision {
                throw WorkflowError.decisionOnly(.reject, decisionStep: d.code, role: decisionRole)
            }
            if pendingProposal(p) != nil && r.action == .approve { throw WorkflowError.proposalPending }
            throw WorkflowError.notAllowed(r.action, step: s.code)
        }
        if r.action.needsReason && reason.isEmpty { throw WorkflowError.reasonRequired }

        switch r.action {
        case .reject:
            var inputs = try Self.validated(r.inputs, specs: [], date: r.date)
            inputs["reason"] = reason
            let approver = (inputs["approver"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? r.actor
            inputs["approver"] = approver
            if let prop = pendingProposal(p) {
                inputs["proposedAt"] = prop.step
                inputs["proposedBy"] = prop.actor
            }
            let rec = record(p, step: s.code, action: .reject, r, note: reason, inputs: inputs)
            var t = CaseTransition(records: [rec], step: s.code, status: .rejected, stepSince: r.date)
            t.approver = approver; t.decidedAt = s.code
            return t
        case .proposeReject:
            guard let d = decisionStep else { throw WorkflowError.notAllowed(.proposeReject, step: s.code) }
            var inputs = try Self.validated(r.inputs, specs: [], date: r.date)
            inputs["reason"] = reason
            inputs["to"] = d.code
            let rec = record(p, step: s.code, action: .proposeReject, r, note: "拟不予：" + reason, inputs: inputs)
            return CaseTransition(records: [rec], step: d.code, status: .inProgress, stepSince: r.date)
        case .back, .objection:
            var inputs = try Self.validated(r.inputs, specs: [], date: r.date)
            inputs["reason"] = reason
            // The decider does not refuse a proposal: the case goes back to the step that proposed it.
            if r.action == .back, let prop = pendingProposal(p) {
                inputs["proposal"] = "declined"
                let rec = record(p, step: s.code, action: .back, r, note: reason, inputs: inputs)
                return CaseTransition(records: [rec], step: prop.step, status: .inProgress, stepSince: r.date)
            }
            let target = (r.action == .back ? s.backTo : s.objectionTo)!
            inputs["resume"] = s.code
            let rec = record(p, step: s.code, action: r.action, r, note: reason, inputs: inputs)
            return CaseTransition(records: [rec], step: target, status: .inProgress, stepSince: r.date)
        case .urgentPay:
            guard let u = definition.urgent else { throw WorkflowError.notAllowed(.urgentPay, step: s.code) }
            guard let amount = r.amount else { throw WorkflowError.amountRequired }
            if amount.fen < 0 { throw WorkflowError.negativeAmount }
            let due = r.date.adding(days: u.papersDays)
            let inputs: [String: Any] = ["amountFen": amount.fen, "papersDue": due.iso, "reason": reason]
            let rec = record(p, step: s.code, action: .urgentPay, r, note: reason.isEmpty ? "先行救助" : reason, inputs: inputs)
            return CaseTransition(records: [rec], step: s.code, status: .inProgress, stepSince: p.stepSince, papersDue: due)
        case .done, .approve, .terminate, .adjust, .suspend, .resume, .keep, .withdraw:
            break
        }

        // Finishing the step.
        var inputs = try Self.validated(r.inputs, specs: s.stepInputs, date: r.date)
        var t = CaseTransition(records: [], step: s.code, status: .inProgress, stepSince: r.date)
        if s.survey == true {
            let a = (inputs["investigator1"] as? String) ?? "", b = (inputs["investigator2"] as? String) ?? ""
            if !a.isEmpty && a == b { throw WorkflowError.sameInvestigator }
            if !a.isEmpty { inputs["investigators"] = [a, b]; t.investigators = [a, b] }
        }
        if s.code == "appraisal" {
            let present = inputs["attendance"] as? Int ?? 0, reps = inputs["representatives"] as? Int ?? 0
            let yes = inputs["votesFor"] as? Int ?? 0, no = inputs["votesAgainst"] as? Int ?? 0
            if present > reps { throw WorkflowError.badInput(label("attendance", s), sayBoth("model.workflow.input.attendanceOver")) }
            if yes + no > present { throw WorkflowError.badInput(label("votesFor", s), sayBoth("model.workflow.input.votesOver")) }
            if yes * 2 <= present { throw WorkflowError.appraisalNotPassed(votesFor: yes, attendance: present) }
        }
        if s.isPublicity, let post = r.posting {
            inputs["batch"] = Int(post.batchId)
            inputs["from"] = post.from.iso; inputs["until"] = post.until.iso
        }
        if s.isDecision {
            guard let amount = r.amount else { throw WorkflowError.amountRequired }
            if amount.fen < 0 { throw WorkflowError.negativeAmount }
            let why = r.overrideReason.trimmingCharacters(in: .whitespacesAndNewlines)
            if let c = r.computed, c != amount, why.isEmpty { throw WorkflowError.overrideNeedsReason(computed: c, amount: amount) }
            try checkCeiling(amount, r, reason: why, inputs: &inputs)
            let monthly = definition.isMonthly
            var d = CaseDecision(amount: amount, computed: r.computed, overrideReason: why.isEmpty ? nil : why, monthly: monthly)
            d.urbanClass = (inputs["urbanClass"] as? String).flatMap(UrbanClass.init(rawValue:))
            inputs[monthly ? "monthlyFen" : "amountFen"] = amount.fen
            if let c = r.computed { inputs["computedFen"] = c.fen }
            if let w = d.overrideReason { inputs["overrideReason"] = w }
            inputs["decision"] = "approve"
            t.decision = d
            t.approver = (inputs["approver"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? r.actor
            t.decidedAt = s.code
        }
        let note = reason.isEmpty ? (s.zh + (r.action == .approve ? "同意" : "办结")) : reason
        t.records.append(record(p, step: s.code, action: r.action, r, note: note, inputs: inputs))

        // Where the case goes next.
        guard let following = next(after: s.code) else {
            t.status = s.final == "closed" ? .closed : .active
            return t
        }
        var next = resumeStep(p) ?? following.code
        // 先行救助 already paid: the payment step is done by that payment.
        if let u = definition.urgent, next == u.paymentStep, let paid = urgentPayment(p),
           let pay = definition.step(next),
           (t.decision?.amount.fen ?? 0) <= ((Self.object(paid.paid.inputs)["amountFen"] as? Int).map(Int64.init) ?? 0) {
            // (A decision above what was paid first leaves the rest to the payment step.)
            let amount = (Self.object(paid.paid.inputs)["amountFen"] as? Int).map(Int64.init) ?? 0
            t.records.append(CaseStepRecord(caseId: 0, step: pay.code, action: CaseAction.done.rawValue, actor: r.actor,
                                            actedOn: r.date, note: "先行救助已于 \(paid.paid.actedOn.iso) 发放",
                                            inputs: Self.json(["amountFen": amount, "paidFirst": paid.paid.actedOn.iso])))
            guard let after = self.next(after: pay.code) else {
                t.step = pay.code
                t.status = pay.final == "closed" ? .closed : .active
                return t
            }
            next = after.code
        }
        t.step = next
        return t
    }

    /// Dynamic management of a case in force (在保) or suspended (暂停发放): by the approver,
    /// always with a reason. An adjustment is a new decision: the amount worked out from the
    /// re-estimated figures, or another with a written reason; never nothing (that is a
    /// termination). The case stays at its step.
    func applyInForce(_ p: CaseProgress, _ r: CaseRequest) throws -> CaseTransition {
        guard allowed(p, role: r.role).contains(r.action) else {
            if p.status == .active || p.status == .suspended, r.role != decisionRole {
                throw WorkflowError.wrongRole(step: p.step, needs: decisionRole, has: r.role)
            }
            if p.status != .active && p.status != .suspended { throw WorkflowError.notInProgress(p.status) }
            throw WorkflowError.notAllowed(r.action, step: p.step)
        }
        let reason = r.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if reason.isEmpty { throw WorkflowError.reasonRequired }
        var inputs = try Self.validated(r.inputs, specs: [], date: r.date)
        inputs["reason"] = reason
        var t = CaseTransition(records: [], step: p.step, status: p.status, stepSince: p.stepSince)
        switch r.action {
        case .terminate:
            let given = (inputs["kind"] as? String) ?? TerminationKind.cancel.rawValue
            guard let k = TerminationKind(text: given) else { throw WorkflowError.badTerminationKind(given) }
            inputs["kind"] = k.rawValue
            t.status = .terminated; t.stepSince = r.date; t.terminationKind = k
        case .suspend:
            t.status = .suspended
        case .resume:
            t.status = .active
        case .keep:
            break
        case .adjust:
            if let v = r.inputs["perCapitaIncome"], !v.trimmingCharacters(in: .whitespaces).isEmpty {
                guard let m = Money(yuanText: v.trimmingCharacters(in: .whitespaces)), m.fen >= 0 else {
                    throw WorkflowError.badInput(sayBoth("model.workflow.input.incomeEstimate"), sayBoth("model.workflow.input.notMoney"))
                }
                inputs["perCapitaIncome"] = nil
                inputs["perCapitaIncomeFen"] = m.fen
            }
            guard let amount = r.amount ?? r.computed else { throw WorkflowError.amountRequired }
            if amount.fen < 0 { throw WorkflowError.negativeAmount }
            if amount.fen == 0 { throw WorkflowError.badInput(sayBoth("model.workflow.input.newAmount"), sayBoth("model.workflow.input.zeroAdjust")) }
            let why = r.overrideReason.trimmingCharacters(in: .whitespacesAndNewlines)
            if let c = r.computed, c != amount, why.isEmpty { throw WorkflowError.overrideNeedsReason(computed: c, amount: amount) }
            try checkCeiling(amount, r, reason: why, inputs: &inputs)
            let monthly = definition.isMonthly
            var d = CaseDecision(amount: amount, computed: r.computed, overrideReason: why.isEmpty ? nil : why, monthly: monthly)
            if let u = inputs["urbanClass"] as? String {
                guard let cls = UrbanClass(rawValue: u.uppercased()) else { throw WorkflowError.badInput(sayBoth("model.workflow.input.urbanClass"), sayBoth("model.workflow.input.urbanClassABC")) }
                d.urbanClass = cls; inputs["urbanClass"] = cls.rawValue
            }
            inputs[monthly ? "monthlyFen" : "amountFen"] = amount.fen
            if let c = r.computed { inputs["computedFen"] = c.fen }
            if let w = d.overrideReason { inputs["overrideReason"] = w }
            // The amount it replaces (the store passes it in), a number like the others.
            inputs["previousFen"] = (inputs["previousFen"] as? String).flatMap { Int64($0) }
            t.decision = d
            t.approver = (inputs["approver"] as? String) ?? r.actor
        default:
            throw WorkflowError.notAllowed(r.action, step: p.step)
        }
        t.records = [record(p, step: p.step, action: r.action, r, note: reason, inputs: inputs)]
        return t
    }

    func label(_ id: String, _ s: ProgrammeCatalog.Step) -> Text2 {
        s.stepInputs.first { $0.id == id }?.text ?? Text2(zh: id, en: id)
    }

    func record(_ p: CaseProgress, step: String, action: CaseAction, _ r: CaseRequest, note: String, inputs: [String: Any]) -> CaseStepRecord {
        CaseStepRecord(caseId: 0, step: step, action: action.rawValue, actor: r.actor, actedOn: r.date, note: note,
                       inputs: Self.json(inputs))
    }

    public static func json(_ o: [String: Any]) -> String {
        guard let d = try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: d, as: UTF8.self)
    }

    /// Check typed inputs against their specs and turn them into JSON values: money in fen,
    /// integers, yes/no as booleans, dates as ISO text. Unknown ids are kept as text.
    /// `yesMeansDone`: a required yes/no must be yes (a step's signature); a check form's items
    /// take either answer.
    public static func validated(_ raw: [String: String], specs: [ProgrammeCatalog.Input], date: CivilDate,
                          yesMeansDone: Bool = true) throws -> [String: Any] {
        var out: [String: Any] = [:]
        for (k, v) in raw where !specs.contains(where: { $0.id == k }) {
            let t = v.trimmingCharacters(in: .whitespacesAndNewlines)
            if !t.isEmpty { out[k] = t }
        }
        for spec in specs {
            let v = (raw[spec.id] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if v.isEmpty {
                if spec.isRequired { throw WorkflowError.missingInput(spec.text) }
                continue
            }
            switch spec.kind {
            case .text:
                out[spec.id] = v
            case .date:
                guard let d = CivilDate(iso: v) ?? CivilDate(compact: v) else { throw WorkflowError.badInput(spec.text, sayBoth("model.workflow.input.notDate")) }
                if d > date { throw WorkflowError.inFuture(spec.text) }
                out[spec.id] = d.iso
            case .month:
                let parts = v.split(separator: "-")
                guard parts.count == 2, let y = Int(parts[0]), let m = Int(parts[1]), (2000...2100).contains(y), (1...12).contains(m)
                else { throw WorkflowError.badInput(spec.text, sayBoth("model.workflow.input.notMonth")) }
                out[spec.id] = String(format: "%04d-%02d", y, m)
            case .integer:
                guard let n = Int(v), n >= 0 else { throw WorkflowError.badInput(spec.text, sayBoth("model.workflow.input.notCount")) }
                out[spec.id] = n
            case .money:
                guard let m = Money(yuanText: v) else { throw WorkflowError.badInput(spec.text, sayBoth("model.workflow.input.notMoney")) }
                if m.fen < 0 { throw WorkflowError.negativeAmount }
                if m.fen > Money.largestEntered.fen { throw WorkflowError.badInput(spec.text, sayBoth("model.workflow.input.tooLarge", ["most": Money.largestEntered.yuanString])) }
                out[spec.id] = m.fen
            case .choice:
                let choices = spec.choices ?? []
                guard let c = choices.first(where: { $0.code == v || $0.zh == v || $0.en == v }) else {
                    throw WorkflowError.badInput(spec.text, Text2(zh: say("model.workflow.input.oneOf", .zh, ["codes": choices.map(\.code).joined(separator: say("list.separator", .zh))]),
                                                                   en: say("model.workflow.input.oneOf", .en, ["codes": choices.map(\.code).joined(separator: say("list.separator", .en))])))
                }
                out[spec.id] = c.code
            case .yesno:
                switch v.lowercased() {
                case "yes", "y", "是", "1", "true": out[spec.id] = true
                case "no", "n", "否", "0", "false":
                    if spec.isRequired && yesMeansDone { throw WorkflowError.badInput(spec.text, sayBoth("model.workflow.input.mustBeYes")) }
                    out[spec.id] = false
                default: throw WorkflowError.badInput(spec.text, sayBoth("model.workflow.input.yesOrNo"))
                }
            }
        }
        return out
    }
}
