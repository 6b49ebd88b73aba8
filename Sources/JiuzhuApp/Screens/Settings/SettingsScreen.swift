import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// 系统管理 → 参数设置: the office's settings (publicity days, lockout, asset limits, 分类施保,
/// re-check periods …) with what each means; Enter edits one, checked against its shape.
public struct SettingsState: Equatable, Sendable {
    public var rows: [SettingRow] = []
    public var selected = 0
    public var loading = true
    public var dialog: ActionDialog?
    /// The setting being edited and the version it was read at.
    public var editing: SettingRow?
    public init() {}
    public var selectedRow: SettingRow? { rows.indices.contains(selected) ? rows[selected] : nil }
}

/// 参数设置: the module.
public enum SettingsScreen: ScreenModule {
    public static let id: ScreenID = "settings"
    public static func keymapSection(_ st: SettingsState, _ s: AppState) -> ScreenID { st.dialog != nil ? .caseAction : id }

    public enum Effect: Equatable, Sendable {
        case load
        case change(key: String, value: String, version: Int)
    }

    public enum Event: Sendable {
        case loaded([SettingRow])
        /// Saved; `notReloaded` when the screens could not take the new value at once (the next
        /// start picks it up).
        case saved(key: String, value: String, notReloaded: (any Error)?)
        case refused(any Error)
    }

    static func open(_ s: inout AppState) -> [JiuzhuApp.Effect] {
        s.push(SettingsScreen.embed(SettingsState()))
        return [effect(.load)]
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        switch effect {
        case .load:
            return .loaded(try cx.store.settingRows())
        case .change(let key, let value, let version):
            guard let u = cx.user, Policy.allows(u.role, .changeSettings) else { return nil }
            do {
                try cx.store.changeSetting(key: key, value: value, version: version, by: u.name)
                cx.log("setting \(key) changed by \(u.name)")
            } catch { return .refused(error) }
            // Limits, rounding and periods the screens hold take the new value at once.
            do { try cx.reloadEnvironment() } catch { return .saved(key: key, value: value, notReloaded: error) }
            return .saved(key: key, value: value, notReloaded: nil)
        }
    }

    public static func event(_ s: inout AppState, _ st: inout SettingsState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch event {
        case .loaded(let rows):
            st.rows = rows; st.loading = false
            st.selected = min(st.selected, max(0, rows.count - 1))
        case .saved(let key, let value, let problem):
            let text = problem.map { env.t("settings.savedRestart", ["key": key, "why": App.describe($0, env.lang)]) }
                ?? env.t("settings.saved", ["key": key, "value": value.trimmingCharacters(in: .whitespaces)])
            st.dialog = nil; st.editing = nil
            s.message = Message(title: env.t("screen.settings"), text: text)
            return [effect(.load)]
        case .refused(let error):
            App.showRefusal(error, in: &st.dialog, &s, env: env)
        }
        return []
    }

    public static func key(_ s: inout AppState, _ st: inout SettingsState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        App.settingsKey(&s, &st, key, cmd, env: env)
    }

    public static func view(_ g: inout CellGrid, _ st: SettingsState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.settingsView(&g, st, s, env)
    }
}

