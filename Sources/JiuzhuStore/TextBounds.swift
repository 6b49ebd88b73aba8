import Foundation

/// Bounds on text a person types, enforced where it is written: not empty where a name is
/// needed, not longer than the field takes, and no control characters (a newline would break
/// a list, an escape sequence would drive the terminal of whoever prints it).
public enum TextBounds {
    /// Longest name (a person's, a user's, a village's) in characters.
    public static let nameLength = 40
    /// Longest free text (a reason, a note, an address) in characters.
    public static let textLength = 2000

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value)
    }

    /// Refuse `value` for the field named `field` (zh, en) when it breaks the bounds.
    public static func check(_ value: String, field: (zh: String, en: String), max: Int = nameLength,
                             allowEmpty: Bool = false, multiline: Bool = false) throws {
        if !allowEmpty && value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw StoreError.said("store.textBounds.empty", ["field_zh": field.zh, "field_en": field.en])
        }
        if value.count > max {
            throw StoreError.said("store.textBounds.tooLong", ["field_zh": field.zh, "field_en": field.en, "max": String(max), "count": String(value.count)])
        }
        if value.unicodeScalars.contains(where: { isControl($0) && !(multiline && $0 == "\n") }) {
            throw StoreError.said("store.textBounds.control", ["field_zh": field.zh, "field_en": field.en])
        }
    }

    /// `s` with control characters shown as `\u{1B}`-style text, for printing what is stored.
    public static func visible(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            if isControl(u) { out += "\\u{\(String(u.value, radix: 16, uppercase: true))}" } else { out.unicodeScalars.append(u) }
        }
        return out
    }
}
