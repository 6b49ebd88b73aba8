import Foundation
import GRDB
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// The household search against a brute-force reading of the same rule, on both query plans,
/// paging forwards and backwards by keyset.
@Suite struct HouseholdSearchTests {
    static let surnames = ["张", "李", "王", "赵", "周", "欧阳", "诸葛", "曾", "单", "阿"]
    static let given = ["三丰", "四", "小明", "敏", "芷若", "无忌", "锋", "孔明", "家", "苏拉则", "石"]

    static func build() throws -> Store {
        let s = try makeStore()
        var seq = 0
        for i in 0..<240 {
            let members = (0..<(1 + i % 3)).map { j -> Person in
                seq += 1
                let birth = CivilDate(year: 1940 + (i * 7 + j * 20) % 70, month: 1 + i % 12, day: 1 + (i + j) % 28)!
                let name = surnames[(i + j) % surnames.count] + given[(i * 3 + j) % given.count]
                return person(name, birth.iso, seq: seq % 1000, relation: j == 0 ? Person.headRelation : "20")
            }
            try s.addHousehold(Household(villageCode: i % 2 == 0 ? "532927101201" : "532927101202", address: "\(i)号"),
                               members: members, by: "t")
        }
        return s
    }

    /// The rule, read plainly: which households match a text.
    static func bruteForce(_ db: Database, _ text: String) throws -> Set<Int64> {
        let t = text.trimmingCharacters(in: .whitespaces)
        var out = Set<Int64>()
        for r in try Row.fetchAll(db, sql: "SELECT p.household_id, p.name, p.py, p.ini, p.id_number, v.name AS village FROM person p JOIN household h ON h.id = p.household_id JOIN region v ON v.code = h.village_code") {
            let name: String = r["name"], py: String = r["py"], ini: String = r["ini"], id: String = r["id_number"], village: String = r["village"]
            var hit = false
            switch SearchText(t) {
            case .none: hit = true
            case .idFragment(let d): hit = id.hasPrefix(d) || id.hasSuffix(d)
            case .pinyin(let p): hit = py.hasPrefix(p) || ini.hasPrefix(p)
            case .name(let n): hit = name.hasPrefix(n) || (name.count >= 3 && String(name.dropFirst()).hasPrefix(n)) || village.contains(n)
            }
            if hit { out.insert(r["household_id"]) }
        }
        return out
    }

    static let texts = ["", "z", "zh", "zhang", "zsf", "ouyang", "张", "张三", "三丰", "欧阳", "李家", "石门", "5329", "532", "001", "19", "X", "0",
                        "q", "诸葛孔", "苏拉", "nobody", "9999999",
                        // Longer than the signature keeps of a kind, or just as long: ten digits of
                        // an ID, six letters of pinyin (v30).
                        "5329271", "532927195", "5329271950", "53292719501", "wang", "wangxi", "wangxia", "zhuge", "zhugekon"]

    @Test(arguments: [1, 1_000_000]) func everyPageForwardsAndBackwardsMatchesTheRule(threshold: Int) throws {
        let s = try Self.build()
        try s.read { db in
            for text in Self.texts {
                let expected = try Self.bruteForce(db, text)
                for sort in HouseholdQuery.Sort.allCases {
                    for desc in [false, true] {
                        let q = HouseholdQuery(text: text, sort: sort, descending: desc)
                        var forward: [HouseholdRow] = []
                        var page = try Store.householdPage(db, q, anchor: .first, limit: 23, planThreshold: threshold)
                        while !page.isEmpty {
                            forward += page
                            page = try Store.householdPage(db, q, anchor: .after(page.last!), limit: 23, planThreshold: threshold)
                        }
                        #expect(Set(forward.map(\.id)) == expected, "text \(text) sort \(sort) desc \(desc)")
                        #expect(forward.count == expected.count, "duplicates for \(text)")
                        var backward: [HouseholdRow] = []
                        page = try Store.householdPage(db, q, anchor: .last, limit: 17, planThreshold: threshold)
                        while !page.isEmpty {
                            backward = page + backward
                            page = try Store.householdPage(db, q, anchor: .before(page.first!), limit: 17, planThreshold: threshold)
                        }
                        #expect(backward.map(\.id) == forward.map(\.id), "backwards differs for \(text) \(sort)")
                        #expect(try Store.householdCount(db, text: text) == expected.count, "count for \(text) \(expected.count) got \((try? Store.householdCount(db, text: text)) ?? -1)")
                        // Both count plans: the signature scan (threshold 1) and the distinct keys.
                        #expect(try Store.householdCount(db, text: text, threshold: threshold) == expected.count, "count (threshold \(threshold)) for \(text)")
                    }
                }
            }
        }
    }

    @Test func pagesComeInSortOrder() throws {
        let s = try Self.build()
        let rows = try s.read { db in try Store.householdPage(db, HouseholdQuery(sort: .members, descending: true), anchor: .first, limit: 50) }
        #expect(rows.map(\.memberCount) == rows.map(\.memberCount).sorted(by: >))
        let byName = try s.read { db in try Store.householdPage(db, HouseholdQuery(), anchor: .first, limit: 100) }
        #expect(byName.map(\.headPinyin) == byName.map(\.headPinyin).sorted())
        #expect(byName.allSatisfy { $0.maskedID.contains("********") })
    }

