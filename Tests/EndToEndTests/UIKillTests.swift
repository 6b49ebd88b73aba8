import Foundation
import Testing

/// kill -9 of the full-screen app at random moments while the survey form saves (each field
/// left writes the draft: a transaction and an fsync), through the real binary in tmux; then
/// `jiuzhu verify` and `integrity_check`, and the draft either has what was typed or does not,
/// whole. The counts go to docs/reliability.md.
@Suite(.serialized, .enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux)")) struct UIKillTests {
    /// The app's process: the one running the binary on this test's own database file (its pid,
    /// read from /proc; the kill is by that id, never by a name).
    static func appPid(db: String) -> pid_t? {
        let procs = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for p in procs {
            guard let pid = Int32(p), let data = FileManager.default.contents(atPath: "/proc/\(p)/cmdline") else { continue }
            let args = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if args.first == Binary.path && args.contains(db) { return pid }
        }
        return nil
    }

    @Test func killDashNineDuringASurveySaveLosesNothing() throws {
        let db = try SurveyTests.demoCopy("uikill.sqlite")
        defer { try? FileManager.default.removeItem(at: URL(fileURLWithPath: db).deletingLastPathComponent()) }
        var t = ReliabilityTests.Tally(name: "UI save")
        var inDraft = 0
        for (i, ms) in ReliabilityTests.delays(8, 0...250, seed: 20).enumerated() {
            let tmux = try Tmux(width: 80, height: 24)
            if try SurveyTests.startAndLogIn(tmux, db: db).contains("家庭户籍") { try tmux.type("2") }
            try tmux.waitFor("新建申请")
            try tmux.key("Enter")                                   // a new application
            try tmux.waitFor("第1/6页")
            try SurveyTests.pick(tmux, "ncdb")                      // 农村低保
            try tmux.key("Tab"); try tmux.key("Tab")                // → 申请理由
            let marker = "杀进程\(i)号"
            // Leaving the field saves the draft; the kill comes `ms` later, in or after the save.
            try Tmux.tmux(["send-keys", "-t", tmux.name, "-l", "--", marker])
            Thread.sleep(forTimeInterval: 0.2)
            let pid = try #require(Self.appPid(db: db), "no app process on \(db)")
            try Tmux.tmux(["send-keys", "-t", tmux.name, "Tab"])
            Thread.sleep(forTimeInterval: Double(ms) / 1000)
            kill(pid, SIGKILL)
            try tmux.waitFor("EXIT42")
            t.tried += 1
            // The database verifies; the draft holding the marker is whole JSON, or absent.
            let sound = ReliabilityTests.sound(db)
            let data = Binary.sqlite(db, "SELECT data FROM draft WHERE data LIKE '%\(marker)%'") ?? ""
            let whole = data.isEmpty || (try? JSONSerialization.jsonObject(with: Data(data.utf8))) != nil
            if !data.isEmpty { inDraft += 1 }
            if sound && whole { t.survived += 1 } else { t.lost += 1; t.notes.append("\(ms) ms: sound \(sound), draft whole \(whole)") }
            // The next round starts clean: no drafts to be offered.
            _ = Binary.sqlite(db, "SELECT 1")
        }
        t.notes.append("the typed field was in the draft after \(inDraft) of \(t.tried) kills")
        print(t)
        #expect(t.lost == 0, "\(t)")
        #expect(t.tried == 8)
    }
}
