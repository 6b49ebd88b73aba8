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
    /// 补发 on it: back pay for months already on a confirmed roster (part of `total`).
    public var backPay = Money(fen: 0)
    /// The township whose roster it is (the making file's township code; migration v26), as a
    /// county file lists every township's.
    public var township = ""
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
    /// 补发 in `amount`: back pay for earlier months.
    public var backPay = Money(fen: 0)
}

/// A village's share of a roster.
public struct PaymentVillageTotal: Equatable, Sendable {
    public var village: String
    public var lines: Int
    public var persons: Int
    public var total: Money
}

/// A township's share of a roster, in a county file.
public struct PaymentTownshipTotal: Equatable, Sendable {
    public var code: String
    public var name: String
    public var lines: Int
    public var persons: Int
    public var total: Money
    public var withoutCard: Int
    public var backPay: Money

    public init(code: String, name: String, lines: Int, persons: Int, total: Money, withoutCard: Int, backPay: Money) {
        self.code = code; self.name = name; self.lines = lines; self.persons = persons; self.total = total
        self.withoutCard = withoutCard; self.backPay = backPay
    }

    /// The roster as this township's own: its lines, persons and money in the totals.
    public func roster(_ r: PaymentRoster) -> PaymentRoster {
        var t = r
        t.lines = lines; t.persons = persons; t.total = total; t.withoutCard = withoutCard; t.backPay = backPay
        return t
    }
}

