import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore
import TermUI
import Testing

/// Every screen at 80×24 in Chinese and in English, on the demo township (300 households, seed 1,
/// the fixtures' today), through the real runner, store and TestBackend, compared with
/// `Golden/screen-NAME-LANG-80x24.txt`. The English files are the proof the English screens read:
/// no cut word, no Chinese but names and stored titles.
@Suite(.serialized) struct EveryScreenGoldenTests {
    /// One demo township per language (a roster is made on the way), the same in both.
    static let demoZh: Result<Store, Error> = Result { try DemoMoneyTests.demo() }
    static let demoEn: Result<Store, Error> = Result { try DemoMoneyTests.demo() }
    static func demo(_ lang: Lang) throws -> Store { try (lang == .zh ? demoZh : demoEn).get() }

    struct Session {
        var runner: AppRunner
        var backend: TestBackend
        var lang: Lang
        var screen: String { backend.screenText }
        var top: ScreenID { runner.state.top.id }
        func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; runner.runUntilIdle() }

        /// The screen now is `id`; its golden file is compared.
        /// `clock`: the screen shows times of the run (the audit log's log-in rows), written as
        /// "YYYY-MM-DD hh:mm" in the file.
        func golden(_ name: String, _ id: ScreenID, clock: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(top == id, "expected the \(id) screen, found \(top)", sourceLocation: sourceLocation)
            let screen = clock ? self.screen.replacing(#/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/#, with: "YYYY-MM-DD hh:mm") : self.screen
            expectGolden(screen, named: "screen-\(name)-\(lang.rawValue)-80x24", sourceLocation: sourceLocation)
        }
    }

    /// Logged in as `user` on the main menu.
    static func session(_ user: String, _ lang: Lang) throws -> Session {
        let store = try demo(lang)
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store, lang: lang))
        let s = Session(runner: r, backend: backend, lang: lang)
        s.keys(.text(user), .tab, .text("demo"), .enter)
        if s.top != MenuScreen.id { s.keys(.escape) }
        #expect(s.top == MenuScreen.id, "\(user) did not reach the menu: \(s.screen)")
        return s
    }

    @Test(arguments: [Lang.zh, .en]) func theLoginScreen(_ lang: Lang) throws {
        let store = try Self.demo(lang)
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store, lang: lang))
        r.runUntilIdle()
        Session(runner: r, backend: backend, lang: lang).golden("login", LoginScreen.id)
    }

    @Test(arguments: [Lang.zh, .en]) func theClerksScreens(_ lang: Lang) throws {
        let s = try Self.session("jingban", lang)
        s.golden("menu-clerk", MenuScreen.id)
        s.keys(.char("1"))
        s.golden("households", HouseholdsScreen.id)
        s.keys(.function(1))
        s.golden("help-households", HelpScreen.id)
        s.keys(.escape, .enter)
        s.golden("household-card", HouseholdCardScreen.id)
        s.keys(.escape, .escape, .char("3"))
        s.golden("review", ReviewScreen.id)
        s.keys(.enter)
        s.golden("case", CaseScreen.id)
        s.keys(.function(10), .char("4"))
        s.golden("publicity", PublicityListScreen.id)
        s.keys(.enter)
        s.golden("batch", BatchScreen.id)
        s.keys(.function(10), .char("5"))
        s.golden("cases", CaseBrowserScreen.id)
        s.keys(.function(10), .char("7"))
        s.golden("reports", ReportScreen.id)
        s.keys(.function(8))
        s.golden("rosters", RosterListScreen.id)
        s.keys(.function(7), .function(2), .enter, .enter)   // (a message, then) this month's roster, made from the records
        s.golden("roster-lines", RosterLinesScreen.id)
        s.keys(.escape, .function(6))
        s.golden("raise", RaiseScreen.id)
        s.keys(.function(10), .char("2"))
        s.golden("intake", IntakeScreen.id)
        s.keys(.insert)
        s.golden("form", FormScreen.id)   // last: leaving would keep a draft in the shared township
    }

    @Test(arguments: [Lang.zh, .en]) func theSupervisorsScreens(_ lang: Lang) throws {
        let s = try Self.session("duzha", lang)
        s.golden("menu-supervisor", MenuScreen.id)
        s.keys(.char("6"))
        s.golden("spotchecks", SpotListScreen.id)
        s.keys(.enter)
        s.golden("spot-draw", SpotDrawScreen.id)
        s.keys(.escape, .function(6))
        s.golden("due", DueScreen.id)
        s.keys(.escape, .function(8))
        s.golden("campaigns", CampaignScreen.id)
        s.keys(.escape, .function(9))
        s.golden("complaints", ComplaintScreen.id)
        // 救灾 (issue 24), read only for the supervisor (nothing is written here: the township is shared).
        s.keys(.escape, .function(10), .char("9"))
        s.golden("disaster", DisasterScreen.id)
    }

    @Test(arguments: [Lang.zh, .en]) func theAdministratorsScreens(_ lang: Lang) throws {
        let s = try Self.session("admin", lang)
        s.keys(.char("8"))
        s.golden("system", SystemScreen.id)
        s.keys(.function(5))
        s.golden("settings", SettingsScreen.id)
        s.keys(.escape, .function(4))
        s.golden("audit", AuditScreen.id, clock: true)
    }

    /// 导入台帐 (the household list's F9): empty, then a ledger checked (nothing is imported: the
    /// township is shared; last, as its log-in row would move the audit log's golden). The
    /// ledger is a copy of the import tests' GBK fixture in a folder of its own, written as DIR.
    @Test(arguments: [Lang.zh, .en]) func theLedgerImportScreen(_ lang: Lang) throws {
        let s = try Self.session("jingban", lang)
        s.keys(.char("1"))
        #expect(s.top == HouseholdsScreen.id)
        s.keys(.function(9))
        s.golden("ledger-import", LedgerImportScreen.id)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("ledger.csv")
        try FileManager.default.copyItem(at: Fixture.root.appendingPathComponent("Tests/JiuzhuImportTests/Fixtures/ledger-gbk.csv"), to: file)
        s.keys(.text(file.path), .enter)
        #expect(s.top == LedgerImportScreen.id)
        #expect(s.screen.contains(file.path), "the path is shown whole: \(s.screen)")
        expectGolden(s.screen.replacingOccurrences(of: dir.path, with: "DIR"), named: "screen-ledger-import-checked-\(lang.rawValue)-80x24")
        s.keys(.escape)
    }
}
