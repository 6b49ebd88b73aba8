import Foundation

/// A calendar date without time or zone (birth dates, decision dates, posting windows).
public struct CivilDate: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CivilDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    /// "19850312"
    public init?(compact s: String) {
        guard s.count == 8, s.allSatisfy({ $0.isASCII && $0.isNumber }),
              let y = Int(s.prefix(4)), let m = Int(s.dropFirst(4).prefix(2)), let d = Int(s.suffix(2)) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// "1985-03-12" (also accepts "1985/3/12", "1985.3.12" and "19850312")
    public init?(iso s: String) {
        // The stored form (YYYY-MM-DD) read from its bytes: exports read two dates a row, and
        // Foundation's trimming cost a fifth of `export cases` (issue 26).
        let u = s.utf8
        if u.count == 10 {
            // (three numbers, not an array: no allocation per date)
            var y = 0, m = 0, d = 0
            var ok = true
            for (i, b) in u.enumerated() {
                if i == 4 || i == 7 {
                    if b != UInt8(ascii: "-") { ok = false; break }
                } else if b >= 48 && b <= 57 {
                    let v = Int(b - 48)
                    if i < 4 { y = y * 10 + v } else if i < 7 { m = m * 10 + v } else { d = d * 10 + v }
                } else { ok = false; break }
            }
            if ok { self.init(year: y, month: m, day: d); return }
        }
        let t = s.trimmingCharacters(in: .whitespaces)
        if t.count == 8, !t.contains(where: { !$0.isNumber }) { self.init(compact: t); return }
        let parts = t.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." })
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
    public static func daysIn(month m: Int, year y: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Written without Foundation's formatter (microseconds a call): dates are drawn on every frame.
    public var compact: String { DemoText.digits(year, width: 4) + DemoText.digits(month, width: 2) + DemoText.digits(day, width: 2) }
    public var iso: String { DemoText.iso(self) }
    public var description: String { iso }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.dayNumber < b.dayNumber }

    /// Days since 1970-01-01 (proleptic Gregorian).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init(dayNumber z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    public func adding(days n: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + n) }
    public func days(until other: CivilDate) -> Int { other.dayNumber - dayNumber }

    public func adding(months n: Int) -> CivilDate {
        let total = year * 12 + (month - 1) + n
        let y = total / 12, m = total % 12 + 1
        return CivilDate(year: y, month: m, day: min(day, CivilDate.daysIn(month: m, year: y)))!
    }

    /// 0 = Monday ... 6 = Sunday.
    public var weekday: Int { ((dayNumber % 7) + 7 + 3) % 7 }

    /// Whole years from this date to `date`.
    public func age(on date: CivilDate) -> Int {
        var a = date.year - year
        if (date.month, date.day) < (month, day) { a -= 1 }
        return a
    }

    /// Today in the machine's time zone; `JIUZHU_TODAY=YYYY-MM-DD` fixes it (tests, demos).
    public static var today: CivilDate {
        if let fixed = ProcessInfo.processInfo.environment["JIUZHU_TODAY"], let d = CivilDate(iso: fixed) { return d }
        // Through the C library, not Calendar (which loads ICU's calendar data): see ClockText.
        let t = ClockText.today()
        return CivilDate(year: t.year, month: t.month, day: t.day)!
    }
}
