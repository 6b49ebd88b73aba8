import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore
import TermUI

/// `jiuzhu household`: a household's card with its change history, and changes recorded from
/// a script (the same store calls as the card's F7, so the same checks and follow-ups).
struct HouseholdCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "household", abstract: t("cli.household.showAHouseholdS"),
                             subcommands: [HouseholdShow.self, HouseholdChangeCommand.self, HouseholdSplit.self, HouseholdMerge.self])
    }

    static func householdId(_ text: String, outcome: (zh: String, en: String)) throws -> Int64 {
        try recordNumber(text, what: pair("cli.household.householdNumber"), outcome: outcome)
    }

    static func date(_ text: String?, today: CivilDate, outcome: (zh: String, en: String)) throws -> CivilDate {
        guard let text else { return today }
        guard let d = CivilDate(iso: text) ?? CivilDate(compact: text) else {
            throw fail(t("cli.household.aDateIsWritten", ["text": "\(text)", "outcome": "\(pick(outcome))"]))
        }
        return d
    }

    /// The printed result of a recorded change: the record and what reached the approver.
    static func report(_ r: HouseholdChangeResult, householdId: Int64) {
        print(t("cli.household.recordedChangeRChangeid", ["r": "\(r.changeId)", "householdId": "\(householdId)"]))
        if let n = r.newHouseholdId { print(t("cli.household.newHouseholdN", ["n": "\(n)"])) }
        if r.proposals.isEmpty { print(t("cli.household.noCaseInForce")) }
        for p in r.proposals {
            var what: String
            switch p.proposed {
            case .adjust: what = t("cli.household.proposedPAmountYuanstring", ["p": "\(p.amount?.yuanString ?? "?")", "p2": "\(p.persons.count)"])
            case .cancel: what = t("cli.household.proposedStopFromP", ["p": "\(p.stopMonth ?? "")"])
            default: what = t("cli.household.theAmountWorksOut")
            }
            print(t("cli.household.caseFollowUp", ["case": "\(p.caseId)", "kind": "\(pick(p.kind.label))", "what": "\(what)", "followUp": "\(p.followUpId)"]))
        }
    }
}

/// The card as plain text, IDs, phone and card masked, with the change history.
struct HouseholdShow: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "show",
            abstract: t("cli.household.showAHouseholdCard"))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(t("cli.household.householdNumberSuchAs"), valueName: "household"))
    var household: String

    mutating func run() throws {
        let lang = common.language
        let id = try HouseholdCommand.householdId(household, outcome: ("", ""))
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .readOnly) }
        guard let card = try guarded(lang, { try store.householdCard(id: id) }) else {
            throw fail(t("cli.household.thereIsNoHousehold", ["id": "\(id)", "store": "\(store.path)"]))
        }
        let text = HouseholdCardText.lines(card, lang: lang).joined(separator: "\n") + "\n"
        try guarded(lang) { try SafeFile.standardOutput { try $0.write(text) } }
    }
}

