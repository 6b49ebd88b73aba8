import Foundation
import JiuzhuModel

/// One village or community while generating: its codes, cadres and address counters.
struct DemoPlace {
    var input: DemoInputs.Village
    var code: String                // 12 digits
    var cadres: [String]            // 村干部 / 社区网格员 who do the household surveys
    var isCommunity: Bool { input.isCommunity }
    var name: String { input.name }
}

/// What a case is about, as the case maker sees it.
struct DemoCaseSubject {
    var members: [Person]
    /// 三无: every member covered gets the full standard.
    var sanwu = false
    var place: DemoPlace
    var concentrated: Bool          // 特困 living in the township's 敬老院
}

/// Where a case has got to.
enum DemoOutcome: Equatable {
    case finished                   // active (低保, 特困) or closed (one-off programmes)
    case inProgress(Int)            // waiting at step n
    case rejected(Int)              // refused at step n
    case terminated                 // was active, then 取消 / 清退
}

/// Makes cases and their step histories.
struct DemoCaseMaker {
    let definitions: [ProgrammeCatalog.Definition]      // in Programme.allCases order
    let actors: [String: String]                        // role -> login
    let approverName: String
    let inputs: DemoInputs
    let today: CivilDate
    let todayWD: Int
    let flood: DemoFloodEvent
    let floodWD: Int
    let townshipPrefix: String                          // 9 digits, for certificate numbers
    let townshipName: String
    /// The office's benefit settings (add-ons, rounding), from `inputs.settings`.
    var benefit = BenefitSettings()
    let countyName: String

    var roundRobin = [Int](repeating: 0, count: Programme.allCases.count)
    var certificates = 0
    var reliefCards = 0
    /// The finding of a refusal proposed (拟不予) earlier in the case being made.
    var proposedReason: (step: String, reason: String)?
    /// The 临时救助 case being made is 急难型 (chosen at its application).
    var temporaryUrgent = false
    /// 医疗救助: the category the household's own case in force gives the patient (特困, 低保) and
    /// from when; otherwise the patient is 低收入 or 支出型 by the size of the bill.
    var medicalOnRecord: (category: MedicalCategory, since: CivilDate)?

    static func index(_ p: Programme) -> Int { Programme.allCases.firstIndex(of: p)! }
    func definition(_ p: Programme) -> ProgrammeCatalog.Definition { definitions[DemoCaseMaker.index(p)] }

    // MARK: - outcomes

    /// Status shares per programme: in progress, rejected, terminated, finished (percent).
    static func outcomeWeights(_ p: Programme) -> [Int] {
        switch p {
        case .ruralDibao, .urbanDibao: return [8, 6, 9, 77]
        case .tekun: return [7, 4, 6, 83]
        case .temporary: return [10, 8, 0, 82]
        case .medical: return [12, 6, 0, 82]
        case .disaster: return [22, 4, 0, 74]
        }
    }

    static let rejectWeights: [String: Int] = ["survey": 35, "appraisal": 20, "township_review": 25,
                                               "county_approval": 20, "assessment": 100]

    func rejectableSteps(_ p: Programme) -> [(Int, Int)] {
        let steps = definition(p).steps
        var out: [(Int, Int)] = []
        for (i, s) in steps.enumerated() {
            if let w = DemoCaseMaker.rejectWeights[s.code] { out.append((i, w)) }
            else if s.role == "reviewer" || s.role == "approver" { out.append((i, 20)) }
        }
        if out.isEmpty { out.append((max(0, steps.count - 2), 1)) }
        return out
    }

    /// Draws an outcome; cases in progress go round the steps so every step has some.
    mutating func outcome(_ p: Programme, _ rng: inout DemoRNG) -> DemoOutcome {
        let steps = definition(p).steps
        var w = DemoCaseMaker.outcomeWeights(p)
        if steps.last?.final != "active" { w[2] = 0 }
        switch rng.weighted(w) {
        case 0:
            let i = DemoCaseMaker.index(p)
            let k = roundRobin[i] % steps.count
            roundRobin[i] += 1
            return .inProgress(k)
        case 1:
            let r = rejectableSteps(p)
            return .rejected(r[rng.weighted(r.map(\.1))].0)
        case 2: return .terminated
        default: return .finished
        }
    }

    // MARK: - timing (in working days, see DemoWorkdays)

