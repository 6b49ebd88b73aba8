import Foundation
import GRDB
import JiuzhuModel

// 倒损住房恢复重建 (《自然灾害救助条例》第二十条: 本人申请, 乡镇审核, 县级审批): each house from
// the application to the family moving in (入住), every stage dated and in order, the subsidy
// paid in instalments never beyond what was approved, and the houses not yet 入住 with those
// past their day.

extension Store {
    static let houseSQL = """
        SELECT d.*, h.head_name, COALESCE(r.name, v.village_code) AS village_name,
               (SELECT COALESCE(SUM(amount_fen), 0) FROM disaster_house_payment p WHERE p.house_id = d.id) AS paid_fen,
               (SELECT count(*) FROM disaster_house_payment p WHERE p.house_id = d.id) AS instalments
        FROM disaster_house d JOIN disaster_victim v ON v.id = d.victim_id JOIN household h ON h.id = d.household_id
        LEFT JOIN region r ON r.code = v.village_code
        """

    static func house(from r: Row) -> DisasterHouse {
        var dates: [HouseStage: CivilDate] = [:]
        for s in HouseStage.allCases { if let d = (r[s.column] as String?).flatMap(CivilDate.init(iso:)) { dates[s] = d } }
        return DisasterHouse(id: r["id"], eventId: r["event_id"], victimId: r["victim_id"], householdId: r["household_id"], headName: r["head_name"],
                             villageName: r["village_name"], kind: DisasterHouse.Kind(rawValue: r["kind"]) ?? .repair,
                             subsidy: Money(fen: r["subsidy_fen"]), paid: Money(fen: r["paid_fen"]), instalments: r["instalments"],
                             stage: HouseStage(rawValue: r["stage"]) ?? .applied, dates: dates, dueOn: CivilDate(iso: r["due_on"]) ?? .today,
                             version: r["version"])
    }

    /// The houses of an event (or every event), village by village.
    public func disasterHouses(eventId: Int64? = nil) throws -> [DisasterHouse] {
        try read { db in
            let filter = eventId == nil ? "" : " WHERE d.event_id = ?"
            return try Row.fetchAll(db, sql: Store.houseSQL + filter + " ORDER BY v.village_code, h.head_py, d.id",
                                    arguments: StatementArguments(eventId.map { [$0] } ?? [])).map(Store.house(from:))
        }
    }

    public func disasterHouse(id: Int64) throws -> DisasterHouse? {
        try read { db in try Row.fetchOne(db, sql: Store.houseSQL + " WHERE d.id = ?", arguments: [id]).map(Store.house(from:)) }
    }

    /// Houses not yet moved into, the overdue first (oldest day first), then by their day.
    public func housesNotMovedIn(today: CivilDate) throws -> [DisasterHouse] {
        try read { db in
            try Row.fetchAll(db, sql: Store.houseSQL + " WHERE d.stage <> 'moved_in' ORDER BY d.due_on < ? DESC, d.due_on, d.id", arguments: [today.iso])
                .map(Store.house(from:))
        }
    }

    /// 本人申请: a household on the ledger applies to rebuild (a collapsed or badly damaged house)
    /// or repair (any damage), with the subsidy asked and the day the family is to move in by.
    @discardableResult
    public func applyHouse(victimId: Int64, kind: DisasterHouse.Kind, subsidy: Money, dueOn: CivilDate, on date: CivilDate,
                           by user: String, today: CivilDate = .today) throws -> Int64 {
        try write { db in
            try Store.authorize(db, user, .disasterWork)
            guard let v = try Store.victim(db, victimId) else { throw StoreError.said("disaster.err.noVictim", ["id": String(victimId)]) }
            if v.damage == .none { throw StoreError.said("disaster.err.houseNoDamage", ["head": v.headName]) }
            if kind == .rebuild && v.damage == .general { throw StoreError.said("disaster.err.rebuildGeneral", ["head": v.headName]) }
            if subsidy.fen <= 0 || subsidy > Money.largestEntered { throw StoreError.said("disaster.err.subsidy") }
            if date > today { throw StoreError.said("disaster.err.future", ["date": date.iso]) }
            if dueOn < date { throw StoreError.said("disaster.err.dueBeforeApplied") }
            if let other = try Int64.fetchOne(db, sql: "SELECT id FROM disaster_house WHERE victim_id = ?", arguments: [victimId]) {
                throw StoreError.said("disaster.err.houseTwice", ["head": v.headName, "id": String(other)])
            }
            try db.execute(sql: """
                INSERT INTO disaster_house(event_id, victim_id, household_id, kind, subsidy_fen, stage, applied_on, due_on, recorded_by)
                VALUES (?, ?, ?, ?, ?, 'applied', ?, ?, ?)
                """, arguments: [v.eventId, victimId, v.householdId, kind.rawValue, subsidy.fen, date.iso, dueOn.iso, user])
            let id = db.lastInsertedRowID
            try Audit.append(db, user: user, action: "disaster_house.apply", entity: "disaster_house", entityId: String(id),
                             detail: Audit.detail(["victim": String(victimId), "kind": kind.rawValue, "subsidy": subsidy.yuanString, "due": dueOn.iso]))
            return id
        }
    }

