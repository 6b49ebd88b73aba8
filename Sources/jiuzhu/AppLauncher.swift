import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore
import TermCurses

/// Starts the full-screen application: everything that can fail is checked before curses takes
/// the terminal, so a problem is a plain paragraph on a normal terminal.
enum AppLauncher {
    /// Screens and reference data for `store`, or a plain paragraph saying what is wrong and
    /// `outcome` (what did not happen because of it).
    static func environment(store: Store, lang: Lang, demo: Bool, outcome: (zh: String, en: String)) throws -> AppEnvironment {
        // data/ first: the screens/ folder is found beside it, so a missing data/ is said as such.
        _ = try dataDirectory()
        guard let dir = AppEnvironment.screensDirectory(), FileManager.default.fileExists(atPath: dir.path) else { throw fail(try dataDirectoryMissing()) }
        let screens: ScreenData
        do { screens = try ScreenData.load(from: dir) }
        catch let e as ScreenData.LoadError {
            throw fail(t("cli.appLauncher.aScreenFileIs", ["eDescription": "\(e.description)", "outcome": "\(pick(outcome))"]))
        }
        return try guarded(lang) { try AppEnvironment.load(store: store, screens: screens, lang: lang, demo: demo) }
    }

    static func run(store: Store, lang: Lang, demo: Bool) throws {
        let env = try environment(store: store, lang: lang, demo: demo,
                                  outcome: pair("cli.appLauncher.theProgramDidNot"))
        if store.path != ":memory:" {
            let logPath = ((store.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("jiuzhu.log")
            try? Log.open(path: logPath)
        }
        defer { Log.close() }
        var lastUser: String?
        do {
            try CursesBackend.run { backend in
                let runner = AppRunner(backend: backend, store: store, env: env, log: { Log.write($0) })
                runner.run()
                lastUser = runner.state.user?.name
            }
        } catch let e as CursesError {
            throw fail(t("cli.appLauncher.cannotUseTheTerminal", ["eDescription": "\(e.description)"]))
        }
        // The terminal is back: the day's automatic backup, if one is due (not for the demo).
        if !demo && store.path != ":memory:" { autoBackup(store, by: lastUser ?? "auto", lang: lang) }
    }

    /// `auto_backup_days` after the last backup, a checked copy as the app closes; what happened
    /// is one line on the terminal the app has given back.
    static func autoBackup(_ store: Store, by actor: String, lang: Lang) {
        do {
            let (made, removed) = try store.autoBackupIfDue(by: actor)
            guard let r = made else { return }
            print(t("cli.appLauncher.backedUpAutomaticallyTo", ["filePath": "\(r.file.path)", "v2": "\(BackupFile.sizeText(r.file.bytes))"])
                  + (removed.isEmpty ? "" : t("cli.appLauncher.olderAutomaticBackupsRemoved", ["removedCount": "\(removed.count)"])) + t("cli.appLauncher.text"))
            Log.write("auto backup \(r.file.path); removed \(removed.count)")
        } catch {
            let why = (error as? StoreError)?.message(lang) ?? String(describing: error)
            try? FileHandle.standardError.write(contentsOf: Data(t("cli.appLauncher.theAutomaticBackupWas", ["why": "\(why)"]).utf8))
        }
    }

    static func dataDirectoryMissing() throws -> String {
        t("cli.appLauncher.cannotFindTheScreens")
    }
}
