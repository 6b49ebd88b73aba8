import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// The rosters' fixture, shared with the store's tests of 发放名册 (JiuzhuStoreTests/PaymentRosterTests.swift).
struct PaymentRosterTests {
    /// Five 农村低保 cases in force (300, 310, … 340 元), one suspended, two households with a card.
    func setup() throws -> (Store, [Int64]) {
        let s = try Fixture.store(households: 6)
        try s.addUser(name: "shenpi", displayName: "审批员", role: .approver, password: "demo", by: "test", iterations: 1000)
        var ids: [Int64] = []
        for hid in Int64(1)...5 {
            ids.append(try DynamicManagementTests.activeCase(s, household: hid, amount: Money(yuan: 300 + 10 * Int64(hid - 1))))
        }
        // Suspended in October through the workflow: not paid from November.
        _ = try s.act(caseId: ids[4], version: 1, request: CaseRequest(action: .suspend, actor: "shenpi", role: .approver,
                                                                       date: CivilDate(year: 2026, month: 10, day: 15)!, reason: "未按月签到"),
                      catalog: CaseFixture.catalog)
        try s.writer.write { db in
            try db.execute(sql: "UPDATE household SET bank_card = '6217 0000 1111 2222' WHERE id IN (1, 2)")
        }
        return (s, ids)
    }
}

/// The rosters from the keys: 7 → F8; the clerk makes a draft, the approver confirms it and
/// writes the bank's file; the supervisor only looks.
@Suite(.serialized) struct PaymentRosterScreenTests {
    @Test func makeConfirmAndExportFromTheKeys() throws {
        let (store, _) = try PaymentRosterTests().setup()
        func runner(_ user: String) -> (AppRunner, TestBackend, (KeyEvent...) -> Void) {
            let backend = TestBackend(width: 80, height: 24)
            let r = AppRunner(backend: backend, store: store, env: try! Fixture.env(store))
            func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; r.runUntilIdle() }
            keys(.text(user), .tab, .text("demo"), .enter)
            if r.state.top.id == IntakeScreen.id { keys(.escape) }
            keys(.char("7"), .function(8))
            return (r, backend, keys)
        }
        // The clerk: F7 offers this month and 农村低保; a bad month is caught on the box.
        var (r, backend, keys) = runner("jingban")
        try #require(r.state.top.id == RosterListScreen.id, "not on 发放名册: \(r.state.top.id)")
        #expect(backend.screenText.contains("还没有发放名册"))
        keys(.function(7))
        let l0 = try #require(r.state.top.state(of: RosterListScreen.self), "no box")
        let box = try #require(l0.dialog, "no box")
        #expect(box.value("month") == String(format: "%04d-%02d", Fixture.today.year, Fixture.today.month))
        keys(.text("2026-13"), .function(2))
        let l1 = try #require(r.state.top.state(of: RosterListScreen.self))
        #expect(l1.dialog?.error == "月份应写作 YYYY-MM,如 2026-12。")
        keys(.backspace, .backspace, .text("11"), .function(2))
        #expect(r.state.message?.text.contains("已生成 2026-11 农村低保发放名册:4 户") == true, "\(r.state.message?.text ?? "no message")")
        #expect(r.state.message?.text.contains("其中 2 户没有银行卡号") == true)
        keys(.enter)
        #expect(backend.screenText.contains("1260.00") && backend.screenText.contains("草稿"))
        // The clerk may not confirm nor take the full numbers out.
        keys(.function(2))
        #expect(r.state.message?.text.contains("仅限审批员和管理员") == true)
        keys(.enter, .function(9))
        #expect(r.state.message?.text.contains("仅限审批员和管理员") == true)
        keys(.enter)
        #expect(try store.rosters().first?.state == .draft)