    @Test func aRenameMovesTheSearchKeys() throws {
        let s = try Self.build()
        let hid = try s.addHousehold(Household(villageCode: "532927101201", address: "x"), members: [person("钱多多", "1977-07-07", seq: 777)], by: "t")
        #expect(try s.read { try Store.householdCount($0, text: "qdd") } == 1)
        var p = try s.read { try Store.members($0, householdId: hid) }[0]
        p.name = "孙少少"
        try s.updatePerson(p, by: "t")
        #expect(try s.read { try Store.householdCount($0, text: "qdd") } == 0)
        #expect(try s.read { try Store.householdCount($0, text: "sss") } >= 1)
        #expect(try s.read { try Store.householdPage($0, HouseholdQuery(text: "孙少少"), anchor: .first, limit: 5) }.first?.headName == "孙少少")
    }

    /// Every household's `search_sig` is its search keys cut to three characters, and its
    /// `id_sig` its ID keys cut to ten digits (the reversed ones to "~" and two), whatever
    /// changed the members (added, renamed, a new ID, moved to another household, deleted);
    /// each case carries its household's `id_sig`.
    static func signaturesMatchTheKeys(_ db: Database) throws {
        let keys = try String.fetchAll(db, sql: "SELECT household_id || ' ' || key FROM search_key")
        #expect(!keys.isEmpty)
        var expected: [Int64: Set<String>] = [:], expectedIDs: [Int64: Set<String>] = [:]
        for k in keys {
            let space = try #require(k.firstIndex(of: " "))
            let key = String(k[k.index(after: space)...]), hid = try #require(Int64(k[..<space]))
            let cut = { (n: Int) in String(String.UnicodeScalarView(key.unicodeScalars.prefix(n))) }
            expected[hid, default: []].insert(cut(3))
            if key.hasPrefix("~") { expectedIDs[hid, default: []].insert(cut(3)) }
            else if key.first!.isASCII && key.first!.isNumber { expectedIDs[hid, default: []].insert(cut(10)) }
        }
        for r in try Row.fetchAll(db, sql: "SELECT id, search_sig, id_sig FROM household") {
            let sig: String = r["search_sig"], ids: String = r["id_sig"]
            #expect(Set(sig.split(separator: "\u{1}").map(String.init)) == expected[r["id"]] ?? [], "household \(r["id"] as Int64)")
            #expect(Set(ids.split(separator: "\u{1}").map(String.init)) == expectedIDs[r["id"]] ?? [], "household \(r["id"] as Int64) IDs")
        }
        #expect(try Int.fetchOne(db, sql: """
            SELECT count(*) FROM assistance_case c JOIN household h ON h.id = c.household_id WHERE c.id_sig IS NOT h.id_sig
            """) == 0)
    }

    @Test func theSignatureFollowsTheMembers() throws {
        let s = try Self.build()
        try s.read { db in try Self.signaturesMatchTheKeys(db) }
        let hid = try s.addHousehold(Household(villageCode: "532927101201", address: "x"), members: [person("钱多多", "1977-07-07", seq: 777)], by: "t")
        var p = try s.read { try Store.members($0, householdId: hid) }[0]
        p.name = "孙少少"
        p.idNumber = person("孙少少", "1978-08-08", seq: 778).idNumber
        try s.updatePerson(p, by: "t")
        _ = try s.addPerson(person("欧阳锋", "1980-01-02", seq: 779, relation: "20"), toHousehold: hid, by: "t")
        try s.write { db in
            try db.execute(sql: "UPDATE person SET household_id = 1 WHERE id = (SELECT min(id) FROM person WHERE household_id = 2)")
            try db.execute(sql: "DELETE FROM search_key WHERE person_id = (SELECT max(id) FROM person WHERE household_id = 3)")
            try db.execute(sql: "DELETE FROM person WHERE id = (SELECT max(id) FROM person WHERE household_id = 3)")
            // search_key is moved by the store, not by a trigger: follow the move here.
            try db.execute(sql: "UPDATE search_key SET household_id = 1 WHERE person_id IN (SELECT id FROM person WHERE household_id = 1)")
        }
        try s.read { db in
            try Self.signaturesMatchTheKeys(db)
            // The walk plan (threshold 1) reads the signatures: it agrees with the rule.
            for text in Self.texts + ["sss", "孙少", "ouy", "欧阳锋"] {
                let expected = try Self.bruteForce(db, text)
                let rows = try Store.householdPage(db, HouseholdQuery(text: text), anchor: .first, limit: 1000, planThreshold: 1)
                #expect(Set(rows.map(\.id)) == expected, "text \(text)")
            }
        }
    }

    @Test func searchTextIsClassified() {
        #expect(SearchText("  ") == .none)
        #expect(SearchText("1234x") == .idFragment("1234X"))
        #expect(SearchText("ZSF") == .pinyin("zsf"))
        #expect(SearchText("张") == .name("张"))
        #expect(SearchText("x12") == .pinyin("x12") || SearchText("x12") == .name("x12"))
    }
}
