import Foundation
import GRDB
import JiuzhuModel

/// A case with everything a reviewer needs on one screen: the household, the survey figures,
/// the rule table and benefit sum on the decision date, the history, the deadline.
public struct CaseFile: Sendable {
    public var caseRecord: Case
    public var household: Household
    public var members: [Person]
    public var villageName: String
    public var history: [CaseStepRecord]
    public var facts: EligibilityFacts
    public var assessment: Assessment
    public var due: CaseDue?
    public var investigators: String
    public var approver: String
    public var certificateNo: String?
    public var onceAmount: Money?
    public var computedAmount: Money?
    public var overrideReason: String?
    public var papersDue: CivilDate?
    /// The whole flow's limit from 受理, for a case in progress (民发〔2021〕57号).
    public var flowLimit: FlowLimit? = nil
    /// Spot checks that drew this case: when drawn, visited, what was found.
    public var spotChecks: [(drawnOn: String, seed: String, visitedOn: CivilDate?, discrepancy: Bool?, action: SpotCheckAction?)] = []
    /// Follow-ups opened on the case (spot check, campaign, re-check) and how they ended.
    public var followUps: [FollowUp] = []
    /// Complaints (举报) about the case, oldest first.
    public var complaints: [Complaint] = []
    /// The survey version the case has now (nil: no survey on record); every earlier one is kept
    /// (`Store.surveyVersions`).
    public var surveyVersion: Int? = nil
    /// The decided amount: monthly for 低保/特困, else one-off.
    public var amount: Money? { caseRecord.monthlyAmount ?? onceAmount }
    public var head: Person? { members.first(where: \.isHead) ?? members.first }
    /// The applicant's signatures recorded at 申请: the written application, the authorisation
    /// to check the family's finances (nil: not asked at this programme's application).
    public var signatures: (signed: Bool?, authorised: Bool?) {
        guard let first = history.first, let r = history.first(where: { $0.step == first.step && $0.action == CaseAction.done.rawValue }) else { return (nil, nil) }
        let o = Store.object(r.inputs)
        func yes(_ v: Any?) -> Bool? { (v as? Bool) ?? (v as? String).flatMap { ReferenceData.yesNo($0) } }
        return (yes(o["signed"]), yes(o["authorised"]))
    }
    /// The last decision or refusal, with the person and the body that took it (谁审批谁负责).
    public var decisionRecord: CaseStepRecord? {
        history.last { ($0.action == CaseAction.approve.rawValue && Store.object($0.inputs)["decision"] != nil) || $0.action == CaseAction.reject.rawValue }
    }
    public var decidingBody: String? { decisionRecord.flatMap { Store.object($0.inputs)["body"] as? String } }
    public var progress: CaseProgress { CaseProgress(caseRecord, history: history) }
}

/// One line of the review queue.
public struct QueueRow: Equatable, Sendable {
    public var caseId: Int64
    public var programme: Programme
    public var step: String
    public var stepSince: CivilDate
    public var appliedOn: CivilDate
    public var villageCode: String
    public var villageName: String
    public var headName: String
    public var covered: Int
    public var due: CaseDue?
    /// A case in force waiting for the approver's answer to a follow-up (跟进).
    public var followUp: FollowUpAction? = nil
    /// When a household change opened it: 增员 / 减员 / 家庭情况变化.
    public var changeKind: CaseChangeKind? = nil
    /// The whole flow's limit from 受理 (民发〔2021〕57号).
    public var flowLimit: FlowLimit? = nil
}

extension QueueRow {
    /// The queue's order: late ones first (most overdue first), then the longest waiting.
    public var queueKey: QueueKey {
        QueueKey(late: due.map { $0.overdue ? $0.left : Int.max } ?? Int.max, since: stepSince, caseId: caseId)
    }
}

public struct QueueKey: Comparable, Sendable {
    public var late: Int
    public var since: CivilDate
    public var caseId: Int64
    public static func < (a: QueueKey, b: QueueKey) -> Bool { (a.late, a.since, a.caseId) < (b.late, b.since, b.caseId) }
}

/// One row of `jiuzhu export cases`.
public struct CaseExportRow: Sendable {
    public var caseId: Int64
    public var programme: Programme
    public var step: String
    public var status: CaseStatus
    public var stepSince: CivilDate
    public var appliedOn: CivilDate
    public var villageName: String
    public var headName: String
    public var covered: Int
    public var monthly: Money?
    public var once: Money?
    public var urbanClass: String?
    public var investigators: String
    public var approver: String
    public var certificateNo: String?
    public var overrideReason: String?
}

/// What the workflow needs from the office's settings.
public struct WorkflowSettings: Sendable {
    public var catalog: ProgrammeCatalog
    public var publicityDays: Int
    /// 审核确认权下放 (setting confirm_delegated, 民发〔2021〕57号).
    public var delegated: Bool
    public var benefit: BenefitSettings
    public var calendar: WorkingCalendar
    /// Setting `amount_ceiling_ratio`: an amount above this many times the computed one needs
    /// the approver's reason and confirmation.
    public var ceilingRatio: Int? = 3

    public func workflow(_ p: Programme) -> Workflow {
        Workflow(catalog.definition(p), publicityDays: publicityDays, delegated: delegated, ceilingRatio: ceilingRatio)
    }
}

extension Store {
    // MARK: columns kept with the case