extension Store {
    /// Make (or make again, while a draft) the roster of `programme` for `month` ("YYYY-MM") from
    /// the cases' step records, not from what the cases are today: every case due for the month
    /// (decided, paid from the month after the decision or as `payment_start_months` says, not
    /// stopped or suspended before the month) at the amount in force for it, paid to the case's
    /// person (特困) or else the household head, at the household's bank card. A month already on
    /// a confirmed roster that a later record makes due (a late decision, a raise from an earlier
    /// month) is paid on this one as 补发, month by month; an overpayment is not taken back here.
    @discardableResult
    public func makeRoster(month: String, programme: Programme, catalog: ProgrammeCatalog, by actor: String) throws -> PaymentRoster {
        guard catalog.definition(programme).isMonthly else {
            throw StoreError.said("store.paymentRoster.isPaidOnceNot", ["label_zh": "\(programme.label.zh)", "label_en": "\(programme.label.en)"])
        }
        guard let payMonth = PayMonth(month) else { throw StoreError.said("store.paymentRoster.theMonthIsWritten") }
        let id: Int64 = try write { db in
            try Store.authorize(db, actor, .makeRoster)
            // Paying is the township's (its bank, its families): the county's file, holding every
            // township's cases, makes no roster (issue 25's ownership); it sees theirs by package.
            if try Store.exchangeSide(db) == "county" { throw StoreError.said("store.exchange.townshipWork", ["table": "payment_roster"]) }
            let id: Int64
            let township = try Store.setting(db, "office.township_code") ?? ""
            if let row = try Row.fetchOne(db, sql: "SELECT id, state FROM payment_roster WHERE township = ? AND month = ? AND programme = ?",
                                          arguments: [township, month, programme.rawValue]) {
                guard (row["state"] as String) == PaymentRoster.State.draft.rawValue else {
                    throw StoreError.said("store.paymentRoster.theRosterOfIs", ["month": "\(month)", "label_zh": "\(programme.label.zh)", "label_en": "\(programme.label.en)"])
                }
                // The same draft, made again: same number, new lines, a new version (a box opened
                // on the old lines cannot confirm these).
                id = row["id"]
                try db.execute(sql: "DELETE FROM payment_line WHERE roster_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM payment_village WHERE roster_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM payment_back WHERE roster_id = ?", arguments: [id])
                try db.execute(sql: "UPDATE payment_roster SET made_by = ?, made_at = ?, version = version + 1 WHERE id = ?",
                               arguments: [actor, Timestamp.now(), id])
            } else {
                try db.execute(sql: """
                    INSERT INTO payment_roster(township, month, programme, state, made_by, made_at, lines, persons, total_fen, without_card)
                    VALUES (?, ?, ?, 'draft', ?, ?, 0, 0, 0, 0)
                    """, arguments: [township, month, programme.rawValue, actor, Timestamp.now()])
                id = db.lastInsertedRowID
            }
            // Months before this one already sent to the bank, and the newest record each had seen.
            let confirmed = try Row.fetchAll(db, sql: """
                SELECT id, month, steps_seen, arrivals_seen FROM payment_roster
                WHERE township = ? AND programme = ? AND state = 'confirmed' AND month < ? ORDER BY month
                """, arguments: [township, programme.rawValue, month]).compactMap { r -> (id: Int64, month: PayMonth, seen: Int64, arrived: Int64)? in
                guard let m = PayMonth(r["month"] as String) else { return nil }
                return (r["id"], m, r["steps_seen"], r["arrivals_seen"])
            }
            // Steps of this file are new to a roster by their id; steps the county decided, by the
            // package that brought them (their ids are the county's, below this file's own).
            let oldestSeen = confirmed.map(\.seen).min() ?? Int64.max
            let oldestArrived = confirmed.map(\.arrived).min() ?? Int64.max
            let newest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM case_step") ?? 0
            let newestArrival = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM exchange_arrival") ?? 0
            try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS roster_calc(case_id INTEGER PRIMARY KEY, persons INTEGER, amount_fen INTEGER, back_fen INTEGER)")
            try db.execute(sql: "DELETE FROM temp.roster_calc")
            let put = try db.cachedStatement(sql: "INSERT INTO temp.roster_calc VALUES (?, ?, ?, ?)")
            let putBack = try db.cachedStatement(sql: "INSERT INTO payment_back(roster_id, case_id, for_month, amount_fen) VALUES (?, ?, ?, ?)")
            // What a month's confirmed roster paid a case, and what later rosters paid it for that month.
            let paidThen = try db.cachedStatement(sql: """
                SELECT coalesce((SELECT amount_fen - back_fen FROM payment_line WHERE roster_id = ?1 AND case_id = ?2), 0)
                     + coalesce((SELECT sum(b.amount_fen) FROM payment_back b JOIN payment_roster r ON r.id = b.roster_id
                                 WHERE b.case_id = ?2 AND b.for_month = ?3 AND r.state = 'confirmed'), 0)
                """)
            try Store.eachCasePayRecords(db, programmes: [programme], catalog: catalog) { c in
                var persons = 0
                var amount: Int64 = 0, back: Int64 = 0
                if let d = PaymentRules.due(c.events, month: payMonth) { amount = d.amount; persons = d.persons }
                if c.newestStep > oldestSeen || c.newestArrival > oldestArrived {
                    for r in confirmed where c.newestStep > r.seen || c.newestArrival > r.arrived {
                        guard let d = PaymentRules.due(c.events, month: r.month) else { continue }
                        let paid = try Int64.fetchOne(paidThen, arguments: [r.id, c.caseId, r.month.description]) ?? 0
                        guard d.amount > paid else { continue }
                        back += d.amount - paid
                        if persons == 0 { persons = d.persons }
                        try putBack.execute(arguments: [id, c.caseId, r.month.description, d.amount - paid])
                    }
                }
                if amount + back > 0 { try put.execute(arguments: [c.caseId, persons, amount + back, back]) }
            }
            try db.execute(sql: """
                INSERT INTO payment_line(roster_id, case_id, village_code, payee_name, payee_id, bank_card, persons, amount_fen, back_fen)
                SELECT ?, c.id, c.village_code, coalesce(i.zh, p.name, h.head_name), coalesce(i.code, p.id_number, h.head_id),
                       CASE WHEN i.code IS NOT NULL THEN nullif(trim(i.extra), '') ELSE nullif(trim(coalesce(h.bank_card, '')), '') END,
                       t.persons, t.amount_fen, t.back_fen
                FROM temp.roster_calc t JOIN assistance_case c ON c.id = t.case_id JOIN household h ON h.id = c.household_id
                LEFT JOIN person p ON p.id = c.person_id
                -- 集中供养 is paid to the institution (民发〔2021〕43号), to its account.
                LEFT JOIN ref_code i ON i.kind = 'institution' AND i.code = c.institution AND c.support_mode = 'concentrated'
                """, arguments: [id])
            try db.execute(sql: "DELETE FROM temp.roster_calc")
            try db.execute(sql: """
                INSERT INTO payment_village(roster_id, village_code, lines, persons, total_fen)
                SELECT roster_id, village_code, count(*), sum(persons), sum(amount_fen) FROM payment_line WHERE roster_id = ? GROUP BY village_code
                """, arguments: [id])
            try db.execute(sql: """
                UPDATE payment_roster SET (lines, persons, total_fen, without_card, back_fen) =
                    (SELECT count(*), coalesce(sum(persons), 0), coalesce(sum(amount_fen), 0), count(*) - count(bank_card), coalesce(sum(back_fen), 0)
                     FROM payment_line WHERE roster_id = ?1), steps_seen = ?2, arrivals_seen = ?3
                WHERE id = ?1
                """, arguments: [id, newest, newestArrival])
            let r = try Row.fetchOne(db, sql: "SELECT lines, total_fen, back_fen FROM payment_roster WHERE id = ?", arguments: [id])!
            try Audit.append(db, user: actor, action: "roster.make", entity: "roster", entityId: String(id),
                             detail: Audit.detail(["month": month, "programme": programme.rawValue, "lines": String(r["lines"] as Int),
                                                   "total_fen": String(r["total_fen"] as Int64), "back_fen": String(r["back_fen"] as Int64)]))
            return id
        }
        return try roster(id: id)!
    }

