import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// 举报登记: a complaint is received, assigned, checked and answered, each stage with its audit
/// row; a founded one about a case in force opens a follow-up for the approver.
@Suite(.serialized) struct ComplaintTests {
    func audit(_ s: Store) throws -> [String] {
        try s.read { db in try String.fetchAll(db, sql: "SELECT action FROM audit WHERE entity = 'complaint' ORDER BY id") }
    }

    @Test func aComplaintGoesThroughItsFourStagesAndAFoundedOneReachesTheApprover() throws {
        let s = try Fixture.store(households: 6)
        let caseId = try DynamicManagementTests.activeCase(s, household: 1)
        let day = Fixture.today.adding(days: -10)
        let id = try s.receiveComplaint(NewComplaint(receivedOn: day, channel: .phone, complainant: "村民甲 138", subject: "户主甲",
                                                     caseId: caseId, content: "家中有人务工收入未申报"), by: "jingban", today: Fixture.today)
        var c = try #require(try s.complaint(id: id))
        #expect(c.stage == .received && c.complainant == "村民甲 138" && c.version == 1)

        try s.assignComplaint(id: id, version: c.version, to: "督查组", on: day.adding(days: 1), by: "duzha")
        c = try #require(try s.complaint(id: id))
        #expect(c.stage == .assigned && c.assignedTo == "督查组")

        // Answering before the check, or checking with the version read before the assignment, is refused.
        #expect(throws: StoreError.self) { try s.answerComplaint(id: id, version: c.version, on: Fixture.today, answer: "已答复", by: "duzha") }
        #expect(throws: StoreError.staleEdit(entity: "complaint", id: id)) {
            try s.checkComplaint(id: id, version: 1, on: Fixture.today, founded: true, finding: "属实", by: "duzha")
        }
        // A check dated before the assignment is refused.
        #expect(throws: StoreError.self) {
            try s.checkComplaint(id: id, version: c.version, on: day, founded: true, finding: "属实", by: "duzha")
        }
        try s.checkComplaint(id: id, version: c.version, on: Fixture.today, founded: true, finding: "其妻在县城务工，月收入约2500元",
                             proposed: .adjust, by: "duzha")
        c = try #require(try s.complaint(id: id))
        #expect(c.stage == .checked && c.founded == true)
        let f = try s.followUps(caseId: caseId)
        #expect(f.count == 1 && f[0].source == .complaint && f[0].sourceId == id && f[0].proposed == .adjust && f[0].isOpen)
        #expect(try s.reviewQueue(role: .approver, catalog: CaseFixture.catalog, today: Fixture.today).contains { $0.caseId == caseId && $0.followUp == .adjust })

        // Checked again as not founded: the follow-up is withdrawn.
        try s.checkComplaint(id: id, version: c.version, on: Fixture.today, founded: false, finding: "复核：务工收入已申报", by: "duzha")
        #expect(try s.followUps(caseId: caseId).isEmpty)
        c = try #require(try s.complaint(id: id))

        try s.answerComplaint(id: id, version: c.version, on: Fixture.today, answer: "电话告知核查结果", by: "duzha")
        c = try #require(try s.complaint(id: id))
        #expect(c.stage == .answered && c.answer == "电话告知核查结果")
        #expect(throws: StoreError.self) { try s.assignComplaint(id: id, version: c.version, to: "别人", on: Fixture.today, by: "duzha") }
        #expect(try audit(s) == ["complaint.receive", "complaint.assign", "complaint.check", "complaint.check", "complaint.answer"])
        // The case's file shows it, without the complainant.
        let file = try #require(try s.caseFile(id: caseId, today: Fixture.today, catalog: CaseFixture.catalog))
        let text = CaseReport.lines(file, env: try Fixture.env(s)).map(\.text).joined(separator: "\n")
        #expect(text.contains("举报\n") && text.contains("#\(id) 电话：家中有人务工收入未申报 → 已答复，不实：复核：务工收入已申报"))
        #expect(!text.contains("村民甲"))
    }

    @Test func theRegisterFromTheKeys() throws {
        let store = try Fixture.store(households: 6)
        let caseId = try DynamicManagementTests.activeCase(store, household: 2)
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store))
        func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; r.runUntilIdle() }
        keys(.text("duzha"), .tab, .text("demo"), .enter, .char("6"), .function(9))
        try #require(r.state.top.id == ComplaintScreen.id, "not on the register")
        #expect(backend.screenText.contains("还没有登记举报"))

        // F7: a wrong case number is said on the box and nothing is saved.
        keys(.function(7), .tab, .text("2"), .tab, .text("村民乙"), .tab, .tab, .text("8x"), .tab, .text("收入未如实申报"), .function(2))
        #expect(backend.screenText.contains("案件号是数字"))
        #expect(try store.complaints().isEmpty)
        keys(.backspace, .backspace, .text(String(caseId)), .function(2))
        #expect(r.state.message?.text.contains("举报 #1 已登记") == true, "\(backend.screenText)")
        keys(.enter)
        #expect(backend.screenText.contains("电话") && backend.screenText.contains("#\(caseId)") && backend.screenText.contains("已受理"))

        // Enter: assign; F4: the check, founded, 暂停 proposed; Enter: the answer.
        keys(.enter, .text("督查组"), .function(2), .enter)
        #expect(try store.complaint(id: 1)?.stage == .assigned)
        keys(.function(4), .tab, .text("是"), .tab, .text("家庭收入超标"), .tab, .text("暂停"), .function(2))
        #expect(r.state.message?.text.contains("已转审批人跟进处理") == true, "\(r.state.message?.text ?? "no message")")
        keys(.enter)
        #expect(try store.followUps(caseId: caseId).first?.proposed == .suspend)
        #expect(backend.screenText.contains("已核查·实"))
        keys(.enter, .tab, .text("当面告知"), .function(2), .enter)
        #expect(try store.complaint(id: 1)?.stage == .answered)
        #expect(backend.screenText.contains("已答复") && backend.screenText.contains("未办结 0 件"))
        // Enter on an answered one shows its whole record.
        keys(.enter)
        #expect(r.state.message?.text.contains("当面告知") == true && r.state.message?.text.contains("查实") == true)
    }

    @Test func anUnansweredComplaintComesOnTheWorkListAWeekBeforeItIsDue() throws {
        let store = try Fixture.store(households: 3)
        let t = Fixture.today
        let old = try store.receiveComplaint(NewComplaint(receivedOn: t.adding(days: -Complaint.answerDays - 2), channel: .letter,
                                                          subject: "某村某某", content: "多报人口"), by: "jingban", today: t)
        let soon = try store.receiveComplaint(NewComplaint(receivedOn: t.adding(days: -Complaint.answerDays + 5), channel: .box,
                                                           subject: "某某", content: "有车"), by: "jingban", today: t)
        _ = try store.receiveComplaint(NewComplaint(receivedOn: t.adding(days: -3), channel: .box, subject: "某某", content: "新近"),
                                       by: "jingban", today: t)
        let items = try store.dueWork(today: t).filter { $0.kind == .complaint }
        #expect(items.map(\.caseId) == [old, soon])
        #expect(items.map(\.overdue) == [true, false])
        #expect(items[0].due == t.adding(days: -2))

        // From the work list, Enter opens the register on that complaint.
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store))
        func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; r.runUntilIdle() }
        keys(.text("duzha"), .tab, .text("demo"), .enter, .char("6"), .function(6))
        var d = try #require(r.state.top.state(of: DueScreen.self))
        // F5 until the list shows complaints only (time-limit items may fill the unfiltered screen).
        for _ in 0..<DueItem.Kind.allCases.count where d.kind != .complaint {
            keys(.function(5))
            if let now = r.state.top.state(of: DueScreen.self) { d = now }
        }
        #expect(d.kind == .complaint)
        #expect(backend.screenText.contains("举报答复") && backend.screenText.contains("#\(old)"), "\(backend.screenText)")
        let at = try #require(d.items.firstIndex { $0.kind == .complaint && $0.caseId == soon })
        for _ in 0..<at { keys(.down) }
        keys(.enter)
        let c = try #require(r.state.top.state(of: ComplaintScreen.self))
        #expect(c.selectedRow?.id == soon)
        // Answered there, it has left the list when Esc goes back.
        try store.assignComplaint(id: old, version: 1, to: "督查组", on: t, by: "duzha")
        try store.checkComplaint(id: old, version: 2, on: t, founded: false, finding: "不实", by: "duzha")
        try store.answerComplaint(id: old, version: 3, on: t, answer: "已函复", by: "duzha")
        keys(.escape)
        let d2 = try #require(r.state.top.state(of: DueScreen.self))
        #expect(!d2.items.contains { $0.kind == .complaint && $0.caseId == old })
    }
}
