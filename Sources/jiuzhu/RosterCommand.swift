import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore

/// `jiuzhu roster`: the monthly payment rosters (发放名册).
struct RosterCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "roster", abstract: t("cli.roster.paymentRostersMakeList"),
                             subcommands: [RosterMake.self, RosterList.self, RosterConfirm.self, RosterExportCommand.self])
    }

    /// The database, roster `id`, and who acts: an approver's or administrator's name and
    /// password, checked.
    static func open(_ common: CommonOptions, roster id: Int64, user: String?, passwordStdin: Bool,
                     what: (zh: String, en: String)) throws -> (Store, PaymentRoster, String) {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        guard let r = try guarded(lang, { try store.roster(id: id) }) else {
            throw fail(StoreError.notFound(entity: t("cli.roster.roster"), id: String(id)).message(lang))
        }
        guard let name = user else {
            throw fail(t("cli.roster.needsUserNamingAn", ["what": "\(pick(what))"]))
        }
        let u = try authenticated(store, name: name, passwordStdin: passwordStdin, lang: lang)
        guard Policy.allows(u.role, .confirmRoster) else {
            throw fail(t("cli.roster.onlyAnApproverOr", ["what": runLang == .zh ? what.zh : what.en.lowercased(), "name": "\(name)", "label": "\(pick(u.role.label))"]))
        }
        return (store, r, name)
    }
}

struct RosterMake: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "make", abstract: t("cli.roster.makeOrMakeAgain"))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .long, help: ArgumentHelp(t("cli.roster.monthYyyyMmDefault")))
    var month: String?
    @Option(name: .customLong("program"), help: ArgumentHelp(t("cli.raise.programmeRuralDibaoUrban")))
    var programme: String
    @OptionGroup var signIn: SignIn

    mutating func run() throws {
        let lang = common.language
        guard let p = Programme(text: programme) else { throw ValidationError(t("cli.raise.unknownProgramme", ["programme": "\(programme)"])) }
        let (store, env, catalog) = try storeWithCatalog(common, outcome: pair("cli.roster.noRosterWasMade"))
        // As on 发放名册: the clerk, the approver or the administrator, after their password.
        let by = try signIn.user(store, roles: Policy.roles(.makeRoster), what: pair("cli.roster.makingARoster"), lang: lang).name
        let today = env.today
        let month = self.month ?? String(format: "%04d-%02d", today.year, today.month)
        let started = Date()
        let r = try guarded(lang) { try store.makeRoster(month: month, programme: p, catalog: catalog, by: by) }
        let took = String(format: "%.2f", Date().timeIntervalSince(started))
        print(t("cli.roster.noTheRosterDraft", ["rId": "\(r.id % IdBlock.size)", "month": "\(r.month)", "label": "\(pick(r.programme.label))", "lines": "\(r.lines)", "persons": "\(r.persons)", "yuanString": "\(r.total.yuanString)", "yuanString2": "\(r.backPay.yuanString)", "withoutCard": "\(r.withoutCard)", "took": "\(took)"]))
    }
}

struct RosterList: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: t("cli.roster.listRostersNumberMonth"))
    }
    @OptionGroup var common: CommonOptions
    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .readOnly) }
        for r in try guarded(lang, { try store.rosters() }) {
            let state = r.state == .confirmed ? t("cli.roster.confirmed") : t("cli.roster.draft")
            print("\(r.id % IdBlock.size)\t\(r.month)\t\(r.programme.label(lang))\t\(state)\t\(r.lines)\t\(r.persons)\t\(r.total.yuanString)\t\(r.withoutCard)")
        }
    }
}

struct RosterConfirm: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "confirm", abstract: t("cli.roster.confirmARosterApprover"))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(t("cli.roster.rosterNumber")))
    var id: Int64
    @Option(name: .long, help: ArgumentHelp(t("cli.roster.approverOrAdministrator")))
    var user: String?
    @Flag(name: .customLong("password-stdin"), help: ArgumentHelp(t("cli.export.readThePasswordFrom")))
    var passwordStdin = false

    mutating func run() throws {
        let lang = common.language, id = self.id
        let (store, r, actor) = try RosterCommand.open(common, roster: id, user: user, passwordStdin: passwordStdin, what: pair("cli.roster.confirmingARoster"))
        let (_, env, catalog) = try storeWithCatalog(common, outcome: pair("cli.roster.theRosterWasNot"))
        try guarded(lang) { try store.confirmRoster(id: r.id, version: r.version, catalog: catalog, by: actor, today: env.today) }
        print(t("cli.roster.rosterIsConfirmed", ["id": "\(id)"]))
    }
}

struct RosterExportCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "export",
            abstract: t("cli.roster.theBankSFile"),
            discussion: t("cli.roster.writtenToPrintsBeside"))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(t("cli.roster.rosterNumber")))
    var id: Int64
    @Option(name: .shortAndLong, help: ArgumentHelp(t("cli.roster.outputFileNameWithout")))
    var output: String?
    @Option(name: .long, help: ArgumentHelp(t("cli.roster.approverOrAdministrator")))
    var user: String?
    @Flag(name: .customLong("password-stdin"), help: ArgumentHelp(t("cli.export.readThePasswordFrom")))
    var passwordStdin = false
    @Flag(name: .long, help: ArgumentHelp(t("cli.roster.replaceExistingOutputFiles")))
    var force = false
    @Option(name: .long, help: ArgumentHelp(t("county.cliRosterTownship")))
    var township: String?

    mutating func run() throws {
        let lang = common.language, id = self.id
        let force = self.force, output = self.output, townshipText = self.township
        let (store, r, actor) = try RosterCommand.open(common, roster: id, user: user, passwordStdin: passwordStdin, what: pair("cli.roster.writingTheBankS"))
        let township = (try? store.office()?.townshipName) ?? ""
        let stem = try output.map { ($0 as NSString).deletingPathExtension } ?? RosterExport.stem(r, besides: store.path)
        let paths = try guarded(lang) { () throws -> [String] in
            // A county file, or a township asked for: one roster per township (issue 25 item 4).
            let towns = try store.rosterTownshipTotals(id: r.id)
            var paths: [String]
            if let text = townshipText {
                guard let t = Store.township(text, in: try store.townships()) else { throw StoreError.said("county.badTownship", ["name": text]) }
                let share = towns.first { $0.code == t.code }
                    ?? PaymentTownshipTotal(code: t.code, name: t.name, lines: 0, persons: 0, total: Money(fen: 0), withoutCard: 0, backPay: Money(fen: 0))
                paths = try RosterExport.writeByTownship(r, store: store, towns: [share], lang: lang, stem: stem, force: force || output == nil,
                                                         anchor: store.anchorText())
            } else if try store.isCountyFile() {
                paths = try RosterExport.writeByTownship(r, store: store, towns: towns, lang: lang, stem: stem, force: force || output == nil,
                                                         anchor: store.anchorText())
            } else {
                paths = try RosterExport.write(r, lines: try store.rosterLines(id: r.id), township: township, lang: lang, stem: stem,
                                               force: force || output == nil, anchor: store.anchorText())
            }
            try store.auditRosterExport(id: r.id, to: paths.joined(separator: ", "), by: actor)
            return paths
        }
        print(paths.joined(separator: "\n"))
    }
}
