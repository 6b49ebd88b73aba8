import Foundation
import Testing

/// End to end: the real backend in a real terminal (tmux), driven by keys and signals.
///
/// The package's only executable is `jiuzhu`, so these tests run a probe program named by
/// the environment variable `JIUZHU_CURSES_PROBE`, and skip themselves when it is not set.
/// The probe's contract (a throwaway executable target depending on TermCurses and TermUI):
///
///     import TermCurses; import TermUI
///     var events: [String] = []
///     let code: Int32 = try CursesBackend.run { b in
///         while true {
///             let (w, h) = b.size
///             var g = CellGrid(width: w, height: h)
///             g.put("张三ABC李四", x: 0, y: 0)
///             g.put("|", x: 11, y: 0)                      // right after 四 if widths are right
///             g.put("size=\(w)x\(h) colors=\(b.hasColors)", x: 0, y: 1)
///             for (i, e) in events.suffix(max(0, h - 5)).enumerated() { g.put(e, x: 0, y: 4 + i) }
///             b.draw(g, cursor: nil)
///             guard let e = b.readEvent(timeoutMs: 1000) else { continue }
///             events.append("event: \(e)")
///             if e == .char("q") { return 0 }
///         }
///     }
///     exit(code)
@Suite(.serialized, .enabled(if: Tmux.probe != nil && Tmux.available,
    "set JIUZHU_CURSES_PROBE to a probe binary (see TmuxProbeTests.swift) and install tmux to run these"))
struct CursesInTmux {
    @Test func drawsChineseAtTheRightColumnsAndReadsKeys() throws {
        let t = try Tmux(term: "xterm-256color")
        defer { t.close() }
        // tmux's capture shows a wide character once; "|" follows 四 directly only if curses
        // put every character at the column the grid gave it.
        try t.waitFor { $0.first?.hasPrefix("张三ABC李四|") == true }
        let first = try t.screen()
        #expect(first[1].hasPrefix("size=80x24 colors=true"), "screen:\n\(first.joined(separator: "\n"))")

        t.keys("Home"); t.keys("End"); t.keys("PPage"); t.keys("NPage"); t.keys("BTab"); t.keys("F2")
        t.text("张三丰")
        t.keys("C-s"); t.keys("C-c")
        try t.waitFor { $0.contains("event: ctrl(\"c\")") }
        let shown = try t.screen()
        for line in ["event: home", "event: end", "event: pageUp", "event: pageDown", "event: backTab",
                     "event: function(2)", "event: text(\"张三丰\")", "event: ctrl(\"s\")"] {
            #expect(shown.contains(line), "missing \(line)")
        }

        t.resize(width: 100, height: 30)
        try t.waitFor { $0.contains("event: resize(width: 100, height: 30)") }
        try t.waitFor { $0.count > 1 && $0[1].hasPrefix("size=100x30") }

        t.keys("q")
        try t.waitFor { $0.contains("EXIT=0") }
        try t.expectCookedMode()
    }

    // SIGINT is not here: a Ctrl-C is an event (above); only a second one the app has not
    // read yet ends the program, which needs a busy probe.
    @Test(arguments: [("TERM", 143), ("HUP", 129), ("QUIT", 131)])
    func aSignalGivesTheTerminalBack(signal: String, status: Int) throws {
        let t = try Tmux(term: "xterm-256color")
        defer { t.close() }
        try t.waitFor { $0.first?.hasPrefix("张三ABC李四|") == true }
        try t.signalProbe(signal)
        try t.waitFor { $0.contains("EXIT=\(status)") }
        try t.expectCookedMode()
    }

    @Test func monochromeVT100() throws {
        let t = try Tmux(term: "vt100")
        defer { t.close() }
        try t.waitFor { $0.first?.hasPrefix("张三ABC李四|") == true }
        #expect(try t.screen()[1].hasPrefix("size=80x24 colors=false"))
        t.keys("Home"); t.keys("DC"); t.keys("BSpace")
        try t.waitFor { $0.contains("event: backspace") }
        let shown = try t.screen()
        #expect(shown.contains("event: home"))
        #expect(shown.contains("event: delete"))
        t.keys("q")
        try t.waitFor { $0.contains("EXIT=0") }
        try t.expectCookedMode()
    }
}

/// A detached tmux session running the probe, then reporting its exit status and tty modes.
struct Tmux {
    static let probe: String? = {
        guard let p = ProcessInfo.processInfo.environment["JIUZHU_CURSES_PROBE"], !p.isEmpty,
              FileManager.default.isExecutableFile(atPath: p) else { return nil }
        return p
    }()
    static let available: Bool = (try? run(["tmux", "-V"])) != nil

    let session: String
    let dir: URL
    /// A private tmux server per test: it never touches the user's sessions, and it is killed
    /// at the end, so it cannot outlive the test run.
    let socket: String

