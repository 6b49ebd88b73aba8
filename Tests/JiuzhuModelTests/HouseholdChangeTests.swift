import Foundation
import JiuzhuModel
import Testing

/// The rules of each kind of household change (the reducer `HouseholdChanges.apply`, `split`,
/// `merge`): the household after it, or a refusal that says why.
@Suite struct HouseholdChangeTests {
    static let today = CivilDate(year: 2026, month: 11, day: 23)!
    static let banks: Set<String> = ["icbc", "abc", "rcc"]
    static let relations: Set<String> = ["02", "10", "20", "30", "41", "50", "99"]

    /// A household of three: head (1970), wife (1972), son (2000).
    static func state() -> HouseholdState {
        func p(_ id: Int64, _ name: String, _ rel: String, _ y: Int, _ seq: Int) -> Person {
            let b = CivilDate(year: y, month: 3, day: 9)!
            let n = IDNumber.make(region: "532927", birth: b, sequence: seq)
            return Person(id: id, householdId: 7, name: name, idNumber: n.value, relation: rel, sex: n.sex, birthDate: b)
        }
        return HouseholdState(household: Household(id: 7, villageCode: "532927101201", address: "李家村3组", hukou: .agricultural, version: 4),
                              members: [p(1, "张大山", "02", 1970, 1), p(2, "李秀英", "10", 1972, 2), p(3, "张小山", "20", 2000, 3)])
    }

    func apply(_ c: HouseholdChange, _ s: HouseholdState = state(), on: CivilDate = today) throws -> HouseholdState {
        try HouseholdChanges.apply(c, to: s, on: on, today: Self.today, banks: Self.banks, relations: Self.relations)
    }

    func refusal(_ c: HouseholdChange, _ s: HouseholdState = state()) -> String? {
        do { _ = try apply(c, s); return nil } catch let e as HouseholdChangeError { return e.text.zh } catch { return "\(error)" }
    }

    // MARK: phone, card

