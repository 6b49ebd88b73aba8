import Foundation
import GRDB
import JiuzhuModel

extension Store {
    /// Insert a case and its step history without audit (callers audit).
    @discardableResult
    public static func insertCase(_ db: Database, _ c: Case, steps: [CaseStepRecord], villageCode: String, now: String) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO assistance_case(household_id, person_id, programme, step, step_since, status, applied_on,
                monthly_amount_fen, covered_members, urban_class, village_code, version, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
            """).execute(arguments: [
                c.householdId, c.personId, c.programme.rawValue, c.step, c.stepSince.iso, c.status.rawValue, c.appliedOn.iso,
                c.monthlyAmount?.fen, c.coveredMembers, c.urbanClass?.rawValue, villageCode, now, now])
        let cid = db.lastInsertedRowID
        let stmt = try db.cachedStatement(sql: """
            INSERT INTO case_step(case_id, step, action, actor, acted_on, note, inputs, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for s in steps {
            try stmt.execute(arguments: [cid, s.step, s.action, s.actor, s.actedOn.iso, s.note, s.inputs, now])
        }
        return cid
    }

    public static func caseSteps(_ db: Database, caseId: Int64) throws -> [CaseStepRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM case_step WHERE case_id = ? ORDER BY id", arguments: [caseId]).map {
            CaseStepRecord(id: $0["id"], caseId: $0["case_id"], step: $0["step"], action: $0["action"], actor: $0["actor"],
                           actedOn: CivilDate(iso: $0["acted_on"]) ?? .today, note: $0["note"], inputs: $0["inputs"])
        }
    }
}
