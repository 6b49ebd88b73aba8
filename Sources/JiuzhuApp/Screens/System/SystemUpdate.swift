import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// One account as the administrator's list shows it.
public struct UserRow: Equatable, Sendable {
    public var name: String
    public var displayName: String
    public var role: Role
    public var active: Bool
    /// Local time the lock ends, when the account is locked after wrong passwords.
    public var lockedUntil: String?
    public init(name: String, displayName: String, role: Role, active: Bool, lockedUntil: String? = nil) {
        self.name = name; self.displayName = displayName; self.role = role; self.active = active; self.lockedUntil = lockedUntil
    }
}

/// 系统管理: the accounts (add, new password, disable / enable) and backups of the database.
public struct SystemState: Equatable, Sendable {
    public enum DialogKind: Equatable, Sendable { case addUser, password(String), backup }
    public var users: [UserRow] = []
    public var backups: [BackupFile] = []
    public var folder = ""
    public var selected = 0
    public var loading = true
    public var dialog: ActionDialog?
    public var dialogKind: DialogKind?
    public init() {}
    public var selectedUser: UserRow? { users.indices.contains(selected) ? users[selected] : nil }
}

/// 系统管理: the module.
public enum SystemScreen: ScreenModule {
    public static let id: ScreenID = "system"
    public static func keymapSection(_ st: SystemState, _ s: AppState) -> ScreenID { st.dialog != nil ? .caseAction : id }

    public enum Effect: Equatable, Sendable {
        case load
        case addUser(name: String, displayName: String, role: Role, password: String)
        case resetPassword(name: String, password: String)
        case setActive(name: String, active: Bool)
        case backup(to: String)
    }

    public enum Event: Sendable {
        /// The accounts as stored, as of `now` (a lock that has run out is not shown), and the backups.
        case loaded([Store.UserStatus], now: Date, backups: [BackupFile], folder: String)
        case added(name: String, role: Role)
        case passwordSet(name: String)
        case activeSet(name: String, active: Bool)
        case backedUp(BackupResult)
        case refused(any Error)
    }

    public static func open(_ s: inout AppState, env: AppEnvironment) -> [JiuzhuApp.Effect]? {
        s.push(SystemScreen.embed(SystemState()))
        return [effect(.load)]
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        if case .load = effect {
            return .loaded(try cx.store.userStatuses(), now: cx.env.clock.now(), backups: cx.store.backups(), folder: cx.store.backupFolder)
        }
        guard let u = cx.user, Policy.allows(u.role, .manageUsers) else { return nil }
        do {
            switch effect {
            case .load: return nil
            case .addUser(let name, let displayName, let role, let password):
                try cx.store.addUser(name: name, displayName: displayName, role: role, password: password, by: u.name)
                cx.log("user \(name) added by \(u.name)")
                return .added(name: name, role: role)
            case .resetPassword(let name, let password):
                try cx.store.resetPassword(name: name, password: password, by: u.name)
                return .passwordSet(name: name)
            case .setActive(let name, let active):
                try cx.store.setUserActive(name: name, active: active, by: u.name)
                return .activeSet(name: name, active: active)
            case .backup(let to):
                let r = try cx.store.backup(to: to.isEmpty ? nil : to, by: u.name)
                cx.log("backup \(r.file.path) \(r.file.bytes) bytes")
                return .backedUp(r)
            }
        } catch { return .refused(error) }
    }

    public static func event(_ s: inout AppState, _ st: inout SystemState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        func done(_ text: String) -> [JiuzhuApp.Effect] {
            st.dialog = nil; st.dialogKind = nil
            s.message = Message(title: env.t("screen.system"), text: text)
            return [effect(.load)]
        }
        switch event {
        case .loaded(let statuses, let now, let backups, let folder):
            let users = statuses.map { u -> UserRow in
                let lock = u.lockedUntil.flatMap(ClockText.parseUTC).flatMap { $0 > now ? ClockText.local($0, "%Y-%m-%d %H:%M") : nil }
                return UserRow(name: u.user.name, displayName: u.user.displayName, role: u.user.role, active: u.user.active, lockedUntil: lock)
            }
            st.users = users; st.backups = backups; st.folder = folder; st.loading = false
            st.selected = min(st.selected, max(0, users.count - 1))
        case .added(let name, let role):
            return done(env.t("system.added", ["name": name, "role": role.label(env.lang)]))
        case .passwordSet(let name):
            return done(env.t("system.passwordSet", ["name": name]))
        case .activeSet(let name, let active):
            return done(env.t(active ? "system.enabled" : "system.disabledDone", ["name": name]))
        case .backedUp(let r):
            return done(env.t("system.backedUp", ["path": r.file.path, "size": BackupFile.sizeText(r.file.bytes), "rows": String(r.auditRows)]))
        case .refused(let error):
            App.showRefusal(error, in: &st.dialog, &s, env: env)
        }
        return []
    }

