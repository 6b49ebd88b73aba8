import Foundation

// Disaster work (救灾, issue 24): the event and its stage reports, the victims' ledger (灾民台帐),
// relief by period, relief cards, goods and houses rebuilt. The rules come from
// 《自然灾害救助条例》(国务院令第577号, revised 2019): 应急期 relief (第十四条), 过渡期生活救助
// (第十八条), 居民住房恢复重建 applied for by the family, checked by the township and approved
// by the county (第二十条), 冬春救助 (第二十一条), relief money and goods for their purpose only
// (第二十四条); and the stage reports of 《自然灾害情况统计调查制度》(初报, 续报, 核报).
// Daily and per-person figures live in data/standards.csv (programme `disaster`), the kinds of
// disaster and the relief items in data/disaster_kinds.csv and data/relief_items.csv.

/// 初报 (first report), 续报 (follow-up reports, as many as needed), 核报 (the checked final report).
public enum DisasterStage: String, CaseIterable, Codable, Sendable {
    case initial, update, final
    public var label: Text2 { sayBoth("disaster.stage.\(rawValue)") }
}

/// The figures of one stage report (《自然灾害情况统计调查制度》), or the ledger's totals of the
/// same figures. Houses in 户 and 间; crop area in hundredths of a hectare; loss in fen.
public struct DisasterFigures: Equatable, Codable, Sendable {
    public var affected = 0
    public var relocated = 0
    public var needRelief = 0
    public var dead = 0
    public var missing = 0
    public var collapsedHouseholds = 0
    public var collapsedRooms = 0
    public var severeHouseholds = 0
    public var severeRooms = 0
    public var generalHouseholds = 0
    public var generalRooms = 0
    /// 农作物受灾面积, hundredths of a hectare (公顷 with two decimals).
    public var cropArea = 0
    /// 直接经济损失.
    public var loss = Money.zero
    public init() {}

    /// The figures a ledger can add up (people and houses), by name, in the report's order.
    public static let ledgerFields: [(key: String, path: KeyPath<DisasterFigures, Int> & Sendable)] = [
        ("affected", \.affected), ("relocated", \.relocated), ("needRelief", \.needRelief),
        ("collapsedHouseholds", \.collapsedHouseholds), ("collapsedRooms", \.collapsedRooms),
        ("severeHouseholds", \.severeHouseholds), ("severeRooms", \.severeRooms),
        ("generalHouseholds", \.generalHouseholds), ("generalRooms", \.generalRooms),
    ]
    /// Every whole-number figure of a report, in its order.
    public static let countFields: [(key: String, path: WritableKeyPath<DisasterFigures, Int> & Sendable)] = [
        ("affected", \.affected), ("relocated", \.relocated), ("needRelief", \.needRelief), ("dead", \.dead), ("missing", \.missing),
        ("collapsedHouseholds", \.collapsedHouseholds), ("collapsedRooms", \.collapsedRooms),
        ("severeHouseholds", \.severeHouseholds), ("severeRooms", \.severeRooms),
        ("generalHouseholds", \.generalHouseholds), ("generalRooms", \.generalRooms),
    ]
    public static func label(_ key: String) -> Text2 { sayBoth("disaster.figure.\(key)") }
    /// For a box's narrow label column (14 cells): 严重损坏（户） / Severe hh.
    public static func shortLabel(_ key: String) -> Text2 { sayBoth("disaster.figureShort.\(key)") }

    /// The crop area as typed ("12.5" 公顷) or shown.
    public static func area(text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { return 0 }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int(parts[0]), whole >= 0 else { return nil }
        var frac = 0
        if parts.count == 2 {
            let f = String(parts[1])
            guard f.count <= 2, f.allSatisfy(\.isNumber) else { return nil }
            frac = Int(f.padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0
        }
        return whole * 100 + frac
    }
    public static func areaText(_ v: Int) -> String { String(format: "%d.%02d", v / 100, v % 100) }
}

/// A disaster (灾情): its kind, when, where.
public struct DisasterEvent: Equatable, Sendable {
    public var id: Int64
    public var kind: String
    public var name: String
    public var startedOn: CivilDate
    public var endedOn: CivilDate?
    public var villages: [String]
    public var recordedBy: String
    public var version: Int
    public init(id: Int64, kind: String, name: String, startedOn: CivilDate, endedOn: CivilDate?, villages: [String], recordedBy: String, version: Int) {
        self.id = id; self.kind = kind; self.name = name; self.startedOn = startedOn; self.endedOn = endedOn
        self.villages = villages; self.recordedBy = recordedBy; self.version = version
    }
}

public struct DisasterReport: Equatable, Sendable {
    public var id: Int64
    public var eventId: Int64
    public var stage: DisasterStage
    public var reportedOn: CivilDate
    public var figures: DisasterFigures
    public var reportedBy: String
    public init(id: Int64, eventId: Int64, stage: DisasterStage, reportedOn: CivilDate, figures: DisasterFigures, reportedBy: String) {
        self.id = id; self.eventId = eventId; self.stage = stage; self.reportedOn = reportedOn; self.figures = figures; self.reportedBy = reportedBy
    }
}

/// 倒塌, 严重损坏, 一般损坏 (the report's grades), or no damage to the house.
public enum HouseDamage: String, CaseIterable, Codable, Sendable {
    case none, general, severe, collapsed
    public var label: Text2 { sayBoth("disaster.damage.\(rawValue)") }
    /// From what a clerk types: the code, 0–3, or the label's start.
    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let d = HouseDamage(rawValue: t) { self = d; return }
        if let n = Int(t), (0..<4).contains(n) { self = HouseDamage.allCases[n]; return }
        guard !t.isEmpty, let d = HouseDamage.allCases.first(where: { $0.label.zh.hasPrefix(t) || $0.label.en.hasPrefix(t.lowercased()) }) else { return nil }
        self = d
    }
}

