import Foundation
import JiuzhuModel
import JiuzhuStore

/// A case written out for a reviewer: who, the survey figures, every rule with its figures, the
/// benefit line by line, the decision and who answers for it, and every step. The review
/// screen shows these lines; `jiuzhu case show` prints them. An internal record: ID numbers
/// are masked all the same, since a screen can be read over a shoulder.
public enum CaseReport {
    public enum Kind: Equatable, Sendable { case heading, plain, pass, fail, note, late }

    public struct Line: Equatable, Sendable {
        public var kind: Kind
        public var text: String
        public init(_ kind: Kind, _ text: String) { self.kind = kind; self.text = text }
    }

    static func mark(_ pass: Bool?) -> String { pass == true ? "✓" : pass == false ? "✗" : "!" }

    public static func dueText(_ d: CaseDue, env: AppEnvironment) -> String {
        switch d.kind {
        case .workingDays:
            return d.overdue ? (env.t("print.caseReport.leftWorkingDaysLate", ["left": "\(-d.left)", "date": "\(d.date.iso)"]))
                             : (env.t("print.caseReport.leftWorkingDaysLeft", ["left": "\(d.left)", "date": "\(d.date.iso)"]))
        case .publicity:
            return d.overdue || d.left == 0 ? (env.t("print.caseReport.postingEndedDateCan", ["date": "\(d.date.iso)"]))
                                            : (env.t("print.caseReport.postedUntilDateLeft", ["date": "\(d.date.iso)", "left": "\(d.left)"]))
        case .papers:
            return d.overdue ? (env.t("print.caseReport.urgentAidPapersLeft", ["left": "\(-d.left)", "date": "\(d.date.iso)"]))
                             : (env.t("print.caseReport.urgentAidPapersDue", ["date": "\(d.date.iso)", "left": "\(d.left)"]))
        }
    }

    /// The whole flow's limit from 受理 (民发〔2021〕57号), with the reason when extended.
    public static func flowText(_ l: FlowLimit, env: AppEnvironment) -> String {
        let v = ["received": l.received.iso, "days": String(l.workingDays), "date": l.date.iso, "left": String(abs(l.left))]
        var t = env.t(l.overdue ? "review.flowLate" : "review.flowLeft", v)
        if let why = l.extendedBecause { t += env.t("review.flowExtended", ["reason": why]) }
        return t
    }

    /// The queue's due cell: the step's limit, or the whole flow's when that is sooner or past.
    /// An extended limit (特殊情况) is shown with its length unless the step's own limit is late.
    public static func queueDue(_ r: QueueRow, env: AppEnvironment) -> String {
        if let l = r.flowLimit, l.extendedBecause != nil, l.overdue || r.due?.overdue != true {
            return env.t(l.overdue ? "review.flowShortLateExt" : "review.flowShortLeftExt", ["left": String(abs(l.left)), "days": String(l.workingDays)])
        }
        if let l = r.flowLimit, l.overdue || (r.due.map { l.left < $0.left } ?? l.isNear) {
            return env.t(l.overdue ? "review.flowShortLate" : "review.flowShortLeft", ["left": String(abs(l.left))])
        }
        return dueShort(r.due, env: env)
    }

    /// Short form for the queue's column.
    public static func dueShort(_ d: CaseDue?, env: AppEnvironment) -> String {
        guard let d else { return "" }
        switch d.kind {
        case .workingDays: return d.overdue ? (env.t("print.caseReport.leftWdLate", ["left": "\(-d.left)"])) : (env.t("print.caseReport.leftWdLeft", ["left": "\(d.left)"]))
        case .publicity:
            if d.left < 0 { return env.t("print.caseReport.endedLeftDAgo", ["left": "\(-d.left)"]) }
            return d.left == 0 ? (env.t("print.caseReport.endsToday")) : (env.t("print.caseReport.postedLeftD", ["left": "\(d.left)"]))
        case .papers: return d.overdue ? (env.t("print.caseReport.papersLeftDLate", ["left": "\(-d.left)"])) : (env.t("print.caseReport.papersLeftD", ["left": "\(d.left)"]))
        }
    }

    public static func actionLabel(_ action: String, env: AppEnvironment) -> String {
        if action == "recheck" { return env.t("print.caseReport.reCheck") }
        if action == "signin" { return env.t("print.caseReport.signIn") }
        return CaseAction(rawValue: action).map { $0.label(env.lang) } ?? action
    }

    /// The survey version a decision or adjustment was worked out on (issue 21 item 4), as its inputs recorded it.
    public static func surveyVersionUsed(_ r: CaseStepRecord) -> Int? {
        let v = Store.object(r.inputs)["surveyVersion"]
        return (v as? Int) ?? (v as? NSNumber)?.intValue
    }

