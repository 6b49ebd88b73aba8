import Foundation
import GRDB
import JiuzhuModel

/// One person of a ledger written out: the household's facts, the person's, and on the row of a
/// case's person (特困) or the head (household programmes) the case in force.
public struct LedgerExportRow: Sendable {
    public var village: String
    public var address: String
    public var phone: String?
    public var headName: String
    public var person: Person
    public var programme: Programme?
    public var persons: Int?
    public var amount: Money?
    /// The first month paid (its first day).
    public var start: CivilDate?
}

extension Store {
    /// Every household as it is now (its present members, head first), in village order, with
    /// full ID numbers — the same fields `jiuzhu import` reads, so a ledger written here comes
    /// back in whole. Each case in force (`active`) goes on its person's row (特困) or the head's,
    /// at its amount now, for the persons it covers now, from the first month it was paid. (A
    /// household with two household programmes in force, or a head with both 特困 and the
    /// household's 低保, keeps the first only: a row holds one case.)
    public func forEachLedgerRow(_ body: (LedgerExportRow) throws -> Void) throws {
        try read { db in
            let start = Int(try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [PaymentRules.settingKey]) ?? "1") ?? 1
            let rules = PaymentRules(startMonths: start)
            struct InForce { var person: Int64?; var programme: Programme; var amount: Int64; var persons: Int; var from: PayMonth }
            var cases: [Int64: [InForce]] = [:]
            for r in try Row.fetchAll(db, sql: """
                SELECT c.household_id, c.person_id, c.programme, c.monthly_amount_fen, c.covered_members,
                       d.acted_on, json_extract(d.inputs, '$.effectiveMonth') AS eff
                FROM assistance_case c JOIN case_step d ON d.id = (SELECT s.id FROM case_step s WHERE s.case_id = c.id AND s.action = 'approve'
                    AND s.step IN \(Store.decisionStepCodes) ORDER BY s.id LIMIT 1)
                WHERE c.status = 'active' AND c.monthly_amount_fen IS NOT NULL ORDER BY c.id
                """) {
                guard let p = Programme(rawValue: r["programme"]), let decided = CivilDate(iso: r["acted_on"]) else { continue }
                let from = (r["eff"] as String?).flatMap(PayMonth.init) ?? rules.startMonth(decidedOn: decided)
                cases[r["household_id"], default: []].append(InForce(person: r["person_id"], programme: p, amount: r["monthly_amount_fen"],
                                                                     persons: r["covered_members"], from: from))
            }
            let households = try Row.fetchCursor(db, sql: """
                SELECT h.id, h.address, h.phone, h.head_name, r.name AS village FROM household h JOIN region r ON r.code = h.village_code
                WHERE h.member_count > 0 ORDER BY h.village_code, h.head_py, h.id
                """)
            while let h = try households.next() {
                let hid: Int64 = h["id"]
                let members = try Store.members(db, householdId: hid)
                var open = cases[hid] ?? []
                for m in members {
                    var row = LedgerExportRow(village: h["village"], address: h["address"], phone: h["phone"], headName: h["head_name"], person: m)
                    let mine = open.firstIndex { $0.person == m.id } ?? (m.isHead ? open.firstIndex { $0.person == nil } : nil)
                    if let i = mine {
                        let c = open.remove(at: i)
                        row.programme = c.programme; row.persons = c.persons; row.amount = Money(fen: c.amount); row.start = c.from.firstDay
                    }
                    try body(row)
                }
            }
        }
    }
}
