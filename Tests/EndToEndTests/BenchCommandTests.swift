import Foundation
import Testing

/// `jiuzhu bench` on a small township: it builds the database, logs each role in through the
/// real login screen in a child process of its own, compares with the sqlite3 shell, works on a
/// copy (the measured file is unchanged), and ends with the targets, each judged by its figure.
@Suite(.serialized) struct BenchCommandTests {
    /// A target row: the medians of its figure column (before "(worst"), the worsts, the verdict.
    func target(_ text: String, _ label: String) -> (medians: [Double], worsts: [Double], met: Bool)? {
        guard let line = text.split(separator: "\n").map(String.init).first(where: { $0.hasPrefix("  " + label) }) else { return nil }
        let verdict = line.hasSuffix("NOT MET") ? false : line.hasSuffix(" met") ? true : nil
        guard let met = verdict else { return nil }
        let figure = String(line.dropFirst(56).dropLast(met ? 3 : 7))
        guard let w = figure.range(of: "(worst") else { return nil }
        func numbers(_ s: Substring) -> [Double] { s.split(whereSeparator: { !"0123456789.".contains($0) }).compactMap { Double($0) } }
        return (numbers(figure[..<w.lowerBound]), numbers(figure[w.upperBound...]), met)
    }

    func sha256(_ path: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sha256sum", path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: Binary.readAll(out.fileHandleForReading), as: UTF8.self)
        p.waitUntilExit()
        return String(try #require(text.split(separator: " ").first))
    }

    @Test func benchLogsEachRoleInWorksOnACopyAndJudgesEachTargetByItsFigure() throws {
        let dir = Binary.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("bench.sqlite").path
        let r = try Binary.run(["demo", "--db", db, "--households", "200"])
        #expect(r.status == 0, "\(r.stderr)")
        let before = try sha256(db)

        let b = try Binary.run(["bench", "--db", db, "--households", "200", "--runs", "2", "--keys", "60"])
        #expect(b.status == 0, "\(b.stderr)")
        // The measured file is as it was: the logins, drafts and the form's case went into a copy,
        // which is gone.
        #expect(try sha256(db) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".bench-copy") }.isEmpty)
        // 200 households, 201 when the demo's recorded changes include a 分户.
        #expect(b.stdout.contains("(200 households") || b.stdout.contains("(201 households"), "\(b.stdout)")

        // Each role logged in through the login screen in its own process: its own section, with
        // its load average before each of the two runs and its peak RSS.
        for role in ["clerk", "reviewer", "approver", "supervisor"] {
            let head = try #require(b.stdout.split(separator: "\n").first { $0.hasPrefix("[\(role)]  load ") }, "\(b.stdout)")
            #expect(head.split(separator: ";").count == 2, "\(head)")
        }
        #expect(b.stdout.contains("open the form"))
        #expect(b.stdout.contains("export cases"))
        // 60 asked, whole rounds of 52 typed: 102 keystrokes a browser, a run.
        #expect(b.stdout.contains("(n=102 a run)"), "\(b.stdout)")

        let limits: [(String, Double, Int)] = [
            ("keystroke p99 < 16 ms", 16, 6), ("first screen < 300 ms", 300, 4), ("a sort or a new filter < 50 ms", 50, 1),
            ("spot-check draw < 1 s", 1000, 1), ("peak RSS < 40 MB", 40, 4), ("count (+ sum) arrives < 100 ms", 100, 5),
        ]
        for (label, limit, count) in limits {
            let t = try #require(target(b.stdout, label), "no row \(label) in \(b.stdout)")
            #expect(t.medians.count == count && t.worsts.count == count, "\(label): \(t)")
            #expect(zip(t.medians, t.worsts).allSatisfy { $0 <= $1 }, "\(label): \(t)")
            #expect(t.met == t.medians.allSatisfy { $0 < limit }, "\(label): \(t)")
        }
        for (label, limit) in [("filter query in the app / sqlite3", 2.0), ("whole keystroke / sqlite3 paced alike", 2.0),
                               ("export cases / sqlite3 <= 3x", 3.0)] {
            let t = try #require(target(b.stdout, label), "no row \(label) in \(b.stdout)")
            #expect(t.met == t.medians.allSatisfy { $0 <= limit }, "\(label): \(t)")
        }
        // The shell fed back to back is shown beside it, and not judged.
        let unpaced = b.stdout.split(separator: "\n").first { $0.hasPrefix("  (the same, the shell never idle)") }
        #expect(unpaced?.hasSuffix("not judged") == true, "\(b.stdout)")

        // JSON: each role's every run.
        let j = try Binary.run(["bench", "--db", db, "--runs", "1", "--keys", "10", "--roles", "clerk", "--json"])
        #expect(j.status == 0, "\(j.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: j.stdoutData) as? [String: Any])
        let roles = try #require(json["roles"] as? [[String: Any]])
        #expect(roles.map { $0["role"] as? String } == ["clerk"])
        #expect(((roles.first?["peakRSSMB"] as? [String: Any])?["runs"] as? [Double])?.count == 1)
        #expect(try sha256(db) == before)
    }
}