    /// Working days from a step becoming current to its being done.
    func duration(_ s: ProgrammeCatalog.Step, _ p: Programme, _ rng: inout DemoRNG) -> Int {
        if s.publicity == true { return 5 + (rng.percent(70) ? 0 : rng.int(in: 1...3)) }   // 7 calendar days and more
        if let l = s.limitWorkingDays, l > 0 {
            return rng.percent(90) ? rng.int(in: 1...l) : rng.int(in: (l + 1)...(l + 6))
        }
        switch s.code {
        case "apply": return rng.int(in: 0...2)
        case "survey": return rng.int(in: 2...10)
        case "appraisal": return rng.int(in: 3...10)
        case "certificate": return rng.int(in: 2...10)
        case "payment": return (p == .ruralDibao || p == .urbanDibao) ? rng.int(in: 3...20) : rng.int(in: 1...6)
        case "register": return rng.int(in: 0...5)
        case "assessment", "card_issue": return rng.int(in: 2...8)
        case "distribution": return rng.int(in: 1...10)
        default: return rng.int(in: 1...5)
        }
    }

    /// How long an unfinished case has been waiting at its step; about a third over the limit.
    func wait(_ s: ProgrammeCatalog.Step, _ rng: inout DemoRNG) -> Int {
        if let l = s.limitWorkingDays, l > 0 {
            return rng.percent(65) ? rng.int(in: 0...(l - 1)) : rng.int(in: (l + 1)...(l * 3))
        }
        if s.publicity == true { return rng.percent(70) ? rng.int(in: 0...4) : rng.int(in: 5...9) }
        return rng.percent(80) ? rng.int(in: 0...8) : rng.int(in: 9...25)
    }

    // MARK: - the case

    private struct Event {
        var step: Int
        var action: String
        var at: Int                 // working days after the application
        var from: Int               // when the step became current
        var kind: Kind
        enum Kind { case normal, objection, reinvestigation, republicity, decidedProposal }
    }

