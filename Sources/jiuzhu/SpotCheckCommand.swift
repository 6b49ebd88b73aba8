import ArgumentParser
import Foundation
import JiuzhuModel
import JiuzhuStore

/// `jiuzhu spotcheck`: the county's reproducible spot-check sample (抽查).
struct SpotCheckCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "spotcheck", abstract: L("抽查:按村分层、可复现的随机抽样", "spot checks: a reproducible random sample, stratified by village"),
                             subcommands: [SpotCheckDrawCommand.self, SpotCheckList.self])
    }
}

struct SpotCheckDrawCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "draw",
            abstract: L("抽取一批抽查案件", "draw a spot-check sample"),
            discussion: L("""
                对象是该项目现在在保的全部案件。每个村抽取 在保数 × 比例 并向上取整(有在保案件的村至少抽 1 户)。\
                同一种子、同一数据总得到同一批案件;种子会打印并记录。比例低于设置 spotcheck_percent(县里规定的下限,默认 30)时照样抽取,但给出提示。\
                --dry-run 只显示结果,不写入数据库。
                """, """
                The population is every case of the programme now in force. Each village gives population × percent, rounded up \
                (at least one case from a village that has any). The same seed and data always give the same sample; the seed is printed \
                and stored. Below the setting spotcheck_percent (the county's minimum, default 30) the draw is made with a warning. \
                --dry-run shows the sample and writes nothing.
                """))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .customLong("program"), help: ArgumentHelp(L("救助项目:代码(rural_dibao)或名称(农村低保)", "programme: code (rural_dibao) or label (农村低保)")))
    var program: String
    @Option(name: .long, help: ArgumentHelp(L("抽查比例 1–100(默认取设置 spotcheck_percent)", "percentage 1–100 (default: the setting spotcheck_percent)")))
    var percent: Int?
    @Option(name: .long, help: ArgumentHelp(L("随机种子(默认随机生成并打印)", "random seed (default: a random one, printed)")))
    var seed: UInt64?
    @Option(name: .long, help: ArgumentHelp(L("抽查期间:年份 YYYY 或年月 YYYY-MM(默认今年)", "period: YYYY or YYYY-MM (default: this year)")))
    var period: String?
    @Flag(name: .long, help: ArgumentHelp(L("只显示,不写入", "show only; write nothing")))
    var dryRun = false
    @OptionGroup var signIn: SignIn

    mutating func run() throws {
        let lang = common.language
        let nothing = (zh: "什么也没有抽取。", en: "Nothing was drawn.")
        let programme = try programmeArgument(program, outcome: nothing)
        if let p = percent, !(1...100).contains(p) {
            throw fail(L("抽查比例应在 1 到 100 之间,而不是 \(p)。\(nothing.zh)", "The percentage is 1 to 100, not \(p). \(nothing.en)"))
        }
        let period = self.period ?? String(CivilDate.today.year)
        guard SpotCheckPeriod.isValid(period) else {
            throw fail(L("抽查期间应写成年份(如 2026)或年月(如 2026-11),而不是「\(period)」。\(nothing.zh)",
                         "The period is a year (2026) or a month (2026-11), not \"\(period)\". \(nothing.en)"))
        }
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: dryRun ? .readOnly : .mustExist) }
        // A draw that is recorded is the supervisor's, the approver's or the administrator's (as
        // on 抽查督查), after their password; a dry run writes nothing and needs no one.
        let by = dryRun ? "cli" : try signIn.user(store, roles: [.supervisor, .approver, .admin], what: ("记录抽查批次", "Recording a draw"), lang: lang).name
        let pct: Int
        if let p = percent { pct = p } else { pct = try guarded(lang) { try store.spotCheckPercent() } }
        let seed = self.seed ?? UInt64.random(in: 1...999_999_999)
        let r = try guarded(lang) {
            try store.drawSpotCheck(programme: programme, period: period, percent: pct, seed: seed, by: by, dryRun: dryRun)
        }
        print(Self.render(r, lang: lang, dryRun: dryRun, seedGiven: self.seed != nil))
    }

    static func render(_ r: SpotCheckDrawResult, lang: Lang, dryRun: Bool, seedGiven: Bool) -> String {
        let zh = lang == .zh
        var out: [String] = []
        out.append(zh ? "\(r.programme.label.zh) \(r.period) 抽查" : "Spot check of \(r.programme.label.en), \(r.period)")
        out.append((zh ? "种子:" : "Seed: ") + String(r.seed) + (seedGiven ? "" : (zh ? "(随机生成,重抽同一批请用 --seed \(r.seed))" : " (random; use --seed \(r.seed) to draw the same sample again)")))
        out.append((zh ? "比例:" : "Percent: ") + "\(r.percent)%")
        if let w = r.warning { out.append((zh ? "注意:" : "Warning: ") + w(lang)) }
        out.append(zh ? "在保 \(r.population) 件,抽取 \(r.lines.count) 件" : "In force: \(r.population); drawn: \(r.lines.count)")
        out.append("")
        out.append(zh ? "村\t在保\t抽取" : "Village\tIn force\tDrawn")
        for v in r.villages { out.append("\(v.name)\t\(v.population)\t\(v.sampled)") }
        out.append("")
        out.append(zh ? "案件号\t户主\t村" : "Case\tHead\tVillage")
        for l in r.lines { out.append("#\(l.caseId)\t\(l.headName)\t\(l.villageName)") }
        out.append("")
        if let id = r.drawId {
            out.append(zh ? "已记录为抽查批次 #\(id)。" : "Recorded as draw #\(id).")
        } else {
            out.append(zh ? "试抽(--dry-run):什么也没有写入。" : "Dry run (--dry-run): nothing was written.")
        }
        return out.joined(separator: "\n")
    }
}

/// `jiuzhu spotcheck list`: every draw with its seed, so anyone can draw it again.
struct SpotCheckList: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: L("列出抽查批次:编号、项目、期间、比例、种子、在保数、抽取数、已核查数、抽取人、时间",
                                                             "list draws: number, programme, period, percent, seed, population, drawn, visited, by, when"))
    }
    @OptionGroup var common: CommonOptions

    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        let draws = try guarded(lang) { try store.spotCheckDraws() }
        if draws.isEmpty {
            print(L("还没有抽查批次。", "No spot-check draws yet."))
            return
        }
        print(L("编号\t项目\t期间\t比例\t种子\t在保\t抽取\t已核查\t抽取人\t时间", "No.\tProgramme\tPeriod\tPercent\tSeed\tIn force\tDrawn\tVisited\tBy\tAt"))
        for d in draws {
            print("#\(d.id)\t\(d.programme.label(lang))\t\(d.period)\t\(d.percent)%\t\(d.seed)\t\(d.population)\t\(d.sampled)\t\(d.visited)\t\(d.drawnBy)\t\(d.drawnAt)")
        }
    }
}
