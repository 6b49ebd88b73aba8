import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuDemo
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// Issue 18, finding 5: a roster pays what the records decided for its month, not what the
/// cases say today; the amount in force is a fact of the records; late decisions are paid back.
@Suite(.serialized) struct RosterFromRecordsTests {
    static let catalog = CaseFixture.catalog

    static func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }

    /// A rural 低保 case of household `hid` decided on `decided` at `amount`; at the 发放 step
    /// (never paid yet) or, by default, paid and in force.
    static func decidedCase(_ s: Store, household hid: Int64, decided: CivilDate, amount: Money, paid: Bool = true) throws -> Int64 {
        let def = catalog.definition(.ruralDibao)
        let upto = paid ? def.steps.count : def.steps.count - 1
        let steps = def.steps[..<upto].map { st -> CaseStepRecord in
            var inputs = "{}"
            if st.code == "survey" { inputs = #"{"investigators":["王立军","李春梅"],"perCapitaIncomeFen":41250}"# }
            if st.isDecision { inputs = #"{"monthlyFen":\#(amount.fen),"approver":"审批员","covered":2}"# }
            return CaseStepRecord(caseId: 0, step: st.code, action: st.role == "clerk" ? "done" : "approve", actor: "jingban",
                                  actedOn: decided, inputs: inputs)
        }
        return try s.write { db in
            let village = try String.fetchOne(db, sql: "SELECT village_code FROM household WHERE id = ?", arguments: [hid])!
            let c = Case(householdId: hid, programme: .ruralDibao, step: paid ? def.steps.last!.code : def.steps[upto].code, stepSince: decided,
                         status: paid ? .active : .inProgress, appliedOn: decided.adding(days: -30), monthlyAmount: amount, coveredMembers: 2)
            let id = try Store.insertCase(db, c, steps: steps, villageCode: village, now: "2026-05-01 09:00:00")
            try Store.backfillCaseColumns(db)
            return id
        }
    }

    static func act(_ s: Store, _ id: Int64, _ a: CaseAction, on: String, amount: Money? = nil, inputs: [String: String] = [:]) throws {
        let v = try s.read { db in try Int.fetchOne(db, sql: "SELECT version FROM assistance_case WHERE id = ?", arguments: [id])! }
        _ = try s.act(caseId: id, version: v, request: CaseRequest(action: a, actor: "shenpi", role: .approver, date: day(on), inputs: inputs,
                                                                  reason: "复核", amount: amount, overrideReason: amount == nil ? "" : "复核认定"),
                      catalog: catalog)
    }

    func store() throws -> Store {
        let s = try Fixture.store(households: 8)
        try s.addUser(name: "shenpi", displayName: "审批员", role: .approver, password: "demo", by: "test", iterations: 1000)
        return s
    }

    func lines(_ s: Store, _ month: String) throws -> [Int64: Money] {
        let r = try s.makeRoster(month: month, programme: .ruralDibao, catalog: Self.catalog, by: "jingban")
        return Dictionary(uniqueKeysWithValues: try s.rosterLines(id: r.id).map { ($0.caseId, $0.amount) })
    }

    @Test func aPastMonthListsTheCasesInForceThenNotToday() throws {
        let s = try store()
        let may = try Self.decidedCase(s, household: 1, decided: Self.day("2026-05-07"), amount: Money(yuan: 300))
        let oct = try Self.decidedCase(s, household: 2, decided: Self.day("2026-10-24"), amount: Money(yuan: 310))
        let stopped = try Self.decidedCase(s, household: 3, decided: Self.day("2026-05-07"), amount: Money(yuan: 320))
        try Self.act(s, stopped, .terminate, on: "2026-08-10", inputs: ["kind": "cancel"])
        // Paid from the month after the decision; the stop's month is still paid, not the next.
        #expect(try lines(s, "2026-05").isEmpty)
        #expect(try lines(s, "2026-06") == [may: Money(yuan: 300), stopped: Money(yuan: 320)])
        #expect(try lines(s, "2026-08") == [may: Money(yuan: 300), stopped: Money(yuan: 320)])
        #expect(try lines(s, "2026-09") == [may: Money(yuan: 300)])
        #expect(try lines(s, "2026-10") == [may: Money(yuan: 300)])
        #expect(try lines(s, "2026-11") == [may: Money(yuan: 300), oct: Money(yuan: 310)])
        #expect(try lines(s, "2025-06").isEmpty)
        // The stop month is recorded with the stop and printed on the family's notice.
        let rec = try #require(try s.read { db in try Store.caseSteps(db, caseId: stopped) }.last)
        #expect(rec.action == "terminate" && (Store.object(rec.inputs)["stopMonth"] as? String) == "2026-09")
        let file = try #require(try s.caseFile(id: stopped, today: Fixture.today, catalog: Self.catalog))
        let text = CaseNotice.text(file, kind: .termination, env: try Fixture.env(s), office: try s.office())
        #expect(text.contains("自2026年9月起停发"), "\(text)")
    }

    @Test func aLateDecisionIsPaidBackAndAConfirmedRosterNeverChanges() throws {
        let s = try store()
        let first = try Self.decidedCase(s, household: 1, decided: Self.day("2026-05-07"), amount: Money(yuan: 300))
        let oct = try s.makeRoster(month: "2026-10", programme: .ruralDibao, catalog: Self.catalog, by: "jingban")
        try s.confirmRoster(id: oct.id, version: oct.version, catalog: Self.catalog, by: "shenpi", today: Fixture.today)
        // Decided on 5 September, entered only now: October was due and is already at the bank.
        let late = try Self.decidedCase(s, household: 2, decided: Self.day("2026-09-05"), amount: Money(yuan: 410))
        let nov = try s.makeRoster(month: "2026-11", programme: .ruralDibao, catalog: Self.catalog, by: "jingban")
        let novLines = try s.rosterLines(id: nov.id)
        let line = try #require(novLines.first { $0.caseId == late })
        #expect(line.amount == Money(yuan: 820) && line.backPay == Money(yuan: 410))
        #expect(nov.backPay == Money(yuan: 410) && nov.total == Money(yuan: 300 + 820))
        let back = try s.read { db in try Row.fetchAll(db, sql: "SELECT case_id, for_month, amount_fen FROM payment_back") }
        #expect(back.count == 1 && (back[0]["for_month"] as String) == "2026-10" && (back[0]["amount_fen"] as Int64) == 41_000)
        // October as sent.
        #expect(try s.rosterLines(id: oct.id).map(\.caseId) == [first])
        #expect(try s.roster(id: oct.id)?.total == Money(yuan: 300))
        // Paid back once: December has no more back pay.
        try s.confirmRoster(id: nov.id, version: nov.version, catalog: Self.catalog, by: "shenpi", today: Fixture.today)
        let dec = try s.makeRoster(month: "2026-12", programme: .ruralDibao, catalog: Self.catalog, by: "jingban")
        #expect(dec.backPay == Money(fen: 0) && dec.total == Money(yuan: 300 + 410))
        // The year table: paid = due for October to December once December is confirmed.
        try s.confirmRoster(id: dec.id, version: dec.version, catalog: Self.catalog, by: "shenpi", today: Fixture.today)
        let f = try s.yearFigures(from: Self.day("2026-10-01"), until: Self.day("2026-12-31"), catalog: Self.catalog)
        let rural = try #require(f.first { $0.programme == .ruralDibao })
        #expect(rural.amount == Money(yuan: 300 * 3 + 410 * 3) && rural.paid == rural.amount)
        #expect(YearReport.rows(f, lang: .zh).last?[1] == "0.00")
    }
}

/// On the demo township: every case's amount is its records', and the year table and the
/// rosters of every month of 2026 agree to the fen.
@Suite(.serialized) struct DemoMoneyTests {
    static func demo(households: Int = 300) throws -> Store {
        let dir = Fixture.root.appendingPathComponent("data")
        var files: [String: String] = [:]
        for name in DemoInputs.fileNames {
            files[name] = try String(contentsOf: dir.appendingPathComponent("demo").appendingPathComponent(name), encoding: .utf8)
        }
        files["standards.csv"] = try String(contentsOf: dir.appendingPathComponent("standards.csv"), encoding: .utf8)
        files["settings.csv"] = try String(contentsOf: dir.appendingPathComponent("settings.csv"), encoding: .utf8)
        let inputs = try DemoInputs.parse(files: files)
        let today = CivilDate(year: 2026, month: 11, day: 23)!
        let t = DemoTownship.generate(households: households, seed: 1, inputs: inputs, catalog: CaseFixture.catalog, today: today)
        let s = try Store()
        s.passwordIterations = 1000
        try s.loadDemo(t, reference: Fixture.reference, password: "demo")
        try s.loadDemoPublicity(catalog: CaseFixture.catalog, today: today)
        try s.loadDemoSupervision(catalog: CaseFixture.catalog, today: today)
        return s
    }

    @Test func theYearTableAndTheRostersOfEveryMonthAgree() throws {
        let s = try Self.demo()
        var total: [Programme: Int64] = [:]
        for m in 1...12 {
            let month = PayMonth(year: 2026, month: m)
            let f = try s.yearFigures(from: month.firstDay, until: month.lastDay, catalog: CaseFixture.catalog)
            for p in CaseFixture.catalog.monthlyProgrammes {
                let r = try s.makeRoster(month: month.description, programme: p, catalog: CaseFixture.catalog, by: "jingban")
                try s.confirmRoster(id: r.id, version: r.version, catalog: CaseFixture.catalog, by: "shenpi",
                                    today: CivilDate(year: 2026, month: 11, day: 23)!)
                let due = try #require(f.first { $0.programme == p }).amount
                #expect(r.total == due, "\(month) \(p): roster \(r.total) against due \(due)")
                #expect(r.backPay.fen == 0)
                total[p, default: 0] += r.total.fen
            }
        }
        #expect((total[.ruralDibao] ?? 0) > 0 && (total[.urbanDibao] ?? 0) > 0 && (total[.tekun] ?? 0) > 0)
        // The year's table: paid = due, the difference line at zero.
        let year = try s.yearFigures(from: CivilDate(year: 2026, month: 1, day: 1)!, until: CivilDate(year: 2026, month: 12, day: 31)!,
                                     catalog: CaseFixture.catalog)
        for p in CaseFixture.catalog.monthlyProgrammes {
            let f = try #require(year.first { $0.programme == p })
            #expect(f.paid == f.amount && f.amount.fen == total[p])
        }
        let diff = try #require(YearReport.rows(year, lang: .zh).last)
        #expect(diff[0].hasPrefix("差额") && Array(diff[1...3]) == ["0.00", "0.00", "0.00"])
        // And every amount is still that of its records after the first payments were recorded.
        #expect(try s.verifyAmounts(catalog: CaseFixture.catalog).mismatches.isEmpty)
    }
}

/// 提标普调: a new standard, every case in force worked out again, one adjustment each, paid
/// from the standard's month (and back for months already confirmed).
@Suite(.serialized) struct StandardRaiseTests {
    typealias R = RosterFromRecordsTests

    func setup() throws -> (Store, [Int64]) {
        let s = try RosterFromRecordsTests().store()
        var ids: [Int64] = []
        for hid in Int64(1)...3 { ids.append(try R.decidedCase(s, household: hid, decided: R.day("2026-05-07"), amount: Money(yuan: 100))) }
        return (s, ids)
    }

    func newStandard(_ s: Store, from: String, yuan: Int64) throws {
        try s.writer.write { db in
            try db.execute(sql: "INSERT INTO standard(programme, area, effective_from, amount_fen, period) VALUES ('rural_dibao', 'rural', ?, ?, 'month')",
                           arguments: [from, yuan * 100])
        }
    }

    @Test func aRaiseAdjustsEveryCaseInForceFromTheStandardsMonth() throws {
        let (s, ids) = try setup()
        let oct = try s.makeRoster(month: "2026-10", programme: .ruralDibao, catalog: R.catalog, by: "jingban")
        try s.confirmRoster(id: oct.id, version: oct.version, catalog: R.catalog, by: "shenpi", today: Fixture.today)
        #expect(oct.total == Money(yuan: 300))
        try newStandard(s, from: "2026-10-01", yuan: 700)
        let plan = try s.raisePlan(programme: .ruralDibao, today: Fixture.today, catalog: R.catalog)
        #expect(plan.from.description == "2026-10" && plan.standards.map(\.amount) == [Money(yuan: 700)])
        #expect(Set(plan.lines.map(\.caseId)) == Set(ids) && plan.unchanged == 0)
        #expect(plan.lines.allSatisfy { $0.old == Money(yuan: 100) && $0.new.fen > 10_000 })
        // Not in the future, not before the standard, not by a clerk; nothing written by any of these.
        #expect(throws: (any Error).self) { try s.raisePlan(programme: .ruralDibao, from: PayMonth("2026-12"), today: Fixture.today, catalog: R.catalog) }
        #expect(throws: (any Error).self) { try s.raisePlan(programme: .ruralDibao, from: PayMonth("2026-09"), today: Fixture.today, catalog: R.catalog) }
        #expect(throws: (any Error).self) { try s.applyRaise(plan, today: Fixture.today, catalog: R.catalog, by: "jingban", role: .clerk) }
        #expect(try s.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM case_step WHERE action = 'adjust'") } == 0)

        #expect(try s.applyRaise(plan, today: Fixture.today, catalog: R.catalog, by: "shenpi", role: .approver) == 3)
        for l in plan.lines {
            let rec = try #require(try s.read { db in try Store.caseSteps(db, caseId: l.caseId) }.last)
            let o = Store.object(rec.inputs)
            #expect(rec.action == "adjust" && rec.actor == "shenpi" && (o["effectiveMonth"] as? String) == "2026-10")
            #expect(Store.fen(o["previousFen"]) == 10_000 && Store.fen(o["monthlyFen"]) == l.new.fen)
        }
        #expect(try s.verifyAmounts(catalog: R.catalog).mismatches.isEmpty)
        let audit = try s.read { db in try Audit.entries(db, limit: 1) }
        #expect(audit.first?.action == "standard.raise")
        // November pays the new amounts, and October's difference back (October is at the bank).
        let nov = try s.makeRoster(month: "2026-11", programme: .ruralDibao, catalog: R.catalog, by: "jingban")
        #expect(nov.backPay == Money(fen: plan.newTotal.fen - plan.oldTotal.fen))
        #expect(nov.total == Money(fen: plan.newTotal.fen * 2 - plan.oldTotal.fen))
        #expect(try s.roster(id: oct.id)?.total == Money(yuan: 300))
        // The family's notice says from when.
        let file = try #require(try s.caseFile(id: ids[0], today: Fixture.today, catalog: R.catalog))
        let text = CaseNotice.text(file, kind: .adjustment, env: try Fixture.env(s), office: try s.office())
        #expect(text.contains("自2026年10月起按调整后金额发放"), "\(text)")
        // Done once: drawn again, nothing is left to raise.
        let again = try s.raisePlan(programme: .ruralDibao, today: Fixture.today, catalog: R.catalog)
        #expect(again.lines.isEmpty && again.unchanged == 3)
    }

    @Test func theApproverRaisesFromTheScreenWithThePassword() throws {
        let (s, ids) = try setup()
        try newStandard(s, from: "2026-11-01", yuan: 700)
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: s, env: try Fixture.env(s))
        func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; r.runUntilIdle() }
        keys(.text("shenpi"), .tab, .text("demo"), .enter)
        if r.state.top.id == IntakeScreen.id { keys(.escape) }
        keys(.char("7"), .function(8), .function(6))
        let st = try #require(r.state.top.state(of: RaiseScreen.self))
        #expect(st.plan?.lines.count == 3)
        #expect(backend.screenText.contains("原金额") && backend.screenText.contains("100.00") && backend.screenText.contains("调整 3 户"),
                "\(backend.screenText)")
        keys(.function(2))
        #expect(backend.screenText.contains("为 3 户记录调整,自 2026-11 起按新金额发放"), "\(backend.screenText)")
        keys(.text("wrong"), .enter)
        #expect(try s.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM case_step WHERE action = 'adjust'") } == 0)
        for _ in 0..<5 { keys(.backspace) }
        keys(.text("demo"), .enter)
        #expect(r.state.message?.text.contains("已为 3 户记录调整") == true, "\(r.state.message?.text ?? "no message")")
        #expect(try s.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM case_step WHERE action = 'adjust'") } == ids.count)
    }
}
