import ArgumentParser
import Foundation
import JiuzhuModel
import JiuzhuStore

struct InitCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "init",
            abstract: L("新建一个乡镇民政办的数据库(不会覆盖已有文件)。", "Create an office's database (never overwrites an existing file)."))
    }

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("county-code"), help: ArgumentHelp(L("县级行政区划代码(6 位,GB/T 2260)", "county code (6 digits, GB/T 2260)")))
    var countyCode: String

    @Option(name: .customLong("township-code"), help: ArgumentHelp(L("乡镇代码(3 位,默认 001)", "township code (3 digits, default 001)")))
    var townshipCode: String = "001"

    @Option(name: .long, help: ArgumentHelp(L("乡镇名称", "township name")))
    var township: String

    @Option(name: .long, help: ArgumentHelp(L("县名称", "county name")))
    var county: String = ""

    @Option(name: .long, help: ArgumentHelp(L("管理员用户名", "admin user name")))
    var admin: String

    @Flag(name: .customLong("password-stdin"), help: ArgumentHelp(L("从标准输入读管理员密码", "read the admin password from stdin")))
    var passwordStdin = false

    func validate() throws {
        guard countyCode.count == 6, countyCode.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ValidationError(L("县级代码应为 6 位数字,例如 532927", "the county code is 6 digits, e.g. 532927"))
        }
        guard townshipCode.count == 3, townshipCode.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ValidationError(L("乡镇代码应为 3 位数字", "the township code is 3 digits"))
        }
    }

    mutating func run() throws {
        let lang = common.language
        let path = common.databasePath()
        if FileManager.default.fileExists(atPath: path) { throw fail(StoreError.alreadyExists(path: path).message(lang)) }
        let dir = try dataDirectory()
        let ref = try guarded(lang) { try ReferenceData.load(from: dir) }
        let password = try newPassword(fromStdin: passwordStdin)
        let office = Office(countyCode: countyCode, countyName: county.isEmpty ? countyCode : county,
                            townshipCode: countyCode + townshipCode + "000", townshipName: township)
        let admin = self.admin
        // Built as NAME.part and named at the end: an interrupted init leaves nothing.
        _ = try guarded(lang) {
            try Store.build(at: path) { store in
                try store.write { db in try Store.initializeOffice(db, reference: ref, office: office, actor: "init") }
                try store.addUser(name: admin, displayName: admin, role: .admin, password: password, by: "init")
            }
        }
        print(L("已新建数据库 \(path)(乡镇:\(township),管理员:\(admin))。下一步:jiuzhu region add 添加村/社区,jiuzhu user add 添加经办员。",
                "Created \(path) (township \(township), admin \(admin)). Next: add villages with `jiuzhu region add`, clerks with `jiuzhu user add`."))
    }
}

struct RegionCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "region", abstract: L("村/社区", "villages and communities"),
                             subcommands: [RegionAdd.self, RegionList.self])
    }
}

struct RegionAdd: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "add", abstract: L("添加村(行政村)或社区", "add a village or urban community"))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(L("村/社区代码的后 3 位", "the village's own 3 digits")))
    var code: String
    @Argument(help: ArgumentHelp(L("名称", "name")))
    var name: String
    @Flag(name: .long, help: ArgumentHelp(L("是城镇社区(默认行政村)", "an urban community (default: village)")))
    var community = false
    @OptionGroup var signIn: SignIn

    mutating func run() throws {
        let lang = common.language
        guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ValidationError(L("代码应为 3 位数字", "the code is 3 digits"))
        }
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        let admin = try signIn.user(store, roles: [.admin], what: ("添加村/社区", "Adding a village"), lang: lang)
        let full = try guarded(lang) { try store.addRegion(code: code, name: name, level: community ? .community : .village, by: admin.name) }
        print(full)
    }
}

struct RegionList: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: L("列出行政区划", "list regions"))
    }
    @OptionGroup var common: CommonOptions
    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .readOnly) }
        for r in try guarded(lang, { try store.regions() }) {
            print("\(r.code)\t\(r.level.rawValue)\t\(r.name)")
        }
    }
}
