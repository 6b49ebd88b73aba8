import Foundation
import GRDB
import JiuzhuModel

/// A discrepancy waiting for, or settled by, the approver (跟进).
public struct FollowUp: Equatable, Sendable {
    public enum Source: String, Sendable, CaseIterable {
        case spotcheck, campaign, recheck, complaint, household
        public var label: Text2 {
            switch self {
            case .household: return sayBoth("store.followUpSource.household")
            case .complaint: return sayBoth("store.dynamicManagement.complaint")
            case .spotcheck: return sayBoth("store.dynamicManagement.spotCheck")
            case .campaign: return sayBoth("store.dynamicManagement.campaign")
            case .recheck: return sayBoth("store.dynamicManagement.reCheck")
            }
        }
    }
    public var id: Int64
    public var caseId: Int64
    public var source: Source
    public var sourceId: Int64?
    public var proposed: FollowUpAction
    public var finding: String
    public var incomeEstimate: Money?
    public var openedBy: String
    public var openedOn: CivilDate
    public var closedOn: CivilDate?
    public var closedBy: String?
    public var outcome: FollowUpOutcome?
    public var isOpen: Bool { closedOn == nil }
    /// From a household change: 增员 / 减员 / 家庭情况变化, the amount worked out and the persons.
    public var changeKind: CaseChangeKind? = nil
    public var proposedAmount: Money? = nil
    public var proposedPersons: [Int64] = []
    public var stopMonth: String? = nil
}

/// A campaign such as 阳光行动 and how far it has got.
public struct Campaign: Equatable, Sendable {
    public var id: Int64
    public var name: String
    public var programme: Programme
    public var startedOn: CivilDate
    public var endsOn: CivilDate
    public var createdBy: String
    public var closedOn: CivilDate?
    /// Cases (= households) on the list, and the persons they cover.
    public var listed: Int
    public var persons: Int
    /// Cases re-checked so far, and those whose check proposed a change.
    public var checked: Int
    public var proposedChange: Int
}

/// The county's outcome counts of a campaign, in 户 and 人.
public struct CampaignOutcome: Equatable, Sendable {
    public struct Count: Equatable, Sendable {
        public var households: Int
        public var persons: Int
    }
    public var cleared: Count
    public var adjusted: Count
    public var cancelled: Count
    public var added: Count
    public var suspended: Count
    /// Follow-ups still waiting for the approver.
    public var openFollowUps: Int
}

extension Store {
    // MARK: follow-ups

    static func followUp(from r: Row) -> FollowUp {
        FollowUp(id: r["id"], caseId: r["case_id"], source: FollowUp.Source(rawValue: r["source"]) ?? .spotcheck, sourceId: r["source_id"],
                 proposed: FollowUpAction(rawValue: r["proposed"]) ?? .none, finding: r["finding"],
                 incomeEstimate: (r["income_estimate_fen"] as Int64?).map(Money.init(fen:)), openedBy: r["opened_by"],
                 openedOn: CivilDate(iso: r["opened_on"]) ?? .today, closedOn: (r["closed_on"] as String?).flatMap(CivilDate.init(iso:)),
                 closedBy: r["closed_by"], outcome: (r["outcome"] as String?).flatMap(FollowUpOutcome.init(rawValue:)),
                 changeKind: (r["change_kind"] as String?).flatMap(CaseChangeKind.init(rawValue:)),
                 proposedAmount: (r["proposed_fen"] as Int64?).map(Money.init(fen:)),
                 proposedPersons: ((r["proposed_persons"] as String?) ?? "").split(separator: ",").compactMap { Int64($0) },
                 stopMonth: r["stop_month"])
    }

