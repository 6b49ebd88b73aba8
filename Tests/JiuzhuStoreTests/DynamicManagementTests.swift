import Foundation
import GRDB
import Testing
import JiuzhuModel
@testable import JiuzhuStore

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

    @Test func onlyTheApproverActsOnACaseInForceAndAlwaysWithAReason() throws {
        let w = Workflow(Self.catalog.definition(.ruralDibao))
        let p = CaseProgress(programme: .ruralDibao, step: "payment", status: .active, stepSince: Fixture.today, appliedOn: Fixture.today, history: [])
        #expect(w.allowed(p, role: .approver) == [.adjust, .keep, .suspend, .terminate])
        #expect(w.allowed(p, role: .clerk).isEmpty)
        var suspended = p; suspended.status = .suspended
        #expect(w.allowed(suspended, role: .approver) == [.resume, .terminate])
        #expect(throws: WorkflowError.wrongRole(step: "payment", needs: .approver, has: .clerk)) {
            try w.apply(p, CaseRequest(action: .suspend, actor: "jingban", role: .clerk, date: Fixture.today, reason: "x"))
        }
        #expect(throws: WorkflowError.reasonRequired) {
            try w.apply(p, CaseRequest(action: .keep, actor: "shenpi", role: .approver, date: Fixture.today))
        }
        #expect(throws: WorkflowError.notAllowed(.resume, step: "payment")) {
            try w.apply(p, CaseRequest(action: .resume, actor: "shenpi", role: .approver, date: Fixture.today, reason: "x"))
        }
        var closed = p; closed.status = .terminated
        #expect(throws: WorkflowError.notInProgress(.terminated)) {
            try w.apply(closed, CaseRequest(action: .adjust, actor: "shenpi", role: .approver, date: Fixture.today, reason: "x", amount: Money(yuan: 1)))
        }
        // An adjustment to nothing is a termination, and a different amount needs its reason.
        #expect(throws: WorkflowError.self) {
            try w.apply(p, CaseRequest(action: .adjust, actor: "shenpi", role: .approver, date: Fixture.today, reason: "x",
                                       computed: Money(fen: 0), amount: Money(fen: 0)))
        }
        #expect(throws: WorkflowError.overrideNeedsReason(computed: Money(yuan: 100), amount: Money(yuan: 120))) {
            try w.apply(p, CaseRequest(action: .adjust, actor: "shenpi", role: .approver, date: Fixture.today, reason: "x",
                                       computed: Money(yuan: 100), amount: Money(yuan: 120)))
        }
        let t = try w.apply(p, CaseRequest(action: .terminate, actor: "shenpi", role: .approver, date: Fixture.today,
                                           inputs: ["kind": "清退"], reason: "不符合条件"))
        #expect(t.status == .terminated)
        #expect(t.records[0].inputs.contains(#""kind":"clear""#))
        #expect(throws: WorkflowError.self) {
            try w.apply(p, CaseRequest(action: .terminate, actor: "shenpi", role: .approver, date: Fixture.today, inputs: ["kind": "later"], reason: "x"))
        }
    }

    // MARK: spot check → follow-up → approver

    @Test func aSpotCheckDiscrepancyIsAdjustedThroughTheCaseWorkflow() throws {
        let s = try setup()
        for hid in Int64(1)...6 { _ = try Self.activeCase(s, household: hid) }
        let draw = try s.drawSpotCheck(programme: .ruralDibao, period: "2026", percent: 50, seed: 7, by: "duzha")
        let drawId = try #require(draw.drawId)
        let line = try #require(try s.spotChecks(drawId: drawId).first)
        let form = #"{"finding":"家中新增务工收入","incomeEstimate":50000,"members":true,"income":false}"#
        try s.recordSpotCheckVisit(id: line.id, visitedOn: Fixture.today, by: "督查员乙", findings: form, discrepancy: true,
                                   proposedAction: .adjust, user: "duzha")
        let open = try s.followUps(caseId: line.caseId)
        #expect(open.count == 1)
        #expect(open[0].isOpen && open[0].proposed == .adjust && open[0].source == .spotcheck && open[0].sourceId == line.id)
        #expect(open[0].incomeEstimate == Money(yuan: 500) && open[0].finding == "家中新增务工收入")

        // The approver's queue has it; a clerk's does not.
        let queue = try s.reviewQueue(role: .approver, catalog: Self.catalog, today: Fixture.today)
        #expect(queue.filter { $0.followUp != nil }.map(\.caseId) == [line.caseId])
        #expect(try s.reviewQueueTotal(role: .approver, catalog: Self.catalog) == queue.count)
        #expect(try s.reviewQueue(role: .clerk, catalog: Self.catalog, today: Fixture.today).allSatisfy { $0.followUp == nil })

        // A clerk cannot adjust; the approver adjusts on the re-estimated income.
        #expect(throws: StoreError.self) { try act(s, line.caseId, .adjust, role: .clerk, inputs: ["perCapitaIncome": "500"]) }
        let before = try status(s, line.caseId)
        let r = try act(s, line.caseId, .adjust, reason: "务工收入增加", inputs: ["perCapitaIncome": "500"])
        let d = try #require(r.transition.decision)
        let file = try #require(try s.caseFile(id: line.caseId, today: Fixture.today, catalog: Self.catalog))
        // The rule table now reads the re-estimate, and the amount is the one it works out.
        #expect(file.assessment.lines.first?.text.zh.contains("人均收入 500.00") == true)
        // ... on the standard in force on the adjustment's date, not the first approval's.
        #expect(file.facts.decisionDate == Fixture.today)
        #expect(d.amount == file.assessment.amount && d.computed == file.assessment.amount)
        #expect(try status(s, line.caseId) == ("active", d.amount.fen))
        #expect(before.1 != d.amount.fen)
        let closed = try s.followUps(caseId: line.caseId)
        #expect(closed.count == 1 && closed[0].outcome == .adjusted && closed[0].closedBy == "shenpi" && closed[0].closedOn == Fixture.today)
        #expect(file.history.last?.action == "adjust")
        // It keeps the persons covered, for the year-end figures.
        #expect(Store.object(file.history.last?.inputs ?? "{}")["covered"] as? Int == file.caseRecord.coveredMembers)
        #expect(try s.reviewQueue(role: .approver, catalog: Self.catalog, today: Fixture.today).allSatisfy { $0.followUp == nil })
        let audit = try s.read { db in try String.fetchOne(db, sql: "SELECT action FROM audit ORDER BY id DESC LIMIT 1") }
        #expect(audit == "case.adjust")
    }

    @Test func aVisitRecordedAgainAsFoundWithdrawsItsFollowUp() throws {
        let s = try setup()
        for hid in Int64(1)...4 { _ = try Self.activeCase(s, household: hid) }
        let draw = try s.drawSpotCheck(programme: .ruralDibao, period: "2026", percent: 30, seed: 3, by: "duzha")
        let drawId = try #require(draw.drawId)
        let line = try #require(try s.spotChecks(drawId: drawId).first)
        try s.recordSpotCheckVisit(id: line.id, visitedOn: Fixture.today, by: "乙", findings: #"{"finding":"人口不符"}"#, discrepancy: true,
                                   proposedAction: .suspend, user: "duzha")
        try s.recordSpotCheckVisit(id: line.id, visitedOn: Fixture.today, by: "乙", findings: #"{"finding":"人口不符，已改"}"#, discrepancy: true,
                                   proposedAction: .cancel, user: "duzha")
        let one = try s.followUps(caseId: line.caseId)
        #expect(one.count == 1 && one[0].proposed == .cancel && one[0].finding == "人口不符，已改")
        try s.recordSpotCheckVisit(id: line.id, visitedOn: Fixture.today, by: "乙", findings: #"{"finding":"一致"}"#, discrepancy: false,
                                   proposedAction: .none, user: "duzha")
        #expect(try s.followUps(caseId: line.caseId).isEmpty)
    }

    @Test func suspendResumeAndKeepCloseTheFollowUpWithTheirOutcome() throws {
        let s = try setup()
        let id = try Self.activeCase(s, household: 2)
        try s.write { db in
            try Store.openFollowUp(db, caseId: id, source: .recheck, sourceId: nil, proposed: .suspend, finding: "外出务工未签到",
                                   incomeEstimate: nil, by: "jingban", on: Fixture.today)
        }
        _ = try act(s, id, .suspend, reason: "连续两月未签到")
        #expect(try status(s, id).0 == "suspended")
        #expect(try s.followUps(caseId: id).map(\.outcome) == [.suspended])
        // Suspended: not drawn for spot checks, still blocks a second application, may be resumed.
        #expect(try s.read { db in try Store.spotCheckPopulation(db, programme: .ruralDibao) }.isEmpty)
        _ = try act(s, id, .resume, reason: "已返乡签到")
        #expect(try status(s, id).0 == "active")
        try s.write { db in
            try Store.openFollowUp(db, caseId: id, source: .recheck, sourceId: nil, proposed: .none, finding: "房屋翻修",
                                   incomeEstimate: nil, by: "jingban", on: Fixture.today)
        }
        _ = try act(s, id, .keep, reason: "翻修为危房改造补助，不计收入")
        #expect(try s.followUps(caseId: id).map(\.outcome) == [.suspended, .unchanged])
        #expect(try status(s, id) == ("active", 30_000))
        // A follow-up cannot be opened on a case no longer in force.
        _ = try act(s, id, .terminate, reason: "户籍迁出", inputs: ["kind": "cancel"])
        #expect(throws: StoreError.self) {
            try s.write { db in
                try Store.openFollowUp(db, caseId: id, source: .recheck, sourceId: nil, proposed: .none, finding: "x",
                                       incomeEstimate: nil, by: "jingban", on: Fixture.today)
            }
        }
    }

    // MARK: campaigns

    @Test func aCampaignListsEveryCaseInForceAndCountsItsOutcomesInHouseholdsAndPersons() throws {
        let s = try setup()
        var ids: [Int64] = []
        for hid in Int64(1)...8 { ids.append(try Self.activeCase(s, household: hid)) }
        let persons = try s.read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, covered_members FROM assistance_case").map { ($0["id"] as Int64, $0["covered_members"] as Int) })
        }
        let cid = try s.startCampaign(name: "阳光行动", programme: .ruralDibao, startedOn: Fixture.today.adding(days: -10),
                                      endsOn: Fixture.today.adding(days: 20), by: "duzha")
        let g = try #require(try s.campaign(id: cid))
        #expect(g.listed == 8 && g.persons == persons.values.reduce(0, +) && g.checked == 0)
        #expect(throws: StoreError.self) {
            try s.startCampaign(name: "再来", programme: .ruralDibao, startedOn: Fixture.today, endsOn: Fixture.today, by: "duzha")
        }
        #expect(throws: StoreError.self) {
            try s.startCampaign(name: "特困", programme: .tekun, startedOn: Fixture.today, endsOn: Fixture.today, by: "duzha")
        }

        // The list is on the due work until checked.
        var due = try s.dueWork(today: Fixture.today).filter { $0.kind == .campaign }
        #expect(due.count == 8)
        try s.recordCampaignCheck(campaignId: cid, caseId: ids[0], on: Fixture.today, by: "jingban", finding: "有赡养人经商", proposed: .clear)
        try s.recordCampaignCheck(campaignId: cid, caseId: ids[1], on: Fixture.today, by: "jingban", finding: "已迁出", proposed: .cancel)
        try s.recordCampaignCheck(campaignId: cid, caseId: ids[2], on: Fixture.today, by: "jingban", finding: "收入增加", proposed: .adjust,
                                  incomeEstimate: Money(yuan: 500))
        try s.recordCampaignCheck(campaignId: cid, caseId: ids[3], on: Fixture.today, by: "jingban", finding: "", proposed: .none)
        #expect(throws: StoreError.self) {
            try s.recordCampaignCheck(campaignId: cid, caseId: ids[4], on: Fixture.today, by: "jingban", finding: " ", proposed: .cancel)
        }
        due = try s.dueWork(today: Fixture.today).filter { $0.kind == .campaign }
        #expect(due.count == 4)
        #expect(try s.campaign(id: cid)?.checked == 4)
        #expect(try s.campaign(id: cid)?.proposedChange == 3)

        // Nothing counts until the approver acts.
        var o = try #require(try s.campaignOutcome(id: cid, catalog: Self.catalog, today: Fixture.today))
        #expect(o.cleared.households == 0 && o.adjusted.households == 0 && o.openFollowUps == 3)
        _ = try act(s, ids[0], .terminate, reason: "清退", inputs: ["kind": "clear"])
        _ = try act(s, ids[1], .terminate, reason: "迁出")
        _ = try act(s, ids[2], .adjust, reason: "收入增加", inputs: ["perCapitaIncome": "500"])
        // A new case approved during the campaign counts as 新增.
        let fresh = try CaseFixture.ruralCase(s, household: 10, at: "county_approval", since: Fixture.today.adding(days: -2))
        _ = try act(s, fresh, .approve, inputs: ["approver": "审批员", "opinion": "同意"])
        o = try #require(try s.campaignOutcome(id: cid, catalog: Self.catalog, today: Fixture.today))
        #expect(o.cleared == CampaignOutcome.Count(households: 1, persons: persons[ids[0]]!))
        #expect(o.cancelled == CampaignOutcome.Count(households: 1, persons: persons[ids[1]]!))
        #expect(o.adjusted == CampaignOutcome.Count(households: 1, persons: persons[ids[2]]!))
        let freshPersons = try s.read { db in try Int.fetchOne(db, sql: "SELECT covered_members FROM assistance_case WHERE id = ?", arguments: [fresh])! }
        #expect(o.added == CampaignOutcome.Count(households: 1, persons: freshPersons))
        #expect(o.openFollowUps == 0)
        let outcomes = try s.followUps(caseId: ids[0]).map(\.outcome) + s.followUps(caseId: ids[1]).map(\.outcome)
        #expect(outcomes == [.cleared, .cancelled])

        // Closed: off the due work, counts frozen at the closing date, and a new one may start.
        try s.closeCampaign(id: cid, on: Fixture.today, by: "duzha")
        #expect(try s.dueWork(today: Fixture.today).filter { $0.kind == .campaign }.isEmpty)
        #expect(throws: StoreError.self) { try s.closeCampaign(id: cid, on: Fixture.today, by: "duzha") }
        let again = try s.startCampaign(name: "阳光行动（二）", programme: .ruralDibao, startedOn: Fixture.today, endsOn: Fixture.today, by: "duzha")
        #expect(try s.campaign(id: again)?.listed == 6)   // 8 − 2 stopped; the new case is still at its posting
    }
}
