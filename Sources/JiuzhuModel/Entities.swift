import Foundation

/// Users' roles in the office (see domain.md, "Who uses it").
public enum Role: String, Codable, Sendable, CaseIterable {
    case clerk, reviewer, approver, supervisor, admin

    public var label: Text2 {
        switch self {
        case .clerk: return sayBoth("model.role.clerk")
        case .reviewer: return sayBoth("model.role.reviewer")
        case .approver: return sayBoth("model.role.approver")
        case .supervisor: return sayBoth("model.role.supervisor")
        case .admin: return sayBoth("model.role.admin")
        }
    }

    /// Accepts the code ("clerk") or either label ("经办员", "Clerk").
    public init?(text: String) {
        let t = text.lowercased()
        if let r = Role(rawValue: t) { self = r; return }
        guard let r = Role.allCases.first(where: { $0.label.zh == text || $0.label.en == t }) else { return nil }
        self = r
    }
}

public enum RegionLevel: String, Codable, Sendable { case county, township, village, community }

/// A county, township, village (行政村) or urban community (社区). Codes are 12 digits:
/// 6-digit county (GB/T 2260) + 3-digit township + 3-digit village.
public struct Region: Hashable, Codable, Sendable {
    public var code: String
    public var name: String
    public var level: RegionLevel
    public var parentCode: String?
    public init(code: String, name: String, level: RegionLevel, parentCode: String?) {
        self.code = code; self.name = name; self.level = level; self.parentCode = parentCode
    }

    /// True for a well-formed 12-digit code.
    public static func isValidCode(_ c: String) -> Bool { c.count == 12 && c.allSatisfy { $0.isASCII && $0.isNumber } }
}

/// 户籍类型: `local` (本地户籍) and `residencePermit` (居住证) since the 2014 reform; the two
/// older kinds are kept readable for records made before it (see HouseholdChange.swift).
public enum HukouType: String, Codable, Sendable, CaseIterable { case agricultural, nonAgricultural, local, residencePermit }
public enum Housing: String, Codable, Sendable, CaseIterable { case own, rent, none }
public enum Health: String, Codable, Sendable, CaseIterable { case healthy, chronic, serious, disabled }
public enum WorkAbility: String, Codable, Sendable, CaseIterable { case full, partial, none }

public struct Household: Hashable, Codable, Sendable {
    public var id: Int64?
    public var villageCode: String
    public var address: String
    public var hukou: HukouType
    public var phone: String?
    public var bankCard: String?
    public var housing: Housing
    public var housingArea: Int?       // m²
    public var dilapidated: Bool       // 危房
    public var causes: [String]        // poverty cause codes
    public var cadreRelative: Bool     // member is a village cadre / civil-affairs staff relative
    public var version: Int
    /// 户籍所在地 城镇/农村 (with the post-2014 hukou kinds); nil on older records.
    public var hukouRegion: HukouRegion?
    /// The card's bank, a code of data/banks.csv.
    public var bankCode: String?

    public init(id: Int64? = nil, villageCode: String, address: String, hukou: HukouType = .agricultural,
                phone: String? = nil, bankCard: String? = nil, housing: Housing = .own, housingArea: Int? = nil,
                dilapidated: Bool = false, causes: [String] = [], cadreRelative: Bool = false, version: Int = 1,
                hukouRegion: HukouRegion? = nil, bankCode: String? = nil) {
        self.id = id; self.villageCode = villageCode; self.address = address; self.hukou = hukou
        self.phone = phone; self.bankCard = bankCard; self.housing = housing; self.housingArea = housingArea
        self.dilapidated = dilapidated; self.causes = causes; self.cadreRelative = cadreRelative; self.version = version
        self.hukouRegion = hukouRegion; self.bankCode = bankCode
    }
}