    mutating func make(_ p: Programme, _ outcome: DemoOutcome, subject: DemoCaseSubject, personIndex: Int?,
                       _ rng: inout DemoRNG) -> DemoCase {
        let def = definition(p)
        let steps = def.steps
        let n = steps.count
        let done: Int
        switch outcome {
        case .finished, .terminated: done = n
        case .inProgress(let k), .rejected(let k): done = min(k, n - 1)
        }

        // 1. events, timed from the application (working days)
        var events: [Event] = []
        var t = 0
        let surveyIndex = def.index(of: "survey")
        let objectionAt = (p == .ruralDibao && surveyIndex != nil && rng.percent(4)) ? def.index(of: "village_publicity") : nil
        for i in 0..<done {
            let from = t
            t += duration(steps[i], p, &rng)
            if i == objectionAt, let si = surveyIndex {
                let o = from + rng.int(in: 1...4)
                events.append(Event(step: i, action: "objection", at: o, from: from, kind: .objection))
                let r = o + rng.int(in: 3...8)
                events.append(Event(step: si, action: "done", at: r, from: o, kind: .reinvestigation))
                t = r + 5 + rng.int(in: 0...1)                                  // a new full posting
                events.append(Event(step: i, action: "done", at: t, from: r, kind: .republicity))
                continue
            }
            events.append(Event(step: i, action: actionFor(steps[i]), at: t, from: from, kind: .normal))
        }
        var stepSinceOffset = t
        var terminationGap = 0
        var decidedAt = done
        proposedReason = nil
        switch outcome {
        case .rejected(let k):
            let from = t
            t += max(1, duration(steps[done], p, &rng) / 2)
            // Only the decision step refuses; an earlier step proposes refusal (拟不予), and the
            // decider refuses on that finding a few days later.
            if steps[done].isDecision {
                events.append(Event(step: done, action: "reject", at: t, from: from, kind: .normal))
            } else if let d = steps.firstIndex(where: \.isDecision) {
                events.append(Event(step: done, action: "propose_reject", at: t, from: from, kind: .normal))
                let proposed = t
                t += rng.int(in: 1...4)
                events.append(Event(step: d, action: "reject", at: t, from: proposed, kind: .decidedProposal))
                decidedAt = d
            }
            stepSinceOffset = t
            _ = k
        case .terminated:
            terminationGap = rng.int(in: 25...700)
        default: break
        }

        // 2. anchor the timeline in the calendar: nothing after today
        var start: Int
        switch outcome {
        case .inProgress(let k):
            start = todayWD - wait(steps[min(k, n - 1)], &rng) - stepSinceOffset
        case .terminated:
            start = todayWD - t - terminationGap - rng.int(in: 0...60)
        case .finished, .rejected:
            let back: Int
            switch p {
            case .ruralDibao, .urbanDibao, .tekun:
                back = outcome == .finished ? 5 + rng.int(780) : 5 + rng.int(500)
            default: back = 3 + rng.int(480)
            }
            start = todayWD - t - back
        }
        if p == .disaster {
            if case .inProgress = outcome { start = max(start, floodWD + 1) }
            else { start = floodWD + rng.int(in: 1...6) }
        }
        let end = start + t
        precondition(end <= todayWD, "demo case ends in the future")

        // 3. amounts
        let covered = coverage(p, subject, &rng)
        var pci = perCapitaIncome(p, outcome, steps, &rng)
        let decisionWD = events.last(where: { steps[$0.step].code == "county_approval" })?.at ?? t
        let decisionDate = DemoWorkdays.date(start + decisionWD)
        // No income on record with a member able to work and idle: the county's imputed income
        // counts for them (issue 22). Where that would leave the household above the standard,
        // the demo family has some farming income of its own instead.
        if pci == 0, p == .ruralDibao || p == .urbanDibao,
           !dibaoFacts(p, subject: subject, covered: covered, pci: 0, decided: decisionDate).eligible {
            pci = Int64(80 + Int(subject.members[0].name.unicodeScalars.first?.value ?? 0) % 170) * 100
        }
        let amounts = amounts(p, subject: subject, covered: covered, pci: pci, decided: decisionDate, &rng)

        // 4. the records
        var records: [CaseStepRecord] = []
        records.reserveCapacity(events.count + 1)
        for e in events {
            let step = steps[e.step]
            let date = DemoWorkdays.date(start + e.at)
            let from = DemoWorkdays.date(start + e.from)
            let actor = e.action == "objection" ? (actors["clerk"] ?? "jingban") : (actors[step.role] ?? step.role)
            let (note, json) = stepInputs(p, step, e, date: date, from: from, subject: subject, covered: covered,
                                          pci: pci, amounts: amounts, &rng)
            records.append(CaseStepRecord(caseId: 0, step: step.code, action: e.action, actor: actor, actedOn: date,
                                          note: note, inputs: json))
        }
        var status: CaseStatus
        var stepCode: String
        var stepSince: CivilDate
        switch outcome {
        case .finished:
            status = steps.last?.final == "active" ? .active : .closed
            stepCode = steps[n - 1].code
            stepSince = DemoWorkdays.date(end)
            if status == .active {
                raises(p, subject: subject, covered: covered, pci: pci, decided: decisionDate, until: today, amounts: amounts,
                       rng: rng, into: &records)
            }
        case .inProgress(let k):
            status = .inProgress
            stepCode = steps[min(k, n - 1)].code
            stepSince = DemoWorkdays.date(start + stepSinceOffset)
        case .rejected:
            status = .rejected
            stepCode = steps[decidedAt].code
            stepSince = DemoWorkdays.date(end)
        case .terminated:
            status = .terminated
            stepCode = steps[n - 1].code
            let termWD = min(todayWD, end + rng.int(in: 20...max(20, terminationGap)))
            stepSince = DemoWorkdays.date(termWD)
            raises(p, subject: subject, covered: covered, pci: pci, decided: decisionDate, until: stepSince, amounts: amounts,
                   rng: rng, into: &records)
            let reasons = p == .tekun
                ? [("取消", "经核查有法定赡养人且具备赡养能力"), ("清退", "阳光行动复查不符合特困供养条件")]
                : [("取消", "家庭经济状况好转,人均收入超过低保标准"), ("清退", "阳光行动核查不符合条件"),
                   ("取消", "家庭成员外出务工,收入稳定"), ("取消", "户籍迁出本乡镇")]
            let (kind, reason) = rng.pick(reasons)
            var j = DemoJSON()
            j.add("kind", kind == "清退" ? TerminationKind.clear.rawValue : TerminationKind.cancel.rawValue); j.add("reason", reason)
            records.append(CaseStepRecord(caseId: 0, step: stepCode, action: "terminate", actor: actors["approver"] ?? "shenpi",
                                          actedOn: stepSince, note: "\(kind):\(reason)", inputs: j.string))
        }
        let approved = events.contains { steps[$0.step].code == "county_approval" && $0.action != "reject" }
        var monthly: Money?
        if approved, let m = amounts.monthly {
            // The amount its records decided: the approval's, or the last 提标普调 after it. (The
            // draw at today's standard is kept so the random stream, and so the rest of the
            // township, stays what it was.)
            if status == .active { _ = self.amounts(p, subject: subject, covered: covered, pci: pci, decided: today, &rng) }
            monthly = records.last { $0.action == "adjust" }.flatMap { DemoCaseMaker.monthlyFen($0.inputs) }.map(Money.init(fen:)) ?? m
        }
        var urbanClass: UrbanClass?
        if p == .urbanDibao && (status == .active || status == .terminated) { urbanClass = DemoCaseMaker.urbanClass(subject.members, on: today) }
        if status == .inProgress && stepSince > today { stepSince = today }
        let c = Case(householdId: 0, programme: p, step: stepCode, stepSince: stepSince, status: status,
                     appliedOn: DemoWorkdays.date(start), monthlyAmount: monthly, coveredMembers: covered,
                     urbanClass: urbanClass)
        return DemoCase(case: c, personIndex: personIndex, steps: records)
    }

