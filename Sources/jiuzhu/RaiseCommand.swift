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
            abstract: L("提标普调:新标准生效后,按各案记录重算在保对象金额,列出新旧金额;--yes 经审批员密码确认后逐案记录调整", "raise every case in force to the new standard: lists old and new amounts; --yes records one adjustment per case after an approver's password"),
            discussion: L("新标准先写入 data/standards.csv(程序启动时读入)。调整从执行月份(默认新标准生效的月份)起发放;已确认名册的月份在下一份名册补发。计算结果不高于现额的案件保持不变。",
                          "Put the new standard in data/standards.csv first (read at start). The new amounts are paid from the month given (default: the month the standard took effect); months already on a confirmed roster are paid back on the next one. A case whose new figure is not higher keeps its amount."))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .customLong("program"), help: ArgumentHelp(L("项目:rural_dibao、urban_dibao、tekun(或中文名)", "programme: rural_dibao, urban_dibao, tekun")))
    var programme: String
    @Option(name: .long, help: ArgumentHelp(L("执行月份 YYYY-MM(默认新标准生效的月份)", "month paid from, YYYY-MM (default: the month the standard took effect)")))
    var from: String?
    @Flag(name: .long, help: ArgumentHelp(L("记录调整(否则只列出)", "record the adjustments (otherwise only list them)")))
    var yes = false
    @Option(name: .long, help: ArgumentHelp(L("审批员用户名(与 --yes 同用)", "approver (with --yes)")))
    var user: String?
    @Flag(name: .customLong("password-stdin"), help: ArgumentHelp(L("从标准输入读密码", "read the password from stdin")))
    var passwordStdin = false

    mutating func run() throws {
        let lang = common.language
        guard let p = Programme(text: programme) else { throw ValidationError(L("未知项目 \(programme)", "unknown programme \(programme)")) }
        var month: PayMonth?
        if let f = from {
            guard let m = PayMonth(f) else { throw ValidationError(L("执行月份应写作 YYYY-MM,如 2027-01", "the month is written YYYY-MM, e.g. 2027-01")) }
            month = m
        }
        let (store, env, catalog) = try storeWithCatalog(common, outcome: (zh: "什么也没有改动。", en: "Nothing was changed."))
        let plan = try guarded(lang) { try store.raisePlan(programme: p, from: month, today: env.today, catalog: catalog) }
        let std = plan.standards.map { "\($0.area) \($0.amount.yuanString)(\($0.effectiveFrom.iso))" }.joined(separator: "; ")
        print(L("\(p.label.zh) 现行标准 \(std);自 \(plan.from) 起执行", "\(p.label.en), standard in force \(std); paid from \(plan.from)"))
        print(L("案件\t村(社区)\t户主\t人数\t原金额\t新金额\t增加", "case\tvillage\thead\tpersons\told\tnew\tincrease"))
        for l in plan.lines {
            print("\(l.caseId)\t\(l.village)\t\(l.headName)\t\(l.persons)\t\(l.old.yuanString)\t\(l.new.yuanString)\t\(Money(fen: l.new.fen - l.old.fen).yuanString)")
        }
        print(L("调整 \(plan.lines.count) 户,月合计由 \(plan.oldTotal.yuanString) 元增至 \(plan.newTotal.yuanString) 元;不变 \(plan.unchanged) 户。",
                "\(plan.lines.count) raised, monthly total from \(plan.oldTotal.yuanString) to \(plan.newTotal.yuanString) yuan; \(plan.unchanged) unchanged."))
        guard yes else {
            print(L("只是列出,什么也没有改动。加 --yes --user 审批员 记录这些调整。", "Listed only; nothing was changed. Add --yes --user APPROVER to record these adjustments."))
            return
        }
        guard let name = user else {
            throw fail(L("记录调整需要 --user 指定审批员。什么也没有改动。", "Recording needs --user naming an approver. Nothing was changed."))
        }
        let u = try authenticated(store, name: name, passwordStdin: passwordStdin, lang: lang)
        guard u.role == .approver else {
            throw fail(L("提标普调由审批员确认;\(name) 是\(u.role.label.zh)。什么也没有改动。",
                         "Only an approver confirms a raise; \(name) is a \(u.role.label.en). Nothing was changed."))
        }
        let n = try guarded(lang) { try store.applyRaise(plan, today: env.today, catalog: catalog, by: name, role: u.role) }
        print(L("已记录 \(n) 户的调整,自 \(plan.from) 起按新金额发放(已确认名册的月份在下一份名册补发)。调整通知书用 jiuzhu case notice 案件号 打印;调整将列入下一次「调整和取消保障」公示。",
                "Recorded \(n) adjustments, paid from \(plan.from) (months already on a confirmed roster are paid back on the next). Print each family's notice with jiuzhu case notice CASE; the adjustments go on the next changes posting."))
    }
}