    /// Confirm a draft: it is what goes to the bank, and is kept as it is. A case it pays that
    /// still waits at its 发放 step (decided, never paid) has that step completed by it, in the
    /// same transaction, on the confirming person's name.
    public func confirmRoster(id: Int64, version: Int, catalog: ProgrammeCatalog, by actor: String, today: CivilDate = .today) throws {
        try write { db in
            try Store.authorize(db, actor, .confirmRoster)
            guard let row = try Row.fetchOne(db, sql: "SELECT state, version, month, programme FROM payment_roster WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound(entity: "roster", id: String(id))
            }
            guard (row["version"] as Int) == version else { throw StoreError.staleEdit(entity: "roster", id: id) }
            guard (row["state"] as String) == PaymentRoster.State.draft.rawValue else {
                throw StoreError.said("store.paymentRoster.theRosterIsAlready")
            }
            try db.execute(sql: """
                UPDATE payment_roster SET state = 'confirmed', confirmed_by = ?, confirmed_at = ?, version = version + 1 WHERE id = ?
                """, arguments: [actor, Timestamp.now(), id])
            try Audit.append(db, user: actor, action: "roster.confirm", entity: "roster", entityId: String(id), detail: "{}")
            // The first payment completes the 发放 step.
            let programme = Programme(rawValue: row["programme"]) ?? .ruralDibao
            guard let last = catalog.definition(programme).steps.last, !last.isDecision, let role = Role(rawValue: last.role) else { return }
            let settings = try Store.workflowSettings(db, catalog: catalog)
            let waiting = try Row.fetchAll(db, sql: """
                SELECT c.id, l.bank_card IS NOT NULL AS card FROM payment_line l JOIN assistance_case c ON c.id = l.case_id
                WHERE l.roster_id = ? AND c.status = 'in_progress' AND c.step = ?
                """, arguments: [id, last.code])
            for w in waiting {
                let request = CaseRequest(action: .done, actor: actor, role: role, date: today,
                                          inputs: ["firstMonth": row["month"] as String, "method": (w["card"] as Bool) ? "一卡通" : "现金",
                                                   "roster": String(id)])
                _ = try Store.act(db, caseId: w["id"], version: nil, request: request, settings: settings)
            }
        }
    }

