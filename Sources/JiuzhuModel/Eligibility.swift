import Foundation

/// A 分类施保 add-on as a setting gives it.
public enum AddOnAmount: Hashable, Sendable {
    /// Hundredths of a percent of the standard (1000 = 10%).
    case percent(basisPoints: Int)
    /// Yuan per person per month.
    case fixed(Money)

    /// "10%", "12.5%", "10％" or "50.00" / "50".
    public init?(settingText text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("%") || t.hasSuffix("％") {
            guard let m = Money(yuanText: String(t.dropLast()).trimmingCharacters(in: .whitespaces)),
                  m.fen >= 0 else { return nil }
            self = .percent(basisPoints: Int(m.fen))
        } else {
            guard let m = Money(yuanText: t), m.fen >= 0 else { return nil }
            self = .fixed(m)
        }
    }

    /// The monthly add-on for one person given the monthly standard in force.
    public func amount(standard: Money) -> Money {
        switch self {
        case .percent(let bp): return standard.percent(basisPoints: bp)
        case .fixed(let m): return m
        }
    }
}


/// A person the benefit covers, as the sums need them.
public struct CoveredMember: Equatable, Sendable {
    public var name: String
    public var age: Int
    public var disabilityLevel: Int?
    public var seriousIllness: Bool
    /// 三无 / 特困: gets the full standard rather than the gap.
    public var fullStandard: Bool
    public init(name: String, age: Int, disabilityLevel: Int? = nil, seriousIllness: Bool = false, fullStandard: Bool = false) {
        self.name = name; self.age = age; self.disabilityLevel = disabilityLevel; self.seriousIllness = seriousIllness
        self.fullStandard = fullStandard
    }
}

/// A benefit standard in force: amount, what period it is per, since when.
public struct StandardInForce: Equatable, Sendable {
    public var amount: Money
    public var period: String          // month, year, once
    public var effectiveFrom: CivilDate
    public var area: String
    public init(amount: Money, period: String, effectiveFrom: CivilDate, area: String) {
        self.amount = amount; self.period = period; self.effectiveFrom = effectiveFrom; self.area = area
    }

    /// The one in force on `date`: the latest that started on or before it.
    public static func inForce(_ all: [StandardInForce], on date: CivilDate) -> StandardInForce? {
        all.filter { $0.effectiveFrom <= date }.max { $0.effectiveFrom < $1.effectiveFrom }
    }
}

/// Everything the rules look at for one case on one decision date.
public struct EligibilityFacts: Equatable, Sendable {
    public var programme: Programme
    public var decisionDate: CivilDate
    public var standard: StandardInForce?
    /// From the survey: nil when the case has no survey.
    public var perCapitaMonthly: Money?
    public var membersCounted: Int
    public var covered: [CoveredMember]
    public var assets: [AssetFinding]
    public var investigators: [String]
    public var cadreRelative: Bool
    /// 特困: the person's age and whether they can work.
    public var personAge: Int?
    public var personCanWork: Bool
    public var personDisabilityLevel: Int?
    /// 临时 / 医疗: paid to this household (临时) or person (医疗) earlier this year.
    public var paidThisYear: Money
    /// 医疗: the bills.
    public var medicalTotal: Money?
    public var insurancePaid: Money?
    /// 受灾: loss level (重度/中度/轻度) and persons affected.
    public var lossLevel: String?
    /// 受灾: the relief grant on the victims' ledger (period, persons, days, rates), nil when the
    /// case has none.
    public var reliefGrant: ReliefGrantFacts?
    /// 低保: the members the county's income rules look at (推算收入, 就业成本, 单人保); nil: the
    /// survey's per-capita figure stands as it is.
    public var income: DibaoIncomeFacts? = nil
    /// 低保 in force, worked out again: the amount paid now and the 渐退期 begun.
    public var inForce: InForceFacts? = nil
    /// 临时: the kind, the persons, 先行救助 paid.
    public var temporary: TemporaryFacts? = nil
    /// 医疗救助: category, bills, the county's rule, the year's earlier grants (MedicalAssistance.swift).
    public var medical: MedicalFacts? = nil
    /// 特困: the person, supporters, care level, support mode (Tekun.swift).
    public var tekun: TekunFacts? = nil

