import Foundation
import GRDB
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// A store with a county, township and two villages.
/// A township's file (township digits `township`, villages 201 and 202), or with "000" the
/// county bureau's (the county its only region).
func makeStore(path: String? = nil, township: String = "101") throws -> Store {
    let s = try path.map { try Store(path: $0, mode: .create) } ?? Store()
    try s.write { db in
        try db.execute(sql: "INSERT INTO region VALUES ('532927000000', '巍山县', 'county', NULL)")
        if township != "000" {
            let t = "532927\(township)"
            try db.execute(sql: """
                INSERT INTO region VALUES ('\(t)000', '南诏镇\(township)', 'township', '532927000000');
                INSERT INTO region VALUES ('\(t)201', '李家村', 'village', '\(t)000');
                INSERT INTO region VALUES ('\(t)202', '石门村', 'village', '\(t)000');
                """)
        }
        try db.execute(sql: "INSERT INTO setting(key, value) VALUES ('office.township_code', ?)", arguments: ["532927\(township)000"])
    }
    // Its users (the store takes changes only from its active users, each as its role allows),
    // put in without audit rows so that the rows these tests count are their own.
    try s.write { db in
        for (name, role) in [("admin", Role.admin), ("test", .admin), ("jingban", .clerk), ("jingban2", .clerk), ("t", .clerk)] {
            try db.execute(sql: """
                INSERT INTO app_user(name, display_name, role, pw_algo, pw_iterations, pw_salt, pw_hash, created_at)
                VALUES (?, ?, ?, 'pbkdf2-sha256', 1000, x'00', x'00', '2026-01-01T00:00:00Z')
                """, arguments: [name, name, role.rawValue])
        }
    }
    return s
}

func person(_ name: String, _ birth: String, seq: Int, relation: String = Person.headRelation) -> Person {
    let b = CivilDate(iso: birth)!
    let id = IDNumber.make(region: "532927", birth: b, sequence: seq)
    return Person(name: name, idNumber: id.value, relation: relation, sex: id.sex, birthDate: b)
}

@Suite struct StoreTests {
    @Test func migratesFromEmpty() throws {
        let s = try Store()
        let tables = try s.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") }
        for t in ["app_user", "assistance_case", "audit", "case_step", "holiday", "household", "person", "ref_code", "region", "search_key", "setting", "standard"] {
            #expect(tables.contains(t), "missing table \(t)")
        }
    }

