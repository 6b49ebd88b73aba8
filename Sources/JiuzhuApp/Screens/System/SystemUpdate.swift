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

extension App {
    static func openSystem(_ s: inout AppState) -> [Effect] {
        s.push(.system(SystemState()))
        return [.loadSystem]
    }

    static func systemEvent(_ s: inout AppState, _ event: AppEvent, env: AppEnvironment) -> [Effect] {
        guard let i = s.stack.lastIndex(where: { $0.id == .system }), case .system(var st) = s.stack[i] else { return [] }
        switch event {
        case .systemLoaded(let users, let backups, let folder):
            st.users = users; st.backups = backups; st.folder = folder; st.loading = false
            st.selected = min(st.selected, max(0, users.count - 1))
        case .systemDone(let text):
            st.dialog = nil; st.dialogKind = nil
            s.stack[i] = .system(st)
            s.message = Message(title: env.t("screen.system"), text: text)
            return [.loadSystem]
        case .systemFailed(let why):
            if var box = st.dialog { box.error = why; box.busy = false; st.dialog = box } else { s.message = Message(title: env.t("error.title"), text: why) }
        default: return []
        }
        s.stack[i] = .system(st)
        return []
    }

    static func systemKey(_ s: inout AppState, _ st: inout SystemState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        if st.dialog != nil {
            var box = st.dialog
            let kind = st.dialogKind
            let fx = boxKey(&box, key, env: env) { d in (submitSystem(&d, kind, env: env), false) }
            st.dialog = box
            if box == nil { st.dialogKind = nil }
            return fx
        }
        guard s.user?.role == .admin else { s.pop(); return [] }
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
            if enable { return [.setUserActive(name: u.name, active: true)] }
            ask(&s, title: env.t("screen.system"), what: env.t("system.askDisable", ["name": u.name, "display": u.displayName]),
                then: [.setUserActive(name: u.name, active: false)], env: env)
        case .auditLog?:
            s.replaceTop(.system(st))
            s.push(.audit(AuditState()))
            return [.loadAudit(olderThan: nil, newerThan: nil, limit: max(1, s.height - 8), keep: 0)]
        case .settings?:
            s.replaceTop(.system(st))
            s.push(.settings(SettingsState()))
            return [.loadSettings]
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
            return [.addUser(name: name, displayName: d.value("display").trimmingCharacters(in: .whitespaces), role: role, password: p)]
        case .password(let name)?:
            guard let p = password() else { return [] }
            d.busy = true
            return [.resetPassword(name: name, password: p)]
        case .backup?:
            d.busy = true
            return [.backup(to: d.value("to").trimmingCharacters(in: .whitespaces))]
        case nil:
            return []
        }
    }
}
