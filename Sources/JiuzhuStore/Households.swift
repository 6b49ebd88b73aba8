import Foundation
import GRDB
import JiuzhuModel

/// Who already holds an ID number: enough to tell the clerk where it is.
public struct IDHolder: Equatable, Sendable {
    public var personId: Int64
    public var name: String
    public var householdId: Int64
    public var headName: String
    public var village: String
    /// Programmes in force or in progress for that household, e.g. "农村低保 在保".
    public var programmes: String
}

extension Store {
    // MARK: search keys

    /// The prefix-search keys of one person: name, given name, full pinyin, pinyin initials,
    /// ID number and the ID reversed behind a `~` (so a suffix search cannot meet an ID that
    /// merely starts with the same digits). Computed once when the name is saved.
    public static func searchKeys(name: String, idNumber: String) -> [String] {
        let py = Pinyin.keys(name)
        var keys: [String] = [name, py.full, py.initials, idNumber, "~" + String(idNumber.reversed())]
        if name.count >= 3 { keys.append(String(name.dropFirst())) }   // given name
        return Array(Set(keys.filter { !$0.isEmpty })).sorted()
    }

    static func insertSearchKeys(_ db: Database, name: String, idNumber: String, householdId: Int64, personId: Int64) throws {
        let stmt = try db.cachedStatement(sql: "INSERT OR IGNORE INTO search_key(key, household_id, person_id) VALUES (?, ?, ?)")
        for k in searchKeys(name: name, idNumber: idNumber) {
            try stmt.execute(arguments: [k, householdId, personId])
        }
    }

    static func deleteSearchKeys(_ db: Database, name: String, idNumber: String, householdId: Int64, personId: Int64) throws {
        let stmt = try db.cachedStatement(sql: "DELETE FROM search_key WHERE key = ? AND household_id = ? AND person_id = ?")
        for k in searchKeys(name: name, idNumber: idNumber) {
            try stmt.execute(arguments: [k, householdId, personId])
        }
    }

    // MARK: duplicate IDs

    /// Who holds `idNumber`, if anyone.
    public static func idHolder(_ db: Database, idNumber: String, excludingPerson: Int64? = nil) throws -> IDHolder? {
        guard let r = try Row.fetchOne(db, sql: """
            SELECT p.id, p.name, p.household_id, h.head_name, h.programmes, r.name AS village
            FROM person p JOIN household h ON h.id = p.household_id JOIN region r ON r.code = h.village_code
            WHERE p.id_number = ? AND p.id IS NOT ?
            """, arguments: [idNumber, excludingPerson]) else { return nil }
        return IDHolder(personId: r["id"], name: r["name"], householdId: r["household_id"], headName: r["head_name"],
                        village: r["village"], programmes: r["programmes"])
    }

    public func idHolder(idNumber: String, excludingPerson: Int64? = nil) throws -> IDHolder? {
        try read { db in try Store.idHolder(db, idNumber: idNumber, excludingPerson: excludingPerson) }
    }

    static func duplicateError(_ h: IDHolder, id: String) -> StoreError {
        .duplicateID(id: id, holderName: h.name, householdId: h.householdId, headName: h.headName,
                     village: h.village, programmes: h.programmes)
    }

    // MARK: insert

    /// Insert a household and its members without audit (callers audit: a user change writes
    /// one row, the demo generator one row for the whole township). Refuses a duplicate ID with
    /// a message naming the household that holds it.
    @discardableResult
    public static func insertHousehold(_ db: Database, _ h: Household, members: [Person], now: String) throws -> (Int64, [Int64]) {
        var seen = Set<String>()
        for m in members {
            if !seen.insert(m.idNumber).inserted {
                throw StoreError.said("store.households.theIdNumberAppears", ["v1": "\(Masking.idNumber(m.idNumber))"])
            }
        }
        let head = members.first(where: { $0.isHead }) ?? members.first
        try db.cachedStatement(sql: """
            INSERT INTO household(village_code, address, hukou, phone, bank_card, housing, housing_area, dilapidated,
                causes, cadre_relative, head_name, head_py, head_id, member_count, programmes, version, created_at, updated_at,
                hukou_region, bank_code)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 1, ?, ?, ?, ?)
            """).execute(arguments: [
                h.villageCode, h.address, h.hukou.rawValue, h.phone, h.bankCard, h.housing.rawValue, h.housingArea,
                h.dilapidated, h.causes.joined(separator: ","), h.cadreRelative,
                head?.name ?? "", head.map { Pinyin.keys($0.name).full } ?? "", head?.idNumber ?? "",
                members.filter(\.isCurrentMember).count, now, now, h.hukouRegion?.rawValue, h.bankCode])
        let hid = db.lastInsertedRowID
        var ids: [Int64] = []
        for m in members {
            ids.append(try insertPerson(db, m, householdId: hid, now: now))
        }
        return (hid, ids)
    }

