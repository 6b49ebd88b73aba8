import Foundation
import Testing

/// Importing a ledger as a clerk would: the command line's dry run and import, and the screen
/// (the household list's F9) in tmux at 80×24 — check, read the problem list, correct the file, import.
@Suite(.serialized) struct LedgerImportEndToEndTests {
    /// A new office's database with 李家村, 石门村 and 东街社区, and a clerk.
    static func office() throws -> String {
        let db = Binary.tempDir().appendingPathComponent("office.sqlite").path
        #expect(try Binary.run(["init", "--db", db, "--county-code", "532927", "--township", "南诏镇", "--admin", "admin", "--password-stdin"],
                               stdin: "demo\ndemo\n").status == 0)
        for r in [["201", "李家村"], ["202", "石门村"], ["301", "东街社区", "--community"]] {
            #expect(try Binary.run(["region", "add"] + r + ["--db", db, "--user", "admin", "--password-stdin"], stdin: "demo\n").status == 0)
        }
        #expect(try Binary.run(["user", "add", "jingban", "--role", "clerk", "--db", db, "--user", "admin", "--password-stdin"],
                               stdin: "demo\ndemo\ndemo\n").status == 0)
        return db
    }

    static func fixture(_ name: String) throws -> String {
        let to = Binary.tempDir().appendingPathComponent(name)
        try FileManager.default.copyItem(at: Binary.root.appendingPathComponent("Tests/JiuzhuImportTests/Fixtures/\(name)"), to: to)
        return to.path
    }

    @Test func dryRunThenImportThenTheSameFileIsRefused() throws {
        let db = try Self.office()
        let file = try Self.fixture("roll-15digit.xls")
        let dry = try Binary.run(["import", file, "--dry-run", "--db", db, "--lang", "zh"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("15 位旧号码已转换为 18 位"))
        #expect(dry.stdout.contains("什么也没有写入"))
        #expect(FileManager.default.fileExists(atPath: file.replacingOccurrences(of: ".xls", with: "-导入检查.xlsx")))
        #expect(Binary.sqlite(db, "SELECT count(*) FROM household") == "0")
        let real = try Binary.run(["import", file, "--db", db, "--user", "jingban", "--password-stdin"], stdin: "demo\n")
        #expect(real.status == 0, "\(real.stderr)")
        #expect(Binary.sqlite(db, "SELECT count(*) FROM household") == "2")
        #expect(Binary.sqlite(db, "SELECT count(*) FROM assistance_case WHERE status = 'active'") == "2")
        let again = try Binary.run(["import", file, "--db", db, "--user", "jingban", "--password-stdin"], stdin: "demo\n")
        #expect(again.status != 0)
        let verify = try Binary.run(["verify", "--db", db])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    @Test(.enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux)"))
    func theScreenChecksShowsTheProblemsAndImportsOnceCorrected() throws {
        let db = try Self.office()
        let dir = Binary.tempDir()
        let file = dir.appendingPathComponent("ledger.csv").path
        let good = "53292719600101001" + String(IDCheck.character("53292719600101001"))
        let right = IDCheck.character("53292719610202002")
        let bad = "53292719610202002" + (right == "1" ? "2" : "1")
        func write(_ id: String) throws {
            try Data("户主姓名,身份证号,村,救助类别,月保障金,开始享受时间\r\n甲一,\(good),李家村,农村低保,500,2024-01-01\r\n乙二,\(id),石门村,农村低保,620,2024-03-01\r\n".utf8)
                .write(to: URL(fileURLWithPath: file))
        }
        try write(bad)
        let t = try Tmux(width: 80, height: 24)
        try t.type("\(Binary.path) --db \(db) --lang zh; echo EXIT$((6*7))")
        try t.key("Enter")
        try t.waitFor("用户名")
        try t.type("jingban"); try t.key("Tab"); try t.type("demo"); try t.key("Enter")
        try t.waitFor("家庭户籍")
        try t.type("1")
        try t.waitFor("F9 导入")
        try t.key("F9")
        try t.waitFor("文件:")
        try t.type(file)
        try t.key("Enter")
        let checked = try t.waitFor("问题清单已写在原文件旁")
        #expect(checked.contains("有问题 1 行"))
        #expect(checked.contains("校验位错误"))
        #expect(checked.contains("532927********002"))         // the value, masked
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("ledger-导入检查.csv").path))
        try t.key("F2")
        try t.waitFor("什么也没有导入")                           // refused while a row has a problem
        try t.key("Enter")
        // Corrected in the spreadsheet, checked again, imported.
        let fixed = "53292719610202002" + String(right)
        try write(fixed)
        try t.key("Enter")
        try t.waitFor("有问题 0 行")
        try t.key("F2")
        try t.waitFor("导入系统")
        try t.type("y")
        try t.waitFor("已导入 2 户 2 人,在保 2 件")
        try t.key("Enter")
        // Back on the household list, which now shows them.
        let list = try t.waitFor("共 2 户")
        #expect(list.contains("甲一") && list.contains("乙二"))
        try t.key("Escape")
        try t.waitFor("主菜单")
        try t.type("0")
        try t.waitFor("EXIT42")
        #expect(Binary.sqlite(db, "SELECT count(*) FROM assistance_case WHERE status = 'active'") == "2")
        #expect(Binary.sqlite(db, "SELECT count(*) FROM audit WHERE action = 'ledger.import' AND user = 'jingban'") == "1")
    }
}

/// GB 11643's check character, for a test's own ID numbers.
enum IDCheck {
    static func character(_ body: String) -> Character {
        let w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body.compactMap(\.wholeNumberValue), w).reduce(0) { $0 + $1.0 * $1.1 }
        return Array("10X98765432")[sum % 11]
    }
}