/// One change to a household, from a script.
struct HouseholdChangeCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "change",
            abstract: t("cli.household.recordOneChangeTo"),
            discussion: t("cli.household.changeDiscussion"))
    }
    @OptionGroup var common: CommonOptions
    @OptionGroup var signIn: SignIn
    @Argument(help: ArgumentHelp(t("cli.household.householdNumber"), valueName: "household")) var household: String
    @Option(name: .long, help: ArgumentHelp(t("cli.household.kindOfChange"))) var kind: String
    @Option(name: .long, help: ArgumentHelp(t("cli.household.dateOfTheChange"))) var on: String?
    @Option(name: .long, help: ArgumentHelp(t("cli.household.theReason"))) var reason: String = ""
    @Option(name: .long, help: ArgumentHelp(t("cli.household.theMemberSNumber"))) var person: Int64?
    @Option(name: .customLong("new-head"), help: ArgumentHelp(t("cli.household.theNewHeadS"))) var newHead: Int64?
    @Option(name: .long, help: ArgumentHelp(t("cli.household.nameBirthMoveIn"))) var name: String?
    @Option(name: .customLong("id"), help: ArgumentHelp(t("cli.household.idNumber"))) var idNumber: String?
    @Option(name: .customLong("birth-cert"), help: ArgumentHelp(t("cli.household.birthCertificateNumberA"))) var birthCert: String?
    @Option(name: .long, help: ArgumentHelp(t("cli.household.birthDateWithA"))) var born: String?
    @Option(name: .long, help: ArgumentHelp(t("cli.household.sexMaleOrFemale"))) var sex: String?
    @Option(name: .long, help: ArgumentHelp(t("cli.household.relationshipCodeGbT"))) var relation: String?
    @Option(name: .long, help: ArgumentHelp(t("cli.household.whyMarriageMigratePrison"))) var why: String?
    @Option(name: .long, help: ArgumentHelp(t("cli.household.healthHealthyChronicSerious"))) var health: String?
    @Option(name: .customLong("disability-type"), help: ArgumentHelp(t("cli.household.disabilityTypeCode"))) var disabilityType: String?
    @Option(name: .customLong("disability-level"), help: ArgumentHelp(t("cli.household.disabilityLevel"))) var disabilityLevel: Int?
    @Option(name: .customLong("work-ability"), help: ArgumentHelp(t("cli.household.workAbilityFullPartial"))) var workAbility: String?
    @Option(name: .long, help: ArgumentHelp(t("cli.household.address"))) var address: String?
    @Option(name: .long, help: ArgumentHelp(t("cli.household.phoneDigitMobileOr"))) var phone: String?
    @Option(name: .long, help: ArgumentHelp(t("cli.household.bankCodeDataBanks"))) var bank: String?
    @Option(name: .customLong("card"), help: ArgumentHelp(t("cli.household.cardNumber"))) var cardNumber: String?
    @Option(name: .long, help: ArgumentHelp(t("cli.household.hukouLocalResidencepermit"))) var hukou: String?
    @Option(name: .customLong("hukou-region"), help: ArgumentHelp(t("cli.household.hukouRegionUrbanRural"))) var hukouRegion: String?
    @Option(name: .long, help: ArgumentHelp(t("cli.household.housingOwnRentNone"))) var housing: String?
    @Option(name: .long, help: ArgumentHelp(t("cli.household.housingAreaM"))) var area: Int?
    @Option(name: .long, help: ArgumentHelp(t("cli.household.dilapidatedYesNo"))) var dilapidated: String?

    mutating func run() throws {
        let lang = common.language
        let outcome = pair("cli.household.nothingChanged")
        let hid = try HouseholdCommand.householdId(household, outcome: outcome)
        let (store, env, catalog) = try storeWithCatalog(common, outcome: outcome)
        let u = try signIn.user(store, roles: Store.householdChangeRoles, what: pair("cli.household.recordingAChange"), lang: lang)
        let date = try HouseholdCommand.date(on, today: env.today, outcome: outcome)
        guard let card = try guarded(lang, { try store.householdCard(id: hid) }) else {
            throw fail(t("cli.household.thereIsNoHousehold3", ["hid": "\(hid)", "outcome": "\(pick(outcome))"]))
        }
        func parse<T: RawRepresentable>(_ text: String, _: T.Type, _ opt: String) throws -> T where T.RawValue == String {
            guard let v = T(rawValue: text) else { throw fail(t("cli.household.optTextIsNot", ["opt": "\(opt)", "text": "\(text)", "outcome": "\(pick(outcome))"])) }
            return v
        }
        func need<T>(_ v: T?, _ opt: String) throws -> T {
            guard let v else { throw fail(t("cli.household.kindKindNeedsOpt", ["kind": "\(kind)", "opt": "\(opt)", "outcome": "\(pick(outcome))"])) }
            return v
        }
        func newPerson() throws -> Person {
            let n = try need(name, "--name")
            let rel = try need(relation, "--relation")
            var p = Person(name: n, idNumber: idNumber ?? "", relation: rel, sex: sex == "female" ? .female : .male,
                           birthDate: born.flatMap { CivilDate(iso: $0) } ?? date)
            if let c = birthCert, idNumber == nil {
                p.birthCertificate = c; p.idNumber = ""
                guard born != nil, sex != nil else { throw fail(t("cli.household.aBirthCertificateNeeds", ["outcome": "\(pick(outcome))"])) }
            }
            if let w = workAbility { p.workAbility = try parse(w, WorkAbility.self, "--work-ability") }
            return p
        }
        let change: HouseholdChange
        switch kind {
        case "facts":
            let h = card.household
            var f = HouseholdFacts(h)
            if let a = address { f.address = a }
            if let p = phone { f.phone = p.isEmpty ? nil : p }
            if let b = bank { f.bankCode = b }
            if let c = cardNumber { f.bankCard = c.isEmpty ? nil : c }
            if let k = hukou { f.hukou = try parse(k, HukouType.self, "--hukou") }
            if let r = hukouRegion { f.hukouRegion = try parse(r, HukouRegion.self, "--hukou-region") }
            if let x = housing { f.housing = try parse(x, Housing.self, "--housing") }
            if let a = area { f.housingArea = a }
            if let d = dilapidated { f.dilapidated = ReferenceData.yesNo(d) ?? f.dilapidated }
            change = .facts(f)
        case "birth": change = .birth(try newPerson())
        case "move-in": change = .moveIn(try newPerson(), try parse(why ?? "migrate", JoinReason.self, "--why"))
        case "return": change = .returned(personId: try need(person, "--person"))
        case "death": change = .death(personId: try need(person, "--person"), newHead: newHead)
        case "move-out": change = .moveOut(personId: try need(person, "--person"), reason: try parse(try need(why, "--why"), LeaveReason.self, "--why"), newHead: newHead)
        case "relation": change = .relation(personId: try need(person, "--person"), relation: try need(relation, "--relation"), newHead: newHead)
        case "condition":
            let c = MemberCondition(health: try parse(try need(health, "--health"), Health.self, "--health"), disabilityType: disabilityType,
                                    disabilityLevel: disabilityLevel, workAbility: try workAbility.map { try parse($0, WorkAbility.self, "--work-ability") })
            change = .condition(personId: try need(person, "--person"), c)
        case "id-number": change = .idNumber(personId: try need(person, "--person"), idNumber: try need(idNumber, "--id"))
        default:
            throw fail(t("cli.household.thereIsNoKind", ["kind": "\(kind)", "outcome": "\(pick(outcome))"]))
        }
        let r = try guarded(lang) {
            try store.recordHouseholdChange(householdId: hid, version: card.household.version, change: change, on: date, reason: reason,
                                            by: u.name, today: env.today, catalog: catalog)
        }
        HouseholdCommand.report(r, householdId: hid)
    }
}

