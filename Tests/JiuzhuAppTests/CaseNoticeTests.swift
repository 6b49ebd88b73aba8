import Foundation
import GRDB
import Testing
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI

/// The written notice of a refused case: the reason, the rule it failed with its figures, the
/// appeal, the ID number masked, and nothing private (phone, bank card, health).
@Suite struct CaseNoticeTests {
    static let reason = "家庭人均收入高于当地低保标准 <核实>"

    /// Household 1 (head and child), a rural 低保 case surveyed at 900.00 a head, refused at the
    /// township review; the household has a phone and a bank card and the head a serious illness.
    func refused() throws -> (Store, CaseFile, Person) {
        let s = try Fixture.store(households: 4)
        try s.addUser(name: "shenhe", displayName: "审核员", role: .reviewer, password: "demo", by: "test", iterations: 1000)
        try s.write { db in
            try db.execute(sql: "UPDATE household SET phone = '13812345678', bank_card = '6228480012345678901' WHERE id = 1")
            try db.execute(sql: "UPDATE person SET health = 'serious' WHERE household_id = 1 AND relation = ?", arguments: [Person.headRelation])
        }
        let id = try CaseFixture.ruralCase(s, household: 1, at: "township_review", since: Fixture.today.adding(days: -3),
                                           pci: Money(fen: 90_000))
        let open = try #require(try s.caseFile(id: id, today: Fixture.today, catalog: CaseFixture.catalog))
        #expect(CaseNotice.kind(for: open) == nil)
        // The reviewer proposes refusal (拟不予); the approver refuses at the decision step.
        try s.addUser(name: "shenpi", displayName: "审批员", role: .approver, password: "demo", by: "test", iterations: 1000)
        _ = try s.act(caseId: id, version: open.caseRecord.version,
                      request: CaseRequest(action: .proposeReject, actor: "shenhe", role: .reviewer, date: Fixture.today, reason: Self.reason),
                      catalog: CaseFixture.catalog)
        _ = try s.act(caseId: id, version: open.caseRecord.version + 1,
                      request: CaseRequest(action: .reject, actor: "shenpi", role: .approver, date: Fixture.today, reason: Self.reason),
                      catalog: CaseFixture.catalog)
        let f = try #require(try s.caseFile(id: id, today: Fixture.today, catalog: CaseFixture.catalog))
        return (s, f, try #require(f.head))
    }

    @Test func rejectionNoticeSaysWhyAndMasksTheID() throws {
        let (s, f, head) = try refused()
        #expect(CaseNotice.kind(for: f) == .rejection)
        let env = try Fixture.env(s)
        let text = CaseNotice.text(f, kind: .rejection, env: env, office: try s.office())
        #expect(text.contains("巍山县民政局"))
        #expect(text.contains("不予确认通知书"))
        #expect(text.contains("编号：第 \(f.caseRecord.id!)-20261123 号"))
        #expect(text.contains(Self.reason))
        #expect(text.contains(Masking.idNumber(head.idNumber)))
        #expect(!text.contains(head.idNumber))
        #expect(text.range(of: #"\d{17}[\dX]"#, options: .regularExpression) == nil)
        #expect(text.contains("✗ 家庭收入：人均月收入 900.00 元 ≥ 标准 575.00 元"))
        #expect(text.contains("行政复议") && text.contains("60日内") && text.contains("6个月内"))
        #expect(text.contains("巍山县民政局（盖章）") && text.contains("2026年11月23日"))
        // Nothing private beyond the masked number.
        for secret in ["13812345678", "138****5678", "6228480012345678901", "5678901", "大病", "重病"] {
            #expect(!text.contains(secret), "the notice shows \(secret)")
        }
        // Every line fits an A4 page of 78 columns.
        for l in text.split(separator: "\n") { #expect(l.displayWidth <= 78, "too wide: \(l)") }
    }

    @Test func htmlIsEscapedAndEnglishFollowsTheLanguage() throws {
        let (s, f, head) = try refused()
        let en = try Fixture.env(s, lang: .en)
        let html = CaseNotice.html(f, kind: .rejection, env: en, office: try s.office())
        #expect(html.contains("@page { size: A4"))
        #expect(html.contains("&lt;核实&gt;") && !html.contains("<核实>"))
        #expect(html.contains("Notice of Refusal of Assistance"))
        #expect(html.contains("administrative reconsideration"))
        #expect(html.contains(Masking.idNumber(head.idNumber)) && !html.contains(head.idNumber))
    }

    @Test func writeMakesPrivateFilesBesideTheDatabase() throws {
        let (s, f, head) = try refused()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jiuzhu-notice-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let paths = try CaseNotice.write(f, kind: .rejection, besides: dir.appendingPathComponent("x.sqlite").path,
                                         env: try Fixture.env(s), office: try s.office())
        #expect(paths.count == 2)
        #expect(paths.allSatisfy { $0.hasPrefix(dir.appendingPathComponent("prints").path) })
        #expect(paths.map { ($0 as NSString).pathExtension } == ["txt", "html"])
        for p in paths {
            let perms = try FileManager.default.attributesOfItem(atPath: p)[.posixPermissions] as? Int
            #expect(perms == 0o600)
            let text = try String(contentsOfFile: p, encoding: .utf8)
            #expect(text.contains("行政复议") && !text.contains(head.idNumber))
        }
        // An in-memory database has no folder to write beside: the temporary folder, not the current one.
        let mem = try CaseNotice.write(f, kind: .rejection, besides: s.path, env: try Fixture.env(s), office: try s.office())
        #expect(s.path == ":memory:")
        #expect(mem.allSatisfy { $0.hasPrefix(FileManager.default.temporaryDirectory.appendingPathComponent("prints").path) })
        for p in mem { try? FileManager.default.removeItem(atPath: p) }
    }
}
