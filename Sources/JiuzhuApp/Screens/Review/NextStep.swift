import Foundation
import JiuzhuModel
import JiuzhuStore

/// What comes next on a case and who does it, in one line (issue 21 item 5): "下一步：审批结果公示 —
/// 经办员在“4 张榜公示”中张榜，期满后结束批次". Read from the programme's steps in
/// data/programmes.json (their role, publicity, decision and survey flags), never from a list
/// of step names here. The case view shows it under its heading; the message after an action
/// ends with it, on the case and on the other screens that move cases (a household change that
/// opened follow-ups, a publicity batch made, posted or closed, an objection registered).
enum NextStep {
    /// `programme` may be nil only for a case in force (its next step does not depend on it).
    static func text(programme: Programme?, step: String, status: CaseStatus, sentBack: Bool, followUpOpen: Bool, env: AppEnvironment) -> String {
        switch status {
        case .inProgress:
            guard let programme, let s = env.catalog?.definition(programme).step(step) else { return env.t("next.unknown", ["step": step]) }
            let who = Role(rawValue: s.role)?.label(env.lang) ?? s.role
            let v = ["step": s.label(env.lang), "role": who]
            if s.isPublicity { return env.t("next.publicity", v) }
            if s.survey == true && sentBack { return env.t("next.surveyAgain", v) }
            if s.isDecision { return env.t("next.decision", v) }
            if s.role == Role.clerk.rawValue { return env.t("next.clerkStep", v) }
            return env.t("next.review", v)
        case .active:
            return env.t(followUpOpen ? "next.followUp" : "next.inForce")
        case .suspended:
            return env.t("next.suspended")
        default:
            return env.t("next.finished", ["status": status.label(env.lang)])
        }
    }

    /// The next step of a case on file.
    static func text(_ f: CaseFile, env: AppEnvironment) -> String {
        let last = f.history.last?.action
        return text(programme: f.caseRecord.programme, step: f.caseRecord.step, status: f.caseRecord.status,
                    sentBack: last == CaseAction.back.rawValue || last == CaseAction.objection.rawValue,
                    followUpOpen: f.followUps.contains(where: \.isOpen), env: env)
    }
}