    /// 提标普调: each new standard in force after the decision and by `until` (today, or the
    /// stop) raises the case, recorded as the approver's adjustment a few days after the new
    /// standard's first day, paid from its month, with the amount before and after. Put before
    /// any stop record, so the history stays in date order.
    private func raises(_ p: Programme, subject: DemoCaseSubject, covered: Int, pci: Int64, decided: CivilDate, until: CivilDate,
                        amounts a: Amounts, rng: DemoRNG, into records: inout [CaseStepRecord]) {
        guard var previous = a.monthly, p == .ruralDibao || p == .urbanDibao || p == .tekun else { return }
        let area: String
        switch p {
        case .ruralDibao: area = "rural"
        case .urbanDibao: area = "urban"
        default: area = subject.concentrated ? "concentrated" : "dispersed"
        }
        let starts = inputs.standards.filter { $0.programme == p.rawValue && $0.area == area && $0.effectiveFrom > decided }
            .map(\.effectiveFrom).sorted()
        for start in starts {
            let on = start.adding(days: 4)
            guard on <= until else { break }
            var scratch = rng      // the raise draws nothing of its own
            guard let new = self.amounts(p, subject: subject, covered: covered, pci: pci, decided: start, &scratch).monthly, new != previous else { continue }
            var j = DemoJSON()
            let reason = "提标普调:\(start.year)年起执行新保障标准"
            j.add("reason", reason)
            j.add("monthlyFen", new.fen); j.add("computedFen", new.fen); j.add("previousFen", previous.fen)
            j.add("effectiveMonth", DemoText.month(start)); j.add("covered", covered); j.add("approver", approverName)
            records.append(CaseStepRecord(caseId: 0, step: records.last?.step ?? "", action: "adjust", actor: actors["approver"] ?? "shenpi",
                                          actedOn: on, note: reason, inputs: j.string))
            previous = new
        }
    }

    static func monthlyFen(_ json: String) -> Int64? {
        guard let o = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
        if let n = o["monthlyFen"] as? Int64 { return n }
        if let n = o["monthlyFen"] as? Int { return Int64(n) }
        return nil
    }

    /// The body that decides at a decision step (谁审批谁负责), as the store names it.
    func body(_ s: ProgrammeCatalog.Step) -> String {
        s.code == "county_approval" ? countyName + "民政局" : townshipName + "人民政府"
    }

    func actionFor(_ s: ProgrammeCatalog.Step) -> String {
        // A decision step approves (受灾救助's 核灾定级 too: the year table counts its grants from it).
        s.code == "township_review" || s.isDecision ? "approve" : "done"
    }

    // MARK: - who is covered, how much

    /// Members who count: living at home, not in the army or prison.
    static func counted(_ members: [Person]) -> [Person] {
        let c = members.filter { $0.coResident && !$0.absent }
        return c.isEmpty ? [members[0]] : c
    }

    /// A = nobody can work; C = someone of working age can fully work; B = in between.
    static func urbanClass(_ members: [Person], on today: CivilDate) -> UrbanClass {
        let c = counted(members)
        if c.allSatisfy({ $0.workAbility == .none }) { return .a }
        if c.contains(where: { $0.workAbility == .full && (18...59).contains($0.birthDate.age(on: today)) }) { return .c }
        return .b
    }

    func coverage(_ p: Programme, _ s: DemoCaseSubject, _ rng: inout DemoRNG) -> Int {
        switch p {
        case .tekun, .medical: return 1
        case .ruralDibao, .urbanDibao:
            let counted = DemoCaseMaker.counted(s.members)
            let n = counted.count
            // 单人保: now and then only the seriously ill or severely disabled members are covered
            // (民发〔2021〕57号), when they are the only members not healthy (the order the store takes them in).
            let severe = counted.filter { $0.health == .serious || ($0.health == .disabled && ($0.disabilityLevel ?? 9) <= 2) }.count
            let unwell = counted.filter { $0.health != .healthy }.count
            // (The random draws as before, so the rest of the demo is as it was.)
            guard n >= 3, rng.percent(8) else { return n }
            _ = rng.int(in: 1...(n - 1))
            return severe > 0 && severe == unwell && severe < n ? severe : n
        case .temporary, .disaster: return DemoCaseMaker.counted(s.members).count
        }
    }

