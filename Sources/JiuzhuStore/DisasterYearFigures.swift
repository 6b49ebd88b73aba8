import Foundation
import GRDB
import JiuzhuModel

/// The year table's disaster rows (domain.md: "Disaster: events, funds, houses rebuilt"), for
/// any period, summed from the records themselves: events by the day they started, relief by
/// the day of its decision (核灾定级) and by period, cash and goods by the day handed out, goods
/// received by the day received, houses by the day of 竣工验收 and 入住, subsidies by the day paid.
public struct DisasterYearFigures: Equatable, Sendable {
    public struct Relief: Equatable, Sendable {
        public var households = 0
        public var persons = 0
        public var amount = Money.zero
        public init(households: Int = 0, persons: Int = 0, amount: Money = .zero) {
            self.households = households; self.persons = persons; self.amount = amount
        }
    }
    public var events = 0
    /// Decided grants by period: 户次, 人次, amount.
    public var relief: [ReliefPeriod: Relief] = [:]
    public var cashHanded = Money.zero
    public var distributions = 0
    public var goodsReceived: [String: Int] = [:]
    public var goodsIssued: [String: Int] = [:]
    public var housesApproved = 0
    public var housesAccepted = 0
    public var housesMovedIn = 0
    public var housePaid = Money.zero
    public init() {}

    public var totalRelief: Relief {
        relief.values.reduce(into: Relief()) { $0.households += $1.households; $0.persons += $1.persons; $0.amount += $1.amount }
    }
}

extension Store {
    public func disasterYearFigures(from: CivilDate, until: CivilDate, catalog: ProgrammeCatalog) throws -> DisasterYearFigures {
        let decision = catalog.definition(.disaster).steps.first(where: \.isDecision)?.code ?? "assessment"
        return try read { db in
            var f = DisasterYearFigures()
            let a: StatementArguments = [from.iso, until.iso]
            f.events = try Int.fetchOne(db, sql: "SELECT count(*) FROM disaster_event WHERE started_on BETWEEN ? AND ?", arguments: a) ?? 0
            for r in try Row.fetchAll(db, sql: """
                SELECT g.period, count(*) AS n, SUM(COALESCE(json_extract(s.inputs, '$.covered'), g.persons)) AS p,
                       SUM(COALESCE(json_extract(s.inputs, '$.amountFen'), 0)) AS fen
                FROM case_step s JOIN disaster_grant g ON g.case_id = s.case_id
                WHERE s.step = ? AND s.action = 'approve' AND s.acted_on BETWEEN ? AND ? GROUP BY g.period
                """, arguments: [decision, from.iso, until.iso]) {
                guard let p = ReliefPeriod(rawValue: r["period"]) else { continue }
                f.relief[p] = DisasterYearFigures.Relief(households: r["n"], persons: r["p"], amount: Money(fen: r["fen"]))
            }
            if let r = try Row.fetchOne(db, sql: "SELECT count(*) AS n, COALESCE(SUM(cash_fen), 0) AS fen FROM disaster_distribution WHERE handed_on BETWEEN ? AND ?", arguments: a) {
                f.distributions = r["n"]; f.cashHanded = Money(fen: r["fen"])
            }
            for r in try Row.fetchAll(db, sql: "SELECT item, movement, SUM(quantity) AS q FROM relief_goods WHERE moved_on BETWEEN ? AND ? AND movement IN ('receipt', 'issue') GROUP BY item, movement", arguments: a) {
                if r["movement"] as String == "receipt" { f.goodsReceived[r["item"]] = r["q"] } else { f.goodsIssued[r["item"]] = -(r["q"] as Int) }
            }
            f.housesApproved = try Int.fetchOne(db, sql: "SELECT count(*) FROM disaster_house WHERE approved_on BETWEEN ? AND ?", arguments: a) ?? 0
            f.housesAccepted = try Int.fetchOne(db, sql: "SELECT count(*) FROM disaster_house WHERE accepted_on BETWEEN ? AND ?", arguments: a) ?? 0
            f.housesMovedIn = try Int.fetchOne(db, sql: "SELECT count(*) FROM disaster_house WHERE moved_in_on BETWEEN ? AND ?", arguments: a) ?? 0
            f.housePaid = Money(fen: try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(amount_fen), 0) FROM disaster_house_payment WHERE paid_on BETWEEN ? AND ?", arguments: a) ?? 0)
            return f
        }
    }
}
