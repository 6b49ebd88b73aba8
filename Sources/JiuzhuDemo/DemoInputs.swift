import Foundation
import JiuzhuModel

/// A demo input file that could not be read: which input, which line, what is wrong.
public struct DemoInputError: Error, Equatable, Sendable, CustomStringConvertible {
    public var input: String
    public var line: Int?
    public var message: String
    public init(input: String, line: Int?, message: String) {
        self.input = input; self.line = line; self.message = message
    }
    public var description: String {
        if let line { return "\(input) line \(line): \(message)" }
        return "\(input): \(message)"
    }
}

/// What the demo township generator is made from: the contents of `data/demo/*` (and,
/// optionally, `data/standards.csv`). The caller reads the files; the model never does I/O.
public struct DemoInputs: Equatable, Sendable {
    /// A surname with its weight (share of the population in hundredths of a percent for Han
    /// surnames, a plain relative weight for Yi clan names).
    public struct WeightedName: Equatable, Sendable {
        public var name: String
        public var weight: Int
        public init(name: String, weight: Int) { self.name = name; self.weight = weight }
    }

    /// Given names in use for people born `from...to`.
    public struct NameBand: Equatable, Sendable {
        public var from: Int
        public var to: Int
        /// Single characters (combined or used alone) and whole given names (2+ characters).
        public var entries: [String]
        public init(from: Int, to: Int, entries: [String]) { self.from = from; self.to = to; self.entries = entries }
    }

    /// A 行政村 or 社区 line of `villages.txt`.
    public struct Village: Equatable, Sendable {
        public var code: String            // 3 digits
        public var name: String
        public var isCommunity: Bool
        public var groups: Int             // 村民小组 / 居民小组
        public var weight: Int             // relative number of households
        public var yiPercent: Int          // share of Yi households
        public var clan: String?           // a surname common in the village
        public var flood: Bool             // hit by the flood event
        public var streets: [String]       // communities: street names
        public init(code: String, name: String, isCommunity: Bool, groups: Int, weight: Int, yiPercent: Int,
                    clan: String?, flood: Bool, streets: [String]) {
            self.code = code; self.name = name; self.isCommunity = isCommunity; self.groups = groups
            self.weight = weight; self.yiPercent = yiPercent; self.clan = clan; self.flood = flood; self.streets = streets
        }
    }

    /// A benefit standard (same shape as a row of `data/standards.csv`).
    public struct Standard: Equatable, Sendable {
        public var programme: String       // rural_dibao, urban_dibao, tekun, temporary, medical, disaster
        public var area: String            // rural, urban, dispersed, concentrated, any
        public var effectiveFrom: CivilDate
        public var amount: Money
        public var period: String          // month, year, once
        public init(programme: String, area: String, effectiveFrom: CivilDate, amount: Money, period: String) {
            self.programme = programme; self.area = area; self.effectiveFrom = effectiveFrom
            self.amount = amount; self.period = period
        }
    }

    public var countyCode: String
    public var countyName: String
    public var townshipCode: String
    public var townshipName: String
    /// A demo county's townships share the county's ID numbers: township `idLane` of `idLanes`
    /// draws only its lane of the sequence numbers (set by `demo --county`, not read from a file).
    public var idLane = 0
    public var idLanes = 1
    public var otherCounties: [String]
    public var elderHome: String
    public var users: [User]
    public var surnames: [WeightedName]
    public var maleGiven: [NameBand]
    public var femaleGiven: [NameBand]
    public var yiSurnames: [WeightedName]
    public var yiMale: [String]
    public var yiFemale: [String]
    public var villages: [Village]
    /// Defaults from `township.txt` first (effective 1900-01-01), then `standards.csv` rows.
    public var standards: [Standard]
    /// The office's settings (`data/settings.csv`, optional): the demo's decisions work the
    /// benefit out with them, as the store does.
    public var settings: [String: String] = [:]
    /// 医疗救助: share of the out-of-pocket cost paid, in percent (when no medical_assistance.csv).
    public var medicalPercent: Int
    /// 医疗救助 起付标准, ratio and cap per category (`data/medical_assistance.csv`, optional).
    public var medicalRules: [MedicalRule] = []
    /// The code in `data/institutions.csv` of the home where concentrated 特困 support lives.
    public var elderHomeCode: String?

    /// The files `parse(files:)` wants, by name. `standards.csv` is optional.
    public static let fileNames = ["township.txt", "villages.txt", "surnames.txt", "given_male.txt",
                                   "given_female.txt", "yi_names.txt"]
    public static let optionalFileNames = ["standards.csv", "settings.csv", "medical_assistance.csv"]

