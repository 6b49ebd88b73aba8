import Foundation

/// What a publicity batch posts (张榜公示, domain.md "Publicity").
public enum PublicityKind: String, Codable, Sendable, CaseIterable {
    /// 村级公示: the village appraisal's result.
    case appraisal = "village_publicity"
    /// 乡镇公示: the township review's result.
    case review = "township_publicity"
    /// 审批公示: the county approval's result (beneficiaries, kept posted while paid).
    case approval = "approval_publicity"
    /// 调整和取消保障公示: changes to benefits in force — stopped (取消 / 清退) or adjusted
    /// (调整); posting moves no case. (The raw value is older than the adjustments.)
    case cancellation

    /// The workflow step whose cases a posting of this kind closes (nil: none).
    public var step: String? { self == .cancellation ? nil : rawValue }

    public var label: Text2 {
        switch self {
        case .cancellation: return sayBoth("model.publicity.adjustmentsAndCancellations")
        case .appraisal: return sayBoth("model.publicity.villageAppraisalResult")
        case .review: return sayBoth("model.publicity.townshipReviewResult")
        case .approval: return sayBoth("model.publicity.approvalResult")
        }
    }
}

public enum PublicityState: String, Codable, Sendable, CaseIterable {
    case draft, posted, closed
    public var label: Text2 {
        switch self {
        case .draft: return sayBoth("model.publicity.draft")
        case .posted: return sayBoth("model.publicity.posted")
        case .closed: return sayBoth("model.publicity.closed")
        }
    }
}

/// New, adjusted, cancelled or cleared (新增 / 调整 / 取消 / 清退), or in force on the standing
/// list (长期公布). 取消 (circumstances changed) and 清退 (found never eligible) are told apart on
/// the changes posting, as the county's figures count them apart.
public enum PublicityChange: String, Codable, Sendable, CaseIterable {
    case new, adjusted, cancelled, cleared, inForce
    public var label: Text2 {
        switch self {
        case .new: return sayBoth("model.publicity.new")
        case .adjusted: return sayBoth("model.publicity.adjusted")
        case .cancelled: return sayBoth("model.publicity.cancelled")
        case .cleared: return sayBoth("model.publicity.cleared")
        case .inForce: return sayBoth("model.publicity.inForce")
        }
    }
}

/// The supervision contacts every posting shows (民发〔2021〕57号: 公示 gives the public a way to
/// report; the county's 监督电话 and the place of the 举报箱).
public enum PublicityContact {
    /// A phone the public can call: a mobile or a fixed line with its area code
    /// (`HouseholdChanges.isValidPhone`), or a five-digit service line such as 12345.
    public static func isPhone(_ s: String) -> Bool {
        let digits = s.filter { $0 != "-" && $0 != " " }
        if digits.count == 5, digits.hasPrefix("12"), digits.allSatisfy({ $0.isASCII && $0.isNumber }) { return true }
        return HouseholdChanges.isValidPhone(s)
    }
}

/// One line as it may be shown to the public. It has no field that could hold an ID number, a
/// phone, a bank card or a health detail, and a minor is never named: the type is the mask.
public struct PublicLine: Codable, Equatable, Sendable {
    public var caseId: Int64
    /// The head's name, or "未成年人户" when the head is a minor.
    public var name: String
    public var village: String
    public var persons: Int
    /// Members under 18 counted, never named.
    public var minors: Int
    public var change: PublicityChange
    public var programme: String
    /// A/B/C, 集中/分散, or empty.
    public var category: String
    public var perCapita: Money?
    public var monthly: Money?

    public init(caseId: Int64, name: String, village: String, persons: Int, minors: Int, change: PublicityChange, programme: String,
                category: String = "", perCapita: Money? = nil, monthly: Money? = nil) {
        self.caseId = caseId; self.name = name; self.village = village; self.persons = persons; self.minors = minors
        self.change = change; self.programme = programme; self.category = category; self.perCapita = perCapita; self.monthly = monthly
    }

    /// The only way from a person to a public line: a minor head is not named.
    public static func name(of head: Person, on date: CivilDate) -> String {
        head.birthDate.age(on: date) < 18 ? "未成年人户" : head.name
    }
}

/// Which columns a posting shows (a setting per step).
public enum PublicColumn: String, Codable, Sendable, CaseIterable {
    /// `amount`: a one-off grant (受灾救助), from the line's amount like `monthly`.
    case index, name, village, persons, change, programme, category, perCapita, monthly, amount

    public var title: Text2 {
        switch self {
        case .index: return sayBoth("model.publicity.no")
        case .name: return sayBoth("model.publicity.head")
        case .village: return sayBoth("model.publicity.village")
        case .persons: return sayBoth("model.publicity.persons")
        case .change: return sayBoth("model.publicity.type")
        case .programme: return sayBoth("model.publicity.programme")
        case .category: return sayBoth("model.publicity.class")
        case .perCapita: return sayBoth("model.publicity.incomePerson")
        case .monthly: return sayBoth("model.publicity.monthly")
        case .amount: return sayBoth("model.publicity.amount")
        }
    }
}

/// Everything a printed notice shows: the public document, nothing else.
public struct PublicityDocument: Codable, Equatable, Sendable {
    public var batchId: Int64
    /// e.g. 李家村2026年12月农村低保民主评议结果公示
    public var title: String
    public var office: String
    public var postedFrom: CivilDate
    public var postedUntil: CivilDate
    public var place: String
    public var complaintPhone: String
    public var complaintBox: String
    public var columns: [PublicColumn]
    public var lines: [PublicLine]
    /// The date printed on the seal line.
    public var issuedOn: CivilDate
    /// The standing list of households in force (长期公布), not a posting with a window: its
    /// dates line says when it was put up. Nil in a posting (and in documents stored before).
    public var standing: Bool?

    public init(batchId: Int64, title: String, office: String, postedFrom: CivilDate, postedUntil: CivilDate, place: String,
                complaintPhone: String, complaintBox: String, columns: [PublicColumn], lines: [PublicLine], issuedOn: CivilDate,
                standing: Bool? = nil) {
        self.batchId = batchId; self.title = title; self.office = office; self.postedFrom = postedFrom
        self.postedUntil = postedUntil; self.place = place; self.complaintPhone = complaintPhone
        self.complaintBox = complaintBox; self.columns = columns; self.lines = lines; self.issuedOn = issuedOn
        self.standing = standing
    }

    public var totalPersons: Int { lines.reduce(0) { $0 + $1.persons } }
    public var totalMonthly: Money { lines.reduce(Money.zero) { $0 + ($1.monthly ?? .zero) } }
}
