import Foundation
import JiuzhuModel

/// The shapes of household that come to a township civil-affairs office. Weights are per
/// thousand households; see `DemoTownship` for why these shares.
enum DemoArchetype: Int, CaseIterable {
    case singleElder, singleDisabled, elderCouple, nuclear, singleParent, threeGenerations, leftBehind,
         withSiblings, withLodger

    static let ruralWeights = [160, 25, 160, 230, 100, 140, 130, 40, 15]
    static let urbanWeights = [130, 60, 130, 300, 200, 100, 40, 30, 10]
}

/// One member while the household is being put together (birth as a day number).
struct MemberDraft {
    var relation: String
    var sex: Sex
    var birth: Int
    var yi: Bool
    var name = ""
    var region = 0              // 0 = the home county, n = otherCounties[n - 1]
    var health = Health.healthy
    var disabilityType: String?
    var disabilityLevel: Int?
    var work = WorkAbility.full
    var student = false
    var youfu = false
    var absent = false
    var coResident = true
}

struct HouseholdDraft {
    var archetype: DemoArchetype
    var yi: Bool
    var tekun: Bool             // the head is a 特困 candidate (rural single, no supporter)
    var members: [MemberDraft]
    var causes: [String]
}

/// Puts households together: who lives there, how old, how healthy, which causes of poverty.
struct DemoComposer {
    let today: Int              // day number
    let names: DemoNames
    let otherCounties: Int

    static let year = 365

    func age(_ birth: Int) -> Int { (today - birth) * 4 / 1461 }
    func year(_ birth: Int) -> Int { CivilDate(dayNumber: birth).year }

    /// Born `age` whole years ago, on a random day of that year of life.
    func born(age: Int, _ rng: inout DemoRNG) -> Int {
        today - (age * 1461) / 4 - 1 - rng.int(364)
    }

    /// Born `years` (whole) after `parent`, or nil when that would be in the future.
    func born(after parent: Int, years: Int, _ rng: inout DemoRNG) -> Int? {
        let b = parent + (years * 1461) / 4 + 1 + rng.int(360)
        return b <= today ? b : nil
    }

    /// 60–96, most in their seventies.
    func elderAge(_ rng: inout DemoRNG) -> Int {
        if rng.percent(6) { return rng.int(in: 88...96) }
        return 60 + (rng.int(29) + rng.int(29)) / 2 + rng.int(3)
    }

    // MARK: - composition

