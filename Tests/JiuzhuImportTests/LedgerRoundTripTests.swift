import Foundation
import GRDB
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore
import PropertyBased
import Testing

/// Export the households of one database as a ledger and import it into an empty one: the same
/// households, persons and cases in force.
@Suite struct LedgerRoundTripTests {
    /// A small generator from a seed (the property test draws the seeds).
    struct Draw {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
    }

    static let surnames = ["张", "李", "王", "杨", "字", "茶", "罗", "何"]
    static let given = ["建国", "秀英", "小明", "桂芝", "文", "正华", "发林", "丽"]

    /// A ledger of a few households drawn from `seed`, one row per person, in the template's columns.
    static func ledger(seed: Int) -> [String] {
        var d = Draw(state: UInt64(seed) &+ 17)
        let villages = ["李家村", "石门村", "东街社区"]
        let ethnic = ["汉族", "彝族", "回族", "白族"]
        let health = ["健康", "慢性病", "大病"]
        var lines = ["村(社区),户主姓名,姓名,身份证号,与户主关系,民族,健康状况,残疾类别,残疾等级,劳动能力,家庭住址,救助类别,保障人数,月保障金,开始享受时间"]
        var seq = 0
        for h in 0..<(1 + d.next(6)) {
            let village = villages[d.next(3)]
            let size = 1 + d.next(4)
            let headName = surnames[d.next(8)] + given[d.next(8)] + String(h)
            let kind = d.next(3)   // 0 none, 1 低保, 2 特困 (the head)
            for m in 0..<size {
                seq += 1
                let birth = CivilDate(year: m == 0 ? 1940 + d.next(40) : 1980 + d.next(40), month: 1 + d.next(12), day: 1 + d.next(28))!
                let id = IDNumber.make(region: "532927", birth: birth, sequence: seq + 100 * seed % 800).value
                let name = m == 0 ? headName : surnames[d.next(8)] + given[d.next(8)] + String(m)
                let relation = m == 0 ? "户主" : ["配偶", "子", "女", "孙子"][d.next(4)]
                let disabled = d.next(5) == 0
                var row = [village, headName, name, id, relation, ethnic[d.next(4)], disabled ? "残疾" : health[d.next(3)],
                           disabled ? "肢体" : "", disabled ? String(1 + d.next(4)) : "", "", "\(village)\(h)号", "", "", "", ""]
                if m == 0 && kind == 1 {
                    row[11] = "低保"; row[12] = String(1 + d.next(size)); row[13] = "\(100 + d.next(1900)).\(d.next(100))"
                    row[14] = "\(2015 + d.next(11))/\(1 + d.next(12))/1"
                } else if m == 0 && kind == 2 && village != "东街社区" {
                    row[11] = "特困"; row[12] = "1"; row[13] = "\(300 + d.next(900))"; row[14] = "\(2015 + d.next(11)).\(1 + d.next(12))"
                }
                lines.append(row.joined(separator: ","))
            }
        }
        return lines
    }

    /// Households (by head's ID), persons and cases in force, as comparable text.
    static func snapshot(_ s: Store) throws -> [String] {
        try s.read { db in
            let persons = try Row.fetchAll(db, sql: """
                SELECT p.id_number, p.name, p.relation, p.sex, p.birth_date, p.ethnicity, p.health, p.disability_type, p.disability_level,
                       p.work_ability, h.head_id, h.village_code, h.address, h.member_count FROM person p JOIN household h ON h.id = p.household_id
                ORDER BY p.id_number
                """).map { r in (0..<14).map { "\(r[$0] ?? "-")" }.joined(separator: "|") }
            let cases = try Row.fetchAll(db, sql: """
                SELECT h.head_id, coalesce(p.id_number, '-'), c.programme, c.status, c.monthly_amount_fen, c.covered_members, c.village_code,
                       (SELECT count(*) FROM case_coverage k WHERE k.case_id = c.id)
                FROM assistance_case c JOIN household h ON h.id = c.household_id LEFT JOIN person p ON p.id = c.person_id ORDER BY 1, 3
                """).map { r in (0..<8).map { "\(r[$0] ?? "-")" }.joined(separator: "|") }
            return persons + cases
        }
    }

    /// Each case's months paid over the years it may cover, from the roster's own rules.
    static func paid(_ s: Store) throws -> [String] {
        var out: [String] = []
        for p in [Programme.ruralDibao, .urbanDibao, .tekun] {
            for m in ["2015-06", "2019-12", "2023-05", "2026-11"] {
                let r = try s.makeRoster(month: m, programme: p, catalog: ImportFixture.catalog, by: "jingban")
                out.append("\(p.rawValue) \(m) \(r.lines) \(r.persons) \(r.total.fen)")
            }
        }
        return out
    }

    @Test func exportThenImportIntoAnEmptyDatabaseGivesTheSameHouseholdsPersonsAndCases() async throws {
        await propertyCheck(count: 12, input: Gen.int(in: 1...5_000)) { (seed: Int) in
            do {
                let a = try ImportFixture.store()
                let source = try ImportFixture.csv(Self.ledger(seed: seed))
                let first = try ImportFixture.check(source, a)
                #expect(first.plan.errorCount == 0, "\(first.plan.problems.map(\.text.en))")
                _ = try first.importNow(store: a, user: "jingban", again: false, skipBadRows: false, catalog: ImportFixture.catalog)

                let out = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString).csv").path
                _ = try LedgerExport.writeCSV(store: a, vocabulary: ImportFixture.vocabulary, reference: ImportFixture.reference,
                                              lang: seed % 2 == 0 ? .zh : .en, to: out, force: false)
                let b = try ImportFixture.store()
                let second = try ImportFixture.check(out, b)
                #expect(second.plan.errorCount == 0, "\(second.plan.problems.map(\.text.en))")
                _ = try second.importNow(store: b, user: "jingban", again: false, skipBadRows: false, catalog: ImportFixture.catalog)

                #expect(try Self.snapshot(a) == Self.snapshot(b))
                #expect(try Self.paid(a) == Self.paid(b))
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }
}
