import Foundation
import JiuzhuModel
import PropertyBased
import Testing

@Suite struct CivilDateTextTests {
    @Test func writtenAsPrintfWouldWriteIt() async {
        await propertyCheck(count: 300, input: Gen.int(in: -719_000...2_900_000)) { (days: Int) in
            let d = CivilDate(year: 1970, month: 1, day: 1)!.adding(days: days)
            #expect(d.iso == String(format: "%04d-%02d-%02d", d.year, d.month, d.day))
            #expect(d.compact == String(format: "%04d%02d%02d", d.year, d.month, d.day))
        }
        #expect(CivilDate(year: 2026, month: 3, day: 5)!.iso == "2026-03-05")
        #expect(CivilDate(year: 987, month: 12, day: 31)!.compact == "09871231")
    }
}
