import Foundation
import JiuzhuModel

/// Errors a user can meet. Each says what happened, what was kept, and what to do next,
/// in the UI's language.
public enum StoreError: Error, Equatable {
    case missingFile(path: String)
    case alreadyExists(path: String)
    case locked(path: String)
    case readOnly(path: String)
    case corrupt(path: String, detail: String)
    case notADatabase(path: String)
    case cannotCreate(path: String, detail: String)
    case diskFull(path: String)
    /// Another clerk saved this record since it was opened.
    case staleEdit(entity: String, id: Int64)
    /// The ID number already belongs to a person in another (or the same) household.
    case duplicateID(id: String, holderName: String, householdId: Int64, headName: String, village: String, programmes: String)
    case notFound(entity: String, id: String)
    case invalid(String)
    case unknownUser(String)
    case wrongPassword(attemptsLeft: Int)
    case accountLocked(until: String)
    /// A log-in refused: a name that is not there or a wrong password, not saying which.
    case loginFailed
    case accountDisabled(String)
    case userExists(String)
    case auditBroken(atRow: Int64, reason: Audit.Reason)
    /// A backup could not be made; the database itself was only read.
    case backupFailed(path: String, detail: String)
    /// An output path that is one of an open database's own files.
    case databaseFile(path: String)
    /// An output file that exists (written only with --force).
    case fileExists(path: String)
    /// A file could not be written; nothing of it was left.
    case writeFailed(path: String, detail: String)
    /// The disk filled while a file was written; nothing of it was left.
    case fileDiskFull(path: String)
    /// The key or anchor file beside the database cannot be read.
    case keyFileDamaged(path: String)
    /// The database's rows are keyed but its key file is gone.
    case keyMissing(path: String)
    /// A file of 0 bytes where a database should be.
    case emptyFile(path: String)
    /// Made or changed by a newer version of the program.
    case newerSchema(path: String)
    /// A database without keys beside an existing key file.
    case unsignedDatabase(path: String)
    /// A value refused by its bounds (`TextBounds`, amounts), the field named, in both languages.
    case fieldRefused(zh: String, en: String)
    /// The workflow refused an action; the step's label in both languages.
    case workflow(WorkflowError, stepZh: String, stepEn: String)
    /// A refusal said by its key in `screens/strings-store.json` with the values it fills
    /// (`{x_zh}` only in Chinese, `{x_en}` only in English).
    case said(String, [String: String] = [:])
    /// `user`'s role (nil: no such active user) may not do `permission` (nil: a case step).
    case notPermitted(user: String, role: Role?, permission: Permission?)
    /// A stored role this build does not know.
    case unknownRole(user: String, value: String)

    public func message(_ lang: Lang) -> String {
        switch self {
        case .missingFile(let p):
            return say("store.storeError.theDatabaseFileDoes", lang, ["p": "\(p)"])
        case .alreadyExists(let p):
            return say("store.storeError.theDatabaseFileAlready", lang, ["p": "\(p)"])
        case .locked(let p):
            return say("store.storeError.theDatabaseIsLocked", lang, ["p": "\(p)"])
        case .readOnly(let p):
            return say("store.storeError.theDatabaseIsRead", lang, ["p": "\(p)"])
        case .corrupt(let p, let d):
            return say("store.storeError.theDatabaseIsDamaged", lang, ["p": "\(p)", "d": "\(d)"])
        case .backupFailed(let p, let d):
            return say("store.storeError.theBackupWasNot", lang, ["p": "\(p)", "d": "\(d)"])
        case .notADatabase(let p):
            return say("store.storeError.theFileIsNot", lang, ["p": "\(p)"])
        case .cannotCreate(let p, let d):
            return say("store.storeError.cannotCreateTheDatabase", lang, ["p": "\(p)", "d": "\(d)"])
        case .diskFull(let p):
            return say("store.storeError.theDiskIsFull", lang, ["p": "\(p)"])
        case .staleEdit(let e, let id):
            return say("store.storeError.someoneElseChangedAnd", lang, ["e": "\(e)", "id": "\(id)"])
        case .duplicateID(let id, let holder, _, let head, let village, let progs):
            let masked = Masking.idNumber(id)
            let inForce = progs.isEmpty ? "" : say("store.storeError.inForce", lang, ["programmes": Store.programmesSummary(progs, lang)])
            return say("store.storeError.idNumberAlreadyBelongs", lang, ["masked": "\(masked)", "holder": "\(holder)", "village": "\(village)", "head": "\(head)", "inForce": "\(inForce)"])
        case .notFound(let e, let id):
            return say("store.storeError.noFound", lang, ["e": "\(e)", "id": "\(id)"])
        case .invalid(let s):
            return s
        case .unknownUser(let u):
            return say("store.storeError.thereIsNoUser", lang, ["u": "\(u)"])
        case .wrongPassword(let n):
            return say("store.storeError.wrongPasswordMoreWrong", lang, ["n": "\(n)"])
        case .accountLocked(let until):
            return say("store.storeError.tooManyWrongPasswords", lang, ["until": "\(until)"])
        case .accountDisabled(let u):
            return say("store.storeError.userIsDisabledAsk", lang, ["u": "\(u)"])
        case .userExists(let u):
            return say("store.storeError.userAlreadyExists", lang, ["u": "\(u)"])
        case .auditBroken(let row, let reason):
            return say("store.storeError.theAuditChainBreaks", lang, ["row": "\(row)", "d": reason.text(lang)])
        case .databaseFile(let p):
            return say("store.storeError.isOneOfThe", lang, ["p": "\(p)"])
        case .fileExists(let p):
            return say("store.storeError.theFileAlreadyExists", lang, ["p": "\(p)"])
        case .writeFailed(let p, let d):
            return say("store.storeError.cannotWriteNoPartial", lang, ["p": "\(p)", "d": "\(d)"])
        case .fileDiskFull(let p):
            return say("store.storeError.theDiskIsFull2", lang, ["p": "\(p)"])
        case .keyFileDamaged(let p):
            return say("store.storeError.theKeyOrAnchor", lang, ["p": "\(p)"])
        case .keyMissing(let p):
            return say("store.storeError.theDatabaseSAudit", lang, ["p": "\(p)"])
        case .emptyFile(let p):
            return say("store.storeError.theFileIsEmpty", lang, ["p": "\(p)"])
        case .newerSchema(let p):
            return say("store.storeError.theDatabaseWasMade", lang, ["p": "\(p)"])
        case .unsignedDatabase(let p):
            return say("store.storeError.theDatabaseHasNo", lang, ["p": "\(p)"])
        case .loginFailed:
            return say("store.storeError.wrongUserNameOr", lang)
        case .said(let key, let values):
            return say(key, lang, values)
        case .fieldRefused(let z, let e):
            return Text2(zh: z, en: e)(lang)
        case .notPermitted(let u, let role, let p):
            var values = ["user": u, "role": role.map { $0.label(lang) } ?? ""]
            if let p {
                values["what"] = Policy.label(p)(lang)
                values["roles"] = Strings.shared.list(Policy.rolesInOrder(p).map { $0.label(lang) }, lang)
                return say(role == nil ? "store.notPermittedStranger" : "store.notPermitted", lang, values)
            }
            return say(role == nil ? "store.notPermittedStepStranger" : "store.notPermittedStep", lang, values)
        case .unknownRole(let u, let v):
            return say("store.unknownRole", lang, ["user": u, "value": v])
        case .workflow(let e, let sz, let se):
            return e.message(lang) { _ in Text2(zh: sz, en: se)(lang) } + (say("store.storeError.nothingWasChanged", lang))
        }
    }
}
