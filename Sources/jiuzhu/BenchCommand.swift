import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore
import TermUI

/// `jiuzhu bench`: builds (or reuses) a demo database of N households and measures what a user
/// feels. The app's own figures come from a child process (`--probe`), so its peak RSS is the
/// app's and not the benchmark's; the bare-SQLite figures come from the `sqlite3` shell.
struct BenchCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "bench",
            abstract: L("性能测量:首屏时间、逐键过滤延迟、与 sqlite3 直接查询之比、峰值内存", "measure: first screen, per-keystroke filter latency, ratio to the bare sqlite3 query, peak RSS"),
            discussion: L("数据库默认为数据目录下的 bench-N.sqlite,不存在时先生成。", "The database defaults to bench-N.sqlite in the data folder, generated first if missing."))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .long, help: ArgumentHelp(L("户数", "households")))
    var households: Int = 100_000
    @Option(name: .long, help: ArgumentHelp(L("随机种子", "seed")))
    var seed: UInt64 = 1
    @Flag(name: .long, help: ArgumentHelp(L("输出 JSON", "print JSON")))
    var json = false
    @Option(name: .long, help: ArgumentHelp(L("每项重复次数", "runs of each measurement")))
    var runs: Int = 3
    @Flag(name: .long, help: .hidden)
    var probe = false

    var path: String {
        if let p = common.db { return p }
        let base = (common.databasePath() as NSString).deletingLastPathComponent
        return (base as NSString).appendingPathComponent("bench-\(households).sqlite")
    }

    mutating func run() throws {
        if probe { try Probe.run(path: path); return }
        let lang = common.language
        var report = BenchReport(households: households, database: path)
        report.machine = Self.machine()
        if !FileManager.default.fileExists(atPath: path) {
            let t = try Self.timeChild(["demo", "--db", path, "--households", String(households), "--seed", String(seed)])
            report.demoSeconds = t.seconds
        }
        report.databaseMB = Double((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1_048_576
        let store = try guarded(lang) { try Store(path: path, mode: .mustExist) }
        let counts = try guarded(lang) { try store.read { db in (try Store.householdCount(db, text: ""), try Store.personCount(db)) } }
        report.householdCount = counts.0
        report.personCount = counts.1

        // The app itself, in a fresh process each run.
        var probes: [Probe.Result] = []
        for _ in 0..<max(1, runs) {
            let out = try Self.timeChild(["bench", "--probe", "--db", path])
            if let r = try? JSONDecoder().decode(Probe.Result.self, from: Data(out.stdout.utf8)) { probes.append(r) }
            else { throw fail("probe failed: \(out.stdout) \(out.stderr)") }
        }
        let best = probes.min { $0.keystrokes.p99Ms < $1.keystrokes.p99Ms }!
        report.firstScreenMs = probes.map(\.firstScreenMs).sorted()[probes.count / 2]
        report.startToFirstScreenMs = probes.map(\.startToFirstScreenMs).sorted()[probes.count / 2]
        report.keystrokes = best.keystrokes
        // The figures above are the run with the best 80×24 p99; every run's p99 too, so a
        // slow run shows.
        report.p99ByRun = [probes.map(\.keystrokes.p99Ms), probes.map(\.keystrokesLarge.p99Ms), probes.compactMap { $0.caseKeystrokes?.p99Ms }]
        report.keystrokesLarge = best.keystrokesLarge
        report.countArrives = best.count
        report.sortMs = best.sortMs
        report.peakRSSMB = probes.map(\.peakRSSMB).max() ?? 0
        report.caseKeystrokes = best.caseKeystrokes
        report.caseSortMs = best.caseSortMs
        report.caseSummary = best.caseSummary
        report.caseSorts = best.caseSorts
        report.caseFilters = best.caseFilters
        report.caseSlowestFilter = best.caseSlowestFilter
        report.caseFilterSorts = best.caseFilterSorts
        report.caseOpen = best.caseOpen
        report.rssStagesMB = best.rssStagesMB
        report.appQuery = best.query
        report.frame = best.frame
        report.caseAppQuery = best.caseQuery
        report.caseFrame = best.caseFrame

        // The same statements in the sqlite3 shell, for each browser.
        let h = try Self.shellComparison(path, texts: best.texts, statements: best.statements, counts: best.countStatements ?? [:],
                                         keystrokes: report.keystrokes, appQuery: report.appQuery, pauses: best.countWaits)
        report.sqliteShell = h.repeated
        report.ratioMedian = h.ratio[0]; report.ratioP99 = h.ratio[1]
        report.sqliteInOrder = h.inOrder; report.inOrderRatio = h.inOrderRatio
        report.queryRatioMedian = h.queryRatio
        report.sqlitePaced = h.paced; report.pacedRatio = h.pacedRatio
        if let caseStatements = best.caseStatements, let caseTexts = best.caseTexts, let k = best.caseKeystrokes {
            let c = try Self.shellComparison(path, texts: caseTexts, statements: caseStatements, counts: best.caseCountStatements ?? [:],
                                             keystrokes: k, appQuery: report.caseAppQuery, pauses: best.caseSummaryWaits)
            report.caseSqliteShell = c.repeated
            report.caseRatioMedian = c.ratio[0]; report.caseRatioP99 = c.ratio[1]
            report.caseSqliteInOrder = c.inOrder; report.caseInOrderRatio = c.inOrderRatio
            report.caseQueryRatioMedian = c.queryRatio
            report.caseSqlitePaced = c.paced; report.casePacedRatio = c.pacedRatio
        }

        // Export against the same query in the shell.
        let csv = NSTemporaryDirectory() + "jiuzhu-bench-\(getpid()).csv"
        report.exportSeconds = try (0..<max(1, runs)).map { _ in try Self.timeChild(["export", "households", "--db", path, "-o", csv]).seconds }.min()
        try? FileManager.default.removeItem(atPath: csv)
        report.exportSQLiteSeconds = try Self.sqliteTime(path, ["""
            SELECT h.head_name, h.head_id, r.name AS village, h.member_count, h.programmes, h.address
            FROM household h JOIN region r ON r.code = h.village_code ORDER BY h.village_code, h.head_py, h.id;
            """], runs: 3) / 1000

        // The survey form at its design bound: 30 members, 90 income rows (writes a draft and a
        // case into this benchmark database).
        if let dir = AppEnvironment.screensDirectory() {
            let env = try AppEnvironment.load(store: store, screens: try ScreenData.load(from: dir), lang: .zh, demo: false)
            report.review = try Benchmark.review(store: store, env: env)
            // A spot-check draw at the county's 50% (a dry run: nothing written).
            var sampled = 0
            let draws = try (0..<3).map { _ in
                try Benchmark.time(runs: 1) {
                    sampled = try store.drawSpotCheck(programme: .ruralDibao, period: String(env.today.year), percent: 50, seed: 7,
                                                      by: "bench", dryRun: true).lines.count
                }
            }
            report.spotCheckDrawMs = draws.min()
            report.spotCheckSampled = sampled
            report.form = try Benchmark.bigForm(store: store, env: env)
        }

        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try enc.encode(report), as: UTF8.self))
        } else {
            print(report.text)
        }
    }

    static func machine() -> String {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.split(separator: "\n")
            .first { $0.hasPrefix("model name") }?.split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "?"
        return "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpu), \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB"
    }

    struct ChildRun { var seconds: Double; var stdout: String; var stderr: String }

    /// Run this binary with `args` and time it.
    static func timeChild(_ args: [String]) throws -> ChildRun {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        if !FileManager.default.isExecutableFile(atPath: p.executableURL!.path) {
            p.executableURL = Bundle.main.executableURL
        }
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        let t0 = DispatchTime.now().uptimeNanoseconds
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let secs = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        if p.terminationStatus != 0 { throw fail("jiuzhu \(args.joined(separator: " ")) failed: \(String(decoding: e, as: UTF8.self))") }
        return ChildRun(seconds: secs, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// Milliseconds the sqlite3 shell reports for `statements` (the best of `runs`, summed; with
    /// `repeats`, each run runs them that many times and the sum is divided by it).
    struct ShellComparison {
        /// Each text's statements twenty times over (best of 5), per keystroke; the keystroke's
        /// median and p99 over them.
        var repeated: Benchmark.Stats
        var ratio: [Double]
        /// In typing order, each followed by its count; the keystroke's median and p99 over them.
        var inOrder: Benchmark.Stats
        var inOrderRatio: [Double]?
        /// The app's page query alone over the repeated shell figure, at the median.
        var queryRatio: Double?
        /// In typing order and at the app's pace: after each keystroke's count the shell waits
        /// as long as the app's drawing thread waited for it, so both meet the next key alike.
        var paced: Benchmark.Stats?
        var pacedRatio: [Double]?
    }

    static func shellComparison(_ path: String, texts: [String], statements: [String: [String]], counts: [String: [String]],
                                keystrokes k: Benchmark.Stats, appQuery: Benchmark.Stats?, pauses: [Double]?) throws -> ShellComparison {
        func over(_ a: Double, _ b: Double) -> Double { b > 0 ? a / b : 0 }
        var ms: [String: Double] = [:]
        // Twenty times over: the shell's timer counts whole milliseconds.
        for (text, sql) in statements { ms[text] = try sqliteTime(path, sql, runs: 5, repeats: 20) }
        let repeated = Benchmark.Stats(texts.map { ms[$0] ?? 0 })
        let inOrder = Benchmark.Stats(try sqliteSequence(path, texts.map { (statements[$0] ?? [], counts[$0] ?? []) }, runs: 3))
        var paced: Benchmark.Stats?
        if let pauses, pauses.count == texts.count {
            paced = Benchmark.Stats(try sqlitePaced(path, texts.map { (statements[$0] ?? [], counts[$0] ?? []) }, pauses: pauses, runs: 3))
        }
        return ShellComparison(repeated: repeated, ratio: [over(k.medianMs, repeated.medianMs), over(k.p99Ms, repeated.p99Ms)],
                               inOrder: inOrder,
                               inOrderRatio: inOrder.medianMs > 0 ? [over(k.medianMs, inOrder.medianMs), over(k.p99Ms, inOrder.p99Ms)] : nil,
                               queryRatio: appQuery.map { over($0.medianMs, repeated.medianMs) },
                               paced: paced,
                               pacedRatio: paced.flatMap { $0.medianMs > 0 ? [over(k.medianMs, $0.medianMs), over(k.p99Ms, $0.p99Ms)] : nil })
    }

    /// Each keystroke's statements once, in the order typed, each followed by its count as in
    /// the app (untimed), so the shell's caches are in the state the app's are, not warmed by
    /// repeats; `runs` times through, the run with the least total kept. The shell's wall
    /// clock counts whole milliseconds, so each statement's time is its CPU time (user +
    /// system, microseconds): both processes read the file from the OS cache, so that is its cost.
    static func sqliteSequence(_ db: String, _ perKey: [(page: [String], after: [String])], runs: Int) throws -> [Double] {
        var script = ".timer on\n.output /dev/null\n"
        let flat = perKey.flatMap { $0.page + $0.after }
        for _ in 0..<runs { for s in flat { script += s.hasSuffix(";") ? s + "\n" : s + ";\n" } }
        let text = try sqliteOutput(db, script)
        let cpu = cpuTimes(Substring(text))
        guard cpu.count == flat.count * runs else { throw fail("sqlite3 did not time every statement:\n\(text.prefix(500))") }
        var best: [Double] = []
        for r in 0..<runs {
            let times = Array(cpu[(r * flat.count)..<((r + 1) * flat.count)])
            if best.isEmpty || times.reduce(0, +) < best.reduce(0, +) { best = times }
        }
        var out: [Double] = [], i = 0
        for k in perKey { out.append(best[i..<(i + k.page.count)].reduce(0, +)); i += k.page.count + k.after.count }
        return out
    }

    /// The CPU milliseconds of each "Run Time:" line in `text` (user + system; see above).
    static func cpuTimes(_ text: Substring) -> [Double] {
        text.split(separator: "\n").compactMap { line -> Double? in
            guard line.hasPrefix("Run Time: real ") else { return nil }
            let f = line.split(separator: " ")
            guard let u = f.firstIndex(of: "user"), let sy = f.firstIndex(of: "sys"), u + 1 < f.count, sy + 1 < f.count,
                  let user = Double(f[u + 1]), let sys = Double(f[sy + 1]) else { return nil }
            return (user + sys) * 1000
        }
    }

    /// As `sqliteSequence`, but fed to the shell one keystroke at a time: after a keystroke's
    /// page and count statements have run, the shell is left idle for that keystroke's pause
    /// (what the app's drawing thread waited for the count) before the next keystroke's
    /// statements arrive. Both then start each keystroke's page after the same idle time; the
    /// shell fed back to back never idles, and an idle CPU on this machine costs the next
    /// statement 1.5-2x its time (see docs/benchmarks.md, stop 15).
    static func sqlitePaced(_ db: String, _ perKey: [(page: [String], after: [String])], pauses: [Double], runs: Int) throws -> [Double] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // Line-buffered, so each timing line arrives as its statement ends (stdout is a pipe).
        p.arguments = ["stdbuf", "-oL", "sqlite3", "-readonly", db]
        let inp = Pipe(), out = Pipe()
        p.standardInput = inp; p.standardOutput = out; p.standardError = out
        try p.run()
        defer { try? inp.fileHandleForWriting.close(); p.waitUntilExit() }
        var buffer = Data()
        /// Read until `n` more timing lines have arrived; their CPU times.
        func awaitTimes(_ n: Int) throws -> [Double] {
            var got: [Double] = []
            while got.count < n {
                guard let nl = buffer.firstIndex(of: 0x0A) else {
                    let chunk = out.fileHandleForReading.availableData
                    if chunk.isEmpty { throw fail("sqlite3 stopped before timing every statement") }
                    buffer.append(chunk)
                    continue
                }
                let line = String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...nl)
                if line.hasPrefix("Run Time: real ") { got += cpuTimes(Substring(line)) }
                else if line.hasPrefix("Parse error") || line.hasPrefix("Error") || line.hasPrefix("Runtime error") {
                    throw fail("sqlite3: \(line)")
                }
            }
            return got
        }
        inp.fileHandleForWriting.write(Data(".timer on\n.output /dev/null\n".utf8))
        var best: [Double] = [], bestTotal = Double.infinity
        for _ in 0..<max(1, runs) {
            var perRun: [Double] = []
            for (k, key) in perKey.enumerated() {
                let script = (key.page + key.after).map { $0.hasSuffix(";") ? $0 + "\n" : $0 + ";\n" }.joined()
                inp.fileHandleForWriting.write(Data(script.utf8))
                let times = try awaitTimes(key.page.count + key.after.count)
                perRun.append(times.prefix(key.page.count).reduce(0, +))
                usleep(UInt32(max(0, min(pauses[k], 2000)) * 1000))
            }
            let total = perRun.reduce(0, +)
            if total < bestTotal { best = perRun; bestTotal = total }
        }
        return best
    }

    static func sqliteOutput(_ db: String, _ script: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sqlite3", "-readonly", db]
        let inp = Pipe(), out = Pipe()
        p.standardInput = inp; p.standardOutput = out; p.standardError = out
        try p.run()
        inp.fileHandleForWriting.write(Data(script.utf8))
        try inp.fileHandleForWriting.close()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return text
    }

    static func sqliteTime(_ db: String, _ statements: [String], runs: Int, repeats: Int = 1) throws -> Double {
        var script = ".timer on\n.output /dev/null\n"
        let statements = Array(repeatElement(statements, count: repeats).joined())
        for _ in 0..<runs { for s in statements { script += s.hasSuffix(";") ? s + "\n" : s + ";\n" } }
        let text = try sqliteOutput(db, script)
        let reals = text.split(separator: "\n").compactMap { line -> Double? in
            guard line.hasPrefix("Run Time: real ") else { return nil }
            return Double(line.dropFirst("Run Time: real ".count).split(separator: " ").first ?? "")
        }
        guard reals.count == statements.count * runs else { throw fail("sqlite3 did not time every statement:\n\(text.prefix(500))") }
        var best = Double.infinity
        for r in 0..<runs {
            best = min(best, reals[(r * statements.count)..<((r + 1) * statements.count)].reduce(0, +) * 1000 / Double(repeats))
        }
        return best
    }
}