    static func insertPerson(_ db: Database, _ m: Person, householdId: Int64, now: String) throws -> Int64 {
        try TextBounds.check(m.name, field: pair("store.households.aMemberSName"))
        let py = Pinyin.keys(m.name)
        do {
            try db.cachedStatement(sql: """
                INSERT INTO person(household_id, name, id_number, relation, sex, birth_date, ethnicity, co_resident, health,
                    disability_type, disability_level, work_ability, student, youfu, absent, py, ini, version, created_at, updated_at,
                    birth_cert, died_on, left_on, left_reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    householdId, m.name, m.idNumber, m.relation, m.sex.rawValue, m.birthDate.iso, m.ethnicity, m.coResident,
                    m.health.rawValue, m.disabilityType, m.disabilityLevel, m.workAbility.rawValue, m.student, m.youfu,
                    m.absent, py.full, py.initials, now, now, m.birthCertificate, m.diedOn?.iso, m.leftOn?.iso, m.leftReason?.rawValue])
        } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
            if let holder = try idHolder(db, idNumber: m.idNumber) { throw duplicateError(holder, id: m.idNumber) }
            throw e
        }
        let pid = db.lastInsertedRowID
        try insertSearchKeys(db, name: m.name, idNumber: m.idNumber, householdId: householdId, personId: pid)
        return pid
    }

    /// A clerk adds a household with its members: one transaction with its audit row.
    @discardableResult
    public func addHousehold(_ h: Household, members: [Person], by user: String) throws -> Int64 {
        try write { db in
            try Store.authorize(db, user, .editHouseholds)
            for m in members {
                if let holder = try Store.idHolder(db, idNumber: m.idNumber) { throw Store.duplicateError(holder, id: m.idNumber) }
            }
            let (hid, _) = try Store.insertHousehold(db, h, members: members, now: Timestamp.now())
            try Audit.append(db, user: user, action: "household.add", entity: "household", entityId: String(hid),
                             detail: Audit.detail(["after": Audit.detail(HouseholdSnapshot(household: h, members: members))]))
            return hid
        }
    }

    /// A clerk adds one member to an existing household.
    @discardableResult
    public func addPerson(_ p: Person, toHousehold hid: Int64, by user: String) throws -> Int64 {
        try write { db in
            try Store.authorize(db, user, .editHouseholds)
            if let holder = try Store.idHolder(db, idNumber: p.idNumber) { throw Store.duplicateError(holder, id: p.idNumber) }
            let pid = try Store.insertPerson(db, p, householdId: hid, now: Timestamp.now())
            try Store.refreshHouseholdSummary(db, hid)
            try db.execute(sql: "UPDATE household SET version = version + 1 WHERE id = ?", arguments: [hid])
            try Audit.append(db, user: user, action: "person.add", entity: "person", entityId: String(pid),
                             detail: Audit.detail(["after": Audit.detail(p)]))
            return pid
        }
    }

    // MARK: update (optimistic: a version column on every editable record)

    /// Save an edited household. Refused with `.staleEdit` if someone saved it since `h.version`.
    public func updateHousehold(_ h: Household, by user: String) throws {
        guard let id = h.id else { throw StoreError.invalid("household has no id") }
        try write { db in
            try Store.authorize(db, user, .editHouseholds)
            let before = try Store.household(db, id: id)
            try db.execute(sql: """
                UPDATE household SET village_code = ?, address = ?, hukou = ?, phone = ?, bank_card = ?, housing = ?,
                    housing_area = ?, dilapidated = ?, causes = ?, cadre_relative = ?, version = version + 1, updated_at = ?
                WHERE id = ? AND version = ?
                """, arguments: [h.villageCode, h.address, h.hukou.rawValue, h.phone, h.bankCard, h.housing.rawValue,
                                 h.housingArea, h.dilapidated, h.causes.joined(separator: ","), h.cadreRelative,
                                 Timestamp.now(), id, h.version])
            if db.changesCount == 0 {
                if before == nil { throw StoreError.notFound(entity: "household", id: String(id)) }
                throw StoreError.staleEdit(entity: "household", id: id)
            }
            try Audit.append(db, user: user, action: "household.update", entity: "household", entityId: String(id),
                             detail: Audit.detail(["before": before.map { Audit.detail($0) }, "after": Audit.detail(h)]))
        }
    }

    /// Save an edited person. Refused with `.staleEdit` if someone saved it since `p.version`,
    /// and with `.duplicateID` if the new ID number belongs to someone else.
    public func updatePerson(_ p: Person, by user: String) throws {
        guard let id = p.id else { throw StoreError.invalid("person has no id") }
        try write { db in
            try Store.authorize(db, user, .editHouseholds)
            guard let before = try Store.person(db, id: id) else { throw StoreError.notFound(entity: "person", id: String(id)) }
            if before.version != p.version { throw StoreError.staleEdit(entity: "person", id: id) }
            if let holder = try Store.idHolder(db, idNumber: p.idNumber, excludingPerson: id) {
                throw Store.duplicateError(holder, id: p.idNumber)
            }
            let py = Pinyin.keys(p.name)
            try db.execute(sql: """
                UPDATE person SET name = ?, id_number = ?, relation = ?, sex = ?, birth_date = ?, ethnicity = ?,
                    co_resident = ?, health = ?, disability_type = ?, disability_level = ?, work_ability = ?, student = ?,
                    youfu = ?, absent = ?, py = ?, ini = ?, version = version + 1, updated_at = ?
                WHERE id = ? AND version = ?
                """, arguments: [p.name, p.idNumber, p.relation, p.sex.rawValue, p.birthDate.iso, p.ethnicity, p.coResident,
                                 p.health.rawValue, p.disabilityType, p.disabilityLevel, p.workAbility.rawValue, p.student,
                                 p.youfu, p.absent, py.full, py.initials, Timestamp.now(), id, p.version])
            if db.changesCount == 0 { throw StoreError.staleEdit(entity: "person", id: id) }
            let hid = before.householdId!
            try Store.deleteSearchKeys(db, name: before.name, idNumber: before.idNumber, householdId: hid, personId: id)
            try Store.insertSearchKeys(db, name: p.name, idNumber: p.idNumber, householdId: hid, personId: id)
            try Store.refreshHouseholdSummary(db, hid)
            try Audit.append(db, user: user, action: "person.update", entity: "person", entityId: String(id),
                             detail: Audit.detail(["before": Audit.detail(before), "after": Audit.detail(p)]))
        }
    }

    /// Keep the household row's list columns (head, pinyin, member count, programmes) in step.
    public static func refreshHouseholdSummary(_ db: Database, _ hid: Int64) throws {
        // Cached statements: an import refreshes one household after another.
        let head = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT name, py, id_number FROM person WHERE household_id = ?
            ORDER BY (died_on IS NULL AND left_on IS NULL) DESC, (relation = '02') DESC, id LIMIT 1
            """), arguments: [hid])
        // Members alive and not moved out (those who died or left stay on the record, not counted here).
        let count = try Int.fetchOne(db.cachedStatement(sql: """
            SELECT count(*) FROM person WHERE household_id = ? AND died_on IS NULL AND left_on IS NULL
            """), arguments: [hid]) ?? 0
        let progs = try programmesSummary(db, hid)
        try db.cachedStatement(sql: "UPDATE household SET head_name = ?, head_py = ?, head_id = ?, member_count = ?, programmes = ? WHERE id = ?")
            .execute(arguments: [head?["name"] ?? "", head?["py"] ?? "", head?["id_number"] ?? "", count, progs, hid])
    }

