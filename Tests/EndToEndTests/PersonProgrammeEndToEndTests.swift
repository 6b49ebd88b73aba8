import Foundation
import Testing

/// Issue 22 items 1–2 through the real binary in tmux at 80×24: a 医疗救助 application typed in `2`
/// with its patient, category and bill, reviewed and decided in `3` with the amount its rules give;
/// a 特困 application with its person, care level and support, reviewed, posted and decided.
@Suite(.serialized, .enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux)"))
struct PersonProgrammeEndToEndTests {
    /// A new one-person household on the form's first three pages: programme, signatures, the
    /// household in 李家村 without a card, one member (the head).
    static func newHousehold(_ t: Tmux, programme: String, name: String, id: String) throws {
        try t.fillApplicationOpening(programme: programme, village: "ljc", address: "李家村五组3号")
        try t.waitFor("家庭成员 1/1")
        try t.type(name); try t.key("Tab")
        try t.type(id); try t.key("Tab")
        try SurveyTests.pick(t, "hz")
    }

    /// Log in as `user`, open `3`, narrow to the programme (F6 until it shows), go to the newest
    /// case (End) and check it is `caseId`.
    static func openInQueue(_ t: Tmux, db: String, user: String, programme: String, caseId: Int, day: String? = nil) throws {
        try t.startAtMainMenu(db: db, user: user, day: day)
        try t.type("3")
        try t.waitFor("待办")
        for _ in 0..<8 where !(try t.screen().contains("项目：\(programme)")) { try t.key("F6"); Thread.sleep(forTimeInterval: 0.3) }
        try t.waitFor("项目：\(programme)")
        func selected(_ s: String) -> Bool {
            s.split(separator: "\n").contains { $0.contains("▶") && ($0.hasSuffix(" \(caseId)") || $0.contains(" \(caseId) ")) }
        }
        // The newest case is usually the last; otherwise walk the queue from its top.
        try t.key("End")
        if !selected(try t.screen()) {
            try t.key("Home")
            for _ in 0..<120 where !selected(try t.screen()) { try t.key("Down") }
        }
        try t.waitUntil("case \(caseId) selected", seconds: 2, selected)
        try t.key("Enter")
        try t.waitFor("案件 #\(caseId)")
    }

    @Test func aMedicalApplicationGoesFromItsBillsToTheDecidedAmount() throws {
        let db = try SurveyTests.demoCopy("medical-e2e.sqlite")
        let head = SurveyTests.idNumber("53262219700512933")
        let t = try Tmux(width: 80, height: 24)
        if try SurveyTests.startAndLogIn(t, db: db).contains("家庭户籍") { try t.type("2") }
        try Self.newHousehold(t, programme: "yljz", name: "王建国", id: head)
        // 医疗救助: the patient (the head) and the category.
        try t.key("NPage")
        try t.waitFor("患者(本人)")
        try SurveyTests.pick(t, "wjg")                       // a pick moves on to the next field
        #expect(SurveyTests.line(try t.screen(), "患者(本人)").hasSuffix("王建国"))
        try SurveyTests.pick(t, "dsr")                       // … and from the page's last to the next page
        // 医疗费用: one settlement sheet.
        try t.waitFor("医疗机构")
        try t.type("县人民医院"); try t.key("Tab")
        try t.type("2026-10-08"); try t.key("Tab")
        try t.type("2026-10-20"); try t.key("Tab")
        try t.type("30000"); try t.key("Tab")
        for _ in 0..<4 { try t.key("BSpace") }
        try t.type("15000"); try t.key("Tab")
        for _ in 0..<4 { try t.key("BSpace") }
        try t.type("3000"); try t.key("Tab")
        // A self-paid part the insurances leave no room for is refused as it is left.
        // (Leaving the page's last field moves on; the bills tab is marked with its error.)
        try t.type("18000"); try t.key("Tab")
        try t.waitFor("医疗费用 !")
        try t.key("BTab")
        try t.waitFor("超过总费用")
        // Back in the field it reads as it was normalised when left, 18000.00: eight to rub out.
        #expect(SurveyTests.line(try t.screen(), "政策范围内自付").hasSuffix("18000.00"))
        for _ in 0..<8 { try t.key("BSpace") }
        try t.type("8000")
        try t.waitUntil("the self-paid field reads 8000") { SurveyTests.line($0, "政策范围内自付").hasSuffix(" 8000") }
        try t.key("Tab")
        try t.waitUntil("the bill's error gone") { !$0.contains("超过总费用") && !$0.contains("医疗费用 !") }
        let cid = try t.investigateAndSubmit()
        #expect(Binary.sqlite(db, "SELECT programme || '|' || medical_category || '|' || step FROM assistance_case WHERE id = \(cid)") == "medical|low_income|township_review")
        #expect(Binary.sqlite(db, "SELECT p.name FROM assistance_case c JOIN person p ON p.id = c.person_id WHERE c.id = \(cid)") == "王建国")
        try t.key("Enter")
        try t.key("F10")
        try t.waitFor("家庭户籍")
        try t.type("0")
        try t.waitFor("EXIT42")

        // 乡镇审核: the reviewer reads the bill and the sums, and agrees.
        let r = try Tmux(width: 80, height: 24)
        try Self.openInQueue(r, db: db, user: "shenhe", programme: "医疗救助", caseId: cid)
        let file = try r.screen()
        #expect(file.contains("救助对象类别"))
        try r.key("F2")
        try r.waitFor("审核意见")
        try r.key("F2")
        try r.waitFor("办理完成")
        try r.key("Enter")
        try r.quitApp()

        // 县级审批: the approver sees the amount worked out and approves it.
        let a = try Tmux(width: 80, height: 24)
        try Self.openInQueue(a, db: db, user: "shenpi", programme: "医疗救助", caseId: cid)
        // (8,000 − 1,700 起付标准) × 65% = 4,095.00, the 2026 低收入 row of data/medical_assistance.csv.
        var seen = try a.screen()
        for _ in 0..<6 where !seen.contains("测算金额") { try a.key("NPage"); seen = try a.screen() }
        #expect(seen.contains("4095.00"), "\(seen)")
        try a.key("F2")
        let dialog = try a.waitFor("核定金额")
        #expect(dialog.contains("4095.00"))
        try a.key("F2")
        try a.waitFor("办理完成")
        try a.key("Enter")
        try a.quitApp()
        #expect(Binary.sqlite(db, "SELECT once_amount_fen FROM assistance_case WHERE id = \(cid)") == "409500")
        #expect(Binary.sqlite(db, "SELECT step FROM assistance_case WHERE id = \(cid)") == "payment")
    }