    public static func lines(_ f: CaseFile, env: AppEnvironment) -> [Line] {
        let c = f.caseRecord
        var out: [Line] = []
        let prog = c.programme.label(env.lang)
        let step = env.stepLabel(c.programme, c.step)
        out.append(Line(.heading, env.t("print.caseReport.caseHeading", ["id": IdBlock.shown(c.id ?? 0), "programme": prog, "status": c.status.label(env.lang), "step": step, "since": c.stepSince.iso])))
        // What comes next and who does it (issue 21 item 5).
        out.append(Line(.note, NextStep.text(f, env: env)))
        if let d = f.due { out.append(Line(d.overdue ? .late : .plain, dueText(d, env: env))) }
        if let l = f.flowLimit { out.append(Line(l.overdue ? .late : .plain, flowText(l, env: env))) }
        if let n = f.surveyVersion {
            // Which survey version the rules read now, and which one the decision used.
            let used = f.history.last { surveyVersionUsed($0) != nil }.flatMap(surveyVersionUsed)
            var text = env.t(n > 1 ? "cr.surveyVersions" : "cr.surveyVersion", ["n": String(n)])
            if let u = used { text += env.t(u == n ? "cr.surveyUsedSame" : "cr.surveyUsed", ["v": String(u)]) }
            out.append(Line(used != nil && used != n ? .note : .plain, text))
        }
        // Follow-ups (跟进) first: what a visit proposed, what the approver did or is to decide.
        if !f.followUps.isEmpty {
            out.append(Line(.heading, env.t("print.caseReport.followUps")))
            for u in f.followUps {
                let est = u.incomeEstimate.map { env.t("print.caseReport.incomeReEstimated", ["amount": "\($0.yuanString)"]) } ?? ""
                let head = "  " + env.t("print.caseReport.followUp", ["on": u.openedOn.iso, "source": u.source.label(env.lang), "proposed": u.proposed.label(env.lang),
                                                                  "by": u.openedBy, "finding": u.finding, "estimate": est])
                let end: String
                if let o = u.outcome, let d = u.closedOn {
                    end = " → " + env.t("print.caseReport.followUpClosed", ["on": d.iso, "outcome": o.label(env.lang), "by": u.closedBy ?? ""])
                } else {
                    end = env.t("print.caseReport.waitingForTheApprover")
                }
                out.append(Line(u.isOpen ? .late : .plain, head + end))
            }
        }
        // Household
        out.append(Line(.heading, env.t("print.caseReport.household")))
        if let h = f.head {
            out.append(Line(.plain, env.t("print.caseReport.head", ["name": h.name, "id": Masking.idNumber(h.idNumber), "village": f.villageName, "address": f.household.address])))
        }
        // English labels may hold commas themselves (三无: "no work ability, no income, …").
        let causes = f.household.causes.map { env.label("poverty_cause", $0) }.joined(separator: env.t("print.caseReport.causeSeparator"))
        out.append(Line(.plain, env.t("print.caseReport.members", ["members": String(f.members.count), "counted": String(f.facts.membersCounted), "covered": String(c.coveredMembers)])
                                + (causes.isEmpty ? "" : env.t("print.caseReport.causes", ["causes": causes]))))
        for m in f.members {
            var bits = [m.name, env.label("relationship", m.relation), "\(m.birthDate.age(on: env.today))" + (env.t("print.caseReport.y")),
                        m.health == .healthy ? "" : env.label("health", m.health.rawValue)]
            if !m.coResident || m.absent { bits.append(env.t("print.caseReport.notCounted")) }
            out.append(Line(.plain, "  " + bits.filter { !$0.isEmpty }.joined(separator: " ")))
        }
        // Survey figures and rules
        out.append(Line(.heading, env.t("print.caseReport.rulesStandardInForce", ["decisionDate": "\(f.facts.decisionDate.iso)"])))
        for r in f.assessment.rules {
            out.append(Line(r.pass == true ? .pass : r.pass == false ? .fail : .note, "\(mark(r.pass)) \(r.rule(env.lang))" + (env.t("print.caseReport.colon")) + r.detail(env.lang)))
        }
        out.append(Line(f.assessment.eligible ? .pass : .fail, f.assessment.eligible ? (env.t("print.caseReport.verdictEligible"))
                                                                                     : (env.t("print.caseReport.verdictNotEligible"))))
        out.append(Line(.heading, env.t("print.caseReport.benefit")))
        for l in f.assessment.lines { out.append(Line(.plain, "  " + l.text(env.lang))) }
        let per = f.assessment.monthly ? (env.t("print.caseReport.yuanMonth")) : (env.t("print.caseReport.yuan"))
        out.append(Line(.plain, (env.t("print.caseReport.computed")) + f.assessment.amount.yuanString + per))
        if let u = env.workflow(c.programme)?.urgentPayment(f.progress) {
            let o = (try? JSONSerialization.jsonObject(with: Data(u.paid.inputs.utf8))) as? [String: Any] ?? [:]
            let paid = Money(fen: (o["amountFen"] as? Int).map(Int64.init) ?? 0)
            out.append(Line(.note, env.t("print.caseReport.paidFirst", ["on": u.paid.actedOn.iso, "amount": paid.yuanString, "due": u.due.iso])))
        }
        if let a = f.amount {
            out.append(Line(.heading, (env.t("print.caseReport.decided")) + a.yuanString + per))
            if let d = f.decisionRecord, (Store.object(d.inputs)["caseByCase"] as? String) == "yes" {
                out.append(Line(.note, env.t("review.caseByCase")))
            }
            if let why = f.overrideReason, !why.isEmpty {
                let cpt = f.computedAmount.map { $0.yuanString } ?? "—"
                out.append(Line(.note, env.t("print.caseReport.differsFromTheComputed", ["cpt": "\(cpt)", "why": "\(why)"])))
            }
        }
        // Who answers for it
        out.append(Line(.heading, env.t("print.caseReport.whoAnswersForIt")))
        out.append(Line(.plain, (env.t("print.caseReport.investigators")) + (f.investigators.isEmpty ? "—" : f.investigators)))
        let sig = f.signatures
        func said(_ b: Bool?) -> String { b == nil ? "—" : b! ? (env.t("print.caseReport.signed")) : (env.t("print.caseReport.notSigned")) }
        if sig.signed != nil || sig.authorised != nil {
            out.append(Line(.plain, env.t("print.caseReport.applicantSigned", ["application": said(sig.signed), "authorised": said(sig.authorised)])))
        }
        var decider = f.approver.isEmpty ? "—" : f.approver
        if let rec = f.decisionRecord {
            let what = rec.action == CaseAction.reject.rawValue ? CaseAction.reject.label(env.lang) : (env.t("print.caseReport.approved"))
            decider += env.t("print.caseReport.decidedBy", ["body": f.decidingBody ?? "—", "on": rec.actedOn.iso, "what": what])
        }
        out.append(Line(.plain, (env.t("print.caseReport.approver")) + decider))
        if let n = f.certificateNo { out.append(Line(.plain, (env.t("print.caseReport.certificate")) + n)) }
        if let u = c.urbanClass { out.append(Line(.plain, (env.t("print.caseReport.class")) + u.rawValue)) }
        // Spot checks (抽查)
        if !f.spotChecks.isEmpty {
            out.append(Line(.heading, env.t("print.caseReport.spotChecks")))
            for s in f.spotChecks {
                let visit = s.visitedOn.map { d in
                    (env.t("print.caseReport.visitedD", ["d": "\(d.iso)"])) + (s.discrepancy == true ? (env.t("print.caseReport.differs")) : (env.t("print.caseReport.asRecorded")))
                        + (s.action.map { env.t("print.caseReport.proposed", ["action": $0.label(env.lang)]) } ?? "")
                } ?? (env.t("print.caseReport.notVisitedYet"))
                out.append(Line(s.discrepancy == true ? .note : .plain, "  " + (env.t("print.caseReport.drawnSeed", ["drawnOn": "\(s.drawnOn)", "seed": "\(s.seed)"])) + visit))
            }
        }
        // Complaints (举报) about the case: where each stands. The complainant is not shown here.
        if !f.complaints.isEmpty {
            out.append(Line(.heading, env.t("print.caseReport.complaints")))
            for k in f.complaints {
                var text = "  \(k.receivedOn.iso) #\(k.id) \(k.channel.label(env.lang))" + (env.t("print.caseReport.colon")) + k.content + " → " + k.stage.label(env.lang)
                if let found = k.founded, let finding = k.finding {
                    text += (found ? (env.t("print.caseReport.founded")) : (env.t("print.caseReport.notFounded"))) + finding
                }
                out.append(Line(k.founded == true ? .note : .plain, text))
            }
        }
        // History
        out.append(Line(.heading, env.t("print.caseReport.history")))
        for r in f.history {
            let kind: Kind = r.action == "reject" || r.action == "terminate" ? .fail
                : ["objection", "back", "suspend", "adjust"].contains(r.action) ? .note : .plain
            var note = r.note.isEmpty ? "" : "  " + r.note
            if let v = surveyVersionUsed(r) { note += env.t("cr.historySurvey", ["v": String(v)]) }
            out.append(Line(kind, "  \(r.actedOn.iso)  \(env.stepLabel(c.programme, r.step))  \(actionLabel(r.action, env: env))  \(r.actor)\(note)"))
        }
        return out
    }
}
