import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// 到期工作 from the keys: an urban household with a member able to work is due its monthly
/// sign-in and a C-class re-check; both are recorded in a few keys and leave the list.
@Suite(.serialized) struct DueWorkTests {
    @Test func signInAndRecheckFromTheList() throws {
        let store = try Fixture.store(households: 32)
        // Household 31 (fixture index 30): head born 1980, able to work.
        let id = try CaseFixture.ruralCase(store, household: 31, at: "payment", since: Fixture.today.adding(days: -200))
        try store.write { db in
            try db.execute(sql: "UPDATE assistance_case SET programme = 'urban_dibao', status = 'active', urban_class = 'C', step = 'county_approval' WHERE id = ?",
                           arguments: [id])
        }
        let due = try store.dueWork(today: Fixture.today)
        #expect(due.contains { $0.kind == .signIn && $0.caseId == id })
        // Decided 200 days ago, class C every 3 months: overdue.
        #expect(due.contains { $0.kind == .recheck && $0.caseId == id && $0.overdue })

        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store))
        func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; r.runUntilIdle() }
        keys(.text("duzha"), .tab, .text("demo"), .enter, .char("6"), .function(6))
        let d = try #require(r.state.top.state(of: DueScreen.self))
        let signAt = try #require(d.items.firstIndex { $0.kind == .signIn && $0.caseId == id })
        for _ in 0..<signAt { keys(.down) }
        keys(.enter, .function(2))
        #expect(r.state.message?.text.contains("按月签到") == true)
        keys(.enter)
        let d2 = try #require(r.state.top.state(of: DueScreen.self))
        #expect(!d2.items.contains { $0.kind == .signIn && $0.caseId == id })
        let recheckAt = try #require(d2.items.firstIndex { $0.kind == .recheck && $0.caseId == id })
        for _ in 0..<recheckAt { keys(.down) }
        keys(.enter, .function(2))
        #expect(r.state.dialogError == "请填写“复核结论”。")
        keys(.text("家庭情况无变化"), .function(2), .enter)
        let actions = try store.read { db in try String.fetchAll(db, sql: "SELECT action FROM case_step WHERE case_id = ? ORDER BY id", arguments: [id]) }
        #expect(actions.suffix(2) == ["signin", "recheck"])
        #expect(try !store.dueWork(today: Fixture.today).contains { $0.caseId == id })
    }
}

extension AppState {
    /// The error shown in the box on top, if any (tests).
    var dialogError: String? {
        if let d = top.state(of: DueScreen.self) { return d.dialog?.error }
        return nil
    }
}
