import CSQLiteSession
import Foundation
import GRDB
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// A county of townships (issue 25): ids in each file's block, the county's packages written
/// per township, ownership at the write, and any interleaving of work and exchanges ending with
/// the county file equal to the union of the townships' records.
@Suite struct ExchangeCountyTests {
    final class Dir {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("jz-county-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        func file(_ n: String) -> String { url.appendingPathComponent(n).path }
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    /// The exchanged tables (what packages carry: `jz_is_exchanged`), each a set of its rows.
    static func exchanged(_ s: Store) throws -> [String: Set<String>] {
        try s.read { db in
            var out: [String: Set<String>] = [:]
            for t in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            where jz_is_exchanged(t) != 0 {
                out[t] = Set(try Row.fetchAll(db, sql: "SELECT * FROM \(t)").map(\.description))
            }
            return out
        }
    }

    /// Household work at a township, and now and then a case in force (for the county's campaign).
    static func work(_ s: Store, township: String, rng: inout SplitMix, steps: Int, serial: inout Int) throws {
        let village = "532927\(township)20\(1 + serial % 2)"
        for _ in 0..<steps {
            serial += 1
            let n = serial
            let households = try s.read { try Int64.fetchAll($0, sql: "SELECT id FROM household") }
            switch households.isEmpty ? 0 : rng.next() % 4 {
            case 0:
                _ = try s.addHousehold(Household(villageCode: village, address: "\(n)号"),
                                       members: [person("户主\(n)", "1960-01-0\(1 + n % 9)", seq: n)], by: "jingban")
            case 1:
                let h = households[Int(rng.next() % UInt64(households.count))]
                try s.addPerson(person("成员\(n)", "1990-02-0\(1 + n % 9)", seq: n, relation: "20"), toHousehold: h, by: "jingban")
            case 2:
                let ids = try s.read { try Int64.fetchAll($0, sql: "SELECT id FROM person") }
                var p = try #require(try s.read { try Store.person($0, id: ids[Int(rng.next() % UInt64(ids.count))]) })
                p.name += "改"
                try s.updatePerson(p, by: "jingban")
            default:
                let h = households[Int(rng.next() % UInt64(households.count))]
                try s.write { db in
                    try Store.insertCase(db, Case(householdId: h, programme: .ruralDibao, step: "county_approval", stepSince: Fixture.today,
                                                  status: .active, appliedOn: Fixture.today, monthlyAmount: Money(fen: 30_000), coveredMembers: 1),
                                         steps: [CaseStepRecord(caseId: 0, step: "application", action: "done", actor: "jingban",
                                                                actedOn: Fixture.today, note: "", inputs: "{}")],
                                         villageCode: village, now: "2026-11-23T00:00:00Z")
                }
            }
        }
    }

    /// Every exchanged table keyed by an integer id takes its ids AUTOINCREMENT (migration v25, or
    /// its own declaration if made later): without it a township's empty table would start at 1,
    /// outside its block, and clash at the county.
    @Test func everyExchangedIdTableIsAutoincrement() throws {
        let s = try makeStore()
        let missing = try s.read { db in
            try IdBlock.idTables(db).filter { t in
                !((try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [t]) ?? "").contains("AUTOINCREMENT"))
            }
        }
        let tables = try s.read { try IdBlock.idTables($0) }
        #expect(tables.count > 20 && tables.contains("case_step") && tables.contains("payment_roster"))
        #expect(missing.isEmpty, "not AUTOINCREMENT: \(missing)")
        #expect(try s.integrityCheck().isEmpty)
    }

