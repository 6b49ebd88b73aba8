import Foundation
import GRDB
import JiuzhuModel

// The store's side of the programme rules of issue 22 (see JiuzhuModel/ProgrammeRules.swift):
// the facts the rules need, read from the survey and the step records; the 临时救助 caps enforced
// where a payment is written; the longer time limit recorded with its reason; cases stalled at a
// step for the due work.

/// One 临时救助 grant of a household: the case, what it came to (the decision, or what was paid
/// first when no decision followed) and the day the money first went out.
public struct TemporaryGrant: Equatable, Sendable {
    public var caseId: Int64
    public var amount: Money
    public var on: CivilDate
}

extension Store {
    /// Income kinds that show a member works (wages, a business, farming, new wages not yet counted).
    static let workKinds: Set<String> = ["wages", "business", "farming", "new_job_wages"]
    /// Work income the 就业成本 is taken off.
    static let deductibleKinds: Set<String> = ["wages", "business"]

    /// Called at the end of `facts`: what the rules of issue 22 look at for this case.
    static func programmeRuleFacts(_ db: Database, _ f: inout EligibilityFacts, case c: Case, household h: Household, members: [Person],
                                   history: [CaseStepRecord], on date: CivilDate, catalog: ProgrammeCatalog) throws {
        switch c.programme {
        case .ruralDibao, .urbanDibao:
            f.income = try incomeFacts(db, caseId: c.id, members: members, recordedPCI: f.perCapitaMonthly, on: date)
            if c.status == .active || c.status == .suspended, let paid = c.monthlyAmount {
                // The 渐退期 runs from the first adjustment that found the income above the standard,
                // as long as every later adjustment kept it.
                var since: CivilDate?
                for rec in history where rec.action == CaseAction.adjust.rawValue {
                    since = (object(rec.inputs)["taperSince"] as? String).flatMap(CivilDate.init(iso:))
                }
                f.inForce = InForceFacts(amount: paid, taperSince: since)
            }
        case .temporary:
            let def = catalog.definition(c.programme)
            let apply = history.first { $0.step == def.steps.first?.code && $0.action == CaseAction.done.rawValue }
            let kind = TemporaryKind.recorded(apply.map { object($0.inputs) } ?? [:])
            let level = try String.fetchOne(db, sql: "SELECT level FROM region WHERE code = ?", arguments: [h.villageCode])
            let urban = level == RegionLevel.community.rawValue
            let std = try standard(db, urban ? .urbanDibao : .ruralDibao, area: urban ? "urban" : "rural", on: date)
            var t = TemporaryFacts(kind: kind, dibaoStandard: std?.amount, persons: max(1, f.covered.count))
            if let u = history.last(where: { $0.action == CaseAction.urgentPay.rawValue }) {
                t.paidFirst = fen(object(u.inputs)["amountFen"]).map(Money.init(fen:))
                t.paidFirstOn = u.actedOn
            }
            f.temporary = t
            f.paidThisYear = try temporaryGranted(db, householdId: h.id ?? 0, year: date.year, except: c.id)
        default:
            break
        }
    }

