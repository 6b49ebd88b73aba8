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
        let zh = env.lang == .zh
        switch d.kind {
        case .workingDays:
            return d.overdue ? (zh ? "已超期 \(-d.left) 个工作日（时限 \(d.date.iso)）" : "\(-d.left) working days late (due \(d.date.iso))")
                             : (zh ? "剩 \(d.left) 个工作日（时限 \(d.date.iso)）" : "\(d.left) working days left (due \(d.date.iso))")
        case .publicity:
            return d.overdue || d.left == 0 ? (zh ? "公示期已满（\(d.date.iso)），可以结束" : "posting ended \(d.date.iso): can close")
                                            : (zh ? "公示中，\(d.date.iso) 期满（还有 \(d.left) 天）" : "posted until \(d.date.iso) (\(d.left) days)")
        case .papers:
            return d.overdue ? (zh ? "先行救助补办材料已超期 \(-d.left) 天（应于 \(d.date.iso) 前）" : "urgent-aid papers \(-d.left) days late (due \(d.date.iso))")
                             : (zh ? "先行救助材料须于 \(d.date.iso) 前补齐（还有 \(d.left) 天）" : "urgent-aid papers due \(d.date.iso) (\(d.left) days)")
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
        let zh = env.lang == .zh
        switch d.kind {
        case .workingDays: return d.overdue ? (zh ? "超\(-d.left)工作日" : "\(-d.left)wd late") : (zh ? "剩\(d.left)工作日" : "\(d.left)wd left")
        case .publicity:
            if d.left < 0 { return zh ? "期满\(-d.left)天未结" : "ended \(-d.left)d ago" }
            return d.left == 0 ? (zh ? "今日公示期满" : "ends today") : (zh ? "公示剩\(d.left)天" : "posted \(d.left)d")
        case .papers: return d.overdue ? (zh ? "补材料超\(-d.left)天" : "papers \(-d.left)d late") : (zh ? "补材料剩\(d.left)天" : "papers \(d.left)d")
        }
    }

    public static func actionLabel(_ action: String, env: AppEnvironment) -> String {
        if action == "recheck" { return env.lang == .zh ? "复核" : "re-check" }
        if action == "signin" { return env.lang == .zh ? "签到" : "sign-in" }
        return CaseAction(rawValue: action).map { $0.label(env.lang) } ?? action
    }

    /// The survey version a decision or adjustment was worked out on (issue 21 item 4), as its inputs recorded it.
    public static func surveyVersionUsed(_ r: CaseStepRecord) -> Int? {
        let v = Store.object(r.inputs)["surveyVersion"]
        return (v as? Int) ?? (v as? NSNumber)?.intValue
    }

    public static func lines(_ f: CaseFile, env: AppEnvironment) -> [Line] {
        let zh = env.lang == .zh
        let c = f.caseRecord
        var out: [Line] = []
        let prog = c.programme.label(env.lang)
        let step = env.stepLabel(c.programme, c.step)
        out.append(Line(.heading, zh ? "案件 #\(c.id ?? 0)  \(prog)  \(c.status.label.zh)  当前步骤：\(step)（\(c.stepSince.iso) 起）"
                                     : "Case #\(c.id ?? 0)  \(prog)  \(c.status.label.en)  step: \(step) (since \(c.stepSince.iso))"))
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
            out.append(Line(.heading, zh ? "跟进处理" : "Follow-ups"))
            for u in f.followUps {
                let est = u.incomeEstimate.map { zh ? "，重估人均月收入 \($0.yuanString) 元" : ", income re-estimated \($0.yuanString)" } ?? ""
                let head = zh ? "  \(u.openedOn.iso) \(u.source.label.zh)建议\(u.proposed.label.zh)（\(u.openedBy)）：\(u.finding)\(est)"
                              : "  \(u.openedOn.iso) \(u.source.label.en) proposes \(u.proposed.label.en) (\(u.openedBy)): \(u.finding)\(est)"
                let end: String
                if let o = u.outcome, let d = u.closedOn {
                    end = zh ? " → \(d.iso) \(o.label.zh)（\(u.closedBy ?? "")）" : " → \(d.iso) \(o.label.en) (\(u.closedBy ?? ""))"
                } else {
                    end = zh ? " → 待审批人处理" : " → waiting for the approver"
                }
                out.append(Line(u.isOpen ? .late : .plain, head + end))
            }
        }
        // Household
        out.append(Line(.heading, zh ? "家庭" : "Household"))
        if let h = f.head {
            out.append(Line(.plain, zh ? "户主 \(h.name)  \(Masking.idNumber(h.idNumber))  \(f.villageName)  \(f.household.address)"
                                       : "head \(h.name)  \(Masking.idNumber(h.idNumber))  \(f.villageName)  \(f.household.address)"))
        }
        // English labels may hold commas themselves (三无: "no work ability, no income, …").
        let causes = f.household.causes.map { env.label("poverty_cause", $0) }.joined(separator: zh ? "、" : "; ")
        out.append(Line(.plain, zh ? "成员 \(f.members.count) 人，共同生活计入 \(f.facts.membersCounted) 人，保障 \(c.coveredMembers) 人\(causes.isEmpty ? "" : "；致贫原因：\(causes)")"
                                   : "\(f.members.count) members, \(f.facts.membersCounted) counted, \(c.coveredMembers) covered\(causes.isEmpty ? "" : "; causes: \(causes)")"))
        for m in f.members {
            var bits = [m.name, env.label("relationship", m.relation), "\(m.birthDate.age(on: env.today))" + (zh ? "岁" : "y"),
                        m.health == .healthy ? "" : env.label("health", m.health.rawValue)]
            if !m.coResident || m.absent { bits.append(zh ? "不计入" : "not counted") }
            out.append(Line(.plain, "  " + bits.filter { !$0.isEmpty }.joined(separator: " ")))
        }
        // Survey figures and rules
        out.append(Line(.heading, zh ? "审核条件（\(f.facts.decisionDate.iso) 执行的标准）" : "Rules (standard in force on \(f.facts.decisionDate.iso))"))
        for r in f.assessment.rules {
            out.append(Line(r.pass == true ? .pass : r.pass == false ? .fail : .note, "\(mark(r.pass)) \(r.rule(env.lang))" + (zh ? "：" : ": ") + r.detail(env.lang)))
        }
        out.append(Line(f.assessment.eligible ? .pass : .fail, f.assessment.eligible ? (zh ? "结论：符合条件" : "Verdict: eligible")
                                                                                     : (zh ? "结论：不符合条件" : "Verdict: not eligible")))
        out.append(Line(.heading, zh ? "保障金测算" : "Benefit"))
        for l in f.assessment.lines { out.append(Line(.plain, "  " + l.text(env.lang))) }
        let per = f.assessment.monthly ? (zh ? " 元/月" : " yuan/month") : (zh ? " 元" : " yuan")
        out.append(Line(.plain, (zh ? "测算金额 " : "Computed ") + f.assessment.amount.yuanString + per))
        if let u = env.workflow(c.programme)?.urgentPayment(f.progress) {
            let o = (try? JSONSerialization.jsonObject(with: Data(u.paid.inputs.utf8))) as? [String: Any] ?? [:]
            let paid = Money(fen: (o["amountFen"] as? Int).map(Int64.init) ?? 0)
            out.append(Line(.note, zh ? "! 先行救助已于 \(u.paid.actedOn.iso) 发放 \(paid.yuanString) 元，材料应于 \(u.due.iso) 前补齐"
                                      : "! paid first on \(u.paid.actedOn.iso): \(paid.yuanString); papers due \(u.due.iso)"))
        }
        if let a = f.amount {
            out.append(Line(.heading, (zh ? "核定金额 " : "Decided ") + a.yuanString + per))
            if let d = f.decisionRecord, (Store.object(d.inputs)["caseByCase"] as? String) == "yes" {
                out.append(Line(.note, env.t("review.caseByCase")))
            }
            if let why = f.overrideReason, !why.isEmpty {
                let cpt = f.computedAmount.map { $0.yuanString } ?? "—"
                out.append(Line(.note, zh ? "! 与测算金额 \(cpt) 不同，理由：\(why)" : "! differs from the computed \(cpt): \(why)"))
            }
        }
        // Who answers for it
        out.append(Line(.heading, zh ? "责任人（谁调查谁负责，谁审批谁负责）" : "Who answers for it"))
        out.append(Line(.plain, (zh ? "调查人：" : "investigators: ") + (f.investigators.isEmpty ? "—" : f.investigators)))
        let sig = f.signatures
        func said(_ b: Bool?) -> String { b == nil ? "—" : b! ? (zh ? "已签" : "signed") : (zh ? "未签" : "not signed") }
        if sig.signed != nil || sig.authorised != nil {
            out.append(Line(.plain, zh ? "申请人签字：书面申请 \(said(sig.signed))；授权核对书 \(said(sig.authorised))"
                                       : "applicant signed: written application \(said(sig.signed)); finances check \(said(sig.authorised))"))
        }
        var decider = f.approver.isEmpty ? "—" : f.approver
        if let rec = f.decisionRecord {
            let what = rec.action == CaseAction.reject.rawValue ? CaseAction.reject.label(env.lang) : (zh ? "同意" : "approved")
            decider += zh ? "（\(f.decidingBody ?? "—")，\(rec.actedOn.iso) \(what)）" : " (\(f.decidingBody ?? "—"), \(what) \(rec.actedOn.iso))"
        }
        out.append(Line(.plain, (zh ? "审批人：" : "approver: ") + decider))
        if let n = f.certificateNo { out.append(Line(.plain, (zh ? "领取证编号：" : "certificate: ") + n)) }
        if let u = c.urbanClass { out.append(Line(.plain, (zh ? "分类：" : "class: ") + u.rawValue)) }
        // Spot checks (抽查)
        if !f.spotChecks.isEmpty {
            out.append(Line(.heading, zh ? "抽查" : "Spot checks"))
            for s in f.spotChecks {
                let visit = s.visitedOn.map { d in
                    (zh ? "\(d.iso) 核查，" : "visited \(d.iso), ") + (s.discrepancy == true ? (zh ? "与记录不符" : "differs") : (zh ? "与记录一致" : "as recorded"))
                        + (s.action.map { zh ? "，建议\($0.label.zh)" : ", proposed \($0.label.en)" } ?? "")
                } ?? (zh ? "尚未核查" : "not visited yet")
                out.append(Line(s.discrepancy == true ? .note : .plain, "  " + (zh ? "\(s.drawnOn) 抽中（种子 \(s.seed)）：" : "\(s.drawnOn) drawn (seed \(s.seed)): ") + visit))
            }
        }
        // Complaints (举报) about the case: where each stands. The complainant is not shown here.
        if !f.complaints.isEmpty {
            out.append(Line(.heading, zh ? "举报" : "Complaints"))
            for k in f.complaints {
                var text = "  \(k.receivedOn.iso) #\(k.id) \(k.channel.label(env.lang))" + (zh ? "：" : ": ") + k.content + " → " + k.stage.label(env.lang)
                if let found = k.founded, let finding = k.finding {
                    text += (found ? (zh ? "，查实：" : ", founded: ") : (zh ? "，不实：" : ", not founded: ")) + finding
                }
                out.append(Line(k.founded == true ? .note : .plain, text))
            }
        }
        // History
        out.append(Line(.heading, zh ? "办理记录" : "History"))
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
