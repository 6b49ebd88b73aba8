import Foundation

// Changes to a household between surveys (户籍变动): each dated, with a reason, checked here
// (a pure function of the household as it stands), written by the store in one transaction
// with its change record (变动记录), its audit row and, for a household with a case in force,
// a follow-up for the approver.

/// 户籍类型 after the 2014 reform (国发〔2014〕25号《关于进一步推进户籍制度改革的意见》 abolished
/// the 农业/非农业 split): a 本地户籍 or a 居住证, with the kind of place (城镇/农村) apart.
/// `HukouType.agricultural` / `.nonAgricultural` remain readable for older records, never offered.
public enum HukouRegion: String, Codable, Sendable, CaseIterable {
    case urban, rural
    public var label: Text2 {
        switch self {
        case .urban: return sayBoth("model.household.label.urban")
        case .rural: return sayBoth("model.household.label.rural")
        }
    }
}

extension HukouType {
    /// The kinds a clerk may choose today (the obsolete two stay readable).
    public static let current: [HukouType] = [.local, .residencePermit]
    public var isObsolete: Bool { self == .agricultural || self == .nonAgricultural }
    public var label: Text2 {
        switch self {
        case .local: return sayBoth("model.household.label.localHukou")
        case .residencePermit: return sayBoth("model.household.label.residencePermit")
        case .agricultural: return sayBoth("model.household.label.agriculturalOld")
        case .nonAgricultural: return sayBoth("model.household.label.nonAgriculturalOld")
        }
    }
}

extension Housing {
    public var label: Text2 {
        switch self {
        case .own: return sayBoth("model.household.label.own")
        case .rent: return sayBoth("model.household.label.rented")
        case .none: return sayBoth("model.household.label.none")
        }
    }
}

/// Why a member leaves the counted household. Marriage and 迁出 take the person off the
/// household (kept on its record as left); prison and the army keep the person as a member not
/// counted (`absent`); a student away at school stays counted (`student`).
public enum LeaveReason: String, Codable, Sendable, CaseIterable {
    case marriage, migrate, prison, army, school
    public var label: Text2 {
        switch self {
        case .marriage: return sayBoth("model.household.label.marriedOut")
        case .migrate: return sayBoth("model.household.label.movedOut")
        case .prison: return sayBoth("model.household.label.inPrison")
        case .army: return sayBoth("model.household.label.inTheArmy")
        case .school: return sayBoth("model.household.label.atSchool")
        }
    }
    /// The person stops being a member of the household (not only not counted).
    public var leavesHousehold: Bool { self == .marriage || self == .migrate }
}

/// Why a person joins: a new member by marriage or 迁入, or one coming back (刑满释放, 退役, 毕业).
public enum JoinReason: String, Codable, Sendable, CaseIterable {
    case marriage, migrate, returned
    public var label: Text2 {
        switch self {
        case .marriage: return sayBoth("model.household.label.marriedIn")
        case .migrate: return sayBoth("model.household.label.movedIn")
        case .returned: return sayBoth("model.household.label.returned")
        }
    }
}

/// The kinds of change, as the change history (变动记录) names them.
public enum HouseholdChangeKind: String, Codable, Sendable, CaseIterable {
    case facts, birth, death, moveIn = "move_in", moveOut = "move_out", relation, condition, idNumber = "id_number", split, merge
    public var label: Text2 {
        switch self {
        case .facts: return sayBoth("model.household.label.householdFacts")
        case .birth: return sayBoth("model.household.label.birth")
        case .death: return sayBoth("model.household.label.death")
        case .moveIn: return sayBoth("model.household.label.movedIn")
        case .moveOut: return sayBoth("model.household.label.movedOut")
        case .relation: return sayBoth("model.household.label.relationship")
        case .condition: return sayBoth("model.household.label.healthDisabilityWork")
        case .idNumber: return sayBoth("model.household.label.idNumberAdded")
        case .split: return sayBoth("model.household.label.split")
        case .merge: return sayBoth("model.household.label.merge")
        }
    }
    /// Changes that bear on who is counted or on the amounts (and so on cases in force).
    public var reachesCases: Bool { self != .facts && self != .idNumber && self != .relation }
}

