import Foundation
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// Issue 25 and the rosters: the county's decision keeps the county's id, lower than every id
/// of the township's own, and reaches the township when the next package does — perhaps after
/// the township confirmed the roster of the month the decision pays from. The next roster pays
/// that month back (补发), as for a decision made at the township after a roster.
@Suite struct CountyBackPayTests {
    @Test func aCountyDecisionArrivingAfterAConfirmedRosterIsPaidBackOnTheNext() throws {
        let pair = try CountyPair()
        defer { pair.remove() }
        let file = pair.file
        let catalog = CaseFixture.catalog
        let t = pair.township, county = pair.county, cid = pair.caseId

        // The township cannot decide at the county's step.
        let atTownship = try #require(try t.caseFile(id: cid, today: Fixture.today, catalog: catalog))
        let amount = atTownship.assessment.amount
        #expect(throws: StoreError.self) {
            try t.act(caseId: cid, version: atTownship.caseRecord.version,
                      request: CaseRequest(action: .approve, actor: "shenpi", role: .approver, date: Fixture.today,
                                           inputs: ["approver": "审批员"], computed: amount, amount: amount), catalog: catalog)
        }
        // December's roster is made and confirmed at the township before the decision arrives.
        let december = try t.makeRoster(month: "2026-12", programme: .ruralDibao, catalog: catalog, by: "jingban")
        try t.confirmRoster(id: december.id, version: december.version, catalog: catalog, by: "shenpi", today: Fixture.today)
        #expect(try t.rosterLines(id: december.id).contains { $0.caseId == cid } == false)

        // The county approves on 11-23 (paid from December) and sends it back.
        let there = try #require(try county.caseFile(id: cid, today: Fixture.today, catalog: catalog))
        _ = try county.act(caseId: cid, version: there.caseRecord.version,
                           request: CaseRequest(action: .approve, actor: "shenpi", role: .approver, date: Fixture.today,
                                                inputs: ["approver": "县审批员"], computed: amount, amount: amount), catalog: catalog)
        #expect(try county.read { try Int64.fetchOne($0, sql: "SELECT id FROM case_step WHERE case_id = ? AND step = 'county_approval'", arguments: [cid]) }
                .map { $0 < IdBlock.size } == true)
        _ = try county.exportPackage(to: file("c1.jzx"), township: "532927101000", by: "test")
        try t.importPackage(from: file("c1.jzx"), by: "test")

        // The county's file makes no roster: paying is the township's.
        #expect(throws: StoreError.said("store.exchange.townshipWork", ["table": "payment_roster"])) {
            try county.makeRoster(month: "2027-01", programme: .ruralDibao, catalog: catalog, by: "shenpi")
        }
        // January's roster pays January and December's amount back.
        let january = try t.makeRoster(month: "2027-01", programme: .ruralDibao, catalog: catalog, by: "jingban")
        let line = try #require(try t.rosterLines(id: january.id).first { $0.caseId == cid })
        #expect(amount.fen > 0 && line.backPay == amount && line.amount.fen == 2 * amount.fen, "\(line.amount) \(line.backPay) for \(amount)")
    }
}

/// A township (the fixture's, 101) with a rural 低保 case waiting at 县级审批, and a county
/// bureau's file that took the township's first package: the pair the county tests start from.
struct CountyPair {
    let dir: URL
    let township: Store
    let county: Store
    /// The household and the case, as numbered after the township joined the exchange.
    let householdId: Int64
    let caseId: Int64

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("jz-county-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let t = try Fixture.store(households: 4)
        try t.addUser(name: "shenpi", displayName: "审批员", role: .approver, password: "demo", by: "test", iterations: 1000)
        let local = try #require(try t.read { try Int64.fetchOne($0, sql: "SELECT min(id) FROM household") })
        let localCase = try CaseFixture.ruralCase(t, household: local, at: "county_approval", since: Fixture.today.adding(days: -2))
        try t.startExchange(side: "township", by: "test")
        householdId = local + 101 * IdBlock.size
        caseId = localCase + 101 * IdBlock.size

        let county = try Store()
        county.passwordIterations = 1000
        try county.initializeOffice(reference: Fixture.reference, office: Office(countyCode: "532927", countyName: "巍山县",
                                    townshipCode: "532927000000", townshipName: "巍山县民政局"), by: "test")
        try county.addUser(name: "test", displayName: "管理员", role: .admin, password: "demo", by: "init", iterations: 1000)
        try county.addUser(name: "shenpi", displayName: "县审批员", role: .approver, password: "demo", by: "test", iterations: 1000)
        try county.startExchange(side: "county", by: "test")
        township = t
        self.county = county
        _ = try t.exportPackage(to: file("t1.jzx"), by: "test")
        try county.importPackage(from: file("t1.jzx"), by: "test")
    }

    func file(_ n: String) -> String { dir.appendingPathComponent(n).path }
    func remove() { try? FileManager.default.removeItem(at: dir) }
}