public struct Person: Hashable, Codable, Sendable {
    public var id: Int64?
    public var householdId: Int64?
    public var name: String
    public var idNumber: String
    /// GB/T 4761 code; "02" is the head (户主) in this project's table (see data/relationships.csv).
    public var relation: String
    public var sex: Sex
    public var birthDate: CivilDate
    public var ethnicity: String       // GB/T 3304 code, "01" 汉族
    public var coResident: Bool
    public var health: Health
    public var disabilityType: String?
    public var disabilityLevel: Int?
    public var workAbility: WorkAbility
    public var student: Bool
    public var youfu: Bool             // 优抚对象
    public var absent: Bool            // in prison or the army: not counted
    public var version: Int
    /// 出生医学证明编号 of a newborn registered before it had an ID number.
    public var birthCertificate: String? = nil
    /// Died on (the person stays on the household's record, not counted).
    public var diedOn: CivilDate? = nil
    /// Left the household on (marriage, 迁出), and why the person is away (also prison, army, school).
    public var leftOn: CivilDate? = nil
    public var leftReason: LeaveReason? = nil

    public init(id: Int64? = nil, householdId: Int64? = nil, name: String, idNumber: String, relation: String,
                sex: Sex, birthDate: CivilDate, ethnicity: String = "01", coResident: Bool = true,
                health: Health = .healthy, disabilityType: String? = nil, disabilityLevel: Int? = nil,
                workAbility: WorkAbility = .full, student: Bool = false, youfu: Bool = false, absent: Bool = false,
                version: Int = 1) {
        self.id = id; self.householdId = householdId; self.name = name; self.idNumber = idNumber
        self.relation = relation; self.sex = sex; self.birthDate = birthDate; self.ethnicity = ethnicity
        self.coResident = coResident; self.health = health; self.disabilityType = disabilityType
        self.disabilityLevel = disabilityLevel; self.workAbility = workAbility; self.student = student
        self.youfu = youfu; self.absent = absent; self.version = version
    }

    public static let headRelation = "02"
    public var isHead: Bool { relation == Person.headRelation }
}

/// The assistance programmes (救助项目).
/// Why a programme does not fit where a household lives: rural 低保 is for village (行政村)
/// households, urban 低保 for those in an urban community (社区). Nil when it fits.
public func programmeMisfit(_ p: Programme, place: String, level: RegionLevel) -> Text2? {
    let (rural, urban) = (Programme.ruralDibao.label, Programme.urbanDibao.label)
    let names = ["place": place, "rural_zh": rural.zh, "rural_en": rural.en, "urban_zh": urban.zh, "urban_en": urban.en]
    switch (p, level) {
    case (.ruralDibao, .community):
        return sayBoth("model.programme.ruralInCommunity", names)
    case (.urbanDibao, .village):
        return sayBoth("model.programme.urbanInVillage", names)
    default: return nil
    }
}

public enum Programme: String, Codable, Sendable, CaseIterable {
    case ruralDibao = "rural_dibao"
    case urbanDibao = "urban_dibao"
    case tekun = "tekun"
    case temporary = "temporary"
    case medical = "medical"
    case disaster = "disaster"

    /// The programme's name as `data/programmes.json` gives it (the one place it is written).
    public var label: Text2 { Programme.installedLabels[rawValue] ?? Text2(zh: rawValue, en: rawValue) }

    /// The name for a narrow column (8 cells): the Chinese name, or the file's `enShort`
    /// ("r.dibao") where the English name would be cut.
    public var shortLabel: Text2 { Programme.installedShortLabels[rawValue] ?? label }

    /// The names in this installation's `data/programmes.json` (beside `screens/`), by code.
    static let installedLabels: [String: Text2] = installedNames.mapValues { $0.full }
    static let installedShortLabels: [String: Text2] = installedNames.mapValues { $0.short }

    private static let installedNames: [String: (full: Text2, short: Text2)] = {
        struct File: Decodable {
            struct P: Decodable { var code: String; var zh: String; var en: String; var enShort: String? }
            var programmes: [P]
        }
        guard let dir = Strings.defaultDirectory()?.deletingLastPathComponent().appendingPathComponent("data"),
              let data = FileManager.default.contents(atPath: dir.appendingPathComponent("programmes.json").path),
              let file = try? JSONDecoder().decode(File.self, from: data) else { return [:] }
        return Dictionary(file.programmes.map { ($0.code, (Text2(zh: $0.zh, en: $0.en), Text2(zh: $0.zh, en: $0.enShort ?? $0.en))) },
                          uniquingKeysWith: { a, _ in a })
    }()

