import ArgumentParser
import Foundation
import JiuzhuModel
import JiuzhuStore

struct UserCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "user", abstract: L("用户管理", "users"), subcommands: [UserAdd.self, UserList.self, UserPassword.self, UserDisable.self, UserEnable.self])
    }
}

struct UserAdd: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "add",
            abstract: L("添加用户(两次输入密码,不回显)", "add a user (password asked twice, not echoed)"),
            discussion: L("角色:经办员 clerk、审核员 reviewer、审批员 approver、督查员 supervisor、管理员 admin。",
                          "Roles: clerk 经办员, reviewer 审核员, approver 审批员, supervisor 督查员, admin 管理员."))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(L("用户名", "user name")))
    var name: String
    @Option(name: .long, help: ArgumentHelp(L("角色", "role")))
    var role: String
    @Option(name: .customLong("display-name"), help: ArgumentHelp(L("姓名(显示用)", "full name shown on screens")))
    var displayName: String?
    @OptionGroup var signIn: SignIn

    mutating func run() throws {
        let lang = common.language
        guard let r = Role(text: role) else {
            throw ValidationError(L("未知角色 \(role)。可用:clerk reviewer approver supervisor admin(或中文名)",
                                    "unknown role \(role); use clerk, reviewer, approver, supervisor or admin"))
        }
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        let admin = try signIn.user(store, roles: [.admin], what: ("添加用户", "Adding a user"), lang: lang)
        let name = self.name, displayName = self.displayName
        if try guarded(lang, { try store.userStatus(name) }) != nil { throw fail(StoreError.userExists(name).message(lang)) }
        // With --password-stdin: the administrator's password on the first line, the new one next.
        let pw = try newPassword(fromStdin: signIn.passwordStdin)
        try guarded(lang) { try store.addUser(name: name, displayName: displayName, role: r, password: pw, by: admin.name) }
        print(L("已添加用户 \(name)(\(r.label.zh))", "Added user \(name) (\(r.label.en))"))
    }
}

struct UserList: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: L("列出用户", "list users"))
    }
    @OptionGroup var common: CommonOptions
    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .readOnly) }
        let users = try guarded(lang) { try store.users() }
        for u in users {
            let status = try guarded(lang) { try store.userStatus(u.name) }
            var state = u.active ? L("启用", "active") : L("停用", "disabled")
            if let until = status?.lockedUntil, !until.isEmpty { state += L(",锁定至 ", ", locked until ") + until }
            // Names are printed with control characters shown, never sent raw to the terminal.
            print("\(TextBounds.visible(u.name))\t\(u.role.label(lang))\t\(TextBounds.visible(u.displayName))\t\(state)")
        }
    }
}


struct UserPassword: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "password", abstract: L("重设用户密码(并解除锁定)", "set a user's new password (and lift any lock)"))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(L("用户名", "user name")))
    var name: String
    @OptionGroup var signIn: SignIn

    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        let admin = try signIn.user(store, roles: [.admin], what: ("重设密码", "Setting a password"), lang: lang)
        let name = self.name
        if try guarded(lang, { try store.userStatus(name) }) == nil {
            throw fail(L("没有用户 \(name)。什么也没有改动。", "There is no user \(name). Nothing was changed."))
        }
        // With --password-stdin: the administrator's password on the first line, the new one next.
        let pw = try newPassword(fromStdin: signIn.passwordStdin)
        try guarded(lang) { try store.resetPassword(name: name, password: pw, by: admin.name) }
        print(L("已为 \(name) 设置新密码。", "New password set for \(name)."))
    }
}

struct UserDisable: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "disable", abstract: L("停用用户(不删除,记录保留)", "disable a user (kept, not deleted)"))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(L("用户名", "user name")))
    var name: String
    @OptionGroup var signIn: SignIn
    mutating func run() throws {
        try UserDisable.set(name, active: false, common, signIn)
        print(L("已停用 \(name)。", "Disabled \(name)."))
    }

    /// Disable or enable `name` in the database `common` names.
    static func set(_ name: String, active: Bool, _ common: CommonOptions, _ signIn: SignIn) throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        let admin = try signIn.user(store, roles: [.admin], what: active ? ("启用用户", "Enabling a user") : ("停用用户", "Disabling a user"), lang: lang)
        try guarded(lang) { try store.setUserActive(name: name, active: active, by: admin.name) }
    }
}

struct UserEnable: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "enable", abstract: L("重新启用用户(并解除锁定)", "enable a user again (and lift any lock)"))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(L("用户名", "user name")))
    var name: String
    @OptionGroup var signIn: SignIn
    mutating func run() throws {
        try UserDisable.set(name, active: true, common, signIn)
        print(L("已启用 \(name)。", "Enabled \(name)."))
    }
}
