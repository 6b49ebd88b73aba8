import Foundation

/// What a column of an office's ledger (台帐) means, whatever its header says.
public enum LedgerField: String, CaseIterable, Codable, Sendable {
    case householdNo = "household_no", village, address, headName = "head_name", headID = "head_id", name
    case idNumber = "id_number", relation, sex, ethnicity, health, disabilityType = "disability_type"
    case disabilityLevel = "disability_level", workAbility = "work_ability", phone, programme, persons, amount, start, members
    /// A column the clerk chose to leave out (a profile's mapping may say so).
    case ignore

    /// Fields a member may have in a household-per-row layout's repeated columns (成员2姓名 …).
    static let memberFields: Set<LedgerField> = [.name, .idNumber, .relation, .sex, .ethnicity, .health, .disabilityType,
                                                 .disabilityLevel, .workAbility]
}

/// The words of `data/import_columns.csv` (headers by meaning) and `data/import_values.csv`
/// (values by name: relationships, programmes, totals rows), loaded as a county keeps them.
public struct LedgerVocabulary: Sendable {
    public struct Column: Sendable {
        public var field: LedgerField
        public var label: Text2
        public var synonyms: [String]
    }
    public var columns: [Column]
    /// Normalised header → field.
    var bySynonym: [String: LedgerField] = [:]
    /// kind → normalised value → code.
    var values: [String: [String: String]] = [:]

    public init(columns: [Column], values: [(kind: String, value: String, code: String)]) {
        self.columns = columns
        for c in columns {
            for s in c.synonyms + [c.label.zh, c.label.en] where !s.isEmpty { bySynonym[Self.normal(s)] = bySynonym[Self.normal(s)] ?? c.field }
        }
        for v in values { self.values[v.kind, default: [:]][Self.normal(v.value)] = v.code }
    }

    public func label(_ f: LedgerField) -> Text2 {
        columns.first { $0.field == f }?.label ?? Text2(zh: f.rawValue, en: f.rawValue)
    }

    /// The two files, read from `directory` (data/). Each problem names the file and line.
    public static func load(from directory: URL) throws -> LedgerVocabulary {
        func rows(_ file: String, _ columns: Int) throws -> [[String]] {
            let url = directory.appendingPathComponent(file)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw LedgerFileError(file: file, line: nil, problem: "missing or not UTF-8 (looked in \(directory.path))")
            }
            var out: [[String]] = []
            for (n, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() where n > 0 {
                let t = line.trimmingCharacters(in: .whitespaces)
                if t.isEmpty { continue }
                let parts = t.split(separator: ",", maxSplits: columns - 1, omittingEmptySubsequences: false).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                guard parts.count == columns else {
                    throw LedgerFileError(file: file, line: n + 1, problem: "expected \(columns) columns, found \(parts.count)")
                }
                out.append(parts)
            }
            return out
        }
        var cols: [Column] = []
        for r in try rows("import_columns.csv", 4) {
            guard let f = LedgerField(rawValue: r[0]) else {
                throw LedgerFileError(file: "import_columns.csv", line: nil, problem: "unknown field \(r[0])")
            }
            cols.append(Column(field: f, label: Text2(zh: r[1], en: r[2]), synonyms: r[3].split(separator: "|").map(String.init)))
        }
        let vals = try rows("import_values.csv", 3).map { (kind: $0[0], value: $0[1], code: $0[2]) }
        return LedgerVocabulary(columns: cols, values: vals)
    }