/// What one fresh app process measures of itself.
enum Probe {
    struct Result: Codable {
        var startToFirstScreenMs: Double
        var firstScreenMs: Double
        var keystrokes: Benchmark.Stats
        var keystrokesLarge: Benchmark.Stats
        var count: Benchmark.Stats
        var sortMs: Double
        var peakRSSMB: Double
        /// Peak RSS when the first screen is drawn, after the 80×24 keystrokes, after the 200×60
        /// ones, after sorting, and after the case browser.
        var rssStagesMB: [Double]?
        /// The case browser: keystrokes at 80×24, the worst sort, the count and sum's arrival.
        var caseKeystrokes: Benchmark.Stats?
        var caseSortMs: Double?
        var caseSummary: Benchmark.Stats?
        var caseSorts: Benchmark.Stats?
        var caseFilters: Benchmark.Stats?
        var caseSlowestFilter: String?
        var caseFilterSorts: Benchmark.Stats?
        var caseOpen: Benchmark.Stats?
        var caseTexts: [String]?
        var caseStatements: [String: [String]]?
        var texts: [String]
        var statements: [String: [String]]
        var query: Benchmark.Stats?
        var frame: Benchmark.Stats?
        var caseQuery: Benchmark.Stats?
        var caseFrame: Benchmark.Stats?
        var countStatements: [String: [String]]?
        var caseCountStatements: [String: [String]]?
        var countWaits: [Double]?
        var caseSummaryWaits: [Double]?
    }

