import Foundation
import GRDB
import JiuzhuModel

/// What the case browser (对象查询) shows: filters that combine, a search text, a sort.
public struct CaseQuery: Equatable, Codable, Sendable {
    public enum Sort: String, CaseIterable, Codable, Sendable { case id, village, head, programme, step, since, amount }
    public var text = ""
    public var programme: Programme?
    public var village: String?
    /// A county file's township (its region code): the cases of its villages.
    public var township: String?
    public var status: CaseStatus?
    public var urbanClass: UrbanClass?
    public var overdueOnly = false
    public var minAmount: Money?
    public var maxAmount: Money?
    /// Part of an investigator's name.
    public var investigator: String?
    /// Approved (decided) between these dates, both included.
    public var decidedFrom: CivilDate?
    public var decidedTo: CivilDate?
    public var sort: Sort = .id
    public var descending = false
    public init() {}

    public var isFiltered: Bool {
        programme != nil || village != nil || township != nil || status != nil || urbanClass != nil || overdueOnly || minAmount != nil || maxAmount != nil
            || !(investigator ?? "").isEmpty || decidedFrom != nil || decidedTo != nil
    }
}

public struct CaseRow: Equatable, Sendable {
    public var id: Int64
    public var programme: Programme
    public var village: String
    public var head: String
    public var maskedID: String
    public var step: String
    public var status: CaseStatus
    public var stepSince: CivilDate
    public var urbanClass: String?
    public var monthly: Money?
    public var investigators: String
    public var approver: String
    /// The sort columns as stored, for keyset paging.
    public var villageCode = ""
    public var headPinyin = ""
    public var programmeCode = ""
    public var sinceText = ""
}

/// Where a page of cases starts: at either end, or after (before) a row already shown.
public enum CaseAnchor: Equatable, Sendable {
    case first, last
    case after(CaseRow), before(CaseRow)
}

extension Store {
    /// A case query's WHERE clause in two parts: the filters on the case itself (`base`) and the
    /// search text (`text`), so the plan can be chosen from how many cases the filters leave.
    struct CaseFilter {
        var base: [String] = []
        var baseArgs = StatementArguments()
        /// A decision-date range holding many approvals, tested case by case: left out of the
        /// bounded count (it cannot make the selection few).
        var wide: String?
        var wideArgs = StatementArguments()
        var text: String?
        var textArgs = StatementArguments()
        /// The search text matches few households: the clause names them.
        var narrow = false
        var sql: String { (base + [wide, text].compactMap { $0 }).joined(separator: " AND ").nonEmpty ?? "1" }
        var arguments: StatementArguments { baseArgs + wideArgs + textArgs }
    }

