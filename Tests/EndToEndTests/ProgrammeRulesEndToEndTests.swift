import Foundation
import Testing

/// Issue 22 through the real binary in tmux at 80×24: a new application typed in `2` 申请受理
/// walked to the figures its programme's rules give.
@Suite(.serialized) struct ProgrammeRulesEndToEndTests {
    /// Page 1 to the end of the form: the application's fields after the programme (and, for
    /// 临时救助, its kind), a household in 李家村 of two, no income, two investigators; submitted.
    /// Returns the case number.
    static func apply(_ t: Tmux, programme: String, kind: String?, head: (String, String), second: (String, String, String),
                      place: (pick: String, address: String) = ("ljc", "李家村五组8号")) throws -> Int {
        try t.waitFor("新建申请")
        try t.key("Enter")
        try t.waitFor("第1/6页")
        try SurveyTests.pick(t, programme)
        if let kind { try SurveyTests.pick(t, kind) }
        try t.key("Tab"); try t.key("Tab"); try t.key("Tab")
        try t.type("y")
        try t.waitUntil("书面申请已签字 = 是") { SurveyTests.line($0, "书面申请已签字").hasSuffix("是") }
        try t.key("Tab"); try t.type("y")
        try t.waitUntil("已签授权核对书 = 是") { SurveyTests.line($0, "已签授权核对书").hasSuffix("是") }
        try t.key("Tab")
        try t.waitFor("第2/6页")
        try SurveyTests.pick(t, place.pick)
        try t.type(place.address); try t.key("Tab")
        try t.key("Tab"); try t.key("Tab")
        try t.type("n")
        try t.waitUntil("银行卡发放 = 否") { SurveyTests.line($0, "银行卡发放").hasSuffix("否") }
        try t.key("Tab"); try t.key("Tab"); try t.key("Tab"); try t.key("Tab")
        try t.key("F4")
        try t.waitFor("[ ] 因病")
        try t.key("Space")
        try t.key("Enter")
        try t.waitFor("因病")
        try t.key("Tab")
        try t.waitFor("第3/6页")
        try t.type(head.0); try t.key("Tab")
        try t.type(head.1); try t.key("Tab")
        try SurveyTests.pick(t, "hz")
        try t.key("F7")
        try t.waitFor("家庭成员 2/2")
        try t.type(second.0); try t.key("Tab")
        try t.type(second.1); try t.key("Tab")
        try SurveyTests.pick(t, second.2)
        try t.key("NPage"); try t.key("NPage"); try t.key("NPage")
        try t.waitFor("第7/7页")
        try t.key("Tab")
        try t.type("张明"); try t.key("Tab")
        try t.type("刘芳"); try t.key("Tab")
        try t.key("Tab"); try t.key("Tab")
        try t.type("y")
        try t.waitUntil("签字已收 = 是") { SurveyTests.line($0, "签字已收").hasSuffix("是") }
        try t.key("F2")
        let done = try t.waitFor("已受理")
        let id = done.range(of: #"案件号 #(\d+)"#, options: .regularExpression).map { String(done[$0].dropFirst(5)) }.flatMap { Int($0) }
        return try #require(id, "no case number on the screen:\n\(done)")
    }

    /// Open a case by its head's name through `5` 对象查询.
    static func open(_ t: Tmux, head: String) throws -> String {
        try t.type("5")
        try t.waitFor("月保障金合计")
        try t.type(head)
        try t.waitFor(head)
        try t.key("Enter")
        return try t.waitFor("审核条件")
    }

    /// 急难型 临时救助 for a couple in a village: the reviewer pays 1,000 first at the township's
    /// review (the limit), the approver decides 575 × 2 months × 2 persons = 2,300; the yearly cap
    /// counts both; the case waits at the payment step for the rest, 1,300.
    @Test(.enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux)")) func emergencyAidPaidFirstThenDecidedByTheRule() throws {
        let db = try SurveyTests.demoCopy("temporary.sqlite")
        let head = SurveyTests.idNumber("53262219750612931"), wife = SurveyTests.idNumber("53262219770803942")
        let t = try Tmux(width: 80, height: 24)
        if try SurveyTests.startAndLogIn(t, db: db).contains("家庭户籍") { try t.type("2") }
        let cid = try Self.apply(t, programme: "lsjz", kind: "jnx", head: ("欧阳急难", head), second: ("上官秀英", wife, "妻"))
        try t.key("Enter")
        try t.quitApp()
        #expect(Binary.sqlite(db, "SELECT step FROM assistance_case WHERE id = \(cid)") == "township_review")
        #expect(Binary.sqlite(db, "SELECT json_extract(inputs, '$.kind') FROM case_step WHERE case_id = \(cid) AND step = 'apply'") == "urgent")

        // The reviewer: the rule's figures, 先行救助 (F6) offered at the review, prefilled at its limit.
        try t.startDemo(db: db, user: "shenhe")
        try t.waitFor("审核审批")
        let file = try Self.open(t, head: "欧阳急难")
        #expect(file.contains("案件 #\(cid)"))
        try t.key("F6")
        let dialog = try t.waitFor("先行救助")
        #expect(dialog.contains("1000.00"), "\(dialog)")
        try t.key("F2")
        try t.waitFor("办理完成")
        try t.key("Enter")
        try t.key("F2")
        try t.waitFor("审核意见")
        try t.key("F2")
        try t.waitFor("办理完成")
        try t.key("Enter")
        try t.quitApp()
        #expect(Binary.sqlite(db, "SELECT json_extract(inputs, '$.amountFen') FROM case_step WHERE case_id = \(cid) AND action = 'urgent_pay'") == "100000")

        // The approver decides by the rule.
        try t.startDemo(db: db, user: "shenpi")
        try t.waitFor("审核审批")
        let decision = try Self.open(t, head: "欧阳急难")
        #expect(decision.contains("案件 #\(cid)"))
        try t.key("F2")
        try t.waitFor("2300.00")
        try t.key("F2")
        try t.waitFor("办理完成")
        try t.key("Enter")
        try t.quitApp()
        #expect(Binary.sqlite(db, "SELECT once_amount_fen || '|' || step || '|' || status FROM assistance_case WHERE id = \(cid)") == "230000|payment|in_progress")
        let show = try Binary.run(["case", "show", String(cid), "--db", db, "--lang", "zh"])
        #expect(show.stdout.contains("急难型：低保标准 575.00 × 2 个月 × 2 人 = 2300.00"), "\(show.stdout)")
        #expect(show.stdout.contains("已先行救助 1000.00，审批后补发 1300.00"))
        #expect(try Binary.run(["verify", "--db", db]).status == 0)
    }