    /// Milliseconds since this process started (from /proc, 10 ms resolution).
    static func sinceProcessStart() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 20, let ticks = Double(fields[19]),
              let up = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8).split(separator: " ").first,
              let uptime = Double(up) else { return 0 }
        return (uptime - ticks / Double(sysconf(Int32(_SC_CLK_TCK)))) * 1000
    }

    static func maxRSS() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    static func run(path: String) throws {
        useOneMallocArena()
        let t0 = DispatchTime.now().uptimeNanoseconds
        let store = try Store(path: path, mode: .mustExist)
        guard let dir = AppEnvironment.screensDirectory() else { throw fail("no screens/") }
        let env = try AppEnvironment.load(store: store, screens: try ScreenData.load(from: dir), lang: .zh, demo: false)
        let backend = TestBackend(width: 80, height: 24)
        let runner = AppRunner(backend: backend, store: store, env: env)
        runner.runUntilIdle()   // draws the first screen
        let first = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
        let sinceStart = sinceProcessStart()
        var stages = [maxRSS()]
        let k = try Benchmark.householdKeystrokes(store: store, env: env)
        stages.append(maxRSS())
        let large = try Benchmark.householdKeystrokes(store: store, env: env, width: 200, height: 60)
        stages.append(maxRSS())
        // Sorting: F5 (next sort column) on the whole list, five times round.
        let sortRunner = AppRunner(backend: TestBackend(width: 80, height: 24), store: store, env: env)
        sortRunner.dispatch(.loggedIn(Benchmark.benchUser))
        sortRunner.dispatch(.key(.char("1")))
        sortRunner.settle()
        var sorts: [Double] = []
        for _ in 0..<8 {
            let s0 = DispatchTime.now().uptimeNanoseconds
            sortRunner.dispatch(.key(.function(5)))
            sorts.append(Double(DispatchTime.now().uptimeNanoseconds - s0) / 1e6)
        }
        stages.append(maxRSS())
        let cases = try Benchmark.caseBrowser(store: store, env: env)
        stages.append(maxRSS())
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let r = Result(startToFirstScreenMs: sinceStart, firstScreenMs: first, keystrokes: k.perKey, keystrokesLarge: large.perKey,
                       count: k.count, sortMs: sorts.max() ?? 0, peakRSSMB: Double(usage.ru_maxrss) / 1024, rssStagesMB: stages,
                       caseKeystrokes: cases.perKey, caseSortMs: cases.sorts.worstMs, caseSummary: cases.summary,
                       caseSorts: cases.sorts, caseFilters: cases.filters, caseSlowestFilter: cases.slowestFilter, caseFilterSorts: cases.filterSorts, caseOpen: cases.openCase,
                       caseTexts: cases.texts, caseStatements: cases.statements,
                       texts: k.texts, statements: k.statements,
                       query: k.query, frame: k.frame, caseQuery: cases.query, caseFrame: cases.frame,
                       countStatements: k.countStatements, caseCountStatements: cases.countStatements,
                       countWaits: k.countWaits, caseSummaryWaits: cases.summaryWaits)
        print(String(decoding: try JSONEncoder().encode(r), as: UTF8.self))
    }
}

