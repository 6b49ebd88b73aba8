import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// 张榜公示 through the real runner and the in-memory store: make a batch from the keys, remove
/// and add a line, post, an objection, closing refused before the window ends.
@Suite(.serialized) struct PublicityScreenTests {
    struct Session {
        var store: Store
        var runner: AppRunner
        var backend: TestBackend
        var screen: String { backend.screenText }
        func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; runner.runUntilIdle() }
        func type(_ t: String) { keys(.text(t)) }
        var batch: BatchState? { runner.state.top.state(of: BatchScreen.self) }
    }

    static func session(lang: Lang = .zh) throws -> (Session, [Int64]) {
        let store = try Fixture.store(households: 6)
        let ids = try [1, 3, 5].map { try CaseFixture.ruralCase(store, household: Int64($0), at: "village_publicity", since: Fixture.today.adding(days: -1)) }
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store, lang: lang))
        let s = Session(store: store, runner: r, backend: backend)
        s.keys(.text("jingban"), .tab, .text("demo"), .enter)
        if r.state.top.id == IntakeScreen.id { s.keys(.escape) }
        s.keys(.char("4"))
        return (s, ids)
    }

    /// The new batch's box at 80×24 reads whole in both languages: a hint too long for its
    /// column goes on in the blank line under it (the English village hint was cut at "(poste…").
    @Test(arguments: [Lang.zh, .en]) func theNewBatchBoxReadsWhole(lang: Lang) throws {
        let (s, _) = try Self.session(lang: lang)
        s.keys(.function(7))
        let rows = s.screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(!s.screen.contains("…"), "\(s.screen)")
        for key in ["publicity.kindHint", "publicity.villageHint", "publicity.phoneHint", "publicity.boxHint", "publicity.phone", "publicity.box"] {
            // Each line of the text, as the box wraps it, is on the screen.
            let text = say(key, lang)
            let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
            for w in lang == .en ? words : [text] {
                #expect(rows.contains { $0.contains(w) }, "\(key): \(w) not on the screen:\n\(s.screen)")
            }
        }
    }

    @Test func clerkMakesPostsAndObjects() throws {
        let (s, ids) = try Self.session()
        #expect(s.screen.contains("还没有公示批次"))
        s.keys(.function(7))
        // kind 1, programme 农村低保, village: 李家村
        s.keys(.tab, .tab); s.type("李家村")
        s.keys(.function(2))
        let b = try #require(s.batch)
        #expect(s.runner.state.message?.text.contains("共 3 户") == true)
        // Each message ends with the next step and who does it, as the case view says it.
        #expect(s.runner.state.message?.text.contains("下一步：村级公示 — 经办员在“4 张榜公示”中张榜") == true, "\(s.runner.state.message?.text ?? "")")
        s.keys(.enter)
        #expect(b.lines.count == 3 || s.batch?.lines.count == 3)
        #expect(s.screen.contains("李家村\(Fixture.today.year)年\(Fixture.today.month)月农村低保民主评议结果公示"))
        expectGolden(s.screen, named: "publicity-batch-draft-80x24")
        // F8 removes the selected line, after a question; F7 puts the waiting cases back.
        s.keys(.function(8))
        #expect(s.batch?.lines.count == 3)
        s.keys(.char("y"))
        #expect(s.batch?.lines.count == 2)
        s.keys(.function(7), .enter)
        #expect(s.batch?.lines.count == 3)
        // Post (after the question), then an objection against the second line.
        s.keys(.function(2), .char("y"))
        #expect(s.runner.state.message?.text.contains("已张贴") == true && s.runner.state.message?.text.contains("下一步：") == true)
        s.keys(.enter)
        #expect(s.batch?.batch?.state == .posted)
        s.keys(.down, .function(5))
        s.keys(.tab); s.type("电话"); s.keys(.tab); s.type("反映该户新购机动车辆")
        s.keys(.function(2))
        #expect(s.runner.state.message?.text.contains("退回重新调查") == true)
        #expect(s.runner.state.message?.text.contains("下一步：入户调查（退回重新调查）— 经办员") == true, "\(s.runner.state.message?.text ?? "")")
        s.keys(.enter)
        let objected = s.batch!.lines[1].line.caseId // lines keep their order (village, case)
        let step = try s.store.read { db in try String.fetchOne(db, sql: "SELECT step FROM assistance_case WHERE id = ?", arguments: [objected]) }
        #expect(step == "survey")
        #expect(ids.contains(objected))
        // Closing before the window ends is refused, naming the date.
        s.keys(.function(3))
        #expect(s.runner.state.message?.text.contains(Fixture.today.adding(days: 7).iso) == true)
        s.keys(.enter)
        // The objection's result.
        s.keys(.function(6)); s.type("否"); s.keys(.tab); s.type("经核实为残疾人代步车"); s.keys(.function(2))
        #expect(s.runner.state.message?.text.contains("不属实") == true)
        s.keys(.enter)
        #expect(s.screen.contains("异议不属实"))
    }

    @Test func anObjectionOnTheChangesPostingBecomesAComplaintFromTheKeys() throws {
        let (s, ids) = try Self.session()
        try s.store.write { db in
            try db.execute(sql: "UPDATE assistance_case SET status = 'terminated', step = 'payment' WHERE id = ?", arguments: [ids[0]])
        }
        // Kind 4 (adjustments and cancellations) in 李家村 (a posting is of a village), posted, then F5 on its line.
        s.keys(.function(7), .text("4"), .tab, .tab, .text("李家村"), .function(2))
        #expect(s.runner.state.message?.text.contains("共 1 户") == true, "\(s.runner.state.message?.text ?? s.screen)")
        s.keys(.enter, .function(2), .char("y"), .enter)
        #expect(s.batch?.batch?.state == .posted)
        #expect(s.screen.contains("调整和取消保障公示") && s.screen.contains("取消"))
        s.keys(.function(5), .tab); s.type("来访"); s.keys(.tab); s.type("户主仍无劳动能力，不应取消")
        s.keys(.function(2))
        #expect(s.runner.state.message?.text.contains("异议已登记为举报 #1") == true, "\(s.runner.state.message?.text ?? s.screen)")
        let c = try #require(try s.store.complaint(id: 1))
        #expect(c.channel == .posting && c.caseId == ids[0] && c.complainant == "来访" && c.content == "户主仍无劳动能力，不应取消")
        #expect(try s.store.read { db in try String.fetchOne(db, sql: "SELECT status FROM assistance_case WHERE id = ?", arguments: [ids[0]]) } == "terminated")
    }

    /// Closing a batch: the message names where the moved cases went and who does it next.
    @Test func theCloseMessageNamesTheNextStep() throws {
        let env = try Fixture.env(try Fixture.store(households: 1))
        let text = BatchScreen.text(.closed(moved: 2, held: 1, programme: .ruralDibao,
                                            landed: [CaseLanding(step: "township_review", status: .inProgress)]), env)
        #expect(text.contains("2 件转入下一步") && text.hasSuffix("下一步：乡镇审核 — 审核员在“3 审核审批”中审核"), "\(text)")
    }
}
