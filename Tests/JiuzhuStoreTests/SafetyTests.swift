import Crypto
import Foundation
import GRDB
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// Nothing lost, nothing forged (issue 19): the one file-writing helper, the keyed and anchored
/// audit chain, the guarded tables, and opening that refuses bad files without writing.
@Suite struct SafetyTests {
    /// A row's MAC, built in one buffer (issue 26), is the HMAC of the bytes the triggers have
    /// always fed it column by column: the digests kept in every file stay valid.
    @Test func aRowsMacIsTheHMACOfItsTypedValues() throws {
        let key = SymmetricKey(size: .bits256)
        let rows: [[DatabaseValue]] = [
            ["household".databaseValue, 42.databaseValue, DatabaseValue.null, "张三丰".databaseValue, (-7).databaseValue],
            ["payment_line".databaseValue, 1.5.databaseValue, "".databaseValue, Data([0, 1, 0x1F, 255]).databaseValue, Int64.min.databaseValue],
            [],
        ]
        for values in rows {
            var h = HMAC<SHA256>(key: key)
            for v in values {
                switch v.storage {
                case .null: h.update(data: Data("n\u{1F}".utf8))
                case .int64(let i): h.update(data: Data("i\(i)\u{1F}".utf8))
                case .double(let d): h.update(data: Data("d\(d)\u{1F}".utf8))
                case .string(let s): h.update(data: Data("s\(s.utf8.count):\(s)\u{1F}".utf8))
                case .blob(let b): h.update(data: Data("b\(b.count):".utf8)); h.update(data: b); h.update(data: Data("\u{1F}".utf8))
                }
            }
            let expected = Array(h.finalize())
            #expect(Guarded.rowMacBytes(key, values) == expected)
            #expect(Guarded.rowMac(key, values) == Hex.string(expected))
        }
    }