    func compose(_ a: DemoArchetype, yi: Bool, rural: Bool, clan: String?, _ rng: inout DemoRNG) -> HouseholdDraft {
        var m: [MemberDraft] = []
        var tekun = false
        func add(_ rel: String, _ sex: Sex, _ birth: Int) { m.append(MemberDraft(relation: rel, sex: sex, birth: birth, yi: yi)) }
        func sexRel(_ male: Bool, _ elderThanHead: Bool) -> (String, Sex) {
            male ? (elderThanHead ? "71" : "73", .male) : (elderThanHead ? "75" : "77", .female)
        }
        /// Head and spouse of a couple, husband `husbandAge`; head is the husband `maleHeadPercent` of the time.
        func couple(husbandAge: Int, maleHeadPercent: Int) {
            let hb = born(age: husbandAge, &rng)
            let wb = min(today - 16 * 366, hb + rng.int(in: -3...7) * 365 + rng.int(in: -120...120))
            if rng.percent(maleHeadPercent) { add("02", .male, hb); add("12", .female, wb) }
            else { add("02", .female, wb); add("11", .male, hb) }
        }
        /// Children of the couple or single parent already in `m` (born after the younger parent).
        func children(_ counts: [Int], firstGap: ClosedRange<Int>) {
            let n = rng.weighted(counts)
            guard n > 0 else { return }
            let younger = m.map(\.birth).max()!
            guard var b = born(after: younger, years: rng.int(in: firstGap), &rng) else { return }
            for i in 0..<n {
                if i > 0 {
                    b += 330 + rng.int(1100)                 // the next child 11 months to 4 years later
                    if b > today { break }
                }
                let male = rng.percent(52)
                add(male ? "20" : "30", male ? .male : .female, b)
            }
        }

        switch a {
        case .singleElder:
            tekun = rural && rng.percent(63)
            add("02", rng.percent(tekun ? 65 : 42) ? .male : .female, born(age: elderAge(&rng), &rng))
        case .singleDisabled:
            tekun = rural && rng.percent(80)
            add("02", rng.percent(60) ? .male : .female, born(age: rng.int(in: 18...59), &rng))
        case .elderCouple:
            couple(husbandAge: elderAge(&rng), maleHeadPercent: 85)
        case .nuclear:
            couple(husbandAge: rng.int(in: 27...60), maleHeadPercent: 88)
            children(yi ? [0, 18, 35, 30, 12, 5] : [0, 33, 44, 19, 4], firstGap: 20...30)
            if m.count == 2 { children([0, 1], firstGap: 18...20) }
        case .singleParent:
            let female = rng.percent(65)
            add("02", female ? .female : .male, born(age: rng.int(in: 26...55), &rng))
            children([0, 45, 40, 15], firstGap: 20...30)
            if m.count == 1 { children([0, 1], firstGap: 18...20) }
        case .threeGenerations:
            let married = rng.percent(88)
            if married { couple(husbandAge: rng.int(in: 28...52), maleHeadPercent: 90) }
            else { add("02", rng.percent(70) ? .male : .female, born(age: rng.int(in: 28...52), &rng)) }
            let head = m[0].birth
            if married || rng.percent(50) { children(yi ? [5, 20, 35, 25, 10, 5] : [8, 30, 40, 18, 4], firstGap: 20...30) }
            let motherAt = rng.int(in: 20...36)
            let motherBirth = head - (motherAt * 1461) / 4 - 1 - rng.int(300)
            let fatherBirth = motherBirth - rng.int(in: -1...6) * 365 - rng.int(200)
            var parents = 0
            if age(fatherBirth) <= 94 && rng.percent(60) { add("51", .male, fatherBirth); parents += 1 }
            if age(motherBirth) <= 97 && (parents == 0 || rng.percent(75)) { add("52", .female, motherBirth); parents += 1 }
            if parents == 0 {
                add("52", .female, head - 20 * 366 - rng.int(300))
            }
            // now and then an unmarried brother or sister of the head lives with them too
            if rng.percent(8) {
                let hb = m[0].birth
                let diff = rng.int(in: 1...10)
                let b = rng.percent(50) ? hb - diff * 365 - rng.int(200) : hb + diff * 365 + rng.int(200)
                if b <= today - 18 * 366 && b >= m.filter({ $0.relation == "51" || $0.relation == "52" }).map(\.birth).max()! + 19 * 366 {
                    let male = rng.percent(60)
                    let (rel, sex) = sexRel(male, b < hb)
                    add(rel, sex, b)
                }
            }
        case .leftBehind:
            // Built from the youngest up: grandchildren 1–16, their father 20–30 years older,
            // the grandparents 20–30 years older again.
            let gc = born(age: rng.int(in: 1...16), &rng)
            let son = gc - (rng.int(in: 20...30) * 1461) / 4 - 1 - rng.int(300)
            let youngerGP = son - (rng.int(in: 20...30) * 1461) / 4 - 1 - rng.int(300)
            let both = rng.percent(70)
            let grandpaHead = rng.percent(60)
            if both {
                let grandpa = youngerGP - rng.int(in: 0...5) * 365 - rng.int(200)
                if grandpaHead { add("02", .male, grandpa); add("12", .female, youngerGP) }
                else { add("02", .female, youngerGP); add("11", .male, grandpa) }
            } else {
                add("02", grandpaHead ? .male : .female, youngerGP)
            }
            if rng.percent(45) {
                add("20", .male, son)
                if rng.percent(60) { m[m.count - 1].coResident = false }   // working away (外出务工)
            }
            let n = rng.weighted([0, 45, 40, 15])
            var b = gc
            for i in 0..<n {
                if i > 0 {
                    b += rng.int(in: 1...4) * 365 + rng.int(200)
                    if b > today { break }
                }
                let male = rng.percent(52)
                add(male ? "41" : "42", male ? .male : .female, b)
            }
        case .withSiblings:
            let headAge = rng.int(in: 30...70)
            let hb = born(age: headAge, &rng)
            add("02", rng.percent(70) ? .male : .female, hb)
            let n = rng.weighted([0, 75, 25])
            for _ in 0..<n {
                var diff = rng.int(in: 1...12)
                if headAge - diff < 20 { diff = -diff }                  // keep siblings adult
                let elder = rng.percent(50) && headAge + diff <= 85
                let b = elder ? hb - diff * 365 - rng.int(200) : hb + abs(diff) * 365 + rng.int(200)
                let male = rng.percent(55)
                let (rel, sex) = sexRel(male, b < hb)
                add(rel, sex, b)
            }
            let oldest = m.map(\.birth).min()!
            let motherBirth = oldest - (rng.int(in: 20...34) * 1461) / 4 - 1 - rng.int(300)
            if age(motherBirth) <= 95 && rng.percent(45) { add("52", .female, motherBirth) }
        case .withLodger:
            add("02", rng.percent(55) ? .male : .female, born(age: rng.int(in: 65...90), &rng))
            add("99", rng.percent(50) ? .male : .female, born(age: rng.int(in: 35...70), &rng))
        }

        // 1–8 members: drop the youngest children first
        while m.count > 8 {
            let i = m.lastIndex { ["20", "30", "41", "42"].contains($0.relation) } ?? m.count - 1
            m.remove(at: i)
        }
        name(&m, yi: yi, clan: clan, &rng)
        regions(&m, &rng)
        var d = HouseholdDraft(archetype: a, yi: yi, tekun: tekun, members: m, causes: [])
        settle(&d, &rng)
        return d
    }