    /// The members the 低保 income rules look at, from the survey's form (who works, who cares for
    /// whom, each one's income) and the household's persons. A case with no survey form (recorded
    /// before the form, the demo) has only its per-capita figure: income on record counts as the
    /// household's own work.
    static func incomeFacts(_ db: Database, caseId: Int64?, members: [Person], recordedPCI: Money?, on date: CivilDate) throws -> DibaoIncomeFacts {
        let counted = members.filter { $0.coResident && !$0.absent && $0.diedOn == nil && $0.leftOn == nil }
        var formMembers: [[String: String]] = []
        var rows: [[String: String]] = []
        var haveForm = false
        if let id = caseId, let json = try String.fetchOne(db, sql: "SELECT data FROM survey WHERE case_id = ?", arguments: [id]),
           let v = try? FormValues.decode(json) {
            haveForm = true
            formMembers = v.items("members")
            rows = v.items("income")
        }
        let countedKinds = Set(try String.fetchAll(db, sql: "SELECT code FROM ref_code WHERE kind = 'income_kind' AND extra = 'counted'"))
        func yearly(_ r: [String: String]) -> Money { r["amount"].flatMap { Money(yuanText: $0) } ?? .zero }
        // The form's member number (1-based) of each ID number; 0 is the whole household.
        var numberOf: [String: String] = [:]
        var carer: Set<String> = []
        for (i, m) in formMembers.enumerated() {
            if let id = m["id_number"] { numberOf[id] = String(i + 1); if m["carer"] == "yes" { carer.insert(id) } }
        }
        let householdRows = rows.filter { ($0["member"] ?? "0") == "0" }
        let householdWorks = householdRows.contains { workKinds.contains($0["kind"] ?? "") }
        let householdWork = householdRows.filter { deductibleKinds.contains($0["kind"] ?? "") }.reduce(Money.zero) { $0 + yearly($1) }
        let out = counted.map { p -> IncomeMember in
            let mine = numberOf[p.idNumber].map { n in rows.filter { $0["member"] == n } } ?? []
            let works = haveForm ? (householdWorks || mine.contains { workKinds.contains($0["kind"] ?? "") }) : (recordedPCI ?? .zero).fen > 0
            let work = mine.filter { deductibleKinds.contains($0["kind"] ?? "") }.reduce(Money.zero) { $0 + yearly($1) }
            let own = mine.filter { countedKinds.contains($0["kind"] ?? "") }.reduce(Money.zero) { $0 + yearly($1) }
            return IncomeMember(personId: p.id, name: p.name, age: p.birthDate.age(on: date), sex: p.sex, workAbility: p.workAbility,
                                health: p.health, disabilityLevel: p.disabilityLevel, student: p.student, carer: carer.contains(p.idNumber),
                                working: works, workIncomeMonthly: work.divided(by: 12), ownIncomeMonthly: own.divided(by: 12))
        }
        return DibaoIncomeFacts(members: out, householdWorkIncomeMonthly: householdWork.divided(by: 12))
    }

    // MARK: 临时救助's caps

    /// Every 临时救助 grant of a household: per case, the decided amount, or what was paid first
    /// when the case was not (or not yet) decided; dated the day the money first went out.
    static func temporaryGrants(_ db: Database, householdId: Int64) throws -> [TemporaryGrant] {
        var first: [Int64: (Money, CivilDate)] = [:], decided: [Int64: (Money, CivilDate)] = [:]
        for r in try Row.fetchAll(db, sql: """
            SELECT s.case_id, s.action, s.acted_on, json_extract(s.inputs, '$.amountFen') AS fen, json_extract(s.inputs, '$.decision') AS decision
            FROM case_step s JOIN assistance_case c ON c.id = s.case_id
            WHERE c.household_id = ? AND c.programme = 'temporary' AND s.action IN ('urgent_pay', 'approve') ORDER BY s.id
            """, arguments: [householdId]) {
            guard let f = r["fen"] as Int64?, let on = CivilDate(iso: r["acted_on"]) else { continue }
            let id: Int64 = r["case_id"]
            if (r["action"] as String) == CaseAction.urgentPay.rawValue { first[id] = (Money(fen: f), on) }
            else if (r["decision"] as String?) == "approve" { decided[id] = (Money(fen: f), on) }
        }
        return Set(first.keys).union(decided.keys).sorted().map { id in
            TemporaryGrant(caseId: id, amount: (decided[id] ?? first[id]!).0, on: first[id]?.1 ?? decided[id]!.1)
        }
    }

    /// What a household was granted in `year`, leaving out one case.
    static func temporaryGranted(_ db: Database, householdId: Int64, year: Int, except caseId: Int64?) throws -> Money {
        try temporaryGrants(db, householdId: householdId).filter { $0.on.year == year && $0.caseId != caseId }
            .reduce(Money.zero) { $0 + $1.amount }
    }

    public func temporaryGrants(householdId: Int64) throws -> [TemporaryGrant] {
        try read { db in try Store.temporaryGrants(db, householdId: householdId) }
    }

