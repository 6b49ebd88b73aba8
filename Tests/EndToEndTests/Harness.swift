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
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let e = (try? Data(contentsOf: errFile)) ?? Data()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self), stdoutData: o)
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
        let data = out.fileHandleForReading.readDataToEndOfFile()
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

    init(width: Int = 80, height: Int = 24, term: String = "xterm-256color") throws {
        name = "jzt\(UInt32.random(in: 0...UInt32.max))"
        self.width = width; self.height = height
        try Tmux.tmux(["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)",
                       "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=\(term) JIUZHU_HOME=\(Binary.root.path) PS1='$ ' bash --norc --noprofile"])
        Thread.sleep(forTimeInterval: 0.3)
    }

    deinit { _ = try? Tmux.tmux(["kill-session", "-t", name]) }

    /// Run a tmux command and wait for it. The first command starts the tmux server, which
    /// lives on and keeps every descriptor it inherited: Foundation's Process hands its child a
    /// socket whose closing is how it learns of the exit, so `waitUntilExit` would wait for the
    /// server. Hence posix_spawn of a shell that closes every descriptor above 2, and waitpid; capture-pane's
    /// output comes back through a file.
    @discardableResult
    static func tmux(_ args: [String]) throws -> String {
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: outFile) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, args.first == "capture-pane" ? outFile.path : "/dev/null",
                                         O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Any descriptor above 2 (another test's Process socket, say) is closed before tmux runs.
        let closeAll = "for fd in /proc/$$/fd/*; do n=${fd##*/}; [ \"$n\" -gt 2 ] && eval \"exec $n>&-\"; done; exec tmux \"$@\""
        let argv = (["/bin/bash", "-c", closeAll, "tmux"] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/bin/bash", &actions, nil, argv, environ)
        guard rc == 0 else { throw TmuxError.spawn(rc) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (try? String(contentsOf: outFile, encoding: .utf8)) ?? ""
    }

    enum TmuxError: Error { case spawn(Int32) }

    /// Start the binary on `db` in Chinese and log in as `user` (password demo). `echo EXIT42`
    /// follows the app, so `quitApp` can wait for the shell.
    func startDemo(db: String, user: String) throws {
        try type("\(Binary.path) --db \(db) --demo --lang zh; echo EXIT$((6*7))")
        try key("Enter")
        try waitFor("用户名")
        try type(user); try key("Tab"); try type("demo"); try key("Enter")
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
        let end = Date().addingTimeInterval(seconds)
        var s = ""
        while Date() < end {
            s = try screen()
            if s.contains(text) { return s }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("screen never showed \(text):\n\(s)")
        return s
    }

    /// Wait until `ok` holds for the screen (up to `seconds`); returns the last screen, and records
    /// an issue naming `what` if it never held.
    @discardableResult
    func waitUntil(_ what: String, seconds: Double = 15, _ ok: (String) -> Bool) throws -> String {
        let end = Date().addingTimeInterval(seconds)
        var s = ""
        while Date() < end {
            s = try screen()
            if ok(s) { return s }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("screen never came to \(what):\n\(s)")
        return s
    }
}
