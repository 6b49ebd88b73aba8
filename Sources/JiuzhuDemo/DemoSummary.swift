import Foundation
import JiuzhuModel

/// Counts of a demo township, for printing after `jiuzhu demo` and for checking proportions.
public struct DemoSummary: Equatable, Sendable, CustomStringConvertible {
    public struct ProgrammeLine: Equatable, Sendable {
        public var programme: Programme
        public var cases: Int
        /// Indexed like `CaseStatus.allCases`.
        public var byStatus: [Int]
        /// In-progress cases per step, in the catalog's step order.
        public var inProgressBySteps: [Int]
        public var overdue: Int
        /// Persons covered by cases in force.
        public var personsActive: Int
        /// Money in force per month (低保, 特困).
        public var monthlyActive: Money
        public func count(_ s: CaseStatus) -> Int { byStatus[CaseStatus.allCases.firstIndex(of: s)!] }
    }
    public struct VillageLine: Equatable, Sendable {
        public var region: Region
        public var households: Int
        public var persons: Int
        public var yiHouseholds: Int
        public var activeCases: Int
    }
    public struct CauseLine: Equatable, Sendable {
        public var code: String
        /// Households (persons in them) naming the cause at all.
        public var households: Int
        public var persons: Int
        /// Households (persons) naming it first, the way the county tables count (one cause each).
        public var primaryHouseholds: Int
        public var primaryPersons: Int
    }

    public var households: Int
    public var persons: Int
    public var yiHouseholds: Int
    public var yiPersons: Int
    /// householdsBySize[n] = households with n members (index 0 unused).
    public var householdsBySize: [Int]
    public var programmes: [ProgrammeLine]
    public var villages: [VillageLine]
    public var causes: [CauseLine]

    static let causeCodes = ["no_labour", "illness", "disability", "disaster", "no_skill", "sanwu", "other"]

    init(_ t: DemoTownship) {
        households = t.households.count
        var persons = 0, yiH = 0, yiP = 0
        var sizes = [Int](repeating: 0, count: 16)
        var progs = Programme.allCases.enumerated().map { (i, p) in
            ProgrammeLine(programme: p, cases: 0, byStatus: [Int](repeating: 0, count: CaseStatus.allCases.count),
                          inProgressBySteps: [Int](repeating: 0, count: t.stepCodes[i].count), overdue: 0,
                          personsActive: 0, monthlyActive: .zero)
        }
        let places = t.regions.filter { $0.level == .village || $0.level == .community }
        var vil = places.map { VillageLine(region: $0, households: 0, persons: 0, yiHouseholds: 0, activeCases: 0) }
        var placeIndex: [String: Int] = [:]
        for (i, p) in places.enumerated() { placeIndex[p.code] = i }
        var causeH = [Int](repeating: 0, count: DemoSummary.causeCodes.count)
        var causeP = causeH, firstH = causeH, firstP = causeH
        for h in t.households {
            let n = h.members.count
            persons += n
            sizes[min(n, sizes.count - 1)] += 1
            let yi = h.members[0].ethnicity == "07"
            if yi { yiH += 1 }
            yiP += h.members.reduce(0) { $0 + ($1.ethnicity == "07" ? 1 : 0) }
            let vi = placeIndex[h.household.villageCode]
            if let vi { vil[vi].households += 1; vil[vi].persons += n; if yi { vil[vi].yiHouseholds += 1 } }
            for c in h.household.causes {
                if let ci = DemoSummary.causeCodes.firstIndex(of: c) { causeH[ci] += 1; causeP[ci] += n }
            }
            if let c = h.household.causes.first, let ci = DemoSummary.causeCodes.firstIndex(of: c) { firstH[ci] += 1; firstP[ci] += n }
            for dc in h.cases {
                let c = dc.case
                let pi = Programme.allCases.firstIndex(of: c.programme)!
                progs[pi].cases += 1
                progs[pi].byStatus[CaseStatus.allCases.firstIndex(of: c.status)!] += 1
                if c.status == .inProgress {
                    if let k = t.stepCodes[pi].firstIndex(of: c.step) { progs[pi].inProgressBySteps[k] += 1 }
                    if t.isOverdue(c) { progs[pi].overdue += 1 }
                }
                if c.status == .active {
                    progs[pi].personsActive += c.coveredMembers
                    if let m = c.monthlyAmount { progs[pi].monthlyActive += m }
                    if let vi { vil[vi].activeCases += 1 }
                }
            }
        }
        self.persons = persons
        yiHouseholds = yiH; yiPersons = yiP
        while sizes.count > 2 && sizes.last == 0 { sizes.removeLast() }
        householdsBySize = sizes
        programmes = progs
        villages = vil
        causes = DemoSummary.causeCodes.indices.map { CauseLine(code: DemoSummary.causeCodes[$0], households: causeH[$0], persons: causeP[$0],
                                                        primaryHouseholds: firstH[$0], primaryPersons: firstP[$0]) }
    }

