import ArgumentParser
import Foundation
import JiuzhuModel
import JiuzhuStore

@main
struct Jiuzhu: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "jiuzhu",
            abstract: L("救助:乡镇民政办社会救助业务终端程序。", "Jiuzhu: social assistance for a township civil-affairs office."),
            discussion: L("不带子命令时打开全屏界面(即 jiuzhu open)。", "Without a subcommand, opens the full-screen application (jiuzhu open)."),
            subcommands: [OpenCommand.self, InitCommand.self, DemoCommand.self, CheckIDCommand.self, CaseCommand.self, PublicityCommand.self, SpotCheckCommand.self, CampaignCommand.self, ReportCommand.self, RosterCommand.self, RaiseCommand.self, ExportCommand.self,
                          UserCommand.self, RegionCommand.self, VerifyCommand.self, BackupCommand.self, RestoreCommand.self, BenchCommand.self],
            defaultSubcommand: OpenCommand.self)
    }

    static func main() {
        // A file-size limit (`ulimit -f`) makes write() fail with EFBIG, reported as a full disk,
        // instead of killing the process half-way through a file.
        signal(SIGXFSZ, SIG_IGN)
        main(nil)
    }
}

/// The full-screen application. The default subcommand, so `jiuzhu --demo` opens it; the
/// options live here and not on the root so subcommands parse their own `--db` and `--lang`.
struct OpenCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "open", abstract: L("打开全屏界面", "open the full-screen application"))
    }

    @OptionGroup var common: CommonOptions

    @Flag(name: .long, help: ArgumentHelp(L("打开演示乡镇(首次使用时自动生成 600 户)", "open the demo township (600 households, made on first use)")))
    var demo = false

    mutating func run() throws {
        useOneMallocArena()
        let lang = common.language
        let path = common.databasePath(demo: demo)
        let store = try guarded(lang) { () throws -> Store in
            if demo { return try DemoSetup.openOrCreate(path: path, lang: lang) }
            return try Store(path: path, mode: .mustExist)
        }
        // Leftovers of a backup killed half-way: those over an hour old are removed.
        for p in store.partLeftovers(removeOld: true).removed {
            try? FileHandle.standardError.write(contentsOf: Data(L("已删除中断备份留下的 \(p)\n", "Removed \(p), left by an interrupted backup\n").utf8))
        }
        try AppLauncher.run(store: store, lang: lang, demo: demo)
    }
}
