import Foundation
import Testing

/// `jiuzhu case show`, `jiuzhu case notice` and `jiuzhu export cases` run as the real binary on
/// the demo township.
@Suite(.serialized) struct CaseCommandTests {
    /// The fields of CSV lines (quoted fields may hold commas and doubled quotes; no newlines in the export).
    static func csv(_ text: String) -> [[String]] {
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        return body.components(separatedBy: "\r\n").filter { !$0.isEmpty }.map { line in
            var fields: [String] = [], cur = "", quoted = false, chars = Array(line), i = 0
            while i < chars.count {
                let c = chars[i]
                if quoted {
                    if c == "\"" && i + 1 < chars.count && chars[i + 1] == "\"" { cur.append("\""); i += 1 }
                    else if c == "\"" { quoted = false }
                    else { cur.append(c) }
                } else if c == "\"" { quoted = true }
                else if c == "," { fields.append(cur); cur = "" }
                else { cur.append(c) }
                i += 1
            }
            fields.append(cur)
            return fields
        }
    }

    static let headerZh = "案件号,救助项目,村/社区,户主,当前步骤,状态,本步起始日,本步天数,申请日期,保障人数,月保障金(元),一次性金额(元),城市低保分类,调查人,审批人,领取证编号,金额调整理由"
    static let headerEn = "Case,Programme,Village,Head,Step,Status,Step since,Days in step,Applied on,Covered,Monthly (yuan),One-off (yuan),Urban class,Investigators,Approver,Certificate,Override reason"

    /// Every case of the shared demo, as `export cases --lang zh` gives them (header first).
    static let rows: [[String]] = {
        let r = try? Binary.run(["export", "cases", "--db", Binary.sharedDemo, "--lang", "zh"])
        return csv(r?.stdout ?? "")
    }()

    static func firstCase(programme: String, status: String) -> String? {
        rows.dropFirst().first { $0.count > 5 && $0[1] == programme && $0[5] == status }?[0]
    }