/// The household's own facts as a change sets them (every field given: the form shows them all).
public struct HouseholdFacts: Equatable, Codable, Sendable {
    public var address: String
    public var phone: String?
    public var bankCode: String?
    public var bankCard: String?
    public var hukou: HukouType
    public var hukouRegion: HukouRegion?
    public var housing: Housing
    public var housingArea: Int?
    public var dilapidated: Bool
    public init(address: String, phone: String?, bankCode: String?, bankCard: String?, hukou: HukouType, hukouRegion: HukouRegion?,
                housing: Housing, housingArea: Int?, dilapidated: Bool) {
        self.address = address; self.phone = phone; self.bankCode = bankCode; self.bankCard = bankCard; self.hukou = hukou
        self.hukouRegion = hukouRegion; self.housing = housing; self.housingArea = housingArea; self.dilapidated = dilapidated
    }
    public init(_ h: Household) {
        self.init(address: h.address, phone: h.phone, bankCode: h.bankCode, bankCard: h.bankCard, hukou: h.hukou, hukouRegion: h.hukouRegion,
                  housing: h.housing, housingArea: h.housingArea, dilapidated: h.dilapidated)
    }
}

/// A member's health, disability and work ability as a change sets them.
public struct MemberCondition: Equatable, Codable, Sendable {
    public var health: Health
    public var disabilityType: String?
    public var disabilityLevel: Int?
    /// Nil: derived from age (under 16: 无劳动能力), else kept.
    public var workAbility: WorkAbility?
    public init(health: Health, disabilityType: String? = nil, disabilityLevel: Int? = nil, workAbility: WorkAbility? = nil) {
        self.health = health; self.disabilityType = disabilityType; self.disabilityLevel = disabilityLevel; self.workAbility = workAbility
    }
}

/// One change to a household.
public enum HouseholdChange: Equatable, Sendable {
    case facts(HouseholdFacts)
    /// A newborn: an ID number or, before there is one, the birth certificate number (出生医学证明).
    case birth(Person)
    case death(personId: Int64, newHead: Int64?)
    /// A new person joins (marriage, 迁入), or `returning` a member back from prison, the army or school.
    case moveIn(Person, JoinReason)
    case returned(personId: Int64)
    case moveOut(personId: Int64, reason: LeaveReason, newHead: Int64?)
    case relation(personId: Int64, relation: String, newHead: Int64?)
    case condition(personId: Int64, MemberCondition)
    /// A newborn's ID number, recorded later.
    case idNumber(personId: Int64, idNumber: String)

    public var kind: HouseholdChangeKind {
        switch self {
        case .facts: return .facts
        case .birth: return .birth
        case .death: return .death
        case .moveIn, .returned: return .moveIn
        case .moveOut: return .moveOut
        case .relation: return .relation
        case .condition: return .condition
        case .idNumber: return .idNumber
        }
    }

    /// The member the change is about, if one.
    public var personId: Int64? {
        switch self {
        case .facts, .birth, .moveIn: return nil
        case .death(let p, _), .returned(let p), .moveOut(let p, _, _), .relation(let p, _, _), .condition(let p, _), .idNumber(let p, _): return p
        }
    }
}

/// Why a change is refused, in both languages.
public struct HouseholdChangeError: Error, Equatable, Sendable {
    public var text: Text2
    /// The text of `key` (screens/strings-model.json) in both languages.
    public init(_ key: String, _ values: [String: String] = [:]) { text = sayBoth(key, values) }
    public init(text: Text2) { self.text = text }
}

/// A household as a change sees it: its row and every person ever recorded on it (those who
/// died or left stay, marked, so the history reads whole).
public struct HouseholdState: Equatable, Sendable {
    public var household: Household
    public var members: [Person]
    public init(household: Household, members: [Person]) { self.household = household; self.members = members }
    /// Members alive and not left: the household as it is now.
    public var current: [Person] { members.filter(\.isCurrentMember) }
    /// Members counted for the benefit (living with the household, not in prison or the army).
    public var counted: [Person] { current.filter { $0.coResident && !$0.absent } }
    public var head: Person? { current.first(where: \.isHead) }
}

