import ArgumentParser
import Foundation
import JiuzhuModel
import JiuzhuStore

@main
struct Jiuzhu: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "jiuzhu",
            abstract: t("cli.jiuzhu.jiuzhuSocialAssistanceFor"),
            discussion: t("cli.jiuzhu.withoutASubcommandOpens"),
            subcommands: [OpenCommand.self, InitCommand.self, DemoCommand.self, CheckIDCommand.self, CaseCommand.self, MedicalCommand.self, HouseholdCommand.self, PublicityCommand.self, SpotCheckCommand.self, CampaignCommand.self, ReportCommand.self, RosterCommand.self, RaiseCommand.self, ExportCommand.self, DisasterCommand.self, ImportCommand.self, ExchangeCommand.self,
                          UserCommand.self, RegionCommand.self, VerifyCommand.self, BackupCommand.self, RestoreCommand.self, BenchCommand.self],
            defaultSubcommand: OpenCommand.self)
    }

    static func main() {
        // A file-size limit (`ulimit -f`) makes write() fail with EFBIG, reported as a full disk,
        // instead of killing the process half-way through a file.
        signal(SIGXFSZ, SIG_IGN)
        // Every text comes from screens/strings*.json: checked before anything is said.
        if case .failure(let e) = Strings.loaded {
            try? FileHandle.standardError.write(contentsOf: Data("jiuzhu: \(e)\n".utf8))
            Foundation.exit(2)
        }
        main(nil)
    }
}

/// The full-screen application. The default subcommand, so `jiuzhu --demo` opens it; the
/// options live here and not on the root so subcommands parse their own `--db` and `--lang`.
struct OpenCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "open", abstract: t("cli.jiuzhu.openTheFullScreen"))
    }

    @OptionGroup var common: CommonOptions

    @Flag(name: .long, help: ArgumentHelp(t("cli.jiuzhu.openTheDemoTownship")))
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
            try? FileHandle.standardError.write(contentsOf: Data(t("cli.backup.removedLeftByAn", ["p": "\(p)"]).utf8))
        }
        try AppLauncher.run(store: store, lang: lang, demo: demo)
    }
}
