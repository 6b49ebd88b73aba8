import Foundation
import GRDB
import JiuzhuModel

/// Writing CSV that Excel opens: UTF-8 with a BOM, CRLF line ends, fields quoted when needed.
public enum CSVWriter {
    public static let bom = "\u{FEFF}"
    public static func line(_ fields: [String]) -> String {
        // Tested on the UTF-8 bytes: the quoting characters are ASCII, and comparing Characters
        // (grapheme clusters) cost half of `export cases` (issue 26).
        var out = ""
        out.reserveCapacity(fields.reduce(2) { $0 + $1.utf8.count + 3 })
        for (i, f) in fields.enumerated() {
            if i > 0 { out += "," }
            let u = f.utf8
            var needsQuotes = u.first == 32 || u.last == 32
            if !needsQuotes { needsQuotes = u.contains { (b: UInt8) -> Bool in b == 44 || b == 34 || b == 10 || b == 13 } }
            if needsQuotes {
                out += "\""
                out += u.contains(34) ? f.replacingOccurrences(of: "\"", with: "\"\"") : f
                out += "\""
            } else {
                // A leading = + - @ would make Excel evaluate the cell; an ID as text keeps its digits.
                if let c: UInt8 = u.first, c == 61 || c == 43 || c == 45 || c == 64 { out += "'" }
                out += f
            }
        }
        out += "\r\n"
        return out
    }
}

extension Store {
    public static var householdExportHeader: Text2 { sayBoth("store.export.householdHeader") }

    /// Every household in village order, streamed (never all in memory). IDs are masked unless
    /// `unmasked` — callers audit an unmasked export.
    public func forEachHouseholdForExport(unmasked: Bool, _ body: ([String]) throws -> Void) throws {
        try read { db in
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT h.head_name, h.head_id, r.name AS village, h.member_count, h.programmes, h.address
                FROM household h JOIN region r ON r.code = h.village_code
                ORDER BY h.village_code, h.head_py, h.id
                """)
            while let r = try cursor.next() {
                let id: String = r["head_id"]
                try body([r["head_name"], unmasked ? id : Masking.idNumber(id), r["village"],
                          String(r["member_count"] as Int), r["programmes"], r["address"]])
            }
        }
    }

    /// Record that someone exported full ID numbers.
    public func auditUnmaskedExport(by user: String, what: String, rows: Int) throws {
        try write { db in
            try Audit.append(db, user: user, action: "export.unmasked", entity: "export", entityId: what,
                             detail: Audit.detail(["rows": String(rows)]))
        }
    }
}