    @Test func aTownshipsRowsMoveIntoItsBlockAndItsNewRowsStayThere() throws {
        let d = try Dir()
        let t = try makeStore(path: d.file("t.sqlite"), township: "101")
        let before = try t.addHousehold(Household(villageCode: "532927101201", address: "1号"), members: [person("甲", "1960-01-01", seq: 1)], by: "jingban")
        #expect(before < IdBlock.size)
        try t.startExchange(side: "township", by: "admin")
        let block = 101 * IdBlock.size
        let ids = try t.read { try Int64.fetchAll($0, sql: "SELECT id FROM household UNION ALL SELECT id FROM person UNION ALL SELECT household_id FROM person UNION ALL SELECT household_id FROM search_key") }
        #expect(!ids.isEmpty && ids.allSatisfy { $0 >= block && $0 < block + IdBlock.size })
        #expect(try t.read { try Int64.fetchOne($0, sql: "SELECT id FROM household") } == before + block)
        let after = try t.addHousehold(Household(villageCode: "532927101201", address: "2号"), members: [person("乙", "1960-01-02", seq: 2)], by: "jingban")
        #expect(after == before + block + 1)
        #expect(IdBlock.describe(after) == "101-\(before + 1)")
        // The keyed digests took the move as a delta; the audit chain and the search figures stand.
        let rows = try t.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit") ?? 0 }
        #expect(try t.verifyAudit() == .intact(rows: rows))
        #expect(try #require(try t.verifySearchCounts()).differ.isEmpty)
        // Starting twice is refused; a township file cannot start as the county.
        #expect(throws: StoreError.said("store.exchange.started")) { try t.startExchange(side: "township", by: "admin") }
        let u = try makeStore(path: d.file("u.sqlite"), township: "102")
        #expect(throws: StoreError.self) { try u.startExchange(side: "county", by: "admin") }
        // The baseline travels: a new county file receives the township as it is.
        let county = try makeStore(path: d.file("c.sqlite"), township: "000")
        try county.startExchange(side: "county", by: "admin")
        _ = try t.exportPackage(to: d.file("t1.jzx"), by: "admin")
        try county.importPackage(from: d.file("t1.jzx"), by: "admin")
        #expect(try Self.exchanged(county)["household"] == Self.exchanged(t)["household"])
        #expect(try Self.exchanged(county)["person"] == Self.exchanged(t)["person"])
        #expect(try #require(try county.verifySearchCounts()).differ.isEmpty)
        // At the county a household is township work, refused where it is written.
        #expect(throws: StoreError.said("store.exchange.townshipWork", ["table": "household"])) {
            try county.addHousehold(Household(villageCode: "532927101201", address: "3号"), members: [person("丙", "1960-01-03", seq: 3)], by: "admin")
        }
        #expect(try county.read { try Store.newId($0, "case_step") }.map { $0 < IdBlock.size } == true)
    }

    /// The filter writes SQLite's own changeset format: keeping every change gives back the
    /// same bytes, keeping some gives a changeset SQLite reads with just those.
    @Test func aFilteredChangesetIsTheChangesetOfTheKeptChanges() throws {
        let t = try makeStore(township: "101")
        try t.startExchange(side: "township", by: "admin")
        var rng = SplitMix(seed: 5)
        var serial = 0
        try Self.work(t, township: "101", rng: &rng, steps: 20, serial: &serial)
        let all = try t.outbox(after: 0).changes
        let n = try #require(Changes.count(all))
        let (keys, built) = try t.read { db in
            let k = try #require(try Changes.keys(db, all))
            return (k, try Changes.filter(all, keep: (0..<n).map { _ in true }))
        }
        #expect(built == all)
        let everyOther = (0..<n).map { $0 % 2 == 0 }
        let half = try Changes.filter(all, keep: everyOther)
        let halfKeys = try t.read { try #require(try Changes.keys($0, half)) }
        #expect(halfKeys.map { "\($0.table) \($0.op) \($0.condition)" }
                == keys.enumerated().filter { $0.offset % 2 == 0 }.map { "\($0.element.table) \($0.element.op) \($0.element.condition)" })
    }

