import Foundation

// 特困人员 under 《特困人员认定办法》(民发〔2021〕43号): 无劳动能力 (第六条), 无生活来源 (第七条),
// 无法定赡养、抚养、扶养义务人或者其法定义务人无履行义务能力 (第八条); 生活自理能力 setting the
// 照料护理标准 on top of the 基本生活标准 (第十九条, 《国务院关于进一步健全特困人员救助供养制度的意见》
// 国发〔2016〕14号); 集中供养 paid to the institution, 分散供养 to the person. The county's figures are
// rows of data/standards.csv (areas concentrated / dispersed, care_self / care_semi / care_full).

/// 生活自理能力: 全自理, 半护理 (部分丧失), 全护理 (完全丧失).
public enum CareLevel: String, CaseIterable, Codable, Sendable {
    case selfCare = "self"
    case semi
    case full

    public var label: Text2 {
        switch self {
        case .selfCare: return sayBoth("model.tekun.care.self")
        case .semi: return sayBoth("model.tekun.care.semi")
        case .full: return sayBoth("model.tekun.care.full")
        }
    }

    /// The standards.csv area of its 照料护理标准.
    public var standardArea: String { "care_" + rawValue }

    /// The code, a label, or the decision step's older choice (半自理 is 半护理).
    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let c = CareLevel(rawValue: t) { self = c; return }
        if t == sayBoth("model.tekun.care.semiOld").zh { self = .semi; return }
        guard let c = CareLevel.allCases.first(where: { $0.label.zh == t || $0.label.en == t }) else { return nil }
        self = c
    }
}

/// 供养方式.
public enum SupportMode: String, CaseIterable, Codable, Sendable {
    case concentrated
    case dispersed

    public var label: Text2 {
        self == .concentrated ? sayBoth("model.tekun.mode.concentrated") : sayBoth("model.tekun.mode.dispersed")
    }
    /// As the decision step records it (集中 / 分散) and as a code.
    public var recorded: String { self == .concentrated ? sayBoth("model.tekun.mode.concentratedShort").zh : sayBoth("model.tekun.mode.dispersedShort").zh }

    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let m = SupportMode(rawValue: t) { self = m; return }
        guard let m = SupportMode.allCases.first(where: { $0.recorded == t || $0.label.zh == t || $0.label.en == t }) else { return nil }
        self = m
    }
}

/// Whether a legal supporter can support, by 43号 第八条: able, or one of its cases of 无履行义务能力.
public enum SupporterAbility: String, CaseIterable, Codable, Sendable {
    case able
    /// (一) 特困人员.
    case tekun
    /// (二) 60周岁以上的最低生活保障对象.
    case dibao60
    /// (三) 70周岁以上, 本人收入低于当地上年人均可支配收入, 财产符合低收入家庭规定.
    case elderly70
    /// (四) 重度残疾人和三级智力、精神残疾人, 收入与财产同上.
    case disabled
    /// (五) 无民事行为能力、被宣告失踪或者在监狱服刑, 财产符合低收入家庭规定.
    case incapacity

    public var label: Text2 {
        switch self {
        case .able: return sayBoth("model.tekun.ability.able")
        case .tekun: return sayBoth("model.tekun.ability.tekun")
        case .dibao60: return sayBoth("model.tekun.ability.dibao60")
        case .elderly70: return sayBoth("model.tekun.ability.elderly70")
        case .disabled: return sayBoth("model.tekun.ability.disabled")
        case .incapacity: return sayBoth("model.tekun.ability.incapacity")
        }
    }

    /// The cases where the supporter's own income must be below the line.
    public var incomeTested: Bool { self == .elderly70 || self == .disabled }
}

/// 法定赡养、抚养、扶养义务人.
public struct LegalSupporter: Equatable, Codable, Sendable {
    public var name: String
    /// GB/T 4761 code as the relationships list has it, or a word.
    public var relation: String
    public var yearlyIncome: Money
    public var ability: SupporterAbility
    public init(name: String, relation: String, yearlyIncome: Money, ability: SupporterAbility) {
        self.name = name; self.relation = relation; self.yearlyIncome = yearlyIncome; self.ability = ability
    }

    public var json: [String: Any] { ["name": name, "relation": relation, "incomeFen": yearlyIncome.fen, "ability": ability.rawValue] }

    public init?(json o: [String: Any]) {
        guard let name = o["name"] as? String, let a = (o["ability"] as? String).flatMap(SupporterAbility.init(rawValue:)) else { return nil }
        let fen = Money(jsonFen: o["incomeFen"])?.fen ?? 0
        self.init(name: name, relation: o["relation"] as? String ?? "", yearlyIncome: Money(fen: fen), ability: a)
    }
}