    /// Per-capita monthly counted income found by the survey (fen); above the standard when
    /// the survey turned the case down.
    func perCapitaIncome(_ p: Programme, _ o: DemoOutcome, _ steps: [ProgrammeCatalog.Step], _ rng: inout DemoRNG) -> Int64 {
        guard p == .ruralDibao || p == .urbanDibao else { return 0 }
        let std = (inputs.standard(p.rawValue, p == .ruralDibao ? "rural" : "urban", on: today)?.amount.fen ?? 55_000) / 100
        if case .rejected(let k) = o, k < steps.count, steps[k].code == "survey" {
            return (std + Int64(rng.int(in: 20...400))) * 100 + Int64(rng.int(100))
        }
        if rng.percent(15) { return 0 }
        let top = Int(max(60, std - 60))
        return Int64(min(rng.int(top), rng.int(top))) * 100 + Int64(rng.int(100))
    }

    /// The 低保 rules on the demo family, as the store works them out: members from the household,
    /// those with income on record working (the demo has no income lines per member).
    func dibaoFacts(_ p: Programme, subject: DemoCaseSubject, covered: Int, pci: Int64, decided: CivilDate) -> Assessment {
        let area = p == .ruralDibao ? "rural" : "urban"
        let counted = subject.members.filter { $0.coResident && !$0.absent }
        var people = counted
        if covered > 0 && covered < counted.count {
            people = counted.enumerated().sorted { x, y in
                (x.element.health == .healthy ? 1 : 0, x.offset) < (y.element.health == .healthy ? 1 : 0, y.offset)
            }.prefix(covered).map(\.element)
        }
        let fallback = p == .ruralDibao ? 55_000 : 75_000
        let standard = inputs.standard(p.rawValue, area, on: decided).map {
            StandardInForce(amount: $0.amount, period: $0.period, effectiveFrom: $0.effectiveFrom, area: area)
        } ?? StandardInForce(amount: Money(fen: Int64(fallback)), period: "month", effectiveFrom: decided, area: area)
        var f = EligibilityFacts(programme: p, decisionDate: decided, standard: standard, perCapitaMonthly: Money(fen: pci),
                                 membersCounted: counted.count,
                                 covered: people.map { CoveredMember(name: $0.name, age: $0.birthDate.age(on: decided),
                                                                      disabilityLevel: $0.health == .disabled ? $0.disabilityLevel : nil,
                                                                      seriousIllness: $0.health == .serious, fullStandard: subject.sanwu) },
                                 assets: [], investigators: ["a", "b"], cadreRelative: false)
        f.income = DibaoIncomeFacts(members: counted.map {
            IncomeMember(name: $0.name, age: $0.birthDate.age(on: decided), sex: $0.sex, workAbility: $0.workAbility, health: $0.health,
                         disabilityLevel: $0.disabilityLevel, student: $0.student, working: pci > 0)
        })
        return Eligibility.assess(f, benefit)
    }

    struct Amounts {
        var monthly: Money?         // 低保, 特困
        var once: Money?            // 临时, 医疗, 受灾 cash
        var onceUrgent: Money?      // 临时 急难型
        var bill: (total: Int64, insurance: Int64)?
        var medicalBill: MedicalBill?
        var medicalCategory: MedicalCategory?
        var careLevel: CareLevel?
        var disasterLoss: (level: String, house: String)?
    }