/// The rules of each change (the reducer): the household after it, or why not.
public enum HouseholdChanges {
    /// A 11-digit mobile number (1[3-9]…, spaces or hyphens between groups allowed), or a fixed
    /// line with its area code (0 + 2–3 digits, then 7–8 digits, a hyphen or space between).
    public static func isValidPhone(_ s: String) -> Bool {
        let t = s.trimmingCharacters(in: .whitespaces)
        let digits = t.filter { $0 != "-" && $0 != " " }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        let d = Array(digits)
        if d.count == 11 && d[0] == "1" && ("3"..."9").contains(d[1]) { return true }
        guard d[0] == "0", (10...12).contains(d.count) else { return false }
        if t.contains("-") || t.contains(" ") {
            let parts = t.split(whereSeparator: { $0 == "-" || $0 == " " })
            guard parts.count == 2, (3...4).contains(parts[0].count), (7...8).contains(parts[1].count) else { return false }
        }
        return true
    }

    /// A bank card number: 16 to 19 digits passing the Luhn check (ISO/IEC 7812).
    public static func isValidCard(_ s: String) -> Bool {
        let d = s.filter { $0 != " " }
        guard (16...19).contains(d.count), d.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        var sum = 0
        for (i, ch) in d.reversed().enumerated() {
            var n = Int(String(ch))!
            if i % 2 == 1 { n *= 2; if n > 9 { n -= 9 } }
            sum += n
        }
        return sum % 10 == 0
    }

    /// 出生医学证明编号: a letter followed by 9 digits (the national form since 2014), or 9–12
    /// letters and digits for older forms.
    public static func isValidBirthCertificate(_ s: String) -> Bool {
        let t = s.trimmingCharacters(in: .whitespaces)
        return (9...12).contains(t.count) && t.allSatisfy { $0.isASCII && ($0.isNumber || $0.isLetter) } && t.contains(where: \.isNumber)
    }

    /// Work ability from age when none is given: under 16 无劳动能力 (劳动法 §15: no work under 16).
    public static func derivedWorkAbility(age: Int, given: WorkAbility?) -> WorkAbility {
        if age < 16 { return .none }
        return given ?? .full
    }