        // The approver: Enter shows the lines with masked IDs, F2 confirms, F9 writes the bank's file.
        (r, backend, keys) = runner("shenpi")
        keys(.enter)
        let lines = try #require(r.state.top.state(of: RosterLinesScreen.self))
        #expect(lines.lines.count == 4)
        let full = lines.lines[0].payeeId
        #expect(!backend.screenText.contains(full) && backend.screenText.contains(Masking.idNumber(full)))
        #expect(backend.screenText.contains("合计 4 户"))
        // F2 asks first: what goes to the bank, and the approver's password (a wrong one changes nothing).
        keys(.function(2))
        #expect(backend.screenText.contains("确认发放 2026-11 农村低保:4 户,1260.00 元") && backend.screenText.contains("你的密码"),
                "\(backend.screenText)")
        keys(.text("wrong"), .enter)
        let boxed = try #require(r.state.top.state(of: RosterLinesScreen.self))
        #expect(boxed.dialog?.error != nil && !backend.screenText.contains("wrong"))
        #expect(try store.rosters().first?.state == .draft)
        for _ in 0..<5 { keys(.backspace) }
        keys(.text("demo"), .enter)
        #expect(r.state.message?.text.contains("已确认发放") == true, "\(r.state.message?.text ?? "no message")")
        keys(.enter)
        #expect(try store.rosters().first?.state == .confirmed)
        #expect(backend.screenText.contains("已确认"))
        keys(.function(9))
        let text = try #require(r.state.message?.text)
        #expect(text.contains("不得张贴"), "\(text)")
        let csv = try #require(text.split(separator: "\n").map(String.init).first { $0.hasSuffix(".csv") })
        defer { for p in [csv, csv.replacingOccurrences(of: ".csv", with: ".xlsx")] { try? FileManager.default.removeItem(atPath: p) } }
        #expect((try FileManager.default.attributesOfItem(atPath: csv)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let body = try String(contentsOfFile: csv, encoding: .utf8)
        // The bank's file has the full numbers and the total.
        #expect(body.contains(full) && body.contains("6217 0000 1111 2222") && body.contains("合计,,4 户,,,"))
        #expect(body.contains("1260.00"))
        #expect(try store.read { try Audit.entries($0, limit: 1) }.first?.action == "roster.export")
        keys(.enter, .escape)
        // A confirmed roster is not made again (this month, 2026-11, is offered).
        keys(.function(7), .function(2))
        let l2 = try #require(r.state.top.state(of: RosterListScreen.self))
        #expect(l2.dialog?.error?.contains("已确认发放,不能重做") == true, "\(String(describing: l2.dialog?.error))")
    }

    @Test func theSupervisorOnlyLooks() throws {
        let (store, _) = try PaymentRosterTests().setup()
        try store.makeRoster(month: "2026-11", programme: .ruralDibao, catalog: CaseFixture.catalog, by: "jingban")
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store))
        for e in [KeyEvent.text("duzha"), .tab, .text("demo"), .enter, .char("7"), .function(8), .function(7)] { backend.enqueue(e) }
        r.runUntilIdle()
        #expect(r.state.message?.text.contains("仅限经办员、审批员和管理员") == true, "\(r.state.message?.text ?? "no message")")
        #expect(backend.screenText.contains("2026-11"))
    }

    @Test func longRostersArePagedAScreenfulAtATime() throws {
        let store = try Fixture.store(households: 40)
        for hid in Int64(1)...40 { _ = try DynamicManagementTests.activeCase(store, household: hid) }
        try store.makeRoster(month: "2026-11", programme: .ruralDibao, catalog: CaseFixture.catalog, by: "jingban")
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store))
        func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; r.runUntilIdle() }
        func lines() -> RosterLinesState? { r.state.top.state(of: RosterLinesScreen.self) }
        keys(.text("duzha"), .tab, .text("demo"), .enter, .char("7"), .function(8), .enter)
        let page = 24 - 5
        #expect(lines()?.lines.count == page && lines()?.offset == 0)
        #expect(backend.screenText.contains("1/40"))
        let all = try store.rosterLines(id: 1)
        // PgDn: the next screenful, read after the last line shown.
        keys(.pageDown)
        #expect(lines()?.offset == page && lines()?.selected == page)
        #expect(lines()?.lines.map(\.caseId) == all[page..<(2 * page)].map(\.caseId))
        // End: the last screenful, read backwards from the end.
        keys(.end)
        #expect(lines()?.offset == 40 - page && lines()?.lines.count == page && lines()?.selected == 39)
        #expect(lines()?.lines.map(\.caseId) == all[(40 - page)...].map(\.caseId))
        #expect(backend.screenText.contains("40/40") && backend.screenText.contains(all[39].payeeName))
        // PgUp past the top of it: the screenful before, and the count still right.
        keys(.pageUp)
        #expect(lines()?.selected == 39 - page)
        let l = try #require(lines())
        #expect(l.lines.map(\.caseId) == all[l.offset..<(l.offset + l.lines.count)].map(\.caseId))
        #expect(l.lines.indices.contains(l.selected - l.offset))
        #expect(backend.screenText.contains("\(40 - page)/40"))
        // Up from the top of the first screenful stays; Home, Down.
        keys(.home, .down)
        #expect(lines()?.offset == 0 && lines()?.selected == 1)
        keys(.up, .up)
        #expect(lines()?.offset == 0 && lines()?.selected == 0)
    }
}


