import ArgumentParser
import Foundation
import JiuzhuModel
import JiuzhuStore

struct UserCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "user", abstract: t("cli.user.users"), subcommands: [UserAdd.self, UserList.self, UserPassword.self, UserDisable.self, UserEnable.self])
    }
}

struct UserAdd: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "add",
            abstract: t("cli.user.addAUserPassword"),
            discussion: t("cli.user.rolesClerkReviewerApprover"))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(t("cli.user.userName")))
    var name: String
    @Option(name: .long, help: ArgumentHelp(t("cli.user.role")))
    var role: String
    @Option(name: .customLong("display-name"), help: ArgumentHelp(t("cli.user.fullNameShownOn")))
    var displayName: String?
    @OptionGroup var signIn: SignIn

    mutating func run() throws {
        let lang = common.language
        guard let r = Role(text: role) else {
            throw ValidationError(t("cli.user.unknownRoleUseClerk", ["role": "\(role)"]))
        }
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        let admin = try signIn.user(store, roles: Policy.roles(.manageUsers), what: pair("cli.user.addingAUser"), lang: lang)
        let name = self.name, displayName = self.displayName
        if try guarded(lang, { try store.userStatus(name) }) != nil { throw fail(StoreError.userExists(name).message(lang)) }
        // With --password-stdin: the administrator's password on the first line, the new one next.
        let pw = try newPassword(fromStdin: signIn.passwordStdin)
        try guarded(lang) { try store.addUser(name: name, displayName: displayName, role: r, password: pw, by: admin.name) }
        print(t("cli.user.addedUser", ["name": "\(name)", "label": "\(pick(r.label))"]))
    }
}

struct UserList: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: t("cli.user.listUsers"))
    }
    @OptionGroup var common: CommonOptions
    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .readOnly) }
        let users = try guarded(lang) { try store.users() }
        for u in users {
            let status = try guarded(lang) { try store.userStatus(u.name) }
            var state = u.active ? t("cli.user.active") : t("cli.user.disabled")
            if let until = status?.lockedUntil, !until.isEmpty { state += t("cli.user.lockedUntil") + until }
            // Names are printed with control characters shown, never sent raw to the terminal.
            print("\(TextBounds.visible(u.name))\t\(u.role.label(lang))\t\(TextBounds.visible(u.displayName))\t\(state)")
        }
    }
}


struct UserPassword: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "password", abstract: t("cli.user.setAUserS"))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(t("cli.user.userName")))
    var name: String
    @OptionGroup var signIn: SignIn

    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        let admin = try signIn.user(store, roles: Policy.roles(.manageUsers), what: pair("cli.user.settingAPassword"), lang: lang)
        let name = self.name
        if try guarded(lang, { try store.userStatus(name) }) == nil {
            throw fail(t("cli.user.thereIsNoUser", ["name": "\(name)"]))
        }
        // With --password-stdin: the administrator's password on the first line, the new one next.
        let pw = try newPassword(fromStdin: signIn.passwordStdin)
        try guarded(lang) { try store.resetPassword(name: name, password: pw, by: admin.name) }
        print(t("cli.user.newPasswordSetFor", ["name": "\(name)"]))
    }
}

struct UserDisable: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "disable", abstract: t("cli.user.disableAUserKept"))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(t("cli.user.userName")))
    var name: String
    @OptionGroup var signIn: SignIn
    mutating func run() throws {
        try UserDisable.set(name, active: false, common, signIn)
        print(t("cli.user.disabled2", ["name": "\(name)"]))
    }

    /// Disable or enable `name` in the database `common` names.
    static func set(_ name: String, active: Bool, _ common: CommonOptions, _ signIn: SignIn) throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        let admin = try signIn.user(store, roles: Policy.roles(.manageUsers), what: active ? pair("cli.user.enablingAUser") : pair("cli.user.disablingAUser"), lang: lang)
        try guarded(lang) { try store.setUserActive(name: name, active: active, by: admin.name) }
    }
}

struct UserEnable: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "enable", abstract: t("cli.user.enableAUserAgain"))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(t("cli.user.userName")))
    var name: String
    @OptionGroup var signIn: SignIn
    mutating func run() throws {
        try UserDisable.set(name, active: true, common, signIn)
        print(t("cli.user.enabled", ["name": "\(name)"]))
    }
}