    /// The WHERE clause of a case query. Overdue is "waiting at a step with a time limit since
    /// before that limit's start" (working days from the holiday calendar), or a posting older
    /// than the publicity days. `indexed: false` writes the village, class and amount as `+c.x`,
    /// so SQLite cannot start from their indexes and walks the sort order instead; programme and
    /// status stay plain, as the sort indexes lead with them (unless the sort is by village).
    /// A page (`forPage`) tests a decision-date range holding `wideDecisions` approvals or more
    /// case by case, as it walks; otherwise (and for the count) the range's approvals are read
    /// from their index.
    static func caseFilter(_ db: Database, _ q: CaseQuery, today: CivilDate, catalog: ProgrammeCatalog,
                           threshold: Int = planThreshold, indexed: Bool = true, forPage: Bool = false,
                           wideDecisions: Int = caseCollectThreshold) throws -> CaseFilter {
        var f = CaseFilter()
        let x = indexed ? "" : "+"
        if let p = q.programme { f.base.append("c.programme = ?"); f.baseArgs += [p.rawValue] }
        if let v = q.village { f.base.append("\(q.sort == .village ? "" : x)c.village_code = ?"); f.baseArgs += [v] }
        // A township is a range of village codes: the village indexes serve it as they serve a
        // village. The file-wide running figures (SearchCounts) do not split by township: with a
        // township the count is counted (`caseSummary`).
        if let t = q.township {
            let r = townshipRange(t)
            f.base.append("\(q.sort == .village ? "" : x)c.village_code BETWEEN ? AND ?"); f.baseArgs += [r.lower, r.upper]
            // A page also bounds the ids by the township's lowest and highest (a seek per
            // village): a county file's ids are in blocks by township, so a walk in id order
            // starts at the township's block instead of crossing the others'.
            // Sorted otherwise, the bound is a test ("+"): as a range it would tempt SQLite away
            // from the sort's index into reading and sorting the whole range (50 ms by head).
            if forPage, let ids = try townshipCaseIds(db, r) {
                f.base.append("\(q.sort == .id ? "" : "+")c.id BETWEEN ? AND ?"); f.baseArgs += [ids.lowest, ids.highest]
            }
        }
        if let s = q.status { f.base.append("c.status = ?"); f.baseArgs += [s.rawValue] }
        if let u = q.urbanClass { f.base.append("\(x)c.urban_class = ?"); f.baseArgs += [u.rawValue] }
        if let m = q.minAmount { f.base.append("\(x)c.monthly_amount_fen >= ?"); f.baseArgs += [m.fen] }
        if let m = q.maxAmount { f.base.append("\(x)c.monthly_amount_fen <= ?"); f.baseArgs += [m.fen] }
        if let i = q.investigator, !i.isEmpty { f.base.append("instr(c.investigators, ?) > 0"); f.baseArgs += [i] }
        if q.decidedFrom != nil || q.decidedTo != nil {
            let range: StatementArguments = [q.decidedFrom?.iso ?? "0000-00-00", q.decidedTo?.iso ?? "9999-99-99"]
            let approvals = "s.action = 'approve' AND s.step IN ('county_approval', 'township_confirmation', 'assessment') AND s.acted_on >= ? AND s.acted_on <= ?"
            // Many approvals in the range: collecting them costs 30 ms at 100,000 households,
            // while a walk finds a screenful after testing a few dozen cases' steps.
            var many = false
            if forPage {
                let n = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM case_step s WHERE \(approvals) LIMIT ?)",
                                         arguments: range + [wideDecisions]) ?? 0
                many = n >= wideDecisions
            }
            if many {
                f.wide = "EXISTS (SELECT 1 FROM case_step s WHERE s.case_id = c.id AND \(approvals))"
                f.wideArgs = range
            } else {
                // The approvals in the range, from their own index, rather than each case's steps.
                f.base.append("c.id IN (SELECT s.case_id FROM case_step s WHERE \(approvals))")
                f.baseArgs += range
            }
        }
        if q.overdueOnly {
            // Settings and the holiday calendar are read only when they matter.
            let settings = try Store.workflowSettings(db, catalog: catalog)
            var late: [String] = []
            for d in settings.catalog.programmes {
                for s in d.steps {
                    var cutoff: CivilDate?
                    if let l = s.limitWorkingDays, l > 0 { cutoff = settings.calendar.adding(workingDays: -l, to: today) }
                    else if s.isPublicity { cutoff = today.adding(days: -settings.publicityDays) }
                    guard let c = cutoff else { continue }
                    late.append("(c.programme = ? AND c.step = ? AND c.step_since < ?)")
                    f.baseArgs += [d.code, s.code, c.iso]
                }
            }
            f.base.append("c.status = 'in_progress' AND (\(late.isEmpty ? "0" : late.joined(separator: " OR ")))")
        }
        // The household browser's plan: few matching search keys, start from those households'
        // cases (then sort the few); many, walk the case order and test each household's members.
        // Both name the household by the case's own column: no join, so no Bloom filter built
        // over every household before the first row (that cost 20–40 ms at 100,000).
        if let t = try householdFilter(db, text: q.text, threshold: threshold,
                                       householdColumn: "c.household_id", villageColumn: "c.village_code",
                                       signatureColumn: nil) {
            f.narrow = t.narrow
            f.text = t.sql
            f.textArgs = t.arguments
        }
        return f
    }

    /// The lowest and highest case id in a township's villages, one index seek each per
    /// village; nil when it has no case.
    static func townshipCaseIds(_ db: Database, _ r: (lower: String, upper: String)) throws -> (lowest: Int64, highest: Int64)? {
        let villages = try String.fetchAll(db.cachedStatement(sql: "SELECT code FROM region WHERE code BETWEEN ? AND ?"), arguments: [r.lower, r.upper])
        let low = try db.cachedStatement(sql: "SELECT min(id) FROM assistance_case WHERE village_code = ?")
        let high = try db.cachedStatement(sql: "SELECT max(id) FROM assistance_case WHERE village_code = ?")
        var out: (lowest: Int64, highest: Int64)?
        for v in villages {
            guard let l = try Int64.fetchOne(low, arguments: [v]), let h = try Int64.fetchOne(high, arguments: [v]) else { continue }
            out = (min(out?.lowest ?? l, l), max(out?.highest ?? h, h))
        }
        return out
    }

    /// The sort's columns, ending with the case id so the order is total (keyset paging needs
    /// that). A case without a monthly amount sorts as -1, before every amount, as NULL did.
    static func caseSortColumns(_ s: CaseQuery.Sort) -> [String] {
        switch s {
        case .id: return ["c.id"]
        case .village: return ["c.village_code", "c.id"]
        case .head: return ["c.head_py", "c.id"]
        case .programme: return ["c.programme", "c.id"]
        case .step: return ["c.programme", "c.step", "c.id"]
        case .since: return ["c.step_since", "c.id"]
        case .amount: return ["ifnull(c.monthly_amount_fen, -1)", "c.id"]
        }
    }

    static func caseSortValues(_ s: CaseQuery.Sort, _ r: CaseRow) -> [DatabaseValueConvertible] {
        switch s {
        case .id: return [r.id]
        case .village: return [r.villageCode, r.id]
        case .head: return [r.headPinyin, r.id]
        case .programme: return [r.programmeCode, r.id]
        case .step: return [r.programmeCode, r.step, r.id]
        case .since: return [r.sinceText, r.id]
        case .amount: return [r.monthly?.fen ?? -1, r.id]
        }
    }

    /// How many cases the filters on the case itself may leave before the page is found by
    /// walking the sort order rather than by collecting the matches and sorting them.
    public static let caseCollectThreshold = 4000

    /// The statement of one page of cases, `limit` rows from `anchor` in the query's order.
    /// The plan is chosen as in the household browser: a search text naming few households, or
    /// filters leaving fewer than `caseCollectThreshold` cases (a bounded count says), collect
    /// the matches and sort them; otherwise walk the sort's index and test each case, which
    /// finds a screenful after a few hundred rows. Keyset, never OFFSET.
    static func casePageStatement(_ db: Database, _ q: CaseQuery, anchor: CaseAnchor, limit: Int, today: CivilDate,
                                  catalog: ProgrammeCatalog, threshold: Int, collectThreshold: Int) throws -> (String, StatementArguments) {
        var collect = false
        var f = try caseFilter(db, q, today: today, catalog: catalog, threshold: threshold, forPage: true, wideDecisions: collectThreshold)
        if f.narrow {
            collect = true
        } else if !f.base.isEmpty {
            let few = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM (SELECT 1 FROM assistance_case c WHERE \(f.base.joined(separator: " AND ")) LIMIT ?)"),
                                       arguments: f.baseArgs + [collectThreshold]) ?? 0
            collect = few < collectThreshold
            if !collect {
                f = try caseFilter(db, q, today: today, catalog: catalog, threshold: threshold, indexed: false, forPage: true,
                                   wideDecisions: collectThreshold)
            }
        }
        let cols = caseSortColumns(q.sort)
        let backwards: Bool
        switch anchor { case .first, .after: backwards = false; case .last, .before: backwards = true }
        let desc = q.descending != backwards
        var wheres = [f.sql]
        var args = f.arguments
        switch anchor {
        case .after(let r), .before(let r):
            let values = caseSortValues(q.sort, r)
            let op = desc ? "<" : ">"
            if cols.count == 1 {
                wheres.append("\(cols[0]) \(op) ?")
            } else {
                // The leading column as a plain range too: SQLite does not take a row value over
                // an expression (the amount's ifnull) as a range on its index.
                wheres.append("\(cols[0]) \(op)= ? AND (\(cols.joined(separator: ", "))) \(op) (\(cols.map { _ in "?" }.joined(separator: ", ")))")
                args += [values[0]]
            }
            args += StatementArguments(values)
        case .first, .last: break
        }
        // "+": not by an index, so the few matches are found first and then sorted.
        let order = cols.map { (collect ? "+" : "") + $0 + (desc ? " DESC" : "") }.joined(separator: ", ")
        let outer = cols.map { $0 + (desc ? " DESC" : "") }.joined(separator: ", ")
        args += [limit]
        // The page's ids first, on the case table alone; then the household and village of
        // those few rows only.
        let sql = """
            SELECT c.id, c.programme, c.step, c.status, c.step_since, c.urban_class, c.monthly_amount_fen, c.investigators, c.approver,
                   c.village_code, c.head_py, h.head_name, h.head_id, r.name AS village
            FROM (SELECT c.id FROM assistance_case c WHERE \(wheres.joined(separator: " AND ")) ORDER BY \(order) LIMIT ?) AS page
            JOIN assistance_case c ON c.id = page.id
            LEFT JOIN household h ON h.id = c.household_id LEFT JOIN region r ON r.code = c.village_code
            ORDER BY \(outer)
            """
        return (sql, args)
    }

    /// One page of cases from `anchor`, in display order.
    public static func casePage(_ db: Database, _ q: CaseQuery, anchor: CaseAnchor = .first, limit: Int, today: CivilDate,
                                catalog: ProgrammeCatalog, threshold: Int = planThreshold,
                                collectThreshold: Int = caseCollectThreshold) throws -> [CaseRow] {
        let (sql, args) = try casePageStatement(db, q, anchor: anchor, limit: limit, today: today, catalog: catalog, threshold: threshold,
                                                collectThreshold: collectThreshold)
        // Columns by position (the SELECT above): c.id 0, programme 1, step 2, status 3,
        // step_since 4, urban_class 5, monthly_amount_fen 6, investigators 7, approver 8,
        // village_code 9, head_py 10, head_name 11, head_id 12, village 13.
        let statement = try db.cachedStatement(sql: sql)
        var rows = try Array(Row.fetchCursor(statement, arguments: args).map { r -> CaseRow in
            let programme: String = r[1], since: String = r[4]
            return CaseRow(id: r[0], programme: Programme(rawValue: programme) ?? .ruralDibao, village: r[13] ?? "",
                           head: r[11] ?? "", maskedID: Masking.idNumber(r[12] ?? ""), step: r[2],
                           status: CaseStatus(rawValue: r[3]) ?? .inProgress, stepSince: CivilDate(iso: since) ?? today,
                           urbanClass: r[5], monthly: (r[6] as Int64?).map(Money.init(fen:)),
                           investigators: r[7], approver: r[8],
                           villageCode: r[9], headPinyin: r[10], programmeCode: programme, sinceText: since)
        })
        switch anchor { case .last, .before: rows.reverse(); case .first, .after: break }
        return rows
    }

    public func casePage(_ q: CaseQuery, anchor: CaseAnchor = .first, limit: Int, today: CivilDate, catalog: ProgrammeCatalog,
                         threshold: Int = Store.planThreshold) throws -> [CaseRow] {
        try read { db in try Store.casePage(db, q, anchor: anchor, limit: limit, today: today, catalog: catalog, threshold: threshold) }
    }

    /// How many cases the query selects and the sum of their monthly amounts. Two plans, as for
    /// the household count, chosen for each key range by a bounded count of its keys
    /// (`threshold`; nil: `idCountShare`): few, collect the households they name and take
    /// their cases from the case's household index, which grows with the keys; many (the
    /// county's ID prefix), one pass over `case_by_id_sig` testing each case's copy of its
    /// household's ID signature, which grows with the cases. Collecting every
    /// household was 1.2 s for "532" at 300,000 households; testing each case's members, 277 ms
    /// (issue 26).
    public func caseSummary(_ q: CaseQuery, today: CivilDate, catalog: ProgrammeCatalog,
                            threshold: Int? = nil) throws -> (count: Int, monthly: Money) {
        try read { db in try Store.caseSummary(db, q, today: today, catalog: catalog, threshold: threshold) }
    }

    public static func caseSummary(_ db: Database, _ q: CaseQuery, today: CivilDate, catalog: ProgrammeCatalog,
                                   threshold: Int? = nil) throws -> (count: Int, monthly: Money) {
        let parsed = SearchText(q.text)
        var unfiltered = q
        unfiltered.township = nil
        if !unfiltered.isFiltered, let t = parsed.shortText {
            // One or two characters and no filter: the stored running figures (SearchCounts),
            // plus the cases in the villages a name names whose household no key matched.
            // A county file's township: the file-wide figure does not split by township, so
            // its cases are counted from the village index, each household tested in the
            // stored hits of the text (the same households the figure counts): ~11,000 index
            // probes for a township of 10,000 households, whatever the county's size.
            var n = 0
            var fen: Int64 = 0
            var inTownship: (lower: String, upper: String)?
            if let town = q.township {
                let range = townshipRange(town)
                inTownship = range
                let r = try Row.fetchOne(db.cachedStatement(sql: """
                    SELECT count(*), ifnull(sum(c.monthly_amount_fen), 0) FROM assistance_case c
                    WHERE c.village_code BETWEEN ? AND ?
                      AND EXISTS (SELECT 1 FROM search_hit s WHERE s.t = ? AND s.household_id = c.household_id)
                    """), arguments: [range.lower, range.upper, t])
                n = r?[0] ?? 0; fen = r?[1] ?? 0
            } else {
                let r = try Row.fetchOne(db.cachedStatement(sql: "SELECT cases, monthly_fen FROM search_total WHERE t = ?"), arguments: [t])
                n = r?[0] ?? 0; fen = r?[1] ?? 0
            }
            if case .name(let name) = parsed {
                let villages = try villageCodes(db, matching: name).filter { v in inTownship.map { v >= $0.lower && v <= $0.upper } ?? true }
                if !villages.isEmpty, let v = try Row.fetchOne(db, sql: """
                    SELECT count(*), ifnull(sum(c.monthly_amount_fen), 0) FROM assistance_case c
                    WHERE c.village_code IN (\(villages.map { _ in "?" }.joined(separator: ",")))
                    AND NOT EXISTS (SELECT 1 FROM search_hit s WHERE s.t = ? AND s.household_id = c.household_id)
                    """, arguments: StatementArguments(villages) + [t]) {
                    n += v[0]; fen += v[1]
                }
            }
            return (n, Money(fen: fen))
        }
        let households = try threshold == nil ? countPlanHouseholds(db) : 0
        let limit = { (p: String) in threshold ?? (isIDRange(p) ? max(4000, households / idCountShare) : .max) }
        func summary(_ f: CaseFilter, _ more: String = "", _ moreArgs: StatementArguments = []) throws -> (Int, Int64) {
            let r = try Row.fetchOne(db, sql: "SELECT count(*), COALESCE(SUM(c.monthly_amount_fen), 0) FROM assistance_case c WHERE \(f.sql)\(more)",
                                     arguments: f.arguments + moreArgs)
            return (r?[0] ?? 0, r?[1] ?? 0)
        }
        var bare = q
        bare.text = ""
        let base = try Store.caseFilter(db, bare, today: today, catalog: catalog)
        // An ID range with many keys: its cases are those whose household's ID signature (the
        // case's copy) passes, in one pass over `case_by_id_sig`; the households the other
        // ranges name (their keys, or their stored hits for a short text) add their cases that
        // did not pass (`countPlan`). A wide range of another kind (a file too small for a
        // limit to matter, or a test) has each case's members tested.
        guard let plan = try countPlan(db, text: q.text, limit: limit, householdColumn: "c.household_id", villageColumn: "c.village_code",
                                       signature: idSignature("c.id_sig")) else {
            let (n, fen) = try summary(base)
            return (n, Money(fen: fen))
        }
        var n = 0
        var fen: Int64 = 0
        if let wide = plan.wide {
            (n, fen) = try summary(base, " AND \(wide)", plan.wideArgs)
        }
        if let narrow = plan.narrow {
            let (m, more) = plan.wide.map { wide in (" AND \(narrow) AND NOT \(wide)", plan.narrowArgs + plan.wideArgs) }
                ?? (" AND \(narrow)", plan.narrowArgs)
            let (k, add) = try summary(base, m, more)
            n += k; fen += add
        }
        return (n, Money(fen: fen))
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}