    /// The next stage, dated: only the next one, never before the stage before it nor after
    /// today; 乡镇核实 by a reviewer, 民政审批 by an approver. Moving in needs the house accepted
    /// (竣工验收) first, as the order says.
    public func advanceHouse(id: Int64, version: Int, to stage: HouseStage, on date: CivilDate, by user: String, today: CivilDate = .today) throws {
        try write { db in
            let u = try Store.authorize(db, user, .disasterWork)
            guard let h = try Row.fetchOne(db, sql: Store.houseSQL + " WHERE d.id = ?", arguments: [id]).map(Store.house(from:)) else {
                throw StoreError.said("disaster.err.noHouse", ["id": String(id)])
            }
            if !stage.roles.contains(u.role) {
                throw StoreError.said("disaster.err.houseRole", ["stage_zh": stage.label.zh, "stage_en": stage.label.en,
                                                                 "roles_zh": Strings.shared.list(stage.roles.sorted { $0.rawValue < $1.rawValue }.map(\.label.zh), .zh),
                                                                 "roles_en": stage.roles.sorted { $0.rawValue < $1.rawValue }.map(\.label.en).joined(separator: ", ")])
            }
            guard h.stage.next == stage else {
                throw StoreError.said("disaster.err.houseOrder", ["now_zh": h.stage.label.zh, "now_en": h.stage.label.en,
                                                                  "next_zh": h.stage.next?.label.zh ?? "-", "next_en": h.stage.next?.label.en ?? "-"])
            }
            let prev = h.dates[h.stage] ?? date
            if date < prev || date > today { throw StoreError.said("disaster.err.houseDate", ["date": date.iso, "prev": prev.iso]) }
            try db.execute(sql: "UPDATE disaster_house SET stage = ?, \(stage.column) = ?, version = version + 1 WHERE id = ? AND version = ?",
                           arguments: [stage.rawValue, date.iso, id, version])
            if db.changesCount == 0 { throw StoreError.staleEdit(entity: "disaster_house", id: id) }
            try Audit.append(db, user: user, action: "disaster_house.\(stage.rawValue)", entity: "disaster_house", entityId: String(id),
                             detail: Audit.detail(["on": date.iso]))
        }
    }

    /// One instalment of the subsidy: only once approved, never beyond the subsidy.
    @discardableResult
    public func payHouseInstalment(id: Int64, amount: Money, on date: CivilDate, by user: String, today: CivilDate = .today) throws -> Int {
        try write { db in
            try Store.authorize(db, user, .disasterWork)
            guard let h = try Row.fetchOne(db, sql: Store.houseSQL + " WHERE d.id = ?", arguments: [id]).map(Store.house(from:)) else {
                throw StoreError.said("disaster.err.noHouse", ["id": String(id)])
            }
            guard let approved = h.dates[.approved] else { throw StoreError.said("disaster.err.payBeforeApproval", ["head": h.headName]) }
            if amount.fen <= 0 { throw StoreError.said("disaster.err.subsidy") }
            if date < approved || date > today { throw StoreError.said("disaster.err.houseDate", ["date": date.iso, "prev": approved.iso]) }
            if h.paid + amount > h.subsidy {
                throw StoreError.said("disaster.err.beyondSubsidy", ["subsidy": h.subsidy.yuanString, "paid": h.paid.yuanString, "asked": amount.yuanString])
            }
            let n = h.instalments + 1
            try db.execute(sql: "INSERT INTO disaster_house_payment(house_id, instalment, paid_on, amount_fen, paid_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [id, n, date.iso, amount.fen, user, Timestamp.now()])
            try Audit.append(db, user: user, action: "disaster_house.pay", entity: "disaster_house", entityId: String(id),
                             detail: Audit.detail(["instalment": String(n), "amount": amount.yuanString, "on": date.iso]))
            return n
        }
    }
}