    /// Apply one change dated `on` to `state`. `banks`: the bank codes of the code list;
    /// `relations`: the relationship codes. Everything refused says what to do.
    public static func apply(_ change: HouseholdChange, to state: HouseholdState, on date: CivilDate, today: CivilDate,
                             banks: Set<String>, relations: Set<String>) throws -> HouseholdState {
        if date > today { throw HouseholdChangeError("model.household.theChangeIsDated", ["date": "\(date.iso)"]) }
        var s = state
        func member(_ id: Int64) throws -> Int {
            guard let i = s.members.firstIndex(where: { $0.id == id }), s.members[i].isCurrentMember else {
                throw HouseholdChangeError("model.household.personIdIsNot", ["id": "\(id)"])
            }
            return i
        }
        func setHead(_ newHead: Int64?, leaving: Int64) throws {
            guard s.members.first(where: { $0.id == leaving })?.isHead == true else { return }
            let others = s.current.filter { $0.id != leaving }
            if others.isEmpty { return }   // the last member: the household has no one left
            guard let h = newHead, let i = s.members.firstIndex(where: { $0.id == h && $0.id != leaving && $0.isCurrentMember }) else {
                throw HouseholdChangeError("model.household.theHeadLeavesName")
            }
            s.members[i].relation = Person.headRelation
        }
        func checkNewPerson(_ p: Person) throws -> Person {
            var p = p
            p.name = p.name.trimmingCharacters(in: .whitespaces)
            if p.name.isEmpty { throw HouseholdChangeError("model.household.theNameIsMissing") }
            if let cert = p.birthCertificate, !cert.isEmpty, p.idNumber.isEmpty || p.idNumber == Person.certificateKey(cert) {
                guard isValidBirthCertificate(cert) else {
                    throw HouseholdChangeError("model.household.theBirthCertificateNumber", ["cert": "\(cert)"])
                }
                p.idNumber = Person.certificateKey(cert)
            } else {
                switch IDNumber.parse(p.idNumber, today: today) {
                case .success(let id):
                    p.idNumber = id.value; p.birthDate = id.birthDate; p.sex = id.sex
                case .failure(let e):
                    throw HouseholdChangeError(text: Text2(zh: say("model.household.badIDNumber", .zh, ["problem": e.message(.zh)]),
                                                          en: say("model.household.badIDNumber", .en, ["problem": e.message(.en)])))
                }
            }
            if p.birthDate > date { throw HouseholdChangeError("model.household.bornAfterTheChange") }
            if !relations.isEmpty && !relations.contains(p.relation) {
                throw HouseholdChangeError("model.household.relationshipCodePRelation", ["p": "\(p.relation)"])
            }
            if p.isHead && s.head != nil { throw HouseholdChangeError("model.household.theHouseholdAlreadyHas") }
            if s.members.contains(where: { $0.idNumber == p.idNumber }) {
                throw HouseholdChangeError("model.household.thisPersonIsAlready")
            }
            p.id = nil; p.householdId = s.household.id
            p.coResident = true; p.absent = false; p.diedOn = nil; p.leftOn = nil; p.leftReason = nil
            p.workAbility = derivedWorkAbility(age: p.birthDate.age(on: date), given: p.workAbility)
            return p
        }

        switch change {
        case .facts(let f):
            let address = f.address.trimmingCharacters(in: .whitespaces)
            if address.isEmpty { throw HouseholdChangeError("model.household.theAddressIsMissing") }
            if let p = f.phone, !p.isEmpty, !isValidPhone(p) {
                throw HouseholdChangeError("model.household.thePhonePIs", ["p": "\(p)"])
            }
            let card = f.bankCard?.filter { $0 != " " }
            // A card recorded before these checks stays as it is until it is changed.
            let cardChanged = (card ?? "") != (state.household.bankCard ?? "") || f.bankCode != state.household.bankCode
            if let c = card, !c.isEmpty, cardChanged {
                guard isValidCard(c) else {
                    throw HouseholdChangeError("model.household.theCardNumberC", ["c": "\(c)"])
                }
                guard let b = f.bankCode, !b.isEmpty else { throw HouseholdChangeError("model.household.aCardNumberNeeds") }
                if !banks.isEmpty && !banks.contains(b) { throw HouseholdChangeError("model.household.bankCodeBIs", ["b": "\(b)"]) }
            }
            if f.hukou.isObsolete && f.hukou != state.household.hukou {
                throw HouseholdChangeError("model.household.agriculturalNonAgriculturalHukou")
            }
            if let a = f.housingArea, a < 0 || a > 10_000 { throw HouseholdChangeError("model.household.theHousingAreaMust") }
            var h = s.household
            h.address = address; h.phone = (f.phone?.isEmpty ?? true) ? nil : f.phone!.trimmingCharacters(in: .whitespaces)
            h.bankCard = (card?.isEmpty ?? true) ? nil : card; h.bankCode = h.bankCard == nil ? nil : f.bankCode
            h.hukou = f.hukou; h.hukouRegion = f.hukouRegion
            h.housing = f.housing; h.housingArea = f.housingArea; h.dilapidated = f.dilapidated
            if h == s.household { throw HouseholdChangeError("model.household.nothingChangedNothingWas") }
            s.household = h
        case .birth(let given):
            let p = try checkNewPerson(given)
            if p.birthDate.days(until: date) > 366 {
                throw HouseholdChangeError("model.household.aBirthIsFor")
            }
            s.members.append(p)
        case .moveIn(let p, let why):
            if why == .returned { throw HouseholdChangeError("model.household.aReturningMemberIs") }
            s.members.append(try checkNewPerson(p))
        case .returned(let pid):
            guard let i = s.members.firstIndex(where: { $0.id == pid }) else {
                throw HouseholdChangeError("model.household.personPidIsNot", ["pid": "\(pid)"])
            }
            let m = s.members[i]
            if m.diedOn != nil { throw HouseholdChangeError("model.household.mNameHasDied", ["m": "\(m.name)"]) }
            guard m.absent || m.leftOn != nil || m.student else {
                throw HouseholdChangeError("model.household.mNameHasNot", ["m": "\(m.name)"])
            }
            s.members[i].absent = false; s.members[i].coResident = true; s.members[i].leftOn = nil; s.members[i].leftReason = nil
            s.members[i].student = false
        case .death(let pid, let newHead):
            let i = try member(pid)
            if s.members[i].birthDate > date { throw HouseholdChangeError("model.household.theDateOfDeath") }
            try setHead(newHead, leaving: pid)
            s.members[i].diedOn = date; s.members[i].coResident = false
            if s.members[i].isHead && !s.current.isEmpty { s.members[i].relation = "99" }
        case .moveOut(let pid, let why, let newHead):
            let i = try member(pid)
            switch why {
            case .marriage, .migrate:
                try setHead(newHead, leaving: pid)
                s.members[i].leftOn = date; s.members[i].leftReason = why; s.members[i].coResident = false
                if s.members[i].isHead && s.current.count > 1 { s.members[i].relation = "99" }
            case .prison, .army:
                if s.members[i].absent { throw HouseholdChangeError("model.household.sMembersIName", ["s": "\(s.members[i].name)"]) }
                s.members[i].absent = true; s.members[i].leftReason = why
            case .school:
                s.members[i].student = true; s.members[i].leftReason = why
            }
        case .relation(let pid, let rel, let newHead):
            let i = try member(pid)
            if rel == "01" { throw HouseholdChangeError("model.household.selfIsNotA") }
            if !relations.isEmpty && !relations.contains(rel) {
                throw HouseholdChangeError("model.household.relationshipCodeRelIs", ["rel": "\(rel)"])
            }
            if rel == s.members[i].relation { throw HouseholdChangeError("model.household.theRelationshipIsUnchanged") }
            if rel == Person.headRelation, let old = s.head, old.id != pid {
                // A new head: the old one takes the relation the clerk names for them.
                guard let oi = s.members.firstIndex(where: { $0.id == old.id }) else { break }
                s.members[oi].relation = "99"
            } else if s.members[i].isHead {
                try setHead(newHead, leaving: pid)
            }
            s.members[i].relation = rel
        case .condition(let pid, let c):
            let i = try member(pid)
            if c.health == .disabled {
                guard let lv = c.disabilityLevel, (1...4).contains(lv) else {
                    throw HouseholdChangeError("model.household.aDisabilityNeedsIts")
                }
                guard let t = c.disabilityType, !t.isEmpty else { throw HouseholdChangeError("model.household.aDisabilityNeedsIts2") }
            }
            var m = s.members[i]
            m.health = c.health
            m.disabilityType = c.health == .disabled ? c.disabilityType : nil
            m.disabilityLevel = c.health == .disabled ? c.disabilityLevel : nil
            m.workAbility = derivedWorkAbility(age: m.birthDate.age(on: date), given: c.workAbility ?? m.workAbility)
            if m == s.members[i] { throw HouseholdChangeError("model.household.nothingChangedNothingWas") }
            s.members[i] = m
        case .idNumber(let pid, let raw):
            let i = try member(pid)
            guard s.members[i].birthCertificate != nil, !s.members[i].hasIDNumber else {
                throw HouseholdChangeError("model.household.sMembersIName2", ["s": "\(s.members[i].name)"])
            }
            switch IDNumber.parse(raw, today: today) {
            case .success(let id):
                if id.birthDate != s.members[i].birthDate {
                    throw HouseholdChangeError("model.household.theIdSBirth", ["id": "\(id.birthDate.iso)", "s": "\(s.members[i].birthDate.iso)"])
                }
                s.members[i].idNumber = id.value; s.members[i].sex = id.sex
            case .failure(let e):
                throw HouseholdChangeError(text: Text2(zh: say("model.household.badIDNumber", .zh, ["problem": e.message(.zh)]),
                                                          en: say("model.household.badIDNumber", .en, ["problem": e.message(.en)])))
            }
        }
        if s.current.count > 0 && s.current.filter(\.isHead).count != 1 {
            throw HouseholdChangeError("model.household.afterTheChangeThe")
        }
        return s
    }

