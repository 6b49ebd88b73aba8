import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore

/// `jiuzhu disaster`: disasters, their stage reports, the victims' ledger against the latest
/// report, relief, cards, goods and houses (issue 24). Reading only: masked, read-only.
struct DisasterCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "disaster", abstract: t("disaster.cli.abstract"),
                             subcommands: [DisasterList.self, DisasterShow.self, DisasterReportCommand.self, DisasterCardsCommand.self])
    }
}

/// The event named on the command line with what the prints need.
private func loadEvent(_ store: Store, _ number: String, lang: Lang) throws -> (DisasterEvent, String, [String]) {
    let id = try recordNumber(number, what: (say("disaster.cli.event", .zh), say("disaster.cli.event", .en)), outcome: ("", ""))
    guard let e = try guarded(lang, { try store.disasterEvent(id: id) }) else { throw fail(t("disaster.err.noEvent", ["id": String(id)])) }
    let kinds = try guarded(lang) { try store.disasterKinds() }
    let kind = kinds.first { $0.code == e.kind }?.label(lang) ?? e.kind
    let regions = try guarded(lang) { try store.villages() }
    let villages = e.villages.map { c in regions.first { $0.code == c }?.name ?? c }
    return (e, kind, villages)
}

struct DisasterList: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: "list", abstract: t("disaster.cli.listAbstract")) }
    @OptionGroup var common: CommonOptions

    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .readOnly) }
        let events = try guarded(lang) { try store.disasterEvents() }
        if events.isEmpty { print(t("disaster.cli.noEvents")); return }
        let kinds = try guarded(lang) { try store.disasterKinds() }
        print(t("disaster.cli.listHeader"))
        for e in events {
            let reports = try guarded(lang) { try store.disasterReports(eventId: e.id) }
            let ledger = try guarded(lang) { try store.ledgerTotals(eventId: e.id) }
            let victims = try guarded(lang) { try store.disasterVictims(eventId: e.id) }
            let kind = kinds.first { $0.code == e.kind }?.label(lang) ?? e.kind
            print("#\(IdBlock.shown(e.id))\t\(e.name)\t\(kind)\t\(e.startedOn.iso)\t\(e.endedOn?.iso ?? "—")\t\(reports.last.map { $0.stage.label(lang) } ?? "—")\t\(victims.count)\t\(ledger.affected)")
        }
    }
}

struct DisasterShow: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: "show", abstract: t("disaster.cli.showAbstract")) }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(t("disaster.cli.eventArg"))) var event: String

    mutating func run() throws {
        let lang = common.language
        let (store, env, catalog) = try storeWithCatalog(common, outcome: ("", ""), readOnly: true)
        _ = catalog
        let (e, kind, villages) = try loadEvent(store, event, lang: lang)
        let text = try guarded(lang) {
            DisasterPrint.summary(e, kind: kind, villages: villages, reports: try store.disasterReports(eventId: e.id),
                                  victims: try store.disasterVictims(eventId: e.id), ledger: try store.ledgerTotals(eventId: e.id),
                                  grants: try store.reliefGrants(eventId: e.id), cards: try store.reliefCards(eventId: e.id),
                                  stock: try store.goodsStock(), houses: try store.disasterHouses(eventId: e.id), today: env.today, lang: lang)
        }
        print(text, terminator: "")
    }
}

struct DisasterReportCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: "report", abstract: t("disaster.cli.reportAbstract")) }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(t("disaster.cli.eventArg"))) var event: String
    @Option(name: .long, help: ArgumentHelp(t("disaster.cli.stageHelp"))) var stage: String?
    @Flag(name: .long, help: ArgumentHelp(t("disaster.cli.htmlHelp"))) var html = false
    @Option(name: [.short, .long], help: ArgumentHelp(t("cli.report.writeToAFile"))) var out: String?
    @Flag(name: .long, help: ArgumentHelp(t("cli.export.replaceAnExistingOutput"))) var force = false

    mutating func run() throws {
        let lang = common.language
        let (store, env, _) = try storeWithCatalog(common, outcome: ("", ""), readOnly: true)
        let (e, kind, villages) = try loadEvent(store, event, lang: lang)
        let reports = try guarded(lang) { try store.disasterReports(eventId: e.id) }
        var chosen = reports.last
        if let s = stage {
            guard let st = DisasterStage(rawValue: s) ?? DisasterStage.allCases.first(where: { $0.label.zh == s || $0.label.en == s }) else {
                throw fail(t("disaster.cli.badStage", ["stage": s]))
            }
            chosen = reports.last { $0.stage == st }
        }
        guard let r = chosen else { throw fail(t("disaster.cli.noReport", ["name": e.name])) }
        let ledger = try guarded(lang) { try store.ledgerTotals(eventId: e.id) }
        let text = html ? DisasterPrint.stageReportHTML(e, kind: kind, villages: villages, report: r, ledger: ledger, township: env.township, lang: lang)
            : DisasterPrint.stageReport(e, kind: kind, villages: villages, report: r, ledger: ledger, township: env.township, lang: lang)
        try guarded(lang) { try writeOutput(out, force: force) { try $0.write(text) } }
        if let path = out { print(t("cli.report.writtenTo", ["path": path])) }
    }
}

/// `jiuzhu disaster cards EVENT [--html] [-o FILE]`: the event's relief cards, several to an A4
/// page, with their entitlements and every distribution (ID numbers masked).
struct DisasterCardsCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: "cards", abstract: t("disaster.cli.cardsAbstract")) }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(t("disaster.cli.eventArg"))) var event: String
    @Flag(name: .long, help: ArgumentHelp(t("disaster.cli.htmlHelp"))) var html = false
    @Option(name: [.short, .long], help: ArgumentHelp(t("cli.report.writeToAFile"))) var out: String?
    @Flag(name: .long, help: ArgumentHelp(t("cli.export.replaceAnExistingOutput"))) var force = false

    mutating func run() throws {
        let lang = common.language
        let (store, env, _) = try storeWithCatalog(common, outcome: ("", ""), readOnly: true)
        let (e, _, _) = try loadEvent(store, event, lang: lang)
        let cards = try guarded(lang) { try store.reliefCards(eventId: e.id) }
        if cards.isEmpty { throw fail(t("disaster.cli.noCards", ["name": e.name])) }
        let refs = try guarded(lang) { try store.reliefItems() }
        let text = html ? DisasterPrint.cardsHTML(cards, refs: refs, township: env.township, lang: lang)
            : DisasterPrint.cardsText(cards, refs: refs, township: env.township, lang: lang)
        try guarded(lang) { try writeOutput(out, force: force) { try $0.write(text) } }
        if let path = out { print(t("cli.report.writtenTo", ["path": path])) }
    }
}
