import Foundation
import JiuzhuModel

/// One generated case. Cases have no database id yet: `case.householdId` and the steps'
/// `caseId` are 0 placeholders, and `personIndex` points into the household's `members`.
public struct DemoCase: Equatable, Sendable {
    public var `case`: Case
    public var personIndex: Int?
    public var steps: [CaseStepRecord]
    public init(case c: Case, personIndex: Int?, steps: [CaseStepRecord]) {
        self.case = c; self.personIndex = personIndex; self.steps = steps
    }
}

/// One generated household: the head is `members[0]`.
public struct DemoHousehold: Equatable, Sendable {
    /// Stable position in the township (0-based), the same for the same seed whatever the size.
    public var index: Int
    public var household: Household
    public var members: [Person]
    public var cases: [DemoCase]
}

/// A village or community with the cadres who do its household surveys.
public struct DemoVillage: Equatable, Sendable {
    public var region: Region
    public var cadres: [String]
    public var yiPercent: Int
    public var flood: Bool
}

/// The flood the disaster cases belong to.
public struct DemoFloodEvent: Equatable, Sendable {
    public var name: String
    public var date: CivilDate
    public var villageCodes: [String]
}

/// A made-up but plausible township for demonstrations, training and load tests.
///
/// Deterministic: the same seed, size, inputs, catalog and `today` give the same township
/// (its own SplitMix64 streams, one per household; no Dictionary or Set order is ever used).
/// Household `i` depends only on the seed and households before it, so a bigger township
/// starts with the same households as a smaller one (bar the few cases a small township turns
/// into in-progress ones so that every step of every programme has one).
public struct DemoTownship: Equatable, Sendable {
    public var seed: UInt64
    public var today: CivilDate
    public var county: Region
    public var township: Region
    /// County, township, then the villages and communities in input order.
    public var regions: [Region]
    public var villages: [DemoVillage]
    public var users: [User]
    public var flood: DemoFloodEvent
    public var households: [DemoHousehold]
    /// Step codes per programme (Programme.allCases order) and "programme/step" -> limit.
    public var stepCodes: [[String]]
    public var stepLimits: [String: Int]

