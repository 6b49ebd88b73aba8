import Foundation

/// A message about one field: an error stops the save, a warning is asked about.
public struct FieldMessage: Equatable, Sendable {
    public enum Severity: String, Sendable { case error, warning }
    public var ref: FieldRef
    public var severity: Severity
    public var text: Text2
    public init(_ ref: FieldRef, _ severity: Severity, _ text: Text2) { self.ref = ref; self.severity = severity; self.text = text }
}

/// The local limits the asset test uses (from `data/settings.csv`).
public struct AssetLimits: Equatable, Sendable {
    public var financialPerPerson: Money
    public var vehiclesMax: Int
    public var housesMax: Int
    public var businessAllowed: Bool
    public init(financialPerPerson: Money = Money(yuan: 24000), vehiclesMax: Int = 0, housesMax: Int = 1, businessAllowed: Bool = false) {
        self.financialPerPerson = financialPerPerson; self.vehiclesMax = vehiclesMax; self.housesMax = housesMax; self.businessAllowed = businessAllowed
    }
}

/// One line of the asset test: what was looked at, the figures, pass or fail.
public struct AssetFinding: Codable, Equatable, Sendable {
    public var item: String
    public var pass: Bool
    public var zh: String
    public var en: String
    public func text(_ lang: Lang) -> String { lang == .zh ? zh : en }
}

/// The figures a survey yields, stored with it so a later change of standards or settings does
/// not rewrite what the survey showed.
public struct SurveyFigures: Codable, Equatable, Sendable {
    public var membersListed: Int
    /// Co-residing members not in prison or the army.
    public var membersCounted: Int
    public var incomeCountedYearly: Money
    public var incomeExcludedYearly: Money
    /// Counted yearly income ÷ 12 ÷ members counted, to the fen (half up).
    public var perCapitaMonthly: Money
    public var assets: [AssetFinding]
    public var assetsPass: Bool { assets.allSatisfy(\.pass) }
}

/// The checks and sums of the household survey. Pure: code lists, counted income kinds and
/// limits come in; the database-wide checks (duplicate ID in another household, an active case)
/// are the store's and arrive as messages.
public struct SurveyRules: Sendable {
    public var today: CivilDate
    /// Code lists by name: code → label.
    public var codes: [String: [String: Text2]]
    public var countedIncomeKinds: Set<String>
    public var limits: AssetLimits
    /// Relationship code → generation (0 own, -1 children, +1 parents ...).
    public var generations: [String: Int]
    /// Village and community codes with their kind, for the programme-fits-area check.
    public var regionLevels: [String: RegionLevel] = [:]

    public init(today: CivilDate, codes: [String: [String: Text2]], countedIncomeKinds: Set<String>,
                limits: AssetLimits = AssetLimits(), generations: [String: Int] = [:]) {
        self.today = today; self.codes = codes; self.countedIncomeKinds = countedIncomeKinds
        self.limits = limits; self.generations = generations
    }

    /// Checks a form file may name; `differsFrom:FIELD` takes another field's id.
    public static let knownChecks: Set<String> = ["idNumber", "sexMatchesID", "relationPlausible", "oneHead", "notFuture", "mustBeYes", "differsFrom", "phone", "fitsProgramme", "oneMember", "billAdds"]
    public static let knownComputations: Set<String> = ["age", "birthDate", "membersCounted", "incomeCounted", "perCapitaMonthly", "assetTest"]
    /// Code lists the app fills in itself rather than from `data/`.
    public static let builtInCodeLists: Set<String> = ["sex", "yesno", "programme", "temporary_kind", "village", "hukou", "housing", "members",
                                                       "medical_category", "care_level", "support_mode", "supporter_ability"]
    public static let headRelation = "02"
    /// 本人 in data/relationships.csv: the same person as 户主 in a household's own list; not offered.
    public static let selfRelation = "01"
    public static let spouseRelations: Set<String> = ["10", "11", "12"]

    // MARK: one field

