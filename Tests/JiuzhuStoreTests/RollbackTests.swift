import Foundation
import GRDB
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// A database put back together with its anchor file to an older copy (issue 19): the backups'
/// keyed sidecars still record the longer chain, and `verifyAudit` reports the rows missing
/// since the newest of them; a restore lists the heads it supersedes, so it is not reported.
@Suite struct RollbackTests {
    /// A file store with an administrator and a clerk (put in without audit rows, so the row
    /// numbers below are those of the households and backups).
    func office(_ dir: URL) throws -> Store {
        let s = try Store(path: dir.appendingPathComponent("office.sqlite").path, mode: .create)
        try s.write { db in
            try db.execute(sql: """
                INSERT INTO region VALUES ('532927000000', '巍山县', 'county', NULL);
                INSERT INTO region VALUES ('532927101000', '南诏镇', 'township', '532927000000');
                INSERT INTO region VALUES ('532927101201', '李家村', 'village', '532927101000');
                """)
            for (name, role) in [("jingban", "clerk"), ("admin", "admin")] {
                try db.execute(sql: """
                    INSERT INTO app_user(name, display_name, role, pw_algo, pw_iterations, pw_salt, pw_hash, created_at)
                    VALUES (?, ?, ?, 'pbkdf2-sha256', 1000, x'00', x'00', '2026-01-01T00:00:00Z')
                    """, arguments: [name, name, role])
            }
        }
        return s
    }

    /// One household added by the clerk: one audit row.
    final class Adder {
        var n = 0
        func add(_ s: Store) throws {
            n += 1
            try s.addHousehold(Household(villageCode: "532927101201", address: "\(n)号"),
                               members: [person("户主\(n)", "1961-03-01", seq: 100 + n)], by: "jingban")
        }
    }

    func tempDir() -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("jz-rollback-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    /// The database and its anchor as they are now, copied aside (the database through SQLite's
    /// backup, so the copy is whole while the store is open).
    func snapshot(_ s: Store, to path: String) throws {
        let q = try DatabaseQueue(path: path)
        try s.writer.backup(to: q)
        try q.close()
        // (no anchor yet before the first audit row)
        if FileManager.default.fileExists(atPath: s.anchorPath) {
            try FileManager.default.copyItem(atPath: s.anchorPath, toPath: path + ".anchor")
        }
    }

    /// Put `snapshot` (and its anchor) in place of the database, as someone copying files would.
    func putBack(_ snapshot: String, over path: String) throws {
        for f in [path, path + "-wal", path + "-shm", path + ".anchor"] { try? FileManager.default.removeItem(atPath: f) }
        try FileManager.default.copyItem(atPath: snapshot, toPath: path)
        if FileManager.default.fileExists(atPath: snapshot + ".anchor") {
            try FileManager.default.copyItem(atPath: snapshot + ".anchor", toPath: path + ".anchor")
        }
    }

    func verdict(_ path: String) throws -> Audit.Verdict {
        let r = try Store(path: path, mode: .readOnly)
        defer { try? r.close() }
        return try r.verifyAudit()
    }

    @Test func theDatabaseAndItsAnchorPutBackTogetherAreCaughtByTheBackups() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try office(dir)
        let path = s.path
        let adder = Adder()
        for _ in 0..<6 { try adder.add(s) }
        let old = dir.appendingPathComponent("old.sqlite").path
        try snapshot(s, to: old)                                    // rows 1–6
        for _ in 0..<3 { try adder.add(s) }                         // rows 7–9
        let b = try s.backup(by: "jingban", now: Date(timeIntervalSince1970: 1_790_000_000))   // head 9, row 10
        #expect(b.auditRows == 9)
        try adder.add(s)                                            // row 11
        #expect(try s.verifyAudit() == .intact(rows: 11))
        try s.close()

        // The old database with its old anchor: the anchor agrees, the backup does not.
        try putBack(old, over: path)
        guard case .broken(let row, let why) = try verdict(path) else { Issue.record("a rollback of the database and its anchor passed"); return }
        #expect(row == 7)
        #expect(why.text(.en).hasPrefix("rows 7–9 are missing since the backup of "), "\(why)")
        #expect(why.text(.en).contains((b.file.path as NSString).lastPathComponent), "\(why)")

        // The old copy worked on afterwards (its own rows 7–9, the anchor kept up to date).
        let again = try Store(path: path, mode: .mustExist)
        for _ in 0..<3 { try adder.add(again) }
        guard case .broken(let row2, let why2) = try again.verifyAudit() else { Issue.record("a rolled-back database worked on passed"); return }
        #expect(row2 == 9)
        #expect(why2.text(.en).hasPrefix("row 9 is not the one the backup of "), "\(why2)")
        try again.close()

        // The last rows cut and the anchor written again with the key (someone with the key file).
        let t = tempDir()
        defer { try? FileManager.default.removeItem(at: t) }
        let s2 = try office(t)
        for _ in 0..<5 { try adder.add(s2) }
        _ = try s2.backup(by: "jingban", now: Date(timeIntervalSince1970: 1_790_000_000))    // head 5, row 6
        let key = try #require(s2.key)
        try s2.close()
        let q = try DatabaseQueue(path: s2.path)
        let head = try q.write { db -> Row in
            try db.execute(sql: "DELETE FROM audit WHERE id >= 3")
            return try #require(try Row.fetchOne(db, sql: "SELECT id, hash, at FROM audit ORDER BY id DESC LIMIT 1"))
        }
        try q.close()
        try FileManager.default.removeItem(atPath: s2.anchorPath)
        KeyFile.writeAnchor(.signed(id: head["id"], hash: head["hash"], at: head["at"], key: key), to: s2.anchorPath)
        guard case .broken(_, let why3) = try verdict(s2.path) else { Issue.record("rows cut with the anchor rewritten passed"); return }
        #expect(why3.text(.en).hasPrefix("rows 3–5 are missing since the backup of "), "\(why3)")
    }

