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
    static let causeLabels: [String: Text2] = [
        "illness": Text2(zh: "因病", en: "illness"), "disability": Text2(zh: "因残", en: "disability"),
        "disaster": Text2(zh: "因灾", en: "disaster"), "no_labour": Text2(zh: "缺劳力", en: "lack of labour"),
        "no_skill": Text2(zh: "缺技术", en: "lack of skills"), "sanwu": Text2(zh: "三无", en: "sanwu"),
        "other": Text2(zh: "其他", en: "other"),
    ]

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

    public func lines(_ lang: Lang) -> [String] {
        let zh = lang == .zh
        var out: [String] = []
        out.append(zh ? "户数 \(households),人数 \(persons),户均 \(avg(persons, households)) 人;彝族 \(yiHouseholds) 户 \(yiPersons) 人(\(DemoSummary.pct(yiHouseholds, households)))"
                      : "\(households) households, \(persons) persons, \(avg(persons, households)) per household; Yi: \(yiHouseholds) households, \(yiPersons) persons (\(DemoSummary.pct(yiHouseholds, households)))")
        let sizes = householdsBySize.enumerated().dropFirst().map { "\($0.offset)\(zh ? "人" : "p"):\($0.element)" }
        out.append((zh ? "家庭规模 " : "household sizes ") + sizes.joined(separator: " "))
        out.append(zh ? "救助项目            合计   办理中   在保 不予批准 已停保 已办结 超期 在保人数 月发放(元)"
                      : "programme           cases progress active rejected termin. closed late persons monthly(yuan)")
        for p in programmes {
            let label = p.programme.label(lang)
            let cols = [p.cases, p.count(.inProgress), p.count(.active), p.count(.rejected), p.count(.terminated),
                        p.count(.closed), p.overdue, p.personsActive].map { pad(String($0), 7) }.joined()
            out.append(padRight(label, 16) + cols + " " + p.monthlyActive.yuanString)
        }
        out.append(zh ? "办理中按步骤:" : "in progress by step:")
        for p in programmes {
            out.append("  " + p.programme.label(lang) + " " + p.inProgressBySteps.map(String.init).joined(separator: "/"))
        }
        out.append(zh ? "致贫原因(户/人,含次要原因):" : "causes of poverty (households/persons, any):")
        out.append("  " + causes.map { "\(DemoSummary.causeLabels[$0.code]?(lang) ?? $0.code) \($0.households)/\($0.persons)" }.joined(separator: "  "))
        out.append(zh ? "主要致贫原因(户/人):" : "main cause of poverty (households/persons):")
        out.append("  " + causes.map { "\(DemoSummary.causeLabels[$0.code]?(lang) ?? $0.code) \($0.primaryHouseholds)/\($0.primaryPersons)(\(DemoSummary.pct($0.primaryPersons, persons)))" }.joined(separator: "  "))
        out.append(zh ? "村(社区)              户数   人数  彝族户 在保案件" : "village / community     hh  persons     Yi  active")
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
