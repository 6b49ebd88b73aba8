import Foundation
import GRDB
import Testing
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI

/// Cases in force: follow-ups from spot checks and campaigns, settled by the approver through
/// the case's own workflow (adjust, keep, suspend, resume, stop as 取消 or 清退).
@Suite struct DynamicManagementTests {
    static let catalog = CaseFixture.catalog

    /// A rural 低保 case in force for household `hid`: every step done, surveyed at `pci`, approved
    /// `daysAgo` days before the fixture's today.
    static func activeCase(_ s: Store, household hid: Int64, pci: Money = Money(fen: 41_250), daysAgo: Int = 200,
                           amount: Money = Money(yuan: 300)) throws -> Int64 {
        let def = catalog.definition(.ruralDibao)
        let on = Fixture.today.adding(days: -daysAgo)
        let steps = def.steps.map { st -> CaseStepRecord in
            var inputs = "{}"
            if st.code == "survey" { inputs = #"{"investigators":["王立军","李春梅"],"perCapitaIncomeFen":\#(pci.fen)}"# }
            if st.isDecision { inputs = #"{"monthlyFen":\#(amount.fen),"approver":"审批员"}"# }
            return CaseStepRecord(caseId: 0, step: st.code, action: st.role == "clerk" ? "done" : "approve", actor: "jingban",
                                  actedOn: on, inputs: inputs)
        }
        return try s.write { db in
            let members = try Store.members(db, householdId: hid)
            let village = try String.fetchOne(db, sql: "SELECT village_code FROM household WHERE id = ?", arguments: [hid])!
            let c = Case(householdId: hid, programme: .ruralDibao, step: def.steps.last!.code, stepSince: on, status: .active,
                         appliedOn: on.adding(days: -30), monthlyAmount: amount, coveredMembers: members.count)
            let id = try Store.insertCase(db, c, steps: steps, villageCode: village, now: "2026-05-01 09:00:00")
            try Store.backfillCaseColumns(db)
            return id
        }
    }

    func setup() throws -> Store {
        let s = try Fixture.store(households: 12)
        try s.addUser(name: "shenpi", displayName: "审批员", role: .approver, password: "demo", by: "test", iterations: 1000)
        return s
    }

    func status(_ s: Store, _ id: Int64) throws -> (String, Int64?) {
        try s.read { db in
            let r = try Row.fetchOne(db, sql: "SELECT status, monthly_amount_fen FROM assistance_case WHERE id = ?", arguments: [id])!
            return (r["status"], r["monthly_amount_fen"])
        }
    }

    func version(_ s: Store, _ id: Int64) throws -> Int {
        try s.read { db in try Int.fetchOne(db, sql: "SELECT version FROM assistance_case WHERE id = ?", arguments: [id])! }
    }

    func act(_ s: Store, _ id: Int64, _ a: CaseAction, role: Role = .approver, reason: String = "抽查核实", inputs: [String: String] = [:],
             amount: Money? = nil, override: String = "") throws -> Store.ActResult {
        try s.act(caseId: id, version: try version(s, id),
                  request: CaseRequest(action: a, actor: role == .approver ? "shenpi" : "jingban", role: role, date: Fixture.today,
                                       inputs: inputs, reason: reason, amount: amount, overrideReason: override),
                  catalog: Self.catalog)
    }

    // MARK: the engine

    // MARK: spot check → follow-up → approver

    @Test func aLongFindingIsWrappedOnTheCaseScreenAndEndScrollsToTheLastLine() throws {
        let s = try setup()
        for hid in Int64(1)...4 { _ = try Self.activeCase(s, household: hid) }
        let draw = try s.drawSpotCheck(programme: .ruralDibao, period: "2026", percent: 50, seed: 7, by: "duzha")
        let drawId = try #require(draw.drawId)
        let line = try #require(try s.spotChecks(drawId: drawId).first)
        let finding = "家中一人外出务工，月收入约两千元，另有一辆农用三轮车未登记，邻居反映户主已在县城购房，需进一步核实房产"
        let form = #"{"finding":"\#(finding)","incomeEstimate":48000,"members":true,"income":false}"#
        try s.recordSpotCheckVisit(id: line.id, visitedOn: Fixture.today, by: "督查员乙", findings: form, discrepancy: true,
                                   proposedAction: .adjust, user: "duzha")
        let env = try Fixture.env(s)
        let file = try #require(try s.caseFile(id: line.caseId, today: Fixture.today, catalog: Self.catalog))
        let lines = AppView.caseLines(file, env: env, width: 80)
        // Every line fits the screen, and the finding is there whole once the lines are joined.
        #expect(lines.allSatisfy { TextWidth.of($0.text) <= 78 })
        let joined = lines.map { $0.text.trimmingCharacters(in: .whitespaces) }.joined()
        #expect(joined.contains(finding + "，重估人均月收入 480.00 元 → 待审批人处理"))
        #expect(lines.count > CaseReport.lines(file, env: env).count)

        // End shows the last line at the bottom; Up from there moves at once.
        var st = AppState(width: 80, height: 24)
        st.user = User(name: "duzha", displayName: "督查员乙", role: .supervisor)
        var cv = CaseViewState(caseId: line.caseId)
        cv.file = file
        st.stack = [MenuScreen.embed(MenuState()), CaseScreen.embed(cv)]
        _ = App.update(&st, .key(.end), env: env)
        let bottom = try #require(st.top.state(of: CaseScreen.self))
        #expect(bottom.scroll == lines.count - 20)
        _ = App.update(&st, .key(.down), env: env)
        _ = App.update(&st, .key(.up), env: env)
        let up = try #require(st.top.state(of: CaseScreen.self))
        #expect(up.scroll == lines.count - 21)
        let (grid, _) = AppView.render(st, env: env)
        #expect(TestBackend.text(of: grid).contains("\(lines.count - 1)/\(lines.count)"))
    }

    @Test func anAdjustmentAndASuspensionEachOweTheFamilyANotice() throws {
        let s = try setup()
        let id = try Self.activeCase(s, household: 2)
        let env = try Fixture.env(s)
        let before = try #require(try status(s, id).1)
        var file = try #require(try s.caseFile(id: id, today: Fixture.today, catalog: Self.catalog))
        #expect(CaseNotice.kind(for: file) == nil)
        let d = try #require(try act(s, id, .adjust, reason: "家中一人外出务工，收入增加", inputs: ["perCapitaIncome": "500"]).transition.decision)
        #expect(d.amount.fen != before)
        file = try #require(try s.caseFile(id: id, today: Fixture.today, catalog: Self.catalog))
        #expect(CaseNotice.kind(for: file) == .adjustment)
        let text = CaseNotice.text(file, kind: .adjustment, env: env, office: try s.office())
        #expect(text.contains("调整救助金额通知书"))
        #expect(text.contains("月保障金由 \(Money(fen: before).yuanString) 元调整为 \(d.amount.yuanString) 元"))
        #expect(text.contains("【调整的理由】") && text.contains("家中一人外出务工，收入增加"))
        #expect(!text.contains("不符合的条件") && text.contains("行政复议"))
        let head = try #require(file.head)
        #expect(text.contains(Masking.idNumber(head.idNumber)) && !text.contains(head.idNumber))
        for l in text.split(separator: "\n") { #expect(l.displayWidth <= 78, "too wide: \(l)") }
        // Kept afterwards: still the adjustment's notice.
        _ = try act(s, id, .keep, reason: "复核无变化")
        file = try #require(try s.caseFile(id: id, today: Fixture.today, catalog: Self.catalog))
        #expect(CaseNotice.kind(for: file) == .adjustment)

        _ = try act(s, id, .suspend, reason: "连续两月未签到")
        file = try #require(try s.caseFile(id: id, today: Fixture.today, catalog: Self.catalog))
        #expect(CaseNotice.kind(for: file) == .suspension)
        let susp = CaseNotice.text(file, kind: .suspension, env: env, office: try s.office())
        #expect(susp.contains("暂停发放通知书") && susp.contains("起暂停") && susp.contains("连续两月未签到"))
        _ = try act(s, id, .resume, reason: "已签到")
        file = try #require(try s.caseFile(id: id, today: Fixture.today, catalog: Self.catalog))
        #expect(CaseNotice.kind(for: file) == nil)
    }

    @Test func theApproversAdjustmentFromTheQueueWritesItsNotice() throws {
        let s = try setup()
        let id = try Self.activeCase(s, household: 3)
        try s.write { db in
            try Store.openFollowUp(db, caseId: id, source: .recheck, sourceId: nil, proposed: .adjust, finding: "家中一人外出务工",
                                   incomeEstimate: Money(yuan: 500), by: "jingban", on: Fixture.today)
        }
        let backend = TestBackend(width: 100, height: 30)
        let r = AppRunner(backend: backend, store: s, env: try Fixture.env(s))
        func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; r.runUntilIdle() }
        keys(.text("shenpi"), .tab, .text("demo"), .enter, .char("3"))
        let q = try #require(r.state.top.state(of: ReviewScreen.self))
        let row = try #require(q.rows.firstIndex { $0.caseId == id })
        for _ in 0..<row { keys(.down) }
        keys(.enter, .function(2))
        let cv = try #require(r.state.top.state(of: CaseScreen.self), "no adjustment box")
        let box = try #require(cv.dialog, "no adjustment box")
        // Every field as the box asks for it: the re-estimate is prefilled from the follow-up.
        for (i, f) in box.fields.enumerated() {
            if f.id == DialogID.reason { keys(.text("务工收入增加")) }
            if i < box.fields.count - 1 { keys(.tab) }
        }
        keys(.function(2))
        #expect(try status(s, id).0 == "active")
        let text = r.state.message?.text ?? ""
        let path = try #require(text.split(separator: "\n").map(String.init).first { $0.hasSuffix(".txt") && $0.contains("notice-adjustment-case\(id)") },
                                "no notice in: \(text)")
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: path.replacingOccurrences(of: ".txt", with: ".html")) }
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.contains("调整救助金额通知书") && written.contains("务工收入增加"))
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        // F9 on the case prints it again.
        keys(.enter, .function(9))
        #expect(r.state.message?.text.contains("notice-adjustment-case\(id)") == true, "\(r.state.message?.text ?? "no message")")
        for p in (r.state.message?.text ?? "").split(separator: "\n") where p.hasPrefix("/") { try? FileManager.default.removeItem(atPath: String(p)) }
    }

    // MARK: campaigns

}
