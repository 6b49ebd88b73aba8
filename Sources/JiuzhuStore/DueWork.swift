import Foundation
import GRDB
import JiuzhuModel

/// One thing due (domain.md, "Supervision and dynamic management").
public struct DueItem: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// 一年一评: rural 低保 re-evaluated yearly.
        case yearly
        /// A/B/C 复核: urban 低保 every 12 / 6 / 3 months by class.
        case recheck
        /// 按月签到: urban 低保 households with a member able to work, once a month.
        case signIn
        /// 先行救助: papers to complete.
        case papers
        /// A posting whose window ends within the week.
        case posting
        /// A campaign such as 阳光行动: a case on its list not yet re-checked.
        case campaign
        /// A complaint (举报) not yet answered, due `Complaint.answerDays` after it came in.
        case complaint
        /// A case in progress waiting at one step longer than `step_stall_days`.
        case stalled
        /// A case in progress near or past the whole flow's limit from 受理 (民发〔2021〕57号).
        case flowLimit

        public var label: Text2 {
            switch self {
            case .yearly: return sayBoth("store.dueWork.yearlyReview")
            case .recheck: return sayBoth("store.dueWork.aBCRe")
            case .signIn: return sayBoth("store.dueWork.monthlySignIn")
            case .papers: return sayBoth("store.dueWork.papersDue")
            case .posting: return sayBoth("store.dueWork.postingEnds")
            case .campaign: return sayBoth("store.dueWork.campaignCheck")
            case .complaint: return sayBoth("store.dueWork.complaint")
            case .stalled: return sayBoth("store.dueWork.stalled")
            case .flowLimit: return sayBoth("store.dueWork.flowLimit")
            }
        }
    }
    public var kind: Kind
    /// The case; the publicity batch for `.posting`, the complaint for `.complaint`.
    public var caseId: Int64
    public var village: String
    public var name: String
    public var due: CivilDate
    public var overdue: Bool
    /// What the list says after the name: the class, the month, the batch title.
    public var detail: String
    /// The campaign, for `.campaign`.
    public var campaignId: Int64? = nil
    /// The detail in both languages, where the store words it (`.stalled`, `.flowLimit`).
    public var detailText: Text2? = nil
}

extension Store {
    /// The last date a case was decided or reviewed again (approval, 复核, 一年一评).
    static let lastReviewSQL = """
        COALESCE((SELECT max(s.acted_on) FROM case_step s WHERE s.case_id = c.id
                  AND (s.action IN ('recheck') OR (s.action = 'approve' AND s.step IN ('county_approval', 'township_confirmation', 'assessment')))), c.step_since)
        """