    func amounts(_ p: Programme, subject: DemoCaseSubject, covered: Int, pci: Int64, decided: CivilDate,
                 _ rng: inout DemoRNG) -> Amounts {
        var a = Amounts()
        func std(_ prog: String, _ area: String, _ fallback: Int64) -> Int64 {
            inputs.standard(prog, area, on: decided)?.amount.fen ?? fallback
        }
        switch p {
        case .ruralDibao, .urbanDibao:
            // Worked out by the rules the store applies at a decision (Eligibility, with the
            // office's 分类施保 add-ons, rounding and the income rules of issue 22).
            let s = std(p.rawValue, p == .ruralDibao ? "rural" : "urban", p == .ruralDibao ? 55_000 : 75_000)
            let worked = dibaoFacts(p, subject: subject, covered: covered, pci: pci, decided: decided).amount
            a.monthly = worked.fen > 0 ? worked : (Money(fen: max(Int64(3_000), s - pci)) * covered).rounded(.upToYuan)
        case .tekun:
            let yearly = subject.concentrated ? std("tekun", "concentrated", 936_000) : std("tekun", "dispersed", 858_000)
            let h = subject.members[0]
            let age = h.birthDate.age(on: decided)
            let care: CareLevel
            if h.health == .disabled && (h.disabilityLevel ?? 4) <= 2 { care = .full }
            else if h.health == .serious || age >= 80 || h.health == .disabled { care = rng.percent(70) ? .semi : .full }
            else { care = .selfCare }
            a.careLevel = care
            // 基本生活标准 + 照料护理标准 (民发〔2021〕43号), per month, rounded as the office rounds.
            var monthly = Money(fen: yearly).divided(by: 12)
            if let c = inputs.standard("tekun", care.standardArea, on: decided) {
                monthly += c.period == "year" ? c.amount.divided(by: 12) : c.amount
                a.monthly = monthly.rounded(benefit.rounding)
            } else {
                a.monthly = monthly.rounded(.upToYuan)
            }
        case .temporary:
            // The county's rule (国发〔2014〕47号, 民发〔2018〕23号): months of the local 低保 standard ×
            // persons, held to the per-grant cap; by kind, chosen at the application.
            _ = rng.pick([2, 2, 2, 3, 4, 6])            // keeps the demo's random sequence as it was
            let area = subject.place.isCommunity ? "urban" : "rural"
            let dibao = std(subject.place.isCommunity ? "urban_dibao" : "rural_dibao", area, 57_500)
            let r = benefit.rules
            func grant(_ months: Int) -> Money {
                min(Money(fen: dibao * Int64(months * max(1, covered))), r.temporaryOnceCap).rounded(benefit.rounding)
            }
            a.once = grant(r.temporaryMonthsExpense)
            a.onceUrgent = grant(r.temporaryMonthsUrgent)
        case .medical:
            let total = Int64(rng.int(in: 30...800) * rng.int(in: 1...10)) * 1_000 + Int64(rng.int(100_000))
            let insurance = total * Int64(rng.int(in: 50...75)) / 100
            a.bill = (total, insurance)
            // The settlement sheet: 大病保险 pays a quarter of what is left of a bill over 50,000 元;
            // 15% of the rest is outside the policy's scope (国办发〔2021〕42号).
            let serious = total > 5_000_000 ? (total - insurance) / 4 : 0
            let selfPaid = (total - insurance - serious) * 85 / 100
            let bill = MedicalBill(hospital: "", total: Money(fen: total), basicInsurance: Money(fen: insurance),
                                   seriousIllnessInsurance: Money(fen: serious), policySelfPaid: Money(fen: selfPaid))
            a.medicalBill = bill
            var category: MedicalCategory = selfPaid >= 1_000_000 ? .spending : .lowIncome
            if let r = medicalOnRecord, r.since <= decided { category = r.category }
            a.medicalCategory = category
            if let rule = MedicalRule.inForce(inputs.medicalRules, category, on: decided) {
                var f = EligibilityFacts(programme: .medical, decisionDate: decided, standard: nil, perCapitaMonthly: nil,
                                         membersCounted: 1, covered: [])
                f.medical = MedicalFacts(category: category, onRecord: [category], bills: [bill], rule: rule)
                a.once = Eligibility.assess(f, benefit).amount
            } else {
                let cap = std("medical", "any", 3_500_000)
                let pay = min(cap, (total - insurance) * Int64(inputs.medicalPercent) / 100)
                a.once = Money(fen: pay).rounded(.upToYuan)
            }
        case .disaster:
            let monthly = std("disaster", "any", 48_000)
            let r = rng.weighted([15, 25, 35, 25])
            let levels = [("重度", "倒塌"), ("中度", "严重损坏"), ("轻度", "一般损坏"), ("轻度", "农作物受灾")]
            a.disasterLoss = levels[r]
            let persons = Int64(max(1, covered))
            switch r {
            case 0: a.once = Money(fen: monthly * persons * 3)
            case 1: a.once = Money(fen: monthly * persons)
            case 2: a.once = Money(yuan: Int64(rng.int(in: 3...8) * 100))
            default: a.once = Money(yuan: Int64(rng.int(in: 2...5) * 100))
            }
        }
        return a
    }

    // MARK: - what each step records

