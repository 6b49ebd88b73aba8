import Foundation
import GRDB
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// The change capture under issue 25's exchange packages: SQLite's session extension records
/// each write transaction of a file taking part, and the other side applies the changes all or
/// nothing.
@Suite struct ExchangeTests {
    /// Every table but the exchange's own, SQLite's, the keyed digests and the audit chain
    /// (each side keeps its own audit rows until records carry their township), row by row.
    static func tables(_ s: Store) throws -> [String: [String]] {
        try s.read { db in
            var out: [String: [String]] = [:]
            let names = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'exchange_%'
                AND name NOT IN ('guard_digest', 'audit', 'grdb_migrations')
                """)
            for t in names {
                out[t] = try Row.fetchAll(db, sql: "SELECT * FROM \(t)").map { $0.description }.sorted()
            }
            return out
        }
    }

    /// Random household work at the township (adds, members added, members edited), seeded.
    static func work(_ s: Store, seed: UInt64, steps: Int, from: Int) throws {
        var rng = SplitMix(seed: seed)
        var households: [Int64] = try s.read { try Int64.fetchAll($0, sql: "SELECT id FROM household") }
        for i in 0..<steps {
            let n = from + i
            switch households.isEmpty ? 0 : rng.next() % 3 {
            case 0:
                let head = person("户主\(n)", "1960-01-0\(1 + n % 9)", seq: n)
                households.append(try s.addHousehold(Household(villageCode: n % 2 == 0 ? "532927101201" : "532927101202",
                                                               address: "\(n)号"), members: [head], by: "jingban"))
            case 1:
                let h = households[Int(rng.next() % UInt64(households.count))]
                try s.addPerson(person("成员\(n)", "1990-02-0\(1 + n % 9)", seq: n, relation: "20"), toHousehold: h, by: "jingban")
            default:
                let ids = try s.read { try Int64.fetchAll($0, sql: "SELECT id FROM person") }
                let id = ids[Int(rng.next() % UInt64(ids.count))]
                var p = try #require(try s.read { try Store.person($0, id: id) })
                p.name += "改"
                try s.updatePerson(p, by: "jingban")
            }
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func aTownshipsRecordedChangesMakeTheOtherFileEqualTableByTable(seed: UInt64) throws {
        let township = try makeStore(), county = try makeStore()
        #expect(try Self.tables(township) == Self.tables(county))
        try township.startExchange(side: "township", by: "admin")
        // Two packages, the second after more work: applied in order, the files agree each time.
        try Self.work(township, seed: seed, steps: 12, from: 1)
        let first = try township.outbox(after: 0)
        #expect(first.last > 0)
        #expect(try county.applyChanges(first.changes, from: "532927101000", by: "admin") > 0)
        #expect(try Self.tables(township) == Self.tables(county))
        try Self.work(township, seed: seed &+ 100, steps: 12, from: 100)
        let second = try township.outbox(after: first.last)
        try county.applyChanges(second.changes, from: "532927101000", by: "admin")
        #expect(try Self.tables(township) == Self.tables(county))
        // Applying is not recorded for sending back.
        #expect(try county.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM exchange_outbox") } == 0)
    }

    @Test func aReplayedTruncatedOrOutOfOrderPackageIsRefusedWholeAndChangesNothing() throws {
        let township = try makeStore(), county = try makeStore()
        try township.startExchange(side: "township", by: "admin")
        try Self.work(township, seed: 7, steps: 6, from: 1)
        let first = try township.outbox(after: 0)
        try Self.work(township, seed: 8, steps: 6, from: 50)
        let second = try township.outbox(after: first.last)
        // The second before the first: it edits rows the county has not got.
        let before = try Self.tables(county)
        #expect(throws: StoreError.self) { try county.applyChanges(second.changes, from: "t", by: "admin") }
        #expect(try Self.tables(county) == before)
        try county.applyChanges(first.changes, from: "t", by: "admin")
        let once = try Self.tables(county)
        // The same package again: every insert meets its row.
        #expect(throws: StoreError.self) { try county.applyChanges(first.changes, from: "t", by: "admin") }
        #expect(try Self.tables(county) == once)
        // Cut short, as a copy interrupted on a USB stick would be.
        let cut = second.changes.prefix(second.changes.count * 2 / 3)
        #expect(Changes.count(Data(cut)) == nil)
        #expect(throws: StoreError.self) { try county.applyChanges(Data(cut), from: "t", by: "admin") }
        #expect(try Self.tables(county) == once)
        try county.applyChanges(second.changes, from: "t", by: "admin")
        #expect(try Self.tables(township) == Self.tables(county))
    }

    /// Two keyed files, each with its own key: the county's digests follow the rows a package
    /// changes (its triggers are off while it applies), so `verify` passes there; a change made
    /// at the county outside the program before a package arrives is still found after it.
    @Test func theReceiversKeyedDigestsFollowTheAppliedRowsWithoutHidingATamper() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jz-exchange-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let township = try makeStore(path: dir.appendingPathComponent("township.sqlite").path)
        let county = try makeStore(path: dir.appendingPathComponent("county.sqlite").path)
        try township.startExchange(side: "township", by: "admin")
        try Self.work(township, seed: 11, steps: 8, from: 1)
        // Guarded rows too: a case with its steps, and an amount changed afterwards.
        let hid = try #require(try township.read { try Int64.fetchOne($0, sql: "SELECT min(id) FROM household") })
        let cid = try township.write { db in
            try Store.insertCase(db, Case(householdId: hid, programme: .ruralDibao, step: "application", stepSince: Fixture.today,
                                          status: .inProgress, appliedOn: Fixture.today),
                                 steps: [CaseStepRecord(caseId: 0, step: "application", action: "done", actor: "jingban",
                                                        actedOn: Fixture.today, note: "", inputs: "{}")],
                                 villageCode: "532927101201", now: "2026-11-23T00:00:00Z")
        }
        try township.write { db in
            try db.execute(sql: "UPDATE assistance_case SET monthly_amount_fen = 30000 WHERE id = ?", arguments: [cid])
        }
        let first = try township.outbox(after: 0)
        try county.applyChanges(first.changes, from: "532927101000", by: "admin")
        #expect(try Self.tables(township) == Self.tables(county))
        #expect(try county.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM assistance_case") } == 1)
        let rows = try county.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit") ?? 0 }
        #expect(try county.verifyAudit() == .intact(rows: rows))
        // A tool changes a user's role at the county behind the program's back; then the next
        // package (which touches the case, not the user) arrives.
        let q = try DatabaseQueue(path: county.path)
        try q.write { db in
            try db.execute(sql: "DROP TRIGGER jz_guard_app_user_upd")
            try db.execute(sql: "UPDATE app_user SET role = 'admin' WHERE name = 't'")
        }
        try q.close()
        try county.write { try Guarded.installTriggers($0) }
        try township.write { db in
            try db.execute(sql: "UPDATE assistance_case SET monthly_amount_fen = 35000 WHERE id = ?", arguments: [cid])
        }
        let second = try township.outbox(after: first.last)
        try county.applyChanges(second.changes, from: "532927101000", by: "admin")
        #expect(try county.read { try Int64.fetchOne($0, sql: "SELECT monthly_amount_fen FROM assistance_case") } == 35000)
        switch try county.verifyAudit() {
        case .broken(_, let why): #expect(why.text(.en).contains("app_user") && !why.text(.en).contains("assistance_case"), "\(why)")
        default: Issue.record("a role changed outside the program passed verify after a package")
        }
    }

    /// Packages as files: continuity checked before anything is applied (a gap, a replay, a
    /// damaged file, a package from another file under a known township code, one's own
    /// package are refused whole); the sender's audit rows kept apart; and the county's
    /// decision travelling back to the township the same way.
    @Test func packagesTravelBothWaysAndABrokenSequenceIsRefusedWhole() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jz-package-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func file(_ n: String) -> String { dir.appendingPathComponent(n).path }
        let township = try makeStore(path: file("township.sqlite")), county = try makeStore(path: file("county.sqlite"), township: "000")
        try township.startExchange(side: "township", by: "admin")
        try county.startExchange(side: "county", by: "admin")
        try Self.work(township, seed: 21, steps: 6, from: 1)
        // A case in force, for the county's campaign below.
        let hid = try #require(try township.read { try Int64.fetchOne($0, sql: "SELECT min(id) FROM household") })
        let cid = try township.write { db in
            try Store.insertCase(db, Case(householdId: hid, programme: .ruralDibao, step: "county_approval", stepSince: Fixture.today,
                                          status: .active, appliedOn: Fixture.today, monthlyAmount: Money(fen: 30_000), coveredMembers: 1),
                                 steps: [CaseStepRecord(caseId: 0, step: "application", action: "done", actor: "jingban",
                                                        actedOn: Fixture.today, note: "", inputs: "{}")],
                                 villageCode: "532927101201", now: "2026-11-23T00:00:00Z")
        }
        let p1 = try township.exportPackage(to: file("p1.jzx"), by: "admin")
        #expect(p1.fromSeq == 1 && !p1.audit.isEmpty)
        #expect(try FileManager.default.attributesOfItem(atPath: file("p1.jzx"))[.posixPermissions] as? Int == 0o600)
        // Not acknowledged yet: the next package carries p1's entries again (p1 may be lost on
        // the way), the same entries with the same chain, and what came after.
        try Self.work(township, seed: 22, steps: 6, from: 40)
        let p2 = try township.exportPackage(to: file("p2.jzx"), by: "admin")
        #expect(p2.fromSeq == 1 && p2.toSeq > p1.toSeq)
        #expect(Array(p2.entries.prefix(p1.entries.count)) == p1.entries)
        let before = try Self.tables(county)
        // Cut short on the way.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file("p1.jzx")))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: file("cut.jzx")))
        #expect(throws: StoreError.self) { try county.importPackage(from: file("cut.jzx"), by: "admin") }
        #expect(try Self.tables(county) == before)
        // A package of another version's format is named as such.
        try FileManager.default.copyItem(atPath: file("p1.jzx"), toPath: file("old.jzx"))
        try DatabaseQueue(path: file("old.jzx")).write { try $0.execute(sql: "UPDATE package SET value = 'jiuzhu-exchange-2' WHERE key = 'format'") }
        #expect(throws: StoreError.said("store.exchange.otherFormat", ["path": file("old.jzx"), "format": "jiuzhu-exchange-2",
                                                                      "expected": ExchangePackage.format])) {
            try county.importPackage(from: file("old.jzx"), by: "admin")
        }
        #expect(try county.importPackage(from: file("p1.jzx"), by: "admin").applied == p1.entries.count)
        // The county's file as it was after p1, for the gap below.
        _ = try county.backup(to: file("county-before.sqlite"), by: "admin")
        try FileManager.default.copyItem(atPath: file("county.sqlite.key"), toPath: file("county-before.sqlite.key"))
        #expect(throws: StoreError.said("store.exchange.replay", ["from": "1", "expected": String(p1.toSeq + 1)])) {
            try county.importPackage(from: file("p1.jzx"), by: "admin")
        }
        // p2 brings p1's entries again: only the ones after them apply.
        #expect(try county.importPackage(from: file("p2.jzx"), by: "admin").applied == Int(p2.toSeq - p1.toSeq))
        #expect(try ExchangeCountyTests.exchanged(township) == ExchangeCountyTests.exchanged(county))
        #expect(throws: StoreError.said("store.exchange.replay", ["from": "1", "expected": String(p2.toSeq + 1)])) {
            try county.importPackage(from: file("p2.jzx"), by: "admin")
        }
        // The township's audit rows are at the county, apart from its own chain, and verify passes.
        let carried = try county.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM exchange_audit") }
        #expect(p2.audit.count > p1.audit.count && carried == p2.audit.count)
        let rows = try county.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit") ?? 0 }
        #expect(try county.verifyAudit() == .intact(rows: rows))
        // Another file under the same township code, and the county's own package to itself.
        let impostor = try makeStore(path: file("impostor.sqlite"))
        try impostor.startExchange(side: "township", by: "admin")
        try Self.work(impostor, seed: 23, steps: 2, from: 80)
        _ = try impostor.exportPackage(to: file("impostor.jzx"), by: "admin")
        #expect(throws: StoreError.self) { try county.importPackage(from: file("impostor.jzx"), by: "admin") }
        // The county's own work on the township's case (a campaign lists it) goes back by a
        // package written for that township; a member added at the county is refused there.
        #expect(throws: StoreError.said("store.exchange.townshipWork", ["table": "person"])) {
            try county.addPerson(person("县加", "1990-03-03", seq: 900, relation: "20"), toHousehold: hid, by: "jingban")
        }
        let campaign = try county.startCampaign(name: "阳光行动", programme: .ruralDibao, startedOn: Fixture.today,
                                                endsOn: Fixture.today.adding(days: 30), by: "admin")
        #expect(campaign < IdBlock.size)
        _ = try county.exportPackage(to: file("back.jzx"), township: "532927101000", by: "admin")
        #expect(throws: StoreError.said("store.exchange.ownPackage")) { try county.importPackage(from: file("back.jzx"), by: "admin") }
        try township.importPackage(from: file("back.jzx"), by: "admin")
        #expect(try township.read { try Int64.fetchOne($0, sql: "SELECT case_id FROM campaign_case WHERE campaign_id = ?", arguments: [campaign]) } == cid)
        #expect(try ExchangeCountyTests.exchanged(township) == ExchangeCountyTests.exchanged(county))
        // The county's package acknowledged p2: the township's next starts after it. With no
        // new entry it still owes the county its acknowledgement of the campaign: a package of
        // that alone, taken at the county; then there is nothing to send.
        #expect(try township.exchangeStatus().acked == p2.toSeq)
        let ackOnly = try township.exportPackage(to: file("ack.jzx"), by: "admin")
        #expect(ackOnly.entries.isEmpty && ackOnly.ack.seq == 1)
        #expect(try county.importPackage(from: file("ack.jzx"), by: "admin").applied == 0)
        #expect(try county.exchangeStatus().ackedBy["532927101000"] == 1)
        #expect(throws: StoreError.said("store.exchange.ackSeen")) {
            try county.importPackage(from: file("ack.jzx"), by: "admin")
        }
        #expect(throws: StoreError.said("store.exchange.nothingToSend")) { try township.exportPackage(to: file("empty.jzx"), by: "admin") }
        try Self.work(township, seed: 24, steps: 3, from: 120)
        let p3 = try township.exportPackage(to: file("p3.jzx"), by: "admin")
        #expect(p3.fromSeq == p2.toSeq + 1)
        // A county file restored from a backup taken after p1 lacks what p3 builds on (p2's
        // entries): a gap, refused whole. What it decides anew differs from what the township
        // holds from the county: its package does not follow on, refused whole.
        let restored = try Store(path: file("county-before.sqlite"), mode: .mustExist)
        let was = try Self.tables(restored)
        #expect(throws: StoreError.said("store.exchange.gap", ["from": String(p3.fromSeq), "expected": String(p1.toSeq + 1)])) {
            try restored.importPackage(from: file("p3.jzx"), by: "admin")
        }
        #expect(try Self.tables(restored) == was)
        let again = try restored.startCampaign(name: "复查", programme: .ruralDibao, startedOn: Fixture.today, endsOn: Fixture.today.adding(days: 30), by: "admin")
        try restored.recordCampaignCheck(campaignId: again, caseId: cid, on: Fixture.today, by: "admin", finding: "", proposed: .none)
        _ = try restored.exportPackage(to: file("back-restored.jzx"), township: "532927101000", by: "admin")
        #expect(throws: StoreError.said("store.exchange.chainBroken")) { try township.importPackage(from: file("back-restored.jzx"), by: "admin") }
        try county.importPackage(from: file("p3.jzx"), by: "admin")
        #expect(try ExchangeCountyTests.exchanged(township) == ExchangeCountyTests.exchanged(county))
        let status = try county.exchangeStatus()
        #expect(status.side == "county" && status.received.count == 1 && status.received[0].packages == 3 && status.waiting == 0 && status.acked == 1)
        // The packages written: the county's one to the township, the township's four (p1, p2, its acknowledgement, p3).
        #expect(status.sentPackages["532927101000"]?.count == 1)
        #expect(try township.exchangeStatus().sentPackages["532927000000"]?.count == 4)
        #expect(!status.received[0].overdue)
        // A township silent for longer than exchange_overdue_days (35 unless set) is marked.
        let received = try #require(CivilDate(iso: String(status.received[0].lastAt.prefix(10))))
        let late = try county.exchangeStatus(today: received.adding(days: 36)).received[0]
        #expect(late.overdue && late.daysSince == 36)
        #expect(!(try county.exchangeStatus(today: received.adding(days: 35)).received[0].overdue))
    }
}
