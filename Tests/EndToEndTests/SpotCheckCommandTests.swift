import Foundation
import Testing

/// `jiuzhu spotcheck draw` and `list` on a copy of the demo township.
@Suite(.serialized) struct SpotCheckCommandTests {
    static let id18 = try! NSRegularExpression(pattern: "(?<![0-9])[0-9]{17}[0-9X](?![0-9])")

    @Test func aDryRunIsReproducibleAndWritesNothingAndARealDrawIsListed() throws {
        let db = try SurveyTests.demoCopy("spotcheck.sqlite")
        // The demo comes with one draw of its own (#1, seed 20261101).
        let drawsBefore = Binary.sqlite(db, "SELECT count(*) FROM spot_check_draw")
        let auditBefore = Binary.sqlite(db, "SELECT count(*) FROM audit WHERE action = 'spotcheck.draw'")
        #expect(drawsBefore == "1")
        let args = ["spotcheck", "draw", "--program", "rural_dibao", "--percent", "50", "--seed", "7", "--dry-run", "--db", db, "--lang", "zh"]
        let a = try Binary.run(args)
        #expect(a.status == 0, "\(a.stderr)")
        let b = try Binary.run(args)
        #expect(b.status == 0)
        #expect(a.stdout == b.stdout)
        #expect(a.stdout.contains("种子:7"))
        #expect(a.stdout.contains("比例:50%"))
        #expect(a.stdout.contains("什么也没有写入"))
        #expect(a.stdout.contains("\t李家村"))
        #expect(Self.id18.firstMatch(in: a.stdout, range: NSRange(a.stdout.startIndex..., in: a.stdout)) == nil)
        #expect(Binary.sqlite(db, "SELECT count(*) FROM spot_check_draw") == drawsBefore)
        #expect(Binary.sqlite(db, "SELECT count(*) FROM audit WHERE action = 'spotcheck.draw'") == auditBefore)

        // Village lines add up to the drawn count; each village gets ceil(half).
        let lines = a.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let villageLines = lines.drop { $0 != "村\t在保\t抽取" }.dropFirst().prefix { !$0.isEmpty }
        #expect(!villageLines.isEmpty)
        var drawn = 0
        for l in villageLines {
            let f = l.split(separator: "\t")
            let n = Int(f[1])!, k = Int(f[2])!
            #expect(k == (n + 1) / 2, "\(l)")
            drawn += k
        }
        let caseLines = lines.filter { $0.hasPrefix("#") }
        #expect(caseLines.count == drawn)

        // By label, for real: the same sample, recorded and listed with its seed.
        let real = try Binary.run(["spotcheck", "draw", "--program", "农村低保", "--percent", "50", "--seed", "7", "--db", db, "--lang", "zh",
                                   "--user", "duzha", "--password-stdin"], stdin: "demo\n")
        #expect(real.status == 0, "\(real.stderr)")
        #expect(real.stdout.split(separator: "\n").filter { $0.hasPrefix("#") } == a.stdout.split(separator: "\n").filter { $0.hasPrefix("#") })
        #expect(real.stdout.contains("已记录为抽查批次 #2"))
        #expect(Binary.sqlite(db, "SELECT count(*) FROM spot_check WHERE draw_id = 2") == String(drawn))
        #expect(Binary.sqlite(db, "SELECT seed || ' ' || percent || ' ' || sampled FROM spot_check_draw WHERE id = 2") == "7 50 \(drawn)")
        let list = try Binary.run(["spotcheck", "list", "--db", db, "--lang", "zh"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("#2\t农村低保\t"))
        #expect(list.stdout.contains("\t50%\t7\t"))
        #expect(try Binary.run(["verify", "--db", db]).status == 0)
    }

    @Test func aRandomSeedIsPrintedAndALowPercentWarns() throws {
        let r = try Binary.run(["spotcheck", "draw", "--program", "rural_dibao", "--percent", "20", "--dry-run", "--db", Binary.sharedDemo, "--lang", "en"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("(random; use --seed "))
        #expect(r.stdout.contains("Warning: the percentage 20% is below the required 30%"))
    }

    @Test func clearErrors() throws {
        let unknown = try Binary.run(["spotcheck", "draw", "--program", "nope", "--seed", "1", "--db", Binary.sharedDemo, "--lang", "en"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("There is no programme \"nope\""))
        let percent = try Binary.run(["spotcheck", "draw", "--program", "rural_dibao", "--percent", "0", "--db", Binary.sharedDemo, "--lang", "en"])
        #expect(percent.status != 0)
        #expect(percent.stderr.contains("The percentage is 1 to 100, not 0"))
        let empty = try Binary.run(["spotcheck", "draw", "--program", "disaster", "--seed", "1", "--dry-run", "--db", Binary.sharedDemo, "--lang", "en"])
        #expect(empty.status != 0)
        #expect(empty.stderr.contains("nothing was drawn"))
        for r in [unknown, percent, empty] { #expect(!r.stderr.contains("Fatal") && r.stdout.isEmpty) }
    }
}