/// One household on an event's ledger (灾民台帐).
public struct DisasterVictim: Equatable, Sendable {
    public var id: Int64
    public var eventId: Int64
    public var householdId: Int64
    public var villageCode: String
    public var villageName: String
    public var headName: String
    public var persons: Int
    public var damage: HouseDamage
    public var rooms: Int
    public var relocated: Bool
    public var needRelief: Bool
    public var needs: String
    public var checkedOn: CivilDate?
    public var checkedBy: String?
    public var version: Int
    public init(id: Int64, eventId: Int64, householdId: Int64, villageCode: String, villageName: String, headName: String, persons: Int,
                damage: HouseDamage, rooms: Int, relocated: Bool, needRelief: Bool, needs: String, checkedOn: CivilDate?, checkedBy: String?, version: Int) {
        self.id = id; self.eventId = eventId; self.householdId = householdId; self.villageCode = villageCode; self.villageName = villageName
        self.headName = headName; self.persons = persons; self.damage = damage; self.rooms = rooms; self.relocated = relocated
        self.needRelief = needRelief; self.needs = needs; self.checkedOn = checkedOn; self.checkedBy = checkedBy; self.version = version
    }
}

/// 应急期, 过渡期, 冬春 (the 春荒 / 冬令 生活安排 of the seeds).
public enum ReliefPeriod: String, CaseIterable, Codable, Sendable {
    case emergency, transition, winter
    public var label: Text2 { sayBoth("disaster.period.\(rawValue)") }
    /// For a narrow column (应急 / 过渡 / 冬春).
    public var shortLabel: Text2 { sayBoth("disaster.periodShort.\(rawValue)") }
    /// A card covers an event's 应急 and 过渡 relief, or one winter-spring season.
    public var cardScope: String { self == .winter ? "winter" : "event" }
    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let p = ReliefPeriod(rawValue: t) { self = p; return }
        if let n = Int(t), (1...3).contains(n) { self = ReliefPeriod.allCases[n - 1]; return }
        guard !t.isEmpty, let p = ReliefPeriod.allCases.first(where: { $0.label.zh.hasPrefix(t) || $0.label.en.hasPrefix(t.lowercased()) }) else { return nil }
        self = p
    }
}

/// 冬春救助 needs: 口粮, 衣被, 取暖 — each a per-person amount for the season.
public enum WinterNeed: String, CaseIterable, Codable, Sendable {
    case food, clothing, heating
    public var label: Text2 { sayBoth("disaster.need.\(rawValue)") }
    /// The standards.csv area holding its per-person amount.
    public var area: String { "winter_\(rawValue)" }
}

/// What a relief grant is worked out from: the period, persons, days and the rates in force.
public struct ReliefGrantFacts: Equatable, Sendable {
    public var period: ReliefPeriod
    public var persons: Int
    public var days: Int
    public var needs: [WinterNeed]
    /// Per person per day (应急, 过渡), nil when no standard is in force.
    public var daily: Money?
    /// Per person for the season, by need (冬春).
    public var winter: [WinterNeed: Money]
    public var eventName: String
    public var damage: HouseDamage
    public init(period: ReliefPeriod, persons: Int, days: Int, needs: [WinterNeed], daily: Money?, winter: [WinterNeed: Money],
                eventName: String, damage: HouseDamage) {
        self.period = period; self.persons = persons; self.days = days; self.needs = needs; self.daily = daily
        self.winter = winter; self.eventName = eventName; self.damage = damage
    }
}

