import Foundation

/// A form as `screens/form_*.json` describes it: sections of fields, some sections repeated
/// (family members, income rows). The app draws and drives it; the model checks it.
public struct FormSpec: Codable, Equatable, Sendable {
    public var id: String
    public var zh: String
    public var en: String
    public var sections: [SectionSpec]

    public func title(_ lang: Lang) -> String { lang == .zh ? zh : en }
    public func section(_ id: String) -> SectionSpec? { sections.first { $0.id == id } }

    /// The section a field belongs to.
    public func sectionOf(field: String) -> SectionSpec? { sections.first { s in s.fields.contains { $0.id == field } } }
    public func field(_ id: String) -> FieldSpec? { sectionOf(field: id)?.fields.first { $0.id == id } }
}

public struct SectionSpec: Codable, Equatable, Sendable {
    public var id: String
    public var zh: String
    public var en: String
    /// Present for a repeated section: each item has all the fields.
    public var `repeat`: RepeatSpec?
    /// When the whole section applies (医疗费用 for 医疗救助 only): a form field has one of some values.
    public var when: Condition?
    public var fields: [FieldSpec]
    public func title(_ lang: Lang) -> String { lang == .zh ? zh : en }
}

public struct RepeatSpec: Codable, Equatable, Sendable {
    public var min: Int
    public var max: Int
    /// What one item is called ("成员", "收入").
    public var itemZh: String
    public var itemEn: String
    /// The field whose value names an item in lists ("name").
    public var titleField: String?
    /// "pages": one page per item (members); "table": one row per item (income).
    public var layout: String?
    public func item(_ lang: Lang) -> String { lang == .zh ? itemZh : itemEn }
    public var isTable: Bool { layout == "table" }
}

public enum FieldKind: String, Codable, Sendable, CaseIterable {
    case text, name, id, date, money, integer, code, yesno, multi, note, computed, household
}

/// When a field applies: another field of the same item (or of the form) has one of some values.
public struct Condition: Codable, Equatable, Sendable {
    public var field: String
    public var `in`: [String]
    public func holds(_ value: String?) -> Bool { self.in.contains(value ?? "") }
}

public struct FieldSpec: Codable, Equatable, Sendable {
    public var id: String
    public var zh: String
    public var en: String
    public var kind: FieldKind
    /// The code list of a code or multi field (see `FormCodes`).
    public var codes: String?
    public var required: Bool?
    public var when: Condition?
    /// Named checks run when the field is left and on save (see `SurveyRules.knownChecks`).
    public var checks: [String]?
    /// For computed fields: what is computed (see `SurveyRules.knownComputations`).
    public var compute: String?
    /// The value a new form or item starts with ("today" for a date means the day it is opened).
    public var `default`: String?
    public var maxLength: Int?
    /// Columns the value takes on screen (a table column's width).
    public var width: Int?
    public var hintZh: String?
    public var hintEn: String?

    public func label(_ lang: Lang) -> String { lang == .zh ? zh : en }
    public func hint(_ lang: Lang) -> String? { lang == .zh ? hintZh : hintEn }
    public var isRequired: Bool { required ?? false }
    public var isEditable: Bool { kind != .computed }

    /// Characters a field accepts per keystroke: an ID field digits and X (the form keeps X to
    /// the 18th place), money digits and a point, dates digits and dashes.
    public func accepts(_ c: Character) -> Bool {
        switch kind {
        case .id: return (c.isASCII && c.isNumber) || c == "X" || c == "x"
        // A minus sign is taken so that "-100" is refused with a reason, not stored as 100.
        case .money: return (c.isASCII && c.isNumber) || c == "." || c == "-"
        case .integer: return c.isASCII && c.isNumber
        case .date: return (c.isASCII && c.isNumber) || c == "-"
        case .computed: return false
        default: return c != "\n" && c != "\r"
        }
    }

    public var defaultMaxLength: Int {
        if let m = maxLength { return m }
        switch kind {
        case .id: return 18
        case .date: return 10
        case .money: return 20   // long enough that a pasted 20-digit figure is refused, not cut
        case .integer: return 6
        case .name: return 20
        case .note: return 500
        default: return 60
        }
    }
}

