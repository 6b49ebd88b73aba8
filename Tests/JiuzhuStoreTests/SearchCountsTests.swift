import Foundation
import GRDB
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// The stored running figures per short search text (SearchCounts, issue 26) against a
/// brute-force count of the same rule, for random households, members and cases, after random
/// inserts, renames, moves and deletes of members and cases.
@Suite struct SearchCountsTests {
    /// SplitMix64: a seeded generator, so a failure can be repeated.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let surnames = ["张", "李", "王", "赵", "欧阳", "诸葛", "石", "马", "阿"]
    static let given = ["三", "三丰", "四", "小明", "家", "门", "石", "苏拉则", "无忌"]
    static let regions = ["532927", "532901", "530102", "110101"]

    /// Which households' members match the text by their keys alone (the village aside), read
    /// plainly from the rule.
    static func keyHouseholds(_ db: Database, _ text: String) throws -> Set<Int64> {
        var out = Set<Int64>()
        for r in try Row.fetchAll(db, sql: "SELECT household_id, name, py, ini, id_number FROM person") {
            let name: String = r["name"], py: String = r["py"], ini: String = r["ini"], id: String = r["id_number"]
            let hit: Bool
            switch SearchText(text) {
            case .none: hit = true
            case .idFragment(let d): hit = id.hasPrefix(d) || id.hasSuffix(d)
            case .pinyin(let p): hit = py.hasPrefix(p) || ini.hasPrefix(p)
            case .name(let n): hit = name.hasPrefix(n) || (name.count >= 3 && String(name.dropFirst()).hasPrefix(n))
            }
            if hit { out.insert(r["household_id"]) }
        }
        return out
    }

    /// The case browser's count and sum without filters, read plainly: the cases of the matching
    /// households, and for a name, the cases in a village whose name holds it.
    static func bruteCases(_ db: Database, _ text: String) throws -> (Int, Int64) {
        let keys = try keyHouseholds(db, text)
        var name: String?
        if case .name(let n) = SearchText(text) { name = n }
        var n = 0
        var sum: Int64 = 0
        for r in try Row.fetchAll(db, sql: "SELECT c.household_id, c.monthly_amount_fen, v.name AS village FROM assistance_case c JOIN region v ON v.code = c.village_code") {
            let village: String = r["village"]
            if keys.contains(r["household_id"]) || (name.map { village.contains($0) } ?? false) {
                n += 1
                sum += (r["monthly_amount_fen"] as Int64?) ?? 0
            }
        }
        return (n, sum)
    }

    /// The texts to check: every one- and two-character prefix a person could type to meet a key
    /// (names, given names, pinyin, ID prefixes and ID endings), some that meet nothing, and the
    /// villages' characters.
    static func texts(_ db: Database) throws -> [String] {
        var out: Set<String> = ["李", "石", "李家", "门", "家村", "z", "Z", "zh", " z ", "5", "53", "11", "0", "9", "X", "0X", "5X", "qq", "一"]
        for r in try Row.fetchAll(db, sql: "SELECT name, py, ini, id_number FROM person") {
            let name: String = r["name"], py: String = r["py"], ini: String = r["ini"], id: String = r["id_number"]
            for k in [name, String(name.dropFirst()), py, ini, id] where !k.isEmpty {
                out.insert(String(k.prefix(1))); out.insert(String(k.prefix(2)))
            }
            out.insert(String(id.suffix(1))); out.insert(String(id.suffix(2)))
        }
        return out.sorted()
    }