    public init(programme: Programme, decisionDate: CivilDate, standard: StandardInForce?, perCapitaMonthly: Money?,
                membersCounted: Int, covered: [CoveredMember], assets: [AssetFinding] = [], investigators: [String] = [],
                cadreRelative: Bool = false, personAge: Int? = nil, personCanWork: Bool = false, personDisabilityLevel: Int? = nil,
                paidThisYear: Money = .zero, medicalTotal: Money? = nil, insurancePaid: Money? = nil, lossLevel: String? = nil) {
        self.programme = programme; self.decisionDate = decisionDate; self.standard = standard
        self.perCapitaMonthly = perCapitaMonthly; self.membersCounted = membersCounted; self.covered = covered
        self.assets = assets; self.investigators = investigators; self.cadreRelative = cadreRelative
        self.personAge = personAge; self.personCanWork = personCanWork; self.personDisabilityLevel = personDisabilityLevel
        self.paidThisYear = paidThisYear; self.medicalTotal = medicalTotal; self.insurancePaid = insurancePaid
        self.lossLevel = lossLevel
    }
}

/// The settings the sums use (from `data/settings.csv`).
public struct BenefitSettings: Equatable, Sendable {
    public struct AddOn: Equatable, Sendable {
        public enum Kind: String, Sendable { case elderly, minor, disability, illness }
        public var kind: Kind
        public var amount: AddOnAmount
        public var label: Text2
    }
    public var rounding: Money.Rounding
    public var elderlyAge: Int
    public var minorAge: Int
    public var disabilityMaxLevel: Int
    public var addOns: [AddOn]
    /// "max": one add-on per person, the largest (就高不重复); "sum": all that apply.
    public var addOnStacking: String
    public var temporaryYearlyCap: Money
    public var medicalPercent: Int
    /// The county's figures for the rules of issue 22 (推算收入, 单人保, 渐退期, 临时救助's amounts, time limits).
    public var rules = LocalRules()

    public init(rounding: Money.Rounding = .upToYuan, elderlyAge: Int = 70, minorAge: Int = 18, disabilityMaxLevel: Int = 2,
                addOns: [AddOn] = [], addOnStacking: String = "max", temporaryYearlyCap: Money = Money(yuan: 6000),
                medicalPercent: Int = 70) {
        self.rounding = rounding; self.elderlyAge = elderlyAge; self.minorAge = minorAge
        self.disabilityMaxLevel = disabilityMaxLevel; self.addOns = addOns; self.addOnStacking = addOnStacking
        self.temporaryYearlyCap = temporaryYearlyCap; self.medicalPercent = medicalPercent
    }

    /// From settings as text (key → value); unknown or bad values keep the defaults.
    public static func from(_ settings: [String: String]) -> BenefitSettings {
        var b = BenefitSettings()
        if let r = settings["benefit_rounding"].flatMap(Money.Rounding.init(rawValue:)) { b.rounding = r }
        if let n = settings["addon_elderly_age"].flatMap(Int.init) { b.elderlyAge = n }
        if let n = settings["addon_minor_age"].flatMap(Int.init) { b.minorAge = n }
        if let n = settings["addon_disability_max_level"].flatMap(Int.init) { b.disabilityMaxLevel = n }
        if let s = settings["addon_stacking"], s == "sum" || s == "max" { b.addOnStacking = s }
        if let m = settings["temporary_yearly_cap"].flatMap(Money.init(yuanText:)) { b.temporaryYearlyCap = m }
        if let n = settings["medical_assist_percent"].flatMap(Int.init) { b.medicalPercent = n }
        b.rules = LocalRules.from(settings)
        let kinds: [(AddOn.Kind, String, Text2)] = [
            (.elderly, "addon_elderly", sayBoth("model.eligibility.agedElderlyage", ["elderlyAge": "\(b.elderlyAge)"])),
            (.minor, "addon_minor", sayBoth("model.eligibility.underMinorage", ["minorAge": "\(b.minorAge)"])),
            (.disability, "addon_disability", sayBoth("model.eligibility.disabilityLevel1Disabilitymaxlevel", ["disabilityMaxLevel": "\(b.disabilityMaxLevel)"])),
            (.illness, "addon_illness", sayBoth("model.eligibility.seriousIllness")),
        ]
        for (k, key, label) in kinds {
            if let a = settings[key].flatMap(AddOnAmount.init(settingText:)) { b.addOns.append(AddOn(kind: k, amount: a, label: label)) }
        }
        return b
    }

    func applies(_ k: AddOn.Kind, _ m: CoveredMember) -> Bool {
        switch k {
        case .elderly: return m.age >= elderlyAge
        case .minor: return m.age < minorAge
        case .disability: return (m.disabilityLevel ?? 99) <= disabilityMaxLevel
        case .illness: return m.seriousIllness
        }
    }
}

