import Foundation
import Testing

/// `jiuzhu roster` through the binary: make, list, a clerk refused, confirm and export.
@Suite(.serialized) struct RosterCommandTests {
    @Test func makeListConfirmExport() throws {
        let dir = Binary.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("office.sqlite").path
        #expect(try Binary.run(["demo", "--db", db, "--households", "60"]).status == 0)
        let made = try Binary.run(["roster", "make", "--db", db, "--program", "rural_dibao", "--month", "2026-11", "--user", "jingban", "--password-stdin"], stdin: "demo\n")
        #expect(made.status == 0 && made.stdout.contains("2026-11 农村低保发放名册(草稿)"), "\(made.stdout)\(made.stderr)")
        let list = try Binary.run(["roster", "list", "--db", db]).stdout
        let fields = try #require(list.split(separator: "\n").first).split(separator: "\t").map(String.init)
        #expect(fields.count == 8 && fields[0] == "1" && fields[1] == "2026-11" && fields[3] == "草稿", "\(list)")
        // A clerk may not confirm; the roster stays a draft.
        let clerk = try Binary.run(["roster", "confirm", "1", "--db", db, "--user", "jingban", "--password-stdin"], stdin: "demo\n")
        #expect(clerk.status != 0 && clerk.stderr.contains("仅限审批员和管理员"), "\(clerk.stderr)")
        #expect(try Binary.run(["roster", "list", "--db", db]).stdout.contains("草稿"))
        let ok = try Binary.run(["roster", "confirm", "1", "--db", db, "--user", "shenpi", "--password-stdin"], stdin: "demo\n")
        #expect(ok.status == 0, "\(ok.stderr)")
        let stem = dir.appendingPathComponent("bank").path
        let ex = try Binary.run(["roster", "export", "1", "--db", db, "--user", "shenpi", "--password-stdin", "-o", stem], stdin: "demo\n")
        #expect(ex.status == 0, "\(ex.stderr)")
        for ext in ["csv", "xlsx"] {
            let p = stem + "." + ext
            #expect((try FileManager.default.attributesOfItem(atPath: p)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        }
        let csv = try String(contentsOfFile: stem + ".csv", encoding: .utf8)
        #expect(csv.contains("不得张贴") && csv.contains("合计,,\(fields[4]) 户"), "\(csv.prefix(300))")
        // Confirmed: not made again.
        let again = try Binary.run(["roster", "make", "--db", db, "--program", "rural_dibao", "--month", "2026-11", "--user", "jingban", "--password-stdin"], stdin: "demo\n")
        #expect(again.status != 0 && again.stderr.contains("不能重做"), "\(again.stderr)")
        let verified = try Binary.run(["verify", "--db", db])
        #expect(verified.status == 0 && verified.stdout.contains("保障金额核对"), "\(verified.stdout)\(verified.stderr)")
        // The year table prints the difference line; 提标普调 lists, and records only with an approver's password.
        let report = try Binary.run(["report", "--db", db, "--year", "2026"])
        #expect(report.status == 0 && report.stdout.contains("差额 实发−应发（元）"), "\(report.stdout)")
        let listed = try Binary.run(["raise", "--db", db, "--program", "rural_dibao"])
        #expect(listed.status == 0 && listed.stdout.contains("只是列出,什么也没有改动"), "\(listed.stdout)\(listed.stderr)")
        let clerkRaise = try Binary.run(["raise", "--db", db, "--program", "rural_dibao", "--yes", "--user", "jingban", "--password-stdin"], stdin: "demo\n")
        #expect(clerkRaise.status != 0 && clerkRaise.stderr.contains("由审批员确认"), "\(clerkRaise.stderr)")
        let raised = try Binary.run(["raise", "--db", db, "--program", "rural_dibao", "--yes", "--user", "shenpi", "--password-stdin"], stdin: "demo\n")
        #expect(raised.status == 0 && raised.stdout.contains("已记录"), "\(raised.stdout)\(raised.stderr)")
        #expect(try Binary.run(["verify", "--db", db]).status == 0)
    }

}