    @Test func exportCasesHasAHeaderAndOneRowPerCase() throws {
        let db = Binary.sharedDemo
        let zh = try Binary.run(["export", "cases", "--db", db, "--lang", "zh", "--format", "csv"])
        #expect(zh.status == 0, "\(zh.stderr)")
        #expect(zh.stdoutData.prefix(3) == Data([0xEF, 0xBB, 0xBF]))
        let rows = Self.csv(zh.stdout)
        #expect(rows.first?.joined(separator: ",") == Self.headerZh)
        #expect(rows.allSatisfy { $0.count == 17 }, "a row without 17 fields")
        let ids = rows.dropFirst().compactMap { Int64($0[0]) }
        #expect(ids.count == rows.count - 1 && !ids.isEmpty)
        #expect(ids == ids.sorted() && Set(ids).count == ids.count)
        if let n = Binary.sqlite(db, "SELECT count(*) FROM assistance_case") {
            #expect(ids.count == Int(n))
        } else {
            print("sqlite3 is not installed: the case count is checked against the case numbers only")
        }
        // Days in step are whole days from the step's start; amounts have two decimals; no ID numbers.
        for r in rows.dropFirst() {
            #expect(Int(r[7]) != nil && Int(r[7])! >= 0, "days in step: \(r)")
            for m in [r[10], r[11]] where !m.isEmpty { #expect(m.range(of: #"^\d+\.\d\d$"#, options: .regularExpression) != nil, "\(m)") }
        }
        #expect(zh.stdout.range(of: #"\d{17}[\dX]"#, options: .regularExpression) == nil)
        #expect(rows.dropFirst().contains { $0[1] == "农村低保" && $0[5] == "在保" && !$0[15].isEmpty })

        // English, into a file made mode 0600.
        let out = Binary.tempDir().appendingPathComponent("cases.csv").path
        let en = try Binary.run(["export", "cases", "--db", db, "--lang", "en", "-o", out])
        #expect(en.status == 0 && en.stdout.isEmpty)
        #expect(en.stderr.contains("Exported \(ids.count) cases"), "\(en.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: out))
        #expect(data.prefix(3) == Data([0xEF, 0xBB, 0xBF]))
        let enRows = Self.csv(String(decoding: data, as: UTF8.self))
        #expect(enRows.first?.joined(separator: ",") == Self.headerEn)
        #expect(enRows.count == rows.count)
        #expect(try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int == 0o600)
    }

    @Test func caseShowPrintsTheRulesAndTheHistory() throws {
        let db = Binary.sharedDemo
        // An approved rural 低保 case went through the survey, so it has a per-capita income.
        let id = try #require(Self.firstCase(programme: "农村低保", status: "在保"))
        let r = try Binary.run(["case", "show", id, "--db", db, "--lang", "zh"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.components(separatedBy: "\n")
        #expect(lines.first?.hasPrefix("案件 #\(id)  农村低保") == true)
        #expect(lines.contains { $0.hasPrefix("✓ 家庭收入：人均月收入 ") }, "\(r.stdout)")
        // Headings are underlined.
        let h = try #require(lines.firstIndex(of: "办理记录"))
        #expect(lines[h + 1].allSatisfy { $0 == "-" } && lines[h + 1].count >= 8)
        #expect(lines.count > h + 3)
        #expect(r.stdout.range(of: #"\d{17}[\dX]"#, options: .regularExpression) == nil)
        let en = try Binary.run(["case", "show", "#\(id)", "--db", db, "--lang", "en"])
        #expect(en.status == 0 && en.stdout.contains("History") && en.stdout.contains("per-capita monthly income"))
    }

    @Test func unknownOrBadCaseNumbersFail() throws {
        let db = Binary.sharedDemo
        let missing = try Binary.run(["case", "show", "999999", "--db", db, "--lang", "en"])
        #expect(missing.status != 0 && missing.stdout.isEmpty)
        #expect(missing.stderr.contains("no case #999999"), "\(missing.stderr)")
        let zh = try Binary.run(["case", "show", "999999", "--db", db, "--lang", "zh"])
        #expect(zh.status != 0 && zh.stderr.contains("没有案件 #999999"), "\(zh.stderr)")
        let bad = try Binary.run(["case", "show", "abc", "--db", db, "--lang", "en"])
        #expect(bad.status != 0 && bad.stderr.contains("positive whole number"), "\(bad.stderr)")
        let notice = try Binary.run(["case", "notice", "999999", "--db", db, "--lang", "en"])
        #expect(notice.status != 0 && notice.stderr.contains("999999") && notice.stderr.contains("No notice was printed"))
        let noDB = try Binary.run(["case", "show", "1", "--db", Binary.tempDir().appendingPathComponent("none.sqlite").path, "--lang", "en"])
        #expect(noDB.status != 0 && noDB.stderr.contains("does not exist"))
    }

    @Test func noticeOfARejectedCaseIsWrittenPrivateWithTheAppealAndNoIDNumber() throws {
        let dir = Binary.tempDir()
        let db = dir.appendingPathComponent("notice.sqlite").path
        try Binary.copyDatabase(Binary.sharedDemo, to: db)
        let rejected = try #require(Self.firstCase(programme: "农村低保", status: "不予批准"))
        let r = try Binary.run(["case", "notice", rejected, "--db", db, "--lang", "zh"])
        #expect(r.status == 0, "\(r.stderr)")
        let paths = r.stdout.split(separator: "\n").map(String.init)
        #expect(paths.count == 2)
        #expect(paths.map { ($0 as NSString).pathExtension } == ["txt", "html"])
        for p in paths {
            #expect(p.hasPrefix(dir.appendingPathComponent("prints").path))
            #expect(try FileManager.default.attributesOfItem(atPath: p)[.posixPermissions] as? Int == 0o600)
            let text = try String(contentsOfFile: p, encoding: .utf8)
            // The A4 text wraps its lines: read the appeal sentence across them.
            let flat = text.replacingOccurrences(of: #"\n\s*"#, with: "", options: .regularExpression)
            #expect(flat.contains("不予确认通知书") && flat.contains("行政复议") && flat.contains("人民政府申请行政复议"), "\(p)")
            #expect(text.contains("********"))
            #expect(text.range(of: #"\d{17}[\dX]"#, options: .regularExpression) == nil, "\(p) shows a full ID number")
        }

        // A stopped case gets the other notice; a case in force has none.
        let stopped = try #require(Self.firstCase(programme: "农村低保", status: "已停保"), "the shared demo has a stopped rural case")
        let t = try Binary.run(["case", "notice", stopped, "--db", db, "--lang", "en"])
        #expect(t.status == 0, "\(t.stderr)")
        let txt = try String(contentsOfFile: t.stdout.split(separator: "\n").first.map(String.init) ?? "", encoding: .utf8)
        let flowing = txt.replacingOccurrences(of: "\n", with: " ")   // English wraps between words
        #expect(txt.contains("Notice of Termination of Assistance") && flowing.contains("administrative reconsideration"))
        // A case in force has its approval notice (确认通知书) and the certificate (领取证).
        let active = try #require(Self.firstCase(programme: "农村低保", status: "在保"))
        let approval = try Binary.run(["case", "notice", active, "--db", db, "--lang", "zh", "--kind", "approval"])
        #expect(approval.status == 0, "\(approval.stderr)")
        let files = approval.stdout.split(separator: "\n").map(String.init)
        #expect(files.count == 4 && files.contains { $0.contains("/certificate-case") }, "\(files)")
        let notice = try String(contentsOfFile: try #require(files.first), encoding: .utf8)
        #expect(notice.contains("救助确认通知书") && notice.contains("起始发放月份"))
        // A case still in progress has none.
        let open = try #require(Self.firstCase(programme: "农村低保", status: "办理中"))
        let none = try Binary.run(["case", "notice", open, "--db", db, "--lang", "en"])
        #expect(none.status != 0 && none.stdout.isEmpty)
        #expect(none.stderr.contains("nothing was decided"), "\(none.stderr)")
        let wrong = try Binary.run(["case", "notice", active, "--db", db, "--lang", "en", "--kind", "rejection"])
        #expect(wrong.status != 0 && wrong.stderr.contains("has no rejection decision"), "\(wrong.stderr)")
    }

    /// `case extend` (issue 22 item 5): the reviewer records the special-case limit with the
    /// reason; who may not, no reason and a second extension are refused with nothing changed;
    /// `case show` then reads the longer limit.
    @Test func caseExtendRecordsTheLongerLimitWithTheReason() throws {
        let dir = Binary.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("extend.sqlite").path
        try Binary.copyDatabase(Binary.sharedDemo, to: db)
        let id = try #require(Self.rows.dropFirst().first { $0.count > 5 && $0[1] == "农村低保" && $0[4] == "乡镇审核" && $0[5] == "办理中" }?[0],
                              "the shared demo has a rural case at the township review")
        let before = try Binary.run(["case", "show", id, "--db", db, "--lang", "zh"])
        #expect(before.status == 0 && before.stdout.contains("30 个工作日"), "\(before.stderr)")

        let nobody = try Binary.run(["case", "extend", id, "--db", db, "--lang", "en", "--reason", "x"])
        #expect(nobody.status != 0 && nobody.stderr.contains("needs --user"), "\(nobody.stderr)")
        let clerk = try Binary.run(["case", "extend", id, "--db", db, "--lang", "en", "--reason", "x", "--user", "jingban", "--password-stdin"], stdin: "demo\n")
        #expect(clerk.status != 0 && clerk.stderr.contains("Nothing was changed"), "\(clerk.stderr)")
        let blank = try Binary.run(["case", "extend", id, "--db", db, "--lang", "zh", "--reason", "  ", "--user", "shenhe", "--password-stdin"], stdin: "demo\n")
        #expect(blank.status != 0 && blank.stderr.contains("须写明特殊情况的理由"), "\(blank.stderr)")

        let ok = try Binary.run(["case", "extend", "#" + id, "--db", db, "--lang", "zh", "--reason", "需核查外地务工收入", "--user", "shenhe", "--password-stdin"], stdin: "demo\n")
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("已按特殊情况延长") && ok.stdout.contains("45 个工作日") && ok.stdout.contains("需核查外地务工收入"), "\(ok.stdout)")
        let again = try Binary.run(["case", "extend", id, "--db", db, "--lang", "en", "--reason", "again", "--user", "shenpi", "--password-stdin"], stdin: "demo\n")
        #expect(again.status != 0 && again.stderr.contains("already extended"), "\(again.stderr)")

        let after = try Binary.run(["case", "show", id, "--db", db, "--lang", "zh"])
        #expect(after.stdout.contains("45 个工作日") && after.stdout.contains("特殊情况延长：需核查外地务工收入"), "\(after.stdout)")
        #expect(try Binary.run(["verify", "--db", db]).status == 0)
        if let n = Binary.sqlite(db, "SELECT count(*) FROM audit WHERE action = 'case.extend_limit' AND user = 'shenhe'") { #expect(n == "1") }
    }
}