extension App {
    static func settingsKey(_ s: inout AppState, _ st: inout SettingsState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        if st.dialog != nil {
            var box = st.dialog
            let editing = st.editing
            let fx = boxKey(&box, key, env: env) { d in
                guard let e = editing else { return ([], true) }
                if missing(&d, env: env) { return ([], false) }
                let v = d.value("value").trimmingCharacters(in: .whitespaces)
                if ReferenceData.problem(withSetting: e.key, value: v) != nil {
                    d.error = env.t("settings.bad", ["shape": ReferenceData.settingShape(e.key, zh: env.lang == .zh)])
                    return ([], false)
                }
                if v == e.value { return ([], true) }
                d.busy = true
                return ([SettingsScreen.effect(.change(key: e.key, value: v, version: e.version))], false)
            }
            st.dialog = box
            if box == nil { st.editing = nil }
            return fx
        }
        guard Policy.allows(s.user?.role, .changeSettings) else { s.pop(); return [] }
        let page = max(1, s.height - 8)
        switch cmd {
        case .up?: st.selected = max(0, st.selected - 1)
        case .down?: st.selected = min(max(0, st.rows.count - 1), st.selected + 1)
        case .pageUp?: st.selected = max(0, st.selected - page)
        case .pageDown?: st.selected = min(max(0, st.rows.count - 1), st.selected + page)
        case .first?: st.selected = 0
        case .last?: st.selected = max(0, st.rows.count - 1)
        case .back?: s.pop()
        case .confirm?:
            guard let r = st.selectedRow else { return [] }
            // Who the office is was set when the database was made; the region codes hang on it.
            if r.key.hasPrefix("office.") {
                s.message = Message(title: env.t("screen.settings"), text: env.t("settings.office")); return []
            }
            st.editing = r
            st.dialog = ActionDialog(action: .done, title: env.t("settings.editTitle", ["key": r.key]), fields: [
                DialogField(id: "value", label: env.t("settings.col.value"), hint: ReferenceData.settingShape(r.key, zh: env.lang == .zh),
                            required: true, field: TextField(r.value, maxLength: 200)),
            ])
        default: break
        }
        return []
    }
}

extension AppView {
    static func settingsView(_ g: inout CellGrid, _ st: SettingsState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        g.put(env.t("settings.intro"), x: 1, y: 1, style: noteStyle, maxWidth: g.width - 2)
        let titles = ["settings.col.key", "settings.col.value", "settings.col.meaning"].map { env.t($0) }
        let keyW = st.rows.reduce(TextWidth.of(titles[0])) { max($0, TextWidth.of($1.key)) }
        let valueW = min(12, st.rows.reduce(TextWidth.of(titles[1])) { max($0, TextWidth.of($1.value)) })
        let cols = [TableColumn(titles[0], width: min(keyW, 30), priority: 9),
                    TableColumn(titles[1], width: valueW, priority: 9),
                    TableColumn(titles[2], width: 10, flex: 1, priority: 5)]
        // The table, then the selected setting's meaning in full under it (a long one takes rows
        // from the table, which keeps at least 8).
        let meaningLines = st.selectedRow.map { wrap(meaning($0, env), width: g.width - 2) } ?? []
        let shown = max(2, min(meaningLines.count, g.height - 14))
        let tableHeight = max(3, g.height - 6 - shown)
        lateTable(&g, columns: cols, count: st.rows.count, selected: st.selected, top: 2, height: tableHeight,
                  emptyText: st.loading ? env.t("review.loading") : "", late: { _ in false }) { i in
            let r = st.rows[i]
            return [r.key, r.value, meaning(r, env)]
        }
        if let r = st.selectedRow {
            let y = 2 + tableHeight
            let lines = meaningLines
            for (k, line) in lines.prefix(shown).enumerated() { g.put(line, x: 1, y: y + k, style: Style(attrs: .bold), maxWidth: g.width - 2) }
            // The whole value (the column may cut a long one) and what it may be.
            g.put(env.t("settings.shape", ["value": r.value, "shape": ReferenceData.settingShape(r.key, zh: env.lang == .zh)]),
                  x: 1, y: y + min(shown, lines.count), style: dimStyle, maxWidth: g.width - 2)
        }
        status(&g, left: env.t("settings.count", ["n": String(st.rows.count)]), right: st.rows.isEmpty ? "" : "\(st.selected + 1)/\(st.rows.count)")
        return st.dialog.flatMap { actionDialog(&g, $0, env) }
    }


    /// What a setting means in the user's language: `data/settings.csv`'s words, the office's
    /// own settings (set when the database was made) from strings.json, else what the database
    /// holds, else the key.
    static func meaning(_ r: SettingRow, _ env: AppEnvironment) -> String {
        if let m = env.settingMeanings[r.key] { return m(env.lang) }
        if let k = officeSettingKeys[r.key] { return env.t(k) }
        return r.description.isEmpty ? r.key : r.description
    }

    /// The office's settings, which `data/settings.csv` does not hold.
    static let officeSettingKeys = [
        "office.county_code": "settings.office.countyCode", "office.county_name": "settings.office.countyName",
        "office.township_code": "settings.office.townshipCode", "office.township_name": "settings.office.townshipName",
    ]
}