struct BenchReport: Codable {
    var households: Int
    var database: String
    var machine = ""
    var demoSeconds: Double?
    var databaseMB = 0.0
    var householdCount = 0
    var personCount = 0
    var startToFirstScreenMs = 0.0
    var firstScreenMs = 0.0
    var keystrokes = Benchmark.Stats([])
    var keystrokesLarge = Benchmark.Stats([])
    var countArrives = Benchmark.Stats([])
    var sqliteShell = Benchmark.Stats([])
    var ratioMedian = 0.0
    var ratioP99 = 0.0
    var sortMs = 0.0
    var peakRSSMB = 0.0
    var exportSeconds: Double?
    var exportSQLiteSeconds: Double?
    var form: Benchmark.FormResult?
    var review: Benchmark.ReviewResult?
    var spotCheckDrawMs: Double?
    var spotCheckSampled: Int?
    var caseKeystrokes: Benchmark.Stats?
    var caseSortMs: Double?
    var caseSummary: Benchmark.Stats?
    var caseSorts: Benchmark.Stats?
    var caseFilters: Benchmark.Stats?
    var caseSlowestFilter: String?
    var caseFilterSorts: Benchmark.Stats?
    var caseOpen: Benchmark.Stats?
    var caseSqliteShell: Benchmark.Stats?
    var caseRatioMedian: Double?
    var caseRatioP99: Double?
    var rssStagesMB: [Double]?
    /// Keystroke p99 of every run: household 80×24, household 200×60, case browser 80×24.
    var p99ByRun: [[Double]]?
    /// Each keystroke's page query alone in the app process, and one frame drawn; with the
    /// query's ratio to the shell.
    var appQuery: Benchmark.Stats?
    var frame: Benchmark.Stats?
    var queryRatioMedian: Double?
    var caseAppQuery: Benchmark.Stats?
    var caseFrame: Benchmark.Stats?
    var caseQueryRatioMedian: Double?
    /// The keystrokes' statements replayed once each in the order typed (CPU time per
    /// keystroke), and the app's keystroke median and p99 over them.
    var sqliteInOrder: Benchmark.Stats?
    var inOrderRatio: [Double]?
    var caseSqliteInOrder: Benchmark.Stats?
    var caseInOrderRatio: [Double]?
    /// The same in typing order, the shell idle after each keystroke as long as the app was.
    var sqlitePaced: Benchmark.Stats?
    var pacedRatio: [Double]?
    var caseSqlitePaced: Benchmark.Stats?
    var casePacedRatio: [Double]?

