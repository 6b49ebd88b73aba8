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
            abstract: t("cli.bench.measureFirstScreenPer"),
            discussion: t("cli.bench.theDatabaseDefaultsTo"))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .long, help: ArgumentHelp(t("cli.bench.households")))
    var households: Int = 100_000
    @Option(name: .long, help: ArgumentHelp(t("cli.bench.seed")))
    var seed: UInt64 = 1
    @Flag(name: .long, help: ArgumentHelp(t("cli.bench.printJson")))
    var json = false
    @Option(name: .customLong("json-out"), help: ArgumentHelp(t("cli.bench.jsonOut")))
    var jsonOut: String?
    @Option(name: .long, help: ArgumentHelp(t("cli.bench.runsOfEachMeasurement")))
    var runs: Int = 3
    @Flag(name: .long, help: .hidden)
    var probe = false

    var path: String {
        if let p = common.db { return p }
        let base = (common.databasePath() as NSString).deletingLastPathComponent
        return (base as NSString).appendingPathComponent("bench-\(households).sqlite")
    }

    @Option(name: .long, help: ArgumentHelp(t("cli.bench.keystrokesPerBrowserAt")))
    var keys: Int = 520
    @Option(name: .long, help: .hidden)
    var role: Role?
    @Option(name: .long, help: ArgumentHelp(t("cli.bench.onlyTheseRolesComma")))
    var roles: String?

    mutating func run() throws {
        if probe { try Probe.run(path: path, role: role ?? .supervisor, keyCount: keys); return }
        let lang = common.language
        var report = BenchReport(households: households, database: path)
        report.machine = Self.machine()
        if !FileManager.default.fileExists(atPath: path) {
            let t = try Self.timeChild(["demo", "--db", path, "--households", String(households), "--seed", String(seed)])
            report.demoSeconds = t.seconds
        }
        report.databaseMB = Double((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1_048_576
        // Everything below runs on a copy, removed at the end: the logins, the form's survey and
        // the drafts are written into the copy, and the measured file stays as it was.
        let copy = try Self.copyForBench(path)
        defer { for s in ["", "-wal", "-shm", "-journal", ".key", ".anchor"] { try? FileManager.default.removeItem(atPath: copy + s) } }
        let store = try guarded(lang) { try Store(path: copy, mode: .mustExist) }
        let counts = try guarded(lang) { try store.read { db in (try Store.householdCount(db, text: ""), try Store.personCount(db)) } }
        report.householdCount = counts.0
        report.personCount = counts.1

        // Each role's session in a fresh process each run, so each peak RSS is that session's.
        let wanted = roles.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
        let logins = Benchmark.demoLogins.filter { wanted?.contains($0.role.rawValue) ?? true }
        guard !logins.isEmpty else { throw fail("--roles: none of clerk, reviewer, approver, supervisor") }
        var probes: [Role: [Probe.Result]] = [:]
        for run in 0..<max(1, runs) {
            for (role, _) in logins {
                let load = Self.loadAverage()
                let out = try Self.timeChild(["bench", "--probe", "--role", role.rawValue, "--keys", String(keys), "--db", copy])
                guard var r = try? JSONDecoder().decode(Probe.Result.self, from: Data(out.stdout.utf8)) else {
                    throw fail("probe failed: \(out.stdout) \(out.stderr)")
                }
                r.loadAverage = load
                r.run = run + 1
                probes[role, default: []].append(r)
            }
        }
        report.roles = logins.compactMap { probes[$0.role].map { RoleFigures($0) } }

        // The same statements in the sqlite3 shell, for each browser, from the supervisor's
        // first session (every run types the same texts); the ratios per run, wall against wall.
        if let sup = probes[.supervisor], let first = sup.first {
            let h = try Self.shellComparison(copy, texts: first.texts, statements: first.statements, counts: first.countStatements ?? [:],
                                             pauses: first.countWaits)
            report.sqliteShell = h.repeated
            report.sqliteInOrder = h.inOrder
            report.sqlitePaced = h.paced
            report.queryRatio = Spread(sup.compactMap { $0.query.map { over($0.medianMs, h.repeated.medianMs) } })
            report.inOrderRatio = Spread(sup.map { over($0.keystrokes.medianMs, h.inOrder.medianMs) })
            report.pacedRatio = h.paced.map { p in Spread(sup.map { over($0.keystrokes.medianMs, p.medianMs) }) }
            if let caseStatements = first.caseStatements, let caseTexts = first.caseTexts {
                let c = try Self.shellComparison(copy, texts: caseTexts, statements: caseStatements, counts: first.caseCountStatements ?? [:],
                                                 pauses: first.caseSummaryWaits)
                report.caseSqliteShell = c.repeated
                report.caseSqliteInOrder = c.inOrder
                report.caseSqlitePaced = c.paced
                report.caseQueryRatio = Spread(sup.compactMap { $0.caseQuery.map { over($0.medianMs, c.repeated.medianMs) } })
                report.caseInOrderRatio = Spread(sup.compactMap { $0.caseKeystrokes.map { over($0.medianMs, c.inOrder.medianMs) } })
                report.casePacedRatio = c.paced.map { p in Spread(sup.compactMap { $0.caseKeystrokes.map { over($0.medianMs, p.medianMs) } }) }
            }
        }

        // The exports against the same query in the shell.
        let csv = NSTemporaryDirectory() + "jiuzhu-bench-\(getpid()).csv"
        defer { try? FileManager.default.removeItem(atPath: csv) }
        report.exportSeconds = Spread(try (0..<max(1, runs)).map { _ in try Self.timeChild(["export", "households", "--db", copy, "-o", csv, "--force"]).seconds })
        report.exportSQLiteSeconds = try Self.sqliteTime(copy, ["""
            SELECT h.head_name, h.head_id, r.name AS village, h.member_count, h.programmes, h.address
            FROM household h JOIN region r ON r.code = h.village_code ORDER BY h.village_code, h.head_py, h.id;
            """], runs: 3) / 1000
        report.exportCasesSeconds = Spread(try (0..<max(1, runs)).map { _ in try Self.timeChild(["export", "cases", "--db", copy, "-o", csv, "--force"]).seconds })
        let caseExportSQL = try store.captureSQL { db in try Store.caseExportRows(db) { _ in } }.1
        report.exportCasesSQLiteSeconds = try Self.sqliteTime(copy, caseExportSQL, runs: 3) / 1000

        // The survey form at its design bound: 30 members, 90 income rows (writes a draft and a
        // case into the copy).
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
            report.spotCheckDrawMs = Spread(draws)
            report.spotCheckSampled = sampled
            // A county file takes no applications (households are the townships'): no form there.
            if try store.isCountyFile() == false || store.users().contains(where: { $0.active && $0.role == .clerk }) {
                report.form = try Benchmark.bigForm(store: store, env: env)
            }
        }

        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let out = jsonOut {
            let data = try enc.encode(report)
            do { try SafeFile.write(data, to: out, force: true) } catch { throw fail("--json-out \(out): \(error)") }
        }
        if json {
            print(String(decoding: try enc.encode(report), as: UTF8.self))
        } else {
            print(report.text)
        }
    }

    /// A copy of the database next to it (mode 0600) for the bench to work on; the original is
    /// read only by the copy (its -wal, if any, is copied with it).
    static func copyForBench(_ path: String) throws -> String {
        let dir = (path as NSString).deletingLastPathComponent
        let copy = (dir.isEmpty ? "." : dir) + "/.bench-copy-\(getpid())-" + (path as NSString).lastPathComponent
        // (with its key and anchor: a database is only written with its key beside it)
        for s in ["", "-wal", ".key", ".anchor"] where FileManager.default.fileExists(atPath: path + s) {
            try? FileManager.default.removeItem(atPath: copy + s)
            try FileManager.default.copyItem(atPath: path + s, toPath: copy + s)
            chmod(copy + s, 0o600)
        }
        return copy
    }

    /// The 1-, 5- and 15-minute load averages (/proc/loadavg).
    static func loadAverage() -> [Double] {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "").split(separator: " ").prefix(3).compactMap { Double($0) }
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

    /// The sqlite3 shell on the same statements, every figure wall-clock time as the app's are.
    struct ShellComparison {
        /// Each text's statements twenty times over (best of 5, the shell's own "real" timer
        /// summed and divided by 20), per keystroke.
        var repeated: Benchmark.Stats
        /// In typing order, each keystroke's page statements then its count sent to one shell
        /// at once, no pause: from the write to the page's last timing line (our wall clock).
        var inOrder: Benchmark.Stats
        /// The same, the shell left idle after each count as long as the app's drawing thread
        /// waited for it, so both meet the next key alike.
        var paced: Benchmark.Stats?
    }

    static func shellComparison(_ path: String, texts: [String], statements: [String: [String]], counts: [String: [String]],
                                pauses: [Double]?) throws -> ShellComparison {
        var ms: [String: Double] = [:]
        // Twenty times over: the shell's timer counts whole milliseconds.
        for (text, sql) in statements { ms[text] = try sqliteTime(path, sql, runs: 5, repeats: 20) }
        let repeated = Benchmark.Stats(texts.map { ms[$0] ?? 0 })
        let perKey = texts.map { (statements[$0] ?? [], counts[$0] ?? []) }
        let inOrder = Benchmark.Stats(try sqliteFed(path, perKey, pauses: nil, runs: 3))
        var paced: Benchmark.Stats?
        if let pauses, pauses.count == texts.count {
            paced = Benchmark.Stats(try sqliteFed(path, perKey, pauses: pauses, runs: 3))
        }
        return ShellComparison(repeated: repeated, inOrder: inOrder, paced: paced)
    }

    /// Each keystroke's statements fed to one sqlite3 shell in typing order, each followed by
    /// its count; the wall time from writing a keystroke's statements to the timing line of its
    /// last page statement (a pipe's round trip, tens of microseconds, is on the shell's side).
    /// With `pauses`, the shell is left idle after each keystroke's count for that long (what the
    /// app's drawing thread waited for it): an idle CPU on this machine costs the next
    /// statement 1.5-2x its time (docs/benchmarks.md, stop 15). `runs` times through, the run
    /// with the least total kept.
    static func sqliteFed(_ db: String, _ perKey: [(page: [String], after: [String])], pauses: [Double]?, runs: Int) throws -> [Double] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // Line-buffered, so each timing line arrives as its statement ends (stdout is a pipe).
        p.arguments = ["stdbuf", "-oL", "sqlite3", "-readonly", db]
        let inp = Pipe(), out = Pipe()
        p.standardInput = inp; p.standardOutput = out; p.standardError = out
        try p.run()
        defer { try? inp.fileHandleForWriting.close(); p.waitUntilExit() }
        var buffer = Data()
        /// Read until `n` more timing lines have arrived.
        func awaitLines(_ n: Int) throws {
            var got = 0
            while got < n {
                guard let nl = buffer.firstIndex(of: 0x0A) else {
                    let chunk = out.fileHandleForReading.availableData
                    if chunk.isEmpty { throw fail("sqlite3 stopped before timing every statement") }
                    buffer.append(chunk)
                    continue
                }
                let line = String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...nl)
                if line.hasPrefix("Run Time: real ") { got += 1 }
                else if line.hasPrefix("Parse error") || line.hasPrefix("Error") || line.hasPrefix("Runtime error") {
                    throw fail("sqlite3: \(line)")
                }
            }
        }
        try? inp.fileHandleForWriting.write(contentsOf: Data(".timer on\n.output /dev/null\n".utf8))
        var best: [Double] = [], bestTotal = Double.infinity
        for _ in 0..<max(1, runs) {
            var perRun: [Double] = []
            for (k, key) in perKey.enumerated() {
                let script = (key.page + key.after).map { $0.hasSuffix(";") ? $0 + "\n" : $0 + ";\n" }.joined()
                let t0 = DispatchTime.now().uptimeNanoseconds
                try? inp.fileHandleForWriting.write(contentsOf: Data(script.utf8))
                try awaitLines(key.page.count)
                perRun.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                try awaitLines(key.after.count)
                if let pauses { usleep(UInt32(max(0, min(pauses[k], 2000)) * 1000)) }
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
        try? inp.fileHandleForWriting.write(contentsOf: Data(script.utf8))
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

func over(_ a: Double, _ b: Double) -> Double { b > 0 ? a / b : 0 }

extension Role: ExpressibleByArgument {}

/// A figure over the runs: the worst (the headline) and the median beside it (what a target is
/// judged by), and every run's.
struct Spread: Codable {
    var worst: Double
    var median: Double
    var runs: [Double]
    init(_ xs: [Double]) {
        let s = xs.sorted()
        runs = xs
        worst = s.last ?? 0
        median = s.isEmpty ? 0 : s[(s.count - 1) / 2]
    }
}

/// One role's figures over its runs.
struct RoleFigures: Codable {
    var role: String
    var loadAverages: [[Double]]
    var startToFirstScreenMs: Spread
    var firstScreenMs: Spread
    var loginMs: Spread
    var peakRSSMB: Spread
    var keyP99: Spread
    var keyMedian: Spread
    var keyCount: Int
    var countMedian: Spread
    var countP99: Spread
    var largeP99: Spread?
    var largeMedian: Spread?
    var caseP99: Spread?
    var caseMedian: Spread?
    var caseSummaryMedian: Spread?
    var caseSummaryP99: Spread?
    var sortWorst: Spread?
    /// Its parts: the household browser's sorts, the case browser's, its new filters (the slowest
    /// named) and the sorts under them.
    struct Part: Codable { var name: String; var ms: Spread }
    var sortParts: [Part] = []
    var slowestFilter: String?
    var slowestSort: String?
    var filterWorst: Spread?
    var caseOpenP99: Spread?
    var openCardMs: Spread?
    var openFormMs: Spread?
    var reviewQueueMs: Spread?
    var reviewRows: Int?
    var reviewOpenP99: Spread?
    var rssStagesMB: [[Double]]

    init(_ r: [Probe.Result]) {
        func sp(_ f: (Probe.Result) -> Double?) -> Spread? {
            let xs = r.compactMap(f)
            return xs.isEmpty ? nil : Spread(xs)
        }
        role = r.first?.role ?? "?"
        loadAverages = r.map { $0.loadAverage ?? [] }
        startToFirstScreenMs = Spread(r.map(\.startToFirstScreenMs))
        firstScreenMs = Spread(r.map(\.firstScreenMs))
        loginMs = Spread(r.map(\.loginMs))
        peakRSSMB = Spread(r.map(\.peakRSSMB))
        keyP99 = Spread(r.map(\.keystrokes.p99Ms))
        keyMedian = Spread(r.map(\.keystrokes.medianMs))
        keyCount = r.first?.keystrokes.count ?? 0
        countMedian = Spread(r.map(\.count.medianMs))
        countP99 = Spread(r.map(\.count.p99Ms))
        largeP99 = sp { $0.keystrokesLarge?.p99Ms }
        largeMedian = sp { $0.keystrokesLarge?.medianMs }
        caseP99 = sp { $0.caseKeystrokes?.p99Ms }
        caseMedian = sp { $0.caseKeystrokes?.medianMs }
        caseSummaryMedian = sp { $0.caseSummary?.medianMs }
        caseSummaryP99 = sp { $0.caseSummary?.p99Ms }
        sortWorst = sp { r in
            let xs = [r.sortMs, r.caseSorts?.worstMs, r.caseFilters?.worstMs, r.caseFilterSorts?.worstMs].compactMap { $0 }
            return xs.max()
        }
        filterWorst = sp { $0.caseFilters?.worstMs }
        sortParts = [("households", sp { $0.sortMs }), ("case sorts", sp { $0.caseSorts?.worstMs }),
                     ("case filters", sp { $0.caseFilters?.worstMs }), ("sorts under filters", sp { $0.caseFilterSorts?.worstMs })]
            .compactMap { name, s in s.map { Part(name: name, ms: $0) } }
        slowestFilter = r.max { ($0.caseFilters?.worstMs ?? 0) < ($1.caseFilters?.worstMs ?? 0) }?.caseSlowestFilter
        slowestSort = r.max { max($0.caseSorts?.worstMs ?? 0, $0.caseFilterSorts?.worstMs ?? 0) < max($1.caseSorts?.worstMs ?? 0, $1.caseFilterSorts?.worstMs ?? 0) }?.caseSlowestSort
        caseOpenP99 = sp { $0.caseOpen?.p99Ms }
        openCardMs = sp { $0.walk?.openCardMs }
        openFormMs = sp { $0.walk?.openFormMs }
        reviewQueueMs = sp { $0.walk?.reviewQueueMs }
        reviewRows = r.first?.walk?.reviewRows
        reviewOpenP99 = sp { $0.walk?.openCase?.p99Ms }
        rssStagesMB = r.map { $0.rssStagesMB }
    }
}

/// What one fresh app process measures of itself: one role's session.
enum Probe {
    struct Result: Codable {
        var role: String
        var run: Int?
        var loadAverage: [Double]?
        var startToFirstScreenMs: Double
        var firstScreenMs: Double
        var loginMs: Double
        var keystrokes: Benchmark.Stats
        var count: Benchmark.Stats
        var peakRSSMB: Double
        /// Peak RSS at the login screen, after logging in, after the keystrokes, at the end.
        var rssStagesMB: [Double]
        var texts: [String]
        var statements: [String: [String]]
        var countStatements: [String: [String]]?
        var countWaits: [Double]?
        var query: Benchmark.Stats?
        var frame: Benchmark.Stats?
        var walk: Benchmark.WalkResult?
        // The supervisor's: the household browser at 200×60, sorting, the case browser.
        var keystrokesLarge: Benchmark.Stats?
        var sortMs: Double?
        var caseKeystrokes: Benchmark.Stats?
        var caseSummary: Benchmark.Stats?
        var caseSorts: Benchmark.Stats?
        var caseFilters: Benchmark.Stats?
        var caseSlowestFilter: String?
        var caseSlowestSort: String?
        var caseFilterSorts: Benchmark.Stats?
        var caseOpen: Benchmark.Stats?
        var caseTexts: [String]?
        var caseStatements: [String: [String]]?
        var caseQuery: Benchmark.Stats?
        var caseFrame: Benchmark.Stats?
        var caseCountStatements: [String: [String]]?
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

    /// One role's session: the login screen drawn, the real login, then that role's work.
    static func run(path: String, role: Role, keyCount: Int) throws {
        useOneMallocArena()
        guard let login = Benchmark.demoLogins.first(where: { $0.role == role })?.login else { throw fail("no demo login for \(role)") }
        let t0 = DispatchTime.now().uptimeNanoseconds
        let store = try Store(path: path, mode: .mustExist)
        guard let dir = AppEnvironment.screensDirectory() else { throw fail("no screens/") }
        let env = try AppEnvironment.load(store: store, screens: try ScreenData.load(from: dir), lang: .zh, demo: false)
        let runner = AppRunner(backend: TestBackend(width: 80, height: 24), store: store, env: env)
        runner.runUntilIdle()   // draws the login screen
        let first = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
        let sinceStart = sinceProcessStart()
        var stages = [maxRSS()]
        let l0 = DispatchTime.now().uptimeNanoseconds
        try Benchmark.logIn(runner, login)
        let loginMs = Double(DispatchTime.now().uptimeNanoseconds - l0) / 1e6
        stages.append(maxRSS())
        let keys = Benchmark.keystrokes(atLeast: keyCount)
        let k = try Benchmark.householdKeystrokes(store: store, env: env, keys: keys, login: login)
        stages.append(maxRSS())
        var r = Result(role: role.rawValue, startToFirstScreenMs: sinceStart, firstScreenMs: first, loginMs: loginMs,
                       keystrokes: k.perKey, count: k.count, peakRSSMB: 0, rssStagesMB: [],
                       texts: k.texts, statements: k.statements, countStatements: k.countStatements, countWaits: k.countWaits,
                       query: k.query, frame: k.frame)
        if role == .supervisor {
            r.keystrokesLarge = try Benchmark.householdKeystrokes(store: store, env: env, width: 200, height: 60, keys: keys, login: login).perKey
            // Sorting: F5 (next sort column) on the whole list, eight times round.
            let sortRunner = AppRunner(backend: TestBackend(width: 80, height: 24), store: store, env: env)
            try Benchmark.logIn(sortRunner, login)
            sortRunner.dispatch(.key(.char("1")))
            sortRunner.settle()
            var sorts: [Double] = []
            for _ in 0..<8 {
                let s0 = DispatchTime.now().uptimeNanoseconds
                sortRunner.dispatch(.key(.function(5)))
                sorts.append(Double(DispatchTime.now().uptimeNanoseconds - s0) / 1e6)
            }
            r.sortMs = sorts.max()
            let cases = try Benchmark.caseBrowser(store: store, env: env, keys: keys, login: login)
            r.caseKeystrokes = cases.perKey; r.caseSummary = cases.summary; r.caseSorts = cases.sorts
            r.caseFilters = cases.filters; r.caseSlowestFilter = cases.slowestFilter; r.caseSlowestSort = cases.slowestSort; r.caseFilterSorts = cases.filterSorts
            r.caseOpen = cases.openCase; r.caseTexts = cases.texts; r.caseStatements = cases.statements
            r.caseQuery = cases.query; r.caseFrame = cases.frame; r.caseCountStatements = cases.countStatements
            r.caseSummaryWaits = cases.summaryWaits
        } else {
            r.walk = try Benchmark.walk(store: store, env: env, role: role, login: login)
        }
        stages.append(maxRSS())
        r.peakRSSMB = stages.last ?? 0
        r.rssStagesMB = stages
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
    var roles: [RoleFigures] = []
    var sqliteShell: Benchmark.Stats?
    var sqliteInOrder: Benchmark.Stats?
    var sqlitePaced: Benchmark.Stats?
    var queryRatio: Spread?
    var inOrderRatio: Spread?
    var pacedRatio: Spread?
    var caseSqliteShell: Benchmark.Stats?
    var caseSqliteInOrder: Benchmark.Stats?
    var caseSqlitePaced: Benchmark.Stats?
    var caseQueryRatio: Spread?
    var caseInOrderRatio: Spread?
    var casePacedRatio: Spread?
    var exportSeconds: Spread?
    var exportSQLiteSeconds: Double?
    var exportCasesSeconds: Spread?
    var exportCasesSQLiteSeconds: Double?
    var form: Benchmark.FormResult?
    var review: Benchmark.ReviewResult?
    var spotCheckDrawMs: Spread?
    var spotCheckSampled: Int?

    /// `x` with `d` decimals.
    private func f(_ x: Double, _ d: Int = 2) -> String { String(format: "%.\(d)f", x) }
    /// "worst W (median M)": the headline form of a figure over the runs.
    private func wm(_ s: Spread, _ d: Int = 2, _ unit: String = " ms") -> String {
        s.runs.count > 1 ? "worst \(f(s.worst, d))\(unit) (median \(f(s.median, d)))" : f(s.worst, d) + unit
    }
    private func st(_ s: Benchmark.Stats) -> String { "median \(f(s.medianMs)) ms, p99 \(f(s.p99Ms)) ms, worst \(f(s.worstMs)) ms (n=\(s.count))" }

    var supervisor: RoleFigures? { roles.first { $0.role == Role.supervisor.rawValue } }

    var text: String {
        var lines = [
            "database        \(database) (\(householdCount) households, \(personCount) persons, \(f(databaseMB, 1)) MB); measured on a copy",
            "machine         \(machine)",
            "figures         over the runs: the worst, with the median of runs beside it; load average (1/5/15 min) before each run",
        ]
        if let d = demoSeconds { lines.append("demo generation \(f(d, 1)) s") }
        for r in roles {
            let loads = r.loadAverages.map { $0.map { f($0, 2) }.joined(separator: "/") }.joined(separator: "; ")
            lines.append("[\(r.role)]  load \(loads)")
            lines.append("  first screen  \(wm(r.startToFirstScreenMs, 0)) from process start; \(wm(r.firstScreenMs, 1)) in-process; login \(wm(r.loginMs, 1))")
            lines.append("  keystroke     80x24 p99 \(wm(r.keyP99)); key median \(wm(r.keyMedian)) (n=\(r.keyCount) a run)")
            lines.append("  count arrives median \(wm(r.countMedian)); p99 \(wm(r.countP99)) after the keystroke, off its path")
            if let p = r.largeP99, let m = r.largeMedian { lines.append("  200x60        p99 \(wm(p)); key median \(wm(m))") }
            if let p = r.caseP99, let m = r.caseMedian { lines.append("  case browser  p99 \(wm(p)); key median \(wm(m))") }
            if let m = r.caseSummaryMedian, let p = r.caseSummaryP99 { lines.append("  case count+sum median \(wm(m)); p99 \(wm(p))") }
            if let s = r.sortWorst {
                let parts = r.sortParts.map { "\($0.name) \(wm($0.ms))" }.joined(separator: ", ")
                lines.append("  sort/filter   slowest \(wm(s)) (\(parts); slowest filter: \(r.slowestFilter ?? "—"); slowest case sort: \(r.slowestSort ?? "—"))")
            }
            if let c = r.caseOpenP99 { lines.append("  open a case   p99 \(wm(c)) (case browser)") }
            if let c = r.openCardMs { lines.append("  open a card   \(wm(c))") }
            if let c = r.openFormMs { lines.append("  open the form \(wm(c)) (a new application)") }
            if let c = r.reviewQueueMs { lines.append("  review queue  \(wm(c)) (\(r.reviewRows ?? 0) cases)") }
            if let c = r.reviewOpenP99 { lines.append("  open a case   p99 \(wm(c)) (review queue, first 20)") }
            lines.append("  peak RSS      \(wm(r.peakRSSMB, 1, " MB")); by stage (login screen / logged in / keystrokes / end) "
                         + r.rssStagesMB.map { $0.map { f($0, 1) }.joined(separator: "/") }.joined(separator: "; "))
        }
        if let s = sqliteShell {
            lines.append("sqlite3 shell   household page: \(st(s)), each text 20 times over (warm, the shell's wall clock)")
            if let q = queryRatio { lines.append("  ratio         app page query alone / the warm shell, median: \(wm(q, 2, "x"))") }
            if let o = sqliteInOrder, let r = inOrderRatio { lines.append("  in order      \(st(o)) (fed as typed, never idle; wall); app key median / it: \(wm(r, 2, "x"))") }
            if let o = sqlitePaced, let r = pacedRatio { lines.append("  paced         \(st(o)) (idle as long as the app after each count; wall); app key median / it: \(wm(r, 2, "x"))") }
        }
        if let s = caseSqliteShell {
            lines.append("sqlite3 shell   case page: \(st(s)), each text 20 times over (warm)")
            if let q = caseQueryRatio { lines.append("  ratio         app page query alone / the warm shell, median: \(wm(q, 2, "x"))") }
            if let o = caseSqliteInOrder, let r = caseInOrderRatio { lines.append("  in order      \(st(o)); app key median / it: \(wm(r, 2, "x"))") }
            if let o = caseSqlitePaced, let r = casePacedRatio { lines.append("  paced         \(st(o)); app key median / it: \(wm(r, 2, "x"))") }
        }
        if let e = exportSeconds, let s = exportSQLiteSeconds {
            lines.append("export households \(wm(e, 2, " s")); the same query in sqlite3 \(f(s, 2)) s; ratio \(f(over(e.median, s), 1)) (median)")
        }
        if let e = exportCasesSeconds, let s = exportCasesSQLiteSeconds {
            lines.append("export cases    \(wm(e, 2, " s")); the same query in sqlite3 \(f(s, 2)) s; ratio \(f(over(e.median, s), 1)) (median)")
        }
        if let d = spotCheckDrawMs {
            lines.append("spot-check draw rural dibao at 50%: \(spotCheckSampled ?? 0) cases in \(wm(d, 0)) (dry run)")
        }
        if let r = review {
            lines.append("review queue    reviewer \(r.reviewerRows) cases in \(f(r.reviewerQueueMs)) ms; clerk \(r.clerkRows) cases in \(f(r.clerkQueueMs)) ms (in-process)")
        }
        if let fm = form {
            lines.append("survey form     \(fm.members) members, \(fm.incomeRows) income rows: open \(f(fm.openMs)) ms; submit \(f(fm.submitMs)) ms")
            lines.append("  keystroke     \(st(fm.keystroke))")
            lines.append("  leave field   \(st(fm.leave)) (checks, database checks, draft written)")
        }
        lines += targetLines
        return lines.joined(separator: "\n")
    }

    /// Issue 8's and 26's targets, each judged by the median of the runs with the worst beside it.
    var targetLines: [String] {
        func row(_ what: String, _ figure: String, _ met: Bool?) -> String {
            what.padding(toLength: 56, withPad: " ", startingAt: 0) + figure + "  " + (met.map { $0 ? "met" : "NOT MET" } ?? "not judged")
        }
        func pair(_ xs: [Spread], _ d: Int = 2, _ unit: String = " ms") -> String {
            xs.map { f($0.median, d) }.joined(separator: " / ") + unit + " (worst " + xs.map { f($0.worst, d) }.joined(separator: " / ") + ")"
        }
        var out = ["targets (set for 100,000 households; this database has \(householdCount)): median of runs (worst)"]
        let p99s = roles.map(\.keyP99) + (supervisor.flatMap { s in [s.largeP99, s.caseP99].compactMap { $0 } } ?? [])
        out.append(row("  keystroke p99 < 16 ms (per role; sup 200x60, case)", pair(p99s), p99s.allSatisfy { $0.median < 16 }))
        let firsts = roles.map(\.startToFirstScreenMs)
        out.append(row("  first screen < 300 ms (from process start)", pair(firsts, 0), firsts.allSatisfy { $0.median < 300 }))
        if let s = supervisor?.sortWorst { out.append(row("  a sort or a new filter < 50 ms (slowest)", pair([s], 1), s.median < 50)) }
        if let c = supervisor?.caseSummaryMedian {
            let h = roles.map(\.countMedian)
            out.append(row("  count (+ sum) arrives < 100 ms (median; case)", pair(h + [c], 1), (h + [c]).allSatisfy { $0.median < 100 }))
        }
        if let d = spotCheckDrawMs { out.append(row("  spot-check draw < 1 s", pair([d], 0), d.median < 1000)) }
        let rss = roles.map(\.peakRSSMB)
        out.append(row("  peak RSS < 40 MB (" + roles.map { String($0.role.prefix(3)) }.joined(separator: "/") + ")", pair(rss, 1, " MB"), rss.allSatisfy { $0.median < 40 }))
        let q = [queryRatio, caseQueryRatio].compactMap { $0 }
        if !q.isEmpty { out.append(row("  filter query in the app / sqlite3 (median)", pair(q, 2, "x"), q.allSatisfy { $0.median <= 2 })) }
        let paced = [pacedRatio, casePacedRatio].compactMap { $0 }
        if !paced.isEmpty { out.append(row("  whole keystroke / sqlite3 paced alike", pair(paced, 2, "x"), paced.allSatisfy { $0.median <= 2 })) }
        if let e = exportCasesSeconds, let s = exportCasesSQLiteSeconds {
            let r = Spread(e.runs.map { over($0, s) })
            out.append(row("  export cases / sqlite3 <= 3x", pair([r], 2, "x"), r.median <= 3))
        }
        // Shown, not judged: the shell fed back to back never idles between keystrokes, the app
        // (and a person typing) always does.
        let k = [inOrderRatio, caseInOrderRatio].compactMap { $0 }
        if !k.isEmpty { out.append(row("  (the same, the shell never idle)", pair(k, 2, "x"), nil)) }
        return out
    }
}
