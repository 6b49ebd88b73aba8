import Foundation
import GRDB
import JiuzhuModel

/// The household card with what its history adds: those who died or moved out, the change
/// history (变动记录), the household it merged into, the bank's name and the relationships' names.
/// The card's own fields read through (`record.members`).
@dynamicMemberLookup
public struct HouseholdRecord: Sendable {
    public var card: Store.HouseholdCard
    /// Those who died or moved out, kept on the record (marked).
    public var formerMembers: [Person] = []
    /// The change history, newest first.
    public var changes: [HouseholdChangeRecord] = []
    /// A household emptied by a merge: the one it joined.
    public var mergedInto: Int64?
    public var bankName: String?
    /// Relationship codes (GB/T 4761) by name, for the members' lines.
    public var relationLabels: [String: Text2] = [:]
    public init(card: Store.HouseholdCard) { self.card = card }
    public subscript<T>(dynamicMember path: KeyPath<Store.HouseholdCard, T>) -> T { card[keyPath: path] }
}

/// One line of a household's change history (变动记录).
public struct HouseholdChangeRecord: Equatable, Sendable {
    public var id: Int64
    public var householdId: Int64
    public var kind: HouseholdChangeKind
    public var personId: Int64?
    public var otherHouseholdId: Int64?
    public var effectiveOn: CivilDate
    public var reason: String
    /// What changed, in words (Chinese, as recorded; ID numbers masked).
    public var summary: String
    public var before: String
    public var after: String
    public var recordedBy: String
    public var recordedAt: String
}

/// What a household change means for a case in force (增员 / 减员 / 家庭情况变化).
public enum CaseChangeKind: String, Codable, Sendable, CaseIterable {
    case added, removed, circumstances
    public var label: Text2 {
        switch self {
        case .added: return sayBoth("store.caseChange.added")
        case .removed: return sayBoth("store.caseChange.removed")
        case .circumstances: return sayBoth("store.caseChange.circumstances")
        }
    }
}

/// The proposal a household change put to the approver for one case.
public struct ChangeProposal: Equatable, Sendable {
    public var caseId: Int64
    public var followUpId: Int64
    public var kind: CaseChangeKind
    public var proposed: FollowUpAction
    /// The new monthly amount worked out from the stored figures (an adjustment).
    public var amount: Money?
    /// Per-capita monthly income on the new count (the household's monthly income from the
    /// case's figures, shared by the persons now counted).
    public var perCapita: Money?
    /// The persons the case would cover.
    public var persons: [Int64]
    /// For a stop: the first month no longer due (the month after the death or move).
    public var stopMonth: String?
}

/// What a recorded change did.
public struct HouseholdChangeResult: Sendable {
    public var changeId: Int64
    public var householdVersion: Int
    /// The household a split made.
    public var newHouseholdId: Int64?
    public var proposals: [ChangeProposal]
}

extension Store {
    /// A store message in both languages, as the store's errors carry them ("中文 / English").
    static func both(_ key: String, _ values: [String: String] = [:]) -> String {
        let b = sayBoth(key, values)
        return "\(b.zh) / \(b.en)"
    }

    /// Who keeps the household records (台帐): `Policy` (`Permission.householdChanges`).
    public static var householdChangeRoles: Set<Role> { Policy.roles(.householdChanges) }

    // MARK: reading

    static func changeRecord(from r: Row) -> HouseholdChangeRecord {
        HouseholdChangeRecord(id: r["id"], householdId: r["household_id"], kind: HouseholdChangeKind(rawValue: r["kind"]) ?? .facts,
                              personId: r["person_id"], otherHouseholdId: r["other_household_id"],
                              effectiveOn: CivilDate(iso: r["effective_on"]) ?? .today, reason: r["reason"], summary: r["summary"],
                              before: r["before"], after: r["after"], recordedBy: r["recorded_by"], recordedAt: r["recorded_at"])
    }