/// The year table's 名册实发: confirmed rosters of the period's months, beside what was due.
@Suite struct RosterInYearFiguresTests {
    @Test func confirmedRostersOfThePeriodAreThePaidFigure() throws {
        let (s, _) = try PaymentRosterTests().setup()
        let oct = try s.makeRoster(month: "2026-10", programme: .ruralDibao, catalog: CaseFixture.catalog, by: "jingban")
        try s.confirmRoster(id: oct.id, version: oct.version, catalog: CaseFixture.catalog, by: "shenpi")
        let nov = try s.makeRoster(month: "2026-11", programme: .ruralDibao, catalog: CaseFixture.catalog, by: "jingban")   // a draft: not paid
        let sep = try s.makeRoster(month: "2025-09", programme: .ruralDibao, catalog: CaseFixture.catalog, by: "jingban")   // another year
        try s.confirmRoster(id: sep.id, version: sep.version, catalog: CaseFixture.catalog, by: "shenpi")
        let from = CivilDate(year: 2026, month: 1, day: 1)!
        let f = try s.yearFigures(from: from, until: Fixture.today, catalog: CaseFixture.catalog)
        let rural = try #require(f.first { $0.programme == .ruralDibao })
        #expect(rural.paid == oct.total && rural.rosterMonths == 1 && rural.periodMonths == 10)
        #expect(nov.state == .draft)
        #expect(f.first { $0.programme == .temporary }?.paid == nil)
        let rows = YearReport.rows(f, lang: .zh)
        let paidRow = try #require(rows.first { $0[0].hasPrefix("名册实发") })
        #expect(paidRow[0] == "名册实发（万元）" && paidRow[1] == oct.total.wanYuanString + "*")
        // The whole of October alone: no star.
        let octOnly = try s.yearFigures(from: CivilDate(year: 2026, month: 10, day: 1)!, until: CivilDate(year: 2026, month: 10, day: 31)!,
                                        catalog: CaseFixture.catalog)
        #expect(YearReport.rows(octOnly, lang: .zh).first { $0[0].hasPrefix("名册实发") }?[1] == oct.total.wanYuanString)
        // October's roster paid what the records made due: the difference line is zero.
        #expect(YearReport.rows(octOnly, lang: .zh).last == ["差额 实发−应发（元）", "0.00", "—", "—", "—", "—", "—"])
    }

    @Test func theTableIsWrittenForExcelFromTheScreen() throws {
        let (s, _) = try PaymentRosterTests().setup()
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: s, env: try Fixture.env(s))
        for e in [KeyEvent.text("duzha"), .tab, .text("demo"), .enter, .char("7"), .function(9)] { backend.enqueue(e) }
        r.runUntilIdle()
        let text = try #require(r.state.message?.text)
        let paths = text.split(separator: "\n").map(String.init).filter { $0.hasPrefix("/") }
        defer { for p in paths { try? FileManager.default.removeItem(atPath: p) } }
        let csv = try #require(paths.first { $0.hasSuffix(".csv") }, "\(text)")
        #expect(paths.contains { $0.hasSuffix(".xlsx") })
        for p in paths { #expect((try FileManager.default.attributesOfItem(atPath: p)[.posixPermissions] as? NSNumber)?.intValue == 0o600) }
        let body = try String(contentsOfFile: csv, encoding: .utf8)
        #expect(body.contains("项目,农村低保,城镇低保,特困供养,临时救助,医疗救助,受灾救助"), "\(body.prefix(300))")
        #expect(body.contains("期末在保（户）,5,") && body.contains("名册实发（万元）,—"))
    }
}

