import Foundation
import Testing
@testable import JiuzhuDemo
@testable import JiuzhuModel

/// The demo inputs and catalog from the repository's data/ folder, and a few townships
/// shared by the tests (generated once).
enum DemoFixture {
    static let dataDir: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("data/demo/surnames.txt").path) {
                return dir.appendingPathComponent("data")
            }
            dir = dir.deletingLastPathComponent()
        }
        fatalError("data/demo not found above \(#filePath)")
    }()

    static func text(_ name: String) -> String {
        try! String(contentsOf: dataDir.appendingPathComponent(name), encoding: .utf8)
    }

    static let files: [String: String] = {
        var f: [String: String] = [:]
        for n in DemoInputs.fileNames { f[n] = text("demo/" + n) }
        return f
    }()
    static let inputs = try! DemoInputs.parse(files: files)
    static let catalog = try! ProgrammeCatalog.decode(Data(text("programmes.json").utf8))
    static let today = CivilDate(year: 2025, month: 11, day: 20)!

    static func make(_ n: Int, seed: UInt64) -> DemoTownship {
        DemoTownship.generate(households: n, seed: seed, inputs: inputs, catalog: catalog, today: today)
    }

    static let small = make(2_000, seed: 7)
    static let large = make(20_000, seed: 11)

    static func json(_ s: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(s.utf8))) as? [String: Any] ?? [:]
    }
}

@Suite("Demo township inputs")
struct DemoInputsTests {
    @Test func theShippedInputsParse() {
        let i = DemoFixture.inputs
        #expect(i.surnames.count >= 100)
        #expect(i.surnames.prefix(10).map(\.name) == ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"])
        #expect(i.villages.filter { !$0.isCommunity }.count == 15)
        #expect(i.villages.filter(\.isCommunity).count == 2)
        #expect(i.villages.filter { $0.yiPercent > 0 }.count == 3)
        #expect(i.yiSurnames.count >= 20 && i.yiMale.count >= 20 && i.yiFemale.count >= 20)
        for year in [1930, 1950, 1965, 1985, 2000, 2020] {
            #expect(i.maleGiven.contains { $0.from <= year && year <= $0.to })
            #expect(i.femaleGiven.contains { $0.from <= year && year <= $0.to })
        }
        #expect(Set(i.users.map(\.role)).isSuperset(of: [.clerk, .reviewer, .approver]))
        #expect(i.standard("rural_dibao", "rural", on: DemoFixture.today)?.amount == Money(yuan: 550))
    }

    @Test func standardsCSVWinsWhereItApplies() throws {
        var files = DemoFixture.files
        files["standards.csv"] = "programme,area,effective_from,amount_yuan,period,note\nrural_dibao,rural,2025-01-01,600.00,month,\"a, quoted note\"\n"
        let i = try DemoInputs.parse(files: files)
        #expect(i.standard("rural_dibao", "rural", on: CivilDate(year: 2025, month: 6, day: 1)!)?.amount == Money(yuan: 600))
        #expect(i.standard("rural_dibao", "rural", on: CivilDate(year: 2024, month: 6, day: 1)!)?.amount == Money(yuan: 550))
    }

    @Test func errorsNameTheInputAndLine() {
        var files = DemoFixture.files
        files["surnames.txt"] = "# comment\n王 7.12\n李 seven\n"
        #expect(throws: DemoInputError(input: "surnames.txt", line: 3, message: "expected \"surname weight\" (王 7.12), found \"李 seven\"")) {
            try DemoInputs.parse(files: files)
        }
        files = DemoFixture.files
        files["villages.txt"] = "201 李家村 groups=x\n"
        do { _ = try DemoInputs.parse(files: files); Issue.record("accepted a bad village line") } catch let e as DemoInputError {
            #expect(e.input == "villages.txt" && e.line == 1)
            #expect(e.description.hasPrefix("villages.txt line 1:"))
        } catch { Issue.record("unexpected \(error)") }
        files = DemoFixture.files
        files.removeValue(forKey: "yi_names.txt")
        do { _ = try DemoInputs.parse(files: files); Issue.record("accepted missing yi_names.txt") } catch let e as DemoInputError {
            #expect(e.input == "yi_names.txt")
        } catch { Issue.record("unexpected \(error)") }
        files = DemoFixture.files
        files["township.txt"] = DemoFixture.files["township.txt"]!.replacingOccurrences(of: "county_code = 532922", with: "county_code = 5329")
        #expect(throws: DemoInputError.self) { try DemoInputs.parse(files: files) }
    }
}

