import Foundation
import JiuzhuModel
import PropertyBased
import Testing

/// 医疗救助 by category (国办发〔2021〕42号) and 特困 by person (民发〔2021〕43号): the rules with their
/// figures, the sums, and the laws: never negative, the yearly cap never exceeded.
@Suite struct MedicalTekunRulesTests {
    static let day = CivilDate(year: 2026, month: 6, day: 15)!
    static func rule(_ c: MedicalCategory, deductible: Int64 = 0, ratio: Int = 75, cap: Int64 = 40_000) -> MedicalRule {
        MedicalRule(category: c, effectiveFrom: CivilDate(year: 2026, month: 1, day: 1)!, deductible: Money(yuan: deductible),
                    ratioPercent: ratio, yearlyCap: Money(yuan: cap))
    }
    static func bill(total: Int64, basic: Int64, serious: Int64 = 0, selfPaid: Int64) -> MedicalBill {
        MedicalBill(hospital: "县人民医院", from: CivilDate(year: 2026, month: 6, day: 1), until: CivilDate(year: 2026, month: 6, day: 10),
                    total: Money(fen: total), basicInsurance: Money(fen: basic), seriousIllnessInsurance: Money(fen: serious),
                    policySelfPaid: Money(fen: selfPaid))
    }
    static func medical(_ m: MedicalFacts) -> Assessment {
        var f = EligibilityFacts(programme: .medical, decisionDate: day, standard: nil, perCapitaMonthly: nil, membersCounted: 1, covered: [])
        f.medical = m
        return Eligibility.assess(f, BenefitSettings())
    }

    @Test func aDibaoRecipientGetsTheRatioOfThePolicySelfPaidPart() throws {
        let a = Self.medical(MedicalFacts(category: .dibao, onRecord: [.dibao],
                                          bills: [Self.bill(total: 2_500_000, basic: 1_200_000, serious: 300_000, selfPaid: 1_000_000)],
                                          rule: Self.rule(.dibao)))
        #expect(a.eligible)
        #expect(a.amount == Money(yuan: 7_500))
        #expect(a.rules.contains { $0.detail.zh.contains("总费用 25000.00 − 基本医保 12000.00 − 大病保险 3000.00；政策范围内自付 10000.00") })
        #expect(a.lines.contains { $0.text.zh.contains("10000.00 × 救助比例 75% = 7500.00") })
    }

    @Test func theDeductibleIsTakenOncePerYear() throws {
        // 1,700 deductible, 1,000 of it used by an earlier bill of the year: 700 taken now.
        let a = Self.medical(MedicalFacts(category: .lowIncome, onRecord: [], bills: [Self.bill(total: 1_000_000, basic: 500_000, selfPaid: 400_000)],
                                          rule: Self.rule(.lowIncome, deductible: 1_700, ratio: 65, cap: 30_000),
                                          grantedThisYear: Money(yuan: 0), selfPaidThisYear: Money(yuan: 1_000)))
        #expect(a.amount == Money(yuan: 2_145))   // (4,000 − 700) × 65%
        #expect(a.lines.contains { $0.text.zh.contains("起付标准 1700.00(本年已计 1000.00)，本次扣除 700.00，计入 3300.00") })
        // 低收入 needs its papers: a note, not a failure.
        #expect(a.rules.first?.pass == nil)
    }

    @Test func aCategoryNotOnRecordOrBillsThatDoNotAddUpAreRefused() throws {
        let notOnRoll = Self.medical(MedicalFacts(category: .tekun, onRecord: [.dibao], bills: [Self.bill(total: 100_000, basic: 50_000, selfPaid: 50_000)],
                                                  rule: Self.rule(.tekun)))
        #expect(!notOnRoll.eligible)
        #expect(notOnRoll.amount == .zero)
        let bad = Self.medical(MedicalFacts(category: .dibao, onRecord: [.dibao], bills: [Self.bill(total: 100_000, basic: 80_000, selfPaid: 50_000)],
                                            rule: Self.rule(.dibao)))
        #expect(!bad.eligible)
        #expect(bad.rules.contains { $0.pass == false && $0.detail.zh.contains("超过总费用") })
        let none = Self.medical(MedicalFacts(category: nil, bills: [], rule: nil))
        #expect(!none.eligible && none.amount == .zero)
        let noRule = Self.medical(MedicalFacts(category: .spending, bills: [Self.bill(total: 100_000, basic: 50_000, selfPaid: 50_000)], rule: nil))
        #expect(!noRule.eligible)
    }