    /// Accepts the code or either label.
    public init?(text: String) {
        if let p = Programme(rawValue: text) { self = p; return }
        guard let p = Programme.allCases.first(where: { $0.label.zh == text || $0.label.en == text.lowercased() }) else { return nil }
        self = p
    }
}

/// Where a case stands overall.
public enum CaseStatus: String, Codable, Sendable, CaseIterable {
    case inProgress = "in_progress"   // moving through its steps
    case active                        // approved, benefit in force
    case rejected
    case terminated                    // 取消 / 清退 after being active
    case closed                        // one-off benefit paid, nothing more to do
    case suspended                     // 暂停发放: in force but not paid until resumed or stopped
    case withdrawn                     // 撤回申请: the applicant withdrew before a decision

    public var label: Text2 {
        switch self {
        case .inProgress: return sayBoth("model.status.inProgress")
        case .active: return sayBoth("model.status.inForce")
        case .rejected: return sayBoth("model.status.rejected")
        case .terminated: return sayBoth("model.status.terminated")
        case .closed: return sayBoth("model.status.closed")
        case .suspended: return sayBoth("model.status.suspended")
        case .withdrawn: return sayBoth("model.status.withdrawn")
        }
    }
}

public enum UrbanClass: String, Codable, Sendable, CaseIterable {
    case a = "A", b = "B", c = "C"

    /// The class the members suggest (domain.md): A when no counted member can work, C when a
    /// counted member of working age (18–59) fully can, B in between.
    public static func suggested(_ members: [Person], on date: CivilDate) -> UrbanClass {
        let counted = members.filter { $0.coResident && !$0.absent }
        if counted.allSatisfy({ $0.workAbility == .none }) { return .a }
        if counted.contains(where: { $0.workAbility == .full && (18...59).contains($0.birthDate.age(on: date)) }) { return .c }
        return .b
    }
}

/// One application for one programme, and its progress.
public struct Case: Hashable, Codable, Sendable {
    public var id: Int64?
    public var householdId: Int64
    /// The person the case is for (特困, medical); nil for household programmes.
    public var personId: Int64?
    public var programme: Programme
    public var step: String            // code of the current step (see data/programmes.json)
    public var stepSince: CivilDate
    public var status: CaseStatus
    public var appliedOn: CivilDate
    public var monthlyAmount: Money?   // benefit in force, per month
    public var coveredMembers: Int
    public var urbanClass: UrbanClass?
    public var version: Int

    public init(id: Int64? = nil, householdId: Int64, personId: Int64? = nil, programme: Programme, step: String,
                stepSince: CivilDate, status: CaseStatus = .inProgress, appliedOn: CivilDate,
                monthlyAmount: Money? = nil, coveredMembers: Int = 0, urbanClass: UrbanClass? = nil, version: Int = 1) {
        self.id = id; self.householdId = householdId; self.personId = personId; self.programme = programme
        self.step = step; self.stepSince = stepSince; self.status = status; self.appliedOn = appliedOn
        self.monthlyAmount = monthlyAmount; self.coveredMembers = coveredMembers; self.urbanClass = urbanClass
        self.version = version
    }
}

/// One step done on a case: who, when, what (谁调查谁负责).
public struct CaseStepRecord: Hashable, Codable, Sendable {
    public var id: Int64?
    public var caseId: Int64
    public var step: String
    public var action: String          // "done", "approve", "reject", "back", "objection" ...
    public var actor: String           // user name, or the named approver for decisions arriving on paper
    public var actedOn: CivilDate
    public var note: String
    /// Inputs of the step as JSON (meeting votes, batch, investigators ...).
    public var inputs: String
    public init(id: Int64? = nil, caseId: Int64, step: String, action: String, actor: String, actedOn: CivilDate,
                note: String = "", inputs: String = "{}") {
        self.id = id; self.caseId = caseId; self.step = step; self.action = action; self.actor = actor
        self.actedOn = actedOn; self.note = note; self.inputs = inputs
    }
}

public struct User: Hashable, Codable, Sendable {
    public var id: Int64?
    public var name: String
    public var displayName: String
    public var role: Role
    public var active: Bool
    public init(id: Int64? = nil, name: String, displayName: String, role: Role, active: Bool = true) {
        self.id = id; self.name = name; self.displayName = displayName; self.role = role; self.active = active
    }
}
