import Foundation
@testable import JiuzhuApp
import JiuzhuModel
import TermUI
import Testing

/// Issue 21 item 6, the form's habits: a value the form filled in is selected on entry (typing
/// replaces 0.00), Ctrl-U clears a field, a multi-select says Space ticks, and 与户主关系 does
/// not offer both 本人 and 户主.
@Suite(.serialized) struct FormHabitsTests {
    @Test func aPrefilledValueIsReplacedByTypingAndATypedOneIsEdited() throws {
        let s = try FormTests.newForm()
        let spec = try #require(Fixture.screens.forms["application"])
        let form = try #require(s.form)
        let assets = try #require(spec.pages(form.values).firstIndex { $0.section == "assets" })
        for _ in 0..<assets { s.keys(.pageDown) }
        FormTests.tab(s, to: "deposits")
        #expect(s.form?.editor.value == "0.00" && s.form?.editor.isSelected == true)
        s.type("500")
        s.keys(.tab)
        #expect(s.form?.values.fields["deposits"] == "500.00")
        // Back on it: what was typed is edited, not replaced.
        s.keys(.backTab)
        #expect(s.form?.editor.isSelected == false)
        s.keys(.backspace)
        #expect(s.form?.values.fields["deposits"] == "500.0")
        // Ctrl-U clears the field.
        s.keys(.ctrl("u"))
        #expect(s.form?.values.fields["deposits"] == "")
    }

    @Test func aMultiSelectSaysSpaceTicksAndTheHeadIsOfferedOnlyHead() throws {
        let s = try FormTests.newForm()
        s.keys(.pageDown)
        FormTests.tab(s, to: "causes")
        s.keys(.function(4))
        #expect(s.form?.picker?.picker.multiSelect == true)
        #expect(s.screen.contains("空格勾选"))
        s.keys(.escape)
        s.keys(.pageDown)
        FormTests.tab(s, to: "relation")
        s.keys(.function(4))
        let codes = try #require(s.form?.picker?.picker.options.map(\.code))
        #expect(codes.contains(SurveyRules.headRelation) && !codes.contains(SurveyRules.selfRelation))
    }
}
