import Foundation
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// Issue 24: the 救灾 screen at 80×24 in Chinese and English on the demo's flood (its three
/// reports, the ledger, relief, cards, goods and houses made by `loadDemoDisaster` through the
/// store's rules), each page compared with `Golden/screen-disaster-PAGE-LANG-80x24.txt`; and
/// the stage report printed from the screen as text and A4 HTML, files made 0600.
@Suite(.serialized) struct DisasterScreenGoldenTests {
    static let today = CivilDate(year: 2026, month: 11, day: 23)!
    static let demoZh: Result<Store, Error> = Result { try flood() }
    static let demoEn: Result<Store, Error> = Result { try flood() }

    static func flood() throws -> Store {
        let s = try DemoMoneyTests.demo()
        try s.loadDemoDisaster(catalog: CaseFixture.catalog, today: today)
        return s
    }

    static func session(_ lang: Lang) throws -> EveryScreenGoldenTests.Session {
        let store = try (lang == .zh ? demoZh : demoEn).get()
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store, lang: lang))
        let s = EveryScreenGoldenTests.Session(runner: r, backend: backend, lang: lang)
        s.keys(.text("jingban"), .tab, .text("demo"), .enter)
        if s.top != MenuScreen.id { s.keys(.escape) }
        #expect(s.top == MenuScreen.id, "the clerk did not reach the menu: \(s.screen)")
        return s
    }

    @Test(arguments: [Lang.zh, .en]) func theFloodPageByPage(_ lang: Lang) throws {
        let s = try Self.session(lang)
        s.keys(.char("9"))
        s.golden("disaster-events", DisasterScreen.id)
        s.keys(.enter)
        s.golden("disaster-ledger", DisasterScreen.id)
        for page in ["relief", "cards", "goods", "houses", "reports"] {
            s.keys(.tab)
            s.golden("disaster-\(page)", DisasterScreen.id)
        }
    }

    @Test func theStageReportPrintsAsTextAndA4HTML() throws {
        let s = try Self.session(.zh)
        s.keys(.char("9"), .enter)
        for _ in 0..<5 { s.keys(.tab) }
        let d = try #require(s.runner.state.top.state(of: DisasterScreen.self), "no open disaster")
        let o = try #require(d.open, "no open disaster")
        #expect(d.page == .reports && o.reports.count == 3)
        s.keys(.end, .function(9))
        let text = try #require(s.runner.state.message?.text)
        let paths = text.split(separator: "\n").map(String.init).filter { $0.hasPrefix("/") }
        #expect(paths.count == 2)
        let html = try #require(paths.first { $0.hasSuffix(".html") })
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("@page { size: A4"))
        #expect(page.contains("自然灾害情况核报"))
        // Every figure of the report is a row; the ledger's agree with the 核报 made from it.
        for key in DisasterPrint.reportKeys { #expect(page.contains(DisasterFigures.label(key)(.zh))) }
        #expect(!page.contains("class=\"n off\""))
        for p in paths {
            let mode = (try FileManager.default.attributesOfItem(atPath: p)[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o600, "\(p)")
        }
    }
}
