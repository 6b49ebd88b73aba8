import Foundation
import SwiftCSV

/// A problem in one of the reference files, named so that a county clerk can find and fix it:
/// `standards.csv line 7: amount_yuan "5x0" is not an amount`.
public struct ReferenceDataError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    public var file: String
    /// 1-based line in the file as a text editor counts it (the header is line 1); nil when
    /// the problem is with the file as a whole.
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file; self.line = line; self.message = message
    }

    public var description: String {
        if let line { return "\(file) line \(line): \(message)" }
        return "\(file): \(message)"
    }
    public var errorDescription: String? { description }
}

/// One reference CSV file, read the way Excel writes it: UTF-8 with or without a BOM (or
/// GB18030, which is what Excel's plain "CSV" gives on a Chinese Windows), CRLF or LF, quoted
/// fields, blank rows. Columns are found by header name, so their order does not matter and
/// extra columns (notes) are ignored.
struct ReferenceCSV {
    struct Row {
        let line: Int
        private let fields: [String: String]
        init(line: Int, fields: [String: String]) { self.line = line; self.fields = fields }
        /// The trimmed field, "" when the column is absent or the row is short.
        subscript(_ column: String) -> String { fields[column] ?? "" }
    }

    let file: String
    let header: [String]
    let rows: [Row]

    /// GB18030 as Foundation names it (kCFStringEncodingGB_18030_2000 as an NSStringEncoding).
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    init(directory: URL, file: String, required: [String]) throws {
        let url = directory.appendingPathComponent(file)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ReferenceDataError(file: file, message: "the file is missing from \(directory.path)")
        }
        guard var text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: Self.gb18030) else {
            throw ReferenceDataError(file: file, message: "the file is neither UTF-8 nor GB18030 text; in Excel use Save As \"CSV UTF-8\"")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        try self.init(file: file, text: text, required: required)
    }

    init(file: String, text: String, required: [String]) throws {
        self.file = file
        let csv: EnumeratedCSV
        do {
            csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false)
        } catch {
            throw ReferenceDataError(file: file, line: Self.lineOfQuoteError(in: text),
                                     message: "a quotation mark is out of place (a field with a comma or quote must be wholly in \"double quotes\", and a quote inside it doubled \"\")")
        }
        let head = csv.header
        let parsed = csv.rows
        header = head.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        if header.allSatisfy(\.isEmpty) {
            throw ReferenceDataError(file: file, line: 1, message: "the header row is empty; it must name the columns \(required.joined(separator: ", "))")
        }
        var seen = Set<String>()
        for h in header where !h.isEmpty {
            if !seen.insert(h).inserted {
                throw ReferenceDataError(file: file, line: 1, message: "column \"\(h)\" appears twice in the header")
            }
        }
        for r in required where !seen.contains(r) {
            throw ReferenceDataError(file: file, line: 1, message: "the header has no column \"\(r)\" (it has: \(header.joined(separator: ", ")))")
        }

        // SwiftCSV's rows start after the header; each row took one line plus one more for
        // every line break inside a quoted field.
        var line = 2 + Self.newlines(in: head)
        var out: [Row] = []
        for fields in parsed {
            let rowLine = line
            line += 1 + Self.newlines(in: fields)
            let trimmed = fields.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            if trimmed.allSatisfy(\.isEmpty) { continue }   // blank row, or one Excel left as ",,,"
            if trimmed.count > header.count, let extra = trimmed[header.count...].first(where: { !$0.isEmpty }) {
                throw ReferenceDataError(file: file, line: rowLine,
                                         message: "the row has a value (\"\(extra)\") beyond the \(header.count) columns of the header")
            }
            var dict: [String: String] = [:]
            for (i, h) in header.enumerated() where !h.isEmpty && i < trimmed.count { dict[h] = trimmed[i] }
            out.append(Row(line: rowLine, fields: dict))
        }
        rows = out
    }

    func error(_ row: Row, _ message: String) -> ReferenceDataError {
        ReferenceDataError(file: file, line: row.line, message: message)
    }

    private static func newlines(in fields: [String]) -> Int {
        fields.reduce(0) { n, f in n + f.reduce(0) { $0 + ($1.isNewline ? 1 : 0) } }
    }

    /// SwiftCSV does not say where a quoting error is; parse ever longer prefixes to find the
    /// first line that fails. Reference files are small, so this costs nothing that matters.
    private static func lineOfQuoteError(in text: String) -> Int? {
        var prefix = ""
        var line = 0
        for l in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            line += 1
            prefix += l
            prefix += "\n"
            if (try? EnumeratedCSV(string: prefix, delimiter: .comma, loadColumns: false)) == nil { return line }
        }
        return nil
    }
}
