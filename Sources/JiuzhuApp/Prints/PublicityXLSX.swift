import CXlsxWriter
import Foundation
import JiuzhuModel
import JiuzhuStore

/// The public document of a posting as an Excel workbook, written by Debian's libxlsxwriter:
/// the title merged across the table, the posting dates, a bold bordered header row repeated on
/// every printed page, one row per line, the totals, the complaint line and the office with the
/// seal and date. A4, fitted to one page wide, the print area covering all of it.
///
/// Like `PublicityRender`, it prints the document's fields and nothing else; masking is enforced
/// by `PublicLine`'s type. The file is readable by its owner only (0600): the library writes it
/// inside a fresh directory of mode 0700 beside `path`, and it is moved into place after chmod.
public enum PublicityXLSX {
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var message: String
        public var description: String { message }
    }

    public static func write(_ doc: PublicityDocument, lang: Lang, to path: String, force: Bool = true) throws {
        try writePrivately(to: path, lang: lang, force: force) { temp, work in try build(doc, lang: lang, to: temp, tmpdir: work) }
    }

    /// Make a workbook readable by its owner only: `build` writes it (and its scratch files)
    /// inside a fresh 0700 directory beside `path`; it is chmod 0600 there, then moved into place.
    static func writePrivately(to path: String, lang: Lang, force: Bool = true, build: (_ temp: String, _ workDir: String) throws -> Void) throws {
        try SafeFile.check(path, force: force)
        let target = URL(fileURLWithPath: path)
        let dir = target.deletingLastPathComponent().path
        var template = Array((dir + "/.xlsx-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Failure(message: say("print.xlsx.cannotWrite", lang, ["dir": dir, "why": String(cString: strerror(errno))]))
        }
        let work = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let temp = work + "/workbook.xlsx"
        do { try build(temp, work) }
        catch {
            // The library's own error hides a full disk: say it plainly.
            var fs = statvfs()
            if statvfs(dir, &fs) == 0, fs.f_bavail == 0 { throw StoreError.fileDiskFull(path: path) }
            throw error
        }
        // 0600, flushed to the disk, then named (never over an existing file without force).
        try SafeFile.place(temp, at: path, force: force)
    }


    /// libxlsxwriter's functions, the library opened on the first workbook (not at start: it
    /// and the libcrypto it pulls in are a clerk's memory otherwise, issue 26); a clear error if
    /// it is not installed.
    static func library(_ lang: Lang) throws -> jz_xlsx {
        guard let table = jz_xlsx_library() else {
            throw Failure(message: say("print.xlsx.libraryMissing", lang, ["why": jz_xlsx_error().map { String(cString: $0) } ?? ""]))
        }
        return table.pointee
    }

    static func libraryFailure(_ e: lxw_error, _ lang: Lang) -> Failure {
        let why = jz_xlsx_library().flatMap { $0.pointee.lxw_strerror(e) }.map { String(cString: $0) } ?? "\(e.rawValue)"
        return Failure(message: say("print.xlsx.failed", lang, ["why": why]))
    }

    /// Column width in Excel's units (about one digit each): the widest cell's display width,
    /// a Chinese character counting 2, plus room for the padding.
    static func columnWidths(_ doc: PublicityDocument, rows: [[String]], lang: Lang) -> [Double] {
        doc.columns.indices.map { c in
            let widest = ([doc.columns[c].title(lang)] + rows.map { $0[c] }).map { PublicText.width($0) }.max() ?? 4
            return Double(min(40, max(6, widest))) + 2
        }
    }

    static func build(_ doc: PublicityDocument, lang: Lang, to path: String, tmpdir: String) throws {
        let xl = try PublicityXLSX.library(lang)
        let tmp = strdup(tmpdir)
        defer { free(tmp) }
        var options = lxw_workbook_options(constant_memory: 0, tmpdir: tmp, use_zip64: 0)
        guard let wb = xl.workbook_new_opt(path, &options) else {
            throw Failure(message: say("print.xlsx.cannotCreate", lang, ["path": path]))
        }
        var closed = false
        defer { if !closed { xl.lxw_workbook_free(wb) } }
        guard let ws = xl.workbook_add_worksheet(wb, say("print.xlsx.publicitySheet", lang)) else {
            throw Failure(message: say("print.xlsx.cannotAddSheet", lang))
        }
        func check(_ e: lxw_error) throws { if e != LXW_NO_ERROR { throw libraryFailure(e, lang) } }
        func format(_ set: (UnsafeMutablePointer<lxw_format>?) -> Void) -> UnsafeMutablePointer<lxw_format>? {
            let f = xl.workbook_add_format(wb)
            set(f)
            return f
        }
        let border = UInt8(LXW_BORDER_THIN.rawValue)
        let center = UInt8(LXW_ALIGN_CENTER.rawValue), right = UInt8(LXW_ALIGN_RIGHT.rawValue)
        let vcenter = UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue)
        let titleFormat = format { xl.format_set_bold($0); xl.format_set_font_size($0, 16); xl.format_set_align($0, center); xl.format_set_align($0, vcenter) }
        let datesFormat = format { xl.format_set_align($0, center) }
        let headerFormat = format { xl.format_set_bold($0); xl.format_set_border($0, border); xl.format_set_align($0, center); xl.format_set_align($0, vcenter); xl.format_set_text_wrap($0) }
        let textFormat = format { xl.format_set_border($0, border) }
        let intFormat = format { xl.format_set_border($0, border); xl.format_set_num_format($0, "0") }
        let moneyFormat = format { xl.format_set_border($0, border); xl.format_set_num_format($0, "0.00") }
        let totalsText = format { xl.format_set_bold($0); xl.format_set_border($0, border) }
        let totalsInt = format { xl.format_set_bold($0); xl.format_set_border($0, border); xl.format_set_num_format($0, "0") }
        let totalsMoney = format { xl.format_set_bold($0); xl.format_set_border($0, border); xl.format_set_num_format($0, "0.00") }
        let wrapFormat = format { xl.format_set_text_wrap($0); xl.format_set_align($0, vcenter) }
        let sealFormat = format { xl.format_set_align($0, right) }

        let rows = PublicityRender.rows(doc, lang: lang)
        let columns = doc.columns.isEmpty ? [PublicColumn.name] : doc.columns
        let lastCol = lxw_col_t(columns.count - 1)
        func line(_ row: lxw_row_t, _ text: String, _ f: UnsafeMutablePointer<lxw_format>?) throws {
            if lastCol > 0 {
                try check(xl.worksheet_merge_range(ws, row, 0, row, lastCol, text, f))
            } else {
                try check(xl.worksheet_write_string(ws, row, 0, text, f))
            }
        }

        try line(0, doc.title, titleFormat)
        try check(xl.worksheet_set_row(ws, 0, 28, nil))
        try line(1, PublicityRender.datesLine(doc, lang: lang), datesFormat)
        let headerRow: lxw_row_t = 2
        for (c, col) in doc.columns.enumerated() {
            try check(xl.worksheet_write_string(ws, headerRow, lxw_col_t(c), col.title(lang), headerFormat))
        }
        var row = headerRow + 1
        for (i, l) in doc.lines.enumerated() {
            for (c, col) in doc.columns.enumerated() {
                let cc = lxw_col_t(c)
                switch col {
                case .index: try check(xl.worksheet_write_number(ws, row, cc, Double(i + 1), intFormat))
                case .persons: try check(xl.worksheet_write_number(ws, row, cc, Double(l.persons), intFormat))
                case .perCapita, .monthly, .amount:
                    if let m = col == .perCapita ? l.perCapita : l.monthly {
                        try check(xl.worksheet_write_number(ws, row, cc, Double(m.fen) / 100, moneyFormat))
                    } else {
                        try check(xl.worksheet_write_blank(ws, row, cc, moneyFormat))
                    }
                default:
                    try check(xl.worksheet_write_string(ws, row, cc, rows[i][c], textFormat))
                }
            }
            row += 1
        }
        // Totals: numbers under persons and monthly; the words before the first of them, or on a
        // row of their own when the table starts with one.
        let numericTotals = doc.columns.indices.filter { doc.columns[$0] == .persons || doc.columns[$0] == .monthly || doc.columns[$0] == .amount }
        if let first = numericTotals.first, first > 0 {
            let label = say("print.xlsx.totalHouseholds", lang, ["n": String(doc.lines.count)])
            for c in doc.columns.indices where !numericTotals.contains(c) && c > first {
                try check(xl.worksheet_write_blank(ws, row, lxw_col_t(c), totalsText))
            }
            if first > 1 {
                try check(xl.worksheet_merge_range(ws, row, 0, row, lxw_col_t(first - 1), label, totalsText))
            } else {
                try check(xl.worksheet_write_string(ws, row, 0, label, totalsText))
            }
            for c in numericTotals {
                if doc.columns[c] == .persons {
                    try check(xl.worksheet_write_number(ws, row, lxw_col_t(c), Double(doc.totalPersons), totalsInt))
                } else {
                    try check(xl.worksheet_write_number(ws, row, lxw_col_t(c), Double(doc.totalMonthly.fen) / 100, totalsMoney))
                }
            }
        } else {
            try line(row, PublicityRender.totalsLine(doc, lang: lang), totalsText)
        }
        row += 2
        let complaint = PublicityRender.complaintLine(doc, lang: lang)
        if !complaint.isEmpty {
            try line(row, complaint, wrapFormat)
            let width = columnWidths(doc, rows: rows, lang: lang).reduce(0, +)
            let needed = Double(PublicText.width(complaint)) / max(1, width)
            try check(xl.worksheet_set_row(ws, row, 15 * max(1, ceil(needed)), nil))
            row += 2
        }
        try line(row, doc.office, sealFormat)
        row += 1
        try line(row, PublicityRender.sealLine(doc, lang: lang), sealFormat)

        for (c, w) in columnWidths(doc, rows: rows, lang: lang).enumerated() {
            try check(xl.worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c), w, nil))
        }
        try check(xl.worksheet_print_area(ws, 0, 0, row, lastCol))
        try check(xl.worksheet_repeat_rows(ws, headerRow, headerRow))
        xl.worksheet_set_paper(ws, 9)  // A4
        xl.worksheet_set_portrait(ws)
        xl.worksheet_fit_to_pages(ws, 1, 0)
        xl.worksheet_center_horizontally(ws)
        try check(xl.worksheet_set_footer(ws, "&C" + say("model.publicity.page", lang, ["page": "&P", "pages": "&N"])))

        closed = true  // workbook_close frees the workbook whatever it returns
        try check(xl.workbook_close(wb))
    }
}
