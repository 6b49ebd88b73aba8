import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// What the card's change form (F7) records: the kinds a clerk chooses from, in the order of a
/// year's work. Each becomes one store call (`recordHouseholdChange`, `splitHousehold`,
/// `mergeHouseholds`), the same as `jiuzhu household change|split|merge`.
public enum CardChangeKind: String, CaseIterable, Equatable, Sendable {
    case birth, death, moveOut, moveIn, returned, facts, condition, relation, idNumber, split, merge
    func label(_ env: AppEnvironment) -> String {
        switch self {
        case .birth: return env.t("card.change.kind.birth")
        case .death: return env.t("card.change.kind.death")
        case .moveOut: return env.t("card.change.kind.moveOut")
        case .moveIn: return env.t("card.change.kind.moveIn")
        case .returned: return env.t("card.change.kind.returned")
        case .facts: return env.t("card.change.kind.facts")
        case .condition: return env.t("card.change.kind.condition")
        case .relation: return env.t("card.change.kind.relation")
        case .idNumber: return env.t("card.change.kind.idNumber")
        case .split: return env.t("card.change.kind.split")
        case .merge: return env.t("card.change.kind.merge")
        }
    }
}

/// A change as the form has read it, for the store.
public enum CardChangeRequest: Equatable, Sendable {
    case change(HouseholdChange)
    case split(persons: [Int64], newHead: Int64, address: String, remainingHead: Int64?)
    case merge(into: Int64, persons: [Int64: String])
}

/// The change form: its fields for each kind, the ID checked as it is typed, and the fields read
/// into a request (a field that cannot be read says why and takes the cursor; nothing typed is lost).
enum HouseholdChangeForm {
    static let on = "on", reason = "reason", member = "member", name = "name", cert = "cert", idNumber = "id", born = "born", sex = "sex"
    static let relation = "relation", why = "why", newHead = "newHead", health = "health", disType = "disType", disLevel = "disLevel"
    static let work = "work", address = "address", phone = "phone", bank = "bank", card = "card", hukou = "hukou", region = "region"
    static let housing = "housing", area = "area", dilapidated = "dilapidated", persons = "persons", remainingHead = "remainingHead"
    static let into = "into"

    /// The choices of a field, as an error lists them ("1 男 / 2 女").
    static func choices<T>(_ items: [(T, String)]) -> String {
        items.enumerated().map { "\($0.offset + 1) \($0.element.1)" }.joined(separator: " / ")
    }

    /// The names a choice field takes, in order: Space in the field moves to the next one.
    static func options(_ id: String, _ kind: CardChangeKind, _ env: AppEnvironment) -> [String]? {
        switch id {
        case sex: return sexes(env).map(\.1)
        case why: return kind == .moveIn ? joinReasons(env).map(\.1) : leaveReasons(env).map(\.1)
        case health: return healths(env).map(\.1)
        case work: return works(env).map(\.1)
        case hukou: return hukous(env).map(\.1)
        case region: return regions(env).map(\.1)
        case housing: return housings(env).map(\.1)
        case dilapidated: return [env.t("card.change.yes"), env.t("card.change.no")]
        default: return nil
        }
    }

    /// Space in a choice field: the next choice, selected so typing replaces it.
    static func cycle(_ d: inout ActionDialog, _ kind: CardChangeKind, env: AppEnvironment) -> Bool {
        guard d.fields.indices.contains(d.focus), let opts = options(d.fields[d.focus].id, kind, env), !opts.isEmpty else { return false }
        let now = d.fields[d.focus].field.value.trimmingCharacters(in: .whitespaces)
        let next = opts.firstIndex(of: now).map { opts[($0 + 1) % opts.count] } ?? opts[0]
        d.fields[d.focus].field = TextField(next, maxLength: d.fields[d.focus].field.maxLength)
        d.fields[d.focus].field.isSelected = true
        d.error = nil
        return true
    }

    static func choiceHint(_ id: String, _ kind: CardChangeKind, _ env: AppEnvironment) -> String {
        env.t("card.change.h.space", ["n": String(options(id, kind, env)?.count ?? 0)])
    }

