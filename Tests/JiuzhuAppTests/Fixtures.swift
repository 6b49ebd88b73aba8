import Foundation
import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let today = CivilDate(year: 2026, month: 11, day: 23)!

    static let screens: ScreenData = try! ScreenData.load(from: root.appendingPathComponent("screens"))
    static let reference: ReferenceData = try! ReferenceData.load(from: root.appendingPathComponent("data"))

    static let names = ["张三丰", "李四", "王小明", "赵敏", "周芷若", "张无忌", "欧阳锋", "诸葛孔明", "马", "阿苏拉则",
                        "刘备", "关羽", "张飞", "曹操", "孙权", "黄忠", "赵云", "魏延", "姜维", "司马懿"]

    /// A township with 2 villages and `n` households whose heads cycle through `names`.
    static func store(households n: Int = 60) throws -> Store {
        let s = try Store()
        s.passwordIterations = 1000
        try s.initializeOffice(reference: reference, office: Office(countyCode: "532927", countyName: "巍山县",
                               townshipCode: "532927101000", townshipName: "南诏镇"), by: "test")
        // The first user, the administrator who sets the township up (the store lets only an
        // administrator add villages, households' first entry aside, and users).
        try s.addUser(name: "test", displayName: "测试管理员", role: .admin, password: "demo", by: "init", iterations: 1000)
        try s.addRegion(code: "201", name: "李家村", level: .village, by: "test")
        try s.addRegion(code: "202", name: "石门村", level: .village, by: "test")
        // The office's supervision phone and box, which every posting shows (refused without).
        for (key, value) in [("publicity_phone", "0872-6121234"), ("publicity_box", "村委会门口举报箱")] {
            let v = try #require(try s.settingRows().first { $0.key == key }?.version)
            try s.changeSetting(key: key, value: value, version: v, by: "test")
        }
        for i in 0..<n {
            let birth = CivilDate(year: 1950 + i % 40, month: 1 + i % 12, day: 1 + i % 28)!
            let id = IDNumber.make(region: "532927", birth: birth, sequence: i)
            let name = names[i % names.count] + (i >= names.count ? String(i / names.count) : "")
            let head = Person(name: name, idNumber: id.value, relation: Person.headRelation, sex: id.sex, birthDate: birth)
            let childBirth = birth.adding(months: 12 * 25)
            let cid = IDNumber.make(region: "532927", birth: childBirth, sequence: 500 + i)
            let child = Person(name: "子" + String(i), idNumber: cid.value, relation: "20", sex: cid.sex, birthDate: childBirth)
            try s.addHousehold(Household(villageCode: i % 2 == 0 ? "532927101201" : "532927101202", address: "\(i)号"),
                               members: i % 3 == 0 ? [head, child] : [head], by: "test")
        }
        try s.addUser(name: "jingban", displayName: "经办员甲", role: .clerk, password: "demo", by: "test", iterations: 1000)
        try s.addUser(name: "duzha", displayName: "督查员乙", role: .supervisor, password: "demo", by: "test", iterations: 1000)
        return s
    }

    static func env(_ store: Store, lang: Lang = .zh) throws -> AppEnvironment {
        try AppEnvironment.load(store: store, screens: screens, lang: lang, demo: true, today: today)
    }
}

enum CaseFixture {
    static let catalog: ProgrammeCatalog = try! ProgrammeCatalog.decode(Data(contentsOf: Fixture.root.appendingPathComponent("data/programmes.json")))

    /// A rural 低保 case for household `hid`, waiting at `step`, surveyed with per-capita income `pci`.
    static func ruralCase(_ s: Store, household hid: Int64, at step: String, since: CivilDate, pci: Money = Money(fen: 41_250)) throws -> Int64 {
        let path = catalog.definition(.ruralDibao).path(delegated: false)
        let upto = path.firstIndex { $0.code == step }!
        var steps: [CaseStepRecord] = []
        for st in path[..<upto] {
            var inputs = "{}"
            if st.code == "survey" { inputs = #"{"investigators":["王立军","李春梅"],"perCapitaIncomeFen":\#(pci.fen)}"# }
            steps.append(CaseStepRecord(caseId: 0, step: st.code, action: st.role == "clerk" ? "done" : "approve", actor: "jingban",
                                        actedOn: since.adding(days: -1), inputs: inputs))
        }
        return try s.write { db in
            let members = try Store.members(db, householdId: hid)
            let c = Case(householdId: hid, programme: .ruralDibao, step: step, stepSince: since, appliedOn: since.adding(days: -20),
                         coveredMembers: members.count)
            let id = try Store.insertCase(db, c, steps: steps, villageCode: "532927101201", now: "2026-11-01 09:00:00")
            try Store.backfillCaseColumns(db)
            return id
        }
    }
}