    /// "农村低保 在保; 医疗救助 办理中" for the cases in force or in progress.
    static func programmesSummary(_ db: Database, _ hid: Int64) throws -> String {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT programme, status FROM assistance_case WHERE household_id = ? AND status IN ('active', 'suspended', 'in_progress')
            ORDER BY status = 'active' DESC, id
            """), arguments: [hid])
        return rows.compactMap { r -> String? in
            guard let p = Programme(rawValue: r["programme"]), let s = CaseStatus(rawValue: r["status"]) else { return nil }
            return "\(p.label.zh) \(s.label.zh)"
        }.joined(separator: "; ")
    }

    /// A household row's stored programmes summary ("农村低保 在保; 医疗救助 办理中", kept in Chinese
    /// as the list sorts by it) said in `lang` with the labels it was made from.
    public static func programmesSummary(_ stored: String, _ lang: Lang) -> String {
        guard lang != .zh, !stored.isEmpty else { return stored }
        return stored.components(separatedBy: "; ").map { part in
            let words = part.split(separator: " ", maxSplits: 1).map(String.init)
            guard words.count == 2, let p = Programme.allCases.first(where: { $0.label.zh == words[0] }),
                  let s = CaseStatus.allCases.first(where: { $0.label.zh == words[1] }) else { return part }
            return "\(p.shortLabel(lang)) \(s.label(lang))"
        }.joined(separator: "; ")
    }

    // MARK: read

    static func person(from r: Row) -> Person {
        var p = Person(id: r["id"], householdId: r["household_id"], name: r["name"], idNumber: r["id_number"], relation: r["relation"],
               sex: Sex(rawValue: r["sex"]) ?? .male, birthDate: CivilDate(iso: r["birth_date"]) ?? CivilDate(year: 1900, month: 1, day: 1)!,
               ethnicity: r["ethnicity"], coResident: r["co_resident"], health: Health(rawValue: r["health"]) ?? .healthy,
               disabilityType: r["disability_type"], disabilityLevel: r["disability_level"],
               workAbility: WorkAbility(rawValue: r["work_ability"]) ?? .full, student: r["student"], youfu: r["youfu"],
               absent: r["absent"], version: r["version"])
        p.birthCertificate = r["birth_cert"]
        p.diedOn = (r["died_on"] as String?).flatMap(CivilDate.init(iso:))
        p.leftOn = (r["left_on"] as String?).flatMap(CivilDate.init(iso:))
        p.leftReason = (r["left_reason"] as String?).flatMap(LeaveReason.init(rawValue:))
        return p
    }

    static func household(from r: Row) -> Household {
        let causes: String = r["causes"]
        return Household(id: r["id"], villageCode: r["village_code"], address: r["address"],
                         hukou: HukouType(rawValue: r["hukou"]) ?? .agricultural, phone: r["phone"], bankCard: r["bank_card"],
                         housing: Housing(rawValue: r["housing"]) ?? .own, housingArea: r["housing_area"],
                         dilapidated: r["dilapidated"], causes: causes.isEmpty ? [] : causes.split(separator: ",").map(String.init),
                         cadreRelative: r["cadre_relative"], version: r["version"],
                         hukouRegion: (r["hukou_region"] as String?).flatMap(HukouRegion.init(rawValue:)), bankCode: r["bank_code"])
    }

    public static func person(_ db: Database, id: Int64) throws -> Person? {
        try Row.fetchOne(db, sql: "SELECT * FROM person WHERE id = ?", arguments: [id]).map(person(from:))
    }

    public static func household(_ db: Database, id: Int64) throws -> Household? {
        try Row.fetchOne(db, sql: "SELECT * FROM household WHERE id = ?", arguments: [id]).map(household(from:))
    }

    /// The household's members now: alive and not moved out.
    public static func members(_ db: Database, householdId: Int64) throws -> [Person] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM person WHERE household_id = ? AND died_on IS NULL AND left_on IS NULL ORDER BY (relation = '02') DESC, id
            """, arguments: [householdId]).map(person(from:))
    }

    /// Everyone on the household's record, those who died or moved out too (marked), for the card.
    public static func allMembers(_ db: Database, householdId: Int64) throws -> [Person] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM person WHERE household_id = ? ORDER BY (died_on IS NULL AND left_on IS NULL) DESC, (relation = '02') DESC, id
            """, arguments: [householdId]).map(person(from:))
    }

    static func caseRecord(from r: Row) -> Case {
        Case(id: r["id"], householdId: r["household_id"], personId: r["person_id"],
             programme: Programme(rawValue: r["programme"]) ?? .ruralDibao, step: r["step"],
             stepSince: CivilDate(iso: r["step_since"]) ?? .today, status: CaseStatus(rawValue: r["status"]) ?? .inProgress,
             appliedOn: CivilDate(iso: r["applied_on"]) ?? .today,
             monthlyAmount: (r["monthly_amount_fen"] as Int64?).map { Money(fen: $0) },
             coveredMembers: r["covered_members"], urbanClass: (r["urban_class"] as String?).flatMap(UrbanClass.init(rawValue:)),
             version: r["version"])
    }

    public static func cases(_ db: Database, householdId: Int64) throws -> [Case] {
        try Row.fetchAll(db, sql: "SELECT * FROM assistance_case WHERE household_id = ? ORDER BY id", arguments: [householdId])
            .map(caseRecord(from:))
    }

    public static func regions(_ db: Database) throws -> [Region] {
        try Row.fetchAll(db, sql: "SELECT * FROM region ORDER BY code").map {
            Region(code: $0["code"], name: $0["name"], level: RegionLevel(rawValue: $0["level"]) ?? .village, parentCode: $0["parent_code"])
        }
    }
}

/// What the audit log records of a household change.
struct HouseholdSnapshot: Encodable {
    var household: Household
    var members: [Person]
}
