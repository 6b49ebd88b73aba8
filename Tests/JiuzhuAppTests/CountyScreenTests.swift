import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// The county file's second township, as JiuzhuStoreTests/CountyTests.swift adds it (a test
/// target cannot import another): 五印乡 (532927102), its villages 201 李家村 (a name the first
/// township has too) and 203 新村, and households there. Change the two together.
enum CountyFixture {
    static let second = "532927102000"

    @discardableResult
    static func addTownship(_ s: Store, households n: Int) throws -> [Int64] {
        try s.write { db in
            try db.execute(sql: """
                INSERT INTO region(code, name, level, parent_code) VALUES
                    ('532927102000', '五印乡', 'township', '532927000000'),
                    ('532927102201', '李家村', 'village', '532927102000'),
                    ('532927102203', '新村', 'village', '532927102000')
                """)
        }
        var ids: [Int64] = []
        for i in 0..<n {
            let birth = CivilDate(year: 1955 + i % 40, month: 1 + i % 12, day: 1 + i % 28)!
            let id = IDNumber.make(region: "532927", birth: birth, sequence: 700 + i)
            let name = Fixture.names[(i + 3) % Fixture.names.count] + "乙" + String(i)
            let head = Person(name: name, idNumber: id.value, relation: Person.headRelation, sex: id.sex, birthDate: birth)
            ids.append(try s.addHousehold(Household(villageCode: i % 2 == 0 ? "532927102201" : "532927102203", address: "五印\(i)号"),
                                          members: [head], by: "test"))
        }
        return ids
    }

    /// A rural 低保 case of household `hid` (in its own village) waiting at 县级审批.
    static func atCountyApproval(_ s: Store, household hid: Int64) throws -> Int64 {
        let path = CaseFixture.catalog.definition(.ruralDibao).path(delegated: false)
        let upto = try #require(path.firstIndex { $0.code == "county_approval" })
        let since = Fixture.today.adding(days: -3)
        let steps = path[..<upto].map { st in
            CaseStepRecord(caseId: 0, step: st.code, action: st.role == "clerk" ? "done" : "approve", actor: "jingban",
                           actedOn: since.adding(days: -1), inputs: "{}")
        }
        return try s.write { db in
            let village = try #require(try String.fetchOne(db, sql: "SELECT village_code FROM household WHERE id = ?", arguments: [hid]))
            let c = Case(householdId: hid, programme: .ruralDibao, step: "county_approval", stepSince: since, appliedOn: since.adding(days: -20),
                         coveredMembers: try Store.members(db, householdId: hid).count)
            let id = try Store.insertCase(db, c, steps: Array(steps), villageCode: village, now: "2026-11-01 09:00:00")
            try Store.backfillCaseColumns(db)
            return id
        }
    }

    /// Two townships: 4 cases in force and 3 at 县级审批 in the first, 3 and 2 in the second.
    static func store() throws -> (Store, first: Set<Int64>, second: Set<Int64>) {
        let s = try Fixture.store(households: 10)
        try s.addUser(name: "shenpi", displayName: "审批员", role: .approver, password: "demo", by: "test", iterations: 1000)
        let seconds = try addTownship(s, households: 8)
        var first: Set<Int64> = [], second: Set<Int64> = []
        for hid in Int64(1)...4 { first.insert(try DynamicManagementTests.activeCase(s, household: hid, amount: Money(yuan: 300))) }
        for hid in Int64(5)...7 { first.insert(try atCountyApproval(s, household: hid)) }
        for hid in seconds.prefix(3) { second.insert(try DynamicManagementTests.activeCase(s, household: hid, amount: Money(yuan: 350))) }
        for hid in seconds[3...4] { second.insert(try atCountyApproval(s, household: hid)) }
        return (s, first, second)
    }
}