    /// What is due this week (`today` + 7) or overdue, most overdue first. With the programme
    /// catalogue, also the cases stalled at a step and those near or past the flow's limit.
    public func dueWork(today: CivilDate, catalog: ProgrammeCatalog? = nil) throws -> [DueItem] {
        try read { db in
            var out: [DueItem] = []
            if let catalog {
                out += try Store.stalledCases(db, today: today, settings: try Store.workflowSettings(db, catalog: catalog))
            }
            let horizon = today.adding(days: 7)
            let months: [String: Int] = ["A": Int(try Store.setting(db, "urban_recheck_months_a") ?? "") ?? 12,
                                         "B": Int(try Store.setting(db, "urban_recheck_months_b") ?? "") ?? 6,
                                         "C": Int(try Store.setting(db, "urban_recheck_months_c") ?? "") ?? 3]
            for r in try Row.fetchAll(db, sql: """
                SELECT c.id, c.programme, c.urban_class, h.head_name, r.name AS village, \(Store.lastReviewSQL) AS last
                FROM assistance_case c JOIN household h ON h.id = c.household_id LEFT JOIN region r ON r.code = c.village_code
                WHERE c.status = 'active' AND c.programme IN ('rural_dibao', 'urban_dibao')
                """) {
                guard let last = CivilDate(iso: r["last"]) else { continue }
                let programme: String = r["programme"]
                let due: CivilDate
                var detail = ""
                if programme == "rural_dibao" {
                    due = last.adding(months: 12)
                } else {
                    let cls: String = r["urban_class"] ?? "C"
                    due = last.adding(months: months[cls] ?? 3)
                    detail = cls
                }
                if due <= horizon {
                    var item = DueItem(kind: programme == "rural_dibao" ? .yearly : .recheck, caseId: r["id"], village: r["village"] ?? "",
                                       name: r["head_name"], due: due, overdue: due < today, detail: detail)
                    if !detail.isEmpty { item.detailText = sayBoth("store.dueWork.urbanClass", ["class": detail]) }
                    out.append(item)
                }
            }
            // 按月签到: urban households in force with a member of working age able to work, not yet signed this month.
            let month = String(format: "%04d-%02d", today.year, today.month)
            let monthEnd = CivilDate(year: today.year, month: today.month, day: CivilDate.daysIn(month: today.month, year: today.year))!
            let young = String(format: "%04d-%02d-%02d", today.year - 60, today.month, today.day)
            let adult = String(format: "%04d-%02d-%02d", today.year - 18, today.month, today.day)
            for r in try Row.fetchAll(db, sql: """
                SELECT c.id, h.head_name, r.name AS village FROM assistance_case c JOIN household h ON h.id = c.household_id
                LEFT JOIN region r ON r.code = c.village_code
                WHERE c.status = 'active' AND c.programme = 'urban_dibao'
                  AND EXISTS (SELECT 1 FROM person p WHERE p.household_id = c.household_id AND p.work_ability = 'full'
                              AND p.birth_date > ? AND p.birth_date <= ? AND p.co_resident = 1 AND p.absent = 0)
                  AND NOT EXISTS (SELECT 1 FROM case_step s WHERE s.case_id = c.id AND s.action = 'signin' AND substr(s.acted_on, 1, 7) = ?)
                """, arguments: [young, adult, month]) {
                out.append(DueItem(kind: .signIn, caseId: r["id"], village: r["village"] ?? "", name: r["head_name"], due: monthEnd,
                                   overdue: false, detail: month))
            }
            // 先行救助 papers.
            for r in try Row.fetchAll(db, sql: """
                SELECT c.id, c.papers_due, h.head_name, r.name AS village FROM assistance_case c JOIN household h ON h.id = c.household_id
                LEFT JOIN region r ON r.code = c.village_code
                WHERE c.status = 'in_progress' AND c.programme = 'temporary'
                  AND EXISTS (SELECT 1 FROM case_step s WHERE s.case_id = c.id AND s.action = 'urgent_pay')
                """) {
                let steps = try Store.caseSteps(db, caseId: r["id"])
                guard let pay = steps.last(where: { $0.action == "urgent_pay" }) else { continue }
                let due = (r["papers_due"] as String?).flatMap(CivilDate.init(iso:))
                    ?? (Store.object(pay.inputs)["papersDue"] as? String).flatMap(CivilDate.init(iso:)) ?? pay.actedOn.adding(days: 10)
                if due <= horizon {
                    out.append(DueItem(kind: .papers, caseId: r["id"], village: r["village"] ?? "", name: r["head_name"], due: due,
                                       overdue: due < today, detail: ""))
                }
            }
            // Postings ending.
            for r in try Row.fetchAll(db, sql: "SELECT id, title, scope_name, posted_until FROM publicity_batch WHERE state = 'posted' AND posted_until <= ?",
                                      arguments: [horizon.iso]) {
                let due = CivilDate(iso: r["posted_until"]) ?? today
                out.append(DueItem(kind: .posting, caseId: r["id"], village: r["scope_name"], name: r["title"], due: due, overdue: due < today,
                                   detail: ""))
            }
            // Campaigns: every listed case still in force and not yet re-checked, due by the campaign's end.
            for r in try Row.fetchAll(db, sql: """
                SELECT g.id AS campaign, g.name, g.ends_on, k.case_id, h.head_name, r.name AS village
                FROM campaign g JOIN campaign_case k ON k.campaign_id = g.id JOIN assistance_case c ON c.id = k.case_id
                JOIN household h ON h.id = k.household_id LEFT JOIN region r ON r.code = k.village_code
                WHERE g.closed_on IS NULL AND k.checked_on IS NULL AND c.status IN ('active', 'suspended')
                """) {
                let due = CivilDate(iso: r["ends_on"]) ?? today
                out.append(DueItem(kind: .campaign, caseId: r["case_id"], village: r["village"] ?? "", name: r["head_name"], due: due,
                                   overdue: due < today, detail: r["name"], campaignId: r["campaign"]))
            }
            // Complaints to answer.
            let received = horizon.adding(days: -Complaint.answerDays)
            for r in try Row.fetchAll(db, sql: Store.complaintSQL + " WHERE answered_on IS NULL AND received_on <= ?", arguments: [received.iso]) {
                let c = Store.complaint(from: r)
                let due = c.receivedOn.adding(days: Complaint.answerDays)
                out.append(DueItem(kind: .complaint, caseId: c.id, village: c.subject, name: c.content, due: due, overdue: due < today,
                                   detail: c.stage.rawValue))
            }
            return out.sorted { ($0.due, $0.kind.rawValue, $0.caseId) < ($1.due, $1.kind.rawValue, $1.caseId) }
        }
    }