    /// Rural 低保 for a man of 76 and his wife of 49, able to work and with no income: 800 a month
    /// is counted for her (推算收入), 400.00 a head; (575 − 400) × 2 + 10% for him = 408.00 on
    /// the case's rule table, which the clerk reads on the new case.
    @Test(.enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux)")) func ruralDibaoCountsTheImputedIncome() throws {
        let db = try SurveyTests.demoCopy("imputed.sqlite")
        let head = SurveyTests.idNumber("53262219500301951"), wife = SurveyTests.idNumber("53262219770404962")
        let t = try Tmux(width: 80, height: 24)
        if try SurveyTests.startAndLogIn(t, db: db).contains("家庭户籍") { try t.type("2") }
        let cid = try Self.apply(t, programme: "ncdb", kind: nil, head: ("司马推算", head), second: ("诸葛秀英", wife, "妻"))
        try t.key("Enter")
        try t.quitApp()
        #expect(Binary.sqlite(db, "SELECT step FROM assistance_case WHERE id = \(cid)") == "appraisal")
        let show = try Binary.run(["case", "show", String(cid), "--db", db, "--lang", "zh"])
        #expect(show.stdout.contains("有劳动能力未就业：诸葛秀英，每人按 800.00 元/月计入"), "\(show.stdout)")
        #expect(show.stdout.contains("人均月收入 400.00 元 < 标准 575.00 元"))
        #expect(show.stdout.contains("测算金额 408.00 元/月"))
        let en = try Binary.run(["case", "show", String(cid), "--db", db, "--lang", "en"])
        #expect(en.stdout.contains("able to work, not working: 诸葛秀英, 800.00 a month each counted"), "\(en.stdout)")
    }

    /// Urban 低保 for the same couple in 石门社区: the community's standard (780.00 in 2026,
    /// data/standards.csv), her 800 a month counted as for rural 低保, 400.00 a head.
    @Test(.enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux)")) func urbanDibaoUsesTheCommunitysStandard() throws {
        let db = try SurveyTests.demoCopy("urban.sqlite")
        let head = SurveyTests.idNumber("53262219500301971"), wife = SurveyTests.idNumber("53262219770404982")
        let t = try Tmux(width: 80, height: 24)
        if try SurveyTests.startAndLogIn(t, db: db).contains("家庭户籍") { try t.type("2") }
        let cid = try Self.apply(t, programme: "czdb", kind: nil, head: ("欧阳城居", head), second: ("上官秀兰", wife, "妻"),
                                 place: ("smsq", "石门社区人民路12号"))
        try t.key("Enter")
        try t.quitApp()
        #expect(Binary.sqlite(db, "SELECT programme FROM assistance_case WHERE id = \(cid)") == "urban_dibao")
        let show = try Binary.run(["case", "show", String(cid), "--db", db, "--lang", "zh"])
        #expect(show.stdout.contains("有劳动能力未就业：上官秀兰，每人按 800.00 元/月计入"), "\(show.stdout)")
        #expect(show.stdout.contains("人均月收入 400.00 元 < 标准 780.00 元"), "\(show.stdout)")
    }
}
