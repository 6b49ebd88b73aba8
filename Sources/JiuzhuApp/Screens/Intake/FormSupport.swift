import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// What forms need that does not change while the app runs: the rules with their code lists and
/// limits, and each code list as picker options (their pinyin keys added when a picker opens).
public struct FormSupport: Sendable {
    public var rules: SurveyRules
    /// Code lists in display order.
    public var order: [String: [String]]
    public var options: [String: [Picker.Option]]

    public init(rules: SurveyRules, order: [String: [String]], options: [String: [Picker.Option]]) {
        self.rules = rules; self.order = order; self.options = options
    }

    public static func build(_ ref: FormReference, today: CivilDate) -> FormSupport {
        var lists = ref.lists
        func add(_ name: String, _ items: [(String, Text2)]) {
            lists[name] = items.map { (code: $0.0, label: $0.1) }
        }
        add("sex", [("M", sayBoth("form.code.sex.M")), ("F", sayBoth("form.code.sex.F"))])
        add("yesno", [("yes", sayBoth("yes")), ("no", sayBoth("no"))])
        // 户籍: 本地户籍 / 居住证 since the 2014 reform (国发〔2014〕25号); 农业/非农业 stay readable on
        // households recorded before it (in the codes below), never offered.
        add("hukou", HukouType.current.map { ($0.rawValue, $0.label) })
        add("housing", [("own", sayBoth("form.code.housing.own")), ("rent", sayBoth("form.code.housing.rent")), ("none", sayBoth("form.code.housing.none"))])
        // 受灾救助 is offered too: picking it takes the clerk to the victims' ledger (a grant is made
        // to a household on it, never from this form; the store refuses such a form).
        add("programme", [Programme.ruralDibao, .urbanDibao, .tekun, .temporary, .medical, .disaster].map { ($0.rawValue, $0.label) })
        add("temporary_kind", TemporaryKind.allCases.map { ($0.rawValue, $0.label) })
        add("village", ref.villages.map { ($0.code, Text2(zh: $0.name, en: $0.name)) })
        // 医疗救助 categories (国办发〔2021〕42号) and the 特困 lists (民发〔2021〕43号): codes the rules switch on.
        add("medical_category", MedicalCategory.allCases.map { ($0.rawValue, $0.label) })
        add("care_level", CareLevel.allCases.map { ($0.rawValue, $0.label) })
        add("support_mode", SupportMode.allCases.map { ($0.rawValue, $0.label) })
        add("supporter_ability", SupporterAbility.allCases.map { ($0.rawValue, $0.label) })
        var codes: [String: [String: Text2]] = [:]
        var order: [String: [String]] = [:]
        var options: [String: [Picker.Option]] = [:]
        for (name, items) in lists {
            codes[name] = Dictionary(items.map { ($0.code, $0.label) }, uniquingKeysWith: { a, _ in a })
            order[name] = items.map(\.code)
            // Pinyin keys are added when a picker opens (pickerOptions): there is no need to
            // work them out for lists nobody opens (they come from Pinyin's table, not ICU).
            options[name] = items.map { Picker.Option(code: $0.code, label: $0.label.zh, keys: [$0.label.en.lowercased()]) }
        }
        for old in HukouType.allCases where old.isObsolete { codes["hukou", default: [:]][old.rawValue] = old.label }
        let counted = Set((ref.extras["income_kind"] ?? [:]).filter { $0.value == "counted" }.keys)
        let generations = (ref.extras["relationship"] ?? [:]).compactMapValues { Int($0) }
        let s = ref.settings
        let limits = AssetLimits(
            financialPerPerson: s["asset_financial_per_person"].flatMap { Money(yuanText: $0) } ?? Money(yuan: 24000),
            vehiclesMax: s["asset_vehicles_max"].flatMap { Int($0) } ?? 0,
            housesMax: s["asset_houses_max"].flatMap { Int($0) } ?? 1,
            businessAllowed: s["asset_business_allowed"].flatMap { ReferenceData.yesNo($0) } ?? false)
        var rules = SurveyRules(today: today, codes: codes, countedIncomeKinds: counted, limits: limits, generations: generations)
        rules.regionLevels = Dictionary(ref.villages.map { ($0.code, $0.level) }, uniquingKeysWith: { a, _ in a })
        return FormSupport(rules: rules, order: order, options: options)
    }

    /// Pinyin initials and full pinyin of a label, for type-ahead ("hz", "hanzu" → 汉族).
    static func keys(_ label: String) -> [String] {
        let k = Pinyin.keys(label)
        return [k.initials, k.full].filter { !$0.isEmpty }
    }

    /// A code's label in a list ("" for none, the code itself when unknown).
    public func label(_ list: String, _ code: String?, _ lang: Lang, values: FormValues) -> String {
        guard let code, !code.isEmpty else { return "" }
        return rules.codeList(list, values: values)?[code].map { $0(lang) } ?? code
    }

    /// Picker options for a list; the members list is made from the form.
    public func pickerOptions(_ list: String, values: FormValues, lang: Lang) -> [Picker.Option] {
        if list == "members", let members = rules.codeList(list, values: values) {
            return members.sorted { Int($0.key) ?? 0 < Int($1.key) ?? 0 }
                .map { Picker.Option(code: $0.key, label: $0.value(lang), keys: Self.keys($0.value.zh)) }
        }
        let base = (options[list] ?? []).map { Picker.Option(code: $0.code, label: $0.label, keys: Self.keys($0.label) + $0.keys) }
        if lang == .en, let codes = rules.codes[list] {
            return base.map { Picker.Option(code: $0.code, label: codes[$0.code]?.en ?? $0.label, keys: $0.keys + [$0.label]) }
        }
        return base
    }
}
