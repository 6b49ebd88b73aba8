import Foundation
import Testing

/// `jiuzhu report --township/--by-township` and `jiuzhu roster export --township` (issue 25 item
/// 4) on a copy of the demo township: a township's own file is one township, so its table by
/// township is the total's, and its roster for the township is the whole roster; an unknown
/// township is refused. (Two townships' figures adding up are tested in CountyTests.)
@Suite(.serialized) struct CountyCommandTests {
    func body(_ text: String) -> [String] {
        // The table without its title line (the title names whose table it is), up to the
        // disaster rows and notes (a township of a county file has no disaster rows of its own).
        Array(text.split(separator: "\n").dropFirst().prefix(18).map(String.init))
    }

    @Test func aTownshipsTableAndRosterByTownship() throws {
        let db = try SurveyTests.demoCopy("county-cli.sqlite")
        let code = try #require(Binary.sqlite(db, "SELECT code FROM region WHERE level = 'township'"))
        let name = try #require(Binary.sqlite(db, "SELECT name FROM region WHERE level = 'township'"))
        let whole = try Binary.run(["report", "--db", db, "--lang", "zh"])
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(whole.stdout.hasPrefix("\(name)社会救助统计"))
        for t in [name, code, String(code.prefix(9))] {
            let one = try Binary.run(["report", "--db", db, "--lang", "zh", "--township", t])
            #expect(one.status == 0, "\(one.stderr)")
            #expect(one.stdout.hasPrefix("\(name)社会救助统计"))
            #expect(body(one.stdout) == body(whole.stdout), "\(t)")
        }
        let split = try Binary.run(["report", "--db", db, "--lang", "zh", "--by-township"])
        #expect(split.status == 0, "\(split.stderr)")
        let tables = split.stdout.components(separatedBy: "\n\n")
        #expect(tables.count == 2)
        #expect(body(tables[1]) == body(whole.stdout))
        let bad = try Binary.run(["report", "--db", db, "--lang", "zh", "--township", "无此乡"])
        #expect(bad.status != 0 && bad.stderr.contains("没有名为“无此乡”的乡镇"))

        let made = try Binary.run(["roster", "make", "--db", db, "--program", "rural_dibao", "--month", "2026-11", "--user", "jingban",
                                   "--password-stdin"], stdin: "demo\n")
        #expect(made.status == 0, "\(made.stderr)")
        let id = try #require(Binary.sqlite(db, "SELECT id FROM payment_roster WHERE month = '2026-11'"))
        let out = Binary.tempDir().appendingPathComponent("county-roster").path
        let whole2 = try Binary.run(["roster", "export", id, "--db", db, "-o", out, "--user", "shenpi", "--password-stdin"], stdin: "demo\n")
        #expect(whole2.status == 0, "\(whole2.stderr)")
        let mine = try Binary.run(["roster", "export", id, "--db", db, "-o", out, "--township", name, "--user", "shenpi", "--password-stdin"],
                                  stdin: "demo\n")
        #expect(mine.status == 0, "\(mine.stderr)")
        #expect(mine.stdout.split(separator: "\n") == ["\(out)-\(code).csv", "\(out)-\(code).xlsx"])
        // The one township's roster is the whole roster, line for line and in its total.
        let a = try String(contentsOfFile: out + ".csv", encoding: .utf8).split(separator: "\n").dropFirst()
        let b = try String(contentsOfFile: "\(out)-\(code).csv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(Array(a.dropLast()) == Array(b.dropLast()))
        let refused = try Binary.run(["roster", "export", id, "--db", db, "-o", out + "x", "--township", "无此乡", "--user", "shenpi",
                                      "--password-stdin"], stdin: "demo\n")
        #expect(refused.status != 0 && refused.stderr.contains("无此乡"))
    }
}
