import Foundation

/// One worksheet as a grid of texts: `rows[i]` is the spreadsheet's row i + 1, `rows[i][j]` its
/// column j + 1 ("" for an empty cell). A merged range's value stands in each of its cells, so a
/// header cell merged over two rows, or a village merged down a household's member rows, reads
/// the same in every cell it covers.
public struct SheetGrid: Sendable, Equatable {
    public var name: String
    public var rows: [[String]]
    public init(name: String, rows: [[String]]) { self.name = name; self.rows = rows }

    public func cell(_ row: Int, _ column: Int) -> String {
        guard rows.indices.contains(row), rows[row].indices.contains(column) else { return "" }
        return rows[row][column]
    }
}

/// A spreadsheet file as the office made it: the kind found from its bytes (not its name), and
/// for a CSV the character set it was written in.
public struct SheetFile: Sendable {
    public enum Kind: String, Sendable { case xlsx, xls, csv }
    public var kind: Kind
    /// "UTF-8", "UTF-8 BOM" or "GB18030" for a CSV; nil for a workbook.
    public var encoding: String?
    public var sheets: [SheetGrid]
}

/// Why a file could not be read at all (each turned into words by the caller).
public enum SheetReadError: Error, Equatable, Sendable {
    case missing(path: String)
    case empty(path: String)
    /// Neither UTF-8 nor GB18030 text.
    case notText(path: String)
    /// A quotation mark out of place in a CSV, at about this line.
    case badQuotes(path: String, line: Int?)
    /// A workbook that its library could not open (damaged, encrypted, not really that kind).
    case unreadable(path: String, kind: SheetFile.Kind, detail: String)
}

public enum SheetReader {
    /// GB18030 as Foundation names it (kCFStringEncodingGB_18030_2000 as an NSStringEncoding);
    /// Foundation on Linux decodes it through ICU (checked by a test with a GBK fixture).
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    /// Read every worksheet of `path`: .xlsx (Excel, WPS), .xls (Excel 97–2003) or CSV, told
    /// apart by their first bytes.
    public static func read(_ path: String) throws -> SheetFile {
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: path) else { throw SheetReadError.missing(path: path) }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw SheetReadError.missing(path: path) }
        let head = (try? handle.read(upToCount: 8)) ?? Data()
        try? handle.close()
        if head.isEmpty { throw SheetReadError.empty(path: path) }
        let bytes = [UInt8](head)
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return SheetFile(kind: .xlsx, encoding: nil, sheets: try XLSXReader.read(url))
        }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return SheetFile(kind: .xls, encoding: nil, sheets: try XLSReader.read(path))
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw SheetReadError.missing(path: path) }
        let (text, encoding) = try decode(data, path: path)
        let name = url.deletingPathExtension().lastPathComponent
        return SheetFile(kind: .csv, encoding: encoding, sheets: [SheetGrid(name: name, rows: try CSVGrid.parse(text, path: path))])
    }

    /// UTF-8 with or without a byte-order mark, else GB18030 (GBK is a subset): what Excel and
    /// WPS write as "CSV" on a Chinese Windows.
    static func decode(_ data: Data, path: String) throws -> (String, String) {
        if data.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let s = String(data: data.dropFirst(3), encoding: .utf8) else { throw SheetReadError.notText(path: path) }
            return (s, "UTF-8 BOM")
        }
        if let s = String(data: data, encoding: .utf8) { return (s, "UTF-8") }
        if let s = String(data: data, encoding: gb18030) { return (s, "GB18030") }
        throw SheetReadError.notText(path: path)
    }
}

/// Column letters of a cell reference ("AB12" → 27, 0-based) and its row (1-based).
enum CellRef {
    static func parse(_ ref: String) -> (row: Int, column: Int)? {
        var col = 0, row = 0, seenDigit = false
        for u in ref.utf8 {
            if u >= 65 && u <= 90 && !seenDigit { col = col * 26 + Int(u - 64) }
            else if u >= 97 && u <= 122 && !seenDigit { col = col * 26 + Int(u - 96) }
            else if u >= 48 && u <= 57 { seenDigit = true; row = row * 10 + Int(u - 48) }
            else if u == 36 { continue }   // $A$1
            else { return nil }
        }
        guard col > 0, row > 0 else { return nil }
        return (row, col - 1)
    }
}

extension SheetGrid {
    /// Spread each merged range's top-left value over its cells. `ranges` are 0-based inclusive
    /// (first row, first column, last row, last column).
    mutating func fillMerged(_ ranges: [(Int, Int, Int, Int)]) {
        for (r0, c0, r1, c1) in ranges where r1 >= r0 && c1 >= c0 && r1 - r0 < 10_000 && c1 - c0 < 500 {
            let v = cell(r0, c0)
            guard !v.isEmpty else { continue }
            for r in r0...r1 {
                while rows.count <= r { rows.append([]) }
                if rows[r].count <= c1 { rows[r] += Array(repeating: "", count: c1 + 1 - rows[r].count) }
                for c in c0...c1 where rows[r][c].isEmpty { rows[r][c] = v }
            }
        }
    }
}
