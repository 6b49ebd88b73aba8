import Foundation
import JiuzhuModel
import Testing

/// The rules of issue 22 items 3–5 as pure functions: the 低保 income rules, 临时救助's amount rule
/// and caps, the flow's time limit; and the property that no benefit is ever negative.
@Suite struct ProgrammeRulesTests {
    static let day = CivilDate(year: 2026, month: 11, day: 23)!
    static let std = StandardInForce(amount: Money(yuan: 575), period: "month", effectiveFrom: CivilDate(year: 2026, month: 1, day: 1)!, area: "rural")
    /// The add-ons of data/settings.csv; the rules' figures are LocalRules' defaults (800, 20%, 150%, 6 months, 30).
    static let settings = BenefitSettings.from(["benefit_rounding": "up_yuan", "addon_elderly": "10%", "addon_minor": "10%",
                                                "addon_disability": "20%", "addon_illness": "20%"])

    static func facts(pci: Money, members: [IncomeMember], covered: [CoveredMember]? = nil) -> EligibilityFacts {
        var f = EligibilityFacts(programme: .ruralDibao, decisionDate: day, standard: std, perCapitaMonthly: pci, membersCounted: members.count,
                                 covered: covered ?? members.map { CoveredMember(name: $0.name, age: $0.age) },
                                 assets: [], investigators: ["甲", "乙"])
        f.income = DibaoIncomeFacts(members: members)
        return f
    }

    @Test func anIdleAbleAdultIsImputedStudentsAndTheSickAreNot() {
        let idle = IncomeMember(name: "甲", age: 28, sex: .male, workAbility: .full)
        let student = IncomeMember(name: "乙", age: 19, sex: .female, workAbility: .full, student: true)
        let sick = IncomeMember(name: "丙", age: 40, sex: .male, workAbility: .full, health: .chronic)
        let old = IncomeMember(name: "丁", age: 61, sex: .male, workAbility: .full)
        let a = Eligibility.assess(Self.facts(pci: .zero, members: [idle, student, sick, old]), Self.settings)
        // 800 counted for 甲 alone: 200.00 a head; (575 − 200) × 4 = 1,500.
        #expect(a.rules.contains { $0.detail.zh.contains("有劳动能力未就业：甲，每人按 800.00 元/月计入") })
        #expect(a.rules.contains { $0.detail.zh == "不推算收入：乙（在校学生）、丙（患病）" })
        #expect(a.amount == Money(yuan: 1500))
        // A woman of 55 is past the working age the county set.
        let woman = IncomeMember(name: "戊", age: 55, sex: .female, workAbility: .full)
        #expect(Eligibility.assess(Self.facts(pci: .zero, members: [woman]), Self.settings).amount == Money(yuan: 575))
        // Alone and idle at 28: 800 ≥ 575, not eligible.
        #expect(!Eligibility.assess(Self.facts(pci: .zero, members: [idle]), Self.settings).eligible)
    }

    @Test func theCostsOfWorkingComeOffAndTheMinimumHolds() {
        let worker = IncomeMember(name: "甲", age: 40, sex: .male, workAbility: .full, working: true, workIncomeMonthly: Money(yuan: 1000))
        let child = IncomeMember(name: "乙", age: 10, sex: .female, workAbility: .none)
        // 500 a head recorded; 20% of 1,000 off: 800 / 2 = 400; (575 − 400) × 2 = 350 + the child's 10% add-on 57.50.
        let a = Eligibility.assess(Self.facts(pci: Money(yuan: 500), members: [worker, child]), Self.settings)
        #expect(a.rules.contains { $0.detail.zh == "1 份工作收入各扣除 20%，共扣除 200.00 元/月" })
        #expect(a.amount == Money(yuan: 408))
        // A fixed deduction and a minimum of 100 a person.
        let s = BenefitSettings.from(["employment_cost_deduction": "150.00", "dibao_minimum_per_person": "100.00", "addon_minor": "0"])
        let b = Eligibility.assess(Self.facts(pci: Money(fen: 56_000), members: [worker, child]), s)
        // 1,120 − 150 = 970 → 485.00; (575 − 485) × 2 = 180 < 200.
        #expect(b.lines.map(\.text.zh).contains("不足最低保障金：每人 100.00 × 2 人 = 200.00"))
        #expect(b.amount == Money(yuan: 200))
    }