    init(term: String) throws {
        _ = Tmux.keepDescriptorsFromChildren
        session = "jzcurses\(getpid())\(UInt16.random(in: 0...UInt16.max))"
        dir = FileManager.default.temporaryDirectory.appendingPathComponent(session)
        socket = dir.appendingPathComponent("tmux.sock").path
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let script = dir.appendingPathComponent("run.sh")
        // `swift test` sets NO_COLOR, which the backend honours; the probe should see colours.
        // Run by bash, not sh: a Ctrl-C goes to the whole foreground process group, and dash
        // would die of it even though the probe handles it; bash waits for the probe.
        try """
            env -u NO_COLOR LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=\(term) '\(Tmux.probe!)'
            echo "EXIT=$?"
            stty -a
            sleep 60
            """.write(to: script, atomically: true, encoding: .utf8)
        // Not through Foundation's Process: waiting for a `tmux new-session` that starts the
        // server was seen to hang for ever -- the forked server inherits a socket of the test
        // process and never closes it. system() just waits for the client to exit.
        let command = ["tmux", "-S", socket, "new-session", "-d", "-s", session, "-x", "80", "-y", "24",
                       "bash \(script.path)"].map { "'\($0)'" }.joined(separator: " ")
        guard system(command + " </dev/null >/dev/null 2>&1") == 0 else { throw TmuxError.failed(command) }
    }

    func close() {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(at: dir)
    }

    func keys(_ name: String) {
        _ = try? tmux(["send-keys", "-t", session, name])
        usleep(150_000)   // let the probe read one key before the next arrives
    }

    func text(_ s: String) {
        _ = try? tmux(["send-keys", "-t", session, "-l", "--", s])
        usleep(150_000)
    }

    func resize(width: Int, height: Int) {
        _ = try? tmux(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    @discardableResult
    private func tmux(_ args: [String], captureOutput: Bool = true) throws -> String {
        try Tmux.run(["tmux", "-S", socket] + args, captureOutput: captureOutput)
    }

    /// The tmux server forks from the test process and would inherit every descriptor not
    /// marked close-on-exec -- the test runner's own channels among them, which `swift test`
    /// may wait on to close. Mark them all, once.
    static let keepDescriptorsFromChildren: Void = {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))
            ?? (try? FileManager.default.contentsOfDirectory(atPath: "/dev/fd")) ?? []
        for fd in fds.compactMap({ Int32($0) }) where fd > 2 {
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }()

    /// Send a signal to the probe (the child of the pane's shell), by its process id.
    func signalProbe(_ name: String) throws {
        let shell = try tmux(["list-panes", "-t", session, "-F", "#{pane_pid}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let child = try Tmux.run(["pgrep", "-P", shell]).split(separator: "\n").first.map(String.init) ?? ""
        guard let pid = Int32(child) else { throw TmuxError.failed("no probe process under pane \(shell)") }
        kill(pid, Tmux.signalNumber(name))
        usleep(150_000)
    }

    private static func signalNumber(_ name: String) -> Int32 {
        switch name {
        case "TERM": return SIGTERM
        case "HUP": return SIGHUP
        default: return SIGQUIT
        }
    }

    /// The pane's lines (wrapped lines joined).
    func screen() throws -> [String] {
        try tmux(["capture-pane", "-p", "-J", "-t", session])
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func waitFor(seconds: Double = 5, _ condition: ([String]) -> Bool) throws {
        let end = Date().addingTimeInterval(seconds)
        var last: [String] = []
        while Date() < end {
            last = try screen()
            if condition(last) { return }
            usleep(100_000)
        }
        Issue.record("timed out; the screen shows:\n\(last.joined(separator: "\n"))")
        throw TmuxError.failed("timed out")
    }

    /// After the probe has gone, the shell's `stty -a` must show canonical mode and echo on.
    func expectCookedMode() throws {
        try waitFor { $0.joined(separator: " ").contains("icanon") }
        let words = Set(try screen().joined(separator: " ")
            .split(whereSeparator: { $0 == " " || $0 == ";" }).map(String.init))
        #expect(words.contains("icanon") && !words.contains("-icanon"))
        #expect(words.contains("echo") && !words.contains("-echo"))
        #expect(words.contains("isig") && words.contains("ixon"))
    }

    enum TmuxError: Error { case failed(String) }

    @discardableResult
    static func run(_ args: [String], captureOutput: Bool = true) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let out = Pipe()
        p.standardOutput = captureOutput ? out : FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = captureOutput ? out.fileHandleForReading.readDataToEndOfFile() : Data()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw TmuxError.failed("\(args.joined(separator: " ")) failed") }
        return String(decoding: data, as: UTF8.self)
    }
}