    /// A header or value as compared: no spaces or line breaks, no remark in brackets
    /// ("月保障金(元)" is "月保障金"), full-width letters and digits made ASCII, lower case.
    public static func normal(_ s: String) -> String {
        // Most cells are plain: ASCII letters and digits, or common Chinese characters. Those are
        // unchanged by NFKC and hold no bracket, space or colon, so only ASCII is lowered. (A
        // 10,000-household import calls this for every cell and every code-list name it compares.)
        if !s.isEmpty, s.unicodeScalars.allSatisfy({ c in
            let v = c.value
            return (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) || (0x4E00...0x9FFF).contains(v)
        }) {
            return s.lowercased()
        }
        var out = ""
        var depth = 0
        // Round and square brackets (full-width ones become these under NFKC), and the lenticular
        // brackets U+3010 and U+3011.
        for ch in s.precomposedStringWithCompatibilityMapping {
            if ch == "(" || ch == "[" || ch == "\u{3010}" { depth += 1; continue }
            if ch == ")" || ch == "]" || ch == "\u{3011}" { depth = max(0, depth - 1); continue }
            if depth > 0 || ch.isWhitespace || ch == "*" || ch == ":" { continue }
            out.append(ch)
        }
        // A header that is nothing but a remark ("(元)") keeps its words.
        if out.isEmpty && !s.isEmpty {
            return s.filter { !$0.isWhitespace && !"()[]\u{3010}\u{3011}".contains($0) }.lowercased()
        }
        return out.lowercased()
    }

    public func field(forHeader h: String) -> LedgerField? { bySynonym[Self.normal(h)] }

    public func value(_ kind: String, _ text: String) -> String? { values[kind]?[Self.normal(text)] }

    func words(_ kind: String) -> [String] { Array(values[kind]?.keys ?? [:].keys) }

    /// A header of a repeated member column ("成员2身份证号", "家庭成员3姓名"): the member's
    /// number and the field.
    func memberColumn(_ h: String) -> (Int, LedgerField)? {
        let n = Self.normal(h)
        let digits = n.filter { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 2, let k = Int(digits) else { return nil }
        var rest = n.filter { !($0.isASCII && $0.isNumber) }
        for p in words("member").sorted(by: { $0.count > $1.count }) where rest.hasPrefix(p) {
            rest.removeFirst(p.count); break
        }
        guard let f = bySynonym[rest], LedgerField.memberFields.contains(f) else { return nil }
        return (k, f)
    }

    /// Whether a row is a totals row (合计, 总计 …): any cell that is, or begins with, one of the words.
    func isTotals(_ row: [String]) -> Bool {
        let w = words("total")
        return row.contains { cell in
            let n = Self.normal(cell)
            return !n.isEmpty && w.contains { n == $0 || (n.hasPrefix($0) && n.count <= $0.count + 2) }
        }
    }
}

/// A problem in one of the import vocabulary files.
public struct LedgerFileError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int?
    public var problem: String
    public var description: String { "data/\(file)" + (line.map { " line \($0)" } ?? "") + ": \(problem)" }
}

/// Which column means what in one sheet: found from the header rows, or from a saved profile.
public struct LedgerMapping: Codable, Sendable, Equatable {
    /// The header rows (0-based, inclusive): one, or two when a merged header has a second line.
    public var headerFirst: Int
    public var headerLast: Int
    /// Column → field.
    public var fields: [Int: LedgerField]
    /// Column → (member number, field) for repeated member columns.
    public var members: [Int: MemberColumn]
    /// Column → its header as written.
    public var headers: [Int: String]

    public struct MemberColumn: Codable, Sendable, Equatable { public var number: Int; public var field: LedgerField }

    public func column(_ f: LedgerField) -> Int? { fields.first { $0.value == f }?.key }
    public var matched: Set<LedgerField> { Set(fields.values).subtracting([.ignore]) }

    /// Excel's letter of a column ("A", "AB").
    public static func letter(_ c: Int) -> String {
        var n = c + 1
        var s = ""
        while n > 0 { let r = (n - 1) % 26; s = String(UnicodeScalar(UInt8(65 + r))) + s; n = (n - 1) / 26 }
        return s
    }
}

