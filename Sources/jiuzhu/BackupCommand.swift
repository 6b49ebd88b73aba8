import ArgumentParser
import Foundation
import JiuzhuModel
import JiuzhuStore

/// `jiuzhu backup`: a checked copy of the database, made while it is in use.
struct BackupCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "backup",
            abstract: L("备份数据库(可在使用中进行;副本经过检查,权限 0600)", "back up the database (while in use; the copy is checked and mode 0600)"),
            discussion: L("默认放在数据库旁的 backups/ 文件夹,文件名带日期时间;-o 可给文件(如 office.sqlite)或文件夹(如 U 盘;没有扩展名的即为文件夹,不存在时新建)。--list 列出已有备份。",
                          "By default into backups/ beside the database, named with the date and time; -o takes a file (such as office.sqlite) or a folder (a USB stick; a name without an extension is a folder, made if missing). --list lists the backups."))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .shortAndLong, help: ArgumentHelp(L("备份到此文件或文件夹", "back up to this file or folder")))
    var output: String?
    @Flag(name: .long, help: ArgumentHelp(L("列出备份", "list the backups")))
    var list = false
    @Flag(name: .long, help: ArgumentHelp(L("仅在到期时备份(按 auto_backup_days,并只保留 auto_backup_keep 份自动备份;适合计划任务)",
                                            "back up only when due (auto_backup_days; keeps auto_backup_keep automatic backups; for cron)")))
    var auto = false
    @Option(name: .customLong("key-to"), help: ArgumentHelp(L("把密钥文件复制一份到此(单独保管,不与备份放在一起;管理员)", "copy the key file here (keep it apart from the backups; administrator)")))
    var keyTo: String?
    @OptionGroup var signIn: SignIn

    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        if let to = keyTo {
            // The key is what makes the audit rows unforgeable: its copy is the administrator's,
            // made 0600, never over an existing file, and audited.
            let admin = try signIn.user(store, roles: [.admin], what: ("复制密钥文件", "Copying the key file"), lang: lang).name
            guard let data = FileManager.default.contents(atPath: store.keyPath) else { throw fail(StoreError.keyMissing(path: store.keyPath).message(lang)) }
            try guarded(lang) {
                try SafeFile.write(data, to: to)
                try store.auditUnmaskedExport(by: admin, what: "key file copied to \(to)", rows: 1)
            }
            print(L("已把密钥文件复制到 \(to)。请把它和备份分开保管(见 README「安全」)。", "Copied the key file to \(to). Keep it apart from the backups (see the README's Security section)."))
            return
        }
        // Leftovers of a backup that was killed: older than an hour they are removed.
        let (removed, left) = store.partLeftovers(removeOld: true)
        for p in removed { try? FileHandle.standardError.write(contentsOf: Data(L("已删除中断备份留下的 \(p)\n", "Removed \(p), left by an interrupted backup\n").utf8)) }
        if list {
            let files = store.backups(in: output)
            if files.isEmpty { print(L("\(output ?? store.backupFolder) 里还没有备份。", "No backups in \(output ?? store.backupFolder) yet.")) }
            for f in files { print("\(f.written)\t\(BackupFile.sizeText(f.bytes))\t\(f.path)") }
            for p in left { print(L("未完成\t\t\(p)(中断或正在进行的备份;一小时后自动删除)", "unfinished\t\t\(p) (an interrupted or running backup; removed after an hour)")) }
            return
        }
        if auto {
            let (made, removed) = try guarded(lang) { try store.autoBackupIfDue(by: "cli") }
            guard let r = made else { print(L("最近已有备份,还不到自动备份的时候。", "A recent backup exists; no automatic backup is due.")); return }
            print(L("已自动备份到 \(r.file.path)(\(BackupFile.sizeText(r.file.bytes)),已检查);删除较早的自动备份 \(removed.count) 份。",
                    "Backed up automatically to \(r.file.path) (\(BackupFile.sizeText(r.file.bytes)), checked); \(removed.count) older automatic backups removed."))
            return
        }
        let target = output
        // A copy into backups/ beside the database stays as protected as the database; one taken
        // elsewhere (-o: a USB stick) carries every record out, so it is the administrator's.
        let by = target == nil ? "cli" : try signIn.user(store, roles: [.admin], what: ("把备份放到别处(-o)", "A backup elsewhere (-o)"), lang: lang).name
        let r = try guarded(lang) { try store.backup(to: target, by: by) }
        if let problem = r.chainProblem {
            print(L("已备份到 \(r.file.path)(\(BackupFile.sizeText(r.file.bytes)),完整性检查通过)。但审计链有问题:\(problem) 请保留这份备份并报告县局。",
                    "Backed up to \(r.file.path) (\(BackupFile.sizeText(r.file.bytes)); integrity checked). But the audit chain has a problem: \(problem) Keep this backup and report it to the county."))
            throw ExitCode(1)
        }
        print(L("已备份到 \(r.file.path)(\(BackupFile.sizeText(r.file.bytes)),完整性检查通过,审计链 \(r.auditRows) 行核对无误)。",
                "Backed up to \(r.file.path) (\(BackupFile.sizeText(r.file.bytes)); integrity checked, audit chain of \(r.auditRows) rows verified)."))
    }
}

