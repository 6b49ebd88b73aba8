import Foundation
import JiuzhuModel
import Testing

/// `Money(jsonFen:)` is the one reading of a stored JSON amount (step inputs, medical bills,
/// supporters' incomes).
@Suite struct MoneyJSONTests {
    @Test func readsWhatJSONSerializationHandsBack() throws {
        let json = #"{"a": 409500, "b": 1048.0, "c": "12.34", "d": "x", "e": null, "f": -250}"#
        let o = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Money(jsonFen: o["a"])?.fen == 409_500)
        #expect(Money(jsonFen: o["b"])?.fen == 1048)
        #expect(Money(jsonFen: o["c"])?.fen == 1234)   // text is yuan
        #expect(Money(jsonFen: o["d"]) == nil)
        #expect(Money(jsonFen: o["e"]) == nil)
        #expect(Money(jsonFen: o["missing"]) == nil)
        #expect(Money(jsonFen: o["f"])?.fen == -250)
        #expect(Money(jsonFen: Double.nan) == nil)
        #expect(Money(jsonFen: 1e300) == nil)
    }

    @Test func aBillAndASupporterReadThroughIt() throws {
        let bill = try #require(MedicalBill(json: ["hospital": "县医院", "totalFen": 500_000.0, "selfPaidFen": "100.00", "basicFen": 200_000]))
        #expect(bill.total.fen == 500_000)
        #expect(bill.policySelfPaid.fen == 10_000)
        #expect(bill.basicInsurance.fen == 200_000)
        #expect(MedicalBill(json: ["totalFen": "abc", "selfPaidFen": 1]) == nil)
        let sup = try #require(LegalSupporter(json: ["name": "张三", "ability": SupporterAbility.allCases[0].rawValue, "incomeFen": 1_200_000.0]))
        #expect(sup.yearlyIncome.fen == 1_200_000)
    }
}
