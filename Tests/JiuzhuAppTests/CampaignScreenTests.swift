import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// A 阳光行动 from the keys: the supervisor starts it, a listed case is re-checked from the due
/// work with 清退 proposed, the approver finds it in the queue and stops it as 清退, and the
/// campaign screen counts it in 户 and 人.
@Suite(.serialized) struct CampaignScreenTests {
    func runner(_ store: Store) throws -> (AppRunner, TestBackend) {
        let backend = TestBackend(width: 80, height: 24)
        return (AppRunner(backend: backend, store: store, env: try Fixture.env(store)), backend)
    }

    @Test func startCheckAndStopACaseAsRemoved() throws {
        let store = try Fixture.store(households: 10)
        try store.addUser(name: "shenpi", displayName: "审批员", role: .approver, password: "demo", by: "test", iterations: 1000)
        var ids: [Int64] = []
        for hid in Int64(1)...5 { ids.append(try DynamicManagementTests.activeCase(store, household: hid)) }

        // The supervisor starts the campaign from 6 → F8 → F7.
        var (r, backend) = try runner(store)
        func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; r.runUntilIdle() }
        keys(.text("duzha"), .tab, .text("demo"), .enter, .char("6"), .function(8))
        try #require(r.state.top.id == CampaignScreen.id, "not on the campaigns screen")
        #expect(backend.screenText.contains("还没有专项行动"))
        keys(.function(7), .function(2))
        #expect(r.state.message?.text.contains("列入 5 户") == true, "\(r.state.message?.text ?? "no message")")
        keys(.enter)
        #expect(backend.screenText.contains("阳光行动") && backend.screenText.contains("0/5"))
        let cid = try #require(try store.campaigns().first?.id)

        // Enter: the due work, with the five listed cases; the first is checked and 清退 proposed.
        keys(.enter)
        let d = try #require(r.state.top.state(of: DueScreen.self))
        let at = try #require(d.items.firstIndex { $0.kind == .campaign && $0.caseId == ids[0] })
        for _ in 0..<at { keys(.down) }
        keys(.enter, .tab, .text("子女经商，有赡养能力"), .tab)
        // The prefilled 不变 is selected: typing 清退 replaces it.
        keys(.text("清退"), .function(2))
        #expect(r.state.message?.text.contains("已转审批人跟进处理") == true, "\(r.state.message?.text ?? "no message")")
        keys(.enter)
        let open = try store.followUps(caseId: ids[0])
        #expect(open.count == 1 && open[0].proposed == .clear && open[0].source == .campaign && open[0].isOpen)
        let d2 = try #require(r.state.top.state(of: DueScreen.self))
        #expect(!d2.items.contains { $0.kind == .campaign && $0.caseId == ids[0] })

        // The approver: 3 → the follow-up in the queue → F7 with 清退 prefilled → the reason → F2.
        (r, backend) = try runner(store)
        keys(.text("shenpi"), .tab, .text("demo"), .enter, .char("3"))
        let q = try #require(r.state.top.state(of: ReviewScreen.self))
        let row = try #require(q.rows.firstIndex { $0.caseId == ids[0] })
        #expect(q.rows[row].followUp == .clear)
        #expect(backend.screenText.contains("跟进建议清退"))
        for _ in 0..<row { keys(.down) }
        keys(.enter)
        #expect(backend.screenText.contains("跟进处理") && backend.screenText.contains("待审批人处理"))
        keys(.function(7))
        let cv = try #require(r.state.top.state(of: CaseScreen.self), "no box")
        let box = try #require(cv.dialog, "no box")
        #expect(box.value("kind") == "清退")
        #expect(box.value(DialogID.reason).contains("子女经商"))
        keys(.function(2))
        #expect(r.state.ask?.box.message.contains("停保案件") == true)
        keys(.char("y"))
        let status = try store.read { db in try String.fetchOne(db, sql: "SELECT status FROM assistance_case WHERE id = ?", arguments: [ids[0]]) }
        #expect(status == "terminated")
        #expect(try store.followUps(caseId: ids[0]).first?.outcome == .cleared)

        // Back to the campaign: 清退 1 户 with the case's persons.
        let o = try #require(try store.campaignOutcome(id: cid, catalog: CaseFixture.catalog, today: Fixture.today))
        let persons = try store.read { db in try Int.fetchOne(db, sql: "SELECT covered_members FROM assistance_case WHERE id = ?", arguments: [ids[0]])! }
        #expect(o.cleared == CampaignOutcome.Count(households: 1, persons: persons))
        (r, backend) = try runner(store)
        keys(.text("duzha"), .tab, .text("demo"), .enter, .char("6"), .function(8))
        let lines = backend.screenText.split(separator: "\n").map(String.init)
        let cleared = try #require(lines.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("清退") })
        #expect(cleared.split(separator: " ").map(String.init) == ["清退", "1", String(persons)])
        #expect(backend.screenText.contains("已复查 1/5 户"))
    }
}
