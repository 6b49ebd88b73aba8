import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore
import TermUI

/// `jiuzhu case`: one case from the command line: shown, its notice printed, its time limit extended.
struct CaseCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "case", abstract: t("cli.case.showACasePrint"),
                             subcommands: [CaseShow.self, CaseNoticeCommand.self, CaseExtendCommand.self])
    }

    /// "710" or "#710" as a case number, or a clear error saying `outcome`.
    static func caseId(_ text: String, outcome: (zh: String, en: String)) throws -> Int64 {
        try recordNumber(text, what: pair("cli.case.caseNumber"), outcome: outcome)
    }

    /// The database, the environment (with the programme catalog) and the case file, or a
    /// paragraph saying what is missing.
    static func load(_ common: CommonOptions, caseNumber: String, outcome: (zh: String, en: String))
        throws -> (store: Store, env: AppEnvironment, file: CaseFile) {
        let lang = common.language
        let id = try caseId(caseNumber, outcome: outcome)
        // Showing a case and printing its notice only read: the file is opened read-only.
        let (store, env, catalog) = try storeWithCatalog(common, outcome: outcome, readOnly: true)
        guard let file = try guarded(lang, { try store.caseFile(id: id, today: env.today, catalog: catalog) }) else {
            throw fail(t("cli.case.thereIsNoCase", ["id": IdBlock.shown(id), "storePath": "\(store.path)", "outcome": "\(pick(outcome))"]).trimmingCharacters(in: .whitespaces))
        }
        return (store, env, file)
    }
}

/// The case as the review screen shows it, as plain text.
struct CaseShow: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "show",
            abstract: t("cli.case.showACaseHousehold"),
            discussion: t("cli.case.theRulesUseThe"))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(t("cli.case.caseNumberSuchAs"), valueName: "case"))
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
            abstract: t("cli.case.printTheNoticeOf"),
            discussion: t("cli.case.writtenIntoPrintsBeside"))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(t("cli.case.caseNumberSuchAs"), valueName: "case"))
    var caseNumber: String
    @Option(name: .long, help: ArgumentHelp(t("cli.case.noticeKind")))
    var kind: String?

    mutating func run() throws {
        let outcome = pair("cli.case.noNoticeWasPrinted")
        let (store, env, file) = try CaseCommand.load(common, caseNumber: caseNumber, outcome: outcome)
        let id = file.caseRecord.id ?? 0
        let owed = CaseNotice.kinds(for: file)
        let chosen: CaseNotice.Kind
        if let k = kind {
            // An earlier decision's notice printed again, e.g. the approval of a case since adjusted.
            guard let wanted = CaseNotice.Kind(rawValue: k.lowercased()) else {
                throw fail(t("cli.case.noticeKindUnknown", ["kind": k, "kinds": CaseNotice.Kind.allCases.map(\.rawValue).joined(separator: ", ")]))
            }
            guard owed.contains(wanted) else {
                throw fail(t("cli.case.noticeKindNotOwed", ["id": IdBlock.shown(id), "kind": wanted.rawValue,
                                                           "owed": owed.isEmpty ? "-" : owed.map(\.rawValue).joined(separator: ", ")]))
            }
            chosen = wanted
        } else {
            guard let k = CaseNotice.kind(for: file) else {
                let s = file.caseRecord.status.label
                throw fail(t("cli.case.caseIsItWas", ["id": IdBlock.shown(id), "s": "\(pick(s))"]))
            }
            chosen = k
        }
        let lang = common.language
        let office = try guarded(lang) { try store.office() }
        let rules = try guarded(lang) { try store.paymentRules() }
        let paths = try guarded(lang) { try CaseNotice.write(file, kind: chosen, besides: store.path, env: env, office: office, rules: rules) }
        let what = CaseNotice.title(chosen, env.lang)
        try? FileHandle.standardError.write(contentsOf: Data(t("cli.case.wroteTheOfCase", ["id": IdBlock.shown(id), "what": "\(what)"]).utf8))
        try guarded(lang) { try SafeFile.standardOutput { try $0.write(paths.map { $0 + "\n" }.joined()) } }
    }
}

/// 特殊情况: the whole flow's longer limit (民发〔2021〕57号: 45 working days instead of 30, the
/// reason recorded), as on the case view's `e`: the reviewer or the approver, signed in; the
/// store refuses what the screen refuses (a decided case, 受灾, a second extension, no reason).
struct CaseExtendCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "extend",
            abstract: t("cli.case.extendAbstract"),
            discussion: t("cli.case.extendDiscussion"))
    }
    @OptionGroup var common: CommonOptions
    @OptionGroup var signIn: SignIn
    @Argument(help: ArgumentHelp(t("cli.case.caseNumberSuchAs"), valueName: "case"))
    var caseNumber: String
    @Option(name: .long, help: ArgumentHelp(t("cli.case.extendReason")))
    var reason: String

    mutating func run() throws {
        let lang = common.language
        let outcome = pair("cli.case.extendNotDone")
        let id = try CaseCommand.caseId(caseNumber, outcome: outcome)
        let (store, env, catalog) = try storeWithCatalog(common, outcome: outcome)
        let u = try signIn.user(store, roles: Store.flowLimitExtendRoles, what: pair("cli.case.extendWhat"), lang: lang)
        guard let file = try guarded(lang, { try store.caseFile(id: id, today: env.today, catalog: catalog) }) else {
            throw fail(t("cli.case.thereIsNoCase", ["id": IdBlock.shown(id), "storePath": "\(store.path)", "outcome": "\(pick(outcome))"]).trimmingCharacters(in: .whitespaces))
        }
        try guarded(lang) {
            try store.extendFlowLimit(caseId: id, version: file.caseRecord.version, reason: reason, by: u.name, on: env.today, catalog: catalog)
        }
        var text = t("cli.case.extended", ["id": IdBlock.shown(id)])
        if let l = try guarded(lang, { try store.caseFile(id: id, today: env.today, catalog: catalog) })?.flowLimit {
            text += "\n" + CaseReport.flowText(l, env: env)
        }
        try guarded(lang) { try SafeFile.standardOutput { try $0.write(text + "\n") } }
    }
}