/// A saved mapping for an office's own headers ("救助证号" ignored, "低保金" the monthly amount …),
/// used before the synonyms next time.
public struct LedgerProfile: Codable, Sendable, Equatable {
    public var name: String
    /// Normalised header → field.
    public var headers: [String: LedgerField]
    /// The programme of a ledger with no programme column (a 农村低保 花名册): its rows with an
    /// amount are cases of this programme.
    public var programme: Programme?
    public init(name: String, headers: [String: LedgerField], programme: Programme? = nil) {
        self.name = name; self.headers = headers; self.programme = programme
    }
}

public enum LedgerHeader {
    /// The header of `grid` (its first 30 rows looked at): the row matching the most fields,
    /// combined with the next row when a merged header goes on over two lines. Nil when no row
    /// names at least a name and an ID number column.
    public static func find(_ rows: [[String]], vocabulary v: LedgerVocabulary, profile: LedgerProfile?) -> LedgerMapping? {
        func map(_ row: [String]) -> ([Int: LedgerField], [Int: LedgerMapping.MemberColumn]) {
            var f: [Int: LedgerField] = [:], m: [Int: LedgerMapping.MemberColumn] = [:]
            var used = Set<LedgerField>()
            for (c, h) in row.enumerated() where !h.isEmpty {
                if let p = profile?.headers[LedgerVocabulary.normal(h)] { if p == .ignore || !used.contains(p) { f[c] = p; used.insert(p) }; continue }
                if let field = v.field(forHeader: h), !used.contains(field) { f[c] = field; used.insert(field); continue }
                if let (n, field) = v.memberColumn(h) { m[c] = .init(number: n, field: field) }
            }
            return (f, m)
        }
        func score(_ f: [Int: LedgerField], _ m: [Int: LedgerMapping.MemberColumn]) -> Int {
            Set(f.values).subtracting([.ignore]).count + (m.isEmpty ? 0 : 1)
        }
        func usable(_ f: [Int: LedgerField]) -> Bool {
            let s = Set(f.values)
            return (s.contains(.name) || s.contains(.headName)) && (s.contains(.idNumber) || s.contains(.headID))
        }
        struct Candidate { var score: Int; var first: Int; var last: Int; var fields: [Int: LedgerField]; var members: [Int: LedgerMapping.MemberColumn] }
        var best: Candidate?
        for i in 0..<min(rows.count, 30) {
            let (f, m) = map(rows[i])
            var c = Candidate(score: score(f, m), first: i, last: i, fields: f, members: m)
            if i + 1 < rows.count {
                // A second header line: its matches win in the columns where it names a field,
                // each field kept once (the lower line's column first).
                let (f2, m2) = map(rows[i + 1])
                if score(f2, m2) >= 2 {
                    var merged = f
                    for (col, x) in f2 { merged[col] = x }
                    var seen = Set<LedgerField>()
                    for col in merged.keys.sorted(by: { (f2[$0] != nil ? 0 : 1, $0) < (f2[$1] != nil ? 0 : 1, $1) }) {
                        if let x = merged[col], x != .ignore { if seen.contains(x) { merged[col] = nil } else { seen.insert(x) } }
                    }
                    let mm = m.merging(m2) { _, b in b }
                    let s2 = score(merged, mm)
                    if s2 > c.score && s2 > score(f2, m2) { c = Candidate(score: s2, first: i, last: i + 1, fields: merged, members: mm) }
                }
            }
            guard usable(c.fields) else { continue }
            if best == nil || c.score > best!.score { best = c }
        }
        guard let b = best else { return nil }
        var headers: [Int: String] = [:]
        for col in Set(b.fields.keys).union(b.members.keys) {
            let upper = rows[b.first].indices.contains(col) ? rows[b.first][col] : ""
            let lower = b.last > b.first && rows[b.last].indices.contains(col) ? rows[b.last][col] : ""
            headers[col] = lower.isEmpty ? upper : (upper.isEmpty || upper == lower ? lower : upper + "/" + lower)
        }
        return LedgerMapping(headerFirst: b.first, headerLast: b.last, fields: b.fields, members: b.members, headers: headers)
    }
}