    /// Parse the inputs from file contents keyed by file name (see `fileNames`).
    public static func parse(files: [String: String]) throws -> DemoInputs {
        func need(_ n: String) throws -> String {
            guard let t = files[n] else { throw DemoInputError(input: n, line: nil, message: "missing (expected in data/demo/)") }
            return t
        }
        return try parse(township: need("township.txt"), villages: need("villages.txt"), surnames: need("surnames.txt"),
                         givenMale: need("given_male.txt"), givenFemale: need("given_female.txt"),
                         yiNames: need("yi_names.txt"), standards: files["standards.csv"], settings: files["settings.csv"],
                         medical: files["medical_assistance.csv"])
    }

    public static func parse(township: String, villages: String, surnames: String, givenMale: String,
                             givenFemale: String, yiNames: String, standards: String? = nil, settings: String? = nil,
                             medical: String? = nil) throws -> DemoInputs {
        var inputs = try parseTownship(township)
        inputs.villages = try parseVillages(villages)
        inputs.surnames = try parseWeighted(surnames, input: "surnames.txt", decimals: 2)
        if inputs.surnames.isEmpty { throw DemoInputError(input: "surnames.txt", line: nil, message: "no surnames") }
        inputs.maleGiven = try parseBands(givenMale, input: "given_male.txt")
        inputs.femaleGiven = try parseBands(givenFemale, input: "given_female.txt")
        let yi = try parseYi(yiNames)
        inputs.yiSurnames = yi.surnames; inputs.yiMale = yi.male; inputs.yiFemale = yi.female
        if let standards { inputs.standards += try parseStandards(standards) }
        if let medical { inputs.medicalRules = try parseMedicalRules(medical) }
        if let settings {
            // key,value,description (data/settings.csv): the benefit's add-ons and rounding.
            for raw in settings.split(separator: "\n").dropFirst() {
                let f = csvFields(raw.trimmingCharacters(in: CharacterSet(charactersIn: "\r\u{FEFF}")))
                if f.count >= 2 { inputs.settings[f[0]] = f[1] }
            }
        }
        return inputs
    }

    /// The standard for `programme`/`area` in force on `date`: the latest effective date wins,
    /// and on equal dates the later row (standards.csv over township.txt).
    public func standard(_ programme: String, _ area: String, on date: CivilDate) -> Standard? {
        var best: Standard?
        for s in standards where s.programme == programme && s.area == area && s.effectiveFrom <= date {
            if best == nil || s.effectiveFrom >= best!.effectiveFrom { best = s }
        }
        return best
    }

    // MARK: - the files

