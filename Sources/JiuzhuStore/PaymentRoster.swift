import Foundation
import GRDB
import JiuzhuModel

/// 发放名册: the month's payments of a monthly programme (低保, 特困), one line per case in force
/// and not suspended, as the bank needs them (payee, full ID number, bank card, amount). A draft
/// can be made again as cases change; confirmed, it is what was sent to the bank and never
/// changes. It is not a public list: only the approver and the administrator see the full
/// numbers, and every export is audited.
public struct PaymentRoster: Equatable, Sendable {
    public enum State: String, Sendable { case draft, confirmed }
    public var id: Int64
    /// "YYYY-MM".
    public var month: String
    public var programme: Programme
    public var state: State
    public var madeBy: String
    public var madeAt: String
    public var confirmedBy: String?
    public var confirmedAt: String?
    public var lines: Int
    public var persons: Int
    public var total: Money
    /// Lines with no bank card on the household: paid another way, and listed so.
    public var withoutCard: Int
    public var version: Int
}

public struct PaymentLine: Equatable, Sendable {
    public var caseId: Int64
    public var villageCode: String
    public var village: String
    public var payeeName: String
    /// The full number: the bank matches it with the card. Screens show `Masking.idNumber` of it.
    public var payeeId: String
    public var bankCard: String?
    public var persons: Int
    public var amount: Money
}

/// A village's share of a roster.
public struct PaymentVillageTotal: Equatable, Sendable {
    public var village: String
    public var lines: Int
    public var persons: Int
    public var total: Money
}

extension Store {
    /// The programmes paid monthly, which have rosters.
    public static let rosterProgrammes: [Programme] = [.ruralDibao, .urbanDibao, .tekun]

    /// Make (or make again, while a draft) the roster of `programme` for `month` ("YYYY-MM"): every
    /// case of it in force and not suspended now, with its monthly amount and covered persons,
    /// paid to the case's person (特困) or else the household head, at the household's bank card.
    @discardableResult
    public func makeRoster(month: String, programme: Programme, by actor: String) throws -> PaymentRoster {
        guard Store.rosterProgrammes.contains(programme) else {
            throw StoreError.invalid("「\(programme.label.zh)」是一次性救助,没有按月发放名册 / \(programme.label.en) is paid once, not monthly: it has no roster")
        }
        guard Store.isMonth(month) else { throw StoreError.invalid("月份应写作 YYYY-MM,如 2026-12 / the month is written YYYY-MM, e.g. 2026-12") }
        let id: Int64 = try write { db in
            if let row = try Row.fetchOne(db, sql: "SELECT id, state FROM payment_roster WHERE month = ? AND programme = ?",
                                          arguments: [month, programme.rawValue]) {
                guard (row["state"] as String) == PaymentRoster.State.draft.rawValue else {
                    throw StoreError.invalid("\(month) \(programme.label.zh)发放名册已确认发放,不能重做 / the \(month) roster of \(programme.label.en) is confirmed and cannot be made again")
                }
            }
            let id: Int64
            if let row = try Row.fetchOne(db, sql: "SELECT id FROM payment_roster WHERE month = ? AND programme = ?",
                                          arguments: [month, programme.rawValue]) {
                // The same draft, made again: same number, new lines, a new version (a box opened
                // on the old lines cannot confirm these).
                id = row["id"]
                try db.execute(sql: "DELETE FROM payment_line WHERE roster_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM payment_village WHERE roster_id = ?", arguments: [id])
                try db.execute(sql: "UPDATE payment_roster SET made_by = ?, made_at = ?, version = version + 1 WHERE id = ?",
                               arguments: [actor, Timestamp.now(), id])
            } else {
                try db.execute(sql: """
                    INSERT INTO payment_roster(month, programme, state, made_by, made_at, lines, persons, total_fen, without_card)
                    VALUES (?, ?, 'draft', ?, ?, 0, 0, 0, 0)
                    """, arguments: [month, programme.rawValue, actor, Timestamp.now()])
                id = db.lastInsertedRowID
            }
            try db.execute(sql: """
                INSERT INTO payment_line(roster_id, case_id, village_code, payee_name, payee_id, bank_card, persons, amount_fen)
                SELECT ?, c.id, c.village_code, coalesce(p.name, h.head_name), coalesce(p.id_number, h.head_id),
                       nullif(trim(coalesce(h.bank_card, '')), ''), c.covered_members, c.monthly_amount_fen
                FROM assistance_case c JOIN household h ON h.id = c.household_id LEFT JOIN person p ON p.id = c.person_id
                WHERE c.programme = ? AND c.status = 'active' AND c.monthly_amount_fen > 0
                """, arguments: [id, programme.rawValue])
            try db.execute(sql: """
                INSERT INTO payment_village(roster_id, village_code, lines, persons, total_fen)
                SELECT roster_id, village_code, count(*), sum(persons), sum(amount_fen) FROM payment_line WHERE roster_id = ? GROUP BY village_code
                """, arguments: [id])
            try db.execute(sql: """
                UPDATE payment_roster SET (lines, persons, total_fen, without_card) =
                    (SELECT count(*), coalesce(sum(persons), 0), coalesce(sum(amount_fen), 0), count(*) - count(bank_card)
                     FROM payment_line WHERE roster_id = ?1)
                WHERE id = ?1
                """, arguments: [id])
            let r = try Row.fetchOne(db, sql: "SELECT lines, total_fen FROM payment_roster WHERE id = ?", arguments: [id])!
            try Audit.append(db, user: actor, action: "roster.make", entity: "roster", entityId: String(id),
                             detail: Audit.detail(["month": month, "programme": programme.rawValue,
                                                   "lines": String(r["lines"] as Int), "total_fen": String(r["total_fen"] as Int64)]))
            return id
        }
        return try roster(id: id)!
    }

