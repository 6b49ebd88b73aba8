import Foundation
import JiuzhuModel
import JiuzhuStore

/// A ledger written from the database in the columns `jiuzhu import` reads (the template's), as
/// CSV with a BOM for Excel: one row per person, names in `lang`, full ID numbers (the caller
/// checks the administrator's password and audits it).
public enum LedgerExport {
    public static func writeCSV(store: Store, vocabulary v: LedgerVocabulary, reference: ReferenceData, lang: Lang, to path: String,
                                force: Bool) throws -> Int {
        func names(_ kind: String) -> [String: String] {
            Dictionary((reference.codes[kind] ?? []).map { ($0.code, lang == .zh ? $0.zh : $0.en) }, uniquingKeysWith: { a, _ in a })
        }
        let relation = names("relationship"), ethnicity = names("ethnicity"), health = names("health")
        let disability = names("disability_type"), work = names("work_ability")
        var n = 0
        try SafeFile.stream(to: path, force: force) { w in
            try w.write(CSVWriter.bom)
            try w.write(CSVWriter.line(LedgerTemplate.fields.map { v.label($0)(lang) }))
            try store.forEachLedgerRow { r in
                let p = r.person
                let values: [LedgerField: String] = [
                    .village: r.village, .headName: r.headName, .name: p.name, .idNumber: p.idNumber,
                    .relation: relation[p.relation] ?? p.relation, .ethnicity: ethnicity[p.ethnicity] ?? p.ethnicity,
                    .health: health[p.health.rawValue] ?? p.health.rawValue,
                    .disabilityType: p.disabilityType.map { disability[$0] ?? $0 } ?? "",
                    .disabilityLevel: p.disabilityLevel.map(String.init) ?? "",
                    .workAbility: work[p.workAbility.rawValue] ?? p.workAbility.rawValue,
                    .address: r.address, .phone: r.phone ?? "",
                    .programme: r.programme.map { $0.label(lang) } ?? "", .persons: r.persons.map(String.init) ?? "",
                    .amount: r.amount?.yuanString ?? "", .start: r.start?.iso ?? "",
                ]
                try w.write(CSVWriter.line(LedgerTemplate.fields.map { values[$0] ?? "" }))
                n += 1
            }
        }
        return n
    }
}
