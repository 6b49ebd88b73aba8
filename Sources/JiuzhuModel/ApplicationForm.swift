import Foundation

/// Between the application form's values and the records they become: a household, its
/// members, and back (an existing household picked into a new application).
public enum ApplicationForm {
    public static let formId = "application"

    public static func household(_ v: FormValues, id: Int64? = nil, version: Int = 1) -> Household {
        let f = v.fields
        func yes(_ k: String) -> Bool { f[k] == "yes" }
        let causes = (f["causes"] ?? "").split(separator: ",").map(String.init)
        return Household(id: id, villageCode: f["village"] ?? "", address: f["address"] ?? "",
                         hukou: HukouType(rawValue: f["hukou"] ?? "") ?? .local,
                         phone: nonEmpty(f["phone"]), bankCard: yes("paid_by_card") ? nonEmpty(f["bank_card"]) : nil,
                         housing: Housing(rawValue: f["housing"] ?? "") ?? .own, housingArea: f["housing_area"].flatMap { Int($0) },
                         dilapidated: yes("dilapidated"), causes: causes, cadreRelative: yes("cadre_relative"), version: version)
    }

    /// The members as persons; nil for any member whose ID number does not parse (the form's
    /// checks refuse such a form before it gets here).
    public static func members(_ v: FormValues, today: CivilDate) -> [Person]? {
        var out: [Person] = []
        for m in v.items("members") {
            guard let id = IDNumber(m["id_number"] ?? "", today: today) else { return nil }
            let health = Health(rawValue: m["health"] ?? "") ?? .healthy
            out.append(Person(name: (m["name"] ?? "").trimmingCharacters(in: .whitespaces), idNumber: id.value,
                              relation: m["relation"] ?? "", sex: Sex(rawValue: m["sex"] ?? "") ?? id.sex, birthDate: id.birthDate,
                              ethnicity: m["ethnicity"] ?? "01", coResident: (m["co_resident"] ?? "yes") == "yes", health: health,
                              disabilityType: health == .disabled ? nonEmpty(m["disability_type"]) : nil,
                              disabilityLevel: health == .disabled ? m["disability_level"].flatMap { Int($0) } : nil,
                              workAbility: WorkAbility(rawValue: m["work_ability"] ?? "") ?? .full,
                              student: m["student"] == "yes", youfu: m["youfu"] == "yes", absent: m["absent"] == "yes"))
        }
        return out
    }

    /// Fill the household and member sections from records, as when an existing household is
    /// picked. Fields the records do not hold (income, assets, investigation) are kept.
    public static func fill(_ v: inout FormValues, household h: Household, members: [Person]) {
        func yn(_ b: Bool) -> String { b ? "yes" : "no" }
        v.fields["household"] = h.id.map(String.init)
        v.fields["household_version"] = String(h.version)
        v.fields["village"] = h.villageCode
        v.fields["address"] = h.address
        v.fields["hukou"] = h.hukou.rawValue
        v.fields["phone"] = h.phone ?? ""
        v.fields["paid_by_card"] = yn(h.bankCard != nil)
        v.fields["bank_card"] = h.bankCard ?? ""
        v.fields["housing"] = h.housing.rawValue
        v.fields["housing_area"] = h.housingArea.map(String.init) ?? ""
        v.fields["dilapidated"] = yn(h.dilapidated)
        v.fields["causes"] = h.causes.joined(separator: ",")
        v.fields["cadre_relative"] = yn(h.cadreRelative)
        v.groups["members"] = members.map { p in
            var m: [String: String] = ["name": p.name, "id_number": p.idNumber, "relation": p.relation, "sex": p.sex.rawValue,
                                       "ethnicity": p.ethnicity, "co_resident": yn(p.coResident), "health": p.health.rawValue,
                                       "work_ability": p.workAbility.rawValue, "student": yn(p.student), "youfu": yn(p.youfu),
                                       "absent": yn(p.absent)]
            if let t = p.disabilityType { m["disability_type"] = t }
            if let l = p.disabilityLevel { m["disability_level"] = String(l) }
            return m
        }
    }

    /// A short name for a draft: programme, head, village.
    /// In the language the draft is saved in (`lang`), as its programme and village labels are.
    public static func title(_ v: FormValues, programmeLabel: String, villageLabel: String, lang: Lang) -> String {
        let members = v.items("members")
        let head = members.first { $0["relation"] == SurveyRules.headRelation } ?? members.first
        let name = (head?["name"] ?? "").trimmingCharacters(in: .whitespaces)
        return [programmeLabel, name.isEmpty ? say("model.form.noName", lang) : name, villageLabel].filter { !$0.isEmpty }.joined(separator: " · ")
    }

    static func nonEmpty(_ s: String?) -> String? {
        guard let t = s?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
        return t
    }
}
