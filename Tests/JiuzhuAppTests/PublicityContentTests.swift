import Foundation
import GRDB
import Testing
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI

/// Publicity per 民发〔2021〕57号 (issue 22 item 7): the columns (name, persons, amount; no income),
/// a batch per village, the supervision phone and box required in the store, the changes posting
/// with 取消 and 清退 apart and only what was not posted before, and the standing list.
@Suite struct PublicityContentTests {
    static let village = "532927101201"
    static let catalog = CaseFixture.catalog

    func store() throws -> Store {
        let s = try Fixture.store(households: 8)
        try s.addUser(name: "shenpi", displayName: "审批员", role: .approver, password: "demo", by: "test", iterations: 1000)
        return s
    }

    func setSetting(_ s: Store, _ key: String, _ value: String) throws {
        let v = try #require(try s.settingRows().first { $0.key == key }?.version)
        try s.changeSetting(key: key, value: value, version: v, by: "test")
    }

    func message(_ e: any Error) -> String { (e as? StoreError)?.message(.zh) ?? "\(e)" }

    @Test func theDefaultColumnsAreNamePersonsAndAmountWithoutIncome() throws {
        let s = try store()
        _ = try [1, 3].map { try CaseFixture.ruralCase(s, household: Int64($0), at: "village_publicity", since: Fixture.today) }
        let bid = try s.createBatch(NewBatch(kind: .appraisal, programme: .ruralDibao, scopeCode: Self.village, postedFrom: Fixture.today),
                                    by: "jingban", today: Fixture.today, catalog: Self.catalog)
        let doc = try s.document(batchId: bid, today: Fixture.today, catalog: Self.catalog)
        #expect(doc.columns == [.index, .name, .persons, .monthly])
        #expect(doc.complaintPhone == "0872-6121234" && doc.complaintBox == "村委会门口举报箱")
        let text = PublicityRender.text(doc, lang: .zh, width: 80)
        #expect(!text.contains("人均月收入") && text.contains("月保障金"))
        #expect(text.contains("监督电话：0872-6121234") && text.contains("举报箱：村委会门口举报箱"))
        for l in text.split(separator: "\n") { #expect(l.displayWidth <= 80) }
        // A county that wants the income shown says so in the setting.
        try setSetting(s, "publicity_columns_village_publicity", "index,name,persons,perCapita,monthly")
        #expect(try s.document(batchId: bid, today: Fixture.today, catalog: Self.catalog).columns.contains(.perCapita))
    }

    @Test func aPostingIsOfOneVillageAndNeedsThePhoneAndTheBox() throws {
        let s = try store()
        _ = try CaseFixture.ruralCase(s, household: 1, at: "village_publicity", since: Fixture.today)
        // Township-wide: refused, for the screen and the command line alike (both call the store).
        do {
            _ = try s.createBatch(NewBatch(kind: .appraisal, programme: .ruralDibao, scopeCode: "532927101000", postedFrom: Fixture.today),
                                  by: "jingban", today: Fixture.today, catalog: Self.catalog)
            Issue.record("a township-wide batch was made")
        } catch { #expect(message(error).contains("申请人所在的村（社区）")) }
        // No phone anywhere: refused, nothing made.
        try setSetting(s, "publicity_phone", "")
        do {
            _ = try s.createBatch(NewBatch(kind: .appraisal, programme: .ruralDibao, scopeCode: Self.village, postedFrom: Fixture.today),
                                  by: "jingban", today: Fixture.today, catalog: Self.catalog)
            Issue.record("a batch without a supervision phone was made")
        } catch { #expect(message(error).contains("监督电话")) }
        #expect(try s.batches().isEmpty)
        // Not a number: refused.
        #expect(throws: StoreError.self) {
            try s.createBatch(NewBatch(kind: .appraisal, programme: .ruralDibao, scopeCode: Self.village, postedFrom: Fixture.today, phone: "举报电话"),
                              by: "jingban", today: Fixture.today, catalog: Self.catalog)
        }
        // The batch's own phone will do; the box comes from the settings.
        let bid = try s.createBatch(NewBatch(kind: .appraisal, programme: .ruralDibao, scopeCode: Self.village, postedFrom: Fixture.today, phone: "12345"),
                                    by: "jingban", today: Fixture.today, catalog: Self.catalog)
        let b = try #require(try s.batch(id: bid))
        #expect(b.phone == "12345" && b.box == "村委会门口举报箱")
        // A draft left without a box (made before the rule) is not posted until the office sets one.
        try s.write { db in try db.execute(sql: "UPDATE publicity_batch SET box = '' WHERE id = ?", arguments: [bid]) }
        try setSetting(s, "publicity_box", "")
        do {
            try s.postBatch(bid, version: b.version, by: "jingban", today: Fixture.today, catalog: Self.catalog)
            Issue.record("posted without a complaints box")
        } catch { #expect(message(error).contains("举报箱")) }
        #expect(try s.batch(id: bid)?.state == .draft)
        try setSetting(s, "publicity_box", "李家村村委会门口")
        try s.postBatch(bid, version: b.version, by: "jingban", today: Fixture.today, catalog: Self.catalog)
        let doc = try s.document(batchId: bid, today: Fixture.today, catalog: Self.catalog)
        #expect(doc.complaintBox == "李家村村委会门口" && doc.complaintPhone == "12345")
        // The setting itself must be a phone.
        #expect(throws: StoreError.self) { try setSetting(s, "publicity_phone", "村委会") }
    }

    @Test func theChangesPostingTellsCancelledFromClearedAndNeverPostsACaseTwice() throws {
        let s = try store()
        let cancelled = try DynamicManagementTests.activeCase(s, household: 1)
        let cleared = try DynamicManagementTests.activeCase(s, household: 3)
        let adjusted = try DynamicManagementTests.activeCase(s, household: 5)
        func act(_ id: Int64, _ a: CaseAction, _ inputs: [String: String] = [:], amount: Money? = nil) throws {
            let v = try s.read { db in try Int.fetchOne(db, sql: "SELECT version FROM assistance_case WHERE id = ?", arguments: [id])! }
            _ = try s.act(caseId: id, version: v, request: CaseRequest(action: a, actor: "shenpi", role: .approver, date: Fixture.today,
                                                                       inputs: inputs, reason: "复核", amount: amount,
                                                                       overrideReason: amount == nil ? "" : "按实际支出核定"), catalog: Self.catalog)
        }
        try act(cancelled, .terminate, ["kind": "cancel"])
        try act(cleared, .terminate, ["kind": "clear"])
        try act(adjusted, .adjust, amount: Money(yuan: 350))
        let bid = try s.createBatch(NewBatch(kind: .cancellation, programme: .ruralDibao, scopeCode: Self.village, postedFrom: Fixture.today),
                                    by: "jingban", today: Fixture.today, catalog: Self.catalog)
        let lines = try s.batchLines(batchId: bid, today: Fixture.today, catalog: Self.catalog)
        let change = Dictionary(uniqueKeysWithValues: lines.map { ($0.line.caseId, $0.line.change) })
        #expect(change == [cancelled: .cancelled, cleared: .cleared, adjusted: .adjusted])
        let b = try #require(try s.batch(id: bid))
        try s.postBatch(bid, version: b.version, by: "jingban", today: Fixture.today, catalog: Self.catalog)
        let doc = try s.document(batchId: bid, today: Fixture.today, catalog: Self.catalog)
        #expect(doc.columns == [.index, .name, .persons, .change, .monthly])
        let text = PublicityRender.text(doc, lang: .zh, width: 80)
        #expect(text.contains("清退") && text.contains("取消") && text.contains("调整"))
        // Once posted, none of them is proposed again.
        #expect(try s.proposals(kind: .cancellation, programme: .ruralDibao, scopeCode: Self.village).isEmpty)
    }

    @Test func theStandingListHoldsTheVillagesHouseholdsInForce() throws {
        let s = try store()
        let a = try DynamicManagementTests.activeCase(s, household: 1)
        let b = try DynamicManagementTests.activeCase(s, household: 3)
        _ = try DynamicManagementTests.activeCase(s, household: 2)   // 石门村
        let stopped = try DynamicManagementTests.activeCase(s, household: 5)
        let v = try s.read { db in try Int.fetchOne(db, sql: "SELECT version FROM assistance_case WHERE id = ?", arguments: [stopped])! }
        _ = try s.act(caseId: stopped, version: v, request: CaseRequest(action: .terminate, actor: "shenpi", role: .approver, date: Fixture.today,
                                                                         inputs: ["kind": "cancel"], reason: "收入超过标准"), catalog: Self.catalog)
        let doc = try s.standingDocument(programme: .ruralDibao, villageCode: Self.village, today: Fixture.today, catalog: Self.catalog)
        #expect(doc.standing == true)
        #expect(Set(doc.lines.map(\.caseId)) == [a, b])
        #expect(doc.columns == [.index, .name, .persons, .category, .monthly])
        #expect(doc.title == "李家村农村低保保障对象长期公布名单（2026年11月）")
        #expect(try s.standingVillages(programme: .ruralDibao).map(\.code) == ["532927101201", "532927101202"])
        let text = PublicityRender.text(doc, lang: .zh, width: 80)
        #expect(text.contains("公布日期：2026年11月23日（在保期间长期公布") && !text.contains("公示期"))
        for l in text.split(separator: "\n") { #expect(l.displayWidth <= 80) }
        expectGolden(text, named: "publicity-standing-zh")
        #expect(PublicityRender.csv(doc, lang: .zh).contains("300.00"))
        // Without the supervision phone it is refused like a posting.
        try setSetting(s, "publicity_phone", "")
        #expect(throws: StoreError.self) {
            try s.standingDocument(programme: .ruralDibao, villageCode: Self.village, today: Fixture.today, catalog: Self.catalog)
        }
    }

    /// The screen's standing-list key (F8 on the batches list) goes through the same store call
    /// and writes every format into prints/.
    @Test func theScreenPrintsTheStandingLists() throws {
        let store = try store()
        _ = try DynamicManagementTests.activeCase(store, household: 1)
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store))
        func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; r.runUntilIdle() }
        keys(.text("jingban"), .tab, .text("demo"), .enter)
        if r.state.top.id == IntakeScreen.id { keys(.escape) }
        keys(.char("4"))
        keys(.function(8))
        #expect(backend.screenText.contains("长期公布名单"))
        keys(.function(2))
        let text = try #require(r.state.message?.text)
        #expect(text.contains("已写出 1 个村(社区)的长期公布名单,共 5 个文件"), "\(text)")
        let folder = try #require(text.split(separator: "\n").last.map(String.init))
        let made = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("standing-rural_dibao-532927101201-") }
        #expect(made.count >= 5)
        for f in made { try? FileManager.default.removeItem(atPath: folder + "/" + f) }
    }
}
