import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// 抽查督查 from the keys: a draw with a given seed, then a visit recorded on the check form from
/// screens/spotcheck.json, a discrepancy and its proposed action stored.
@Suite(.serialized) struct SpotCheckScreenTests {
    @Test func supervisorDrawsAndRecordsAVisit() throws {
        let store = try Fixture.store(households: 10)
        for h in 1...10 { _ = try CaseFixture.ruralCase(store, household: Int64(h), at: "payment", since: Fixture.today.adding(days: -30)) }
        try store.write { db in try db.execute(sql: "UPDATE assistance_case SET status = 'active'") }
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store))
        func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; r.runUntilIdle() }
        keys(.text("duzha"), .tab, .text("demo"), .enter, .char("6"))
        #expect(backend.screenText.contains("还没有抽查"))
        keys(.function(7), .tab, .backspace, .backspace, .text("50"), .tab, .text("7"), .function(2))
        #expect(r.state.message?.text.contains("种子 7") == true)
        keys(.enter)
        let st = try #require(r.state.top.state(of: SpotDrawScreen.self))
        // 10 active cases (the fixture files them all under 李家村) at 50%: 5.
        #expect(st.records.count == 5)
        let again = try store.drawSpotCheck(programme: .ruralDibao, period: "2026", percent: 50, seed: 7, by: "test", dryRun: true)
        #expect(again.sampledIds.sorted() == st.records.map(\.caseId).sorted())
        // The first sampled household: members not as recorded, propose an adjustment.
        keys(.enter)
        #expect(backend.screenText.contains("核查表"))
        keys(.tab, .tab, .backspace, .text("否"), .tab, .tab, .tab, .tab, .tab, .text("实际只有一人居住"), .tab,
             .backspace, .backspace, .text("调整"), .function(2))
        #expect(r.state.message?.text.contains("调整") == true)
        keys(.enter)
        let row = try store.read { db in try Row.fetchOne(db, sql: "SELECT * FROM spot_check WHERE id = ?", arguments: [st.records[0].id])! }
        #expect(row["discrepancy"] as Int == 1)
        #expect(row["proposed_action"] as String == "adjust")
        #expect((row["findings"] as String).contains("\"members\":false"))
        #expect(backend.screenText.contains("已核查 1/5 户，发现问题 1 户"))
    }
}