    /// Open a follow-up on a case in force, or replace the open one from the same source (a
    /// visit recorded again). Call inside the transaction that records the visit.
    @discardableResult
    static func openFollowUp(_ db: Database, caseId: Int64, source: FollowUp.Source, sourceId: Int64?, proposed: FollowUpAction,
                             finding: String, incomeEstimate: Money?, by user: String, on date: CivilDate) throws -> Int64 {
        let status = try String.fetchOne(db, sql: "SELECT status FROM assistance_case WHERE id = ?", arguments: [caseId])
        guard let status else { throw StoreError.notFound(entity: "case", id: String(caseId)) }
        guard status == CaseStatus.active.rawValue || status == CaseStatus.suspended.rawValue else {
            let label = CaseStatus(rawValue: status)?.label ?? Text2(zh: status, en: status)
            throw StoreError.said("store.dynamicManagement.caseIsNoFollow", ["caseId": "\(caseId)", "label_zh": "\(label.zh)", "label_en": "\(label.en)"])
        }
        if let old = try Int64.fetchOne(db, sql: """
            SELECT id FROM case_followup WHERE case_id = ? AND source = ? AND source_id IS ? AND closed_on IS NULL
            """, arguments: [caseId, source.rawValue, sourceId]) {
            try db.execute(sql: """
                UPDATE case_followup SET proposed = ?, finding = ?, income_estimate_fen = ?, opened_by = ?, opened_on = ? WHERE id = ?
                """, arguments: [proposed.rawValue, finding, incomeEstimate?.fen, user, date.iso, old])
            return old
        }
        try db.execute(sql: """
            INSERT INTO case_followup(id, case_id, source, source_id, proposed, finding, income_estimate_fen, opened_by, opened_on)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [try Store.newId(db, "case_followup"), caseId, source.rawValue, sourceId, proposed.rawValue, finding,
                             incomeEstimate?.fen, user, date.iso])
        let id = db.lastInsertedRowID
        try Audit.append(db, user: user, action: "followup.open", entity: "case", entityId: String(caseId),
                         detail: Audit.detail(["followup": String(id), "source": source.rawValue, "proposed": proposed.rawValue]))
        return id
    }

    /// Withdraw the open follow-up a visit opened (the visit recorded again without a discrepancy).
    static func withdrawFollowUp(_ db: Database, source: FollowUp.Source, sourceId: Int64) throws {
        try db.execute(sql: "DELETE FROM case_followup WHERE source = ? AND source_id = ? AND closed_on IS NULL",
                       arguments: [source.rawValue, sourceId])
    }

    /// Close every open follow-up of a case with the outcome of the action just taken on it.
    static func closeFollowUps(_ db: Database, caseId: Int64, outcome: FollowUpOutcome, stepId: Int64, by user: String, on date: CivilDate) throws {
        try db.execute(sql: """
            UPDATE case_followup SET closed_on = ?, closed_by = ?, outcome = ?, case_step_id = ? WHERE case_id = ? AND closed_on IS NULL
            """, arguments: [date.iso, user, outcome.rawValue, stepId, caseId])
    }

    public static func followUps(_ db: Database, caseId: Int64) throws -> [FollowUp] {
        try Row.fetchAll(db, sql: "SELECT * FROM case_followup WHERE case_id = ? ORDER BY id", arguments: [caseId]).map(followUp(from:))
    }

    public func followUps(caseId: Int64) throws -> [FollowUp] { try read { db in try Store.followUps(db, caseId: caseId) } }

    // MARK: campaigns

    static let campaignSQL = """
        SELECT g.*, (SELECT count(*) FROM campaign_case k WHERE k.campaign_id = g.id) AS listed,
               (SELECT COALESCE(sum(persons), 0) FROM campaign_case k WHERE k.campaign_id = g.id) AS persons,
               (SELECT count(*) FROM campaign_case k WHERE k.campaign_id = g.id AND k.checked_on IS NOT NULL) AS checked,
               (SELECT count(*) FROM campaign_case k WHERE k.campaign_id = g.id AND k.checked_on IS NOT NULL AND k.proposed <> 'none') AS changed
        FROM campaign g
        """

    static func campaign(from r: Row) -> Campaign {
        Campaign(id: r["id"], name: r["name"], programme: Programme(rawValue: r["programme"]) ?? .ruralDibao,
                 startedOn: CivilDate(iso: r["started_on"]) ?? .today, endsOn: CivilDate(iso: r["ends_on"]) ?? .today,
                 createdBy: r["created_by"], closedOn: (r["closed_on"] as String?).flatMap(CivilDate.init(iso:)),
                 listed: r["listed"], persons: r["persons"], checked: r["checked"], proposedChange: r["changed"])
    }

    public func campaigns() throws -> [Campaign] {
        try read { db in try Row.fetchAll(db, sql: Store.campaignSQL + " ORDER BY g.id DESC").map(Store.campaign(from:)) }
    }

    public func campaign(id: Int64) throws -> Campaign? {
        try read { db in try Row.fetchOne(db, sql: Store.campaignSQL + " WHERE g.id = ?", arguments: [id]).map(Store.campaign(from:)) }
    }

    /// Start a campaign: every case of the programme in force (or suspended) goes on its list,
    /// with the persons it covers, in one transaction with its audit row. Refused while another
    /// campaign of the programme is open, or when nothing is in force.
    @discardableResult
    public func startCampaign(name: String, programme: Programme, startedOn: CivilDate, endsOn: CivilDate, by user: String) throws -> Int64 {
        let title = name.trimmingCharacters(in: .whitespaces)
        if title.isEmpty { throw StoreError.said("store.dynamicManagement.theCampaignNeedsA") }
        if endsOn < startedOn {
            throw StoreError.said("store.dynamicManagement.itEndsBeforeIt", ["endsOnIso_zh": "\(endsOn.iso)", "startedOnIso_zh": "\(startedOn.iso)"])
        }
        return try write { db in
            try Store.authorize(db, user, .campaigns)
            if let open = try Row.fetchOne(db, sql: "SELECT id, name FROM campaign WHERE programme = ? AND closed_on IS NULL",
                                           arguments: [programme.rawValue]) {
                throw StoreError.said("store.dynamicManagement.campaignOfIsStill", ["label_zh": "\(programme.label.zh)", "v2_zh": "\(open["name"] as String)", "v3": "\(open["id"] as Int64)", "label_en": "\(programme.label.en)"])
            }
            try db.execute(sql: """
                INSERT INTO campaign(id, name, programme, started_on, ends_on, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [try Store.newId(db, "campaign"), title, programme.rawValue, startedOn.iso, endsOn.iso, user, Timestamp.now()])
            let id = db.lastInsertedRowID
            try db.execute(sql: """
                INSERT INTO campaign_case(campaign_id, case_id, household_id, village_code, persons)
                SELECT ?, id, household_id, village_code, covered_members FROM assistance_case
                WHERE programme = ? AND status IN ('active', 'suspended')
                """, arguments: [id, programme.rawValue])
            let listed = db.changesCount
            if listed == 0 {
                throw StoreError.said("store.dynamicManagement.noCaseIsIn", ["label_zh": "\(programme.label.zh)", "label_en": "\(programme.label.en)"])
            }
            try Audit.append(db, user: user, action: "campaign.start", entity: "campaign", entityId: String(id),
                             detail: Audit.detail(["name": title, "programme": programme.rawValue, "listed": String(listed),
                                                   "from": startedOn.iso, "until": endsOn.iso]))
            return id
        }
    }