    /// Fill investigators, approver, certificate and one-off amount from the step records (for
    /// databases written before these columns, and after a demo load).
    static func backfillCaseColumns(_ db: Database) throws {
        try db.execute(sql: """
            UPDATE assistance_case SET
              investigators = COALESCE((SELECT json_extract(s.inputs, '$.investigators[0]') || '、' || json_extract(s.inputs, '$.investigators[1]')
                  FROM case_step s WHERE s.case_id = assistance_case.id AND json_extract(s.inputs, '$.investigators[1]') IS NOT NULL
                  ORDER BY s.id DESC LIMIT 1),
                (SELECT s.investigator1 || '、' || s.investigator2 FROM survey s WHERE s.case_id = assistance_case.id), ''),
              approver = COALESCE((SELECT COALESCE(json_extract(s.inputs, '$.approver'), s.actor) FROM case_step s
                  WHERE s.case_id = assistance_case.id AND s.step IN ('county_approval', 'township_confirmation', 'assessment') AND s.action IN ('approve', 'reject')
                  ORDER BY s.id DESC LIMIT 1), ''),
              certificate_no = (SELECT json_extract(s.inputs, '$.certificateNo') FROM case_step s
                  WHERE s.case_id = assistance_case.id AND json_extract(s.inputs, '$.certificateNo') IS NOT NULL ORDER BY s.id DESC LIMIT 1),
              once_amount_fen = (SELECT json_extract(s.inputs, '$.amountFen') FROM case_step s
                  WHERE s.case_id = assistance_case.id AND s.step IN ('county_approval', 'township_confirmation') AND s.action = 'approve' ORDER BY s.id DESC LIMIT 1)
            """)
    }

    // MARK: settings

    public static func workflowSettings(_ db: Database, catalog: ProgrammeCatalog) throws -> WorkflowSettings {
        var settings: [String: String] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT key, value FROM setting") { settings[r["key"]] = r["value"] }
        var w = WorkflowSettings(catalog: catalog, publicityDays: settings["publicity_days"].flatMap(Int.init) ?? 7,
                                 delegated: ReferenceData.yesNo(settings["confirm_delegated"] ?? "no") ?? false,
                                 benefit: BenefitSettings.from(settings), calendar: try ReferenceData.workingCalendar(db))
        // A database made before the setting takes the file's value (3).
        w.ceilingRatio = settings["amount_ceiling_ratio"].flatMap(Int.init) ?? 3
        return w
    }

    // MARK: the case file

    static func caseExtras(_ db: Database, _ id: Int64) throws -> Row? {
        try Row.fetchOne(db, sql: "SELECT * FROM assistance_case WHERE id = ?", arguments: [id])
    }

    public static func object(_ json: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
    }

    /// An amount in fen from a step's JSON inputs (a number; a string is read as yuan).
    public static func fen(_ v: Any?) -> Int64? { Money(jsonFen: v)?.fen }

    /// The standard for a programme and area in force on `date`.
    static func standard(_ db: Database, _ p: Programme, area: String, on date: CivilDate) throws -> StandardInForce? {
        let all = try Row.fetchAll(db, sql: "SELECT effective_from, amount_fen, period FROM standard WHERE programme = ? AND area = ?",
                                   arguments: [p.rawValue, area]).compactMap { r -> StandardInForce? in
            guard let d = CivilDate(iso: r["effective_from"]) else { return nil }
            return StandardInForce(amount: Money(fen: r["amount_fen"]), period: r["period"], effectiveFrom: d, area: area)
        }
        return StandardInForce.inForce(all, on: date)
    }