    /// The full check of a field, as when it is left: format, code list, the named checks.
    public func check(_ ref: FieldRef, spec: FormSpec, values v: FormValues) -> [FieldMessage] {
        guard let section = spec.section(ref.section), let f = section.fields.first(where: { $0.id == ref.field }) else { return [] }
        let raw = (v[ref] ?? "").trimmingCharacters(in: .whitespaces)
        var out: [FieldMessage] = []
        func err(_ key: String, _ values: [String: String] = [:]) { out.append(FieldMessage(ref, .error, sayBoth("model.survey." + key, values))) }
        func warn(_ key: String, _ values: [String: String] = [:]) { out.append(FieldMessage(ref, .warning, sayBoth("model.survey." + key, values))) }
        if raw.isEmpty {
            if f.isRequired && f.isEditable { err("required") }
            return out
        }
        switch f.kind {
        case .id:
            switch IDNumber.parse(raw, today: today) {
            case .failure(let p): out.append(FieldMessage(ref, .error, Text2(zh: p.message(.zh), en: p.message(.en))))
            case .success(let id):
                if id.convertedFrom15 { warn("convertedFrom15", ["id": id.value]) }
                if let i = ref.item {
                    for (j, item) in v.items(ref.section).enumerated() where j != i {
                        if let other = item[ref.field], IDNumber(other, today: today)?.value == id.value {
                            let who = item[section.repeat?.titleField ?? "name"] ?? ""
                            err("sameID", ["n": String(j + 1), "who": who])
                        }
                    }
                }
            }
        case .date:
            guard let d = CivilDate(iso: raw) ?? CivilDate(compact: raw) else { err("notDate"); break }
            if (f.checks ?? []).contains("notFuture") && d > today { err("future", ["today": today.iso]) }
        case .money:
            if let m = Money(yuanText: raw) {
                if m.fen < 0 { err("negative") }
                else if m.fen > Money.largestEntered.fen { err("tooLarge", ["most": Money.largestEntered.yuanString]) }
            } else if raw.filter(\.isNumber).count > 15, raw.allSatisfy({ ($0.isASCII && $0.isNumber) || ".,，-¥￥元 ".contains($0) }) {
                // Digits past what `Money` reads: a size, not a format, to be told as such.
                err("tooLarge", ["most": Money.largestEntered.yuanString])
            } else { err("notMoney") }
        case .integer:
            if Int(raw) == nil { err("notInteger") }
        case .code:
            if let list = f.codes, let known = codeList(list, values: v), known[raw] == nil { out.append(FieldMessage(ref, .error, sayBoth("model.survey.unknownCode", ["code": raw, "list_zh": f.zh, "list_en": f.en]))) }
        case .multi:
            if let list = f.codes, let known = codeList(list, values: v) {
                for c in raw.split(separator: ",").map(String.init) where known[c] == nil { err("unknownCodeOf", ["code": c]) }
            }
        case .name:
            if raw.count < 2 { err("nameShort") }
            // Character.isNumber is true for 一二三四 too; a name may hold those, not digits.
            if raw.contains(where: { ($0.isASCII && $0.isNumber) || ("０"..."９").contains($0) }) { err("nameDigits") }
        default: break
        }
        for c in f.checks ?? [] { out += named(c, ref: ref, field: f, section: section, spec: spec, values: v, raw: raw) }
        return out
    }

    func named(_ check: String, ref: FieldRef, field f: FieldSpec, section: SectionSpec, spec: FormSpec, values v: FormValues, raw: String) -> [FieldMessage] {
        func sibling(_ id: String) -> String? { v[FieldRef(section: ref.section, item: ref.item, field: id)] }
        let parts = check.split(separator: ":", maxSplits: 1).map(String.init)
        switch parts[0] {
        case "sexMatchesID":
            guard let id = sibling("id_number").flatMap({ IDNumber($0, today: today) }), let sex = Sex(rawValue: raw) else { return [] }
            if id.sex != sex {
                return [FieldMessage(ref, .error, sayBoth("model.survey.sexMismatch", ["sex_zh": id.sex.label(.zh), "sex_en": id.sex.label(.en)]))]
            }
        case "relationPlausible":
            return relationMessages(ref, values: v)
        case "oneHead":
            let heads = v.items(ref.section).filter { $0["relation"] == Self.headRelation }.count
            if raw == Self.headRelation && heads > 1 { return [FieldMessage(ref, .error, sayBoth("model.survey.oneHead"))] }
        case "mustBeYes":
            if raw != "yes" { return [FieldMessage(ref, .error, sayBoth("model.survey.mustBeYes"))] }
        case "differsFrom":
            guard parts.count == 2 else { return [] }
            let other = v.fields[parts[1]]?.trimmingCharacters(in: .whitespaces) ?? ""
            if !other.isEmpty && other == raw {
                let other = spec.field(parts[1])
                return [FieldMessage(ref, .error, sayBoth("model.survey.samePerson", ["other_zh": other?.zh ?? parts[1], "other_en": other?.en ?? parts[1]]))]
            }
        case "fitsProgramme":
            // Rural 低保 for villages, urban 低保 for communities (the region's kind).
            guard let p = v.fields["programme"].flatMap(Programme.init(rawValue:)), let level = regionLevels[raw] else { return [] }
            let name = codes["village"]?[raw]?.zh ?? raw
            if let why = programmeMisfit(p, place: name, level: level) { return [FieldMessage(ref, .error, why)] }
        case "oneMember":
            // One person (特困, 医疗): not "the whole household".
            if raw == "0" || Int(raw).map({ $0 < 1 || $0 > v.items("members").count }) != false {
                return [FieldMessage(ref, .error, sayBoth("model.form.chooseOneMember"))]
            }
        case "billAdds":
            // 基本医保 + 大病保险 + 政策范围内自付 within the 总费用 of the same bill.
            guard let i = ref.item, let item = v.groups[ref.section]?[i] else { return [] }
            func m(_ k: String) -> Money { Money(yuanText: item[k] ?? "") ?? .zero }
            let bill = MedicalBill(hospital: "", total: m("total"), basicInsurance: m("basic"), seriousIllnessInsurance: m("serious"),
                                   policySelfPaid: m("self_paid"))
            if let p = bill.problem { return [FieldMessage(ref, .error, p)] }
        case "phone":
            let digits = raw.filter { $0.isNumber }
            if digits.count != raw.filter({ $0 != "-" && $0 != " " }).count || !(7...12).contains(digits.count) {
                return [FieldMessage(ref, .error, sayBoth("model.survey.phone"))]
            }
        default: break
        }
        return []
    }

