import ArgumentParser
import Foundation
import JiuzhuModel
import JiuzhuStore

/// `jiuzhu spotcheck`: the county's reproducible spot-check sample (抽查).
struct SpotCheckCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "spotcheck", abstract: t("cli.spotCheck.spotChecksAReproducible"),
                             subcommands: [SpotCheckDrawCommand.self, SpotCheckList.self])
    }
}

struct SpotCheckDrawCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "draw",
            abstract: t("cli.spotCheck.drawASpotCheck"),
            discussion: t("cli.spotCheck.thePopulationIsEvery"))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .customLong("program"), help: ArgumentHelp(t("cli.spotCheck.programmeCodeRuralDibao")))
    var program: String
    @Option(name: .long, help: ArgumentHelp(t("cli.spotCheck.percentageDefaultTheSetting")))
    var percent: Int?
    @Option(name: .long, help: ArgumentHelp(t("cli.spotCheck.randomSeedDefaultA")))
    var seed: UInt64?
    @Option(name: .long, help: ArgumentHelp(t("cli.spotCheck.periodYyyyOrYyyy")))
    var period: String?
    @Flag(name: .long, help: ArgumentHelp(t("cli.spotCheck.showOnlyWriteNothing")))
    var dryRun = false
    @OptionGroup var signIn: SignIn

    mutating func run() throws {
        let lang = common.language
        let nothing = pair("cli.spotCheck.nothingWasDrawn")
        let programme = try programmeArgument(program, outcome: nothing)
        if let p = percent, !(1...100).contains(p) {
            throw fail(t("cli.spotCheck.thePercentageIsTo", ["p": "\(p)", "nothing": "\(pick(nothing))"]))
        }
        let period = self.period ?? String(CivilDate.today.year)
        guard SpotCheckPeriod.isValid(period) else {
            throw fail(t("cli.spotCheck.thePeriodIsA", ["period": "\(period)", "nothing": "\(pick(nothing))"]))
        }
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: dryRun ? .readOnly : .mustExist) }
        // A draw that is recorded is the supervisor's, the approver's or the administrator's (as
        // on 抽查督查), after their password; a dry run writes nothing and needs no one.
        let by = dryRun ? "cli" : try signIn.user(store, roles: Policy.roles(.spotChecks), what: pair("cli.spotCheck.recordingADraw"), lang: lang).name
        let pct: Int
        if let p = percent { pct = p } else { pct = try guarded(lang) { try store.spotCheckPercent() } }
        let seed = self.seed ?? UInt64.random(in: 1...999_999_999)
        let r = try guarded(lang) {
            try store.drawSpotCheck(programme: programme, period: period, percent: pct, seed: seed, by: by, dryRun: dryRun)
        }
        // A county file's villages repeat their names across townships: each named with its township.
        let towns = try guarded(lang) { try store.countyTownships() }
        print(Self.render(r, lang: lang, dryRun: dryRun, seedGiven: self.seed != nil, townships: towns))
    }

    static func render(_ r: SpotCheckDrawResult, lang: Lang, dryRun: Bool, seedGiven: Bool, townships: [Region]? = nil) -> String {
        var out: [String] = []
        func place(_ code: String, _ name: String) -> String {
            guard let towns = townships else { return name }
            let t = towns.first { Store.townshipPrefix($0.code) == Store.townshipPrefix(code) }?.name ?? Store.townshipPrefix(code)
            return t + " " + name
        }
        out.append(say("cli.spotCheck.spotCheckOf", lang, ["label": "\(r.programme.label(lang))", "period": "\(r.period)"]))
        out.append((say("cli.spotCheck.seed", lang)) + String(r.seed) + (seedGiven ? "" : (say("cli.spotCheck.randomUseSeedTo", lang, ["seed": "\(r.seed)"]))))
        out.append((say("cli.spotCheck.percent", lang)) + "\(r.percent)%")
        if let w = r.warning { out.append((say("cli.spotCheck.warning", lang)) + w(lang)) }
        out.append(say("cli.spotCheck.inForceDrawn", lang, ["population": "\(r.population)", "linesCount": "\(r.lines.count)"]))
        out.append("")
        out.append(say("cli.spotCheck.villageInForceDrawn", lang))
        for v in r.villages { out.append("\(place(v.code, v.name))\t\(v.population)\t\(v.sampled)") }
        out.append("")
        out.append(say("cli.spotCheck.caseHeadVillage", lang))
        for l in r.lines { out.append("#\(IdBlock.shown(l.caseId))\t\(l.headName)\t\(place(l.villageCode, l.villageName))") }
        out.append("")
        if let id = r.drawId {
            out.append(say("cli.spotCheck.recordedAsDraw", lang, ["id": "\(id)"]))
        } else {
            out.append(say("cli.spotCheck.dryRunDryRun", lang))
        }
        return out.joined(separator: "\n")
    }
}

/// `jiuzhu spotcheck list`: every draw with its seed, so anyone can draw it again.
struct SpotCheckList: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: t("cli.spotCheck.listDrawsNumberProgramme"))
    }
    @OptionGroup var common: CommonOptions

    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .readOnly) }
        let draws = try guarded(lang) { try store.spotCheckDraws() }
        if draws.isEmpty {
            print(t("cli.spotCheck.noSpotCheckDraws"))
            return
        }
        print(t("cli.spotCheck.noProgrammePeriodPercent"))
        for d in draws {
            print("#\(IdBlock.shown(d.id))\t\(d.programme.label(lang))\t\(d.period)\t\(d.percent)%\t\(d.seed)\t\(d.population)\t\(d.sampled)\t\(d.visited)\t\(d.drawnBy)\t\(d.drawnAt)")
        }
    }
}