    public static func generate(households count: Int, seed: UInt64, inputs: DemoInputs, catalog: ProgrammeCatalog,
                                today: CivilDate, countyCode: String? = nil) -> DemoTownship {
        precondition(count >= 0, "a township has no fewer than 0 households")
        let countyCode = countyCode ?? inputs.countyCode
        precondition(countyCode.count == 6 && countyCode.allSatisfy { $0.isASCII && $0.isNumber }, "county code must be 6 digits")
        let prefix9 = countyCode + inputs.townshipCode
        let county = Region(code: countyCode + "000000", name: inputs.countyName, level: .county, parentCode: nil)
        let town = Region(code: prefix9 + "000", name: inputs.townshipName, level: .township, parentCode: county.code)
        let names = DemoNames(inputs)

        // Villages, communities and their cadres (two of them sign every survey). Past 100,000
        // households the file is a county's: one township per 10,000 households, the first the
        // office's own, each further one with the same villages (names repeat across townships
        // as they do in a county) and cadres of its own; up to 100,000 it is the one township.
        var places: [DemoPlace] = []
        var villages: [DemoVillage] = []
        var regions = [county, town]
        for k in 0..<townshipCount(count) {
            var tRegion = town
            if k > 0 {
                let code = DemoText.digits((Int(inputs.townshipCode) ?? 100) + k, width: 3)
                tRegion = Region(code: countyCode + code + "000", name: extraTownshipName(k), level: .township, parentCode: county.code)
                regions.append(tRegion)
            }
            let tPrefix = String(tRegion.code.prefix(9))
            for (vi, v) in inputs.villages.enumerated() {
                var r = DemoRNG(seed, 0xCAD3E, UInt64(vi + k * 1_000))
                var cadres: [String] = []
                var tries = 0
                while cadres.count < 3 && tries < 50 {
                    tries += 1
                    let yi = v.yiPercent >= 50 ? cadres.count == 0 : (v.yiPercent > 0 && cadres.count == 2 && r.percent(v.yiPercent))
                    let n = names.fullName(r.percent(60) ? .male : .female, year: r.int(in: 1965...1995), yi: yi, &r)
                    if !cadres.contains(n) { cadres.append(n) }
                }
                var input = v
                if k > 0 { input.flood = false }   // the flood hit the office's township
                let region = Region(code: tPrefix + v.code, name: v.name, level: v.isCommunity ? .community : .village, parentCode: tRegion.code)
                regions.append(region)
                places.append(DemoPlace(input: input, code: region.code, cadres: cadres))
                villages.append(DemoVillage(region: region, cadres: cadres, yiPercent: v.yiPercent, flood: input.flood))
            }
        }

        // The flood: 45–70 working days ago, in the villages marked `flood`.
        let todayWD = DemoWorkdays.index(today)
        var fr = DemoRNG(seed, 0xF100D)
        let floodWD = todayWD - fr.int(in: 45...70)
        let floodDate = DemoWorkdays.date(floodWD)
        let flood = DemoFloodEvent(name: "\(floodDate.year)年\(floodDate.month)月\(floodDate.day)日洪涝灾害", date: floodDate,
                                   villageCodes: places.filter { $0.input.flood }.map(\.code))

        // The demo office confirms at the county (setting confirm_delegated no): its cases walk
        // that path, without the township confirmation step.
        let definitions = Programme.allCases.map { p -> ProgrammeCatalog.Definition in
            var d = catalog.definition(p)
            d.steps = d.path(delegated: false)
            return d
        }
        var actors: [String: String] = [:]
        for u in inputs.users where actors[u.role.rawValue] == nil { actors[u.role.rawValue] = u.name }
        let approverName = inputs.users.first { $0.role == .approver }?.displayName ?? "审批员"
        var maker = DemoCaseMaker(definitions: definitions, actors: actors, approverName: approverName, inputs: inputs,
                                  today: today, todayWD: todayWD, flood: flood, floodWD: floodWD,
                                  townshipPrefix: prefix9, townshipName: inputs.townshipName, countyName: inputs.countyName)
        maker.benefit = BenefitSettings.from(inputs.settings)
        var gen = Generator(seed: seed, today: today, inputs: inputs, places: places, names: names,
                            countyCode: countyCode)
        var households: [DemoHousehold] = []
        households.reserveCapacity(count)
        for i in 0..<count { households.append(gen.household(i, maker: &maker)) }
        ensureEveryStepInProgress(&households, seed: seed, places: places, inputs: inputs, maker: &maker)
        addObjectionsAndUrgentAid(&households, seed: seed, places: places, inputs: inputs, maker: &maker)

        var limits: [String: Int] = [:]
        for d in definitions { for s in d.steps { if let l = s.limitWorkingDays { limits[d.code + "/" + s.code] = l } } }
        return DemoTownship(seed: seed, today: today, county: county, township: town, regions: regions, villages: villages,
                            users: inputs.users, flood: flood, households: households,
                            stepCodes: definitions.map { $0.steps.map(\.code) }, stepLimits: limits)
    }

    /// Townships of a demo of `households`: the office's alone up to 100,000, then one per 10,000
    /// (a county of 23 townships holds about 230,000 households).
    public static func townshipCount(_ households: Int) -> Int {
        households <= 100_000 ? 1 : (households + 9_999) / 10_000
    }

    /// The name of the `k`-th further township (k ≥ 1): made up, distinct for k up to 100.
    static func extraTownshipName(_ k: Int) -> String {
        let first = ["龙", "河", "新", "马", "太", "青", "白", "红", "东", "西"]
        let second = ["门", "口", "街", "坪", "平", "松", "岩", "山", "溪", "桥"]
        let i = k - 1
        return first[i % 10] + second[(i / 10) % 10] + (i >= 100 ? String(i / 100 + 1) : "") + (i % 3 == 2 ? "乡" : "镇")
    }

