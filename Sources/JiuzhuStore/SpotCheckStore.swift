import Foundation
import GRDB
import JiuzhuModel

/// One village's line of a draw.
public struct SpotCheckVillage: Equatable, Sendable {
    public var code: String
    public var name: String
    public var population: Int
    public var sampled: Int
}

/// One sampled case as a draw shows it: no ID number, only the case, the head and the village.
public struct SpotCheckLine: Equatable, Sendable {
    public var caseId: Int64
    public var villageCode: String
    public var villageName: String
    public var headName: String
}

/// What a draw did (or, on a dry run, would do).
public struct SpotCheckDrawResult: Equatable, Sendable {
    /// Nil on a dry run.
    public var drawId: Int64?
    public var programme: Programme
    public var period: String
    public var percent: Int
    public var seed: UInt64
    public var villages: [SpotCheckVillage]
    public var lines: [SpotCheckLine]
    /// Set when the percentage is below the setting `spotcheck_percent` (the county's minimum).
    public var warning: Text2?
    public var population: Int { villages.reduce(0) { $0 + $1.population } }
    public var sampledIds: [Int64] { lines.map(\.caseId) }
}

/// A draw as kept.
public struct SpotCheckDraw: Equatable, Sendable {
    public var id: Int64
    public var programme: Programme
    public var period: String
    public var percent: Int
    public var seed: UInt64
    public var drawnBy: String
    public var drawnAt: String
    public var population: Int
    public var sampled: Int
    /// Sampled cases visited so far.
    public var visited: Int
}

/// One sampled case and what its visit found.
public struct SpotCheckRecord: Equatable, Sendable {
    public var id: Int64
    public var drawId: Int64
    public var caseId: Int64
    public var villageCode: String
    public var villageName: String
    public var headName: String
    public var visitedOn: CivilDate?
    public var visitedBy: String?
    /// The check form as JSON.
    public var findings: String?
    public var discrepancy: Bool?
    public var proposedAction: SpotCheckAction?
    public var recordedAt: String?
    /// The follow-up a discrepancy opened: waiting (true), settled (false), none (nil); and how it ended.
    public var followUpOpen: Bool? = nil
    public var followUpOutcome: FollowUpOutcome? = nil
}

/// Coverage of one village or programme: sampled, visited, and visits that found a discrepancy.
public struct SpotCheckCoverageRow: Equatable, Sendable {
    public var code: String
    public var name: String
    public var sampled: Int
    public var checked: Int
    public var discrepancies: Int
    /// Discrepancies whose follow-up still waits for the approver.
    public var openFollowUps: Int = 0
    /// Share of checked cases with a discrepancy, 0...1 (0 when nothing is checked yet).
    public var discrepancyShare: Double { checked == 0 ? 0 : Double(discrepancies) / Double(checked) }
}

public struct SpotCheckCoverage: Equatable, Sendable {
    public var villages: [SpotCheckCoverageRow]
    public var programmes: [SpotCheckCoverageRow]
    /// In a county file, each township's (code: its nine-digit prefix); empty in a township's.
    public var townships: [SpotCheckCoverageRow] = []
}

extension Store {
    /// The default and the county's minimum percentage: setting `spotcheck_percent`, else 30.
    public static func spotCheckPercent(_ db: Database) throws -> Int {
        try Store.setting(db, "spotcheck_percent").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 30
    }

    public func spotCheckPercent() throws -> Int { try read { db in try Store.spotCheckPercent(db) } }

    /// The population of a draw: the programme's cases in force (在保, status 'active') anywhere
    /// in the township when the draw is made. The period is a label kept with the draw; cases
    /// that ended during the period are not drawn (they have nothing left to check in force).
    static func spotCheckPopulation(_ db: Database, programme: Programme) throws -> [(id: Int64, village: String)] {
        try spotCheckCases(db, programme: programme).map { (id: $0.id, village: $0.village) }
    }

    /// The population with each case's head, by case id. One pass in case order: the sample's
    /// heads read afterwards case by case cost a page read each, most of a draw at 100,000
    /// households (issue 26).
    static func spotCheckCases(_ db: Database, programme: Programme) throws -> [(id: Int64, village: String, head: String)] {
        var out: [(id: Int64, village: String, head: String)] = []
        let rows = try Row.fetchCursor(db, sql: """
            SELECT c.id, c.village_code, COALESCE(h.head_name, '') FROM assistance_case c LEFT JOIN household h ON h.id = c.household_id
            WHERE c.programme = ? AND c.status = 'active' ORDER BY c.id
            """, arguments: [programme.rawValue])
        while let r = try rows.next() { out.append((id: r[0], village: r[1], head: r[2])) }
        return out
    }