/// What the 特困 rules look at about the person, besides the common facts.
public struct TekunFacts: Equatable, Sendable {
    /// The person the case is for (nil: none chosen).
    public var name: String?
    public var age: Int?
    public var workAbility: WorkAbility?
    public var disabilityType: String?
    public var disabilityLevel: Int?
    /// The person's own counted income per month (from the survey's income rows).
    public var ownMonthlyIncome: Money?
    /// The 低保 standard of the person's area in force (第七条: income below it).
    public var incomeLine: StandardInForce?
    public var supporters: [LegalSupporter]
    /// 当地上年人均可支配收入 per year (setting tekun_supporter_income_line), the line for 第八条(三)(四).
    public var supporterIncomeLine: Money?
    public var careLevel: CareLevel?
    public var mode: SupportMode?
    /// The institution (敬老院, 供养服务机构) of 集中供养, by name.
    public var institution: String?
    /// Its code in data/institutions.csv.
    public var institutionCode: String?
    /// 照料护理标准 for the care level in force.
    public var careStandard: StandardInForce?

    public init(name: String? = nil, age: Int? = nil, workAbility: WorkAbility? = nil, disabilityType: String? = nil, disabilityLevel: Int? = nil,
                ownMonthlyIncome: Money? = nil, incomeLine: StandardInForce? = nil, supporters: [LegalSupporter] = [],
                supporterIncomeLine: Money? = nil, careLevel: CareLevel? = nil, mode: SupportMode? = nil, institution: String? = nil,
                careStandard: StandardInForce? = nil) {
        self.name = name; self.age = age; self.workAbility = workAbility; self.disabilityType = disabilityType
        self.disabilityLevel = disabilityLevel; self.ownMonthlyIncome = ownMonthlyIncome; self.incomeLine = incomeLine
        self.supporters = supporters; self.supporterIncomeLine = supporterIncomeLine; self.careLevel = careLevel
        self.mode = mode; self.institution = institution; self.careStandard = careStandard
    }

    /// 第六条: 60 or older, under 16, or the disabilities it names (intellectual or mental level
    /// 1–2, physical or visual level 1; disability types as on the certificate: 1 视力, 4 肢体,
    /// 5 智力, 6 精神). Nil when no person is chosen.
    public var cannotWorkReason: Text2? {
        guard let age else { return nil }
        if age >= 60 { return sayBoth("model.tekun.work.elderly", ["age": String(age)]) }
        if age < 16 { return sayBoth("model.tekun.work.minor", ["age": String(age)]) }
        if let l = disabilityLevel, let t = disabilityType {
            if (t == "5" || t == "6") && l <= 2 { return sayBoth("model.tekun.work.mentalDisability", ["level": String(l)]) }
            if (t == "4" || t == "1") && l == 1 { return sayBoth("model.tekun.work.severeDisability", ["level": String(l)]) }
        }
        return nil
    }

    /// A monthly figure of a standard (a yearly one ÷ 12).
    static func monthly(_ s: StandardInForce) -> Money { s.period == "year" ? s.amount.divided(by: 12) : s.amount }
}

