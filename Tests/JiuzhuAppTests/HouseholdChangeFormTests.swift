import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// Issue 21: the household card's F7 records a change from the keyboard — the kind chosen
/// from a list, the kind's fields, the ID checked as typed, the date and the reason — through
/// the same store call as the command line; a field it cannot read or a refusal of the store
/// is said in the form with everything typed kept.
@Suite(.serialized) struct HouseholdChangeFormTests {
    struct Session {
        var store: Store
        var runner: AppRunner
        var backend: TestBackend
        var screen: String { backend.screenText }
        func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; runner.runUntilIdle() }
        var card: CardState? { runner.state.top.state(of: HouseholdCardScreen.self) }
        var dialog: ActionDialog? { card?.dialog }
    }

    /// Household 1 (张三丰, head and child 子0) on its card, as `user`; a rural 低保 case in
    /// force on it when `withCase`.
    static func session(_ lang: Lang = .zh, user: String = "jingban", withCase: Bool = false) throws -> Session {
        let store = try Fixture.store(households: 12)
        try store.addUser(name: "shenpi", displayName: "审批员", role: .approver, password: "demo", by: "test", iterations: 1000)
        if withCase { _ = try DynamicManagementTests.activeCase(store, household: 1) }
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store, lang: lang))
        let s = Session(store: store, runner: r, backend: backend)
        s.keys(.text(user), .tab, .text("demo"), .enter)
        if r.state.top.id != MenuScreen.id { s.keys(.escape) }
        s.keys(.char("1"), .text("张三丰"))
        s.keys(.enter)
        #expect(s.card?.householdId == 1, "\(s.screen)")
        return s
    }

    /// F7, then the kind at `line` of the list.
    static func open(_ s: Session, _ kind: CardChangeKind) {
        s.keys(.function(7))
        let line = CardChangeKind.allCases.firstIndex(of: kind) ?? 0
        for _ in 0..<line { s.keys(.down) }
        s.keys(.enter)
    }

    /// Type `text` into the field `id` of the open form (whatever it held is replaced).
    static func fill(_ s: Session, _ id: String, _ text: String) throws {
        let d = try #require(s.dialog)
        let target = try #require(d.fields.firstIndex { $0.id == id }, "no field \(id)")
        for _ in 0..<((target - d.focus + d.fields.count) % d.fields.count) { s.keys(.tab) }
        s.keys(.ctrl("u"))
        if !text.isEmpty { s.keys(.text(text)) }
    }

    func changes(_ s: Session) throws -> Int {
        try s.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM household_change") ?? -1 }
    }

    @Test(arguments: [Lang.zh, .en]) func theKindsAndTheBirthFormAt80x24(_ lang: Lang) throws {
        let s = try Self.session(lang)
        s.keys(.function(7))
        expectGolden(s.screen, named: "card-change-kinds-\(lang.rawValue)-80x24")
        s.keys(.enter)
        #expect(s.card?.kind == .birth)
        expectGolden(s.screen, named: "card-change-birth-\(lang.rawValue)-80x24")
        s.keys(.escape)
        #expect(s.dialog == nil && s.card?.picker == nil)
        Self.open(s, .death)
        expectGolden(s.screen, named: "card-change-death-\(lang.rawValue)-80x24")
        s.keys(.escape)
        Self.open(s, .facts)
        expectGolden(s.screen, named: "card-change-facts-\(lang.rawValue)-80x24")
    }

    @Test func aBirthRecordedOnTheCardReachesTheCaseInForce() throws {
        let s = try Self.session(withCase: true)
        Self.open(s, .birth)
        try Self.fill(s, "name", "张小宝")
        try Self.fill(s, "cert", "Q532012345")
        try Self.fill(s, "born", "2026-11-02")
        // Space moves through the choices of a choice field.
        try Self.fill(s, "sex", "")
        s.keys(.char(" "), .char(" "))
        #expect(s.dialog?.value("sex") == "女")
        try Self.fill(s, "relation", "孙女")
        try Self.fill(s, "on", "2026-11-20")
        try Self.fill(s, "reason", "出生医学证明")
        s.keys(.function(2))
        #expect(s.dialog == nil, "\(s.screen)")
        let text = try #require(s.runner.state.message?.text)
        #expect(text.contains("增员") && text.contains("拟调整为") && text.contains("审核审批"), "\(text)")
        // The next step as the case view words it (data/programmes.json through NextStep).
        #expect(text.hasSuffix("下一步：跟进处理 — 审批员在“3 审核审批”中调整、维持、暂停或停保"), "\(text)")
        let card = try #require(try s.store.householdCard(id: 1))
        let baby = try #require(card.members.last)
        #expect(baby.name == "张小宝" && !baby.hasIDNumber && baby.sex == .female && baby.birthDate.iso == "2026-11-02")
        #expect(card.changes.first?.kind == .birth && card.changes.first?.recordedBy == "jingban" && card.changes.first?.reason == "出生医学证明")
        let open = try s.store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM case_followup WHERE source = 'household' AND closed_on IS NULL AND change_kind = 'added'")
        }
        #expect(open == 1)
        // The card shows the newborn numbered, with the birth certificate rather than an ID.
        s.keys(.enter)
        #expect(s.screen.contains("3  张小宝") && s.screen.contains("出生证Q532012345"), "\(s.screen)")
    }

    @Test func theIDNumberIsCheckedAsItIsTyped() throws {
        let s = try Self.session()
        Self.open(s, .idNumber)
        let good = IDNumber.make(region: "532927", birth: CivilDate(year: 2001, month: 3, day: 4)!, sequence: 77).value
        try Self.fill(s, "id", String(good.prefix(17)))
        let hint = { s.dialog?.fields.first { $0.id == "id" }?.hint ?? "" }
        #expect(hint().contains("17/18"), "\(hint())")
        s.keys(.text(String(good.last!)))
        #expect(hint().contains("✓") && hint().contains("2001-03-04") && s.dialog?.error == nil, "\(hint())")
        let wrongCheck = String(good.prefix(17)) + (good.last == "1" ? "2" : "1")
        try Self.fill(s, "id", wrongCheck)
        #expect(s.dialog?.error?.contains("校验位") == true, "\(s.dialog?.error ?? "")")
        try Self.fill(s, "id", "5329A")
        #expect(s.dialog?.error?.contains("第 5 位") == true, "\(s.dialog?.error ?? "")")
    }

    @Test func aFieldThatCannotBeReadIsSaidAndNothingTypedIsLost() throws {
        let s = try Self.session()
        Self.open(s, .death)
        try Self.fill(s, "member", "9")
        try Self.fill(s, "reason", "死亡证明")
        s.keys(.function(2))
        let d = try #require(s.dialog)
        #expect(d.error?.contains("1–2") == true && d.fields[d.focus].id == "member", "\(d.error ?? "")")
        #expect(d.value("reason") == "死亡证明")
        // The store's refusal (the head dies and no one is named to follow) is said in the form, kept.
        try Self.fill(s, "member", "1")
        s.keys(.function(2))
        let refused = try #require(s.dialog)
        #expect(refused.error != nil && !refused.busy && refused.value("reason") == "死亡证明" && refused.value("member") == "1", "\(s.screen)")
        #expect(try changes(s) == 0)
        try Self.fill(s, "newHead", "子0")
        s.keys(.function(2))
        #expect(s.dialog == nil, "\(s.screen)")
        let card = try #require(try s.store.householdCard(id: 1))
        #expect(card.members.first { $0.isHead }?.name == "子0" && card.formerMembers.first?.name == "张三丰")
    }

    @Test func aChangeOverANewerOneIsRefusedInTheFormWithTheInputKept() throws {
        let s = try Self.session()
        Self.open(s, .facts)
        try Self.fill(s, "phone", "13908721234")
        try Self.fill(s, "hukou", "1")
        try Self.fill(s, "reason", "本人来电")
        // Another clerk changes the household meanwhile.
        let h = try #require(try s.store.householdCard(id: 1)).household
        var f = HouseholdFacts(h)
        f.address = "1号附2"
        if f.hukou.isObsolete { f.hukou = .local }
        _ = try s.store.recordHouseholdChange(householdId: 1, version: h.version, change: .facts(f), on: Fixture.today, reason: "门牌更正",
                                              by: "shenpi", today: Fixture.today, catalog: CaseFixture.catalog)
        s.keys(.function(2))
        let d = try #require(s.dialog)
        #expect(d.error != nil && d.value("phone") == "13908721234" && d.value("reason") == "本人来电", "\(s.screen)")
        #expect(try s.store.householdCard(id: 1)?.household.phone != "13908721234")
    }

    @Test func aSplitFromTheCardMakesTheNewHousehold() throws {
        let s = try Self.session()
        Self.open(s, .split)
        try Self.fill(s, "persons", "2")
        try Self.fill(s, "address", "李家村附1号")
        try Self.fill(s, "reason", "成家分户")
        s.keys(.function(2))
        #expect(s.dialog == nil, "\(s.screen)")
        let text = try #require(s.runner.state.message?.text)
        let child = try #require(try s.store.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM person WHERE name = '子0'") })
        let nid = try #require(try s.store.householdOf(personId: child))
        #expect(nid != 1 && text.contains(String(nid)), "\(text)")
    }

    @Test func theSupervisorIsToldBeforeTyping() throws {
        let s = try Self.session(user: "duzha")
        s.keys(.function(7))
        #expect(s.card?.picker == nil && s.dialog == nil)
        let text = try #require(s.runner.state.message?.text)
        #expect(text.contains("经办员") && text.contains("登记户籍变动"), "\(text)")
    }
}