    public static func key(_ s: inout AppState, _ st: inout SystemState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        App.systemKey(&s, &st, key, cmd, env: env)
    }

    public static func view(_ g: inout CellGrid, _ st: SystemState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.systemView(&g, st, s, env)
    }
}

extension App {
    static func systemKey(_ s: inout AppState, _ st: inout SystemState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        if st.dialog != nil {
            var box = st.dialog
            let kind = st.dialogKind
            let fx = boxKey(&box, key, env: env) { d in (submitSystem(&d, kind, env: env), false) }
            st.dialog = box
            if box == nil { st.dialogKind = nil }
            return fx
        }
        guard Policy.allows(s.user?.role, .manageUsers) else { s.pop(); return [] }
        func secret(_ id: String, _ label: String) -> DialogField {
            DialogField(id: id, label: env.t(label), hint: env.t("system.passwordHint"), required: true,
                        field: TextField("", maxLength: 64, isSecure: true))
        }
        switch cmd {
        case .up?: st.selected = max(0, st.selected - 1)
        case .down?: st.selected = min(max(0, st.users.count - 1), st.selected + 1)
        case .back?: s.pop()
        case .addItem?, .newItem?:
            st.dialogKind = .addUser
            st.dialog = ActionDialog(action: .done, title: env.t("system.addTitle"), fields: [
                DialogField(id: "name", label: env.t("system.col.name"), hint: env.t("system.nameHint"), required: true, field: TextField("", maxLength: 32)),
                DialogField(id: "display", label: env.t("system.col.display"), hint: "", required: true, field: TextField("", maxLength: 20)),
                DialogField(id: "role", label: env.t("system.col.role"), hint: Role.allCases.map { $0.label(env.lang) }.joined(separator: "/"),
                            required: true, field: TextField(Role.clerk.label(env.lang), maxLength: 12)),
                secret("password", "system.password"), secret("again", "system.again"),
            ])
        case .resetPassword?:
            guard let u = st.selectedUser else { return [] }
            st.dialogKind = .password(u.name)
            st.dialog = ActionDialog(action: .done, title: env.t("system.passwordTitle", ["name": u.name, "display": u.displayName]),
                                     fields: [secret("password", "system.password"), secret("again", "system.again")])
        case .toggleUser?:
            guard let u = st.selectedUser else { return [] }
            let enable = !u.active || u.lockedUntil != nil
            if enable { return [SystemScreen.effect(.setActive(name: u.name, active: true))] }
            ask(&s, title: env.t("screen.system"), what: env.t("system.askDisable", ["name": u.name, "display": u.displayName]),
                then: [SystemScreen.effect(.setActive(name: u.name, active: false))], env: env)
        case .auditLog?:
            s.replaceTop(SystemScreen.embed(st))
            return AuditScreen.open(&s)
        case .settings?:
            s.replaceTop(SystemScreen.embed(st))
            return SettingsScreen.open(&s)
        case .backup?:
            st.dialogKind = .backup
            st.dialog = ActionDialog(action: .done, title: env.t("system.backupTitle"), fields: [
                DialogField(id: "to", label: env.t("system.backupTo"), hint: env.t("system.backupHint"), required: true,
                            field: TextField(st.folder, maxLength: 200)),
            ])
        default: break
        }
        return []
    }

    /// A system box read into an effect, or an error on the box.
    static func submitSystem(_ d: inout ActionDialog, _ kind: SystemState.DialogKind?, env: AppEnvironment) -> [Effect] {
        if missing(&d, env: env) { return [] }
        func fail(_ text: String, _ id: String) -> [Effect] {
            d.error = text; d.focus = d.fields.firstIndex { $0.id == id } ?? d.focus; return []
        }
        func password() -> String? {
            let p = d.value("password")
            if p.count < 4 { _ = fail(env.t("system.tooShort"), "password"); return nil }
            if p != d.value("again") { _ = fail(env.t("system.differ"), "again"); return nil }
            return p
        }
        switch kind {
        case .addUser?:
            let name = d.value("name").trimmingCharacters(in: .whitespaces)
            if name.contains(where: { $0.isWhitespace }) { return fail(env.t("system.nameHint"), "name") }
            guard let role = Role(text: d.value("role").trimmingCharacters(in: .whitespaces)) else { return fail(env.t("system.badRole"), "role") }
            guard let p = password() else { return [] }
            d.busy = true
            return [SystemScreen.effect(.addUser(name: name, displayName: d.value("display").trimmingCharacters(in: .whitespaces), role: role, password: p))]
        case .password(let name)?:
            guard let p = password() else { return [] }
            d.busy = true
            return [SystemScreen.effect(.resetPassword(name: name, password: p))]
        case .backup?:
            d.busy = true
            return [SystemScreen.effect(.backup(to: d.value("to").trimmingCharacters(in: .whitespaces)))]
        case nil:
            return []
        }
    }
}
