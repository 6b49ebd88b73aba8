import Foundation
import GRDB
import JiuzhuApp
import JiuzhuImport
import JiuzhuModel
@testable import JiuzhuStore
import Testing

enum ImportFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let today = CivilDate(year: 2026, month: 11, day: 23)!
    static let reference: ReferenceData = try! ReferenceData.load(from: root.appendingPathComponent("data"))
    static let vocabulary: LedgerVocabulary = try! LedgerVocabulary.load(from: root.appendingPathComponent("data"))
    static let catalog: ProgrammeCatalog = try! ProgrammeCatalog.decode(Data(contentsOf: root.appendingPathComponent("data/programmes.json")))

    /// An empty township (南诏镇) with 李家村, 石门村 and the urban community 东街社区, an
    /// administrator `test` and a clerk `jingban`.
    static func store(file: String? = nil) throws -> Store {
        let s = try file.map { try Store(path: $0, mode: .create) } ?? Store()
        s.passwordIterations = 1000
        try s.initializeOffice(reference: reference, office: Office(countyCode: "532927", countyName: "巍山县",
                               townshipCode: "532927101000", townshipName: "南诏镇"), by: "test")
        try s.addUser(name: "test", displayName: "管理员", role: .admin, password: "demo", by: "init", iterations: 1000)
        try s.addRegion(code: "201", name: "李家村", level: .village, by: "test")
        try s.addRegion(code: "202", name: "石门村", level: .village, by: "test")
        try s.addRegion(code: "301", name: "东街社区", level: .community, by: "test")
        try s.addUser(name: "jingban", displayName: "经办员", role: .clerk, password: "demo", by: "test", iterations: 1000)
        try s.addUser(name: "duzha", displayName: "督查员", role: .supervisor, password: "demo", by: "test", iterations: 1000)
        return s
    }

    /// A copy of a fixture in a fresh folder (the report is written beside it).
    static func copy(_ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let to = dir.appendingPathComponent(name)
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: to)
        return to.path
    }

    /// A CSV written for a test, in a fresh folder.
    static func csv(_ lines: [String], name: String = "ledger.csv") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try Data((lines.joined(separator: "\r\n") + "\r\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func check(_ path: String, _ s: Store, programme: Programme? = nil) throws -> LedgerRun {
        let profile = programme.map { LedgerProfile(name: "", headers: [:], programme: $0) }
        return try LedgerRun.check(path: path, store: s, profile: profile, vocabulary: vocabulary, today: today)
    }

    static func id(_ birth: String, _ seq: Int) -> String {
        IDNumber.make(region: "532927", birth: CivilDate(compact: birth)!, sequence: seq).value
    }
}

@Suite struct SheetReaderTests {
    @Test func aGBKCSVFromExcelIsReadAsGB18030() throws {
        let f = try SheetReader.read(ImportFixture.fixtures.appendingPathComponent("ledger-gbk.csv").path)
        #expect(f.kind == .csv)
        #expect(f.encoding == "GB18030")
        let grid = try #require(f.sheets.first)
        #expect(grid.rows[0][0] == "南诏镇2024年农村低保对象花名册")
        #expect(grid.rows[1][2] == "户主姓名")
        #expect(grid.rows[2][2] == "杨正华")
    }

    @Test func anXLSXWithMergedCellsSpreadsEachValueOverItsRange() throws {
        let f = try SheetReader.read(ImportFixture.fixtures.appendingPathComponent("merged-header.xlsx").path)
        #expect(f.kind == .xlsx)
        let grid = try #require(f.sheets.first)
        #expect(grid.name == "2024年台帐")
        #expect(grid.cell(0, 5) == "南诏镇2024年低保对象台帐")       // the title merged over the table
        #expect(grid.cell(1, 4) == "家庭成员" && grid.cell(2, 4) == "与户主关系")
        #expect(grid.cell(2, 1) == "村(社区)")                       // merged down the two header lines
        #expect(grid.cell(5, 1) == "李家村" && grid.cell(5, 2) == "何建平")   // merged down the household
        #expect(grid.cell(3, 9) == "44805")                          // a date cell is its serial number
        #expect(grid.cell(3, 8) == "1260.5")
    }