public enum DisasterRules {
    /// The grant's rules and its amount, line by line.
    public static func assess(_ g: ReliefGrantFacts?) -> (rules: [RuleResult], lines: [BenefitLine], amount: Money) {
        guard let g else {
            return ([RuleResult(rule: sayBoth("disaster.rule.ledger"), pass: false, detail: sayBoth("disaster.rule.notOnLedger"))], [], .zero)
        }
        var rules = [RuleResult(rule: sayBoth("disaster.rule.ledger"), pass: true,
                                detail: sayBoth("disaster.rule.onLedger", ["event": g.eventName, "persons": String(g.persons),
                                                                            "damage_zh": g.damage.label.zh, "damage_en": g.damage.label.en]))]
        var lines: [BenefitLine] = []
        switch g.period {
        case .emergency, .transition:
            guard let d = g.daily else {
                rules.append(RuleResult(rule: sayBoth("disaster.rule.standard"), pass: false,
                                        detail: sayBoth("disaster.rule.noDaily", ["period_zh": g.period.label.zh, "period_en": g.period.label.en])))
                return (rules, [], .zero)
            }
            let a = d * (g.persons * g.days)
            lines.append(BenefitLine(sayBoth("disaster.rule.dailyLine", ["period_zh": g.period.label.zh, "period_en": g.period.label.en,
                                                                        "daily": d.yuanString, "persons": String(g.persons),
                                                                        "days": String(g.days), "amount": a.yuanString]), a))
            return (rules, lines, a)
        case .winter:
            var total = Money.zero
            for n in g.needs {
                guard let each = g.winter[n] else {
                    rules.append(RuleResult(rule: sayBoth("disaster.rule.standard"), pass: false,
                                            detail: sayBoth("disaster.rule.noWinter", ["need_zh": n.label.zh, "need_en": n.label.en])))
                    continue
                }
                let a = each * g.persons
                total += a
                lines.append(BenefitLine(sayBoth("disaster.rule.winterLine", ["need_zh": n.label.zh, "need_en": n.label.en, "each": each.yuanString,
                                                                             "persons": String(g.persons), "amount": a.yuanString]), a))
            }
            if g.needs.isEmpty {
                rules.append(RuleResult(rule: sayBoth("disaster.rule.needs"), pass: false, detail: sayBoth("disaster.rule.noNeeds")))
            }
            return (rules, lines, total)
        }
    }

    /// Ledger minus report, for each figure the ledger adds up (a negative: the ledger has fewer).
    public static func difference(ledger: DisasterFigures, report: DisasterFigures) -> [(key: String, ledger: Int, report: Int)] {
        DisasterFigures.ledgerFields.map { ($0.key, ledger[keyPath: $0.path], report[keyPath: $0.path]) }
    }
}

/// 倒损住房恢复重建: 本人申请 → 乡镇核实 → 民政审批 → 开工 → 主体完工 → 竣工验收 → 入住.
public enum HouseStage: String, CaseIterable, Codable, Sendable {
    case applied, verified, approved, started, structureDone = "structure_done", accepted, movedIn = "moved_in"
    public var label: Text2 { sayBoth("disaster.house.\(rawValue)") }
    public var next: HouseStage? {
        let all = HouseStage.allCases
        let i = all.firstIndex(of: self)!
        return i + 1 < all.count ? all[i + 1] : nil
    }
    /// The date column of the stage.
    public var column: String { "\(rawValue)_on" }
    /// Who may record the stage: 乡镇核实 the reviewer, 民政审批 the approver, the rest anyone
    /// doing disaster work.
    public var roles: Set<Role> {
        switch self {
        case .verified: return [.reviewer]
        case .approved: return [.approver]
        default: return [.clerk, .reviewer, .approver]
        }
    }
}

public struct DisasterHouse: Equatable, Sendable {
    public enum Kind: String, CaseIterable, Codable, Sendable {
        case rebuild, repair
        public var label: Text2 { sayBoth("disaster.houseKind.\(rawValue)") }
    }
    public var id: Int64
    public var eventId: Int64
    public var victimId: Int64
    public var householdId: Int64
    public var headName: String
    public var villageName: String
    public var kind: Kind
    public var subsidy: Money
    public var paid: Money
    public var instalments: Int
    public var stage: HouseStage
    public var dates: [HouseStage: CivilDate]
    /// The day the family is to have moved in (入住) by.
    public var dueOn: CivilDate
    public var version: Int
    public init(id: Int64, eventId: Int64, victimId: Int64, householdId: Int64, headName: String, villageName: String, kind: Kind,
                subsidy: Money, paid: Money, instalments: Int, stage: HouseStage, dates: [HouseStage: CivilDate], dueOn: CivilDate, version: Int) {
        self.id = id; self.eventId = eventId; self.victimId = victimId; self.householdId = householdId; self.headName = headName
        self.villageName = villageName; self.kind = kind; self.subsidy = subsidy; self.paid = paid; self.instalments = instalments
        self.stage = stage; self.dates = dates; self.dueOn = dueOn; self.version = version
    }
    public func overdue(on today: CivilDate) -> Bool { stage != .movedIn && dueOn < today }
}
