import Foundation

/// An amount of money in integer fen (分). Never floating point.
public struct Money: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public var fen: Int64

    public init(fen: Int64) { self.fen = fen }
    public init(yuan: Int64) { self.fen = yuan * 100 }
    public static let zero = Money(fen: 0)

    /// Parse "412.5", "412.50", "-3", "1,234.00", "¥12" as yuan. Nil when it is not an amount
    /// or has more than two decimals.
    /// The largest amount a person may enter anywhere (an income, a benefit): 99,999,999.99
    /// yuan; a larger figure is a typing slip, refused with the field named.
    public static let largestEntered = Money(fen: 9_999_999_999)

    public init?(yuanText: String) {
        var t = yuanText.trimmingCharacters(in: .whitespaces)
        t = t.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "，", with: "")
        if t.hasPrefix("¥") || t.hasPrefix("￥") { t.removeFirst() }
        if t.hasSuffix("元") { t.removeLast() }
        var negative = false
        if t.hasPrefix("-") { negative = true; t.removeFirst() }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2,
              let whole = parts.first, !whole.isEmpty, whole.allSatisfy({ $0.isASCII && $0.isNumber }),
              whole.count <= 15, let w = Int64(whole) else { return nil }
        var frac: Int64 = 0
        if parts.count == 2 {
            let f = parts[1]
            guard f.count <= 2, f.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            frac = f.isEmpty ? 0 : Int64(f.count == 1 ? f + "0" : String(f))!
        }
        fen = (w * 100 + frac) * (negative ? -1 : 1)
    }

    /// "412.50"
    public var yuanString: String {
        let sign = fen < 0 ? "-" : ""
        let a = fen.magnitude
        let cents = a % 100
        return "\(sign)\(a / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// "412.50 元" / "412.50 yuan"
    public func formatted(_ lang: Lang) -> String { say("model.money.yuan", lang, ["amount": yuanString]) }

    /// Amount in 万元 with two decimals, as year-end tables report it ("37.50").
    public var wanYuanString: String {
        // 1 万元 = 1,000,000 fen; round half up to 0.01 万元 = 10,000 fen.
        let sign = fen < 0 ? "-" : ""
        let a = (fen.magnitude + 5_000) / 10_000
        let cents = a % 100
        return "\(sign)\(a / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    public var description: String { yuanString }

    public static func < (a: Money, b: Money) -> Bool { a.fen < b.fen }
    public static func + (a: Money, b: Money) -> Money { Money(fen: a.fen + b.fen) }
    public static func - (a: Money, b: Money) -> Money { Money(fen: a.fen - b.fen) }
    public static func * (a: Money, n: Int) -> Money { Money(fen: a.fen * Int64(n)) }
    public static func += (a: inout Money, b: Money) { a.fen += b.fen }

    /// Divide, rounding half away from zero to the fen.
    public func divided(by n: Int) -> Money {
        precondition(n > 0)
        let d = Int64(n)
        let q = fen / d, r = fen % d
        if 2 * r.magnitude >= d.magnitude { return Money(fen: q + (fen < 0 ? -1 : 1)) }
        return Money(fen: q)
    }

    /// Percentage of this amount, `percent` in hundredths of a percent (1500 = 15.00%), half up.
    public func percent(basisPoints bp: Int) -> Money {
        let p = fen * Int64(bp)
        let q = p / 10_000, r = p % 10_000
        return Money(fen: q + (2 * r.magnitude >= 10_000 ? (p < 0 ? -1 : 1) : 0))
    }

    /// How benefit amounts are rounded (a setting).
    public enum Rounding: String, Codable, Sendable, CaseIterable {
        case upToYuan = "up_yuan"      // default: up to the whole yuan
        case nearestYuan = "nearest_yuan"
        case downToYuan = "down_yuan"
        case upToJiao = "up_jiao"      // up to 0.10
        case none = "fen"
    }

    public func rounded(_ r: Rounding) -> Money {
        func up(_ unit: Int64) -> Money {
            let m = fen % unit
            return m == 0 ? self : Money(fen: fen >= 0 ? fen - m + unit : fen - m)
        }
        switch r {
        case .none: return self
        case .upToYuan: return up(100)
        case .upToJiao: return up(10)
        case .downToYuan: return Money(fen: fen >= 0 ? fen - fen % 100 : fen - fen % 100 - (fen % 100 == 0 ? 0 : 100))
        case .nearestYuan:
            let m = fen.magnitude % 100
            let base = Int64(fen.magnitude - m)
            let v = m >= 50 ? base + 100 : base
            return Money(fen: fen < 0 ? -v : v)
        }
    }
}

extension Money {
    /// An amount in fen as a JSON object holds it (`JSONSerialization` hands numbers back as Int,
    /// Int64 or Double; a string is read as yuan text). The one place a stored JSON amount becomes
    /// `Money`: the step inputs, a medical bill and a supporter's income all read through it.
    /// A Double is accepted only as the whole fen JSON wrote (rounded), never as yuan.
    public init?(jsonFen v: Any?) {
        if let n = v as? Int64 { self.init(fen: n); return }
        if let n = v as? Int { self.init(fen: Int64(n)); return }
        if let d = v as? Double, d.isFinite, abs(d) < 9e15 { self.init(fen: Int64(d.rounded())); return }
        if let s = v as? String, let m = Money(yuanText: s) { self = m; return }
        return nil
    }
}