    /// Excel, WPS and libxlsxwriter write a sheet's XML on one line; a roll of 10,000 households is
    /// a 13.8 MB part. Foundation's XMLParser handed that as one `Data` stopped with
    /// NSXMLParserErrorDomain 1 at line 2 and the import refused a good file.
    @Test func aSheetPartOverTenMegabytesIsReadWhole() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("big.xlsx").path
        let rows = 40_000
        try TableXLSX.write(title: "大台帐", sheet: "台帐", header: ["序号", "姓名", "身份证号", "住址", "备注"], numeric: [0], lang: .zh, to: path) { sink in
            for i in 1...rows {
                try sink([String(i), "户主\(i)", "53292719800101\(String(format: "%04d", i % 10_000))", "南诏镇李家村第\(i % 12)组 \(i)号",
                          "这一格写得长一些，让工作表的 XML 超过十兆字节：\(String(repeating: "备", count: 60))"])
            }
        }
        let f = try SheetReader.read(path)
        let grid = try #require(f.sheets.first)
        #expect(grid.rows.count >= rows + 1)
        #expect(grid.rows.last?.dropFirst().first == "户主\(rows)")
    }

    @Test func anXLSIsReadThroughFreeXL() throws {
        let f = try SheetReader.read(ImportFixture.fixtures.appendingPathComponent("roll-15digit.xls").path)
        #expect(f.kind == .xls)
        let grid = try #require(f.sheets.first)
        #expect(grid.name == "五保特困花名册")
        #expect(grid.cell(1, 2) == "姓名")
        #expect(grid.cell(2, 4).count == 15)
        #expect(grid.cell(2, 7) == "625")
    }

    @Test func whatIsNotASpreadsheetIsRefusedByName() throws {
        let path = try ImportFixture.csv(["x"], name: "x.csv")
        try Data([0xFF, 0xFE, 0x00, 0xD8, 0x81]).write(to: URL(fileURLWithPath: path))
        #expect(throws: SheetReadError.notText(path: path)) { try SheetReader.read(path) }
        #expect(throws: SheetReadError.missing(path: path + ".no")) { try SheetReader.read(path + ".no") }
    }
}

@Suite struct LedgerCheckTests {
    @Test func theGBKLedgerGivesItsHouseholdsAndSkipsTitleBlankAndTotals() throws {
        let s = try ImportFixture.store()
        let run = try ImportFixture.check(try ImportFixture.copy("ledger-gbk.csv"), s, programme: .ruralDibao)
        #expect(run.plan.sheets.first?.mapping.headerFirst == 1)
        #expect(run.plan.households.count == 3)
        #expect(run.plan.rowsSkipped == 2)
        #expect(run.plan.errorCount == 0)
        let amounts = run.plan.households.flatMap(\.cases).map(\.amount.fen).sorted()
        #expect(amounts == [48_000, 56_000, 112_000])     // "1,120.00元" read as 1120 yuan
        #expect(run.plan.households.flatMap(\.cases).map(\.start.iso).sorted() == ["2021-03-01", "2022-07-01", "2023-05-01"])
    }

    @Test func withoutAProgrammeTheAmountsAreReported() throws {
        let s = try ImportFixture.store()
        let run = try ImportFixture.check(try ImportFixture.copy("ledger-gbk.csv"), s)
        #expect(run.plan.errorCount == 3)
        #expect(run.plan.problems.allSatisfy { $0.text.zh.contains("--program") })
    }

    @Test func theMergedHeaderWorkbookGivesPersonsGroupedByHousehold() throws {
        let s = try ImportFixture.store()
        let run = try ImportFixture.check(try ImportFixture.copy("merged-header.xlsx"), s)
        #expect(run.plan.errorCount == 0, "\(run.plan.problems.map(\.text.en))")
        #expect(run.plan.households.map(\.members.count) == [3, 2])
        let cases = run.plan.households.flatMap(\.cases)
        #expect(cases.map(\.programme) == [.ruralDibao, .urbanDibao])   // 低保 by where the household lives
        #expect(cases.map(\.start.iso) == ["2022-09-01", "2023-03-01"])  // from the date cells' serial numbers
        #expect(cases.map(\.persons) == [3, 2])
        #expect(run.plan.households[0].members.map(\.relation) == ["02", "12", "20"])   // 户主, 妻, 子 by name
    }

    @Test func theXLSRollConvertsFifteenDigitNumbersAndSaysSo() throws {
        let s = try ImportFixture.store()
        let run = try ImportFixture.check(try ImportFixture.copy("roll-15digit.xls"), s)
        #expect(run.plan.errorCount == 0, "\(run.plan.problems.map(\.text.en))")
        let notices = run.plan.problems.filter { $0.severity == .notice }
        #expect(notices.map(\.row) == [3, 4])
        #expect(notices.allSatisfy { $0.value.contains("*") })          // masked in the report
        #expect(run.plan.households.map(\.members.count) == [1, 3])
        #expect(run.plan.households.allSatisfy { $0.members.allSatisfy { $0.idNumber.count == 18 } })
        let tekun = try #require(run.plan.households[0].cases.first)
        #expect(tekun.programme == .tekun && tekun.member == 0 && tekun.persons == 1)
        #expect(run.plan.households[0].members[0].ethnicity == "07")   // 彝族 by name
    }

