import Foundation
import GRDB
import JiuzhuModel

/// One programme's figures for a period, as the county asks for them at year end (domain.md,
/// "What the county asks for"), worked out from the cases' own step records only, so the same
/// period gives the same table on any later day.
public struct ProgrammeFigures: Equatable, Sendable {
    public struct Count: Equatable, Sendable {
        public var households = 0
        public var persons = 0
        mutating func add(_ persons: Int) { households += 1; self.persons += persons }
    }
    public var programme: Programme
    /// 低保 and 特困 are paid monthly; the others are one-off grants.
    public var monthly: Bool
    /// On the roll (in force, paid or suspended) the day before the period and on its last day.
    public var atStart = Count()
    public var atEnd = Count()
    /// 新增: approved in the period (a one-off grant: 户次 / 人次 granted).
    public var added = Count()
    /// 调整: amounts adjusted in the period (each case once).
    public var adjusted = Count()
    /// 取消 and 清退: benefits stopped in the period, by the stop's kind.
    public var cancelled = Count()
    public var cleared = Count()
    /// 暂停: suspended in the period.
    public var suspended = Count()
    /// Monthly programmes: the amounts due (应发) for each month whose last day is in the period,
    /// as `PaymentRules` works them out from the records (what that month's roster pays). One-off:
    /// the amounts granted.
    public var amount = Money(fen: 0)
    /// Monthly programmes: what the confirmed payment rosters of the months ending in the period
    /// sent to the bank (实发), and how many months had one; nil when none had.
    public var paid: Money?
    public var rosterMonths = 0
    /// The months whose last day is in the period (what a full set of rosters would be).
    public var periodMonths = 0
}

extension Store {
    /// Every programme's figures for `from`…`until` (inclusive), from the step records dated up to
    /// `until`. Persons are those covered at the case's last decision or adjustment on or before
    /// the date when the record says (`covered`), otherwise the case's present count.
    /// `township`: a county file's township (its code) only, else the whole file.
    public func yearFigures(from: CivilDate, until: CivilDate, catalog: ProgrammeCatalog, township: String? = nil) throws -> [ProgrammeFigures] {
        try read { db in
            try Store.yearFigureTables(db, from: from, until: until, catalog: catalog, township: township, groups: [""]) { _ in "" }[""]
                ?? Store.emptyFigures(catalog)
        }
    }

    /// A county file's year table per township (issue 25 item 4), in one pass over the records:
    /// each township (its region code) with its programmes' figures, in code order. A case
    /// counts in the township of its village, so the townships' figures add up to the file's.
    public func yearFiguresByTownship(from: CivilDate, until: CivilDate, catalog: ProgrammeCatalog) throws -> [(township: String, figures: [ProgrammeFigures])] {
        try read { db in
            let towns = try Store.townships(db).map { Store.townshipPrefix($0.code) }
            let tables = try Store.yearFigureTables(db, from: from, until: until, catalog: catalog, township: nil, groups: towns) { Store.townshipPrefix($0) }
            return tables.keys.sorted().map { ($0 + "000", tables[$0] ?? Store.emptyFigures(catalog)) }
        }
    }

    static func emptyFigures(_ catalog: ProgrammeCatalog) -> [ProgrammeFigures] {
        Programme.allCases.map { ProgrammeFigures(programme: $0, monthly: catalog.definition($0).isMonthly) }
    }