@Suite("Demo township")
struct DemoTownshipTests {
    @Test func sameSeedSameTownshipOtherSeedOther() {
        let a = DemoFixture.make(1_500, seed: 42)
        let b = DemoFixture.make(1_500, seed: 42)
        let c = DemoFixture.make(1_500, seed: 43)
        #expect(a == b)
        #expect(a != c)
        #expect(a.households[0].members.map(\.idNumber) != c.households[0].members.map(\.idNumber))
        // A bigger township starts with the same households.
        let d = DemoFixture.make(3_000, seed: 42)
        #expect(Array(d.households.prefix(200)) == Array(a.households.prefix(200)))
        #expect(DemoFixture.make(0, seed: 1).households.isEmpty)
    }

    @Test func regions() {
        let t = DemoFixture.small
        #expect(t.county.code == "532922000000" && t.county.level == .county)
        #expect(t.township.code == "532922104000" && t.township.parentCode == t.county.code)
        let villages = t.regions.filter { $0.level == .village }
        let communities = t.regions.filter { $0.level == .community }
        #expect(villages.count == 15 && communities.count == 2)
        #expect(Set(t.regions.map(\.code)).count == t.regions.count)
        for r in villages + communities {
            #expect(Region.isValidCode(r.code))
            #expect(r.code.hasPrefix("532922104") && r.parentCode == t.township.code)
        }
        #expect(villages.allSatisfy { (200...399).contains(Int($0.code.suffix(3))!) })
        #expect(communities.allSatisfy { (1...199).contains(Int($0.code.suffix(3))!) })
        #expect(t.villages.allSatisfy { $0.cadres.count >= 2 && Set($0.cadres).count == $0.cadres.count })
        let codes = Set(villages.map(\.code) + communities.map(\.code))
        #expect(t.households.allSatisfy { codes.contains($0.household.villageCode) })
    }

    @Test func everyIDValidAndUnique() {
        let t = DemoFixture.large
        var seen = Set<String>()
        var count = 0
        for h in t.households {
            for p in h.members {
                count += 1
                seen.insert(p.idNumber)
                guard case .success(let id) = IDNumber.parse(p.idNumber, today: t.today) else {
                    Issue.record("invalid ID \(p.idNumber) for \(p.name)"); continue
                }
                #expect(id.value == p.idNumber && !id.convertedFrom15)
                #expect(id.birthDate == p.birthDate)
                #expect(id.sex == p.sex)
            }
        }
        #expect(count > 55_000)
        #expect(seen.count == count, "\(count - seen.count) ID numbers repeated")
        // Most people are registered in the county; some married-in spouses elsewhere.
        let elsewhere = t.households.flatMap(\.members).filter { !$0.idNumber.hasPrefix("532922") }
        #expect(!elsewhere.isEmpty && elsewhere.count < count / 10)
        #expect(elsewhere.allSatisfy { ["12", "11", "52", "99"].contains($0.relation) })
    }

    @Test func idsStayUniqueAtTheDesignBound() {
        let t = DemoFixture.make(100_000, seed: 3)
        var seen = Set<String>()
        var count = 0
        for h in t.households { for p in h.members { count += 1; seen.insert(p.idNumber) } }
        #expect(count > 280_000)
        #expect(seen.count == count)
    }

    @Test func idAllocatorSurvivesACrowdedBirthday() {
        // 2,000 people born the same day, same county and sex: all numbers differ, and once
        // 499 sequence numbers are used the birth date moves a day earlier.
        var a = DemoIDAllocator(salt: 9, regions: ["532922"])
        let day = CivilDate(year: 1980, month: 1, day: 1)!.dayNumber
        var ids = Set<String>()
        for _ in 0..<2_000 {
            var b = day
            let id = a.make(region: 0, birth: &b, male: true)
            ids.insert(id)
            #expect(b <= day && b > day - 5)
            #expect(IDNumber(id, today: DemoFixture.today)?.sex == .male)
        }
        #expect(ids.count == 2_000)
    }