    public static func householdChanges(_ db: Database, householdId: Int64) throws -> [HouseholdChangeRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM household_change WHERE household_id = ? ORDER BY effective_on DESC, id DESC",
                         arguments: [householdId]).map(changeRecord(from:))
    }

    public func householdChanges(householdId: Int64) throws -> [HouseholdChangeRecord] {
        try read { db in try Store.householdChanges(db, householdId: householdId) }
    }

    static func householdState(_ db: Database, _ id: Int64) throws -> HouseholdState {
        guard let h = try household(db, id: id) else { throw StoreError.notFound(entity: "household", id: String(id)) }
        if let into = try Int64.fetchOne(db, sql: "SELECT merged_into FROM household WHERE id = ?", arguments: [id]) {
            throw StoreError.invalid(Store.both("store.household.mergedInto", ["into": "\(into)"]))
        }
        return HouseholdState(household: h, members: try allMembers(db, householdId: id))
    }

    // MARK: coverage (the persons a case covers, dated)

    /// The persons a case covers on `date`: the set of its latest decision or adjustment on or
    /// before it; empty before its first; nil when the case has no coverage recorded at all
    /// (a case not yet decided, or one from before v18 whose household never changed).
    public static func coverage(_ db: Database, caseId: Int64, on date: CivilDate) throws -> [Int64]? {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM case_coverage WHERE case_id = ?)", arguments: [caseId]) == true else { return nil }
        guard let step = try Int64.fetchOne(db, sql: """
            SELECT step_id FROM case_coverage WHERE case_id = ? AND from_on <= ? ORDER BY from_on DESC, step_id DESC LIMIT 1
            """, arguments: [caseId, date.iso]) else { return [] }
        return try Int64.fetchAll(db, sql: "SELECT person_id FROM case_coverage WHERE case_id = ? AND step_id = ? ORDER BY person_id",
                                  arguments: [caseId, step])
    }

    public func coverage(caseId: Int64, on date: CivilDate) throws -> [Int64]? {
        try read { db in try Store.coverage(db, caseId: caseId, on: date) }
    }

    /// The persons a case covers by the rule used before coverage was recorded: the case's
    /// person (特困, 医疗), else the counted members, the sick and disabled first when fewer are
    /// covered than counted (单人保).
    static func defaultCoverage(_ c: Case, members: [Person]) -> [Int64] {
        if let p = c.personId { return [p] }
        let counted = members.filter { $0.coResident && !$0.absent && $0.isCurrentMember }
        var people = counted
        if c.coveredMembers > 0 && c.coveredMembers < counted.count {
            people = counted.enumerated().sorted { a, b in
                (a.element.health == .healthy ? 1 : 0, a.offset) < (b.element.health == .healthy ? 1 : 0, b.offset)
            }.prefix(c.coveredMembers).map(\.element)
        }
        return people.compactMap(\.id)
    }

    static func insertCoverage(_ db: Database, caseId: Int64, stepId: Int64, from: CivilDate, persons: [Int64]) throws {
        let stmt = try db.cachedStatement(sql: "INSERT OR IGNORE INTO case_coverage(case_id, step_id, from_on, person_id) VALUES (?, ?, ?, ?)")
        for p in Set(persons) { try stmt.execute(arguments: [caseId, stepId, from.iso, p]) }
    }

    static let decisionStepCodes = "('county_approval', 'township_confirmation', 'assessment')"

    /// Record, from the household as it is now, the coverage of every decided case that has
    /// none yet (on the upgrade, after a demo load, and before a household change touches it).
    static func backfillCoverage(_ db: Database, householdId: Int64? = nil) throws {
        var sql = """
            SELECT c.*, (SELECT min(s.acted_on) FROM case_step s WHERE s.case_id = c.id AND s.action = 'approve'
                         AND s.step IN \(decisionStepCodes)) AS decided
            FROM assistance_case c WHERE NOT EXISTS (SELECT 1 FROM case_coverage k WHERE k.case_id = c.id)
            """
        var args: [DatabaseValueConvertible] = []
        if let h = householdId { sql += " AND c.household_id = ?"; args.append(h) }
        var byHousehold: [Int64: [Person]] = [:]
        for r in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)) {
            guard let decided = (r["decided"] as String?).flatMap(CivilDate.init(iso:)) else { continue }
            let c = caseRecord(from: r)
            let members: [Person]
            if let m = byHousehold[c.householdId] { members = m } else {
                members = try Store.members(db, householdId: c.householdId)
                byHousehold = [c.householdId: members]
            }
            try insertCoverage(db, caseId: c.id!, stepId: 0, from: decided, persons: defaultCoverage(c, members: members))
        }
    }

    // MARK: recording a change

    /// The reason, trimmed and bounded. Who may record the change is checked inside the write
    /// (`Store.authorize` with `Permission.householdChanges`): the acting user as the user table
    /// has them, never the caller's word for the role.
    static func checkChange(reason: String) throws -> String {
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if why.isEmpty { throw StoreError.invalid(Store.both("store.household.reasonMissing")) }
        let field = sayBoth("store.household.reasonField")
        try TextBounds.check(why, field: (field.zh, field.en), max: 500)
        return why
    }

    static func model<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as HouseholdChangeError { throw StoreError.invalid("\(e.text.zh) / \(e.text.en)") }
    }

    static func codes(_ db: Database, _ kind: String) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT code FROM ref_code WHERE kind = ?", arguments: [kind]))
    }

    /// Record one change to a household dated `date`: checked against the household as it is
    /// (its `version` must be the one the clerk saw), written with its change record, its audit
    /// row and, for each case in force it bears on, one follow-up for the approver, in one
    /// transaction.
    public func recordHouseholdChange(householdId: Int64, version: Int, change: HouseholdChange, on date: CivilDate, reason: String,
                                      by user: String, today: CivilDate, catalog: ProgrammeCatalog) throws -> HouseholdChangeResult {
        let why = try Store.checkChange(reason: reason)
        return try write { db in
            try Store.authorize(db, user, .householdChanges)
            let before = try Store.householdState(db, householdId)
            if before.household.version != version { throw StoreError.staleEdit(entity: "household", id: householdId) }
            return try Store.applyHouseholdChange(db, householdId: householdId, change: change, on: date, reason: why, by: user, today: today,
                                                  catalog: catalog)
        }
    }

    /// One change written inside the caller's transaction, the caller having checked who and
    /// which version (`recordHouseholdChange`, an application on an existing household): the
    /// household and its members, the change record, its audit row and the follow-ups of the
    /// cases in force (none when `catalog` is nil).
    static func applyHouseholdChange(_ db: Database, householdId: Int64, change: HouseholdChange, on date: CivilDate, reason why: String,
                                     by user: String, today: CivilDate, catalog: ProgrammeCatalog?) throws -> HouseholdChangeResult {
        do {
            let before = try Store.householdState(db, householdId)
            let banks = try Store.codes(db, "bank")
            let relations = try Store.codes(db, "relationship")
            let after = try Store.model {
                try HouseholdChanges.apply(change, to: before, on: date, today: today, banks: banks, relations: relations)
            }
            try Store.backfillCoverage(db, householdId: householdId)
            let now = Timestamp.now()
            let newVersion = try Store.saveState(db, before: before, after: after, now: now)
            let summary = Store.summary(change, before: before, after: after)
            var subject = change.personId
            if subject == nil, change.kind == .birth || change.kind == .moveIn {
                subject = try Int64.fetchOne(db, sql: "SELECT max(id) FROM person WHERE household_id = ?", arguments: [householdId])
            }
            let changeId = try Store.insertChange(db, householdId: householdId, kind: change.kind, personId: subject,
                                                  other: nil, on: date, reason: why, summary: summary, before: before, after: try Store.householdState(db, householdId),
                                                  by: user, now: now)
            try Audit.append(db, user: user, action: "household.change", entity: "household", entityId: String(householdId),
                             detail: Audit.detail(["change": String(changeId), "kind": change.kind.rawValue, "on": date.iso, "reason": why,
                                                   "summary": summary]))
            var proposals: [ChangeProposal] = []
            if change.kind.reachesCases || Store.touchesHukou(change, before), let catalog {
                let settings = try Store.workflowSettings(db, catalog: catalog)
                proposals = try Store.proposeFollowUps(db, householdId: householdId, changeId: changeId, change: change.kind,
                                                       personId: change.personId, on: date, summary: summary, by: user, settings: settings)
            }
            return HouseholdChangeResult(changeId: changeId, householdVersion: newVersion, newHouseholdId: nil, proposals: proposals)
        }
    }

    /// An application on a household already on record: what its form says differently from the
    /// record becomes household changes — the household's facts, a new member (a birth under a
    /// year old, else moving in), a relationship, health or work ability — each through
    /// `applyHouseholdChange`, so other cases in force get their follow-up. The survey's own
    /// details of a member (name as written, ethnicity, living together, student, 优抚, away)
    /// and the household's village, causes and cadre relative are the application's answers,
    /// written with it. A member left off the form stays on the record (a death or a move is
    /// recorded on the card). Refused when the household changed since the form was filled.
    static func recordApplicationChanges(_ db: Database, householdId: Int64, version: Int, values: FormValues, members: [Person],
                                         programme: Programme, on date: CivilDate, by user: String, today: CivilDate,
                                         catalog: ProgrammeCatalog?) throws {
        let before = try householdState(db, householdId)
        if before.household.version != version { throw StoreError.staleEdit(entity: "household", id: householdId) }
        let reason = say("store.household.fromApplication", .zh, ["programme": programme.label.zh])
        func record(_ c: HouseholdChange) throws {
            _ = try applyHouseholdChange(db, householdId: householdId, change: c, on: date, reason: reason, by: user, today: today, catalog: catalog)
        }
        // The household's own facts.
        let form = ApplicationForm.household(values, id: householdId, version: version)
        let old = before.household
        var facts = HouseholdFacts(old)
        facts.address = form.address; facts.phone = form.phone; facts.hukou = form.hukou
        facts.housing = form.housing; facts.housingArea = form.housingArea; facts.dilapidated = form.dilapidated
        if (form.bankCard ?? "") != (old.bankCard ?? "") {
            // The form has no bank: a new card is recorded on the card (F7), with its bank.
            if form.bankCard != nil && old.bankCode == nil { throw StoreError.said("store.household.applicationCardNeedsBank") }
            facts.bankCard = form.bankCard
        }
        if facts != HouseholdFacts(old) { try record(.facts(facts)) }
        // The members: new ones first, then a new head, then the others' changes.
        let current = before.current
        for m in members where !current.contains(where: { $0.idNumber == m.idNumber }) {
            try record(m.birthDate.days(until: date) <= 366 ? .birth(m) : .moveIn(m, .migrate))
        }
        let matched = members.compactMap { m in current.first { $0.idNumber == m.idNumber }.map { (m, $0) } }
        for (m, p) in matched.sorted(by: { ($0.0.isHead ? 0 : 1) < ($1.0.isHead ? 0 : 1) }) {
            guard let pid = p.id else { continue }
            // A relation the head change above already set is not a change any more.
            let now = try Store.person(db, id: pid)
            if let now, now.relation != m.relation, m.relation != "01" { try record(.relation(personId: pid, relation: m.relation, newHead: nil)) }
            // Work ability as a change would set it (under 16: none, whatever the form says).
            let work = HouseholdChanges.derivedWorkAbility(age: p.birthDate.age(on: date), given: m.workAbility)
            let disabled = m.health == .disabled
            if p.health != m.health || p.workAbility != work
                || (disabled && (p.disabilityType != m.disabilityType || p.disabilityLevel != m.disabilityLevel)) {
                try record(.condition(personId: pid, MemberCondition(health: m.health, disabilityType: m.disabilityType,
                                                                     disabilityLevel: m.disabilityLevel, workAbility: m.workAbility)))
            }
        }
        // The application's own answers.
        let now = Timestamp.now()
        for (m, p) in matched {
            guard let pid = p.id else { continue }
            let fresh = try Store.person(db, id: pid) ?? p
            guard m.name != fresh.name || m.sex != fresh.sex || m.ethnicity != fresh.ethnicity || m.coResident != fresh.coResident
                    || m.student != fresh.student || m.youfu != fresh.youfu || m.absent != fresh.absent else { continue }
            let py = Pinyin.keys(m.name)
            try db.execute(sql: """
                UPDATE person SET name = ?, sex = ?, ethnicity = ?, co_resident = ?, student = ?, youfu = ?, absent = ?, py = ?, ini = ?,
                    version = version + 1, updated_at = ? WHERE id = ?
                """, arguments: [m.name, m.sex.rawValue, m.ethnicity, m.coResident, m.student, m.youfu, m.absent, py.full, py.initials, now, pid])
            if fresh.name != m.name {
                try Store.deleteSearchKeys(db, name: fresh.name, idNumber: fresh.idNumber, householdId: householdId, personId: pid)
                try Store.insertSearchKeys(db, name: m.name, idNumber: m.idNumber, householdId: householdId, personId: pid)
            }
        }
        try db.execute(sql: "UPDATE household SET village_code = ?, causes = ?, cadre_relative = ?, updated_at = ? WHERE id = ?",
                       arguments: [form.villageCode, form.causes.joined(separator: ","), form.cadreRelative, now, householdId])
        try refreshHouseholdSummary(db, householdId)
    }

    static func touchesHukou(_ change: HouseholdChange, _ before: HouseholdState) -> Bool {
        if case .facts(let f) = change { return f.hukou != before.household.hukou || f.hukouRegion != before.household.hukouRegion }
        return false
    }

    /// Write `after` over `before`: the household row (version + 1) and each person added or changed.
    @discardableResult
    static func saveState(_ db: Database, before: HouseholdState, after: HouseholdState, now: String) throws -> Int {
        guard let hid = before.household.id else { throw StoreError.invalid("household has no id") }
        let h = after.household
        try db.execute(sql: """
            UPDATE household SET address = ?, hukou = ?, hukou_region = ?, phone = ?, bank_code = ?, bank_card = ?, housing = ?,
                housing_area = ?, dilapidated = ?, version = version + 1, updated_at = ?
            WHERE id = ? AND version = ?
            """, arguments: [h.address, h.hukou.rawValue, h.hukouRegion?.rawValue, h.phone, h.bankCode, h.bankCard, h.housing.rawValue,
                             h.housingArea, h.dilapidated, now, hid, before.household.version])
        if db.changesCount == 0 { throw StoreError.staleEdit(entity: "household", id: hid) }
        for var p in after.members {
            guard let pid = p.id else {
                if let holder = try idHolder(db, idNumber: p.idNumber) { throw duplicateError(holder, id: p.idNumber) }
                if !p.hasIDNumber { p.birthCertificate = String(p.idNumber.dropFirst(2)) }
                _ = try insertPerson(db, p, householdId: hid, now: now)
                continue
            }
            guard let old = before.members.first(where: { $0.id == pid }) else { continue }
            if old == p { continue }
            try updatePersonRow(db, old: old, new: p, householdId: hid, now: now)
        }
        try refreshHouseholdSummary(db, hid)
        return before.household.version + 1
    }

    static func updatePersonRow(_ db: Database, old: Person, new p: Person, householdId: Int64, now: String) throws {
        guard let pid = p.id else { return }
        if p.idNumber != old.idNumber, let holder = try idHolder(db, idNumber: p.idNumber, excludingPerson: pid) {
            throw duplicateError(holder, id: p.idNumber)
        }
        try db.execute(sql: """
            UPDATE person SET household_id = ?, id_number = ?, relation = ?, sex = ?, co_resident = ?, health = ?, disability_type = ?,
                disability_level = ?, work_ability = ?, student = ?, absent = ?, died_on = ?, left_on = ?, left_reason = ?,
                version = version + 1, updated_at = ?
            WHERE id = ? AND version = ?
            """, arguments: [householdId, p.idNumber, p.relation, p.sex.rawValue, p.coResident, p.health.rawValue, p.disabilityType,
                             p.disabilityLevel, p.workAbility.rawValue, p.student, p.absent, p.diedOn?.iso, p.leftOn?.iso,
                             p.leftReason?.rawValue, now, pid, old.version])
        if db.changesCount == 0 { throw StoreError.staleEdit(entity: "person", id: pid) }
        if p.idNumber != old.idNumber || householdId != old.householdId {
            try deleteSearchKeys(db, name: old.name, idNumber: old.idNumber, householdId: old.householdId ?? householdId, personId: pid)
            try insertSearchKeys(db, name: p.name, idNumber: p.idNumber, householdId: householdId, personId: pid)
        }
    }

    static func insertChange(_ db: Database, householdId: Int64, kind: HouseholdChangeKind, personId: Int64?, other: Int64?, on date: CivilDate,
                             reason: String, summary: String, before: HouseholdState, after: HouseholdState, by user: String, now: String) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO household_change(household_id, kind, person_id, other_household_id, effective_on, reason, summary, before, after,
                recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [householdId, kind.rawValue, personId, other, date.iso, reason, summary,
                             Audit.detail(HouseholdSnapshot(household: before.household, members: before.members)),
                             Audit.detail(HouseholdSnapshot(household: after.household, members: after.members)), user, now])
        return db.lastInsertedRowID
    }

    /// The change in words for the history (recorded in Chinese, as the other records are; ID
    /// numbers masked, no phone or card in full).
    static func summary(_ change: HouseholdChange, before: HouseholdState, after: HouseholdState) -> String {
        func name(_ id: Int64) -> String { before.members.first { $0.id == id }?.name ?? "#\(id)" }
        func z(_ key: String, _ v: [String: String] = [:]) -> String { say(key, .zh, v) }
        let none = z("store.household.summary.none")
        func newHead(_ h: Int64?) -> String { h.map { z("store.household.summary.newHead", ["name": name($0)]) } ?? "" }
        switch change {
        case .facts(let f):
            let b = before.household
            var parts: [String] = []
            if f.address != b.address { parts.append(z("store.household.summary.address", ["from": b.address, "to": f.address])) }
            if (f.phone ?? "") != (b.phone ?? "") {
                parts.append(z("store.household.summary.phone", ["from": b.phone.map(Masking.phone) ?? none, "to": f.phone.map(Masking.phone) ?? none]))
            }
            if (f.bankCard ?? "") != (b.bankCard ?? "") || f.bankCode != b.bankCode {
                parts.append(z("store.household.summary.card", ["from": b.bankCard.map(Masking.bankCard) ?? none, "to": f.bankCard.map(Masking.bankCard) ?? none]))
            }
            func hukou(_ k: HukouType, _ r: HukouRegion?) -> String { k.label.zh + (r.map { z("store.household.summary.region", ["region": $0.label.zh]) } ?? "") }
            if f.hukou != b.hukou || f.hukouRegion != b.hukouRegion {
                parts.append(z("store.household.summary.hukou", ["from": hukou(b.hukou, b.hukouRegion), "to": hukou(f.hukou, f.hukouRegion)]))
            }
            func housing(_ k: Housing, _ a: Int?, _ d: Bool) -> String {
                k.label.zh + (a.map { z("store.household.summary.area", ["area": "\($0)"]) } ?? "") + (d ? z("store.household.summary.dilapidated") : "")
            }
            if f.housing != b.housing || f.housingArea != b.housingArea || f.dilapidated != b.dilapidated {
                parts.append(z("store.household.summary.housing", ["from": housing(b.housing, b.housingArea, b.dilapidated), "to": housing(f.housing, f.housingArea, f.dilapidated)]))
            }
            return parts.joined(separator: z("store.household.summary.separator"))
        case .birth(let p):
            let n = after.members.last
            return z("store.household.summary.birth", ["name": p.name, "identity": n?.maskedIdentity ?? "", "born": n?.birthDate.iso ?? ""])
        case .moveIn(let p, let why):
            return z("store.household.summary.moveIn", ["why": why.label.zh, "name": p.name, "identity": after.members.last?.maskedIdentity ?? ""])
        case .returned(let pid): return z("store.household.summary.returned", ["name": name(pid)])
        case .death(let pid, let h): return z("store.household.summary.death", ["name": name(pid)]) + newHead(h)
        case .moveOut(let pid, let why, let h): return z("store.household.summary.moveOut", ["why": why.label.zh, "name": name(pid)]) + newHead(h)
        case .relation(let pid, let rel, _):
            return z("store.household.summary.relation", ["name": name(pid), "from": before.members.first { $0.id == pid }?.relation ?? "", "to": rel])
        case .condition(let pid, let c):
            let old = before.members.first { $0.id == pid }
            let new = after.members.first { $0.id == pid }
            return z("store.household.summary.condition", ["name": name(pid), "from": "\(old?.health.rawValue ?? "")/\(old?.workAbility.rawValue ?? "")",
                                   "to": "\(c.health.rawValue)\(c.disabilityLevel.map { "/L\($0)" } ?? "")/\(new?.workAbility.rawValue ?? "")"])
        case .idNumber(let pid, _):
            return z("store.household.summary.idNumber", ["name": name(pid), "identity": after.members.first { $0.id == pid }?.maskedIdentity ?? ""])
        }
    }

    // MARK: split and merge

    /// 分户: `persons` leave the household for a new one at `address` headed by `newHead`
    /// (the staying household's new head `remainingHead` when its head leaves). Cases for one of
    /// the persons (特困, 医疗) go with them; household cases in force get their follow-up.
    public func splitHousehold(householdId: Int64, version: Int, persons: [Int64], newHead: Int64, address: String, remainingHead: Int64? = nil,
                               on date: CivilDate, reason: String, by user: String, today: CivilDate,
                               catalog: ProgrammeCatalog) throws -> HouseholdChangeResult {
        let why = try Store.checkChange(reason: reason)
        return try write { db in
            try Store.authorize(db, user, .householdChanges)
            let before = try Store.householdState(db, householdId)
            if before.household.version != version { throw StoreError.staleEdit(entity: "household", id: householdId) }
            let (remaining, new) = try Store.model {
                try HouseholdChanges.split(before, persons: persons, newHead: newHead, address: address, on: date, today: today,
                                           remainingHead: remainingHead)
            }
            try Store.backfillCoverage(db, householdId: householdId)
            let now = Timestamp.now()
            let (nid, _) = try Store.insertHousehold(db, new.household, members: [], now: now)
            for p in new.members {
                guard let old = before.members.first(where: { $0.id == p.id }) else { continue }
                try Store.updatePersonRow(db, old: old, new: p, householdId: nid, now: now)
            }
            let moved = Set(persons)
            try Store.moveOwnCases(db, persons: moved, to: nid)
            let kept = remaining   // the persons who left are written above
            let beforeKept = HouseholdState(household: before.household, members: before.members.filter { !moved.contains($0.id ?? -1) })
            let v = try Store.saveState(db, before: beforeKept, after: kept, now: now)
            try Store.refreshHouseholdSummary(db, nid)
            let names = Strings.shared.list(new.members.map(\.name), .zh)
            let summary = say("store.household.summary.split", .zh, ["names": names, "id": "\(nid)", "address": address])
            let afterOld = try Store.householdState(db, householdId), afterNew = try Store.householdState(db, nid)
            let changeId = try Store.insertChange(db, householdId: householdId, kind: .split, personId: newHead, other: nid, on: date, reason: why,
                                                  summary: summary, before: before, after: afterOld, by: user, now: now)
            _ = try Store.insertChange(db, householdId: nid, kind: .split, personId: newHead, other: householdId, on: date, reason: why,
                                       summary: say("store.household.summary.splitNew", .zh, ["id": "\(householdId)", "names": names]), before: HouseholdState(household: new.household, members: []),
                                       after: afterNew, by: user, now: now)
            try Audit.append(db, user: user, action: "household.split", entity: "household", entityId: String(householdId),
                             detail: Audit.detail(["change": String(changeId), "new": String(nid), "persons": persons.map(String.init).joined(separator: ","),
                                                   "on": date.iso, "reason": why]))
            let settings = try Store.workflowSettings(db, catalog: catalog)
            var proposals = try Store.proposeFollowUps(db, householdId: householdId, changeId: changeId, change: .split, personId: nil, on: date,
                                                       summary: summary, by: user, settings: settings)
            proposals += try Store.proposeFollowUps(db, householdId: nid, changeId: changeId, change: .split, personId: nil, on: date,
                                                    summary: summary, by: user, settings: settings)
            return HouseholdChangeResult(changeId: changeId, householdVersion: v, newHouseholdId: nid, proposals: proposals)
        }
    }

    /// 合户: `persons` of household `from` (with their relationship to `into`'s head) join `into`.
    /// A household left with no one is closed as merged into the other.
    public func mergeHouseholds(from: Int64, fromVersion: Int, into: Int64, intoVersion: Int, persons: [Int64: String], on date: CivilDate,
                                reason: String, by user: String, today: CivilDate, catalog: ProgrammeCatalog) throws -> HouseholdChangeResult {
        let why = try Store.checkChange(reason: reason)
        return try write { db in
            try Store.authorize(db, user, .householdChanges)
            let a = try Store.householdState(db, from), b = try Store.householdState(db, into)
            if a.household.version != fromVersion { throw StoreError.staleEdit(entity: "household", id: from) }
            if b.household.version != intoVersion { throw StoreError.staleEdit(entity: "household", id: into) }
            let relations = try Store.codes(db, "relationship")
            let (a2, b2) = try Store.model {
                try HouseholdChanges.merge(a, into: b, persons: persons, on: date, today: today, relations: relations)
            }
            try Store.backfillCoverage(db, householdId: from)
            try Store.backfillCoverage(db, householdId: into)
            let now = Timestamp.now()
            let moved = Set(persons.keys)
            for p in b2.members where moved.contains(p.id ?? -1) {
                guard let old = a.members.first(where: { $0.id == p.id }) else { continue }
                try Store.updatePersonRow(db, old: old, new: p, householdId: into, now: now)
            }
            try Store.moveOwnCases(db, persons: moved, to: into)
            let aRest = HouseholdState(household: a.household, members: a.members.filter { !moved.contains($0.id ?? -1) })
            try Store.saveState(db, before: aRest, after: a2, now: now)
            let bBefore = b
            let bAfter = HouseholdState(household: b.household, members: b.members)
            let v = try Store.saveState(db, before: bBefore, after: bAfter, now: now)
            if a2.current.isEmpty {
                try db.execute(sql: "UPDATE household SET merged_into = ? WHERE id = ?", arguments: [into, from])
            }
            let names = Strings.shared.list(persons.keys.sorted().compactMap { id in a.members.first { $0.id == id }?.name }, .zh)
            let summary = say("store.household.summary.merge", .zh, ["from": "\(from)", "names": names, "into": "\(into)"])
                + (a2.current.isEmpty ? say("store.household.summary.mergeClosed", .zh) : "")
            let changeId = try Store.insertChange(db, householdId: into, kind: .merge, personId: nil, other: from, on: date, reason: why,
                                                  summary: summary, before: b, after: try Store.householdState(db, into), by: user, now: now)
            _ = try Store.insertChange(db, householdId: from, kind: .merge, personId: nil, other: into, on: date, reason: why, summary: summary,
                                       before: a, after: HouseholdState(household: a.household, members: try Store.allMembers(db, householdId: from)),
                                       by: user, now: now)
            try Audit.append(db, user: user, action: "household.merge", entity: "household", entityId: String(into),
                             detail: Audit.detail(["change": String(changeId), "from": String(from), "on": date.iso, "reason": why,
                                                   "persons": persons.keys.sorted().map(String.init).joined(separator: ",")]))
            let settings = try Store.workflowSettings(db, catalog: catalog)
            var proposals = try Store.proposeFollowUps(db, householdId: into, changeId: changeId, change: .merge, personId: nil, on: date,
                                                       summary: summary, by: user, settings: settings)
            proposals += try Store.proposeFollowUps(db, householdId: from, changeId: changeId, change: .merge, personId: nil, on: date,
                                                    summary: summary, by: user, settings: settings)
            return HouseholdChangeResult(changeId: changeId, householdVersion: v, newHouseholdId: nil, proposals: proposals)
        }
    }

    /// Cases for one person (特困, 医疗) follow the person to another household.
    static func moveOwnCases(_ db: Database, persons: Set<Int64>, to household: Int64) throws {
        guard !persons.isEmpty else { return }
        let village = try String.fetchOne(db, sql: "SELECT village_code FROM household WHERE id = ?", arguments: [household]) ?? ""
        let marks = persons.map { _ in "?" }.joined(separator: ", ")
        var args: [DatabaseValueConvertible] = [household, village]
        args += persons.sorted().map { $0 as DatabaseValueConvertible }
        try db.execute(sql: "UPDATE assistance_case SET household_id = ?, village_code = ?, version = version + 1 WHERE person_id IN (\(marks))",
                       arguments: StatementArguments(args))
    }

    // MARK: the cases in force

    static let monthlyProgrammes: Set<Programme> = [.ruralDibao, .urbanDibao, .tekun]

    /// For each monthly case in force (or suspended) of the household a change bears on, open
    /// one follow-up for the approver — or bring the open one up to date, so a case never has
    /// two from household changes — with the proposal worked out from the stored figures.
    static func proposeFollowUps(_ db: Database, householdId: Int64, changeId: Int64, change: HouseholdChangeKind, personId: Int64?,
                                 on date: CivilDate, summary: String, by user: String, settings: WorkflowSettings) throws -> [ChangeProposal] {
        let cases = try Row.fetchAll(db, sql: """
            SELECT * FROM assistance_case WHERE household_id = ? AND status IN ('active', 'suspended') ORDER BY id
            """, arguments: [householdId]).map(caseRecord(from:))
        guard !cases.isEmpty, let h = try household(db, id: householdId) else { return [] }
        let members = try Store.members(db, householdId: householdId)
        let rules = try paymentRules(db)
        var out: [ChangeProposal] = []
        for c in cases where monthlyProgrammes.contains(c.programme) {
            guard let cid = c.id else { continue }
            let inForce = try coverage(db, caseId: cid, on: date) ?? defaultCoverage(c, members: members)
            var proposal = ChangeProposal(caseId: cid, followUpId: 0, kind: .circumstances, proposed: .adjust, amount: nil, perCapita: nil,
                                          persons: [], stopMonth: nil)
            let stop = rules.stopMonth(decidedOn: date).description
            if let pid = c.personId {
                // A case for one person: it ends with the person's death or departure.
                let p = try person(db, id: pid)
                let gone = p == nil || p!.diedOn != nil || p!.leftOn != nil
                if gone {
                    proposal.kind = .removed; proposal.proposed = .cancel; proposal.stopMonth = stop
                } else if personId == pid && change == .condition {
                    proposal.persons = [pid]
                    let history = try caseSteps(db, caseId: cid)
                    let f = try facts(db, case: c, household: h, members: members, history: history, on: date, coveredIds: [pid], catalog: settings.catalog)
                    proposal.amount = Eligibility.assess(f, settings.benefit).amount
                    if proposal.amount == c.monthlyAmount { continue }
                } else { continue }
            } else {
                let now = members.filter { $0.coResident && !$0.absent }.compactMap(\.id).sorted()
                let added = Set(now).subtracting(inForce), removed = Set(inForce).subtracting(now)
                let touchesCovered = personId.map { inForce.contains($0) } ?? false
                if added.isEmpty && removed.isEmpty {
                    guard change == .condition && touchesCovered || change == .facts else { continue }
                    proposal.kind = .circumstances
                } else {
                    proposal.kind = removed.isEmpty ? .added : added.isEmpty ? .removed : .circumstances
                }
                proposal.persons = now
                if now.isEmpty {
                    proposal.proposed = .cancel; proposal.stopMonth = stop
                } else {
                    let history = try caseSteps(db, caseId: cid)
                    // The household's monthly income from the case's figures, shared by the persons now counted.
                    let old = try facts(db, case: c, household: h, members: members, history: history, on: date, coveredIds: inForce, catalog: settings.catalog)
                    let monthly = (old.perCapitaMonthly ?? .zero) * max(inForce.count, 1)
                    let pci = monthly.divided(by: now.count)
                    proposal.perCapita = pci
                    let f = try facts(db, case: c, household: h, members: members, history: history, on: date,
                                      inputs: ["perCapitaIncome": pci.yuanString], coveredIds: now, catalog: settings.catalog)
                    let a = Eligibility.assess(f, settings.benefit)
                    if a.amount.fen <= 0 {
                        proposal.proposed = .cancel; proposal.stopMonth = stop
                    } else {
                        proposal.amount = a.amount
                        if proposal.kind == .circumstances && a.amount == c.monthlyAmount && added.isEmpty && removed.isEmpty {
                            proposal.proposed = .none
                        }
                    }
                }
            }
            let finding: String = {
                func z(_ key: String, _ v: [String: String] = [:]) -> String { say(key, .zh, v) }
                var t = z("store.household.finding.change", ["date": date.iso, "kind": proposal.kind.label.zh, "summary": summary])
                switch proposal.proposed {
                case .adjust: if let a = proposal.amount { t += z("store.household.finding.adjust", ["amount": a.yuanString, "n": "\(proposal.persons.count)"]) }
                case .cancel: t += z("store.household.finding.stop", ["month": proposal.stopMonth ?? ""])
                case .none: t += z("store.household.finding.same")
                default: break
                }
                return t
            }()
            let persons = proposal.persons.map(String.init).joined(separator: ",")
            if let open = try Int64.fetchOne(db, sql: """
                SELECT id FROM case_followup WHERE case_id = ? AND source = 'household' AND closed_on IS NULL ORDER BY id LIMIT 1
                """, arguments: [cid]) {
                // One follow-up per case from household changes: the newest change restates it.
                try db.execute(sql: """
                    UPDATE case_followup SET source_id = ?, proposed = ?, finding = ?, income_estimate_fen = ?, opened_by = ?, opened_on = ?,
                        change_kind = ?, proposed_fen = ?, proposed_persons = ?, stop_month = ? WHERE id = ?
                    """, arguments: [changeId, proposal.proposed.rawValue, finding, proposal.perCapita?.fen, user, date.iso,
                                     proposal.kind.rawValue, proposal.amount?.fen, persons, proposal.stopMonth, open])
                proposal.followUpId = open
                try Audit.append(db, user: user, action: "followup.update", entity: "case", entityId: String(cid),
                                 detail: Audit.detail(["followup": String(open), "source": "household", "change": String(changeId),
                                                       "kind": proposal.kind.rawValue, "proposed": proposal.proposed.rawValue,
                                                       "amount": proposal.amount?.yuanString]))
            } else {
                try db.execute(sql: """
                    INSERT INTO case_followup(case_id, source, source_id, proposed, finding, income_estimate_fen, opened_by, opened_on,
                        change_kind, proposed_fen, proposed_persons, stop_month) VALUES (?, 'household', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [cid, changeId, proposal.proposed.rawValue, finding, proposal.perCapita?.fen, user, date.iso,
                                     proposal.kind.rawValue, proposal.amount?.fen, persons, proposal.stopMonth])
                proposal.followUpId = db.lastInsertedRowID
                try Audit.append(db, user: user, action: "followup.open", entity: "case", entityId: String(cid),
                                 detail: Audit.detail(["followup": String(proposal.followUpId), "source": "household", "change": String(changeId),
                                                       "kind": proposal.kind.rawValue, "proposed": proposal.proposed.rawValue,
                                                       "amount": proposal.amount?.yuanString]))
            }
            out.append(proposal)
        }
        return out
    }

    /// The open household follow-up of a case: the persons it proposes to cover.
    static func proposedPersons(_ db: Database, caseId: Int64) throws -> [Int64]? {
        guard let text = try String.fetchOne(db, sql: """
            SELECT proposed_persons FROM case_followup WHERE case_id = ? AND source = 'household' AND closed_on IS NULL
              AND proposed_persons IS NOT NULL AND proposed_persons <> '' ORDER BY id DESC LIMIT 1
            """, arguments: [caseId]) else { return nil }
        return text.split(separator: ",").compactMap { Int64($0) }
    }
}

extension Store {
    /// The household card with its change history (`jiuzhu household show`, the card screen).
    public func householdCard(id: Int64) throws -> HouseholdRecord? {
        try read { db in try Store.householdRecord(db, id: id) }
    }

    public static func householdRecord(_ db: Database, id: Int64) throws -> HouseholdRecord? {
        guard let card = try householdCard(db, id: id) else { return nil }
        var r = HouseholdRecord(card: card)
        r.formerMembers = try allMembers(db, householdId: id).filter { !$0.isCurrentMember }
        r.changes = try householdChanges(db, householdId: id)
        r.mergedInto = try Int64.fetchOne(db, sql: "SELECT merged_into FROM household WHERE id = ?", arguments: [id])
        for row in try Row.fetchAll(db, sql: "SELECT code, zh, en FROM ref_code WHERE kind = 'relationship'") {
            r.relationLabels[row["code"]] = Text2(zh: row["zh"], en: row["en"])
        }
        r.bankName = try card.household.bankCode.flatMap {
            try String.fetchOne(db, sql: "SELECT zh FROM ref_code WHERE kind = 'bank' AND code = ?", arguments: [$0])
        }
        return r
    }

    /// The household a person is on now.
    public func householdOf(personId: Int64) throws -> Int64? {
        try read { db in try Int64.fetchOne(db, sql: "SELECT household_id FROM person WHERE id = ?", arguments: [personId]) }
    }
}
