import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore

struct ExportCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "export", abstract: L("导出", "export"), subcommands: [ExportHouseholds.self, ExportSurvey.self, ExportCases.self, ExportPublicity.self])
    }
}

enum ExportFormat: String, ExpressibleByArgument, CaseIterable { case csv }

struct ExportHouseholds: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "households",
            abstract: L("导出全部家庭户(CSV,带 BOM,Excel 可直接打开;身份证号默认脱敏)",
                        "export every household (CSV with BOM for Excel; ID numbers masked by default)"),
            discussion: L("--unmasked 导出完整身份证号,须 --user 指定管理员并输入其密码,此次导出记入审计日志。文件权限 0600。",
                          "--unmasked exports full ID numbers: it needs --user naming an admin and that admin's password, and is written to the audit log. Files are created mode 0600."))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .long, help: ArgumentHelp(L("格式", "format")))
    var format: ExportFormat = .csv
    @Option(name: .shortAndLong, help: ArgumentHelp(L("输出文件(默认标准输出)", "output file (default stdout)")))
    var output: String?
    @Flag(name: .long, help: ArgumentHelp(L("导出完整身份证号(需管理员)", "full ID numbers (admin only)")))
    var unmasked = false
    @Option(name: .long, help: ArgumentHelp(L("管理员用户名(配合 --unmasked)", "admin user name (with --unmasked)")))
    var user: String?
    @Flag(name: .customLong("password-stdin"), help: ArgumentHelp(L("从标准输入读密码", "read the password from stdin")))
    var passwordStdin = false
    @Flag(name: .long, help: ArgumentHelp(L("覆盖已有的输出文件", "replace an existing output file")))
    var force = false

    mutating func run() throws {
        let lang = common.language
        // Masked, nothing is written to the database: it is opened read-only.
        let mode: Store.OpenMode = unmasked ? .mustExist : .readOnly
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: mode) }
        var actor = "cli"
        if unmasked {
            guard let name = user else {
                throw fail(L("--unmasked 需要 --user 管理员用户名。什么也没有导出。", "--unmasked needs --user with an admin's name. Nothing was exported."))
            }
            let u = try authenticated(store, name: name, passwordStdin: passwordStdin, lang: lang)
            guard u.role == .admin else {
                throw fail(L("只有管理员可以导出完整身份证号;\(name) 是\(u.role.label.zh)。什么也没有导出。",
                             "Only an admin may export full ID numbers; \(name) is a \(u.role.label.en). Nothing was exported."))
            }
            actor = name
        }
        var rows = 0
        let unmasked = self.unmasked
        try guarded(lang) {
            try writeOutput(output, force: force) { out in
                try out.write(CSVWriter.bom + CSVWriter.line(Store.householdExportHeader(lang).components(separatedBy: ",")))
                try store.forEachHouseholdForExport(unmasked: unmasked) { fields in
                    try out.write(CSVWriter.line(fields))
                    rows += 1
                }
            }
        }
        if unmasked { try guarded(lang) { try store.auditUnmaskedExport(by: actor, what: "households", rows: rows) } }
        if let o = output { try? FileHandle.standardError.write(contentsOf: Data(L("已导出 \(rows) 户到 \(o)\n", "Exported \(rows) households to \(o)\n").utf8)) }
    }
}

/// Every case, one row each: where it stands, how long it has waited there, what was decided and
/// who answers for it. No ID numbers. Streamed from a cursor, flushed every 64 KiB.
struct ExportCases: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "cases",
            abstract: L("导出全部案件(CSV,带 BOM,Excel 可直接打开)", "export every case (CSV with BOM for Excel)"),
            discussion: L("每个案件一行:项目、村、户主、当前步骤、状态、本步起始日与天数、金额、调查人、审批人、领取证编号。不含身份证号。-o 写的文件权限 0600。",
                          "One row per case: programme, village, head, current step, status, since when and for how many days, amounts, investigators, approver, certificate. No ID numbers. A file written with -o is created mode 0600."))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .long, help: ArgumentHelp(L("格式", "format")))
    var format: ExportFormat = .csv
    @Option(name: .shortAndLong, help: ArgumentHelp(L("输出文件(默认标准输出)", "output file (default stdout)")))
    var output: String?
    @Flag(name: .long, help: ArgumentHelp(L("覆盖已有的输出文件", "replace an existing output file")))
    var force = false

    static let header = Text2(
        zh: "案件号,救助项目,村/社区,户主,当前步骤,状态,本步起始日,本步天数,申请日期,保障人数,月保障金(元),一次性金额(元),城市低保分类,调查人,审批人,领取证编号,金额调整理由",
        en: "Case,Programme,Village,Head,Step,Status,Step since,Days in step,Applied on,Covered,Monthly (yuan),One-off (yuan),Urban class,Investigators,Approver,Certificate,Override reason")

    static func fields(_ r: CaseExportRow, env: AppEnvironment, programme: (Programme) -> String) -> [String] {
        [String(r.caseId), programme(r.programme), r.villageName, r.headName, env.stepLabel(r.programme, r.step),
         r.status.label(env.lang), r.stepSince.iso, String(r.stepSince.days(until: env.today)), r.appliedOn.iso, String(r.covered),
         r.monthly?.yuanString ?? "", r.once?.yuanString ?? "", r.urbanClass ?? "", r.investigators, r.approver,
         r.certificateNo ?? "", r.overrideReason ?? ""]
    }

    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .readOnly) }
        let env = try AppLauncher.environment(store: store, lang: lang, demo: false, outcome: ("什么也没有导出。", "Nothing was exported."))
        var rows = 0
        let names = Dictionary(uniqueKeysWithValues: Programme.allCases.map { p in
            (p, env.catalog?.programmes.first { $0.code == p.rawValue }?.label(lang) ?? p.label(lang))
        })
        try guarded(lang) {
            try writeOutput(output, force: force) { out in
                try out.write(CSVWriter.bom + CSVWriter.line(Self.header(lang).components(separatedBy: ",")))
                try store.read { db in
                    try Store.caseExportRows(db) { r in
                        try out.write(CSVWriter.line(Self.fields(r, env: env, programme: { names[$0] ?? $0.rawValue })))
                        rows += 1
                    }
                }
            }
        }
        if let o = output { try? FileHandle.standardError.write(contentsOf: Data(L("已导出 \(rows) 个案件到 \(o)\n", "Exported \(rows) cases to \(o)\n").utf8)) }
    }
}

