import Foundation
import GRDB
import JiuzhuDemo
import JiuzhuModel

extension Store {
    /// The demo's household changes, made through the same calls as the card and the command
    /// line: a birth in a household on rural 低保 (its 增员 follow-up waits for the approver), a
    /// death in another (its 减员 settled by the approver: the case adjusted to the persons left),
    /// a new phone, a student away at school and a split.
    public func loadDemoHouseholdChanges(catalog: ProgrammeCatalog, today: CivilDate, clerk: String = "jingban", approver: String = "shenpi") throws {
        func firstHousehold(_ sql: String) throws -> Int64? { try read { db in try Int64.fetchOne(db, sql: sql) } }
        func version(_ hid: Int64) throws -> Int { try read { db in try Int.fetchOne(db, sql: "SELECT version FROM household WHERE id = ?", arguments: [hid]) } ?? 1 }
        func members(_ hid: Int64) throws -> [Person] { try read { db in try Store.members(db, householdId: hid) } }
        let activeRural = """
            SELECT h.id FROM household h WHERE h.member_count >= 2 AND h.member_count <= 4 AND EXISTS (SELECT 1 FROM assistance_case c
              WHERE c.household_id = h.id AND c.programme = 'rural_dibao' AND c.status = 'active' AND c.monthly_amount_fen > 0)
              AND NOT EXISTS (SELECT 1 FROM case_followup f JOIN assistance_case c ON c.id = f.case_id WHERE c.household_id = h.id AND f.closed_on IS NULL)
            ORDER BY h.id
            """
        // A birth, registered with the birth certificate (the ID comes later): 增员, left open.
        if let hid = try firstHousehold(activeRural + " LIMIT 1"), let head = try members(hid).first(where: \.isHead) {
            let born = today.adding(days: -40)
            var baby = Person(name: String(head.name.prefix(1)) + DemoHouseholdChangeTexts.babyGivenName, idNumber: "", relation: head.birthDate.age(on: today) > 45 ? "41" : "20",
                              sex: .male, birthDate: born)
            // A letter and nine digits, unique across a county of demo townships (its township digits first).
            let township = try read { db in try Store.setting(db, "office.township_code") }.map { String($0.dropFirst(6).prefix(3)) } ?? "000"
            baby.birthCertificate = "Q\(township)\(String(format: "%06d", hid % 1_000_000))"
            _ = try recordHouseholdChange(householdId: hid, version: try version(hid), change: .birth(baby), on: today.adding(days: -12),
                                          reason: DemoHouseholdChangeTexts.birthReason, by: clerk, today: today, catalog: catalog)
        }
        // A death: 减员, settled by the approver (adjusted to the persons left).
        if let hid = try firstHousehold(activeRural + " LIMIT 1 OFFSET 1"),
           let gone = try members(hid).last(where: { !$0.isHead }), let pid = gone.id {
            let r = try recordHouseholdChange(householdId: hid, version: try version(hid), change: .death(personId: pid, newHead: nil),
                                              on: today.adding(days: -30), reason: DemoHouseholdChangeTexts.deathReason, by: clerk, today: today,
                                              catalog: catalog)
            for p in r.proposals where p.proposed == .adjust {
                let v = try read { db in try Int.fetchOne(db, sql: "SELECT version FROM assistance_case WHERE id = ?", arguments: [p.caseId]) } ?? 1
                _ = try act(caseId: p.caseId, version: v,
                            request: CaseRequest(action: .adjust, actor: approver, role: .approver, date: today.adding(days: -8),
                                                 reason: DemoHouseholdChangeTexts.adjustReason),
                            catalog: catalog)
            }
        }
        // A new mobile number for a household with no case.
        let noCase = "SELECT h.id FROM household h WHERE NOT EXISTS (SELECT 1 FROM assistance_case c WHERE c.household_id = h.id) ORDER BY h.id"
        if let hid = try firstHousehold(noCase + " LIMIT 1"), let h = try read({ db in try Store.household(db, id: hid) }) {
            var f = HouseholdFacts(h)
            f.phone = "1390872" + String(format: "%04d", hid % 10_000)
            if f.hukou.isObsolete { f.hukou = .local; f.hukouRegion = h.villageCode.isEmpty ? nil : .rural }
            _ = try recordHouseholdChange(householdId: hid, version: try version(hid), change: .facts(f), on: today.adding(days: -3),
                                          reason: DemoHouseholdChangeTexts.phoneReason, by: clerk, today: today, catalog: catalog)
        }
        // 分户: a grown child of a household with no case sets up a household of their own.
        if let hid = try firstHousehold("""
            SELECT h.id FROM household h WHERE h.member_count >= 3
              AND NOT EXISTS (SELECT 1 FROM assistance_case c WHERE c.household_id = h.id) ORDER BY h.id LIMIT 1
            """), let child = try members(hid).first(where: { !$0.isHead && $0.birthDate.age(on: today) >= 18 }), let pid = child.id,
           let h = try read({ db in try Store.household(db, id: hid) }) {
            _ = try splitHousehold(householdId: hid, version: try version(hid), persons: [pid], newHead: pid, address: h.address + DemoHouseholdChangeTexts.splitAddressSuffix,
                                   on: today.adding(days: -20), reason: DemoHouseholdChangeTexts.splitReason, by: clerk, today: today, catalog: catalog)
        }
    }
}