    /// A small township may draw no in-progress case for some step; turn the last finished
    /// cases of that programme into ones waiting there, so every step can be shown.
    static func ensureEveryStepInProgress(_ hs: inout [DemoHousehold], seed: UInt64, places: [DemoPlace],
                                          inputs: DemoInputs, maker: inout DemoCaseMaker) {
        for (pi, p) in Programme.allCases.enumerated() {
            let steps = maker.definitions[pi].steps
            var seen = [Bool](repeating: false, count: steps.count)
            for hi in hs.indices {
                for ci in hs[hi].cases.indices where hs[hi].cases[ci].case.programme == p && hs[hi].cases[ci].case.status == .inProgress {
                    if let k = steps.firstIndex(where: { $0.code == hs[hi].cases[ci].case.step }) { seen[k] = true }
                }
            }
            var hi = hs.count - 1
            for k in steps.indices where !seen[k] {
                search: while hi >= 0 {
                    defer { hi -= 1 }
                    for ci in hs[hi].cases.indices where hs[hi].cases[ci].case.programme == p && hs[hi].cases[ci].case.status != .inProgress {
                        let h = hs[hi]
                        guard let place = places.first(where: { $0.code == h.household.villageCode }) else { continue }
                        let subject = DemoCaseSubject(members: h.members, sanwu: h.household.causes.contains("sanwu"), place: place,
                                                      concentrated: h.household.address == inputs.elderHome)
                        var r = DemoRNG(seed, UInt64(h.index), 3, UInt64(k))
                        hs[hi].cases[ci] = maker.make(p, .inProgress(k), subject: subject, personIndex: h.cases[ci].personIndex, &r)
                        break search
                    }
                }
            }
        }
    }

    /// So a reviewer meets them: some rural 低保 cases sent back from the village posting by an
    /// objection and now waiting for re-investigation, and temporary-assistance cases paid first
    /// (先行救助) whose papers are still being completed, some of them late.
    static func addObjectionsAndUrgentAid(_ hs: inout [DemoHousehold], seed: UInt64, places: [DemoPlace],
                                          inputs: DemoInputs, maker: inout DemoCaseMaker) {
        let rural = maker.definition(.ruralDibao)
        guard let vp = rural.index(of: "village_publicity") else { return }
        var objected = 0
        for hi in hs.indices where objected < 3 {
            for ci in hs[hi].cases.indices {
                let c = hs[hi].cases[ci].case
                guard c.programme == .ruralDibao, c.status == .inProgress, c.step == "survey" || c.step == "appraisal",
                      let place = places.first(where: { $0.code == hs[hi].household.villageCode }) else { continue }
                let subject = DemoCaseSubject(members: hs[hi].members, sanwu: hs[hi].household.causes.contains("sanwu"), place: place, concentrated: false)
                var r = DemoRNG(seed, UInt64(hs[hi].index), 5)
                var made = maker.make(.ruralDibao, .inProgress(vp), subject: subject, personIndex: hs[hi].cases[ci].personIndex, &r)
                let posted = made.case.stepSince
                let on = min(maker.today, posted.adding(days: 1 + r.int(3)))
                var j = DemoJSON()
                j.add("received", r.pick(["举报箱", "电话", "当面", "匿名信"]))
                j.add("content", r.pick(["反映该户有子女在外务工,收入较高", "反映该户新购机动车辆", "反映该户家庭人口与实际不符"]))
                j.add("handler", maker.actors["clerk"] ?? "jingban")
                j.add("reason", "公示期间收到异议")
                j.add("resume", "village_publicity")
                j.add("from", posted); j.add("until", posted.adding(days: 7))
                made.steps.append(CaseStepRecord(caseId: 0, step: "village_publicity", action: "objection", actor: maker.actors["clerk"] ?? "jingban",
                                                 actedOn: on, note: "公示期间收到异议,退回重新调查", inputs: j.string))
                made.case.step = "survey"
                made.case.stepSince = on
                hs[hi].cases[ci] = made
                objected += 1
                break
            }
        }
        let temp = maker.definition(.temporary)
        let papersDays = temp.urgent?.papersDays ?? 10
        var urgent = 0
        for hi in hs.indices where urgent < 4 {
            for ci in hs[hi].cases.indices {
                let c = hs[hi].cases[ci].case
                guard c.programme == .temporary, c.status == .inProgress, c.step != "apply", c.step != "payment",
                      let apply = hs[hi].cases[ci].steps.first(where: { $0.step == "apply" }) else { continue }
                var r = DemoRNG(seed, UInt64(hs[hi].index), 6)
                let base = inputs.standard("temporary", "any", on: apply.actedOn)?.amount.fen ?? 55_000
                // 先行救助 up to the county's limit, on a case applied for as 急难型 (issue 22).
                let most = BenefitSettings.from(inputs.settings).rules.temporaryUrgentMax.fen
                var j = DemoJSON()
                j.add("amountFen", min(most, base * Int64(r.pick([2, 3, 4])) / 2))
                j.add("papersDue", apply.actedOn.adding(days: papersDays))
                j.add("reason", r.pick(["房屋失火", "突发重大疾病", "意外事故"]))
                let rec = CaseStepRecord(caseId: 0, step: "apply", action: "urgent_pay", actor: apply.actor, actedOn: apply.actedOn,
                                         note: "急难型,先行救助", inputs: j.string)
                let at = (hs[hi].cases[ci].steps.firstIndex(where: { $0.step == "apply" }) ?? 0) + 1
                hs[hi].cases[ci].steps[at - 1].inputs = apply.inputs.replacingOccurrences(of: "\"urgent\":false", with: "\"urgent\":true")
                    .replacingOccurrences(of: "\"kind\":\"expense\"", with: "\"kind\":\"urgent\"")
                hs[hi].cases[ci].steps.insert(rec, at: at)
                urgent += 1
                break
            }
        }
    }

