import Foundation

/// What a spot check finds a household to be, and what it proposes.
public enum SpotCheckAction: String, Codable, Sendable, CaseIterable {
    case adjust, suspend, cancel, none

    public var label: Text2 {
        switch self {
        case .adjust: return sayBoth("model.spot.adjust")
        case .suspend: return sayBoth("model.spot.suspend")
        case .cancel: return sayBoth("model.spot.cancel")
        case .none: return sayBoth("model.spot.noChange")
        }
    }
}

/// One village's share of a sample.
public struct SpotCheckQuota: Equatable, Sendable {
    public var village: String
    /// Cases in the village that could be drawn.
    public var population: Int
    /// Cases drawn.
    public var sampled: Int
    public init(village: String, population: Int, sampled: Int) {
        self.village = village; self.population = population; self.sampled = sampled
    }
}

/// The county's spot check (抽查): a reproducible random sample, stratified by village.
///
/// Each village with n cases gets ceil(n × percent / 100) of them (so at least one when n > 0
/// and percent > 0, never more than n). Within a village the cases are sorted by id and
/// shuffled by a SplitMix64 stream derived from the seed and the village's code only, so the
/// sample depends on nothing but the seed and the data — not on the platform, the Swift
/// version, the order the cases came in, or the other villages.
public enum SpotCheckSample {
    /// ceil(n × percent / 100), within 0...n; percent is clamped to 0...100.
    public static func quota(population n: Int, percent: Int) -> Int {
        guard n > 0, percent > 0 else { return 0 }
        let p = min(percent, 100)
        return min(n, (n * p + 99) / 100)
    }

    /// Per village, in code order: how many cases it has and how many are drawn.
    public static func counts(cases: [(id: Int64, village: String)], percent: Int) -> [SpotCheckQuota] {
        quotas(grouped(cases), percent: percent)
    }

    /// The sampled case ids, sorted by (village, id). Duplicate ids are counted once.
    public static func draw(cases: [(id: Int64, village: String)], percent: Int, seed: UInt64) -> [Int64] {
        draw(grouped(cases), percent: percent, seed: seed)
    }

    /// `counts` and `draw` from one grouping of the cases.
    public static func sample(cases: [(id: Int64, village: String)], percent: Int, seed: UInt64) -> (quotas: [SpotCheckQuota], ids: [Int64]) {
        let g = grouped(cases)
        return (quotas(g, percent: percent), draw(g, percent: percent, seed: seed))
    }

    /// The ids of each village, villages in code order (ids as they came, duplicates kept).
    static func grouped(_ cases: [(id: Int64, village: String)]) -> [(village: String, ids: [Int64])] {
        var byVillage: [String: [Int64]] = [:]
        for c in cases { byVillage[c.village, default: []].append(c.id) }
        return byVillage.sorted { $0.key < $1.key }.map { (village: $0.key, ids: $0.value) }
    }

    static func quotas(_ g: [(village: String, ids: [Int64])], percent: Int) -> [SpotCheckQuota] {
        g.map { SpotCheckQuota(village: $0.village, population: $0.ids.count, sampled: quota(population: $0.ids.count, percent: percent)) }
    }

    static func draw(_ g: [(village: String, ids: [Int64])], percent: Int, seed: UInt64) -> [Int64] {
        var out: [Int64] = []
        for (village, all) in g {
            // Sorted and without duplicates (arrays sorted once, not sets: issue 26's draw speed).
            var ids: [Int64] = []
            ids.reserveCapacity(all.count)
            for id in all.sorted() where ids.last != id { ids.append(id) }
            let k = quota(population: ids.count, percent: percent)
            var rng = SpotCheckRNG(seed: seed, stream: village)
            // A partial Fisher–Yates shuffle: the first k places are a uniform sample.
            for i in 0..<k {
                let j = i + rng.int(ids.count - i)
                ids.swapAt(i, j)
            }
            out += ids[0..<k].sorted()
        }
        return out
    }
}

/// SplitMix64, seeded from the draw's seed and a stream name (the village code), so every
/// village has its own stream: the same (seed, village) always gives the same numbers.
public struct SpotCheckRNG: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public init(seed: UInt64, stream: String) {
        // FNV-1a of the stream's UTF-8 bytes, then mixed with the seed.
        var h: UInt64 = 0xCBF29CE484222325
        for b in stream.utf8 { h = (h ^ UInt64(b)) &* 0x100000001B3 }
        var s = SpotCheckRNG(seed: seed ^ 0x5350_4F54_4348_4B21)   // "SPOTCHK!"
        let a = s.next()
        var t = SpotCheckRNG(seed: a ^ h)
        state = t.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }

    /// 0..<n by multiply-high (Lemire), with rejection so every value is equally likely.
    public mutating func int(_ n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(truncatingIfNeeded: m.high)
    }
}

/// A spot-check period: a year ("2026") or a month ("2026-11").
public enum SpotCheckPeriod {
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let y = parts.first, y.count == 4, let year = Int(y), (2000...2100).contains(year) else { return false }
        if parts.count == 1 { return true }
        guard parts.count == 2, parts[1].count == 2, let m = Int(parts[1]), (1...12).contains(m) else { return false }
        return true
    }
}

/// What a visit proposes for a case in force (spot check, campaign, re-check): the approver
/// decides it through the case's own workflow.
public enum FollowUpAction: String, Codable, Sendable, CaseIterable {
    case none, adjust, suspend, cancel, clear

    public init(_ a: SpotCheckAction) {
        switch a {
        case .none: self = .none
        case .adjust: self = .adjust
        case .suspend: self = .suspend
        case .cancel: self = .cancel
        }
    }

    public var label: Text2 {
        switch self {
        case .none: return sayBoth("model.spot.noChange")
        case .adjust: return sayBoth("model.spot.adjust")
        case .suspend: return sayBoth("model.spot.suspend")
        case .cancel: return sayBoth("model.spot.cancel")
        case .clear: return sayBoth("model.spot.remove")
        }
    }
}

/// How a follow-up ended: what the approver did to the case.
public enum FollowUpOutcome: String, Codable, Sendable, CaseIterable {
    case unchanged, adjusted, suspended, cancelled, cleared

    public var label: Text2 {
        switch self {
        case .unchanged: return sayBoth("model.spot.kept")
        case .adjusted: return sayBoth("model.spot.adjusted")
        case .suspended: return sayBoth("model.spot.suspended")
        case .cancelled: return sayBoth("model.spot.cancelled")
        case .cleared: return sayBoth("model.spot.removed")
        }
    }

    /// The outcome of a case action, if it closes a follow-up.
    public init?(action: CaseAction, terminationKind: TerminationKind?) {
        switch action {
        case .keep: self = .unchanged
        case .adjust: self = .adjusted
        case .suspend: self = .suspended
        case .terminate: self = terminationKind == .clear ? .cleared : .cancelled
        default: return nil
        }
    }
}