    static func sexes(_ env: AppEnvironment) -> [(Sex, String)] { Sex.allCases.map { ($0, $0.label(env.lang)) } }
    static func leaveReasons(_ env: AppEnvironment) -> [(LeaveReason, String)] { LeaveReason.allCases.map { ($0, $0.label(env.lang)) } }
    static func joinReasons(_ env: AppEnvironment) -> [(JoinReason, String)] {
        [JoinReason.marriage, .migrate].map { ($0, $0.label(env.lang)) }
    }
    static func healths(_ env: AppEnvironment) -> [(Health, String)] { Health.allCases.map { ($0, env.label("health", $0.rawValue)) } }
    static func works(_ env: AppEnvironment) -> [(WorkAbility, String)] { WorkAbility.allCases.map { ($0, env.label("work_ability", $0.rawValue)) } }
    static func hukous(_ env: AppEnvironment) -> [(HukouType, String)] { HukouType.current.map { ($0, $0.label(env.lang)) } }
    static func regions(_ env: AppEnvironment) -> [(HukouRegion, String)] { HukouRegion.allCases.map { ($0, $0.label(env.lang)) } }
    static func housings(_ env: AppEnvironment) -> [(Housing, String)] { Housing.allCases.map { ($0, $0.label(env.lang)) } }

    /// The members on the card now, numbered as the card numbers them.
    static func memberHint(_ env: AppEnvironment) -> String { env.t("card.change.h.member") }

    static func field(_ id: String, _ env: AppEnvironment, label: String, hint: String = "", value: String = "", required: Bool = false,
                      max: Int = 40) -> DialogField {
        DialogField(id: id, label: env.t(label), hint: hint, required: required, field: TextField(value, maxLength: max))
    }

    /// The form's fields for `kind` on `card`: the kind's own, then the date and the reason.
    static func fields(_ kind: CardChangeKind, _ card: HouseholdRecord, env: AppEnvironment) -> [DialogField] {
        let today = env.today.iso
        var f: [DialogField] = []
        let memberField = field(member, env, label: "card.change.f.member", hint: memberHint(env), required: true, max: 12)
        let headField = field(newHead, env, label: "card.change.f.newHead", hint: env.t("card.change.h.newHead"), max: 12)
        switch kind {
        case .birth:
            f = [field(name, env, label: "card.change.f.name", required: true, max: 20),
                 field(cert, env, label: "card.change.f.cert", hint: env.t("card.change.h.cert"), max: 20),
                 field(idNumber, env, label: "card.change.f.idNumber", hint: env.t("card.change.h.idOptional"), max: 18),
                 field(born, env, label: "card.change.f.born", hint: "YYYY-MM-DD", max: 10),
                 field(sex, env, label: "card.change.f.sex", hint: choiceHint(sex, kind, env), max: 10),
                 field(relation, env, label: "card.change.f.relation", hint: env.t("card.change.h.childRelation"), required: true, max: 10)]
        case .moveIn:
            f = [field(name, env, label: "card.change.f.name", required: true, max: 20),
                 field(idNumber, env, label: "card.change.f.idNumber", hint: env.t("card.change.h.id"), required: true, max: 18),
                 field(relation, env, label: "card.change.f.relation", hint: env.t("card.change.h.relation"), required: true, max: 10),
                 field(why, env, label: "card.change.f.why", hint: choiceHint(why, kind, env), value: JoinReason.migrate.label(env.lang), required: true, max: 20)]
        case .returned:
            f = [memberField]
        case .death:
            f = [memberField, headField]
        case .moveOut:
            f = [memberField, field(why, env, label: "card.change.f.why", hint: choiceHint(why, kind, env), required: true, max: 20), headField]
        case .relation:
            f = [memberField, field(relation, env, label: "card.change.f.relation", hint: env.t("card.change.h.relation"), required: true, max: 10), headField]
        case .condition:
            f = [memberField, field(health, env, label: "card.change.f.health", hint: choiceHint(health, kind, env), required: true, max: 20),
                 field(disType, env, label: "card.change.f.disType", hint: env.t("card.change.h.disType"), max: 10),
                 field(disLevel, env, label: "card.change.f.disLevel", hint: "1–4", max: 1),
                 field(work, env, label: "card.change.f.work", hint: env.t("card.change.h.work"), max: 24)]
        case .idNumber:
            f = [memberField, field(idNumber, env, label: "card.change.f.idNumber", hint: env.t("card.change.h.id"), required: true, max: 18)]
        case .facts:
            let h = card.household
            let bankName = h.bankCode.map { env.label("bank", $0) } ?? ""
            func pick<T: Equatable>(_ items: [(T, String)], _ v: T?) -> String {
                items.first { $0.0 == v }?.1 ?? ""
            }
            f = [field(address, env, label: "card.change.f.address", value: h.address, required: true, max: 60),
                 field(phone, env, label: "card.change.f.phone", hint: env.t("card.change.h.phone"), value: h.phone ?? "", max: 20),
                 field(bank, env, label: "card.change.f.bank", hint: env.t("card.change.h.bank"), value: bankName, max: 20),
                 field(self.card, env, label: "card.change.f.card", hint: env.t("card.change.h.card"), value: h.bankCard ?? "", max: 23),
                 // The 2014 reform: 农业/非农业 are not offered; an old value is to be chosen again.
                 field(hukou, env, label: "card.change.f.hukou", hint: choiceHint(hukou, kind, env), value: pick(hukous(env), h.hukou), required: true, max: 20),
                 field(region, env, label: "card.change.f.region", hint: choiceHint(region, kind, env), value: pick(regions(env), h.hukouRegion), max: 20),
                 field(housing, env, label: "card.change.f.housing", hint: choiceHint(housing, kind, env), value: pick(housings(env), h.housing), required: true, max: 20),
                 field(area, env, label: "card.change.f.area", hint: "m²", value: h.housingArea.map(String.init) ?? "", max: 5),
                 field(dilapidated, env, label: "card.change.f.dilapidated", hint: choiceHint(dilapidated, kind, env), value: env.t(h.dilapidated ? "card.change.yes" : "card.change.no"), max: 4)]
        case .split:
            f = [field(persons, env, label: "card.change.f.persons", hint: env.t("card.change.h.persons"), required: true, max: 30),
                 field(newHead, env, label: "card.change.f.splitHead", hint: env.t("card.change.h.splitHead"), max: 12),
                 field(address, env, label: "card.change.f.newAddress", value: card.household.address, required: true, max: 60),
                 field(remainingHead, env, label: "card.change.f.remainingHead", hint: env.t("card.change.h.remainingHead"), max: 12)]
        case .merge:
            f = [field(into, env, label: "card.change.f.into", hint: env.t("card.change.h.into"), required: true, max: 10),
                 field(persons, env, label: "card.change.f.mergePersons", hint: env.t("card.change.h.mergePersons"), required: true, max: 40)]
        }
        f.append(field(on, env, label: kind == .death ? "card.change.f.diedOn" : "card.change.f.on", hint: "YYYY-MM-DD", value: today, required: true, max: 10))
        f.append(field(reason, env, label: "card.change.f.reason", hint: env.t("card.change.h.reason"), required: true, max: 120))
        return f
    }

