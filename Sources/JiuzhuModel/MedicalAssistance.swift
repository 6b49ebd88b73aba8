import Foundation

// 医疗救助 under 国办发〔2021〕42号 (《关于健全重特大疾病医疗保险和救助制度的意见》): who is helped
// (救助对象类别), the bills after 基本医保 and 大病保险, the 起付标准, the ratio and the yearly
// cap per category (a county's figures in data/medical_assistance.csv), and 资助参保 (the
// premiums paid for 特困 in full and for 低保 in part, data/insurance_subsidy.csv).

/// 救助对象类别 (42号 二(一)): 特困人员, 低保对象, 低收入 (低保边缘家庭成员, 防止返贫监测对象),
/// 支出型 (因病致贫重病患者).
public enum MedicalCategory: String, CaseIterable, Codable, Sendable {
    case tekun
    case dibao
    case lowIncome = "low_income"
    case spending

    public var label: Text2 {
        switch self {
        case .tekun: return sayBoth("model.medical.category.tekun")
        case .dibao: return sayBoth("model.medical.category.dibao")
        case .lowIncome: return sayBoth("model.medical.category.lowIncome")
        case .spending: return sayBoth("model.medical.category.spending")
        }
    }

    /// The code, or either label as typed.
    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let c = MedicalCategory(rawValue: t) { self = c; return }
        guard let c = MedicalCategory.allCases.first(where: { $0.label.zh == t || $0.label.en == t }) else { return nil }
        self = c
    }
}

/// One settlement sheet (结算单) of a hospital stay or a long-term outpatient treatment.
public struct MedicalBill: Equatable, Codable, Sendable {
    public var hospital: String
    public var from: CivilDate?
    public var until: CivilDate?
    /// 医疗总费用.
    public var total: Money
    /// 基本医疗保险 paid.
    public var basicInsurance: Money
    /// 大病保险 paid.
    public var seriousIllnessInsurance: Money
    /// 政策范围内个人自付: what is left to the patient within the policy's scope, from the sheet.
    public var policySelfPaid: Money

    public init(hospital: String, from: CivilDate? = nil, until: CivilDate? = nil, total: Money, basicInsurance: Money,
                seriousIllnessInsurance: Money = .zero, policySelfPaid: Money) {
        self.hospital = hospital; self.from = from; self.until = until; self.total = total
        self.basicInsurance = basicInsurance; self.seriousIllnessInsurance = seriousIllnessInsurance; self.policySelfPaid = policySelfPaid
    }

    /// What is wrong with the sheet's figures, nil when they hold together: none negative, the
    /// insurances and the self-paid part within the total, the dates in order.
    public var problem: Text2? {
        if total.fen < 0 || basicInsurance.fen < 0 || seriousIllnessInsurance.fen < 0 || policySelfPaid.fen < 0 {
            return sayBoth("model.medical.bill.negative")
        }
        if basicInsurance.fen + seriousIllnessInsurance.fen + policySelfPaid.fen > total.fen {
            return sayBoth("model.medical.bill.aboveTotal", ["total": total.yuanString,
                "sum": (basicInsurance + seriousIllnessInsurance + policySelfPaid).yuanString])
        }
        if let a = from, let b = until, b < a { return sayBoth("model.medical.bill.datesReversed") }
        return nil
    }

    /// As kept in the application's record (amounts in fen).
    public var json: [String: Any] {
        var o: [String: Any] = ["hospital": hospital, "totalFen": total.fen, "basicFen": basicInsurance.fen,
                                "seriousFen": seriousIllnessInsurance.fen, "selfPaidFen": policySelfPaid.fen]
        if let f = from { o["from"] = f.iso }
        if let u = until { o["until"] = u.iso }
        return o
    }

    public init?(json o: [String: Any]) {
        func fen(_ k: String) -> Int64? { Money(jsonFen: o[k])?.fen }
        guard let total = fen("totalFen"), let self_ = fen("selfPaidFen") else { return nil }
        self.init(hospital: o["hospital"] as? String ?? "", from: (o["from"] as? String).flatMap(CivilDate.init(iso:)),
                  until: (o["until"] as? String).flatMap(CivilDate.init(iso:)), total: Money(fen: total),
                  basicInsurance: Money(fen: fen("basicFen") ?? 0), seriousIllnessInsurance: Money(fen: fen("seriousFen") ?? 0),
                  policySelfPaid: Money(fen: self_))
    }
}

