import Foundation
import Testing

/// `jiuzhu report` on a copy of the demo township: the year's end equals the cases in force now,
/// last year's end is this year's start, and `--out` writes a private file.
@Suite(.serialized) struct ReportCommandTests {
    /// The cells of the row that starts with `label`.
    func row(_ text: String, _ label: String) -> [String] {
        text.split(separator: "\n").map(String.init).first { $0.hasPrefix(label) }.map { $0.split(separator: "\t").map(String.init) } ?? []
    }

    @Test func theTableAgreesWithTheCasesAndWithTheYearBefore() throws {
        let db = try SurveyTests.demoCopy("report.sqlite")
        let now = try Binary.run(["report", "--db", db, "--lang", "zh"])
        #expect(now.status == 0, "\(now.stderr)")
        #expect(row(now.stdout, "项目").dropFirst().prefix(3) == ["农村低保", "城镇低保", "特困供养"])
        for (i, p) in ["rural_dibao", "urban_dibao", "tekun"].enumerated() {
            let inForce = try #require(Binary.sqlite(db, "SELECT count(*) FROM assistance_case WHERE programme = '\(p)' AND status IN ('active', 'suspended')"))
            #expect(row(now.stdout, "期末在保（户）")[i + 1] == inForce, "\(p): \(now.stdout)")
        }
        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        let last = try Binary.run(["report", "--db", db, "--year", String(year - 1), "--lang", "zh"])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(row(last.stdout, "期末在保（户）") == row(now.stdout, "期初在保（户）").map { $0.replacingOccurrences(of: "期初", with: "期末") })

        let out = db + ".tsv"
        let written = try Binary.run(["report", "--db", db, "--out", out, "--lang", "en"])
        #expect(written.status == 0, "\(written.stderr)")
        let attrs = try FileManager.default.attributesOfItem(atPath: out)
        #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("At end (h)"))

        let future = try Binary.run(["report", "--db", db, "--until", "\(year + 1)-12-31", "--lang", "en"])
        #expect(future.status != 0 && future.stderr.contains("after today"))
    }
}
