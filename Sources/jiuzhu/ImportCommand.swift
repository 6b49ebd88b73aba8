import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore

/// `jiuzhu import FILE`: bring an office's ledger (台帐) in from .xlsx, .xls or .csv — checked
/// row by row, a report beside the file, then all or nothing. `jiuzhu import template` writes
/// the workbook to fill in.
struct ImportCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "import", abstract: t("import.cli.abstract"), discussion: t("import.cli.discussion"),
                             subcommands: [ImportFile.self, ImportTemplate.self], defaultSubcommand: ImportFile.self)
    }
}

struct ImportFile: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "file", abstract: t("import.cli.fileAbstract"))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(t("import.cli.fileHelp"), valueName: "FILE"))
    var file: String
    @Flag(name: .customLong("dry-run"), help: ArgumentHelp(t("import.cli.dryRunHelp")))
    var dryRun = false
    @Flag(name: .customLong("skip-bad-rows"), help: ArgumentHelp(t("import.cli.skipHelp")))
    var skipBadRows = false
    @Flag(name: .long, help: ArgumentHelp(t("import.cli.againHelp")))
    var again = false
    @Option(name: .long, help: ArgumentHelp(t("import.cli.profileHelp")))
    var profile: String?
    @Option(name: .customLong("save-profile"), help: ArgumentHelp(t("import.cli.saveProfileHelp")))
    var saveProfile: String?
    @Option(name: .long, help: ArgumentHelp(t("import.cli.mapHelp")))
    var map: [String] = []
    @Option(name: .customLong("program"), help: ArgumentHelp(t("import.cli.programmeHelp")))
    var programme: String?
    @OptionGroup var signIn: SignIn

    mutating func run() throws {
        let lang = common.language
        let nothing = pair("import.cli.nothingImported")
        let (store, env, catalog) = try storeWithCatalog(common, outcome: nothing, readOnly: dryRun)
        let vocabulary: LedgerVocabulary
        do { vocabulary = try LedgerVocabulary.load(from: try dataDirectory()) } catch let e as LedgerFileError {
            throw fail(String(describing: e) + " " + pick(nothing))
        }
        // The profile, with any --map corrections over it.
        var prof: LedgerProfile?
        if let name = profile {
            guard let p = try? LedgerProfiles.load(name, database: store.path) else {
                let known = LedgerProfiles.list(database: store.path)
                throw fail(t("import.cli.noProfile", ["name": name, "known": known.isEmpty ? "—" : list(known)]))
            }
            prof = p
        }
        if !map.isEmpty {
            var p = prof ?? LedgerProfile(name: saveProfile ?? "", headers: [:])
            for m in map {
                let parts = m.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, let f = LedgerField(rawValue: parts[1])
                        ?? vocabulary.columns.first(where: { $0.label.zh == parts[1] || $0.label.en == parts[1] })?.field else {
                    throw fail(t("import.cli.badMap", ["map": m, "fields": LedgerField.allCases.map(\.rawValue).joined(separator: " ")]))
                }
                p.headers[LedgerVocabulary.normal(parts[0])] = f
            }
            prof = p
        }
        if let text = programme {
            var p = prof ?? LedgerProfile(name: saveProfile ?? "", headers: [:])
            p.programme = try programmeArgument(text, outcome: nothing)
            prof = p
        }
        let run: LedgerRun
        do {
            run = try LedgerRun.check(path: file, store: store, profile: prof, vocabulary: vocabulary, today: env.today)
        } catch let e as LedgerRun.Unreadable {
            throw fail(e.text(lang) + " " + pick(nothing))
        } catch {
            try guarded(lang) { () throws -> Void in throw error }
            throw ExitCode.failure
        }
        printCheck(run, vocabulary: vocabulary, lang: lang)
        let paths = try guarded(lang) { try run.writeReport(lang) }
        print(t("import.cli.reportWritten", ["csv": paths.csv, "xlsx": paths.xlsx]))
        if let name = saveProfile {
            try guarded(lang) { try LedgerProfiles.save(LedgerProfiles.from(run.plan, name: name, base: prof), database: store.path) }
            print(t("import.cli.profileSaved", ["name": name]))
        }
        if let before = run.importedBefore {
            print(t("import.cli.seenBefore", ["at": before.at, "user": before.user]))
        }
        if dryRun {
            print(t("import.cli.dryRunDone"))
            return
        }
        if run.plan.errorCount > 0 && !skipBadRows {
            throw fail(t("import.cli.problemsLeft", ["rows": String(run.plan.badRows), "good": String(run.plan.good.count)]), code: 1)
        }
        if run.importedBefore != nil && !again {
            throw fail(t("import.cli.sameFile"), code: 1)
        }
        let u = try signIn.user(store, roles: Policy.roles(.importLedger), what: pair("import.cli.what"), lang: lang)
        let r = try guarded(lang) {
            try run.importNow(store: store, user: u.name, again: again, skipBadRows: skipBadRows, catalog: catalog)
        }
        print(t("import.cli.imported", ["households": String(r.households), "persons": String(r.persons), "cases": String(r.cases),
                                       "audit": String(r.auditId), "sha": String(run.sha256.prefix(16))]))
        let left = run.plan.households.count - run.plan.good.count
        if left > 0 { print(t("import.cli.leftOut", ["households": String(left), "rows": String(run.plan.badRows)])) }
    }

    func printCheck(_ run: LedgerRun, vocabulary v: LedgerVocabulary, lang: Lang) {
        print(t("import.cli.fileLine", ["file": run.path, "kind": run.kindText(lang), "sha": String(run.sha256.prefix(16))]))
        for s in run.plan.sheets {
            let rows = s.mapping.headerFirst == s.mapping.headerLast ? String(s.mapping.headerFirst + 1)
                : "\(s.mapping.headerFirst + 1)–\(s.mapping.headerLast + 1)"
            print(t("import.cli.sheetLine", ["sheet": s.name, "rows": rows, "data": String(s.dataRows)]))
            for c in Set(s.mapping.fields.keys).union(s.mapping.members.keys).sorted() {
                let what: String
                if let f = s.mapping.fields[c] {
                    what = f == .ignore ? t("import.cli.ignored") : pick(v.label(f))
                } else if let m = s.mapping.members[c] {
                    what = t("import.cli.memberField", ["n": String(m.number), "field": pick(v.label(m.field))])
                } else { continue }
                print("  \(LedgerMapping.letter(c)) \(s.mapping.headers[c] ?? "") → \(what)")
            }
        }
        for s in run.plan.sheetsSkipped { print(t("import.cli.sheetSkipped", ["sheet": s])) }
        if run.plan.sheets.isEmpty { print(t("import.cli.noHeader")) }
        print(t("import.cli.rowsSkipped", ["n": String(run.plan.rowsSkipped)]))
        print(run.summary(lang))
        let villages = run.plan.byVillage(good: true)
        if !villages.isEmpty {
            print(t("import.cli.byVillageHeader"))
            for v in villages { print("  \(v.village)\t\(v.households)\t\(v.persons)\t\(v.cases)") }
        }
        let problems = run.plan.problems
        for p in problems.prefix(20) {
            let kind = say(p.severity == .error ? "import.report.error" : "import.report.notice", lang)
            print("  \(p.sheet) \(p.row)\t\(p.column)\t\(kind): \(p.text(lang))\(p.value.isEmpty ? "" : "  [\(p.value)]")")
        }
        if problems.count > 20 { print(t("import.cli.moreProblems", ["n": String(problems.count - 20)])) }
    }
}

struct ImportTemplate: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "template", abstract: t("import.cli.templateAbstract"))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: [.short, .customLong("out")], help: ArgumentHelp(t("import.cli.templateOut")))
    var out: String
    @Flag(name: .long, help: ArgumentHelp(t("import.cli.forceHelp")))
    var force = false

    mutating func run() throws {
        let lang = common.language
        let vocabulary: LedgerVocabulary
        do { vocabulary = try LedgerVocabulary.load(from: try dataDirectory()) } catch let e as LedgerFileError {
            throw fail(String(describing: e))
        }
        let reference = try guarded(lang) { try ReferenceData.load(from: try dataDirectory()) }
        try guarded(lang) { try LedgerTemplate.make(at: out, vocabulary: vocabulary, reference: reference, lang: lang, force: force) }
        print(t("import.cli.templateWritten", ["path": out]))
    }
}