    // MARK: checked as typed

    /// The ID number field says as it is typed how far it is and, once whole, whether it holds
    /// (birth date and sex read from it) or what is wrong with it.
    static func liveCheck(_ d: inout ActionDialog, env: AppEnvironment) {
        guard let i = d.fields.firstIndex(where: { $0.id == idNumber }) else { return }
        let text = d.fields[i].field.value.filter { !$0.isWhitespace }.uppercased()
        let base = env.t(d.fields[i].required ? "card.change.h.id" : "card.change.h.idOptional")
        if text.isEmpty { d.fields[i].hint = base; return }
        // A wrong character is said at once, before the number is whole.
        if let (n, c) = text.enumerated().first(where: { !($0.element.isASCII && $0.element.isNumber) && !($0.offset == 17 && $0.element == "X") }) {
            d.fields[i].hint = base
            if d.focus == i { d.error = env.t("card.change.e.id", ["problem": IDNumber.Problem.badCharacter(c, position: n + 1).message(env.lang)]) }
            return
        }
        switch IDNumber.parse(text, today: env.today) {
        case .success(let id):
            d.fields[i].hint = env.t("card.change.h.idOk", ["sex": id.sex.label(env.lang), "born": id.birthDate.iso])
            if d.focus == i { d.error = nil }
        case .failure(.badLength(let n)) where n < 18 && text.allSatisfy({ $0.isASCII && $0.isNumber }):
            d.fields[i].hint = env.t("card.change.h.idTyped", ["n": String(n)])
        case .failure(let e):
            d.fields[i].hint = base
            if d.focus == i { d.error = env.t("card.change.e.id", ["problem": e.message(env.lang)]) }
        }
    }

    // MARK: reading the form

    struct Refusal: Error { var text: String; var field: String }

