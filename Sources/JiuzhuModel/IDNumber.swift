import Foundation

/// Resident identity numbers per GB 11643-1999: 6-digit region, 8-digit birth date,
/// 3-digit sequence (odd = male), and an ISO 7064 MOD 11-2 check character.
public struct IDNumber: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The 18-character number, upper-case X.
    public let value: String
    /// True when the input was an old 15-digit number converted to 18.
    public let convertedFrom15: Bool

    public var description: String { value }
    public var regionCode: String { String(value.prefix(6)) }
    public var birthDate: CivilDate { CivilDate(compact: String(value.dropFirst(6).prefix(8)))! }
    public var sex: Sex { (Int(String(Array(value)[16]))! % 2 == 1) ? .male : .female }

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkChars: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// The check character for the first 17 digits.
    public static func checkCharacter(for body: some StringProtocol) -> Character? {
        let digits = body.compactMap { $0.wholeNumberValue }
        guard body.count == 17, digits.count == 17, body.allSatisfy({ $0.isASCII }) else { return nil }
        var sum = 0
        for (d, w) in zip(digits, weights) { sum += d * w }
        return checkChars[sum % 11]
    }

    public enum Problem: Error, Equatable, Sendable {
        case empty
        case badLength(Int)
        case badCharacter(Character, position: Int)
        case badCheckCharacter(found: Character, expected: Character)
        case badBirthDate(String)
        case futureBirthDate(String)
        case badRegion(String)

        public func message(_ lang: Lang) -> String {
            switch self {
            case .empty:
                return say("model.id.empty", lang)
            case .badLength(let n):
                return say("model.id.badLength", lang, ["n": "\(n)"])
            case .badCharacter(let c, let p):
                return say("model.id.badCharacter", lang, ["p": "\(p)", "c": "\(c)"])
            case .badCheckCharacter(let f, let e):
                return say("model.id.badCheckCharacter", lang, ["f": "\(f)", "e": "\(e)"])
            case .badBirthDate(let d):
                return say("model.id.badBirthDate", lang, ["d": "\(d)"])
            case .futureBirthDate(let d):
                return say("model.id.futureBirthDate", lang, ["d": "\(d)"])
            case .badRegion(let r):
                return say("model.id.badRegion", lang, ["r": "\(r)"])
            }
        }
    }

    /// Check and normalise an ID number. Spaces are ignored, a lower-case x is accepted.
    /// A 15-digit number is converted (19 inserted before the year, check character added).
    public static func parse(_ input: String, today: CivilDate = .today) -> Result<IDNumber, Problem> {
        let s = input.filter { !$0.isWhitespace }.uppercased()
        if s.isEmpty { return .failure(.empty) }
        let chars = Array(s)
        if chars.count == 15 {
            for (i, c) in chars.enumerated() where !(c.isASCII && c.isNumber) {
                return .failure(.badCharacter(c, position: i + 1))
            }
            let body = String(chars[0..<6]) + "19" + String(chars[6..<15])
            let check = checkCharacter(for: body)!
            return validate18(body + String(check), today: today).map { IDNumber(value: $0.value, convertedFrom15: true) }
        }
        guard chars.count == 18 else { return .failure(.badLength(chars.count)) }
        return validate18(s, today: today)
    }

    /// Convenience: nil when invalid.
    public init?(_ input: String, today: CivilDate = .today) {
        guard case .success(let id) = IDNumber.parse(input, today: today) else { return nil }
        self = id
    }

    private init(value: String, convertedFrom15: Bool) {
        self.value = value
        self.convertedFrom15 = convertedFrom15
    }

    private static func validate18(_ s: String, today: CivilDate) -> Result<IDNumber, Problem> {
        let chars = Array(s)
        for (i, c) in chars.enumerated() {
            let ok = (c.isASCII && c.isNumber) || (i == 17 && c == "X")
            if !ok { return .failure(.badCharacter(c, position: i + 1)) }
        }
        let region = String(chars[0..<6])
        // Province codes run 11..82 (GB/T 2260); the county part is never 0000 for a person.
        guard let prov = Int(region.prefix(2)), (11...82).contains(prov) else { return .failure(.badRegion(region)) }
        let dateText = String(chars[6..<14])
        guard let birth = CivilDate(compact: dateText), birth.year >= 1880 else {
            return .failure(.badBirthDate(dateText))
        }
        if birth > today { return .failure(.futureBirthDate(birth.iso)) }
        let expected = checkCharacter(for: String(chars[0..<17]))!
        if chars[17] != expected { return .failure(.badCheckCharacter(found: chars[17], expected: expected)) }
        return .success(IDNumber(value: s, convertedFrom15: false))
    }

    /// Build a valid number from its parts (the demo generator and tests use this).
    public static func make(region: String, birth: CivilDate, sequence: Int) -> IDNumber {
        precondition(region.count == 6 && (0...999).contains(sequence))
        let seq = String(format: "%03d", sequence)
        let body = region + birth.compact + seq
        return IDNumber(value: body + String(checkCharacter(for: body)!), convertedFrom15: false)
    }

    /// The number reversed, so "last six digits" searches become index range scans.
    public var reversed: String { String(value.reversed()) }

    /// Age in whole years on `date`.
    public func age(on date: CivilDate) -> Int { birthDate.age(on: date) }
}

public enum Sex: String, Codable, Sendable, CaseIterable {
    case male = "M", female = "F"
    public func label(_ lang: Lang) -> String {
        say(self == .male ? "model.sex.M" : "model.sex.F", lang)
    }
}
