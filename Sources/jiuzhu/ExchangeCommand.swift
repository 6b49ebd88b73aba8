import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore

/// `jiuzhu exchange`: packages of changes between a township's file and the county's (issue 25).
struct ExchangeCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "exchange", abstract: t("cli.exchange.abstract"),
                             subcommands: [ExchangeStart.self, ExchangeExport.self, ExchangeImport.self, ExchangeStatusCommand.self])
    }

    static func open(_ common: CommonOptions, _ signIn: SignIn) throws -> (Store, User) {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        let u = try signIn.user(store, roles: [.admin], what: pair("cli.exchange.what"), lang: lang)
        return (store, u)
    }
}

struct ExchangeStart: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: "start", abstract: t("cli.exchange.startAbstract")) }
    @OptionGroup var common: CommonOptions
    @OptionGroup var signIn: SignIn
    @Option(name: .long, help: ArgumentHelp(t("cli.exchange.sideHelp"))) var side: String = "township"

    mutating func run() throws {
        guard ["township", "county"].contains(side) else { throw fail(t("cli.exchange.badSide", ["side": side])) }
        let (store, u) = try ExchangeCommand.open(common, signIn)
        try guarded(common.language) { try store.startExchange(side: side, by: u.name) }
        print(t("cli.exchange.started", ["side": side]))
    }
}

struct ExchangeExport: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: "export", abstract: t("cli.exchange.exportAbstract")) }
    @OptionGroup var common: CommonOptions
    @OptionGroup var signIn: SignIn
    @Option(name: .shortAndLong, help: ArgumentHelp(t("cli.exchange.outputHelp"))) var output: String
    @Option(name: .long, help: ArgumentHelp(t("cli.exchange.townshipHelp"))) var township: String?

    mutating func run() throws {
        let (store, u) = try ExchangeCommand.open(common, signIn)
        let p = try guarded(common.language) { try store.exportPackage(to: output, township: township, by: u.name) }
        if p.entries.isEmpty { print(t("cli.exchange.exportedAck", ["file": output, "ack": String(p.ack.seq)])); return }
        print(t("cli.exchange.exported", ["file": output, "from": String(p.fromSeq), "to": String(p.toSeq), "acked": String(p.fromSeq - 1),
                                          "rows": String(p.rows()), "audit": String(p.audit.count)]))
    }
}

struct ExchangeImport: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: "import", abstract: t("cli.exchange.importAbstract")) }
    @OptionGroup var common: CommonOptions
    @OptionGroup var signIn: SignIn
    @Argument(help: ArgumentHelp(t("cli.exchange.fileHelp"), valueName: "file")) var file: String

    mutating func run() throws {
        let (store, u) = try ExchangeCommand.open(common, signIn)
        let (p, applied) = try guarded(common.language) { try store.importPackage(from: file, by: u.name) }
        if applied == 0 { print(t("cli.exchange.ackTaken", ["township": p.township, "ack": String(p.ack.seq)])); return }
        let skipped = p.entries.count - applied
        print(t("cli.exchange.imported", ["township": p.township, "from": String(p.fromSeq), "to": String(p.toSeq),
                                          "applied": String(applied), "skipped": String(skipped),
                                          "rows": String(p.rows(after: p.toSeq - Int64(applied))), "audit": String(p.audit.count)]))
    }
}

struct ExchangeStatusCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: "status", abstract: t("cli.exchange.statusAbstract")) }
    @OptionGroup var common: CommonOptions

    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .readOnly) }
        let s = try guarded(lang) { try store.exchangeStatus() }
        guard let side = s.side else { print(t("cli.exchange.notStarted")); return }
        print(t("cli.exchange.statusLine", ["side": side, "file": String((s.fileId ?? "").prefix(8)), "recorded": String(s.recorded),
                                            "sent": String(s.lastSent), "acked": String(s.acked), "waiting": String(s.waiting)]))
        for (to, seq) in s.sentTo.sorted(by: { $0.key < $1.key }) {
            print(t("cli.exchange.sentLine", ["township": to, "seq": String(seq), "acked": String(s.ackedBy[to] ?? 0),
                                              "waiting": String(max(0, Int64(s.recorded) - seq))]))
        }
        for (to, p) in s.sentPackages.sorted(by: { $0.key < $1.key }) {
            print(t("cli.exchange.packagesLine", ["to": to, "count": String(p.count), "at": p.lastAt]))
        }
        for r in s.received {
            print(t("cli.exchange.receivedLine", ["township": r.township, "file": String(r.fileId.prefix(8)),
                                                  "packages": String(r.packages), "seq": String(r.lastSeq), "at": r.lastAt])
                  + (r.overdue ? t("cli.exchange.overdue", ["days": String(r.daysSince)]) : ""))
        }
    }
}
