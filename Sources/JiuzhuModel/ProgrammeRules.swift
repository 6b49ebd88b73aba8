import Foundation

// Every programme by its own rules (issue 22 items 3–5): the 低保 income rules still missing, the
// kinds and amounts of 临时救助, and the time limits of the whole flow. The figures are the
// county's, in `data/settings.csv`; the rules are the national documents':
// - 《最低生活保障审核确认办法》(民政部 民发〔2021〕57号): family income counted after the necessary
//   costs of working (就业成本); the income of members able to work but not working counted as the
//   province or county says (推算收入); 重病、重度残疾人 of households under the 低保边缘 line
//   covered as a one-person household (单人保); a 渐退期 when the income rises above the standard;
//   审核确认 within 30 working days of 受理, 45 in special cases with the reason recorded.
// - 《国务院关于全面建立临时救助制度的通知》(国发〔2014〕47号) and 《民政部 财政部关于进一步加强
//   和改进临时救助工作的意见》(民发〔2018〕23号): 急难型 and 支出型 assistance; 先行救助 in an
//   emergency, the papers completed afterwards within the days the county sets; amounts by a rule
//   the county publishes (months of the local 低保 standard × persons), higher only 一事一议.

/// The county's settings for these rules (`data/settings.csv`). Unknown or bad values keep the defaults.
public struct LocalRules: Equatable, Sendable {
    // 低保 income
    /// Monthly income counted for a member able to work, of working age, not working and not
    /// exempt (student, carer, sick, disabled). Zero: no such income is counted.
    public var imputedIncomeMonthly: Money = Money(yuan: 800)
    public var workingAgeFrom = 16
    public var workingAgeToMale = 60
    public var workingAgeToFemale = 55
    /// 就业成本: taken off each working member's work income (a percent of it or yuan a month).
    public var employmentDeduction: AddOnAmount? = .percent(basisPoints: 2000)
    /// 低保边缘: per-capita income below this percent of the standard (150 = 1.5×).
    public var edgePercent = 150
    /// 重度残疾 for 单人保: this disability level or heavier (1 the heaviest).
    public var severeDisabilityLevel = 2
    /// 渐退期 in months after the income rose above the standard (0: none).
    public var taperMonths = 6
    /// The least monthly benefit per person covered.
    public var minimumPerPerson: Money = Money(yuan: 30)
    // 临时救助
    public var temporaryMonthsUrgent = 2
    public var temporaryMonthsExpense = 4
    /// Per grant: above it only 一事一议, with the approver's written reason.
    public var temporaryOnceCap: Money = Money(yuan: 3000)
    /// 先行救助: at most this much before the papers.
    public var temporaryUrgentMax: Money = Money(yuan: 1000)
    // time limits
    /// 审核确认 from 受理, working days; with a recorded reason, the special limit.
    public var flowLimitWorkingDays = 30
    public var flowLimitSpecialWorkingDays = 45
    /// A case waiting at one step longer than this (calendar days) is on the due work.
    public var stallDays = 20

    public init() {}

    public static func from(_ s: [String: String]) -> LocalRules {
        var r = LocalRules()
        func money(_ k: String) -> Money? { s[k].flatMap { Money(yuanText: $0.trimmingCharacters(in: .whitespaces)) }.flatMap { $0.fen >= 0 ? $0 : nil } }
        func int(_ k: String) -> Int? { s[k].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.flatMap { $0 >= 0 ? $0 : nil } }
        if let m = money("imputed_income_monthly") { r.imputedIncomeMonthly = m }
        if let n = int("working_age_from") { r.workingAgeFrom = n }
        if let n = int("working_age_to_male") { r.workingAgeToMale = n }
        if let n = int("working_age_to_female") { r.workingAgeToFemale = n }
        if let t = s["employment_cost_deduction"] {
            r.employmentDeduction = t.trimmingCharacters(in: .whitespaces).isEmpty || t == "0" ? nil : AddOnAmount(settingText: t) ?? r.employmentDeduction
        }
        if let n = int("dibao_edge_percent"), n >= 100 { r.edgePercent = n }
        if let n = int("dibao_severe_disability_level"), (1...4).contains(n) { r.severeDisabilityLevel = n }
        if let n = int("dibao_taper_months") { r.taperMonths = n }
        if let m = money("dibao_minimum_per_person") { r.minimumPerPerson = m }
        if let n = int("temporary_months_urgent") { r.temporaryMonthsUrgent = n }
        if let n = int("temporary_months_expense") { r.temporaryMonthsExpense = n }
        if let m = money("temporary_once_cap") { r.temporaryOnceCap = m }
        if let m = money("temporary_urgent_max") { r.temporaryUrgentMax = m }
        if let n = int("flow_limit_days"), n > 0 { r.flowLimitWorkingDays = n }
        if let n = int("flow_limit_special_days"), n > 0 { r.flowLimitSpecialWorkingDays = n }
        if let n = int("step_stall_days"), n > 0 { r.stallDays = n }
        return r
    }
}

