import Foundation
import JiuzhuModel
import PropertyBased
import Testing

let fixedToday = CivilDate(year: 2026, month: 11, day: 23)!

/// 17 digits whose birth date part is a real past date and region a real province.
let bodyGen = zip(Gen.int(in: 11...65), Gen.int(in: 0...9999), Gen.int(in: 0...(fixedToday.dayNumber - CivilDate(year: 1900, month: 1, day: 1)!.dayNumber)), Gen.int(in: 0...999))
    .map { prov, county, days, seq -> String in
        let birth = CivilDate(year: 1900, month: 1, day: 1)!.adding(days: days)
        return String(format: "%02d%04d", prov, county) + birth.compact + String(format: "%03d", seq)
    }

@Suite struct IDNumberTests {
    @Test func knownNumbers() {
        // The standard's published example.
        #expect(IDNumber.checkCharacter(for: "11010519491231002") == "X")
        let id = IDNumber("11010519491231002X", today: fixedToday)
        #expect(id?.birthDate == CivilDate(year: 1949, month: 12, day: 31))
        #expect(id?.sex == .female)
        #expect(id?.regionCode == "110105")
        #expect(IDNumber("11010519491231002x", today: fixedToday)?.value == "11010519491231002X")
    }

    @Test func wrongCheckCharacterNamesTheExpectedOne() {
        guard case .failure(let p) = IDNumber.parse("110105194912310021", today: fixedToday) else { Issue.record("accepted"); return }
        #expect(p == .badCheckCharacter(found: "1", expected: "X"))
        #expect(p.message(.zh).contains("校验位错误"))
        #expect(p.message(.zh).contains("X"))
    }

    @Test func impossibleAndFutureDates() {
        let feb30 = "11010519490230" + "002"
        let bad = feb30 + String(IDNumber.checkCharacter(for: feb30)!)
        #expect(IDNumber.parse(bad, today: fixedToday) == .failure(.badBirthDate("19490230")))
        let future = "110105" + "20270101" + "002"
        let f = future + String(IDNumber.checkCharacter(for: future)!)
        #expect(IDNumber.parse(f, today: fixedToday) == .failure(.futureBirthDate("2027-01-01")))
    }

    @Test func lengthsAndCharacters() {
        #expect(IDNumber.parse("", today: fixedToday) == .failure(.empty))
        #expect(IDNumber.parse("1234", today: fixedToday) == .failure(.badLength(4)))
        #expect(IDNumber.parse("1101051949X231002X", today: fixedToday) == .failure(.badCharacter("X", position: 11)))
        #expect(IDNumber.parse("001051949123100212", today: fixedToday) == .failure(.badRegion("001051")))
    }

    @Test func fifteenDigitNumbersAreConverted() {
        let id = IDNumber("440524800101001", today: fixedToday)
        #expect(id?.convertedFrom15 == true)
        #expect(id?.value == "440524198001010013")
        #expect(id?.sex == .male)
    }

    @Test func anySeventeenDigitsWithComputedCheckPass() async {
        await propertyCheck(count: 500, input: bodyGen) { body in
            let full = body + String(IDNumber.checkCharacter(for: body)!)
            let parsed = IDNumber.parse(full, today: fixedToday)
            #expect((try? parsed.get())?.value == full)
        }
    }

    @Test func anySingleDigitChangeFails() async {
        await propertyCheck(count: 300, input: bodyGen, Gen.int(in: 0...16), Gen.int(in: 1...9)) { body, pos, delta in
            let full = Array(body + String(IDNumber.checkCharacter(for: body)!))
            var changed = full
            let d = full[pos].wholeNumberValue!
            changed[pos] = Character(String((d + delta) % 10))
            // Whatever else may be wrong with it, a one-digit change never passes.
            if case .success = IDNumber.parse(String(changed), today: fixedToday) {
                Issue.record("accepted \(String(changed)) changed from \(String(full))")
            }
        }
    }

