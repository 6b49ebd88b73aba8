import Foundation
import Testing

/// `jiuzhu campaign` on a copy of the demo township: the demo's 阳光行动 is listed and reported
/// (one 清退 among its 16 re-checks), a second one of the same programme is refused, and one of
/// another programme lists every case in force.
@Suite(.serialized) struct CampaignCommandTests {
    @Test func listReportStart() throws {
        let db = try SurveyTests.demoCopy("campaign.sqlite")
        let list = try Binary.run(["campaign", "list", "--db", db, "--lang", "zh"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("#1\t2026年特困供养阳光行动\t特困供养\t"))
        let report = try Binary.run(["campaign", "report", "#1", "--db", db, "--lang", "zh"])
        #expect(report.status == 0, "\(report.stderr)")
        let persons = try #require(Binary.sqlite(db, """
            SELECT k.persons FROM campaign_case k JOIN case_step s ON s.case_id = k.case_id AND s.action = 'terminate'
            WHERE k.campaign_id = 1 AND json_extract(s.inputs, '$.kind') = 'clear'
            """))
        #expect(report.stdout.contains("\n清退\t1\t\(persons)\n"), "\(report.stdout)")
        #expect(report.stdout.contains("已复查 16 户"))

        let again = try Binary.run(["campaign", "start", "--program", "tekun", "--db", db, "--lang", "en", "--user", "duzha", "--password-stdin"], stdin: "demo\n")
        #expect(again.status != 0)
        #expect(again.stderr.contains("still open"))
        let urban = try #require(Binary.sqlite(db, "SELECT count(*) FROM assistance_case WHERE programme = 'urban_dibao' AND status IN ('active', 'suspended')"))
        // No one named: refused (no `--by` any more); a clerk: refused; the supervisor: started, audited as duzha.
        let anon = try Binary.run(["campaign", "start", "--program", "城镇低保", "--db", db, "--lang", "en"])
        #expect(anon.status != 0 && anon.stderr.contains("--user"), "\(anon.stderr)")
        let clerk = try Binary.run(["campaign", "start", "--program", "城镇低保", "--db", db, "--lang", "en", "--user", "jingban", "--password-stdin"], stdin: "demo\n")
        #expect(clerk.status != 0)
        let start = try Binary.run(["campaign", "start", "--program", "城镇低保", "--until", "2099-12-31", "--db", db, "--lang", "en", "--user", "duzha", "--password-stdin"], stdin: "demo\n")
        #expect(start.status == 0, "\(start.stderr)")
        #expect(start.stdout.contains("\(urban) households"))
        #expect(Binary.sqlite(db, "SELECT count(*) FROM campaign_case WHERE campaign_id = 2") == urban)
        #expect(Binary.sqlite(db, "SELECT user FROM audit WHERE action LIKE 'campaign%' ORDER BY id DESC LIMIT 1") == "duzha")
        #expect(try Binary.run(["verify", "--db", db]).status == 0)
    }
}