/// A member the 低保 income rules look at (those counted: living at home, not away).
public struct IncomeMember: Equatable, Sendable {
    public var personId: Int64?
    public var name: String
    public var age: Int
    public var sex: Sex
    public var workAbility: WorkAbility
    public var health: Health
    public var disabilityLevel: Int?
    public var student: Bool
    /// Looks after a family member who is sick, disabled or very young (照料).
    public var carer: Bool
    /// Has work income on record (own, or the household's farming or business).
    public var working: Bool
    /// The member's own monthly work income (wages, business), for the 就业成本 deduction.
    public var workIncomeMonthly: Money
    /// The member's own counted monthly income, for 单人保.
    public var ownIncomeMonthly: Money
    public init(personId: Int64? = nil, name: String, age: Int, sex: Sex, workAbility: WorkAbility, health: Health = .healthy,
                disabilityLevel: Int? = nil, student: Bool = false, carer: Bool = false, working: Bool = false,
                workIncomeMonthly: Money = .zero, ownIncomeMonthly: Money = .zero) {
        self.personId = personId; self.name = name; self.age = age; self.sex = sex; self.workAbility = workAbility
        self.health = health; self.disabilityLevel = disabilityLevel; self.student = student; self.carer = carer
        self.working = working; self.workIncomeMonthly = workIncomeMonthly; self.ownIncomeMonthly = ownIncomeMonthly
    }
}

/// What the 低保 income rules need beyond the survey's per-capita figure.
public struct DibaoIncomeFacts: Equatable, Sendable {
    public var members: [IncomeMember]
    /// Work income recorded for the household as a whole (not one member), monthly: one 就业成本.
    public var householdWorkIncomeMonthly: Money
    public init(members: [IncomeMember], householdWorkIncomeMonthly: Money = .zero) {
        self.members = members; self.householdWorkIncomeMonthly = householdWorkIncomeMonthly
    }
}

/// A case in force being worked out again (an adjustment, a follow-up): for the 渐退期.
public struct InForceFacts: Equatable, Sendable {
    public var amount: Money
    /// The 渐退期 began on (the first adjustment that found the income above the standard).
    public var taperSince: CivilDate?
    public init(amount: Money, taperSince: CivilDate? = nil) { self.amount = amount; self.taperSince = taperSince }
}

/// 临时救助's kinds (民发〔2018〕23号).
public enum TemporaryKind: String, Codable, Sendable, CaseIterable {
    /// 急难型: a sudden emergency; 先行救助 may come first, the papers after.
    case urgent
    /// 支出型: necessary spending beyond what the family can bear; the full procedure.
    case expense

    public var label: Text2 { self == .urgent ? sayBoth("model.rules.temporaryKind.urgent") : sayBoth("model.rules.temporaryKind.expense") }

    /// The kind an application recorded (`kind`, or the older `urgent` yes/no); 支出型 otherwise.
    public static func recorded(_ inputs: [String: Any]) -> TemporaryKind {
        if let k = inputs["kind"] as? String {
            if let t = TemporaryKind(rawValue: k) { return t }
        }
        if let u = inputs["urgent"] as? Bool { return u ? .urgent : .expense }
        return .expense
    }
}

/// What the 临时救助 rule needs.
public struct TemporaryFacts: Equatable, Sendable {
    public var kind: TemporaryKind
    /// The monthly 低保 standard where the household lives (the unit of the amount rule).
    public var dibaoStandard: Money?
    /// Persons in the household the grant is for.
    public var persons: Int
    /// 先行救助 already paid on this case, and when.
    public var paidFirst: Money?
    public var paidFirstOn: CivilDate?
    public init(kind: TemporaryKind, dibaoStandard: Money?, persons: Int, paidFirst: Money? = nil, paidFirstOn: CivilDate? = nil) {
        self.kind = kind; self.dibaoStandard = dibaoStandard; self.persons = persons; self.paidFirst = paidFirst; self.paidFirstOn = paidFirstOn
    }
}