    @Test func singlePersonCoverOnlyUnderTheEdgeLineAndOnlyForTheSevere() {
        let worker = IncomeMember(personId: 1, name: "甲", age: 45, sex: .male, workAbility: .full, working: true)
        let ill = IncomeMember(personId: 2, name: "乙", age: 44, sex: .female, workAbility: .none, health: .serious)
        let a = Eligibility.assess(Self.facts(pci: Money(yuan: 700), members: [worker, ill]), Self.settings)
        #expect(a.eligible && a.singlePersonIds == [2])
        #expect(a.amount == Money(yuan: 690))   // 575 + 20% serious illness
        // At the edge line (862.50) or above: no.
        #expect(!Eligibility.assess(Self.facts(pci: Money(fen: 86_250), members: [worker, ill]), Self.settings).eligible)
        // Under the edge line but nobody severe: no.
        let mild = IncomeMember(personId: 3, name: "丙", age: 44, sex: .female, workAbility: .partial, health: .disabled, disabilityLevel: 4)
        #expect(!Eligibility.assess(Self.facts(pci: Money(yuan: 700), members: [worker, mild]), Self.settings).eligible)
        // Covering the severe members only of a household under the standard is noted, not refused.
        let f = Self.facts(pci: Money(yuan: 300), members: [worker, ill], covered: [CoveredMember(name: "乙", age: 44, seriousIllness: true)])
        let g = Eligibility.assess(f, Self.settings)
        #expect(g.eligible && g.rules.contains { $0.pass == nil && $0.detail.zh.contains("保障的都是重病重残成员") })
    }

    @Test func taperingOffKeepsTheAmountUntilItsMonthsRunOut() {
        let m = IncomeMember(name: "甲", age: 70, sex: .male, workAbility: .none)
        var f = Self.facts(pci: Money(yuan: 700), members: [m])
        f.inForce = InForceFacts(amount: Money(yuan: 400))
        let a = Eligibility.assess(f, Self.settings)
        #expect(a.amount == Money(yuan: 400) && a.taperSince == Self.day)
        f.inForce = InForceFacts(amount: Money(yuan: 400), taperSince: Self.day.adding(months: -6))
        #expect(!Eligibility.assess(f, Self.settings).eligible)
        f.inForce = InForceFacts(amount: Money(yuan: 400), taperSince: Self.day.adding(months: -5))
        #expect(Eligibility.assess(f, Self.settings).amount == Money(yuan: 400))
        #expect(Eligibility.assess(f, BenefitSettings.from(["dibao_taper_months": "0"])).eligible == false)
    }

    @Test func temporaryByKindCappedPerGrantAndByTheYear() {
        func f(_ kind: TemporaryKind, persons: Int, paid: Money = .zero, first: Money? = nil) -> EligibilityFacts {
            var f = EligibilityFacts(programme: .temporary, decisionDate: Self.day, standard: nil, perCapitaMonthly: nil, membersCounted: persons,
                                     covered: [], investigators: ["甲", "乙"], paidThisYear: paid)
            f.temporary = TemporaryFacts(kind: kind, dibaoStandard: Money(yuan: 575), persons: persons, paidFirst: first, paidFirstOn: first.map { _ in Self.day })
            return f
        }
        #expect(Eligibility.assess(f(.urgent, persons: 1), Self.settings).amount == Money(yuan: 1150))
        #expect(Eligibility.assess(f(.expense, persons: 1), Self.settings).amount == Money(yuan: 2300))
        #expect(Eligibility.assess(f(.expense, persons: 3), Self.settings).amount == Money(yuan: 3000))
        #expect(Eligibility.assess(f(.expense, persons: 3, paid: Money(yuan: 5000)), Self.settings).amount == Money(yuan: 1000))
        #expect(!Eligibility.assess(f(.expense, persons: 3, paid: Money(yuan: 6000)), Self.settings).eligible)
        // Paid first above the limit is flagged; the grant never below what was paid first.
        let over = Eligibility.assess(f(.urgent, persons: 1, first: Money(yuan: 1100)), Self.settings)
        #expect(!over.eligible)
        let a = Eligibility.assess(f(.urgent, persons: 1, first: Money(yuan: 800)), Self.settings)
        #expect(a.amount == Money(yuan: 1150) && a.lines.last?.amount == Money(yuan: 350))
    }