    // MARK: - names and ID regions

    private func name(_ m: inout [MemberDraft], yi: Bool, clan: String?, _ rng: inout DemoRNG) {
        func surname() -> String { yi ? names.yiSurname(&rng) : names.hanSurname(&rng) }
        let headMale = m[0].sex == .male
        let family = (clan != nil && !yi && rng.percent(25)) ? clan! : surname()
        let headSurname = headMale ? family : surname()
        // The male line: children and grandchildren take it.
        let line = headMale ? headSurname : surname()
        let hasFather = headMale || m.contains { $0.relation == "11" }
        let childSurname = (!hasFather && rng.percent(15)) ? headSurname : line
        // 字辈: brothers (and sometimes sisters) share a character.
        var shared: [String: String] = [:]
        for gen in [["20", "30"], ["41", "42"]] {
            let boys = m.filter { $0.relation == gen[0] }, girls = m.filter { $0.relation == gen[1] }
            if !yi && boys.count >= 2 && rng.percent(45) {
                shared[gen[0]] = names.generationCharacter(.male, year: year(boys[0].birth), &rng)
            }
            if !yi && girls.count >= 2 && rng.percent(20) {
                shared[gen[1]] = names.generationCharacter(.female, year: year(girls[0].birth), &rng)
            }
        }
        var used: [String] = []
        for i in m.indices {
            let s: String
            switch m[i].relation {
            case "02", "51", "71", "73", "75", "77": s = headSurname
            case "11": s = line
            case "20", "30": s = childSurname
            case "41", "42": s = childSurname          // the son's children
            case "12":
                var w = surname()
                if w == line { w = surname() }
                s = w
            default: s = surname()
            }
            let y = year(m[i].birth)
            // nobody shares a name with someone in the same household
            var name = ""
            for _ in 0..<6 {
                let given: String
                if let g = shared[m[i].relation], !yi {
                    given = names.hanGiven(m[i].sex, year: y, generation: g, &rng)
                } else if m[i].yi {
                    given = names.yiGiven(m[i].sex, year: y, &rng)
                } else {
                    given = names.hanGiven(m[i].sex, year: y, generation: nil, &rng)
                }
                name = s + given
                if !used.contains(name) { break }
            }
            used.append(name)
            m[i].name = name
        }
    }

