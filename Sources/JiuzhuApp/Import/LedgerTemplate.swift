import CXlsxWriter
import Foundation
import JiuzhuModel
import JiuzhuStore

/// The workbook an office fills in (`jiuzhu import template -o FILE.xlsx`): one row per person,
/// the columns the import understands with an example household, the ID column kept as text,
/// and a sheet of the code lists (relationships, ethnicities, health, disability, work
/// ability, programmes) the values are checked against.
public enum LedgerTemplate {
    /// The columns, in the order written: those of `data/import_columns.csv` but the
    /// household-per-row ones (户主身份证号, 家庭人口).
    static let fields: [LedgerField] = [.village, .headName, .name, .idNumber, .relation, .ethnicity, .health, .disabilityType,
                                        .disabilityLevel, .workAbility, .address, .phone, .programme, .persons, .amount, .start]

    public static func make(at path: String, vocabulary v: LedgerVocabulary, reference: ReferenceData, lang: Lang, force: Bool) throws {
        try PublicityXLSX.writePrivately(to: path, lang: lang, force: force) { temp, work in
            try build(temp, tmpdir: work, vocabulary: v, reference: reference, lang: lang)
        }
    }

    static func build(_ path: String, tmpdir: String, vocabulary v: LedgerVocabulary, reference: ReferenceData, lang: Lang) throws {
        let xl = try PublicityXLSX.library(lang)
        let tmp = strdup(tmpdir)
        defer { free(tmp) }
        var options = lxw_workbook_options(constant_memory: 0, tmpdir: tmp, use_zip64: 0)
        guard let wb = xl.workbook_new_opt(path, &options) else {
            throw PublicityXLSX.Failure(message: say("import.template.cannotCreate", lang, ["path": path]))
        }
        var closed = false
        defer { if !closed { xl.lxw_workbook_free(wb) } }
        func check(_ e: lxw_error) throws { if e != LXW_NO_ERROR { throw PublicityXLSX.libraryFailure(e, lang) } }
        guard let ws = xl.workbook_add_worksheet(wb, say("import.template.sheet", lang)),
              let codes = xl.workbook_add_worksheet(wb, say("import.template.codeSheet", lang)) else {
            throw PublicityXLSX.Failure(message: say("import.template.cannotCreate", lang, ["path": path]))
        }
        let header = xl.workbook_add_format(wb)
        xl.format_set_bold(header); xl.format_set_bottom(header, UInt8(LXW_BORDER_THIN.rawValue)); xl.format_set_text_wrap(header)
        let text = xl.workbook_add_format(wb)
        xl.format_set_num_format(text, "@")
        let money = xl.workbook_add_format(wb)
        xl.format_set_num_format(money, "0.00")
        for (c, f) in fields.enumerated() {
            let label = v.label(f)(lang)
            try check(xl.worksheet_write_string(ws, 0, lxw_col_t(c), label, header))
            let width = f == .idNumber ? 21.0 : f == .address ? 24.0 : Double(max(8, PublicText.width(label) + 2))
            // The ID and phone columns as text: Excel would turn 18 digits into 4.1E+17.
            try check(xl.worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c), width, f == .idNumber || f == .phone ? text : nil))
        }
        // The example household: a head with 农村低保 for two, and a member.
        let head = IDNumber.make(region: "110101", birth: CivilDate(year: 1968, month: 3, day: 12)!, sequence: 31).value
        let member = IDNumber.make(region: "110101", birth: CivilDate(year: 1970, month: 8, day: 1)!, sequence: 42).value
        let rows: [[LedgerField: String]] = [
            [.village: say("import.template.example.village", lang), .headName: say("import.template.example.head", lang), .name: say("import.template.example.head", lang), .idNumber: head, .relation: say("import.template.example.headRelation", lang),
             .ethnicity: say("import.template.example.ethnicity", lang), .health: say("import.template.example.health", lang), .workAbility: say("import.template.example.workAbility", lang), .address: say("import.template.example.address", lang),
             .programme: Programme.ruralDibao.label(lang), .persons: "2", .amount: "560.00", .start: "2023-05-01"],
            [.village: say("import.template.example.village", lang), .headName: say("import.template.example.head", lang), .name: say("import.template.example.member", lang), .idNumber: member, .relation: say("import.template.example.memberRelation", lang),
             .ethnicity: say("import.template.example.ethnicity", lang), .health: say("import.template.example.memberHealth", lang), .disabilityType: say("import.template.example.disability", lang), .disabilityLevel: "2",
             .workAbility: say("import.template.example.memberWorkAbility", lang), .address: say("import.template.example.address", lang)],
        ]
        for (r, row) in rows.enumerated() {
            for (c, f) in fields.enumerated() {
                guard let value = row[f], !value.isEmpty else { continue }
                if f == .amount, let d = Double(value) {
                    try check(xl.worksheet_write_number(ws, lxw_row_t(r + 1), lxw_col_t(c), d, money))
                } else if f == .persons || f == .disabilityLevel, let n = Double(value) {
                    try check(xl.worksheet_write_number(ws, lxw_row_t(r + 1), lxw_col_t(c), n, nil))
                } else {
                    try check(xl.worksheet_write_string(ws, lxw_row_t(r + 1), lxw_col_t(c), value, f == .idNumber ? text : nil))
                }
            }
        }
        xl.worksheet_freeze_panes(ws, 1, 0)
        // The code lists, one column each: name (code).
        let lists: [(String, [String])] = [
            (v.label(.relation)(lang), (reference.codes["relationship"] ?? []).map { "\(lang == .zh ? $0.zh : $0.en) (\($0.code))" }),
            (v.label(.ethnicity)(lang), (reference.codes["ethnicity"] ?? []).map { "\(lang == .zh ? $0.zh : $0.en) (\($0.code))" }),
            (v.label(.health)(lang), (reference.codes["health"] ?? []).map { lang == .zh ? $0.zh : $0.en }),
            (v.label(.disabilityType)(lang), (reference.codes["disability_type"] ?? []).map { lang == .zh ? $0.zh : $0.en }),
            (v.label(.disabilityLevel)(lang), ["1", "2", "3", "4"]),
            (v.label(.workAbility)(lang), (reference.codes["work_ability"] ?? []).map { lang == .zh ? $0.zh : $0.en }),
            (v.label(.programme)(lang), [Programme.ruralDibao, .urbanDibao, .tekun].map { $0.label(lang) }),
            (v.label(.start)(lang), ["2023-05-01", "2023/5/1", "2023.5", "20230501"]),
        ]
        for (c, (title, values)) in lists.enumerated() {
            try check(xl.worksheet_write_string(codes, 0, lxw_col_t(c), title, header))
            try check(xl.worksheet_set_column(codes, lxw_col_t(c), lxw_col_t(c), 18, nil))
            for (r, value) in values.enumerated() { try check(xl.worksheet_write_string(codes, lxw_row_t(r + 1), lxw_col_t(c), value, nil)) }
        }
        xl.worksheet_freeze_panes(codes, 1, 0)
        closed = true
        try check(xl.workbook_close(wb))
    }
}