    /// Counts for printing after `jiuzhu demo`.
    public var summary: DemoSummary { DemoSummary(self) }

    /// True when an in-progress case has waited longer than its step allows (working days, no holidays).
    public func isOverdue(_ c: Case) -> Bool {
        guard c.status == .inProgress, let l = stepLimits[c.programme.rawValue + "/" + c.step] else { return false }
        return DemoWorkdays.index(today) - DemoWorkdays.index(c.stepSince) > l
    }
}

extension DemoTownship {
    /// The per-household part of the generator and the state that runs across households
    /// (ID numbers handed out, house numbers per village group or street).
    struct Generator {
        let seed: UInt64
        let today: CivilDate
        let inputs: DemoInputs
        let places: [DemoPlace]
        let composer: DemoComposer
        let placeTable: WeightedTable
        let ruralTable = WeightedTable(DemoArchetype.ruralWeights)
        let urbanTable = WeightedTable(DemoArchetype.urbanWeights)
        var ids: DemoIDAllocator
        var addressCounters: [[Int]]

        init(seed: UInt64, today: CivilDate, inputs: DemoInputs, places: [DemoPlace], names: DemoNames, countyCode: String) {
            self.seed = seed; self.today = today; self.inputs = inputs; self.places = places
            composer = DemoComposer(today: today.dayNumber, names: names, otherCounties: inputs.otherCounties.count)
            placeTable = WeightedTable(places.map(\.input.weight))
            ids = DemoIDAllocator(salt: seed, regions: [countyCode] + inputs.otherCounties, lane: inputs.idLane, lanes: inputs.idLanes)
            addressCounters = places.map { [Int](repeating: 0, count: max($0.input.groups, $0.input.streets.count) + 1) }
        }

        static let phonePrefixes = ["139", "138", "137", "136", "135", "150", "151", "152", "158", "159", "182", "183", "187",
                                    "188", "130", "131", "132", "155", "156", "186", "133", "153", "180", "189", "177", "199"]

