import Foundation
import GRDB
import JiuzhuModel

/// One person on a year's 资助参保 list: whose 城乡居民医保 premium the assistance fund pays, and how much.
public struct PremiumLine: Equatable, Sendable {
    public var personId: Int64
    public var name: String
    public var idNumber: String
    public var villageCode: String
    public var village: String
    public var category: MedicalCategory
    /// The case that puts the person in the category (特困 case, or the 低保 case covering them).
    public var caseId: Int64
    public var premium: Money
    public var subsidy: Money
}

/// A year's 资助参保 list (国办发〔2021〕42号: 特困 in full, 低保 by a fixed amount), as of a date.
public struct PremiumList: Equatable, Sendable {
    public var year: Int
    public var asOf: CivilDate
    public var lines: [PremiumLine]
    /// Categories with people on the list but no row for the year in data/insurance_subsidy.csv.
    public var missingRates: [MedicalCategory]
    public var total: Money { Money(fen: lines.reduce(0) { $0 + $1.subsidy.fen }) }
    public func count(_ c: MedicalCategory) -> Int { lines.filter { $0.category == c }.count }
    public func total(_ c: MedicalCategory) -> Money { Money(fen: lines.filter { $0.category == c }.reduce(0) { $0 + $1.subsidy.fen }) }
}

extension Store {
    /// Who gets the year's premium paid: every person of a 特困 case in force on `asOf`, and every
    /// person a 低保 case in force then covers (特困 first: a person is listed once), alive then,
    /// at the year's rates of data/insurance_subsidy.csv. Worked out from the records, so the list
    /// as of a past date is the same whenever it is drawn.
    public func premiumList(year: Int, asOf: CivilDate) throws -> PremiumList {
        try read { db in
            let rates = Dictionary(try ReferenceData.premiumSubsidies(db, year: year).map { ($0.category, $0) }, uniquingKeysWith: { a, _ in a })
            let inForce = """
                EXISTS (SELECT 1 FROM case_step s WHERE s.case_id = c.id AND s.action = 'approve'
                        AND json_extract(s.inputs, '$.decision') = 'approve' AND s.acted_on <= ?1)
                AND NOT EXISTS (SELECT 1 FROM case_step s WHERE s.case_id = c.id AND s.action = 'terminate' AND s.acted_on <= ?1)
                """
            var who: [(Int64, MedicalCategory, Int64)] = []
            var seen = Set<Int64>()
            for r in try Row.fetchAll(db, sql: "SELECT c.id, c.person_id FROM assistance_case c WHERE c.programme = 'tekun' AND c.person_id IS NOT NULL AND "
                                      + inForce + " ORDER BY c.id", arguments: [asOf.iso]) {
                let pid: Int64 = r["person_id"]
                if seen.insert(pid).inserted { who.append((pid, .tekun, r["id"])) }
            }
            for r in try Row.fetchAll(db, sql: "SELECT c.* FROM assistance_case c WHERE c.programme IN ('rural_dibao', 'urban_dibao') AND "
                                      + inForce + " ORDER BY c.id", arguments: [asOf.iso]) {
                let c = Store.caseRecord(from: r)
                guard let cid = c.id else { continue }
                let ids = try Store.coverage(db, caseId: cid, on: asOf) ?? Store.defaultCoverage(c, members: try Store.members(db, householdId: c.householdId))
                for pid in ids where seen.insert(pid).inserted { who.append((pid, .dibao, cid)) }
            }
            var lines: [PremiumLine] = []
            var missing = Set<MedicalCategory>()
            let person = try db.cachedStatement(sql: """
                SELECT p.name, p.id_number, p.died_on, c.village_code, coalesce(g.name, '') AS village
                FROM person p JOIN assistance_case c ON c.id = ? LEFT JOIN region g ON g.code = c.village_code WHERE p.id = ?
                """)
            for (pid, category, cid) in who {
                guard let r = try Row.fetchOne(person, arguments: [cid, pid]) else { continue }
                if let died = (r["died_on"] as String?).flatMap(CivilDate.init(iso:)), died <= asOf { continue }
                guard let rate = rates[category] else { missing.insert(category); continue }
                lines.append(PremiumLine(personId: pid, name: r["name"], idNumber: r["id_number"], villageCode: r["village_code"],
                                         village: r["village"], category: category, caseId: cid, premium: rate.premium, subsidy: rate.subsidy))
            }
            lines.sort { ($0.villageCode, $0.category.rawValue, $0.caseId, $0.personId) < ($1.villageCode, $1.category.rawValue, $1.caseId, $1.personId) }
            return PremiumList(year: year, asOf: asOf, lines: lines, missingRates: MedicalCategory.allCases.filter(missing.contains))
        }
    }
}