    /// The figures by a key of each case's village code (`""` for one table of them all), only
    /// the cases of `township` when given; every key of `groups` has a table, if only of zeros.
    static func yearFigureTables(_ db: Database, from: CivilDate, until: CivilDate, catalog: ProgrammeCatalog, township: String?,
                                 groups: [String], key: (String) -> String) throws -> [String: [ProgrammeFigures]] {
        guard from <= until else {
            throw StoreError.said("store.yearFigures.thePeriodStartsAfter", ["fromIso_zh": "\(from.iso)", "untilIso_zh": "\(until.iso)"])
        }
        // A decision sets the amount and the persons; a monthly benefit is in force from the
        // record that finishes the programme's last step (the first payment for rural 低保, the
        // approval itself for urban 低保 and 特困), as the workflow makes the case active.
        // (The last step of either path: 审核确认权下放 puts the township's confirmation last.)
        var decisions: [Programme: Set<String>] = [:], finals: [Programme: Set<String>] = [:]
        for p in Programme.allCases {
            let steps = catalog.definition(p).steps
            decisions[p] = Set(steps.filter(\.isDecision).map(\.code))
            finals[p] = Set(steps.filter { $0.final != nil }.map(\.code))
        }
        let named = Set(decisions.values.flatMap { $0 } + finals.values.flatMap { $0 })
        let marks = named.map { _ in "?" }.joined(separator: ", ")
        let empty = Dictionary(uniqueKeysWithValues: Programme.allCases.map { p in
            (p, ProgrammeFigures(programme: p, monthly: catalog.definition(p).isMonthly))
        })
        var tables = Dictionary(groups.map { ($0, empty) }, uniquingKeysWith: { a, _ in a })
        var args: [DatabaseValueConvertible] = [until.iso]
        args += Array(named)
        var inTownship = ""
        if let t = township {
            let r = Store.townshipRange(t)
            inTownship = "AND c.village_code BETWEEN ? AND ?"
            args += [r.lower, r.upper]
        }
        let rows = try Row.fetchCursor(db, sql: """
            SELECT s.case_id, c.programme, c.covered_members, s.step, s.action, s.acted_on,
                   json_extract(s.inputs, '$.kind') AS kind, json_extract(s.inputs, '$.monthlyFen') AS m,
                   json_extract(s.inputs, '$.amountFen') AS a, json_extract(s.inputs, '$.covered') AS covered, c.village_code
            FROM case_step s JOIN assistance_case c ON c.id = s.case_id
            WHERE s.acted_on <= ?
              AND (s.action IN ('adjust', 'terminate', 'suspend', 'resume') OR (s.action IN ('approve', 'done') AND s.step IN (\(marks))))
              \(inTownship)
            ORDER BY s.case_id, s.acted_on, s.id
            """, arguments: StatementArguments(args))
        let ends = Store.monthEnds(from: from, until: until)
        var caseId: Int64 = -1
        var programme = Programme.ruralDibao
        var present = 0
        var group = ""
        var events: [FigureEvent] = []
        func flush() {
            guard caseId >= 0, var f = tables[group, default: empty][programme] else { return }
            Store.account(events, into: &f, present: present, from: from, until: until, monthEnds: ends,
                          decisions: decisions[programme] ?? [], final: finals[programme] ?? [])
            tables[group, default: empty][programme] = f
        }
        // Columns by position: 190,000 rows at 100,000 households.
        while let r = try rows.next() {
            let id: Int64 = r[0]
            if id != caseId {
                flush()
                caseId = id; events = []
                programme = Programme(rawValue: r[1]) ?? .ruralDibao
                present = r[2]
                group = key(r[10])
            }
            events.append(FigureEvent(on: CivilDate(iso: r[5]) ?? until, step: r[3], action: r[4], kind: r[6],
                                      monthlyFen: r[7], amountFen: r[8], covered: r[9]))
        }
        flush()
        // The money due for each month whose last day is in the period, case by case from
        // its records (those dated in the period or before), as the month's roster pays it.
        let dueMonths = ends.map(PayMonth.init)
        if !dueMonths.isEmpty {
            try Store.eachCasePayRecords(db, programmes: catalog.monthlyProgrammes, catalog: catalog, until: until, township: township) { c in
                var sum: Int64 = 0
                for m in dueMonths { sum += PaymentRules.due(c.events, month: m)?.amount ?? 0 }
                if sum != 0 { tables[key(c.villageCode), default: empty][c.programme]?.amount.fen += sum }
            }
        }
        // The confirmed rosters of the months whose last day is in the period: each township's
        // share from the rosters' village shares. A roster counts for a table's months when it
        // pays there or is that township's own (v26: a county file holds every township's
        // rosters, one each per month): months, not rosters, so three townships' rosters of one
        // month are one month of the total.
        let months = Set(ends.map { String(format: "%04d-%02d", $0.year, $0.month) })
        let owned = try db.columns(in: "payment_roster").contains { $0.name == "township" }
        var paidMonths: [String: [Programme: Set<String>]] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT id, programme, month, \(owned ? "township" : "''") AS township FROM payment_roster WHERE state = 'confirmed'") {
            let month: String = r["month"]
            guard months.contains(month), let p = Programme(rawValue: r["programme"]), empty[p]?.monthly == true else { continue }
            var share: [String: Int64] = [:]
            for v in try Row.fetchAll(db, sql: "SELECT village_code, total_fen FROM payment_village WHERE roster_id = ?", arguments: [r["id"] as Int64]) {
                let code: String = v["village_code"]
                if let t = township, Store.townshipPrefix(code) != Store.townshipPrefix(t) { continue }
                share[key(code), default: 0] += v["total_fen"]
            }
            var groups = Set(share.keys)
            let own: String = r["township"]
            // (One made in the county's own file, township digits 000, is no township's own.)
            if Region.isValidCode(own), !own.dropFirst(6).hasPrefix("000"),
               township.map({ Store.townshipPrefix($0) == Store.townshipPrefix(own) }) ?? true { groups.insert(key(own)) }
            for g in groups {
                var f = tables[g, default: empty][p] ?? ProgrammeFigures(programme: p, monthly: true)
                f.paid = Money(fen: (f.paid?.fen ?? 0) + (share[g] ?? 0))
                tables[g, default: empty][p] = f
                paidMonths[g, default: [:]][p, default: []].insert(month)
            }
        }
        for (g, byProgramme) in paidMonths { for (p, m) in byProgramme { tables[g]?[p]?.rosterMonths = m.count } }
        for g in tables.keys { for p in Programme.allCases { tables[g]?[p]?.periodMonths = months.count } }
        return tables.mapValues { t in Programme.allCases.compactMap { t[$0] } }
    }

    /// The last day of each month that ends within `from`…`until`.
    static func monthEnds(from: CivilDate, until: CivilDate) -> [CivilDate] {
        var out: [CivilDate] = []
        var y = from.year, m = from.month
        while true {
            guard let end = CivilDate(year: y, month: m, day: CivilDate.daysIn(month: m, year: y)) else { break }
            if end > until { break }
            if end >= from { out.append(end) }
            m += 1
            if m > 12 { m = 1; y += 1 }
        }
        return out
    }

    /// One case's records (in date order, none after the period) counted into `f`.
    static func account(_ events: [FigureEvent], into f: inout ProgrammeFigures, present: Int, from: CivilDate, until: CivilDate,
                        monthEnds: [CivilDate], decisions: Set<String>, final: Set<String>) {
        var onRoll = false
        var persons = present
        var startSeen = false
        var added = false, adjusted = false, stopped = false, suspended = false
        let ends = f.monthly ? monthEnds : []
        var nextEnd = 0
        func snapshot(before day: CivilDate) {
            // Month ends passed before this record take the state as it stood.
            // (The money due is worked out apart, by `PaymentRules`, as the rosters pay it.)
            while nextEnd < ends.count && ends[nextEnd] < day { nextEnd += 1 }
            if !startSeen && day >= from {
                startSeen = true
                if f.monthly && onRoll { f.atStart.add(persons) }
            }
        }
        for e in events {
            snapshot(before: e.on)
            let inPeriod = e.on >= from
            let decision = e.action == "approve" && decisions.contains(e.step)
            let finishes = (e.action == "approve" || e.action == "done") && final.contains(e.step)
            if decision {
                persons = e.covered ?? persons
                if !f.monthly && inPeriod {
                    f.added.add(persons)
                    f.amount = Money(fen: f.amount.fen + (e.amountFen ?? 0))
                }
            }
            if finishes && f.monthly && !onRoll {
                onRoll = true
                if inPeriod && !added { added = true; f.added.add(persons) }
            }
            switch e.action {
            case "adjust":
                persons = e.covered ?? persons
                if inPeriod && !adjusted { adjusted = true; f.adjusted.add(persons) }
            case "terminate":
                if inPeriod && !stopped {
                    stopped = true
                    if e.kind == "clear" { f.cleared.add(persons) } else { f.cancelled.add(persons) }
                }
                onRoll = false
            case "suspend":
                if inPeriod && !suspended { suspended = true; f.suspended.add(persons) }
            default: break
            }
        }
        snapshot(before: until.adding(days: 1))
        if f.monthly && onRoll { f.atEnd.add(persons) }
    }
}

/// A step record that moves a case onto or off the roll, or changes what it is paid.
struct FigureEvent {
    var on: CivilDate
    var step: String
    var action: String
    var kind: String?
    var monthlyFen: Int64?
    var amountFen: Int64?
    var covered: Int?
}
