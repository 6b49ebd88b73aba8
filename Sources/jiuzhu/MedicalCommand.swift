import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore

/// `jiuzhu medical`: 医疗救助 lists from the command line.
struct MedicalCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "medical", abstract: t("cli.medical.abstract"), subcommands: [MedicalPremiums.self])
    }
}

/// `jiuzhu medical premiums`: the year's 资助参保 list (who gets the premium paid, how much), as of a
/// date, printed and written into prints/ (A4 text and CSV, ID numbers masked).
struct MedicalPremiums: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "premiums", abstract: t("cli.medical.premiums"), discussion: t("cli.medical.premiumsDiscussion"))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .long, help: ArgumentHelp(t("cli.medical.year")))
    var year: Int?
    @Option(name: .customLong("as-of"), help: ArgumentHelp(t("cli.medical.asOf")))
    var asOf: String?

    mutating func run() throws {
        let lang = common.language
        let nothing = pair("cli.medical.nothingWritten")
        let (store, env, _) = try storeWithCatalog(common, outcome: nothing, readOnly: true)
        let y = year ?? env.today.year
        guard (2000...2100).contains(y) else { throw fail(t("cli.report.yearIsNotValid", ["y": "\(y)", "nothing": "\(pick(nothing))"])) }
        var on = env.today
        if let text = asOf {
            guard let d = CivilDate(iso: text) else { throw fail(t("cli.campaign.isNotADate", ["t": "\(text)", "nothing": "\(pick(nothing))"])) }
            on = d
        }
        if on > env.today { throw fail(t("cli.report.isAfterTodayThe", ["endIso": "\(on.iso)", "nothing": "\(pick(nothing))"])) }
        let list = try guarded(lang) { try store.premiumList(year: y, asOf: on) }
        let office = try guarded(lang) { try store.office() }
        let paths = try guarded(lang) { try PremiumPrint.write(list, office: office, besides: store.path, lang: lang) }
        try guarded(lang) { try SafeFile.standardOutput { try $0.write(PremiumPrint.text(list, office: office, lang: lang)) } }
        try? FileHandle.standardError.write(contentsOf: Data(t("cli.medical.written", ["paths": paths.joined(separator: "\n")]).utf8))
    }
}