    @Test func aTekunApplicationGoesFromThePersonAndCareLevelToTheDecidedAmount() throws {
        let db = try SurveyTests.demoCopy("tekun-e2e.sqlite")
        // A man of 78 living alone, no legal supporter.
        let head = SurveyTests.idNumber("53262219480305951")
        let (d0, d9) = (Tmux.day(0), Tmux.day(9))
        let t = try Tmux(width: 80, height: 24)
        try t.startAtMainMenu(db: db, user: "jingban", day: d0)
        try t.type("2")
        try Self.newHousehold(t, programme: "tkgy", name: "杨建华", id: head)
        try t.key("NPage")
        try t.waitFor("供养对象(本人)")
        try SurveyTests.pick(t, "yjh")                       // a pick moves on to the next field
        try SurveyTests.pick(t, "bhl")                       // 半护理
        #expect(SurveyTests.line(try t.screen(), "生活自理能力").hasSuffix("半护理"))
        try SurveyTests.pick(t, "fsgy")                      // 分散供养, the page's last: on to 法定义务人
        try t.waitFor("页 · 法定义务人")
        let cid = try t.investigateAndSubmit()
        #expect(Binary.sqlite(db, "SELECT p.name || '|' || c.care_level || '|' || c.support_mode FROM assistance_case c JOIN person p ON p.id = c.person_id WHERE c.id = \(cid)")
                == "杨建华|semi|dispersed")
        try t.key("Enter")
        try t.key("F10")
        try t.waitFor("家庭户籍")
        try t.type("0")
        try t.waitFor("EXIT42")

        // 乡镇审核.
        let r = try Tmux(width: 80, height: 24)
        try Self.openInQueue(r, db: db, user: "shenhe", programme: "特困供养", caseId: cid, day: d0)
        try r.key("F2")
        try r.waitFor("审核意见")
        try r.key("F2")
        try r.waitFor("办理完成")
        try r.key("Enter")
        try r.quitApp()
        #expect(Binary.sqlite(db, "SELECT step FROM assistance_case WHERE id = \(cid)") == "township_publicity")

        // 乡镇审核结果公示: a batch of 特困 for 李家村, posted today, closed when its window has passed.
        let p = try Tmux(width: 80, height: 24)
        try p.startAtMainMenu(db: db, user: "jingban", day: d0)
        // The batch is made as a draft and said so; F2 on the batch posts it.
        let made = try p.postPublicity(kind: 2, programme: "特困供养", village: "李家村", phone: "0872-6123456", box: "村委会举报箱")
        #expect(made.contains("草稿") && made.contains("杨建华") && made.contains("1048.00"), "\(made)")
        try p.quitApp()
        let batch = try #require(Binary.sqlite(db, "SELECT batch_id FROM publicity_line WHERE case_id = \(cid)"))
        let q = try Tmux(width: 80, height: 24)
        let title = try #require(Binary.sqlite(db, "SELECT title FROM publicity_batch WHERE id = \(batch)"))
        try q.startAtMainMenu(db: db, user: "jingban", day: d9)
        try q.closePublicity(title: title, moved: 1)
        try q.quitApp()
        #expect(Binary.sqlite(db, "SELECT step FROM assistance_case WHERE id = \(cid)") == "county_approval")

        // 县级审批: the rules with their figures, the amount, and the decision.
        let a = try Tmux(width: 80, height: 24)
        try Self.openInQueue(a, db: db, user: "shenpi", programme: "特困供养", caseId: cid, day: d9)
        let file = try a.screen()
        #expect(file.contains("60周岁以上(第六条)"))
        // (8,970 分散 + 3,600 半护理) / 12 = 1,047.50 → 1,048 (data/standards.csv, 2026).
        var seen = file
        for _ in 0..<6 where !seen.contains("测算金额") { try a.key("NPage"); seen = try a.screen() }
        #expect(seen.contains("1048.00"), "\(seen)")
        try a.key("F2")
        let dialog = try a.waitFor("核定金额")
        #expect(dialog.contains("半护理") && dialog.contains("分散") && dialog.contains("1048.00"))
        try a.key("F2")
        try a.waitFor("办理完成")
        try a.key("Enter")
        try a.quitApp()
        #expect(Binary.sqlite(db, "SELECT status || '|' || monthly_amount_fen FROM assistance_case WHERE id = \(cid)") == "active|104800")
    }
}