/// County mode on the screens (issue 25 item 4): the township as a column and a filter in 对象查询
/// and 审核审批, the county approval queue, the year table per township and in total, and the
/// rosters one per township — and none of it in a township's own file.
@Suite(.serialized) struct CountyScreenTests {
    func session(_ store: Store, user: String = "shenpi", lang: Lang = .zh) throws -> (AppRunner, TestBackend, (KeyEvent...) -> Void) {
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store, lang: lang))
        func keys(_ k: KeyEvent...) { for e in k { backend.enqueue(e) }; r.runUntilIdle() }
        keys(.text(user), .tab, .text("demo"), .enter)
        if r.state.top.id == IntakeScreen.id { keys(.escape) }
        return (r, backend, keys)
    }

    /// The header line of the table (row 3 on 对象查询, row 2 on 审核审批).
    func line(_ b: TestBackend, _ y: Int) -> String { b.screenText.components(separatedBy: "\n")[y] }

    @Test func aTownshipsOwnFileShowsNoTownship() throws {
        let s = try Fixture.store(households: 6)
        try s.addUser(name: "shenpi", displayName: "审批员", role: .approver, password: "demo", by: "test", iterations: 1000)
        _ = try CountyFixture.atCountyApproval(s, household: 1)
        let (r, b, keys) = try session(s)
        keys(.char("5"))
        #expect(r.state.top.state(of: CaseBrowserScreen.self)?.townships == nil)
        #expect(!line(b, 3).contains("乡镇") && line(b, 3).contains("村/社区"))
        keys(.function(3))
        #expect(r.state.top.state(of: CaseBrowserScreen.self)?.dialog?.fields.contains { $0.id == "township" } == false)
        keys(.escape, .escape, .char("3"))
        #expect(r.state.top.state(of: ReviewScreen.self)?.townships == nil)
        #expect(!b.screenText.contains("乡镇：") && !b.screenText.contains("F4 乡镇") && !b.screenText.contains("F7 县级"))
        // F4 and F7 do nothing there.
        keys(.function(4), .function(7))
        let q = try #require(r.state.top.state(of: ReviewScreen.self))
        #expect(q.township == nil && !q.countySteps && q.rows.count == 1)
        // Nor does F1 list them there.
        keys(.function(1))
        #expect(r.state.topID == HelpScreen.id && b.screenText.contains("筛选") && !b.screenText.contains("只看县级步骤"), "\(b.screenText)")
        keys(.escape, .escape, .char("7"))
        #expect(b.screenText.contains("南诏镇社会救助统计") && !b.screenText.contains("F5 乡镇"))
    }

    @Test func theCaseBrowserAndTheQueueByTownship() throws {
        let (s, first, second) = try CountyFixture.store()
        let (r, b, keys) = try session(s)
        keys(.char("5"))
        let b0 = try #require(r.state.top.state(of: CaseBrowserScreen.self))
        #expect(b0.townships?.map(\.name) == ["南诏镇", "五印乡"])
        #expect(line(b, 3).contains("乡镇") && b.screenText.contains("五印乡") && b.screenText.contains("南诏镇"))
        #expect(b0.count == first.count + second.count)
        // F3: the township field beside the village; 五印乡's cases only, counted.
        keys(.function(3))
        let box = try #require(r.state.top.state(of: CaseBrowserScreen.self)?.dialog)
        #expect(box.fields.map(\.id).prefix(3) == ["programme", "township", "village"])
        keys(.tab, .text("五印乡"), .tab, .text("李家村"), .function(2))
        let b1 = try #require(r.state.top.state(of: CaseBrowserScreen.self))
        #expect(b1.dialog == nil && b1.query.township == CountyFixture.second)
        // 李家村 is a name of both townships: the filter takes the one in 五印乡.
        #expect(b1.query.village == "532927102201")
        #expect(Set(b1.rows.map(\.id)).isSubset(of: second) && !b1.rows.isEmpty)
        #expect(b1.rows.allSatisfy { $0.villageCode == "532927102201" })
        #expect(b.screenText.contains("筛选：五印乡 · 李家村"))
        // Without a township, a village name two townships have is not guessed.
        keys(.function(3), .tab, .ctrl("u"), .tab, .ctrl("u"), .text("李家村"), .function(2))
        #expect(r.state.top.state(of: CaseBrowserScreen.self)?.dialog?.error == "几个乡镇都有“李家村”:请先填乡镇,或填村的代码。")
        keys(.escape)
        keys(.function(3), .tab, .text("无此乡"), .function(2))
        #expect(r.state.top.state(of: CaseBrowserScreen.self)?.dialog?.error == "没有名为“无此乡”的乡镇(填名称或代码)。")
        keys(.escape, .ctrl("u"))
        keys(.function(3), .tab, .text("南诏镇"), .function(2))
        let b2 = try #require(r.state.top.state(of: CaseBrowserScreen.self))
        #expect(Set(b2.rows.map(\.id)) == first && b2.count == first.count)
        // F9: the selection exported with its township column.
        keys(.function(9))
        let files = (r.state.message?.text ?? "").components(separatedBy: "\n").filter { $0.hasSuffix(".csv") || $0.hasSuffix(".xlsx") }
        defer { for f in files { try? FileManager.default.removeItem(atPath: f) } }
        let csv = try String(contentsOfFile: try #require(files.first { $0.hasSuffix(".csv") }), encoding: .utf8).split(whereSeparator: \.isNewline)
        #expect(csv.first?.split(separator: ",").prefix(4).joined(separator: ",") == "案件号,项目,乡镇,村/社区", "\(csv.first ?? "")")
        #expect(csv.count == first.count + 1 && csv.dropFirst().allSatisfy { $0.split(separator: ",")[2] == "南诏镇" })
        keys(.enter)
        keys(.escape)

        // 审核审批: every township's 县级审批 with the township column; F4 one township; F7
        // the county steps only.
        keys(.char("3"))
        let q0 = try #require(r.state.top.state(of: ReviewScreen.self))
        #expect(q0.townships != nil)
        #expect(line(b, 1).contains("乡镇：全部（F4）") && line(b, 2).contains("乡镇"))
        #expect(b.screenText.contains("F4 乡镇") && b.screenText.contains("F7 县级"))
        keys(.function(1))
        #expect(r.state.topID == HelpScreen.id && b.screenText.contains("只看县级步骤"))
        keys(.escape)
        let waiting = Set(q0.rows.filter { $0.step == "county_approval" }.map(\.caseId))
        #expect(waiting.count == 5)
        keys(.function(7))
        let q1 = try #require(r.state.top.state(of: ReviewScreen.self))
        #expect(q1.countySteps && Set(q1.rows.map(\.caseId)) == waiting && q1.total == 5)
        #expect(b.screenText.contains("待办 5 件，其中超期") && b.screenText.contains("仅县级步骤（F7）"))
        keys(.function(4), .function(4))
        let q2 = try #require(r.state.top.state(of: ReviewScreen.self))
        #expect(q2.township == CountyFixture.second && q2.rows.count == 2 && Set(q2.rows.map(\.caseId)).isSubset(of: second))
        #expect(line(b, 1).contains("乡镇：五印乡（F4）") && b.screenText.contains("待办 2 件"))
        keys(.function(4))
        #expect(r.state.top.state(of: ReviewScreen.self)?.township == nil)
        keys(.ctrl("u"))
        let q3 = try #require(r.state.top.state(of: ReviewScreen.self))
        #expect(!q3.countySteps && q3.township == nil && q3.rows.count == q0.rows.count)
        // F5 with no township: the village named with its township (李家村 is in both).
        keys(.function(5))
        #expect(line(b, 1).contains("村/社区：南诏镇 李家村（F5）"), "\(line(b, 1))")
    }

    @Test func theYearTableAndTheRostersByTownship() throws {
        let (s, _, _) = try CountyFixture.store()
        let (r, b, keys) = try session(s)
        keys(.char("7"))
        #expect(b.screenText.contains("全县各乡镇合计社会救助统计") && b.screenText.contains("F5 乡镇"))
        let total = try #require(r.state.top.state(of: ReportScreen.self)?.figures.first { $0.programme == .ruralDibao })
        #expect(total.atEnd.households == 7)
        var ends: [Int] = [], money: Int64 = 0
        for name in ["南诏镇", "五印乡"] {
            keys(.function(5))
            let rep = try #require(r.state.top.state(of: ReportScreen.self))
            #expect(b.screenText.contains("\(name)社会救助统计"), "\(name)")
            let f = try #require(rep.figures.first { $0.programme == .ruralDibao })
            ends.append(f.atEnd.households); money += f.amount.fen
        }
        #expect(ends == [4, 3] && ends.reduce(0, +) == total.atEnd.households && money == total.amount.fen)
        // F9 on a township's table: a file of its own, named by the township's code.
        keys(.function(9))
        let report = (r.state.message?.text ?? "").components(separatedBy: "\n").filter { $0.hasSuffix(".csv") || $0.hasSuffix(".xlsx") }
        defer { for f in report { try? FileManager.default.removeItem(atPath: f) } }
        let reportCSV = try #require(report.first { $0.hasSuffix("-\(CountyFixture.second).csv") }, "\(r.state.message?.text ?? "no message")")
        #expect(try String(contentsOfFile: reportCSV, encoding: .utf8).contains("五印乡社会救助统计"))
        keys(.enter, .function(5))
        #expect(r.state.top.state(of: ReportScreen.self)?.township == nil)

        // 发放名册: the townships' shares; F9 writes one roster per township.
        keys(.function(8), .function(7), .function(2), .enter)
        let l = try #require(r.state.top.state(of: RosterListScreen.self))
        let towns = try #require(l.townships)
        #expect(towns.map(\.name) == ["南诏镇", "五印乡"] && towns.map(\.lines) == [4, 3])
        // Each roster's own township (the making file's) in its row.
        #expect(l.county?.count == 2 && l.rows.first?.township == "532927101000")
        #expect(line(b, 3).hasSuffix("南诏镇") || line(b, 3).contains("南诏镇"), "\(b.screenText)")
        #expect(b.screenText.contains("各乡镇合计") && b.screenText.contains("五印乡"))
        // Enter: the lines, with their township.
        keys(.enter)
        #expect(r.state.top.id == RosterLinesScreen.id)
        #expect(line(b, 2).contains("乡镇") && b.screenText.contains("五印乡") && b.screenText.contains("南诏镇"), "\(b.screenText)")
        keys(.escape)
        keys(.function(9))
        let paths = (r.state.message?.text ?? "").components(separatedBy: "\n").filter { $0.hasSuffix(".csv") }
        #expect(paths.count == 2, "\(r.state.message?.text ?? "no message")")
        defer { for p in paths { try? FileManager.default.removeItem(atPath: p); try? FileManager.default.removeItem(atPath: p.replacingOccurrences(of: ".csv", with: ".xlsx")) } }
        let second = try #require(paths.first { $0.hasSuffix("-\(CountyFixture.second).csv") })
        let text = try String(contentsOfFile: second, encoding: .utf8)
        #expect(text.contains("五印乡") && !text.contains("南诏镇"))
        // (The fixture's decisions record no persons covered.)
        #expect(text.contains("合计,,3 户,,,0,1050.00"), "\(text)")
    }

    /// A county file's ids are in their township's block (102 × 2^40 + n): its lists show n, the
    /// township column saying whose; a township's own file shows n too, the number the case had
    /// before the file joined the exchange; a file outside the exchange, its ids as they are.
    @Test func aCountyListShowsTheNumberWithinTheTownshipsBlock() {
        let id = 102 * IdBlock.size + 5
        #expect(CountyView.caseNumber(id, county: true) == "5")
        #expect(CountyView.caseNumber(id, county: false) == "5")
        #expect(IdBlock.shown(id) == "102-5" && IdBlock.shown(42) == "42")
        #expect(CountyView.caseNumber(17, county: true) == "17")
    }

    @Test func englishCountyScreens() throws {
        let (s, _, _) = try CountyFixture.store()
        let (r, b, keys) = try session(s, lang: .en)
        keys(.char("5"))
        #expect(line(b, 3).contains("Township"))
        keys(.escape, .char("3"))
        #expect(line(b, 1).contains("Township: all (F4)"), "\(line(b, 1))")
        keys(.escape, .char("7"))
        #expect(b.screenText.contains("All townships social assistance") && b.screenText.contains("F5 township"))
        _ = r
    }
}