extension Eligibility {
    /// 特困人员认定 (43号) and the 供养 amount: 基本生活标准 + 照料护理标准, per month.
    static func tekunPerson(_ f: EligibilityFacts, _ t: TekunFacts, _ s: BenefitSettings) -> Assessment {
        func y(_ x: Money) -> String { x.yuanString }
        var rules = [surveyRule(f)]
        if let r = standardRule(f) { rules.append(r) }
        // The person.
        guard let name = t.name, let age = t.age else {
            rules.append(RuleResult(rule: sayBoth("model.tekun.rule.person"), pass: false, detail: sayBoth("model.tekun.rule.person.none")))
            return Assessment(rules: rules, lines: [BenefitLine(sayBoth("model.tekun.line.notEligible"), .zero)], amount: .zero, monthly: true)
        }
        rules.append(RuleResult(rule: sayBoth("model.tekun.rule.person"), pass: true, detail: sayBoth("model.tekun.rule.person.detail",
            ["name": name, "age": String(age)])))
        // 第六条 无劳动能力.
        if let why = t.cannotWorkReason {
            rules.append(RuleResult(rule: sayBoth("model.tekun.rule.work"), pass: true, detail: why))
        } else {
            let recorded = t.workAbility.map { $0 == .none ? sayBoth("model.tekun.work.recordedNone") : sayBoth("model.tekun.work.recordedAble") }
                ?? sayBoth("model.tekun.work.recordedAble")
            rules.append(RuleResult(rule: sayBoth("model.tekun.rule.work"), pass: false, detail: sayBoth("model.tekun.rule.work.fail",
                ["age": String(age), "recorded_zh": recorded.zh, "recorded_en": recorded.en])))
        }
        // 第七条 无生活来源: own income below the 低保 standard (and assets, below).
        if let line = t.incomeLine {
            let own = t.ownMonthlyIncome ?? .zero
            let lineMonthly = TekunFacts.monthly(line)
            let ok = own < lineMonthly
            rules.append(RuleResult(rule: sayBoth("model.tekun.rule.income"), pass: ok, detail: sayBoth(ok ? "model.tekun.rule.income.below" : "model.tekun.rule.income.above",
                ["own": y(own), "line": y(lineMonthly), "from": line.effectiveFrom.iso])))
        } else {
            rules.append(RuleResult(rule: sayBoth("model.tekun.rule.income"), pass: false, detail: sayBoth("model.tekun.rule.income.noLine",
                ["date": f.decisionDate.iso])))
        }
        rules += assetRules(f)
        // 第八条 法定义务人.
        if t.supporters.isEmpty {
            rules.append(RuleResult(rule: sayBoth("model.tekun.rule.supporters"), pass: true, detail: sayBoth("model.tekun.rule.supporters.none")))
        }
        for p in t.supporters {
            var ok = p.ability != .able
            var detail = sayBoth("model.tekun.rule.supporter", ["name": p.name, "relation": p.relation, "income": y(p.yearlyIncome),
                                                                "ability_zh": p.ability.label.zh, "ability_en": p.ability.label.en])
            if ok && p.ability.incomeTested {
                if let line = t.supporterIncomeLine {
                    ok = p.yearlyIncome < line
                    detail = sayBoth(ok ? "model.tekun.rule.supporter.below" : "model.tekun.rule.supporter.above",
                                     ["supporter_zh": detail.zh, "supporter_en": detail.en, "line": y(line)])
                } else {
                    ok = false
                    detail = sayBoth("model.tekun.rule.supporter.noLine", ["supporter_zh": detail.zh, "supporter_en": detail.en])
                }
            }
            rules.append(RuleResult(rule: sayBoth("model.tekun.rule.supporters"), pass: ok, detail: detail))
        }
        // 生活自理能力 and 供养方式.
        if let c = t.careLevel {
            let std = t.careStandard.map { TekunFacts.monthly($0) }
            rules.append(RuleResult(rule: sayBoth("model.tekun.rule.care"), pass: std != nil, detail: std == nil
                ? sayBoth("model.tekun.rule.care.noStandard", ["level_zh": c.label.zh, "level_en": c.label.en, "date": f.decisionDate.iso])
                : sayBoth("model.tekun.rule.care.detail", ["level_zh": c.label.zh, "level_en": c.label.en])))
        } else {
            rules.append(RuleResult(rule: sayBoth("model.tekun.rule.care"), pass: false, detail: sayBoth("model.tekun.rule.care.none")))
        }
        let mode = t.mode ?? .dispersed
        if mode == .concentrated {
            let inst = (t.institution ?? "").trimmingCharacters(in: .whitespaces)
            rules.append(RuleResult(rule: sayBoth("model.tekun.rule.mode"), pass: !inst.isEmpty, detail: inst.isEmpty
                ? sayBoth("model.tekun.rule.mode.noInstitution") : sayBoth("model.tekun.rule.mode.concentrated", ["institution": inst])))
        } else {
            rules.append(RuleResult(rule: sayBoth("model.tekun.rule.mode"), pass: true, detail: sayBoth("model.tekun.rule.mode.dispersed")))
        }
        rules += cadreNote(f)

        var lines: [BenefitLine] = []
        guard rules.allSatisfy({ $0.pass != false }), let st = f.standard, let care = t.careStandard, let level = t.careLevel else {
            lines.append(BenefitLine(sayBoth("model.tekun.line.notEligible"), .zero))
            return Assessment(rules: rules, lines: lines, amount: .zero, monthly: true)
        }
        let basic = TekunFacts.monthly(st)
        let perYear = st.period == "year"
        lines.append(BenefitLine(sayBoth(perYear ? "model.tekun.line.basicYear" : "model.tekun.line.basicMonth",
            ["mode_zh": mode.label.zh, "mode_en": mode.label.en, "amount": y(st.amount), "monthly": y(basic)]), basic))
        let careMonthly = TekunFacts.monthly(care)
        lines.append(BenefitLine(sayBoth(care.period == "year" ? "model.tekun.line.careYear" : "model.tekun.line.careMonth",
            ["level_zh": level.label.zh, "level_en": level.label.en, "amount": y(care.amount), "monthly": y(careMonthly)]), careMonthly))
        let total = basic + careMonthly
        lines.append(BenefitLine(sayBoth("model.tekun.line.total", ["total": y(total)]), total))
        let amount = rounded(total, s, &lines)
        return Assessment(rules: rules, lines: lines, amount: max(.zero, amount), monthly: true)
    }
}