/// The yearly cap of 临时救助 per household: what is left of it.
public enum TemporaryCap {
    /// Room left under `cap` after `granted` this year (never negative).
    public static func room(cap: Money, granted: Money) -> Money { Money(fen: max(0, cap.fen - granted.fen)) }
}

extension Eligibility {
    /// Working age for the imputed income (by sex).
    static func workingAge(_ m: IncomeMember, _ r: LocalRules) -> Bool {
        m.age >= r.workingAgeFrom && m.age < (m.sex == .female ? r.workingAgeToFemale : r.workingAgeToMale)
    }

    /// 重病重残: serious illness or a severe disability.
    static func severe(_ m: IncomeMember, _ r: LocalRules) -> Bool {
        m.health == .serious || (m.health == .disabled && (m.disabilityLevel ?? 99) <= r.severeDisabilityLevel)
    }

    /// The 低保 per-capita income after the county's rules: the survey's figure, plus the income
    /// counted for members able to work but not working, less the 就业成本 of those working. The
    /// rules' results go into `rules`. Without member facts the survey's figure stands.
    static func countedIncome(_ f: EligibilityFacts, _ s: BenefitSettings, recorded pci: Money, _ rules: inout [RuleResult]) -> Money {
        guard let inc = f.income, f.membersCounted > 0 else { return pci }
        let r = s.rules
        let n = f.membersCounted
        var monthly = pci * n
        // 推算收入: able to work, of working age, not working, not exempt.
        var imputed: [String] = [], exemptZh: [String] = [], exemptEn: [String] = []
        for m in inc.members where m.workAbility == .full && workingAge(m, r) && !m.working {
            let why: String?
            if m.student { why = "model.rules.exempt.student" } else if m.carer { why = "model.rules.exempt.carer" }
            else if m.health == .serious || m.health == .chronic { why = "model.rules.exempt.sick" } else if m.health == .disabled { why = "model.rules.exempt.disabled" } else { why = nil }
            if let why {
                let t = sayBoth(why, ["name": m.name])
                exemptZh.append(t.zh); exemptEn.append(t.en)
            } else { imputed.append(m.name) }
        }
        let v = ["amount": y(r.imputedIncomeMonthly), "names_zh": imputed.joined(separator: "\u{3001}"), "names_en": imputed.joined(separator: ", "),
                 "count": String(imputed.count), "from": String(r.workingAgeFrom), "toMale": String(r.workingAgeToMale),
                 "toFemale": String(r.workingAgeToFemale)]
        if !imputed.isEmpty && r.imputedIncomeMonthly.fen > 0 {
            let add = r.imputedIncomeMonthly * imputed.count
            monthly += add
            rules.append(RuleResult(rule: sayBoth("model.rules.imputed"), pass: nil, detail: sayBoth("model.rules.imputed.detail", v.merging(["total": y(add)]) { $1 })))
        } else {
            rules.append(RuleResult(rule: sayBoth("model.rules.imputed"), pass: true, detail: sayBoth("model.rules.imputed.none", v)))
        }
        if !exemptZh.isEmpty {
            rules.append(RuleResult(rule: sayBoth("model.rules.imputed"), pass: true, detail: sayBoth("model.rules.imputed.exempt", ["names_zh": exemptZh.joined(separator: "\u{3001}"),
                                                                                                    "names_en": exemptEn.joined(separator: ", ")])))
        }
        // 就业成本: off each working member's own work income (and once off the household's).
        if let d = r.employmentDeduction {
            var off = Money.zero, who: [String] = []
            for m in inc.members where m.workIncomeMonthly.fen > 0 {
                off += min(m.workIncomeMonthly, d.amount(standard: m.workIncomeMonthly)); who.append(m.name)
            }
            if inc.householdWorkIncomeMonthly.fen > 0 {
                off += min(inc.householdWorkIncomeMonthly, d.amount(standard: inc.householdWorkIncomeMonthly)); who.append("0")
            }
            if off.fen > 0 {
                let how: String
                switch d {
                case .percent(let bp): how = Money(fen: Int64(bp)).yuanString.replacingOccurrences(of: ".00", with: "") + "%"
                case .fixed(let m): how = y(m)
                }
                off = min(off, monthly)
                monthly = monthly - off
                rules.append(RuleResult(rule: sayBoth("model.rules.deduction"), pass: nil, detail: sayBoth("model.rules.deduction.detail", [
                    "how": how, "total": y(off), "count": String(who.count)])))
            }
        }
        let counted = Money(fen: max(0, monthly.fen)).divided(by: n)
        if counted != pci {
            rules.append(RuleResult(rule: sayBoth("model.rules.counted"), pass: nil, detail: sayBoth("model.rules.counted.detail", [
                "recorded": y(pci), "n": String(n), "monthly": y(monthly), "counted": y(counted)])))
        }
        return counted
    }

