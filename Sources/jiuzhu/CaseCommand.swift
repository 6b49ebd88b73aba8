import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore
import TermUI

/// `jiuzhu case`: one case from the command line, read only.
struct CaseCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "case", abstract: L("查看案件、打印通知书", "show a case, print its notice"),
                             subcommands: [CaseShow.self, CaseNoticeCommand.self])
    }

    /// "710" or "#710" as a case number, or a clear error saying `outcome`.
    static func caseId(_ text: String, outcome: (zh: String, en: String)) throws -> Int64 {
        try recordNumber(text, what: (zh: "案件号", en: "case number"), outcome: outcome)
    }

    /// The database, the environment (with the programme catalog) and the case file, or a
    /// paragraph saying what is missing.
    static func load(_ common: CommonOptions, caseNumber: String, outcome: (zh: String, en: String))
        throws -> (store: Store, env: AppEnvironment, file: CaseFile) {
        let lang = common.language
        let id = try caseId(caseNumber, outcome: outcome)
        let (store, env, catalog) = try storeWithCatalog(common, outcome: outcome)
        guard let file = try guarded(lang, { try store.caseFile(id: id, today: env.today, catalog: catalog) }) else {
            throw fail(L("没有案件 #\(id)(数据库 \(store.path))。\(outcome.zh)",
                         "There is no case #\(id) in \(store.path). \(outcome.en)").trimmingCharacters(in: .whitespaces))
        }
        return (store, env, file)
    }
}

/// The case as the review screen shows it, as plain text.
struct CaseShow: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "show",
            abstract: L("显示一个案件:家庭、审核条件、保障金测算、责任人、办理记录", "show a case: household, rules, benefit, who answers for it, history"),
            discussion: L("审核条件按决定日(已审批的按审批日,否则按今天)执行的标准计算。身份证号脱敏。",
                          "The rules use the standard in force on the decision date (the approval's date once approved, else today). ID numbers are masked."))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(L("案件号(如 710)", "case number (such as 710)"), valueName: "case"))
    var caseNumber: String

    mutating func run() throws {
        let lang = common.language
        let (_, env, file) = try CaseCommand.load(common, caseNumber: caseNumber, outcome: ("", ""))
        let text = Self.render(CaseReport.lines(file, env: env))
        try guarded(lang) { try SafeFile.standardOutput { try $0.write(text) } }
    }

    /// Headings stand out in plain text: a blank line before, underlined after.
    static func render(_ lines: [CaseReport.Line]) -> String {
        var out: [String] = []
        for (i, l) in lines.enumerated() {
            switch l.kind {
            case .heading:
                if i > 0 { out.append("") }
                out.append(l.text)
                out.append(String(repeating: i == 0 ? "=" : "-", count: max(4, l.text.displayWidth)))
            case .late:
                out.append("!! " + l.text)
            default:
                out.append(l.text)
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}

/// The written notice of a refused or stopped case, into `prints/` beside the database.
struct CaseNoticeCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "notice",
            abstract: L("打印不予批准通知书或停止救助通知书(A4 纯文本和 HTML)", "print the notice of refusal or of termination (A4, plain text and HTML)"),
            discussion: L("写到数据库旁的 prints/ 文件夹,文件权限 0600,并列出文件路径。通知书给申请人:身份证号脱敏,不含电话、银行卡和健康情况。",
                          "Written into prints/ beside the database, files mode 0600; their paths are printed. The notice goes to the applicant: the ID number masked, no phone, bank card or health details."))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(L("案件号(如 710)", "case number (such as 710)"), valueName: "case"))
    var caseNumber: String

    mutating func run() throws {
        let outcome = (zh: "没有打印通知书。", en: "No notice was printed.")
        let (store, env, file) = try CaseCommand.load(common, caseNumber: caseNumber, outcome: outcome)
        let id = file.caseRecord.id ?? 0
        guard let kind = CaseNotice.kind(for: file) else {
            let s = file.caseRecord.status.label
            throw fail(L("案件 #\(id) 的状态是「\(s.zh)」,没有不予批准、停保、调整金额或暂停发放的决定,没有通知书可打印。",
                         "Case #\(id) is \(s.en): it was not refused, stopped, adjusted or suspended, so there is no notice to print."))
        }
        let lang = common.language
        let office = try guarded(lang) { try store.office() }
        let paths = try guarded(lang) { try CaseNotice.write(file, kind: kind, besides: store.path, env: env, office: office) }
        let what = L(CaseNotice.title(kind, true), CaseNotice.title(kind, false))
        try? FileHandle.standardError.write(contentsOf: Data(L("已写出案件 #\(id) 的\(what):\n", "Wrote the \(what) of case #\(id):\n").utf8))
        try guarded(lang) { try SafeFile.standardOutput { try $0.write(paths.map { $0 + "\n" }.joined()) } }
    }
}
