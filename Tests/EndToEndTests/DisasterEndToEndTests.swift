import Foundation
import Testing

/// Issue 24 end to end, from the keyboard: register a flood, put three households on its
/// ledger, grant them relief, have the reviewer decide it, issue and print their cards, hand
/// out on one card and see the stock fall.
@Suite(.serialized) struct DisasterEndToEndTests {
    @Test(.enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux)")) func aFloodFromTheLedgerToTheStock() throws {
        let db = try SurveyTests.demoCopy("disaster.sqlite")
        // Three households of one village, with heads whose names are theirs alone.
        let rows = try #require(Binary.sqlite(db, """
            SELECT group_concat(id || ':' || head_name || ':' || village_code, '|') FROM (SELECT h.id, h.head_name, h.village_code FROM household h
              WHERE h.village_code = (SELECT code FROM region WHERE level = 'village' ORDER BY code LIMIT 1) AND h.merged_into IS NULL
                AND (SELECT count(*) FROM household h2 WHERE h2.head_name = h.head_name) = 1
                AND NOT EXISTS (SELECT 1 FROM disaster_victim v WHERE v.household_id = h.id)
              ORDER BY h.id LIMIT 3)
            """)).split(separator: "|").map { $0.split(separator: ":").map(String.init) }
        #expect(rows.count == 3)
        let village = rows[0][2]
        let riceBefore = Int(Binary.sqlite(db, "SELECT COALESCE(SUM(quantity), 0) FROM relief_goods WHERE item = 'rice'") ?? "0") ?? 0

        let t = try Tmux(width: 80, height: 24)
        try t.startDemo(db: db, user: "jingban")
        try t.waitFor("救灾")
        try t.type("9")
        try t.waitFor("登记灾情")
        // F7: the flood, in the first village.
        try t.key("F7")
        try t.waitFor("灾害种类")
        try t.key("Tab"); try t.type("端到端洪涝"); try t.key("Tab"); try t.key("Tab"); try t.type(String(village.suffix(3)))
        try t.key("F2")
        try t.waitFor("已登记灾情")
        try t.key("Enter")
        try t.key("Home")
        try t.key("Enter")
        try t.waitFor("端到端洪涝")
        // Three households on the ledger: the first collapsed (evacuated), the others badly damaged.
        for (i, r) in rows.enumerated() {
            try t.key("F7")
            try t.waitFor("户主或户号")
            try t.type(r[1]); try t.key("Tab"); try t.key("Tab")
            try t.type(i == 0 ? "3" : "2"); try t.key("Tab")
            try t.type("2"); try t.key("Tab")
            try t.type(i == 0 ? "是" : "否"); try t.key("Tab"); try t.type("是")
            try t.key("F2")
            try t.waitFor("已登记入台帐")
            try t.key("Enter")
            try t.waitFor(r[1])
        }
        // Relief for each: Enter on the line, 过渡期 30 days with rice.
        for i in 0..<3 {
            try t.key("Home")
            for _ in 0..<i { try t.key("Down") }
            try t.key("Enter")
            try t.waitFor("申请救助")
            try t.key("Tab"); try t.key("Tab"); try t.key("Tab"); try t.key("Tab")
            try t.type("大米10")
            try t.key("F2")
            try t.waitFor("等待核灾定级")
            try t.key("Enter")
        }
        try t.quitApp()

        // The reviewer decides them on the relief page; each line then shows the amount decided:
        // the 过渡期 standard a day (data/standards.csv, disaster transition) × persons × days.
        let daily = try ProgrammeRulesEndToEndTests.standardFen("disaster", "transition", on: Tmux.day(0))
        try t.startDemo(db: db, user: "shenhe")
        try t.waitFor("救灾")
        try t.type("9")
        try t.waitFor("端到端洪涝")
        try t.key("Home"); try t.key("Enter")
        try t.waitFor("台帐")
        try t.key("Tab")
        for i in 0..<3 {
            try t.key("Home")
            for _ in 0..<i { try t.key("Down") }
            try t.key("Enter")
            try t.waitFor("损失程度")
            try t.key("F2")
            try t.waitFor("已核定")
            try t.key("Enter")
        }
        let decided = try t.waitUntil("three lines decided") { $0.components(separatedBy: "审批公示").count == 4 }
        let relief = decided.split(separator: "\n").filter { $0.contains("过渡") }
        #expect(relief.count == 3, "\(decided)")
        for line in relief {
            // 案件 户主 期别 人数 天数 进度 金额
            let cells = line.split(separator: " ").filter { $0 != "▶" }.map { String($0.drop { $0 == "▶" }) }
            let (persons, days) = (Int(cells[3]) ?? 0, Int(cells[4]) ?? 0)
            let fen = daily * persons * days
            #expect(days == 30 && cells.last == String(format: "%d.%02d", fen / 100, fen % 100), "\(line)")
        }
        try t.quitApp()
        #expect(Binary.sqlite(db, """
            SELECT count(*) FROM assistance_case c JOIN disaster_grant g ON g.case_id = c.id JOIN disaster_event e ON e.id = g.event_id
            WHERE e.name = '端到端洪涝' AND c.step = 'approval_publicity'
            """) == "3")
        // Every amount decided is the rule's: the daily standard × the grant's persons × its days.
        #expect(Binary.sqlite(db, """
            SELECT count(*) FROM assistance_case c JOIN disaster_grant g ON g.case_id = c.id JOIN disaster_event e ON e.id = g.event_id
            WHERE e.name = '端到端洪涝' AND g.period = 'transition' AND g.days = 30 AND c.once_amount_fen = \(daily) * g.persons * g.days
            """) == "3")

        // 审批公示: the three decided grants posted in their village through 4 张榜公示 (the same
        // batches as every programme's), closed when the window has run; only then their cards.
        let (d0, d7) = (Tmux.day(0), Tmux.day(7))
        try t.startAtMainMenu(db: db, user: "jingban", day: d0)
        let made = try t.postPublicity(kind: 3, programme: "受灾救助", village: village)
        #expect(made.contains(rows[0][1]), "\(made)")
        try t.quitApp()
        try t.startAtMainMenu(db: db, user: "jingban", day: d7)
        try t.closePublicity(title: "受灾救助审批结果公示", moved: 3)
        try t.quitApp()

        // The clerk, the posting's window past: goods in, cards for the three, printed, one distribution.
        try t.startAtMainMenu(db: db, user: "jingban", day: d7)
        try t.type("9")
        try t.waitFor("端到端洪涝")
        try t.key("Home"); try t.key("Enter")
        try t.waitFor("台帐")
        for i in 0..<3 {
            try t.key("Home")
            for _ in 0..<i { try t.key("Down") }
            try t.key("F2")
            try t.waitFor("发放救济卡")
            try t.key("F2")
            try t.waitFor("已发")
            try t.key("Enter")
        }
        try t.key("F9")
        try t.waitFor("已打印")
        try t.key("Enter")
        // Goods page: 100 kg of rice received.
        try t.key("Tab"); try t.key("Tab"); try t.key("Tab")
        try t.waitFor("库存")
        try t.key("F7")
        try t.waitFor("物资入库")
        try t.key("Tab"); try t.type("100")
        try t.key("F2")
        try t.waitFor("已入库")
        try t.key("Enter")
        // Cards page: hand out on the first card.
        try t.key("S-Tab")
        try t.waitFor("卡号")
        try t.key("Home")
        try t.key("Enter")
        try t.waitFor("凭卡发放")
        try t.key("F2")
        try t.waitFor("库存已减")
        try t.key("Enter")
        try t.key("Tab")
        let goods = try t.waitFor("大米")
        try t.quitApp()

        #expect(Binary.sqlite(db, "SELECT count(*) FROM disaster_victim v JOIN disaster_event e ON e.id = v.event_id WHERE e.name = '端到端洪涝'") == "3")
        #expect(Binary.sqlite(db, "SELECT count(*) FROM disaster_card k JOIN disaster_event e ON e.id = k.event_id WHERE e.name = '端到端洪涝'") == "3")
        #expect(Binary.sqlite(db, "SELECT count(*) FROM disaster_distribution d JOIN disaster_card k ON k.id = d.card_id JOIN disaster_event e ON e.id = k.event_id WHERE e.name = '端到端洪涝'") == "1")
        let riceAfter = Int(Binary.sqlite(db, "SELECT COALESCE(SUM(quantity), 0) FROM relief_goods WHERE item = 'rice'") ?? "0") ?? 0
        #expect(riceAfter == riceBefore + 100 - 10, "\(goods)")
        let prints = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("prints")
        let cards = try String(contentsOf: try #require(FileManager.default.contentsOfDirectory(at: prints, includingPropertiesForKeys: nil)
            .first { $0.lastPathComponent.hasPrefix("relief-cards-") && $0.pathExtension == "txt" }), encoding: .utf8)
        #expect(cards.contains(rows[0][1]) && cards.contains("救济卡"))
        #expect(try Binary.run(["verify", "--db", db]).status == 0)
    }
}