    /// Draw a spot-check sample for `programme` at `percent` from `seed`, stratified by village.
    /// Percent 1...100; below the setting `spotcheck_percent` the draw is made but the result
    /// carries a warning (and the audit row says so), since the county may check less in a
    /// township it has just checked fully. With `dryRun` nothing is written and `drawId` is nil.
    /// Otherwise the draw, one row per sampled case and one audit row go in one transaction.
    public func drawSpotCheck(programme: Programme, period: String, percent: Int, seed: UInt64, by user: String,
                              dryRun: Bool = false) throws -> SpotCheckDrawResult {
        guard (1...100).contains(percent) else {
            throw StoreError.said("store.spotCheckStore.thePercentageIsTo", ["percent": "\(percent)"])
        }
        guard SpotCheckPeriod.isValid(period) else {
            throw StoreError.said("store.spotCheckStore.thePeriodIsA", ["period": "\(period)"])
        }
        let body = { (db: Database) throws -> SpotCheckDrawResult in
            if !dryRun { try Store.authorize(db, user, .spotChecks) }
            let population = try Store.spotCheckCases(db, programme: programme)
            let cases = population.map { (id: $0.id, village: $0.village) }
            if cases.isEmpty {
                throw StoreError.said("store.spotCheckStore.noCaseIsIn", ["label_zh": "\(programme.label.zh)", "label_en": "\(programme.label.en)"])
            }
            let minimum = try Store.spotCheckPercent(db)
            let warning = percent < minimum
                ? sayBoth("store.spotCheckStore.thePercentageIsBelow", ["percent": "\(percent)", "minimum": "\(minimum)"]) : nil
            let (quotas, ids) = SpotCheckSample.sample(cases: cases, percent: percent, seed: seed)
            var names: [String: String] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT code, name FROM region") { names[r["code"]] = r["name"] }
            let villages = quotas.map { SpotCheckVillage(code: $0.village, name: names[$0.village] ?? $0.village, population: $0.population, sampled: $0.sampled) }
            // Each sampled case's village and head from the population (in id order).
            let lines = ids.map { id -> SpotCheckLine in
                var lo = 0, hi = population.count
                while lo < hi { let mid = (lo + hi) / 2; if population[mid].id < id { lo = mid + 1 } else { hi = mid } }
                let h = lo < population.count && population[lo].id == id ? population[lo] : (id: id, village: "", head: "")
                return SpotCheckLine(caseId: id, villageCode: h.village, villageName: names[h.village] ?? h.village, headName: h.head)
            }
            var result = SpotCheckDrawResult(drawId: nil, programme: programme, period: period, percent: percent, seed: seed,
                                             villages: villages, lines: lines, warning: warning)
            if dryRun { return result }
            try db.execute(sql: """
                INSERT INTO spot_check_draw(id, programme, period, percent, seed, drawn_by, drawn_at, population, sampled)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [try Store.newId(db, "spot_check_draw"), programme.rawValue, period, percent, String(seed), user,
                                 Timestamp.now(), cases.count, ids.count])
            let drawId = db.lastInsertedRowID
            let insert = try db.cachedStatement(sql: "INSERT INTO spot_check(id, draw_id, case_id, village_code) VALUES (?, ?, ?, ?)")
            for l in lines { try insert.execute(arguments: [try Store.newId(db, "spot_check"), drawId, l.caseId, l.villageCode]) }
            var detail: [String: String?] = ["programme": programme.rawValue, "period": period, "percent": String(percent),
                                             "seed": String(seed), "population": String(cases.count), "sampled": String(ids.count)]
            if warning != nil { detail["below_minimum"] = String(minimum) }
            try Audit.append(db, user: user, action: "spotcheck.draw", entity: "spotcheck", entityId: String(drawId),
                             detail: Audit.detail(detail))
            result.drawId = drawId
            return result
        }
        return dryRun ? try read(body) : try write(body)
    }

    static func spotCheckDraw(from r: Row) -> SpotCheckDraw {
        SpotCheckDraw(id: r["id"], programme: Programme(rawValue: r["programme"]) ?? .ruralDibao, period: r["period"], percent: r["percent"],
                      seed: UInt64(r["seed"] as String) ?? 0, drawnBy: r["drawn_by"], drawnAt: r["drawn_at"],
                      population: r["population"], sampled: r["sampled"], visited: r["visited"] ?? 0)
    }

    static let spotCheckDrawSelect = """
        SELECT d.*, (SELECT count(*) FROM spot_check s WHERE s.draw_id = d.id AND s.visited_on IS NOT NULL) AS visited
        FROM spot_check_draw d
        """

    /// Every draw, oldest first.
    public func spotCheckDraws() throws -> [SpotCheckDraw] {
        try read { db in try Row.fetchAll(db, sql: Store.spotCheckDrawSelect + " ORDER BY d.id").map(Store.spotCheckDraw(from:)) }
    }

    public func spotCheckDraw(id: Int64) throws -> SpotCheckDraw? {
        try read { db in try Row.fetchOne(db, sql: Store.spotCheckDrawSelect + " WHERE d.id = ?", arguments: [id]).map(Store.spotCheckDraw(from:)) }
    }

    /// The sampled cases of a draw, by (village, case).
    public func spotChecks(drawId: Int64) throws -> [SpotCheckRecord] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.*, COALESCE(r.name, s.village_code) AS village_name, COALESCE(h.head_name, '') AS head_name,
                       (SELECT f.closed_on IS NULL FROM case_followup f WHERE f.source = 'spotcheck' AND f.source_id = s.id ORDER BY f.id DESC LIMIT 1) AS fu_open,
                       (SELECT f.outcome FROM case_followup f WHERE f.source = 'spotcheck' AND f.source_id = s.id ORDER BY f.id DESC LIMIT 1) AS fu_outcome
                FROM spot_check s
                LEFT JOIN region r ON r.code = s.village_code
                LEFT JOIN assistance_case c ON c.id = s.case_id
                LEFT JOIN household h ON h.id = c.household_id
                WHERE s.draw_id = ? ORDER BY s.village_code, s.case_id
                """, arguments: [drawId]).map { r in
                SpotCheckRecord(id: r["id"], drawId: r["draw_id"], caseId: r["case_id"], villageCode: r["village_code"],
                                villageName: r["village_name"], headName: r["head_name"],
                                visitedOn: (r["visited_on"] as String?).flatMap(CivilDate.init(iso:)), visitedBy: r["visited_by"],
                                findings: r["findings"], discrepancy: (r["discrepancy"] as Int?).map { $0 != 0 },
                                proposedAction: (r["proposed_action"] as String?).flatMap(SpotCheckAction.init(rawValue:)),
                                recordedAt: r["recorded_at"], followUpOpen: (r["fu_open"] as Int?).map { $0 != 0 },
                                followUpOutcome: (r["fu_outcome"] as String?).flatMap(FollowUpOutcome.init(rawValue:)))
            }
        }
    }

