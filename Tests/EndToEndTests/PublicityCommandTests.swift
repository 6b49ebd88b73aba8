import Foundation
import Testing

/// `jiuzhu publicity list` and `jiuzhu export publicity` on the demo township: its batches in
/// every state, each format written, nothing private in any of them, a posted batch reprinted
/// byte for byte after its household changed.
@Suite(.serialized) struct PublicityCommandTests {
    static let id18 = try! NSRegularExpression(pattern: "(?<![0-9])[0-9]{17}[0-9X](?![0-9])")

    @Test func listShowsBatchesInEveryState() throws {
        let r = try Binary.run(["publicity", "list", "--db", Binary.sharedDemo, "--lang", "zh"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("\t草稿\t"))
        #expect(r.stdout.contains("\t公示中\t"))
        #expect(r.stdout.contains("\t已结束\t"))
        #expect(r.stdout.contains("民主评议结果公示"))
    }

    @Test func everyFormatIsPrivateAndAPostedBatchReprintsExactly() throws {
        let db = try SurveyTests.demoCopy("publicity.sqlite")
        let list = try Binary.run(["publicity", "list", "--db", db, "--lang", "zh"]).stdout
        let posted = try #require(list.split(separator: "\n").first { $0.contains("\t公示中\t") })
        let id = String(posted.split(separator: "\t")[0].dropFirst())
        let dir = Binary.tempDir()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for f in ["txt", "txt132", "html", "csv", "xlsx"] {
            let out = dir.appendingPathComponent("p.\(f)").path
            let r = try Binary.run(["export", "publicity", id, "--db", db, "--format", f, "-o", out])
            #expect(r.status == 0, "\(f): \(r.stderr)")
            let mode = try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(f)")
            if f != "xlsx" {
                let text = try String(contentsOfFile: out, encoding: .utf8)
                #expect(Self.id18.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil, "\(f) holds an ID number")
                if f.hasPrefix("txt") { #expect(text.contains("第 1 页 共 1 页")) }
            }
        }
        let before = try Binary.run(["export", "publicity", id, "--db", db, "--format", "txt"]).stdout
        // The head of every household on the batch changes name; the posted text does not.
        #expect(Binary.sqlite(db, """
            UPDATE person SET name = '新名字' WHERE relation = '02' AND household_id IN
              (SELECT c.household_id FROM publicity_line l JOIN assistance_case c ON c.id = l.case_id WHERE l.batch_id = \(id));
            SELECT changes();
            """).map { Int($0) ?? 0 } ?? 0 > 0)
        let after = try Binary.run(["export", "publicity", id, "--db", db, "--format", "txt"]).stdout
        #expect(!before.isEmpty)
        #expect(after == before)
        #expect(!after.contains("新名字"))
        let bad = try Binary.run(["export", "publicity", "99999", "--db", db])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("没有公示批次 #99999"))
    }
}