    /// 分户: `persons` leave `state` for a new household headed by `newHead` (one of them), at
    /// `address`. Both keep exactly one head; neither is left empty.
    public static func split(_ state: HouseholdState, persons: [Int64], newHead: Int64, address: String, on date: CivilDate, today: CivilDate,
                             remainingHead: Int64? = nil) throws -> (remaining: HouseholdState, new: HouseholdState) {
        if date > today { throw HouseholdChangeError("model.household.theChangeIsDated2") }
        let chosen = Set(persons)
        if chosen.isEmpty { throw HouseholdChangeError("model.household.chooseTheMembersWho") }
        let current = state.current
        for p in chosen where !current.contains(where: { $0.id == p }) {
            throw HouseholdChangeError("model.household.personPIsNot", ["p": "\(p)"])
        }
        if chosen.count == current.count { throw HouseholdChangeError("model.household.notEveryMemberCan") }
        guard chosen.contains(newHead) else { throw HouseholdChangeError("model.household.theNewHeadMust") }
        let addr = address.trimmingCharacters(in: .whitespaces)
        if addr.isEmpty { throw HouseholdChangeError("model.household.theNewHouseholdS") }
        var remaining = state
        var new = HouseholdState(household: state.household, members: [])
        new.household.id = nil; new.household.address = addr; new.household.version = 1
        new.household.phone = nil; new.household.bankCard = nil; new.household.bankCode = nil
        for m in state.members where chosen.contains(m.id ?? -1) {
            var moved = m
            moved.relation = m.id == newHead ? Person.headRelation : (m.isHead ? "99" : m.relation)
            new.members.append(moved)
        }
        remaining.members.removeAll { chosen.contains($0.id ?? -1) }
        if state.head.map({ chosen.contains($0.id ?? -1) }) == true {
            guard let h = remainingHead, let i = remaining.members.firstIndex(where: { $0.id == h && $0.isCurrentMember }) else {
                throw HouseholdChangeError("model.household.theHeadLeavesName2")
            }
            remaining.members[i].relation = Person.headRelation
        }
        if new.members.filter(\.isHead).count != 1 || remaining.current.filter(\.isHead).count != 1 {
            throw HouseholdChangeError("model.household.afterTheSplitEach")
        }
        return (remaining, new)
    }

