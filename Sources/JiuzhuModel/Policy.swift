import Foundation

/// A kind of change someone may or may not make. The steps of a case are not here: who may do a
/// step is its `role` in `data/programmes.json` (`Policy.mayDo(_:step:)`), and only the decision
/// step's role decides (`Workflow`).
public enum Permission: String, CaseIterable, Sendable {
    /// Add users, disable or enable them, set their passwords.
    case manageUsers
    /// Change a setting (`data/settings.csv` gives the first values).
    case changeSettings
    /// Add a village or community.
    case addRegion
    /// Add or change a household or a person.
    case editHouseholds
    /// Record a change to a household on its record (变动: a birth, a death, a move, its own
    /// facts), split one or merge two: the case workers who keep the 台帐 (issue 21).
    case householdChanges
    /// Take an application (申请受理): the form becomes a case.
    case takeApplications
    /// Work a publicity posting (张榜公示): batches, lines, objections.
    case publicity
    /// Make or re-make a draft payment roster.
    case makeRoster
    /// Confirm a roster and take out the bank's file (full ID and card numbers).
    case confirmRoster
    /// Export households with full ID numbers.
    case exportUnmasked
    /// Draw a spot check and record its visits.
    case spotChecks
    /// Start and end a campaign (专项行动).
    case campaigns
    /// Record what a campaign's check of a case found.
    case campaignChecks
    /// The complaints register (举报): receive, assign, check, answer.
    case complaints
    /// Record a due re-check or visit.
    case dueWork
    /// Confirm a raise of the standard for every case in force (提标普调).
    case applyRaise
    /// Restore a backup over the database.
    case restore
    /// Confirm an amount above the ceiling (`amount_ceiling_ratio`) with a reason.
    case confirmAboveCeiling
    /// Read the audit log and check its chain.
    case auditLog
    /// A backup elsewhere than the backup folder, a copy of the key file.
    case backups
    /// Disaster work (救灾): events and their reports, the victims' ledger, relief cards and what
    /// is handed out on them, goods, houses rebuilt (the stages that need a reviewer or an
    /// approver say so in `HouseStage.roles`).
    case disasterWork
    /// Bring an office's ledger (台帐) in: households, and cases in force as decisions on record.
    case importLedger
}

/// Who may do what: defined once here, asked by the screens (to dim or hide a key), by the
/// command line (to refuse before asking for more), and enforced by the store on every write
/// (`Store.authorize`), which looks the acting user's role up itself.
public enum Policy {
    static let everyone = Set(Role.allCases)

    /// The roles that may do `p`.
    public static func roles(_ p: Permission) -> Set<Role> {
        switch p {
        case .manageUsers, .changeSettings, .addRegion, .exportUnmasked, .restore, .auditLog, .backups: return [.admin]
        case .editHouseholds, .complaints, .dueWork, .campaignChecks: return everyone
        case .takeApplications: return [.clerk, .admin]
        // The supervisor browses and the administrator keeps accounts and settings; neither
        // keeps the household records.
        case .householdChanges: return [.clerk, .reviewer, .approver]
        // Disaster work is the office's, as the household records are.
        case .disasterWork: return [.clerk, .reviewer, .approver]
        case .publicity: return [.clerk, .reviewer, .admin]
        case .makeRoster, .importLedger: return [.clerk, .approver, .admin]
        case .confirmRoster: return [.approver, .admin]
        case .spotChecks, .campaigns: return [.supervisor, .approver, .admin]
        // The approver decides amounts; a raise and an amount above the ceiling are decisions.
        case .applyRaise, .confirmAboveCeiling: return [.approver]
        }
    }

    public static func allows(_ role: Role?, _ p: Permission) -> Bool {
        guard let role else { return false }
        return roles(p).contains(role)
    }

    /// The roles of `p` in the order of `Role.allCases`, for a message.
    public static func rolesInOrder(_ p: Permission) -> [Role] { Role.allCases.filter(roles(p).contains) }

    /// Whether `role` may do `step` of a programme: the step's role in the catalogue.
    public static func mayDo(_ role: Role, step: ProgrammeCatalog.Step) -> Bool { step.role == role.rawValue }

    /// The role that decides a programme's cases (approves, refuses, adjusts, stops).
    public static func decisionRole(_ d: ProgrammeCatalog.Definition, delegated: Bool) -> Role? {
        d.decisionStep(delegated: delegated).flatMap { Role(rawValue: $0.role) }
    }

    /// What `p` is, in a message ("「确认发放名册」仅限审批员、管理员"), from screens/strings-model.json.
    public static func label(_ p: Permission) -> Text2 {
        switch p {
        case .manageUsers: return sayBoth("model.policy.manageUsers")
        case .changeSettings: return sayBoth("model.policy.changeSettings")
        case .addRegion: return sayBoth("model.policy.addRegion")
        case .editHouseholds: return sayBoth("model.policy.editHouseholds")
        case .householdChanges: return sayBoth("model.policy.householdChanges")
        case .takeApplications: return sayBoth("model.policy.takeApplications")
        case .publicity: return sayBoth("model.policy.publicity")
        case .makeRoster: return sayBoth("model.policy.makeRoster")
        case .confirmRoster: return sayBoth("model.policy.confirmRoster")
        case .exportUnmasked: return sayBoth("model.policy.exportUnmasked")
        case .spotChecks: return sayBoth("model.policy.spotChecks")
        case .campaigns: return sayBoth("model.policy.campaigns")
        case .campaignChecks: return sayBoth("model.policy.campaignChecks")
        case .complaints: return sayBoth("model.policy.complaints")
        case .dueWork: return sayBoth("model.policy.dueWork")
        case .applyRaise: return sayBoth("model.policy.applyRaise")
        case .restore: return sayBoth("model.policy.restore")
        case .confirmAboveCeiling: return sayBoth("model.policy.confirmAboveCeiling")
        case .auditLog: return sayBoth("model.policy.auditLog")
        case .backups: return sayBoth("model.policy.backups")
        case .disasterWork: return sayBoth("disaster.policy")
        case .importLedger: return sayBoth("model.policy.importLedger")
        }
    }
}

extension ProgrammeCatalog.Definition {
    /// Paid every month while in force (低保, 特困): the case ends its path `active`, not `closed`.
    public var isMonthly: Bool { steps.contains { $0.final == "active" } }
    /// The first step: the application (申请).
    public var applyStep: String { steps[0].code }
    /// The household survey step, if the programme has one (`survey: true`).
    public var surveyStep: String? { steps.first { $0.survey ?? false }?.code }
    /// The step a new application waits at: the one after the survey, or after the application.
    public var stepAfterIntake: String {
        let after = surveyStep.flatMap(index(of:)) ?? 0
        return steps.indices.contains(after + 1) ? steps[after + 1].code : steps[after].code
    }
}

extension ProgrammeCatalog {
    /// The programmes paid monthly (those with rosters and raises), in the catalogue's order.
    public var monthlyProgrammes: [Programme] { programmes.filter(\.isMonthly).map(\.programme) }
}