    /// Property: any interleaving of township work and package exchanges, in both directions,
    /// ends — once every file has sent what it has — with the county's records equal, table by
    /// table, to the union of the townships' own, every chain continuous (each import checked
    /// it), the search figures right at the county, and `verify` passing everywhere.
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func anyInterleavingEndsWithTheCountyEqualToTheUnionOfTheTownships(seed: UInt64) throws {
        let d = try Dir()
        var rng = SplitMix(seed: seed)
        let codes = ["101", "102"]
        let towns = try codes.map { try makeStore(path: d.file("t\($0).sqlite"), township: $0) }
        for t in towns { try t.startExchange(side: "township", by: "admin") }
        let county = try makeStore(path: d.file("county.sqlite"), township: "000")
        try county.startExchange(side: "county", by: "admin")
        var serials = [0, 400]
        var packages = 0
        var campaign: Int64?
        // Packages held up on the way (in a drawer, on a stick): delivered late, out of order, or never.
        var late: [(store: Store, file: String)] = []
        func deliver(_ f: String, to s: Store, delay: Bool) throws {
            // A package may bring nothing new (the other side had not heard back and sent again):
            // refused as a replay, or taken for its acknowledgement; never a gap, never applied twice.
            if delay { late.append((s, f)) } else { try take(f, s) }
        }
        func take(_ f: String, _ s: Store) throws {
            do { try s.importPackage(from: f, by: "admin") } catch StoreError.said("store.exchange.replay", _) {}
        }
        func up(_ k: Int, delay: Bool = false) throws {
            packages += 1
            let f = d.file("up\(packages).jzx")
            // Nothing new to send is the one refusal that may happen here; any other fails the test.
            do { _ = try towns[k].exportPackage(to: f, by: "admin") } catch let e as StoreError where e == .said("store.exchange.nothingToSend") { return }
            try deliver(f, to: county, delay: delay)
        }
        func down(_ k: Int, delay: Bool = false) throws {
            packages += 1
            let f = d.file("down\(packages).jzx")
            do { _ = try county.exportPackage(to: f, township: "532927\(codes[k])000", by: "admin") }
            catch let e as StoreError where e == .said("store.exchange.nothingToSend") { return }
            try deliver(f, to: towns[k], delay: delay)
        }
        for _ in 0..<32 {
            let k = Int(rng.next() % 2)
            switch rng.next() % 7 {
            case 0, 1: try Self.work(towns[k], township: codes[k], rng: &rng, steps: 1 + Int(rng.next() % 3), serial: &serials[k])
            case 2: try up(k, delay: rng.next() % 3 == 0)
            case 3: try down(k, delay: rng.next() % 3 == 0)
            case 4:
                // A late package applies what it brings that is new, or is refused as a replay
                // when a later one brought it all; it never leaves a gap nor applies anything twice.
                guard !late.isEmpty else { break }
                let (s, f) = late.remove(at: Int(rng.next() % UInt64(late.count)))
                try take(f, s)
            default:
                // The county's own work on the townships' cases: a campaign over every case in
                // force, then a check of one of them.
                if campaign == nil {
                    campaign = try? county.startCampaign(name: "阳光行动", programme: .ruralDibao, startedOn: Fixture.today,
                                                         endsOn: Fixture.today.adding(days: 60), by: "admin")
                } else if let c = campaign {
                    let listed = try county.read { try Int64.fetchAll($0, sql: "SELECT case_id FROM campaign_case WHERE campaign_id = ? AND checked_on IS NULL", arguments: [c]) }
                    if !listed.isEmpty {
                        try county.recordCampaignCheck(campaignId: c, caseId: listed[Int(rng.next() % UInt64(listed.count))], on: Fixture.today,
                                                       by: "admin", finding: "", proposed: .none)
                    }
                }
            }
        }
        // Everyone sends what is left, the county last (so its packages carry everything back).
        for k in towns.indices { try up(k) }
        for k in towns.indices { try down(k) }
        // Every township's entries are acknowledged: packages do not grow for ever.
        for (k, t) in towns.enumerated() {
            let recorded = try t.read { try Int64.fetchOne($0, sql: "SELECT max(seq) FROM exchange_outbox") ?? 0 }
            #expect(try t.exchangeStatus().acked == recorded, "township \(codes[k])")
            // Left to send: at most its acknowledgement of the county's last package, and then nothing.
            do {
                let p = try t.exportPackage(to: d.file("ack\(k).jzx"), by: "admin")
                #expect(p.entries.isEmpty)
                #expect(try county.importPackage(from: d.file("ack\(k).jzx"), by: "admin").applied == 0)
                #expect(try county.exchangeStatus().ackedBy["532927\(codes[k])000"] == p.ack.seq)
            } catch StoreError.said("store.exchange.nothingToSend", _) {}
            #expect(throws: StoreError.said("store.exchange.nothingToSend")) { try t.exportPackage(to: d.file("none\(k).jzx"), by: "admin") }
        }
        let c = try Self.exchanged(county)
        let parts = try towns.map(Self.exchanged)
        for (t, rows) in c {
            let union = parts.reduce(into: Set<String>()) { $0.formUnion($1[t] ?? []) }
            #expect(rows == union, "table \(t): county \(rows.count) rows, townships \(union.count)")
        }
        // Each township holds only its own records and the county's for it (nothing of the other).
        for (k, code) in codes.enumerated() {
            let other = (code == "101" ? 102 : 101) * IdBlock.size
            let foreign = try towns[k].read { try Int.fetchOne($0, sql: "SELECT count(*) FROM household WHERE id >= ? AND id < ?", arguments: [other, other + IdBlock.size]) }
            #expect(foreign == 0)
        }
        for s in towns + [county] {
            let rows = try s.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit") ?? 0 }
            #expect(try s.verifyAudit() == .intact(rows: rows))
            #expect(try #require(try s.verifySearchCounts()).differ.isEmpty)
        }
    }

