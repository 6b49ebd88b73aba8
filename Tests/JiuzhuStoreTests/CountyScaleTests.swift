import Foundation
import GRDB
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// County mode on a real county-sized file (opt-in: JIUZHU_COUNTY_DB names a copy of a
/// `jiuzhu demo --households 110000` or larger, which it migrates): the townships found, each
/// township's case count and sum for a short search text counted and adding up to the stored
/// file-wide figure, and how long each takes (printed: the machine is shared).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["JIUZHU_COUNTY_DB"] != nil))
struct CountyScaleTests {
    func ms(_ body: () throws -> Void) rethrows -> Double {
        let t = Date(); try body(); return Date().timeIntervalSince(t) * 1000
    }

    @Test func countsByTownshipAddUpAtScale() throws {
        let s = try Store(path: try #require(ProcessInfo.processInfo.environment["JIUZHU_COUNTY_DB"]), mode: .mustExist)
        let catalog = CaseFixture.catalog, today = Fixture.today
        var towns: [Region] = []
        let tTowns = try ms { towns = try #require(try s.countyTownships()) }
        print("townships: \(towns.count) in \(String(format: "%.1f", tTowns)) ms")
        #expect(towns.count > 1)
        for text in ["", "张", "z", "53"] {
            var q = CaseQuery(); q.text = text
            var whole: (count: Int, monthly: Money) = (0, Money(fen: 0))
            let tWhole = try ms { whole = try s.caseSummary(q, today: today, catalog: catalog) }
            var n = 0, fen: Int64 = 0, worst = 0.0, worstPage = 0.0
            for t in towns {
                var tq = q; tq.township = t.code
                var part: (count: Int, monthly: Money) = (0, Money(fen: 0))
                worst = max(worst, try ms { part = try s.caseSummary(tq, today: today, catalog: catalog) })
                worstPage = max(worstPage, try ms { _ = try s.casePage(tq, limit: 18, today: today, catalog: catalog) })
                n += part.count; fen += part.monthly.fen
            }
            print("text '\(text)': file \(whole.count) cases in \(String(format: "%.1f", tWhole)) ms; by township \(n), slowest count \(String(format: "%.1f", worst)) ms, slowest first page \(String(format: "%.1f", worstPage)) ms")
            #expect(n == whole.count && fen == whole.monthly.fen, "\(text)")
        }
        // Every sort, a township at a time: a county file's ids are in blocks by township, so
        // an order that follows the ids must not walk the other townships' blocks first.
        for sort in CaseQuery.Sort.allCases {
            var worst = 0.0
            for t in towns {
                var q = CaseQuery(); q.township = t.code; q.sort = sort
                for text in ["", "z"] {
                    q.text = text
                    worst = max(worst, try ms { _ = try s.casePage(q, limit: 18, today: today, catalog: catalog) })
                }
            }
            print("sort \(sort.rawValue): slowest first page of a township \(String(format: "%.1f", worst)) ms")
        }
        let from = CivilDate(year: today.year, month: 1, day: 1)!
        var total: [ProgrammeFigures] = [], parts: [(township: String, figures: [ProgrammeFigures])] = []
        let tTotal = try ms { total = try s.yearFigures(from: from, until: today, catalog: catalog) }
        let tParts = try ms { parts = try s.yearFiguresByTownship(from: from, until: today, catalog: catalog) }
        print("year table: total \(String(format: "%.0f", tTotal)) ms, by township (one pass) \(String(format: "%.0f", tParts)) ms")
        for (i, f) in total.enumerated() {
            #expect(parts.map { $0.figures[i].atEnd.households }.reduce(0, +) == f.atEnd.households)
            #expect(parts.map { $0.figures[i].amount.fen }.reduce(0, +) == f.amount.fen)
        }
    }
}
