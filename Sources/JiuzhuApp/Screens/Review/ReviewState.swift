import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// 审核审批: the cases waiting for the user's role, late ones first.
public struct ReviewState: Equatable, Sendable {
    public var rows: [QueueRow] = []
    public var selected = 0
    public var loading = true
    public var village: String?
    public var programme: Programme?
    /// Villages to filter by: code and name.
    public var villages: [Region] = []
    /// All the cases waiting; more than `rows` when the queue is cut at its limit.
    public var total = 0
    /// A county file's townships (nil in a township's own file), the one filtered by, and
    /// whether only the county's steps are listed (the county approval queue).
    public var townships: [Region]?
    public var township: String?
    public var countySteps = false
    /// Opened from the work list: only the cases at this step (its name), or only follow-ups.
    public var step: String?
    public var followUpsOnly = false
    public init() {}

    public var selectedRow: QueueRow? { rows.indices.contains(selected) ? rows[selected] : nil }
}

/// One input of an action box.
public struct DialogField: Equatable, Sendable {
    public var id: String
    public var label: String
    public var hint: String
    public var required: Bool
    public var field: TextField

    /// A prefilled value (today's date, the proposal, the finding) starts selected, so typing
    /// replaces it rather than adding to it.
    public init(id: String, label: String, hint: String, required: Bool, field: TextField) {
        self.id = id; self.label = label; self.hint = hint; self.required = required
        self.field = field
        self.field.isSelected = !field.value.isEmpty
    }

    public static func == (a: DialogField, b: DialogField) -> Bool {
        a.id == b.id && a.label == b.label && a.field.value == b.field.value && a.field.cursor == b.field.cursor && a.field.isSelected == b.field.isSelected
    }
}

/// The box an action is typed into: its inputs, the reason, the amount.
public struct ActionDialog: Equatable, Sendable {
    public var action: CaseAction
    public var title: String
    public var fields: [DialogField]
    public var focus = 0
    public var error: String?
    public var busy = false
    /// A box that is not a case action (the case view's time-limit extension): what it is for.
    public var purpose: DialogPurpose? = nil

    public func value(_ id: String) -> String { fields.first { $0.id == id }?.field.value ?? "" }
}

/// One case open for review: the file, where it is scrolled to, the action being typed.
public struct CaseViewState: Equatable, Sendable {
    public var caseId: Int64
    public var file: CaseFile?
    public var scroll = 0
    public var dialog: ActionDialog?
    public var missing = false
    public init(caseId: Int64) { self.caseId = caseId }

    public static func == (a: CaseViewState, b: CaseViewState) -> Bool {
        a.caseId == b.caseId && a.scroll == b.scroll && a.dialog == b.dialog && a.missing == b.missing &&
            a.file?.caseRecord == b.file?.caseRecord && a.file?.history.count == b.file?.history.count
    }
}

/// A box on the case view that records something other than a `CaseAction`.
public enum DialogPurpose: Equatable, Sendable {
    /// 特殊情况: the whole flow's longer limit, with the reason (`Store.extendFlowLimit`).
    case extendLimit
}

/// Special ids in an action box besides the step's own inputs.
enum DialogID {
    static let reason = "_reason"
    static let amount = "_amount"
    static let override = "_override"
}