    public func rosters() throws -> [PaymentRoster] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM payment_roster ORDER BY month DESC, programme").map(Store.roster) }
    }

    public func roster(id: Int64) throws -> PaymentRoster? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM payment_roster WHERE id = ?", arguments: [try Store.ownId(db, id)]).map(Store.roster) }
    }

    /// Where a screenful of a roster's lines starts: the ends, or just after or before a line.
    public enum LineAnchor: Equatable, Sendable {
        case first, last
        case after(PaymentLine), before(PaymentLine), from(PaymentLine)
    }

    /// The lines by village and payee, as the bank's file and the screen list them: all of them,
    /// or a screenful from an anchor, read by keyset on the index (village, payee, case), so
    /// the last page of 50,000 lines costs what the first does.
    /// `township`: a county file's township only (a range on the same index).
    public func rosterLines(id: Int64, from anchor: LineAnchor = .first, limit: Int = -1, township: String? = nil) throws -> [PaymentLine] {
        var cond = ""
        var args: StatementArguments = [id]
        if let t = township { let r = Store.townshipRange(t); cond = "AND l.village_code BETWEEN ? AND ? "; args += [r.lower, r.upper] }
        let backwards: Bool
        switch anchor {
        case .first: backwards = false
        case .last: backwards = true
        case .after(let l): backwards = false; cond += "AND (l.village_code, l.payee_name, l.case_id) > (?, ?, ?)"; args += [l.villageCode, l.payeeName, l.caseId]
        case .from(let l): backwards = false; cond += "AND (l.village_code, l.payee_name, l.case_id) >= (?, ?, ?)"; args += [l.villageCode, l.payeeName, l.caseId]
        case .before(let l): backwards = true; cond += "AND (l.village_code, l.payee_name, l.case_id) < (?, ?, ?)"; args += [l.villageCode, l.payeeName, l.caseId]
        }
        args += [limit]
        let dir = backwards ? " DESC" : ""
        let rows = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT l.*, coalesce(r.name, l.village_code) AS village FROM payment_line l LEFT JOIN region r ON r.code = l.village_code
                WHERE l.roster_id = ? \(cond) ORDER BY l.village_code\(dir), l.payee_name\(dir), l.case_id\(dir) LIMIT ?
                """, arguments: args).map {
                PaymentLine(caseId: $0["case_id"], villageCode: $0["village_code"], village: $0["village"], payeeName: $0["payee_name"],
                            payeeId: $0["payee_id"], bankCard: $0["bank_card"], persons: $0["persons"], amount: Money(fen: $0["amount_fen"]),
                            backPay: Money(fen: $0["back_fen"]))
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

    /// A county file's roster by township (issue 25 item 4): each township's share (its region
    /// code and name, lines, persons, amount), from the village shares, in code order.
    public func rosterTownshipTotals(id: Int64) throws -> [PaymentTownshipTotal] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT substr(v.village_code, 1, 9) || '000' AS code, coalesce(r.name, substr(v.village_code, 1, 9) || '000') AS name,
                       sum(v.lines) AS n, sum(v.persons) AS p, sum(v.total_fen) AS t,
                       (SELECT count(*) - count(l.bank_card) FROM payment_line l
                        WHERE l.roster_id = v.roster_id AND l.village_code BETWEEN substr(v.village_code, 1, 9) || '000'
                                                                          AND substr(v.village_code, 1, 9) || '999') AS nocard,
                       (SELECT coalesce(sum(l.back_fen), 0) FROM payment_line l
                        WHERE l.roster_id = v.roster_id AND l.village_code BETWEEN substr(v.village_code, 1, 9) || '000'
                                                                          AND substr(v.village_code, 1, 9) || '999') AS back
                FROM payment_village v LEFT JOIN region r ON r.code = substr(v.village_code, 1, 9) || '000'
                WHERE v.roster_id = ? GROUP BY substr(v.village_code, 1, 9) ORDER BY 1
                """, arguments: [id]).map {
                PaymentTownshipTotal(code: $0["code"], name: $0["name"], lines: $0["n"], persons: $0["p"], total: Money(fen: $0["t"]),
                                     withoutCard: $0["nocard"], backPay: Money(fen: $0["back"]))
            }
        }
    }

    /// Record that `actor` took the roster's full numbers out (a file for the bank).
    public func auditRosterExport(id: Int64, to path: String, by actor: String) throws {
        try write { db in
            try Store.authorize(db, actor, .confirmRoster)
            try Audit.append(db, user: actor, action: "roster.export", entity: "roster", entityId: String(id),
                             detail: Audit.detail(["to": path]))
        }
    }

    static func roster(_ r: Row) -> PaymentRoster {
        PaymentRoster(id: r["id"], month: r["month"], programme: Programme(rawValue: r["programme"]) ?? .ruralDibao,
                      state: PaymentRoster.State(rawValue: r["state"]) ?? .draft, madeBy: r["made_by"], madeAt: r["made_at"],
                      confirmedBy: r["confirmed_by"], confirmedAt: r["confirmed_at"], lines: r["lines"], persons: r["persons"],
                      total: Money(fen: r["total_fen"]), withoutCard: r["without_card"], version: r["version"],
                      backPay: Money(fen: r["back_fen"]), township: (r["township"] as String?) ?? "")
    }

    /// "YYYY-MM" with a real month.
    public static func isMonth(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]) else { return false }
        return (2000...2100).contains(y) && (1...12).contains(m)
    }
}