    private mutating func stepInputs(_ p: Programme, _ step: ProgrammeCatalog.Step, _ e: Event, date: CivilDate,
                                     from: CivilDate, subject s: DemoCaseSubject, covered: Int, pci: Int64,
                                     amounts a: Amounts, _ rng: inout DemoRNG) -> (String, String) {
        var j = DemoJSON()
        let head = s.members[0]
        if e.kind == .decidedProposal, let prop = proposedReason {
            j.add("reason", prop.reason); j.add("approver", approverName); j.add("body", body(step))
            j.add("proposedAt", prop.step)
            return ("不予确认:" + prop.reason, j.string)
        }
        if e.action == "reject" || e.action == "propose_reject" {
            let reason: String
            switch step.code {
            case "survey": reason = p == .tekun ? "有法定赡养人且具备赡养能力" : rng.pick(["家庭人均收入高于低保标准", "家庭有机动车辆", "家庭有两套以上住房", "有劳动能力的成员无正当理由拒不就业"])
            case "appraisal": reason = "民主评议未获半数以上代表同意"
            case "township_review": reason = p == .medical ? "费用不在政策范围内" : rng.pick(["经乡镇复查,家庭收入超过标准", "有法定赡养人且有赡养能力", "申报材料不实"])
            case "county_approval": reason = rng.pick(["县级抽查发现隐瞒收入", "家庭财产超过规定标准", "不符合救助条件"])
            case "assessment": reason = "经核实未达到受灾救助条件"
            default: reason = "不符合救助条件"
            }
            j.add("reason", reason)
            if step.code == "appraisal" { appraisal(&j, date: date, approve: false, &rng) }
            if step.code == "survey" { survey(&j, p, date: date, place: s.place, pci: pci, &rng) }
            if e.action == "propose_reject" {
                proposedReason = (step.code, reason)
                j.add("to", definition(p).steps.first(where: \.isDecision)?.code ?? "")
                return ("拟不予：" + reason, j.string)
            }
            j.add("approver", approverName); j.add("body", body(step))
            return ("不予确认:" + reason, j.string)
        }
        if e.kind == .objection {
            j.add("received", rng.pick(["举报箱", "电话", "当面", "匿名信"]))
            j.add("content", rng.pick(["反映该户有子女在外务工,收入较高", "反映该户新购机动车辆", "反映该户家庭人口与实际不符"]))
            j.add("result", "退回重新调查")
            j.add("resume", step.code)
            j.add("from", from); j.add("until", from.adding(days: 7))
            return ("公示期间收到异议,退回重新调查", j.string)
        }
        switch step.code {
        case "apply":
            switch p {
            case .medical:
                let bill = a.bill ?? (0, 0)
                j.add("bills", rng.int(in: 1...6))
                let hospital = rng.pick(["县人民医院", "县中医医院", "州人民医院", "石门镇卫生院", "昆明医科大学第一附属医院"])
                j.add("hospital", hospital)
                j.add("totalFen", bill.total); j.add("insurancePaidFen", bill.insurance)
                j.add("outOfPocketFen", bill.total - bill.insurance)
                if let c = a.medicalCategory { j.add("category", c.rawValue) }
                if let b = a.medicalBill {
                    var o = DemoJSON()
                    o.add("hospital", hospital)
                    o.add("from", date.adding(days: -Int(bill.total % 12) - 2)); o.add("until", date)
                    o.add("totalFen", b.total.fen); o.add("basicFen", b.basicInsurance.fen)
                    o.add("seriousFen", b.seriousIllnessInsurance.fen); o.add("selfPaidFen", b.policySelfPaid.fen)
                    j.addRaw("billLines", "[" + o.string + "]")
                }
                return ("申请人提交医疗费用票据", j.string)
            case .temporary:
                let urgent = rng.percent(15)
                temporaryUrgent = urgent
                j.add("reason", rng.pick(["因病住院", "意外事故", "房屋失火", "子女上学困难", "突发重大疾病", "生活必需支出突然增加"]))
                j.add("urgent", urgent)
                j.add("kind", urgent ? "urgent" : "expense")
                return (urgent ? "急难型,先行救助" : "户主书面申请", j.string)
            default:
                j.add("applicant", head.name)
                j.add("signed", true); j.add("authorised", true)
                return ("户主书面申请,已签授权核对书", j.string)
            }
        case "survey":
            survey(&j, p, date: date, place: s.place, pci: pci, &rng)
            if e.kind == .reinvestigation { j.add("reinvestigation", true) }
            return (e.kind == .reinvestigation ? "异议复查,两名调查人共同签字" : "入户调查,两名调查人共同签字", j.string)
        case "appraisal":
            appraisal(&j, date: date, approve: true, &rng)
            return ("民主评议通过", j.string)
        case "village_publicity", "township_publicity", "approval_publicity":
            let days = 7                                        // after an objection too: a full posting
            j.add("from", from); j.add("until", from.adding(days: days))
            let place = step.code == "township_publicity" ? townshipName + "政府公示栏"
                : s.place.name + (s.place.isCommunity ? "居务公开栏" : "村务公开栏")
            j.add("place", place); j.add("days", days); j.add("objections", 0)
            return (e.kind == .republicity ? "重新公示期满无异议" : "公示期满无异议", j.string)
        case "township_review":
            j.add("opinion", "同意"); j.add("reinvestigated", rng.percent(20))
            return ("乡镇审核同意", j.string)
        case "county_approval":
            j.add("decision", "approve"); j.add("approver", approverName); j.add("body", body(step))
            j.add("spotChecked", rng.percent(50))
            if let m = a.monthly { j.add("monthlyFen", m.fen) }
            if let o = (p == .temporary && temporaryUrgent ? a.onceUrgent : nil) ?? a.once { j.add("amountFen", o.fen) }
            j.add("covered", covered)
            if p == .tekun {
                j.add("supportMode", s.concentrated ? "集中" : "分散")
                if let c = a.careLevel { j.add("careLevel", c.label.zh) }
                if s.concentrated, let code = inputs.elderHomeCode { j.add("institution", code) }
            }
            if p == .urbanDibao { j.add("urbanClass", DemoCaseMaker.urbanClass(s.members, on: date).rawValue) }
            return ("县级审批同意", j.string)
        case "certificate":
            certificates += 1
            j.add("certificateNo", townshipPrefix + "-" + String(date.year) + "-" + DemoText.digits(certificates % 100_000, width: 5))
            return ("发放《农村居民最低生活保障领取证》", j.string)
        case "payment":
            if p == .ruralDibao || p == .urbanDibao {
                j.add("firstMonth", DemoText.month(date))
                if let m = a.monthly { j.add("amountFen", m.fen) }
                j.add("method", "一卡通")
                return ("低保金按月打卡发放", j.string)
            }
            if let o = (p == .temporary && temporaryUrgent ? a.onceUrgent : nil) ?? a.once { j.add("amountFen", o.fen) }
            j.add("method", p == .medical ? rng.pick(["一站式结算", "一卡通"]) : rng.pick(["一卡通", "一卡通", "现金"]))
            return ("救助金已发放", j.string)
        case "register":
            j.add("event", flood.name); j.add("eventDate", flood.date)
            j.add("affectedPersons", covered)
            return ("登记入灾民台帐", j.string)
        case "assessment":
            let loss = a.disasterLoss ?? ("轻度", "一般损坏")
            j.add("lossLevel", loss.level); j.add("houseDamage", loss.house)
            j.add("rebuild", loss.house == "倒塌")
            // The decision carries its amount and persons, as the workflow writes them (the year
            // table's 受灾救助 money reads them; without them it showed 0).
            if let o = a.once { j.add("amountFen", o.fen) }
            j.add("covered", covered)
            return ("核灾定级", j.string)
        case "card_issue":
            reliefCards += 1
            j.add("cardNo", "JJK" + String(date.year) + DemoText.digits(reliefCards % 100_000, width: 5))
            return ("发放救济卡", j.string)
        case "distribution":
            if let o = a.once { j.add("cashFen", o.fen) }
            let goods = [["大米 25公斤", "食用油 5升"], ["棉被 2床", "大米 25公斤"], ["帐篷 1顶", "棉被 2床", "大米 50公斤"], ["大米 25公斤"]]
            j.add("goods", rng.pick(goods))
            return ("凭救济卡领取钱物", j.string)
        default:
            return ("", "{}")
        }
    }

