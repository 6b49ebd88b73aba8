import Foundation
import GRDB
import JiuzhuModel

/// What a monthly benefit is due, worked out from the cases' step records only (decisions,
/// adjustments, stops, suspensions and resumptions): the rosters, the year table and `verify`
/// all read it here, so they cannot disagree.
extension Store {
    /// The office's rule for the first month paid (`payment_start_months`).
    static func paymentRules(_ db: Database) throws -> PaymentRules {
        let v = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [PaymentRules.settingKey])
        return PaymentRules.from([PaymentRules.settingKey: v ?? "1"])
    }

    /// The programmes' decision steps (an approval there is the decision).
    static func decisionSteps(_ catalog: ProgrammeCatalog) -> Set<String> {
        Set(Programme.allCases.flatMap { catalog.definition($0).steps.filter(\.isDecision).map(\.code) })
    }

    /// One case's payment records.
    struct CasePayRecords {
        var caseId: Int64
        var programme: Programme
        var events: [PayEvent]
        /// The newest step record among them (`case_step.id`): a roster made after it has seen them all.
        var newestStep: Int64
        /// The newest package that brought one of them from the other side of the exchange
        /// (`exchange_arrival.seq`, 0 for none): a county's step keeps the county's id, lower
        /// than this file's own, so its id cannot say it came after a roster (issue 25).
        var newestArrival: Int64 = 0
        /// The case's village (its township is the code's first nine digits).
        var villageCode = ""
    }

    /// Each case of `programmes` with a record bearing on payment, its records in the order
    /// recorded (date, then entry), those dated after `until` left out. One pass over the
    /// partial index `case_step_money` (migration v14).
    static func eachCasePayRecords(_ db: Database, programmes: [Programme], catalog: ProgrammeCatalog, until: CivilDate? = nil,
                                   township: String? = nil, _ body: (CasePayRecords) throws -> Void) throws {
        let rules = try paymentRules(db)
        let decisions = decisionSteps(catalog)
        var args: [DatabaseValueConvertible] = programmes.map(\.rawValue)
        var cond = ""
        if let u = until { cond = "AND s.acted_on <= ?"; args.append(u.iso) }
        if let t = township { let r = Store.townshipRange(t); cond += " AND c.village_code BETWEEN ? AND ?"; args += [r.lower, r.upper] }
        let rows = try Row.fetchCursor(db, sql: """
            SELECT s.case_id, c.programme, s.id, s.step, s.action, s.acted_on,
                   json_extract(s.inputs, '$.monthlyFen'), json_extract(s.inputs, '$.covered'), json_extract(s.inputs, '$.effectiveMonth'),
                   a.seq, c.village_code
            FROM case_step s INDEXED BY case_step_money JOIN assistance_case c ON c.id = s.case_id
            LEFT JOIN exchange_arrival a ON a.step_id = s.id
            WHERE s.action IN ('approve', 'adjust', 'terminate', 'suspend', 'resume')
              AND c.programme IN (\(programmes.map { _ in "?" }.joined(separator: ", "))) \(cond)
            ORDER BY s.case_id
            """, arguments: StatementArguments(args))
        // Each case's few records, put in the order recorded here (cheaper than a sort of them all).
        var current: CasePayRecords?
        var keyed: [(on: CivilDate, id: Int64, event: PayEvent)] = []
        func finish() throws {
            guard var c = current, !keyed.isEmpty else { return }
            keyed.sort { ($0.on, $0.id) < ($1.on, $1.id) }
            c.events = keyed.map(\.event)
            try body(c)
        }
        while let r = try rows.next() {
            let id: Int64 = r[0]
            if current?.caseId != id {
                try finish()
                current = CasePayRecords(caseId: id, programme: Programme(rawValue: r[1]) ?? .ruralDibao, events: [], newestStep: 0,
                                         villageCode: r[10])
                keyed.removeAll(keepingCapacity: true)
            }
            let stepId: Int64 = r[2]
            let action: String = r[4]
            guard let on = CivilDate(iso: r[5]),
                  let e = rules.event(action: action, decision: decisions.contains(r[3]), on: on, monthly: r[6], covered: r[7], fromMonth: r[8])
            else { continue }
            keyed.append((on, stepId, e))
            current!.newestStep = max(current!.newestStep, stepId)
            if let arrived = r[9] as Int64? { current!.newestArrival = max(current!.newestArrival, arrived) }
        }
        try finish()
    }

    /// A case whose row does not say what its records decided.
    public struct AmountMismatch: Equatable, Sendable {
        public var caseId: Int64
        public var row: Money?
        public var records: Money?
    }

    /// Every case of a monthly programme with a decision: its row's monthly amount against the
    /// last decision or adjustment recorded (the row only caches it). Returns how many were
    /// checked and those that differ.
    public func verifyAmounts(catalog: ProgrammeCatalog) throws -> (checked: Int, mismatches: [AmountMismatch]) {
        try read { db in
            var rowAmount: [Int64: Int64?] = [:]
            let monthly = catalog.monthlyProgrammes.map(\.rawValue)
            let cursor = try Row.fetchCursor(db, sql: "SELECT id, monthly_amount_fen FROM assistance_case WHERE programme IN (\(databaseQuestionMarks(count: monthly.count)))",
                                             arguments: StatementArguments(monthly))
            while let r = try cursor.next() { rowAmount[r[0]] = r[1] as Int64? }
            var checked = 0
            var bad: [AmountMismatch] = []
            var seen = Set<Int64>()
            try Store.eachCasePayRecords(db, programmes: catalog.monthlyProgrammes, catalog: catalog) { c in
                guard let decided = PaymentRules.decidedAmount(c.events) else { return }
                seen.insert(c.caseId)
                checked += 1
                let row = rowAmount[c.caseId] ?? nil
                if row != decided { bad.append(AmountMismatch(caseId: c.caseId, row: row.map(Money.init(fen:)), records: Money(fen: decided))) }
            }
            // A row with an amount and no decision recorded at all.
            for (id, v) in rowAmount where !seen.contains(id) {
                if let v, v != 0 {
                    checked += 1
                    bad.append(AmountMismatch(caseId: id, row: Money(fen: v), records: nil))
                }
            }
            return (checked, bad.sorted { $0.caseId < $1.caseId })
        }
    }
}
