import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore

/// `jiuzhu campaign`: campaigns such as 阳光行动 and their outcome counts in 户 and 人.
struct CampaignCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "campaign", abstract: t("cli.campaign.campaignsSunshineStartList"),
                             subcommands: [CampaignList.self, CampaignStart.self, CampaignReport.self])
    }
}

struct CampaignList: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: t("cli.campaign.listCampaignsNumberName"))
    }
    @OptionGroup var common: CommonOptions

    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .readOnly) }
        let all = try guarded(lang) { try store.campaigns() }
        if all.isEmpty { print(t("cli.campaign.noCampaignsYet")); return }
        print(t("cli.campaign.noNameProgrammeFrom"))
        for g in all {
            let state = g.closedOn.map { t("cli.campaign.ended", ["v1": "\($0.iso)"]) } ?? t("cli.campaign.open")
            print("#\(IdBlock.shown(g.id))\t\(g.name)\t\(g.programme.label(lang))\t\(g.startedOn.iso)\t\(g.endsOn.iso)\t\(g.listed)\t\(g.persons)\t\(g.checked)\t\(state)")
        }
    }
}

struct CampaignStart: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "start", abstract: t("cli.campaign.startACampaignLists"))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .customLong("program"), help: ArgumentHelp(t("cli.campaign.programmeCodeOrLabel")))
    var program: String
    @Option(name: .long, help: ArgumentHelp(t("cli.campaign.nameDefaultYyyy")))
    var name: String?
    @Option(name: .long, help: ArgumentHelp(t("cli.campaign.fromDefaultToday")))
    var from: String?
    @Option(name: .long, help: ArgumentHelp(t("cli.campaign.untilDefaultInDays")))
    var until: String?
    @OptionGroup var signIn: SignIn

    mutating func run() throws {
        let lang = common.language
        let nothing = pair("cli.campaign.nothingWasStarted")
        let programme = try programmeArgument(program, outcome: nothing)
        func date(_ text: String?, _ d: CivilDate) throws -> CivilDate {
            guard let text else { return d }
            guard let v = CivilDate(iso: text) ?? CivilDate(compact: text) else {
                throw fail(t("cli.campaign.isNotADate", ["t": "\(text)", "nothing": "\(pick(nothing))"]))
            }
            return v
        }
        let start = try date(from, .today)
        let end = try date(until, start.adding(days: 30))
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        // As the screens: the supervisor, the approver or the administrator, after their password.
        let by = try signIn.user(store, roles: Policy.roles(.campaigns), what: pair("cli.campaign.startingACampaign"), lang: lang).name
        let title = name ?? t("cli.campaign.defaultName", ["year": String(start.year)])
        try guarded(lang) { try TextBounds.check(title, field: pair("cli.campaign.theCampaignSName"), max: 60) }
        let id = try guarded(lang) { try store.startCampaign(name: title, programme: programme, startedOn: start, endsOn: end, by: by) }
        let g = try guarded(lang) { try store.campaign(id: id) }
        print(t("cli.campaign.campaignStartedHouseholdsPersons", ["id": "\(id)", "title": "\(title)", "v3": "\(g?.listed ?? 0)", "v4": "\(g?.persons ?? 0)"]))
    }
}

struct CampaignReport: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "report", abstract: t("cli.campaign.aCampaignSOutcomes"))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(t("cli.campaign.campaignNumberEG")))
    var number: String

    mutating func run() throws {
        let lang = common.language
        let outcome = (zh: "", en: "")
        let id = try recordNumber(number, what: pair("cli.campaign.campaignNumber"), outcome: outcome)
        let (store, env, catalog) = try storeWithCatalog(common, outcome: outcome, readOnly: true)
        guard let g = try guarded(lang, { try store.campaign(id: id) }),
              let o = try guarded(lang, { try store.campaignOutcome(id: id, catalog: catalog, today: env.today) }) else {
            throw fail(t("cli.campaign.thereIsNoCampaign", ["id": "\(id)"]))
        }
        let until = g.closedOn ?? env.today
        print("#\(IdBlock.shown(g.id)) \(g.name) · \(g.programme.label(lang)) · \(g.startedOn.iso) \(t("cli.campaign.to")) \(until.iso)\(g.closedOn == nil ? t("cli.campaign.open2") : "")")
        print(t("cli.campaign.listedHouseholdsPersonsChecked", ["listed": "\(g.listed)", "persons": "\(g.persons)", "checked": "\(g.checked)", "proposedChange": "\(g.proposedChange)", "openFollowUps": "\(o.openFollowUps)"]))
        print(t("cli.campaign.outcomeHouseholdsPersons"))
        for (key, n) in [("cli.campaign.outcome.cleared", o.cleared), ("cli.campaign.outcome.adjusted", o.adjusted),
                         ("cli.campaign.outcome.cancelled", o.cancelled), ("cli.campaign.outcome.added", o.added),
                         ("cli.campaign.outcome.suspended", o.suspended)] {
            print("\(t(key))\t\(n.households)\t\(n.persons)")
        }
    }
}
