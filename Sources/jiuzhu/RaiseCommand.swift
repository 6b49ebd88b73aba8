import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore

/// `jiuzhu raise`: 提标普调 — every case in force worked out again at the standard in force
/// today; lists old and new amounts, and with `--yes` records one adjustment per case.
struct RaiseCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "raise",
            abstract: t("cli.raise.raiseEveryCaseIn"),
            discussion: t("cli.raise.putTheNewStandard"))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .customLong("program"), help: ArgumentHelp(t("cli.raise.programmeRuralDibaoUrban")))
    var programme: String
    @Option(name: .long, help: ArgumentHelp(t("cli.raise.monthPaidFromYyyy")))
    var from: String?
    @Flag(name: .long, help: ArgumentHelp(t("cli.raise.recordTheAdjustmentsOtherwise")))
    var yes = false
    @Option(name: .long, help: ArgumentHelp(t("cli.raise.approverWithYes")))
    var user: String?
    @Flag(name: .customLong("password-stdin"), help: ArgumentHelp(t("cli.export.readThePasswordFrom")))
    var passwordStdin = false

    mutating func run() throws {
        let lang = common.language
        guard let p = Programme(text: programme) else { throw ValidationError(t("cli.raise.unknownProgramme", ["programme": "\(programme)"])) }
        var month: PayMonth?
        if let f = from {
            guard let m = PayMonth(f) else { throw ValidationError(t("cli.raise.theMonthIsWritten")) }
            month = m
        }
        let (store, env, catalog) = try storeWithCatalog(common, outcome: pair("cli.raise.nothingWasChanged"))
        let plan = try guarded(lang) { try store.raisePlan(programme: p, from: month, today: env.today, catalog: catalog) }
        let std = plan.standards.map { "\($0.area) \($0.amount.yuanString)(\($0.effectiveFrom.iso))" }.joined(separator: "; ")
        print(t("cli.raise.standardInForcePaid", ["label": "\(pick(p.label))", "std": "\(std)", "from": "\(plan.from)"]))
        print(t("cli.raise.caseVillageHeadPersons"))
        for l in plan.lines {
            print("\(l.caseId)\t\(l.village)\t\(l.headName)\t\(l.persons)\t\(l.old.yuanString)\t\(l.new.yuanString)\t\(Money(fen: l.new.fen - l.old.fen).yuanString)")
        }
        print(t("cli.raise.raisedMonthlyTotalFrom", ["linesCount": "\(plan.lines.count)", "yuanString": "\(plan.oldTotal.yuanString)", "yuanString2": "\(plan.newTotal.yuanString)", "unchanged": "\(plan.unchanged)"]))
        guard yes else {
            print(t("cli.raise.listedOnlyNothingWas"))
            return
        }
        guard let name = user else {
            throw fail(t("cli.raise.recordingNeedsUserNaming"))
        }
        let u = try authenticated(store, name: name, passwordStdin: passwordStdin, lang: lang)
        guard Policy.allows(u.role, .applyRaise) else {
            throw fail(t("cli.raise.onlyAnApproverConfirms", ["name": "\(name)", "label": "\(pick(u.role.label))"]))
        }
        let n = try guarded(lang) { try store.applyRaise(plan, today: env.today, catalog: catalog, by: name, role: u.role) }
        print(t("cli.raise.recordedAdjustmentsPaidFrom", ["n": "\(n)", "from": "\(plan.from)"]))
    }
}
