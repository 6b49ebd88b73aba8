import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore
import TermUI
import Testing

/// The whole app through the real runner, the real store (in memory) and TestBackend:
/// scripted keys in, screens out.
@Suite(.serialized) struct ScreenTests {
    static func runner(width: Int = 80, height: Int = 24, lang: Lang = .zh) throws -> (AppRunner, TestBackend) {
        let store = try Fixture.store()
        let backend = TestBackend(width: width, height: height)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store, lang: lang))
        return (r, backend)
    }

    static func logIn(_ b: TestBackend, _ r: AppRunner, user: String = "jingban") {
        b.enqueue(.text(user), .tab, .text("demo"), .enter)
        r.runUntilIdle()
    }

    @Test func loginScreenShowsTheDemoAccounts() throws {
        let (r, b) = try Self.runner()
        r.runUntilIdle()
        expectGolden(b.screenText, named: "login-80x24")
    }

    @Test func wrongPasswordSaysSoAndKeepsTheUserName() throws {
        let (r, b) = try Self.runner()
        b.enqueue(.text("jingban"), .tab, .text("nope"), .enter)
        r.runUntilIdle()
        #expect(b.screenText.contains("密码错误"))
        let l = try #require(r.state.top.state(of: LoginScreen.self))
        #expect(l.user.value == "jingban")
    }

    @Test func menuShowsDeniedItemsWithTheirReason() throws {
        let (r, b) = try Self.runner()
        Self.logIn(b, r)
        expectGolden(b.screenText, named: "menu-clerk-80x24")
    }

    @Test func householdListWithChineseNamesOfDifferentLengths() throws {
        let (r, b) = try Self.runner()
        Self.logIn(b, r)
        b.enqueue(.char("1"))
        r.runUntilIdle()
        expectGolden(b.screenText, named: "households-80x24")
    }

    @Test func householdListInALargeWindowShowsMoreRows() throws {
        let (r, b) = try Self.runner(width: 160, height: 50)
        Self.logIn(b, r)
        b.enqueue(.char("1"))
        r.runUntilIdle()
        expectGolden(b.screenText, named: "households-160x50")
    }

    @Test func typingPinyinInitialsFindsTheHouseholdAndEnterOpensItsCard() throws {
        let (r, b) = try Self.runner()
        Self.logIn(b, r)
        b.enqueue(.char("1"), .char("z"), .char("s"), .char("f"))
        r.runUntilIdle()
        #expect(b.screenText.contains("张三丰"))
        #expect(b.screenText.contains("共 3 户"))
        b.enqueue(.enter)
        r.runUntilIdle()
        expectGolden(b.screenText, named: "card-80x24")
    }

    @Test func fullPinyinIDDigitsAndVillageAllFind() throws {
        let (r, b) = try Self.runner()
        Self.logIn(b, r)
        b.enqueue(.char("1"), .text("ouyang"))
        r.runUntilIdle()
        #expect(b.screenText.contains("欧阳锋"))
        b.enqueue(.ctrl("u"), .text("石门"))
        r.runUntilIdle()
        #expect(b.screenText.contains("共 30 户"))
        b.enqueue(.ctrl("u"), .text("诸葛"))
        r.runUntilIdle()
        #expect(b.screenText.contains("诸葛孔明"))
    }

    @Test func pagingDownAndBackKeepsTheOrder() throws {
        let (r, b) = try Self.runner()
        Self.logIn(b, r)
        b.enqueue(.char("1"))
        r.runUntilIdle()
        let first = try #require(r.state.top.state(of: HouseholdsScreen.self))
        b.enqueue(.pageDown, .pageDown, .pageUp, .pageUp)
        r.runUntilIdle()
        let back = try #require(r.state.top.state(of: HouseholdsScreen.self))
        #expect(back.rows.map(\.id) == first.rows.map(\.id))
        b.enqueue(.end)
        r.runUntilIdle()
        let end = try #require(r.state.top.state(of: HouseholdsScreen.self))
        #expect(end.atEnd && end.selected == end.rows.count - 1)
        // Walking down past the screen scrolls by one row.
        b.enqueue(.home)
        for _ in 0..<(r.state.householdPageSize + 1) { b.enqueue(.down) }   // the last row, then two scrolls
        r.runUntilIdle()
        let walked = try #require(r.state.top.state(of: HouseholdsScreen.self))
        #expect(walked.rows.first?.id == first.rows[2].id)
    }

    @Test func sortKeyChangesTheOrder() throws {
        let (r, b) = try Self.runner()
        Self.logIn(b, r)
        b.enqueue(.char("1"), .function(5))
        r.runUntilIdle()
        let s = try #require(r.state.top.state(of: HouseholdsScreen.self))
        #expect(s.query.sort == .village)
        #expect(b.screenText.contains("村/社区▲"))
        b.enqueue(.function(6))
        r.runUntilIdle()
        #expect(b.screenText.contains("村/社区▼"))
    }

    @Test func narrowTerminalAsksToEnlargeAndComesBack() throws {
        let (r, b) = try Self.runner()
        Self.logIn(b, r)
        b.resize(width: 79, height: 24)
        r.runUntilIdle()
        expectGolden(b.screenText, named: "too-small-79x24")
        b.resize(width: 80, height: 24)
        r.runUntilIdle()
        #expect(b.screenText.contains("主菜单"))
    }

    @Test func helpScreenIsGeneratedFromTheKeymap() throws {
        let (r, b) = try Self.runner()
        Self.logIn(b, r)
        b.enqueue(.char("1"), .function(1))
        r.runUntilIdle()
        expectGolden(b.screenText, named: "help-households-80x24")
    }

    @Test func englishUI() throws {
        let (r, b) = try Self.runner(lang: .en)
        Self.logIn(b, r)
        b.enqueue(.char("1"))
        r.runUntilIdle()
        #expect(b.screenText.contains("Households"))
        #expect(b.screenText.contains("Head"))
    }
}
