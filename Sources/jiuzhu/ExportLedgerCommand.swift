import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore

/// `jiuzhu export ledger`: every household with its members and cases in force as a ledger in
/// the columns `jiuzhu import` reads, full ID numbers: the administrator's, audited.
struct ExportLedger: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "ledger", abstract: t("import.cli.exportAbstract"))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .shortAndLong, help: ArgumentHelp(t("import.cli.exportOut")))
    var output: String
    @Flag(name: .long, help: ArgumentHelp(t("import.cli.forceHelp")))
    var force = false
    @OptionGroup var signIn: SignIn

    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        let u = try signIn.user(store, roles: Policy.roles(.exportUnmasked), what: pair("import.cli.exportWhat"), lang: lang)
        let data = try dataDirectory()
        let vocabulary: LedgerVocabulary
        do { vocabulary = try LedgerVocabulary.load(from: data) } catch let e as LedgerFileError { throw fail(String(describing: e)) }
        let reference = try guarded(lang) { try ReferenceData.load(from: data) }
        let n = try guarded(lang) {
            try LedgerExport.writeCSV(store: store, vocabulary: vocabulary, reference: reference, lang: lang, to: output, force: force)
        }
        try guarded(lang) { try store.auditUnmaskedExport(by: u.name, what: "ledger", rows: n) }
        print(t("import.cli.exported", ["n": String(n), "path": output]))
    }
}
