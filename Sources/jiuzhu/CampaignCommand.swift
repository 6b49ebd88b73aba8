import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore

/// `jiuzhu campaign`: campaigns such as 阳光行动 and their outcome counts in 户 and 人.
struct CampaignCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "campaign", abstract: L("专项行动(阳光行动):开始、列出、统计清退/调整/取消/新增", "campaigns (Sunshine): start, list, count removed/adjusted/cancelled/added"),
                             subcommands: [CampaignList.self, CampaignStart.self, CampaignReport.self])
    }
}

struct CampaignList: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: L("列出专项行动:编号、名称、项目、起止、列入户/人、已复查、状态", "list campaigns: number, name, programme, period, listed, checked, state"))
    }
    @OptionGroup var common: CommonOptions

    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        let all = try guarded(lang) { try store.campaigns() }
        if all.isEmpty { print(L("还没有专项行动。", "No campaigns yet.")); return }
        print(L("编号\t名称\t项目\t开始\t计划结束\t列入户\t列入人\t已复查\t状态", "No.\tName\tProgramme\tFrom\tUntil\tHouseholds\tPersons\tChecked\tState"))
        for g in all {
            let state = g.closedOn.map { L("\($0.iso) 结束", "ended \($0.iso)") } ?? L("进行中", "open")
            print("#\(g.id)\t\(g.name)\t\(g.programme.label(lang))\t\(g.startedOn.iso)\t\(g.endsOn.iso)\t\(g.listed)\t\(g.persons)\t\(g.checked)\t\(state)")
        }
    }
}

struct CampaignStart: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "start", abstract: L("开始专项行动:列入该项目全部在保对象", "start a campaign: lists every case of the programme in force"))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .customLong("program"), help: ArgumentHelp(L("救助项目:代码或名称", "programme: code or label")))
    var program: String
    @Option(name: .long, help: ArgumentHelp(L("行动名称(默认“YYYY年阳光行动”)", "name (default: YYYY 阳光行动)")))
    var name: String?
    @Option(name: .long, help: ArgumentHelp(L("开始日期(默认今天)", "from (default: today)")))
    var from: String?
    @Option(name: .long, help: ArgumentHelp(L("计划结束日期(默认 30 天后)", "until (default: in 30 days)")))
    var until: String?
    @OptionGroup var signIn: SignIn

    mutating func run() throws {
        let lang = common.language
        let nothing = (zh: "什么也没有开始。", en: "Nothing was started.")
        let programme = try programmeArgument(program, outcome: nothing)
        func date(_ t: String?, _ d: CivilDate) throws -> CivilDate {
            guard let t else { return d }
            guard let v = CivilDate(iso: t) ?? CivilDate(compact: t) else {
                throw fail(L("「\(t)」不是日期(例:2026-11-23)。\(nothing.zh)", "\"\(t)\" is not a date (e.g. 2026-11-23). \(nothing.en)"))
            }
            return v
        }
        let start = try date(from, .today)
        let end = try date(until, start.adding(days: 30))
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        // As the screens: the supervisor, the approver or the administrator, after their password.
        let by = try signIn.user(store, roles: [.supervisor, .approver, .admin], what: ("开始专项行动", "Starting a campaign"), lang: lang).name
        let title = name ?? "\(start.year)年阳光行动"
        try guarded(lang) { try TextBounds.check(title, field: ("行动名称", "The campaign's name"), max: 60) }
        let id = try guarded(lang) { try store.startCampaign(name: title, programme: programme, startedOn: start, endsOn: end, by: by) }
        let g = try guarded(lang) { try store.campaign(id: id) }
        print(L("已开始专项行动 #\(id)「\(title)」:列入 \(g?.listed ?? 0) 户 \(g?.persons ?? 0) 人。",
                "Campaign #\(id) \"\(title)\" started: \(g?.listed ?? 0) households, \(g?.persons ?? 0) persons listed."))
    }
}

struct CampaignReport: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "report", abstract: L("专项行动结果:清退、调整、取消、新增、暂停(户、人),及复查进度", "a campaign's outcomes: removed, adjusted, cancelled, added, suspended (households, persons) and progress"))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(L("行动编号,如 1 或 #1", "campaign number, e.g. 1 or #1")))
    var number: String

    mutating func run() throws {
        let lang = common.language
        let outcome = (zh: "", en: "")
        let id = try recordNumber(number, what: (zh: "行动编号", en: "campaign number"), outcome: outcome)
        let (store, env, catalog) = try storeWithCatalog(common, outcome: outcome)
        guard let g = try guarded(lang, { try store.campaign(id: id) }),
              let o = try guarded(lang, { try store.campaignOutcome(id: id, catalog: catalog, today: env.today) }) else {
            throw fail(L("没有专项行动 #\(id)。", "There is no campaign #\(id)."))
        }
        let until = g.closedOn ?? env.today
        print("#\(g.id) \(g.name) · \(g.programme.label(lang)) · \(g.startedOn.iso) \(L("至", "to")) \(until.iso)\(g.closedOn == nil ? L("(进行中)", " (open)") : "")")
        print(L("列入 \(g.listed) 户 \(g.persons) 人;已复查 \(g.checked) 户,提出处理 \(g.proposedChange) 户,待审批人处理 \(o.openFollowUps) 件",
                "Listed \(g.listed) households, \(g.persons) persons; checked \(g.checked), \(g.proposedChange) with a proposed change, \(o.openFollowUps) waiting for the approver"))
        print(L("结果\t户\t人", "Outcome\tHouseholds\tPersons"))
        for (zh, en, n) in [("清退", "removed", o.cleared), ("调整", "adjusted", o.adjusted), ("取消", "cancelled", o.cancelled),
                            ("新增", "added", o.added), ("暂停发放", "suspended", o.suspended)] {
            print("\(L(zh, en))\t\(n.households)\t\(n.persons)")
        }
    }
}
