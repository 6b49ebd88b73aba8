import Foundation
import Testing

/// The real binary in tmux at 80×24: log in, browse, find by pinyin initials, read members, quit,
/// and check the terminal is back in cooked mode.
@Suite(.serialized, .enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux)")) struct TUITests {
    /// A demo household's head: name and pinyin initials, read straight from the database.
    static func knownHousehold(_ db: String) -> (name: String, ini: String)? {
        guard let row = Binary.sqlite(db, """
            SELECT p.name, p.ini FROM person p JOIN household h ON h.id = p.household_id
            WHERE p.relation = '02' AND length(p.ini) = 3 AND h.member_count >= 2
              AND (SELECT count(*) FROM person q WHERE q.ini = p.ini AND q.relation = '02') = 1
            ORDER BY p.id LIMIT 1
            """) else { return nil }
        let parts = row.split(separator: "\t").map(String.init)
        return parts.count == 2 ? (parts[0], parts[1]) : nil
    }

    func session(term: String) throws {
        let db = Binary.sharedDemo
        let known = try #require(Self.knownHousehold(db), "no known household in the demo database")
        let t = try Tmux(width: 80, height: 24, term: term)
        let out = Binary.tempDir().appendingPathComponent("stty.txt").path
        try t.type("\(Binary.path) --db \(db) --demo --lang zh; stty -a > \(out); echo EXIT$((6*7))")
        try t.key("Enter")
        try t.waitFor("用户名")
        let login = try t.screen()
        #expect(login.contains("jingban"))           // demo accounts are shown
        try t.type("jingban"); try t.key("Tab"); try t.type("demo"); try t.key("Enter")
        try t.waitFor("家庭户籍")
        try t.type("1")
        try t.waitFor("共 ")
        try t.type(known.ini)
        let found = try t.waitFor(known.name)
        #expect(found.contains("********"))          // masked ID numbers in the list
        try t.key("Enter")
        let card = try t.waitFor("家庭成员")
        #expect(card.contains(known.name))
        try t.key("F1")
        try t.waitFor("帮助")
        try t.key("Escape")
        try t.key("Escape")                           // back to the list
        try t.key("Escape")                           // clears the search
        try t.key("Escape")                           // back to the menu
        try t.waitFor("主菜单")
        try t.type("0")
        try t.waitFor("EXIT42")
        let stty = try String(contentsOfFile: out, encoding: .utf8)
        #expect(stty.contains(" icanon") && !stty.contains("-icanon"))
        #expect(stty.contains(" echo ") && !stty.contains("-echo "))
    }

    @Test func clerkFindsAHouseholdByPinyinInitials() throws { try session(term: "xterm-256color") }

    @Test func monochromeVT100Works() throws { try session(term: "vt100") }

    @Test func tooSmallTerminalAsksToEnlargeAndSurvivesResizing() throws {
        let t = try Tmux(width: 70, height: 20)
        try t.type("\(Binary.path) --db \(Binary.sharedDemo) --demo; echo EXIT$((6*7))")
        try t.key("Enter")
        try t.waitFor("请放大窗口")
        try Tmux.tmux(["resize-window", "-t", t.name, "-x", "100", "-y", "30"])
        try t.waitFor("用户名")
        try Tmux.tmux(["resize-window", "-t", t.name, "-x", "60", "-y", "15"])
        try t.waitFor("请放大窗口")
        try Tmux.tmux(["resize-window", "-t", t.name, "-x", "80", "-y", "24"])
        try t.waitFor("用户名")
        try t.key("C-c")
        try t.waitFor("EXIT42")
    }

    @Test func sigtermAndSighupGiveTheTerminalBack() throws {
        for sig in ["TERM", "HUP"] {
            let dir = Binary.tempDir()
            let db = dir.appendingPathComponent("sig\(sig).sqlite").path
            try Binary.copyDatabase(Binary.sharedDemo, to: db)
            let t = try Tmux(width: 80, height: 24)
            let out = dir.appendingPathComponent("stty.txt").path
            try t.type("\(Binary.path) --db \(db) --demo; stty -a > \(out); echo EXIT$((6*7))")
            try t.key("Enter")
            try t.waitFor("用户名")
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["pkill", "-\(sig)", "-f", db]
            try p.run(); p.waitUntilExit()
            try t.waitFor("EXIT42")
            let stty = try String(contentsOfFile: out, encoding: .utf8)
            #expect(stty.contains(" icanon") && !stty.contains("-icanon") && !stty.contains("-echo "), "after SIG\(sig): \(stty)")
        }
    }
}