/// Where a value lives: a field of the form, or of one item of a repeated section.
public struct FieldRef: Hashable, Codable, Sendable, CustomStringConvertible {
    public var section: String
    public var item: Int?
    public var field: String
    public init(section: String, item: Int? = nil, field: String) { self.section = section; self.item = item; self.field = field }
    public var description: String { item.map { "\(section)[\($0)].\(field)" } ?? "\(section).\(field)" }
}

/// What has been typed: form fields by id, repeated sections as lists of items. Codable, so a
/// draft is this as JSON.
public struct FormValues: Codable, Equatable, Sendable {
    public var fields: [String: String]
    public var groups: [String: [[String: String]]]
    public init(fields: [String: String] = [:], groups: [String: [[String: String]]] = [:]) {
        self.fields = fields; self.groups = groups
    }

    public subscript(ref: FieldRef) -> String? {
        get {
            if let i = ref.item { return groups[ref.section].flatMap { $0.indices.contains(i) ? $0[i][ref.field] : nil } }
            return fields[ref.field]
        }
        set {
            if let i = ref.item {
                guard var items = groups[ref.section], items.indices.contains(i) else { return }
                items[i][ref.field] = newValue
                groups[ref.section] = items
            } else {
                fields[ref.field] = newValue
            }
        }
    }

    public func items(_ section: String) -> [[String: String]] { groups[section] ?? [] }

    /// A value that is there and not blank.
    public func has(_ ref: FieldRef) -> Bool { !(self[ref] ?? "").trimmingCharacters(in: .whitespaces).isEmpty }

    public func json() -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: (try? e.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    public static func decode(_ json: String) throws -> FormValues {
        try JSONDecoder().decode(FormValues.self, from: Data(json.utf8))
    }

    /// A new item of `section` with its fields' defaults.
    public static func newItem(_ section: SectionSpec, today: CivilDate) -> [String: String] {
        var item: [String: String] = [:]
        for f in section.fields { if let d = f.default { item[f.id] = d == "today" ? today.iso : d } }
        return item
    }

    /// A blank form with defaults and each repeated section's minimum number of items.
    public static func blank(_ spec: FormSpec, today: CivilDate) -> FormValues {
        var v = FormValues()
        for s in spec.sections {
            if let r = s.repeat {
                v.groups[s.id] = (0..<r.min).map { _ in newItem(s, today: today) }
            } else {
                for f in s.fields { if let d = f.default { v.fields[f.id] = d == "today" ? today.iso : d } }
            }
        }
        return v
    }
}

extension FormSpec {
    /// Whether a field applies given the other values: a `when` refers to a field of the same
    /// item first, then to a form field.
    public func applies(_ f: FieldSpec, section: SectionSpec, item: Int?, in v: FormValues) -> Bool {
        guard applies(section, in: v) else { return false }
        guard let c = f.when else { return true }
        if let i = item, section.fields.contains(where: { $0.id == c.field }) {
            return c.holds(v[FieldRef(section: section.id, item: i, field: c.field)])
        }
        guard let s = sectionOf(field: c.field) else { return false }
        return c.holds(v[FieldRef(section: s.id, field: c.field)])
    }

    /// Whether a section applies: its `when` names a form field.
    public func applies(_ s: SectionSpec, in v: FormValues) -> Bool {
        guard let c = s.when else { return true }
        guard let owner = sectionOf(field: c.field), owner.id != s.id else { return true }
        return c.holds(v[FieldRef(section: owner.id, field: c.field)])
    }

    /// Every field that applies, in order: form fields, and each item's fields.
    public func refs(in v: FormValues) -> [FieldRef] {
        var out: [FieldRef] = []
        for s in sections {
            if s.repeat != nil {
                for i in v.items(s.id).indices {
                    for f in s.fields where applies(f, section: s, item: i, in: v) { out.append(FieldRef(section: s.id, item: i, field: f.id)) }
                }
            } else {
                for f in s.fields where applies(f, section: s, item: nil, in: v) { out.append(FieldRef(section: s.id, field: f.id)) }
            }
        }
        return out
    }
}