    /// 单人保: the household's income is at or above the standard but below the 低保边缘 line, and
    /// members are seriously ill or severely disabled: each of them is covered as a one-person
    /// household on their own income. Nil when it does not apply.
    static func singlePersons(_ f: EligibilityFacts, _ s: BenefitSettings, counted pci: Money, standard std: Money) -> [IncomeMember]? {
        guard let inc = f.income else { return nil }
        let edge = std.percent(basisPoints: s.rules.edgePercent * 100)
        guard pci >= std, pci < edge else { return nil }
        let who = inc.members.filter { severe($0, s.rules) && $0.ownIncomeMonthly < std }
        return who.isEmpty ? nil : who
    }

    /// The benefit at least the county's minimum per person covered.
    static func atLeastMinimum(_ total: Money, persons: Int, _ s: BenefitSettings, _ lines: inout [BenefitLine]) -> Money {
        let least = s.rules.minimumPerPerson * persons
        guard persons > 0, total.fen > 0, total < least else { return total }
        lines.append(BenefitLine(sayBoth("model.rules.minimum", ["min": y(s.rules.minimumPerPerson), "n": String(persons), "total": y(least)]), least))
        return least
    }

    /// The months of the 渐退期 still to run on `date`, or nil when over (or none is set).
    static func taper(_ f: EligibilityFacts, _ s: BenefitSettings) -> (since: CivilDate, until: CivilDate)? {
        guard let inForce = f.inForce, s.rules.taperMonths > 0 else { return nil }
        let since = inForce.taperSince ?? f.decisionDate
        let until = since.adding(months: s.rules.taperMonths)
        return f.decisionDate < until ? (since, until) : nil
    }

    // MARK: 临时救助

    /// The 临时救助 amount: months of the local 低保 standard × persons (by kind), held to the
    /// per-grant cap, then to what is left of the yearly cap.
    static func temporaryRules(_ f: EligibilityFacts, _ s: BenefitSettings) -> Assessment {
        let r = s.rules
        let t = f.temporary ?? TemporaryFacts(kind: .expense, dibaoStandard: f.standard?.amount, persons: max(1, f.covered.count))
        var rules = [surveyRule(f)]
        let paidFirst = t.paidFirst ?? .zero
        let room = TemporaryCap.room(cap: s.temporaryYearlyCap, granted: f.paidThisYear)
        rules.append(RuleResult(rule: sayBoth("model.rules.temporary.kind"), pass: true, detail: t.kind == .urgent ? sayBoth("model.rules.temporary.kind.urgent") : sayBoth("model.rules.temporary.kind.expense")))
        if let first = t.paidFirst, let on = t.paidFirstOn {
            rules.append(RuleResult(rule: sayBoth("model.rules.temporary.paidFirst"), pass: first <= r.temporaryUrgentMax, detail: sayBoth("model.rules.temporary.paidFirst.detail", [
                "date": on.iso, "amount": y(first), "max": y(r.temporaryUrgentMax)])))
        }
        rules.append(RuleResult(rule: sayBoth("model.rules.temporary.yearlyCap"), pass: room.fen > 0 && paidFirst <= room, detail: sayBoth("model.rules.temporary.yearlyCap.detail", [
            "others": y(f.paidThisYear), "first": y(paidFirst), "cap": y(s.temporaryYearlyCap), "room": y(room)])))
        guard let std = t.dibaoStandard else {
            rules.append(RuleResult(rule: sayBoth("model.rules.temporary.standard"), pass: false, detail: sayBoth("model.rules.temporary.standard.none", ["date": f.decisionDate.iso])))
            return Assessment(rules: rules, lines: [BenefitLine(sayBoth("model.rules.notEligible"), .zero)], amount: .zero, monthly: false)
        }
        rules += cadreNote(f)
        guard rules.allSatisfy({ $0.pass != false }) else {
            return Assessment(rules: rules, lines: [BenefitLine(sayBoth("model.rules.notEligible"), .zero)], amount: .zero, monthly: false)
        }
        let months = t.kind == .urgent ? r.temporaryMonthsUrgent : r.temporaryMonthsExpense
        let persons = max(1, t.persons)
        let rule = std * (months * persons)
        var lines = [BenefitLine(sayBoth("model.rules.temporary.rule", ["kind_zh": t.kind.label.zh, "kind_en": t.kind.label.en, "std": y(std),
                                                        "months": String(months), "n": String(persons), "total": y(rule)]), rule)]
        var a = rule
        if r.temporaryOnceCap < a {
            a = r.temporaryOnceCap
            lines.append(BenefitLine(sayBoth("model.rules.temporary.onceCap", ["cap": y(r.temporaryOnceCap)]), a))
        }
        var amount = rounded(a, s, &lines)
        if room < amount {
            amount = room
            lines.append(BenefitLine(sayBoth("model.rules.temporary.roomCap", ["room": y(room)]), room))
        }
        if amount < paidFirst { amount = paidFirst }
        if paidFirst.fen > 0 {
            lines.append(BenefitLine(sayBoth("model.rules.temporary.rest", ["first": y(paidFirst), "rest": y(amount - paidFirst)]), amount - paidFirst))
        }
        var out = Assessment(rules: rules, lines: lines, amount: amount, monthly: false)
        if t.kind == .urgent && t.paidFirst == nil { out.firstPaymentLimit = min(amount, r.temporaryUrgentMax, room) }
        return out
    }
}

