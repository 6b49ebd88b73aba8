import ArgumentParser
import Foundation
import JiuzhuModel
import JiuzhuStore

/// `jiuzhu backup`: a checked copy of the database, made while it is in use.
struct BackupCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "backup",
            abstract: t("cli.backup.backUpTheDatabase"),
            discussion: t("cli.backup.byDefaultIntoBackups"))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .shortAndLong, help: ArgumentHelp(t("cli.backup.backUpToThis")))
    var output: String?
    @Flag(name: .long, help: ArgumentHelp(t("cli.backup.listTheBackups")))
    var list = false
    @Flag(name: .long, help: ArgumentHelp(t("cli.backup.backUpOnlyWhen")))
    var auto = false
    @Option(name: .customLong("key-to"), help: ArgumentHelp(t("cli.backup.copyTheKeyFile")))
    var keyTo: String?
    @OptionGroup var signIn: SignIn

    mutating func run() throws {
        let lang = common.language
        // `--list` only reads (a backup writes its audit row, the key's copy too).
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: list && keyTo == nil ? .readOnly : .mustExist) }
        if let to = keyTo {
            // The key is what makes the audit rows unforgeable: its copy is the administrator's,
            // made 0600, never over an existing file, and audited.
            let admin = try signIn.user(store, roles: Policy.roles(.backups), what: pair("cli.backup.copyingTheKeyFile"), lang: lang).name
            guard let data = FileManager.default.contents(atPath: store.keyPath) else { throw fail(StoreError.keyMissing(path: store.keyPath).message(lang)) }
            try guarded(lang) {
                try SafeFile.write(data, to: to)
                try store.auditUnmaskedExport(by: admin, what: "key file copied to \(to)", rows: 1)
            }
            print(t("cli.backup.copiedTheKeyFile", ["to": "\(to)"]))
            return
        }
        // Leftovers of a backup that was killed: older than an hour they are removed.
        let (removed, left) = store.partLeftovers(removeOld: true)
        for p in removed { try? FileHandle.standardError.write(contentsOf: Data(t("cli.backup.removedLeftByAn", ["p": "\(p)"]).utf8)) }
        if list {
            let files = store.backups(in: output)
            if files.isEmpty { print(t("cli.backup.noBackupsInYet", ["v1": "\(output ?? store.backupFolder)"])) }
            for f in files { print("\(f.written)\t\(BackupFile.sizeText(f.bytes))\t\(f.path)") }
            for p in left { print(t("cli.backup.unfinishedAnInterruptedOr", ["p": "\(p)"])) }
            return
        }
        if auto {
            let (made, removed) = try guarded(lang) { try store.autoBackupIfDue(by: "cli") }
            guard let r = made else { print(t("cli.backup.aRecentBackupExists")); return }
            print(t("cli.backup.backedUpAutomaticallyTo", ["filePath": "\(r.file.path)", "v2": "\(BackupFile.sizeText(r.file.bytes))", "removedCount": "\(removed.count)"]))
            return
        }
        let target = output
        // A copy into backups/ beside the database stays as protected as the database; one taken
        // elsewhere (-o: a USB stick) carries every record out, so it is the administrator's.
        let by = target == nil ? "cli" : try signIn.user(store, roles: Policy.roles(.backups), what: pair("cli.backup.aBackupElsewhereO"), lang: lang).name
        let r = try guarded(lang) { try store.backup(to: target, by: by) }
        if let problem = r.chainBreak?.message(lang) ?? r.chainProblem {
            print(t("cli.backup.backedUpToIntegrity", ["filePath": "\(r.file.path)", "v2": "\(BackupFile.sizeText(r.file.bytes))", "problem": "\(problem)"]))
            throw ExitCode(1)
        }
        print(t("cli.backup.backedUpToIntegrity2", ["filePath": "\(r.file.path)", "v2": "\(BackupFile.sizeText(r.file.bytes))", "auditRows": "\(r.auditRows)"]))
    }
}

/// `jiuzhu restore FILE`: put a backup back, keeping the database as it was in a new backup.
struct RestoreCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "restore",
            abstract: t("cli.backup.restoreABackupChecked"),
            discussion: t("cli.backup.askTheOtherClerks"))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(t("cli.backup.theBackupFile")))
    var file: String
    @Flag(name: .long, help: ArgumentHelp(t("cli.backup.doRestore")))
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
                print(t("cli.backup.theBackupIsSound", ["file": "\(file)", "households": "\(c.households)", "auditRows": "\(c.auditRows)"]))
                return
            }
            // The database cannot be asked: the administrator's password is checked against the
            // users of the backup that is put in its place.
            let users = try guarded(lang) { try Store(path: file, mode: .readOnly) }
            let admin = try SignInCheck.offline(users, signIn, what: pair("cli.backup.restoringABackup"), lang: lang)
            let r = try guarded(lang) { try Store.rescue(database: path, from: file, by: admin) }
            print(t("cli.backup.restoredFromAuditChain", ["file": "\(file)", "path": "\(path)", "auditRows": "\(r.auditRows)"])
                  + (r.keptAside.isEmpty ? "" : t("cli.backup.theFilesThatWere") + r.keptAside.joined(separator: ", ")))
            return
        }
        if !yes {
            let c = try guarded(lang) { try store.checkBackup(file) }
            let households = c.households, rows = c.auditRows
            print(t("cli.backup.theBackupIsSound2", ["file": "\(file)", "households": "\(households)", "rows": "\(rows)"]))
            return
        }
        let admin = try signIn.user(store, roles: Policy.roles(.restore), what: pair("cli.backup.restoringABackup"), lang: lang).name
        let r = try guarded(lang) { try store.restore(from: file, by: admin) }
        let kept = r.saved.map { [$0.file.path] } ?? r.keptAside
        print(t("cli.backup.restoredFromAuditChain2", ["file": "\(file)", "auditRows": "\(r.auditRows)", "kept": list(kept)]))
    }
}