    /// 共同派员入户调查,共同签字: two different investigators on every survey.
    private func survey(_ j: inout DemoJSON, _ p: Programme, date: CivilDate, place: DemoPlace, pci: Int64, _ rng: inout DemoRNG) {
        var two = place.cadres
        let first = two.remove(at: rng.int(two.count))
        let second = two[rng.int(two.count)]
        j.add("investigators", [first, second])
        j.add("date", date)
        j.add("neighbours", rng.int(in: 2...4))
        j.add("formsFiled", true)
        if p == .ruralDibao || p == .urbanDibao { j.add("perCapitaIncomeFen", pci) }
    }

    private func appraisal(_ j: inout DemoJSON, date: CivilDate, approve: Bool, _ rng: inout DemoRNG) {
        let reps = rng.int(in: 15...35)
        let present = reps - rng.int(in: 0...(reps / 4))
        let yes = approve ? rng.int(in: (present * 2 / 3 + 1)...present) : rng.int(in: (present / 5)...(present / 2 - 1))
        let no = rng.int(in: 0...(present - yes))
        j.add("meetingDate", date)
        j.add("representatives", reps); j.add("attendance", present)
        j.add("votesFor", yes); j.add("votesAgainst", no); j.add("abstentions", present - yes - no)
    }
}
