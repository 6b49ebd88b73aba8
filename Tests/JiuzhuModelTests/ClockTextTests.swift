import Foundation
@testable import JiuzhuModel
import Testing

/// The C-library clock texts write and read exactly what Foundation's formatters did, so stored
/// timestamps (audit rows, lock-outs) read and compare as before.
struct ClockTextTests {
    @Test func utcIsWhatISO8601DateFormatterWrote() {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        for seconds in [0.0, 951_782_400, 1_795_422_600.9, 4_102_444_799] {
            let d = Date(timeIntervalSince1970: seconds)
            #expect(ClockText.utc(d) == iso.string(from: d))
            #expect(ClockText.parseUTC(ClockText.utc(d)) == iso.date(from: iso.string(from: d)))
        }
        #expect(ClockText.parseUTC("2026-11-23 08:30:00") == nil)
        #expect(ClockText.parseUTC("") == nil)
    }

    @Test func localTimeAndTodayAreWhatCalendarSays() {
        let d = Date()
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd HH:mm"
        #expect(ClockText.local(d, "%Y-%m-%d %H:%M") == f.string(from: d))
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone.current, from: Date())
        let t = ClockText.today()
        #expect(t.year == c.year && t.month == c.month && t.day == c.day)
    }
}
