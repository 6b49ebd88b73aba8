import Foundation
@testable import JiuzhuApp
@testable import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// The screen modules' routing: effects compare as values, answers reach their screen, and a
/// failure after a write is said rather than swallowed.
@Suite struct ScreenModuleTests {
    let env: AppEnvironment
    init() throws { env = try Fixture.env(try Store()) }

    @Test func aNoticeThatCouldNotBeWrittenIsSaidNotSwallowed() throws {
        var s = AppState(width: 80, height: 24)
        s.user = User(id: 1, name: "shenpi", displayName: "审批员丁", role: .approver)
        s.stack = [MenuScreen.embed(MenuState()), CaseScreen.embed(CaseViewState(caseId: 7))]
        let t = CaseTransition(records: [], step: "county_approval", status: .rejected, stepSince: Fixture.today)
        let r = Store.ActResult(caseId: 7, transition: t, certificateNo: nil)
        let fx = App.update(&s, CaseScreen.answer(.acted(r, notice: .failure(StoreError.invalid("disk full")))), env: env)
        let text = try #require(s.message?.text)
        #expect(text.contains("通知书未能生成") && text.contains("disk full"), "\(text)")
        #expect(fx == [CaseScreen.effect(.load(7))])
    }

    @Test func effectsCompareAsValuesAcrossScreens() {
        #expect(AuditScreen.effect(.verify) == AuditScreen.effect(.verify))
        #expect(HouseholdsScreen.effect(.count(requestId: 1, text: "")) != HouseholdsScreen.effect(.count(requestId: 2, text: "")))
        #expect(IntakeScreen.effect(.loadDrafts(atLogin: false)) != HouseholdsScreen.effect(.count(requestId: 1, text: "")))
        #expect(HouseholdsScreen.effect(.count(requestId: 1, text: "")).isQuickRead)
        #expect(!SystemScreen.effect(.backup(to: "")).isQuickRead)
    }

    @Test func everyScreenOnTheStackHasItsModule() {
        // One registration line per screen: no two modules share an id.
        #expect(Screen.byID.count == Screen.modules.count)
        for module in Screen.modules { #expect(Screen.byID[module.id] == module) }
        // The keymap's own sections that are not screens: a message, a dialog, a case in force or read only.
        let sections: Set<ScreenID> = [.message, .caseAction, CaseScreen.inForce, CaseScreen.readOnly]
        #expect(Set(Screen.byID.keys).union(sections) == Set(ScreenID.all))
        #expect(ScreenID.known("audit") == AuditScreen.id && ScreenID.known("nosuch") == nil)
    }

    @Test func aScreenIsItsModuleAndState() throws {
        var a = AuditState(); a.selected = 2
        let screen = AuditScreen.embed(a)
        #expect(screen.id == "audit")
        #expect(try #require(screen.state(of: AuditScreen.self)) == a)
        #expect(screen.state(of: HelpScreen.self) == nil)
        #expect(screen == AuditScreen.embed(a))
        #expect(screen != AuditScreen.embed(AuditState()))
        #expect(screen != HelpScreen.embed(HelpState(screen: "audit")))
    }

    @Test func anAnswerForAScreenNoLongerOpenChangesNothingElse() {
        var s = AppState(width: 80, height: 24)
        s.user = User(id: 1, name: "admin", displayName: "管理员", role: .admin)
        s.stack = [MenuScreen.embed(MenuState())]
        let before = s
        _ = App.update(&s, AuditScreen.answer(.loaded([], newest: 0, keep: 0)), env: env)
        #expect(s == before)
    }

    // MARK: reload when uncovered

    /// A household change recorded on the card: the list under it reads the same screenful and
    /// the count again when the card is left, not before, and only once.
    @Test func theHouseholdListReloadsWhenTheCardAboveChangedIt() throws {
        var s = AppState(width: 80, height: 24)
        s.user = User(id: 1, name: "jingban", displayName: "经办员", role: .clerk)
        var b = HouseholdBrowserState(); b.requestId = 4; b.countId = 2; b.count = 300
        s.stack = [MenuScreen.embed(MenuState()), HouseholdsScreen.embed(b), HouseholdCardScreen.embed(CardState(householdId: 9))]
        let result = HouseholdChangeResult(changeId: 1, householdVersion: 2, newHouseholdId: nil, proposals: [])
        #expect(App.update(&s, HouseholdCardScreen.answer(.recorded(result)), env: env) == [HouseholdCardScreen.effect(.load(9))])
        #expect(s.stack.map(\.stale) == [true, true, false])
        _ = App.update(&s, .key(.enter), env: env)          // the message box
        let fx = App.update(&s, .key(.escape), env: env)    // back to the list
        let list = try #require(s.top.state(of: HouseholdsScreen.self))
        #expect(list.requestId == 5 && list.countId == 3 && list.count == nil)
        #expect(fx == [HouseholdsScreen.effect(.load(requestId: 5, query: HouseholdQuery(), anchor: .first, limit: s.householdPageSize)),
                       HouseholdsScreen.effect(.count(requestId: 3, text: ""))])
        #expect(!s.top.stale && s.stack[0].stale)           // the menu still reloads when it is uncovered
        // Back on the list without a change: no reload.
        s.push(HouseholdCardScreen.embed(CardState(householdId: 9)))
        #expect(App.update(&s, .key(.escape), env: env) == [])
        // The menu under it counts the work again when the list is left.
        #expect(App.update(&s, .key(.escape), env: env) == [MenuScreen.effect(.loadWork)])
    }

    /// A case acted on: the queue under it is read again when the case is left (it used to be on
    /// every Esc, whether or not anything changed).
    @Test func theQueueReloadsWhenTheCaseAboveWasActedOn() throws {
        var s = AppState(width: 80, height: 24)
        s.user = User(id: 1, name: "shenpi", displayName: "审批员丁", role: .approver)
        var q = ReviewState(); q.village = "003"
        s.stack = [MenuScreen.embed(MenuState()), ReviewScreen.embed(q), CaseScreen.embed(CaseViewState(caseId: 7))]
        #expect(App.update(&s, .key(.escape), env: env) == [])
        s.push(CaseScreen.embed(CaseViewState(caseId: 7)))
        let t = CaseTransition(records: [], step: "county_approval", status: .active, stepSince: Fixture.today)
        _ = App.update(&s, CaseScreen.answer(.acted(Store.ActResult(caseId: 7, transition: t, certificateNo: nil), notice: .success([]))), env: env)
        _ = App.update(&s, .key(.enter), env: env)
        #expect(App.update(&s, .key(.escape), env: env) == [ReviewScreen.effect(.load(village: "003", programme: nil))])
    }
}