    @Test func theFlowLimitCountsWorkingDaysFromReceiptUntilTheDecision() throws {
        let catalog = try ProgrammeCatalog.decode(Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("data/programmes.json")))
        let w = Workflow(catalog.definition(.ruralDibao))
        let cal = WorkingCalendar(holidays: [])
        let received = CivilDate(year: 2026, month: 11, day: 2)!   // a Monday
        var p = CaseProgress(programme: .ruralDibao, step: "township_review", status: .inProgress, stepSince: received, appliedOn: received, history: [])
        let l = try #require(FlowLimit.of(p, workflow: w, today: received, rules: LocalRules(), calendar: cal))
        #expect(l.workingDays == 30 && l.date == received.adding(days: 42) && l.left == 30)
        p.history = [CaseStepRecord(caseId: 1, step: "township_review", action: FlowLimit.extendAction, actor: "x", actedOn: received, note: "外地核查")]
        #expect(FlowLimit.of(p, workflow: w, today: received, rules: LocalRules(), calendar: cal)?.workingDays == 45)
        p.step = "certificate"
        #expect(FlowLimit.of(p, workflow: w, today: received, rules: LocalRules(), calendar: cal) == nil)
    }

    /// Property: over random households, incomes, coverage, settings and programmes, no benefit
    /// worked out is ever negative, and 临时救助 never passes the room left under the yearly cap.
    @Test(arguments: [1, 2, 3, 4, 5]) func benefitNeverNegative(seed: UInt64) {
        var x = seed &* 0x9E37_79B9_7F4A_7C15
        func r(_ n: Int) -> Int { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return Int(x % UInt64(n)) }
        for _ in 0..<300 {
            let n = 1 + r(6)
            let members = (0..<n).map { i in
                IncomeMember(personId: Int64(i + 1), name: "M\(i)", age: r(90), sex: r(2) == 0 ? .male : .female,
                             workAbility: [.full, .partial, .none][r(3)], health: [.healthy, .chronic, .serious, .disabled][r(4)],
                             disabilityLevel: 1 + r(4), student: r(5) == 0, carer: r(6) == 0, working: r(2) == 0,
                             workIncomeMonthly: Money(fen: Int64(r(300_000))), ownIncomeMonthly: Money(fen: Int64(r(100_000))))
            }
            let s = BenefitSettings.from(["imputed_income_monthly": String(r(2000)) + ".00", "employment_cost_deduction": ["20%", "0", "300.00", "150%"][r(4)],
                                          "dibao_minimum_per_person": String(r(100)) + ".00", "dibao_edge_percent": String(100 + r(200)),
                                          "temporary_once_cap": String(r(5000)) + ".00", "temporary_yearly_cap": String(r(8000)) + ".00"])
            var f = Self.facts(pci: Money(fen: Int64(r(150_000))), members: members,
                               covered: r(3) == 0 ? [CoveredMember(name: "M0", age: members[0].age)] : nil)
            if r(3) == 0 { f.inForce = InForceFacts(amount: Money(fen: Int64(r(200_000))), taperSince: r(2) == 0 ? nil : Self.day.adding(months: -r(10))) }
            let a = Eligibility.assess(f, s)
            #expect(a.amount.fen >= 0 && a.lines.allSatisfy { $0.amount.fen >= 0 || $0.text.zh.contains("−") })
            var t = EligibilityFacts(programme: .temporary, decisionDate: Self.day, standard: nil, perCapitaMonthly: nil, membersCounted: n,
                                     covered: [], investigators: ["甲", "乙"], paidThisYear: Money(fen: Int64(r(900_000))))
            t.temporary = TemporaryFacts(kind: r(2) == 0 ? .urgent : .expense, dibaoStandard: Money(yuan: 575), persons: n)
            let b = Eligibility.assess(t, s)
            #expect(b.amount.fen >= 0)
            #expect(b.amount <= TemporaryCap.room(cap: s.temporaryYearlyCap, granted: t.paidThisYear))
        }
    }
}
