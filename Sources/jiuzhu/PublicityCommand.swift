import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore

/// `jiuzhu publicity list`: every batch ever made, with its state and window.
struct PublicityCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "publicity", abstract: t("cli.publicity.publicityBatches"), subcommands: [PublicityList.self, PublicityStanding.self])
    }
}

struct PublicityList: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: t("cli.publicity.listEveryBatchNumber"))
    }
    @OptionGroup var common: CommonOptions

    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .readOnly) }
        let batches = try guarded(lang) { try store.batches() }
        if batches.isEmpty {
            print(t("cli.publicity.noPublicityBatchesYet"))
            return
        }
        for b in batches.sorted(by: { $0.id < $1.id }) {
            let state = b.state.label(lang)
            print("#\(IdBlock.shown(b.id))\t\(state)\t\(b.postedFrom.iso)~\(b.postedUntil.iso)\t\(b.lineCount)\t\(b.pendingObjections)\t\(b.title)")
        }
    }
}

enum PublicityFormat: String, ExpressibleByArgument, CaseIterable {
    case txt, txt132, html, csv, xlsx

    var printFormat: PublicityPrint.Format {
        switch self {
        case .txt: return .txt
        case .txt132: return .txt132
        case .html: return .html
        case .csv: return .csv
        case .xlsx: return .xlsx
        }
    }

    /// A publicity document (a batch or a standing list) in this format: written to `path` (said on
    /// standard error), or else to standard output, which xlsx cannot go to. `lang` speaks the
    /// command's errors, `docLang` the document.
    func emit(_ doc: PublicityDocument, to path: String?, force: Bool, lang: Lang, docLang: Lang) throws {
        let f = printFormat
        if let path {
            try guarded(lang) { try PublicityPrint.write(doc, format: f, to: path, lang: docLang, force: force) }
            try? FileHandle.standardError.write(contentsOf: Data(t("cli.publicity.wrote", ["path": "\(path)"]).utf8))
        } else if let text = PublicityPrint.render(doc, f, lang: docLang) {
            try guarded(lang) { try SafeFile.standardOutput { try $0.write(text) } }
        } else {
            throw fail(t("cli.publicity.xlsxNeedsOFile"))
        }
    }
}

/// `jiuzhu export publicity BATCH --format txt|txt132|html|csv|xlsx [-o FILE]`.
struct ExportPublicity: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "publicity",
            abstract: t("cli.publicity.printAPublicityBatch"),
            discussion: t("cli.publicity.aPostedOrClosed"))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(t("cli.publicity.batchNumber"), valueName: "batch"))
    var batch: String
    @Option(name: .long, help: ArgumentHelp(t("cli.export.format")))
    var format: PublicityFormat = .txt
    @Option(name: .shortAndLong, help: ArgumentHelp(t("cli.publicity.outputFileDefaultStdout")))
    var output: String?
    @Flag(name: .long, help: ArgumentHelp(t("cli.export.replaceAnExistingOutput")))
    var force = false

    mutating func run() throws {
        let lang = common.language
        let outcome = pair("cli.export.nothingWasExported")
        let id = try recordNumber(batch, what: pair("cli.publicity.batchNumber"), outcome: outcome)
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .readOnly) }
        let env = try AppLauncher.environment(store: store, lang: lang, demo: false, outcome: outcome)
        guard let catalog = env.catalog else { throw fail(t("cli.publicity.dataProgrammesJsonIs")) }
        guard try guarded(lang, { try store.batch(id: id) }) != nil else {
            throw fail(t("cli.publicity.thereIsNoBatch", ["id": "\(id)", "storePath": "\(store.path)"]))
        }
        let doc = try guarded(lang) { try store.document(batchId: id, today: env.today, catalog: catalog) }
        try format.emit(doc, to: output, force: force, lang: lang, docLang: env.lang)
    }
}

/// `jiuzhu publicity standing --programme P --village V [--format F] [-o FILE]`: the standing list
/// (长期公布) of a village's households in force, in the formats of a posting. Refused as the
/// screen's is: no supervision phone or box set, not a village, nobody in force.
struct PublicityStanding: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "standing", abstract: t("cli.publicity.standing.abstract"),
                             discussion: t("cli.publicity.standing.discussion"))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .long, help: ArgumentHelp(t("cli.publicity.standing.programme")))
    var programme: String = Programme.ruralDibao.rawValue
    @Option(name: .long, help: ArgumentHelp(t("cli.publicity.standing.village")))
    var village: String
    @Option(name: .long, help: ArgumentHelp(t("cli.export.format")))
    var format: PublicityFormat = .txt
    @Option(name: .shortAndLong, help: ArgumentHelp(t("cli.publicity.outputFileDefaultStdout")))
    var output: String?
    @Flag(name: .long, help: ArgumentHelp(t("cli.export.replaceAnExistingOutput")))
    var force = false

    mutating func run() throws {
        let lang = common.language
        let outcome = pair("cli.export.nothingWasExported")
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .readOnly) }
        let env = try AppLauncher.environment(store: store, lang: lang, demo: false, outcome: outcome)
        guard let catalog = env.catalog else { throw fail(t("cli.publicity.dataProgrammesJsonIs")) }
        guard let p = Programme(rawValue: programme) ?? Programme(text: programme) else {
            throw fail(t("cli.publicity.standing.badProgramme", ["programme": programme]))
        }
        let villages = try guarded(lang) { try store.villages() }
        let v = village.trimmingCharacters(in: .whitespaces)
        guard let region = villages.first(where: { $0.code == v || $0.name == v }) else {
            throw fail(t("cli.publicity.standing.badVillage", ["village": v]))
        }
        let doc = try guarded(lang) { try store.standingDocument(programme: p, villageCode: region.code, today: env.today, catalog: catalog, lang: env.lang) }
        try format.emit(doc, to: output, force: force, lang: lang, docLang: env.lang)
    }
}