    @Test func eachBadRowIsReportedWithItsRowColumnAndValue() throws {
        let s = try ImportFixture.store()
        let a = ImportFixture.id("19600101", 1), b = ImportFixture.id("19610202", 2)
        var wrongCheck = ImportFixture.id("19620303", 3)
        wrongCheck = String(wrongCheck.dropLast()) + (wrongCheck.last == "1" ? "2" : "1")
        let path = try ImportFixture.csv([
            "户主姓名,身份证号,村,救助类别,月保障金,开始享受时间",
            "甲,\(a),李家村,农村低保,500,2024-01-01",
            "乙,\(wrongCheck),李家村,农村低保,500,2024-01-01",
            "丙,\(a),石门村,农村低保,500,2024-01-01",
            "丁,\(b),王家村,农村低保,500,2024-01-01",
            "戊,\(ImportFixture.id("19630404", 4)),李家村,城镇低保,500,2024-01-01",
            "己,\(ImportFixture.id("19640505", 5)),李家村,农村低保,五百,2024-01-01",
            "庚,\(ImportFixture.id("19650606", 6)),李家村,农村低保,500,2030-01-01",
            "辛,4.10123199001E+17,李家村,农村低保,500,2024-01-01",
        ])
        let run = try ImportFixture.check(path, s)
        let byRow = Dictionary(grouping: run.plan.problems, by: \.row)
        #expect(run.plan.good.count == 1)
        #expect(byRow[3]?.first?.column == "B 身份证号")
        #expect(byRow[3]?.first?.text.en.contains("check character") == true)
        #expect(byRow[4]?.first?.text.zh.contains("第 2 行") == true)        // the same ID twice in the file
        #expect(byRow[5]?.first?.value == "王家村")
        #expect(byRow[6]?.first?.text.zh.contains("行政村") == true)         // 城镇低保 for a village
        #expect(byRow[7]?.first?.value == "五百")
        #expect(byRow[8]?.first?.column == "F 开始享受时间")
        #expect(byRow[9]?.first?.text.zh.contains("文本") == true)
        // The report beside the file, IDs masked.
        let paths = try run.writeReport(.zh)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: paths.csv))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))          // a BOM, for Excel
        let text = try #require(String(data: bytes.dropFirst(3), encoding: .utf8))
        #expect(text.hasPrefix("工作表,行号,列,问题"))
        #expect(!text.contains(wrongCheck) && !text.contains(a))
        #expect(FileManager.default.fileExists(atPath: paths.xlsx))
        let mode = try FileManager.default.attributesOfItem(atPath: paths.csv)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}

