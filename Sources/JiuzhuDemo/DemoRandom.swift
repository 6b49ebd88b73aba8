import Foundation
import JiuzhuModel

/// SplitMix64: small, fast, and the same sequence on every platform and Swift version —
/// which `SystemRandomNumberGenerator` and the standard library's shuffles do not promise.
struct DemoRNG {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// An independent stream for one household, case or village: the same (seed, keys) always
    /// gives the same stream, whatever was drawn before.
    init(_ seed: UInt64, _ a: UInt64, _ b: UInt64 = 0, _ c: UInt64 = 0) {
        var s = DemoRNG.mix(seed ^ 0x6A09E667F3BCC908)
        s = DemoRNG.mix(s ^ (a &* 0x9E3779B97F4A7C15))
        s = DemoRNG.mix(s ^ (b &* 0xC2B2AE3D27D4EB4F))
        s = DemoRNG.mix(s ^ (c &* 0x165667B19E3779F9))
        state = s
    }

    /// One SplitMix64 output for state `x`.
    static func mix(_ x: UInt64) -> UInt64 { var r = DemoRNG(seed: x); return r.next() }

    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }

    /// 0..<n, without modulo bias worth mentioning (Lemire's multiply-high).
    mutating func int(_ n: Int) -> Int {
        precondition(n > 0)
        return Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    mutating func int(in r: ClosedRange<Int>) -> Int { r.lowerBound + int(r.upperBound - r.lowerBound + 1) }

    /// True `percent` times in a hundred.
    mutating func percent(_ p: Int) -> Bool { int(100) < p }

    /// True `pm` times in a thousand.
    mutating func perMille(_ pm: Int) -> Bool { int(1000) < pm }

    mutating func pick<T>(_ a: [T]) -> T { a[int(a.count)] }

    /// An index chosen by integer weights.
    mutating func weighted(_ w: [Int]) -> Int {
        var total = 0
        for x in w { total += x }
        var r = int(total)
        for (i, x) in w.enumerated() {
            if r < x { return i }
            r -= x
        }
        return w.count - 1
    }
}

/// Weighted choice among many items in O(log n): cumulative weights and a binary search.
struct WeightedTable {
    private var cumulative: [Int] = []
    var total: Int { cumulative.last ?? 0 }
    var count: Int { cumulative.count }

    init(_ weights: [Int]) {
        var sum = 0
        cumulative.reserveCapacity(weights.count)
        for w in weights { sum += max(0, w); cumulative.append(sum) }
    }

    func pick(_ rng: inout DemoRNG) -> Int {
        let r = rng.int(total)
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > r { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

/// Working days as Monday–Friday (the demo ignores holidays: its spacing only has to look
/// like office work). Index n counts weekdays; a weekend day maps to the Friday before it.
enum DemoWorkdays {
    static func index(_ dayNumber: Int) -> Int {
        let e = dayNumber + 3                       // 1970-01-01 was a Thursday: e % 7 == 0 on Mondays
        let week = e >= 0 ? e / 7 : (e - 6) / 7
        let w = e - week * 7
        return week * 5 + min(w, 4)
    }

    static func dayNumber(_ index: Int) -> Int {
        let week = index >= 0 ? index / 5 : (index - 4) / 5
        let w = index - week * 5
        return week * 7 + w - 3
    }

    static func date(_ index: Int) -> CivilDate { CivilDate(dayNumber: dayNumber(index)) }
    static func index(_ d: CivilDate) -> Int { index(d.dayNumber) }
}
