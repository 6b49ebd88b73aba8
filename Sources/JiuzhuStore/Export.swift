import Foundation
import GRDB
import JiuzhuModel

/// Writing CSV that Excel opens: UTF-8 with a BOM, CRLF line ends, fields quoted when needed.
public enum CSVWriter {
    public static let bom = "\u{FEFF}"
    public static func line(_ fields: [String]) -> String {
        var l = CSVLine(capacity: fields.reduce(2) { $0 + $1.utf8.count + 3 })
        for f in fields { l.append(f) }
        l.end()
        return String(decoding: l.bytes, as: UTF8.self)
    }
}

/// One CSV line built on UTF-8 bytes, field by field (what `CSVWriter.line` gives, without an
/// array of fields or a String per line: the export's hot loop, issue 26). The quoting
/// characters are ASCII, so a field is tested and copied byte by byte. A field may also be
/// encoded once (`encoded`) and appended as is, for a column whose values repeat (a label).
public struct CSVLine: Sendable {
    public private(set) var bytes: [UInt8] = []
    private var fields = 0

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// Start the next line in the same storage.
    public mutating func clear() { bytes.removeAll(keepingCapacity: true); fields = 0 }

    public mutating func append(_ field: String) {
        var f = field
        f.withUTF8 { append(utf8: $0) }
    }

    public mutating func append(_ n: Int) {
        separate()
        CSVLine.encode(utf8Digits: n, into: &bytes)
    }

    /// A field's UTF-8 bytes, quoted when needed.
    public mutating func append(utf8 u: UnsafeBufferPointer<UInt8>) {
        separate()
        CSVLine.encode(u, into: &bytes)
    }

    /// A field encoded beforehand by `encoded`.
    public mutating func append(encoded: [UInt8]) {
        separate()
        bytes.append(contentsOf: encoded)
    }

    /// A date as `CivilDate.iso` writes it (digits first: never quoted nor guarded).
    public mutating func append(_ d: CivilDate) {
        separate()
        CSVLine.digits(d.year, 4, into: &bytes); bytes.append(45)
        CSVLine.digits(d.month, 2, into: &bytes); bytes.append(45)
        CSVLine.digits(d.day, 2, into: &bytes)
    }

    /// An amount as `Money.yuanString` writes it ("412.50", "-3.05" guarded as any field
    /// starting with '-').
    public mutating func append(yuan m: Money) {
        separate()
        if m.fen < 0 { bytes.append(39); bytes.append(45) }
        let a = m.fen.magnitude
        CSVLine.encode(utf8Digits: Int(a / 100), into: &bytes)
        bytes.append(46)
        CSVLine.digits(Int(a % 100), 2, into: &bytes)
    }

    /// The line's end (CRLF).
    public mutating func end() { bytes.append(13); bytes.append(10) }

    /// One field as it appears in a line (quoted, or guarded against a formula), without the comma.
    public static func encoded(_ field: String) -> [UInt8] {
        var out: [UInt8] = []
        var f = field
        f.withUTF8 { encode($0, into: &out) }
        return out
    }

    private mutating func separate() {
        if fields > 0 { bytes.append(44) }
        fields += 1
    }

    static func encode(_ u: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var needsQuotes = u.first == 32 || u.last == 32
        var hasQuote = false
        if !needsQuotes {
            for b in u where b == 44 || b == 34 || b == 10 || b == 13 {
                needsQuotes = true
                if b == 34 { hasQuote = true }
                break
            }
        }
        if needsQuotes {
            if !hasQuote { hasQuote = u.contains(34) }
            out.append(34)
            if hasQuote {
                for b in u { out.append(b); if b == 34 { out.append(34) } }
            } else {
                out.append(contentsOf: u)
            }
            out.append(34)
        } else {
            // A leading = + - @ would make Excel evaluate the cell; an ID as text keeps its digits.
            if let c = u.first, c == 61 || c == 43 || c == 45 || c == 64 { out.append(39) }
            out.append(contentsOf: u)
        }
    }

    /// A whole number in decimal, as `String(n)` writes it (guarded as any field starting with '-').
    static func encode(utf8Digits n: Int, into out: inout [UInt8]) {
        if n < 0 { out.append(39); out.append(45) }
        let m = n.magnitude
        var width = 1, p: UInt = 10
        while width < 20 && m >= p { width += 1; let (q, o) = p.multipliedReportingOverflow(by: 10); if o { break }; p = q }
        digits(m, width, into: &out)
    }

    /// `v` in exactly `width` decimal digits, zero-padded (`v` must fit).
    static func digits<I: BinaryInteger>(_ v: I, _ width: Int, into out: inout [UInt8]) {
        let start = out.count
        for _ in 0..<width { out.append(48) }
        var x = v, i = start + width - 1
        while i >= start && x > 0 { out[i] = UInt8(48 + x % 10); x /= 10; i -= 1 }
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
