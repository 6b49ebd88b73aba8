import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// Issue 21: household changes on record (变动记录, audit, version) and reaching the cases in
/// force as one follow-up each, settled by the approver; the persons a case covers are dated.
@Suite(.serialized) struct HouseholdChangeStoreTests {
    static let catalog = CaseFixture.catalog
    static let today = Fixture.today

    func store() throws -> Store {
        let s = try Fixture.store(households: 12)
        try s.addUser(name: "shenpi", displayName: "审批员", role: .approver, password: "demo", by: "test", iterations: 1000)
        return s
    }

    func version(_ s: Store, household hid: Int64) throws -> Int {
        try s.read { db in try Int.fetchOne(db, sql: "SELECT version FROM household WHERE id = ?", arguments: [hid])! }
    }

    func change(_ s: Store, _ hid: Int64, _ c: HouseholdChange, on: CivilDate = Fixture.today, by user: String = "jingban",
                reason: String = "村委会证明") throws -> HouseholdChangeResult {
        try s.recordHouseholdChange(householdId: hid, version: try version(s, household: hid), change: c, on: on, reason: reason,
                                    by: user, today: Self.today, catalog: Self.catalog)
    }

    func baby(_ name: String = "张小宝", cert: String = "Q532012345", born: CivilDate = CivilDate(year: 2026, month: 10, day: 2)!) -> Person {
        var p = Person(name: name, idNumber: "", relation: "41", sex: .female, birthDate: born)
        p.birthCertificate = cert
        return p
    }

    func openFollowUps(_ s: Store, _ cid: Int64) throws -> [Row] {
        try s.read { db in try Row.fetchAll(db, sql: "SELECT * FROM case_followup WHERE case_id = ? AND closed_on IS NULL", arguments: [cid]) }
    }

