import Foundation
import GRDB
import JiuzhuModel

extension Programme {
    /// 农村低保 or 城镇低保: the household programmes a 特困 person must not be counted in too.
    public var isDibao: Bool { self == .ruralDibao || self == .urbanDibao }
}

// Never paid twice (民发〔2021〕43号 第十七条, 《最低生活保障审核确认办法》): a person supported as 特困
// is not counted in a 低保 household for the same month. The store holds it both ways: a 特困
// decision takes the person out of every 低保 case in force that covers them, by an adjustment
// (or a stop when nobody is left) recorded in the same transaction, paid from the same month as
// the 特困 benefit; and no 低保 decision or adjustment may cover a person supported as 特困.

extension Store {
    /// Members of a household with a 特困 case in force (or suspended).
    static func tekunPersonsInForce(_ db: Database, householdId: Int64) throws -> Set<Int64> {
        Set(try Int64.fetchAll(db, sql: """
            SELECT c.person_id FROM assistance_case c JOIN person p ON p.id = c.person_id
            WHERE p.household_id = ? AND c.programme = 'tekun' AND c.status IN ('active', 'suspended')
            """, arguments: [householdId]))
    }

    /// Refuses a 低保 coverage that names a person supported as 特困.
    static func refuseDoublePay(_ db: Database, programme: Programme, persons: [Int64]) throws {
        guard programme.isDibao, !persons.isEmpty else { return }
        let marks = persons.map { _ in "?" }.joined(separator: ", ")
        if let name = try String.fetchOne(db, sql: """
            SELECT p.name FROM assistance_case c JOIN person p ON p.id = c.person_id
            WHERE c.person_id IN (\(marks)) AND c.programme = 'tekun' AND c.status IN ('active', 'suspended') LIMIT 1
            """, arguments: StatementArguments(persons)) {
            throw StoreError.said("store.tekun.alreadyTekun", ["name": name])
        }
    }

    /// After a 特困 decision for `personId`: each 低保 case in force covering the person is adjusted
    /// to the others (the household's income shared by those left, as a household change
    /// proposes), or stopped (取消) when the person was the only one covered. Returns the cases.
    @discardableResult
    static func leaveDibaoCount(_ db: Database, personId pid: Int64, tekunCase: Int64, on date: CivilDate, actor: String, role: Role,
                                settings: WorkflowSettings) throws -> [Int64] {
        var changed: [Int64] = []
        let name = try String.fetchOne(db, sql: "SELECT name FROM person WHERE id = ?", arguments: [pid]) ?? ""
        // A 低保 decision still on its way (公示, 领取证) cannot be adjusted yet: say so, change nothing.
        for row in try Row.fetchAll(db, sql: """
            SELECT c.* FROM assistance_case c JOIN person p ON p.household_id = c.household_id
            WHERE p.id = ? AND c.programme IN ('rural_dibao', 'urban_dibao') AND c.status = 'in_progress' AND c.monthly_amount_fen IS NOT NULL
            """, arguments: [pid]) {
            let dc = caseRecord(from: row)
            guard let cid = dc.id else { continue }
            let covered = try coverage(db, caseId: cid, on: date) ?? defaultCoverage(dc, members: try Store.members(db, householdId: dc.householdId))
            if covered.contains(pid) {
                let step = settings.catalog.definition(dc.programme).step(dc.step)
                throw StoreError.said("store.tekun.dibaoNotInForce", ["name": name, "case": String(cid),
                                                                      "step_zh": step?.zh ?? dc.step, "step_en": step?.en ?? dc.step])
            }
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT c.* FROM assistance_case c JOIN person p ON p.household_id = c.household_id
            WHERE p.id = ? AND c.programme IN ('rural_dibao', 'urban_dibao') AND c.status IN ('active', 'suspended')
            """, arguments: [pid]) {
            let dc = caseRecord(from: row)
            guard let cid = dc.id, let h = try household(db, id: dc.householdId) else { continue }
            let members = try Store.members(db, householdId: dc.householdId)
            let covered = try coverage(db, caseId: cid, on: date) ?? defaultCoverage(dc, members: members)
            guard covered.contains(pid) else { continue }
            let rest = covered.filter { $0 != pid }
            let history = try caseSteps(db, caseId: cid)
            var request = CaseRequest(action: .terminate, actor: actor, role: role, date: date,
                                      inputs: ["kind": TerminationKind.cancel.rawValue, "tekunCase": String(tekunCase)],
                                      reason: say("store.tekun.leftDibaoAll", .zh, ["name": name, "case": String(tekunCase)]))
            if !rest.isEmpty {
                let f = try facts(db, case: dc, household: h, members: members, history: history, on: date, catalog: settings.catalog)
                let income = ((f.perCapitaMonthly ?? .zero) * covered.count).divided(by: rest.count)
                var g = try facts(db, case: dc, household: h, members: members, history: history, on: date,
                                  inputs: ["perCapitaIncome": income.yuanString], coveredIds: rest, catalog: settings.catalog)
                g.membersCounted = rest.count
                if Eligibility.assess(g, settings.benefit).amount.fen > 0 {
                    request = CaseRequest(action: .adjust, actor: actor, role: role, date: date,
                                          inputs: ["persons": rest.map(String.init).joined(separator: ","), "perCapitaIncome": income.yuanString,
                                                   "tekunCase": String(tekunCase)],
                                          reason: say("store.tekun.leftDibao", .zh, ["name": name, "case": String(tekunCase)]))
                }
            }
            _ = try act(db, caseId: cid, version: nil, request: request, settings: settings)
            changed.append(cid)
        }
        return changed
    }

    /// The 特困 facts kept on the case row from its records: support mode, care level, institution.
    static func refreshTekunColumns(_ db: Database, caseId: Int64) throws {
        let history = try caseSteps(db, caseId: caseId)
        let mode = (latest("supportMode", history, [:]) as? String).flatMap(SupportMode.init(text:))
        let care = (latest("careLevel", history, [:]) as? String).flatMap(CareLevel.init(text:))
        var institution = latest("institution", history, [:]) as? String
        if mode != .concentrated { institution = nil }
        try keepPersonColumns(db, caseId: caseId, ["support_mode": mode?.rawValue, "care_level": care?.rawValue, "institution": institution])
    }

    /// Every 特困 and 医疗 case's row columns from its records (after a demo load).
    static func backfillPersonColumns(_ db: Database) throws {
        for id in try Int64.fetchAll(db, sql: "SELECT id FROM assistance_case WHERE programme = 'tekun'") {
            try refreshTekunColumns(db, caseId: id)
        }
        try db.execute(sql: """
            UPDATE assistance_case SET medical_category = (SELECT json_extract(s.inputs, '$.category') FROM case_step s
                WHERE s.case_id = assistance_case.id AND json_extract(s.inputs, '$.category') IS NOT NULL ORDER BY s.id DESC LIMIT 1)
            WHERE programme = 'medical'
            """)
    }
}