struct HouseholdSplit: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "split", abstract: t("cli.household.splitTheChosenMembers"))
    }
    @OptionGroup var common: CommonOptions
    @OptionGroup var signIn: SignIn
    @Argument(help: ArgumentHelp(t("cli.household.householdNumber"), valueName: "household")) var household: String
    @Option(name: .long, help: ArgumentHelp(t("cli.household.membersWhoLeaveBy"))) var persons: String
    @Option(name: .customLong("new-head"), help: ArgumentHelp(t("cli.household.theNewHouseholdS"))) var newHead: Int64
    @Option(name: .customLong("remaining-head"), help: ArgumentHelp(t("cli.household.theStayingHouseholdS"))) var remainingHead: Int64?
    @Option(name: .long, help: ArgumentHelp(t("cli.household.theNewHouseholdS2"))) var address: String
    @Option(name: .long, help: ArgumentHelp(t("cli.household.dateDefaultToday"))) var on: String?
    @Option(name: .long, help: ArgumentHelp(t("cli.household.reason"))) var reason: String = ""

    mutating func run() throws {
        let lang = common.language
        let outcome = pair("cli.household.nothingChanged")
        let hid = try HouseholdCommand.householdId(household, outcome: outcome)
        let (store, env, catalog) = try storeWithCatalog(common, outcome: outcome)
        let u = try signIn.user(store, roles: Store.householdChangeRoles, what: pair("cli.household.aSplit"), lang: lang)
        let date = try HouseholdCommand.date(on, today: env.today, outcome: outcome)
        guard let card = try guarded(lang, { try store.householdCard(id: hid) }) else { throw fail(t("cli.household.thereIsNoHousehold2", ["hid": "\(hid)"])) }
        let ids = persons.split(separator: ",").compactMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
        let r = try guarded(lang) {
            try store.splitHousehold(householdId: hid, version: card.household.version, persons: ids, newHead: newHead, address: address,
                                     remainingHead: remainingHead, on: date, reason: reason, by: u.name, today: env.today, catalog: catalog)
        }
        HouseholdCommand.report(r, householdId: hid)
    }
}

struct HouseholdMerge: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "merge", abstract: t("cli.household.mergeChosenMembersOf"))
    }
    @OptionGroup var common: CommonOptions
    @OptionGroup var signIn: SignIn
    @Argument(help: ArgumentHelp(t("cli.household.theHouseholdTheMembers"), valueName: "from")) var from: String
    @Option(name: .long, help: ArgumentHelp(t("cli.household.theHouseholdTheyJoin"))) var into: String
    @Option(name: .long, help: ArgumentHelp(t("cli.household.memberRelationshipToThe"))) var persons: String
    @Option(name: .long, help: ArgumentHelp(t("cli.household.dateDefaultToday"))) var on: String?
    @Option(name: .long, help: ArgumentHelp(t("cli.household.reason"))) var reason: String = ""

    mutating func run() throws {
        let lang = common.language
        let outcome = pair("cli.household.nothingChanged")
        let a = try HouseholdCommand.householdId(from, outcome: outcome), b = try HouseholdCommand.householdId(into, outcome: outcome)
        let (store, env, catalog) = try storeWithCatalog(common, outcome: outcome)
        let u = try signIn.user(store, roles: Store.householdChangeRoles, what: pair("cli.household.aMerge"), lang: lang)
        let date = try HouseholdCommand.date(on, today: env.today, outcome: outcome)
        var map: [Int64: String] = [:]
        for part in persons.split(separator: ",") {
            let kv = part.split(separator: ":")
            guard kv.count == 2, let id = Int64(kv[0].trimmingCharacters(in: .whitespaces)) else {
                throw fail(t("cli.household.personsIsMemberRelationship", ["outcome": "\(pick(outcome))"]))
            }
            map[id] = kv[1].trimmingCharacters(in: .whitespaces)
        }
        guard let ca = try guarded(lang, { try store.householdCard(id: a) }), let cb = try guarded(lang, { try store.householdCard(id: b) }) else {
            throw fail(t("cli.household.noSuchHouseholdPick", ["outcome": "\(pick(outcome))"]))
        }
        let r = try guarded(lang) {
            try store.mergeHouseholds(from: a, fromVersion: ca.household.version, into: b, intoVersion: cb.household.version, persons: map,
                                      on: date, reason: reason, by: u.name, today: env.today, catalog: catalog)
        }
        HouseholdCommand.report(r, householdId: b)
    }
}
