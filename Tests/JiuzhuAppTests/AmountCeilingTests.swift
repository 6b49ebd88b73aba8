import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// An amount above `amount_ceiling_ratio` (settings, 3) × the computed amount needs the
/// approver's reason and an explicit confirmation; the store refuses it otherwise, naming the
/// ceiling and the computed amount.
@Suite struct AmountCeilingTests {
    let dm = DynamicManagementTests()

    func request(_ amount: Money, reason: String, confirmed: Bool) -> CaseRequest {
        CaseRequest(action: .adjust, actor: "shenpi", role: .approver, date: Fixture.today, reason: "复核",
                    amount: amount, overrideReason: reason, confirmedAboveCeiling: confirmed)
    }

    @Test func anAmountAboveTheCeilingNeedsAReasonAndAConfirmation() throws {
        let s = try dm.setup()
        let id = try DynamicManagementTests.activeCase(s, household: 1)
        func act(_ r: CaseRequest) throws { _ = try s.act(caseId: id, version: try dm.version(s, id), request: r, catalog: DynamicManagementTests.catalog) }

        // With a reason but not confirmed: refused, the message names the ceiling and the computed amount.
        let huge = Money(yuan: 999_999)
        var computed = Money.zero
        do { try act(request(huge, reason: "家中有重病人", confirmed: false)); Issue.record("an amount above the ceiling went through") }
        catch let e as StoreError {
            guard case .workflow(.aboveCeiling(let a, let c, let ceil, let k), _, _) = e else { Issue.record("\(e)"); return }
            #expect(a == huge && ceil == Money(fen: c.fen * 3) && k == 3)
            computed = c
            let m = e.message(.zh)
            #expect(m.contains(ceil.yuanString) && m.contains(c.yuanString), "\(m)")
        }
        #expect(computed.fen > 0)
        let ceiling = Money(fen: computed.fen * 3)
        let above = Money(fen: ceiling.fen + 1)
        // Confirmed without a reason: refused too.
        #expect(throws: StoreError.self) { try act(request(above, reason: "", confirmed: true)) }
        #expect(try dm.status(s, id).1 == 30000)
        // At the ceiling itself no confirmation is asked.
        try act(request(ceiling, reason: "复核认定", confirmed: false))
        #expect(try dm.status(s, id).1 == ceiling.fen)
        // Confirmed with a reason: done, and the record says so.
        try act(request(above, reason: "家中有重病人", confirmed: true))
        #expect(try dm.status(s, id).1 == above.fen)
        let last = try #require(try s.read { db in try Store.caseSteps(db, caseId: id) }.last)
        #expect(last.inputs.contains("aboveCeilingConfirmed"), "\(last.inputs)")
    }

    /// The ratio is the county's setting: raised, the same amount needs no confirmation.
    @Test func theCeilingIsASetting() throws {
        let s = try dm.setup()
        let id = try DynamicManagementTests.activeCase(s, household: 2)
        let row = try #require(try s.settingRows().first { $0.key == "amount_ceiling_ratio" })
        #expect(row.value == "3")
        // Refused at 3 ×, which names the computed amount ...
        var computed = Money.zero
        do {
            _ = try s.act(caseId: id, version: try dm.version(s, id), request: request(Money(yuan: 999_999), reason: "复核认定", confirmed: false),
                          catalog: DynamicManagementTests.catalog)
            Issue.record("not refused")
        } catch StoreError.workflow(.aboveCeiling(_, let c, _, _), _, _) { computed = c }
        // ... and taken without a confirmation at 10 ×.
        try s.changeSetting(key: "amount_ceiling_ratio", value: "10", version: row.version, by: "test")
        let amount = Money(fen: computed.fen * 3 + 1)
        _ = try s.act(caseId: id, version: try dm.version(s, id), request: request(amount, reason: "复核认定", confirmed: false),
                      catalog: DynamicManagementTests.catalog)
        #expect(try dm.status(s, id).1 == amount.fen)
    }
}
