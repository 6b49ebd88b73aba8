import Foundation
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// Issue 21 item 6 and what was seen at 80×24 in English: text that can wrap is not cut (the
/// household card's members, the login refusal, the form's problems), and counts are said in
/// the singular when there is one.
@Suite struct EightyColumnsTests {
    /// A household whose members' English labels are long ("head of household", "granddaughter
    /// (daughter's daughter)", "fully able to work"): at 80 columns no member cell is cut; the
    /// long ones wrap onto the row's next lines, the ID number stays whole on the first.
    @Test(arguments: [Lang.en, .zh]) func theCardsMembersWrapInsteadOfBeingCut(_ lang: Lang) throws {
        let store = try Fixture.store(households: 0)
        let head = Person(name: "张三丰", idNumber: IDNumber.make(region: "532927", birth: CivilDate(year: 1950, month: 1, day: 1)!, sequence: 1).value,
                          relation: Person.headRelation, sex: .male, birthDate: CivilDate(year: 1950, month: 1, day: 1)!)
        let gd = IDNumber.make(region: "532927", birth: CivilDate(year: 2012, month: 5, day: 5)!, sequence: 2)
        var girl = Person(name: "张小花", idNumber: gd.value, relation: "44", sex: gd.sex, birthDate: CivilDate(year: 2012, month: 5, day: 5)!)
        girl.health = .serious
        let hid = try store.addHousehold(Household(villageCode: "532927101201", address: "1号"), members: [head, girl], by: "test")
        let card = try #require(try store.householdCard(id: hid))
        let env = try Fixture.env(store, lang: lang)
        let lines = AppView.cardLines(card, width: 78, env: env).map(\.0)
        for l in lines { #expect(TextWidth.of(l) <= 78, "\(l)") }
        let members = lines.drop { !$0.hasPrefix(env.t("card.members", ["n": "2"])) }.prefix(8)
        #expect(!members.contains { $0.contains("…") }, "\(members.joined(separator: "\n"))")
        let text = members.joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(text.contains(head.idNumber) && text.contains(gd.value))
        if lang == .en {
            for w in ["granddaughter", "(daughter's", "daughter)", "head", "household", "serious", "illness", "fully", "work"] {
                #expect(text.split(separator: " ").contains(Substring(w)), "\(w) in \(members.joined(separator: "\n"))")
            }
        }
    }

    /// The login refusal in English is longer than the box: it wraps inside it.
    @Test func theLoginRefusalWraps() throws {
        let store = try Fixture.store(households: 0)
        let env = try Fixture.env(store, lang: .en)
        var l = LoginState()
        l.error = say("store.storeError.wrongUserNameOr", .en)
        var g = CellGrid(width: 80, height: 24)
        _ = LoginScreen.view(&g, l, AppState(width: 80, height: 24), env)
        let screen = TestBackend.text(of: g)
        // Every word of it is on the screen (the last ones too), none cut.
        for w in (l.error ?? "").split(separator: " ") { #expect(screen.contains(w), "\(w) in \(screen)") }
        #expect(!screen.contains("…"))
    }

    /// The login refusal in Chinese: each sentence on its own line, so none is broken inside a
    /// word (it was cut at 连续输 | 错).
    @Test func theChineseLoginRefusalBreaksBetweenSentences() throws {
        let store = try Fixture.store(households: 0)
        let env = try Fixture.env(store, lang: .zh)
        var l = LoginState()
        l.error = say("store.storeError.wrongUserNameOr", .zh)
        let sentences = try #require(l.error).split(separator: "。").map { $0 + "。" }
        #expect(sentences.count == 2)
        var g = CellGrid(width: 80, height: 24)
        _ = LoginScreen.view(&g, l, AppState(width: 80, height: 24), env)
        let rows = TestBackend.text(of: g).split(separator: "\n").map(String.init)
        for sentence in sentences {
            #expect(rows.contains { $0.contains(sentence) }, "\(sentence) not whole on one row:\n\(rows.joined(separator: "\n"))")
        }
        #expect(LoginScreen.sentenceLines("甲。乙。") == "甲。\n乙。" && LoginScreen.sentenceLines("a. b") == "a. b")
    }

    /// "1 error", "2 errors".
    @Test func formCountsInTheSingular() throws {
        let env = try Fixture.env(try Fixture.store(households: 0), lang: .en)
        #expect(env.t("form.counts", ["errors": "1", "warnings": "2", "es_en": "", "ws_en": "s"]) == "1 error · 2 warnings")
    }
}
