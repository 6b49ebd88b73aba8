import Foundation
import Testing

/// Finding and running the built `jiuzhu` binary.
enum Binary {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let path: String = {
        let fm = FileManager.default
        var candidates: [String] = []
        if let p = ProcessInfo.processInfo.environment["JIUZHU_BIN"] { candidates.append(p) }
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("jiuzhu").path)
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(root.appendingPathComponent(".build/debug/jiuzhu").path)
        return candidates.first { fm.isExecutableFile(atPath: $0) && !$0.hasSuffix(".xctest") } ?? candidates.last!
    }()

    struct Result { var status: Int32; var stdout: String; var stderr: String; var stdoutData: Data }

    /// Run the binary with `args`, feeding `stdin`, with a fixed environment.
    @discardableResult
    static func run(_ args: [String], stdin: String? = nil, env extra: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "C.UTF-8"
        env["JIUZHU_HOME"] = root.path
        for (k, v) in extra { env[k] = v }
        p.environment = env
        // Standard error goes to a file, so a child that writes much of it never blocks on a
        // pipe nobody reads while we read standard output to its end.
        let errFile = tempDir().appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)   // the next line throws without it
        let errHandle = try FileHandle(forWritingTo: errFile)
        defer { try? FileManager.default.removeItem(at: errFile.deletingLastPathComponent()) }
        let out = Pipe(), inp = Pipe()
        p.standardOutput = out; p.standardError = errHandle; p.standardInput = inp
        try p.run()
        try errHandle.close()
        if let s = stdin { inp.fileHandleForWriting.write(Data(s.utf8)) }
        try inp.fileHandleForWriting.close()
        let o = readAll(out.fileHandleForReading)
        p.waitUntilExit()
        let e = (try? Data(contentsOf: errFile)) ?? Data()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self), stdoutData: o)
    }

    /// A pipe read to its end with read(2), trying again when a signal interrupts it
    /// (Foundation's readDataToEndOfFile stops the process on EINTR, seen under load).
    static func readAll(_ h: FileHandle) -> Data {
        var data = Data()
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { read(h.fileDescriptor, $0.baseAddress, $0.count) }
            if n > 0 { data.append(contentsOf: buf[0..<n]); continue }
            if n < 0 && errno == EINTR { continue }
            return data
        }
    }

    static func tempDir() -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("jiuzhu-e2e-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    /// A demo database made once per test run and shared (read-only use) by the tests.
    static let sharedDemo: String = {
        let d = tempDir().appendingPathComponent("demo.sqlite").path
        _ = try? run(["demo", "--db", d, "--households", "600", "--seed", "1"])
        return d
    }()

    /// Copy a database with its key and anchor files (the key is not in the database: a copy of
    /// the file alone can be read and verified without it, but not written).
    static func copyDatabase(_ from: String, to: String) throws {
        try FileManager.default.copyItem(atPath: from, toPath: to)
        for suffix in [".key", ".anchor"] where FileManager.default.fileExists(atPath: from + suffix) {
            try FileManager.default.copyItem(atPath: from + suffix, toPath: to + suffix)
        }
    }

    /// One row of a query against a database, through the sqlite3 shell.
    static func sqlite(_ db: String, _ sql: String) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // A busy timeout: the app may be checkpointing the same file as it closes.
        p.arguments = ["sqlite3", "-cmd", ".timeout 5000", "-separator", "\t", db, sql]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        guard (try? p.run()) != nil else { return nil }
        let data = readAll(out.fileHandleForReading)
        p.waitUntilExit()
        return p.terminationStatus == 0 ? String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines) : nil
    }
}

