import Foundation
import GRDB
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// Who may do what is `Policy` (JiuzhuModel); the store enforces it on every guarded write,
/// looking the acting user's role up itself. Every role × every guarded write: a role the policy
/// does not allow is refused with `notPermitted` and nothing is written; an allowed role passes
/// the check (the write may then fail on its own terms: an unknown id, a stale version ...).
@Suite struct PolicyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let catalog: ProgrammeCatalog = try! ProgrammeCatalog.decode(Data(contentsOf: root.appendingPathComponent("data/programmes.json")))
    static let today = CivilDate(year: 2026, month: 11, day: 23)!

    /// One guarded write as `actor`; `n` makes names and codes unique within a store.
    typealias Write = @Sendable (Store, String, Int) throws -> Void

    static let writes: [(Permission, String, Write)] = [
        (.manageUsers, "addUser", { s, a, n in try s.addUser(name: "u\(n)", role: .clerk, password: "abcd", by: a, iterations: 1000) }),
        (.manageUsers, "resetPassword", { s, a, _ in try s.resetPassword(name: "victim", password: "abcd", by: a, iterations: 1000) }),
        (.manageUsers, "setUserActive", { s, a, _ in try s.setUserActive(name: "victim", active: false, by: a) }),
        (.changeSettings, "changeSetting", { s, a, _ in try s.changeSetting(key: "lockout_attempts", value: "6", version: 1, by: a) }),
        (.addRegion, "addRegion", { s, a, n in _ = try s.addRegion(code: String(300 + n), name: "新村\(n)", level: .village, by: a) }),
        (.editHouseholds, "addHousehold", { s, a, n in
            let b = CivilDate(year: 1960, month: 1, day: 1 + n % 28)!
            let id = IDNumber.make(region: "532927", birth: b, sequence: 100 + n)
            _ = try s.addHousehold(Household(villageCode: "532927101201", address: "\(n)号"),
                                   members: [Person(name: "户主\(n)", idNumber: id.value, relation: Person.headRelation, sex: id.sex, birthDate: b)], by: a)
        }),
        (.publicity, "createBatch", { s, a, _ in
            _ = try s.createBatch(NewBatch(kind: .appraisal, programme: .ruralDibao, scopeCode: "532927101201", postedFrom: today), by: a,
                                  today: today, catalog: catalog)
        }),
        (.publicity, "setLine", { s, a, _ in try s.setLine(batchId: 999, caseId: 999, included: true, by: a) }),
        (.publicity, "postBatch", { s, a, _ in _ = try s.postBatch(999, version: 1, by: a, today: today, catalog: catalog) }),
        (.publicity, "closeBatch", { s, a, _ in _ = try s.closeBatch(999, version: 1, by: a, today: today, catalog: catalog) }),
        (.publicity, "recordObjectionResult", { s, a, _ in try s.recordObjectionResult(999, upheld: false, reason: "无", by: a, today: today) }),
        (.makeRoster, "makeRoster", { s, a, _ in _ = try s.makeRoster(month: "2026-11", programme: .ruralDibao, catalog: catalog, by: a) }),
        (.confirmRoster, "confirmRoster", { s, a, _ in try s.confirmRoster(id: 999, version: 1, catalog: catalog, by: a, today: today) }),
        (.confirmRoster, "auditRosterExport", { s, a, _ in try s.auditRosterExport(id: 999, to: "/tmp/x.xlsx", by: a) }),
        (.exportUnmasked, "forEachHouseholdForExport", { s, a, _ in try s.forEachHouseholdForExport(unmasked: true, by: a) { _ in } }),
        (.spotChecks, "drawSpotCheck", { s, a, _ in _ = try s.drawSpotCheck(programme: .ruralDibao, period: "2026-11", percent: 10, seed: 1, by: a) }),
        (.spotChecks, "recordSpotCheckVisit", { s, a, _ in
            try s.recordSpotCheckVisit(id: 999, visitedOn: today, by: "王立军", findings: "{}", discrepancy: false, proposedAction: .none, user: a)
        }),
        (.campaigns, "startCampaign", { s, a, n in
            _ = try s.startCampaign(name: "行动\(n)", programme: .ruralDibao, startedOn: today, endsOn: today.adding(days: 30), by: a)
        }),
        (.campaigns, "closeCampaign", { s, a, _ in try s.closeCampaign(id: 999, on: today, by: a) }),
        (.campaignChecks, "recordCampaignCheck", { s, a, _ in
            try s.recordCampaignCheck(campaignId: 999, caseId: 999, on: today, by: a, finding: "无", proposed: .none)
        }),
        (.complaints, "receiveComplaint", { s, a, _ in
            _ = try s.receiveComplaint(NewComplaint(receivedOn: today, channel: .box, subject: "某某", content: "内容"), by: a, today: today)
        }),
        (.complaints, "answerComplaint", { s, a, _ in try s.answerComplaint(id: 999, version: 1, on: today, answer: "已答复", by: a) }),
        (.dueWork, "recordDue", { s, a, _ in try s.recordDue(.yearly, caseId: 999, on: today, note: "无变化", by: a) }),
        (.applyRaise, "applyRaise", { s, a, _ in
            let plan = RaisePlan(programme: .ruralDibao, from: PayMonth("2026-12")!, standards: [], lines: [], unchanged: 0)
            _ = try s.applyRaise(plan, today: today, catalog: catalog, by: a, role: .approver)
        }),
        (.disasterWork, "addDisasterEvent", { s, a, n in
            _ = try s.addDisasterEvent(kind: "flood", name: "洪涝\(n)", startedOn: today, villages: ["532927101201"], by: a, today: today)
        }),
        (.disasterWork, "receiveGoods", { s, a, _ in _ = try s.receiveGoods(item: "rice", quantity: 10, on: today, source: "县应急管理局", by: a, today: today) }),
        (.disasterWork, "stockTake", { s, a, _ in _ = try s.stockTake(item: "rice", counted: 0, on: today, reason: "盘点", by: a, today: today) }),
        (.takeApplications, "grantRelief", { s, a, _ in
            _ = try s.grantRelief(NewReliefGrant(victimId: 999, period: .transition, days: 10, on: today), by: a, catalog: catalog, today: today)
        }),
        (.backups, "backup elsewhere", { s, a, n in _ = try s.backup(to: backupPath(a, n), by: a) }),
        (.restore, "restore", { s, a, _ in _ = try s.restore(from: "/nonexistent/backup.sqlite", by: a) }),
    ]

    /// Where "backup elsewhere" writes for this user and write; removed after the write.
    static func backupPath(_ user: String, _ n: Int) -> String {
        NSTemporaryDirectory() + "jz-policy-\(getpid())-\(user)-\(n).sqlite"
    }

    /// A store with one active user of each role (named after it), a clerk to act on, the settings.
    static func store() throws -> Store {
        let s = try makeStore()
        try s.write { db in
            try db.execute(sql: "INSERT INTO setting(key, value) VALUES ('lockout_attempts', '5')")
        }
        for r in Role.allCases where r != .admin {
            try s.addUser(name: r.rawValue, role: r, password: "demo", by: "admin")
        }
        try s.addUser(name: "victim", role: .clerk, password: "demo", by: "admin")
        return s
    }

    static func auditCount(_ s: Store) throws -> Int { try s.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit") ?? 0 } }

    @Test(arguments: Role.allCases)
    func everyGuardedWriteFollowsThePolicy(role: Role) throws {
        let s = try Self.store()
        for (i, (permission, name, write)) in Self.writes.enumerated() {
            let before = try Self.auditCount(s)
            var refusal: StoreError?
            defer { try? FileManager.default.removeItem(atPath: Self.backupPath(role.rawValue, i)) }
            do { try write(s, role.rawValue, i) } catch let e as StoreError {
                if case .notPermitted = e { refusal = e }
            }
            if Policy.allows(role, permission) {
                #expect(refusal == nil, "\(name) refused to \(role): \(refusal.map { $0.message(.en) } ?? "")")
            } else {
                let e = try #require(refusal, "\(name) done by \(role), which \(permission) does not allow")
                #expect(e == .notPermitted(user: role.rawValue, role: role, permission: permission))
                #expect(try Self.auditCount(s) == before, "\(name) refused yet audited")
                // The message names the roles that may.
                let message = e.message(.en)
                for r in Policy.rolesInOrder(permission) { #expect(message.contains(r.label.en), "\(message)") }
            }
        }
    }

    @Test func aNameThatIsNoActiveUserIsRefusedEveryWrite() throws {
        let s = try Self.store()
        try s.setUserActive(name: "victim", active: false, by: "admin")
        for (i, (_, name, write)) in Self.writes.enumerated() {
            do { try write(s, "stranger", i); Issue.record("\(name) done by a stranger") } catch let e as StoreError {
                guard case .notPermitted(let u, nil, _) = e else { Issue.record("\(name): \(e)"); continue }
                #expect(u == "stranger")
            }
            do { try write(s, "victim", i); Issue.record("\(name) done by a disabled user") } catch let e as StoreError {
                #expect(e == .accountDisabled("victim"), "\(name): \(e)")
            }
        }
    }

    /// The first user of a new database may only be an administrator, added by no one; the
    /// next only by an administrator.
    @Test func theFirstUserIsAnAdministratorAndOnlyAnAdministratorAddsMore() throws {
        let s = try Store()
        #expect(throws: StoreError.notPermitted(user: "init", role: nil, permission: .manageUsers)) {
            try s.addUser(name: "jingban", role: .clerk, password: "demo", by: "init", iterations: 1000)
        }
        try s.addUser(name: "boss", role: .admin, password: "demo", by: "init", iterations: 1000)
        #expect(throws: StoreError.notPermitted(user: "init", role: nil, permission: .manageUsers)) {
            try s.addUser(name: "boss2", role: .admin, password: "demo", by: "init", iterations: 1000)
        }
        try s.addUser(name: "jingban", role: .clerk, password: "demo", by: "boss", iterations: 1000)
        #expect(throws: StoreError.notPermitted(user: "jingban", role: .clerk, permission: .manageUsers)) {
            try s.addUser(name: "x", role: .clerk, password: "demo", by: "jingban", iterations: 1000)
        }
    }

    /// A role in `app_user` this build does not know is an error naming the user and the value
    /// (it was taken for a clerk).
    @Test func anUnknownStoredRoleIsAnErrorNamingUserAndValue() throws {
        let s = try Self.store()
        try s.writer.writeWithoutTransaction { db in
            // The guarded-table trigger needs the key function; this connection has it.
            try db.execute(sql: "UPDATE app_user SET role = 'boss' WHERE name = 'victim'")
        }
        #expect(throws: StoreError.unknownRole(user: "victim", value: "boss")) { try s.users() }
        #expect(throws: StoreError.unknownRole(user: "victim", value: "boss")) { try s.userStatus("victim") }
        #expect(throws: StoreError.unknownRole(user: "victim", value: "boss")) { try s.authenticate(name: "victim", password: "demo") }
        #expect(StoreError.unknownRole(user: "victim", value: "boss").message(.en).contains("victim"))
        #expect(try s.userStatus("clerk")?.user.role == .clerk)
    }

    /// The catalogue says which programmes are monthly, what a case owes a notice after, and the
    /// intake steps: nothing of it is written in code.
    @Test func programmeFactsComeFromTheCatalogue() throws {
        let c = Self.catalog
        #expect(c.monthlyProgrammes == [.ruralDibao, .urbanDibao, .tekun])
        #expect(CaseAction.allCases.filter(c.owesNotice(after:)) == [.approve, .reject, .terminate, .adjust, .suspend])
        let rural = c.definition(.ruralDibao)
        #expect(rural.applyStep == "apply" && rural.surveyStep == "survey" && rural.stepAfterIntake == "appraisal")
        let medical = c.definition(.medical)
        #expect(medical.surveyStep == nil && medical.stepAfterIntake == "township_review")
        // A catalogue that makes temporary aid monthly makes it so everywhere.
        var changed = c
        let i = try #require(changed.programmes.firstIndex { $0.code == "temporary" })
        changed.programmes[i].steps[changed.programmes[i].steps.count - 1].final = "active"
        #expect(changed.monthlyProgrammes.contains(.temporary))
        #expect(Policy.decisionRole(rural, delegated: false) == .approver)
    }

    /// A store write that would make or drop a table outside a migration is rolled back whole;
    /// dropping a trigger and making it again as it was (the demo's bulk load) is not a change.
    @Test func aWriteCannotChangeTheTablesOutsideAMigration() throws {
        let s = try Self.store()
        let before = try Self.auditCount(s)
        #expect(throws: StoreError.self) {
            try s.write { db in
                try Audit.append(db, user: "admin", action: "x", entity: "x", entityId: "1", detail: "{}")
                try db.execute(sql: "CREATE TABLE sneaky(x)")
            }
        }
        #expect(try s.read { try $0.tableExists("sneaky") } == false)
        #expect(try Self.auditCount(s) == before)
        #expect(throws: StoreError.self) { try s.write { db in try db.execute(sql: "DROP TABLE complaint") } }
        #expect(try s.read { try $0.tableExists("complaint") })
        try s.write { db in
            let t = try Row.fetchOne(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' LIMIT 1")!
            try db.execute(sql: "DROP TRIGGER \(t["name"] as String)")
            try db.execute(sql: t["sql"] as String)
        }
    }
}