/// A county's 起付标准, ratio and yearly cap for one category, in force from a date until the
/// next row for the category (data/medical_assistance.csv).
public struct MedicalRule: Equatable, Sendable {
    public var category: MedicalCategory
    public var effectiveFrom: CivilDate
    /// 起付标准 per year: the policy self-paid costs of the year up to it are not helped.
    public var deductible: Money
    /// 救助比例 in percent of the policy self-paid costs above the 起付标准.
    public var ratioPercent: Int
    /// 年度救助限额 per person.
    public var yearlyCap: Money

    public init(category: MedicalCategory, effectiveFrom: CivilDate, deductible: Money, ratioPercent: Int, yearlyCap: Money) {
        self.category = category; self.effectiveFrom = effectiveFrom; self.deductible = deductible
        self.ratioPercent = ratioPercent; self.yearlyCap = yearlyCap
    }

    public static func inForce(_ all: [MedicalRule], _ category: MedicalCategory, on date: CivilDate) -> MedicalRule? {
        all.filter { $0.category == category && $0.effectiveFrom <= date }.max { $0.effectiveFrom < $1.effectiveFrom }
    }
}

/// 资助参保: the premium of a year's 城乡居民基本医疗保险 paid for a category, in full or in part
/// (data/insurance_subsidy.csv).
public struct PremiumSubsidy: Equatable, Sendable {
    public var year: Int
    public var category: MedicalCategory
    /// 个人缴费标准 of the year.
    public var premium: Money
    /// What the assistance fund pays of it (the whole premium for 全额资助).
    public var subsidy: Money
    public init(year: Int, category: MedicalCategory, premium: Money, subsidy: Money) {
        self.year = year; self.category = category; self.premium = premium; self.subsidy = subsidy
    }
    public var full: Bool { subsidy >= premium }
}

/// What the medical rules look at, besides the common facts.
public struct MedicalFacts: Equatable, Sendable {
    public var category: MedicalCategory?
    /// The categories the records show for the person on the date (a 特困 case in force, a
    /// 低保 case covering them): 特困 and 低保 claimed must be on record.
    public var onRecord: Set<MedicalCategory>
    public var bills: [MedicalBill]
    public var rule: MedicalRule?
    /// Granted to the person by medical cases decided earlier in the same year.
    public var grantedThisYear: Money
    /// The policy self-paid costs of those cases (what has used up the year's 起付标准).
    public var selfPaidThisYear: Money

    public init(category: MedicalCategory?, onRecord: Set<MedicalCategory> = [], bills: [MedicalBill], rule: MedicalRule?,
                grantedThisYear: Money = .zero, selfPaidThisYear: Money = .zero) {
        self.category = category; self.onRecord = onRecord; self.bills = bills; self.rule = rule
        self.grantedThisYear = grantedThisYear; self.selfPaidThisYear = selfPaidThisYear
    }
}

