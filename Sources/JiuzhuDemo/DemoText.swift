import Foundation
import JiuzhuModel

/// Fast text for the hot paths of the generator (300,000 people, a million step records) and of
/// drawing: `String(format:)` costs microseconds a call, these do not.
enum DemoText {
    /// Zero-padded decimal digits of a non-negative number.
    static func digits(_ v: Int, width: Int) -> String {
        var bytes = [UInt8](repeating: 0x30, count: width)
        var x = v, i = width - 1
        while i >= 0 && x > 0 { bytes[i] = UInt8(0x30 + x % 10); x /= 10; i -= 1 }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func appendDigits(_ v: Int, width: Int, to bytes: inout [UInt8]) {
        let start = bytes.count
        for _ in 0..<width { bytes.append(0x30) }
        var x = v, i = start + width - 1
        while i >= start && x > 0 { bytes[i] = UInt8(0x30 + x % 10); x /= 10; i -= 1 }
    }

    /// "2025-03-12" (`CivilDate.iso`).
    static func iso(_ d: CivilDate) -> String {
        var b: [UInt8] = []
        b.reserveCapacity(10)
        appendDigits(d.year, width: 4, to: &b); b.append(0x2D)
        appendDigits(d.month, width: 2, to: &b); b.append(0x2D)
        appendDigits(d.day, width: 2, to: &b)
        return String(decoding: b, as: UTF8.self)
    }

    /// "2025-03"
    static func month(_ d: CivilDate) -> String {
        var b: [UInt8] = []
        appendDigits(d.year, width: 4, to: &b); b.append(0x2D)
        appendDigits(d.month, width: 2, to: &b)
        return String(decoding: b, as: UTF8.self)
    }

    static let idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let idChecks: [UInt8] = Array("10X98765432".utf8)

    /// The same number `IDNumber.make(region:birth:sequence:).value` builds, without
    /// `String(format:)` (a test checks the two agree).
    static func idNumber(region: [UInt8], birth: CivilDate, sequence: Int) -> String {
        var b: [UInt8] = region
        b.reserveCapacity(18)
        appendDigits(birth.year, width: 4, to: &b)
        appendDigits(birth.month, width: 2, to: &b)
        appendDigits(birth.day, width: 2, to: &b)
        appendDigits(sequence, width: 3, to: &b)
        var sum = 0
        for i in 0..<17 { sum += Int(b[i] - 0x30) * idWeights[i] }
        b.append(idChecks[sum % 11])
        return String(decoding: b, as: UTF8.self)
    }

    /// A card number of `prefix` + random digits + a Luhn check digit, `length` digits in all.
    static func bankCard(prefix: String, length: Int, rng: inout DemoRNG) -> String {
        var b = Array(prefix.utf8)
        while b.count < length - 1 { b.append(UInt8(0x30 + rng.int(10))) }
        var sum = 0
        for (i, c) in b.reversed().enumerated() {
            var d = Int(c - 0x30)
            if i % 2 == 0 { d *= 2; if d > 9 { d -= 9 } }
            sum += d
        }
        b.append(UInt8(0x30 + (10 - sum % 10) % 10))
        return String(decoding: b, as: UTF8.self)
    }

    static func phone(prefix: String, rng: inout DemoRNG) -> String {
        var b = Array(prefix.utf8)
        while b.count < 11 { b.append(UInt8(0x30 + rng.int(10))) }
        return String(decoding: b, as: UTF8.self)
    }

    /// A JSON string literal.
    static func json(_ s: String) -> String {
        var needs = false
        for u in s.utf8 where u == 0x22 || u == 0x5C || u < 0x20 { needs = true; break }
        if !needs { return "\"" + s + "\"" }
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if ch.value < 0x20 { let h = String(ch.value, radix: 16); out += "\\u" + String(repeating: "0", count: 4 - h.count) + h }
                else { out.unicodeScalars.append(ch) }
            }
        }
        return out + "\""
    }
}

/// A JSON object written key by key in a fixed order (deterministic, and far cheaper than
/// JSONSerialization for a million small objects).
struct DemoJSON {
    private var text: String
    private var first = true

    init() { text = "{"; text.reserveCapacity(200) }

    private mutating func key(_ k: String) {
        if first { first = false } else { text += "," }
        text += "\""; text += k; text += "\":"
    }
    mutating func add(_ k: String, _ v: String) { key(k); text += DemoText.json(v) }
    mutating func add(_ k: String, _ v: Int) { key(k); text += String(v) }
    mutating func add(_ k: String, _ v: Int64) { key(k); text += String(v) }
    mutating func add(_ k: String, _ v: Bool) { key(k); text += v ? "true" : "false" }
    mutating func add(_ k: String, _ v: CivilDate) { key(k); text += "\""; text += DemoText.iso(v); text += "\"" }
    mutating func add(_ k: String, _ v: [String]) {
        key(k); text += "["
        for (i, s) in v.enumerated() { if i > 0 { text += "," }; text += DemoText.json(s) }
        text += "]"
    }
    /// A value already written as JSON (an array of objects).
    mutating func addRaw(_ k: String, _ json: String) { key(k); text += json }
    var string: String { text + "}" }
}