/// One rule and what it found. `pass == nil` is a note the reviewer should read.
public struct RuleResult: Equatable, Sendable {
    public var rule: Text2
    public var pass: Bool?
    public var detail: Text2
    /// A rule about the office's own work (the survey done and signed), not about the family: a
    /// notice to the family never gives it as a reason.
    public var byOffice = false
    public init(rule: Text2, pass: Bool?, detail: Text2, byOffice: Bool = false) {
        self.rule = rule; self.pass = pass; self.detail = detail; self.byOffice = byOffice
    }
}

/// One line of the benefit sum.
public struct BenefitLine: Equatable, Sendable {
    public var text: Text2
    public var amount: Money
    public init(_ text: Text2, _ amount: Money) { self.text = text; self.amount = amount }
}

/// The review of one case: every rule with its figures, and the benefit line by line.
public struct Assessment: Equatable, Sendable {
    public var rules: [RuleResult]
    public var lines: [BenefitLine]
    public var amount: Money
    /// Per month (低保, 特困) or once.
    public var monthly: Bool
    /// 单人保: only these persons are covered (each as a one-person household).
    public var singlePersonIds: [Int64]? = nil
    /// In a 渐退期 begun on this date.
    public var taperSince: CivilDate? = nil
    /// 临时 急难型 not yet paid: the most that may be paid first (the grant, the 先行救助 limit,
    /// the room under the yearly cap).
    public var firstPaymentLimit: Money? = nil
    public var eligible: Bool { rules.allSatisfy { $0.pass != false } }
}

/// The rules of domain.md, "Rules and sums". Pure: figures and settings come in.
public enum Eligibility {
    static func y(_ m: Money) -> String { m.yuanString }

    public static func assess(_ f: EligibilityFacts, _ s: BenefitSettings) -> Assessment {
        switch f.programme {
        case .ruralDibao, .urbanDibao: return dibao(f, s)
        case .tekun: return tekun(f, s)
        case .temporary: return temporary(f, s)
        case .medical: return medical(f, s)
        case .disaster: return disaster(f, s)
        }
    }

    static func surveyRule(_ f: EligibilityFacts) -> RuleResult {
        let names = f.investigators.filter { !$0.isEmpty }
        let two = Set(names).count >= 2
        return RuleResult(rule: sayBoth("model.eligibility.householdSurvey"), pass: two,
                          detail: two ? sayBoth("model.eligibility.twoInvestigators", ["names_zh": names.joined(separator: "、"), "names_en": names.joined(separator: ", ")])
                                      : sayBoth("model.eligibility.noSurveySignedBy"),
                          byOffice: true)
    }

    static func standardRule(_ f: EligibilityFacts) -> RuleResult? {
        guard f.standard == nil else { return nil }
        return RuleResult(rule: sayBoth("model.eligibility.standard"), pass: false,
                          detail: sayBoth("model.eligibility.noStandardInForce", ["decisionDate": "\(f.decisionDate.iso)"]))
    }

    static func assetRules(_ f: EligibilityFacts) -> [RuleResult] {
        if f.assets.isEmpty {
            return [RuleResult(rule: sayBoth("model.eligibility.assets"), pass: nil,
                               detail: sayBoth("model.eligibility.noAssetDetailsOn"))]
        }
        return f.assets.map { RuleResult(rule: sayBoth("model.eligibility.assets"), pass: $0.pass, detail: Text2(zh: $0.zh, en: $0.en)) }
    }

    static func cadreNote(_ f: EligibilityFacts) -> [RuleResult] {
        guard f.cadreRelative else { return [] }
        return [RuleResult(rule: sayBoth("model.eligibility.cadreRelative"), pass: nil,
                           detail: sayBoth("model.eligibility.relativeOfACadre"))]
    }

    static func rounded(_ total: Money, _ s: BenefitSettings, _ lines: inout [BenefitLine]) -> Money {
        let r = total.rounded(s.rounding)
        if r != total {
            let how: Text2
            switch s.rounding {
            case .upToYuan: how = sayBoth("model.eligibility.upToTheYuan")
            case .nearestYuan: how = sayBoth("model.eligibility.nearestYuan")
            case .downToYuan: how = sayBoth("model.eligibility.downToTheYuan")
            case .upToJiao: how = sayBoth("model.eligibility.upToTheJiao")
            case .none: how = sayBoth("model.eligibility.notRounded")
            }
            lines.append(BenefitLine(sayBoth("model.eligibility.rounding", ["how_zh": how.zh, "how_en": how.en, "from": y(total), "to": y(r)]), r))
        }
        return r
    }