extension Eligibility {
    /// 医疗救助 (42号): the category, each bill, the 起付标准 left this year, the ratio, and the
    /// yearly cap less what was granted earlier in the year. The amount is never negative and
    /// never more than the cap's room.
    static func medicalByCategory(_ f: EligibilityFacts, _ m: MedicalFacts, _ s: BenefitSettings) -> Assessment {
        func y(_ x: Money) -> String { x.yuanString }
        var rules: [RuleResult] = []
        let category = m.category
        if let c = category {
            var pass: Bool? = true
            var detail = sayBoth("model.medical.rule.category.as", ["category_zh": c.label.zh, "category_en": c.label.en])
            if (c == .tekun || c == .dibao) && !m.onRecord.contains(c) {
                pass = false
                detail = sayBoth("model.medical.rule.category.notOnRecord", ["category_zh": c.label.zh, "category_en": c.label.en,
                                                                              "date": f.decisionDate.iso])
            } else if c == .lowIncome || c == .spending {
                pass = nil
                detail = sayBoth("model.medical.rule.category.papers", ["category_zh": c.label.zh, "category_en": c.label.en])
            }
            rules.append(RuleResult(rule: sayBoth("model.medical.rule.category"), pass: pass, detail: detail))
        } else {
            rules.append(RuleResult(rule: sayBoth("model.medical.rule.category"), pass: false, detail: sayBoth("model.medical.rule.category.none")))
        }
        if let c = category, m.rule == nil {
            rules.append(RuleResult(rule: sayBoth("model.medical.rule.standard"), pass: false,
                                    detail: sayBoth("model.medical.rule.standard.none", ["category_zh": c.label.zh, "category_en": c.label.en,
                                                                                          "date": f.decisionDate.iso])))
        }
        if m.bills.isEmpty {
            rules.append(RuleResult(rule: sayBoth("model.medical.rule.bills"), pass: false, detail: sayBoth("model.medical.rule.bills.none")))
        }
        for b in m.bills {
            let dates = [b.from?.iso, b.until?.iso].compactMap { $0 }.joined(separator: "—")
            let v = ["hospital": b.hospital, "dates": dates, "total": y(b.total), "basic": y(b.basicInsurance),
                     "serious": y(b.seriousIllnessInsurance), "self": y(b.policySelfPaid)]
            var detail = sayBoth("model.medical.rule.bill", v)
            if let p = b.problem {
                detail = sayBoth("model.medical.rule.billProblem", ["bill_zh": detail.zh, "bill_en": detail.en, "problem_zh": p.zh, "problem_en": p.en])
            }
            rules.append(RuleResult(rule: sayBoth("model.medical.rule.bills"), pass: b.problem == nil, detail: detail))
        }
        let selfPaid = Money(fen: m.bills.reduce(0) { $0 + max(0, $1.policySelfPaid.fen) })
        if !m.bills.isEmpty && selfPaid.fen == 0 {
            rules.append(RuleResult(rule: sayBoth("model.medical.rule.selfPaid"), pass: false, detail: sayBoth("model.medical.rule.selfPaid.none")))
        }
        let cap = m.rule?.yearlyCap ?? .zero
        let room = Money(fen: max(0, cap.fen - max(0, m.grantedThisYear.fen)))
        if m.rule != nil {
            rules.append(RuleResult(rule: sayBoth("model.medical.rule.cap"), pass: room.fen > 0, detail: sayBoth("model.medical.rule.cap.detail",
                ["granted": y(m.grantedThisYear), "cap": y(cap), "room": y(room)])))
        }
        var lines: [BenefitLine] = []
        guard rules.allSatisfy({ $0.pass != false }), let rule = m.rule else {
            lines.append(BenefitLine(sayBoth("model.medical.line.notEligible"), .zero))
            return Assessment(rules: rules, lines: lines, amount: .zero, monthly: false)
        }
        lines.append(BenefitLine(sayBoth("model.medical.line.selfPaid", ["n": String(m.bills.count), "self": y(selfPaid)]), selfPaid))
        // 起付标准 per year: what earlier bills of the year already used up is not taken again.
        let deductibleLeft = Money(fen: max(0, rule.deductible.fen - max(0, m.selfPaidThisYear.fen)))
        let taken = min(deductibleLeft, selfPaid)
        let base = selfPaid - taken
        lines.append(BenefitLine(sayBoth("model.medical.line.deductible", ["deductible": y(rule.deductible),
            "used": y(rule.deductible - deductibleLeft), "taken": y(taken), "base": y(base)]), base))
        let share = base.percent(basisPoints: rule.ratioPercent * 100)
        lines.append(BenefitLine(sayBoth("model.medical.line.ratio", ["base": y(base), "ratio": String(rule.ratioPercent), "share": y(share)]), share))
        let amount = max(.zero, capped(share, room: room, s, &lines))
        return Assessment(rules: rules, lines: lines, amount: amount, monthly: false)
    }
}
