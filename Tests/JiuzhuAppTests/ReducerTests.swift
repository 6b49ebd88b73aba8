import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore
import TermUI
import Testing

/// The reducer alone: keys in, state and effects out, no database and no terminal.
@Suite struct ReducerTests {
    let env: AppEnvironment
    init() throws { env = try Fixture.env(try Store()) }

    func send(_ s: inout AppState, _ keys: [KeyEvent]) -> [Effect] {
        var all: [Effect] = []
        for k in keys { all += App.update(&s, .key(k), env: env) }
        return all
    }

    @Test func loginAsksToAuthenticateWithWhatWasTyped() throws {
        var s = AppState(width: 80, height: 24)
        let fx = send(&s, [.text("jingban"), .tab, .text("demo"), .enter])
        #expect(fx == [LoginScreen.effect(.authenticate(user: "jingban", password: "demo"))])
        // While checking, keys are ignored.
        #expect(send(&s, [.enter]).isEmpty)
        _ = App.update(&s, LoginScreen.answer(.refused(StoreError.loginFailed)), env: env)
        let l = try #require(s.top.state(of: LoginScreen.self))
        #expect(l.error == StoreError.loginFailed.message(.zh) && l.password.value.isEmpty && l.user.value == "jingban")
    }

    /// A login refused because of the file (found damaged, the disk full ...) says the whole
    /// paragraph in a message box: the login box's one line would cut off what to do.
    @Test func aLoginRefusedByTheFileSaysItInAMessageBox() throws {
        var s = AppState(width: 80, height: 24)
        _ = send(&s, [.text("jingban"), .tab, .text("demo"), .enter])
        let e = StoreError.corrupt(path: "/x/office.sqlite", detail: "Page 95: btreeInitPage() returns error code 11")
        _ = App.update(&s, LoginScreen.answer(.refused(e)), env: env)
        let l = try #require(s.top.state(of: LoginScreen.self))
        #expect(l.error == nil)
        let m = try #require(s.message)
        #expect(m.text == e.message(.zh))
        #expect(m.text.contains("备份"))
    }

    @Test func emptyUserIsRefusedWithoutAskingTheStore() throws {
        var s = AppState(width: 80, height: 24)
        #expect(send(&s, [.enter]).isEmpty)
        let l = try #require(s.top.state(of: LoginScreen.self))
        #expect(l.error != nil)
    }

    func loggedIn(_ role: Role = .clerk) -> AppState {
        var s = AppState(width: 80, height: 24)
        _ = App.update(&s, .loggedIn(User(id: 1, name: "jingban", displayName: "经办员甲", role: role)), env: env)
        return s
    }

    @Test func menuHotkeyOpensTheHouseholdBrowserAndAsksForAPage() {
        var s = loggedIn()
        let fx = send(&s, [.char("1")])
        #expect(s.top.id == HouseholdsScreen.id)
        #expect(fx == [HouseholdsScreen.effect(.load(requestId: 1, query: HouseholdQuery(), anchor: .first, limit: s.householdPageSize)),
                       HouseholdsScreen.effect(.count(requestId: 1, text: ""))])
    }

    @Test func deniedItemsSayWhyAndEveryItemOpens() {
        var s = loggedIn(.clerk)
        _ = send(&s, [.char("8")])        // 系统管理: admin only
        #expect(s.message?.text.contains("管理员") == true)
        #expect(s.top.id == MenuScreen.id)
        _ = send(&s, [.enter])
        // Logged in as the administrator, 8 opens 系统管理 and asks for the accounts and backups.
        var a = loggedIn(.admin)
        #expect(send(&a, [.char("8")]) == [SystemScreen.effect(.load)])
        #expect(a.message == nil)
        #expect(a.top.id == SystemScreen.id)
        // 7 统计报表 opens for a clerk and asks for this year's figures.
        var r = loggedIn(.clerk)
        let fx = send(&r, [.char("7")])
        #expect(r.top.id == ReportScreen.id)
        #expect(fx.contains { if case .screen(let e) = $0, case .load? = e.as(ReportScreen.Effect.self) { return true } else { return false } })
    }

    @Test func zeroQuitsFromTheMenu() {
        var s = loggedIn()
        #expect(send(&s, [.char("0")]) == [.quit])
    }

    @Test func typingFiltersAtOnceAndANewerKeystrokeSupersedes() throws {
        var s = loggedIn()
        _ = send(&s, [.char("1")])
        let fx1 = send(&s, [.char("z")])
        let fx2 = send(&s, [.char("s")])
        let b = try #require(s.top.state(of: HouseholdsScreen.self))
        #expect(b.query.text == "zs")
        #expect(fx1.contains(HouseholdsScreen.effect(.load(requestId: 2, query: HouseholdQuery(text: "z"), anchor: .first, limit: s.householdPageSize))))
        #expect(fx2.contains(HouseholdsScreen.effect(.count(requestId: 3, text: "zs"))))
        // The reply to the older request is dropped.
        let stale = HouseholdRow(id: 9, headName: "旧", maskedID: "", villageCode: "", village: "", memberCount: 1, programmes: "", headPinyin: "jiu")
        _ = App.update(&s, HouseholdsScreen.answer(.page(requestId: 2, rows: [stale], anchor: .first, limit: s.householdPageSize)), env: env)
        let b2 = try #require(s.top.state(of: HouseholdsScreen.self))
        #expect(b2.rows.isEmpty && b2.loading)
    }

    @Test func escClearsTheSearchFirstThenGoesBack() throws {
        var s = loggedIn()
        _ = send(&s, [.char("1"), .text("张三")])
        _ = send(&s, [.escape])
        let b = try #require(s.top.state(of: HouseholdsScreen.self))
        #expect(b.search.value.isEmpty)
        _ = send(&s, [.escape])
        #expect(s.top.id == MenuScreen.id)
    }

    @Test func f1ShowsHelpForTheCurrentScreen() {
        var s = loggedIn()
        _ = send(&s, [.char("1"), .function(1)])
        #expect(s.top == HelpScreen.embed(HelpState(screen: HouseholdsScreen.id)))
        _ = send(&s, [.escape])
        #expect(s.top.id == HouseholdsScreen.id)
    }

    @Test func resizeRecordsTheSizeAndRefillsTheList() {
        var s = loggedIn()
        _ = send(&s, [.char("1")])
        let fx = send(&s, [.resize(width: 120, height: 40)])
        #expect(s.width == 120 && s.height == 40)
        #expect(fx.count == 1)
        if case .load(_, _, _, let limit)? = fx.first.flatMap({ if case .screen(let e) = $0 { e.as(HouseholdsScreen.Effect.self) } else { nil } }) { #expect(limit == 35) } else { Issue.record("no reload") }
    }
}