    /// A younger generation older than the head or the head's spouse is questioned, not refused.
    func relationMessages(_ ref: FieldRef, values v: FormValues) -> [FieldMessage] {
        guard let i = ref.item else { return [] }
        let items = v.items(ref.section)
        func birth(_ item: [String: String]) -> CivilDate? { item["id_number"].flatMap { IDNumber($0, today: today)?.birthDate } }
        let me = items[i]
        guard let rel = me["relation"], let gen = generations[rel], let myBirth = birth(me) else { return [] }
        var out: [FieldMessage] = []
        func both(_ key: String, _ relation: Text2, _ who: Text2, _ name: String) -> Text2 {
            sayBoth(key, ["relation_zh": relation.zh, "relation_en": relation.en, "who_zh": who.zh, "who_en": who.en, "name": name])
        }
        for (j, other) in items.enumerated() where j != i {
            guard let orel = other["relation"], orel == Self.headRelation || Self.spouseRelations.contains(orel),
                  let theirBirth = birth(other) else { continue }
            let who = sayBoth(orel == Self.headRelation ? "model.survey.theHead" : "model.survey.theHeadsSpouse")
            let name = other["name"] ?? ""
            if gen < 0 && myBirth < theirBirth {
                out.append(FieldMessage(ref, .warning, both("model.survey.youngerOlder", label("relationship", rel), who, name)))
            } else if gen > 0 && myBirth > theirBirth {
                out.append(FieldMessage(ref, .warning, both("model.survey.olderYounger", label("relationship", rel), who, name)))
            }
        }
        return out
    }

    public func label(_ list: String, _ code: String) -> Text2 { codes[list]?[code] ?? Text2(zh: code, en: code) }

    /// The codes a list offers, the members list made from the form itself.
    public func codeList(_ name: String, values v: FormValues) -> [String: Text2]? {
        if name == "members" {
            var out: [String: Text2] = [:]
            for (i, m) in v.items("members").enumerated() {
                let n = m["name"] ?? ""
                out[String(i + 1)] = n.isEmpty ? sayBoth("model.survey.memberN", ["n": String(i + 1)]) : Text2(zh: n, en: n)
            }
            out["0"] = sayBoth("model.survey.wholeHousehold")
            return out
        }
        return codes[name]
    }

    // MARK: the whole form

    /// Every problem, in the order of the form, as on save.
    public func checkAll(spec: FormSpec, values v: FormValues) -> [FieldMessage] {
        var out: [FieldMessage] = []
        for r in spec.refs(in: v) { out += check(r, spec: spec, values: v) }
        for s in spec.sections where spec.applies(s, in: v) {
            guard let rep = s.repeat else { continue }
            let n = v.items(s.id).count
            if n < rep.min {
                out.append(FieldMessage(FieldRef(section: s.id, field: s.fields.first?.id ?? ""), .error,
                                        sayBoth("model.survey.atLeast", ["section_zh": s.zh, "section_en": s.en, "n": String(rep.min)])))
            }
            if s.fields.contains(where: { ($0.checks ?? []).contains("oneHead") }) && n > 0 &&
                !v.items(s.id).contains(where: { $0["relation"] == Self.headRelation }) {
                out.append(FieldMessage(FieldRef(section: s.id, item: 0, field: "relation"), .error, sayBoth("model.survey.noHead")))
            }
        }
        return out
    }

    // MARK: figures

