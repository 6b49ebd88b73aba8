import ArgumentParser
import Foundation
import JiuzhuModel
import JiuzhuStore

struct InitCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "init",
            abstract: t("cli.init.createAnOfficeS"))
    }

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("county-code"), help: ArgumentHelp(t("cli.init.countyCodeDigitsGb")))
    var countyCode: String

    @Option(name: .customLong("township-code"), help: ArgumentHelp(t("cli.init.townshipCodeDigitsDefault")))
    var townshipCode: String = "001"

    @Option(name: .long, help: ArgumentHelp(t("cli.init.townshipName")))
    var township: String

    @Option(name: .long, help: ArgumentHelp(t("cli.init.countyName")))
    var county: String = ""

    @Option(name: .long, help: ArgumentHelp(t("cli.init.adminUserName")))
    var admin: String

    @Flag(name: .customLong("password-stdin"), help: ArgumentHelp(t("cli.init.readTheAdminPassword")))
    var passwordStdin = false

    func validate() throws {
        guard countyCode.count == 6, countyCode.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ValidationError(t("cli.init.theCountyCodeIs"))
        }
        guard townshipCode.count == 3, townshipCode.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ValidationError(t("cli.init.theTownshipCodeIs"))
        }
    }

    mutating func run() throws {
        let lang = common.language
        let path = common.databasePath()
        if FileManager.default.fileExists(atPath: path) { throw fail(existingFile(path).message(lang)) }
        let dir = try dataDirectory()
        let ref = try guarded(lang) { try ReferenceData.load(from: dir) }
        let password = try newPassword(fromStdin: passwordStdin)
        let office = Office(countyCode: countyCode, countyName: county.isEmpty ? countyCode : county,
                            townshipCode: countyCode + townshipCode + "000", townshipName: township)
        let admin = self.admin
        // Built as NAME.part and named at the end: an interrupted init leaves nothing.
        _ = try guarded(lang) {
            try Store.build(at: path) { store in
                try store.initializeOffice(reference: ref, office: office, by: "init")
                try store.addUser(name: admin, displayName: admin, role: .admin, password: password, by: "init")
            }
        }
        print(t("cli.init.createdTownshipAdminNext", ["path": "\(path)", "township": "\(township)", "admin": "\(admin)"]))
    }
}

struct RegionCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "region", abstract: t("cli.init.villagesAndCommunities"),
                             subcommands: [RegionAdd.self, RegionList.self])
    }
}

struct RegionAdd: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "add", abstract: t("cli.init.addAVillageOr"))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(t("cli.init.theVillageSOwn")))
    var code: String
    @Argument(help: ArgumentHelp(t("cli.init.name")))
    var name: String
    @Flag(name: .long, help: ArgumentHelp(t("cli.init.anUrbanCommunityDefault")))
    var community = false
    @OptionGroup var signIn: SignIn

    mutating func run() throws {
        let lang = common.language
        guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ValidationError(t("cli.init.theCodeIsDigits"))
        }
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        let admin = try signIn.user(store, roles: Policy.roles(.addRegion), what: pair("cli.init.addingAVillage"), lang: lang)
        let full = try guarded(lang) { try store.addRegion(code: code, name: name, level: community ? .community : .village, by: admin.name) }
        print(full)
    }
}

struct RegionList: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: t("cli.init.listRegions"))
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