    public var description: String { lines(.zh).joined(separator: "\n") }

    private static func pct(_ a: Int, _ b: Int) -> String {
        guard b > 0 else { return "0%" }
        let tenths = (a * 1000 + b / 2) / b
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// The summary `jiuzhu demo` prints; `causeLabels` are data/poverty_causes.csv's names (the
    /// code when one is missing).
    public func lines(_ lang: Lang, causeLabels: [String: Text2] = [:]) -> [String] {
        func t(_ key: String, _ v: [String: String] = [:]) -> String { say(key, lang, v) }
        var out: [String] = []
        out.append(t("cli.demo.summary.totals", ["households": String(households), "persons": String(persons), "avg": avg(persons, households),
                                                  "yiHouseholds": String(yiHouseholds), "yiPersons": String(yiPersons), "share": DemoSummary.pct(yiHouseholds, households)]))
        let sizes = householdsBySize.enumerated().dropFirst().map { t("cli.demo.summary.size", ["n": String($0.offset), "count": String($0.element)]) }
        out.append(t("cli.demo.summary.sizes", ["sizes": sizes.joined(separator: " ")]))
        out.append(t("cli.demo.summary.programmeHeader"))
        for p in programmes {
            let label = width(p.programme.label(lang)) <= 16 ? p.programme.label(lang) : p.programme.shortLabel(lang)
            let cols = [p.cases, p.count(.inProgress), p.count(.active), p.count(.rejected), p.count(.terminated),
                        p.count(.closed), p.overdue, p.personsActive].map { pad(String($0), 7) }.joined()
            out.append(padRight(label, 16) + cols + " " + p.monthlyActive.yuanString)
        }
        out.append(t("cli.demo.summary.bySteps"))
        for p in programmes {
            out.append("  " + p.programme.label(lang) + " " + p.inProgressBySteps.map(String.init).joined(separator: "/"))
        }
        out.append(t("cli.demo.summary.causes"))
        out.append("  " + causes.map { "\(causeLabels[$0.code]?(lang) ?? $0.code) \($0.households)/\($0.persons)" }.joined(separator: "  "))
        out.append(t("cli.demo.summary.mainCauses"))
        out.append("  " + causes.map { "\(causeLabels[$0.code]?(lang) ?? $0.code) \($0.primaryHouseholds)/\($0.primaryPersons)(\(DemoSummary.pct($0.primaryPersons, persons)))" }.joined(separator: "  "))
        out.append(t("cli.demo.summary.villageHeader"))
        for v in villages {
            out.append(padRight(v.region.code + " " + v.region.name, 22)
                       + [v.households, v.persons, v.yiHouseholds, v.activeCases].map { pad(String($0), 7) }.joined())
        }
        return out
    }

    private func avg(_ a: Int, _ b: Int) -> String {
        guard b > 0 else { return "0" }
        let h = (a * 100 + b / 2) / b
        return "\(h / 100).\(h % 100 < 10 ? "0" : "")\(h % 100)"
    }
    /// Display width: CJK characters take two columns.
    private func width(_ s: String) -> Int { s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) } }
    private func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - width(s))) + s }
    private func padRight(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - width(s))) }
}