    /// Record a visit to a sampled case: when, by whom, the check form (JSON), whether the
    /// household differed from the record, and the proposed action (a discrepancy may still end
    /// in "no change"; no discrepancy allows nothing else). Recording again replaces the visit.
    public func recordSpotCheckVisit(id: Int64, visitedOn: CivilDate, by visitor: String, findings: String,
                                     discrepancy: Bool, proposedAction: SpotCheckAction, user: String) throws {
        if visitor.trimmingCharacters(in: .whitespaces).isEmpty {
            throw StoreError.said("store.spotCheckStore.whoVisitedIsRequired")
        }
        if !discrepancy && proposedAction != .none {
            throw StoreError.said("store.spotCheckStore.noDiscrepancyTheProposed", ["label_zh": "\(proposedAction.label.zh)"])
        }
        guard (try? JSONSerialization.jsonObject(with: Data(findings.utf8), options: [.fragmentsAllowed])) != nil else {
            throw StoreError.said("store.spotCheckStore.theFindingsAreNot")
        }
        try write { db in
            try Store.authorize(db, user, .spotChecks)
            guard let caseId = try Int64.fetchOne(db, sql: "SELECT case_id FROM spot_check WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound(entity: "spotcheck", id: String(id))
            }
            // A discrepancy opens a follow-up for the approver (or updates the open one); a visit
            // recorded again as found as recorded withdraws it.
            let status = try String.fetchOne(db, sql: "SELECT status FROM assistance_case WHERE id = ?", arguments: [caseId])
            if discrepancy && (status == CaseStatus.active.rawValue || status == CaseStatus.suspended.rawValue) {
                let form = Store.object(findings)
                let finding = (form["finding"] as? String) ?? ""
                try Store.openFollowUp(db, caseId: caseId, source: .spotcheck, sourceId: id, proposed: FollowUpAction(proposedAction),
                                       finding: finding.isEmpty ? "抽查发现与记录不符" : finding,
                                       incomeEstimate: Store.fen(form["incomeEstimate"]).map(Money.init(fen:)), by: visitor, on: visitedOn)
            } else {
                try Store.withdrawFollowUp(db, source: .spotcheck, sourceId: id)
            }
            try db.execute(sql: """
                UPDATE spot_check SET visited_on = ?, visited_by = ?, findings = ?, discrepancy = ?, proposed_action = ?, recorded_at = ?
                WHERE id = ?
                """, arguments: [visitedOn.iso, visitor, findings, discrepancy ? 1 : 0, proposedAction.rawValue, Timestamp.now(), id])
            try Audit.append(db, user: user, action: "spotcheck.visit", entity: "spotcheck", entityId: String(id),
                             detail: Audit.detail(["visited_on": visitedOn.iso, "visited_by": visitor,
                                                   "discrepancy": discrepancy ? "yes" : "no", "action": proposedAction.rawValue]))
        }
    }

