import Foundation
import JiuzhuModel
import Testing

@Suite struct LedgerValuesTests {
    @Test(arguments: [("2023-5-1", "2023-05-01"), ("2023/05/01", "2023-05-01"), ("2023.5", "2023-05-01"), ("20230501", "2023-05-01"),
                      ("2023年5月1日", "2023-05-01"), ("202305", "2023-05-01"), ("45047", "2023-05-01"), ("45047.0", "2023-05-01"),
                      ("2023-05-01 00:00:00", "2023-05-01")])
    func datesAsPeopleTypeThem(_ text: String, _ iso: String) {
        #expect(LedgerValues.date(text)?.iso == iso)
    }

    @Test(arguments: ["", "2023-13-01", "abc", "5月", "1899"])
    func notDates(_ text: String) { #expect(LedgerValues.date(text) == nil) }

    @Test(arguments: [("525", 52_500), ("525.5", 52_550), ("1,525.00", 152_500), ("525元", 52_500), ("¥525", 52_500),
                      ("525 元", 52_500), ("525.29999999999995", 52_530)])
    func amounts(_ text: String, _ fen: Int64) { #expect(LedgerValues.money(text)?.fen == fen) }

    @Test func mangledIDs() {
        #expect(LedgerValues.isMangledNumber("4.10123199001E+17"))
        #expect(!LedgerValues.isMangledNumber("410123199001011234"))
    }
}