    @Test func theCapLeftBoundsTheGrant() throws {
        let a = Self.medical(MedicalFacts(category: .dibao, onRecord: [.dibao], bills: [Self.bill(total: 9_000_000, basic: 3_000_000, selfPaid: 6_000_000)],
                                          rule: Self.rule(.dibao), grantedThisYear: Money(yuan: 38_000)))
        #expect(a.amount == Money(yuan: 2_000))
        let full = Self.medical(MedicalFacts(category: .dibao, onRecord: [.dibao], bills: [Self.bill(total: 100_000, basic: 50_000, selfPaid: 50_000)],
                                             rule: Self.rule(.dibao), grantedThisYear: Money(yuan: 40_000)))
        #expect(!full.eligible && full.amount == .zero)
    }

    /// Any sequence of grants in a year, each worked out on the grants before it: none negative,
    /// their sum never above the category's yearly cap.
    @Test func theYearlyCapIsNeverExceededAcrossAnySequenceOfGrants() async {
        let bills = Gen.int(in: 0...9_000_000).array(of: 1...12)
        await propertyCheck(count: 300, input: bills, Gen.int(in: 0...3), Gen.int(in: 0...500_000)) { selfPaids, c, deductible in
            let category = MedicalCategory.allCases[c]
            let rule = MedicalRule(category: category, effectiveFrom: CivilDate(year: 2026, month: 1, day: 1)!, deductible: Money(fen: Int64(deductible)),
                                   ratioPercent: 60 + c * 10, yearlyCap: Money(yuan: 30_000))
            var granted = Money.zero, used = Money.zero
            for s in selfPaids {
                let own = Int64(s)
                let a = Self.medical(MedicalFacts(category: category, onRecord: [category],
                                                  bills: [Self.bill(total: own * 3, basic: own, serious: own / 2, selfPaid: own)],
                                                  rule: rule, grantedThisYear: granted, selfPaidThisYear: used))
                #expect(a.amount.fen >= 0)
                granted += a.amount
                used += Money(fen: own)
                #expect(granted <= rule.yearlyCap, "granted \(granted) over the cap")
            }
        }
    }

    // MARK: 特困

    static func tekun(age: Int, work: WorkAbility = .none, disability: (String, Int)? = nil, supporters: [LegalSupporter] = [],
                      care: CareLevel? = .semi, mode: SupportMode = .dispersed, institution: String? = nil, ownIncome: Int64 = 0) -> Assessment {
        let from = CivilDate(year: 2026, month: 1, day: 1)!
        let basic = StandardInForce(amount: Money(yuan: mode == .concentrated ? 9_720 : 8_970), period: "year", effectiveFrom: from,
                                    area: mode.rawValue)
        var f = EligibilityFacts(programme: .tekun, decisionDate: day, standard: basic, perCapitaMonthly: nil, membersCounted: 1, covered: [],
                                 investigators: ["甲", "乙"])
        let careStd: [CareLevel: Int64] = [.selfCare: 600, .semi: 3_600, .full: 7_200]
        f.tekun = TekunFacts(name: "杨建华", age: age, workAbility: work, disabilityType: disability?.0, disabilityLevel: disability?.1,
                             ownMonthlyIncome: Money(fen: ownIncome),
                             incomeLine: StandardInForce(amount: Money(yuan: 575), period: "month", effectiveFrom: from, area: "rural"),
                             supporters: supporters, supporterIncomeLine: Money(yuan: 16_800), careLevel: care, mode: mode,
                             institution: institution,
                             careStandard: care.map { StandardInForce(amount: Money(yuan: careStd[$0]!), period: "year", effectiveFrom: from, area: $0.standardArea) })
        return Eligibility.assess(f, BenefitSettings())
    }