    /// `x` with `d` decimals.
    private func f(_ x: Double, _ d: Int = 2) -> String { String(format: "%.\(d)f", x) }

    var text: String {
        func st(_ s: Benchmark.Stats) -> String { "median \(f(s.medianMs)) ms, p99 \(f(s.p99Ms)) ms, worst \(f(s.worstMs)) ms (n=\(s.count))" }
        var lines = [
            "database        \(database) (\(householdCount) households, \(personCount) persons, \(f(databaseMB, 1)) MB)",
            "machine         \(machine)",
        ]
        if let d = demoSeconds { lines.append("demo generation \(f(d, 1)) s") }
        lines += [
            "first screen    \(f(firstScreenMs, 1)) ms in-process (open, load screens, draw); \(f(startToFirstScreenMs, 0)) ms from process start",
            "keystroke 80x24 \(st(keystrokes))",
            "keystroke 200x60 \(st(keystrokesLarge))",
        ]
        if let r = p99ByRun, r.count == 3 {
            let j = { (x: [Double]) in x.map { f($0) }.joined(separator: " / ") }
            lines.append("  p99 each run  80x24 \(j(r[0])) ms; 200x60 \(j(r[1])) ms; case browser \(j(r[2])) ms")
        }
        lines += [
            "sqlite3 shell   \(st(sqliteShell)) for the same statements, each run 20 times over (warm)",
            "ratio           median \(f(ratioMedian)), p99 \(f(ratioP99)) (app keystroke / the warm shell)",
        ]
        if let q = appQuery, let fr = frame {
            lines.append("  in the app    query alone \(st(q)); ratio median \(f(queryRatioMedian ?? 0)) to the shell; one frame drawn median \(f(fr.medianMs)) ms")
        }
        if let o = sqliteInOrder, let r = inOrderRatio, r.count == 2 {
            lines.append("  in order      sqlite3 \(st(o)) (each keystroke's statements once, as typed, then its count); ratio median \(f(r[0])), p99 \(f(r[1]))")
        }
        if let o = sqlitePaced, let r = pacedRatio, r.count == 2 {
            lines.append("  paced         sqlite3 \(st(o)) (the same, idle after each count as long as the app); ratio median \(f(r[0])), p99 \(f(r[1]))")
        }
        lines += [
            "count arrives   \(st(countArrives)) after the keystroke, off the keystroke path",
            "sort (F5)       worst \(f(sortMs)) ms",
            "peak RSS        \(f(peakRSSMB, 1)) MB (the app process)" + (rssStagesMB.map { "; by stage " + $0.map { f($0, 1) }.joined(separator: " / ") } ?? ""),
        ]
        if let e = exportSeconds, let s = exportSQLiteSeconds {
            lines.append("export CSV      \(f(e, 2)) s; the same query in sqlite3 \(f(s, 2)) s; ratio \(f(e / max(s, 0.0001), 1))")
        }
        if let d = spotCheckDrawMs {
            lines.append("spot-check draw rural dibao at 50%: \(spotCheckSampled ?? 0) cases in \(f(d)) ms (dry run)")
        }
        if let k = caseKeystrokes {
            lines.append("case browser    keystroke 80x24 \(st(k)); worst sort \(f(caseSortMs ?? 0)) ms")
            if let c = caseSqliteShell {
                lines.append("  sqlite3 shell \(st(c)) for the same statements (warm); ratio median \(f(caseRatioMedian ?? 0)), p99 \(f(caseRatioP99 ?? 0))")
            }
            if let q = caseAppQuery, let fr = caseFrame {
                lines.append("  in the app    query alone \(st(q)); ratio median \(f(caseQueryRatioMedian ?? 0)) to the shell; one frame drawn median \(f(fr.medianMs)) ms")
            }
            if let o = caseSqliteInOrder, let r = caseInOrderRatio, r.count == 2 {
                lines.append("  in order      sqlite3 \(st(o)) (each keystroke's statements once, as typed, then its count); ratio median \(f(r[0])), p99 \(f(r[1]))")
            }
            if let o = caseSqlitePaced, let r = casePacedRatio, r.count == 2 {
                lines.append("  paced         sqlite3 \(st(o)) (the same, idle after each count as long as the app); ratio median \(f(r[0])), p99 \(f(r[1]))")
            }
            if let c = caseSummary { lines.append("  count + sum   \(st(c)) after the keystroke, off the keystroke path") }
            if let c = caseSorts { lines.append("  sort F5/F6    \(st(c)) (every column both ways, search text in force)") }
            if let c = caseFilters { lines.append("  new filter    \(st(c)) (F2 in the filter box to the first page drawn; slowest \(caseSlowestFilter ?? "?"))") }
            if let c = caseFilterSorts { lines.append("  sort filtered \(st(c)) (every column both ways under five filters)") }
            if let c = caseOpen { lines.append("  open a case   \(st(c)) (Enter to the timeline drawn)") }
        }
        if let r = review {
            lines.append("review queue    reviewer \(r.reviewerRows) cases in \(f(r.reviewerQueueMs)) ms; clerk \(r.clerkRows) cases in \(f(r.clerkQueueMs)) ms")
            lines.append("  open a case   \(st(r.openCase)) (rule table and benefit included); queue and case drawn \(f(r.drawMs)) ms")
        }
        if let fm = form {
            lines.append("survey form     \(fm.members) members, \(fm.incomeRows) income rows: open \(f(fm.openMs)) ms; submit \(f(fm.submitMs)) ms")
            lines.append("  keystroke     \(st(fm.keystroke))")
            lines.append("  leave field   \(st(fm.leave)) (checks, database checks, draft written)")
        }
        lines += targetLines
        return lines.joined(separator: "\n")
    }

