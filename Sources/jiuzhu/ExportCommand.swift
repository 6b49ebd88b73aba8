import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore

struct ExportCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "export", abstract: t("cli.export.export"), subcommands: [ExportHouseholds.self, ExportSurvey.self, ExportCases.self, ExportPublicity.self, ExportLedger.self])
    }
}

enum ExportFormat: String, ExpressibleByArgument, CaseIterable { case csv }

struct ExportHouseholds: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "households",
            abstract: t("cli.export.exportEveryHouseholdCsv"),
            discussion: t("cli.export.unmaskedExportsFullId"))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .long, help: ArgumentHelp(t("cli.export.format")))
    var format: ExportFormat = .csv
    @Option(name: .shortAndLong, help: ArgumentHelp(t("cli.export.outputFileDefaultStdout")))
    var output: String?
    @Flag(name: .long, help: ArgumentHelp(t("cli.export.fullIdNumbersAdmin")))
    var unmasked = false
    @Option(name: .long, help: ArgumentHelp(t("cli.export.adminUserNameWith")))
    var user: String?
    @Flag(name: .customLong("password-stdin"), help: ArgumentHelp(t("cli.export.readThePasswordFrom")))
    var passwordStdin = false
    @Flag(name: .long, help: ArgumentHelp(t("cli.export.replaceAnExistingOutput")))
    var force = false

    mutating func run() throws {
        let lang = common.language
        // Masked, nothing is written to the database: it is opened read-only.
        let mode: Store.OpenMode = unmasked ? .mustExist : .readOnly
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: mode) }
        var actor = "cli"
        if unmasked {
            guard let name = user else {
                throw fail(t("cli.export.unmaskedNeedsUserWith"))
            }
            let u = try authenticated(store, name: name, passwordStdin: passwordStdin, lang: lang)
            guard Policy.allows(u.role, .exportUnmasked) else {
                throw fail(t("cli.export.onlyAnAdminMay", ["name": "\(name)", "label": "\(pick(u.role.label))"]))
            }
            actor = name
        }
        var rows = 0
        let unmasked = self.unmasked
        try guarded(lang) {
            try writeOutput(output, force: force) { out in
                try out.write(CSVWriter.bom + CSVWriter.line(Store.householdExportHeader(lang).components(separatedBy: ",")))
                try store.forEachHouseholdForExport(unmasked: unmasked, by: actor) { fields in
                    try out.write(CSVWriter.line(fields))
                    rows += 1
                }
            }
        }
        if unmasked { try guarded(lang) { try store.auditUnmaskedExport(by: actor, what: "households", rows: rows) } }
        if let o = output { try? FileHandle.standardError.write(contentsOf: Data(t("cli.export.exportedHouseholdsTo", ["rows": "\(rows)", "o": "\(o)"]).utf8)) }
    }
}

/// Every case, one row each: where it stands, how long it has waited there, what was decided and
/// who answers for it. No ID numbers. Streamed from a cursor, flushed every 64 KiB.
struct ExportCases: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "cases",
            abstract: t("cli.export.exportEveryCaseCsv"),
            discussion: t("cli.export.oneRowPerCase"))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .long, help: ArgumentHelp(t("cli.export.format")))
    var format: ExportFormat = .csv
    @Option(name: .shortAndLong, help: ArgumentHelp(t("cli.export.outputFileDefaultStdout")))
    var output: String?
    @Flag(name: .long, help: ArgumentHelp(t("cli.export.replaceAnExistingOutput")))
    var force = false


    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .readOnly) }
        let env = try AppLauncher.environment(store: store, lang: lang, demo: false, outcome: pair("cli.export.nothingWasExported"))
        var rows = 0
        var lines = CaseExportLines(env: env)
        try guarded(lang) {
            try writeOutput(output, force: force) { out in
                try out.write(CSVWriter.bom + CSVWriter.line(say("cli.export.header", lang).components(separatedBy: ",")))
                try store.read { db in
                    try Store.caseExportRows(db) { r in
                        try lines.write(r, to: out)
                        rows += 1
                    }
                }
            }
        }
        if let o = output { try? FileHandle.standardError.write(contentsOf: Data(t("cli.export.exportedCasesTo", ["rows": "\(rows)", "o": "\(o)"]).utf8)) }
    }
}

/// The lines of `export cases`, built on bytes: each label (programme, step, status) encoded
/// once per code and copied after, the other fields appended without a String of their own
/// (the per-row Strings, dictionaries and labels looked up in the string tables were most of
/// the export's time, issue 26).
struct CaseExportLines {
    let today: CivilDate
    /// By `Programme.allCases` position.
    let programmes: [[UInt8]]
    /// By `CaseStatus.allCases` position.
    let statuses: [[UInt8]]
    /// Per programme (as above), the steps seen so far: code and encoded label.
    var steps: [[(code: String, field: [UInt8])]]
    let stepLabel: (Programme, String) -> String
    var line = CSVLine()

