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
    case auditBroken(atRow: Int64, detail: String)
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

    public func message(_ lang: Lang) -> String {
        let zh = lang == .zh
        switch self {
        case .missingFile(let p):
            return zh ? "找不到数据库文件 \(p)。什么也没有改动。请检查 --db 路径,或用 `jiuzhu init --db \(p) ...` 新建,或用 --demo 打开演示库。"
                      : "The database file \(p) does not exist. Nothing was changed. Check the --db path, create one with `jiuzhu init --db \(p) ...`, or use --demo."
        case .alreadyExists(let p):
            return zh ? "数据库文件 \(p) 已经存在,不会覆盖。如要新建,请换一个路径;如要使用它,直接用 --db \(p) 打开。"
                      : "The database file \(p) already exists and will not be overwritten. Choose another path, or open it with --db \(p)."
        case .locked(let p):
            return zh ? "数据库 \(p) 正被另一个程序锁定(可能另一位经办员正在保存)。你的输入已保留。请稍候再试;若一直如此,请关闭其他正在使用该文件的程序。"
                      : "The database \(p) is locked by another program (perhaps the other clerk is saving). Your input is kept. Try again in a moment; if it persists, close other programs using the file."
        case .readOnly(let p):
            return zh ? "数据库 \(p) 只读,无法保存。什么也没有写入。请检查文件和所在文件夹的权限(需要可写),或把它复制到可写的位置。"
                      : "The database \(p) is read-only; nothing can be saved and nothing was written. Check the permissions of the file and its folder, or copy it somewhere writable."
        case .corrupt(let p, let d):
            return zh ? "数据库 \(p) 已损坏(\(d))。没有写入任何内容。请先把损坏的文件另存一份交给技术人员,再用最近的备份恢复(系统管理里列出备份;`jiuzhu restore 备份文件`)。"
                      : "The database \(p) is damaged (\(d)). Nothing was written. Keep a copy of the damaged file for a technician, then restore the latest backup (listed under System; `jiuzhu restore FILE`)."
        case .backupFailed(let p, let d):
            return zh ? "备份 \(p) 没有做成(\(d))。数据库本身只被读取,没有任何改动,半成品文件已删除。请检查目标磁盘的空间和权限后再备份。"
                      : "The backup \(p) was not made (\(d)). The database itself was only read and nothing in it changed; the partial file was removed. Check the target disk's space and permissions and back up again."
        case .notADatabase(let p):
            return zh ? "文件 \(p) 不是救助数据库。什么也没有改动。请检查 --db 路径。"
                      : "The file \(p) is not a Jiuzhu database. Nothing was changed. Check the --db path."
        case .cannotCreate(let p, let d):
            return zh ? "无法创建数据库 \(p):\(d)。请检查文件夹是否存在且可写。"
                      : "Cannot create the database \(p): \(d). Check that the folder exists and is writable."
        case .diskFull(let p):
            return zh ? "磁盘已满,\(p) 无法保存。刚才的修改没有写入,你的输入仍在屏幕上。请腾出磁盘空间后再保存。"
                      : "The disk is full; \(p) could not be saved. The change was not written and your input is still on screen. Free some disk space and save again."
        case .staleEdit(let e, let id):
            return zh ? "另一位用户在你打开之后修改并保存了这条记录(\(e) \(id))。你的输入没有覆盖他的修改,仍保留在屏幕上。请记下你的修改,重新打开记录后再录入。"
                      : "Someone else changed and saved this record (\(e) \(id)) after you opened it. Your input did not overwrite theirs and is still on screen. Note your changes, reopen the record and enter them again."
        case .duplicateID(let id, let holder, _, let head, let village, let progs):
            let masked = Masking.idNumber(id)
            let inForce = progs.isEmpty ? "" : (zh ? ",\(progs)" : ", \(progs)")
            return zh ? "身份证号 \(masked) 已属于 \(holder)——\(village) \(head) 户的成员\(inForce)。一人一号:不能重复登记。请核对号码,或到该户修改。"
                      : "ID number \(masked) already belongs to \(holder), a member of household \(head) in \(village)\(inForce). One person, one ID: it cannot be registered twice. Check the number, or edit that household."
        case .notFound(let e, let id):
            return zh ? "找不到\(e) \(id)。" : "No \(e) \(id) found."
        case .invalid(let s):
            return s
        case .unknownUser(let u):
            return zh ? "没有用户 \(u)。请检查用户名。" : "There is no user \(u). Check the user name."
        case .wrongPassword(let n):
            return zh ? "密码错误。再错 \(n) 次账户将被锁定。" : "Wrong password. \(n) more wrong attempts lock the account."
        case .accountLocked(let until):
            return zh ? "密码错误次数过多,账户已锁定到 \(until)。请到时再试,或请管理员解锁。"
                      : "Too many wrong passwords: the account is locked until \(until). Try again then, or ask the admin to unlock it."
        case .accountDisabled(let u):
            return zh ? "用户 \(u) 已停用。请联系管理员。" : "User \(u) is disabled. Ask the admin."
        case .userExists(let u):
            return zh ? "用户 \(u) 已存在。" : "User \(u) already exists."
        case .auditBroken(let row, let d):
            return zh ? "审计链在第 \(row) 行断开:\(d)。该行之后的记录可能被改动过。请保留此数据库文件并报告县局。"
                      : "The audit chain breaks at row \(row): \(d). Records from that row on may have been altered. Keep this database file and report it to the county."
        case .databaseFile(let p):
            return zh ? "\(p) 是正在使用的数据库自己的文件,不能写到这里。什么也没有写,数据库没有改动。请换一个输出文件名。"
                      : "\(p) is one of the open database's own files and is never written to. Nothing was written and the database is unchanged. Choose another output file."
        case .fileExists(let p):
            return zh ? "文件 \(p) 已经存在,没有覆盖。请换一个文件名,或加 --force 覆盖它。"
                      : "The file \(p) already exists and was not overwritten. Choose another name, or add --force to replace it."
        case .writeFailed(let p, let d):
            return zh ? "无法写入 \(p):\(d)。没有留下半成品文件,数据库没有改动。请检查文件夹是否存在、可写。"
                      : "Cannot write \(p): \(d). No partial file was left and the database is unchanged. Check that the folder exists and is writable."
        case .fileDiskFull(let p):
            return zh ? "磁盘已满,\(p) 没有写成。没有留下半成品文件,数据库没有改动。请腾出磁盘空间后再试。"
                      : "The disk is full: \(p) was not written. No partial file was left and the database is unchanged. Free some disk space and try again."
        case .keyFileDamaged(let p):
            return zh ? "密钥或锚点文件 \(p) 无法读取(内容不对)。什么也没有改动。请从单独保存的副本放回该文件(见 README「安全」一节)。"
                      : "The key or anchor file \(p) cannot be read (its content is wrong). Nothing was changed. Put back its copy kept apart (see the README's Security section)."
        case .keyMissing(let p):
            return zh ? "数据库的审计记录是用密钥文件 \(p) 签名的,但该文件不见了。什么也没有改动。请把单独保存的密钥副本复制回 \(p)(见 README「安全」一节);没有它就无法签署新的修改,也无法证明旧记录未被伪造。"
                      : "The database's audit rows are keyed with \(p), and that file is gone. Nothing was changed. Copy the key's copy kept apart back to \(p) (see the README's Security section); without it no new change can be signed and the old rows cannot be shown to be unforged."
        case .emptyFile(let p):
            return zh ? "文件 \(p) 是空的(0 字节),不是数据库(可能是上次新建时被中断留下的)。什么也没有改动。请删除它后重新运行 init 或 demo,或用 `jiuzhu restore 备份文件 --db \(p)` 从备份恢复。"
                      : "The file \(p) is empty (0 bytes), not a database (perhaps left by an interrupted first run). Nothing was changed. Delete it and run init or demo again, or restore a backup with `jiuzhu restore FILE --db \(p)`."
        case .newerSchema(let p):
            return zh ? "数据库 \(p) 是较新版本的程序建立或修改的,本程序不认识它的结构,不会写入。什么也没有改动。请使用较新版本的程序,或从本版本做的备份恢复。"
                      : "The database \(p) was made or changed by a newer version of the program; this one does not know its layout and will not write to it. Nothing was changed. Use the newer program, or restore a backup made by this version."
        case .unsignedDatabase(let p):
            return zh ? "数据库 \(p) 没有审计签名,而它旁边已有密钥文件:它可能是复制到此处的旧备份,也可能被改动过。什么也没有改动。请用 `jiuzhu restore 备份文件 --yes` 恢复(会检查并签名),或交技术人员检查。"
                      : "The database \(p) has no audit keys, yet a key file is beside it: it may be an old backup copied into place, or it was altered. Nothing was changed. Restore it with `jiuzhu restore FILE --yes` (which checks and keys it), or have it checked."
        case .loginFailed:
            return zh ? "用户名或密码错误(为安全起见,不说是哪一项)。连续输错几次账户会被锁定;忘记密码请找管理员。"
                      : "Wrong user name or password (which one is not said, for safety). Repeated wrong attempts lock the account; ask the admin if you forgot the password."
        case .fieldRefused(let z, let e):
            return zh ? z : e
        case .workflow(let e, let sz, let se):
            return e.message(lang) { _ in zh ? sz : se } + (zh ? " 什么也没有改动。" : " Nothing was changed.")
        }
    }
}
