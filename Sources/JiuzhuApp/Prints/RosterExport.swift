import Foundation
import JiuzhuModel
import JiuzhuStore

/// The bank's file of a payment roster: CSV (with BOM, for Excel) and XLSX, every line with the
/// payee's full ID number and bank card, the village and the amount, and the total. Internal: it
/// is never printed for the public (publicity lists come from `PublicLine`, which has no such
/// fields); the files are 0600 and the caller audits the export.
public enum RosterExport {
    public static func header(_ lang: Lang) -> [String] {
        ["index", "village", "payee", "idNumber", "bankCard", "persons", "amount", "case", "backPay"].map { say("print.roster.col." + $0, lang) }
    }

    public static func title(_ r: PaymentRoster, township: String, lang: Lang) -> String {
        let month = r.month.split(separator: "-")
        return say(r.state == .confirmed ? "print.roster.title" : "print.roster.titleDraft", lang,
                   ["township": township, "year_zh": String(month.first ?? ""), "month_zh": String(Int(month.last ?? "") ?? 0), "month_en": r.month,
                    "programme": r.programme.label(lang)])
    }

    /// Write `stem`.csv and `stem`.xlsx; their paths.
    public static func write(_ r: PaymentRoster, lines: [PaymentLine], township: String, lang: Lang, stem: String,
                             force: Bool = true, anchor: String? = nil) throws -> [String] {
        let header = header(lang)
        let rows: [[String]] = lines.enumerated().map { i, l in
            [String(i + 1), l.village, l.payeeName, l.payeeId, l.bankCard ?? say("print.roster.noCard", lang),
             String(l.persons), l.amount.yuanString, String(l.caseId), l.backPay.fen == 0 ? "" : l.backPay.yuanString]
        }
        let total = [say("print.roster.total", lang), "", say("print.roster.households", lang, ["n": String(r.lines)]), "", "",
                     String(r.persons), r.total.yuanString, "", r.backPay.yuanString]
        var text = CSVWriter.bom + CSVWriter.line([title(r, township: township, lang: lang)]) + CSVWriter.line(header)
        for row in rows { text += CSVWriter.line(row) }
        text += CSVWriter.line(total)
        // The audit chain's head when this was written: a later truncation of the log shows.
        let anchorRow = anchor.map { [say("print.roster.anchor", lang, ["hash": $0])] }
        if let a = anchorRow { text += CSVWriter.line(a) }
        if force == false, FileManager.default.fileExists(atPath: stem + ".xlsx") { throw StoreError.fileExists(path: stem + ".xlsx") }
        try SurveyPrint.writePrivate(text, to: stem + ".csv", force: force)
        // The ID and card numbers stay text (a number would lose digits in Excel).
        try TableXLSX.write(title: title(r, township: township, lang: lang), sheet: say("print.roster.sheet", lang), header: header,
                            numeric: [0, 5, 6, 8], lang: lang, to: stem + ".xlsx", force: force) { sink in
            for row in rows { try sink(row) }
            try sink(total)
            if let a = anchorRow { try sink(a + Array(repeating: "", count: max(0, header.count - 1))) }
        }
        return [stem + ".csv", stem + ".xlsx"]
    }

    /// A county file's roster as one roster per township (issue 25 item 4): `stem-<township
    /// code>`.csv and .xlsx for each township in `towns` (all of the roster's, or the one asked
    /// for), each with that township's lines, its name in the title and its own totals.
    public static func writeByTownship(_ r: PaymentRoster, store: Store, towns: [PaymentTownshipTotal], lang: Lang, stem: String,
                                       force: Bool = true, anchor: String? = nil) throws -> [String] {
        var paths: [String] = []
        for t in towns {
            paths += try write(t.roster(r), lines: try store.rosterLines(id: r.id, township: t.code), township: t.name, lang: lang,
                               stem: stem + "-" + t.code, force: force, anchor: anchor)
        }
        return paths
    }

    /// `prints/roster-YYYY-MM-programme` beside the database (the temporary folder for a database in memory).
    public static func stem(_ r: PaymentRoster, besides databasePath: String) throws -> String {
        try PrintsFolder.url(besides: databasePath).appendingPathComponent("roster-\(r.month)-\(r.programme.rawValue)").path
    }
}
