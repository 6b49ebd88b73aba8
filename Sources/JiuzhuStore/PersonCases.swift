import Foundation
import GRDB
import JiuzhuModel

/// What the application of a programme for one person (特困, 医疗救助) adds to its case: the
/// person, the 申请 step's inputs (bills and category; care level, support mode, institution and
/// legal supporters), and the columns kept on the case row.
struct PersonIntake {
    var personId: Int64
    var applyInputs: [String: Any]
    var columns: [String: String?]
}

extension Store {
    /// The person and the programme's own sections of an application, checked: the person must be
    /// one member (not the household), every bill must hold together, a 集中供养 names a known
    /// institution, every supporter a name and an ability. Nil for a household programme.
    static func personIntake(_ db: Database, _ s: Submission, householdId: Int64, members: [Person]) throws -> PersonIntake? {
        guard s.programme == .tekun || s.programme == .medical else { return nil }
        let f = s.values.fields
        let key = s.programme == .tekun ? "tekun_person" : "medical_person"
        guard let n = f[key].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), n >= 1, n <= members.count else {
            throw StoreError.said("store.person.chooseOne", ["programme_zh": s.programme.label.zh, "programme_en": s.programme.label.en])
        }
        let m = members[n - 1]
        guard let pid = try Int64.fetchOne(db, sql: "SELECT id FROM person WHERE household_id = ? AND id_number = ?",
                                           arguments: [householdId, m.idNumber]) else {
            throw StoreError.said("store.person.chooseOne", ["programme_zh": s.programme.label.zh, "programme_en": s.programme.label.en])
        }
        var inputs: [String: Any] = ["person": m.name]
        var columns: [String: String?] = [:]
        switch s.programme {
        case .medical:
            guard let cat = f["medical_category"].flatMap(MedicalCategory.init(rawValue:)) else { throw StoreError.said("store.person.noCategory") }
            var bills: [MedicalBill] = []
            for (i, item) in s.values.items("bills").enumerated() {
                func money(_ k: String) -> Money? { Money(yuanText: item[k] ?? "") }
                let hospital = (item["hospital"] ?? "").trimmingCharacters(in: .whitespaces)
                guard !hospital.isEmpty, let total = money("total"), let own = money("self_paid") else {
                    throw StoreError.said("store.person.billIncomplete", ["n": String(i + 1)])
                }
                let bill = MedicalBill(hospital: hospital, from: (item["from"]).flatMap(CivilDate.init(iso:)),
                                       until: (item["until"]).flatMap(CivilDate.init(iso:)), total: total,
                                       basicInsurance: money("basic") ?? .zero, seriousIllnessInsurance: money("serious") ?? .zero,
                                       policySelfPaid: own)
                if let p = bill.problem {
                    throw StoreError.said("store.person.billWrong", ["n": String(i + 1), "problem_zh": p.zh, "problem_en": p.en])
                }
                bills.append(bill)
            }
            if bills.isEmpty { throw StoreError.said("store.person.noBills") }
            inputs["category"] = cat.rawValue
            inputs["billLines"] = bills.map(\.json)
            // The step's older inputs, summed: the first hospital, how many bills, the totals.
            inputs["hospital"] = bills[0].hospital
            inputs["bills"] = bills.count
            inputs["totalFen"] = bills.reduce(Int64(0)) { $0 + $1.total.fen }
            inputs["insurancePaidFen"] = bills.reduce(Int64(0)) { $0 + $1.basicInsurance.fen + $1.seriousIllnessInsurance.fen }
            columns["medical_category"] = cat.rawValue
        case .tekun:
            guard let care = f["care_level"].flatMap(CareLevel.init(rawValue:)) else { throw StoreError.said("store.person.noCareLevel") }
            guard let mode = f["support_mode"].flatMap(SupportMode.init(rawValue:)) else { throw StoreError.said("store.person.noSupportMode") }
            var institution: String?
            if mode == .concentrated {
                let code = (f["institution"] ?? "").trimmingCharacters(in: .whitespaces)
                guard try ReferenceData.code(db, kind: .institution, code: code) != nil else {
                    throw StoreError.said("store.person.noInstitution", ["code": code])
                }
                institution = code
            }
            var supporters: [LegalSupporter] = []
            for (i, item) in s.values.items("supporters").enumerated() {
                let name = (item["sup_name"] ?? "").trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, let a = item["sup_ability"].flatMap(SupporterAbility.init(rawValue:)),
                      let income = Money(yuanText: item["sup_income"] ?? "0"), income.fen >= 0 else {
                    throw StoreError.said("store.person.supporterIncomplete", ["n": String(i + 1)])
                }
                supporters.append(LegalSupporter(name: name, relation: item["sup_relation"] ?? "", yearlyIncome: income, ability: a))
            }
            inputs["careLevel"] = care.rawValue
            inputs["supportMode"] = mode.recorded
            if let i = institution { inputs["institution"] = i }
            inputs["supporters"] = supporters.map(\.json)
            columns["care_level"] = care.rawValue
            columns["support_mode"] = mode.rawValue
            columns["institution"] = institution
        default:
            return nil
        }
        return PersonIntake(personId: pid, applyInputs: inputs, columns: columns)
    }

    /// The programme's facts kept on the case row (category, support mode, care level, institution).
    static func keepPersonColumns(_ db: Database, caseId: Int64, _ columns: [String: String?]) throws {
        let known = ["medical_category", "support_mode", "care_level", "institution"]
        let cols = columns.keys.filter { known.contains($0) }.sorted()
        guard !cols.isEmpty else { return }
        try db.execute(sql: "UPDATE assistance_case SET \(cols.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?",
                       arguments: StatementArguments(cols.map { columns[$0]! } + [caseId]))
    }

    // MARK: the facts

    /// The latest value of `key` in the case's records (`inputs` typed now first).
    static func latest(_ key: String, _ history: [CaseStepRecord], _ inputs: [String: String]) -> Any? {
        if let v = inputs[key], !v.isEmpty { return v }
        for rec in history.reversed() { if let v = object(rec.inputs)[key] { return v } }
        return nil
    }

    /// 特困: the person (age, work ability, disability), their own counted income from the survey,
    /// the 低保 line of their area, the legal supporters, care level, mode and institution.
    static func tekunFacts(_ db: Database, case c: Case, person p: Person?, history: [CaseStepRecord], on date: CivilDate,
                           inputs: [String: String]) throws -> TekunFacts {
        var t = TekunFacts()
        if let p {
            t.name = p.name
            t.age = p.birthDate.age(on: date)
            t.workAbility = p.workAbility
            if p.health == .disabled { t.disabilityType = p.disabilityType; t.disabilityLevel = p.disabilityLevel }
            t.ownMonthlyIncome = try ownMonthlyIncome(db, caseId: c.id ?? 0, person: p)
        }
        let community = try String.fetchOne(db, sql: """
            SELECT r.level FROM assistance_case c JOIN region r ON r.code = c.village_code WHERE c.id = ?
            """, arguments: [c.id ?? 0]) == RegionLevel.community.rawValue
        t.incomeLine = try standard(db, community ? .urbanDibao : .ruralDibao, area: community ? "urban" : "rural", on: date)
        t.supporterIncomeLine = try standard(db, .tekun, area: "supporter_line", on: date)?.amount
        if let list = latest("supporters", history, [:]) as? [[String: Any]] { t.supporters = list.compactMap(LegalSupporter.init(json:)) }
        t.careLevel = (latest("careLevel", history, inputs) as? String).flatMap(CareLevel.init(text:))
        t.mode = (latest("supportMode", history, inputs) as? String).flatMap(SupportMode.init(text:))
        if let code = latest("institution", history, inputs) as? String, !code.isEmpty {
            t.institutionCode = code
            t.institution = try ReferenceData.code(db, kind: .institution, code: code)?.zh ?? code
        }
        if let care = t.careLevel { t.careStandard = try standard(db, .tekun, area: care.standardArea, on: date) }
        return t
    }

    /// The person's own counted income per month, from the survey's income rows naming them.
    static func ownMonthlyIncome(_ db: Database, caseId: Int64, person p: Person) throws -> Money? {
        guard let json = try String.fetchOne(db, sql: "SELECT data FROM survey WHERE case_id = ?", arguments: [caseId]),
              let v = try? FormValues.decode(json) else { return nil }
        guard let index = v.items("members").firstIndex(where: { IDNumber($0["id_number"] ?? "", today: .today)?.value == p.idNumber }) else { return nil }
        let counted = Set(try String.fetchAll(db, sql: "SELECT code FROM ref_code WHERE kind = 'income_kind' AND extra = 'counted'"))
        var yearly: Int64 = 0
        for row in v.items("income") where row["member"] == String(index + 1) && counted.contains(row["kind"] ?? "") {
            yearly += Money(yuanText: row["amount"] ?? "")?.fen ?? 0
        }
        return Money(fen: yearly).divided(by: 12)
    }

    /// 医疗救助: the category and bills recorded at 申请, the county's rule in force, what the
    /// categories on record are, and the person's earlier grants of the year (cases decided before
    /// this one, so a decision's sums read the same later).
    static func medicalFacts(_ db: Database, case c: Case, history: [CaseStepRecord], on date: CivilDate,
                             inputs: [String: String], catalog: ProgrammeCatalog) throws -> MedicalFacts {
        let apply = history.first { $0.step == catalog.definition(.medical).applyStep }
        let o = apply.map { object($0.inputs) } ?? [:]
        var bills = (o["billLines"] as? [[String: Any]] ?? []).compactMap(MedicalBill.init(json:))
        if bills.isEmpty, let total = fen(o["totalFen"]) {
            // An application recorded before the bills section: its totals as one bill, the
            // insurance's share taken as the part outside the self-paid one.
            let paid = fen(o["insurancePaidFen"]) ?? 0
            bills = [MedicalBill(hospital: o["hospital"] as? String ?? "", total: Money(fen: total), basicInsurance: Money(fen: paid),
                                 policySelfPaid: Money(fen: max(0, total - paid)))]
        }
        let category = (latest("category", history, inputs) as? String).flatMap(MedicalCategory.init(text:))
        let rules = try ReferenceData.medicalRules(db)
        var m = MedicalFacts(category: category, bills: bills, rule: category.flatMap { MedicalRule.inForce(rules, $0, on: date) })
        guard let pid = c.personId else { return m }
        m.onRecord = try categoriesOnRecord(db, person: pid, on: date)
        // This case's own decision, if decided: only grants decided before it count.
        let decidedAt = try Int64.fetchOne(db, sql: """
            SELECT min(id) FROM case_step WHERE case_id = ? AND action = 'approve' AND json_extract(inputs, '$.decision') = 'approve'
            """, arguments: [c.id ?? 0]) ?? Int64.max
        let year = String(format: "%04d", date.year)
        let earlier = try Row.fetchAll(db, sql: """
            SELECT c.id, c.once_amount_fen FROM assistance_case c
            WHERE c.person_id = ? AND c.programme = 'medical' AND c.id <> ? AND c.once_amount_fen IS NOT NULL
              AND c.status NOT IN ('rejected', 'withdrawn')
              AND EXISTS (SELECT 1 FROM case_step s WHERE s.case_id = c.id AND s.action = 'approve'
                          AND json_extract(s.inputs, '$.decision') = 'approve' AND substr(s.acted_on, 1, 4) = ? AND s.id < ?)
            """, arguments: [pid, c.id ?? 0, year, decidedAt])
        for r in earlier {
            m.grantedThisYear += Money(fen: r["once_amount_fen"])
            let their = try Row.fetchAll(db, sql: "SELECT inputs FROM case_step WHERE case_id = ? AND step = ? ORDER BY id LIMIT 1",
                                         arguments: [r["id"] as Int64, catalog.definition(.medical).applyStep])
            for s in their {
                let io = object(s["inputs"])
                let b = (io["billLines"] as? [[String: Any]] ?? []).compactMap(MedicalBill.init(json:))
                if b.isEmpty, let total = fen(io["totalFen"]) { m.selfPaidThisYear += Money(fen: max(0, total - (fen(io["insurancePaidFen"]) ?? 0))) }
                for bill in b { m.selfPaidThisYear += bill.policySelfPaid }
            }
        }
        return m
    }

    /// 特困 when a 特困 case of the person was in force on `date` (decided on or before it, not
    /// stopped by then); 低保 when such a 低保 case covered them on the date.
    static func categoriesOnRecord(_ db: Database, person pid: Int64, on date: CivilDate) throws -> Set<MedicalCategory> {
        var out: Set<MedicalCategory> = []
        let inForce = """
            AND EXISTS (SELECT 1 FROM case_step s WHERE s.case_id = c.id AND s.action = 'approve'
                        AND json_extract(s.inputs, '$.decision') = 'approve' AND s.acted_on <= ?)
            AND NOT EXISTS (SELECT 1 FROM case_step s WHERE s.case_id = c.id AND s.action = 'terminate' AND s.acted_on <= ?)
            """
        if try Int.fetchOne(db, sql: "SELECT count(*) FROM assistance_case c WHERE c.person_id = ? AND c.programme = 'tekun' " + inForce,
                            arguments: [pid, date.iso, date.iso]) ?? 0 > 0 { out.insert(.tekun) }
        for cid in try Int64.fetchAll(db, sql: """
            SELECT c.id FROM assistance_case c JOIN person p ON p.household_id = c.household_id
            WHERE p.id = ? AND c.programme IN ('rural_dibao', 'urban_dibao')
            """ + inForce, arguments: [pid, date.iso, date.iso]) {
            if let ids = try coverage(db, caseId: cid, on: date) { if ids.contains(pid) { out.insert(.dibao) } }
            else { out.insert(.dibao) }
        }
        return out
    }
}