    @Test func aSeventyEightYearOldAtHomeNeedingPartialCareGetsBothStandards() throws {
        let a = Self.tekun(age: 78)
        #expect(a.eligible)
        #expect(a.rules.contains { $0.pass == true && $0.detail.zh == "78 岁，60周岁以上(第六条)" })
        #expect(a.lines.map(\.amount) == [Money(fen: 74_750), Money(yuan: 300), Money(fen: 104_750), Money(yuan: 1_048)])
        #expect(a.amount == Money(yuan: 1_048))
        // 全护理 gets more than 全自理.
        #expect(Self.tekun(age: 78, care: .full).amount > Self.tekun(age: 78, care: .selfCare).amount)
    }

    @Test func theConditionsOfTheRulesAreEachChecked() throws {
        // 40, recorded unable to work but none of art. 6's cases.
        let able = Self.tekun(age: 40)
        #expect(!able.eligible && able.amount == .zero)
        // A level-1 physical disability at 40 is art. 6.
        #expect(Self.tekun(age: 40, disability: ("4", 1)).eligible)
        // A level-2 hearing disability is not.
        #expect(!Self.tekun(age: 40, disability: ("2", 2)).eligible)
        // Own income at the 低保 standard: has a means of living.
        #expect(!Self.tekun(age: 70, ownIncome: 57_500).eligible)
        // A son able to support.
        let son = LegalSupporter(name: "杨军", relation: "20", yearlyIncome: Money(yuan: 40_000), ability: .able)
        #expect(!Self.tekun(age: 70, supporters: [son]).eligible)
        // A brother of 72 with an income below last year's disposable income cannot; above it, can.
        let poor = LegalSupporter(name: "杨林", relation: "71", yearlyIncome: Money(yuan: 9_000), ability: .elderly70)
        let richer = LegalSupporter(name: "杨林", relation: "71", yearlyIncome: Money(yuan: 20_000), ability: .elderly70)
        #expect(Self.tekun(age: 70, supporters: [poor]).eligible)
        #expect(!Self.tekun(age: 70, supporters: [richer]).eligible)
        // No care level assessed; concentrated without an institution.
        #expect(!Self.tekun(age: 70, care: nil).eligible)
        #expect(!Self.tekun(age: 70, mode: .concentrated).eligible)
        let home = Self.tekun(age: 70, mode: .concentrated, institution: "石门镇敬老院")
        #expect(home.eligible && home.rules.contains { $0.detail.zh.contains("供养金拨付机构") })
        // No person chosen: the "0 岁" case.
        var f = EligibilityFacts(programme: .tekun, decisionDate: Self.day, standard: nil, perCapitaMonthly: nil, membersCounted: 1, covered: [])
        f.tekun = TekunFacts()
        let nobody = Eligibility.assess(f, BenefitSettings())
        #expect(!nobody.eligible && nobody.amount == .zero)
    }

    @Test func theTekunBenefitIsNeverNegative() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...100), Gen.int(in: 0...2), Gen.int(in: -100_000...200_000)) { age, c, income in
            let a = Self.tekun(age: age, care: CareLevel.allCases[c], ownIncome: Int64(income))
            #expect(a.amount.fen >= 0)
            #expect(a.eligible == (a.amount.fen > 0))
        }
    }

    @Test func careLevelsAndModesReadTheirOlderWords() {
        #expect(CareLevel(text: "半自理") == .semi)
        #expect(CareLevel(text: "半护理") == .semi)
        #expect(CareLevel(text: "full") == .full)
        #expect(SupportMode(text: "集中") == .concentrated)
        #expect(SupportMode(text: "分散") == .dispersed)
        #expect(MedicalCategory(text: "低保对象") == .dibao)
    }
}
