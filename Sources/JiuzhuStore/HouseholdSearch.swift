import Foundation
import GRDB
import JiuzhuModel

/// What the household browser asks for: a search text and a sort.
public struct HouseholdQuery: Equatable, Sendable {
    public enum Sort: String, CaseIterable, Sendable { case name, village, members, programmes }
    public var text: String
    public var sort: Sort
    public var descending: Bool
    public init(text: String = "", sort: Sort = .name, descending: Bool = false) {
        self.text = text; self.sort = sort; self.descending = descending
    }
}

/// One line of the household list.
public struct HouseholdRow: Equatable, Sendable {
    public var id: Int64
    public var headName: String
    public var maskedID: String
    public var villageCode: String
    public var village: String
    public var memberCount: Int
    public var programmes: String
    /// The sort columns' values, for keyset paging.
    public var headPinyin: String

    public init(id: Int64, headName: String, maskedID: String, villageCode: String, village: String, memberCount: Int,
                programmes: String, headPinyin: String) {
        self.id = id; self.headName = headName; self.maskedID = maskedID; self.villageCode = villageCode
        self.village = village; self.memberCount = memberCount; self.programmes = programmes; self.headPinyin = headPinyin
    }
}

/// Where a page starts: after (or before) a known row, or at either end.
public enum PageAnchor: Equatable, Sendable {
    case first, last
    case after(HouseholdRow), before(HouseholdRow)
    /// Starting at this row itself (used to refill the screen after a resize).
    case from(HouseholdRow)
}

/// How a search text is read: digits are ID fragments (prefix or last digits), Latin letters
/// pinyin (initials or full), anything else a name (or given name) prefix or a village name.
public enum SearchText: Equatable, Sendable {
    case none
    case idFragment(String)
    case pinyin(String)
    case name(String)

    public init(_ raw: String) {
        let t = raw.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { self = .none; return }
        if t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "x" || $0 == "X") }) && t.first!.isNumber {
            self = .idFragment(t.uppercased())
        } else if t.allSatisfy({ $0.isASCII && $0.isLetter }) {
            self = .pinyin(t.lowercased())
        } else {
            self = .name(t)
        }
    }

    /// The key ranges in `search_key` this text matches.
    var keyPrefixes: [String] {
        switch self {
        case .none: return []
        case .idFragment(let d): return [d, "~" + String(d.reversed())]
        case .pinyin(let p): return [p]
        case .name(let n): return [n]
        }
    }
}

/// Upper bound of a prefix range: every string that starts with `p` sorts below it.
func prefixEnd(_ p: String) -> String { p + "\u{10FFFF}" }

extension Store {
    /// Households whose members match the text: a bounded count of matching search keys decides
    /// the plan. Few matches: collect their households and sort them (cheap, the set is small).
    /// Many matches: walk the sort index and test each household's members (the first page is
    /// found after a few hundred rows). Either way the first page costs about the same as the
    /// bare query, never a scan of every row.
    public static let planThreshold = 4000
    /// The household browser's own threshold, lower: its walk reads the search signature from
    /// the sort index (a few hundred thousand entries a second), while collecting the matches
    /// reads each household's row at random (about 7 µs each at 100,000 with a cold page cache:
    /// 1,800 keys for "zs" cost 12–16 ms). At 1,000 keys a collection costs about 7 ms.
    public static let householdPlanThreshold = 1000

    struct Filter {
        var sql: String
        var arguments: StatementArguments
        /// Few matches: the clause names the matching households, so a query starts from them.
        var narrow = false
    }

