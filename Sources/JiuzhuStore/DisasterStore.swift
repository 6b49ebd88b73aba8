import Foundation
import GRDB
import JiuzhuModel

// Disaster work (issue 24): events, stage reports and the victims' ledger. Relief, cards and
// goods are in DisasterRelief.swift, houses in DisasterHouses.swift, the year's figures in
// DisasterFigures.swift. Every change is one transaction with its audit row.

extension Store {
    /// Migration v19: the disaster tables. Reports, distributions and goods movements are kept
    /// for good (never changed or deleted); stock can never go below zero (a trigger backs the
    /// store's own check).
    static func createDisasterTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE disaster_event(
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                name TEXT NOT NULL,
                started_on TEXT NOT NULL,
                ended_on TEXT,
                villages TEXT NOT NULL,
                recorded_by TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                version INTEGER NOT NULL DEFAULT 1);
            CREATE TABLE disaster_report(
                id INTEGER PRIMARY KEY,
                event_id INTEGER NOT NULL REFERENCES disaster_event(id),
                stage TEXT NOT NULL CHECK (stage IN ('initial', 'update', 'final')),
                reported_on TEXT NOT NULL,
                figures TEXT NOT NULL,
                reported_by TEXT NOT NULL,
                recorded_at TEXT NOT NULL);
            CREATE INDEX disaster_report_by_event ON disaster_report(event_id, id);
            CREATE TRIGGER disaster_report_kept_update BEFORE UPDATE ON disaster_report
                BEGIN SELECT RAISE(ABORT, 'disaster_report rows are never changed'); END;
            CREATE TRIGGER disaster_report_kept_delete BEFORE DELETE ON disaster_report
                BEGIN SELECT RAISE(ABORT, 'disaster_report rows are never deleted'); END;
            CREATE TABLE disaster_victim(
                id INTEGER PRIMARY KEY,
                event_id INTEGER NOT NULL REFERENCES disaster_event(id),
                household_id INTEGER NOT NULL REFERENCES household(id),
                village_code TEXT NOT NULL,
                persons INTEGER NOT NULL CHECK (persons > 0),
                damage TEXT NOT NULL CHECK (damage IN ('none', 'general', 'severe', 'collapsed')),
                rooms INTEGER NOT NULL CHECK (rooms >= 0),
                relocated INTEGER NOT NULL DEFAULT 0,
                need_relief INTEGER NOT NULL DEFAULT 0,
                needs TEXT NOT NULL DEFAULT '',
                recorded_on TEXT NOT NULL,
                checked_on TEXT,
                checked_by TEXT,
                recorded_by TEXT NOT NULL,
                version INTEGER NOT NULL DEFAULT 1,
                UNIQUE (event_id, household_id));
            CREATE INDEX disaster_victim_by_village ON disaster_victim(event_id, village_code, id);
            CREATE TABLE disaster_card(
                id INTEGER PRIMARY KEY,
                number TEXT NOT NULL UNIQUE,
                event_id INTEGER NOT NULL REFERENCES disaster_event(id),
                victim_id INTEGER NOT NULL REFERENCES disaster_victim(id),
                scope TEXT NOT NULL CHECK (scope IN ('event', 'winter')),
                season TEXT NOT NULL DEFAULT '',
                issued_on TEXT NOT NULL,
                issued_by TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                UNIQUE (victim_id, scope, season));
            CREATE TABLE disaster_grant(
                case_id INTEGER PRIMARY KEY REFERENCES assistance_case(id),
                event_id INTEGER NOT NULL REFERENCES disaster_event(id),
                victim_id INTEGER NOT NULL REFERENCES disaster_victim(id),
                period TEXT NOT NULL CHECK (period IN ('emergency', 'transition', 'winter')),
                season TEXT NOT NULL DEFAULT '',
                persons INTEGER NOT NULL CHECK (persons > 0),
                days INTEGER NOT NULL DEFAULT 0,
                needs TEXT NOT NULL DEFAULT '',
                granted_on TEXT NOT NULL,
                card_id INTEGER REFERENCES disaster_card(id));
            CREATE INDEX disaster_grant_by_victim ON disaster_grant(victim_id, period);
            CREATE INDEX disaster_grant_by_card ON disaster_grant(card_id);
            CREATE TABLE disaster_grant_item(
                case_id INTEGER NOT NULL REFERENCES disaster_grant(case_id),
                item TEXT NOT NULL,
                quantity INTEGER NOT NULL CHECK (quantity > 0),
                PRIMARY KEY (case_id, item));
            CREATE TABLE disaster_distribution(
                id INTEGER PRIMARY KEY,
                card_id INTEGER NOT NULL REFERENCES disaster_card(id),
                handed_on TEXT NOT NULL,
                cash_fen INTEGER NOT NULL CHECK (cash_fen >= 0),
                receiver TEXT NOT NULL,
                issued_by TEXT NOT NULL,
                note TEXT NOT NULL DEFAULT '',
                recorded_at TEXT NOT NULL);
            CREATE INDEX disaster_distribution_by_card ON disaster_distribution(card_id, id);
            CREATE TABLE disaster_distribution_item(
                distribution_id INTEGER NOT NULL REFERENCES disaster_distribution(id),
                item TEXT NOT NULL,
                quantity INTEGER NOT NULL CHECK (quantity > 0),
                PRIMARY KEY (distribution_id, item));
            CREATE TRIGGER disaster_distribution_kept_update BEFORE UPDATE ON disaster_distribution
                BEGIN SELECT RAISE(ABORT, 'disaster_distribution rows are never changed'); END;
            CREATE TRIGGER disaster_distribution_kept_delete BEFORE DELETE ON disaster_distribution
                BEGIN SELECT RAISE(ABORT, 'disaster_distribution rows are never deleted'); END;
            -- Goods in and out: a receipt adds, an issue (against a card's distribution) takes
            -- away, a stock-take records the difference counted (with its reason).
            CREATE TABLE relief_goods(
                id INTEGER PRIMARY KEY,
                item TEXT NOT NULL,
                movement TEXT NOT NULL CHECK (movement IN ('receipt', 'issue', 'stocktake')),
                quantity INTEGER NOT NULL,
                moved_on TEXT NOT NULL,
                source TEXT NOT NULL DEFAULT '',
                event_id INTEGER REFERENCES disaster_event(id),
                distribution_id INTEGER REFERENCES disaster_distribution(id),
                counted INTEGER,
                reason TEXT NOT NULL DEFAULT '',
                recorded_by TEXT NOT NULL,
                recorded_at TEXT NOT NULL);
            CREATE INDEX relief_goods_by_item ON relief_goods(item, moved_on, id);
            CREATE TRIGGER relief_goods_kept_update BEFORE UPDATE ON relief_goods
                BEGIN SELECT RAISE(ABORT, 'relief_goods rows are never changed'); END;
            CREATE TRIGGER relief_goods_kept_delete BEFORE DELETE ON relief_goods
                BEGIN SELECT RAISE(ABORT, 'relief_goods rows are never deleted'); END;
            CREATE TRIGGER relief_goods_no_negative_stock BEFORE INSERT ON relief_goods
                WHEN NEW.quantity < 0 AND (SELECT COALESCE(SUM(quantity), 0) FROM relief_goods WHERE item = NEW.item) + NEW.quantity < 0
                BEGIN SELECT RAISE(ABORT, 'relief_goods: beyond the stock on hand'); END;
            CREATE TABLE disaster_house(
                id INTEGER PRIMARY KEY,
                event_id INTEGER NOT NULL REFERENCES disaster_event(id),
                victim_id INTEGER NOT NULL UNIQUE REFERENCES disaster_victim(id),
                household_id INTEGER NOT NULL REFERENCES household(id),
                kind TEXT NOT NULL CHECK (kind IN ('rebuild', 'repair')),
                subsidy_fen INTEGER NOT NULL CHECK (subsidy_fen > 0),
                stage TEXT NOT NULL,
                applied_on TEXT NOT NULL,
                verified_on TEXT,
                approved_on TEXT,
                started_on TEXT,
                structure_done_on TEXT,
                accepted_on TEXT,
                moved_in_on TEXT,
                due_on TEXT NOT NULL,
                recorded_by TEXT NOT NULL,
                version INTEGER NOT NULL DEFAULT 1);
            CREATE TABLE disaster_house_payment(
                id INTEGER PRIMARY KEY,
                house_id INTEGER NOT NULL REFERENCES disaster_house(id),
                instalment INTEGER NOT NULL,
                paid_on TEXT NOT NULL,
                amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
                paid_by TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                UNIQUE (house_id, instalment));
            CREATE TRIGGER disaster_house_payment_kept_update BEFORE UPDATE ON disaster_house_payment
                BEGIN SELECT RAISE(ABORT, 'disaster_house_payment rows are never changed'); END;
            CREATE TRIGGER disaster_house_payment_kept_delete BEFORE DELETE ON disaster_house_payment
                BEGIN SELECT RAISE(ABORT, 'disaster_house_payment rows are never deleted'); END;
            """)
    }

    /// A field's name in both languages, for `TextBounds`.
    static func fieldName(_ key: String) -> (zh: String, en: String) { let t = sayBoth(key); return (t.zh, t.en) }

    // MARK: events

    static func disasterEvent(from r: Row) -> DisasterEvent {
        DisasterEvent(id: r["id"], kind: r["kind"], name: r["name"], startedOn: CivilDate(iso: r["started_on"]) ?? .today,
                      endedOn: (r["ended_on"] as String?).flatMap(CivilDate.init(iso:)),
                      villages: (r["villages"] as String).split(separator: ",").map(String.init), recordedBy: r["recorded_by"], version: r["version"])
    }

    public func disasterEvents() throws -> [DisasterEvent] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM disaster_event ORDER BY started_on DESC, id DESC").map(Store.disasterEvent(from:)) }
    }

    public func disasterEvent(id: Int64) throws -> DisasterEvent? {
        try read { db in try Store.disasterEvent(db, id) }
    }

    static func disasterEvent(_ db: Database, _ id: Int64) throws -> DisasterEvent? {
        try Row.fetchOne(db, sql: "SELECT * FROM disaster_event WHERE id = ?", arguments: [id]).map(Store.disasterEvent(from:))
    }

    static func mustEvent(_ db: Database, _ id: Int64) throws -> DisasterEvent {
        guard let e = try disasterEvent(db, id) else { throw StoreError.said("disaster.err.noEvent", ["id": String(id)]) }
        return e
    }

    /// The kinds of disaster (data/disaster_kinds.csv).
    public func disasterKinds() throws -> [RefCode] { try read { db in try ReferenceData.codes(db, kind: .disasterKind) } }
    /// The relief items with their units (data/relief_items.csv).
    public func reliefItems() throws -> [RefCode] { try read { db in try ReferenceData.codes(db, kind: .reliefItem) } }

    /// Register a disaster: its kind, a name, when it started (and ended, if over), the villages hit.
    @discardableResult
    public func addDisasterEvent(kind: String, name: String, startedOn: CivilDate, endedOn: CivilDate? = nil, villages: [String],
                                 by user: String, today: CivilDate = .today) throws -> Int64 {
        let title = name.trimmingCharacters(in: .whitespaces)
        if title.isEmpty { throw StoreError.said("disaster.err.noName") }
        try TextBounds.check(title, field: Store.fieldName("disaster.field.name"), max: 60)
        if startedOn > today { throw StoreError.said("disaster.err.future", ["date": startedOn.iso]) }
        if let e = endedOn, e < startedOn { throw StoreError.said("disaster.err.endsBeforeStart") }
        let codes = villages.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if codes.isEmpty { throw StoreError.said("disaster.err.noVillages") }
        return try write { db in
            try Store.authorize(db, user, .disasterWork)
            if try ReferenceData.code(db, kind: .disasterKind, code: kind) == nil {
                throw StoreError.said("disaster.err.badKind", ["kind": kind])
            }
            for c in codes where try Int.fetchOne(db, sql: "SELECT 1 FROM region WHERE code = ? AND level IN ('village', 'community')", arguments: [c]) == nil {
                throw StoreError.said("disaster.err.badVillage", ["code": c])
            }
            try db.execute(sql: "INSERT INTO disaster_event(kind, name, started_on, ended_on, villages, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [kind, title, startedOn.iso, endedOn?.iso, codes.joined(separator: ","), user, Timestamp.now()])
            let id = db.lastInsertedRowID
            try Audit.append(db, user: user, action: "disaster_event.add", entity: "disaster_event", entityId: String(id),
                             detail: Audit.detail(["kind": kind, "name": title, "started": startedOn.iso, "villages": codes.joined(separator: ",")]))
            return id
        }
    }

    /// The day the disaster ended (its 核报 follows).
    public func endDisasterEvent(id: Int64, version: Int, on date: CivilDate, by user: String, today: CivilDate = .today) throws {
        try write { db in
            try Store.authorize(db, user, .disasterWork)
            let e = try Store.mustEvent(db, id)
            if date < e.startedOn { throw StoreError.said("disaster.err.endsBeforeStart") }
            if date > today { throw StoreError.said("disaster.err.future", ["date": date.iso]) }
            try db.execute(sql: "UPDATE disaster_event SET ended_on = ?, version = version + 1 WHERE id = ? AND version = ?", arguments: [date.iso, id, version])
            if db.changesCount == 0 { throw StoreError.staleEdit(entity: "disaster_event", id: id) }
            try Audit.append(db, user: user, action: "disaster_event.end", entity: "disaster_event", entityId: String(id), detail: Audit.detail(["ended": date.iso]))
        }
    }

    // MARK: stage reports

    public func disasterReports(eventId: Int64) throws -> [DisasterReport] {
        try read { db in try Store.disasterReports(db, eventId) }
    }

    static func disasterReports(_ db: Database, _ eventId: Int64) throws -> [DisasterReport] {
        try Row.fetchAll(db, sql: "SELECT * FROM disaster_report WHERE event_id = ? ORDER BY reported_on, id", arguments: [eventId]).map { r in
            let figures = (try? JSONDecoder().decode(DisasterFigures.self, from: Data((r["figures"] as String).utf8))) ?? DisasterFigures()
            return DisasterReport(id: r["id"], eventId: r["event_id"], stage: DisasterStage(rawValue: r["stage"]) ?? .update,
                                  reportedOn: CivilDate(iso: r["reported_on"]) ?? .today, figures: figures, reportedBy: r["reported_by"])
        }
    }

    /// A stage report: 初报 first and once, then any 续报, 核报 last and once; never dated before
    /// the disaster or the report before it, nor after today. Kept for good.
    @discardableResult
    public func addDisasterReport(eventId: Int64, stage: DisasterStage, on date: CivilDate, figures f: DisasterFigures,
                                  by user: String, today: CivilDate = .today) throws -> Int64 {
        for (key, path) in DisasterFigures.countFields where f[keyPath: path] < 0 {
            throw StoreError.said("disaster.err.negative", ["field_zh": DisasterFigures.label(key).zh, "field_en": DisasterFigures.label(key).en])
        }
        if f.cropArea < 0 || f.loss.fen < 0 { throw StoreError.said("disaster.err.negative", ["field_zh": "", "field_en": ""]) }
        if f.relocated > f.affected || f.needRelief > f.affected { throw StoreError.said("disaster.err.moreThanAffected") }
        for (h, r) in [(f.collapsedHouseholds, f.collapsedRooms), (f.severeHouseholds, f.severeRooms), (f.generalHouseholds, f.generalRooms)] where r < h {
            throw StoreError.said("disaster.err.roomsBelowHouseholds")
        }
        return try write { db in
            try Store.authorize(db, user, .disasterWork)
            let e = try Store.mustEvent(db, eventId)
            let before = try Store.disasterReports(db, eventId)
            if date < e.startedOn || date > today { throw StoreError.said("disaster.err.reportDate", ["date": date.iso, "start": e.startedOn.iso]) }
            if let last = before.last, date < last.reportedOn { throw StoreError.said("disaster.err.reportBeforeLast", ["date": last.reportedOn.iso]) }
            switch stage {
            case .initial where !before.isEmpty: throw StoreError.said("disaster.err.initialTwice")
            case .update, .final:
                if before.isEmpty { throw StoreError.said("disaster.err.initialFirst") }
            default: break
            }
            if before.contains(where: { $0.stage == .final }) { throw StoreError.said("disaster.err.afterFinal") }
            let json = String(decoding: try JSONEncoder().encode(f), as: UTF8.self)
            try db.execute(sql: "INSERT INTO disaster_report(event_id, stage, reported_on, figures, reported_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [eventId, stage.rawValue, date.iso, json, user, Timestamp.now()])
            let id = db.lastInsertedRowID
            try Audit.append(db, user: user, action: "disaster_report.add", entity: "disaster_event", entityId: String(eventId),
                             detail: Audit.detail(["stage": stage.rawValue, "on": date.iso, "figures": json]))
            return id
        }
    }

    // MARK: the ledger

    static let victimSQL = """
        SELECT v.*, h.head_name, COALESCE(r.name, v.village_code) AS village_name FROM disaster_victim v
        JOIN household h ON h.id = v.household_id LEFT JOIN region r ON r.code = v.village_code
        """

    static func victim(from r: Row) -> DisasterVictim {
        DisasterVictim(id: r["id"], eventId: r["event_id"], householdId: r["household_id"], villageCode: r["village_code"],
                       villageName: r["village_name"], headName: r["head_name"], persons: r["persons"],
                       damage: HouseDamage(rawValue: r["damage"]) ?? .none, rooms: r["rooms"], relocated: r["relocated"] != 0,
                       needRelief: r["need_relief"] != 0, needs: r["needs"], checkedOn: (r["checked_on"] as String?).flatMap(CivilDate.init(iso:)),
                       checkedBy: r["checked_by"], version: r["version"])
    }

    /// The ledger village by village, then by the head's name.
    public func disasterVictims(eventId: Int64) throws -> [DisasterVictim] {
        try read { db in
            try Row.fetchAll(db, sql: Store.victimSQL + " WHERE v.event_id = ? ORDER BY v.village_code, h.head_py, v.id", arguments: [eventId])
                .map(Store.victim(from:))
        }
    }

    public func disasterVictim(id: Int64) throws -> DisasterVictim? {
        try read { db in try Store.victim(db, id) }
    }

    static func victim(_ db: Database, _ id: Int64) throws -> DisasterVictim? {
        try Row.fetchOne(db, sql: Store.victimSQL + " WHERE v.id = ?", arguments: [id]).map(Store.victim(from:))
    }

    /// What a clerk records for a household on the ledger.
    public struct VictimEntry: Equatable, Sendable {
        public var persons: Int
        public var damage: HouseDamage
        public var rooms: Int
        public var relocated: Bool
        public var needRelief: Bool
        public var needs: String
        public init(persons: Int, damage: HouseDamage, rooms: Int = 0, relocated: Bool = false, needRelief: Bool = false, needs: String = "") {
            self.persons = persons; self.damage = damage; self.rooms = rooms; self.relocated = relocated; self.needRelief = needRelief; self.needs = needs
        }
    }

    static func checkEntry(_ db: Database, _ e: VictimEntry, householdId: Int64) throws {
        let members = try Int.fetchOne(db, sql: "SELECT count(*) FROM person WHERE household_id = ? AND died_on IS NULL AND left_on IS NULL",
                                       arguments: [householdId]) ?? 0
        if e.persons < 1 || e.persons > max(1, members) {
            throw StoreError.said("disaster.err.persons", ["persons": String(e.persons), "members": String(members)])
        }
        if e.damage == .none && e.rooms != 0 { throw StoreError.said("disaster.err.roomsWithoutDamage") }
        if e.damage != .none && e.rooms < 1 { throw StoreError.said("disaster.err.damageWithoutRooms") }
        try TextBounds.check(e.needs, field: Store.fieldName("disaster.field.needs"), max: 200, allowEmpty: true)
    }

    /// Put a household on an event's ledger (逐村逐户核实, 登记造册). The household must live in
    /// a village the disaster hit, and be on the ledger once.
    @discardableResult
    public func addDisasterVictim(eventId: Int64, householdId: Int64, _ entry: VictimEntry, on date: CivilDate,
                                  by user: String, today: CivilDate = .today) throws -> Int64 {
        try write { db in
            try Store.authorize(db, user, .disasterWork)
            let e = try Store.mustEvent(db, eventId)
            guard let h = try Row.fetchOne(db, sql: "SELECT village_code, head_name, merged_into FROM household WHERE id = ?", arguments: [householdId]) else {
                throw StoreError.said("disaster.err.noHousehold", ["id": String(householdId)])
            }
            if (h["merged_into"] as Int64?) != nil { throw StoreError.said("disaster.err.noHousehold", ["id": String(householdId)]) }
            let village: String = h["village_code"]
            if !e.villages.contains(village) {
                throw StoreError.said("disaster.err.villageNotHit", ["head": h["head_name"] as String, "code": village])
            }
            if date < e.startedOn || date > today { throw StoreError.said("disaster.err.reportDate", ["date": date.iso, "start": e.startedOn.iso]) }
            if let other = try Int64.fetchOne(db, sql: "SELECT id FROM disaster_victim WHERE event_id = ? AND household_id = ?", arguments: [eventId, householdId]) {
                throw StoreError.said("disaster.err.alreadyOnLedger", ["head": h["head_name"] as String, "id": String(other)])
            }
            try Store.checkEntry(db, entry, householdId: householdId)
            try db.execute(sql: """
                INSERT INTO disaster_victim(event_id, household_id, village_code, persons, damage, rooms, relocated, need_relief, needs, recorded_on, recorded_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [eventId, householdId, village, entry.persons, entry.damage.rawValue, entry.rooms, entry.relocated,
                                 entry.needRelief, entry.needs, date.iso, user])
            let id = db.lastInsertedRowID
            try Audit.append(db, user: user, action: "disaster_victim.add", entity: "disaster_victim", entityId: String(id),
                             detail: Audit.detail(["event": String(eventId), "household": String(householdId), "persons": String(entry.persons),
                                                   "damage": entry.damage.rawValue, "rooms": String(entry.rooms)]))
            return id
        }
    }

    /// Correct a ledger line (version-checked, audited with before and after). Once its
    /// village is checked the line stays as checked.
    public func updateDisasterVictim(id: Int64, version: Int, _ entry: VictimEntry, by user: String) throws {
        try write { db in
            try Store.authorize(db, user, .disasterWork)
            guard let v = try Store.victim(db, id) else { throw StoreError.said("disaster.err.noVictim", ["id": String(id)]) }
            if v.checkedOn != nil { throw StoreError.said("disaster.err.villageChecked", ["village": v.villageName]) }
            try Store.checkEntry(db, entry, householdId: v.householdId)
            try db.execute(sql: """
                UPDATE disaster_victim SET persons = ?, damage = ?, rooms = ?, relocated = ?, need_relief = ?, needs = ?, version = version + 1
                WHERE id = ? AND version = ?
                """, arguments: [entry.persons, entry.damage.rawValue, entry.rooms, entry.relocated, entry.needRelief, entry.needs, id, version])
            if db.changesCount == 0 { throw StoreError.staleEdit(entity: "disaster_victim", id: id) }
            try Audit.append(db, user: user, action: "disaster_victim.update", entity: "disaster_victim", entityId: String(id),
                             detail: Audit.detail(["persons": "\(v.persons)→\(entry.persons)", "damage": "\(v.damage.rawValue)→\(entry.damage.rawValue)",
                                                   "rooms": "\(v.rooms)→\(entry.rooms)"]))
        }
    }

    /// A village's part of the ledger checked (核实): every line of it marked with the day and
    /// who checked; returns how many lines.
    @discardableResult
    public func checkDisasterVillage(eventId: Int64, villageCode: String, on date: CivilDate, by user: String, today: CivilDate = .today) throws -> Int {
        try write { db in
            try Store.authorize(db, user, .disasterWork)
            let e = try Store.mustEvent(db, eventId)
            if date < e.startedOn || date > today { throw StoreError.said("disaster.err.reportDate", ["date": date.iso, "start": e.startedOn.iso]) }
            try db.execute(sql: "UPDATE disaster_victim SET checked_on = ?, checked_by = ?, version = version + 1 WHERE event_id = ? AND village_code = ? AND checked_on IS NULL",
                           arguments: [date.iso, user, eventId, villageCode])
            let n = db.changesCount
            if n == 0 { throw StoreError.said("disaster.err.nothingToCheck", ["code": villageCode]) }
            try Audit.append(db, user: user, action: "disaster_victim.check", entity: "disaster_event", entityId: String(eventId),
                             detail: Audit.detail(["village": villageCode, "lines": String(n), "on": date.iso]))
            return n
        }
    }

    /// The ledger added up as the report's figures (people and houses).
    public func ledgerTotals(eventId: Int64) throws -> DisasterFigures {
        try read { db in try Store.ledgerTotals(db, eventId) }
    }

    static func ledgerTotals(_ db: Database, _ eventId: Int64) throws -> DisasterFigures {
        var f = DisasterFigures()
        for r in try Row.fetchAll(db, sql: """
            SELECT damage, count(*) AS n, SUM(persons) AS p, SUM(rooms) AS rooms, SUM(CASE WHEN relocated THEN persons ELSE 0 END) AS moved,
                   SUM(CASE WHEN need_relief THEN persons ELSE 0 END) AS need
            FROM disaster_victim WHERE event_id = ? GROUP BY damage
            """, arguments: [eventId]) {
            let n: Int = r["n"], rooms: Int = r["rooms"]
            f.affected += r["p"] as Int; f.relocated += r["moved"] as Int; f.needRelief += r["need"] as Int
            switch HouseDamage(rawValue: r["damage"]) {
            case .collapsed: f.collapsedHouseholds += n; f.collapsedRooms += rooms
            case .severe: f.severeHouseholds += n; f.severeRooms += rooms
            case .general: f.generalHouseholds += n; f.generalRooms += rooms
            default: break
            }
        }
        return f
    }
}

