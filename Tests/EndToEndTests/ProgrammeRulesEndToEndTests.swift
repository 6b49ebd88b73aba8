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
        try t.fillApplicationOpening(programme: programme, kind: kind, village: place.pick, address: place.address)
        try t.waitFor("第3/6页")
        try t.type(head.0); try t.key("Tab")
        try t.type(head.1); try t.key("Tab")
        try SurveyTests.pick(t, "hz")
        try t.key("F7")
        try t.waitFor("家庭成员 2/2")
        try t.type(second.0); try t.key("Tab")
        try t.type(second.1); try t.key("Tab")
        try SurveyTests.pick(t, second.2)
        return try t.investigateAndSubmit()
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
        try Self.agreeHere(t)
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

    /// The reviewer: the case of `head` at `step`, agreed (F2, the opinion as offered). Returns the
    /// case as opened.
    @discardableResult
    static func agree(_ t: Tmux, head: String, step: String) throws -> String {
        let file = try Self.open(t, head: head)
        #expect(file.contains("当前步骤：\(step)（"), "\(file)")
        try Self.agreeHere(t)
        return file
    }

    /// The reviewer on the case open: F2 同意, the opinion as offered, F2; the message closed.
    static func agreeHere(_ t: Tmux) throws {
        try t.key("F2")
        try t.waitFor("审核意见")
        try t.key("F2")
        try t.waitFor("办理完成")
        try t.key("Enter")
    }

    /// The approver: the case of `head` at `step`, approved (F2) with the amount offered, checked
    /// to be `amount` as worked out; returns the message that said it was done, closed.
    static func approve(_ t: Tmux, head: String, step: String, amount: String) throws -> String {
        let file = try Self.open(t, head: head)
        #expect(file.contains("当前步骤：\(step)（"), "\(file)")
        try t.key("F2")
        let dialog = try t.waitFor("核定金额")
        #expect(SurveyTests.line(dialog, "核定金额").contains(amount) && dialog.contains("测算 \(amount) 元/月"), "\(dialog)")
        try t.key("F2")
        let decided = try t.waitFor("办理完成")
        #expect(decided.contains("核定金额 \(amount) 元"), "\(decided)")
        try t.key("Enter")
        return decided
    }

    /// The clerk starts the program on `day` (the posting's window past) and ends the newest batch
    /// holding the case; it holds the village's other cases at the same step too, which go on with
    /// it. Ends at the main menu.
    static func closeItsPublicity(_ t: Tmux, db: String, caseId: Int, day: String) throws {
        let row = try #require(Binary.sqlite(db, """
            SELECT b.title, (SELECT count(*) FROM publicity_line m WHERE m.batch_id = b.id) FROM publicity_line l
              JOIN publicity_batch b ON b.id = l.batch_id WHERE l.case_id = \(caseId) ORDER BY b.id DESC LIMIT 1
            """)).split(separator: "\t").map(String.init)
        try t.startAtMainMenu(db: db, user: "jingban", day: day)
        try t.closePublicity(title: row[0], moved: try #require(Int(row[1])))
    }

    /// The month's standard in fen in data/standards.csv for `programme` in `area` on `day`: the
    /// row last in effect.
    static func standardFen(_ programme: String, _ area: String, on day: String) throws -> Int {
        let csv = try String(contentsOf: Binary.root.appendingPathComponent("data/standards.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            .filter { $0.count > 3 && $0[0] == programme && $0[1] == area && $0[2] <= day }
        let yuan = try #require(rows.max { $0[2] < $1[2] }?[3], "no \(programme) \(area) standard on \(day)")
        return try #require(Int(yuan.replacingOccurrences(of: ".", with: "")))
    }

    /// A value of data/settings.csv (one without commas).
    static func setting(_ key: String) throws -> String {
        let csv = try String(contentsOf: Binary.root.appendingPathComponent("data/settings.csv"), encoding: .utf8)
        let row = csv.split(separator: "\n").first { $0.hasPrefix("\(key),") }
        return try #require(row.map { String($0.split(separator: ",", omittingEmptySubsequences: false)[1]) }, "no setting \(key)")
    }

    /// The couple's 低保 under standard `s` (fen), as the case's rule table works it out: her
    /// 推算收入 (imputed_income_monthly, she is able and of working age without work) over two
    /// persons gives the per-head income; the gap to the standard × 2 persons; 分类施保 for him,
    /// over addon_elderly_age, addon_elderly (a percentage) of the standard; rounded up to the
    /// yuan (benefit_rounding up_yuan). Returns "408.00" and the like.
    static func coupleAmount(standard s: Int) throws -> String {
        #expect(try Self.setting("benefit_rounding") == "up_yuan" && Self.setting("addon_elderly_age") == "70")
        let imputed = try #require(Int(try Self.setting("imputed_income_monthly").replacingOccurrences(of: ".", with: "")))
        let percent = try #require(Int(try Self.setting("addon_elderly").dropLast()), "addon_elderly is not a percentage")
        let perHead = imputed / 2
        let fen = (s - perHead) * 2 + s * percent / 100
        let up = (fen + 99) / 100 * 100
        return "\(up / 100).00"
    }

    /// The case open in `5` (a decision or step just done, its message closed): to the end of its
    /// file, where the decided amount and the record of steps are.
    static func fileEnd(_ t: Tmux) throws -> String {
        try t.key("End")
        return try t.waitFor("办理记录")
    }

    /// Rural 低保 for a man of 76 and his wife of 49, able to work and with no income, walked from
    /// the application in `2` to a benefit in force, each step by its role on the day it can be
    /// done: 民主评议 and 村级公示 (clerk), 乡镇审核 (reviewer), 乡镇公示 (clerk), 县级审批
    /// (approver), 审批公示, 领取证 and 发放 (clerk); each posting's window passed by starting the
    /// next run of the program 7 days later (JIUZHU_TODAY). 800 a month is counted for her
    /// (推算收入), 400.00 a head; (575 − 400) × 2 + 10% for him = 407.50 → 408.00 in 2026.
    @Test(.enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux)")) func ruralDibaoFromTheApplicationToABenefitInForce() throws {
        let db = try SurveyTests.demoCopy("imputed.sqlite")
        let head = SurveyTests.idNumber("53262219500301951"), wife = SurveyTests.idNumber("53262219770404962")
        let days = [0, 7, 14, 21].map(Tmux.day)
        // The standard in effect on the decision day (the same as on the others but at New Year).
        let standard = try Self.standardFen("rural_dibao", "rural", on: days[2])
        let amount = try Self.coupleAmount(standard: standard)
        let t = try Tmux(width: 80, height: 24)

        // The clerk: the application, 民主评议 (9 representatives, 8 present, 7 for), 村级公示 posted.
        try t.startAtMainMenu(db: db, user: "jingban", day: days[0])
        try t.type("2")
        let cid = try Self.apply(t, programme: "ncdb", kind: nil, head: ("司马推算", head), second: ("诸葛秀英", wife, "妻"))
        try t.key("Enter")
        try t.key("F10")
        try t.waitFor("家庭户籍")
        let appraisal = try Self.open(t, head: "司马推算")
        #expect(appraisal.contains("案件 #\(cid)") && appraisal.contains("当前步骤：民主评议"), "\(appraisal)")
        try t.key("F2")
        try t.waitFor("应到代表")
        try t.key("Tab"); try t.type("9"); try t.key("Tab"); try t.type("8"); try t.key("Tab"); try t.type("7")
        try t.key("Tab"); try t.type("1")
        try t.key("F2")
        let appraised = try t.waitFor("办理完成")
        #expect(appraised.contains("村级公示"), "\(appraised)")
        try t.key("Enter")
        try t.key("F10")
        try t.waitFor("家庭户籍")
        let village = try t.postPublicity(kind: 1, programme: "农村低保", village: "李家村")
        #expect(village.contains("司马推算") && village.contains(amount), "\(village)")
        try t.quitApp()
        #expect(Binary.sqlite(db, "SELECT step FROM assistance_case WHERE id = \(cid)") == "village_publicity")
        #expect(Binary.sqlite(db, "SELECT json_extract(inputs, '$.votesFor') || '/' || json_extract(inputs, '$.attendance') FROM case_step WHERE case_id = \(cid) AND step = 'appraisal'") == "7/8")
        let show = try Binary.run(["case", "show", String(cid), "--db", db, "--lang", "zh"])
        #expect(show.stdout.contains("有劳动能力未就业：诸葛秀英，每人按 800.00 元/月计入"), "\(show.stdout)")
        #expect(show.stdout.contains("人均月收入 400.00 元 < 标准 \(try Self.standardFen("rural_dibao", "rural", on: days[0]) / 100).00 元"))
        #expect(show.stdout.contains("测算金额 \(amount) 元/月"))
        let en = try Binary.run(["case", "show", String(cid), "--db", db, "--lang", "en"])
        #expect(en.stdout.contains("able to work, not working: 诸葛秀英, 800.00 a month each counted"), "\(en.stdout)")

        // A week on: 村级公示 ended; the reviewer agrees at 乡镇审核; the clerk posts 乡镇公示.
        try Self.closeItsPublicity(t, db: db, caseId: cid, day: days[1])
        try t.switchUser("shenhe")
        try Self.agree(t, head: "司马推算", step: "乡镇审核")
        try t.switchUser("jingban")
        try t.postPublicity(kind: 2, programme: "农村低保", village: "李家村")
        try t.quitApp()
        #expect(Binary.sqlite(db, "SELECT step FROM assistance_case WHERE id = \(cid)") == "township_publicity")

        // Two weeks on: 乡镇公示 ended; the approver decides the amount the rules give at 县级审批;
        // the clerk posts the decision (审批公示).
        try Self.closeItsPublicity(t, db: db, caseId: cid, day: days[2])
        try t.switchUser("shenpi")
        let decided = try Self.approve(t, head: "司马推算", step: "县级审批", amount: amount)
        #expect(decided.contains("审批公示"), "\(decided)")
        let decision = try Self.fileEnd(t)
        #expect(decision.contains("核定金额 \(amount) 元/月") && decision.contains("县级审批  同意  shenpi"), "\(decision)")
        try t.switchUser("jingban")
        try t.postPublicity(kind: 3, programme: "农村低保", village: "李家村")
        try t.quitApp()
        #expect(Binary.sqlite(db, "SELECT step || '|' || status FROM assistance_case WHERE id = \(cid)") == "approval_publicity|in_progress")

        // Three weeks on: 审批公示 ended; the clerk gives the 领取证 (its number from the decision)
        // and starts the payment: the benefit is in force.
        try Self.closeItsPublicity(t, db: db, caseId: cid, day: days[3])
        let certificate = try Self.open(t, head: "司马推算")
        #expect(certificate.contains("当前步骤：发放领取证"), "\(certificate)")
        try t.key("F2")
        try t.waitFor("领取证编号")
        try t.key("F2")
        try t.waitFor("办理完成")
        try t.key("Enter")
        try t.waitUntil("the payment step") { $0.contains("当前步骤：发放低保金") && !$0.contains("办理完成") }
        try t.key("F2")
        try t.waitFor("首发月份")
        try t.key("F2")
        let paid = try t.waitFor("办理完成")
        #expect(paid.contains("在保"), "\(paid)")
        try t.key("Enter")
        let inForce = try t.waitUntil("the case in force") { $0.contains("案件 #\(cid)") && !$0.contains("办理完成") }
        #expect(inForce.contains("农村低保  在保"), "\(inForce)")
        let file = try Self.fileEnd(t)
        #expect(file.contains("核定金额 \(amount) 元/月"), "\(file)")
        try t.quitApp()
        #expect(Binary.sqlite(db, "SELECT status || '|' || (monthly_amount_fen / 100) || '.00' FROM assistance_case WHERE id = \(cid)") == "active|\(amount)")
        #expect(try Binary.run(["verify", "--db", db]).status == 0)
    }

    /// Urban 低保 for the same couple in 石门社区, walked to a benefit in force: the reviewer agrees
    /// the day it is applied for, the clerk posts it in the community, a week on the approver
    /// decides. The community's standard (780.00 in 2026, data/standards.csv), her 800 a month
    /// counted as for rural 低保, 400.00 a head: (780 − 400) × 2 + 10% for him = 838.00.
    @Test(.enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux)")) func urbanDibaoFromTheApplicationToABenefitInForce() throws {
        let db = try SurveyTests.demoCopy("urban.sqlite")
        let head = SurveyTests.idNumber("53262219500301971"), wife = SurveyTests.idNumber("53262219770404982")
        let days = [0, 7].map(Tmux.day)
        let standard = try Self.standardFen("urban_dibao", "urban", on: days[1])
        let amount = try Self.coupleAmount(standard: standard)
        let t = try Tmux(width: 80, height: 24)

        // The clerk applies; the reviewer agrees; the clerk posts the 公示 in the community.
        try t.startAtMainMenu(db: db, user: "jingban", day: days[0])
        try t.type("2")
        let cid = try Self.apply(t, programme: "czdb", kind: nil, head: ("欧阳城居", head), second: ("上官秀兰", wife, "妻"),
                                 place: ("smsq", "石门社区人民路12号"))
        try t.key("Enter")
        try t.switchUser("shenhe")
        let review = try Self.agree(t, head: "欧阳城居", step: "审核")
        #expect(review.contains("案件 #\(cid)") && review.contains("城镇低保"), "\(review)")
        try t.switchUser("jingban")
        let posted = try t.postPublicity(kind: 2, programme: "城镇低保", village: "石门社区")
        #expect(posted.contains("欧阳城居") && posted.contains(amount), "\(posted)")
        try t.quitApp()
        #expect(Binary.sqlite(db, "SELECT programme || '|' || step FROM assistance_case WHERE id = \(cid)") == "urban_dibao|township_publicity")
        let show = try Binary.run(["case", "show", String(cid), "--db", db, "--lang", "zh"])
        #expect(show.stdout.contains("有劳动能力未就业：上官秀兰，每人按 800.00 元/月计入"), "\(show.stdout)")
        #expect(show.stdout.contains("人均月收入 400.00 元 < 标准 \(standard / 100).00 元"), "\(show.stdout)")

        // A week on: the 公示 ended; the approver decides; the case is in force (urban 低保 ends there).
        try Self.closeItsPublicity(t, db: db, caseId: cid, day: days[1])
        try t.switchUser("shenpi")
        let decided = try Self.approve(t, head: "欧阳城居", step: "审批", amount: amount)
        #expect(decided.contains("在保"), "\(decided)")
        let inForce = try t.waitUntil("the case in force") { $0.contains("案件 #\(cid)") && !$0.contains("办理完成") }
        #expect(inForce.contains("城镇低保  在保"), "\(inForce)")
        let file = try Self.fileEnd(t)
        #expect(file.contains("核定金额 \(amount) 元/月") && file.contains("审批  同意  shenpi"), "\(file)")
        try t.quitApp()
        #expect(Binary.sqlite(db, "SELECT status || '|' || (monthly_amount_fen / 100) || '.00' FROM assistance_case WHERE id = \(cid)") == "active|\(amount)")
        #expect(try Binary.run(["verify", "--db", db]).status == 0)
    }
}
