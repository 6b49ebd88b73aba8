import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore

/// `jiuzhu roster`: the monthly payment rosters (发放名册).
struct RosterCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "roster", abstract: L("发放名册:按月、按项目生成、列出、确认、导出银行文件", "payment rosters: make, list, confirm, the bank's file"),
                             subcommands: [RosterMake.self, RosterList.self, RosterConfirm.self, RosterExportCommand.self])
    }

    /// The database, roster `id`, and who acts: an approver's or administrator's name and
    /// password, checked.
    static func open(_ common: CommonOptions, roster id: Int64, user: String?, passwordStdin: Bool,
                     what: (zh: String, en: String)) throws -> (Store, PaymentRoster, String) {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        guard let r = try guarded(lang, { try store.roster(id: id) }) else {
            throw fail(StoreError.notFound(entity: L("发放名册", "roster"), id: String(id)).message(lang))
        }
        guard let name = user else {
            throw fail(L("\(what.zh)需要 --user 指定审批员或管理员。什么也没有改动。", "\(what.en) needs --user naming an approver or administrator. Nothing was changed."))
        }
        let u = try authenticated(store, name: name, passwordStdin: passwordStdin, lang: lang)
        guard u.role == .approver || u.role == .admin else {
            throw fail(L("\(what.zh)仅限审批员和管理员;\(name) 是\(u.role.label.zh)。什么也没有改动。",
                         "Only an approver or administrator may \(what.en.lowercased()); \(name) is a \(u.role.label.en). Nothing was changed."))
        }
        return (store, r, name)
    }
}

struct RosterMake: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "make", abstract: L("生成(或重做草稿)某月某项目的发放名册", "make (or make again, while a draft) a month's roster"))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .long, help: ArgumentHelp(L("月份 YYYY-MM(默认本月)", "month YYYY-MM (default this month)")))
    var month: String?
    @Option(name: .customLong("program"), help: ArgumentHelp(L("项目:rural_dibao、urban_dibao、tekun(或中文名)", "programme: rural_dibao, urban_dibao, tekun")))
    var programme: String
    @OptionGroup var signIn: SignIn

    mutating func run() throws {
        let lang = common.language
        guard let p = Programme(text: programme) else { throw ValidationError(L("未知项目 \(programme)", "unknown programme \(programme)")) }
        let (store, env, catalog) = try storeWithCatalog(common, outcome: (zh: "没有生成名册。", en: "No roster was made."))
        // As on 发放名册: the clerk, the approver or the administrator, after their password.
        let by = try signIn.user(store, roles: [.clerk, .approver, .admin], what: ("生成发放名册", "Making a roster"), lang: lang).name
        let today = env.today
        let month = self.month ?? String(format: "%04d-%02d", today.year, today.month)
        let started = Date()
        let r = try guarded(lang) { try store.makeRoster(month: month, programme: p, catalog: catalog, by: by) }
        let took = String(format: "%.2f", Date().timeIntervalSince(started))
        print(L("第 \(r.id) 号:\(r.month) \(r.programme.label.zh)发放名册(草稿)\(r.lines) 户 \(r.persons) 人,合计 \(r.total.yuanString) 元(其中补发 \(r.backPay.yuanString) 元);无银行卡 \(r.withoutCard) 户。用时 \(took) 秒。",
                "No. \(r.id): the \(r.month) \(r.programme.label.en) roster (draft), \(r.lines) households, \(r.persons) persons, \(r.total.yuanString) yuan (back pay \(r.backPay.yuanString)); \(r.withoutCard) without a bank card. Took \(took) s."))
    }
}

struct RosterList: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: L("列出发放名册:编号、月份、项目、状态、户、人、金额、无卡户", "list rosters: number, month, programme, state, households, persons, amount, without a card"))
    }
    @OptionGroup var common: CommonOptions
    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        for r in try guarded(lang, { try store.rosters() }) {
            let state = r.state == .confirmed ? L("已确认", "confirmed") : L("草稿", "draft")
            print("\(r.id)\t\(r.month)\t\(r.programme.label(lang))\t\(state)\t\(r.lines)\t\(r.persons)\t\(r.total.yuanString)\t\(r.withoutCard)")
        }
    }
}

struct RosterConfirm: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "confirm", abstract: L("确认发放(审批员、管理员;确认后不再改动)", "confirm a roster (approver, administrator; it never changes after)"))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(L("名册编号", "roster number")))
    var id: Int64
    @Option(name: .long, help: ArgumentHelp(L("审批员或管理员用户名", "approver or administrator")))
    var user: String?
    @Flag(name: .customLong("password-stdin"), help: ArgumentHelp(L("从标准输入读密码", "read the password from stdin")))
    var passwordStdin = false

    mutating func run() throws {
        let lang = common.language, id = self.id
        let (store, r, actor) = try RosterCommand.open(common, roster: id, user: user, passwordStdin: passwordStdin, what: ("确认发放", "Confirming a roster"))
        let (_, env, catalog) = try storeWithCatalog(common, outcome: (zh: "名册没有确认。", en: "The roster was not confirmed."))
        try guarded(lang) { try store.confirmRoster(id: id, version: r.version, catalog: catalog, by: actor, today: env.today) }
        print(L("第 \(id) 号发放名册已确认。", "Roster \(id) is confirmed."))
    }
}

struct RosterExportCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "export",
            abstract: L("导出银行文件(CSV 和 Excel,含完整身份证号和银行卡号;审批员、管理员;记入审计)", "the bank's file (CSV and Excel, full ID and card numbers; approver, administrator; audited)"),
            discussion: L("文件默认写在数据库旁的 prints/ 里,权限 0600。内部资料,不得张贴。", "Written to prints/ beside the database by default, mode 0600. Internal: never to be posted."))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(L("名册编号", "roster number")))
    var id: Int64
    @Option(name: .shortAndLong, help: ArgumentHelp(L("输出文件名(不含扩展名)", "output file name without extension")))
    var output: String?
    @Option(name: .long, help: ArgumentHelp(L("审批员或管理员用户名", "approver or administrator")))
    var user: String?
    @Flag(name: .customLong("password-stdin"), help: ArgumentHelp(L("从标准输入读密码", "read the password from stdin")))
    var passwordStdin = false
    @Flag(name: .long, help: ArgumentHelp(L("覆盖已有的输出文件", "replace existing output files")))
    var force = false

    mutating func run() throws {
        let lang = common.language, id = self.id
        let force = self.force, output = self.output
        let (store, r, actor) = try RosterCommand.open(common, roster: id, user: user, passwordStdin: passwordStdin, what: ("导出银行文件", "Writing the bank's file"))
        let township = (try? store.office()?.townshipName) ?? ""
        let stem = try output.map { ($0 as NSString).deletingPathExtension } ?? RosterExport.stem(r, besides: store.path)
        let paths = try guarded(lang) { () throws -> [String] in
            let paths = try RosterExport.write(r, lines: try store.rosterLines(id: id), township: township, lang: lang, stem: stem,
                                               force: force || output == nil, anchor: store.anchorText())
            try store.auditRosterExport(id: id, to: paths.joined(separator: ", "), by: actor)
            return paths
        }
        print(paths.joined(separator: "\n"))
    }
}
