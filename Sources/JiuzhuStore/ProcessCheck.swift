import Foundation
import GRDB
import JiuzhuModel

/// What `jiuzhu verify` finds about the process behind the records: every publicity step
/// finished through a posted batch that held the case and closed after a full window that began
/// no earlier than the case reached the step, and every refusal taken at a decision step.
public struct ProcessCheck: Equatable, Sendable {
    public var publicityChecked = 0
    public var refusalsChecked = 0
    /// Up to a few problems, each naming the case and the record.
    public var problems: [String] = []
    public var problemCount = 0
}

extension Store {
    public func verifyProcess(catalog: ProgrammeCatalog) throws -> ProcessCheck {
        try read { db in
            let days = try Store.setting(db, "publicity_days").flatMap(Int.init) ?? 7
            var publicity: [(String, String)] = [], decisions: [(String, String)] = []
            for d in catalog.programmes {
                for s in d.steps where s.isPublicity { publicity.append((d.code, s.code)) }
                for s in d.steps where s.isDecision { decisions.append((d.code, s.code)) }
            }
            var out = ProcessCheck()
            func problem(_ text: String) {
                out.problemCount += 1
                if out.problems.count < 10 { out.problems.append(text) }
            }
            func pairs(_ p: [(String, String)]) -> (String, [DatabaseValueConvertible]) {
                (p.map { _ in "(?, ?)" }.joined(separator: ", "), p.flatMap { [$0.0, $0.1] as [DatabaseValueConvertible] })
            }
            let (pv, pa) = pairs(publicity)
            let rows = try Row.fetchCursor(db, sql: """
                SELECT s.id, s.case_id, s.step, s.acted_on, b.id AS batch, b.state, b.posted_from, b.posted_until,
                       EXISTS (SELECT 1 FROM publicity_line l WHERE l.batch_id = b.id AND l.case_id = s.case_id) AS held,
                       (SELECT p.acted_on FROM case_step p WHERE p.case_id = s.case_id AND p.id < s.id ORDER BY p.id DESC LIMIT 1) AS reached
                FROM case_step s JOIN assistance_case c ON c.id = s.case_id
                LEFT JOIN publicity_batch b ON b.id = json_extract(s.inputs, '$.batch')
                WHERE s.action = 'done' AND (c.programme, s.step) IN (VALUES \(pv))
                """, arguments: StatementArguments(pa))
            while let r = try rows.next() {
                out.publicityChecked += 1
                let where_ = "case #\(r["case_id"] as Int64) \(r["step"] as String) (record \(r["id"] as Int64), \(r["acted_on"] as String))"
                guard (r["batch"] as Int64?) != nil else { problem("\(where_): finished without a posted batch"); continue }
                guard let from = (r["posted_from"] as String?).flatMap(CivilDate.init(iso:)),
                      let until = (r["posted_until"] as String?).flatMap(CivilDate.init(iso:)),
                      let on = CivilDate(iso: r["acted_on"]) else { problem("\(where_): batch without dates"); continue }
                if (r["state"] as String?) != PublicityState.closed.rawValue { problem("\(where_): its batch is not closed") }
                if (r["held"] as Bool?) != true { problem("\(where_): its batch does not hold the case") }
                if from.days(until: until) < days { problem("\(where_): posted \(from.iso)–\(until.iso), under \(days) days") }
                if on < until { problem("\(where_): finished before the window ended on \(until.iso)") }
                if let reached = (r["reached"] as String?).flatMap(CivilDate.init(iso:)), from < reached {
                    problem("\(where_): posted \(from.iso), before the case reached the step on \(reached.iso)")
                }
            }
            let (dv, da) = pairs(decisions)
            let refusals = try Row.fetchCursor(db, sql: """
                SELECT s.id, s.case_id, s.step, (c.programme, s.step) IN (VALUES \(dv)) AS decided
                FROM case_step s JOIN assistance_case c ON c.id = s.case_id WHERE s.action = 'reject'
                """, arguments: StatementArguments(da))
            while let r = try refusals.next() {
                out.refusalsChecked += 1
                if (r["decided"] as Bool?) != true {
                    problem("case #\(r["case_id"] as Int64): refused at \(r["step"] as String) (record \(r["id"] as Int64)), not at its decision step")
                }
            }
            return out
        }
    }
}