    @Test func madeNumbersRoundTrip() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...38000), Gen.int(in: 0...999)) { days, seq in
            let birth = CivilDate(year: 1920, month: 1, day: 1)!.adding(days: days)
            let id = IDNumber.make(region: "532927", birth: birth, sequence: seq)
            let parsed = try? IDNumber.parse(id.value, today: fixedToday).get()
            #expect(parsed?.birthDate == birth)
            #expect(parsed?.sex == (seq % 2 == 1 ? .male : .female))
        }
    }
}

@Suite struct MaskingTests {
    @Test func idMask() {
        #expect(Masking.idNumber("110105194912310021") == "110105********0021")
        #expect(Masking.phone("13812345678") == "138****5678")
        #expect(Masking.bankCard("6222021234567890123") == "**** 0123")
    }

    @Test func maskingNeverShowsMoreThanTenDigits() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...9).array(of: 0...30)) { digits in
            let s = digits.map(String.init).joined()
            let masked = Masking.idNumber(s)
            #expect(masked.filter(\.isNumber).count <= 10)
            #expect(masked.count == s.count)
        }
    }
}

@Suite struct MoneyTests {
    @Test func parseAndFormat() {
        #expect(Money(yuanText: "412.5")?.fen == 41250)
        #expect(Money(yuanText: "1,234.05")?.yuanString == "1234.05")
        #expect(Money(yuanText: "-3")?.fen == -300)
        #expect(Money(yuanText: "1.234") == nil)
        #expect(Money(yuanText: "abc") == nil)
        #expect(Money(fen: 5).yuanString == "0.05")
        #expect(Money(fen: 375_000_00).wanYuanString == "37.50")
    }

    @Test func rounding() {
        #expect(Money(fen: 41201).rounded(.upToYuan).fen == 41300)
        #expect(Money(fen: 41200).rounded(.upToYuan).fen == 41200)
        #expect(Money(fen: 41250).rounded(.nearestYuan).fen == 41300)
        #expect(Money(fen: 41249).rounded(.nearestYuan).fen == 41200)
        #expect(Money(fen: 41299).rounded(.downToYuan).fen == 41200)
        #expect(Money(fen: 1000).divided(by: 3).fen == 333)
        #expect(Money(fen: 2000).divided(by: 3).fen == 667)
    }

    @Test func formattingRoundTrips() async {
        await propertyCheck(count: 500, input: Gen.int(in: -10_000_000...10_000_000)) { n in
            let m = Money(fen: Int64(n))
            #expect(Money(yuanText: m.yuanString) == m)
        }
    }

    @Test func sumsAreExact() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...100_000).array(of: 0...50)) { xs in
            let total = xs.reduce(Money.zero) { $0 + Money(fen: Int64($1)) }
            #expect(total.fen == Int64(xs.reduce(0, +)))
        }
    }
}

@Suite struct CivilDateTests {
    @Test func dayNumbersRoundTrip() async {
        await propertyCheck(count: 500, input: Gen.int(in: -50_000...50_000)) { n in
            #expect(CivilDate(dayNumber: n).dayNumber == n)
        }
    }

    @Test func basics() {
        #expect(CivilDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2025, month: 2, day: 29) == nil)
        #expect(CivilDate(iso: "2026-11-23")?.weekday == 0)   // a Monday
        #expect(CivilDate(iso: "1949-12-31")!.age(on: fixedToday) == 76)
        #expect(CivilDate(iso: "2026-01-31")!.adding(months: 1).iso == "2026-02-28")
    }
}

@Suite struct PinyinTests {
    @Test func keys() {
        let k = Pinyin.keys("张三丰")
        #expect(k.full == "zhangsanfeng")
        #expect(k.initials == "zsf")
        #expect(Pinyin.keys("单雄信").full.hasPrefix("shan"))
        #expect(Pinyin.keys("曾国藩").initials == "zgf")
        #expect(Pinyin.keys("阿苏拉则").initials.count == 4)
    }
}
