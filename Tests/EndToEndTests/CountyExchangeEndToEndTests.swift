import Foundation
import Testing

/// Issue 25 end to end, through the real binary: `jiuzhu demo --county` makes three township
/// files and the county bureau's, exchanging real packages both ways; a case the county's
/// approver decided reaches its township by package and is on the township's next roster; and
/// the exchange commands refuse a package taken to the wrong file.
@Suite(.enabled(if: Binary.sqlite(":memory:", "SELECT 1") == "1", "needs the sqlite3 shell (.ci/run installs it)"))
struct CountyExchangeEndToEndTests {
    @Test func aCaseApprovedAtTheCountyIsOnItsTownshipsNextRoster() throws {
        let dir = Binary.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let county = dir.appendingPathComponent("county.sqlite").path
        let made = try Binary.run(["demo", "--county", "--db", county])
        #expect(made.status == 0, "\(made.stdout)\(made.stderr)")
        let towns = ["104", "105", "106"].map { dir.appendingPathComponent("county-\($0).sqlite").path }
        for f in [county] + towns {
            #expect(FileManager.default.fileExists(atPath: f), "\(f)\n\(made.stdout)")
            let v = try Binary.run(["verify", "--db", f])
            #expect(v.status == 0, "verify \(f): \(v.stdout)\(v.stderr)")
        }
        // Every township's households are at the county, each in its own block of ids.
        let block = "1099511627776"
        for (i, f) in towns.enumerated() {
            let here = Binary.sqlite(f, "SELECT count(*) || ' ' || min(id / \(block)) || ' ' || max(id / \(block)) FROM household")
            let there = Binary.sqlite(county, "SELECT count(*) || ' ' || min(id / \(block)) || ' ' || max(id / \(block)) FROM household WHERE id / \(block) = \(104 + i)")
            #expect(here != nil && here == there && here?.hasSuffix("\(104 + i) \(104 + i)") == true, "\(String(describing: here)) vs \(String(describing: there))")
        }
        // The county's approvals: made at the county (ids of its own block), of a township's
        // cases; now in that township's file too, and on its next roster.
        // (urban 低保: the county's approval is its last step, so the case is in force at once).
        let blockOf = try #require(Binary.sqlite(county, """
            SELECT s.case_id / \(block) FROM case_step s JOIN assistance_case c ON c.id = s.case_id
            WHERE s.step = 'county_approval' AND s.action = 'approve' AND s.id < \(block) AND c.programme = 'urban_dibao' LIMIT 1
            """))
        let k = try #require(Int(blockOf)) - 104
        #expect((0..<3).contains(k), "approved at the county for township \(blockOf)")
        let town = towns[k]
        let approvedSQL = "SELECT group_concat(case_id) FROM case_step WHERE step = 'county_approval' AND action = 'approve' AND id < \(block) AND case_id / \(block) = \(blockOf)"
        let approved = try #require(Binary.sqlite(county, approvedSQL))
        #expect(!approved.isEmpty)
        #expect(Binary.sqlite(town, approvedSQL) == approved)
        let roster = try Binary.run(["roster", "make", "--db", town, "--program", "urban_dibao", "--month", "2026-12",
                                     "--user", "jingban", "--password-stdin"], stdin: "demo\n")
        #expect(roster.status == 0, "\(roster.stdout)\(roster.stderr)")
        let ruralApproved = try #require(Binary.sqlite(town, """
            SELECT count(*) FROM assistance_case WHERE programme = 'urban_dibao' AND status = 'active' AND id IN (\(approved))
            """))
        let onRoster = Binary.sqlite(town, "SELECT count(*) FROM payment_line WHERE case_id IN (\(approved))")
        #expect(Int(ruralApproved) ?? 0 > 0 && onRoster == ruralApproved, "approved \(approved): \(ruralApproved) urban in force, \(String(describing: onRoster)) on the roster")
        // At the township the county's step cannot be done; the county's package for 104 is refused at 105.
        let packages = dir.appendingPathComponent("county-packages")
        let wrong = try Binary.run(["exchange", "import", packages.appendingPathComponent("county-to-104-1.jzx").path, "--db", towns[1],
                                    "--user", "admin", "--password-stdin"], stdin: "demo\n")
        #expect(wrong.status != 0 && wrong.stderr.contains("写给"), "\(wrong.stdout)\(wrong.stderr)")
        // The county's spot check: strata by village, each named with its township (the
        // demo's townships share village names), the cases numbered township-local.
        let draw = try Binary.run(["spotcheck", "draw", "--db", county, "--program", "rural_dibao", "--percent", "50", "--seed", "7", "--dry-run"])
        #expect(draw.status == 0 && draw.stdout.contains("石门镇 石门村\t") && draw.stdout.contains("龙潭乡 石门村\t")
                && draw.stdout.contains("#105-"), "\(draw.stdout.prefix(600))\(draw.stderr)")
        let status = try Binary.run(["exchange", "status", "--db", county])
        #expect(status.status == 0 && status.stdout.contains("532922104000"), "\(status.stdout)\(status.stderr)")
    }
}