    init(env: AppEnvironment) {
        let lang = env.lang
        today = env.today
        programmes = Programme.allCases.map { p in
            CSVLine.encoded(env.catalog?.programmes.first { $0.code == p.rawValue }?.label(lang) ?? p.label(lang))
        }
        statuses = CaseStatus.allCases.map { CSVLine.encoded($0.label(lang)) }
        steps = Array(repeating: [], count: Programme.allCases.count)
        stepLabel = { env.stepLabel($0, $1) }
    }

    /// Write one case's line.
    mutating func write(_ r: CaseExportRow, to out: SafeFile.Writer) throws {
        let p = Programme.allCases.firstIndex(of: r.programme) ?? 0
        line.clear()
        line.append(Int(r.caseId))
        line.append(encoded: programmes[p])
        line.append(r.villageName)
        line.append(r.headName)
        if let s = steps[p].first(where: { $0.code == r.step }) {
            line.append(encoded: s.field)
        } else {
            let field = CSVLine.encoded(stepLabel(r.programme, r.step))
            steps[p].append((code: r.step, field: field))
            line.append(encoded: field)
        }
        line.append(encoded: statuses[CaseStatus.allCases.firstIndex(of: r.status) ?? 0])
        line.append(r.stepSince)
        line.append(r.stepSince.days(until: today))
        line.append(r.appliedOn)
        line.append(r.covered)
        if let m = r.monthly { line.append(yuan: m) } else { line.append("") }
        if let m = r.once { line.append(yuan: m) } else { line.append("") }
        line.append(r.urbanClass ?? "")
        line.append(r.investigators)
        line.append(r.approver)
        line.append(r.certificateNo ?? "")
        line.append(r.overrideReason ?? "")
        line.end()
        try out.write(line)
    }
}

enum SurveyFormat: String, ExpressibleByArgument, CaseIterable { case txt, html }

/// The survey recorded with a case, printed again as the A4 form from what was stored when the
/// application was submitted: its values and its figures, not worked out afresh.
struct ExportSurvey: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "survey",
            abstract: t("cli.export.exportTheSurveyRecorded"),
            discussion: t("cli.export.usesTheValuesAnd"))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(t("cli.case.caseNumberSuchAs"), valueName: "case"))
    var caseNumber: String
    @OptionGroup var signIn: SignIn
    @Option(name: .long, help: ArgumentHelp(t("cli.export.formatTxtForPlain")))
    var format: SurveyFormat = .txt
    @Option(name: .shortAndLong, help: ArgumentHelp(t("cli.export.outputFileDefaultStdout")))
    var output: String?
    @Flag(name: .long, help: ArgumentHelp(t("cli.export.replaceAnExistingOutput")))
    var force = false

    mutating func run() throws {
        let lang = common.language
        let caseId = try CaseCommand.caseId(caseNumber, outcome: pair("cli.export.nothingWasExported"))
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        guard let record = try guarded(lang, { try store.survey(caseId: caseId) }) else {
            // The store has no look-up of a case by number; its step history shows it exists.
            let hasSteps = try guarded(lang) { try store.read { db in !(try Store.caseSteps(db, caseId: caseId)).isEmpty } }
            throw fail(hasSteps
                ? t("cli.export.caseHasNoSurvey", ["caseId": "\(caseId)"])
                : t("cli.export.noSurveyIsRecorded", ["caseId": "\(caseId)", "storePath": "\(store.path)"]))
        }
        var env = try AppLauncher.environment(store: store, lang: lang, demo: false, outcome: pair("cli.export.nothingWasExported"))
        // Ages and other date-bound lines as on the day of the survey; the form still says when it was printed.
        env.forms.rules.today = record.surveyedOn
        let office = try guarded(lang) { try store.office() }
        var doc = SurveyPrint.document(values: record.values, caseId: record.caseId, figures: record.figures, env: env, office: office)
        // Decided since: who decided it, for which body (谁审批谁负责).
        if let catalog = env.catalog, let file = try guarded(lang, { try store.caseFile(id: caseId, today: env.today, catalog: catalog) }) {
            doc.decision = SurveyPrint.decisionLine(file, lang: lang)
        }
        let text = format == .txt ? SurveyPrint.text(doc, env: env) : SurveyPrint.html(doc, env: env)
        // Full ID, phone and card numbers: a named user's password, and the export audited.
        let by = try signIn.user(store, roles: Set(Role.allCases), what: pair("cli.export.exportingASurveyFull"), lang: lang).name
        try guarded(lang) { try store.auditUnmaskedExport(by: by, what: "survey case \(caseId)", rows: 1) }
        if let o = output {
            try guarded(lang) { try SurveyPrint.writePrivate(text, to: o, force: force) }   // 0600, whole or nothing
            try? FileHandle.standardError.write(contentsOf: Data(t("cli.export.exportedTheSurveyOf", ["caseId": "\(caseId)", "o": "\(o)"]).utf8))
        } else {
            try guarded(lang) { try SafeFile.standardOutput { try $0.write(text) } }
        }
    }
}