    @Test func fastIDMatchesIDNumberMake() {
        var rng = DemoRNG(seed: 5)
        for _ in 0..<500 {
            let birth = CivilDate(dayNumber: rng.int(in: -15_000...19_000))
            let seq = rng.int(1000)
            let region = ["532922", "110101", "513431"][rng.int(3)]
            #expect(JiuzhuDemo.DemoText.idNumber(region: Array(region.utf8), birth: birth, sequence: seq)
                    == IDNumber.make(region: region, birth: birth, sequence: seq).value)
            #expect(JiuzhuDemo.DemoText.iso(birth) == birth.iso)
        }
    }

    @Test func membersAndRelationsArePlausible() {
        let t = DemoFixture.large
        let males: Set<String> = ["11", "20", "41", "51", "71", "73"]
        let females: Set<String> = ["12", "30", "42", "52", "75", "77"]
        let allowed = males.union(females).union(["02", "99"])
        func years(_ a: CivilDate, _ b: CivilDate) -> Int { a.age(on: b) }   // whole years from a to b
        for h in t.households {
            let m = h.members
            #expect((1...8).contains(m.count))
            #expect(m[0].relation == "02" && m.filter(\.isHead).count == 1)
            #expect(!m[0].absent)
            let head = m[0]
            let spouses = m.filter { $0.relation == "11" || $0.relation == "12" }
            #expect(spouses.count <= 1)
            if let s = spouses.first { #expect(s.sex != head.sex) }
            let children = m.filter { $0.relation == "20" || $0.relation == "30" }
            let grandchildren = m.filter { $0.relation == "41" || $0.relation == "42" }
            for p in m {
                #expect(allowed.contains(p.relation), "relation \(p.relation)")
                if males.contains(p.relation) { #expect(p.sex == .male, "\(p.relation) \(p.name)") }
                if females.contains(p.relation) { #expect(p.sex == .female, "\(p.relation) \(p.name)") }
                #expect(p.birthDate <= t.today && p.birthDate.year >= 1920)
                #expect(p.birthDate.age(on: t.today) <= 100)
                switch p.relation {
                case "51", "52": #expect(years(p.birthDate, head.birthDate) >= 15, "parent of \(head.name)")
                case "71", "75": #expect(p.birthDate < head.birthDate)
                case "73", "77": #expect(p.birthDate > head.birthDate)
                default: break
                }
                if p.absent { #expect(!p.coResident) }
                if p.health == .disabled {
                    #expect(["1", "2", "3", "4", "5", "6", "7"].contains(p.disabilityType ?? ""))
                    #expect((1...4).contains(p.disabilityLevel ?? 0))
                } else { #expect(p.disabilityType == nil && p.disabilityLevel == nil) }
                let age = p.birthDate.age(on: t.today)
                if age < 16 { #expect(p.workAbility == .none) }
                if p.student { #expect((5...23).contains(age)) }
            }
            for c in children {
                #expect(years(head.birthDate, c.birthDate) >= 15, "child \(c.name) of \(head.name)")
                for s in spouses { #expect(years(s.birthDate, c.birthDate) >= 15, "child \(c.name) of \(s.name)") }
            }
            for g in grandchildren {
                #expect(years(head.birthDate, g.birthDate) >= 30)
                for c in children { #expect(g.birthDate > c.birthDate && years(c.birthDate, g.birthDate) >= 15) }
            }
            // children take the father's surname
            let father = head.sex == .male ? head : spouses.first
            if let f = father, head.ethnicity == "01", !f.name.hasPrefix("欧阳") && !f.name.hasPrefix("司马") {
                for c in children { #expect(c.name.first == f.name.first, "\(c.name) child of \(f.name)") }
            }
        }
        // ages and shapes: single elderly are common among 特困; sizes skew to 2–4
        let sizes = t.households.map(\.members.count)
        let twoToFour = sizes.filter { (2...4).contains($0) }.count
        #expect(twoToFour * 2 > sizes.count)
        let tekun = t.households.filter { $0.cases.contains { $0.case.programme == .tekun } }
        #expect(tekun.allSatisfy { $0.members.count == 1 })
        #expect(t.households.contains { $0.members.count == 8 })
    }

    @Test func yiHouseholdsAreConcentrated() {
        let t = DemoFixture.large
        let yi = t.households.filter { $0.members[0].ethnicity == "07" }
        #expect(yi.count > t.households.count * 6 / 100 && yi.count < t.households.count * 14 / 100)
        var byVillage: [String: Int] = [:]
        for h in yi { byVillage[h.household.villageCode, default: 0] += 1 }
        let top3 = byVillage.values.sorted(by: >).prefix(3).reduce(0, +)
        #expect(top3 * 100 > yi.count * 75)
        let yiSurnames = Set(DemoFixture.inputs.yiSurnames.map(\.name))
        for h in yi.prefix(500) {
            #expect(yiSurnames.contains { h.members[0].name.hasPrefix($0) }, "\(h.members[0].name)")
        }
    }

    @Test func householdRecords() {
        let t = DemoFixture.large
        let causes: Set<String> = ["illness", "disability", "disaster", "no_labour", "no_skill", "sanwu", "other"]
        let names = Dictionary(uniqueKeysWithValues: t.regions.map { ($0.code, $0.name) })
        for h in t.households {
            let hh = h.household
            #expect(hh.id == nil && h.members.allSatisfy { $0.householdId == nil && $0.id == nil })
            #expect(!hh.causes.isEmpty && hh.causes.allSatisfy { causes.contains($0) } && Set(hh.causes).count == hh.causes.count)
            #expect(hh.address.hasPrefix(names[hh.villageCode]!) || hh.address == DemoFixture.inputs.elderHome)
            if let p = hh.phone { #expect(p.count == 11 && p.hasPrefix("1") && p.allSatisfy(\.isNumber)) }
            if let c = hh.bankCard { #expect(c.count == 19 && c.allSatisfy(\.isNumber)) }
            if hh.housing == .none { #expect(hh.housingArea == nil) } else { #expect((10...200).contains(hh.housingArea ?? 0)) }
            let community = t.regions.first { $0.code == hh.villageCode }!.level == .community
            if community { #expect(h.cases.allSatisfy { $0.case.programme != .ruralDibao && $0.case.programme != .tekun }) }
            else { #expect(h.cases.allSatisfy { $0.case.programme != .urbanDibao }) }
        }
        let n = t.households.count
        #expect(t.households.filter { $0.household.dilapidated }.count * 100 / n >= 5)
        #expect(t.households.filter { $0.household.causes.contains("sanwu") }.count * 100 / n <= 15)
        // 缺劳力 and 因病 are the commonest causes, 三无 rare (by persons, first cause)
        let s = t.summary.causes
        let byCode = Dictionary(uniqueKeysWithValues: s.map { ($0.code, $0.primaryPersons) })
        let top2 = s.sorted { $0.primaryPersons > $1.primaryPersons }.prefix(2).map(\.code)
        #expect(Set(top2) == ["no_labour", "illness"])
        #expect(byCode["sanwu"]! * 100 / t.summary.persons < 8)
    }

    @Test func everyProgrammeAndEveryStepInProgress() {
        let t = DemoFixture.small
        for p in Programme.allCases {
            let steps = DemoFixture.catalog.definition(p).path(delegated: false)
            let cases = t.households.flatMap(\.cases).filter { $0.case.programme == p }
            #expect(!cases.isEmpty, "no \(p.rawValue) case")
            for s in steps {
                #expect(cases.contains { $0.case.status == .inProgress && $0.case.step == s.code },
                        "no \(p.rawValue) case in progress at \(s.code)")
            }
            let finished: CaseStatus = steps.last?.final == "active" ? .active : .closed
            let done = cases.filter { $0.case.status == finished }.count
            #expect(done * 2 > cases.count, "most \(p.rawValue) cases are finished")
            #expect(cases.contains { $0.case.status == .rejected })
            if finished == .active { #expect(cases.contains { $0.case.status == .terminated }) }
        }
        #expect(t.households.flatMap(\.cases).contains { t.isOverdue($0.case) })
    }

    @Test func stepHistories() {
        let t = DemoFixture.large
        let logins = Set(t.users.map(\.name))
        for h in t.households {
            for dc in h.cases {
                let c = dc.case
                let steps = DemoFixture.catalog.definition(c.programme).path(delegated: false)
                let codes = steps.map(\.code)
                #expect(c.householdId == 0 && c.id == nil)
                #expect(c.appliedOn <= c.stepSince && c.stepSince <= t.today)
                #expect(codes.contains(c.step))
                var last = c.appliedOn
                for r in dc.steps {
                    #expect(r.caseId == 0 && r.id == nil)
                    #expect(r.actedOn >= last, "\(c.programme) \(r.step) goes back in time")
                    #expect(r.actedOn <= t.today)
                    #expect(r.actedOn.weekday < 5)
                    #expect(logins.contains(r.actor))
                    #expect(codes.contains(r.step))
                    last = r.actedOn
                    let j = DemoFixture.json(r.inputs)
                    if r.step == "survey" {
                        let inv = j["investigators"] as? [String] ?? []
                        #expect(inv.count == 2 && inv[0] != inv[1] && !inv[0].isEmpty, "survey investigators \(inv)")
                    }
                    if r.step == "appraisal" {
                        #expect(j["meetingDate"] as? String != nil && (j["attendance"] as? Int ?? 0) > 0)
                        let votes = (j["votesFor"] as? Int ?? 0) + (j["votesAgainst"] as? Int ?? 0) + (j["abstentions"] as? Int ?? 0)
                        #expect(votes == j["attendance"] as? Int)
                    }
                    if steps.first(where: { $0.code == r.step })?.publicity == true && r.action == "done" {
                        let from = CivilDate(iso: j["from"] as? String ?? "")!
                        let until = CivilDate(iso: j["until"] as? String ?? "")!
                        #expect(from.days(until: until) == j["days"] as? Int)
                        #expect(from.days(until: until) >= 7, "a posting shorter than the full window")
                        #expect(r.actedOn >= until, "publicity closed before its window ended")
                    }
                }
                // The steps done follow the programme's order, none skipped or repeated. (An
                // objection during publicity is recorded as "objection", the re-investigation as a
                // survey marked "reinvestigation", then the publicity is done.)
                let forward = dc.steps.filter { $0.action == "done" || $0.action == "approve" }
                    .filter { !(DemoFixture.json($0.inputs)["reinvestigation"] as? Bool ?? false) }
                let indices = forward.map { codes.firstIndex(of: $0.step)! }
                #expect(indices == Array(0..<indices.count), "\(c.programme) steps out of order: \(indices)")
                switch c.status {
                case .inProgress:
                    if let last = dc.steps.last, last.action == "objection" {
                        // Sent back by an objection: waiting for re-investigation, steps done up to the posting.
                        #expect(c.step == "survey" && indices.count == codes.firstIndex(of: last.step)!)
                    } else {
                        #expect(indices.count == codes.firstIndex(of: c.step)!)
                    }
                    #expect(c.stepSince == (dc.steps.last?.actedOn ?? c.appliedOn))
                case .active, .closed:
                    #expect(indices.count == codes.count && c.step == codes.last)
                    #expect(c.stepSince == dc.steps.last?.actedOn)
                case .rejected:
                    // Refused at the decision step only; an earlier step proposed it (拟不予).
                    #expect(dc.steps.last?.action == "reject" && dc.steps.last?.step == c.step)
                    #expect(steps.first { $0.code == c.step }?.isDecision == true, "\(c.programme) refused at \(c.step)")
                    let proposed = dc.steps.last { $0.action == "propose_reject" }
                    #expect(indices.count == codes.firstIndex(of: proposed?.step ?? c.step)!)
                case .withdrawn:
                    #expect(dc.steps.last?.action == "withdraw")
                case .terminated:
                    #expect(dc.steps.last?.action == "terminate" && indices.count == codes.count)
                case .suspended:
                    #expect(dc.steps.last?.action == "suspend" && indices.count == codes.count)
                }
            }
        }
    }

    @Test func amountsAndClasses() {
        let t = DemoFixture.large
        for h in t.households {
            for dc in h.cases {
                let c = dc.case
                switch c.programme {
                case .ruralDibao, .urbanDibao:
                    let counted = h.members.filter { $0.coResident && !$0.absent }.count
                    #expect(c.coveredMembers >= 1 && c.coveredMembers <= max(1, counted))
                    if c.status == .active {
                        let std: Int64 = c.programme == .ruralDibao ? 55_000 : 75_000
                        let m = c.monthlyAmount?.fen ?? 0
                        #expect(m > 0 && m <= std * Int64(c.coveredMembers) && m % 100 == 0)
                    }
                    #expect(dc.personIndex == nil)
                case .tekun, .medical:
                    #expect(c.coveredMembers == 1 && dc.personIndex != nil && dc.personIndex! < h.members.count)
                    if c.programme == .tekun && c.status == .active {
                        #expect([71_500, 78_000].contains(c.monthlyAmount?.fen ?? 0))
                    }
                case .temporary, .disaster:
                    #expect(dc.personIndex == nil && c.monthlyAmount == nil)
                }
                if c.programme == .urbanDibao && c.status == .active {
                    let counted = h.members.filter { $0.coResident && !$0.absent }
                    switch c.urbanClass {
                    case .a?: #expect(counted.allSatisfy { $0.workAbility == .none })
                    case .c?: #expect(counted.contains { $0.workAbility == .full && (18...59).contains($0.birthDate.age(on: t.today)) })
                    case .b?: #expect(counted.contains { $0.workAbility != .none })
                    case nil: Issue.record("active urban dibao without a class")
                    }
                } else if c.programme != .urbanDibao {
                    #expect(c.urbanClass == nil)
                }
            }
        }
        let classes = Set(t.households.flatMap(\.cases).compactMap(\.case.urbanClass))
        #expect(classes == [.a, .b, .c])
        // The flood: disaster cases only after it, mostly in the flood villages.
        let disaster = t.households.filter { $0.cases.contains { $0.case.programme == .disaster } }
        #expect(disaster.filter { t.flood.villageCodes.contains($0.household.villageCode) }.count * 10 > disaster.count * 8)
        for h in disaster { for dc in h.cases where dc.case.programme == .disaster { #expect(dc.case.appliedOn > t.flood.date) } }
    }

    @Test func summaryCountsAddUp() {
        let t = DemoFixture.small
        let s = t.summary
        #expect(s.households == 2_000)
        #expect(s.persons == t.households.reduce(0) { $0 + $1.members.count })
        #expect(s.villages.reduce(0) { $0 + $1.households } == 2_000)
        #expect(s.programmes.reduce(0) { $0 + $1.cases } == t.households.reduce(0) { $0 + $1.cases.count })
        for p in s.programmes { #expect(p.byStatus.reduce(0, +) == p.cases) }
        let text = s.description
        for p in Programme.allCases { #expect(text.contains(p.label.zh)) }
        #expect(s.lines(.en).joined().contains("rural dibao"))
    }
}

/// Past 100,000 households a demo is a county's: one township per 10,000, named apart.
@Suite struct DemoCountyScaleTests {
    @Test func townshipsGrowWithTheHouseholds() {
        #expect(DemoTownship.townshipCount(600) == 1)
        #expect(DemoTownship.townshipCount(100_000) == 1)
        #expect(DemoTownship.townshipCount(100_001) == 11)
        #expect(DemoTownship.townshipCount(300_000) == 30)
        #expect(DemoTownship.townshipCount(1_000_000) == 100)
        let names = (1..<100).map { DemoTownship.extraTownshipName($0) }
        #expect(Set(names).count == names.count)
        #expect(!names.contains("石门镇"))
    }
}
