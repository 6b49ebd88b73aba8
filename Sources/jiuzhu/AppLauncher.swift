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
            throw fail(L("界面定义文件有误:\(e.description)。\(outcome.zh)请改正该文件(或从安装包恢复)后再运行。",
                         "A screen file is wrong: \(e.description). \(outcome.en) Fix that file (or restore it) and run again."))
        }
        return try guarded(lang) { try AppEnvironment.load(store: store, screens: screens, lang: lang, demo: demo) }
    }

    static func run(store: Store, lang: Lang, demo: Bool) throws {
        let env = try environment(store: store, lang: lang, demo: demo,
                                  outcome: ("程序没有启动,数据没有改动。", "The program did not start and no data was changed."))
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
            throw fail(L("无法使用终端:\(e.description)", "Cannot use the terminal: \(e.description)"))
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
            print(L("已自动备份到 \(r.file.path)(\(BackupFile.sizeText(r.file.bytes)),已检查)", "Backed up automatically to \(r.file.path) (\(BackupFile.sizeText(r.file.bytes)), checked)")
                  + (removed.isEmpty ? "" : L(";删除了 \(removed.count) 份较早的自动备份", "; \(removed.count) older automatic backups removed")) + L("。", "."))
            Log.write("auto backup \(r.file.path); removed \(removed.count)")
        } catch {
            let why = (error as? StoreError)?.message(lang) ?? String(describing: error)
            try? FileHandle.standardError.write(contentsOf: Data(L("自动备份没有做成:\(why)\n请在系统管理里按 F9 手动备份。\n",
                                                  "The automatic backup was not made: \(why)\nBack up by hand with F9 under System.\n").utf8))
        }
    }

    static func dataDirectoryMissing() throws -> String {
        L("找不到界面定义文件夹 screens/(应含 strings.json)。请在项目目录里运行,或设置 JIUZHU_HOME 为含 screens/ 和 data/ 的文件夹。",
          "Cannot find the screens/ folder (with strings.json). Run from the project folder, or set JIUZHU_HOME to the folder holding screens/ and data/.")
    }
}