    /// What the rules look at, on `date`, with `inputs` being typed at a decision (support mode,
    /// loss level) taking precedence over what was recorded.
    /// `coveredIds`: the persons covered (a proposal or an adjustment); nil: those the case
    /// covered on `date` (`case_coverage`), or by the older rule when it has none recorded.
    static func facts(_ db: Database, case c: Case, household h: Household, members: [Person], history: [CaseStepRecord],
                      on date: CivilDate, inputs: [String: String] = [:], coveredIds: [Int64]? = nil, catalog: ProgrammeCatalog) throws -> EligibilityFacts {
        let def = catalog.definition(c.programme)
        let surveyRow = try Row.fetchOne(db, sql: "SELECT * FROM survey WHERE case_id = ?", arguments: [c.id ?? 0])
        let figures = surveyRow.flatMap { try? JSONDecoder().decode(SurveyFigures.self, from: Data(($0["figures"] as String).utf8)) }
        var pci = figures?.perCapitaMonthly
        var investigators: [String] = []
        if let r = surveyRow { investigators = [r["investigator1"], r["investigator2"]] }
        // The survey's figure, or a later re-estimate an adjustment was decided on (动态调整).
        for rec in history where (rec.step == def.surveyStep && (rec.action == "done" || rec.action == "reject")) || rec.action == "adjust" {
            let o = object(rec.inputs)
            if let f = fen(o["perCapitaIncomeFen"]) { pci = Money(fen: f) }
            if rec.action == "adjust" { continue }
            if let names = o["investigators"] as? [String], names.count >= 2 { investigators = names }
            else if let a = o["investigator1"] as? String, let b = o["investigator2"] as? String, !a.isEmpty { investigators = [a, b] }
        }
        if let v = inputs["perCapitaIncome"], let m = Money(yuanText: v.trimmingCharacters(in: .whitespaces)) { pci = m }
        let counted = members.filter { $0.coResident && !$0.absent }
        // A member supported as 特困 is not counted in the household's 低保 too (never paid twice).
        let tekunPersons = try tekunPersonsInForce(db, householdId: h.id ?? 0)
        let sanwu = h.causes.contains("sanwu")
        // 单人保: when fewer are covered than counted, the sick and disabled first.
        var coveredPeople = c.programme.isDibao ? counted.filter { !tekunPersons.contains($0.id ?? -1) } : counted
        let recordedCoverage = try coveredIds ?? c.id.flatMap { try coverage(db, caseId: $0, on: date) }
        if let ids = recordedCoverage, !ids.isEmpty {
            // The persons on record, wherever they are now (moved, died after the date).
            let marks = ids.map { _ in "?" }.joined(separator: ", ")
            coveredPeople = try Row.fetchAll(db, sql: "SELECT * FROM person WHERE id IN (\(marks)) ORDER BY (relation = '02') DESC, id",
                                             arguments: StatementArguments(ids)).map(person(from:))
        } else if c.coveredMembers > 0 && c.coveredMembers < counted.count {
            coveredPeople = counted.enumerated().sorted { a, b in
                let ka = (a.element.health == .healthy ? 1 : 0, a.offset), kb = (b.element.health == .healthy ? 1 : 0, b.offset)
                return ka < kb
            }.prefix(c.coveredMembers).map(\.element)
        }
        let covered = coveredPeople.map {
            CoveredMember(name: $0.name, age: $0.birthDate.age(on: date), disabilityLevel: $0.health == .disabled ? $0.disabilityLevel : nil,
                          seriousIllness: $0.health == .serious, fullStandard: sanwu)
        }
        func recorded(_ key: String) -> String? {
            if let v = inputs[key], !v.isEmpty { return v }
            for rec in history.reversed() { if let v = object(rec.inputs)[key] as? String { return v } }
            return nil
        }
        let area: String
        switch c.programme {
        case .ruralDibao: area = "rural"
        case .urbanDibao: area = "urban"
        case .tekun: area = recorded("supportMode") == "集中" ? "concentrated" : "dispersed"
        default: area = "any"
        }
        var f = EligibilityFacts(programme: c.programme, decisionDate: date, standard: try standard(db, c.programme, area: area, on: date),
                                 perCapitaMonthly: pci, membersCounted: figures?.membersCounted ?? counted.count, covered: covered,
                                 assets: figures?.assets ?? [], investigators: investigators, cadreRelative: h.cadreRelative)
        if let pid = c.personId, let p = members.first(where: { $0.id == pid }) {
            f.personAge = p.birthDate.age(on: date)
            f.personCanWork = p.workAbility != .none
            f.personDisabilityLevel = p.health == .disabled ? p.disabilityLevel : nil
            if c.programme == .tekun || c.programme == .medical {
                f.covered = [CoveredMember(name: p.name, age: p.birthDate.age(on: date), disabilityLevel: f.personDisabilityLevel,
                                           seriousIllness: p.health == .serious, fullStandard: true)]
            }
        }
        if c.programme == .tekun {
            f.tekun = try tekunFacts(db, case: c, person: c.personId.flatMap { pid in members.first { $0.id == pid } }, history: history,
                                     on: date, inputs: inputs)
        }
        if c.programme == .medical {
            f.medical = try medicalFacts(db, case: c, history: history, on: date, inputs: inputs, catalog: catalog)
            f.paidThisYear = f.medical?.grantedThisYear ?? .zero
        }
        if c.programme == .temporary {
            let by = "household_id = ?"
            let who: Int64 = h.id ?? 0
            f.paidThisYear = Money(fen: try Int64.fetchOne(db, sql: """
                SELECT COALESCE(SUM(once_amount_fen), 0) FROM assistance_case
                WHERE \(by) AND programme = ? AND id <> ? AND status IN ('closed', 'in_progress') AND substr(step_since, 1, 4) = ?
                """, arguments: [who, c.programme.rawValue, c.id ?? 0, String(date.year)]) ?? 0)
        }
        if c.programme == .medical, let apply = history.first(where: { $0.step == def.applyStep }) {
            let o = object(apply.inputs)
            f.medicalTotal = fen(o["totalFen"]).map(Money.init(fen:))
            f.insurancePaid = fen(o["insurancePaidFen"]).map(Money.init(fen:))
        }
        if c.programme == .disaster {
            f.lossLevel = recorded("lossLevel")
            // The grant on the victims' ledger (DisasterRelief.swift) sets what is worked out.
            if let id = c.id { f.reliefGrant = try Store.reliefGrantFacts(db, caseId: id, on: date) }
        }
        try programmeRuleFacts(db, &f, case: c, household: h, members: members, history: history, on: date, catalog: catalog)
        return f
    }

    /// The decision date of a case: the rejection's date for a rejected case, the approval's
    /// once approved, otherwise `today` (the rules are read against the standard in force then).
    static func decisionDate(_ c: Case, history: [CaseStepRecord], catalog: ProgrammeCatalog, today: CivilDate) -> CivilDate {
        if c.status == .rejected, let r = history.last(where: { $0.action == "reject" }) { return r.actedOn }
        let def = catalog.definition(c.programme)
        // The last decision: the approval, or a later adjustment (动态调整) decided on its own date.
        let decision = history.last { rec in (def.step(rec.step)?.isDecision == true && rec.action == "approve") || rec.action == "adjust" }
        return decision?.actedOn ?? today
    }

