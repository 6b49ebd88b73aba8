import Foundation
import Testing

/// Issue 24 item 1 and 4 from the command line: a stage report and the relief cards as A4 HTML
/// (as the other prints write it), into a file made 0600; the text forms stay the default.
@Suite(.serialized) struct DisasterPrintCommandTests {
    static func mode(_ path: String) throws -> Int {
        let a = try FileManager.default.attributesOfItem(atPath: path)
        return (a[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func theFinalReportAsA4HTMLAndAsText() throws {
        let dir = Binary.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = dir.appendingPathComponent("report.html").path
        let r = try Binary.run(["disaster", "report", "1", "--stage", "核报", "--html", "-o", html, "--db", Binary.sharedDemo])
        #expect(r.status == 0, "\(r.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("@page { size: A4"))
        #expect(page.contains("自然灾害情况核报"))
        #expect(page.contains("<th>台帐合计</th>"))
        #expect(page.contains("受灾人口"))
        #expect(try Self.mode(html) == 0o600)
        // The same stage as text on standard output, in English by its English name.
        let t = try Binary.run(["disaster", "report", "1", "--stage", "final", "--db", Binary.sharedDemo, "--lang", "en"])
        #expect(t.status == 0, "\(t.stderr)")
        #expect(t.stdout.contains("natural disaster report") && !t.stdout.contains("<html"))
        // A stage that is not one is refused with the names to use.
        let bad = try Binary.run(["disaster", "report", "1", "--stage", "终报", "--db", Binary.sharedDemo])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("initial"))
    }

    /// `disaster show` in both languages within 80 columns (a CJK character takes two).
    @Test(arguments: ["zh", "en"]) func theSummaryFitsEightyColumns(_ lang: String) throws {
        let r = try Binary.run(["disaster", "show", "1", "--db", Binary.sharedDemo, "--lang", lang])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains(lang == "zh" ? "台帐与最近一次报告" : "Ledger vs latest report"))
        func width(_ s: Substring) -> Int {
            s.unicodeScalars.reduce(0) { $0 + (($1.value >= 0x1100 && !(0x2500...0x257F).contains($1.value) && $1.value != 0x00B7) ? 2 : 1) }
        }
        for line in r.stdout.split(separator: "\n") { #expect(width(line) <= 80, "\(line)") }
    }

    @Test func theReliefCardsAsA4HTMLSeveralToAPage() throws {
        let dir = Binary.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = dir.appendingPathComponent("cards.html").path
        let r = try Binary.run(["disaster", "cards", "1", "--html", "-o", html, "--db", Binary.sharedDemo])
        #expect(r.status == 0, "\(r.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("size:A4"))
        let cards = page.components(separatedBy: "class=\"card\"").count - 1
        let pages = page.components(separatedBy: "class=\"page\"").count - 1
        #expect(cards > 3 && pages == (cards + 2) / 3)
        #expect(page.contains("救济卡  No."))
        // ID numbers masked: no run of 18 digits.
        #expect(page.firstMatch(of: /[0-9]{17}[0-9X]/) == nil)
        #expect(try Self.mode(html) == 0o600)
        let text = try Binary.run(["disaster", "cards", "1", "--db", Binary.sharedDemo])
        #expect(text.status == 0 && text.stdout.contains("\u{0C}"))
    }
}
