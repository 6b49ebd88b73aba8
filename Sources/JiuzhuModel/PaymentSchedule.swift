import Foundation

/// A calendar month ("YYYY-MM"), the unit a monthly benefit is paid in.
public struct PayMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// year × 12 + month − 1.
    public var index: Int
    public init(year: Int, month: Int) { index = year * 12 + month - 1 }
    public init(index: Int) { self.index = index }
    public init(_ date: CivilDate) { self.init(year: date.year, month: date.month) }
    /// "YYYY-MM" with a real month, else nil.
    public init?(_ s: String) {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]),
              (2000...2100).contains(y), (1...12).contains(m) else { return nil }
        self.init(year: y, month: m)
    }
    public var year: Int { index / 12 }
    public var month: Int { index % 12 + 1 }
    public var description: String { String(format: "%04d-%02d", year, month) }
    public var firstDay: CivilDate { CivilDate(year: year, month: month, day: 1)! }
    public var lastDay: CivilDate { CivilDate(year: year, month: month, day: CivilDate.daysIn(month: month, year: year))! }
    public func adding(_ n: Int) -> PayMonth { PayMonth(index: index + n) }
    public static func < (a: PayMonth, b: PayMonth) -> Bool { a.index < b.index }
}

/// One record of a case that bears on what it is paid, in the order recorded.
public struct PayEvent: Equatable, Sendable {
    public enum Kind: String, Sendable {
        /// The decision (approval at the programme's decision step): on the roll at its amount.
        case decision
        /// 动态调整 or 提标普调: a new amount.
        case adjust
        /// 停保 (取消 / 清退): off the roll.
        case terminate
        case suspend, resume
    }
    public var kind: Kind
    /// The day it was decided (the step record's date).
    public var on: CivilDate
    /// The month from which it applies: for a decision, adjustment or resumption the month the
    /// office pays from (`PaymentRules`), unless the record names its own (提标普调 from the
    /// standard's month); for a stop or suspension the month after.
    public var from: PayMonth
    public var monthly: Int64?
    public var covered: Int?
    public init(kind: Kind, on: CivilDate, from: PayMonth, monthly: Int64? = nil, covered: Int? = nil) {
        self.kind = kind; self.on = on; self.from = from; self.monthly = monthly; self.covered = covered
    }
}

/// When a monthly benefit is paid. 民政部《最低生活保障审核确认办法》(民发〔2021〕57号) leaves the
/// first month to the county: most pay from the month after the decision (the office's setting
/// `payment_start_months`, 1), some from the month of it (0). A stop or suspension ends payment
/// from the month after it (the month it is decided in is still paid).
public struct PaymentRules: Equatable, Sendable {
    /// Months after the decision's month that payment starts (0 or 1).
    public var startMonths: Int
    public init(startMonths: Int = 1) { self.startMonths = max(0, startMonths) }
    public static let settingKey = "payment_start_months"

    public static func from(_ settings: [String: String]) -> PaymentRules {
        PaymentRules(startMonths: settings[settingKey].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 1)
    }

    /// The month a decision, adjustment or resumption of `date` is paid from.
    public func startMonth(decidedOn date: CivilDate) -> PayMonth { PayMonth(date).adding(startMonths) }
    /// The first month a stop or suspension of `date` is no longer paid (停发月份).
    public func stopMonth(decidedOn date: CivilDate) -> PayMonth { PayMonth(date).adding(1) }

    /// The event a step record makes, or nil when it does not bear on payment. `decision` says
    /// whether an approval is at the programme's decision step; `fromMonth` is the record's own
    /// month to apply from (`effectiveMonth`, 提标普调), if any.
    public func event(action: String, decision: Bool, on: CivilDate, monthly: Int64?, covered: Int?, fromMonth: String?) -> PayEvent? {
        switch action {
        case "approve" where decision:
            // A decision on record from an office's ledger names the month it was paid from.
            return PayEvent(kind: .decision, on: on, from: fromMonth.flatMap(PayMonth.init) ?? startMonth(decidedOn: on),
                            monthly: monthly, covered: covered)
        case "adjust":
            return PayEvent(kind: .adjust, on: on, from: fromMonth.flatMap(PayMonth.init) ?? startMonth(decidedOn: on),
                            monthly: monthly, covered: covered)
        case "terminate": return PayEvent(kind: .terminate, on: on, from: stopMonth(decidedOn: on))
        case "suspend": return PayEvent(kind: .suspend, on: on, from: stopMonth(decidedOn: on))
        case "resume": return PayEvent(kind: .resume, on: on, from: startMonth(decidedOn: on))
        default: return nil
        }
    }

    /// What a case is due for `month`: its records in the order recorded, each taken when the
    /// month is on or after the one it applies from; the last word wins. Nil: nothing due.
    public static func due(_ events: [PayEvent], month: PayMonth) -> (amount: Int64, persons: Int)? {
        var onRoll = false, paying = false
        var amount: Int64 = 0, persons = 0
        for e in events where e.from <= month {
            switch e.kind {
            case .decision:
                onRoll = true; paying = true
                amount = e.monthly ?? amount; persons = e.covered ?? persons
            case .adjust:
                amount = e.monthly ?? amount; persons = e.covered ?? persons
            case .terminate: onRoll = false; paying = false
            case .suspend: paying = false
            case .resume: paying = onRoll
            }
        }
        guard paying, amount > 0 else { return nil }
        return (amount, persons)
    }

    /// The amount decided for a case as it stands (what the case row caches): that of the last
    /// decision or adjustment recorded, nil when there is none.
    public static func decidedAmount(_ events: [PayEvent]) -> Int64? {
        events.last { $0.kind == .decision || $0.kind == .adjust }?.monthly
    }
}
