import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore

/// `jiuzhu report`: the year-end table (统计报表) for a period, from the cases' step records.
struct ReportCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "report",
                             abstract: L("统计报表:各项目期初/期末在保户数人数、新增/调整/取消/清退/暂停、金额(万元),任何过去的期间都可重算",
                                         "year-end figures: per programme on the roll at start and end, added/adjusted/cancelled/removed/suspended, money (10k yuan), for any past period"))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .long, help: ArgumentHelp(L("年度(默认今年;今年截至今天)", "year (default: this year, up to today)")))
    var year: Int?
    @Option(name: .long, help: ArgumentHelp(L("开始日期(代替 --year)", "from (instead of --year)")))
    var from: String?
    @Option(name: .long, help: ArgumentHelp(L("截止日期(默认年末或今天)", "until (default: the year's end or today)")))
    var until: String?
    @Option(name: .long, help: ArgumentHelp(L("写入文件(制表符分隔,可用 Excel 打开;权限 0600)", "write to a file (tab-separated, opens in Excel; mode 0600)")))
    var out: String?
    @Flag(name: .long, help: ArgumentHelp(L("覆盖已有的输出文件", "replace an existing output file")))
    var force = false

    mutating func run() throws {
        let lang = common.language
        let nothing = (zh: "没有统计。", en: "Nothing was counted.")
        let (store, env, catalog) = try storeWithCatalog(common, outcome: nothing, readOnly: true)
        func date(_ t: String) throws -> CivilDate {
            guard let v = CivilDate(iso: t) else {
                throw fail(L("「\(t)」不是日期(例:2026-11-23)。\(nothing.zh)", "\"\(t)\" is not a date (e.g. 2026-11-23). \(nothing.en)"))
            }
            return v
        }
        let y = year ?? env.today.year
        guard let jan1 = CivilDate(year: y, month: 1, day: 1), let dec31 = CivilDate(year: y, month: 12, day: 31) else {
            throw fail(L("年度「\(y)」不对。\(nothing.zh)", "Year \(y) is not valid. \(nothing.en)"))
        }
        let start = try from.map(date) ?? jan1
        let end = try until.map(date) ?? min(dec31, env.today)
        if end > env.today {
            throw fail(L("截止日期 \(end.iso) 晚于今天,期末人数还不知道。\(nothing.zh)", "\(end.iso) is after today: the end figures are not known yet. \(nothing.en)"))
        }
        let figures = try guarded(lang) { try store.yearFigures(from: start, until: end, catalog: catalog) }
        let text = YearReport.tsv(figures, from: start, until: end, township: env.township, lang: lang, anchor: store.anchorText())
        try guarded(lang) { try writeOutput(out, force: force) { try $0.write(text) } }
        if let path = out { print(L("已写入 \(path)", "Written to \(path)")) }
    }
}