    // MARK: 低保

    static func dibao(_ f: EligibilityFacts, _ s: BenefitSettings) -> Assessment {
        var rules = [surveyRule(f)]
        if let r = standardRule(f) { rules.append(r) }
        let std = f.standard?.amount ?? .zero
        let countedPCI = f.perCapitaMonthly.map { countedIncome(f, s, recorded: $0, &rules) }
        var single: [IncomeMember]?
        var tapering: (since: CivilDate, until: CivilDate)?
        if let pci = countedPCI, let st = f.standard, pci >= st.amount, let t = taper(f, s) {
            tapering = t
            rules.append(RuleResult(rule: sayBoth("model.rules.income"), pass: nil, detail: sayBoth("model.rules.taper.detail", [
                "pci": y(pci), "std": y(st.amount), "since": t.since.iso, "until": t.until.iso, "months": String(s.rules.taperMonths)])))
        } else if let pci = countedPCI, let st = f.standard, let who = singlePersons(f, s, counted: pci, standard: st.amount) {
            single = who
            let edge = st.amount.percent(basisPoints: s.rules.edgePercent * 100)
            let names = who.map(\.name)
            rules.append(RuleResult(rule: sayBoth("model.rules.single"), pass: true, detail: sayBoth("model.rules.single.detail", [
                "pci": y(pci), "std": y(st.amount), "edge": y(edge), "percent": String(s.rules.edgePercent),
                "names_zh": names.joined(separator: "\u{3001}"), "names_en": names.joined(separator: ", ")])))
        } else if let pci = countedPCI, let st = f.standard {
            let ok = pci < st.amount
            rules.append(RuleResult(rule: sayBoth("model.eligibility.income"), pass: ok, detail: sayBoth("model.eligibility.incomeLine",
                ["income": y(pci), "cmp": ok ? "<" : "≥", "standard": y(st.amount), "from": st.effectiveFrom.iso])))
        } else if f.perCapitaMonthly == nil {
            rules.append(RuleResult(rule: sayBoth("model.eligibility.income"), pass: false,
                                    detail: sayBoth("model.eligibility.theSurveyFoundNo")))
        }
        let counted = f.membersCounted > 0
        if single == nil, tapering == nil, f.covered.count < f.membersCounted, let pci = countedPCI, let st = f.standard, let inc = f.income {
            // Fewer covered than counted: 单人保 is for a household above the standard (under the 低保边缘 line).
            let edge = st.amount.percent(basisPoints: s.rules.edgePercent * 100)
            // (Fewer covered for another reason — a member added since the decision, waiting for the
            // approver's 增员 — is not this rule's to judge.)
            let severeOnly = f.covered.allSatisfy { c in inc.members.contains { $0.name == c.name && severe($0, s.rules) } }
            if severeOnly {
                rules.append(RuleResult(rule: sayBoth("model.rules.single"), pass: pci < edge ? nil : false, detail: sayBoth(
                    "model.rules.single.partial", ["pci": y(pci), "edge": y(edge), "n": String(f.covered.count), "counted": String(f.membersCounted)])))
            }
        }
        rules.append(RuleResult(rule: sayBoth("model.eligibility.membersCovered"), pass: counted && !f.covered.isEmpty, detail: sayBoth("model.eligibility.membersLine",
            ["counted": String(f.membersCounted), "covered": String(f.covered.count)])))
        rules += assetRules(f) + cadreNote(f)

        var lines: [BenefitLine] = []
        let pci = countedPCI ?? .zero
        guard rules.allSatisfy({ $0.pass != false }) else {
            lines.append(BenefitLine(sayBoth("model.eligibility.notEligibleBenefit0"), .zero))
            return Assessment(rules: rules, lines: lines, amount: .zero, monthly: true)
        }
        if let t = tapering, let paid = f.inForce?.amount {
            lines.append(BenefitLine(sayBoth("model.rules.taper.line", ["amount": y(paid), "until": t.until.iso]), paid))
            var a = Assessment(rules: rules, lines: lines, amount: paid, monthly: true)
            a.taperSince = t.since
            return a
        }
        var total = Money.zero
        var coveredNow = f.covered
        if let who = single {
            coveredNow = who.map { CoveredMember(name: $0.name, age: $0.age, disabilityLevel: $0.health == .disabled ? $0.disabilityLevel : nil,
                                                 seriousIllness: $0.health == .serious) }
            for m in who {
                let a = Money(fen: max(0, std.fen - m.ownIncomeMonthly.fen))
                total += a
                lines.append(BenefitLine(sayBoth("model.rules.single.line", ["name": m.name, "std": y(std), "own": y(m.ownIncomeMonthly), "amount": y(a)]), a))
            }
        }
        let gapMembers = single == nil ? f.covered.filter { !$0.fullStandard } : []
        let full = single == nil ? f.covered.filter(\.fullStandard) : []
        let gap = Money(fen: max(0, std.fen - pci.fen))
        if !gapMembers.isEmpty {
            let a = gap * gapMembers.count
            total += a
            lines.append(BenefitLine(sayBoth("model.eligibility.gapStandardStdIncome", ["std": "\(y(std))", "pci": "\(y(pci))", "gapMembersCount": "\(gapMembers.count)", "a": "\(y(a))"]), a))
        }
        if !full.isEmpty {
            let a = std * full.count
            total += a
            let names = full.map(\.name).joined(separator: "、")
            lines.append(BenefitLine(sayBoth("model.eligibility.fullStandardStdFullcount", ["std": "\(y(std))", "fullCount": "\(full.count)", "names": "\(names)", "a": "\(y(a))"]), a))
        }
        for m in coveredNow {
            let hits = s.addOns.filter { s.applies($0.kind, m) }.map { ($0, $0.amount.amount(standard: std)) }
            guard !hits.isEmpty else { continue }
            let chosen = s.addOnStacking == "sum" ? hits : [hits.max { $0.1 < $1.1 }!]
            for (a, amt) in chosen {
                total += amt
                let how: Text2
                switch a.amount {
                case .percent(let bp):
                    how = sayBoth("model.eligibility.addOnPercent", ["percent": Money(fen: Int64(bp)).yuanString.replacingOccurrences(of: ".00", with: ""), "standard": y(std)])
                case .fixed(let m): how = sayBoth("model.eligibility.addOnFixed", ["amount": y(m)])
                }
                lines.append(BenefitLine(sayBoth("model.eligibility.addOn", ["name": m.name, "label_zh": a.label.zh, "label_en": a.label.en,
                                                                          "how_zh": how.zh, "how_en": how.en, "amount": y(amt)]), amt))
            }
        }
        lines.append(BenefitLine(sayBoth("model.eligibility.totalTotal", ["total": "\(y(total))"]), total))
        total = atLeastMinimum(total, persons: coveredNow.count, s, &lines)
        let amount = rounded(total, s, &lines)
        var a = Assessment(rules: rules, lines: lines, amount: amount, monthly: true)
        if let who = single { a.singlePersonIds = who.compactMap(\.personId) }
        return a
    }

