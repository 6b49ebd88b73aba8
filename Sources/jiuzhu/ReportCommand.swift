import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore

/// `jiuzhu report`: the year-end table (统计报表) for a period, from the cases' step records.
struct ReportCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "report",
                             abstract: t("cli.report.yearEndFiguresPer"))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .long, help: ArgumentHelp(t("cli.report.yearDefaultThisYear")))
    var year: Int?
    @Option(name: .long, help: ArgumentHelp(t("cli.report.fromInsteadOfYear")))
    var from: String?
    @Option(name: .long, help: ArgumentHelp(t("cli.report.untilDefaultTheYear")))
    var until: String?
    @Option(name: .long, help: ArgumentHelp(t("cli.report.writeToAFile")))
    var out: String?
    @Flag(name: .long, help: ArgumentHelp(t("cli.export.replaceAnExistingOutput")))
    var force = false
    @Option(name: .long, help: ArgumentHelp(t("county.cliReportTownship")))
    var township: String?
    @Flag(name: .customLong("by-township"), help: ArgumentHelp(t("county.cliReportByTownship")))
    var byTownship = false

    mutating func run() throws {
        let lang = common.language
        let nothing = pair("cli.report.nothingWasCounted")
        let (store, env, catalog) = try storeWithCatalog(common, outcome: nothing, readOnly: true)
        func date(_ text: String) throws -> CivilDate {
            guard let v = CivilDate(iso: text) else {
                throw fail(t("cli.campaign.isNotADate", ["t": "\(text)", "nothing": "\(pick(nothing))"]))
            }
            return v
        }
        let y = year ?? env.today.year
        guard let jan1 = CivilDate(year: y, month: 1, day: 1), let dec31 = CivilDate(year: y, month: 12, day: 31) else {
            throw fail(t("cli.report.yearIsNotValid", ["y": "\(y)", "nothing": "\(pick(nothing))"]))
        }
        let start = try from.map(date) ?? jan1
        let end = try until.map(date) ?? min(dec31, env.today)
        if end > env.today {
            throw fail(t("cli.report.isAfterTodayThe", ["endIso": "\(end.iso)", "nothing": "\(pick(nothing))"]))
        }
        // A county file (issue 25 item 4): one township's table, or the total and each township's.
        let towns = try guarded(lang) { try store.townships() }
        var only: Region?
        if let name = township {
            guard let r = Store.township(name, in: towns) else {
                throw fail(t("county.badTownship", ["name": name]) + " " + pick(nothing))
            }
            only = r
        }
        let county = try guarded(lang) { try store.isCountyFile() }
        let figures = try guarded(lang) { try store.yearFigures(from: start, until: end, catalog: catalog, township: only?.code) }
        let disaster = only != nil ? [] : try guarded(lang) {
            YearReport.disasterRows(try store.disasterYearFigures(from: start, until: end, catalog: catalog), items: try store.reliefItems(), lang: lang)
        }
        let owner = only?.name ?? (county ? say("county.allTownships", lang) : env.township)
        var text = YearReport.tsv(figures, from: start, until: end, township: owner, lang: lang, anchor: store.anchorText(), disaster: disaster)
        if byTownship && only == nil {
            for (code, f) in try guarded(lang, { try store.yearFiguresByTownship(from: start, until: end, catalog: catalog) }) {
                text += "\n" + YearReport.tsv(f, from: start, until: end, township: towns.first { $0.code == code }?.name ?? code, lang: lang)
            }
        }
        try guarded(lang) { try writeOutput(out, force: force) { try $0.write(text) } }
        if let path = out { print(t("cli.report.writtenTo", ["path": "\(path)"])) }
    }
}
