import Foundation
import SwiftCSV

/// A CSV's rows as a grid, its header row included (the header is found later, by meaning: a
/// title row or blank rows may come first). Excel's ways are kept: CRLF, quoted fields with
/// line breaks, rows cut short.
enum CSVGrid {
    static func parse(_ text: String, path: String) throws -> [[String]] {
        let csv: EnumeratedCSV
        do {
            csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false)
        } catch {
            throw SheetReadError.badQuotes(path: path, line: lineOfQuoteError(in: text))
        }
        return [csv.header] + csv.rows
    }

    /// SwiftCSV does not say where a quoting error is: the first line whose prefix fails.
    static func lineOfQuoteError(in text: String) -> Int? {
        var prefix = ""
        var line = 0
        for l in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            line += 1
            prefix += l
            prefix += "\n"
            if line > 5_000 { return nil }
            if (try? EnumeratedCSV(string: prefix, delimiter: .comma, loadColumns: false)) == nil { return line }
        }
        return nil
    }
}
