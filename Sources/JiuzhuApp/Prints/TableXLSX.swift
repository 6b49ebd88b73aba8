import CXlsxWriter
import Foundation
import JiuzhuModel

/// A plain table as an Excel workbook (libxlsxwriter, constant-memory mode, so a selection of
/// 100,000 rows is streamed to disk rather than held): a title row, a bold header row frozen
/// and filtered, then the rows; cells in `numeric` columns that read as numbers are written as
/// numbers (amounts with two decimals). The file is 0600 (`PublicityXLSX.writePrivately`).
public enum TableXLSX {
    /// `rows` is called once with a sink taking one row at a time.
    public static func write(title: String, sheet: String, header: [String], numeric: Set<Int>, lang: Lang, to path: String,
                             force: Bool = true, rows: (([String]) throws -> Void) throws -> Void) throws {
        try PublicityXLSX.writePrivately(to: path, lang: lang, force: force) { temp, work in
            try build(title: title, sheet: sheet, header: header, numeric: numeric, lang: lang, to: temp, tmpdir: work, rows: rows)
        }
    }

    static func build(title: String, sheet: String, header: [String], numeric: Set<Int>, lang: Lang, to path: String, tmpdir: String,
                      rows: (([String]) throws -> Void) throws -> Void) throws {
        let xl = try PublicityXLSX.library(lang)
        let tmp = strdup(tmpdir)
        defer { free(tmp) }
        var options = lxw_workbook_options(constant_memory: 1, tmpdir: tmp, use_zip64: 1)
        guard let wb = xl.workbook_new_opt(path, &options) else {
            throw PublicityXLSX.Failure(message: say("print.xlsx.cannotCreate", lang, ["path": path]))
        }
        var closed = false
        defer { if !closed { xl.lxw_workbook_free(wb) } }
        guard let ws = xl.workbook_add_worksheet(wb, sheet) else {
            throw PublicityXLSX.Failure(message: say("print.xlsx.cannotAddSheet", lang))
        }
        func check(_ e: lxw_error) throws { if e != LXW_NO_ERROR { throw PublicityXLSX.libraryFailure(e, lang) } }
        let titleFormat = xl.workbook_add_format(wb)
        xl.format_set_bold(titleFormat); xl.format_set_font_size(titleFormat, 14)
        let headerFormat = xl.workbook_add_format(wb)
        xl.format_set_bold(headerFormat); xl.format_set_bottom(headerFormat, UInt8(LXW_BORDER_THIN.rawValue))
        let moneyFormat = xl.workbook_add_format(wb)
        xl.format_set_num_format(moneyFormat, "0.00")
        // Widths before any row (constant-memory mode writes rows as they come).
        var widths = header.map { Double(min(30, max(6, PublicText.width($0)))) + 2 }
        for c in numeric where widths.indices.contains(c) { widths[c] = max(widths[c], 10) }
        for (c, w) in widths.enumerated() { try check(xl.worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c), max(w, 12), nil)) }
        try check(xl.worksheet_write_string(ws, 0, 0, title, titleFormat))
        for (c, h) in header.enumerated() { try check(xl.worksheet_write_string(ws, 2, lxw_col_t(c), h, headerFormat)) }
        var row: lxw_row_t = 3
        try rows { cells in
            for (c, v) in cells.enumerated() {
                if numeric.contains(c), let d = Double(v) {
                    try check(xl.worksheet_write_number(ws, row, lxw_col_t(c), d, v.contains(".") ? moneyFormat : nil))
                } else if !v.isEmpty {
                    try check(xl.worksheet_write_string(ws, row, lxw_col_t(c), v, nil))
                }
            }
            row += 1
        }
        xl.worksheet_freeze_panes(ws, 3, 0)
        if !header.isEmpty { try check(xl.worksheet_autofilter(ws, 2, 0, max(2, row - 1), lxw_col_t(header.count - 1))) }
        xl.worksheet_set_landscape(ws)
        xl.worksheet_set_paper(ws, 9)
        xl.worksheet_fit_to_pages(ws, 1, 0)
        try check(xl.worksheet_repeat_rows(ws, 2, 2))
        closed = true
        try check(xl.workbook_close(wb))
    }
}
