import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// One page of a form on screen: a section, or one item of a repeated section laid out as
/// pages (a family member), or a whole repeated section laid out as a table (income rows).
public struct FormPage: Equatable, Sendable {
    public var section: String
    public var item: Int?
    public var isTable: Bool
}

/// What a form screen is asking about.
public enum FormConfirm: Equatable, Sendable {
    case discard
    case deleteItem(section: String, item: Int)
    case submitWithWarnings(Int)
}

/// A pop-up list over the form: a code list, or households found by what was typed.
public struct FormPicker: Sendable {
    public var ref: FieldRef
    public var picker: Picker
    /// Households found so far, for a household field (their ids by option code).
    public var householdSearch: Bool = false
    public var requestId = 0
}

/// The form open on a case's stored survey to correct it (issue 21 item 4): saving makes the
/// next version through `Store.correctSurvey`, with the reason asked for at F2. No draft is kept.
public struct SurveyCorrection: Equatable, Sendable {
    public var caseId: Int64
    /// The case's version when the survey was read: a change meanwhile refuses the save.
    public var caseVersion: Int
    /// The survey version the form was opened on.
    public var version: Int
    /// The box the reason is typed into, open after F2 found the form complete.
    public var reasonBox: ActionDialog?
    /// The version saved, once saved.
    public var saved: Int?
    public init(caseId: Int64, caseVersion: Int, version: Int) { self.caseId = caseId; self.caseVersion = caseVersion; self.version = version }
}

/// A form being filled in: its values, where the cursor is, the messages shown.
public struct FormState: Sendable {
    public var formId: String
    public var values: FormValues
    public var draftId: Int64?
    public var page = 0
    public var focus = 0
    /// The text being typed into the focused field (text-like kinds).
    public var editor = TextField("")
    /// The note being typed, for a multi-line field.
    public var note = TextArea("")
    public var picker: FormPicker?
    /// Messages from leaving a field, by field.
    public var messages: [FieldRef: [FieldMessage]] = [:]
    /// Messages from the database (duplicate ID, an open case), by field; kept until the field changes.
    public var dbMessages: [FieldRef: FieldMessage] = [:]
    /// After a refused submit: every problem, and the one highlighted.
    public var errorList: [FieldMessage]?
    public var errorSelection = 0
    public var confirm: FormConfirm?
    public var confirmBox: ConfirmBox?
    /// What was last saved as the draft, so leaving an unchanged field writes nothing.
    public var lastSaved: FormValues?
    /// Why the last keystroke did nothing (a letter in an ID field).
    public var typingNote: String?
    public var draftSavedAt: String?
    public var draftError: String?
    public var submittedCase: Int64?
    public var busy = false
    /// Rows scrolled past on the current page.
    public var scroll = 0
    /// Set when the form corrects a case's survey rather than making an application.
    public var correction: SurveyCorrection?
    /// 受灾救助 was picked as the programme: the form hands over to the victims' ledger (issue 24).
    public var toDisaster = false

    public init(formId: String, values: FormValues, draftId: Int64? = nil) {
        self.formId = formId; self.values = values; self.draftId = draftId
    }

    /// All messages for a field, the database's last.
    public func messages(for ref: FieldRef) -> [FieldMessage] {
        (messages[ref] ?? []) + (dbMessages[ref].map { [$0] } ?? [])
    }
}

extension FormState: Equatable {
    public static func == (a: FormState, b: FormState) -> Bool {
        a.formId == b.formId && a.values == b.values && a.draftId == b.draftId && a.page == b.page && a.focus == b.focus &&
            a.editor.value == b.editor.value && a.editor.cursor == b.editor.cursor && a.note.value == b.note.value &&
            (a.picker == nil) == (b.picker == nil) && a.messages == b.messages && a.dbMessages == b.dbMessages &&
            a.errorList == b.errorList && a.errorSelection == b.errorSelection && a.confirm == b.confirm &&
            a.draftSavedAt == b.draftSavedAt && a.draftError == b.draftError && a.submittedCase == b.submittedCase &&
            a.busy == b.busy && a.scroll == b.scroll && a.confirmBox == b.confirmBox && a.typingNote == b.typingNote &&
            a.correction == b.correction
    }
}

/// "My drafts": the forms this user has not submitted, and a new one.
public struct IntakeState: Equatable, Sendable {
    public var drafts: [DraftSummary] = []
    public var selection = 0
    public var loading = true
    /// Shown after login: "you have drafts; continue?"
    public var atLogin = false
    public var confirmDelete: Int64?
    public init(atLogin: Bool = false) { self.atLogin = atLogin }
}

extension FormSpec {
    /// The pages of the form for these values.
    public func pages(_ v: FormValues) -> [FormPage] {
        var out: [FormPage] = []
        for s in sections where applies(s, in: v) {
            if let r = s.repeat {
                if r.isTable { out.append(FormPage(section: s.id, item: nil, isTable: true)); continue }
                let n = v.items(s.id).count
                if n == 0 { out.append(FormPage(section: s.id, item: nil, isTable: false)) }
                for i in 0..<n { out.append(FormPage(section: s.id, item: i, isTable: false)) }
            } else {
                out.append(FormPage(section: s.id, item: nil, isTable: false))
            }
        }
        return out
    }

    /// The fields of a page that can take the cursor, in order.
    public func slots(_ p: FormPage, _ v: FormValues) -> [FieldRef] {
        guard let s = section(p.section) else { return [] }
        if p.isTable {
            var out: [FieldRef] = []
            for i in v.items(s.id).indices {
                for f in s.fields where f.isEditable && applies(f, section: s, item: i, in: v) {
                    out.append(FieldRef(section: s.id, item: i, field: f.id))
                }
            }
            return out
        }
        if s.repeat != nil && p.item == nil { return [] }
        return s.fields.filter { $0.isEditable && applies($0, section: s, item: p.item, in: v) }
            .map { FieldRef(section: s.id, item: p.item, field: $0.id) }
    }

    /// The fields a page shows, computed ones too.
    public func shown(_ p: FormPage, _ v: FormValues) -> [FieldRef] {
        guard let s = section(p.section), !p.isTable else { return [] }
        if s.repeat != nil && p.item == nil { return [] }
        return s.fields.filter { applies($0, section: s, item: p.item, in: v) }.map { FieldRef(section: s.id, item: p.item, field: $0.id) }
    }
}
