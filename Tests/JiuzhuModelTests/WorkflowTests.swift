import Foundation
import PropertyBased
import Testing
@testable import JiuzhuModel

/// Valid inputs for any step, and a walker that drives a case by the engine.
enum Walk {
    static let start = CivilDate(year: 2026, month: 3, day: 2)!

    static func inputs(_ s: ProgrammeCatalog.Step, date: CivilDate) -> [String: String] {
        var out: [String: String] = [:]
        for i in s.stepInputs {
            switch i.kind {
            case .date: out[i.id] = date.iso
            case .month: out[i.id] = String(format: "%04d-%02d", date.year, date.month)
            case .integer:
                switch i.id {
                case "representatives": out[i.id] = "25"
                case "attendance": out[i.id] = "21"
                case "votesFor": out[i.id] = "18"
                case "votesAgainst": out[i.id] = "2"
                default: out[i.id] = "3"
                }
            case .money: out[i.id] = i.id == "insurancePaidFen" ? "600.00" : "2000.00"
            case .choice: out[i.id] = i.choices!.first!.code
            case .yesno: out[i.id] = "是"
            case .text:
                out[i.id] = i.id == "investigator1" ? "王立军" : i.id == "investigator2" ? "李春梅" : "同意"
            }
        }
        return out
    }

    static func role(_ s: ProgrammeCatalog.Step) -> Role { Role(rawValue: s.role)! }

    /// Do `action` at the case's step as the right role, on `date`. Finishing a publicity step
    /// comes with a batch posted the day the case reached it, for the publicity days.
    static func act(_ w: Workflow, _ p: inout CaseProgress, _ action: CaseAction, date: CivilDate, reason: String = "理由") throws {
        let s = w.definition.step(p.step)!
        var r = CaseRequest(action: action, actor: "u-" + s.role, role: action == .terminate ? .approver : role(s), date: date,
                            inputs: action.completes ? inputs(s, date: date) : [:], reason: reason)
        if s.isPublicity && action == .done {
            r.posting = Posting(batchId: 1, from: p.stepSince, until: p.stepSince.adding(days: w.publicityDays))
        }
        if action.completes && s.isDecision { r.amount = Money(yuan: 500) }
        if action == .urgentPay { r.amount = Money(yuan: 300) }
        let t = try w.apply(p, r)
        p.history += t.records
        p.step = t.step; p.status = t.status; p.stepSince = t.stepSince
    }

    /// A date after the posting window when the case is at a publicity step.
    static func whenDone(_ w: Workflow, _ p: CaseProgress) -> CivilDate {
        w.publicityWindow(p)?.until ?? p.stepSince.adding(days: 1)
    }

    static func new(_ d: ProgrammeCatalog.Definition) -> CaseProgress {
        CaseProgress(programme: d.programme, step: d.steps[0].code, status: .inProgress, stepSince: start, appliedOn: start, history: [])
    }
}

@Suite struct WorkflowTests {
    let catalog = DataFixture.catalog

    @Test func everyProgrammeWalksToItsEnd() throws {
        for d in catalog.programmes {
            let w = Workflow(d)
            var p = Walk.new(d)
            var order: [String] = []
            while p.status == .inProgress {
                let s = d.step(p.step)!
                order.append(s.code)
                try Walk.act(w, &p, w.completion(s), date: Walk.whenDone(w, p))
            }
            #expect(order == w.steps.map(\.code), "\(d.code)")
            #expect(p.status == (w.steps.last!.final == "active" ? .active : .closed))
            #expect(p.history.count == w.steps.count)
            // The records name who did each step, in order.
            #expect(p.history.map(\.step) == w.steps.map(\.code))
            #expect(p.history.allSatisfy { $0.actor.hasPrefix("u-") })
        }
    }

