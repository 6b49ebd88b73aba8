import Foundation
import GRDB
import Testing
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI

/// The papers each decision owes (issue 22 item 6): the 确认 / 不予确认 / 停止 (取消, 清退) / 调整 /
/// 暂停 notices dated on the decision, with the kind, the first month, the reason, the legal basis,
/// the appeal to the county government, and the deciding body's seal; the certificate page; the
/// survey form within 80 columns with every co-resident adult's signature and the opinion boxes.
@Suite struct PapersTests {
    static let catalog = CaseFixture.catalog

    func store() throws -> Store {
        let s = try Fixture.store(households: 8)
        try s.addUser(name: "shenhe", displayName: "审核员", role: .reviewer, password: "demo", by: "test", iterations: 1000)
        try s.addUser(name: "shenpi", displayName: "审批员", role: .approver, password: "demo", by: "test", iterations: 1000)
        return s
    }

    func version(_ s: Store, _ id: Int64) throws -> Int {
        try s.read { db in try Int.fetchOne(db, sql: "SELECT version FROM assistance_case WHERE id = ?", arguments: [id])! }
    }

    func file(_ s: Store, _ id: Int64) throws -> CaseFile {
        try #require(try s.caseFile(id: id, today: Fixture.today, catalog: Self.catalog))
    }

    /// The environment of a day well after the decision: a notice printed then is still dated on the decision.
    func laterEnv(_ s: Store, lang: Lang = .zh) throws -> AppEnvironment {
        var env = try Fixture.env(s, lang: lang)
        env.today = Fixture.today.adding(days: 45)
        return env
    }

    /// Household 1 (head born 1950 and a child), approved at 县级审批 on the fixture's today.
    func approved(_ s: Store) throws -> Int64 {
        let id = try CaseFixture.ruralCase(s, household: 1, at: "county_approval", since: Fixture.today.adding(days: -2))
        _ = try s.act(caseId: id, version: try version(s, id),
                      request: CaseRequest(action: .approve, actor: "shenpi", role: .approver, date: Fixture.today, inputs: ["approver": "审批员"]),
                      catalog: Self.catalog)
        return id
    }

    func act(_ s: Store, _ id: Int64, _ a: CaseAction, reason: String, inputs: [String: String] = [:], amount: Money? = nil) throws {
        _ = try s.act(caseId: id, version: try version(s, id),
                      request: CaseRequest(action: a, actor: "shenpi", role: .approver, date: Fixture.today, inputs: inputs, reason: reason, amount: amount,
                                           overrideReason: amount == nil ? "" : "按实际支出核定"),
                      catalog: Self.catalog)
    }

