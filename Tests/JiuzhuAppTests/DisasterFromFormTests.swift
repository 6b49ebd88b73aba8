import Foundation
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// Issue 24: 受灾救助 offered in main menu 2's 申请项目. Picking it takes the clerk to the
/// current disaster's ledger, where the grant goes through the same store call as from 9 救灾;
/// an application form with 受灾救助 is refused by the store (relief goes strictly by the ledger).
@Suite(.serialized) struct DisasterFromFormTests {
    @Test func pickingDisasterReliefOpensTheLedgerAndTheGrantIsTheLedgers() throws {
        let (store, event, victims) = try DisasterStoreTests.flood(ledger: 3)
        let s = try FormTests.newForm(store: store)
        #expect(s.focusedField == "programme")
        s.keys(.function(4))
        let codes = try #require(s.form?.picker?.picker.options.map(\.code))
        #expect(codes.contains(Programme.disaster.rawValue))
        s.type("受灾")
        s.keys(.enter)
        // The blank form gave way to the flood's ledger, with what to do said.
        let d = try #require(s.runner.state.top.state(of: DisasterScreen.self))
        #expect(d.open?.event.id == event)
        #expect(d.page == .ledger)
        #expect(s.runner.state.message?.text.contains("灾民台帐") == true)
        #expect(!s.runner.state.stack.contains { $0.id == FormScreen.id })
        // Enter closes the message; Enter on the first line asks for the grant; F2 makes it.
        s.keys(.enter)
        s.keys(.enter)
        let asking = try #require(s.runner.state.top.state(of: DisasterScreen.self), "no grant box")
        guard case .grant(let vid)? = asking.pending else { Issue.record("no grant box: \(String(describing: asking.pending))"); return }
        #expect(vid == victims[0].id)
        s.keys(.function(2))
        let grants = try store.reliefGrants(eventId: event)
        #expect(grants.count == 1 && grants.first?.victimId == victims[0].id)
    }

    @Test func anApplicationFormForDisasterReliefIsRefusedByTheStore() throws {
        let store = try Fixture.store()
        let env = try Fixture.env(store)
        var v = FormTests.filled()
        v.fields["programme"] = Programme.disaster.rawValue
        let def = CaseFixture.catalog.definition(.disaster)
        let sub = Submission(values: v, programme: .disaster, figures: env.forms.rules.figures(v), applyStep: def.applyStep,
                             surveyStep: nil, nextStep: def.stepAfterIntake, draftId: nil, today: Fixture.today)
        let before = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM assistance_case") ?? 0 }
        let e = try #require(throws: StoreError.self) { try store.submitApplication(sub, by: "jingban") }
        #expect(e == .said("disaster.err.formNotForRelief"))
        #expect(say("disaster.err.formNotForRelief", .zh).contains("灾民台帐"))
        let after = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM assistance_case") ?? 0 }
        #expect(after == before)
    }
}