    /// Record a 复核 / 一年一评 (with its finding), a monthly sign-in, or a campaign's re-check
    /// against a case in force: a step record on the case (or the campaign's line) and an audit
    /// row, in one transaction. Nothing about the benefit changes here: a proposed change opens a
    /// follow-up, and the approver decides it through the case's own workflow.
    public func recordDue(_ item: DueItem, on date: CivilDate, note: String, proposed: FollowUpAction = .none,
                          incomeEstimate: Money? = nil, by user: String) throws {
        if item.kind == .campaign {
            guard let g = item.campaignId else { throw StoreError.said("store.dueWork.theCampaignIsMissing") }
            try recordCampaignCheck(campaignId: g, caseId: item.caseId, on: date, by: user, finding: note, proposed: proposed,
                                    incomeEstimate: incomeEstimate)
            return
        }
        try recordDue(item.kind, caseId: item.caseId, on: date, note: note, proposed: proposed, incomeEstimate: incomeEstimate, by: user)
    }

    public func recordDue(_ kind: DueItem.Kind, caseId: Int64, on date: CivilDate, note: String, proposed: FollowUpAction = .none,
                          incomeEstimate: Money? = nil, by user: String) throws {
        guard kind == .yearly || kind == .recheck || kind == .signIn else {
            throw StoreError.said("store.dueWork.thisItemIsDone")
        }
        let text = note.trimmingCharacters(in: .whitespacesAndNewlines)
        if proposed != .none && text.isEmpty {
            throw StoreError.said("store.dueWork.aProposedChangeNeeds", ["label_zh": "\(proposed.label.zh)"])
        }
        try write { db in
            try Store.authorize(db, user, .dueWork)
            guard let row = try Store.caseExtras(db, caseId) else { throw StoreError.notFound(entity: "case", id: String(caseId)) }
            let c = Store.caseRecord(from: row)
            guard c.status == .active else {
                throw StoreError.said("store.dueWork.caseIsNotIn", ["caseId": "\(caseId)"])
            }
            let action = kind == .signIn ? "signin" : "recheck"
            var fields: [String: Any] = ["kind": kind.rawValue, "month": String(format: "%04d-%02d", date.year, date.month), "note": text]
            if proposed != .none { fields["proposed"] = proposed.rawValue }
            if let m = incomeEstimate { fields["incomeEstimateFen"] = m.fen }
            try db.execute(sql: """
                INSERT INTO case_step(case_id, step, action, actor, acted_on, note, inputs, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [caseId, c.step, action, user, date.iso, text.isEmpty ? kind.label.zh : text, Workflow.json(fields), Timestamp.now()])
            let stepId = db.lastInsertedRowID
            try Audit.append(db, user: user, action: "case.\(action)", entity: "case", entityId: String(caseId),
                             detail: Audit.detail(["kind": kind.rawValue, "on": date.iso, "proposed": proposed.rawValue]))
            if proposed != .none {
                try Store.openFollowUp(db, caseId: caseId, source: .recheck, sourceId: stepId, proposed: proposed, finding: text,
                                       incomeEstimate: incomeEstimate, by: user, on: date)
            }
        }
    }
}