    static func villageCodes(_ db: Database, matching text: String) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT code FROM region WHERE level IN ('village', 'community') AND instr(name, ?) > 0"),
                            arguments: [text])
    }

    /// The WHERE clause for a search text (empty when there is none). `householdColumn` and
    /// `villageColumn` name the household's id and village in the caller's query (the case
    /// browser reads them from the case, and needs no join to the household).
    /// `signatureColumn` names the household's `search_sig` when the caller walks the household
    /// table (nil in the case browser, which tests the members instead).
    static func householdFilter(_ db: Database, text: String, threshold: Int = planThreshold,
                                householdColumn: String = "h.id", villageColumn: String = "h.village_code",
                                signatureColumn: String? = "h.search_sig") throws -> Filter? {
        let parsed = SearchText(text)
        if parsed == .none { return nil }
        let prefixes = parsed.keyPrefixes
        var estimate = 0
        // No limit: the households the keys name are collected whatever their number (a count),
        // so how many there are does not matter.
        if threshold == .max {
            estimate = 1
        } else {
            for p in prefixes {
                // Cached statements: these run on every keystroke.
                estimate += try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM (SELECT 1 FROM search_key WHERE key >= ? AND key < ? LIMIT ?)"),
                                             arguments: [p, prefixEnd(p), threshold]) ?? 0
            }
        }
        var villages: [String] = []
        if case .name(let n) = parsed { villages = try villageCodes(db, matching: n) }
        if signatureColumn != nil && !villages.isEmpty && estimate < threshold {
            // A village's households count too: 李家 names 7 people but a village of 7,000
            // households, which were collected and sorted whole (8–16 ms at 100,000). The walk
            // reads the village from the sort index.
            var villageArgs: [(any DatabaseValueConvertible)?] = villages
            villageArgs.append(threshold)
            estimate += try Int.fetchOne(db.cachedStatement(sql: """
                SELECT count(*) FROM (SELECT 1 FROM household WHERE village_code IN (\(villages.map { _ in "?" }.joined(separator: ","))) LIMIT ?)
                """), arguments: StatementArguments(villageArgs)) ?? 0
        }
        var parts: [String] = []
        var args: [DatabaseValueConvertible?] = []
        if !villages.isEmpty {
            parts.append("\(villageColumn) IN (\(villages.map { _ in "?" }.joined(separator: ",")))")
            args += villages
        }
        if estimate < threshold {
            if let t = parsed.shortText {
                // One or two characters: the households that match, once each, already listed.
                parts.append("\(householdColumn) IN (SELECT household_id FROM search_hit WHERE t = ?)")
                args.append(t)
            } else if estimate > 0 {
                let union = prefixes.map { _ in "SELECT household_id FROM search_key WHERE key >= ? AND key < ?" }.joined(separator: " UNION ")
                parts.append("\(householdColumn) IN (\(union))")
                for p in prefixes { args += [p, prefixEnd(p)] }
            }
        } else {
            // Test the household's own members, row by row, in the order of the sort index.
            let members = memberTest(parsed, householdColumn: householdColumn)
            if let sig = signatureColumn {
                let test = signatureTest(prefixes, signature: { _ in (sig, 3) }, members: members)
                parts.append(test.sql)
                args += test.args
            } else {
                parts.append(members.sql)
                args += members.args
            }
        }
        if parts.isEmpty { return Filter(sql: "0", arguments: [], narrow: true) }
        return Filter(sql: "(" + parts.joined(separator: " OR ") + ")", arguments: StatementArguments(args), narrow: estimate < threshold)
    }

    /// Whether a household's members match the text, tested row by row (an index probe).
    static func memberTest(_ parsed: SearchText, householdColumn: String) -> (sql: String, args: [DatabaseValueConvertible?]) {
        var cond = "0"
        var args: [DatabaseValueConvertible?] = []
        switch parsed {
        case .pinyin(let p):
            cond = "(p.ini >= ? AND p.ini < ?) OR (p.py >= ? AND p.py < ?)"; args = [p, prefixEnd(p), p, prefixEnd(p)]
        case .idFragment(let d):
            cond = "(p.id_number >= ? AND p.id_number < ?) OR substr(p.id_number, -?) = ?"; args = [d, prefixEnd(d), d.count, d]
        case .name(let n):
            cond = "(p.name >= ? AND p.name < ?) OR (length(p.name) >= 3 AND substr(p.name, 2) >= ? AND substr(p.name, 2) < ?)"
            args = [n, prefixEnd(n), n, prefixEnd(n)]
        case .none: cond = "1"
        }
        return ("EXISTS (SELECT 1 FROM person p WHERE p.household_id = \(householdColumn) AND (\(cond)))", args)
    }

    /// Whether a household matches any of the key ranges `prefixes`, tested on a signature:
    /// `signature` names, for a range, the column that holds its kind of key and how many
    /// characters of a key that keeps (`search_sig`, read from the index being walked: every
    /// key cut to three; `id_sig`: an ID's first ten digits, a reversed ID's "~" and two), or
    /// nil when no signature holds it. A range no longer than the cut is answered by the
    /// signature alone; a longer one needs its cut as a key of the household, then `members`
    /// (the members tested); one no signature holds, the members alone. Each range on its own:
    /// "532" (an ID's first digits, every household of the county) is answered by the
    /// signature even though its other range, the reversed "~235", is longer (issue 26: 850 →
    /// 39 ms at 300,000 households).
    static func signatureTest(_ prefixes: [String], signature: (String) -> (column: String, cut: Int)?,
                              members: (sql: String, args: [DatabaseValueConvertible?])) -> (sql: String, args: [DatabaseValueConvertible?]) {
        var short: [String] = [], long: [String] = []
        var shortArgs: [DatabaseValueConvertible?] = [], longArgs: [DatabaseValueConvertible?] = []
        var membersOnly = false
        for p in prefixes {
            guard let (column, n) = signature(p) else { membersOnly = true; continue }
            let scalars = p.unicodeScalars
            let cut = String(String.UnicodeScalarView(scalars.prefix(n)))
            let arg = "\u{1}" + cut + (scalars.count >= n ? "\u{1}" : "")
            if scalars.count > n { long.append("instr(\(column), ?) > 0"); longArgs.append(arg) }
            else { short.append("instr(\(column), ?) > 0"); shortArgs.append(arg) }
        }
        var tests = short
        var args = shortArgs
        if membersOnly {
            // The members' test covers every range of the text.
            tests.append(members.sql)
            args += members.args
        } else if !long.isEmpty {
            tests.append("((" + long.joined(separator: " OR ") + ") AND \(members.sql))")
            args += longArgs + members.args
        }
        return ("(" + tests.joined(separator: " OR ") + ")", args)
    }

    /// A count of a text in two parts (issue 26), each key range of the text taking its own
    /// plan: the ranges with `limit(range)` keys or more are tested on every household's (or case's)
    /// signature in one pass (`wide`); the others, and the villages a name names, name their
    /// households (`narrow`), counted where the wide test does not hold. "532922195" (born in
    /// the 1950s, 80,000 households at 300,000) is one pass testing each ID signature once; its
    /// reversed range, which names none, is no second test of every household.
    /// `signature`: as in `signatureTest`. A text of one or two characters names its
    /// households from their stored hits (SearchCounts) and is never wide.
    struct CountPlan {
        var wide: String?
        var wideArgs = StatementArguments()
        var narrow: String?
        var narrowArgs = StatementArguments()
    }

    static func countPlan(_ db: Database, text: String, limit: (String) -> Int, householdColumn: String, villageColumn: String,
                          signature: (String) -> (column: String, cut: Int)?) throws -> CountPlan? {
        let parsed = SearchText(text)
        if parsed == .none { return nil }
        var plan = CountPlan()
        var parts: [String] = []
        if let t = parsed.shortText {
            parts.append("\(householdColumn) IN (SELECT household_id FROM search_hit WHERE t = ?)")
            plan.narrowArgs += [t]
        } else {
            var wide: [String] = [], narrow: [String] = []
            for p in parsed.keyPrefixes {
                let most = limit(p)
                // Never wide: the keys are not counted.
                if most == .max { narrow.append(p); continue }
                let keys = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM (SELECT 1 FROM search_key WHERE key >= ? AND key < ? LIMIT ?)"),
                                            arguments: [p, prefixEnd(p), most]) ?? 0
                if keys >= most { wide.append(p) } else if keys > 0 { narrow.append(p) }
            }
            if !wide.isEmpty {
                let test = signatureTest(wide, signature: signature, members: memberTest(parsed, householdColumn: householdColumn))
                plan.wide = test.sql
                plan.wideArgs = StatementArguments(test.args)
            }
            if !narrow.isEmpty {
                parts.append("\(householdColumn) IN (" + narrow.map { _ in "SELECT household_id FROM search_key WHERE key >= ? AND key < ?" }.joined(separator: " UNION ") + ")")
                for p in narrow { plan.narrowArgs += [p, prefixEnd(p)] }
            }
        }
        if case .name(let n) = parsed {
            let villages = try villageCodes(db, matching: n)
            if !villages.isEmpty {
                parts.append("\(villageColumn) IN (\(villages.map { _ in "?" }.joined(separator: ",")))")
                plan.narrowArgs += StatementArguments(villages)
            }
        }
        if !parts.isEmpty { plan.narrow = "(" + parts.joined(separator: " OR ") + ")" }
        return plan
    }

    /// Whether a key range is an ID's (its first digits, or "~" and its last ones reversed).
    static func isIDRange(_ p: String) -> Bool {
        guard let c = p.unicodeScalars.first else { return false }
        return c == "~" || (c.isASCII && c.properties.numericType != nil)
    }

    /// The signature of an ID range in a count (`id_sig`, migration v30): the first ten digits
    /// (the region code and the year of birth), or "~" and the last two; nil for any other
    /// range. "\u{1}" and a text no longer than the cut occur in `id_sig` exactly when a member's
    /// ID starts (or, reversed, ends) with it.
    static func idSignature(_ column: String) -> (String) -> (column: String, cut: Int)? {
        { p in isIDRange(p) ? (column, p.hasPrefix("~") ? 3 : 10) : nil }
    }

    static func sortColumns(_ s: HouseholdQuery.Sort) -> [String] {
        switch s {
        case .name: return ["h.head_py", "h.id"]
        case .village: return ["h.village_code", "h.head_py", "h.id"]
        case .members: return ["h.member_count", "h.head_py", "h.id"]
        case .programmes: return ["h.programmes", "h.head_py", "h.id"]
        }
    }

    static func sortValues(_ s: HouseholdQuery.Sort, _ r: HouseholdRow) -> [DatabaseValueConvertible] {
        switch s {
        case .name: return [r.headPinyin, r.id]
        case .village: return [r.villageCode, r.headPinyin, r.id]
        case .members: return [r.memberCount, r.headPinyin, r.id]
        case .programmes: return [r.programmes, r.headPinyin, r.id]
        }
    }

    /// One page of households, `limit` rows from `anchor` in the query's order, by keyset
    /// (never OFFSET, never every row). Rows come back in display order.
    public static func householdPage(_ db: Database, _ q: HouseholdQuery, anchor: PageAnchor, limit: Int,
                                     planThreshold threshold: Int = householdPlanThreshold) throws -> [HouseholdRow] {
        let filter = try householdFilter(db, text: q.text, threshold: threshold)
        let cols = sortColumns(q.sort)
        // Going backwards (a page before a row, or the last page) reads in reverse and flips.
        let backwards: Bool
        switch anchor { case .first, .after, .from: backwards = false; case .last, .before: backwards = true }
        let desc = q.descending != backwards
        var wheres: [String] = []
        var args = StatementArguments()
        if let f = filter { wheres.append(f.sql); args += f.arguments }
        switch anchor {
        case .after(let r), .before(let r), .from(let r):
            var op = desc ? "<" : ">"
            if case .from = anchor { op += "=" }
            wheres.append("(\(cols.joined(separator: ", "))) \(op) (\(cols.map { _ in "?" }.joined(separator: ", ")))")
            args += StatementArguments(sortValues(q.sort, r))
        case .first, .last: break
        }
        // CROSS JOIN: the household is read first, in the sort index's order. Left free, SQLite
        // 3.40 started from the region and sorted every household once the sort indexes carried
        // the search signature (a temp B-tree over 100,000 rows for a one-letter text).
        let sql = """
            SELECT h.id, h.head_name, h.head_id, h.village_code, r.name AS village, h.member_count, h.programmes, h.head_py
            FROM household h CROSS JOIN region r ON r.code = h.village_code
            \(wheres.isEmpty ? "" : "WHERE " + wheres.joined(separator: " AND "))
            ORDER BY \(cols.map { $0 + (desc ? " DESC" : "") }.joined(separator: ", "))
            LIMIT ?
            """
        args += [limit]
        // A cached statement (the text repeats with each keystroke of the same shape) and
        // columns read by position from the cursor's row, not copied rows looked up by name.
        let statement = try db.cachedStatement(sql: sql)
        var rows = try Array(Row.fetchCursor(statement, arguments: args).map {
            HouseholdRow(id: $0[0], headName: $0[1], maskedID: Masking.idNumber($0[2] as String),
                         villageCode: $0[3], village: $0[4], memberCount: $0[5],
                         programmes: $0[6], headPinyin: $0[7])
        })
        if backwards { rows.reverse() }
        return rows
    }

    /// How many households match (off the keystroke path). Two plans, chosen for each key range
    /// of the text by a bounded count of its keys (`countPlan`): few keys, count their distinct
    /// households; many (the county's ID prefix), test each household's signature — an ID
    /// range on `id_sig` (its own small index), any other on `search_sig` (read from a sort
    /// index) — which grows with the households, not with the keys (at 100,000 households "53"
    /// cost 180 ms of CPU as a distinct count of 294,000 keys and 13 ms as a signature scan;
    /// issue 26).
    /// `threshold`: the keys past which every range is tested on the signatures (nil: `idCountShare`).
    public static func householdCount(_ db: Database, text: String, threshold: Int? = nil) throws -> Int {
        let parsed = SearchText(text)
        if parsed == .none { return try Int.fetchOne(db, sql: "SELECT count(*) FROM household") ?? 0 }
        if let t = parsed.shortText {
            // One or two characters: the stored running figure (SearchCounts), plus the
            // households of the villages a name names that no key of theirs matched.
            var n = try Int.fetchOne(db.cachedStatement(sql: "SELECT households FROM search_total WHERE t = ?"), arguments: [t]) ?? 0
            if case .name(let name) = parsed {
                let villages = try villageCodes(db, matching: name)
                if !villages.isEmpty {
                    n += try Int.fetchOne(db, sql: """
                        SELECT count(*) FROM household h WHERE h.village_code IN (\(villages.map { _ in "?" }.joined(separator: ",")))
                        AND NOT EXISTS (SELECT 1 FROM search_hit s WHERE s.t = ? AND s.household_id = h.id)
                        """, arguments: StatementArguments(villages) + [t]) ?? 0
                }
            }
            return n
        }
        let households = try threshold == nil ? countPlanHouseholds(db) : 0
        let limit = { (p: String) in threshold ?? max(4000, households / (isIDRange(p) ? idCountShare : 2)) }
        let ids = idSignature("h.id_sig")
        if let plan = try countPlan(db, text: text, limit: limit, householdColumn: "h.id", villageColumn: "h.village_code",
                                    signature: { p in ids(p) ?? ("h.search_sig", 3) }), let wide = plan.wide {
            var n = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM household h WHERE \(wide)"), arguments: plan.wideArgs) ?? 0
            if let narrow = plan.narrow {
                n += try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM household h WHERE \(narrow) AND NOT \(wide)"),
                                      arguments: plan.narrowArgs + plan.wideArgs) ?? 0
            }
            return n
        }
        var args = StatementArguments()
        var parts: [String] = []
        for p in parsed.keyPrefixes {
            parts.append("SELECT household_id FROM search_key WHERE key >= ? AND key < ?"); args += [p, prefixEnd(p)]
        }
        if case .name(let n) = parsed {
            let villages = try villageCodes(db, matching: n)
            if !villages.isEmpty {
                parts.append("SELECT id AS household_id FROM household WHERE village_code IN (\(villages.map { _ in "?" }.joined(separator: ",")))")
                args += StatementArguments(villages)
            }
        }
        return try Int.fetchOne(db, sql: "SELECT count(DISTINCT household_id) FROM (\(parts.joined(separator: " UNION ALL ")))", arguments: args) ?? 0
    }

    /// How many households have members, for the counts' choice of plan: the stored figure of
    /// "~", the first character of every member's reversed ID (SearchCounts). Counting them is
    /// a pass over an index (10 ms at 300,000), and the highest id says nothing in a file of a
    /// county exchange, which numbers its rows in its township's block.
    static func countPlanHouseholds(_ db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT households FROM search_total WHERE t = '~'")) ?? 0
    }

    /// Where a count stops collecting the households of an ID range's keys and tests every
    /// household's or case's `id_sig` instead: a key per six households, at least 4,000.
    /// Measured at 300,000 households (issue 26): collecting costs about 0.5 µs a key for the
    /// household count and 1.1 µs with the cases' amounts; a pass over `household_by_id_sig`
    /// 25–40 ms, over `case_by_id_sig` 40–60 ms. Any other range (pinyin, a name) is tested on
    /// `search_sig` read from a sort index (60–150 ms at 300,000): a household count takes that
    /// past a key per two households; a case count never does (its cases' members would be
    /// tested one by one).
    static let idCountShare = 6

    /// Everything the read-only household card shows.
    public struct HouseholdCard: Sendable {
        public var household: Household
        public var village: String
        public var members: [Person]
        public var cases: [Case]
        /// Case id → why the decided amount differs from the computed one.
        public var overrides: [Int64: String] = [:]
        /// Case id → one-off amount decided (临时, 医疗, 受灾).
        public var onceAmounts: [Int64: Money] = [:]
    }

    public static func householdCard(_ db: Database, id: Int64) throws -> HouseholdCard? {
        guard let h = try household(db, id: id) else { return nil }
        let village = try String.fetchOne(db, sql: "SELECT name FROM region WHERE code = ?", arguments: [h.villageCode]) ?? h.villageCode
        var card = HouseholdCard(household: h, village: village, members: try members(db, householdId: id), cases: try cases(db, householdId: id))
        for r in try Row.fetchAll(db, sql: "SELECT id, override_reason, once_amount_fen FROM assistance_case WHERE household_id = ?", arguments: [id]) {
            if let why: String = r["override_reason"], !why.isEmpty { card.overrides[r["id"]] = why }
            if let fen: Int64 = r["once_amount_fen"] { card.onceAmounts[r["id"]] = Money(fen: fen) }
        }
        return card
    }
}

extension Store {
    public static func personCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM person") ?? 0
    }
}
