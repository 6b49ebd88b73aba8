import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// 资助参保名单: the year's list of persons whose 城乡居民医保 premium the assistance fund pays
/// (国办发〔2021〕42号), for the 医保 office: A4 text within 80 columns and CSV, ID numbers masked.
public enum PremiumPrint {
    /// The text lines: title, as-of date, the list by village, totals per category, the seal line.
    public static func text(_ list: PremiumList, office: Office?, lang: Lang) -> String {
        func t(_ key: String, _ v: [String: String] = [:]) -> String { say(key, lang, v) }
        var out: [String] = []
        let title = t("print.premium.title", ["year": String(list.year), "township": office?.townshipName ?? ""])
        out.append(TextWidth.fit(String(repeating: " ", count: max(0, (80 - title.displayWidth) / 2)) + title, 80))
        out.append(t("print.premium.asOf", ["date": list.asOf.iso, "n": String(list.lines.count), "total": list.total.yuanString]))
        out.append("")
        let widths = [5, 12, 10, 18, 12, 8, 8]
        func row(_ cells: [String]) -> String {
            zip(cells, widths).map { TextWidth.fit($0, $1, ellipsis: true) }.joined(separator: " ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        out.append(row([t("print.premium.col.index"), t("print.premium.col.village"), t("print.premium.col.name"), t("print.premium.col.id"),
                        t("print.premium.col.category"), t("print.premium.col.premium"), t("print.premium.col.subsidy")]))
        out.append(String(repeating: "-", count: 79))
        for (i, l) in list.lines.enumerated() {
            out.append(row([String(i + 1), l.village, l.name, Masking.idNumber(l.idNumber), categoryShort(l.category, lang),
                            l.premium.yuanString, l.subsidy.yuanString]))
        }
        out.append(String(repeating: "-", count: 79))
        for c in MedicalCategory.allCases where list.count(c) > 0 {
            out.append(t("print.premium.subtotal", ["category": categoryShort(c, lang), "n": String(list.count(c)), "total": list.total(c).yuanString]))
        }
        out.append(t("print.premium.total", ["n": String(list.lines.count), "total": list.total.yuanString]))
        for c in list.missingRates {
            out.append(t("print.premium.noRate", ["category": categoryShort(c, lang), "year": String(list.year)]))
        }
        out.append("")
        out.append(t("print.premium.basis"))
        out.append(t("print.premium.seal", ["township": office?.townshipName ?? ""]))
        return out.joined(separator: "\n") + "\n"
    }

    /// The category as a list column says it.
    static func categoryShort(_ c: MedicalCategory, _ lang: Lang) -> String {
        switch c {
        case .tekun: return say("print.premium.cat.tekun", lang)
        case .dibao: return say("print.premium.cat.dibao", lang)
        case .lowIncome: return say("print.premium.cat.lowIncome", lang)
        case .spending: return say("print.premium.cat.spending", lang)
        }
    }

    public static func csv(_ list: PremiumList, lang: Lang) -> String {
        func t(_ key: String) -> String { say(key, lang) }
        var out = CSVWriter.bom
        out += CSVWriter.line([t("print.premium.col.index"), t("print.premium.col.village"), t("print.premium.col.name"), t("print.premium.col.id"),
                               t("print.premium.col.category"), t("print.premium.col.premium"), t("print.premium.col.subsidy")])
        for (i, l) in list.lines.enumerated() {
            out += CSVWriter.line([String(i + 1), l.village, l.name, Masking.idNumber(l.idNumber), categoryShort(l.category, lang),
                                   l.premium.yuanString, l.subsidy.yuanString])
        }
        return out
    }

    /// Both files into `prints/` beside the database (0600); their paths.
    public static func write(_ list: PremiumList, office: Office?, besides dbPath: String, lang: Lang) throws -> [String] {
        let dir = try PrintsFolder.url(besides: dbPath)
        let name = "premium-subsidy-\(list.year)-asof-\(list.asOf.iso)"
        var out: [String] = []
        for (ext, text) in [("txt", self.text(list, office: office, lang: lang)), ("csv", csv(list, lang: lang))] {
            let path = dir.appendingPathComponent("\(name).\(ext)").path
            try SurveyPrint.writePrivate(text, to: path)
            out.append(path)
        }
        return out
    }
}
