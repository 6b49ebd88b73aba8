import Foundation
import GRDB
import JiuzhuModel

/// What the case browser (对象查询) shows: filters that combine, a search text, a sort.
public struct CaseQuery: Equatable, Codable, Sendable {
    public enum Sort: String, CaseIterable, Codable, Sendable { case id, village, head, programme, step, since, amount }
    public var text = ""
    public var programme: Programme?
    public var village: String?
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
        programme != nil || village != nil || status != nil || urbanClass != nil || overdueOnly || minAmount != nil || maxAmount != nil
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
}

extension Store {
    /// The WHERE clause of a case query. Overdue is "waiting at a step with a time limit since
    /// before that limit's start" (working days from the holiday calendar), or a posting older
    /// than the publicity days.
    static func caseFilter(_ db: Database, _ q: CaseQuery, today: CivilDate, catalog: ProgrammeCatalog,
                           threshold: Int = planThreshold) throws -> (String, StatementArguments, narrow: Bool) {
        var parts: [String] = []
        var args = StatementArguments()
        if let p = q.programme { parts.append("c.programme = ?"); args += [p.rawValue] }
        if let v = q.village { parts.append("c.village_code = ?"); args += [v] }
        if let s = q.status { parts.append("c.status = ?"); args += [s.rawValue] }
        if let u = q.urbanClass { parts.append("c.urban_class = ?"); args += [u.rawValue] }
        if let m = q.minAmount { parts.append("c.monthly_amount_fen >= ?"); args += [m.fen] }
        if let m = q.maxAmount { parts.append("c.monthly_amount_fen <= ?"); args += [m.fen] }
        if let i = q.investigator, !i.isEmpty { parts.append("instr(c.investigators, ?) > 0"); args += [i] }
        if q.decidedFrom != nil || q.decidedTo != nil {
            parts.append("""
                EXISTS (SELECT 1 FROM case_step s WHERE s.case_id = c.id AND s.action = 'approve'
                        AND s.step IN ('county_approval', 'assessment') AND s.acted_on >= ? AND s.acted_on <= ?)
                """)
            args += [q.decidedFrom?.iso ?? "0000-00-00", q.decidedTo?.iso ?? "9999-99-99"]
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
                    args += [d.code, s.code, c.iso]
                }
            }
            parts.append("c.status = 'in_progress' AND (\(late.isEmpty ? "0" : late.joined(separator: " OR ")))")
        }
        // The household browser's plan: few matching search keys, start from those households'
        // cases (then sort the few); many, walk the case order and test each household's members.
        var narrow = false
        if let f = try householdFilter(db, text: q.text, threshold: threshold,
                                       householdColumn: "c.household_id", villageColumn: "c.village_code") {
            narrow = f.narrow
            parts.append(f.sql)
            args += f.arguments
        }
        return (parts.isEmpty ? "1" : parts.joined(separator: " AND "), args, narrow)
    }

    static func caseOrder(_ q: CaseQuery, narrow: Bool = false) -> String {
        let dir = q.descending ? "DESC" : "ASC"
        // "+": not by an index, so a narrow text's few cases are found first and then sorted.
        let plus = narrow ? "+" : ""
        switch q.sort {
        case .id: return "\(plus)c.id \(dir)"
        case .village: return "c.village_code \(dir), c.id"
        case .head: return "h.head_py \(dir), c.id"
        case .programme: return "c.programme \(dir), c.id"
        case .step: return "c.programme \(dir), c.step \(dir), c.id"
        case .since: return "c.step_since \(dir), c.id"
        case .amount: return "c.monthly_amount_fen \(dir), c.id"
        }
    }

    /// One screenful of cases from `offset`.
    public func casePage(_ q: CaseQuery, offset: Int, limit: Int, today: CivilDate, catalog: ProgrammeCatalog,
                         threshold: Int = Store.planThreshold) throws -> [CaseRow] {
        try read { db in try Store.casePage(db, q, offset: offset, limit: limit, today: today, catalog: catalog, threshold: threshold) }
    }

    public static func casePage(_ db: Database, _ q: CaseQuery, offset: Int, limit: Int, today: CivilDate, catalog: ProgrammeCatalog,
                                threshold: Int = Store.planThreshold) throws -> [CaseRow] {
        do {
            let (filter, args, narrow) = try Store.caseFilter(db, q, today: today, catalog: catalog, threshold: threshold)
            return try Row.fetchAll(db, sql: """
                SELECT c.id, c.programme, c.step, c.status, c.step_since, c.urban_class, c.monthly_amount_fen, c.investigators, c.approver,
                       h.head_name, h.head_id, r.name AS village
                FROM assistance_case c JOIN household h ON h.id = c.household_id LEFT JOIN region r ON r.code = c.village_code
                WHERE \(filter) ORDER BY \(Store.caseOrder(q, narrow: narrow)) LIMIT ? OFFSET ?
                """, arguments: args + [limit, offset]).map {
                CaseRow(id: $0["id"], programme: Programme(rawValue: $0["programme"]) ?? .ruralDibao, village: $0["village"] ?? "",
                        head: $0["head_name"], maskedID: Masking.idNumber($0["head_id"]), step: $0["step"],
                        status: CaseStatus(rawValue: $0["status"]) ?? .inProgress, stepSince: CivilDate(iso: $0["step_since"]) ?? today,
                        urbanClass: $0["urban_class"], monthly: ($0["monthly_amount_fen"] as Int64?).map(Money.init(fen:)),
                        investigators: $0["investigators"], approver: $0["approver"])
            }
        }
    }

    /// How many cases the query selects and the sum of their monthly amounts.
    public func caseSummary(_ q: CaseQuery, today: CivilDate, catalog: ProgrammeCatalog,
                            threshold: Int = Store.planThreshold) throws -> (count: Int, monthly: Money) {
        try read { db in
            let (filter, args, _) = try Store.caseFilter(db, q, today: today, catalog: catalog, threshold: threshold)
            let r = try Row.fetchOne(db, sql: "SELECT count(*) AS n, COALESCE(SUM(c.monthly_amount_fen), 0) AS s FROM assistance_case c JOIN household h ON h.id = c.household_id WHERE \(filter)",
                                     arguments: args)
            return (r?["n"] ?? 0, Money(fen: r?["s"] ?? 0))
        }
    }
}

extension Store {
    /// Keep a selection under a name (replacing one of the same name).
    public func saveFilter(_ q: CaseQuery, name: String, user: String) throws {
        let n = name.trimmingCharacters(in: .whitespaces)
        if n.isEmpty { throw StoreError.invalid("请给筛选起个名字 / give the filter a name") }
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

    public static let caseSelectionHeader = Text2(zh: "案件号,项目,村/社区,户主,身份证号,步骤/状态,到达本步,分类,月保障金,调查人,审批人",
                                                  en: "Case,Programme,Village,Head,ID number,Step/status,Since,Class,Monthly,Investigators,Approver")

    /// The selection as rows for export, in the browser's order (ID numbers masked), streamed.
    public func forEachCaseInSelection(_ q: CaseQuery, today: CivilDate, catalog: ProgrammeCatalog, _ body: (CaseRow) throws -> Void) throws {
        var offset = 0
        let chunk = 2000
        while true {
            let rows = try casePage(q, offset: offset, limit: chunk, today: today, catalog: catalog)
            for r in rows { try body(r) }
            if rows.count < chunk { return }
            offset += chunk
        }
    }
}