// MARK: - Time limits

/// The whole flow's limit (民发〔2021〕57号: 审核确认 within 30 working days of 受理, 45 in special
/// cases with the reason recorded), for a case not yet decided.
public struct FlowLimit: Equatable, Sendable {
    public var received: CivilDate
    public var workingDays: Int
    public var date: CivilDate
    /// Working days left (negative: late).
    public var left: Int
    /// The reason the longer limit applies, when recorded.
    public var extendedBecause: String?
    public var overdue: Bool { left < 0 }
    /// Working days left at which the limit is near: the due work lists it, the case view's key
    /// bar offers the extension.
    public static let nearDays = 5
    public var isNear: Bool { left <= FlowLimit.nearDays }

    /// For a case in progress of a programme with a decision step; the extension is the last
    /// `extend_limit` record's reason.
    /// Nil once the case is past its decision step (审核确认 done: the limit is met).
    public static func of(_ p: CaseProgress, workflow w: Workflow, today: CivilDate, rules: LocalRules, calendar: WorkingCalendar) -> FlowLimit? {
        guard p.status == .inProgress else { return nil }
        let def = w.definition
        if let d = w.decisionStep, let di = def.index(of: d.code), let here = def.index(of: p.step), here > di { return nil }
        let ext = p.history.last { $0.action == FlowLimit.extendAction }
        let days = ext == nil ? rules.flowLimitWorkingDays : rules.flowLimitSpecialWorkingDays
        let due = calendar.adding(workingDays: days, to: p.appliedOn)
        return FlowLimit(received: p.appliedOn, workingDays: days, date: due, left: calendar.workingDays(from: today, to: due),
                         extendedBecause: ext.map(\.note))
    }

    /// The step record that extends the limit (with its reason in `note`).
    public static let extendAction = "extend_limit"
}

// MARK: - 先行救助 where the case is

extension Workflow {
    /// 先行救助 (急难型 only): at any step from the programme's `urgent.at` up to, not including,
    /// the decision, once per case. A case whose application names no kind (recorded before the
    /// kinds) may still be paid first.
    public func urgentPayAllowed(_ p: CaseProgress, at s: ProgrammeCatalog.Step) -> Bool {
        guard let u = definition.urgent, urgentPayment(p) == nil, !s.isDecision,
              let from = definition.index(of: u.at), let here = definition.index(of: s.code), here >= from else { return false }
        if let d = decisionStep, let di = definition.index(of: d.code), here >= di { return false }
        guard let first = definition.steps.first,
              let apply = p.history.first(where: { $0.step == first.code && $0.action == CaseAction.done.rawValue }) else { return true }
        let o = Self.object(apply.inputs)
        if o["kind"] == nil && o["urgent"] == nil { return true }
        return TemporaryKind.recorded(o) == .urgent
    }
}