    /// End a campaign: its list leaves the due work; its counts stay as of the closing date.
    public func closeCampaign(id: Int64, on date: CivilDate, by user: String) throws {
        try write { db in
            try Store.authorize(db, user, .campaigns)
            try db.execute(sql: "UPDATE campaign SET closed_on = ? WHERE id = ? AND closed_on IS NULL", arguments: [date.iso, id])
            if db.changesCount == 0 { throw StoreError.said("store.dynamicManagement.campaignIsNotOpen", ["id": "\(id)"]) }
            try Audit.append(db, user: user, action: "campaign.close", entity: "campaign", entityId: String(id), detail: Audit.detail(["on": date.iso]))
        }
    }

    /// Record the re-check of a listed case: when, by whom, what was found and what is
    /// proposed. A proposed change opens a follow-up for the approver. Recording again replaces it.
    public func recordCampaignCheck(campaignId: Int64, caseId: Int64, on date: CivilDate, by user: String, finding: String,
                                    proposed: FollowUpAction, incomeEstimate: Money? = nil) throws {
        let text = finding.trimmingCharacters(in: .whitespacesAndNewlines)
        if proposed != .none && text.isEmpty {
            throw StoreError.said("store.dynamicManagement.aProposedChangeNeeds", ["label_zh": "\(proposed.label.zh)"])
        }
        try write { db in
            try Store.authorize(db, user, .campaignChecks)
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM campaign_case WHERE campaign_id = ? AND case_id = ?",
                                   arguments: [campaignId, caseId]) != nil else {
                throw StoreError.notFound(entity: "campaign case", id: "\(campaignId)/\(caseId)")
            }
            try db.execute(sql: """
                UPDATE campaign_case SET checked_on = ?, checked_by = ?, finding = ?, proposed = ? WHERE campaign_id = ? AND case_id = ?
                """, arguments: [date.iso, user, text, proposed.rawValue, campaignId, caseId])
            if proposed == .none {
                try db.execute(sql: "DELETE FROM case_followup WHERE source = 'campaign' AND source_id = ? AND case_id = ? AND closed_on IS NULL",
                               arguments: [campaignId, caseId])
            } else {
                try Store.openFollowUp(db, caseId: caseId, source: .campaign, sourceId: campaignId, proposed: proposed, finding: text,
                                       incomeEstimate: incomeEstimate, by: user, on: date)
            }
            try Audit.append(db, user: user, action: "campaign.check", entity: "case", entityId: String(caseId),
                             detail: Audit.detail(["campaign": String(campaignId), "on": date.iso, "proposed": proposed.rawValue]))
        }
    }

    /// The outcome counts of a campaign from the cases' own records between its start and its
    /// end (or today while open): 清退, 调整, 取消 and 暂停 among the listed cases; 新增, cases of
    /// the programme approved at its decision step in that time. Each in 户 (cases) and 人.
    public func campaignOutcome(id: Int64, catalog: ProgrammeCatalog, today: CivilDate) throws -> CampaignOutcome? {
        try read { db in
            guard let g = try Row.fetchOne(db, sql: "SELECT * FROM campaign WHERE id = ?", arguments: [id]) else { return nil }
            let from: String = g["started_on"]
            let until: String = (g["closed_on"] as String?) ?? today.iso
            let programme = Programme(rawValue: g["programme"]) ?? .ruralDibao
            // One pass over the listed cases' records in the window: each case counted once per outcome.
            var listed: [String: CampaignOutcome.Count] = [:]
            for r in try Row.fetchAll(db, sql: """
                SELECT bucket, count(*) AS h, COALESCE(sum(persons), 0) AS p FROM (
                    SELECT DISTINCT k.case_id, k.persons,
                        CASE WHEN s.action = 'terminate' AND json_extract(s.inputs, '$.kind') = 'clear' THEN 'cleared'
                             WHEN s.action = 'terminate' THEN 'cancelled' ELSE s.action END AS bucket
                    FROM campaign_case k JOIN case_step s ON s.case_id = k.case_id
                    WHERE k.campaign_id = ? AND s.action IN ('terminate', 'adjust', 'suspend') AND s.acted_on BETWEEN ? AND ?)
                GROUP BY bucket
                """, arguments: [id, from, until]) {
                listed[r["bucket"]] = CampaignOutcome.Count(households: r["h"], persons: r["p"])
            }
            let none = CampaignOutcome.Count(households: 0, persons: 0)
            let decisions = catalog.definition(programme).steps.filter(\.isDecision).map(\.code)
            var added = CampaignOutcome.Count(households: 0, persons: 0)
            if !decisions.isEmpty {
                let marks = decisions.map { _ in "?" }.joined(separator: ", ")
                var args: [DatabaseValueConvertible] = [programme.rawValue, id, from, until]
                args += decisions
                let r = try Row.fetchOne(db, sql: """
                    SELECT count(*) AS h, COALESCE(sum(c.covered_members), 0) AS p FROM assistance_case c
                    WHERE c.programme = ? AND c.id NOT IN (SELECT case_id FROM campaign_case WHERE campaign_id = ?)
                      AND EXISTS (SELECT 1 FROM case_step s WHERE s.case_id = c.id AND s.action = 'approve' AND s.acted_on BETWEEN ? AND ?
                                  AND s.step IN (\(marks)))
                    """, arguments: StatementArguments(args))!
                added = CampaignOutcome.Count(households: r["h"], persons: r["p"])
            }
            let open = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM case_followup f JOIN campaign_case k ON k.case_id = f.case_id AND k.campaign_id = ?
                WHERE f.closed_on IS NULL
                """, arguments: [id]) ?? 0
            return CampaignOutcome(
                cleared: listed["cleared"] ?? none,
                adjusted: listed["adjust"] ?? none,
                cancelled: listed["cancelled"] ?? none,
                added: added,
                suspended: listed["suspend"] ?? none,
                openFollowUps: open)
        }
    }
}

extension Store {
    /// The demo's supervision under way, made through the same calls the screens use: a 30%
    /// spot check of rural 低保 with some visits recorded (a few with discrepancies waiting for
    /// the approver), a 阳光行动 of 特困 under way with re-checks recorded and some decided
    /// (kept, adjusted, 清退), and an urban case suspended for missed sign-ins.
    public func loadDemoSupervision(catalog: ProgrammeCatalog, today: CivilDate, supervisor: String = "duzha", clerk: String = "jingban",
                                    approver: String = "shenpi") throws {
        func act(_ id: Int64, _ a: CaseAction, _ reason: String, inputs: [String: String] = [:]) throws {
            let version = try read { db in try Int.fetchOne(db, sql: "SELECT version FROM assistance_case WHERE id = ?", arguments: [id]) } ?? 1
            _ = try self.act(caseId: id, version: version,
                             request: CaseRequest(action: a, actor: approver, role: .approver, date: today, inputs: inputs, reason: reason),
                             catalog: catalog)
        }
        // Spot check: visits to the first sampled cases, one in five differing from the record.
        let draw = try drawSpotCheck(programme: .ruralDibao, period: String(today.year), percent: 30, seed: 20_261_101, by: supervisor)
        if let drawId = draw.drawId {
            let proposals: [(SpotCheckAction, String)] = [(.adjust, "家中一人外出务工，月收入约2000元"), (.none, "新建厨房为危房改造补助所建"),
                                                           (.suspend, "户主长期外出，未能见到本人"), (.cancel, "家庭购置小轿车一辆")]
            for (i, line) in try spotChecks(drawId: drawId).prefix(40).enumerated() where i % 2 == 0 {
                let differs = i % 10 == 0
                let (action, finding) = differs ? proposals[(i / 10) % proposals.count] : (.none, "家庭人口、收入、住房、财产与记录一致")
                var form: [String: Any] = ["visitedOn": today.adding(days: -(i % 9)).iso, "visitedBy": "督查组", "members": true,
                                           "income": !differs, "housing": true, "assets": !(differs && action == .cancel),
                                           "finding": finding, "action": action.rawValue]
                if differs && action == .adjust { form["incomeEstimate"] = 48_000 }
                try recordSpotCheckVisit(id: line.id, visitedOn: today.adding(days: -(i % 9)), by: "督查组", findings: Workflow.json(form),
                                         discrepancy: differs, proposedAction: action, user: supervisor)
            }
        }
        // 阳光行动 of 特困: started three weeks ago, ends in nine days.
        guard let campaign = try? startCampaign(name: "\(today.year)年特困供养阳光行动", programme: .tekun, startedOn: today.adding(days: -21),
                                                endsOn: today.adding(days: 9), by: supervisor) else { return }
        let listed = try read { db in try Int64.fetchAll(db, sql: "SELECT case_id FROM campaign_case WHERE campaign_id = ? ORDER BY case_id LIMIT 24",
                                                           arguments: [campaign]) }
        for (i, id) in listed.enumerated() where i < 16 {
            let proposed: FollowUpAction = i == 3 ? .clear : i == 7 ? .adjust : i == 11 ? .none : i == 13 ? .cancel : .none
            let finding = [3: "有法定赡养人且具备赡养能力", 7: "集中供养转为分散供养", 13: "已于本月去世"][i] ?? "供养条件无变化"
            try recordCampaignCheck(campaignId: campaign, caseId: id, on: today.adding(days: -(20 - i)), by: clerk, finding: finding, proposed: proposed)
        }
        if listed.count > 3 { try act(listed[3], .terminate, "阳光行动复查：有法定赡养人且具备赡养能力", inputs: ["kind": TerminationKind.clear.rawValue]) }
        // Urban 低保: one household suspended for missed sign-ins.
        if let urban = try read({ db in try Int64.fetchOne(db, sql: "SELECT id FROM assistance_case WHERE programme = 'urban_dibao' AND status = 'active' ORDER BY id LIMIT 1") }) {
            try act(urban, .suspend, "连续两个月未按月签到，经电话联系未果")
        }
    }
}
