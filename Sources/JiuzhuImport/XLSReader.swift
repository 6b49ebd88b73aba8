import CFreeXL
import Foundation

/// An Excel 97–2003 workbook (.xls, BIFF8) through Debian's FreeXL. FreeXL gives each cell's
/// value (a merged range's value stands in its first cell only; the others read empty, which
/// the ledger's header and fill-down rules take as they come).
enum XLSReader {
    static func read(_ path: String) throws -> [SheetGrid] {
        var handle: UnsafeRawPointer?
        let opened = freexl_open(path, &handle)
        guard opened == FREEXL_OK, let h = handle else {
            if let h = handle { freexl_close(h) }
            throw SheetReadError.unreadable(path: path, kind: .xls, detail: "FreeXL error \(opened)")
        }
        defer { freexl_close(h) }
        var count: UInt32 = 0
        guard freexl_get_info(h, UInt16(FREEXL_BIFF_SHEET_COUNT), &count) == FREEXL_OK else {
            throw SheetReadError.unreadable(path: path, kind: .xls, detail: "no worksheet count")
        }
        var sheets: [SheetGrid] = []
        for i in 0..<min(count, 255) {
            var namePtr: UnsafePointer<CChar>?
            let name = freexl_get_worksheet_name(h, UInt16(i), &namePtr) == FREEXL_OK ? namePtr.map { String(cString: $0) } ?? "" : ""
            guard freexl_select_active_worksheet(h, UInt16(i)) == FREEXL_OK else { continue }
            var rows: UInt32 = 0
            var cols: UInt16 = 0
            guard freexl_worksheet_dimensions(h, &rows, &cols) == FREEXL_OK else { continue }
            var grid: [[String]] = []
            grid.reserveCapacity(Int(rows))
            for r in 0..<rows {
                var line = [String](repeating: "", count: Int(cols))
                for c in 0..<cols {
                    var v = FreeXL_CellValue()
                    guard freexl_get_cell_value(h, r, c, &v) == FREEXL_OK else { continue }
                    line[Int(c)] = text(v)
                }
                while let last = line.last, last.isEmpty { line.removeLast() }
                grid.append(line)
            }
            sheets.append(SheetGrid(name: name, rows: grid))
        }
        return sheets
    }

    static func text(_ v: FreeXL_CellValue) -> String {
        switch Int32(v.type) {
        case FREEXL_CELL_INT: return String(v.value.int_value)
        case FREEXL_CELL_DOUBLE: return XLSXReader.number(v.value.double_value)
        case FREEXL_CELL_TEXT, FREEXL_CELL_SST_TEXT, FREEXL_CELL_DATE, FREEXL_CELL_DATETIME, FREEXL_CELL_TIME:
            return v.value.text_value.map { String(cString: $0) } ?? ""
        default: return ""
        }
    }
}