extension Store {
    /// Keep a selection under a name (replacing one of the same name).
    public func saveFilter(_ q: CaseQuery, name: String, user: String) throws {
        let n = name.trimmingCharacters(in: .whitespaces)
        if n.isEmpty { throw StoreError.said("store.caseBrowser.giveTheFilterA") }
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let json = String(decoding: try enc.encode(q), as: UTF8.self)
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO saved_filter(user, name, query, saved_at) VALUES (?, ?, ?, ?)",
                           arguments: [user, n, json, Timestamp.now()])
        }
    }

    public func savedFilters(user: String) throws -> [(name: String, query: CaseQuery)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT name, query FROM saved_filter WHERE user = ? ORDER BY name", arguments: [user]).compactMap { r in
                guard let q = try? JSONDecoder().decode(CaseQuery.self, from: Data((r["query"] as String).utf8)) else { return nil }
                return (r["name"], q)
            }
        }
    }

    public static var caseSelectionHeader: Text2 { sayBoth("store.caseBrowser.header") }

    /// The selection as rows for export, in the browser's order (ID numbers masked), streamed.
    public func forEachCaseInSelection(_ q: CaseQuery, today: CivilDate, catalog: ProgrammeCatalog, _ body: (CaseRow) throws -> Void) throws {
        var anchor = CaseAnchor.first
        let chunk = 2000
        while true {
            let rows = try casePage(q, anchor: anchor, limit: chunk, today: today, catalog: catalog)
            for r in rows { try body(r) }
            guard rows.count == chunk, let last = rows.last else { return }
            anchor = .after(last)
        }
    }
}
