import Foundation

/// Dates as text in fixed formats through the C library (strftime, localtime_r, timegm).
/// Foundation's Calendar and date formatters load ICU's locale and calendar data on first use,
/// 5–10 MB of the app's resident memory, for formats that never change with the locale.
public enum ClockText {
    /// `2026-11-23T08:30:00Z`: what ISO8601DateFormatter's `.withInternetDateTime` wrote, so
    /// stored timestamps read and compare as before.
    public static func utc(_ d: Date) -> String { format(d, "%Y-%m-%dT%H:%M:%SZ", utc: true) }

    /// Reads what `utc` writes.
    public static func parseUTC(_ s: String) -> Date? {
        let u = Array(s.utf8)
        guard u.count == 20, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"), u[10] == UInt8(ascii: "T"),
              u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":"), u[19] == UInt8(ascii: "Z") else { return nil }
        func n(_ r: Range<Int>) -> Int32? { Int32(String(decoding: u[r], as: UTF8.self)) }
        guard let y = n(0..<4), let mo = n(5..<7), let d = n(8..<10), let h = n(11..<13), let mi = n(14..<16), let se = n(17..<19)
        else { return nil }
        var t = tm()
        t.tm_year = y - 1900; t.tm_mon = mo - 1; t.tm_mday = d; t.tm_hour = h; t.tm_min = mi; t.tm_sec = se
        return Date(timeIntervalSince1970: TimeInterval(timegm(&t)))
    }

    /// Local time in a strftime format (`%Y-%m-%d %H:%M`).
    public static func local(_ d: Date, _ f: String) -> String { format(d, f, utc: false) }

    /// Today's date in the machine's time zone: (year, month, day).
    public static func today() -> (year: Int, month: Int, day: Int) {
        var t = time(nil)
        var parts = tm()
        localtime_r(&t, &parts)
        return (Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
    }

    static func format(_ d: Date, _ f: String, utc: Bool) -> String {
        var t = time_t(d.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        if utc { gmtime_r(&t, &parts) } else { localtime_r(&t, &parts) }
        var buf = [CChar](repeating: 0, count: 64)
        let n = strftime(&buf, buf.count, f, &parts)
        return String(decoding: buf[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
