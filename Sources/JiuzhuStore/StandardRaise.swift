import Foundation
import GRDB
import JiuzhuModel

/// 提标普调: when a new standard takes effect (a row of `data/standards.csv`), every case of the
/// programme in force is worked out again on its own recorded figures at the standard in force
/// today; the approver sees each old and new amount, and on confirmation each raised case gets
/// one adjustment (动态调整) paid from the standard's month, all in one transaction. A case whose
/// new amount would not be higher keeps what it has (a raise lowers nobody).
public struct RaiseLine: Equatable, Sendable {
    public var caseId: Int64
    public var village: String
    public var headName: String
    public var persons: Int
    public var old: Money
    public var new: Money
}

public struct RaisePlan: Equatable, Sendable {
    public var programme: Programme
    /// The month the new amounts are paid from.
    public var from: PayMonth
    /// The standards in force today, per area ("rural 600.00 from 2027-01-01").
    public var standards: [StandardInForce]
    /// The cases raised, by village and head.
    public var lines: [RaiseLine]
    /// Cases in force whose amount stays (already at or above the new figure).
    public var unchanged: Int
    public var oldTotal: Money { Money(fen: lines.reduce(0) { $0 + $1.old.fen }) }
    public var newTotal: Money { Money(fen: lines.reduce(0) { $0 + $1.new.fen }) }
}

extension Store {
    /// What a raise of `programme` would do, paid from `from` (default: the month the newest
    /// standard in force took effect). Nothing is written.
    public func raisePlan(programme: Programme, from: PayMonth? = nil, today: CivilDate, catalog: ProgrammeCatalog) throws -> RaisePlan {
        try read { db in try Store.raisePlan(db, programme: programme, from: from, today: today, catalog: catalog) }
    }

    static func raisePlan(_ db: Database, programme: Programme, from: PayMonth?, today: CivilDate, catalog: ProgrammeCatalog) throws -> RaisePlan {
        guard catalog.definition(programme).isMonthly else {
            throw StoreError.said("store.standardRaise.isNotPaidMonthly", ["label_zh": "\(programme.label.zh)", "label_en": "\(programme.label.en)"])
        }
        let areas: [String]
        switch programme {
        case .ruralDibao: areas = ["rural"]
        case .urbanDibao: areas = ["urban"]
        default: areas = ["concentrated", "dispersed"]
        }
        let standards = try areas.compactMap { try standard(db, programme, area: $0, on: today) }
        guard let newest = standards.map(\.effectiveFrom).max() else {
            throw StoreError.said("store.standardRaise.noStandardInForce", ["todayIso": "\(today.iso)", "label_zh": "\(programme.label.zh)", "label_en": "\(programme.label.en)"])
        }
        let start = PayMonth(newest)
        let month = from ?? start
        if month > PayMonth(today) {
            throw StoreError.said("store.standardRaise.hasNotComeYet", ["month": "\(month)"])
        }
        if month < start {
            throw StoreError.said("store.standardRaise.isBeforeTheStandard", ["month": "\(month)", "start": "\(start)"])
        }
        let settings = try Store.workflowSettings(db, catalog: catalog)
        var lines: [RaiseLine] = []
        var unchanged = 0
        let rows = try Row.fetchAll(db, sql: """
            SELECT c.*, h.head_name, coalesce(r.name, c.village_code) AS village FROM assistance_case c JOIN household h ON h.id = c.household_id
            LEFT JOIN region r ON r.code = c.village_code
            WHERE c.programme = ? AND c.status IN ('active', 'suspended') ORDER BY c.village_code, h.head_py, c.id
            """, arguments: [programme.rawValue])
        for row in rows {
            let c = Store.caseRecord(from: row)
            guard let id = c.id, let old = c.monthlyAmount, let h = try Store.household(db, id: c.householdId) else { continue }
            let members = try Store.members(db, householdId: c.householdId)
            let history = try Store.caseSteps(db, caseId: id)
            // On the first day the raise pays from, not today: a birthday or anything else that
            // changed since is for a re-check (复核) to decide, not a back-dated 提标.
            let f = try Store.facts(db, case: c, household: h, members: members, history: history, on: month.firstDay, catalog: catalog)
            let new = Eligibility.assess(f, settings.benefit).amount
            if new.fen > old.fen {
                lines.append(RaiseLine(caseId: id, village: row["village"], headName: row["head_name"], persons: c.coveredMembers, old: old, new: new))
            } else {
                unchanged += 1
            }
        }
        return RaisePlan(programme: programme, from: month, standards: standards, lines: lines, unchanged: unchanged)
    }

    /// Record the raise the approver was shown (`plan`): one adjustment per case, from the plan's
    /// month, with the amount before and after, each with its audit row, and one audit row for the
    /// whole, in one transaction. Refused if the list has changed since it was drawn (another
    /// decision came in between): draw it again. Returns how many cases were raised.
    @discardableResult
    public func applyRaise(_ plan: RaisePlan, today: CivilDate, catalog: ProgrammeCatalog, by actor: String, role: Role) throws -> Int {
        guard role == .approver else {
            throw StoreError.said("store.standardRaise.onlyAnApproverConfirms")
        }
        return try write { db in
            let user = try Store.authorize(db, actor, .applyRaise)
            let now = try Store.raisePlan(db, programme: plan.programme, from: plan.from, today: today, catalog: catalog)
            guard now.lines == plan.lines else {
                throw StoreError.said("store.standardRaise.theListHasChanged")
            }
            let settings = try Store.workflowSettings(db, catalog: catalog)
            let standard = plan.standards.map { "\($0.amount.yuanString)" }.joined(separator: "/")
            let reason = "提标普调:\(plan.programme.label.zh)标准调为 \(standard) 元,自 \(plan.from) 起执行"
            for l in plan.lines {
                let request = CaseRequest(action: .adjust, actor: actor, role: user.role, date: today,
                                          inputs: ["effectiveMonth": plan.from.description, "standardRaise": "yes"], reason: reason)
                _ = try Store.act(db, caseId: l.caseId, version: nil, request: request, settings: settings)
            }
            try Audit.append(db, user: actor, action: "standard.raise", entity: "programme", entityId: plan.programme.rawValue,
                             detail: Audit.detail(["from": plan.from.description, "cases": String(plan.lines.count),
                                                   "old_fen": String(plan.oldTotal.fen), "new_fen": String(plan.newTotal.fen)]))
            return plan.lines.count
        }
    }
}