@Suite struct LedgerImportTests {
    @Test func allOrNothingThenSkipBadRowsThenNeverTheSameFileTwice() throws {
        let s = try ImportFixture.store()
        let path = try ImportFixture.csv([
            "户主姓名,身份证号,村,救助类别,月保障金,开始享受时间",
            "甲,\(ImportFixture.id("19600101", 1)),李家村,农村低保,500,2024-01-01",
            "乙,\(ImportFixture.id("19610202", 2)),王家村,农村低保,500,2024-01-01",
        ])
        let run = try ImportFixture.check(path, s)
        #expect(throws: StoreError.self) { try run.importNow(store: s, user: "jingban", again: false, skipBadRows: false, catalog: ImportFixture.catalog) }
        #expect(try s.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM household") } == 0)
        // A supervisor may not import; nothing written either.
        #expect(throws: StoreError.self) { try run.importNow(store: s, user: "duzha", again: false, skipBadRows: true, catalog: ImportFixture.catalog) }
        let r = try run.importNow(store: s, user: "jingban", again: false, skipBadRows: true, catalog: ImportFixture.catalog)
        #expect(r.households == 1 && r.cases == 1)
        let audit = try s.read { try Row.fetchOne($0, sql: "SELECT * FROM audit WHERE action = 'ledger.import'") }
        #expect((audit?["entity_id"] as String?) == run.sha256)
        #expect((audit?["detail"] as String?)?.contains("\"skippedHouseholds\":\"1\"") == true)
        // The same bytes again: recognised and refused, even under another name.
        let again = try ImportFixture.check(path, s)
        #expect(again.importedBefore?.user == "jingban")
        #expect(throws: StoreError.said("store.import.sameFile", ["at": again.importedBefore!.at, "user": "jingban", "file": path])) {
            try s.importLedger(again.plan.good, file: path, sha256: again.sha256, again: false, skipped: (0, 0), by: "jingban",
                               catalog: ImportFixture.catalog)
        }
    }

    @Test func casesInForceAreDecisionsOnRecordForRostersYearTableAndVerify() throws {
        let s = try ImportFixture.store()
        let run = try ImportFixture.check(try ImportFixture.copy("merged-header.xlsx"), s)
        _ = try run.importNow(store: s, user: "jingban", again: false, skipBadRows: false, catalog: ImportFixture.catalog)
        let xls = try ImportFixture.check(try ImportFixture.copy("roll-15digit.xls"), s)
        _ = try xls.importNow(store: s, user: "jingban", again: false, skipBadRows: false, catalog: ImportFixture.catalog)
        // Paid from the month the ledger says, not the month after: 2022-09 is due, 2022-08 is not.
        let sept = try s.makeRoster(month: "2022-09", programme: .ruralDibao, catalog: ImportFixture.catalog, by: "jingban")
        #expect(sept.total.fen == 126_050 + 70_000)
        let aug = try s.makeRoster(month: "2022-08", programme: .ruralDibao, catalog: ImportFixture.catalog, by: "jingban")
        #expect(aug.total.fen == 70_000)
        let nov = try s.makeRoster(month: "2026-11", programme: .tekun, catalog: ImportFixture.catalog, by: "jingban")
        #expect(nov.total.fen == 62_500 && nov.lines == 1)
        let amounts = try s.verifyAmounts(catalog: ImportFixture.catalog)
        #expect(amounts.checked == 4 && amounts.mismatches.isEmpty)
        let figures = try s.yearFigures(from: CivilDate(year: 2026, month: 1, day: 1)!, until: ImportFixture.today, catalog: ImportFixture.catalog)
        let rural = try #require(figures.first { $0.programme == .ruralDibao })
        #expect(rural.atEnd.households == 2 && rural.atEnd.persons == 6)
        let check = try s.verifyProcess(catalog: ImportFixture.catalog)
        #expect(check.problems.isEmpty)
        // The persons covered are dated and named.
        let covered = try s.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM case_coverage") }
        #expect(covered == 3 + 2 + 1 + 3)
    }

    /// A large import sets the insert triggers aside and stands in for them once at the end:
    /// the file's keyed digests still match its rows (`verify`), the search signatures and the
    /// cases' copy of the head's pinyin are what the triggers give, the triggers are back, and
    /// a change made outside the program before an import is still found after it.
    @Test func anImportKeepsTheGuardedDigestsAndTheDerivedColumns() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("office.sqlite").path
        let s = try ImportFixture.store(file: path)
        let first = try ImportFixture.check(try ImportFixture.copy("merged-header.xlsx"), s)
        let r = try first.importNow(store: s, user: "jingban", again: false, skipBadRows: false, catalog: ImportFixture.catalog)
        #expect(r.cases > 0)
        #expect(try s.verifyAudit() == .intact(rows: try s.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit") ?? 0 }))
        let triggers = try s.read { try Set(String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'")) }
        for name in ["person_sig_on_insert", "person_id_sig_on_insert", "case_head_py_on_insert", "jz_guard_assistance_case_ins", "jz_guard_case_step_ins"] {
            #expect(triggers.contains(name), "\(name) is not back after the import")
        }
        // What the triggers would have given, row by row: fire them on every row and compare.
        let derived = { () throws -> [String] in
            try s.read { db in
                try String.fetchAll(db, sql: "SELECT id || ':' || ifnull(search_sig, '') FROM household ORDER BY id")
                    + String.fetchAll(db, sql: "SELECT id || ':' || ifnull(id_sig, '') FROM household ORDER BY id")
                    + String.fetchAll(db, sql: "SELECT id || ':' || ifnull(head_py, '') FROM assistance_case ORDER BY id")
                    + String.fetchAll(db, sql: "SELECT id || ':' || ifnull(id_sig, '') FROM assistance_case ORDER BY id")
            }
        }
        let after = try derived()
        #expect(after.allSatisfy { !$0.hasSuffix(":") }, "\(after)")
        try s.write { db in
            try db.execute(sql: "UPDATE person SET name = name")
            try db.execute(sql: "UPDATE assistance_case SET household_id = household_id")
        }
        #expect(try derived() == after)
        // A SQLite tool changes an imported amount behind the program's back, then a second
        // file is imported: the digest is extended by the new rows, not worked out afresh, so
        // the change is still found.
        let q = try DatabaseQueue(path: path)
        try q.write { db in
            try db.execute(sql: "DROP TRIGGER jz_guard_assistance_case_upd")
            try db.execute(sql: "UPDATE assistance_case SET monthly_amount_fen = 99999999 WHERE id = 1")
        }
        try q.close()
        try s.write { db in try Guarded.installTriggers(db) }
        let second = try ImportFixture.check(try ImportFixture.copy("roll-15digit.xls"), s)
        _ = try second.importNow(store: s, user: "jingban", again: false, skipBadRows: false, catalog: ImportFixture.catalog)
        switch try s.verifyAudit() {
        case .broken(_, let why): #expect(why.text(.en).contains("assistance_case") && !why.text(.en).contains("triggers"), "\(why)")
        default: Issue.record("a changed amount passed verify after an import")
        }
    }
}