    /// Lines without comments (`#` to the end) and surrounding blanks, numbered from 1.
    static func lines(_ text: String) -> [(Int, String)] {
        var out: [(Int, String)] = []
        var n = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            n += 1
            var s = Substring(raw)
            if let hash = s.firstIndex(of: "#") { s = s[..<hash] }
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}")))
            if !t.isEmpty { out.append((n, t)) }
        }
        return out
    }

    static func words(_ s: String) -> [String] {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{3000}" }).map(String.init)
    }

    static func isDigits(_ s: String, count: Int) -> Bool { s.count == count && s.allSatisfy { $0.isASCII && $0.isNumber } }

    /// "7.12" -> 712 with `decimals` 2.
    static func decimal(_ s: String, decimals: Int) -> Int? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.allSatisfy({ $0.isASCII && $0.isNumber }),
              let w = Int(whole) else { return nil }
        var frac = parts.count == 2 ? String(parts[1]) : ""
        guard frac.count <= decimals, frac.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        while frac.count < decimals { frac += "0" }
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        return w * scale + (frac.isEmpty ? 0 : Int(frac)!)
    }

    static func parseTownship(_ text: String) throws -> DemoInputs {
        let input = "township.txt"
        var kv: [String: (Int, String)] = [:]
        for (n, line) in lines(text) {
            guard let eq = line.firstIndex(of: "=") else {
                throw DemoInputError(input: input, line: n, message: "expected \"key = value\", found \"\(line)\"")
            }
            let k = line[..<eq].trimmingCharacters(in: .whitespaces)
            let v = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if kv[k] != nil { throw DemoInputError(input: input, line: n, message: "\"\(k)\" is given twice") }
            kv[k] = (n, v)
        }
        func value(_ k: String) throws -> (Int, String) {
            guard let v = kv[k], !v.1.isEmpty else { throw DemoInputError(input: input, line: nil, message: "\"\(k)\" is missing") }
            return v
        }
        func county(_ c: String, line: Int) throws -> String {
            guard isDigits(c, count: 6), let p = Int(c.prefix(2)), (11...82).contains(p), !c.hasSuffix("0000") else {
                throw DemoInputError(input: input, line: line, message: "\"\(c)\" is not a 6-digit GB/T 2260 county code")
            }
            return c
        }
        let (cl, cc) = try value("county_code")
        let (tl, tc) = try value("township_code")
        guard isDigits(tc, count: 3), tc != "000" else {
            throw DemoInputError(input: input, line: tl, message: "township_code \"\(tc)\" is not 3 digits")
        }
        var others: [String] = []
        if let (ol, o) = kv["other_counties"] { for c in words(o) { others.append(try county(c, line: ol)) } }
        var users: [User] = []
        for role in Role.allCases {
            guard let (ul, u) = kv[role.rawValue] else { continue }
            let w = words(u)
            guard w.count >= 2, w[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw DemoInputError(input: input, line: ul, message: "\(role.rawValue) should be \"login 显示名\", found \"\(u)\"")
            }
            users.append(User(name: w[0], displayName: w[1...].joined(separator: " "), role: role))
        }
        for role in [Role.clerk, .reviewer, .approver] where !users.contains(where: { $0.role == role }) {
            throw DemoInputError(input: input, line: nil, message: "no \(role.rawValue) user (\"\(role.rawValue) = login 显示名\")")
        }
        let base = CivilDate(year: 1900, month: 1, day: 1)!
        var standards: [Standard] = []
        func money(_ k: String) throws -> Money {
            let (l, v) = try value(k)
            guard let m = Money(yuanText: v), m.fen > 0 else {
                throw DemoInputError(input: input, line: l, message: "\(k) \"\(v)\" is not an amount in yuan")
            }
            return m
        }
        standards.append(Standard(programme: "rural_dibao", area: "rural", effectiveFrom: base, amount: try money("rural_standard"), period: "month"))
        standards.append(Standard(programme: "urban_dibao", area: "urban", effectiveFrom: base, amount: try money("urban_standard"), period: "month"))
        standards.append(Standard(programme: "tekun", area: "dispersed", effectiveFrom: base, amount: try money("tekun_dispersed"), period: "year"))
        standards.append(Standard(programme: "tekun", area: "concentrated", effectiveFrom: base, amount: try money("tekun_concentrated"), period: "year"))
        standards.append(Standard(programme: "temporary", area: "any", effectiveFrom: base, amount: try money("temporary_base"), period: "once"))
        standards.append(Standard(programme: "medical", area: "any", effectiveFrom: base, amount: try money("medical_cap"), period: "year"))
        standards.append(Standard(programme: "disaster", area: "any", effectiveFrom: base, amount: try money("disaster_monthly"), period: "month"))
        let (pl, pv) = try value("medical_percent")
        guard let pct = Int(pv), (1...100).contains(pct) else {
            throw DemoInputError(input: input, line: pl, message: "medical_percent \"\(pv)\" is not a percent 1-100")
        }
        return DemoInputs(countyCode: try county(cc, line: cl), countyName: try value("county_name").1,
                          townshipCode: tc, townshipName: try value("township_name").1, otherCounties: others,
                          elderHome: kv["elder_home"]?.1 ?? "敬老院", users: users, surnames: [], maleGiven: [], femaleGiven: [],
                          yiSurnames: [], yiMale: [], yiFemale: [], villages: [], standards: standards, medicalPercent: pct,
                          elderHomeCode: kv["elder_home_code"]?.1)
    }

    static func parseVillages(_ text: String) throws -> [Village] {
        let input = "villages.txt"
        var out: [Village] = []
        for (n, line) in lines(text) {
            let w = words(line)
            guard w.count >= 2, isDigits(w[0], count: 3), w[0] != "000" else {
                throw DemoInputError(input: input, line: n, message: "expected \"code name attributes...\" with a 3-digit code, found \"\(line)\"")
            }
            if out.contains(where: { $0.code == w[0] }) {
                throw DemoInputError(input: input, line: n, message: "code \(w[0]) is used twice")
            }
            if out.contains(where: { $0.name == w[1] }) {
                throw DemoInputError(input: input, line: n, message: "name \(w[1]) is used twice")
            }
            var v = Village(code: w[0], name: w[1], isCommunity: false, groups: 6, weight: 5, yiPercent: 0, clan: nil,
                            flood: false, streets: [])
            for a in w.dropFirst(2) {
                let parts = a.split(separator: "=", maxSplits: 1).map(String.init)
                let key = parts[0], val = parts.count == 2 ? parts[1] : nil
                func number(_ range: ClosedRange<Int>) throws -> Int {
                    guard let val, let i = Int(val), range.contains(i) else {
                        throw DemoInputError(input: input, line: n, message: "\(key) needs a whole number \(range.lowerBound)-\(range.upperBound), found \"\(a)\"")
                    }
                    return i
                }
                switch key {
                case "community": v.isCommunity = true
                case "flood": v.flood = true
                case "groups": v.groups = try number(1...99)
                case "weight": v.weight = try number(1...100_000)
                case "yi": v.yiPercent = try number(0...100)
                case "clan":
                    guard let val, !val.isEmpty else { throw DemoInputError(input: input, line: n, message: "clan needs a surname") }
                    v.clan = val
                case "streets":
                    let s = (val ?? "").split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" }).map(String.init)
                    guard !s.isEmpty else { throw DemoInputError(input: input, line: n, message: "streets needs names: streets=人民路,建设路") }
                    v.streets = s
                default:
                    throw DemoInputError(input: input, line: n, message: "unknown attribute \"\(a)\" (known: community groups= weight= yi= clan= flood streets=)")
                }
            }
            if v.isCommunity && v.streets.isEmpty { v.streets = ["人民路"] }
            out.append(v)
        }
        guard out.contains(where: { !$0.isCommunity }) else {
            throw DemoInputError(input: input, line: nil, message: "no village (a line without \"community\")")
        }
        return out
    }

    static func parseWeighted(_ text: String, input: String, decimals: Int) throws -> [WeightedName] {
        var out: [WeightedName] = []
        for (n, line) in lines(text) {
            let w = words(line)
            guard w.count == 2, let weight = decimal(w[1], decimals: decimals), weight > 0,
                  !w[0].contains(where: { $0.isASCII }) else {
                throw DemoInputError(input: input, line: n, message: "expected \"surname weight\" (王 7.12), found \"\(line)\"")
            }
            if out.contains(where: { $0.name == w[0] }) {
                throw DemoInputError(input: input, line: n, message: "\(w[0]) is listed twice")
            }
            out.append(WeightedName(name: w[0], weight: weight))
        }
        return out
    }

    static func parseBands(_ text: String, input: String) throws -> [NameBand] {
        var out: [NameBand] = []
        for (n, line) in lines(text) {
            guard let colon = line.firstIndex(where: { $0 == ":" || $0 == "：" }) else {
                throw DemoInputError(input: input, line: n, message: "expected \"from-to: names...\", found \"\(line)\"")
            }
            let range = line[..<colon].split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
            guard range.count == 2, let a = Int(range[0]), let b = Int(range[1]), a <= b, (1800...2200).contains(a) else {
                throw DemoInputError(input: input, line: n, message: "\"\(line[..<colon])\" is not a year range like 1955-1974")
            }
            let entries = words(String(line[line.index(after: colon)...]))
            guard entries.contains(where: { $0.count == 1 }) else {
                throw DemoInputError(input: input, line: n, message: "the band \(a)-\(b) needs some one-character entries")
            }
            if let bad = entries.first(where: { $0.contains(where: { $0.isASCII }) }) {
                throw DemoInputError(input: input, line: n, message: "\"\(bad)\" is not a Chinese name")
            }
            out.append(NameBand(from: a, to: b, entries: entries))
        }
        if out.isEmpty { throw DemoInputError(input: input, line: nil, message: "no name bands") }
        return out.sorted { $0.from < $1.from }
    }

    static func parseYi(_ text: String) throws -> (surnames: [WeightedName], male: [String], female: [String]) {
        let input = "yi_names.txt"
        var section = ""
        var surnameText = "", male: [String] = [], female: [String] = []
        var surnameLines: [Int] = []
        for (n, line) in lines(text) {
            if line.hasPrefix("[") && line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast())
                guard ["surnames", "male", "female"].contains(section) else {
                    throw DemoInputError(input: input, line: n, message: "unknown section \(line) (known: [surnames] [male] [female])")
                }
                continue
            }
            switch section {
            case "surnames": surnameText += line + "\n"; surnameLines.append(n)
            case "male": male += words(line)
            case "female": female += words(line)
            default: throw DemoInputError(input: input, line: n, message: "a line before the first [section]")
            }
        }
        let surnames: [WeightedName]
        do { surnames = try parseWeighted(surnameText, input: input, decimals: 0) } catch let e as DemoInputError {
            // Give the line number in the real file, not in the extracted section.
            throw DemoInputError(input: input, line: e.line.map { surnameLines[$0 - 1] }, message: e.message)
        }
        if surnames.isEmpty { throw DemoInputError(input: input, line: nil, message: "no [surnames]") }
        if male.isEmpty { throw DemoInputError(input: input, line: nil, message: "no [male] given names") }
        if female.isEmpty { throw DemoInputError(input: input, line: nil, message: "no [female] given names") }
        return (surnames, male, female)
    }

    /// `data/standards.csv`: columns found by name (programme, area, effective_from, amount_yuan, period).
    /// data/medical_assistance.csv: category, effective_from, deductible_yuan, ratio_percent, yearly_cap_yuan.
    static func parseMedicalRules(_ text: String) throws -> [MedicalRule] {
        let input = "medical_assistance.csv"
        var rows: [(Int, [String])] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\r\u{FEFF}"))
            if !line.trimmingCharacters(in: .whitespaces).isEmpty { rows.append((n + 1, csvFields(line))) }
        }
        guard let header = rows.first?.1 else { return [] }
        let names = ["category", "effective_from", "deductible_yuan", "ratio_percent", "yearly_cap_yuan"]
        var col: [Int] = []
        for name in names {
            guard let i = header.firstIndex(of: name) else { throw DemoInputError(input: input, line: rows[0].0, message: "no column \"\(name)\"") }
            col.append(i)
        }
        var out: [MedicalRule] = []
        for (line, f) in rows.dropFirst() {
            guard f.count > col.max()!, let c = MedicalCategory(rawValue: f[col[0]]), let d = CivilDate(iso: f[col[1]]),
                  let ded = Money(yuanText: f[col[2]]), let r = Int(f[col[3]]), let cap = Money(yuanText: f[col[4]]) else {
                throw DemoInputError(input: input, line: line, message: "not a rule: category, date, deductible, percent, cap")
            }
            out.append(MedicalRule(category: c, effectiveFrom: d, deductible: ded, ratioPercent: r, yearlyCap: cap))
        }
        return out
    }

    static func parseStandards(_ text: String) throws -> [Standard] {
        let input = "standards.csv"
        var rows: [(Int, [String])] = []
        var n = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            n += 1
            let line = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\r\u{FEFF}"))
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            rows.append((n, csvFields(line)))
        }
        guard let header = rows.first?.1 else { return [] }
        func column(_ name: String) throws -> Int {
            guard let i = header.firstIndex(of: name) else {
                throw DemoInputError(input: input, line: rows[0].0, message: "no column \"\(name)\"")
            }
            return i
        }
        let cp = try column("programme"), ca = try column("area"), cf = try column("effective_from")
        let cm = try column("amount_yuan"), cper = try column("period")
        var out: [Standard] = []
        for (line, f) in rows.dropFirst() {
            guard f.count > max(cp, ca, cf, cm, cper) else {
                throw DemoInputError(input: input, line: line, message: "too few columns")
            }
            guard let d = CivilDate(iso: f[cf]) else {
                throw DemoInputError(input: input, line: line, message: "effective_from \"\(f[cf])\" is not a date")
            }
            guard let m = Money(yuanText: f[cm]) else {
                throw DemoInputError(input: input, line: line, message: "amount_yuan \"\(f[cm])\" is not an amount")
            }
            out.append(Standard(programme: f[cp], area: f[ca], effectiveFrom: d, amount: m, period: f[cper]))
        }
        return out
    }

    static func csvFields(_ line: String) -> [String] {
        var fields: [String] = [], cur = "", quoted = false
        var it = Array(line)[...]
        while let c = it.popFirst() {
            if quoted {
                if c == "\"" {
                    if it.first == "\"" { cur.append("\""); it = it.dropFirst() } else { quoted = false }
                } else { cur.append(c) }
            } else if c == "\"" { quoted = true
            } else if c == "," { fields.append(cur.trimmingCharacters(in: .whitespaces)); cur = ""
            } else { cur.append(c) }
        }
        fields.append(cur.trimmingCharacters(in: .whitespaces))
        return fields
    }
}