enum SurveyFormat: String, ExpressibleByArgument, CaseIterable { case txt, html }

/// The survey recorded with a case, printed again as the A4 form from what was stored when the
/// application was submitted: its values and its figures, not worked out afresh.
struct ExportSurvey: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "survey",
            abstract: L("按 A4 入户调查表导出某案件受理时记录的调查(纯文本或 HTML)",
                        "export the survey recorded with a case as the A4 survey form (plain text or HTML)"),
            discussion: L("用提交时存下的调查内容和核算结果,不按今天的标准重算。表内身份证号、电话、银行卡完整,供签字存档:须 --user 用户名并输入其密码,此次导出记入审计日志;-o 写的文件权限 0600。",
                          "Uses the values and figures stored when the application was submitted, not worked out again by today's rules. ID, phone and card numbers are in full, for signing and filing: it needs --user and that user's password, and is written to the audit log; a file written with -o is created mode 0600."))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(L("案件号(如 710)", "case number (such as 710)"), valueName: "case"))
    var caseNumber: String
    @OptionGroup var signIn: SignIn
    @Option(name: .long, help: ArgumentHelp(L("格式:txt 纯文本,html 网页(浏览器打印)", "format: txt for plain text, html for a browser's print")))
    var format: SurveyFormat = .txt
    @Option(name: .shortAndLong, help: ArgumentHelp(L("输出文件(默认标准输出)", "output file (default stdout)")))
    var output: String?
    @Flag(name: .long, help: ArgumentHelp(L("覆盖已有的输出文件", "replace an existing output file")))
    var force = false

    mutating func run() throws {
        let lang = common.language
        let caseId = try CaseCommand.caseId(caseNumber, outcome: (zh: "什么也没有导出。", en: "Nothing was exported."))
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        guard let record = try guarded(lang, { try store.survey(caseId: caseId) }) else {
            // The store has no look-up of a case by number; its step history shows it exists.
            let hasSteps = try guarded(lang) { try store.read { db in !(try Store.caseSteps(db, caseId: caseId)).isEmpty } }
            throw fail(hasSteps
                ? L("案件 #\(caseId) 没有记录入户调查(它不是经「申请受理」录入的)。什么也没有导出。",
                    "Case #\(caseId) has no survey recorded with it (it was not entered through the application form). Nothing was exported.")
                : L("没有案件 #\(caseId) 的入户调查记录(\(store.path)):没有这个案件,或它不是经「申请受理」录入的。什么也没有导出。",
                    "No survey is recorded for case #\(caseId) in \(store.path): there is no such case, or it was not entered through the application form. Nothing was exported."))
        }
        var env = try AppLauncher.environment(store: store, lang: lang, demo: false, outcome: ("什么也没有导出。", "Nothing was exported."))
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
        let by = try signIn.user(store, roles: Set(Role.allCases), what: ("导出入户调查表(含完整身份证号、电话、银行卡)", "Exporting a survey (full ID, phone and card numbers)"), lang: lang).name
        try guarded(lang) { try store.auditUnmaskedExport(by: by, what: "survey case \(caseId)", rows: 1) }
        if let o = output {
            try guarded(lang) { try SurveyPrint.writePrivate(text, to: o, force: force) }   // 0600, whole or nothing
            try? FileHandle.standardError.write(contentsOf: Data(L("已导出案件 #\(caseId) 的入户调查表到 \(o)\n", "Exported the survey of case #\(caseId) to \(o)\n").utf8))
        } else {
            try guarded(lang) { try SafeFile.standardOutput { try $0.write(text) } }
        }
    }
}