/// A detached tmux session at a fixed size running a shell, for driving the real binary.
final class Tmux {
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/tmux")
    }

    let name: String
    let width: Int, height: Int

    /// A session whose shell has shown its prompt. A session that never shows one (once in CI,
    /// under load, a pane stayed blank for the whole of a test) is ended and made again, up to
    /// three times; if none comes, what tmux said is recorded as the test's issue, and the test ends.
    init(width: Int = 80, height: Int = 24, term: String = "xterm-256color") throws {
        self.width = width; self.height = height
        var said: [String] = []
        for attempt in 1...3 {
            let n = "jzt\(UInt32.random(in: 0...UInt32.max))"
            let made = try Tmux.run(["new-session", "-d", "-s", n, "-x", "\(width)", "-y", "\(height)",
                                     "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=\(term) JIUZHU_HOME=\(Binary.root.path) PS1='$ ' bash --norc --noprofile"])
            let end = Date().addingTimeInterval(10)
            var screen = ""
            while made.status == 0 && Date() < end {
                screen = try Tmux.tmux(["capture-pane", "-p", "-t", n])
                if screen.contains("$") { name = n; return }
                Thread.sleep(forTimeInterval: 0.1)
            }
            let alive = try Tmux.run(["has-session", "-t", n]).status == 0
            said.append("attempt \(attempt): new-session exit \(made.status) \(made.output) session alive \(alive), screen \(screen.debugDescription)")
            _ = try? Tmux.tmux(["kill-session", "-t", n])
            Thread.sleep(forTimeInterval: 0.5)
        }
        Issue.record("tmux never showed a shell's prompt:\n\(said.joined(separator: "\n"))")
        throw TmuxError.noShell
    }

    deinit { _ = try? Tmux.tmux(["kill-session", "-t", name]) }

    /// Run a tmux command and wait for it. The first command starts the tmux server, which
    /// lives on and keeps every descriptor it inherited: Foundation's Process hands its child a
    /// socket whose closing is how it learns of the exit, so `waitUntilExit` would wait for the
    /// server. Hence posix_spawn of a shell that closes every descriptor above 2, and waitpid; capture-pane's
    /// output comes back through a file.
    @discardableResult
    static func tmux(_ args: [String]) throws -> String {
        try run(args).output
    }

    /// `tmux` with its exit status; the output is capture-pane's, or what tmux said on standard
    /// error for any other command.
    static func run(_ args: [String]) throws -> (output: String, status: Int32) {
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: outFile) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let capture = args.first == "capture-pane"
        posix_spawn_file_actions_addopen(&actions, 1, capture ? outFile.path : "/dev/null",
                                         O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, capture ? "/dev/null" : outFile.path,
                                         O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Any descriptor above 2 (another test's Process socket, say) is closed before tmux runs.
        let closeAll = "for fd in /proc/$$/fd/*; do n=${fd##*/}; [ \"$n\" -gt 2 ] && eval \"exec $n>&-\"; done; exec tmux \"$@\""
        let argv = (["/bin/bash", "-c", closeAll, "tmux"] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/bin/bash", &actions, nil, argv, environ)
        guard rc == 0 else { throw TmuxError.spawn(rc) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return ((try? String(contentsOf: outFile, encoding: .utf8)) ?? "", exit)
    }

    enum TmuxError: Error { case spawn(Int32), noShell }

    /// Start the binary on `db` in Chinese and log in as `user` (password demo); `day` sets the
    /// program's today (JIUZHU_TODAY). `echo EXIT42` follows the app, so `quitApp` can wait for the shell.
    func startDemo(db: String, user: String, day: String? = nil) throws {
        try type("\(day.map { "JIUZHU_TODAY=\($0) " } ?? "")\(Binary.path) --db \(db) --demo --lang zh; echo EXIT$((6*7))")
        try key("Enter")
        try waitFor("用户名")
        try type(user); try key("Tab"); try type("demo"); try key("Enter")
    }

    /// `startDemo`, then on to the main menu (Esc past the list of drafts a clerk may have).
    func startAtMainMenu(db: String, user: String, day: String? = nil) throws {
        try startDemo(db: db, user: user, day: day)
        try waitUntil("the main menu or the drafts") { $0.contains("家庭户籍") || $0.contains("继续填写") }
        if try screen().contains("继续填写") { try key("Escape"); try waitFor("家庭户籍") }
    }

    /// From any screen of a running app: the main menu, Esc (注销) to the login, and in again as
    /// `user`, at the main menu.
    func switchUser(_ user: String) throws {
        try key("F10")
        try waitFor("家庭户籍")
        try key("Escape")
        try waitFor("用户名")
        try type(user); try key("Tab"); try type("demo"); try key("Enter")
        try waitUntil("the main menu or the drafts") { $0.contains("家庭户籍") || $0.contains("继续填写") }
        if try screen().contains("继续填写") { try key("Escape"); try waitFor("家庭户籍") }
    }

    /// A date `offset` days from the machine's today, for JIUZHU_TODAY.
    static func day(_ offset: Int) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone.current
        return f.string(from: Date().addingTimeInterval(Double(offset) * 86_400))
    }

    /// Ctrl-C the app and wait for the shell's prompt line.
    func quitApp() throws {
        try key("C-c")
        try waitFor("EXIT42")
    }

    func type(_ text: String) throws { try Tmux.tmux(["send-keys", "-t", name, "-l", "--", text]); Thread.sleep(forTimeInterval: 0.15) }
    func key(_ k: String) throws { try Tmux.tmux(["send-keys", "-t", name, k]); Thread.sleep(forTimeInterval: 0.15) }
    func screen() throws -> String { try Tmux.tmux(["capture-pane", "-p", "-t", name]) }

    /// Wait until the screen shows `text` (up to `seconds`); returns the last screen.
    @discardableResult
    func waitFor(_ text: String, seconds: Double = 15) throws -> String {
        try poll(seconds, "screen never showed \(text)") { $0.contains(text) }
    }

    /// Wait until `ok` holds for the screen (up to `seconds`); returns the last screen, and records
    /// an issue naming `what` if it never held.
    @discardableResult
    func waitUntil(_ what: String, seconds: Double = 15, _ ok: (String) -> Bool) throws -> String {
        try poll(seconds, "screen never came to \(what)", ok)
    }

    /// The screen every 0.1 s until `ok` holds or `seconds` pass; then `failure`, the last screen
    /// and, for a blank one, whether the session is still there, are recorded as an issue.
    private func poll(_ seconds: Double, _ failure: String, _ ok: (String) -> Bool) throws -> String {
        let end = Date().addingTimeInterval(seconds)
        var s = ""
        while Date() < end {
            s = try screen()
            if ok(s) { return s }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("\(failure):\n\(s)\(try blankNote(s))")
        return s
    }

    /// For a screen with nothing on it: whether tmux still has the session (a blank capture is
    /// also what a session that ended gives).
    private func blankNote(_ s: String) throws -> String {
        guard s.allSatisfy(\.isWhitespace) else { return "" }
        let has = try Tmux.run(["has-session", "-t", name])
        return "(blank; tmux has-session exit \(has.status) \(has.output))"
    }
}

/// The application form of main menu `2`, as a clerk fills it.
extension Tmux {
    /// From the list of drafts to the household's members: a new application for `programme`
    /// (a picker filter; `kind` for 临时救助), both signatures, the household in `village` at
    /// `address` without a bank card, 因病 as its cause; leaves the page, on to the members.
    func fillApplicationOpening(programme: String, kind: String? = nil, village: String, address: String) throws {
        try waitFor("新建申请")
        try key("Enter")
        try waitFor("第1/")
        try SurveyTests.pick(self, programme)
        if let kind { try SurveyTests.pick(self, kind) }
        try key("Tab"); try key("Tab"); try key("Tab")
        try type("y")
        try waitUntil("书面申请已签字 = 是") { SurveyTests.line($0, "书面申请已签字").hasSuffix("是") }
        try key("Tab"); try type("y")
        try waitUntil("已签授权核对书 = 是") { SurveyTests.line($0, "已签授权核对书").hasSuffix("是") }
        try key("Tab")
        try waitFor("家庭情况")
        try SurveyTests.pick(self, village)
        try type(address); try key("Tab")
        try key("Tab"); try key("Tab")
        try type("n")
        try waitUntil("银行卡发放 = 否") { SurveyTests.line($0, "银行卡发放").hasSuffix("否") }
        try key("Tab"); try key("Tab"); try key("Tab"); try key("Tab")
        try key("F4")
        try waitFor("[ ] 因病")
        try key("Space")
        try key("Enter")
        try waitUntil("the causes' picker closed") { !$0.contains("[x] 因病") && !$0.contains("[ ] 因病") }
        try key("Tab")
        try waitFor("家庭成员 1/")
    }

    /// From any page to the end: the survey's two investigators and the signed forms, F2; returns
    /// the case number the confirmation names.
    func investigateAndSubmit() throws -> Int {
        for _ in 0..<8 where !(try screen().contains("调查人一")) { try key("NPage") }
        try waitFor("调查人一")
        try key("Tab")
        try type("张明"); try key("Tab")
        try type("刘芳"); try key("Tab")
        try key("Tab"); try key("Tab")
        try type("y")
        try waitUntil("签字已收 = 是") { SurveyTests.line($0, "签字已收").hasSuffix("是") }
        try key("F2")
        let done = try waitFor("已受理")
        let caseId = done.range(of: #"案件号 #(\d+)"#, options: .regularExpression)
            .map { String(done[$0].dropFirst(5)) }.flatMap { Int($0) }
        return try #require(caseId, "no case number on the screen:\n\(done)")
    }
}

/// Main menu `4` 张榜公示, as a clerk posts and closes a batch.
extension Tmux {
    /// From the main menu: a new batch (F7) of `kind` (1 评议, 2 审核, 3 审批) for `programme` in
    /// `village`, with the supervision phone and box when given (else the settings'); made (a
    /// draft, said so) and posted (F2, confirmed). Returns the screen that said the batch was made;
    /// ends on the batch, posted.
    @discardableResult
    func postPublicity(kind: Int, programme: String, village: String, phone: String? = nil, box: String? = nil) throws -> String {
        try type("4")
        try waitFor("张榜公示")
        try key("F7")
        try waitFor("公示类型")
        try key("BSpace"); try type(String(kind)); try key("Tab")
        for _ in 0..<6 { try key("BSpace") }
        try type(programme); try key("Tab")
        try type(village); try key("Tab")                   // posted by village (民发〔2021〕57号)
        if phone != nil || box != nil {
            try key("Tab"); try key("Tab"); try key("Tab")
            try type(phone ?? ""); try key("Tab")
            try type(box ?? "")
        }
        try key("F2")
        let made = try waitFor("已建立公示批次")
        try key("Enter")
        try waitUntil("the message closed") { !$0.contains("已建立公示批次") }
        try key("F2")
        try waitFor("公示期自今天")
        try type("y")
        try waitFor("已张贴")
        try key("Enter")
        return made
    }

    /// From the main menu, its window past: the newest posted batch (the top line of `4`, checked
    /// to be `title`), ended with F3; `moved` cases go on to their next step. Ends at the main menu.
    func closePublicity(title: String, moved: Int) throws {
        try type("4")
        try waitFor("张榜公示")
        // Posted batches are listed first, the newest posting first.
        try key("Home")
        try key("Enter")
        try waitFor(title)
        try key("F3")
        try waitFor("公示结束：\(moved) 件转入下一步", seconds: 20)
        try key("Enter")
        try key("F10")
        try waitFor("家庭户籍")
    }
}
