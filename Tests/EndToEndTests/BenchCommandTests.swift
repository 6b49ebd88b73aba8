import Foundation
import Testing

/// `jiuzhu bench` on a small township: it builds the database, runs the app in a child process,
/// compares with the sqlite3 shell, and ends with issue 8's targets, each judged by its figure.
@Suite(.serialized) struct BenchCommandTests {
    /// The numbers in a target row's figure column, and its verdict.
    func target(_ text: String, _ label: String) -> (figures: [Double], met: Bool)? {
        guard let line = text.split(separator: "\n").map(String.init).first(where: { $0.hasPrefix("  " + label) }) else { return nil }
        let verdict = line.hasSuffix("NOT MET") ? false : line.hasSuffix("met") ? true : nil
        guard let met = verdict else { return nil }
        let figure = line.dropFirst(48).dropLast(met ? 3 : 7)
        let numbers = figure.split(whereSeparator: { !"0123456789.".contains($0) }).compactMap { Double($0) }
        return (numbers, met)
    }

    @Test func benchBuildsItsTownshipAndJudgesEachTargetByItsFigure() throws {
        let dir = Binary.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("bench.sqlite").path
        let r = try Binary.run(["bench", "--db", db, "--households", "200", "--runs", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        let attrs = try FileManager.default.attributesOfItem(atPath: db)
        #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        // The count is taken before the probes (whose survey adds a household).
        let counted = try #require(r.stdout.firstRange(of: #/\((\d+) households/#).flatMap { Int(r.stdout[$0].dropFirst().prefix { $0.isNumber }) })
        #expect(counted >= 200)
        #expect(r.stdout.contains("this database has \(counted))"), "\(r.stdout)")

        let limits: [(String, Double, Int)] = [
            ("keystroke p99 < 16 ms", 16, 3), ("first screen < 300 ms", 300, 1), ("a sort or a new filter < 50 ms", 50, 1),
            ("spot-check draw < 1 s", 1000, 1), ("peak RSS < 40 MB", 40, 1),
        ]
        for (label, limit, count) in limits {
            let t = try #require(target(r.stdout, label), "no row \(label) in \(r.stdout)")
            // "(80x24, 200x60, case)" in the label column is cut off before the figures.
            #expect(t.figures.count == count, "\(label): \(t.figures)")
            #expect(t.met == t.figures.allSatisfy { $0 < limit }, "\(label): \(t)")
        }
        for label in ["filter query in the app / sqlite3", "whole keystroke / sqlite3 paced alike"] {
            let t = try #require(target(r.stdout, label), "no row \(label) in \(r.stdout)")
            #expect(t.figures.count == 2, "\(label): \(t.figures)")
            #expect(t.met == t.figures.allSatisfy { $0 <= 2 }, "\(label): \(t)")
        }
        // The shell fed back to back is shown beside it, and not judged.
        let unpaced = r.stdout.split(separator: "\n").first { $0.hasPrefix("  (the same, the shell never idle)") }
        #expect(unpaced?.hasSuffix("not judged") == true, "\(r.stdout)")
        // The paced shell timed every keystroke of both browsers.
        #expect(r.stdout.split(separator: "\n").filter { $0.hasPrefix("  paced         sqlite3 median") && $0.contains("(n=50)") }.count == 2,
                "\(r.stdout)")

        // A second run reuses the database and answers in JSON.
        let j = try Binary.run(["bench", "--db", db, "--households", "200", "--runs", "1", "--json"])
        #expect(j.status == 0, "\(j.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: j.stdoutData) as? [String: Any])
        #expect((json["householdCount"] as? Int ?? 0) >= counted)
        #expect((json["keystrokes"] as? [String: Any])?["count"] as? Int == 50)
        #expect((json["pacedRatio"] as? [Double])?.count == 2)
        #expect((json["casePacedRatio"] as? [Double])?.count == 2)
    }
}
