import Foundation
import GRDB
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// Publicity batches against the in-memory store: proposals, the window, posting frozen,
/// objections holding back only their own case, closing through the workflow engine.
@Suite struct PublicityStoreTests {
    static let village = "532927101201"
    static let catalog = CaseFixture.catalog

    /// Three rural cases at 村级公示 in 李家村 since `since`.
    func setup(since: CivilDate = Fixture.today) throws -> (Store, [Int64]) {
        let s = try Fixture.store(households: 6)
        // Households 1, 3, 5 are in 李家村 (even fixture index).
        let ids = try [1, 3, 5].map { try CaseFixture.ruralCase(s, household: Int64($0), at: "village_publicity", since: since) }
        return (s, ids)
    }

    func step(_ s: Store, _ id: Int64) throws -> String {
        try s.read { db in try String.fetchOne(db, sql: "SELECT step FROM assistance_case WHERE id = ?", arguments: [id])! }
    }

    @Test func aBatchProposesTheWaitingCasesAndKeepsTheWindow() throws {
        let (s, ids) = try setup()
        let from = Fixture.today
        #expect(throws: StoreError.self) {
            try s.createBatch(NewBatch(kind: .appraisal, programme: .ruralDibao, scopeCode: Self.village, postedFrom: from,
                                       postedUntil: from.adding(days: 5)), by: "jingban", today: from, catalog: Self.catalog)
        }
        let bid = try s.createBatch(NewBatch(kind: .appraisal, programme: .ruralDibao, scopeCode: Self.village, postedFrom: from,
                                             place: "李家村村务公开栏", phone: "0872-6121234", box: "村委会门口举报箱"), by: "jingban", today: from, catalog: Self.catalog)
        let b = try #require(try s.batch(id: bid))
        #expect(b.title == "李家村\(from.year)年\(from.month)月农村低保民主评议结果公示")
        #expect(b.postedUntil == from.adding(days: 7))
        #expect(b.lineCount == 3)
        // A second batch finds nothing left to post.
        #expect(throws: StoreError.self) {
            try s.createBatch(NewBatch(kind: .appraisal, programme: .ruralDibao, scopeCode: Self.village, postedFrom: from), by: "jingban", today: from, catalog: Self.catalog)
        }
        // Lines can be removed and added back while a draft.
        try s.setLine(batchId: bid, caseId: ids[0], included: false, by: "jingban")
        #expect(try s.batch(id: bid)?.lineCount == 2)
        try s.setLine(batchId: bid, caseId: ids[0], included: true, by: "jingban")
        #expect(try s.batch(id: bid)?.lineCount == 3)
    }

    @Test func closingBeforeTheWindowEndsIsRefusedAndAnObjectionHoldsOnlyItsCase() throws {
        let (s, ids) = try setup(since: Fixture.today.adding(days: -10))
        let from = Fixture.today.adding(days: -9)
        let bid = try s.createBatch(NewBatch(kind: .appraisal, programme: .ruralDibao, scopeCode: Self.village, postedFrom: from),
                                    by: "jingban", today: from, catalog: Self.catalog)
        try s.postBatch(bid, version: 1, by: "jingban", today: from, catalog: Self.catalog)
        var b = try #require(try s.batch(id: bid))
        #expect(b.state == .posted)
        // Too early: refused, naming the date, nothing changed.
        do {
            _ = try s.closeBatch(bid, version: b.version, by: "jingban", today: from.adding(days: 6), catalog: Self.catalog)
            Issue.record("closed before the window ended")
        } catch let e as StoreError {
            #expect(e.message(.zh).contains(from.adding(days: 7).iso))
        }
        #expect(try step(s, ids[0]) == "village_publicity")
        // An objection against the second line sends that case back.
        let oid = try s.registerObjection(batchId: bid, caseId: ids[1], receivedOn: from.adding(days: 2), receivedBy: "举报箱",
                                          content: "反映该户新购机动车辆", handler: "经办员甲", by: "jingban", catalog: Self.catalog)
        #expect(try step(s, ids[1]) == "survey")
        b = try #require(try s.batch(id: bid))
        #expect(b.pendingObjections == 1)
        let r = try s.closeBatch(bid, version: b.version, by: "jingban", today: from.adding(days: 7), catalog: Self.catalog)
        #expect(r.moved == [ids[0], ids[2]])
        #expect(r.held == [ids[1]])
        #expect(try step(s, ids[0]) == "township_review")
        #expect(try step(s, ids[1]) == "survey")
        try s.recordObjectionResult(oid, upheld: false, reason: "经核实车辆为残疾人代步车", by: "jingban", today: from.adding(days: 8))
        let lines = try s.batchLines(batchId: bid, today: Fixture.today, catalog: Self.catalog)
        #expect(lines.first { $0.line.caseId == ids[1] }?.objections.first?.result == "not_upheld")
    }

    @Test func reinvestigatedCaseComesBackToAFullRepublicity() throws {
        let (s, ids) = try setup(since: Fixture.today.adding(days: -12))
        let from = Fixture.today.adding(days: -12)
        let bid = try s.createBatch(NewBatch(kind: .appraisal, programme: .ruralDibao, scopeCode: Self.village, postedFrom: from),
                                    by: "jingban", today: from, catalog: Self.catalog)
        try s.postBatch(bid, version: 1, by: "jingban", today: from, catalog: Self.catalog)
        _ = try s.registerObjection(batchId: bid, caseId: ids[0], receivedOn: from.adding(days: 1), receivedBy: "电话",
                                    content: "反映家庭人口与实际不符", handler: "经办员甲", by: "jingban", catalog: Self.catalog)
        // Re-investigation done: the case is back at the posting step.
        _ = try s.act(caseId: ids[0], version: 2, request: CaseRequest(action: .done, actor: "jingban", role: .clerk, date: from.adding(days: 4),
                                                                       inputs: ["date": from.adding(days: 4).iso, "investigator1": "王立军", "investigator2": "李春梅"]),
                      catalog: Self.catalog)
        #expect(try step(s, ids[0]) == "village_publicity")
        let b = try #require(try s.batch(id: bid))
        _ = try s.closeBatch(bid, version: b.version, by: "jingban", today: from.adding(days: 7), catalog: Self.catalog)
        let again = try s.createBatch(NewBatch(kind: .appraisal, programme: .ruralDibao, scopeCode: Self.village, postedFrom: from.adding(days: 8)),
                                      by: "jingban", today: from.adding(days: 8), catalog: Self.catalog)
        let b2 = try #require(try s.batch(id: again))
        #expect(b2.lineCount == 1)
        // A new full window after an objection, not a shorter one.
        #expect(b2.postedUntil == from.adding(days: 8 + 7))
    }

    @Test func aPostedBatchReprintsAsPublishedAfterTheHouseholdChanges() throws {
        let (s, ids) = try setup()
        let bid = try s.createBatch(NewBatch(kind: .appraisal, programme: .ruralDibao, scopeCode: Self.village, postedFrom: Fixture.today),
                                    by: "jingban", today: Fixture.today, catalog: Self.catalog)
        try s.postBatch(bid, version: 1, by: "jingban", today: Fixture.today, catalog: Self.catalog)
        let before = try s.document(batchId: bid, today: Fixture.today, catalog: Self.catalog)
        let head = try #require(before.lines.first { $0.caseId == ids[0] })
        // The head's name changes and a member moves out.
        try s.write { db in
            try db.execute(sql: "UPDATE person SET name = '改名后' WHERE household_id = 1 AND relation = '02'")
            try db.execute(sql: "UPDATE assistance_case SET covered_members = 1 WHERE id = ?", arguments: [ids[0]])
        }
        let after = try s.document(batchId: bid, today: Fixture.today.adding(days: 30), catalog: Self.catalog)
        #expect(after == before)
        #expect(after.lines.first { $0.caseId == ids[0] }?.name == head.name)
        for width in [80, 132] {
            #expect(PublicityRender.text(after, lang: .zh, width: width) == PublicityRender.text(before, lang: .zh, width: width))
        }
        #expect(PublicityRender.html(after, lang: .zh) == PublicityRender.html(before, lang: .zh))
        #expect(PublicityRender.csv(after, lang: .zh) == PublicityRender.csv(before, lang: .zh))
    }

    @Test func anAdjustedAmountIsPostedAsAdjustedOnceAndAgainAfterTheNextAdjustment() throws {
        let (s, ids) = try setup()
        // Case 0 stopped, case 1 in force and adjusted 20 days ago; case 2 in force, never adjusted.
        func adjust(_ id: Int64, on d: CivilDate) throws {
            try s.write { db in
                try db.execute(sql: "UPDATE assistance_case SET status = 'active', step = 'payment', monthly_amount_fen = 42000 WHERE id = ?", arguments: [id])
                try db.execute(sql: """
                    INSERT INTO case_step(case_id, step, action, actor, acted_on, note, inputs, recorded_at)
                    VALUES (?, 'payment', 'adjust', 'shenpi', ?, '务工收入增加', '{}', '2026-05-01 09:00:00')
                    """, arguments: [id, d.iso])
            }
        }
        try s.write { db in
            try db.execute(sql: "UPDATE assistance_case SET status = 'terminated', step = 'payment', monthly_amount_fen = 30000 WHERE id = ?", arguments: [ids[0]])
            try db.execute(sql: "UPDATE assistance_case SET status = 'active', step = 'payment' WHERE id = ?", arguments: [ids[2]])
        }
        try adjust(ids[1], on: Fixture.today.adding(days: -20))
        let proposed = try s.proposals(kind: .cancellation, programme: .ruralDibao, scopeCode: Self.village)
        #expect(Set(proposed) == [ids[0], ids[1]])
        let from = Fixture.today.adding(days: -8)
        let bid = try s.createBatch(NewBatch(kind: .cancellation, programme: .ruralDibao, scopeCode: Self.village, postedFrom: from),
                                    by: "jingban", today: from, catalog: Self.catalog)
        let lines = try s.batchLines(batchId: bid, today: Fixture.today, catalog: Self.catalog)
        #expect(Dictionary(uniqueKeysWithValues: lines.map { ($0.line.caseId, $0.line.change) }) == [ids[0]: .cancelled, ids[1]: .adjusted])
        #expect(lines.first { $0.line.caseId == ids[1] }?.line.monthly == Money(yuan: 420))
        #expect(PublicityRender.text(try s.document(batchId: bid, today: Fixture.today, catalog: Self.catalog), lang: .zh, width: 80).contains("调整"))
        try s.postBatch(bid, version: 1, by: "jingban", today: from, catalog: Self.catalog)
        let b = try #require(try s.batch(id: bid))
        #expect(try s.closeBatch(bid, version: b.version, by: "jingban", today: Fixture.today, catalog: Self.catalog).moved.isEmpty)
        #expect(try s.proposals(kind: .cancellation, programme: .ruralDibao, scopeCode: Self.village).isEmpty)
        // Adjusted again after that posting: proposed again, as adjusted.
        try adjust(ids[1], on: Fixture.today)
        #expect(try s.proposals(kind: .cancellation, programme: .ruralDibao, scopeCode: Self.village) == [ids[1]])
    }

    @Test func anObjectionToTheChangesPostingIsRegisteredAsAComplaint() throws {
        let (s, ids) = try setup()
        try s.write { db in
            try db.execute(sql: "UPDATE assistance_case SET status = 'terminated', step = 'payment', monthly_amount_fen = 30000 WHERE id = ?", arguments: [ids[0]])
        }
        let from = Fixture.today.adding(days: -3)
        let bid = try s.createBatch(NewBatch(kind: .cancellation, programme: .ruralDibao, scopeCode: Self.village, postedFrom: from),
                                    by: "jingban", today: from, catalog: Self.catalog)
        // As an objection it is refused (no case goes back), and the message says where it belongs.
        #expect(throws: StoreError.self) {
            _ = try s.registerPostingComplaint(batchId: bid, caseId: ids[0], receivedOn: Fixture.today, receivedHow: "电话", content: "不应取消", by: "jingban", today: Fixture.today)
        }
        try s.postBatch(bid, version: 1, by: "jingban", today: from, catalog: Self.catalog)
        do {
            _ = try s.registerObjection(batchId: bid, caseId: ids[0], receivedOn: Fixture.today, receivedBy: "电话", content: "不应取消",
                                        handler: "", by: "jingban", catalog: Self.catalog)
            Issue.record("an objection to a changes posting was recorded as an objection")
        } catch let e as StoreError { #expect(e.message(.zh).contains("举报登记")) }
        #expect(throws: StoreError.self) {
            _ = try s.registerPostingComplaint(batchId: bid, caseId: ids[1], receivedOn: Fixture.today, receivedHow: "电话", content: "不应取消", by: "jingban", today: Fixture.today)
        }
        let before = try s.read { db in try String.fetchOne(db, sql: "SELECT status FROM assistance_case WHERE id = ?", arguments: [ids[0]]) }
        let n = try s.registerPostingComplaint(batchId: bid, caseId: ids[0], receivedOn: Fixture.today, receivedHow: "电话", content: "家里确实困难，不应取消",
                                               by: "jingban", today: Fixture.today)
        let c = try #require(try s.complaint(id: n))
        #expect(c.channel == .posting && c.caseId == ids[0] && c.stage == .received && c.content == "家里确实困难，不应取消")
        #expect(c.subject.contains("取消"))
        // The case stays where it is.
        #expect(try s.read { db in try String.fetchOne(db, sql: "SELECT status FROM assistance_case WHERE id = ?", arguments: [ids[0]]) } == before)
    }

    @Test func aCancellationPostingListsStoppedBenefitsAndMovesNoCase() throws {
        let (s, ids) = try setup()
        try s.write { db in
            try db.execute(sql: "UPDATE assistance_case SET status = 'terminated', step = 'payment', monthly_amount_fen = 30000 WHERE id = ?", arguments: [ids[0]])
        }
        let from = Fixture.today.adding(days: -8)
        let bid = try s.createBatch(NewBatch(kind: .cancellation, programme: .ruralDibao, scopeCode: Self.village, postedFrom: from),
                                    by: "jingban", today: from, catalog: Self.catalog)
        let lines = try s.batchLines(batchId: bid, today: Fixture.today, catalog: Self.catalog)
        #expect(lines.map(\.line.caseId) == [ids[0]])
        #expect(lines.first?.line.change == .cancelled)
        #expect(lines.first?.line.monthly == Money(yuan: 300))
        try s.postBatch(bid, version: 1, by: "jingban", today: from, catalog: Self.catalog)
        let b = try #require(try s.batch(id: bid))
        let r = try s.closeBatch(bid, version: b.version, by: "jingban", today: Fixture.today, catalog: Self.catalog)
        #expect(r.moved.isEmpty)
        #expect(try s.batch(id: bid)?.state == .closed)
        // Posted once, it is not proposed again.
        #expect(try s.proposals(kind: .cancellation, programme: .ruralDibao, scopeCode: Self.village).isEmpty)
    }
}