    // MARK: 特困 (Tekun.swift)

    static func tekun(_ f: EligibilityFacts, _ s: BenefitSettings) -> Assessment {
        tekunPerson(f, f.tekun ?? TekunFacts(), s)
    }

    /// A one-off amount held to what is left of the yearly cap, then rounded (never above the cap).
    static func capped(_ amount: Money, room: Money, _ s: BenefitSettings, _ lines: inout [BenefitLine]) -> Money {
        var a = amount
        if room < amount {
            a = room
            lines.append(BenefitLine(sayBoth("model.eligibility.limitedByTheYearly", ["room": "\(y(room))"]), room))
        }
        return min(rounded(a, s, &lines), room)
    }

    // MARK: 临时

    static func temporary(_ f: EligibilityFacts, _ s: BenefitSettings) -> Assessment { temporaryRules(f, s) }

    // MARK: 医疗 (MedicalAssistance.swift)

    static func medical(_ f: EligibilityFacts, _ s: BenefitSettings) -> Assessment {
        medicalByCategory(f, f.medical ?? MedicalFacts(category: nil, bills: [], rule: nil), s)
    }

    // MARK: 受灾

    static func disaster(_ f: EligibilityFacts, _ s: BenefitSettings) -> Assessment {
        // The grant's period, persons and days on the ledger at the rates in data/standards.csv
        // (《自然灾害救助条例》第十四、十八、二十一条), not the old months by loss level.
        var (rules, lines, a) = DisasterRules.assess(f.reliefGrant)
        if let level = f.lossLevel, !level.isEmpty {
            rules.append(RuleResult(rule: sayBoth("disaster.rule.level"), pass: nil, detail: sayBoth("disaster.rule.levelIs", ["level": level])))
        }
        let amount = a == .zero ? a : rounded(a, s, &lines)
        return Assessment(rules: rules, lines: lines, amount: amount, monthly: false)
    }
}
