import Foundation
import GRDB
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// 举报登记: a complaint is received, assigned, checked and answered, each stage with its audit
/// row; a founded one about a case in force opens a follow-up for the approver.
@Suite(.serialized) struct ComplaintTests {
    func audit(_ s: Store) throws -> [String] {
        try s.read { db in try String.fetchAll(db, sql: "SELECT action FROM audit WHERE entity = 'complaint' ORDER BY id") }
    }

    @Test func badInputIsRefusedAndNothingIsSaved() throws {
        let s = try Fixture.store(households: 3)
        let t = Fixture.today
        #expect(throws: StoreError.self) { try s.receiveComplaint(NewComplaint(receivedOn: t, channel: .box, subject: "某某", content: "  "), by: "jingban", today: t) }
        #expect(throws: StoreError.self) { try s.receiveComplaint(NewComplaint(receivedOn: t, channel: .box, subject: "", content: "内容"), by: "jingban", today: t) }
        #expect(throws: StoreError.self) { try s.receiveComplaint(NewComplaint(receivedOn: t.adding(days: 1), channel: .box, subject: "某某", content: "内容"), by: "jingban", today: t) }
        #expect(throws: StoreError.self) { try s.receiveComplaint(NewComplaint(receivedOn: t, channel: .box, subject: "", caseId: 999, content: "内容"), by: "jingban", today: t) }
        #expect(try s.complaints().isEmpty && (try audit(s)).isEmpty)
        // Anonymous: whatever was typed as the complainant is not kept.
        let id = try s.receiveComplaint(NewComplaint(receivedOn: t, channel: .anonymous, complainant: "王某", subject: "某某", content: "内容"), by: "jingban", today: t)
        #expect(try s.complaint(id: id)?.complainant == "")
        // A change can only be proposed for a founded complaint that names a case.
        try s.assignComplaint(id: id, version: 1, to: "督查组", on: t, by: "duzha")
        #expect(throws: StoreError.self) { try s.checkComplaint(id: id, version: 2, on: t, founded: true, finding: "属实", proposed: .suspend, by: "duzha") }
        #expect(try s.complaint(id: id)?.stage == .assigned)
    }

    @Test func channelsAreReadFromWhatAClerkTypes() {
        #expect(Complaint.Channel(text: "2") == .phone)
        #expect(Complaint.Channel(text: "来访") == .inPerson)
        #expect(Complaint.Channel(text: "anonymous") == .anonymous)
        #expect(Complaint.Channel(text: "7") == nil && Complaint.Channel(text: "") == nil)
    }

}