    public static func caseFile(_ db: Database, id: Int64, today: CivilDate, settings: WorkflowSettings) throws -> CaseFile? {
        guard let row = try caseExtras(db, id) else { return nil }
        let c = caseRecord(from: row)
        guard let h = try household(db, id: c.householdId) else { return nil }
        let members = try Store.members(db, householdId: c.householdId)
        let history = try caseSteps(db, caseId: id)
        let date = decisionDate(c, history: history, catalog: settings.catalog, today: today)
        let f = try facts(db, case: c, household: h, members: members, history: history, on: date, catalog: settings.catalog)
        let village = try String.fetchOne(db, sql: "SELECT name FROM region WHERE code = ?", arguments: [row["village_code"] as String]) ?? ""
        let w = settings.workflow(c.programme)
        let checks = try Row.fetchAll(db, sql: """
            SELECT d.drawn_at, d.seed, s.visited_on, s.discrepancy, s.proposed_action FROM spot_check s JOIN spot_check_draw d ON d.id = s.draw_id
            WHERE s.case_id = ? ORDER BY s.id
            """, arguments: [id]).map { r -> (drawnOn: String, seed: String, visitedOn: CivilDate?, discrepancy: Bool?, action: SpotCheckAction?) in
            (String((r["drawn_at"] as String).prefix(10)), (r["seed"] as String?) ?? "", (r["visited_on"] as String?).flatMap(CivilDate.init(iso:)),
             (r["discrepancy"] as Int?).map { $0 != 0 }, (r["proposed_action"] as String?).flatMap(SpotCheckAction.init(rawValue:)))
        }
        var file = CaseFile(caseRecord: c, household: h, members: members, villageName: village, history: history, facts: f,
                        assessment: Eligibility.assess(f, settings.benefit),
                        due: w.due(CaseProgress(c, history: history), today: today, calendar: settings.calendar),
                        investigators: row["investigators"], approver: row["approver"], certificateNo: row["certificate_no"],
                        onceAmount: (row["once_amount_fen"] as Int64?).map(Money.init(fen:)),
                        computedAmount: (row["computed_amount_fen"] as Int64?).map(Money.init(fen:)),
                        overrideReason: row["override_reason"], papersDue: (row["papers_due"] as String?).flatMap(CivilDate.init(iso:)))
        file.spotChecks = checks
        file.flowLimit = Store.flowLimit(c, history: history, today: today, settings: settings)
        file.followUps = try followUps(db, caseId: id)
        file.complaints = try Row.fetchAll(db, sql: Store.complaintSQL + " WHERE case_id = ? ORDER BY received_on, id", arguments: [id])
            .map(Store.complaint(from:))
        file.surveyVersion = try surveyVersionNumber(db, caseId: id)
        return file
    }

    public func caseFile(id: Int64, today: CivilDate, catalog: ProgrammeCatalog) throws -> CaseFile? {
        try read { db in
            try Store.caseFile(db, id: try Store.ownId(db, id), today: today, settings: try Store.workflowSettings(db, catalog: catalog))
        }
    }

    // MARK: acting