        mutating func household(_ index: Int, maker: inout DemoCaseMaker) -> DemoHousehold {
            var rng = DemoRNG(seed, UInt64(index), 1)
            let pi = placeTable.pick(&rng)
            let place = places[pi]
            let urban = place.isCommunity
            let yi = rng.percent(place.input.yiPercent > 0 ? place.input.yiPercent : 1)
            let archetype = DemoArchetype(rawValue: (urban ? urbanTable : ruralTable).pick(&rng))!
            let draft = composer.compose(archetype, yi: yi, rural: !urban, clan: place.input.clan, &rng)

            var members: [Person] = []
            members.reserveCapacity(draft.members.count)
            for m in draft.members {
                var birth = m.birth
                let id = ids.make(region: m.region, birth: &birth, male: m.sex == .male)
                members.append(Person(name: m.name, idNumber: id, relation: m.relation, sex: m.sex,
                                      birthDate: CivilDate(dayNumber: birth), ethnicity: m.yi ? "07" : "01",
                                      coResident: m.coResident, health: m.health, disabilityType: m.disabilityType,
                                      disabilityLevel: m.disabilityLevel, workAbility: m.work, student: m.student,
                                      youfu: m.youfu, absent: m.absent))
            }
            let concentrated = draft.tekun && archetype == .singleElder && rng.percent(12)

            // Cases: the main programme, then the occasional temporary, medical and flood ones.
            var cr = DemoRNG(seed, UInt64(index), 2)
            let subject = DemoCaseSubject(members: members, sanwu: draft.causes.contains("sanwu"), place: place, concentrated: concentrated)
            var cases: [DemoCase] = []
            func add(_ p: Programme, _ person: Int?) {
                if p == .medical { maker.medicalOnRecord = DemoTownship.medicalOnRecord(cases, members: members, person: person) }
                let o = maker.outcome(p, &cr)
                cases.append(maker.make(p, o, subject: subject, personIndex: person, &cr))
            }
            if urban { if cr.percent(90) { add(.urbanDibao, nil) } }
            else if draft.tekun { add(.tekun, 0) }
            else if cr.percent(90) { add(.ruralDibao, nil) }
            if cr.percent(7) { add(.temporary, nil) }
            let present = members.indices.filter { !members[$0].absent }
            let serious = present.filter { members[$0].health == .serious }
            let chronic = present.filter { members[$0].health == .chronic }
            if !serious.isEmpty && cr.percent(30) { add(.medical, cr.pick(serious)) }
            else if !chronic.isEmpty && cr.percent(8) { add(.medical, cr.pick(chronic)) }
            else if cr.percent(2) { add(.medical, cr.pick(present)) }
            if cr.percent(place.input.flood ? 35 : 1) { add(.disaster, nil) }

            // The household record.
            var address: String
            if concentrated {
                address = inputs.elderHome
            } else if urban {
                let s = rng.int(place.input.streets.count)
                addressCounters[pi][s] += rng.int(in: 1...3)
                address = place.name + place.input.streets[s] + String(addressCounters[pi][s]) + "号"
            } else {
                let g = 1 + rng.int(place.input.groups)
                addressCounters[pi][g] += rng.int(in: 1...3)
                address = place.name + String(g) + "组" + String(addressCounters[pi][g]) + "号"
            }
            let hukou: HukouType = urban ? (rng.percent(92) ? .nonAgricultural : .agricultural)
                                         : (rng.percent(98) ? .agricultural : .nonAgricultural)
            let single = members.count == 1
            let phone = rng.percent(single && members[0].birthDate.age(on: today) >= 60 ? 35 : 80)
                ? DemoText.phone(prefix: rng.pick(Generator.phonePrefixes), rng: &rng) : nil
            let paid = cases.contains {
                [.ruralDibao, .urbanDibao, .tekun].contains($0.case.programme) && $0.case.monthlyAmount != nil
            }
            let card = rng.percent(paid ? 95 : 35)
                ? DemoText.bankCard(prefix: rng.pick(["622848", "622848", "621799", "622995"]), length: 19, rng: &rng) : nil
            var housing: Housing
            var area: Int?
            if concentrated { housing = .none }
            else if urban { housing = [Housing.own, .rent, .none][rng.weighted([55, 38, 7])] }
            else { housing = [Housing.own, .rent, .none][rng.weighted([88, 4, 8])] }
            switch housing {
            case .own: area = urban ? rng.int(in: 7...18) * 5 : rng.int(in: 8...32) * 5
            case .rent: area = rng.int(in: 4...12) * 5
            case .none: area = nil
            }
            var dilapidated = housing == .own && rng.percent(urban ? 2 : (single ? 22 : 10))
            var causes = draft.causes
            let flooded = cases.first { $0.case.programme == .disaster && $0.case.status != .rejected }
            if let f = flooded {
                if f.steps.contains(where: { $0.inputs.contains("\"倒塌\"") || $0.inputs.contains("\"严重损坏\"") }) && housing == .own {
                    dilapidated = true
                }
                if !causes.contains("disaster") && causes.count < 3 && rng.percent(45) { causes.append("disaster") }
            }
            let household = Household(villageCode: place.code, address: address, hukou: hukou, phone: phone, bankCard: card,
                                      housing: housing, housingArea: area, dilapidated: dilapidated, causes: causes,
                                      cadreRelative: rng.percent(2))
            return DemoHousehold(index: index, household: household, members: members, cases: cases)
        }
    }
}

