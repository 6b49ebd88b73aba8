import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// Issue 21: who may record a household change, split or merge households, and settle the
/// follow-up it opens. The store looks the acting user up itself (`Store.authorize`): the role a
/// caller claims is never taken, an unknown or disabled name changes nothing.
@Suite(.serialized) struct HouseholdChangePolicyTests {
    static let catalog = CaseFixture.catalog
    static let today = Fixture.today

    /// The fixture's clerk (jingban) and supervisor (duzha), and one user of every other role.
    func store() throws -> Store {
        let s = try Fixture.store(households: 8)
        try s.addUser(name: "shenhe", role: .reviewer, password: "demo", by: "test", iterations: 1000)
        try s.addUser(name: "shenpi", role: .approver, password: "demo", by: "test", iterations: 1000)
        try s.addUser(name: "guanli", role: .admin, password: "demo", by: "test", iterations: 1000)
        return s
    }

    static let users: [(name: String, role: Role)] = [("jingban", .clerk), ("shenhe", .reviewer), ("shenpi", .approver),
                                                       ("guanli", .admin), ("duzha", .supervisor)]

    func version(_ s: Store, _ hid: Int64) throws -> Int {
        try s.read { db in try #require(try Int.fetchOne(db, sql: "SELECT version FROM household WHERE id = ?", arguments: [hid])) }
    }

    func changes(_ s: Store) throws -> Int {
        try s.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM household_change") ?? -1 }
    }

    func newPhone(_ s: Store, _ hid: Int64, _ phone: String, by user: String) throws -> HouseholdChangeResult {
        let h = try #require(try s.householdCard(id: hid)).household
        var f = HouseholdFacts(h)
        f.phone = phone
        if f.hukou.isObsolete { f.hukou = .local; f.hukouRegion = .rural }
        return try s.recordHouseholdChange(householdId: hid, version: h.version, change: .facts(f), on: Self.today, reason: "本人来电告知",
                                           by: user, today: Self.today, catalog: Self.catalog)
    }

    @Test func thePolicyNamesTheCaseWorkers() {
        #expect(Policy.roles(.householdChanges) == [.clerk, .reviewer, .approver])
        #expect(Store.householdChangeRoles == Policy.roles(.householdChanges))
    }

    @Test func eachRoleGetsWhatThePolicySays() throws {
        let s = try store()
        for (i, u) in Self.users.enumerated() {
            let before = try version(s, 2), count = try changes(s)
            let phone = "1380872\(String(format: "%04d", i))"
            if Policy.allows(u.role, .householdChanges) {
                _ = try newPhone(s, 2, phone, by: u.name)
                let after = try version(s, 2)
                #expect(after == before + 1, "\(u.role)")
                let last = try #require(try s.householdCard(id: 2)?.changes.first)
                let stored = try s.householdCard(id: 2)?.household.phone
                #expect(last.recordedBy == u.name && stored == phone)
            } else {
                let e = try #require(throws: StoreError.self) { _ = try newPhone(s, 2, phone, by: u.name) }
                guard case .notPermitted(let who, let role, let p) = e else { Issue.record("\(u.role): \(e)"); continue }
                #expect(who == u.name && role == u.role && p == .householdChanges)
                // The message names the work and the roles that may do it, in both languages.
                #expect(e.message(.zh).contains("经办员") && e.message(.en).lowercased().contains("clerk"), "\(e.message(.en))")
                let (v, n) = (try version(s, 2), try changes(s))
                #expect(v == before && n == count, "\(u.role): nothing changed")
            }
        }
        #expect(try changes(s) == 3)
    }

    @Test func anUnknownOrDisabledUserChangesNothing() throws {
        let s = try store()
        let e = try #require(throws: StoreError.self) { _ = try newPhone(s, 3, "13808720001", by: "nobody") }
        guard case .notPermitted(let who, nil, _) = e else { Issue.record("\(e)"); return }
        #expect(who == "nobody")
        #expect(throws: StoreError.self) { _ = try newPhone(s, 3, "13808720001", by: "") }
        try s.setUserActive(name: "shenhe", active: false, by: "test")
        let d = try #require(throws: StoreError.self) { _ = try newPhone(s, 3, "13808720001", by: "shenhe") }
        guard case .accountDisabled = d else { Issue.record("\(d)"); return }
        let (n, v) = (try changes(s), try version(s, 3))
        #expect(n == 0 && v == 1)
        let audit = try s.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit WHERE action IN ('household.change', 'household.split', 'household.merge')") ?? -1 }
        #expect(audit == 0)
    }

    @Test func splitAndMergeAreCheckedTheSameWay() throws {
        let s = try store()
        let members = try s.read { db in try Store.members(db, householdId: 1) }
        let child = try #require(members.first(where: { !$0.isHead })?.id)
        func split(by user: String) throws -> HouseholdChangeResult {
            try s.splitHousehold(householdId: 1, version: try version(s, 1), persons: [child], newHead: child, address: "李家村附1号",
                                 on: Self.today, reason: "成家分户", by: user, today: Self.today, catalog: Self.catalog)
        }
        for u in ["guanli", "duzha", "nobody"] {
            #expect(throws: StoreError.self, "\(u)") { _ = try split(by: u) }
        }
        let (n, home) = (try changes(s), try s.householdOf(personId: child))
        #expect(n == 0 && home == 1)
        let nid = try #require(try split(by: "shenhe").newHouseholdId)
        func merge(by user: String) throws -> HouseholdChangeResult {
            try s.mergeHouseholds(from: nid, fromVersion: try version(s, nid), into: 1, intoVersion: try version(s, 1), persons: [child: "20"],
                                  on: Self.today, reason: "回家合户", by: user, today: Self.today, catalog: Self.catalog)
        }
        for u in ["guanli", "duzha", "nobody"] {
            #expect(throws: StoreError.self, "\(u)") { _ = try merge(by: u) }
        }
        #expect(try s.householdOf(personId: child) == nid)
        _ = try merge(by: "shenpi")
        #expect(try s.householdOf(personId: child) == 1)
    }

    @Test func onlyTheDeciderSettlesTheFollowUpUnderTheirOwnName() throws {
        let s = try store()
        let cid = try DynamicManagementTests.activeCase(s, household: 1)
        var baby = Person(name: "张小宝", idNumber: "", relation: "41", sex: .female, birthDate: CivilDate(year: 2026, month: 10, day: 2)!)
        baby.birthCertificate = "Q532012345"
        let r = try s.recordHouseholdChange(householdId: 1, version: try version(s, 1), change: .birth(baby), on: Self.today, reason: "出生医学证明",
                                            by: "jingban", today: Self.today, catalog: Self.catalog)
        #expect(r.proposals.count == 1)
        func adjust(_ actor: String, _ role: Role) throws {
            let v = try s.read { db in try #require(try Int.fetchOne(db, sql: "SELECT version FROM assistance_case WHERE id = ?", arguments: [cid])) }
            _ = try s.act(caseId: cid, version: v, request: CaseRequest(action: .adjust, actor: actor, role: role, date: Self.today,
                                                                        reason: "新生儿出生，增员"), catalog: Self.catalog)
        }
        // A clerk as a clerk (the workflow: only the decision step's role adjusts), a clerk
        // claiming to be the approver, an unknown name, a disabled approver.
        #expect(throws: StoreError.self) { try adjust("jingban", .clerk) }
        #expect(throws: StoreError.self) { try adjust("jingban", .approver) }
        #expect(throws: StoreError.self) { try adjust("nobody", .approver) }
        #expect(throws: StoreError.self) { try adjust("guanli", .admin) }
        let open = { try s.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM case_followup WHERE case_id = ? AND closed_on IS NULL", arguments: [cid]) } }
        #expect(try open() == 1)
        try adjust("shenpi", .approver)
        #expect(try open() == 0)
        let closedBy = try s.read { db in try String.fetchOne(db, sql: "SELECT closed_by FROM case_followup WHERE case_id = ?", arguments: [cid]) }
        #expect(closedBy == "shenpi")
    }
}