    /// Only the decision step refuses; every earlier step that may proposes refusal (拟不予), which
    /// sends the case to the decision step, where the decider refuses or sends it back.
    @Test func refusalIsDecidedAtTheDecisionStepOnly() throws {
        for d in catalog.programmes {
            let w = Workflow(d)
            let decision = try #require(w.decisionStep)
            for (i, s) in w.steps.enumerated() where s.canReject {
                var p = Walk.new(d)
                for _ in 0..<i { try Walk.act(w, &p, w.completion(d.step(p.step)!), date: Walk.whenDone(w, p)) }
                #expect(p.step == s.code)
                if !s.isDecision {
                    // Found 1: the step's own role cannot refuse here, only propose.
                    #expect(throws: WorkflowError.decisionOnly(.reject, decisionStep: decision.code, role: w.decisionRole)) {
                        try Walk.act(w, &p, .reject, date: p.stepSince, reason: "家庭人均收入高于标准")
                    }
                    #expect(!w.allowed(p, role: Walk.role(s)).contains(.reject))
                    #expect(throws: WorkflowError.reasonRequired) { try Walk.act(w, &p, .proposeReject, date: p.stepSince, reason: " ") }
                    try Walk.act(w, &p, .proposeReject, date: p.stepSince, reason: "家庭人均收入高于标准")
                    #expect(p.status == .inProgress && p.step == decision.code)
                    #expect(w.pendingProposal(p)?.step == s.code)
                    // The decider may not approve what skipped the steps in between: refuse or send back.
                    #expect(w.allowed(p, role: w.decisionRole).prefix(2) == [.reject, .back])
                }
                #expect(throws: WorkflowError.reasonRequired) { try Walk.act(w, &p, .reject, date: p.stepSince, reason: " ") }
                try Walk.act(w, &p, .reject, date: p.stepSince, reason: "家庭人均收入高于标准")
                #expect(p.status == .rejected)
                #expect(p.history.last?.note == "家庭人均收入高于标准")
                #expect(p.history.last?.step == decision.code)
                // Nothing more can be done.
                #expect(w.allowed(p, role: Walk.role(s)).isEmpty)
                #expect(throws: WorkflowError.notInProgress(.rejected)) { try Walk.act(w, &p, w.completion(s), date: p.stepSince) }
            }
        }
    }

    /// The decider does not refuse a proposal: the case goes back to the step that proposed it
    /// and walks on from there.
    @Test func aDeclinedProposalGoesBackToItsStep() throws {
        let d = catalog.definition(.ruralDibao)
        let w = Workflow(d)
        var p = Walk.new(d)
        try Walk.act(w, &p, .done, date: Walk.start)
        try Walk.act(w, &p, .proposeReject, date: Walk.start, reason: "有机动车辆")
        #expect(p.step == "county_approval")
        #expect(throws: WorkflowError.proposalPending) {
            try w.apply(p, CaseRequest(action: .approve, actor: "shenpi", role: .approver, date: Walk.start,
                                       inputs: Walk.inputs(d.step("county_approval")!, date: Walk.start), amount: Money(yuan: 1)))
        }
        try Walk.act(w, &p, .back, date: Walk.start.adding(days: 1), reason: "车辆为残疾人代步车，不影响")
        #expect(p.step == "survey" && p.status == .inProgress)
        try Walk.act(w, &p, .done, date: Walk.start.adding(days: 2))
        #expect(p.step == "appraisal")
    }

    /// 撤回申请: the applicant withdraws at any step, recorded with the reason; nothing more follows.
    @Test func theApplicantMayWithdrawAtAnyStep() throws {
        for d in catalog.programmes {
            let w = Workflow(d)
            for i in w.steps.indices {
                var p = Walk.new(d)
                for _ in 0..<i { try Walk.act(w, &p, w.completion(d.step(p.step)!), date: Walk.whenDone(w, p)) }
                guard p.status == .inProgress else { continue }
                #expect(w.allowed(p, role: .clerk).contains(.withdraw))
                #expect(!w.allowed(p, role: .supervisor).contains(.withdraw))
                #expect(throws: WorkflowError.reasonRequired) {
                    try w.apply(p, CaseRequest(action: .withdraw, actor: "jingban", role: .clerk, date: p.stepSince, reason: ""))
                }
                let t = try w.apply(p, CaseRequest(action: .withdraw, actor: "jingban", role: .clerk, date: p.stepSince, reason: "申请人书面撤回"))
                #expect(t.status == .withdrawn && t.step == p.step)
                #expect(t.records.count == 1 && t.records[0].action == "withdraw" && t.records[0].note == "申请人书面撤回")
            }
        }
    }

    /// 审核确认权下放: on, the township's approver confirms and the county step leaves the path.
    @Test func delegationTakesTheCountyStepOffThePath() throws {
        for p in [Programme.ruralDibao, .urbanDibao, .tekun] {
            let d = catalog.definition(p)
            let county = Workflow(d, delegated: false), town = Workflow(d, delegated: true)
            #expect(county.steps.map(\.code).contains("county_approval"))
            #expect(!county.steps.map(\.code).contains("township_confirmation"))
            #expect(!town.steps.map(\.code).contains("county_approval"))
            #expect(town.decisionStep?.code == "township_confirmation")
            var c = Walk.new(d)
            var order: [String] = []
            while c.status == .inProgress {
                order.append(c.step)
                try Walk.act(town, &c, town.completion(d.step(c.step)!), date: Walk.whenDone(town, c))
            }
            #expect(order == town.steps.map(\.code))
            #expect(c.status == .active)
            #expect(c.history.contains { $0.step == "township_confirmation" && $0.action == "approve" })
        }
    }

    /// Found 2 (model): a publicity step is not finished without a batch, nor by one posted before
    /// the case got there, nor by a short one, nor before the window ends.
    @Test func publicityFinishesOnlyThroughAPostedBatch() throws {
        let d = catalog.definition(.ruralDibao)
        let w = Workflow(d)
        var p = Walk.new(d)
        while p.step != "village_publicity" { try Walk.act(w, &p, w.completion(d.step(p.step)!), date: Walk.whenDone(w, p)) }
        let reached = p.stepSince
        #expect(!w.allowed(p, role: .clerk).contains(.done))
        func done(_ post: Posting?, on: CivilDate) throws {
            _ = try w.apply(p, CaseRequest(action: .done, actor: "jingban", role: .clerk, date: on, posting: post))
        }
        let later = reached.adding(days: 30)
        #expect(throws: WorkflowError.notPosted) { try done(nil, on: later) }
        #expect(throws: WorkflowError.postedBeforeStep(posted: reached.adding(days: -2), reached: reached)) {
            try done(Posting(batchId: 1, from: reached.adding(days: -2), until: reached.adding(days: 5)), on: later)
        }
        #expect(throws: WorkflowError.windowTooShort(days: 3, needs: 7)) {
            try done(Posting(batchId: 1, from: reached, until: reached.adding(days: 3)), on: later)
        }
        #expect(throws: WorkflowError.windowOpen(until: reached.adding(days: 8))) {
            try done(Posting(batchId: 1, from: reached.adding(days: 1), until: reached.adding(days: 8)), on: reached.adding(days: 7))
        }
        try done(Posting(batchId: 1, from: reached.adding(days: 1), until: reached.adding(days: 8)), on: reached.adding(days: 8))
    }

    @Test func sendBackReturnsToTheReviewerAfterReinvestigation() throws {
        for d in catalog.programmes {
            let w = Workflow(d)
            for (i, s) in w.steps.enumerated() where s.backTo != nil {
                var p = Walk.new(d)
                for _ in 0..<i { try Walk.act(w, &p, w.completion(d.step(p.step)!), date: Walk.whenDone(w, p)) }
                try Walk.act(w, &p, .back, date: p.stepSince, reason: "收入核查不清")
                #expect(p.step == s.backTo)
                #expect(w.resumeStep(p) == s.code)
                try Walk.act(w, &p, .done, date: p.stepSince.adding(days: 2))
                #expect(p.step == s.code, "\(d.code): back at \(s.code) returns there")
                #expect(w.resumeStep(p) == nil)
            }
        }
    }

    @Test func objectionSendsBackThenAFullNewPosting() throws {
        let d = catalog.definition(.ruralDibao)
        let w = Workflow(d)
        var p = Walk.new(d)
        while p.step != "village_publicity" { try Walk.act(w, &p, w.completion(d.step(p.step)!), date: Walk.whenDone(w, p)) }
        let posted = p.stepSince
        #expect(w.publicityWindow(p)?.until == posted.adding(days: 7))
        // Closing before the window ends is refused, naming the date.
        #expect(throws: WorkflowError.windowOpen(until: posted.adding(days: 7))) {
            try Walk.act(w, &p, .done, date: posted.adding(days: 6))
        }
        try Walk.act(w, &p, .objection, date: posted.adding(days: 2), reason: "反映该户新购机动车辆")
        #expect(p.step == "survey")
        try Walk.act(w, &p, .done, date: posted.adding(days: 5))
        #expect(p.step == "village_publicity")
        // Re-posting after an objection gets a full window, not a shorter one.
        #expect(w.publicityWindow(p)?.until == posted.adding(days: 5 + 7))
        #expect(throws: WorkflowError.windowTooShort(days: 3, needs: 7)) {
            try w.apply(p, CaseRequest(action: .done, actor: "jingban", role: .clerk, date: posted.adding(days: 20),
                                       posting: Posting(batchId: 2, from: p.stepSince, until: p.stepSince.adding(days: 3))))
        }
        try Walk.act(w, &p, .done, date: posted.adding(days: 12))
        #expect(p.step == "township_review")
    }

    @Test func urgentPathPaysFirstAndClosesAfterApproval() throws {
        let d = catalog.definition(.temporary)
        let w = Workflow(d)
        var p = Walk.new(d)
        #expect(w.allowed(p, role: .clerk).contains(.urgentPay))
        try Walk.act(w, &p, .urgentPay, date: Walk.start, reason: "房屋失火")
        #expect(!w.allowed(p, role: .clerk).contains(.urgentPay))
        let due = Walk.start.adding(days: d.urgent!.papersDays)
        let cal = WorkingCalendar(holidays: [])
        #expect(w.due(p, today: Walk.start, calendar: cal) == CaseDue(kind: .papers, date: due, left: d.urgent!.papersDays))
        #expect(w.due(p, today: due.adding(days: 2), calendar: cal)?.overdue == true)
        while p.status == .inProgress { try Walk.act(w, &p, w.completion(d.step(p.step)!), date: p.stepSince.adding(days: 1)) }
        #expect(p.status == .closed)
        // Decided 500 after 300 paid first: the payment step pays the rest, by the clerk (issue 22).
        let pay = p.history.last!
        #expect(pay.step == "payment" && !pay.note.contains("先行救助") && pay.action == CaseAction.done.rawValue)
        #expect(p.history.filter { $0.step == "payment" }.count == 1)
    }

    /// 先行救助 (急难型) at any step before the decision, not at it; 支出型 never (issue 22 item 3).
    @Test func urgentPayAtAnyStepBeforeTheDecisionForEmergenciesOnly() throws {
        let d = catalog.definition(.temporary)
        let w = Workflow(d)
        var p = Walk.new(d)
        try Walk.act(w, &p, .done, date: Walk.start)
        p.history[0].inputs = Workflow.json(["kind": "urgent"])
        try Walk.act(w, &p, .done, date: Walk.start)
        #expect(p.step == "township_review")
        #expect(w.allowed(p, role: .reviewer).contains(.urgentPay))
        var expense = p
        expense.history[0].inputs = Workflow.json(["kind": "expense"])
        #expect(!w.allowed(expense, role: .reviewer).contains(.urgentPay))
        try Walk.act(w, &p, .approve, date: Walk.start)
        #expect(p.step == "county_approval")
        #expect(!w.allowed(p, role: .approver).contains(.urgentPay))
        // Paid first at the review, then decided at what was paid: the payment step is done by it.
        var q = Walk.new(d)
        try Walk.act(w, &q, .done, date: Walk.start)
        q.history[0].inputs = Workflow.json(["kind": "urgent"])
        try Walk.act(w, &q, .done, date: Walk.start)
        try Walk.act(w, &q, .urgentPay, date: Walk.start, reason: "房屋失火")
        try Walk.act(w, &q, .approve, date: Walk.start)
        let t = try w.apply(q, CaseRequest(action: .approve, actor: "x", role: .approver, date: Walk.start,
                                           inputs: ["approver": "审批人"], computed: Money(yuan: 300), amount: Money(yuan: 300)))
        #expect(t.status == .closed && t.records.last?.step == "payment" && t.records.last?.note.contains("先行救助") == true)
    }

    @Test func wrongRoleAndMissingInputsAreRefused() throws {
        let d = catalog.definition(.ruralDibao)
        let w = Workflow(d)
        var p = Walk.new(d)
        #expect(throws: WorkflowError.wrongRole(step: "apply", needs: .clerk, has: .reviewer)) {
            try w.apply(p, CaseRequest(action: .done, actor: "x", role: .reviewer, date: Walk.start, inputs: Walk.inputs(d.steps[0], date: Walk.start)))
        }
        #expect(throws: WorkflowError.missingInput(Text2(zh: "申请人", en: "applicant"))) {
            try w.apply(p, CaseRequest(action: .done, actor: "x", role: .clerk, date: Walk.start))
        }
        var unsigned = Walk.inputs(d.steps[0], date: Walk.start)
        unsigned["authorised"] = "否"
        #expect(throws: WorkflowError.badInput(Text2(zh: "已签授权核对书", en: "check authorised"), sayBoth("model.workflow.input.mustBeYes"))) {
            try w.apply(p, CaseRequest(action: .done, actor: "x", role: .clerk, date: Walk.start, inputs: unsigned))
        }
        try Walk.act(w, &p, .done, date: Walk.start)
        var same = Walk.inputs(d.step("survey")!, date: Walk.start)
        same["investigator2"] = same["investigator1"]
        #expect(throws: WorkflowError.sameInvestigator) {
            try w.apply(p, CaseRequest(action: .done, actor: "x", role: .clerk, date: Walk.start, inputs: same))
        }
        var future = Walk.inputs(d.step("survey")!, date: Walk.start)
        future["date"] = Walk.start.adding(days: 1).iso
        #expect(throws: WorkflowError.inFuture(Text2(zh: "调查日期", en: "survey date"))) {
            try w.apply(p, CaseRequest(action: .done, actor: "x", role: .clerk, date: Walk.start, inputs: future))
        }
        try Walk.act(w, &p, .done, date: Walk.start)
        var lost = Walk.inputs(d.step("appraisal")!, date: Walk.start)
        lost["votesFor"] = "10"
        #expect(throws: WorkflowError.appraisalNotPassed(votesFor: 10, attendance: 21)) {
            try w.apply(p, CaseRequest(action: .done, actor: "x", role: .clerk, date: Walk.start, inputs: lost))
        }
    }

    @Test func overrideNeedsAReasonAndIsRecorded() throws {
        let d = catalog.definition(.ruralDibao)
        let w = Workflow(d)
        var p = Walk.new(d)
        while p.step != "county_approval" { try Walk.act(w, &p, w.completion(d.step(p.step)!), date: Walk.whenDone(w, p)) }
        let s = d.step("county_approval")!
        var r = CaseRequest(action: .approve, actor: "shenpi", role: .approver, date: p.stepSince, inputs: Walk.inputs(s, date: p.stepSince),
                            computed: Money(yuan: 442), amount: Money(yuan: 400))
        #expect(throws: WorkflowError.overrideNeedsReason(computed: Money(yuan: 442), amount: Money(yuan: 400))) { try w.apply(p, r) }
        r.overrideReason = "子女有赡养能力,酌减"
        let t = try w.apply(p, r)
        #expect(t.decision?.amount == Money(yuan: 400))
        #expect(t.decision?.overrideReason == "子女有赡养能力,酌减")
        #expect(t.records[0].inputs.contains("\"overrideReason\":\"子女有赡养能力,酌减\""))
        #expect(t.records[0].inputs.contains("\"monthlyFen\":40000"))
        #expect(t.approver == "同意")       // the approver named in the inputs (Walk types 同意 in text inputs)
        r.amount = Money(fen: -1)
        #expect(throws: WorkflowError.negativeAmount) { try w.apply(p, r) }
    }

    @Test func terminationIsTheApproversWithAReason() throws {
        let d = catalog.definition(.ruralDibao)
        let w = Workflow(d)
        var p = Walk.new(d)
        while p.status == .inProgress { try Walk.act(w, &p, w.completion(d.step(p.step)!), date: Walk.whenDone(w, p)) }
        #expect(w.allowed(p, role: .approver) == [.adjust, .keep, .suspend, .terminate])
        #expect(w.allowed(p, role: .clerk).isEmpty)
        #expect(throws: WorkflowError.reasonRequired) { try Walk.act(w, &p, .terminate, date: p.stepSince, reason: "") }
        try Walk.act(w, &p, .terminate, date: p.stepSince, reason: "家庭收入超过标准")
        #expect(p.status == .terminated)
    }

    @Test func workingDayLimitCountsHolidays() {
        let d = catalog.definition(.ruralDibao)
        let w = Workflow(d)
        // 2026-10-01..07 National Day off: a review starting 2026-09-30 is due 15 working days later.
        var hol: [Holiday] = []
        for day in 1...7 { hol.append(Holiday(date: CivilDate(year: 2026, month: 10, day: day)!, kind: .off, name: "国庆节")) }
        let cal = WorkingCalendar(holidays: hol)
        let since = CivilDate(year: 2026, month: 9, day: 30)!
        let p = CaseProgress(programme: .ruralDibao, step: "township_review", status: .inProgress, stepSince: since, appliedOn: since, history: [])
        let due = w.due(p, today: since, calendar: cal)!
        #expect(due.kind == .workingDays)
        #expect(due.date == CivilDate(year: 2026, month: 10, day: 28)!)
        #expect(due.left == 15)
        #expect(w.due(p, today: CivilDate(year: 2026, month: 10, day: 29)!, calendar: cal)!.left == -1)
    }

    @Test func brokenDefinitionsAreRefused() throws {
        let good = try String(contentsOf: DataFixture.dataDir.appendingPathComponent("programmes.json"), encoding: .utf8)
        let broken = [
            good.replacingOccurrences(of: "\"backTo\": \"survey\"", with: "\"backTo\": \"payment\""),
            good.replacingOccurrences(of: "\"objectionTo\": \"survey\"", with: "\"objectionTo\": \"nowhere\""),
            good.replacingOccurrences(of: "\"final\": \"active\"", with: "\"final\": \"finished\""),
            good.replacingOccurrences(of: "\"kind\": \"choice\", \"required\": true,\n                     \"choices\"", with: "\"kind\": \"choice\", \"required\": true, \"x\""),
        ]
        for b in broken {
            #expect(b != good)
            #expect(throws: (any Error).self) { try ProgrammeCatalog.decode(Data(b.utf8)) }
        }
    }

    /// Random actions by random roles on random days: whatever happens, every step finished was
    /// the case's step at the time, done by the step's role, and every step before it had been
    /// finished already; the case only ever moves one step on, or back and forth by the rules.
    @Test func noSequenceOfActionsSkipsAStepOrActsWithTheWrongRole() async {
        let programmes = catalog.programmes
        let gen = zip(Gen.int(in: 0..<programmes.count),
                      zip(Gen.int(in: 0..<CaseAction.allCases.count), Gen.int(in: 0..<Role.allCases.count), Gen.int(in: 0...9)).array(of: 1...60))
        await propertyCheck(count: 300, input: gen) { pi, moves in
            let d = programmes[pi]
            let w = Workflow(d)
            var p = Walk.new(d)
            var finished: Set<String> = []
            for (a, r, days) in moves {
                let action = CaseAction.allCases[a], role = Role.allCases[r]
                let before = p
                let s = d.step(p.step)!
                let date = p.stepSince.adding(days: days)
                var req = CaseRequest(action: action, actor: role.rawValue, role: role, date: date,
                                      inputs: Walk.inputs(s, date: date), reason: "理由", amount: Money(yuan: 100))
                req.computed = nil
                if s.isPublicity && days % 2 == 0 { req.posting = Posting(batchId: 1, from: p.stepSince, until: p.stepSince.adding(days: 7)) }
                guard let t = try? w.apply(p, req) else { continue }
                for rec in t.records where CaseAction(rawValue: rec.action)?.completes == true {
                    #expect(w.steps.prefix { $0.code != rec.step }.allSatisfy { finished.contains($0.code) }, "\(d.code): \(rec.step) finished before an earlier step")
                    finished.insert(rec.step)
                }
                // Only the step's role acts (the payment done by an urgent payment is the same action's);
                // withdrawing is the applicant's, recorded by whoever works the case.
                if action == .withdraw { #expect([Role.clerk, .reviewer, .approver].contains(role)) }
                else if action != .terminate { #expect(role.rawValue == s.role) } else { #expect(role == .approver) }
                #expect(t.records.first?.step == before.step)
                let from = d.index(of: before.step)!, to = d.index(of: t.step)!
                if action.completes && t.status == .inProgress {
                    #expect(to > from, "\(d.code): completing \(before.step) moved to \(t.step)")
                    if let r = w.resumeStep(before) { #expect(t.step == r) } else { #expect(to == from + 1 || t.records.count == 2) }
                }
                if action == .back || action == .objection { #expect(to < from) }
                if action == .proposeReject { #expect(d.step(t.step)?.isDecision == true) }
                p.history += t.records
                p.step = t.step; p.status = t.status; p.stepSince = t.stepSince
            }
        }
    }
}

/// Found 1: no sequence of actions by any role but the decision role ends in refusal,
/// termination or approval (a decision) — whatever the delegation setting.
@Suite struct DecisionRoleLawTests {
    let catalog = DataFixture.catalog

    @Test func onlyTheDecisionRoleDecides() async {
        let programmes = catalog.programmes
        let actions = CaseAction.allCases
        let gen = zip(Gen.int(in: 0..<programmes.count), Gen.bool,
                      zip(Gen.int(in: 0..<actions.count), Gen.int(in: 0..<Role.allCases.count), Gen.int(in: 0...9), Gen.bool).array(of: 1...80))
        await propertyCheck(count: 400, input: gen) { pi, delegated, moves in
            let d = programmes[pi]
            let w = Workflow(d, delegated: delegated)
            let decider = w.decisionRole
            var p = Walk.new(d)
            for (a, r, days, posted) in moves {
                let action = actions[a], role = Role.allCases[r]
                guard let s = d.step(p.step) else { break }
                let date = p.stepSince.adding(days: days)
                var req = CaseRequest(action: action, actor: role.rawValue, role: role, date: date,
                                      inputs: Walk.inputs(s, date: date), reason: "理由", amount: Money(yuan: 100))
                if posted && s.isPublicity { req.posting = Posting(batchId: 1, from: p.stepSince, until: p.stepSince.adding(days: 7)) }
                guard let t = try? w.apply(p, req) else { continue }
                let decides = t.status == .rejected || t.status == .terminated || t.decision != nil
                if decides {
                    #expect(role == decider, "\(d.code): \(role) did \(action) at \(s.code)")
                    if p.status == .inProgress { #expect(s.isDecision && w.decisionStep?.code == s.code, "\(d.code): decided at \(s.code)") }
                }
                // Approval only after every step before the decision step was finished.
                if t.decision != nil && p.status == .inProgress {
                    let before = w.steps.prefix { !$0.isDecision }.map(\.code)
                    let finished = Set(p.history.filter { CaseAction(rawValue: $0.action)?.completes == true }.map(\.step))
                    #expect(before.allSatisfy(finished.contains), "\(d.code): approved without \(before.filter { !finished.contains($0) })")
                }
                p.history += t.records
                p.step = t.step; p.status = t.status; p.stepSince = t.stepSince
            }
        }
    }
}

@Suite struct EligibilityTests {
    static let std = StandardInForce(amount: Money(yuan: 575), period: "month", effectiveFrom: CivilDate(year: 2026, month: 1, day: 1)!, area: "rural")
    static let settings = BenefitSettings.from([
        "benefit_rounding": "up_yuan", "addon_elderly_age": "70", "addon_elderly": "10%", "addon_minor_age": "18",
        "addon_minor": "10%", "addon_disability_max_level": "2", "addon_disability": "20%", "addon_illness": "20%",
        "addon_stacking": "max"])

    func facts(pci: Money, covered: [CoveredMember]) -> EligibilityFacts {
        EligibilityFacts(programme: .ruralDibao, decisionDate: CivilDate(year: 2026, month: 11, day: 23)!, standard: Self.std,
                         perCapitaMonthly: pci, membersCounted: covered.count, covered: covered, investigators: ["王立军", "李春梅"])
    }

    @Test func ruleTableShowsTheFigures() {
        let a = Eligibility.assess(facts(pci: Money(fen: 41_250), covered: [
            CoveredMember(name: "张大山", age: 72), CoveredMember(name: "张小红", age: 12), CoveredMember(name: "李秀英", age: 45)]), Self.settings)
        #expect(a.eligible)
        #expect(a.rules.map(\.detail.zh).contains("人均月收入 412.50 元 < 标准 575.00 元（2026-01-01 起执行）"))
        // (575.00 − 412.50) × 3 = 487.50; add-ons 57.50 + 57.50 = 115.00; 602.50 → 603.00
        #expect(a.lines.map(\.text.zh) == [
            "差额：(标准 575.00 − 人均收入 412.50) × 3 人 = 487.50",
            "分类施保：张大山（70岁以上老人）10% × 575.00 = 57.50",
            "分类施保：张小红（未满18岁）10% × 575.00 = 57.50",
            "合计 602.50",
            "取整（向上取整到元）：602.50 → 603.00"])
        #expect(a.amount == Money(yuan: 603))
    }

    @Test func incomeAtTheStandardFailsWithTheReason() {
        let a = Eligibility.assess(facts(pci: Money(yuan: 575), covered: [CoveredMember(name: "甲", age: 40)]), Self.settings)
        #expect(!a.eligible)
        #expect(a.amount == .zero)
        #expect(a.rules.contains { $0.pass == false && $0.detail.zh == "人均月收入 575.00 元 ≥ 标准 575.00 元（2026-01-01 起执行）" })
    }

    @Test func noSurveyNoBenefit() {
        var f = facts(pci: Money(yuan: 100), covered: [CoveredMember(name: "甲", age: 40)])
        f.investigators = ["王立军"]
        #expect(!Eligibility.assess(f, Self.settings).eligible)
    }

    @Test func medicalShareAndCap() {
        var f = EligibilityFacts(programme: .medical, decisionDate: CivilDate(year: 2026, month: 5, day: 1)!, standard: nil,
                                 perCapitaMonthly: nil, membersCounted: 1, covered: [])
        f.medical = MedicalFacts(category: .dibao, onRecord: [.dibao],
                                 bills: [MedicalBill(hospital: "县人民医院", total: Money(yuan: 10000), basicInsurance: Money(yuan: 6000), policySelfPaid: Money(yuan: 4000))],
                                 rule: MedicalRule(category: .dibao, effectiveFrom: CivilDate(year: 2026, month: 1, day: 1)!, deductible: .zero,
                                                   ratioPercent: 70, yearlyCap: Money(yuan: 40000)),
                                 grantedThisYear: Money(yuan: 39000))
        let a = Eligibility.assess(f, Self.settings)
        #expect(a.lines.contains { $0.text.zh == "4000.00 × 救助比例 70% = 2800.00" })
        #expect(a.amount == Money(yuan: 1000))
    }

    /// Benefit is never negative and equals the formula, for random households.
    @Test func benefitEqualsTheFormula() async {
        let member = zip(Gen.int(in: 0...95), Gen.int(in: 0...5), Gen.bool, Gen.int(in: 0...9))
        await propertyCheck(count: 500, input: Gen.int(in: 0...120_000), member.array(of: 1...8), Gen.int(in: 0...4)) { pci, ms, roundingIndex in
            let covered = ms.enumerated().map { i, m in
                CoveredMember(name: "成员\(i)", age: m.0, disabilityLevel: m.1 == 0 ? nil : m.1, seriousIllness: m.2, fullStandard: m.3 == 0)
            }
            var settings = Self.settings
            settings.rounding = Money.Rounding.allCases[roundingIndex]
            let a = Eligibility.assess(facts(pci: Money(fen: Int64(pci)), covered: covered), settings)
            #expect(a.amount.fen >= 0)
            let std: Int64 = 57_500
            guard Int64(pci) < std else { #expect(a.amount == .zero); return }
            var fen: Int64 = 0
            for m in covered {
                fen += m.fullStandard ? std : std - Int64(pci)
                var adds: [Int64] = []
                if m.age >= 70 { adds.append(5_750) }
                if m.age < 18 { adds.append(5_750) }
                if let l = m.disabilityLevel, l <= 2 { adds.append(11_500) }
                if m.seriousIllness { adds.append(11_500) }
                fen += adds.max() ?? 0
            }
            // The least per person covered (dibao_minimum_per_person, 30.00 by default; issue 22).
            if fen > 0 { fen = max(fen, Int64(3_000 * covered.count)) }
            #expect(a.amount == Money(fen: fen).rounded(settings.rounding))
            #expect(a.amount.fen >= fen - 100 && a.amount.fen <= fen + 100)
        }
    }

    /// The standard used is the one in force on the decision date.
    @Test func standardInForceOnTheDecisionDate() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...3000).array(of: 1...8), Gen.int(in: 0...3500)) { starts, day in
            let base = CivilDate(year: 2020, month: 1, day: 1)!
            let all = starts.enumerated().map { i, s in
                StandardInForce(amount: Money(fen: Int64(i + 1) * 100), period: "month", effectiveFrom: base.adding(days: s), area: "rural")
            }
            let date = base.adding(days: day)
            let got = StandardInForce.inForce(all, on: date)
            let started = all.filter { $0.effectiveFrom <= date }
            if started.isEmpty { #expect(got == nil); return }
            #expect(got!.effectiveFrom <= date)
            #expect(started.allSatisfy { $0.effectiveFrom <= got!.effectiveFrom })
        }
    }
}