    @Test func aRestoreFromAnOlderBackupIsNotARollback() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try office(dir)
        let adder = Adder()
        for _ in 0..<4 { try adder.add(s) }
        let b1 = try s.backup(by: "jingban", now: Date(timeIntervalSince1970: 1_790_000_000))  // head 4
        for _ in 0..<2 { try adder.add(s) }
        let b2 = try s.backup(by: "jingban", now: Date(timeIntervalSince1970: 1_790_000_100))  // head 7
        try adder.add(s)
        let beforeRestore = dir.appendingPathComponent("before-restore.sqlite").path
        try snapshot(s, to: beforeRestore)
        // Back to the first backup: rows 5– of the old line are gone on purpose.
        let r = try s.restore(from: b1.file.path, by: "admin", now: Date(timeIntervalSince1970: 1_790_000_200))
        #expect(r.saved != nil)
        #expect(try s.verifyAudit() == .intact(rows: 5))
        let row = try #require(try s.read { try Audit.entries($0, limit: 1) }.first)
        #expect(row.action == "restore")
        #expect(row.detail.contains("supersedes"), "\(row.detail)")
        // Work goes on, a backup of the new line, and it still verifies ...
        for _ in 0..<3 { try adder.add(s) }
        _ = try s.backup(by: "jingban", now: Date(timeIntervalSince1970: 1_790_000_300))       // head 8
        try adder.add(s)
        #expect(try s.verifyAudit() == .intact(rows: 10))
        // ... and putting back a superseded backup is a restore like any other.
        _ = try s.restore(from: b2.file.path, by: "admin", now: Date(timeIntervalSince1970: 1_790_000_400))
        #expect(try s.verifyAudit() == .intact(rows: 8))
        try s.close()
        #expect(try verdict(s.path) == .intact(rows: 8))
        // The restore's list does not cover a copy from before it put back by hand.
        try putBack(beforeRestore, over: s.path)
        guard case .broken(_, let why) = try verdict(s.path) else { Issue.record("a copy from before a restore put back by hand passed"); return }
        #expect(why.text(.en).contains("since the backup of") || why.text(.en).contains("is not the one the backup of"), "\(why)")
    }

    @Test func backupNamesOfThisDatabaseOnly() {
        #expect(ChainRecords.isBackupName("office-20261203-140200.sqlite", base: "office"))
        #expect(ChainRecords.isBackupName("office-auto-20261203-140200.sqlite", base: "office"))
        #expect(ChainRecords.isBackupName("office-20261203-140200-3.sqlite", base: "office"))
        #expect(!ChainRecords.isBackupName("office-before-restore-20261203-140200.sqlite", base: "office"))
        #expect(!ChainRecords.isBackupName(".bench-copy-12-office-20261203-140200.sqlite", base: "office"))
        #expect(!ChainRecords.isBackupName("office-2-20261203-140200.sqlite", base: "office"))
        #expect(!ChainRecords.isBackupName("usb-stick.sqlite", base: "office"))
    }

    /// Random work (households added, backups, restores of any backup) always verifies; putting
    /// the database and its anchor back to any copy taken before the last backup's rows is always
    /// caught. 20 sequences, each from its seed.
    @Test func randomRestoresPassAndEveryRollbackIsCaught() throws {
        var failures: [String] = []
        for seed in UInt64(1)...20 {
            var rng = SplitMix(seed: seed)
            let dir = tempDir()
            defer { try? FileManager.default.removeItem(at: dir) }
            let s = try office(dir)
            let adder = Adder()
            var backups: [String] = []
            var snapshots: [String] = []
            var log: [String] = []
            var clock = 1_790_000_000.0
            for step in 0..<(6 + Int(rng.next() % 6)) {
                clock += 60
                switch rng.next() % 6 {
                case 0, 1, 2:
                    try adder.add(s); log.append("add")
                case 3:
                    backups.append(try s.backup(by: "jingban", now: Date(timeIntervalSince1970: clock)).file.path); log.append("backup")
                case 4 where !backups.isEmpty:
                    let b = backups[Int(rng.next() % UInt64(backups.count))]
                    _ = try s.restore(from: b, by: "admin", now: Date(timeIntervalSince1970: clock))
                    log.append("restore \((b as NSString).lastPathComponent)")
                default:
                    let p = dir.appendingPathComponent("snap\(step).sqlite").path
                    try snapshot(s, to: p); snapshots.append(p); log.append("snapshot")
                }
                if case .broken(_, let why) = try s.verifyAudit() { failures.append("seed \(seed) after \(log.joined(separator: ", ")): \(why)") }
            }
            // Rows after every copy, then a backup that records them.
            try adder.add(s)
            _ = try s.backup(by: "jingban", now: Date(timeIntervalSince1970: clock + 60))
            try s.close()
            for p in snapshots {
                try putBack(p, over: s.path)
                if case .intact = try verdict(s.path) {
                    failures.append("seed \(seed): rollback to \((p as NSString).lastPathComponent) passed after \(log.joined(separator: ", "))")
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