    /// The next 领取证 number: township code, year, a five-digit counter that carries on from
    /// the highest number already issued that year.
    static func nextCertificate(_ db: Database, on date: CivilDate) throws -> String {
        let township = try Store.setting(db, "office.township_code") ?? "000000000"
        let prefix = "\(township)-\(date.year)-"
        let name = "certificate-\(date.year)"
        var n = try Int.fetchOne(db, sql: "SELECT value FROM sequence WHERE name = ?", arguments: [name])
        if n == nil {
            let issued = try String.fetchAll(db, sql: "SELECT certificate_no FROM assistance_case WHERE certificate_no LIKE ?",
                                             arguments: [prefix + "%"])
            n = issued.compactMap { Int($0.dropFirst(prefix.count)) }.max() ?? 0
        }
        let next = n! + 1
        try db.execute(sql: "INSERT INTO sequence(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                       arguments: [name, next])
        return prefix + String(format: "%05d", next)
    }

    /// What an action did, for the screen and the notice.
    public struct ActResult: Sendable {
        public var caseId: Int64
        public var transition: CaseTransition
        public var certificateNo: String?
    }

    /// Do an action on a case: checked by the engine against the case as it is in the database
    /// (`version` must match what the user saw), the benefit worked out here on the decision date,
    /// the records, the case and one audit row written in one transaction.
    /// A publicity step is not finished here: only `closeBatch` finishes it, with the batch.
    public func act(caseId: Int64, version: Int, request: CaseRequest, catalog: ProgrammeCatalog) throws -> ActResult {
        if request.posting != nil {
            throw StoreError.workflow(.notPosted, stepZh: "公示", stepEn: "publicity")
        }
        return try write { db in
            // The role is the acting user's as stored, not the caller's word for it; the engine
            // then checks it against the step's role in the catalogue (and the decision step's).
            let user = try Store.actingUser(db, request.actor, for: nil)
            guard user.role == request.role else {
                throw StoreError.notPermitted(user: request.actor, role: user.role, permission: nil)
            }
            return try Store.act(db, caseId: caseId, version: version, request: request, settings: try Store.workflowSettings(db, catalog: catalog))
        }
    }

    /// The body that decides at `step`: the county's civil-affairs bureau at the county's
    /// approval, else the township government (审核确认权下放, a disaster's assessment).
    static func decidingBody(_ db: Database, step: String) throws -> String {
        let o = try Store.office(db)
        return step == "county_approval" ? (o?.countyName ?? "县") + "民政局" : (o?.townshipName ?? "乡镇") + "人民政府"
    }

    /// `act` inside a transaction the caller holds (a publicity batch closes many cases in one).
    /// `version` nil: act on the case as it is now.
    static func act(_ db: Database, caseId: Int64, version: Int?, request: CaseRequest, settings: WorkflowSettings) throws -> ActResult {
            let catalog = settings.catalog
            guard let row = try Store.caseExtras(db, caseId) else { throw StoreError.notFound(entity: "case", id: String(caseId)) }
            var c = Store.caseRecord(from: row)
            let version = version ?? c.version
            if c.version != version { throw StoreError.staleEdit(entity: "case", id: caseId) }
            let history = try Store.caseSteps(db, caseId: caseId)
            let def = catalog.definition(c.programme)
            let w = settings.workflow(c.programme)
            var r = request
            // An adjustment keeps the amount it replaces on its record (for the family's notice).
            if r.action == .adjust { r.inputs["previousFen"] = c.monthlyAmount.map { String($0.fen) } }
            // A stop or suspension of a monthly benefit keeps the first month no longer paid (停发月份),
            // for the family's notice and the rosters (`PaymentRules`).
            if (r.action == .terminate || r.action == .suspend) && def.isMonthly {
                r.inputs["stopMonth"] = try Store.paymentRules(db).stopMonth(decidedOn: r.date).description
            }
            let step = def.step(c.step)
            // The persons the decision or adjustment covers (case_coverage): at the decision, the
            // household's counted members (or the case's person); an adjustment keeps them unless
            // it names them ("persons") or answers a household change that proposed them.
            var newCoverage: [Int64]?
            if r.action == .adjust {
                if let text = r.inputs["persons"], !text.trimmingCharacters(in: .whitespaces).isEmpty {
                    let ids = text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\u{3001}" }).compactMap { Int64($0) }
                    try Store.refuseDoublePay(db, programme: c.programme, persons: ids)
                    newCoverage = ids
                } else if r.inputs["standardRaise"] == nil {
                    newCoverage = try Store.proposedPersons(db, caseId: caseId)
                    if c.programme.isDibao, let ids = newCoverage {
                        let tekun = try Store.tekunPersonsInForce(db, householdId: c.householdId)
                        newCoverage = ids.filter { !tekun.contains($0) }
                    }
                    if newCoverage != nil, r.inputs["perCapitaIncome"] == nil,
                       let est = try Int64.fetchOne(db, sql: """
                           SELECT income_estimate_fen FROM case_followup WHERE case_id = ? AND source = 'household' AND closed_on IS NULL
                           ORDER BY id DESC LIMIT 1
                           """, arguments: [caseId]) {
                        r.inputs["perCapitaIncome"] = Money(fen: est).yuanString
                    }
                }
                r.inputs["persons"] = nil
                if let ids = newCoverage {
                    if ids.isEmpty { throw StoreError.invalid(Store.both("store.household.adjustNobody")) }
                    let marks = ids.map { _ in "?" }.joined(separator: ", ")
                    let known = try Int.fetchOne(db, sql: "SELECT count(*) FROM person WHERE id IN (\(marks)) AND died_on IS NULL",
                                                 arguments: StatementArguments(ids)) ?? 0
                    if known != Set(ids).count {
                        throw StoreError.invalid(Store.both("store.household.adjustUnknownPerson"))
                    }
                }
            } else if step?.isDecision == true && r.action == .approve {
                newCoverage = Store.defaultCoverage(c, members: try Store.members(db, householdId: c.householdId))
                if c.programme.isDibao, let ids = newCoverage {
                    // A member supported as 特困 is not counted in the household's 低保 (never paid twice).
                    let tekun = try Store.tekunPersonsInForce(db, householdId: c.householdId)
                    newCoverage = ids.filter { !tekun.contains($0) }
                }
            }
            if (step?.isDecision == true && r.action == .approve) || r.action == .adjust, let h = try Store.household(db, id: c.householdId) {
                let members = try Store.members(db, householdId: c.householdId)
                // A 提标普调 adjustment is worked out on the first day of the month it pays from
                // (as `raisePlan` listed it), not on the day it is recorded.
                var asOf = r.date
                if r.action == .adjust, r.inputs["standardRaise"] != nil, let m = r.inputs["effectiveMonth"].flatMap(PayMonth.init) { asOf = m.firstDay }
                let f = try Store.facts(db, case: c, household: h, members: members, history: history, on: asOf, inputs: r.inputs,
                                        coveredIds: r.action == .adjust ? newCoverage : nil, catalog: catalog)
                let assessed = Eligibility.assess(f, settings.benefit)
                r.computed = assessed.amount
                if r.amount == nil { r.amount = r.computed }
                // 特困 and 医疗救助 are decided on their person's rules: a failed one is a refusal
                // (不予确认, with the reason), never an approval at 0.00 or at a typed amount.
                if (c.programme == .tekun || c.programme == .medical), step?.isDecision == true, r.action == .approve,
                   let failed = assessed.rules.first(where: { $0.pass == false }) {
                    throw StoreError.said("store.person.rulesNotMet", ["rule_zh": failed.rule.zh, "rule_en": failed.rule.en,
                                                                       "detail_zh": failed.detail.zh, "detail_en": failed.detail.en])
                }
                Store.applyAssessment(assessed, request: &r, coverage: &newCoverage, isDecision: step?.isDecision == true)
            }
            try Store.checkTemporary(db, case: c, history: history, request: &r, isDecision: step?.isDecision == true, settings: settings)
            let t: CaseTransition
            do { t = try w.apply(CaseProgress(c, history: history), r) }
            catch let e as WorkflowError {
                // The message names the step it is about: the decision step, for a refusal asked elsewhere.
                var named = step
                if case .decisionOnly(_, let d, _) = e { named = def.step(d) }
                throw StoreError.workflow(e, stepZh: named?.zh ?? c.step, stepEn: named?.en ?? c.step)
            }
            try Store.checkSide(db, case: c, steps: t.records.map(\.step), def: def)
            let now = Timestamp.now()
            let ins = try db.cachedStatement(sql: """
                INSERT INTO case_step(id, case_id, step, action, actor, acted_on, note, inputs, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var coverageStep: Int64?
            for var rec in t.records {
                // A decision or adjustment keeps the persons it covers, so a past period's figures
                // (统计报表) can be worked out again whatever the household becomes later.
                let covering = t.decision != nil && (rec.action == CaseAction.adjust.rawValue || (rec.action == CaseAction.approve.rawValue && def.step(rec.step)?.isDecision == true))
                if covering {
                    var o = Store.object(rec.inputs)
                    o["covered"] = newCoverage?.count ?? c.coveredMembers
                    // Which version of the survey the decision was worked out on (issue 21 item 4).
                    if let v = try Store.surveyVersionNumber(db, caseId: caseId) { o["surveyVersion"] = v }
                    if r.action == .adjust, let ids = newCoverage { o["persons"] = ids }
                    rec.inputs = Workflow.json(o)
                }
                // 谁审批谁负责: the deciding person and body on the decision or refusal itself.
                if let at = t.decidedAt, rec.step == at, rec.action == CaseAction.approve.rawValue || rec.action == CaseAction.reject.rawValue {
                    var o = Store.object(rec.inputs)
                    o["body"] = try Store.decidingBody(db, step: at)
                    rec.inputs = Workflow.json(o)
                }
                try ins.execute(arguments: [try Store.newId(db, "case_step"), caseId, rec.step, rec.action, rec.actor, rec.actedOn.iso, rec.note, rec.inputs, now])
                if covering { coverageStep = db.lastInsertedRowID }
            }
            let lastStep = db.lastInsertedRowID
            if let sid = coverageStep, let ids = newCoverage {
                // The coverage in force until now is kept (taken from the household as it was, if
                // none was recorded), then the new set from this record's date.
                if r.action == .adjust { try Store.backfillCoverage(db, householdId: c.householdId) }
                try Store.insertCoverage(db, caseId: caseId, stepId: sid, from: r.date, persons: ids)
            }
            // Dynamic management settles every follow-up waiting on the case (a raise of the
            // standard, 提标普调, answers none of them).
            if r.action.inForce, r.inputs["standardRaise"] == nil, r.inputs["tekunCase"] == nil, let outcome = FollowUpOutcome(action: r.action, terminationKind: t.terminationKind) {
                try Store.closeFollowUps(db, caseId: caseId, outcome: outcome, stepId: lastStep, by: r.actor, on: r.date)
            }
            c.step = t.step; c.status = t.status; c.stepSince = t.stepSince
            var certificate: String?
            var sets: [String] = ["step = ?", "status = ?", "step_since = ?", "version = version + 1", "updated_at = ?"]
            var args: [(any DatabaseValueConvertible)?] = [t.step, t.status.rawValue, t.stepSince.iso, now]
            if let d = t.decision {
                sets.append(d.monthly ? "monthly_amount_fen = ?" : "once_amount_fen = ?"); args.append(d.amount.fen)
                sets.append("computed_amount_fen = ?"); args.append(d.computed?.fen)
                sets.append("override_reason = ?"); args.append(d.overrideReason)
                if let u = d.urbanClass { sets.append("urban_class = ?"); args.append(u.rawValue) }
                if d.monthly && (row["certificate_no"] as String?) == nil {
                    certificate = try Store.nextCertificate(db, on: r.date)
                    sets.append("certificate_no = ?"); args.append(certificate)
                }
            }
            if let ids = newCoverage, coverageStep != nil { sets.append("covered_members = ?"); args.append(ids.count) }
            if let a = t.approver { sets.append("approver = ?"); args.append(a) }
            if let i = t.investigators { sets.append("investigators = ?"); args.append(i.joined(separator: "、")) }
            if let p = t.papersDue {
                sets.append("papers_due = ?"); args.append(p.iso)
                sets.append("once_amount_fen = ?"); args.append(r.amount?.fen)
            }
            args.append(caseId); args.append(version)
            try db.execute(sql: "UPDATE assistance_case SET \(sets.joined(separator: ", ")) WHERE id = ? AND version = ?",
                           arguments: StatementArguments(args))
            if db.changesCount == 0 { throw StoreError.staleEdit(entity: "case", id: caseId) }
            try Store.refreshHouseholdSummary(db, c.householdId)
            // 特困: the row keeps mode, care level and institution; a decision takes the person out of
            // any 低保 household count from the same month (TekunStore.swift).
            if c.programme == .tekun && t.decision != nil { try Store.refreshTekunColumns(db, caseId: caseId) }
            if c.programme == .tekun, step?.isDecision == true, r.action == .approve, t.decision != nil, let pid = c.personId {
                try Store.leaveDibaoCount(db, personId: pid, tekunCase: caseId, on: r.date, actor: r.actor, role: r.role, settings: settings)
            }
            var detail: [String: String] = ["step": step?.code ?? c.step, "to": t.step, "status": t.status.rawValue]
            if !r.reason.isEmpty { detail["reason"] = r.reason }
            if let d = t.decision {
                detail["amount"] = d.amount.yuanString
                if let cpt = d.computed { detail["computed"] = cpt.yuanString }
                if let o = d.overrideReason { detail["override"] = o }
            }
            if let cert = certificate { detail["certificate"] = cert }
            try Audit.append(db, user: r.actor, action: "case.\(r.action.rawValue)", entity: "case", entityId: String(caseId),
                             detail: Audit.detail(detail))
            // A posted batch whose last case has left its step (objection, withdrawal) closes.
            if r.posting == nil { try Store.closeEmptiedBatches(db, caseId: caseId, by: r.actor) }
            return ActResult(caseId: caseId, transition: t, certificateNo: certificate)
    }

    // MARK: the queue

    /// The condition "waiting at a step `role` does" (with the village and programme filters).
    static func queueCondition(role: Role, catalog: ProgrammeCatalog, village: String?, programme: Programme?,
                               township: String? = nil, countySteps: Bool = false) -> (String, [DatabaseValueConvertible])? {
        var pairs: [(String, String)] = []
        for d in catalog.programmes where programme == nil || d.code == programme!.rawValue {
            for s in d.steps where s.role == role.rawValue && (!countySteps || s.only == "county") { pairs.append((d.code, s.code)) }
        }
        if pairs.isEmpty { return nil }
        var args: [DatabaseValueConvertible] = []
        let values = pairs.map { p -> String in args.append(p.0); args.append(p.1); return "(?, ?)" }.joined(separator: ", ")
        var sql = "c.status = 'in_progress' AND (c.programme, c.step) IN (VALUES \(values))"
        if let v = village { sql += " AND c.village_code = ?"; args.append(v) }
        if let t = township { let r = Store.townshipRange(t); sql += " AND c.village_code BETWEEN ? AND ?"; args += [r.lower, r.upper] }
        return (sql, args)
    }

    /// How many cases wait for `role` (the queue shows at most its limit).
    /// `township`: a county file's township only; `countySteps`: only the steps the county takes
    /// (`only: county` in programmes.json, 县级审批), from every township — the county's approval
    /// queue, without follow-ups.
    public func reviewQueueTotal(role: Role, catalog: ProgrammeCatalog, village: String? = nil, programme: Programme? = nil,
                                 township: String? = nil, countySteps: Bool = false) throws -> Int {
        guard let (cond, args) = Store.queueCondition(role: role, catalog: catalog, village: village, programme: programme,
                                                      township: township, countySteps: countySteps) else { return 0 }
        return try read { db in
            let waiting = try Int.fetchOne(db, sql: "SELECT count(*) FROM assistance_case c WHERE \(cond)", arguments: StatementArguments(args)) ?? 0
            guard role == .approver, !countySteps else { return waiting }
            let (fcond, fargs) = Store.followUpCondition(village: village, programme: programme, township: township)
            return waiting + (try Int.fetchOne(db, sql: "SELECT count(DISTINCT f.case_id) FROM case_followup f JOIN assistance_case c ON c.id = f.case_id WHERE \(fcond)",
                                               arguments: StatementArguments(fargs)) ?? 0)
        }
    }

    /// Open follow-ups on cases in force, for the approver's queue.
    static func followUpCondition(village: String?, programme: Programme?, township: String? = nil) -> (String, [DatabaseValueConvertible]) {
        let (cond, args) = followUpCaseCondition(village: village, programme: programme, township: township)
        return ("f.closed_on IS NULL AND " + cond, args)
    }

    /// The cases whose open follow-ups the approver answers (in force), by village, township, programme.
    static func followUpCaseCondition(village: String?, programme: Programme?, township: String? = nil) -> (String, [DatabaseValueConvertible]) {
        var sql = "c.status IN ('active', 'suspended')"
        var args: [DatabaseValueConvertible] = []
        if let v = village { sql += " AND c.village_code = ?"; args.append(v) }
        if let t = township { let r = Store.townshipRange(t); sql += " AND c.village_code BETWEEN ? AND ?"; args += [r.lower, r.upper] }
        if let p = programme { sql += " AND c.programme = ?"; args.append(p.rawValue) }
        return (sql, args)
    }

    /// Cases waiting at a step `role` does, late ones first (most overdue first), then the
    /// longest waiting; at most `limit`, the longest waiting. Filters by village and programme.
    public func reviewQueue(role: Role, catalog: ProgrammeCatalog, today: CivilDate, village: String? = nil,
                            programme: Programme? = nil, township: String? = nil, countySteps: Bool = false,
                            limit: Int = 5000) throws -> [QueueRow] {
        // Room for every row at once and sorted in place: an array grown by doubling held the old
        // and the new buffer together, and a sorted copy a third (5,000 rows of about 300 bytes;
        // a clerk's session at 100,000 households peaked 0.8 MB higher, issue 26).
        let waiting = try reviewQueueTotal(role: role, catalog: catalog, village: village, programme: programme,
                                           township: township, countySteps: countySteps)
        var rows: [QueueRow] = []
        rows.reserveCapacity(min(waiting, role == .approver && !countySteps ? 2 * limit : limit))
        try forEachInReviewQueue(role: role, catalog: catalog, today: today, village: village, programme: programme,
                                 township: township, countySteps: countySteps, limit: limit) {
            rows.append($0)
        }
        rows.sort { $0.queueKey < $1.queueKey }
        return rows
    }

    /// The rows of `reviewQueue` as they are read (the longest waiting first, then the
    /// approver's follow-ups), unsorted and never all held: for the menu's counts.
    public func forEachInReviewQueue(role: Role, catalog: ProgrammeCatalog, today: CivilDate, village: String? = nil,
                                     programme: Programme? = nil, township: String? = nil, countySteps: Bool = false,
                                     limit: Int = 5000, _ body: (QueueRow) throws -> Void) throws {
        guard let (cond, args) = Store.queueCondition(role: role, catalog: catalog, village: village, programme: programme,
                                                      township: township, countySteps: countySteps) else { return }
        try read { db in
            let settings = try Store.workflowSettings(db, catalog: catalog)
            // By (status, programme, step): the case browser's indexes leading with the status
            // and ending in the step's date tempt SQLite to walk every case in progress in date
            // order, reading each to test its step (36 → 80 ms at 100,000 households).
            let sql = """
                SELECT c.id, c.programme, c.step, c.step_since, c.applied_on, c.village_code, c.covered_members,
                       h.head_name, r.name AS village,
                       EXISTS(SELECT 1 FROM case_step s WHERE s.case_id = c.id AND s.action = 'extend_limit') AS extended
                FROM assistance_case c INDEXED BY case_by_step JOIN household h ON h.id = c.household_id LEFT JOIN region r ON r.code = c.village_code
                WHERE \(cond) ORDER BY c.step_since, c.id LIMIT \(limit)
                """
            let special = try db.cachedStatement(sql: """
                SELECT * FROM case_step WHERE case_id = ? AND action IN ('back', 'objection', 'urgent_pay', 'extend_limit') ORDER BY id
                """)
            // A cursor, not every row fetched first: up to 5,000 rows of ten columns each held at
            // once were a clerk's peak memory at login (the menu counts the queue; issue 26).
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(args))
            while let r = try cursor.next() {
                let p = Programme(rawValue: r["programme"]) ?? .ruralDibao
                let id: Int64 = r["id"]
                let since = CivilDate(iso: r["step_since"]) ?? today
                let stepCode: String = r["step"]
                let def = catalog.definition(p)
                var history: [CaseStepRecord] = []
                let applied = CivilDate(iso: r["applied_on"]) ?? since
                // The flow's limit may have been extended (a step record): read the records of cases
                // near it, and of any case whose limit was extended (the queue shows the longer one).
                let nearLimit = applied < today.adding(days: -settings.benefit.rules.flowLimitWorkingDays)
                let extended: Bool = r["extended"]
                if def.step(stepCode)?.isPublicity == true || def.urgent != nil || nearLimit || extended {
                    history = try Row.fetchAll(special, arguments: [id]).map {
                        CaseStepRecord(caseId: id, step: $0["step"], action: $0["action"], actor: $0["actor"],
                                       actedOn: CivilDate(iso: $0["acted_on"]) ?? today, note: $0["note"], inputs: $0["inputs"])
                    }
                }
                let progress = CaseProgress(programme: p, step: stepCode, status: .inProgress, stepSince: since,
                                            appliedOn: CivilDate(iso: r["applied_on"]) ?? since, history: history)
                var row = QueueRow(caseId: id, programme: p, step: stepCode, stepSince: since, appliedOn: progress.appliedOn,
                                   villageCode: r["village_code"], villageName: r["village"] ?? "", headName: r["head_name"],
                                   covered: r["covered_members"],
                                   due: settings.workflow(p).due(progress, today: today, calendar: settings.calendar))
                if p != .disaster { row.flowLimit = FlowLimit.of(progress, workflow: settings.workflow(p), today: today, rules: settings.benefit.rules, calendar: settings.calendar) }
                try body(row)
            }
            // The approver also answers follow-ups on cases in force, oldest first among the rest.
            if role == .approver && !countySteps {
                let (ccond, cargs) = Store.followUpCaseCondition(village: village, programme: programme, township: township)
                // From the open follow-ups (few) to their cases: led by the cases in force, SQLite
                // read every one of them (735 ms in a county file of 230,000 households; 6 ms so).
                for r in try Row.fetchAll(db, sql: """
                    SELECT c.id, c.programme, c.step, c.applied_on, c.village_code, c.covered_members, h.head_name, r.name AS village,
                           o.opened, o.proposed, o.change_kind
                    FROM (SELECT f.case_id, min(f.opened_on) AS opened, f.proposed, max(f.change_kind) AS change_kind
                          FROM case_followup f WHERE f.closed_on IS NULL GROUP BY f.case_id) o
                    JOIN assistance_case c ON c.id = o.case_id JOIN household h ON h.id = c.household_id
                    LEFT JOIN region r ON r.code = c.village_code
                    WHERE \(ccond) ORDER BY o.opened, c.id LIMIT \(limit)
                    """, arguments: StatementArguments(cargs)) {
                    let since = CivilDate(iso: r["opened"]) ?? today
                    try body(QueueRow(caseId: r["id"], programme: Programme(rawValue: r["programme"]) ?? .ruralDibao, step: r["step"],
                                         stepSince: since, appliedOn: CivilDate(iso: r["applied_on"]) ?? since, villageCode: r["village_code"],
                                         villageName: r["village"] ?? "", headName: r["head_name"], covered: r["covered_members"], due: nil,
                                         followUp: FollowUpAction(rawValue: r["proposed"]) ?? FollowUpAction.none,
                                         changeKind: (r["change_kind"] as String?).flatMap(CaseChangeKind.init(rawValue:))))
                }
            }
        }
    }

    // MARK: export

    public static func caseExportRows(_ db: Database, each: (CaseExportRow) throws -> Void) throws {
        // The columns by position (a name is looked up in the row's columns on every read: a
        // tenth of `export cases`, issue 26).
        let rows = try Row.fetchCursor(db, sql: """
            SELECT c.id, c.programme, c.step, c.status, c.step_since, c.applied_on, r.name AS village, h.head_name,
                   c.covered_members, c.monthly_amount_fen, c.once_amount_fen, c.urban_class, c.investigators, c.approver,
                   c.certificate_no, c.override_reason
            FROM assistance_case c JOIN household h ON h.id = c.household_id
            LEFT JOIN region r ON r.code = c.village_code ORDER BY c.id
            """)
        while let r = try rows.next() {
            try each(CaseExportRow(caseId: r[0], programme: Programme(rawValue: r[1]) ?? .ruralDibao, step: r[2],
                                   status: CaseStatus(rawValue: r[3]) ?? .inProgress,
                                   stepSince: CivilDate(iso: r[4]) ?? .today, appliedOn: CivilDate(iso: r[5]) ?? .today,
                                   villageName: r[6] ?? "", headName: r[7], covered: r[8],
                                   monthly: (r[9] as Int64?).map(Money.init(fen:)),
                                   once: (r[10] as Int64?).map(Money.init(fen:)), urbanClass: r[11],
                                   investigators: r[12], approver: r[13], certificateNo: r[14], overrideReason: r[15]))
        }
    }
}
