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
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out; p.standardError = err; p.standardInput = inp
        try p.run()
        if let s = stdin { inp.fileHandleForWriting.write(Data(s.utf8)) }
        try inp.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
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

    /// One row of a query against a database, through the sqlite3 shell.
    static func sqlite(_ db: String, _ sql: String) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sqlite3", "-separator", "\t", db, sql]
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

    /// Run a tmux command. Only capture-pane's output is read, through a file: a command that
    /// starts the tmux server would hand it our pipe, and reading to its end would never finish.
    @discardableResult
    static func tmux(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["tmux"] + args
        p.standardInput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString).txt")
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: outFile)
        p.standardOutput = args.first == "capture-pane" ? handle : FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try handle.close()
        defer { try? FileManager.default.removeItem(at: outFile) }
        return (try? String(contentsOf: outFile, encoding: .utf8)) ?? ""
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
}
