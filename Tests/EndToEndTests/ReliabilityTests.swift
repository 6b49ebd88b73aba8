import Foundation
import Testing

/// Nothing lost, nothing forged (issue 19), through the real binary: kill -9 at random moments of
/// `demo`, `init`, `backup` and `restore`, each followed by `verify` and `integrity_check`; a
/// full disk (a file-size limit); the database given as an output path; and a fuzz of every
/// command with bad values, which must never crash. The counts go to docs/reliability.md.
@Suite(.serialized) struct ReliabilityTests {
    /// A process of the binary that can be killed half-way.
    struct Run {
        var status: Int32
        var signalled: Bool
        var stderr: String
    }

    static func start(_ args: [String], stdin: String? = nil, killAfter ms: Int? = nil, limitBlocks: Int? = nil, in cwd: URL? = nil) throws -> Run {
        let p = Process()
        if let cwd { p.currentDirectoryURL = cwd }
        if let limit = limitBlocks {
            // The size limit applies to the binary only (exec), which ignores SIGXFSZ and so gets
            // EFBIG from write(): the same path as ENOSPC on a full disk.
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "ulimit -f \(limit); exec \"$0\" \"$@\"", Binary.path] + args
        } else {
            p.executableURL = URL(fileURLWithPath: Binary.path)
            p.arguments = args
        }
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "C.UTF-8"
        env["JIUZHU_HOME"] = Binary.root.path
        p.environment = env
        let errFile = Binary.tempDir().appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)   // the next line throws without it
        let errHandle = try FileHandle(forWritingTo: errFile)
        let inp = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = errHandle
        p.standardInput = inp
        try p.run()
        try errHandle.close()
        if let s = stdin { inp.fileHandleForWriting.write(Data(s.utf8)) }
        try inp.fileHandleForWriting.close()
        if let ms {
            Thread.sleep(forTimeInterval: Double(ms) / 1000)
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        }
        p.waitUntilExit()
        let e = String(decoding: (try? Data(contentsOf: errFile)) ?? Data(), as: UTF8.self)
        try? FileManager.default.removeItem(at: errFile.deletingLastPathComponent())
        return Run(status: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal, stderr: e)
    }

    /// The file verifies (`jiuzhu verify`) and SQLite's own check passes.
    static func sound(_ db: String) -> Bool {
        guard let v = try? Binary.run(["verify", "--db", db]), v.status == 0 else { return false }
        return Binary.sqlite(db, "PRAGMA integrity_check") == "ok"
    }

    struct Tally: CustomStringConvertible {
        var name: String
        var tried = 0, survived = 0, lost = 0
        var notes: [String] = []
        var description: String { "\(name): tried \(tried), survived \(survived), lost \(lost)" + (notes.isEmpty ? "" : " — " + notes.joined(separator: "; ")) }
    }

    /// Delays in milliseconds from a fixed seed (the same run every time).
    static func delays(_ n: Int, _ range: ClosedRange<Int>, seed: UInt64) -> [Int] {
        var state = seed
        return (0..<n).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return range.lowerBound + Int((state >> 33) % UInt64(range.count))
        }
    }

    @Test func killDashNineNeverLeavesABrokenDatabase() throws {
        let dir = Binary.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        var tallies: [Tally] = []

        // demo: killed while generating; afterwards either no database at all (and demo runs
        // again) or a whole one.
        var t = Tally(name: "demo")
        for (i, ms) in Self.delays(6, 100...3000, seed: 19).enumerated() {
            let db = dir.appendingPathComponent("demo\(i).sqlite").path
            let r = try Self.start(["demo", "--db", db, "--households", "150"], killAfter: ms)
            t.tried += 1
            if FileManager.default.fileExists(atPath: db) {
                if Self.sound(db) { t.survived += 1 } else { t.lost += 1; t.notes.append("\(ms) ms: file left that does not verify") }
            } else {
                let again = try Binary.run(["demo", "--db", db, "--households", "20"])
                if again.status == 0 && Self.sound(db) { t.survived += 1 } else { t.lost += 1; t.notes.append("\(ms) ms: demo refused after the kill: \(again.stderr)") }
            }
            _ = r
        }
        tallies.append(t)

        // init: killed during the password derivation or the writes.
        t = Tally(name: "init")
        for (i, ms) in Self.delays(4, 20...1500, seed: 7).enumerated() {
            let db = dir.appendingPathComponent("init\(i).sqlite").path
            _ = try Self.start(["init", "--db", db, "--county-code", "532927", "--township", "南诏镇", "--admin", "boss", "--password-stdin"],
                               stdin: "s3cret\n", killAfter: ms)
            t.tried += 1
            if FileManager.default.fileExists(atPath: db) {
                if Self.sound(db) { t.survived += 1 } else { t.lost += 1; t.notes.append("\(ms) ms: half a database") }
            } else {
                let again = try Binary.run(["init", "--db", db, "--county-code", "532927", "--township", "南诏镇", "--admin", "boss", "--password-stdin"], stdin: "s3cret\n")
                if again.status == 0 && Self.sound(db) { t.survived += 1 } else { t.lost += 1; t.notes.append("\(ms) ms: init refused after the kill") }
            }
        }
        tallies.append(t)

        // backup and restore on one office.
        let db = dir.appendingPathComponent("office.sqlite").path
        #expect(try Binary.run(["demo", "--db", db, "--households", "200"]).status == 0)
        let first = try Binary.run(["backup", "--db", db])
        #expect(first.status == 0, "\(first.stderr)")
        let folder = dir.appendingPathComponent("backups").path
        let goodName = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".sqlite") })
        let good = folder + "/" + goodName

        t = Tally(name: "backup")
        for ms in Self.delays(5, 5...400, seed: 3) {
            _ = try Self.start(["backup", "--db", db], killAfter: ms)
            t.tried += 1
            // The database is untouched, and every file named like a backup is a sound one.
            let named = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".sqlite") }
            let allSound = try named.allSatisfy { try Binary.run(["restore", folder + "/" + $0, "--db", db]).status == 0 }
            if Self.sound(db) && allSound { t.survived += 1 } else { t.lost += 1; t.notes.append("\(ms) ms") }
        }
        tallies.append(t)

        t = Tally(name: "restore")
        for (i, ms) in Self.delays(5, 50...2500, seed: 11).enumerated() {
            let name = "later\(i)"
            #expect(try Binary.run(["user", "add", name, "--role", "clerk", "--db", db, "--user", "admin", "--password-stdin"], stdin: "demo\ndemo\n").status == 0)
            _ = try Self.start(["restore", good, "--db", db, "--yes", "--user", "admin", "--password-stdin"], stdin: "demo\n", killAfter: ms)
            t.tried += 1
            // Either the database as it was (the user still there) or the backup with its
            // restore audit row; never the data restored without the row.
            let user = Binary.sqlite(db, "SELECT count(*) FROM app_user WHERE name = '\(name)'")
            let last = Binary.sqlite(db, "SELECT action FROM audit ORDER BY id DESC LIMIT 1")
            let consistent = user == "1" || last == "restore"
            if Self.sound(db) && consistent { t.survived += 1 } else { t.lost += 1; t.notes.append("\(ms) ms: user \(user ?? "?"), last \(last ?? "?")") }
        }
        tallies.append(t)

        print(tallies.map(\.description).joined(separator: "\n"))
        for t in tallies { #expect(t.lost == 0, "\(t)") }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/sh"), "needs /bin/sh for ulimit -f"))
    func aFullDiskIsOneLineAndLeavesNothing() throws {
        let dir = Binary.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("office.sqlite").path
        #expect(try Binary.run(["demo", "--db", db, "--households", "200"]).status == 0)
        // One file without a WAL, so that a read-only opening writes no -shm (which the limit
        // would refuse before the export even starts).
        #expect(Binary.sqlite(db, "PRAGMA journal_mode = DELETE") == "delete")
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        // 1 block of 512 bytes: room for the start of each file, not the whole of it.
        for args in [["export", "cases"], ["export", "households"], ["report"]] {
            let out = dir.appendingPathComponent("out-\(args.joined(separator: "-")).csv").path
            let flag = args[0] == "report" ? "--out" : "-o"
            let r = try Self.start(args + [flag, out, "--db", db, "--lang", "en"], limitBlocks: 1)
            #expect(!r.signalled, "\(args): killed by a signal: \(r.stderr)")
            #expect(r.status != 0, "\(args) said it worked")
            #expect(r.stderr.contains("The disk is full") && r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out) && !FileManager.default.fileExists(atPath: out + ".part"), "\(args) left a file")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
        #expect(Self.sound(db))
    }

    @Test func theDatabaseIsNeverAnOutputAndAnExistingFileIsKept() throws {
        let dir = Binary.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("office.sqlite").path
        #expect(try Binary.run(["demo", "--db", db, "--households", "20"]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("x"), withIntermediateDirectories: true)
        for args in [["export", "cases", "-o"], ["export", "households", "-o"], ["report", "--out"], ["export", "publicity", "1", "-o"]] {
            for target in [db, db + "-wal", db + ".key", db + ".anchor", dir.appendingPathComponent("./x/../office.sqlite").path] {
                let r = try Binary.run(args + [target, "--db", db, "--force", "--lang", "en"])
                #expect(r.status != 0 && r.stderr.contains("own files"), "\(args) \(target): \(r.stderr)")
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
        #expect(Self.sound(db))
        let out = dir.appendingPathComponent("cases.csv").path
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: out))
        let r = try Binary.run(["export", "cases", "-o", out, "--db", db, "--lang", "en"])
        #expect(r.status != 0 && r.stderr.contains("--force"))
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "keep me")
        #expect(try Binary.run(["export", "cases", "-o", out, "--db", db, "--force"]).status == 0)
        #expect(try String(contentsOfFile: out, encoding: .utf8).count > 100)
    }

    @Test func anEmptyFileAndAForgedRowAreRefusedOrReported() throws {
        let dir = Binary.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = dir.appendingPathComponent("empty.sqlite").path
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        // `demo` and `init` onto it say it is empty too (not "already exists", which sent one to
        // open it), and leave it.
        for args in [["verify"], ["user", "list"], ["demo", "--households", "5"],
                     ["init", "--county-code", "532927", "--township", "南诏镇", "--admin", "admin", "--password-stdin"]] {
            let r = try Binary.run(args + ["--db", empty, "--lang", "en"], stdin: "pw123456\npw123456\n")
            #expect(r.status != 0 && r.stderr.contains("is empty (0 bytes)"), "\(r.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: empty)).isEmpty)
        // An amount changed with a SQLite tool (triggers dropped first), the last rows deleted.
        let db = dir.appendingPathComponent("office.sqlite").path
        #expect(try Binary.run(["demo", "--db", db, "--households", "20"]).status == 0)
        _ = Binary.sqlite(db, "DROP TRIGGER jz_guard_assistance_case_upd; UPDATE assistance_case SET monthly_amount_fen = 99999900 WHERE id = (SELECT min(id) FROM assistance_case)")
        let v = try Binary.run(["verify", "--db", db, "--lang", "en"])
        #expect(v.status != 0 && v.stderr.contains("assistance_case"), "\(v.stderr)")
        let db2 = dir.appendingPathComponent("cut.sqlite").path
        #expect(try Binary.run(["demo", "--db", db2, "--households", "20"]).status == 0)
        let n = try #require(Binary.sqlite(db2, "SELECT max(id) FROM audit").flatMap { Int($0) })
        _ = Binary.sqlite(db2, "DELETE FROM audit WHERE id > \(n - 3)")
        let v2 = try Binary.run(["verify", "--db", db2, "--lang", "en"])
        #expect(v2.status != 0 && v2.stderr.contains("rows \(n - 2)–\(n) are missing since the anchor of"), "\(v2.stderr)")
        let v3 = try Binary.run(["verify", "--db", db2, "--lang", "zh"])
        #expect(v3.status != 0 && v3.stderr.contains("的锚点以来，第 \(n - 2)–\(n) 行缺失") && !v3.stderr.contains("missing"), "\(v3.stderr)")
    }

    /// Reading commands never write (finding 7): each one on a file closed clean (no `-wal`,
    /// where GRDB's writer would make one by creating and dropping a table) leaves it byte for
    /// byte as it was.
    @Test func readingCommandsLeaveTheFileAsItWas() throws {
        let dir = Binary.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("office.sqlite").path
        #expect(try Binary.run(["demo", "--db", db, "--households", "20"]).status == 0)
        _ = Binary.sqlite(db, "PRAGMA wal_checkpoint(TRUNCATE)")
        let commands: [[String]] = [
            ["verify"], ["user", "list"], ["case", "show", "1"], ["case", "notice", "1"], ["report"], ["backup", "--list"],
            ["roster", "list"], ["household", "show", "1"], ["publicity", "list"], ["spotcheck", "list"],
            ["campaign", "list"], ["campaign", "report", "1"], ["disaster", "list"],
            ["export", "cases", "--format", "csv", "-o", dir.appendingPathComponent("c.csv").path, "--force"],
        ]
        var changed: [String] = []
        for args in commands {
            for f in [db + "-wal", db + "-shm"] { try? FileManager.default.removeItem(atPath: f) }
            let before = try Data(contentsOf: URL(fileURLWithPath: db))
            let r = try Binary.run(args + ["--db", db])
            if r.status != 0 && !(args.first == "campaign" && args.count > 2) { changed.append("\(args.joined(separator: " ")): exit \(r.status) \(r.stderr)") }
            if try Data(contentsOf: URL(fileURLWithPath: db)) != before { changed.append(args.joined(separator: " ")) }
        }
        #expect(changed.isEmpty, "\(changed.joined(separator: "\n"))")
    }

    /// Every command with bad values where its arguments go: never a crash (a signal, a Swift
    /// runtime error or a backtrace), and the database still verifies.
    @Test func commandLineFuzzNeverCrashes() throws {
        let dir = Binary.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("office.sqlite").path
        #expect(try Binary.run(["demo", "--db", db, "--households", "20"]).status == 0)
        let templates: [[String]] = [
            ["user", "list"], ["user", "add", "V", "--role", "V"], ["user", "password", "V", "--user", "V"], ["user", "disable", "V"],
            ["region", "add", "V", "V"], ["region", "list"], ["backup", "-o", "V"], ["backup", "--list", "-o", "V"], ["restore", "V"], ["verify"],
            ["check-id", "V"], ["case", "show", "V"], ["case", "notice", "V"], ["export", "cases", "-o", "V"],
            ["export", "households", "--format", "V"], ["export", "survey", "V"], ["export", "publicity", "V", "--format", "txt"],
            ["report", "--year", "V"], ["report", "--from", "V", "--until", "V"], ["report", "--township", "V", "--by-township"], ["roster", "make", "--program", "V"],
            ["roster", "confirm", "V"], ["roster", "export", "1", "-o", "V", "--user", "V"],
            ["spotcheck", "draw", "--program", "rural_dibao", "--percent", "V", "--dry-run"], ["spotcheck", "draw", "--program", "V", "--period", "V", "--dry-run"],
            ["campaign", "report", "V"], ["campaign", "start", "--program", "V"], ["publicity", "list", "--lang", "V"],
            ["demo", "--households", "V"], ["init", "--county-code", "V", "--township", "V", "--admin", "V"],
        ]
        let bad = ["", "-1", "0", "99999999999999999999", "abc", "\u{1B}[2J\u{1B}[31mX", String(repeating: "长", count: 5000),
                   "../../../../etc/passwd", "/dev/full", db, "2026-13-45", "\n\n", "#"]
        var tried = 0, crashed: [String] = []
        for t in templates {
            for v in bad {
                var args = t.map { $0 == "V" ? v : $0 }
                if !args.contains("--db") && t.first != "check-id" { args += ["--db", db] }
                if args.first == "demo" || args.first == "init" { args = args.map { $0 == db ? dir.appendingPathComponent("new.sqlite").path : $0 } }
                // In a folder of its own: outputs with relative names land there, not in the package.
                let r = try Self.start(args, in: dir)
                tried += 1
                if r.signalled || r.stderr.contains("Fatal error") || r.stderr.contains("Stack dump") || r.stderr.contains("backtrace") {
                    crashed.append("\(args.prefix(4)): status \(r.status) \(r.stderr.prefix(200))")
                }
            }
        }
        print("command-line fuzz: tried \(tried), crashed \(crashed.count)")
        #expect(crashed.isEmpty, "\(crashed.joined(separator: "\n"))")
        #expect(Self.sound(db))
    }
}