    /// Longer texts, which the counts answer by one of two plans (the households the keys name,
    /// or every household's and case's signature): an ID's first 3 to 11 digits (the signature
    /// keeps ten), pinyin of 3 to 7 letters (it keeps six), whole names, endings of 3 to 4 digits.
    static func longTexts(_ db: Database) throws -> [String] {
        var out: Set<String> = ["5329", "53292", "532927", "5329271", "532927199", "110101", "wang", "ouyang", "zhuge", "nobody", "李家村"]
        for r in try Row.fetchAll(db, sql: "SELECT name, py, ini, id_number FROM person ORDER BY id LIMIT 12") {
            let name: String = r["name"], py: String = r["py"], id: String = r["id_number"]
            for n in [3, 4, 6, 7, 9, 10, 11] { out.insert(String(id.prefix(n))) }
            for n in [3, 4, 6, 7] { out.insert(String(py.prefix(n))) }
            out.insert(name); out.insert(String(id.suffix(3))); out.insert(String(id.suffix(4)))
        }
        return out.sorted()
    }

    static func check(_ s: Store, round: Int) throws {
        try s.read { db in
            try HouseholdSearchTests.signaturesMatchTheKeys(db)
            for text in try longTexts(db) {
                let expected = try HouseholdSearchTests.bruteForce(db, text).count
                let (n, sum) = try bruteCases(db, text)
                for threshold in [nil, 1] {
                    #expect(try Store.householdCount(db, text: text, threshold: threshold) == expected,
                            "round \(round): household count for \(text), threshold \(threshold ?? 0)")
                    for status in [nil, CaseStatus.inProgress] {
                        var q = CaseQuery()
                        q.text = text; q.status = status
                        let got = try Store.caseSummary(db, q, today: Fixture.today, catalog: CaseFixture.catalog, threshold: threshold)
                        #expect(got.count == n && got.monthly.fen == sum,
                                "round \(round): case count/sum for \(text), threshold \(threshold ?? 0): \(got) vs \(n) \(sum)")
                    }
                }
            }
            #expect(try SearchCounts.mismatches(db).isEmpty, "round \(round): stored figures differ from a fresh count")
            for text in try texts(db) {
                let expected = try HouseholdSearchTests.bruteForce(db, text).count
                #expect(try Store.householdCount(db, text: text) == expected, "round \(round): household count for \(text)")
                var q = CaseQuery()
                q.text = text
                let (n, sum) = try bruteCases(db, text)
                let got = try Store.caseSummary(db, q, today: Fixture.today, catalog: CaseFixture.catalog)
                #expect(got.count == n && got.monthly.fen == sum, "round \(round): case count/sum for \(text): \(got) vs \(n) \(sum)")
                // With a filter the count takes the filter's path (the stored hits, not the
                // totals); every case here is in progress, so the figures are the same.
                q.status = .inProgress
                let filtered = try Store.caseSummary(db, q, today: Fixture.today, catalog: CaseFixture.catalog)
                #expect(filtered.count == n && filtered.monthly.fen == sum, "round \(round): filtered count/sum for \(text)")
            }
        }
    }

    @Test(arguments: [UInt64(1), 2, 3]) func countsEqualABruteForceCountThroughRandomChanges(seed: UInt64) throws {
        var rng = Seeded(state: seed)
        let s = try makeStore()
        var usedIDs = Set<String>()
        func newPerson(head: Bool) -> Person {
            while true {
                let name = Self.surnames.randomElement(using: &rng)! + Self.given.randomElement(using: &rng)!
                let birth = CivilDate(year: 1940 + Int.random(in: 0..<70, using: &rng), month: Int.random(in: 1...12, using: &rng),
                                      day: Int.random(in: 1...28, using: &rng))!
                let id = IDNumber.make(region: Self.regions.randomElement(using: &rng)!, birth: birth, sequence: Int.random(in: 0...999, using: &rng))
                if !usedIDs.insert(id.value).inserted { continue }
                return Person(name: name, idNumber: id.value, relation: head ? Person.headRelation : "20", sex: id.sex, birthDate: birth)
            }
        }
        var households: [Int64] = []
        func addHousehold() throws {
            let members = (0..<Int.random(in: 1...3, using: &rng)).map { newPerson(head: $0 == 0) }
            let village = Bool.random(using: &rng) ? "532927101201" : "532927101202"
            households.append(try s.addHousehold(Household(villageCode: village, address: "x"), members: members, by: "t"))
        }
        func addCase() throws {
            let hid = try #require(households.randomElement(using: &rng), "households are added first and never removed")
            let amount: Int64? = Int.random(in: 0..<4, using: &rng) == 0 ? nil : Int64.random(in: 1...90_000, using: &rng)
            try s.write { db in
                let village = try String.fetchOne(db, sql: "SELECT village_code FROM household WHERE id = ?", arguments: [hid])!
                let c = Case(householdId: hid, programme: .ruralDibao, step: "survey", stepSince: Fixture.today, appliedOn: Fixture.today)
                let id = try Store.insertCase(db, c, steps: [], villageCode: village, now: "2026-11-01 09:00:00")
                try db.execute(sql: "UPDATE assistance_case SET monthly_amount_fen = ? WHERE id = ?", arguments: [amount, id])
            }
        }
        for _ in 0..<40 { try addHousehold() }
        for _ in 0..<30 { try addCase() }
        try Self.check(s, round: 0)
        for round in 1...6 {
            for _ in 0..<12 {
                switch Int.random(in: 0..<9, using: &rng) {
                case 0: try addHousehold()
                case 1: try addCase()
                case 2:
                    // A rename or a corrected ID number, through the store.
                    let p = try #require(try s.read { db in try Person.fetchRandom(db, using: &rng) })
                    var q = p
                    if Bool.random(using: &rng) { q.name = newPerson(head: false).name } else { q.idNumber = newPerson(head: false).idNumber }
                    try s.updatePerson(q, by: "t")
                case 3:
                    // A member moves to another household (as a household change does).
                    guard let to = households.randomElement(using: &rng) else { break }
                    try s.write { db in
                        guard let p = try Person.fetchRandom(db, using: &rng), let from = p.householdId, from != to,
                              try Int.fetchOne(db, sql: "SELECT count(*) FROM person WHERE household_id = ?", arguments: [from])! > 1 else { return }
                        try Store.deleteSearchKeys(db, name: p.name, idNumber: p.idNumber, householdId: from, personId: p.id!)
                        try db.execute(sql: "UPDATE person SET household_id = ? WHERE id = ?", arguments: [to, p.id!])
                        try Store.insertSearchKeys(db, name: p.name, idNumber: p.idNumber, householdId: to, personId: p.id!)
                    }
                case 4:
                    // A member leaves (deceased, moved away): keys and row deleted.
                    try s.write { db in
                        guard let p = try Person.fetchRandom(db, using: &rng), let hid = p.householdId,
                              try Int.fetchOne(db, sql: "SELECT count(*) FROM person WHERE household_id = ?", arguments: [hid])! > 1 else { return }
                        try Store.deleteSearchKeys(db, name: p.name, idNumber: p.idNumber, householdId: hid, personId: p.id!)
                        try db.execute(sql: "DELETE FROM person WHERE id = ?", arguments: [p.id!])
                    }
                case 5:
                    // A case's amount changes (decided, adjusted, or cleared).
                    try s.write { db in
                        let id = try #require(try Int64.fetchOne(db, sql: "SELECT id FROM assistance_case ORDER BY random() LIMIT 1"), "30 cases to start, fewer removals than that")
                        let amount: Int64? = Bool.random(using: &rng) ? nil : Int64.random(in: 1...90_000, using: &rng)
                        try db.execute(sql: "UPDATE assistance_case SET monthly_amount_fen = ? WHERE id = ?", arguments: [amount, id])
                    }
                case 6:
                    // A case moves to another household (a split takes the case along).
                    guard let to = households.randomElement(using: &rng) else { break }
                    try s.write { db in
                        let id = try #require(try Int64.fetchOne(db, sql: "SELECT id FROM assistance_case ORDER BY random() LIMIT 1"), "30 cases to start, fewer removals than that")
                        try db.execute(sql: "UPDATE assistance_case SET household_id = ? WHERE id = ?", arguments: [to, id])
                    }
                case 7:
                    // A case removed with its steps.
                    try s.write { db in
                        let id = try #require(try Int64.fetchOne(db, sql: "SELECT id FROM assistance_case ORDER BY random() LIMIT 1"), "30 cases to start, fewer removals than that")
                        try db.execute(sql: "DELETE FROM case_step WHERE case_id = ?", arguments: [id])
                        try db.execute(sql: "DELETE FROM assistance_case WHERE id = ?", arguments: [id])
                    }
                default:
                    // A member added to a household, through the store.
                    guard let hid = households.randomElement(using: &rng) else { break }
                    _ = try s.addPerson(newPerson(head: false), toHousehold: hid, by: "t")
                }
            }
            try Self.check(s, round: round)
        }
    }

    @Test func theTriggersKeepWhatABulkFillWouldMake() throws {
        // `mismatches` counts afresh with the bulk fill's own statements (the migration's and the
        // demo loader's); the fixture's households and members went in through the triggers.
        let s = try Fixture.store(households: 90)
        let (texts, differ, fives) = try s.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM search_total") ?? 0, try SearchCounts.mismatches(db),
             try Int.fetchOne(db, sql: "SELECT households FROM search_total WHERE t = '5'"))
        }
        #expect(texts > 0)
        #expect(differ.isEmpty)
        // Every ID of the fixture starts with 5 (532927): each household once, whatever its members.
        #expect(fives == 90)
    }

    /// The check `verify` made before issue 26's linear one, kept as the reference: every
    /// (text, household) pair grouped afresh and compared both ways with the stored hits, then
    /// the totals likewise (exact, and n log n: 32 s at 300,000 households).
    static func exactMismatches(_ db: Database, limit: Int = 20) throws -> [String] {
        let hits = try String.fetchAll(db, sql: """
            WITH fresh AS MATERIALIZED (SELECT t, household_id, count(*) AS refs FROM (\(SearchCounts.allPairs)) GROUP BY t, household_id)
            SELECT DISTINCT t FROM (
                SELECT * FROM (SELECT t, household_id, refs FROM fresh EXCEPT SELECT t, household_id, refs FROM search_hit)
                UNION ALL
                SELECT * FROM (SELECT t, household_id, refs FROM search_hit EXCEPT SELECT t, household_id, refs FROM fresh))
            LIMIT ?
            """, arguments: [limit])
        if !hits.isEmpty { return hits }
        return try String.fetchAll(db, sql: """
            WITH fresh AS MATERIALIZED (
                SELECT s.t, count(*) AS households, ifnull(sum(c.n), 0) AS cases, ifnull(sum(c.fen), 0) AS monthly_fen
                FROM search_hit s LEFT JOIN (SELECT household_id, count(*) AS n, ifnull(sum(monthly_amount_fen), 0) AS fen
                                             FROM assistance_case GROUP BY household_id) c ON c.household_id = s.household_id
                GROUP BY s.t)
            SELECT DISTINCT t FROM (
                SELECT * FROM (SELECT t, households, cases, monthly_fen FROM fresh
                               EXCEPT SELECT t, households, cases, monthly_fen FROM search_total)
                UNION ALL
                SELECT * FROM (SELECT t, households, cases, monthly_fen FROM search_total
                               EXCEPT SELECT t, households, cases, monthly_fen FROM fresh))
            LIMIT ?
            """, arguments: [limit])
    }

    /// Whatever is changed behind the triggers' back, the linear check names the texts the
    /// exact one names.
    @Test func theLinearCheckFindsWhatTheExactOneFinds() throws {
        let s = try Fixture.store(households: 60)
        try s.write { db in
            for hid in try Int64.fetchAll(db, sql: "SELECT id FROM household ORDER BY id LIMIT 10") {
                let village = try #require(try String.fetchOne(db, sql: "SELECT village_code FROM household WHERE id = ?", arguments: [hid]))
                let c = Case(householdId: hid, programme: .ruralDibao, step: "survey", stepSince: Fixture.today, appliedOn: Fixture.today)
                let id = try Store.insertCase(db, c, steps: [], villageCode: village, now: "2026-11-01 09:00:00")
                try db.execute(sql: "UPDATE assistance_case SET monthly_amount_fen = ? WHERE id = ?", arguments: [30_000 + hid, id])
            }
        }
        func hit(_ k: Int) -> String { "(t, household_id) = (SELECT t, household_id FROM search_hit ORDER BY t, household_id LIMIT 1 OFFSET \(k))" }
        func text(_ k: Int) -> String { "t = (SELECT t FROM search_total ORDER BY t LIMIT 1 OFFSET \(k))" }
        let tamperings = [
            "UPDATE search_hit SET refs = refs + 1 WHERE \(hit(3))",
            "UPDATE search_hit SET household_id = household_id + 100000 WHERE \(hit(50))",
            "DELETE FROM search_hit WHERE \(hit(77))",
            "INSERT INTO search_hit(t, household_id, refs) VALUES ('qq', 1, 1)",
            "UPDATE search_hit SET refs = 0 WHERE \(hit(120))",
            "UPDATE search_total SET cases = cases + 1 WHERE \(text(5))",
            "UPDATE search_total SET monthly_fen = monthly_fen - 100 WHERE \(text(9))",
            "UPDATE search_total SET households = households - 1 WHERE \(text(2))",
            "DELETE FROM search_total WHERE \(text(11))",
            "INSERT INTO search_total(t, households, cases, monthly_fen) VALUES ('qqq', 1, 0, 0)",
            "DELETE FROM search_key WHERE key = (SELECT key FROM search_key ORDER BY key LIMIT 1 OFFSET 40)",
            "UPDATE assistance_case SET monthly_amount_fen = ifnull(monthly_amount_fen, 0) + 1 WHERE id = (SELECT min(id) FROM assistance_case)",
        ]
        var found = 0
        for sql in tamperings {
            let (linear, exact) = try s.write { db -> ([String], [String]) in
                // Behind the triggers' back, as a tool editing the file would.
                let triggers = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_count_%'")
                for t in triggers { try db.execute(sql: "DROP TRIGGER \(t["name"] as String)") }
                try db.execute(sql: "SAVEPOINT tamper")
                try db.execute(sql: sql)
                let both = (try SearchCounts.mismatches(db), try Self.exactMismatches(db))
                try db.execute(sql: "ROLLBACK TO tamper; RELEASE tamper")
                for t in triggers { try db.execute(sql: t["sql"] as String) }
                return both
            }
            // The exact check reports the hits first and the totals only when the hits agree.
            #expect(!linear.isEmpty, "\(sql)")
            #expect(Set(exact).isSubset(of: Set(linear)), "\(sql): linear \(linear), exact \(exact)")
            if !exact.isEmpty { found += 1 }
        }
        #expect(found == tamperings.count)
        #expect(try s.read { try SearchCounts.mismatches($0) }.isEmpty)
    }

    @Test func aTamperedFigureIsFound() throws {
        let s = try Fixture.store(households: 30)
        #expect(try #require(try s.verifySearchCounts()).differ.isEmpty)
        try s.write { db in try db.execute(sql: "UPDATE search_total SET households = households + 1 WHERE t = 'z'") }
        #expect(try #require(try s.verifySearchCounts()).differ == ["z"])
    }
}

extension Person {
    /// A random member of any household.
    static func fetchRandom(_ db: Database, using rng: inout some RandomNumberGenerator) throws -> Person? {
        let ids = try Int64.fetchAll(db, sql: "SELECT id FROM person ORDER BY id")
        guard let id = ids.randomElement(using: &rng) else { return nil }
        return try Store.person(db, id: id)
    }
}