    /// Coverage per village and per programme: sampled, checked (visited) and with a
    /// discrepancy. One draw, or every draw when `drawId` is nil.
    public func coverage(drawId: Int64? = nil) throws -> SpotCheckCoverage {
        try read { db in
            let filter = drawId == nil ? "" : "WHERE s.draw_id = ?"
            let args: StatementArguments = drawId.map { [$0] } ?? []
            let counts = """
                count(*) AS sampled, count(s.visited_on) AS checked, COALESCE(sum(s.visited_on IS NOT NULL AND s.discrepancy = 1), 0) AS discrepancies,
                COALESCE(sum((SELECT count(*) FROM case_followup f WHERE f.source = 'spotcheck' AND f.source_id = s.id AND f.closed_on IS NULL)), 0) AS open_followups
                """
            let villages = try Row.fetchAll(db, sql: """
                SELECT s.village_code AS code, COALESCE(r.name, s.village_code) AS name, \(counts)
                FROM spot_check s LEFT JOIN region r ON r.code = s.village_code \(filter)
                GROUP BY s.village_code ORDER BY s.village_code
                """, arguments: args).map(Store.coverageRow(from:))
            let programmes = try Row.fetchAll(db, sql: """
                SELECT d.programme AS code, d.programme AS name, \(counts)
                FROM spot_check s JOIN spot_check_draw d ON d.id = s.draw_id \(filter)
                GROUP BY d.programme ORDER BY d.programme
                """, arguments: args).map { r -> SpotCheckCoverageRow in
                var row = Store.coverageRow(from: r)
                row.name = Programme(rawValue: row.code)?.label.zh ?? row.code
                return row
            }
            // A county's draws are stratified by township and village: the townships' figures too.
            var townships: [SpotCheckCoverageRow] = []
            if let towns = try Store.countyTownships(db) {
                let names = Dictionary(towns.map { (Store.townshipPrefix($0.code), $0.name) }, uniquingKeysWith: { a, _ in a })
                townships = try Row.fetchAll(db, sql: """
                    SELECT substr(s.village_code, 1, 9) AS code, substr(s.village_code, 1, 9) AS name, \(counts)
                    FROM spot_check s \(filter) GROUP BY 1 ORDER BY 1
                    """, arguments: args).map { r -> SpotCheckCoverageRow in
                    var row = Store.coverageRow(from: r)
                    row.name = names[row.code] ?? row.code
                    return row
                }
            }
            return SpotCheckCoverage(villages: villages, programmes: programmes, townships: townships)
        }
    }

    static func coverageRow(from r: Row) -> SpotCheckCoverageRow {
        SpotCheckCoverageRow(code: r["code"], name: r["name"], sampled: r["sampled"], checked: r["checked"], discrepancies: r["discrepancies"],
                             openFollowUps: r["open_followups"])
    }
}