extension Store {
    /// The household a clerk means by "12", "#12" or a head's name, among the villages the
    /// disaster hit; several of the same name are listed so the clerk can give the number.
    public func disasterHousehold(eventId: Int64, text: String) throws -> Int64 {
        try read { db in
            let e = try Store.mustEvent(db, eventId)
            let t = text.trimmingCharacters(in: .whitespaces)
            let digits = t.hasPrefix("#") ? String(t.dropFirst()) : t
            if let id = Int64(digits) { return id }
            let marks = e.villages.map { _ in "?" }.joined(separator: ", ")
            let rows = try Row.fetchAll(db, sql: """
                SELECT h.id, h.head_name, COALESCE(r.name, h.village_code) AS village FROM household h LEFT JOIN region r ON r.code = h.village_code
                WHERE h.head_name = ? AND h.merged_into IS NULL AND h.village_code IN (\(marks)) ORDER BY h.id LIMIT 10
                """, arguments: StatementArguments([t] + e.villages))
            if rows.count == 1 { return rows[0]["id"] }
            if rows.isEmpty { throw StoreError.said("disaster.err.noSuchHead", ["name": t]) }
            throw StoreError.said("disaster.err.severalHeads", ["list": rows.map { "#\($0["id"] as Int64) \($0["head_name"] as String) \($0["village"] as String)" }.joined(separator: "; ")])
        }
    }
}