    /// 合户: `persons` of `from` join `into` (relationships as given, relative to `into`'s head).
    /// `from` keeps whoever is not chosen; emptied, it is closed as merged.
    public static func merge(_ from: HouseholdState, into: HouseholdState, persons: [Int64: String], on date: CivilDate, today: CivilDate,
                             relations: Set<String>) throws -> (from: HouseholdState, into: HouseholdState) {
        if date > today { throw HouseholdChangeError("model.household.theChangeIsDated2") }
        if from.household.id == into.household.id { throw HouseholdChangeError("model.household.aHouseholdCannotMerge") }
        if persons.isEmpty { throw HouseholdChangeError("model.household.chooseTheMembersWho2") }
        var a = from, b = into
        for (pid, rel) in persons.sorted(by: { $0.key < $1.key }) {
            guard let i = a.members.firstIndex(where: { $0.id == pid && $0.isCurrentMember }) else {
                throw HouseholdChangeError("model.household.personPidIsNot2", ["pid": "\(pid)"])
            }
            if rel == Person.headRelation || rel == "01" { throw HouseholdChangeError("model.household.aJoiningMemberCannot") }
            if !relations.isEmpty && !relations.contains(rel) {
                throw HouseholdChangeError("model.household.relationshipCodeRelIs", ["rel": "\(rel)"])
            }
            var m = a.members.remove(at: i)
            m.relation = rel
            b.members.append(m)
        }
        if !a.current.isEmpty && a.current.filter(\.isHead).count != 1 {
            throw HouseholdChangeError("model.household.theHeadJoinsThe")
        }
        return (a, b)
    }
}

extension Person {
    /// The key kept in `idNumber` for a newborn registered with a birth certificate only (so
    /// the column stays unique and searchable); replaced by the ID number when it is added.
    public static func certificateKey(_ cert: String) -> String { "BC" + cert.trimmingCharacters(in: .whitespaces).uppercased() }
    /// Whether `idNumber` holds a real ID number (not a birth certificate's key).
    public var hasIDNumber: Bool { !idNumber.hasPrefix("BC") }
    /// Alive and still of the household (not died, not moved out by marriage or 迁出).
    public var isCurrentMember: Bool { diedOn == nil && leftOn == nil }
    /// The ID number for a screen or print: masked, or the birth certificate's number.
    public var maskedIdentity: String { maskedIdentity(.zh) }
    public func maskedIdentity(_ lang: Lang) -> String {
        hasIDNumber ? Masking.idNumber(idNumber) : say("model.household.birthCertificateShort", lang, ["number": Masking.idNumber(String(idNumber.dropFirst(2)))])
    }
}