    @Test func duplicateIDIsRefusedNamingTheHousehold() throws {
        let s = try makeStore()
        let head = person("张三丰", "1950-03-12", seq: 11)
        let hid = try s.addHousehold(Household(villageCode: "532927101201", address: "李家村1组1号"), members: [head], by: "jingban")
        // The same ID in another household.
        let copy = Person(name: "李四", idNumber: head.idNumber, relation: Person.headRelation, sex: head.sex, birthDate: head.birthDate)
        do {
            try s.addHousehold(Household(villageCode: "532927101202", address: "石门村2组3号"), members: [copy], by: "jingban")
            Issue.record("duplicate accepted")
        } catch let e as StoreError {
            guard case .duplicateID(_, let holder, let h, let headName, let village, _) = e else { Issue.record("\(e)"); return }
            #expect(holder == "张三丰" && h == hid && headName == "张三丰" && village == "李家村")
            #expect(e.message(.zh).contains("李家村"))
            #expect(!e.message(.zh).contains(head.idNumber))   // the message masks the number
        }
        // Nothing of the refused household was written.
        #expect(try s.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM household") } == 1)
        // Twice in one household is refused too.
        let twin = person("王五", "1980-01-01", seq: 21)
        #expect(throws: StoreError.self) {
            try s.addHousehold(Household(villageCode: "532927101202", address: "x"), members: [twin, twin], by: "jingban")
        }
    }

    /// The refusal names the holder's programmes in the reader's language (the household row
    /// keeps its summary in Chinese).
    @Test func aDuplicateIDNamesTheProgrammesInEnglish() {
        let e = StoreError.duplicateID(id: "532927195003120011", holderName: "张三丰", householdId: 1, headName: "张三丰",
                                       village: "李家村", programmes: "农村低保 在保")
        #expect(e.message(.zh).contains("农村低保 在保"))
        #expect(e.message(.en).contains(Programme.ruralDibao.shortLabel(.en) + " " + CaseStatus.active.label(.en)), "\(e.message(.en))")
        #expect(!e.message(.en).contains("农村低保"))
    }

    @Test func staleVersionIsRefused() throws {
        let s = try makeStore()
        let hid = try s.addHousehold(Household(villageCode: "532927101201", address: "李家村1组1号"),
                                     members: [person("张三", "1960-01-01", seq: 1)], by: "jingban")
        let opened = try s.read { try Store.household($0, id: hid) }!   // both clerks open version 1
        var first = opened; first.address = "李家村1组2号"
        try s.updateHousehold(first, by: "jingban")
        var second = opened; second.address = "李家村9组9号"
        #expect(throws: StoreError.staleEdit(entity: "household", id: hid)) { try s.updateHousehold(second, by: "jingban2") }
        #expect(try s.read { try Store.household($0, id: hid) }?.address == "李家村1组2号")

        let member = try s.read { try Store.members($0, householdId: hid) }[0]
        var a = member; a.name = "张叁"
        try s.updatePerson(a, by: "jingban")
        var b = member; b.name = "张山"
        #expect(throws: StoreError.staleEdit(entity: "person", id: member.id!)) { try s.updatePerson(b, by: "jingban2") }
    }

    @Test func auditChainDetectsAnEditedRow() throws {
        let s = try makeStore()
        for i in 0..<5 {
            try s.addHousehold(Household(villageCode: "532927101201", address: "\(i)号"),
                               members: [person("户主\(i)", "1960-01-0\(i + 1)", seq: i)], by: "jingban")
        }
        #expect(try s.verifyAudit() == .intact(rows: 5))
        try s.writer.write { db in try db.execute(sql: "UPDATE audit SET user = 'someone' WHERE id = 3") }
        #expect(try s.verifyAudit() == .broken(atRow: 3, reason: Audit.Reason("store.verify.rowAltered", ["row": "3"])))
    }

    @Test func auditChainDetectsADeletedRow() throws {
        let s = try makeStore()
        for i in 0..<3 {
            try s.addHousehold(Household(villageCode: "532927101201", address: "\(i)号"),
                               members: [person("户主\(i)", "1970-01-0\(i + 1)", seq: i)], by: "jingban")
        }
        try s.writer.write { db in try db.execute(sql: "DELETE FROM audit WHERE id = 2") }
        if case .intact = try s.verifyAudit() { Issue.record("a deleted row went unnoticed") }
    }

    @Test func fileIsCreatedMode0600WithWAL() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jz-\(UUID().uuidString)")
        let path = dir.appendingPathComponent("office.sqlite").path
        let s = try Store(path: path, mode: .create)
        try s.write { db in try db.execute(sql: "INSERT INTO setting(key, value) VALUES ('x', 'y')") }
        let perms = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(perms == 0o600)
        #expect(try s.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
        #expect(try s.read { try Int.fetchOne($0, sql: "PRAGMA foreign_keys") } == 1)
        #expect(try s.read { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)   // FULL
        // Refuses to create over an existing file, and a missing file is a clear error.
        #expect(throws: StoreError.alreadyExists(path: path)) { try Store(path: path, mode: .create) }
        #expect(throws: StoreError.missingFile(path: path + ".nope")) { try Store(path: path + ".nope", mode: .mustExist) }
        try? FileManager.default.removeItem(at: dir)
    }

    @Test func garbageFileIsNotADatabase() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("jz-\(UUID().uuidString).sqlite").path
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        do { _ = try Store(path: path, mode: .mustExist); Issue.record("opened garbage") }
        catch let e as StoreError {
            if case .notADatabase = e {} else if case .corrupt = e {} else { Issue.record("unexpected \(e)") }
        }
        try? FileManager.default.removeItem(atPath: path)
    }

    @Test func usersLockAfterFiveWrongPasswords() throws {
        let s = try makeStore()
        try s.resetPassword(name: "jingban", password: "secret", by: "admin", iterations: 1000)
        let t0 = Date()
        #expect(try s.authenticate(name: "jingban", password: "secret", now: t0).role == .clerk)
        for _ in 1...4 {
            #expect(throws: StoreError.loginFailed) { try s.authenticate(name: "jingban", password: "x", now: t0) }
        }
        do { _ = try s.authenticate(name: "jingban", password: "x", now: t0); Issue.record("not locked") }
        catch let e as StoreError { if case .accountLocked = e {} else { Issue.record("\(e)") } }
        // Even the right password is refused while locked ...
        do { _ = try s.authenticate(name: "jingban", password: "secret", now: t0.addingTimeInterval(60)); Issue.record("locked account let in") }
        catch let e as StoreError { if case .accountLocked = e {} else { Issue.record("\(e)") } }
        // ... and accepted after 15 minutes.
        #expect(try s.authenticate(name: "jingban", password: "secret", now: t0.addingTimeInterval(16 * 60)).name == "jingban")
        // An unknown name gets the same answer as a wrong password, and is audited too.
        #expect(throws: StoreError.loginFailed) { try s.authenticate(name: "nobody", password: "x") }
        let last = try s.read { try Audit.entries($0, limit: 1) }.first
        #expect(last?.action == "login.failed" && last?.user == "?" && last?.entityId == "nobody")
    }

    @Test func passwordHashesAreSaltedAndParametersRecorded() throws {
        let s = try makeStore()
        try s.addUser(name: "a", role: .clerk, password: "same", by: "admin", iterations: 1000)
        try s.addUser(name: "b", role: .clerk, password: "same", by: "admin", iterations: 1000)
        let rows = try s.read { try Row.fetchAll($0, sql: "SELECT pw_hash, pw_salt, pw_iterations, pw_algo FROM app_user ORDER BY name") }
        #expect((rows[0]["pw_hash"] as Data) != (rows[1]["pw_hash"] as Data))
        #expect((rows[0]["pw_iterations"] as Int) == 1000)
        #expect((rows[0]["pw_algo"] as String) == "pbkdf2-sha256")
        // A weak hash is upgraded at the next successful login.
        _ = try s.authenticate(name: "a", password: "same")
        #expect(try s.read { try Int.fetchOne($0, sql: "SELECT pw_iterations FROM app_user WHERE name = 'a'") } == PasswordHash.defaultIterations)
    }

    @Test func searchKeysCoverNamePinyinAndIDEnds() {
        let keys = Store.searchKeys(name: "张三丰", idNumber: "11010519491231002X")
        for k in ["张三丰", "三丰", "zhangsanfeng", "zsf", "11010519491231002X", "~X20013219491501011"] {
            #expect(keys.contains(k), "missing \(k)")
        }
    }
}
