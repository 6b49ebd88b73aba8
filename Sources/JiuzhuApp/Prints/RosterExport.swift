import Foundation
import JiuzhuModel
import JiuzhuStore

/// The bank's file of a payment roster: CSV (with BOM, for Excel) and XLSX, every line with the
/// payee's full ID number and bank card, the village and the amount, and the total. Internal: it
/// is never printed for the public (publicity lists come from `PublicLine`, which has no such
/// fields); the files are 0600 and the caller audits the export.
public enum RosterExport {
    public static func header(_ lang: Lang) -> [String] {
        lang == .zh ? ["序号", "村/社区", "收款人", "身份证号", "银行卡号", "保障人数", "金额(元)", "案件号", "其中补发(元)"]
                    : ["No.", "Village", "Payee", "ID number", "Bank card", "Persons", "Amount (yuan)", "Case", "Of it back pay"]
    }

    public static func title(_ r: PaymentRoster, township: String, lang: Lang) -> String {
        let month = r.month.split(separator: "-")
        if lang == .zh {
            return "\(township) \(month.first ?? "")年\(Int(month.last ?? "") ?? 0)月 \(r.programme.label(.zh))发放名册"
                + (r.state == .confirmed ? "" : "(草稿,未确认)") + " — 内部资料,含完整身份证号和银行卡号,不得张贴"
        }
        return "\(township) \(r.month) \(r.programme.label(.en)) payment roster" + (r.state == .confirmed ? "" : " (draft, not confirmed)")
            + " — internal: full ID and card numbers, never to be posted"
    }

    /// Write `stem`.csv and `stem`.xlsx; their paths.
    public static func write(_ r: PaymentRoster, lines: [PaymentLine], township: String, lang: Lang, stem: String,
                             force: Bool = true, anchor: String? = nil) throws -> [String] {
        let header = header(lang)
        let rows: [[String]] = lines.enumerated().map { i, l in
            [String(i + 1), l.village, l.payeeName, l.payeeId, l.bankCard ?? (lang == .zh ? "(无卡)" : "(no card)"),
             String(l.persons), l.amount.yuanString, String(l.caseId), l.backPay.fen == 0 ? "" : l.backPay.yuanString]
        }
        let total = [lang == .zh ? "合计" : "Total", "", lang == .zh ? "\(r.lines) 户" : "\(r.lines) households", "", "",
                     String(r.persons), r.total.yuanString, "", r.backPay.yuanString]
        var text = CSVWriter.bom + CSVWriter.line([title(r, township: township, lang: lang)]) + CSVWriter.line(header)
        for row in rows { text += CSVWriter.line(row) }
        text += CSVWriter.line(total)
        // The audit chain's head when this was written: a later truncation of the log shows.
        let anchorRow = anchor.map { [(lang == .zh ? "审计链头 " : "Audit chain head ") + $0] }
        if let a = anchorRow { text += CSVWriter.line(a) }
        if force == false, FileManager.default.fileExists(atPath: stem + ".xlsx") { throw StoreError.fileExists(path: stem + ".xlsx") }
        try SurveyPrint.writePrivate(text, to: stem + ".csv", force: force)
        // The ID and card numbers stay text (a number would lose digits in Excel).
        try TableXLSX.write(title: title(r, township: township, lang: lang), sheet: lang == .zh ? "发放名册" : "Roster", header: header,
                            numeric: [0, 5, 6, 8], lang: lang, to: stem + ".xlsx", force: force) { sink in
            for row in rows { try sink(row) }
            try sink(total)
            if let a = anchorRow { try sink(a + Array(repeating: "", count: max(0, header.count - 1))) }
        }
        return [stem + ".csv", stem + ".xlsx"]
    }

    /// `prints/roster-YYYY-MM-programme` beside the database (the temporary folder for a database in memory).
    public static func stem(_ r: PaymentRoster, besides databasePath: String) throws -> String {
        try PrintsFolder.url(besides: databasePath).appendingPathComponent("roster-\(r.month)-\(r.programme.rawValue)").path
    }
}