    /// Confirm a draft: it is what goes to the bank, and is kept as it is.
    public func confirmRoster(id: Int64, version: Int, by actor: String) throws {
        try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT state, version FROM payment_roster WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound(entity: "roster", id: String(id))
            }
            guard (row["version"] as Int) == version else { throw StoreError.staleEdit(entity: "roster", id: id) }
            guard (row["state"] as String) == PaymentRoster.State.draft.rawValue else {
                throw StoreError.invalid("该发放名册已确认 / the roster is already confirmed")
            }
            try db.execute(sql: """
                UPDATE payment_roster SET state = 'confirmed', confirmed_by = ?, confirmed_at = ?, version = version + 1 WHERE id = ?
                """, arguments: [actor, Timestamp.now(), id])
            try Audit.append(db, user: actor, action: "roster.confirm", entity: "roster", entityId: String(id), detail: "{}")
        }
    }

    public func rosters() throws -> [PaymentRoster] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM payment_roster ORDER BY month DESC, programme").map(Store.roster) }
    }

    public func roster(id: Int64) throws -> PaymentRoster? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM payment_roster WHERE id = ?", arguments: [id]).map(Store.roster) }
    }

    /// Where a screenful of a roster's lines starts: the ends, or just after or before a line.
    public enum LineAnchor: Equatable, Sendable {
        case first, last
        case after(PaymentLine), before(PaymentLine), from(PaymentLine)
    }

    /// The lines by village and payee, as the bank's file and the screen list them: all of them,
    /// or a screenful from an anchor, read by keyset on the index (village, payee, case), so
    /// the last page of 50,000 lines costs what the first does.
    public func rosterLines(id: Int64, from anchor: LineAnchor = .first, limit: Int = -1) throws -> [PaymentLine] {
        var cond = ""
        var args: StatementArguments = [id]
        let backwards: Bool
        switch anchor {
        case .first: backwards = false
        case .last: backwards = true
        case .after(let l): backwards = false; cond = "AND (l.village_code, l.payee_name, l.case_id) > (?, ?, ?)"; args += [l.villageCode, l.payeeName, l.caseId]
        case .from(let l): backwards = false; cond = "AND (l.village_code, l.payee_name, l.case_id) >= (?, ?, ?)"; args += [l.villageCode, l.payeeName, l.caseId]
        case .before(let l): backwards = true; cond = "AND (l.village_code, l.payee_name, l.case_id) < (?, ?, ?)"; args += [l.villageCode, l.payeeName, l.caseId]
        }
        args += [limit]
        let dir = backwards ? " DESC" : ""
        let rows = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT l.*, coalesce(r.name, l.village_code) AS village FROM payment_line l LEFT JOIN region r ON r.code = l.village_code
                WHERE l.roster_id = ? \(cond) ORDER BY l.village_code\(dir), l.payee_name\(dir), l.case_id\(dir) LIMIT ?
                """, arguments: args).map {
                PaymentLine(caseId: $0["case_id"], villageCode: $0["village_code"], village: $0["village"], payeeName: $0["payee_name"],
                            payeeId: $0["payee_id"], bankCard: $0["bank_card"], persons: $0["persons"], amount: Money(fen: $0["amount_fen"]))
            }
        }
        return backwards ? rows.reversed() : rows
    }

    public func rosterVillageTotals(id: Int64) throws -> [PaymentVillageTotal] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT coalesce(r.name, v.village_code) AS village, v.lines AS n, v.persons AS p, v.total_fen AS t
                FROM payment_village v LEFT JOIN region r ON r.code = v.village_code
                WHERE v.roster_id = ? ORDER BY v.village_code
                """, arguments: [id]).map {
                PaymentVillageTotal(village: $0["village"], lines: $0["n"], persons: $0["p"], total: Money(fen: $0["t"]))
            }
        }
    }

    /// Record that `actor` took the roster's full numbers out (a file for the bank).
    public func auditRosterExport(id: Int64, to path: String, by actor: String) throws {
        try write { db in
            try Audit.append(db, user: actor, action: "roster.export", entity: "roster", entityId: String(id),
                             detail: Audit.detail(["to": path]))
        }
    }

    static func roster(_ r: Row) -> PaymentRoster {
        PaymentRoster(id: r["id"], month: r["month"], programme: Programme(rawValue: r["programme"]) ?? .ruralDibao,
                      state: PaymentRoster.State(rawValue: r["state"]) ?? .draft, madeBy: r["made_by"], madeAt: r["made_at"],
                      confirmedBy: r["confirmed_by"], confirmedAt: r["confirmed_at"], lines: r["lines"], persons: r["persons"],
                      total: Money(fen: r["total_fen"]), withoutCard: r["without_card"], version: r["version"])
    }

    /// "YYYY-MM" with a real month.
    public static func isMonth(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]) else { return false }
        return (2000...2100).contains(y) && (1...12).contains(m)
    }
}
