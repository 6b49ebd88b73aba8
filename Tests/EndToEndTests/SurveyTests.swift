import Foundation
import Testing

/// The application and household-survey form driven through the real binary at 80×24: a
/// two-member survey typed in and submitted, its case and survey in the database and printed
/// again by `jiuzhu export survey`; a draft that survives `kill -9`; the export's errors.
@Suite(.serialized) struct SurveyTests {
    /// An 18-character ID number: the 17 digits and their ISO 7064 MOD 11-2 check character.
    static func idNumber(_ first17: String) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(first17.compactMap(\.wholeNumberValue), weights).map { $0 * $1 }.reduce(0, +)
        return first17 + String(Array("10X98765432")[sum % 11])
    }

    /// A wrong check character for the same 17 digits.
    static func wrongCheck(_ id: String) -> String {
        let right = id.last!
        return String(id.dropLast()) + (right == "0" ? "1" : "0")
    }

    /// A private copy of the shared demo database (the shared one is for reading only).
    static func demoCopy(_ name: String) throws -> String {
        let db = Binary.tempDir().appendingPathComponent(name).path
        try Binary.copyDatabase(Binary.sharedDemo, to: db)
        return db
    }

    /// The screen line holding `label`, without its trailing blanks.
    static func line(_ screen: String, _ label: String) -> String {
        let l = screen.split(separator: "\n", omittingEmptySubsequences: false).first { $0.contains(label) } ?? ""
        return String(l).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }

    /// Start the app on `db` in `t` and log in as the demo clerk; returns at the main menu, or at
    /// the list of drafts to go on with when the clerk has some.
    @discardableResult
    static func startAndLogIn(_ t: Tmux, db: String) throws -> String {
        try t.startDemo(db: db, user: "jingban")
        return try t.waitUntil("the main menu or the drafts") { $0.contains("家庭户籍") || $0.contains("继续填写") }
    }

    /// In a code picker: type the filter, wait for the picker to show it, take the first match.
    static func pick(_ t: Tmux, _ filter: String) throws {
        try t.type(filter)
        try t.waitFor("筛选: \(filter)")
        try t.key("Enter")
        try t.waitUntil("the picker for \(filter) closed") { !$0.contains("筛选:") }
    }

    @Test(.enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux)")) func clerkFillsATwoMemberSurveySubmitsItAndPrintsItAgain() throws {
        let db = try Self.demoCopy("survey.sqlite")
        // A husband and wife from a county the demo township does not use, sequence numbers 9xx
        // (odd for a man, even for a woman).
        let head = Self.idNumber("53262219700512911"), wife = Self.idNumber("53262219720803922")
        #expect(head == "53262219700512911X" && wife == "532622197208039229")
        #expect(Binary.sqlite(db, "SELECT count(*) FROM person WHERE id_number IN ('\(head)', '\(wife)')") == "0")

        let t = try Tmux(width: 80, height: 24)
        if try Self.startAndLogIn(t, db: db).contains("家庭户籍") { try t.type("2") }   // 申请受理
        try t.waitFor("新建申请")
        try t.key("Enter")                                  // "新建申请" is the first row of the drafts list
        try t.waitFor("第1/6页")

        // 申请: programme from the picker; the household (new), the date (today) and the reason as they are.
        try Self.pick(t, "ncdb")
        #expect(Self.line(try t.screen(), "申请项目").hasSuffix("农村低保"))
        try t.key("Tab"); try t.key("Tab"); try t.key("Tab")
        // The applicant's signatures: the written application, the authorisation to check finances.
        try t.type("y")
        try t.waitUntil("书面申请已签字 = 是") { Self.line($0, "书面申请已签字").hasSuffix("是") }
        try t.key("Tab"); try t.type("y")
        try t.waitUntil("已签授权核对书 = 是") { Self.line($0, "已签授权核对书").hasSuffix("是") }
        try t.key("Tab")
        try t.waitFor("第2/6页")

        // 家庭情况: village, address, no bank card, two causes of poverty.
        try Self.pick(t, "ljc")
        try t.type("李家村三组12号"); try t.key("Tab")
        try t.key("Tab"); try t.key("Tab")                 // 户籍性质, 联系电话
        try t.type("n")                                    // 银行卡发放 = 否: the card number goes
        let noCard = try t.waitUntil("银行卡发放 = 否") { Self.line($0, "银行卡发放").hasSuffix("否") }
        #expect(!noCard.contains("银行卡号"))
        try t.key("Tab"); try t.key("Tab"); try t.key("Tab"); try t.key("Tab")   // 住房, 面积, 危房 → 致贫原因
        try t.key("F4")
        try t.waitFor("[ ] 因病")
        try t.key("Space"); try t.key("Down"); try t.key("Space")
        try t.waitUntil("two causes ticked") { $0.components(separatedBy: "[x]").count == 3 }
        try t.key("Enter")
        let household = try t.waitFor("因病、因残")
        #expect(Self.line(household, "村/社区").hasSuffix("李家村"))
        #expect(Self.line(household, "住址").hasSuffix("李家村三组12号"))
        try t.key("Tab")
        try t.waitFor("第3/6页")

        // 家庭成员 1: the head.
        try t.type("王建国"); try t.key("Tab")
        try t.type(head); try t.key("Tab")
        try Self.pick(t, "hz")
        let first = try t.screen()
        #expect(Self.line(first, "与户主关系").hasSuffix("户主"))
        #expect(Self.line(first, "性别").hasSuffix("男"))         // from the ID number
        #expect(Self.line(first, "出生日期").hasSuffix("1970-05-12"))

        // 家庭成员 2, added with F7: the wife, her ID first typed with a wrong check character.
        try t.key("F7")
        try t.waitFor("家庭成员 2/2")
        try t.type("李秀英"); try t.key("Tab")
        try t.type(Self.wrongCheck(wife)); try t.key("Tab")
        let wrong = try t.waitFor("校验位错误")
        #expect(wrong.contains("应为 9"))
        try t.key("BTab")                                   // back to the ID number
        try t.key("BSpace"); try t.type("9"); try t.key("Tab")
        let fixed = try t.waitUntil("the check-character error gone") { !$0.contains("校验位错误") && $0.contains(wife) }
        #expect(Self.line(fixed, "性别").hasSuffix("女"))
        try Self.pick(t, "妻")
        #expect(Self.line(try t.screen(), "与户主关系").hasSuffix("妻"))

        // No income rows; the assets as they are; 入户调查: two investigators, the signed forms filed.
        try t.key("NPage"); try t.key("NPage"); try t.key("NPage")   // 收入, 财产 → 入户调查
        try t.waitFor("第7/7页")
        try t.key("Tab")                                    // 调查日期 (today) → 调查人一
        try t.type("张明"); try t.key("Tab")
        try t.type("刘芳"); try t.key("Tab")
        try t.key("Tab"); try t.key("Tab")                  // 走访邻居, 调查情况 → 签字已收
        try t.type("y")
        try t.waitUntil("签字已收 = 是") { Self.line($0, "签字已收").hasSuffix("是") }
        try t.key("F2")
        let done = try t.waitFor("已受理")
        let caseId = done.range(of: #"案件号 #(\d+)"#, options: .regularExpression)
            .map { String(done[$0].dropFirst(5)) }.flatMap { Int($0) }
        #expect(caseId != nil, "no case number on the screen:\n\(done)")
        let cid = try #require(caseId)

        // The database: the case, its survey with both investigators, the two people.
        #expect(Binary.sqlite(db, "SELECT programme || '|' || status FROM assistance_case WHERE id = \(cid)") == "rural_dibao|in_progress")
        #expect(Binary.sqlite(db, "SELECT investigator1 || '|' || investigator2 || '|' || members_counted FROM survey WHERE case_id = \(cid)") == "张明|刘芳|2")
        #expect(Binary.sqlite(db, """
            SELECT group_concat(p.name || ':' || p.id_number || ':' || p.relation, ',') FROM
              (SELECT * FROM person ORDER BY id) p JOIN survey s ON s.household_id = p.household_id WHERE s.case_id = \(cid)
            """) == "王建国:\(head):02,李秀英:\(wife):12")
        #expect(Binary.sqlite(db, "SELECT count(*) FROM draft") == "0")   // the draft went with the submission

        // Printed again from what was stored.
        // Full ID, phone and card numbers: a named user's password, and audited.
        let anon = try Binary.run(["export", "survey", String(cid), "--format", "txt", "--db", db, "--lang", "zh"])
        #expect(anon.status != 0 && anon.stdout.isEmpty && anon.stderr.contains("--user"), "\(anon.stderr)")
        let txt = try Binary.run(["export", "survey", String(cid), "--format", "txt", "--db", db, "--lang", "zh", "--user", "jingban", "--password-stdin"], stdin: "demo\n")
        #expect(txt.status == 0, "\(txt.stderr)")
        for s in ["案件号:\(cid)", "王建国", "李秀英", head, wife, "李家村三组12号", "因病、因残",
                  "王建国(户主)签字", "李秀英(妻)签字", "调查人1 张明 签字", "调查人2 刘芳 签字", "计入人口 2 人"] {
            #expect(txt.stdout.contains(s), "the printed survey lacks \(s):\n\(txt.stdout)")
        }
        let html = Binary.tempDir().appendingPathComponent("survey.html").path
        let h = try Binary.run(["export", "survey", String(cid), "--format", "html", "-o", html, "--db", db, "--lang", "zh", "--user", "jingban", "--password-stdin"], stdin: "demo\n")
        #expect(Binary.sqlite(db, "SELECT user || ' ' || entity_id FROM audit WHERE action = 'export.unmasked' ORDER BY id DESC LIMIT 1") == "jingban survey case \(cid)")
        #expect(h.status == 0 && h.stdout.isEmpty, "\(h.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("李秀英") && page.contains("调查人2 刘芳 签字"))
        #expect((try FileManager.default.attributesOfItem(atPath: html)[.posixPermissions] as? Int) == 0o600)

        try t.key("Enter")                                  // 确定
        try t.key("F10")
        try t.waitFor("家庭户籍")
        try t.type("0")
        try t.waitFor("EXIT42")
    }

    @Test(.enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux)")) func aDraftSurvivesKillDashNine() throws {
        let db = try Self.demoCopy("draft.sqlite")
        let t = try Tmux(width: 80, height: 24)
        if try Self.startAndLogIn(t, db: db).contains("家庭户籍") { try t.type("2") }
        try t.waitFor("新建申请")
        try t.key("Enter")
        try t.waitFor("第1/6页")
        try Self.pick(t, "ncdb")                            // → 已有户
        try t.key("Tab"); try t.key("Tab")                  // → 申请理由
        try t.type("老人长期患病"); try t.key("Tab")
        try t.key("Tab"); try t.key("Tab")                  // past the two signatures
        try t.waitFor("第2/6页")
        try Self.pick(t, "ljc")                             // → 住址
        try t.type("杀进程前的住址"); try t.key("Tab")
        try t.waitFor("草稿已存")

        // Each field left was saved: wait for the last one to reach the file, then kill.
        let end = Date().addingTimeInterval(10)
        while Date() < end, Binary.sqlite(db, "SELECT data FROM draft")?.contains("杀进程前的住址") != true {
            Thread.sleep(forTimeInterval: 0.1)
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["pkill", "-KILL", "-f", db]
        try p.run(); p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        try t.waitFor("EXIT42")                             // the shell got the prompt back

        // In the database after the kill.
        #expect(Binary.sqlite(db, "SELECT count(*) FROM draft WHERE user = 'jingban' AND form = 'application'") == "1")
        let data = Binary.sqlite(db, "SELECT data FROM draft") ?? ""
        for s in ["\"programme\":\"rural_dibao\"", "老人长期患病", "杀进程前的住址"] {
            #expect(data.contains(s), "the draft lacks \(s): \(data)")
        }
        #expect(Binary.sqlite(db, "PRAGMA integrity_check") == "ok")

        // Started again, the clerk is offered the draft and finds what was typed.
        try t.type("stty sane; clear"); try t.key("Enter")
        // Logging in with a draft leads straight to it (else 2 on the menu would).
        if try Self.startAndLogIn(t, db: db).contains("家庭户籍") { try t.type("2") }
        let offer = try t.waitFor("继续填写")
        #expect(offer.contains("农村低保 · (未填姓名) · 李家村"), "\(offer)")
        try t.key("Down")                                   // past "新建申请" to the draft
        try t.key("Enter")
        let page1 = try t.waitFor("第1/6页")
        #expect(Self.line(page1, "申请项目").hasSuffix("农村低保"))
        #expect(page1.contains("老人长期患病"))
        try t.key("NPage")
        let page2 = try t.waitFor("第2/6页")
        #expect(Self.line(page2, "村/社区").hasSuffix("李家村"))
        #expect(Self.line(page2, "住址").hasSuffix("杀进程前的住址"))
        try t.key("C-c")
        try t.waitFor("EXIT42")
        #expect(Binary.sqlite(db, "SELECT count(*) FROM draft") == "1")   // reopened, still the one draft
    }

    @Test func exportSurveyOfAMissingCaseFails() throws {
        let db = try Self.demoCopy("missing-survey.sqlite")  // its own file: a read of the shared demo can meet another test's write lock
        let missing = try Binary.run(["export", "survey", "999999", "--format", "txt", "--db", db, "--lang", "en"])
        #expect(missing.status != 0)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderr.contains("999999") && missing.stderr.contains("Nothing was exported"), "\(missing.stderr)")
        let zh = try Binary.run(["export", "survey", "999999", "--db", db, "--lang", "zh"])
        #expect(zh.status != 0 && zh.stderr.contains("什么也没有导出"), "\(zh.stderr)")
        // A demo case was not entered through the form: it exists but has no survey.
        if let demoCase = Binary.sqlite(db, "SELECT min(case_id) FROM case_step WHERE case_id NOT IN (SELECT case_id FROM survey)") {
            let none = try Binary.run(["export", "survey", demoCase, "--db", db, "--lang", "en", "--user", "jingban", "--password-stdin"], stdin: "demo\n")
            #expect(none.status != 0 && none.stdout.isEmpty)
            #expect(none.stderr.contains("Case #\(demoCase) has no survey"), "\(none.stderr)")
        }
        let bad = try Binary.run(["export", "survey", "abc", "--db", db, "--lang", "en"])
        #expect(bad.status != 0 && bad.stderr.contains("positive whole number"), "\(bad.stderr)")
        let noDB = try Binary.run(["export", "survey", "1", "--db", Binary.tempDir().appendingPathComponent("none.sqlite").path, "--lang", "en"])
        #expect(noDB.status != 0 && noDB.stderr.contains("does not exist"))
    }
}
