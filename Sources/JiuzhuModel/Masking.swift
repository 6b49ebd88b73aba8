import Foundation

/// What may be shown to the public. Everything printed or exported for the public goes
/// through here.
public enum Masking {
    /// `110101********1234`: the first 6 (region) and last 4 characters, 8 stars between.
    /// Never reveals more than 10 digits of an 18-character number; anything that is not a
    /// well-formed number is masked whole except its last 4.
    public static func idNumber(_ s: String) -> String {
        let chars = Array(s)
        if chars.count == 18 { return String(chars[0..<6]) + "********" + String(chars[14..<18]) }
        if chars.count == 15 { return String(chars[0..<6]) + "*****" + String(chars[11..<15]) }
        if chars.count <= 4 { return String(repeating: "*", count: chars.count) }
        return String(repeating: "*", count: chars.count - 4) + String(chars.suffix(4))
    }

    /// `138****5678`
    public static func phone(_ s: String) -> String {
        let chars = Array(s.filter { !$0.isWhitespace })
        guard chars.count >= 7 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(3)) + String(repeating: "*", count: chars.count - 7) + String(chars.suffix(4))
    }

    /// `**** **** **** 1234`
    public static func bankCard(_ s: String) -> String {
        let digits = s.filter { $0.isNumber }
        guard digits.count > 4 else { return String(repeating: "*", count: digits.count) }
        return "**** " + String(digits.suffix(4))
    }
}