    func tempDir() -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("jz-safe-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    /// A file store with `rows` audit rows (households added by a clerk).
    func fileStore(_ dir: URL, rows: Int = 6) throws -> Store {
        let s = try Store(path: dir.appendingPathComponent("office.sqlite").path, mode: .create)
        try s.write { db in
            try db.execute(sql: """
                INSERT INTO region VALUES ('532927000000', '巍山县', 'county', NULL);
                INSERT INTO region VALUES ('532927101000', '南诏镇', 'township', '532927000000');
                INSERT INTO region VALUES ('532927101201', '李家村', 'village', '532927101000');
                """)
            // The clerk who enters the households (the store takes changes only from its users),
            // put in without an audit row so the row numbers these tests count stay those of
            // the households.
            try db.execute(sql: """
                INSERT INTO app_user(name, display_name, role, pw_algo, pw_iterations, pw_salt, pw_hash, created_at)
                VALUES ('jingban', 'jingban', 'clerk', 'pbkdf2-sha256', 1000, x'00', x'00', '2026-01-01T00:00:00Z')
                """)
        }
        for i in 0..<rows {
            try s.addHousehold(Household(villageCode: "532927101201", address: "\(i)号"),
                               members: [person("户主\(i)", "1960-02-\(String(format: "%02d", i + 1))", seq: i + 10)], by: "jingban")
        }
        return s
    }

    // MARK: the file-writing helper

    @Test func safeFileRefusesTheDatabasesOwnFilesAndExistingFiles() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try fileStore(dir, rows: 1)
        let before = try Data(contentsOf: URL(fileURLWithPath: s.path))
        for f in SafeFile.databaseFiles(s.path) {
            #expect(throws: StoreError.databaseFile(path: f)) { try SafeFile.write("x", to: f, force: true) }
        }
        // A relative path through another name for the folder is the same file.
        let alias = dir.appendingPathComponent("sub/../office.sqlite").path
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        #expect(throws: StoreError.databaseFile(path: alias)) { try SafeFile.write("x", to: alias, force: true) }
        // A hard link to the database is the database.
        let link = dir.appendingPathComponent("copy.csv").path
        #expect(Glibc.link(s.path, link) == 0)
        #expect(throws: StoreError.databaseFile(path: link)) { try SafeFile.write("x", to: link, force: true) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: s.path)) == before)
        #expect(try s.verifyAudit() == .intact(rows: 1))
        // An existing file needs force; then it is replaced whole, 0600.
        let out = dir.appendingPathComponent("out.csv").path
        try SafeFile.write("one", to: out)
        #expect(throws: StoreError.fileExists(path: out)) { try SafeFile.write("two", to: out) }
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "one")
        try SafeFile.write("two", to: out, force: true)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "two")
        #expect((try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(!FileManager.default.fileExists(atPath: out + ".part"))
    }

    @Test func safeFileLeavesNothingWhenTheWriteFails() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("half.csv").path
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try SafeFile.stream(to: out) { w in
                try w.write(String(repeating: "x", count: 200_000))
                throw Boom()
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        // A missing folder is one clear error, and nothing is left either.
        let nowhere = dir.appendingPathComponent("no/such/folder/x.csv").path
        do { try SafeFile.write("x", to: nowhere); Issue.record("wrote into a missing folder") }
        catch let e as StoreError { if case .writeFailed = e {} else { Issue.record("\(e)") } }
    }

    /// No `try!` anywhere in Sources, and no file written except through `SafeFile` (or the
    /// store's own SQLite files and the log).
    @Test func noTryBangAndOneWayToWriteAFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(atPath: root.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        #expect(files.count > 50)
        var offenders: [String] = []
        let allowedCreate: Set<String> = ["JiuzhuStore/SafeFile.swift", "JiuzhuStore/Store.swift", "JiuzhuStore/Backup.swift", "TermCurses/Log.swift"]
        for f in files {
            let text = try String(contentsOfFile: root.appendingPathComponent(f).path, encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.components(separatedBy: "//").first ?? ""
                if code.contains("try!") { offenders.append("\(f):\(n + 1): try!") }
                if code.contains("O_CREAT") && !allowedCreate.contains(f) { offenders.append("\(f):\(n + 1): O_CREAT outside SafeFile") }
                if code.contains("standardOutput.write") || code.contains(".write(to:") && !f.hasPrefix("TermUI/GoldenFile") {
                    offenders.append("\(f):\(n + 1): a write that can trap or skip SafeFile")
                }
                if code.contains("rename(") && !allowedCreate.contains(f) && !f.hasSuffix("PublicityXLSX.swift") {
                    offenders.append("\(f):\(n + 1): rename outside SafeFile")
                }
            }
        }
        #expect(offenders.isEmpty, "\(offenders.joined(separator: "\n"))")
    }

    // MARK: the chain

    @Test func truncationIsReportedAgainstTheAnchor() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try fileStore(dir, rows: 8)
        #expect(try s.verifyAudit() == .intact(rows: 8))
        #expect(s.anchorText()?.hasPrefix("#8 ") == true)
        try raw(s) { try $0.execute(sql: "DELETE FROM audit WHERE id = 8") }
        guard case .broken(let row, let why) = try s.verifyAudit() else { Issue.record("the last row's deletion went unnoticed"); return }
        #expect(row == 8)
        #expect(why.text(.en).hasPrefix("row 8 is missing since the anchor of "), "\(why)")
        try raw(s) { try $0.execute(sql: "DELETE FROM audit WHERE id >= 5") }
        guard case .broken(_, let why2) = try s.verifyAudit() else { Issue.record("a truncation went unnoticed"); return }
        #expect(why2.text(.en).hasPrefix("rows 5–8 are missing since the anchor of "), "\(why2)")
    }

    /// The reason is said in the user's language, not in English inside a Chinese sentence.
    @Test func aTruncatedChainIsReportedInChinese() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try fileStore(dir, rows: 6)
        try raw(s) { try $0.execute(sql: "DELETE FROM audit WHERE id >= 4") }
        guard case .broken(let row, let why) = try s.verifyAudit() else { Issue.record("a truncation went unnoticed"); return }
        #expect(row == 4)
        #expect(why.key == "store.verify.rowsMissingSinceAnchor")
        let zh = StoreError.auditBroken(atRow: row, reason: why).message(.zh)
        #expect(zh.hasPrefix("审计链在第 4 行断开"), "\(zh)")
        #expect(zh.contains("的锚点以来，第 4–6 行缺失"), "\(zh)")
        #expect(!zh.contains("missing") && !zh.contains("anchor"), "\(zh)")
        let en = StoreError.auditBroken(atRow: row, reason: why).message(.en)
        #expect(en.contains("rows 4–6 are missing since the anchor of "), "\(en)")
    }

    @Test func rehashingAnEditedChainIsCaughtByTheKey() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try fileStore(dir, rows: 5)
        // Edit row 3 and work the public SHA-256 chain out again from there, as a forger would.
        try raw(s) { db in
            try db.execute(sql: "UPDATE audit SET user = 'someone' WHERE id = 3")
            try rehash(db, from: 3)
        }
        guard case .broken(let row, let why) = try s.verifyAudit() else { Issue.record("a re-hashed chain passed"); return }
        #expect(row == 3)
        #expect(why.text(.en).contains("key"), "\(why)")
    }

    @Test func aCaseChangedWithoutAnAuditRowIsCaught() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try fileStore(dir, rows: 1)
        try s.write { db in
            try db.execute(sql: """
                INSERT INTO assistance_case(household_id, programme, step, step_since, status, applied_on, monthly_amount_fen,
                    village_code, created_at, updated_at) VALUES (1, 'rural_dibao', 'approve', '2026-01-01', 'active', '2026-01-01', 30000,
                    '532927101201', 'x', 'x')
                """)
            try Audit.append(db, user: "t", action: "case.add", entity: "case", entityId: "1", detail: "{}")
        }
        #expect(try s.verifyAudit() == .intact(rows: 2))
        // A SQLite tool cannot write a guarded table: the trigger's function is not there.
        #expect(throws: (any Error).self) { try raw(s) { try $0.execute(sql: "UPDATE assistance_case SET monthly_amount_fen = 99999999") } }
        // One that drops the triggers first leaves a digest that no longer matches.
        try raw(s) { db in
            try db.execute(sql: "DROP TRIGGER jz_guard_assistance_case_upd")
            try db.execute(sql: "UPDATE assistance_case SET monthly_amount_fen = 99999999")
        }
        guard case .broken(_, let why) = try s.verifyAudit() else { Issue.record("an amount changed with no audit row passed"); return }
        #expect(why.text(.en).contains("assistance_case"), "\(why)")
        // Deleting a step record is caught too.
        let t = tempDir()
        defer { try? FileManager.default.removeItem(at: t) }
        let s2 = try fileStore(t, rows: 1)
        try s2.write { db in
            try db.execute(sql: "UPDATE app_user SET role = role")   // the same values: no change
        }
        try raw(s2) { db in
            for n in Guarded.triggerNames("app_user") { try db.execute(sql: "DROP TRIGGER \(n)") }
            try db.execute(sql: "INSERT INTO app_user(name, display_name, role, pw_algo, pw_iterations, pw_salt, pw_hash, created_at) VALUES ('boss', 'boss', 'admin', 'x', 1, x'00', x'00', 'now')")
        }
        if case .intact = try s2.verifyAudit() { Issue.record("an administrator added with a SQLite tool passed") }
    }

    /// Any sequence of edits to the audit table made without the key (update, delete, truncate,
    /// insert, re-hash) is caught by `verifyAudit`. 150 random sequences, each from its seed.
    @Test func randomAuditEditsAreAlwaysCaught() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let original = try fileStore(dir, rows: 12)
        try original.close()
        let base = dir.appendingPathComponent("office.sqlite").path
        let image = try Data(contentsOf: URL(fileURLWithPath: base))
        let anchor = try Data(contentsOf: URL(fileURLWithPath: base + ".anchor"))
        var missed: [String] = []
        for seed in UInt64(1)...150 {
            var rng = SplitMix(seed: seed)
            let path = dir.appendingPathComponent("t\(seed).sqlite").path
            try image.write(to: URL(fileURLWithPath: path))
            try anchor.write(to: URL(fileURLWithPath: path + ".anchor"))
            try FileManager.default.copyItem(atPath: base + ".key", toPath: path + ".key")
            var log: [String] = []
            let q = try DatabaseQueue(path: path)
            try q.write { db in
                for _ in 0..<(1 + Int(rng.next() % 3)) {
                    let n = try Int64.fetchOne(db, sql: "SELECT max(id) FROM audit") ?? 0
                    guard n > 0 else { break }
                    let row = 1 + Int64(rng.next() % UInt64(n))
                    switch rng.next() % 5 {
                    case 0:
                        try db.execute(sql: "UPDATE audit SET detail = detail || 'x' WHERE id = ?", arguments: [row]); log.append("update \(row)")
                    case 1:
                        try db.execute(sql: "DELETE FROM audit WHERE id = ?", arguments: [row]); log.append("delete \(row)")
                    case 2:
                        try db.execute(sql: "DELETE FROM audit WHERE id >= ?", arguments: [row]); log.append("truncate \(row)")
                    case 3:
                        let last = try Row.fetchOne(db, sql: "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
                        let id: Int64 = (last?["id"] ?? 0) + 1, prev: String = last?["hash"] ?? Audit.genesis
                        let c = Audit.canonical(id: id, at: "2026-01-01T00:00:00Z", user: "admin", action: "user.add", entity: "user", entityId: "x", detail: "{}")
                        let h = Audit.hash(prev: prev, canonical: c)
                        try db.execute(sql: "INSERT INTO audit VALUES (?, '2026-01-01T00:00:00Z', 'admin', 'user.add', 'user', 'x', '{}', ?, ?, ?)",
                                       arguments: [id, prev, h, String(h.reversed())])
                        log.append("insert \(id)")
                    default:
                        try db.execute(sql: "UPDATE audit SET user = user || 'x' WHERE id = ?", arguments: [row])
                        try rehash(db, from: row)
                        log.append("re-hash from \(row)")
                    }
                }
            }
            try q.close()
            let s = try Store(path: path, mode: .readOnly)
            if case .intact = try s.verifyAudit() { missed.append("seed \(seed): \(log.joined(separator: ", "))") }
            try s.close()
        }
        #expect(missed.isEmpty, "\(missed.joined(separator: "\n"))")
    }

    // MARK: opening

    @Test func openingRefusesEmptyForeignNewerAndDamagedFilesWithoutWriting() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = dir.appendingPathComponent("empty.sqlite").path
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        #expect(throws: StoreError.emptyFile(path: empty)) { try Store(path: empty, mode: .mustExist) }
        #expect(throws: StoreError.emptyFile(path: empty)) { try Store(path: empty, mode: .createOrOpen) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: empty)).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: empty + ".key"))
        let text = dir.appendingPathComponent("notes.sqlite").path
        try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: URL(fileURLWithPath: text))
        #expect(throws: StoreError.notADatabase(path: text)) { try Store(path: text, mode: .mustExist) }
        #expect(throws: StoreError.notADatabase(path: dir.path)) { try Store(path: dir.path, mode: .mustExist) }
        // A newer database: a migration this build does not know, or a user_version.
        let s = try fileStore(dir, rows: 1)
        try s.close()
        let newer = dir.appendingPathComponent("newer.sqlite").path
        try FileManager.default.copyItem(atPath: s.path, toPath: newer)
        try FileManager.default.copyItem(atPath: s.keyPath, toPath: newer + ".key")
        let q = try DatabaseQueue(path: newer)
        try q.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99 from the future')") }
        try q.close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: newer))
        #expect(throws: StoreError.newerSchema(path: newer)) { try Store(path: newer, mode: .mustExist) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: newer)) == bytes)
        let q2 = try DatabaseQueue(path: newer)
        try q2.write { db in
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v99%'")
            try db.execute(sql: "PRAGMA user_version = 3")
        }
        try q2.close()
        #expect(throws: StoreError.newerSchema(path: newer)) { try Store(path: newer, mode: .mustExist) }
        // Flipped bytes in a page: quick_check fails on open, nothing is served.
        let damaged = dir.appendingPathComponent("damaged.sqlite").path
        var image = try Data(contentsOf: URL(fileURLWithPath: s.path))
        for i in stride(from: 4096 * 2 + 200, to: min(image.count, 4096 * 6), by: 7) { image[i] ^= 0x5A }
        try image.write(to: URL(fileURLWithPath: damaged))
        do { _ = try Store(path: damaged, mode: .mustExist); Issue.record("a damaged file was opened") }
        catch let e as StoreError {
            switch e { case .corrupt, .notADatabase: break; default: Issue.record("\(e)") }
        }
    }

    /// A file above the size checked before opening is opened at once and checked afterwards
    /// (the app does it in the background): a damaged one is found, and from then on every write
    /// is refused; a sound one goes on as usual.
    @Test func aLargeFileIsCheckedAfterOpeningAndADamagedOneTakesNoWrites() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try fileStore(dir, rows: 3)
        #expect(s.checkedWhenOpened)
        try s.close()
        // Sound: nothing found, writes go on.
        let sound = try Store(path: s.path, mode: .mustExist, quickCheckLimit: 0)
        #expect(!sound.checkedWhenOpened)
        #expect(sound.checkAfterOpening() == nil)
        try sound.addHousehold(Household(villageCode: "532927101201", address: "新"),
                               members: [person("新户", "1962-04-04", seq: 77)], by: "jingban")
        try sound.close()
        // An index page that neither the opening nor the write below reads, overwritten.
        let q = try DatabaseQueue(path: s.path)
        let (root, pageSize) = try q.read { db in
            (try #require(try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND name = 'complaint_by_case'")),
             try #require(try Int.fetchOne(db, sql: "PRAGMA page_size")))
        }
        try q.close()
        let h = try #require(FileHandle(forUpdatingAtPath: s.path))
        try h.seek(toOffset: UInt64((root - 1) * pageSize))
        try h.write(contentsOf: Data(repeating: 0xFF, count: 64))
        try h.close()
        // Checked before opening (the usual size): refused at once.
        #expect(throws: (any Error).self) { try Store(path: s.path, mode: .mustExist) }
        // Above the limit: opened, then found.
        let big = try Store(path: s.path, mode: .mustExist, quickCheckLimit: 0)
        let rows = try big.auditNewest()
        guard case .corrupt(let path, _)? = big.checkAfterOpening() else { Issue.record("a damaged index page went unnoticed"); return }
        #expect(path == s.path)
        #expect(big.damaged != nil)
        do {
            try big.addHousehold(Household(villageCode: "532927101201", address: "后"),
                                 members: [person("后户", "1963-05-05", seq: 78)], by: "jingban")
            Issue.record("a write went into a file found damaged")
        } catch let e as StoreError {
            if case .corrupt = e {} else { Issue.record("\(e)") }
        }
        #expect(try big.auditNewest() == rows)
        try big.close()
    }

    @Test func verifyingNeverChangesTheFile() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try fileStore(dir, rows: 3)
        try s.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: s.path))
        let anchor = try Data(contentsOf: URL(fileURLWithPath: s.anchorPath))
        for _ in 0..<2 {
            let r = try Store(path: s.path, mode: .readOnly)
            #expect(try r.verifyAudit() == .intact(rows: 3))
            #expect(try r.integrityCheck().isEmpty)
            try r.close()
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: s.path)) == before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: s.anchorPath)) == anchor)
    }

    @Test func aLostKeyIsExplainedAndAnUnkeyedCopyBesideAKeyIsRefused() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try fileStore(dir, rows: 2)
        try s.close()
        try FileManager.default.moveItem(atPath: s.keyPath, toPath: s.keyPath + ".kept")
        #expect(throws: StoreError.keyMissing(path: s.keyPath)) { try Store(path: s.path, mode: .mustExist) }
        let r = try Store(path: s.path, mode: .readOnly)
        guard case .broken(_, let why) = try r.verifyAudit() else { Issue.record("verified without the key"); return }
        #expect(why.text(.en).contains("key file"))
        try r.close()
        try FileManager.default.moveItem(atPath: s.keyPath + ".kept", toPath: s.keyPath)
        // Keys stripped from the rows (to pass off a forged chain as an old, unkeyed one).
        let q = try DatabaseQueue(path: s.path)
        try q.write { try $0.execute(sql: "UPDATE audit SET mac = NULL") }
        try q.close()
        #expect(throws: StoreError.unsignedDatabase(path: s.path)) { try Store(path: s.path, mode: .mustExist) }
    }

    // MARK: helpers

    /// Write with a plain connection, as a SQLite tool would (no key functions).
    func raw(_ s: Store, _ body: (Database) throws -> Void) throws {
        let q = try DatabaseQueue(path: s.path)
        defer { try? q.close() }
        try q.write(body)
    }

    /// Work the SHA-256 links out again from `row` on (without the key: the macs stay).
    func rehash(_ db: Database, from row: Int64) throws {
        var prev = try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE id < ? ORDER BY id DESC LIMIT 1", arguments: [row]) ?? Audit.genesis
        for r in try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE id >= ? ORDER BY id", arguments: [row]) {
            let c = Audit.canonical(id: r["id"], at: r["at"], user: r["user"], action: r["action"], entity: r["entity"], entityId: r["entity_id"], detail: r["detail"])
            let h = Audit.hash(prev: prev, canonical: c)
            try db.execute(sql: "UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?", arguments: [prev, h, r["id"] as Int64])
            prev = h
        }
    }
}

/// A small seeded generator (SplitMix64), so a failing sequence can be replayed from its seed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