    /// Every line of a text print fits 80 columns (78 for the notices' A4 margin).
    func fits(_ text: String, _ width: Int = 78, sourceLocation: SourceLocation = #_sourceLocation) {
        for l in text.split(separator: "\n") { #expect(l.displayWidth <= width, "too wide (\(l.displayWidth)): \(l)", sourceLocation: sourceLocation) }
    }

    /// Nothing private on a paper that goes to the family.
    func nothingPrivate(_ text: String, _ f: CaseFile, sourceLocation: SourceLocation = #_sourceLocation) {
        for m in f.members { #expect(!text.contains(m.idNumber), "a full ID number", sourceLocation: sourceLocation) }
        #expect(text.range(of: #"\d{17}[\dX]"#, options: .regularExpression) == nil, sourceLocation: sourceLocation)
    }

    @Test func approvalNoticeGivesTheAmountAndFirstMonthDatedOnTheDecision() throws {
        let s = try store()
        let id = try approved(s)
        let f = try file(s, id)
        #expect(CaseNotice.kind(for: f) == .approval)
        let env = try laterEnv(s)
        let rules = try s.paymentRules()
        let doc = CaseNotice.document(f, kind: .approval, env: env, office: try s.office(), rules: rules)
        let text = CaseNotice.text(doc)
        #expect(doc.title == "救助确认通知书")
        #expect(text.contains("决定予以确认") && text.contains("自2026年12月起发放"), "\(text)")
        #expect(doc.particulars.contains { $0.0 == "起始发放月份" && $0.1 == "2026年12月" })
        let amount = try #require(f.amount).yuanString
        #expect(doc.particulars.contains { $0.0 == "月保障金" && $0.1 == "\(amount) 元" })
        // Dated on the decision, not on the day printed (45 days later).
        #expect(doc.date == "2026年11月23日")
        #expect(!text.contains("2027年1月7日") && !text.contains("2027-01-07"))
        // The deciding body seals it, and the appeal goes to the county government (行政复议法 2024).
        #expect(doc.office == "巍山县民政局" && doc.seal == "巍山县民政局（盖章）")
        #expect(text.contains("60日内向巍山县人民政府申请行政复议") && text.contains("6个月内"))
        #expect(!text.contains("上一级民政部门"))
        #expect(text.contains("民发〔2021〕57号") && text.contains("国务院令第649号"))
        nothingPrivate(text, f)
        fits(text)
        expectGolden(text, named: "notice-approval-zh")
        expectGolden(CaseNotice.text(f, kind: .approval, env: try laterEnv(s, lang: .en), office: try s.office(), rules: rules), named: "notice-approval-en")
        // The certificate (领取证) page goes with it: one page, the month table from the first month paid.
        let cert = try #require(CaseCertificate.document(f, env: env, office: try s.office(), rules: rules))
        let ct = CaseCertificate.text(cert)
        #expect(cert.title == "农村居民最低生活保障领取证")
        #expect(cert.recordMonths.first == "2026年12月" && cert.recordMonths.count == 12)
        #expect(cert.members.count == 2 && cert.members.first?.1 == "户主")
        #expect(ct.contains("巍山县民政局（盖章）") && ct.contains("2026年11月23日"))
        nothingPrivate(ct, f)
        fits(ct)
        expectGolden(ct, named: "certificate-rural-zh")
        let html = CaseCertificate.html(cert)
        #expect(html.contains("@page { size: A4") && html.contains("领取记录"))
    }

    @Test func refusalNoticeSaysBuYuQueRenWithTheBasisAndTheCountyGovernment() throws {
        let s = try store()
        let id = try CaseFixture.ruralCase(s, household: 3, at: "county_approval", since: Fixture.today.adding(days: -2), pci: Money(fen: 80_000))
        try act(s, id, .reject, reason: "家庭人均收入高于当地低保标准")
        let f = try file(s, id)
        #expect(CaseNotice.kind(for: f) == .rejection)
        let text = CaseNotice.text(f, kind: .rejection, env: try laterEnv(s), office: try s.office())
        #expect(text.contains("不予确认通知书") && text.contains("决定不予确认"))
        #expect(text.contains("【法律依据】") && text.contains("【救济途径】") && text.contains("巍山县人民政府"))
        #expect(text.contains("✗ 家庭收入"))
        #expect(text.contains("巍山县民政局（盖章）") && text.contains("2026年11月23日"))
        fits(text)
        expectGolden(text, named: "notice-rejection-zh")
    }

    @Test func stopNoticesTellCancelledFromClearedAndTheFirstMonthUnpaid() throws {
        let s = try store()
        let cancelled = try DynamicManagementTests.activeCase(s, household: 2)
        let cleared = try DynamicManagementTests.activeCase(s, household: 4)
        try act(s, cancelled, .terminate, reason: "家庭成员就业，收入超过标准", inputs: ["kind": "cancel"])
        try act(s, cleared, .terminate, reason: "隐瞒子女收入，经核查不符合条件", inputs: ["kind": "clear"])
        let env = try laterEnv(s)
        let a = CaseNotice.document(try file(s, cancelled), kind: .termination, env: env, office: try s.office())
        let b = CaseNotice.document(try file(s, cleared), kind: .termination, env: env, office: try s.office())
        #expect(a.decision.contains("决定取消，自2026年12月起停发"), "\(a.decision)")
        #expect(b.decision.contains("决定予以清退，自2026年12月起停发"), "\(b.decision)")
        #expect(a.particulars.contains { $0.0 == "决定类型" && $0.1.hasPrefix("停止救助（取消）") })
        #expect(b.particulars.contains { $0.0 == "决定类型" && $0.1.hasPrefix("停止救助（清退）") })
        #expect(a.particulars.contains { $0.0 == "停发月份" && $0.1 == "2026年12月" })
        #expect(a.date == "2026年11月23日" && b.date == "2026年11月23日")
        for d in [a, b] { fits(CaseNotice.text(d)) }
        expectGolden(CaseNotice.text(b), named: "notice-termination-clear-zh")
        expectGolden(CaseNotice.text(a), named: "notice-termination-cancel-zh")
        let en = CaseNotice.text(try file(s, cleared), kind: .termination, env: try laterEnv(s, lang: .en), office: try s.office())
        #expect(en.contains("stopped (cleared)") && en.contains("Not paid from") && en.contains("2026-12"))
        fits(en)
    }

    @Test func adjustmentAndSuspensionNoticesNameTheMonth() throws {
        let s = try store()
        let adjusted = try DynamicManagementTests.activeCase(s, household: 2)
        let suspended = try DynamicManagementTests.activeCase(s, household: 4)
        try act(s, adjusted, .adjust, reason: "家庭成员患大病，支出增加", amount: Money(yuan: 420))
        try act(s, suspended, .suspend, reason: "连续三个月未按时签到，待核实")
        let env = try laterEnv(s)
        let fa = try file(s, adjusted), fs = try file(s, suspended)
        #expect(CaseNotice.kind(for: fa) == .adjustment && CaseNotice.kind(for: fs) == .suspension)
        let a = CaseNotice.document(fa, kind: .adjustment, env: env, office: try s.office())
        let u = CaseNotice.document(fs, kind: .suspension, env: env, office: try s.office())
        #expect(a.decision.contains("由 300.00 元调整为 420.00 元，自2026年12月起"), "\(a.decision)")
        #expect(a.particulars.contains { $0.0 == "按新金额发放月份" && $0.1 == "2026年12月" })
        #expect(u.decision.contains("自2026年12月起暂停"), "\(u.decision)")
        #expect(u.particulars.contains { $0.0 == "停发月份" && $0.1 == "2026年12月" })
        #expect(a.reasons == "家庭成员患大病，支出增加")
        // The earlier approval's notice can still be asked for, the adjustment being the latest.
        #expect(CaseNotice.kinds(for: fa).contains(.adjustment))
        for d in [a, u] { fits(CaseNotice.text(d)) }
        expectGolden(CaseNotice.text(a), named: "notice-adjustment-zh")
        expectGolden(CaseNotice.text(u), named: "notice-suspension-zh")
    }

    @Test func writingAnApprovalWritesTheNoticeAndTheCertificatePrivately() throws {
        let s = try store()
        let id = try approved(s)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jiuzhu-papers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let paths = try CaseNotice.write(try file(s, id), kind: .approval, besides: dir.appendingPathComponent("x.sqlite").path,
                                         env: try Fixture.env(s), office: try s.office(), rules: try s.paymentRules())
        #expect(paths.count == 4)
        #expect(paths.filter { $0.contains("/certificate-case\(id)-") }.count == 2)
        for p in paths { #expect(try FileManager.default.attributesOfItem(atPath: p)[.posixPermissions] as? Int == 0o600) }
    }

    // MARK: the survey form

    /// A household of four: head, spouse, a child of 10 (does not sign), a grown son who lives
    /// away (does not sign); a long label that must wrap, not be cut.
    @Test func surveyFitsEightyColumnsAndEveryCoResidentAdultSigns() throws {
        let s = try store()
        let env = try Fixture.env(s)
        let kid = IDNumber.make(region: "532927", birth: CivilDate(year: 2016, month: 5, day: 1)!, sequence: 77)
        let away = IDNumber.make(region: "532927", birth: CivilDate(year: 1998, month: 3, day: 2)!, sequence: 78)
        var v = FormTests.filled(members: [("王大山", FormTests.headID, "02", "M"), ("李秀英", FormTests.spouseID, "10", "F"),
                                           ("王小明", kid.value, "20", kid.sex == .male ? "M" : "F"), ("王远", away.value, "20", away.sex == .male ? "M" : "F")])
        v.groups["members"]![3]["co_resident"] = "no"
        v.groups["members"]![0]["health"] = "disabled"
        v.groups["members"]![0]["disability_type"] = "2"
        v.groups["members"]![0]["disability_level"] = "2"
        let doc = SurveyPrint.document(values: v, caseId: 12, figures: env.forms.rules.figures(v), env: env, office: try s.office())
        let text = SurveyPrint.text(doc, env: env)
        fits(text, 80)
        #expect(!text.contains("…"), "a label or a value was cut")
        #expect(text.contains("王大山(本人)签字") || text.contains("王大山("), "\(text)")
        #expect(text.contains("李秀英(") && !text.contains("王小明(") && !text.contains("王远("))
        #expect(text.contains("乡镇人民政府(街道办事处)审核意见") && text.contains("县级人民政府民政部门审批(确认)意见"))
        expectGolden(text, named: "survey-print-zh")
        let en = SurveyPrint.text(doc, env: try Fixture.env(s, lang: .en))
        fits(en, 80)
        #expect(en.contains("Township government's review opinion") && en.contains("County civil-affairs department's decision"))
        let html = SurveyPrint.html(doc, env: env)
        #expect(html.contains("class=\"opinion\"") && html.contains("李秀英("))
    }
}