    /// A computed field's text. Lines drawn from the household's figures take `figures` when
    /// given (the stored ones of a submitted survey, or ones already worked out for this frame).
    public func computed(_ compute: String, ref: FieldRef, values v: FormValues, figures: SurveyFigures? = nil, lang: Lang) -> String {
        if let text = Self.describe(compute, figures: figures ?? (Self.figureComputations.contains(compute) ? self.figures(v) : nil), lang: lang) {
            return text
        }
        switch compute {
        case "age":
            guard let id = v[FieldRef(section: ref.section, item: ref.item, field: "id_number")].flatMap({ IDNumber($0, today: today) }) else { return "" }
            return say("model.survey.age", lang, ["age": String(id.age(on: today))])
        case "birthDate":
            return v[FieldRef(section: ref.section, item: ref.item, field: "id_number")].flatMap { IDNumber($0, today: today)?.birthDate.iso } ?? ""
        default: return ""
        }
    }

    static let figureComputations: Set<String> = ["membersCounted", "incomeCounted", "perCapitaMonthly", "assetTest"]

    /// The text of a computation drawn from figures, or nil for the others.
    static func describe(_ compute: String, figures f: SurveyFigures?, lang: Lang) -> String? {
        guard let f, figureComputations.contains(compute) else { return nil }
        switch compute {
        case "membersCounted":
            return say("model.survey.membersCounted", lang, ["counted": String(f.membersCounted), "listed": String(f.membersListed)])
        case "incomeCounted":
            return say("model.survey.incomeCounted", lang, ["counted": f.incomeCountedYearly.yuanString, "excluded": f.incomeExcludedYearly.yuanString])
        case "perCapitaMonthly":
            return say("model.survey.perCapita", lang, ["amount": f.perCapitaMonthly.yuanString])
        default:
            let failed = f.assets.filter { !$0.pass }
            if failed.isEmpty { return say("model.survey.withinLimits", lang) }
            return failed.map { $0.text(lang) }.joined(separator: say("model.survey.findingSeparator", lang))
        }
    }

    /// Members counted, counted income, per-capita monthly income and the asset test.
    public func figures(_ v: FormValues) -> SurveyFigures {
        let members = v.items("members")
        let counted = members.filter { ($0["co_resident"] ?? "yes") == "yes" && ($0["absent"] ?? "no") != "yes" }.count
        var inc = Money.zero, exc = Money.zero
        for row in v.items("income") {
            guard let a = row["amount"].flatMap({ Money(yuanText: $0) }) else { continue }
            if countedIncomeKinds.contains(row["kind"] ?? "") { inc = inc + a } else { exc = exc + a }
        }
        let divisor = Int64(12 * max(counted, 1))
        let perCapita = Money(fen: (inc.fen * 2 + divisor) / (2 * divisor))
        var assets: [AssetFinding] = []
        func money(_ id: String) -> Money { v.fields[id].flatMap { Money(yuanText: $0) } ?? .zero }
        func int(_ id: String) -> Int { v.fields[id].flatMap { Int($0) } ?? 0 }
        let financial = money("deposits") + money("securities")
        let limit = Money(fen: limits.financialPerPerson.fen * Int64(max(counted, 1)))
        func finding(_ item: String, _ key: String, _ pass: Bool, _ values: [String: String]) -> AssetFinding {
            let t = sayBoth(key, values)
            return AssetFinding(item: item, pass: pass, zh: t.zh, en: t.en)
        }
        assets.append(finding("financial", "model.survey.asset.financial", financial <= limit, ["amount": financial.yuanString, "cmp": financial <= limit ? "≤" : ">", "limit": limit.yuanString,
                                                                "perPerson": limits.financialPerPerson.yuanString, "n": String(max(counted, 1))]))
        let vehicles = int("vehicles")
        assets.append(finding("vehicles", "model.survey.asset.vehicles", vehicles <= limits.vehiclesMax, ["n": String(vehicles), "cmp": vehicles <= limits.vehiclesMax ? "≤" : ">", "limit": String(limits.vehiclesMax)]))
        let houses = int("houses")
        assets.append(finding("houses", "model.survey.asset.houses", houses <= limits.housesMax, ["n": String(houses), "cmp": houses <= limits.housesMax ? "≤" : ">", "limit": String(limits.housesMax)]))
        let business = v.fields["business"] == "yes"
        let b = sayBoth(business ? (limits.businessAllowed ? "model.survey.asset.businessAllowed" : "model.survey.asset.businessNotAllowed") : "model.survey.asset.noBusiness")
        assets.append(AssetFinding(item: "business", pass: !business || limits.businessAllowed, zh: b.zh, en: b.en))
        return SurveyFigures(membersListed: members.count, membersCounted: counted, incomeCountedYearly: inc,
                             incomeExcludedYearly: exc, perCapitaMonthly: perCapita, assets: assets)
    }
}