    /// A package is refused whole when replayed, cut short, out of order, from another file under
    /// a known township code, or written for another township; nothing of it applies.
    @Test func aReplayedTruncatedReorderedForeignOrMisaddressedPackageIsRefused() throws {
        let d = try Dir()
        let a = try makeStore(path: d.file("a.sqlite"), township: "101"), b = try makeStore(path: d.file("b.sqlite"), township: "102")
        let county = try makeStore(path: d.file("c.sqlite"), township: "000")
        for t in [a, b] { try t.startExchange(side: "township", by: "admin") }
        try county.startExchange(side: "county", by: "admin")
        var rng = SplitMix(seed: 9)
        var sa = 0, sb = 400
        try Self.work(a, township: "101", rng: &rng, steps: 4, serial: &sa)
        let hid = try #require(try a.read { try Int64.fetchOne($0, sql: "SELECT min(id) FROM household") })
        _ = try a.write { db in
            try Store.insertCase(db, Case(householdId: hid, programme: .ruralDibao, step: "county_approval", stepSince: Fixture.today,
                                          status: .active, appliedOn: Fixture.today, monthlyAmount: Money(fen: 30_000), coveredMembers: 1),
                                 steps: [CaseStepRecord(caseId: 0, step: "application", action: "done", actor: "jingban",
                                                        actedOn: Fixture.today, note: "", inputs: "{}")],
                                 villageCode: "532927101201", now: "2026-11-23T00:00:00Z")
        }
        let a1 = try a.exportPackage(to: d.file("a1.jzx"), by: "admin")
        try Self.work(a, township: "101", rng: &rng, steps: 4, serial: &sa)
        let a2 = try a.exportPackage(to: d.file("a2.jzx"), by: "admin")
        try Self.work(b, township: "102", rng: &rng, steps: 4, serial: &sb)
        _ = try b.exportPackage(to: d.file("b1.jzx"), by: "admin")
        let empty = try Self.exchanged(county)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: d.file("a2.jzx")))
        #expect(FileManager.default.createFile(atPath: d.file("cut.jzx"), contents: bytes.prefix(bytes.count * 3 / 4)))
        #expect(throws: StoreError.self) { try county.importPackage(from: d.file("cut.jzx"), by: "admin") }
        #expect(try Self.exchanged(county) == empty)
        // Out of order: a2 arrives first. Nothing was acknowledged, so it carries a1's entries
        // too and applies them all; a1, arriving late, brings nothing new and is refused.
        #expect(a2.fromSeq == 1 && a2.toSeq > a1.toSeq)
        try county.importPackage(from: d.file("a2.jzx"), by: "admin")
        let once = try Self.exchanged(county)
        #expect(throws: StoreError.said("store.exchange.replay", ["from": "1", "expected": String(a2.toSeq + 1)])) { try county.importPackage(from: d.file("a1.jzx"), by: "admin") }
        #expect(throws: StoreError.said("store.exchange.replay", ["from": "1", "expected": String(a2.toSeq + 1)])) { try county.importPackage(from: d.file("a2.jzx"), by: "admin") }
        #expect(try Self.exchanged(county) == once)
        // Another file calling itself township 101.
        let impostor = try makeStore(path: d.file("i.sqlite"), township: "101")
        try impostor.startExchange(side: "township", by: "admin")
        _ = try impostor.exportPackage(to: d.file("i1.jzx"), by: "admin")
        #expect(throws: StoreError.self) { try county.importPackage(from: d.file("i1.jzx"), by: "admin") }
        #expect(try Self.exchanged(county) == once)
        // A township's package taken to another township; the county's for 101 taken to 102.
        #expect(throws: StoreError.said("store.exchange.notForUs", ["to": "532927000000", "me": "532927102000"])) {
            try b.importPackage(from: d.file("a1.jzx"), by: "admin")
        }
        try county.importPackage(from: d.file("b1.jzx"), by: "admin")
        _ = try county.startCampaign(name: "阳光行动", programme: .ruralDibao, startedOn: Fixture.today, endsOn: Fixture.today.adding(days: 30), by: "admin")
        _ = try county.exportPackage(to: d.file("c-a.jzx"), township: "532927101000", by: "admin")
        #expect(throws: StoreError.said("store.exchange.notForUs", ["to": "532927101000", "me": "532927102000"])) {
            try b.importPackage(from: d.file("c-a.jzx"), by: "admin")
        }
        #expect(throws: StoreError.said("store.exchange.whichTownship", ["township": ""])) {
            try county.exportPackage(to: d.file("c-x.jzx"), by: "admin")
        }
    }
}