    /// The amount the rules give for `covered` persons of the given ages at `pci`, worked out
    /// here from the standard and settings rows (not through the store's facts).
    func expectedAmount(_ s: Store, on date: CivilDate, pci: Money, ages: [Int]) throws -> Money {
        try s.read { db in
            let r = try #require(try Row.fetchOne(db, sql: """
                SELECT amount_fen, period, effective_from FROM standard WHERE programme = 'rural_dibao' AND area = 'rural' AND effective_from <= ?
                ORDER BY effective_from DESC LIMIT 1
                """, arguments: [date.iso]))
            var settings: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM setting") { settings[row["key"]] = row["value"] }
            let std = StandardInForce(amount: Money(fen: r["amount_fen"]), period: r["period"], effectiveFrom: CivilDate(iso: r["effective_from"])!, area: "rural")
            let f = EligibilityFacts(programme: .ruralDibao, decisionDate: date, standard: std, perCapitaMonthly: pci, membersCounted: ages.count,
                                     covered: ages.enumerated().map { CoveredMember(name: "p\($0.offset)", age: $0.element) },
                                     investigators: ["王立军", "李春梅"])
            return Eligibility.assess(f, BenefitSettings.from(settings)).amount
        }
    }

    @Test func aBirthUnderACaseInForceOpensExactlyOneFollowUpWithTheProposal() throws {
        let s = try store()
        let cid = try DynamicManagementTests.activeCase(s, household: 1)   // head 1950, child 1975; 412.50 per head
        #expect(try s.coverage(caseId: cid, on: Self.today) == nil)   // none recorded before the first change
        let on = CivilDate(year: 2026, month: 11, day: 10)!
        let r = try change(s, 1, .birth(baby()), on: on)
        let p = try #require(r.proposals.first)
        #expect(r.proposals.count == 1 && p.caseId == cid && p.kind == .added && p.proposed == .adjust)
        // 412.50 × 2 persons shared by 3.
        #expect(p.perCapita == Money(fen: 27_500) && p.persons.count == 3)
        #expect(p.amount == (try expectedAmount(s, on: on, pci: Money(fen: 27_500), ages: [76, 51, 0])))
        let rows = try openFollowUps(s, cid)
        #expect(rows.count == 1 && rows[0]["source"] as String == "household" && rows[0]["change_kind"] as String == "added")
        #expect(rows[0]["proposed_fen"] as Int64? == p.amount?.fen)
        // The change is on the card's history and in the audit log; the household moved on a version.
        let card = try #require(try s.householdCard(id: 1))
        #expect(card.changes.count == 1 && card.changes[0].kind == .birth && card.changes[0].summary.contains("张小宝"))
        #expect(card.members.count == 3 && card.members.last?.hasIDNumber == false)
        let audit = try s.read { db in try String.fetchAll(db, sql: "SELECT action FROM audit WHERE entity_id IN ('1', ?) ORDER BY id", arguments: [String(cid)]) }
        #expect(audit.contains("household.change") && audit.contains("followup.open"))
        // A second change before the approver answers restates the same follow-up: still one.
        let r2 = try change(s, 1, .condition(personId: try #require(card.members.last?.id), MemberCondition(health: .serious)), on: on)
        #expect(r2.proposals.count == 1 && r2.proposals[0].followUpId == p.followUpId)
        #expect(try openFollowUps(s, cid).count == 1)
        // Refused over a newer change (the version the clerk saw is old).
        #expect(throws: StoreError.self) {
            _ = try s.recordHouseholdChange(householdId: 1, version: 1, change: .birth(baby("张二宝", cert: "Q532012346")), on: on, reason: "x",
                                            by: "jingban", today: Self.today, catalog: Self.catalog)
        }
    }

    @Test func theApproverAdjustsWithThePersonsAndTheNextRosterPaysIt() throws {
        let s = try store()
        let cid = try DynamicManagementTests.activeCase(s, household: 1)
        let on = CivilDate(year: 2026, month: 11, day: 10)!
        _ = try #require(try change(s, 1, .birth(baby()), on: on).proposals.first)
        let v = try s.read { db in try Int.fetchOne(db, sql: "SELECT version FROM assistance_case WHERE id = ?", arguments: [cid])! }
        _ = try s.act(caseId: cid, version: v, request: CaseRequest(action: .adjust, actor: "shenpi", role: .approver, date: Self.today,
                                                                    reason: "新生儿出生，增员"), catalog: Self.catalog)
        let row = try s.read { db in try Row.fetchOne(db, sql: "SELECT covered_members, monthly_amount_fen FROM assistance_case WHERE id = ?", arguments: [cid])! }
        // The case is worked out again on the proposal's figures on the adjustment's date.
        let expected = try expectedAmount(s, on: Self.today, pci: Money(fen: 27_500), ages: [76, 51, 0])
        #expect(row["covered_members"] as Int == 3 && row["monthly_amount_fen"] as Int64 == expected.fen)
        #expect(try openFollowUps(s, cid).isEmpty)
        #expect(try s.coverage(caseId: cid, on: Self.today)?.count == 3)
        #expect(try s.coverage(caseId: cid, on: Self.today.adding(days: -1))?.count == 2)
        let lines = try s.rosterLines(id: try s.makeRoster(month: "2026-12", programme: .ruralDibao, catalog: Self.catalog, by: "jingban").id)
        let line = try #require(lines.first { $0.caseId == cid })
        #expect(line.amount == expected && line.persons == 3)
        let nov = try s.rosterLines(id: try s.makeRoster(month: "2026-11", programme: .ruralDibao, catalog: Self.catalog, by: "jingban").id)
        #expect(nov.first { $0.caseId == cid }?.amount == Money(yuan: 300))   // November: the amount decided in May
        #expect(try s.verifyAmounts(catalog: Self.catalog).mismatches.isEmpty)
    }

    @Test func theDeathOfTheOnlyMemberProposesAStopFromTheMonthAfter() throws {
        let s = try store()
        let cid = try DynamicManagementTests.activeCase(s, household: 2)   // one person
        let head = try #require(try s.read { db in try Store.members(db, householdId: 2) }.first?.id)
        let r = try change(s, 2, .death(personId: head, newHead: nil), on: CivilDate(year: 2026, month: 11, day: 20)!)
        let p = try #require(r.proposals.first)
        #expect(r.proposals.count == 1 && p.caseId == cid && p.kind == .removed && p.proposed == .cancel && p.stopMonth == "2026-12")
        #expect(try s.householdCard(id: 2)?.members.isEmpty == true)
        #expect(try s.householdCard(id: 2)?.formerMembers.first?.diedOn == CivilDate(year: 2026, month: 11, day: 20)!)
    }

    @Test func theDeathOfATekunPersonProposesAStop() throws {
        let s = try store()
        let def = Self.catalog.definition(.tekun)
        let on = Self.today.adding(days: -200)
        let pid = try #require(try s.read { db in try Store.members(db, householdId: 4) }.first(where: \.isHead)?.id)
        let cid = try s.write { db in
            let steps = def.steps.map { st -> CaseStepRecord in
                CaseStepRecord(caseId: 0, step: st.code, action: st.role == "clerk" ? "done" : "approve", actor: "jingban", actedOn: on,
                               inputs: st.isDecision ? #"{"monthlyFen":60000,"approver":"审批员"}"# : "{}")
            }
            let c = Case(householdId: 4, personId: pid, programme: .tekun, step: def.steps.last!.code, stepSince: on, status: .active,
                         appliedOn: on.adding(days: -30), monthlyAmount: Money(yuan: 600), coveredMembers: 1)
            return try Store.insertCase(db, c, steps: steps, villageCode: "532927101201", now: "2026-05-01 09:00:00")
        }
        let members = try s.read { db in try Store.members(db, householdId: 4) }
        let r = try change(s, 4, .death(personId: pid, newHead: members.first { $0.id != pid }?.id), on: CivilDate(year: 2026, month: 10, day: 31)!)
        let p = try #require(r.proposals.first { $0.caseId == cid })
        #expect(p.proposed == .cancel && p.stopMonth == "2026-11")
    }

    @Test func aChangeIsRefusedWithoutAReasonOrForTheSupervisor() throws {
        let s = try store()
        #expect(throws: StoreError.self) { _ = try change(s, 1, .birth(baby()), reason: "  ") }
        #expect(throws: StoreError.self) { _ = try change(s, 1, .birth(baby()), by: "duzha") }
        #expect(try s.householdCard(id: 1)?.changes.isEmpty == true)
    }

    @Test func aSplitTakingACoveredMemberOpensAReduction() throws {
        let s = try store()
        let cid = try DynamicManagementTests.activeCase(s, household: 1)
        let child = try #require(try s.read { db in try Store.members(db, householdId: 1) }.first(where: { !$0.isHead })?.id)
        let r = try s.splitHousehold(householdId: 1, version: try version(s, household: 1), persons: [child], newHead: child, address: "李家村附1号",
                                     on: CivilDate(year: 2026, month: 11, day: 1)!, reason: "成家分户", by: "jingban",
                                     today: Self.today, catalog: Self.catalog)
        let nid = try #require(r.newHouseholdId)
        #expect(try s.householdOf(personId: child) == nid)
        #expect(r.proposals.count == 1 && r.proposals[0].caseId == cid && r.proposals[0].kind == .removed && r.proposals[0].persons.count == 1)
        #expect(try s.householdCard(id: nid)?.members.first?.isHead == true)
        #expect(try s.householdCard(id: 1)?.changes.first?.kind == .split)
        // The case still covered both until the approver answers.
        #expect(try s.coverage(caseId: cid, on: Self.today)?.count == 2)
    }

    /// Property: whatever happens to the households later (births, deaths, moves, returns,
    /// illnesses, and the approver's adjustments), the persons a case covered on a past date stay.
    @Test func thePersonsCoveredOnAPastDateNeverChange() throws {
        let s = try store()
        var cases: [Int64: Int64] = [:]   // household → case
        for hid: Int64 in [1, 3, 4, 7] { cases[hid] = try DynamicManagementTests.activeCase(s, household: hid) }
        var seen: [(case: Int64, on: CivilDate, persons: [Int64]?)] = []
        var rng: UInt64 = 0x5EED_2026
        func next(_ n: Int) -> Int { rng = rng &* 6364136223846793005 &+ 1442695040888963407; return Int((rng >> 33) % UInt64(n)) }
        var day = CivilDate(year: 2026, month: 6, day: 1)!
        var certs = 100
        for step in 0..<36 {
            let hid = Array(cases.keys).sorted()[next(cases.count)]
            let members = try s.read { db in try Store.members(db, householdId: hid) }
            let others = members.filter { !$0.isHead }
            let c: HouseholdChange
            switch next(5) {
            case 0:
                certs += 1
                c = .birth(baby("宝\(certs)", cert: "Q5320\(certs)000", born: day.adding(days: -10)))
            case 1 where !others.isEmpty: c = .death(personId: others[next(others.count)].id!, newHead: nil)
            case 2 where !others.isEmpty:
                let p = others[next(others.count)]
                c = p.absent ? .returned(personId: p.id!) : .moveOut(personId: p.id!, reason: .prison, newHead: nil)
            case 3: c = .condition(personId: members[next(members.count)].id!, MemberCondition(health: [.healthy, .chronic, .serious][next(3)]))
            default:
                certs += 1
                c = .birth(baby("宝\(certs)", cert: "Q5321\(certs)000", born: day.adding(days: -5)))
            }
            _ = try? change(s, hid, c, on: day)
            // Sometimes the approver answers the follow-up the same day.
            if let cid = cases[hid], next(2) == 0, let f = try openFollowUps(s, cid).first, f["proposed"] as String == "adjust" {
                let v = try s.read { db in try Int.fetchOne(db, sql: "SELECT version FROM assistance_case WHERE id = ?", arguments: [cid])! }
                _ = try s.act(caseId: cid, version: v, request: CaseRequest(action: .adjust, actor: "shenpi", role: .approver, date: day,
                                                                            reason: "户籍变动 \(step)"), catalog: Self.catalog)
            }
            // What each case covers up to yesterday, as it stands now.
            for cid in cases.values {
                for back in [1, 4, 30] { seen.append((cid, day.adding(days: -back), try s.coverage(caseId: cid, on: day.adding(days: -back)))) }
            }
            day = day.adding(days: 4)
        }
        let changes = try s.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM household_change")! }
        #expect(changes >= 20)
        for o in seen where o.persons != nil {
            #expect(try s.coverage(caseId: o.case, on: o.on) == o.persons, "case \(o.case) on \(o.on.iso)")
        }
        // The rows cannot be rewritten even from SQL.
        #expect(throws: (any Error).self) { try s.write { db in try db.execute(sql: "DELETE FROM case_coverage") } }
        #expect(throws: (any Error).self) { try s.write { db in try db.execute(sql: "UPDATE household_change SET reason = 'x'") } }
    }
}
