import Foundation
import GRDB
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// Issue 25, ownership: a household row is the township's; the county's decision on one of its
/// cases changes only the row's summary columns (programmes in force), which each file computes
/// from the cases it holds. The township opening another case for the household while the county
/// decides changes the same column on both sides: neither package is refused, the township's
/// columns stand, and both files end with the same row, the summary naming both cases.
@Suite struct CountyHouseholdEditTests {
    @Test func aHouseholdChangedOnBothSidesEndsTheSameInBothFiles() throws {
        let pair = try CountyPair()
        defer { pair.remove() }
        let file = pair.file
        let catalog = CaseFixture.catalog
        let t = pair.township, county = pair.county, hid = pair.householdId, cid = pair.caseId
        func programmes(_ s: Store) throws -> String {
            // (a missing row throws, and the test fails with it)
            try s.read { try String.fetchOne($0, sql: "SELECT programmes FROM household WHERE id = ?", arguments: [hid]) } ?? { throw StoreError.invalid("no household \(hid)") }()
        }
        func row(_ s: Store) throws -> Row? {
            try s.read { try Row.fetchOne($0, sql: "SELECT * FROM household WHERE id = ?", arguments: [hid]) }
        }
        let before = try programmes(county)

        // The county approves the 低保 case: the household's summary changes there.
        let there = try #require(try county.caseFile(id: cid, today: Fixture.today, catalog: catalog))
        let amount = there.assessment.amount
        _ = try county.act(caseId: cid, version: there.caseRecord.version,
                           request: CaseRequest(action: .approve, actor: "shenpi", role: .approver, date: Fixture.today,
                                                inputs: ["approver": "县审批员"], computed: amount, amount: amount), catalog: catalog)
        let decided = try programmes(county)
        #expect(decided != before && decided.contains(Programme.ruralDibao.label.zh), "\(before) -> \(decided)")
        // Meanwhile the township opens a temporary-assistance case for the same household.
        try t.write { db in
            _ = try Store.insertCase(db, Case(householdId: hid, programme: .temporary, step: "application", stepSince: Fixture.today,
                                              appliedOn: Fixture.today, coveredMembers: 1),
                                     steps: [], villageCode: "532927101201", now: "2026-11-23 09:00:00")
            try Store.refreshHouseholdSummary(db, hid)
        }
        #expect(try programmes(t) != before && programmes(t) != decided)

        // Both packages apply, in either order of arrival; the rows end equal.
        _ = try t.exportPackage(to: file("t2.jzx"), by: "test")
        _ = try county.exportPackage(to: file("c1.jzx"), township: "532927101000", by: "test")
        try county.importPackage(from: file("t2.jzx"), by: "test")
        try t.importPackage(from: file("c1.jzx"), by: "test")
        let both = try programmes(t)
        #expect(both.contains(Programme.ruralDibao.label.zh), "\(both)")
        #expect(both.contains(Programme.temporary.label.zh), "\(both)")
        #expect(try row(t) == row(county))
        // Nothing refused, nothing lost: the keyed digests and the audit chains verify on both sides.
        for s in [t, county] {
            let rows = try s.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit") ?? 0 }
            #expect(try s.verifyAudit() == .intact(rows: rows))
        }
    }
}