/// Unique ID numbers: per (county, birth date, sex) at most 499 sequence numbers, handed out
/// from a seeded starting point; a full day moves the birth one day earlier. A dictionary
/// lookup per person, so 300,000 people cost nothing like a quadratic check.
struct DemoIDAllocator {
    private var used: [Int: Int] = [:]
    private let salt: UInt64
    private let regions: [[UInt8]]
    private let lane: Int, lanes: Int

    init(salt: UInt64, regions: [String], lane: Int = 0, lanes: Int = 1) {
        self.salt = salt
        self.regions = regions.map { Array($0.utf8) }
        self.lane = lane; self.lanes = max(1, lanes)
    }

    mutating func make(region: Int, birth: inout Int, male: Bool) -> String {
        while true {
            let key = (region << 44) | ((birth + 4_000_000) << 1) | (male ? 1 : 0)
            let c = used[key, default: 0]
            if c < 499 / lanes {
                used[key] = c + 1
                let start = Int(DemoRNG.mix(UInt64(bitPattern: Int64(key)) ^ salt) % 499)
                // In a demo county each township draws from its own lane of the numbers (as each
                // 派出所 its own), so no two townships' people share an ID number.
                let slot = lanes > 1 ? ((start + c) % (499 / lanes)) * lanes + lane : (start + c) % 499
                let sequence = (1 + slot) * 2 - (male ? 1 : 0)      // 1…997 odd / 2…998 even
                return DemoText.idNumber(region: regions[region], birth: CivilDate(dayNumber: birth), sequence: sequence)
            }
            birth -= 1
        }
    }
}

extension DemoTownship {
    /// 医疗救助's category from the household's own case in force: 特困 for the case's person, 低保
    /// for a member it covers (the sick and disabled first when fewer are covered), from its decision.
    static func medicalOnRecord(_ cases: [DemoCase], members: [Person], person: Int?) -> (category: MedicalCategory, since: CivilDate)? {
        guard let person else { return nil }
        for main in cases where main.case.status == .active {
            guard let decided = main.steps.first(where: { $0.action == "approve" && $0.inputs.contains("\"decision\"") })?.actedOn else { continue }
            switch main.case.programme {
            case .tekun where main.personIndex == person:
                return (.tekun, decided)
            case .ruralDibao, .urbanDibao:
                let counted = members.indices.filter { members[$0].coResident && !members[$0].absent }
                var covered = counted
                if main.case.coveredMembers > 0 && main.case.coveredMembers < counted.count {
                    covered = counted.enumerated().sorted { a, b in
                        (members[a.element].health == .healthy ? 1 : 0, a.offset) < (members[b.element].health == .healthy ? 1 : 0, b.offset)
                    }.prefix(main.case.coveredMembers).map(\.element)
                }
                if covered.contains(person) { return (.dibao, decided) }
            default: continue
            }
        }
        return nil
    }
}
