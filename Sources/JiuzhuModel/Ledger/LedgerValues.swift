import Foundation

/// Values as people type them in a spreadsheet.
public enum LedgerValues {
    /// A cell without the white space around it. Most cells have none, which their two ends
    /// show without Foundation's trimming (a 30,000-person roll reads each cell several times).
    public static func trimmed(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return s }
        let ws = CharacterSet.whitespacesAndNewlines
        if !ws.contains(first) && !ws.contains(last) { return s }
        return s.trimmingCharacters(in: ws)
    }

    /// A date in the forms offices use: 2023-5-1, 2023/05/01, 2023.5.1, 2023年5月1日, 20230501,
    /// a month alone (2023.5, 2023-05, 2023年5月, 202305: its first day), or an Excel serial
    /// number (days since 1899-12-30, as a date cell reads without its format).
    public static func date(_ text: String) -> CivilDate? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { return nil }
        if t.allSatisfy({ $0.isASCII && $0.isNumber }) {
            if t.count == 8 { return CivilDate(compact: t) }
            if t.count == 6, let y = Int(t.prefix(4)), let m = Int(t.suffix(2)) { return CivilDate(year: y, month: m, day: 1) }
            if (1...5).contains(t.count), let n = Int(t), n >= 3_000 { return serial(Double(n)) }
            return nil
        }
        // "45047.0", a serial written as a decimal
        if let d = Double(t), t.contains("."), d >= 3_000, d < 100_000, t.split(separator: ".").last.map({ $0.allSatisfy { $0 == "0" } }) == true {
            return serial(d)
        }
        // A date-time ("2023-05-01 00:00:00", "2023/5/1 0:00"): the date part.
        let datePart = t.split(separator: " ").first.map(String.init) ?? t
        var parts: [Int] = []
        var current = ""
        for ch in datePart {
            if ch.isASCII && ch.isNumber { current.append(ch) }
            else {
                if !current.isEmpty { parts.append(Int(current) ?? -1); current = "" }
            }
        }
        if !current.isEmpty { parts.append(Int(current) ?? -1) }
        guard parts.count == 2 || parts.count == 3, parts[0] >= 1900, parts[0] <= 2100 else { return nil }
        return CivilDate(year: parts[0], month: parts[1], day: parts.count == 3 ? parts[2] : 1)
    }

    /// Excel's day number (the 1900 system: day 60 is the 1900-02-29 that never was).
    static func serial(_ d: Double) -> CivilDate? {
        let n = Int(d.rounded(.down))
        guard n >= 61, n < 100_000, let base = CivilDate(year: 1899, month: 12, day: 30) else { return nil }
        return base.adding(days: n)
    }

    /// An amount in yuan: 525, 525.5, 1,525.00, 525元, ¥525, "525 元".
    public static func money(_ text: String) -> Money? {
        var t = text.filter { !$0.isWhitespace }
        // "525元/月": the unit after the slash.
        if let slash = t.firstIndex(of: "/") { t = String(t[..<slash]) }
        if let d = Double(t), t.contains("E") || t.contains("e") { t = String(format: "%.2f", d) }
        // A decimal written by a spreadsheet with float noise ("525.29999999999995").
        if let dot = t.firstIndex(of: "."), t[t.index(after: dot)...].count > 2, let d = Double(t.replacingOccurrences(of: ",", with: "")) {
            let cents = (d * 100).rounded()
            guard abs(d * 100 - cents) < 0.0001 else { return nil }
            t = String(format: "%.2f", cents / 100)
        }
        return Money(yuanText: t)
    }

    /// A whole number ("3", "3人", "3.0").
    public static func count(_ text: String) -> Int? {
        var t = text.trimmingCharacters(in: .whitespaces)
        while let last = t.last, !(last.isASCII && last.isNumber) && last != "." { t.removeLast() }
        if t.hasSuffix(".0") { t.removeLast(2) }
        return Int(t)
    }

    /// An ID number that a spreadsheet turned into a number (4.10123199001E+17): its last
    /// digits are gone and cannot be read back.
    public static func isMangledNumber(_ text: String) -> Bool {
        let t = text.uppercased()
        return t.contains("E+") && Double(t) != nil
    }
}