    /// Most are registered in the home county; some married-in spouses, mothers and lodgers elsewhere.
    private func regions(_ m: inout [MemberDraft], _ rng: inout DemoRNG) {
        guard otherCounties > 0 else { return }
        for i in m.indices {
            let p: Int
            switch m[i].relation {
            case "12": p = 15
            case "11": p = 10
            case "52": p = 10
            case "99": p = 30
            default: p = 0
            }
            if p > 0 && rng.percent(p) { m[i].region = 1 + rng.int(otherCounties) }
        }
    }

    // MARK: - health, work, causes

    static let disabilityTypeWeights = [12, 10, 3, 45, 10, 12, 8]   // GB/T 26341 types 1…7
    static let disabilityLevelWeights = [18, 27, 30, 25]           // levels 1…4 (1 most severe)

    private func disable(_ p: inout MemberDraft, severe: Bool, _ rng: inout DemoRNG) {
        p.health = .disabled
        p.disabilityType = String(1 + rng.weighted(DemoComposer.disabilityTypeWeights))
        p.disabilityLevel = severe ? 1 + rng.int(2) : 1 + rng.weighted(DemoComposer.disabilityLevelWeights)
    }

    /// The first-named cause by household shape, tuned so that persons by first cause come out
    /// near the second seed's 缺劳力 49%, 因病 37%, 因灾 8.5%, 三无 4.3% (因残 and the rest fill the gap).
    private static let primaryCauses: [DemoArchetype: [(String, Int)]] = [
        .singleElder: [("no_labour", 75), ("illness", 20), ("disability", 5)],
        .singleDisabled: [("disability", 100)],
        .elderCouple: [("no_labour", 72), ("illness", 24), ("disability", 4)],
        .nuclear: [("illness", 34), ("no_labour", 34), ("disability", 8), ("disaster", 12), ("no_skill", 8), ("other", 4)],
        .singleParent: [("no_labour", 72), ("illness", 18), ("disability", 5), ("no_skill", 3), ("other", 2)],
        .threeGenerations: [("no_labour", 55), ("illness", 23), ("disability", 7), ("disaster", 10), ("no_skill", 3), ("other", 2)],
        .leftBehind: [("no_labour", 80), ("illness", 15), ("disability", 4), ("other", 1)],
        .withSiblings: [("disability", 45), ("illness", 25), ("no_labour", 30)],
        .withLodger: [("no_labour", 70), ("illness", 30)],
    ]

