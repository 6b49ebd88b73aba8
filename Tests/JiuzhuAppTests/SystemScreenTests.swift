import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// 系统管理 from the keys: the administrator adds an account, disables and enables it, sets its
/// password, and backs the database up; nobody else gets in.
@Suite(.serialized) struct SystemScreenTests {
    /// A township of `households` with an administrator logged in, on the main menu; the runner,
    /// its backend, and a function that types keys and waits.
    func loggedInAdmin(households: Int) throws -> (Store, AppRunner, TestBackend, (KeyEvent...) -> Void) {
        let store = try Fixture.store(households: households)
        try store.addUser(name: "admin", displayName: "管理员丙", role: .admin, password: "demo", by: "test", iterations: 1000)
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store))
        func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; r.runUntilIdle() }
        keys(.text("admin"), .tab, .text("demo"), .enter)
        if r.state.top.id == IntakeScreen.id { keys(.escape) }
        return (store, r, backend, keys)
    }

    /// In English the settings screen says what each setting means in English (data/settings.csv's
    /// description_en), in the table and in full under it; the office's own settings too.
    @Test func theSettingsScreenSaysWhatEachSettingMeansInEnglish() throws {
        let store = try Fixture.store(households: 1)
        try store.addUser(name: "admin", displayName: "管理员丙", role: .admin, password: "demo", by: "test", iterations: 1000)
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store, lang: .en))
        func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; r.runUntilIdle() }
        keys(.text("admin"), .tab, .text("demo"), .enter)
        if r.state.top.id == IntakeScreen.id { keys(.escape) }
        keys(.char("8"), .function(5))
        #expect(r.state.top.id == SettingsScreen.id)
        #expect(backend.screenText.contains("Wrong passwords in a row before the account is locked"), "\(backend.screenText)")
        #expect(!backend.screenText.contains("连续输错"))
        keys(.down, .down)
        #expect(backend.screenText.contains("Publicity period (days), counted from the day a batch is posted"), "\(backend.screenText)")
        keys(.end)
        let last = try #require(r.state.top.state(of: SettingsScreen.self)?.selectedRow)
        #expect(last.key.hasPrefix("office."))
        #expect(!backend.screenText.contains(last.description), "\(backend.screenText)")
    }

    @Test func administratorManagesAccountsAndBacksUp() throws {
        let (store, r, backend, keys) = try loggedInAdmin(households: 4)
        func system() -> SystemState? { r.state.top.state(of: SystemScreen.self) }
        keys(.char("8"))
        let st = try #require(system(), "not on 系统管理: \(r.state.top.id)")
        #expect(st.users.map(\.name) == ["test", "jingban", "duzha", "admin"])
        #expect(backend.screenText.contains("督查员乙") && backend.screenText.contains("从未备份"))

        // F7: a new clerk. Passwords that differ are caught on the box, and the box stays.
        keys(.function(7), .text("xiaoli"), .tab, .text("李小红"), .tab, .tab, .text("abcd"), .tab, .text("abce"), .function(2))
        #expect(system()?.dialog?.error == "两次输入的密码不一致,请再输一次。")
        #expect(try store.userStatus("xiaoli") == nil)
        keys(.backspace, .text("d"), .function(2))
        #expect(r.state.message?.text.contains("已新增用户 xiaoli(经办员)") == true, "\(r.state.message?.text ?? "no message")")
        keys(.enter)
        #expect(try store.authenticate(name: "xiaoli", password: "abcd").role == .clerk)
        #expect(system()?.users.last?.displayName == "李小红")

        // F6 on the new account asks first, then disables it; the list says so and the account cannot log in.
        keys(.down, .down, .down, .down, .function(6))
        #expect(r.state.ask?.box.message.contains("停用账号 xiaoli") == true)
        keys(.char("y"))
        #expect(r.state.message?.text.contains("已停用 xiaoli") == true)
        keys(.enter)
        #expect(try store.userStatus("xiaoli")?.user.active == false)
        #expect(backend.screenText.split(separator: "\n").contains { $0.contains("xiaoli") && $0.contains("停用") })
        #expect(throws: StoreError.accountDisabled("xiaoli")) { try store.authenticate(name: "xiaoli", password: "abcd") }
        // F6 again enables it; F8 sets a new password.
        keys(.function(6), .enter, .function(8), .text("wxyz"), .tab, .text("wxyz"), .function(2))
        #expect(r.state.message?.text.contains("已为 xiaoli 设置新密码") == true)
        keys(.enter)
        #expect(try store.authenticate(name: "xiaoli", password: "wxyz").name == "xiaoli")

        // The administrator cannot disable their own account: said, nothing changed.
        keys(.up, .function(6), .char("y"))
        #expect(r.state.message?.text.contains("不能停用自己的账号") == true, "\(r.state.message?.text ?? "no message")")
        keys(.enter)
        #expect(try store.userStatus("admin")?.user.active == true)

        // F9: a backup into a folder typed over the one offered.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jz-backup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        keys(.function(9), .text(dir.path), .function(2))
        #expect(r.state.message?.text.contains("已备份到") == true, "\(r.state.message?.text ?? "no message")")
        keys(.enter)
        // The backup and, beside it, its keyed chain head.
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".sqlite") }
        #expect(files.count == 1, "\(files)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(files[0] + ".anchor").path))
        let path = dir.appendingPathComponent(files[0]).path
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let copy = try DatabaseQueue(path: path)
        #expect(try copy.read { try String.fetchAll($0, sql: "SELECT name FROM app_user ORDER BY id") } == ["test", "jingban", "duzha", "admin", "xiaoli"])
        try copy.close()
        #expect(try store.read { try Audit.entries($0, limit: 1) }.first?.action == "backup")
    }

    @Test func onlyTheAdministratorGetsIn() throws {
        let store = try Fixture.store(households: 2)
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store))
        for e in [KeyEvent.text("duzha"), .tab, .text("demo"), .enter, .char("8")] { backend.enqueue(e) }
        r.runUntilIdle()
        #expect(r.state.top.id == MenuScreen.id)
        #expect(r.state.message?.text.contains("管理员") == true, "\(r.state.message?.text ?? "no message")")
    }

    @Test func administratorChangesASettingAndItTakesEffectAtOnce() throws {
        let (store, r, backend, keys) = try loggedInAdmin(households: 2)
        keys(.char("8"), .function(5))
        let st = try #require(r.state.top.state(of: SettingsScreen.self))
        let at = try #require(st.rows.firstIndex { $0.key == "spotcheck_percent" })
        #expect(r.env.spotCheckPercent == 30)
        for _ in 0..<at { keys(.down) }
        #expect(backend.screenText.contains("县级抽查比例") && backend.screenText.contains("0–100 的整数"))
        // Out of range: said on the box, nothing saved. The value offered is selected, so typing replaces it.
        keys(.enter, .text("150"), .function(2))
        let st2 = try #require(r.state.top.state(of: SettingsScreen.self))
        #expect(st2.dialog?.error == "取值不对,应为:0–100 的整数")
        #expect(try store.setting("spotcheck_percent") == "30")
        keys(.backspace, .backspace, .backspace, .text("50"), .function(2))
        #expect(r.state.message?.text == "已把 spotcheck_percent 改为 50,立即生效。", "\(r.state.message?.text ?? "no message")")
        keys(.enter)
        #expect(try store.setting("spotcheck_percent") == "50")
        // The spot-check draw's default follows without a restart.
        #expect(r.env.spotCheckPercent == 50)
        #expect(backend.screenText.split(separator: "\n").contains { $0.contains("spotcheck_percent") && $0.contains("50") })
        // Who the office is cannot be changed here.
        keys(.end, .enter)
        #expect(r.state.message?.text.contains("jiuzhu init") == true)
        keys(.enter, .escape)
        #expect(r.state.top.id == SystemScreen.id)
    }

    @Test func auditLogPagesBothWaysAndChecksTheChain() throws {
        let (store, r, backend, keys) = try loggedInAdmin(households: 30)
        func audit() -> AuditState? { r.state.top.state(of: AuditScreen.self) }
        keys(.char("8"), .function(4))
        let newest = try store.auditNewest()
        let page = 24 - 8
        #expect(newest > Int64(2 * page), "\(newest)")
        #expect(audit()?.entries.map(\.id) == Array((newest - Int64(page) + 1...newest).reversed()))
        #expect(audit()?.selectedEntry?.action == "login" && backend.screenText.contains("共 \(newest) 行"))
        // PgDn: the older screenful, read below the last row shown; Up past the top comes back one row.
        keys(.pageDown)
        #expect(audit()?.entries.first?.id == newest - Int64(page))
        keys(.home, .pageDown, .up, .up)
        let a = try #require(audit())
        // Home, PgDn: newest-16 at the top; Up: the row just above it (newest-15); Up: newest-14.
        #expect(a.selectedEntry?.id == newest - Int64(page) + 2, "\(a.entries.map(\.id)) \(a.selected)")
        // End: the oldest rows, the first selected.
        keys(.end)
        #expect(audit()?.selectedEntry?.id == 1 && audit()?.selectedEntry?.action == "init")
        keys(.down)
        #expect(audit()?.selectedEntry?.id == 1)
        // F3: the chain checked; a row altered behind the program's back is found.
        keys(.function(3))
        #expect(r.state.message?.text.contains("审计链完好:\(newest) 行") == true, "\(r.state.message?.text ?? "no message")")
        keys(.enter)
        try store.writer.write { db in try db.execute(sql: "UPDATE audit SET detail = '{}' WHERE id = 3") }
        keys(.function(3))
        #expect(r.state.message?.text.contains("3") == true && r.state.message?.text.contains("审计链完好") == false,
                "\(r.state.message?.text ?? "no message")")
    }
}