    @Test func phonesAreMobilesOrAreaCodeNumbers() {
        for ok in ["13908721234", "139-0872-1234", "0834-1234567", "010-12345678", "08721234567", "0872 1234567"] { #expect(HouseholdChanges.isValidPhone(ok), "\(ok)") }
        for bad in ["1390872123", "23908721234", "12908721234", "834-1234567", "0834-12345", "abc", "", "0834-12-34567"] {
            #expect(!HouseholdChanges.isValidPhone(bad), "\(bad)")
        }
    }

    @Test func cardsPassTheLuhnCheck() {
        #expect(HouseholdChanges.isValidCard("6222021234567890128"))   // 19 digits, check digit 8
        #expect(HouseholdChanges.isValidCard("4111111111111111"))
        #expect(!HouseholdChanges.isValidCard("4111111111111112"))
        #expect(!HouseholdChanges.isValidCard("6222021234567890127"))
        #expect(!HouseholdChanges.isValidCard("411111111111"))          // too short
    }

    // MARK: the household's own facts

    @Test func factsChangeAddressPhoneBankHukouAndHousing() throws {
        var f = HouseholdFacts(Self.state().household)
        f.address = "李家村5组12号"; f.phone = "0834-1234567"; f.bankCode = "rcc"; f.bankCard = "4111 1111 1111 1111"
        f.hukou = .local; f.hukouRegion = .rural; f.housing = .rent; f.housingArea = 45; f.dilapidated = true
        let h = try apply(.facts(f)).household
        #expect(h.address == "李家村5组12号" && h.phone == "0834-1234567" && h.bankCode == "rcc" && h.bankCard == "4111111111111111")
        #expect(h.hukou == .local && h.hukouRegion == .rural && h.housing == .rent && h.housingArea == 45 && h.dilapidated)
    }

    @Test func factsRefuseABadPhoneCardOrBankAndTheObsoleteHukou() throws {
        var f = HouseholdFacts(Self.state().household)
        f.phone = "12345"
        #expect(refusal(.facts(f))?.contains("11位手机号") == true)
        f = HouseholdFacts(Self.state().household); f.bankCode = "icbc"; f.bankCard = "4111111111111112"
        #expect(refusal(.facts(f))?.contains("校验不通过") == true)
        f.bankCard = "4111111111111111"; f.bankCode = "zzz"
        #expect(refusal(.facts(f))?.contains("代码表") == true)
        f.bankCode = nil
        #expect(refusal(.facts(f))?.contains("开户银行") == true)
        // A household recorded as 农业 keeps it readable, but cannot be changed to 非农业.
        f = HouseholdFacts(Self.state().household); f.hukou = .nonAgricultural
        #expect(refusal(.facts(f))?.contains("2014") == true)
        f.hukou = .agricultural; f.address = "新址"
        #expect(try apply(.facts(f)).household.hukou == .agricultural)
        #expect(refusal(.facts(HouseholdFacts(Self.state().household)))?.contains("没有改动") == true)
    }

    // MARK: members

    @Test func aBirthWithABirthCertificateHasNoIDYetAndCannotWork() throws {
        var baby = Person(name: "张小宝", idNumber: "", relation: "41", sex: .female, birthDate: CivilDate(year: 2026, month: 10, day: 2)!)
        baby.birthCertificate = "q532012345"
        baby.workAbility = .full
        let s = try apply(.birth(baby))
        let b = try #require(s.members.last)
        #expect(s.current.count == 4 && s.counted.count == 4)
        #expect(!b.hasIDNumber && b.idNumber == "BCQ532012345" && b.workAbility == .none && b.id == nil)
        #expect(b.maskedIdentity.hasPrefix("出生证") && !b.maskedIdentity.contains("53201"))
        // A malformed certificate, a baby over a year old, a second head: refused.
        baby.birthCertificate = "12"
        #expect(refusal(.birth(baby))?.contains("出生医学证明") == true)
        baby.birthCertificate = "Q532012345"; baby.birthDate = CivilDate(year: 2024, month: 1, day: 1)!
        #expect(refusal(.birth(baby))?.contains("一岁以内") == true)
        baby.birthDate = CivilDate(year: 2026, month: 10, day: 2)!; baby.relation = "02"
        #expect(refusal(.birth(baby))?.contains("已有户主") == true)
    }

    @Test func aBirthWithAnIDTakesBirthDateAndSexFromIt() throws {
        let b = CivilDate(year: 2026, month: 9, day: 1)!
        let id = IDNumber.make(region: "532927", birth: b, sequence: 77)
        let s = try apply(.birth(Person(name: "张二宝", idNumber: id.value, relation: "41", sex: .female, birthDate: Self.today)))
        #expect(s.members.last?.birthDate == b && s.members.last?.sex == id.sex)
        let bad = String(id.value.dropLast()) + (id.value.last == "1" ? "2" : "1")
        #expect(refusal(.birth(Person(name: "x", idNumber: bad, relation: "41", sex: .male, birthDate: b)))?.contains("身份证号有误") == true)
    }

    @Test func anIDNumberIsAddedLaterToANewborn() throws {
        var baby = Person(name: "张小宝", idNumber: "", relation: "41", sex: .female, birthDate: CivilDate(year: 2026, month: 10, day: 2)!)
        baby.birthCertificate = "Q532012345"
        var s = try apply(.birth(baby))
        s.members[3].id = 4
        let id = IDNumber.make(region: "532927", birth: CivilDate(year: 2026, month: 10, day: 2)!, sequence: 8)
        let after = try apply(.idNumber(personId: 4, idNumber: id.value), s)
        #expect(after.members[3].idNumber == id.value && after.members[3].hasIDNumber && after.members[3].birthCertificate == "Q532012345")
        let wrong = IDNumber.make(region: "532927", birth: CivilDate(year: 2026, month: 10, day: 3)!, sequence: 8)
        #expect(refusal(.idNumber(personId: 4, idNumber: wrong.value), s)?.contains("不符") == true)
        #expect(refusal(.idNumber(personId: 1, idNumber: id.value))?.contains("已有身份证号") == true)
    }

    @Test func aDeathKeepsThePersonMarkedAndTheHeadNeedsASuccessor() throws {
        let s = try apply(.death(personId: 3, newHead: nil), on: CivilDate(year: 2026, month: 11, day: 2)!)
        #expect(s.members.count == 3 && s.current.count == 2 && s.members[2].diedOn == CivilDate(year: 2026, month: 11, day: 2)!)
        #expect(refusal(.death(personId: 1, newHead: nil))?.contains("新户主") == true)
        let h = try apply(.death(personId: 1, newHead: 2))
        #expect(h.head?.id == 2 && h.members[0].relation == "99")
        #expect(refusal(.death(personId: 9, newHead: nil))?.contains("不是本户现有成员") == true)
        // The last member of a one-person household: nobody is left, no head asked.
        let one = HouseholdState(household: Self.state().household, members: [Self.state().members[0]])
        #expect(try apply(.death(personId: 1, newHead: nil), one).current.isEmpty)
    }

    @Test func movingOutByMarriageLeavesPrisonAndArmyAreAwaySchoolStaysCounted() throws {
        let married = try apply(.moveOut(personId: 3, reason: .marriage, newHead: nil))
        #expect(married.current.count == 2 && married.members[2].leftOn == Self.today && married.members[2].leftReason == .marriage)
        let prison = try apply(.moveOut(personId: 3, reason: .prison, newHead: nil))
        #expect(prison.current.count == 3 && prison.counted.count == 2 && prison.members[2].absent)
        let army = try apply(.moveOut(personId: 3, reason: .army, newHead: nil))
        #expect(army.counted.count == 2)
        let school = try apply(.moveOut(personId: 3, reason: .school, newHead: nil))
        #expect(school.counted.count == 3 && school.members[2].student)
        #expect(refusal(.moveOut(personId: 3, reason: .army, newHead: nil), army)?.contains("已记为不在户") == true)
        // Back from prison: counted again.
        let back = try apply(.returned(personId: 3), prison)
        #expect(back.counted.count == 3 && !back.members[2].absent)
        #expect(refusal(.returned(personId: 2))?.contains("未离开") == true)
    }

    @Test func aPersonMovesIn() throws {
        let b = CivilDate(year: 1999, month: 5, day: 5)!
        let id = IDNumber.make(region: "532927", birth: b, sequence: 41)
        let s = try apply(.moveIn(Person(name: "王芳", idNumber: id.value, relation: "99", sex: id.sex, birthDate: b), .marriage))
        #expect(s.counted.count == 4 && s.members.last?.workAbility == .full)
        #expect(refusal(.moveIn(Person(name: "王芳", idNumber: Self.state().members[1].idNumber, relation: "99", sex: .female, birthDate: b), .migrate))?.contains("已在本户") == true)
    }

    @Test func aRelationshipChangeKeepsOneHeadAndNeverOffersSelf() throws {
        let s = try apply(.relation(personId: 3, relation: "02", newHead: nil))
        #expect(s.head?.id == 3 && s.members[0].relation == "99")
        #expect(refusal(.relation(personId: 2, relation: "01", newHead: nil))?.contains("本人") == true)
        #expect(refusal(.relation(personId: 2, relation: "10", newHead: nil))?.contains("没有改动") == true)
        #expect(refusal(.relation(personId: 2, relation: "88", newHead: nil))?.contains("代码表") == true)
        #expect(refusal(.relation(personId: 1, relation: "10", newHead: nil))?.contains("新户主") == true)
    }

    @Test func aConditionChangeNeedsADisabilityLevelAndDerivesWorkAbilityFromAge() throws {
        let s = try apply(.condition(personId: 2, MemberCondition(health: .disabled, disabilityType: "4", disabilityLevel: 2, workAbility: .partial)))
        #expect(s.members[1].health == .disabled && s.members[1].disabilityLevel == 2 && s.members[1].workAbility == .partial)
        #expect(refusal(.condition(personId: 2, MemberCondition(health: .disabled, disabilityType: "4")))?.contains("残疾等级") == true)
        let ill = try apply(.condition(personId: 3, MemberCondition(health: .serious)))
        #expect(ill.members[2].health == .serious && ill.members[2].workAbility == .full)
        #expect(HouseholdChanges.derivedWorkAbility(age: 15, given: .full) == .none)
        #expect(HouseholdChanges.derivedWorkAbility(age: 16, given: nil) == .full)
    }

    @Test func aChangeDatedAfterTodayIsRefused() {
        #expect(refusal(.death(personId: 3, newHead: nil), Self.state()) == nil)
        do {
            _ = try HouseholdChanges.apply(.death(personId: 3, newHead: nil), to: Self.state(), on: Self.today.adding(days: 1), today: Self.today,
                                           banks: Self.banks, relations: Self.relations)
            Issue.record("a change after today was accepted")
        } catch {}
    }

    // MARK: split and merge

    @Test func aSplitMovesTheChosenMembersUnderTheirNewHead() throws {
        let (rest, new) = try HouseholdChanges.split(Self.state(), persons: [3], newHead: 3, address: "李家村3组附1号", on: Self.today, today: Self.today)
        #expect(rest.current.map(\.id) == [1, 2] && rest.head?.id == 1)
        #expect(new.members.map(\.id) == [3] && new.head?.id == 3 && new.household.id == nil && new.household.address == "李家村3组附1号")
        #expect(throws: HouseholdChangeError.self) { try HouseholdChanges.split(Self.state(), persons: [1, 2, 3], newHead: 1, address: "x", on: Self.today, today: Self.today) }
        #expect(throws: HouseholdChangeError.self) { try HouseholdChanges.split(Self.state(), persons: [3], newHead: 2, address: "x", on: Self.today, today: Self.today) }
        #expect(throws: HouseholdChangeError.self) { try HouseholdChanges.split(Self.state(), persons: [1], newHead: 1, address: "x", on: Self.today, today: Self.today) }
        let (r2, n2) = try HouseholdChanges.split(Self.state(), persons: [1], newHead: 1, address: "x", on: Self.today, today: Self.today, remainingHead: 2)
        #expect(r2.head?.id == 2 && n2.head?.id == 1)
    }

    @Test func aMergeMovesTheChosenMembersWithTheirNewRelationship() throws {
        let other = HouseholdState(household: Household(id: 8, villageCode: "532927101201", address: "李家村4组"),
                                   members: [Person(id: 9, householdId: 8, name: "赵老汉", idNumber: "x", relation: "02", sex: .male,
                                                    birthDate: CivilDate(year: 1940, month: 1, day: 1)!)])
        let (from, into) = try HouseholdChanges.merge(other, into: Self.state(), persons: [9: "50"], on: Self.today, today: Self.today,
                                                      relations: Self.relations)
        #expect(from.current.isEmpty && into.current.count == 4 && into.members.last?.relation == "50" && into.head?.id == 1)
        #expect(throws: HouseholdChangeError.self) {
            try HouseholdChanges.merge(other, into: Self.state(), persons: [9: "02"], on: Self.today, today: Self.today, relations: Self.relations)
        }
        #expect(throws: HouseholdChangeError.self) {
            try HouseholdChanges.merge(Self.state(), into: Self.state(), persons: [3: "20"], on: Self.today, today: Self.today, relations: Self.relations)
        }
        // The head leaves a household that keeps members: they need their new head first.
        #expect(throws: HouseholdChangeError.self) {
            try HouseholdChanges.merge(Self.state(), into: other, persons: [1: "20"], on: Self.today, today: Self.today, relations: Self.relations)
        }
    }
}