/// `jiuzhu restore FILE`: put a backup back, keeping the database as it was in a new backup.
struct RestoreCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "restore",
            abstract: L("从备份恢复(先检查备份,并把当前数据库另存为一份新备份)", "restore a backup (checked first; the database as it is now is kept as a new backup)"),
            discussion: L("恢复前请让其他经办员退出。不加 --yes 时只检查备份,不做改动。",
                          "Ask the other clerks to quit first. Without --yes the backup is only checked; nothing is changed."))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(L("备份文件", "the backup file")))
    var file: String
    @Flag(name: .long, help: ArgumentHelp(L("确认恢复", "do restore")))
    var yes = false
    @OptionGroup var signIn: SignIn

    mutating func run() throws {
        let lang = common.language
        let path = common.databasePath()
        let file = self.file
        let store: Store
        do { store = try Store(path: path, mode: .mustExist) }
        catch let e as StoreError {
            // A database that cannot be opened (damaged, empty, missing ...) is rescued: the
            // backup takes its place and what was there is renamed aside, never deleted.
            switch e {
            case .corrupt, .notADatabase, .emptyFile, .missingFile, .unsignedDatabase: break
            default: throw fail(e.message(lang))
            }
            try? FileHandle.standardError.write(contentsOf: Data((e.message(lang) + "\n").utf8))
            let key = try guarded(lang) { try KeyFileAccess.key(for: path) }
            if !yes {
                let c = try guarded(lang) { try Store.checkBackup(file, key: key) }
                print(L("备份 \(file) 完好:\(c.households) 户,审计链 \(c.auditRows) 行核对无误。什么也没有改动;加 --yes 用它替换无法打开的数据库(原文件改名保留在 backups/)。",
                        "The backup \(file) is sound: \(c.households) households, audit chain of \(c.auditRows) rows verified. Nothing was changed; add --yes to put it in place of the database that cannot be opened (which is renamed aside into backups/)."))
                return
            }
            // The database cannot be asked: the administrator's password is checked against the
            // users of the backup that is put in its place.
            let users = try guarded(lang) { try Store(path: file, mode: .readOnly) }
            let admin = try SignInCheck.offline(users, signIn, what: ("恢复备份", "Restoring a backup"), lang: lang)
            let r = try guarded(lang) { try Store.rescue(database: path, from: file, by: admin) }
            print(L("已从 \(file) 恢复 \(path)(审计链 \(r.auditRows) 行)。", "Restored \(path) from \(file) (audit chain of \(r.auditRows) rows).")
                  + (r.keptAside.isEmpty ? "" : L("原来的文件改名保留为:", " The files that were there are kept as: ") + r.keptAside.joined(separator: ", ")))
            return
        }
        if !yes {
            let c = try guarded(lang) { try store.checkBackup(file) }
            let households = c.households, rows = c.auditRows
            print(L("备份 \(file) 完好:\(households) 户,审计链 \(rows) 行核对无误。什么也没有改动;确认恢复请加 --yes。",
                    "The backup \(file) is sound: \(households) households, audit chain of \(rows) rows verified. Nothing was changed; add --yes to restore it."))
            return
        }
        let admin = try signIn.user(store, roles: [.admin], what: ("恢复备份", "Restoring a backup"), lang: lang).name
        let r = try guarded(lang) { try store.restore(from: file, by: admin) }
        let kept = r.saved.map { [$0.file.path] } ?? r.keptAside
        print(L("已从 \(file) 恢复(审计链 \(r.auditRows) 行)。恢复前的数据库已另存为 \(kept.joined(separator: "、"))。",
                "Restored from \(file) (audit chain of \(r.auditRows) rows). The database as it was is kept in \(kept.joined(separator: ", "))."))
    }
}