    static func read(_ kind: CardChangeKind, _ d: ActionDialog, _ card: HouseholdRecord, env: AppEnvironment) -> Result<(CardChangeRequest, CivilDate, String), Refusal> {
        do { return .success(try readThrowing(kind, d, card, env: env)) } catch let r as Refusal { return .failure(r) } catch {
            return .failure(Refusal(text: String(describing: error), field: on))
        }
    }

    static func value(_ d: ActionDialog, _ id: String) -> String { d.value(id).trimmingCharacters(in: .whitespaces) }

    static func readThrowing(_ kind: CardChangeKind, _ d: ActionDialog, _ card: HouseholdRecord, env: AppEnvironment) throws -> (CardChangeRequest, CivilDate, String) {
        func fail(_ key: String, _ id: String, _ v: [String: String] = [:]) -> Refusal { Refusal(text: env.t(key, v), field: id) }
        func text(_ id: String) -> String { value(d, id) }
        func date(_ id: String) throws -> CivilDate {
            guard let x = CivilDate(iso: text(id)) ?? CivilDate(compact: text(id)) else { throw fail("card.change.e.date", id, ["text": text(id)]) }
            return x
        }
        /// One of `items` by its number, its name or its code; nil when left empty.
        func choice<T: RawRepresentable>(_ id: String, _ items: [(T, String)]) throws -> T? where T.RawValue == String {
            let t = text(id)
            if t.isEmpty { return nil }
            if let n = Int(t), items.indices.contains(n - 1) { return items[n - 1].0 }
            if let hit = items.first(where: { $0.1.lowercased() == t.lowercased() || $0.0.rawValue.lowercased() == t.lowercased() }) { return hit.0 }
            throw fail("card.change.e.choice", id, ["text": t, "choices": choices(items)])
        }
        func required<T>(_ v: T?, _ id: String) throws -> T {
            guard let v else { throw fail("review.missing", id, ["field": d.fields.first { $0.id == id }?.label ?? id]) }
            return v
        }
        /// A member on the card now, by the number the card shows or by name.
        func memberId(_ t: String, _ id: String) throws -> Int64 {
            let members = card.members
            if let n = Int(t), members.indices.contains(n - 1), let pid = members[n - 1].id { return pid }
            if let m = members.first(where: { $0.name == t }), let pid = m.id { return pid }
            throw fail("card.change.e.member", id, ["text": t, "n": String(members.count)])
        }
        func optionalMember(_ id: String) throws -> Int64? { text(id).isEmpty ? nil : try memberId(text(id), id) }
        /// A relationship by its GB/T 4761 code or its name in either language.
        func relationCode(_ t: String, _ id: String) throws -> String {
            if card.relationLabels[t] != nil { return t }
            if let hit = card.relationLabels.sorted(by: { $0.key < $1.key }).first(where: { $0.value.zh == t || $0.value.en.lowercased() == t.lowercased() }) {
                return hit.key
            }
            throw fail("card.change.e.relation", id, ["text": t])
        }
        let on = try date(Self.on)
        let why = text(reason)
        let request: CardChangeRequest
        switch kind {
        case .birth, .moveIn:
            var p = Person(name: text(name), idNumber: text(idNumber).uppercased(), relation: try relationCode(text(relation), relation),
                           sex: .male, birthDate: on)
            // A newborn takes the household head's ethnicity until told otherwise.
            if kind == .birth, let head = card.members.first(where: \.isHead) { p.ethnicity = head.ethnicity }
            if kind == .birth, !text(cert).isEmpty, text(idNumber).isEmpty {
                p.birthCertificate = text(cert)
                p.birthDate = try date(born)
                p.sex = try required(try choice(sex, sexes(env)), sex)
            } else if text(idNumber).isEmpty {
                throw fail("card.change.e.idOrCert", kind == .birth ? cert : idNumber)
            } else if case .failure(let e) = IDNumber.parse(text(idNumber), today: env.today) {
                throw fail("card.change.e.id", idNumber, ["problem": e.message(env.lang)])
            }
            request = kind == .birth ? .change(.birth(p)) : .change(.moveIn(p, try required(try choice(Self.why, joinReasons(env)), Self.why)))
        case .returned:
            request = .change(.returned(personId: try memberId(text(member), member)))
        case .death:
            request = .change(.death(personId: try memberId(text(member), member), newHead: try optionalMember(newHead)))
        case .moveOut:
            request = .change(.moveOut(personId: try memberId(text(member), member), reason: try required(try choice(Self.why, leaveReasons(env)), Self.why),
                                       newHead: try optionalMember(newHead)))
        case .relation:
            request = .change(.relation(personId: try memberId(text(member), member), relation: try relationCode(text(relation), relation),
                                        newHead: try optionalMember(newHead)))
        case .condition:
            var level: Int?
            if !text(disLevel).isEmpty {
                guard let l = Int(text(disLevel)) else { throw fail("card.change.e.number", disLevel, ["text": text(disLevel)]) }
                level = l
            }
            var disability: String?
            if !text(disType).isEmpty {
                let t = text(disType)
                let known = env.labels["disability_type"] ?? [:]
                if known[t] != nil { disability = t } else if let hit = known.first(where: { $0.value.zh == t || $0.value.en.lowercased() == t.lowercased() }) {
                    disability = hit.key
                } else { throw fail("card.change.e.code", disType, ["text": t]) }
            }
            let c = MemberCondition(health: try required(try choice(health, healths(env)), health), disabilityType: disability, disabilityLevel: level,
                                    workAbility: try choice(work, works(env)))
            request = .change(.condition(personId: try memberId(text(member), member), c))
        case .idNumber:
            if case .failure(let e) = IDNumber.parse(text(idNumber), today: env.today) {
                throw fail("card.change.e.id", idNumber, ["problem": e.message(env.lang)])
            }
            request = .change(.idNumber(personId: try memberId(text(member), member), idNumber: text(idNumber).uppercased()))
        case .facts:
            var f = HouseholdFacts(card.household)
            f.address = text(address)
            f.phone = text(phone).isEmpty ? nil : text(phone)
            f.bankCard = text(self.card).isEmpty ? nil : text(self.card).filter { !$0.isWhitespace }
            let b = text(bank)
            if b.isEmpty { f.bankCode = nil } else {
                let banks = env.labels["bank"] ?? [:]
                if banks[b] != nil { f.bankCode = b } else if let hit = banks.first(where: { $0.value.zh == b || $0.value.en.lowercased() == b.lowercased() }) {
                    f.bankCode = hit.key
                } else { throw fail("card.change.e.bank", bank, ["text": b]) }
            }
            f.hukou = try required(try choice(hukou, hukous(env)), hukou)
            f.hukouRegion = try choice(region, regions(env))
            f.housing = try required(try choice(housing, housings(env)), housing)
            if text(area).isEmpty { f.housingArea = nil } else {
                guard let a = Int(text(area)) else { throw fail("card.change.e.number", area, ["text": text(area)]) }
                f.housingArea = a
            }
            let dil = text(dilapidated).lowercased()
            func both(_ key: String) -> [String] { [Lang.zh, .en].map { env.screens.text(key, $0, [:]).lowercased() } }
            if (both("card.change.yes") + ["y", "1"]).contains(dil) { f.dilapidated = true }
            else if (both("card.change.no") + ["n", "0", ""]).contains(dil) { f.dilapidated = false }
            else { throw fail("card.change.e.yesNo", dilapidated, ["text": text(dilapidated)]) }
            request = .change(.facts(f))
        case .split:
            let parts = text(persons).split(whereSeparator: { " ,\u{FF0C}\u{3001}".contains($0) }).map(String.init)
            let ids = try parts.map { try memberId($0, persons) }
            if ids.isEmpty { throw fail("card.change.e.member", persons, ["text": text(persons), "n": String(card.members.count)]) }
            let head = try optionalMember(newHead) ?? ids[0]
            request = .split(persons: ids, newHead: head, address: text(address), remainingHead: try optionalMember(remainingHead))
        case .merge:
            guard let target = Int64(text(into).trimmingCharacters(in: CharacterSet(charactersIn: "#"))) else {
                throw fail("card.change.e.household", into, ["text": text(into)])
            }
            var map: [Int64: String] = [:]
            for part in text(persons).split(whereSeparator: { " ,\u{FF0C}\u{3001}".contains($0) }) {
                let kv = part.split(whereSeparator: { $0 == ":" || $0 == "\u{FF1A}" }).map(String.init)
                guard kv.count == 2 else { throw fail("card.change.e.mergeItem", persons, ["text": String(part)]) }
                map[try memberId(kv[0], persons)] = try relationCode(kv[1], persons)
            }
            if map.isEmpty { throw fail("card.change.e.mergeItem", persons, ["text": text(persons)]) }
            request = .merge(into: target, persons: map)
        }
        return (request, on, why)
    }
}