    /// The 临时救助 rules at the moment money is written (先行救助, the decision): 先行救助 only up
    /// to its limit; no payment beyond what is left of the household's yearly cap in the year the
    /// money goes out (what was paid first on this case counts there too); a decision not below
    /// what was paid first; above the per-grant cap only with the approver's written reason
    /// (一事一议), which the record keeps.
    static func checkTemporary(_ db: Database, case c: Case, history: [CaseStepRecord], request r: inout CaseRequest,
                               isDecision: Bool, settings: WorkflowSettings) throws {
        guard c.programme == .temporary else { return }
        let rules = settings.benefit.rules
        let cap = settings.benefit.temporaryYearlyCap
        let urgent = history.last { $0.action == CaseAction.urgentPay.rawValue }
        if r.action == .urgentPay {
            guard let amount = r.amount else { return }
            if amount.fen > rules.temporaryUrgentMax.fen {
                throw StoreError.said("store.rules.urgentAboveMax", ["amount": amount.yuanString, "max": rules.temporaryUrgentMax.yuanString])
            }
            let others = try temporaryGranted(db, householdId: c.householdId, year: r.date.year, except: c.id)
            let room = TemporaryCap.room(cap: cap, granted: others)
            if amount.fen > room.fen {
                throw StoreError.said("store.rules.yearlyCap", ["amount": amount.yuanString, "granted": others.yuanString,
                                                                 "cap": cap.yuanString, "room": room.yuanString])
            }
        } else if isDecision && r.action == .approve {
            let amount = r.amount ?? r.computed ?? .zero
            let year = urgent?.actedOn.year ?? r.date.year
            let others = try temporaryGranted(db, householdId: c.householdId, year: year, except: c.id)
            let room = TemporaryCap.room(cap: cap, granted: others)
            if amount.fen > room.fen {
                throw StoreError.said("store.rules.yearlyCap", ["amount": amount.yuanString, "granted": others.yuanString,
                                                                 "cap": cap.yuanString, "room": room.yuanString])
            }
            if let u = urgent, let paid = fen(object(u.inputs)["amountFen"]), amount.fen < paid {
                throw StoreError.said("store.rules.belowPaidFirst", ["amount": amount.yuanString, "paid": Money(fen: paid).yuanString])
            }
            if amount.fen > rules.temporaryOnceCap.fen {
                if r.overrideReason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    throw StoreError.said("store.rules.onceCapReason", ["amount": amount.yuanString, "cap": rules.temporaryOnceCap.yuanString])
                }
                r.inputs["caseByCase"] = "yes"
            }
        }
    }

    /// After the rules worked a decision or an adjustment out: 单人保 covers only the persons it
    /// names; an adjustment in a 渐退期 keeps the day it began.
    static func applyAssessment(_ a: Assessment, request r: inout CaseRequest, coverage: inout [Int64]?, isDecision: Bool) {
        if isDecision && r.action == .approve, let ids = a.singlePersonIds, !ids.isEmpty { coverage = ids }
        if r.action == .adjust, let since = a.taperSince { r.inputs["taperSince"] = since.iso }
    }

    // MARK: time limits

    /// 特殊情况: the longer limit from 受理 (setting `flow_limit_special_days`), with the reason, by
    /// the reviewer or the approver, on a case not yet decided. A step record and an audit row.
    /// Only while the whole flow's limit runs: not for 受灾 (no such limit), not once the decision
    /// step is done (`FlowLimit.of` is nil then).
    public func extendFlowLimit(caseId: Int64, version: Int, reason: String, by actor: String, on date: CivilDate, catalog: ProgrammeCatalog) throws {
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        try write { db in
            let user = try Store.actingUser(db, actor, for: nil)
            guard Store.flowLimitExtendRoles.contains(user.role) else {
                throw StoreError.notPermitted(user: actor, role: user.role, permission: nil)
            }
            if why.isEmpty { throw StoreError.said("store.rules.extendNeedsReason") }
            guard let row = try Store.caseExtras(db, caseId) else { throw StoreError.notFound(entity: "case", id: String(caseId)) }
            let c = Store.caseRecord(from: row)
            guard c.status == .inProgress else { throw StoreError.said("store.rules.extendNotInProgress") }
            let history = try Store.caseSteps(db, caseId: caseId)
            if history.contains(where: { $0.action == FlowLimit.extendAction }) { throw StoreError.said("store.rules.extendOnce") }
            let settings = try Store.workflowSettings(db, catalog: catalog)
            guard Store.flowLimit(c, history: history, today: date, settings: settings) != nil else {
                throw StoreError.said("store.rules.extendNoLimit")
            }
            let now = Timestamp.now()
            try db.execute(sql: "INSERT INTO case_step(case_id, step, action, actor, acted_on, note, inputs, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [caseId, c.step, FlowLimit.extendAction, actor, date.iso, why, Workflow.json(["reason": why]), now])
            try db.execute(sql: "UPDATE assistance_case SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                           arguments: [now, caseId, version])
            if db.changesCount == 0 { throw StoreError.staleEdit(entity: "case", id: caseId) }
            try Audit.append(db, user: actor, action: "case.extend_limit", entity: "case", entityId: String(caseId),
                             detail: Audit.detail(["reason": why, "step": c.step]))
        }
    }

    /// Who may extend the whole flow's limit (特殊情况): the reviewer or the approver. The case
    /// view's key bar and the command line ask the same set.
    public static var flowLimitExtendRoles: Set<Role> { [.reviewer, .approver] }

    /// The whole flow's limit of a case in progress (nil for a programme with no such limit: 受灾).
    static func flowLimit(_ c: Case, history: [CaseStepRecord], today: CivilDate, settings: WorkflowSettings) -> FlowLimit? {
        guard c.programme != .disaster else { return nil }
        return FlowLimit.of(CaseProgress(c, history: history), workflow: settings.workflow(c.programme), today: today, rules: settings.benefit.rules, calendar: settings.calendar)
    }

    /// Cases in progress waiting at one step longer than `step_stall_days`, or past the whole
    /// flow's limit: for the due work. A publicity step whose posting runs is not stalled.
    static func stalledCases(_ db: Database, today: CivilDate, settings: WorkflowSettings) throws -> [DueItem] {
        let rules = settings.benefit.rules
        var out: [DueItem] = []
        let stallBefore = today.adding(days: -rules.stallDays)
        // The oldest application that could be late: the flow limit is at least its working days.
        let lateBefore = today.adding(days: -rules.flowLimitWorkingDays)
        for r in try Row.fetchAll(db, sql: """
            SELECT c.id, c.programme, c.step, c.step_since, c.applied_on, h.head_name, r.name AS village
            FROM assistance_case c JOIN household h ON h.id = c.household_id LEFT JOIN region r ON r.code = c.village_code
            WHERE c.status = 'in_progress' AND (c.step_since < ? OR c.applied_on < ?)
            ORDER BY c.id
            """, arguments: [stallBefore.iso, lateBefore.iso]) {
            let id: Int64 = r["id"]
            guard let p = Programme(rawValue: r["programme"]), let since = CivilDate(iso: r["step_since"]),
                  let applied = CivilDate(iso: r["applied_on"]) else { continue }
            let step: String = r["step"]
            let label = settings.catalog.definition(p).step(step)
            let stepName = Text2(zh: label?.zh ?? step, en: label?.en ?? step)
            if since < stallBefore {
                var posted = false
                if label?.isPublicity == true {
                    posted = (try Int.fetchOne(db, sql: """
                        SELECT count(*) FROM publicity_line l JOIN publicity_batch b ON b.id = l.batch_id
                        WHERE l.case_id = ? AND b.state = 'posted'
                        """, arguments: [id]) ?? 0) > 0
                }
                if !posted {
                    let days = since.days(until: today)
                    out.append(DueItem(kind: .stalled, caseId: id, village: r["village"] ?? "", name: r["head_name"],
                                       due: since.adding(days: rules.stallDays), overdue: true,
                                       detail: sayBoth("store.rules.stalledDetail", ["step_zh": stepName.zh, "step_en": stepName.en,
                                                                                     "days": String(days)]).zh,
                                       detailText: sayBoth("store.rules.stalledDetail", ["step_zh": stepName.zh, "step_en": stepName.en,
                                                                                         "days": String(days)])))
                }
            }
            if p != .disaster, applied < lateBefore {
                let history = try Store.caseSteps(db, caseId: id)
                let c = Case(householdId: 0, personId: nil, programme: p, step: step, stepSince: since, appliedOn: applied, coveredMembers: 0)
                if let limit = FlowLimit.of(CaseProgress(c, history: history), workflow: settings.workflow(p), today: today, rules: rules, calendar: settings.calendar),
                   limit.isNear {
                    let t = sayBoth(limit.overdue ? "store.rules.flowLate" : "store.rules.flowSoon",
                                    ["days": String(limit.workingDays), "left": String(abs(limit.left)), "date": limit.date.iso])
                    out.append(DueItem(kind: .flowLimit, caseId: id, village: r["village"] ?? "", name: r["head_name"], due: limit.date,
                                       overdue: limit.overdue, detail: t.zh, detailText: t))
                }
            }
        }
        return out
    }
}
