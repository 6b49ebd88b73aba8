import Foundation

/// A date named by the State Council's yearly holiday notice (国务院办公厅关于部分节假日安排的通知):
/// either a day off, or a weekend day that is worked instead (调休上班).
public struct Holiday: Hashable, Codable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// 放假: no work, even on a weekday.
        case off
        /// 调休上班: a Saturday or Sunday that is a working day.
        case workday
    }

    public var date: CivilDate
    public var kind: Kind
    public var name: String

    public init(date: CivilDate, kind: Kind, name: String) {
        self.date = date; self.kind = kind; self.name = name
    }
}

/// Working-day arithmetic for statutory time limits (乡镇审核 15 个工作日, 县级审批 5 个工作日).
///
/// A day is a working day when it is Monday to Friday and not a holiday, or when it is a
/// weekend day the notice turns into a working day. Dates outside the years the notices
/// cover fall back to plain weekends, so a caller that cares can ask `covers(_:)` and warn.
public struct WorkingCalendar: Hashable, Sendable {
    private let kinds: [Int: Holiday.Kind]   // keyed by CivilDate.dayNumber
    /// The calendar years that have at least one holiday row.
    public let years: Set<Int>

    public init(holidays: [Holiday]) {
        var k: [Int: Holiday.Kind] = [:]
        for h in holidays { k[h.date.dayNumber] = h.kind }
        kinds = k
        years = Set(holidays.map(\.date.year))
    }

    /// True when the holiday notices for `date`'s year are known.
    public func covers(_ date: CivilDate) -> Bool { years.contains(date.year) }

    public func isWorkingDay(_ date: CivilDate) -> Bool {
        switch kinds[date.dayNumber] {
        case .off?: return false
        case .workday?: return true
        case nil: return date.weekday < 5
        }
    }

    /// The day `count` working days after `start`; the start day itself is not counted
    /// (期间开始之日不计算在内). A limit of 15 working days from a receipt date ends on the
    /// returned date. `count == 0` gives `start`; a negative count goes back in time.
    public func adding(workingDays count: Int, to start: CivilDate) -> CivilDate {
        var d = start
        var left = count.magnitude
        let step = count < 0 ? -1 : 1
        while left > 0 {
            d = d.adding(days: step)
            if isWorkingDay(d) { left -= 1 }
        }
        return d
    }

    /// Working days after `from` up to and including `to` (so the same day gives 0, and
    /// the deadline returned by `adding(workingDays: n, to: from)` gives n). Negative when
    /// `to` is before `from`.
    public func workingDays(from: CivilDate, to: CivilDate) -> Int {
        if to < from { return -workingDays(from: to, to: from) }
        var n = 0
        var d = from
        while d < to {
            d = d.adding(days: 1)
            if isWorkingDay(d) { n += 1 }
        }
        return n
    }
}