    /// Health by age, who is away, the causes of poverty made true, then work ability and school.
    private func settle(_ d: inout HouseholdDraft, _ rng: inout DemoRNG) {
        // 1. health by age (people in households that ask for help are sicker than most)
        for i in d.members.indices {
            let a = age(d.members[i].birth)
            let (chronic, serious, disabled): (Int, Int, Int) =
                a < 16 ? (15, 5, 15) : a < 45 ? (50, 15, 35) : a < 60 ? (130, 35, 55) : a < 75 ? (280, 55, 80) : (380, 75, 110)
            let r = rng.int(1000)
            if r < disabled { disable(&d.members[i], severe: false, &rng) }
            else if r < disabled + serious { d.members[i].health = .serious }
            else if r < disabled + serious + chronic { d.members[i].health = .chronic }
        }
        // 2. away from home: the army and prison (not counted), work elsewhere (not co-resident)
        for i in d.members.indices where i > 0 && d.members[i].health == .healthy {
            let a = age(d.members[i].birth)
            if d.members[i].sex == .male && (18...24).contains(a) && rng.perMille(30) {
                d.members[i].absent = true; d.members[i].youfu = true        // 现役军人: 优抚对象
            } else if (20...55).contains(a) && rng.perMille(d.members[i].sex == .male ? 8 : 1) {
                d.members[i].absent = true
            } else if (18...50).contains(a) && rng.perMille(40) {
                d.members[i].coResident = false
            }
            if d.members[i].absent { d.members[i].coResident = false }
        }
        // 3. the causes of poverty, and the members that make them true
        var causes: [String] = []
        let present = d.members.indices.filter { !d.members[$0].absent }
        let home = present.filter { d.members[$0].coResident }
        let adults = home.filter { age(d.members[$0].birth) >= 18 }
        if d.tekun {
            causes.append("sanwu")
            if d.archetype == .singleDisabled {
                disable(&d.members[0], severe: true, &rng)
                // 无劳动能力 as 民发〔2021〕43号 第六条 lists it: intellectual or mental level 1–2, physical or
                // visual level 1 (drawn without touching the random stream).
                let t = d.members[0].disabilityType ?? "4"
                if t != "5" && t != "6" {
                    d.members[0].disabilityLevel = 1
                    if t != "1" && t != "4" { d.members[0].disabilityType = "4" }
                }
            }
        } else {
            var table = DemoComposer.primaryCauses[d.archetype]!
            // 缺劳力 is not the first cause of a home where healthy people of working age are
            // two or more and at least half of those living there
            let workers = adults.filter { (18...59).contains(age(d.members[$0].birth)) && d.members[$0].health == .healthy }
            if workers.count >= 2 && workers.count * 2 >= home.count && table.count > 1 { table.removeAll { $0.0 == "no_labour" } }
            let primary = table[rng.weighted(table.map(\.1))].0
            causes.append(primary)
            switch primary {
            case "illness":
                let couple = adults.filter { ["02", "11", "12"].contains(d.members[$0].relation) }
                let pool = (!couple.isEmpty && rng.percent(75)) ? couple : (adults.isEmpty ? home : adults)
                let i = rng.pick(pool)
                if d.members[i].health != .disabled { d.members[i].health = rng.percent(45) ? .serious : .chronic }
            case "disability":
                let i = d.archetype == .singleDisabled ? 0 : rng.pick(home)
                if d.members[i].health != .disabled { disable(&d.members[i], severe: d.archetype == .singleDisabled, &rng) }
            default: break
            }
        }
        // 4. work ability and school follow from age and health
        for i in d.members.indices {
            let a = age(d.members[i].birth)
            var p = d.members[i]
            if (6...15).contains(a) { p.student = rng.perMille(975) }
            else if (16...18).contains(a) { p.student = rng.percent(62) }
            else if (19...22).contains(a) { p.student = rng.percent(18) }
            if p.health == .disabled && (p.disabilityLevel ?? 4) <= 2 && ["5", "6", "7"].contains(p.disabilityType ?? "") {
                p.student = p.student && rng.percent(30)
            }
            if p.absent || (a >= 19 && ["02", "11", "12"].contains(p.relation)) { p.student = false }
            switch p.health {
            case _ where a < 16: p.work = .none
            case .disabled: p.work = (p.disabilityLevel ?? 4) <= 2 ? .none : (a < 60 ? .partial : (rng.percent(50) ? .none : .partial))
            case .serious: p.work = rng.percent(60) ? .none : .partial
            case .chronic: p.work = a >= 70 ? .none : (rng.percent(70) ? .partial : .full)
            case .healthy:
                if a < 18 { p.work = p.student ? .none : .partial }
                else if a < 60 { p.work = p.student ? .partial : .full }
                else if a < 70 { p.work = rng.percent(65) ? .partial : .full }
                else { p.work = rng.percent(65) ? .none : .partial }
            }
            if i == 0 && d.tekun { p.work = .none }            // 特困: 无劳动能力
            d.members[i] = p
        }
        // 5. causes that the members show as well
        func add(_ c: String) { if !causes.contains(c) && causes.count < 3 { causes.append(c) } }
        let sick = present.contains { [.serious, .chronic].contains(d.members[$0].health) }
        let disabled = present.contains { d.members[$0].health == .disabled && (d.members[$0].disabilityLevel ?? 4) <= 3 }
        let labour = present.contains {
            let a = age(d.members[$0].birth)
            return (16...59).contains(a) && d.members[$0].work == .full && d.members[$0].coResident
        }
        if sick && rng.percent(d.tekun ? 40 : 55) { add("illness") }
        if disabled && rng.percent(60) { add("disability") }
        if !labour && !d.tekun { add("no_labour") }
        // 6. 优抚: old soldiers
        for i in d.members.indices where d.members[i].sex == .male && year(d.members[i].birth) < 1962 && rng.perMille(35) {
            d.members[i].youfu = true
        }
        d.causes = causes
    }
}