    /// Issue 8's targets, each with the figure it is judged by in this run.
    var targetLines: [String] {
        func row(_ what: String, _ figure: String, _ met: Bool?) -> String {
            what.padding(toLength: 48, withPad: " ", startingAt: 0) + figure.padding(toLength: 30, withPad: " ", startingAt: 0)
                + (met.map { $0 ? "met" : "NOT MET" } ?? "not judged")
        }
        var out = ["targets (issue 8, set for 100,000 households; this database has \(householdCount))"]
        // The worst app process of the run for each, not the one the rest of the report shows.
        var p99s = [keystrokes.p99Ms, keystrokesLarge.p99Ms] + (caseKeystrokes.map { [$0.p99Ms] } ?? [])
        if let r = p99ByRun, r.count == p99s.count { p99s = zip(p99s, r).map { max($0, $1.max() ?? 0) } }
        out.append(row("  keystroke p99 < 16 ms (80x24, 200x60, case)", p99s.map { f($0) }.joined(separator: " / ") + " ms", p99s.allSatisfy { $0 < 16 }))
        out.append(row("  first screen < 300 ms", f(firstScreenMs, 1) + " ms", firstScreenMs < 300))
        let sorts = [sortMs, caseSorts?.worstMs, caseFilters?.worstMs, caseFilterSorts?.worstMs].compactMap { $0 }
        out.append(row("  a sort or a new filter < 50 ms (worst)", f(sorts.max() ?? 0, 1) + " ms", (sorts.max() ?? 0) < 50))
        if let d = spotCheckDrawMs { out.append(row("  spot-check draw < 1 s", f(d, 0) + " ms", d < 1000)) }
        out.append(row("  peak RSS < 40 MB", f(peakRSSMB, 1) + " MB", peakRSSMB < 40))
        let q = [queryRatioMedian, caseQueryRatioMedian].compactMap { $0 }
        if !q.isEmpty {
            out.append(row("  filter query in the app / sqlite3 (median)", q.map { f($0) + "x" }.joined(separator: " / "), q.allSatisfy { $0 <= 2 }))
        }
        let paced = [pacedRatio?.first, casePacedRatio?.first].compactMap { $0 }
        if !paced.isEmpty {
            out.append(row("  whole keystroke / sqlite3 paced alike", paced.map { f($0) + "x" }.joined(separator: " / "), paced.allSatisfy { $0 <= 2 }))
        }
        // Shown, not judged: the shell fed back to back never idles between keystrokes, the app
        // (and a person typing) always does.
        let k = [inOrderRatio?.first, caseInOrderRatio?.first].compactMap { $0 }
        if !k.isEmpty {
            out.append(row("  (the same, the shell never idle)", k.map { f($0) + "x" }.joined(separator: " / "), nil))
        }
        return out
    }
}
