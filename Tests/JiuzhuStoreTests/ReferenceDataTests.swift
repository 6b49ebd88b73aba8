import Foundation
import GRDB
import JiuzhuModel
@testable import JiuzhuStore
import Testing

private let repoRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
private let dataDir = repoRoot.appendingPathComponent("data")

private func date(_ s: String) -> CivilDate { CivilDate(iso: s)! }

/// A scratch copy of data/ whose files a test may spoil.
private func scratchData() throws -> URL {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("jiuzhu-refdata-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for f in try FileManager.default.contentsOfDirectory(atPath: dataDir.path) {
        try FileManager.default.copyItem(at: dataDir.appendingPathComponent(f), to: dir.appendingPathComponent(f))
    }
    return dir
}

private func loadError(_ dir: URL) -> ReferenceDataError? {
    do { _ = try ReferenceData.load(from: dir); return nil } catch let e as ReferenceDataError { return e } catch {
        Issue.record("unexpected error \(error)"); return nil
    }
}

private func installed(_ ref: ReferenceData) throws -> DatabaseQueue {
    let q = try DatabaseQueue()
    try q.write { db in
        try ReferenceData.createTables(db)
        try ref.install(in: db)
    }
    return q
}

@Suite struct ReferenceDataTests {
    let ref: ReferenceData

    init() throws { ref = try ReferenceData.load(from: dataDir) }

    // MARK: Code lists

    @Test func ethnicitiesAreTheFiftySixPlusTwo() {
        let e = ref.codes(.ethnicity)
        #expect(e.count == 58)
        for n in 1...56 { #expect(ref.code(.ethnicity, String(format: "%02d", n)) != nil, "ethnicity \(n)") }
        #expect(ref.code(.ethnicity, "01")?.zh == "汉族")
        #expect(ref.code(.ethnicity, "07")?.zh == "彝族")
        #expect(ref.code(.ethnicity, "07")?.en == "Yi")
        #expect(ref.code(.ethnicity, "97")?.zh == "其他")
        #expect(ref.code(.ethnicity, "98")?.zh == "外国血统中国籍人士")
        #expect(Set(e.map(\.zh)).count == 58)
    }

    @Test func relationshipsCoverTheDemoAndKnowGenerations() {
        for c in ["01", "02", "10", "11", "12", "20", "30", "41", "42", "51", "52", "71", "73", "75", "77", "80", "99"] {
            #expect(ref.code(.relationship, c) != nil, "relationship \(c)")
        }
        #expect(ref.code(.relationship, Person.headRelation)?.zh == "户主")
        #expect(ref.code(.relationship, "02")?.generation == 0)
        #expect(ref.code(.relationship, "12")?.generation == 0)
        #expect(ref.code(.relationship, "20")?.generation == -1)
        #expect(ref.code(.relationship, "41")?.generation == -2)
        #expect(ref.code(.relationship, "51")?.generation == 1)
        #expect(ref.code(.relationship, "61")?.generation == 2)
        #expect(ref.code(.relationship, "99")?.generation == nil)
        #expect(ref.codes(.relationship).map(\.sort) == Array(1...ref.codes(.relationship).count))
    }

    @Test func smallListsHaveTheirCodes() {
        #expect(ref.codes(.disabilityType).map(\.code) == ["1", "2", "3", "4", "5", "6", "7"])
        #expect(ref.codes(.disabilityType).map(\.zh).first == "视力残疾")
        #expect(ref.codes(.disabilityLevel).map(\.code) == ["1", "2", "3", "4"])
        #expect(ref.codes(.povertyCause).map(\.code) == ["illness", "disability", "disaster", "no_labour", "no_skill", "sanwu", "other"])
        #expect(ref.codes(.health).map(\.code) == Health.allCases.map(\.rawValue))
        #expect(ref.codes(.workAbility).map(\.code) == WorkAbility.allCases.map(\.rawValue))
    }

    @Test func everyIncomeKindIsCountedOrExcluded() {
        let kinds = ref.codes(.incomeKind)
        #expect(!kinds.isEmpty)
        for k in kinds { #expect(k.counted != nil, "income kind \(k.code)") }
        let counted = Set(kinds.filter { $0.counted == true }.map(\.code))
        let excluded = Set(kinds.filter { $0.counted == false }.map(\.code))
        #expect(counted.isSuperset(of: ["wages", "farming", "business", "property", "pension", "support"]))
        #expect(excluded.isSuperset(of: ["youfu", "one_child", "scholarship", "bravery", "relief", "new_job_wages"]))
    }

    // MARK: Standards

    @Test func everyProgrammeHasItsStandards() {
        let needed = [("rural_dibao", "rural"), ("urban_dibao", "urban"), ("tekun", "concentrated"),
                      ("tekun", "dispersed"), ("tekun", "care_self"), ("tekun", "care_semi"), ("tekun", "care_full"),
                      ("tekun", "supporter_line"), ("temporary", "any")]
        for (p, a) in needed {
            #expect(ref.standard(programme: p, area: a, on: date("2026-06-30")) != nil, "\(p)/\(a)")
        }
        // 医疗救助: 起付标准, ratio and cap per category (data/medical_assistance.csv), 资助参保 per year.
        for c in MedicalCategory.allCases {
            #expect(MedicalRule.inForce(ref.medicalRules, c, on: date("2026-06-30")) != nil, "\(c)")
        }
        #expect(ref.premiumSubsidies.contains { $0.year == 2026 && $0.category == .tekun && $0.full })
        #expect(ref.codes(.institution).first?.extra.isEmpty == false)
        #expect(ref.standard(programme: "rural_dibao", area: "rural", on: date("2026-06-30"))?.period == .month)
        #expect(ref.standard(programme: "tekun", area: "dispersed", on: date("2026-06-30"))?.period == .year)
    }

    @Test func standardInForceAroundEachEffectiveDate() throws {
        let q = try installed(ref)
        let groups = Dictionary(grouping: ref.standards) { "\($0.programme)|\($0.area)" }
        for (_, list) in groups {
            let sorted = list.sorted { $0.effectiveFrom < $1.effectiveFrom }
            for (i, s) in sorted.enumerated() {
                let before = i == 0 ? nil : sorted[i - 1].amount
                for (day, want) in [(s.effectiveFrom.adding(days: -1), before),
                                    (s.effectiveFrom, s.amount),
                                    (s.effectiveFrom.adding(days: 1), s.amount)] {
                    #expect(ref.standard(programme: s.programme, area: s.area, on: day)?.amount == want,
                            "\(s.programme)/\(s.area) on \(day)")
                    let fromDB = try q.read { try ReferenceData.standard($0, programme: s.programme, area: s.area, on: day) }
                    #expect(fromDB == want, "\(s.programme)/\(s.area) on \(day) from the store")
                }
                if i > 0 { #expect(s.amount >= sorted[i - 1].amount, "standards do not fall") }
            }
        }
        let rural = try q.read { try ReferenceData.standard($0, programme: "rural_dibao", area: "rural", on: date("2025-06-30")) }
        #expect(rural == Money(yuanText: "550.00"))
        #expect(try q.read { try ReferenceData.standard($0, programme: "rural_dibao", area: "rural", on: date("2020-01-01")) } == nil)
        #expect(try q.read { try ReferenceData.standard($0, programme: "rural_dibao", area: "urban", on: date("2025-06-30")) } == nil)
    }

    // MARK: The store

    @Test func installReadsBack() throws {
        let q = try installed(ref)
        try q.read { db in
            let total = ref.codes.values.reduce(0) { $0 + $1.count }
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM ref_code") == total)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM standard") == ref.standards.count)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM holiday") == ref.holidays.count)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM setting") == ref.settings.count)
            #expect(try ReferenceData.codes(db, kind: .ethnicity) == ref.codes(.ethnicity))
            #expect(try ReferenceData.codes(db, kind: .relationship) == ref.codes(.relationship))
            #expect(try ReferenceData.code(db, kind: .incomeKind, code: "youfu")?.extra == "excluded")
            #expect(try ReferenceData.code(db, kind: .relationship, code: "52")?.extra == "1")
            #expect(try ReferenceData.holidays(db) == ref.holidays)
            #expect(try ReferenceData.setting(db, key: "lockout_attempts") == "5")
            #expect(try ReferenceData.setting(db, key: "benefit_rounding") == "up_yuan")
            #expect(try Int.fetchOne(db, sql: "SELECT version FROM setting WHERE key = 'publicity_days'") == 1)
            let fen = try Int64.fetchOne(db, sql: """
                SELECT amount_fen FROM standard WHERE programme = 'urban_dibao' AND effective_from = '2026-01-01'
                """)
            #expect(fen == 78_000)
        }
    }

    @Test func installTwiceIsIdempotentAndKeepsAnOfficesSetting() throws {
        let q = try installed(ref)
        func snapshot(_ db: Database) throws -> [String] {
            try String.fetchAll(db, sql: """
                SELECT kind || '|' || code || '|' || zh || '|' || en || '|' || extra || '|' || sort FROM ref_code
                UNION ALL SELECT programme || '|' || area || '|' || effective_from || '|' || amount_fen || '|' || period FROM standard
                UNION ALL SELECT date || '|' || kind || '|' || name FROM holiday
                UNION ALL SELECT key || '|' || value || '|' || description || '|' || version FROM setting
                ORDER BY 1
                """)
        }
        let first = try q.read(snapshot)
        try q.write { try ref.install(in: $0) }
        #expect(try q.read(snapshot) == first)

        try q.write { db in
            try db.execute(sql: "UPDATE setting SET value = '9', version = version + 1 WHERE key = 'lockout_attempts'")
            try db.execute(sql: "DELETE FROM setting WHERE key = 'publicity_days'")
            try db.execute(sql: "INSERT INTO ref_code (kind, code, zh, en, sort) VALUES ('ethnicity', '57', '旧码', 'stale', 99)")
            try db.execute(sql: "UPDATE ref_code SET zh = '改过' WHERE kind = 'ethnicity' AND code = '01'")
            try db.execute(sql: "INSERT INTO holiday (date, kind, name) VALUES ('2023-12-25', 'off', 'stale')")
            try ref.install(in: db)
        }
        try q.read { (db: Database) throws in
            #expect(try ReferenceData.setting(db, key: "lockout_attempts") == "9")
            #expect(try Int.fetchOne(db, sql: "SELECT version FROM setting WHERE key = 'lockout_attempts'") == 2)
            #expect(try ReferenceData.setting(db, key: "publicity_days") == "7")
            #expect(try ReferenceData.code(db, kind: .ethnicity, code: "57") == nil)
            #expect(try ReferenceData.code(db, kind: .ethnicity, code: "01")?.zh == "汉族")
            #expect(try ReferenceData.holidays(db) == ref.holidays)
        }
    }

    // MARK: Malformed and Excel-shaped files

    @Test func aBadAmountNamesFileAndLine() throws {
        let dir = try scratchData()
        defer { try? FileManager.default.removeItem(at: dir) }
        var lines = try String(contentsOf: dir.appendingPathComponent("standards.csv"), encoding: .utf8)
            .components(separatedBy: "\n")
        lines[6] = "rural_dibao,rural,2027-01-01,5x0,month,"   // line 7
        try lines.joined(separator: "\n").write(to: dir.appendingPathComponent("standards.csv"), atomically: true, encoding: .utf8)
        let e = try #require(loadError(dir))
        #expect(e.file == "standards.csv")
        #expect(e.line == 7)
        #expect(e.description == "standards.csv line 7: amount_yuan \"5x0\" is not an amount")
    }

    @Test func otherProblemsAreNamedToo() throws {
        let dir = try scratchData()
        defer { try? FileManager.default.removeItem(at: dir) }
        func with(_ file: String, _ text: String) -> ReferenceDataError? {
            try? text.write(to: dir.appendingPathComponent(file), atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: dir.appendingPathComponent(file))
                    try? FileManager.default.copyItem(at: dataDir.appendingPathComponent(file), to: dir.appendingPathComponent(file)) }
            return loadError(dir)
        }
        let cases: [(String, String, Int?, String)] = [
            ("holidays.csv", "date,kind,name\n2025-10-01,off,国庆节\n2025-10-01,off,again\n", 3, "already on line 2"),
            ("holidays.csv", "date,kind,name\n2025-09-29,workday,国庆节调休上班\n", 2, "weekday"),
            ("holidays.csv", "date,kind,name\n2025-13-01,off,x\n", 2, "not a date"),
            ("income_kinds.csv", "code,zh,en,counted\nwages,工资,wages,maybe\n", 2, "not yes or no"),
            ("relationships.csv", "code,zh,en\n01,本人,self\n", 1, "no column \"generation\""),
            ("relationships.csv", "code,zh,en,generation\n01,本人,self,0\n\n02,户主,head,x\n", 4, "generation"),
            ("health.csv", "code,zh,en\nhealthy,健康,healthy\nsick,病,sick\n", 3, "only zh and en"),
            ("relationships.csv", "code,zh,en,generation\n01,本人,self,0\n", nil, "户主"),
            ("health.csv", "code,zh,en\nhealthy,健康,healthy\n", nil, "missing"),
            ("settings.csv", "key,value,description\nlockout_attempts,five,x\n", 2, "whole number"),
            ("standards.csv", "programme,area,effective_from,amount_yuan,period\nrural_dibao,rural,2024-01-01,500,week\n", 2, "period"),
            ("standards.csv", "programme,area,effective_from,amount_yuan,period\nrural_dibao,rual,2024-01-01,500,month\n", 2, "area"),
            ("poverty_causes.csv", "code,zh,en\nillness,因病,illness\nbad\"quote,x,y\n", 3, "quotation mark"),
            ("ethnicities.csv", "code,zh,en\n01,汉族,Han,extra\n", 2, "beyond"),
        ]
        for (file, text, line, fragment) in cases {
            let e = with(file, text)
            #expect(e?.file == file, "\(file): \(text)")
            #expect(e?.line == line, "\(String(describing: e))")
            #expect(e?.message.contains(fragment) == true, "\(String(describing: e)) should say \(fragment)")
        }
        try FileManager.default.removeItem(at: dir.appendingPathComponent("health.csv"))
        #expect(loadError(dir)?.message.contains("missing") == true)
    }

    @Test func excelShapedFilesLoad() throws {
        let dir = try scratchData()
        defer { try? FileManager.default.removeItem(at: dir) }
        // BOM, CRLF, quoted fields with commas and doubled quotes, a field over two lines,
        // columns in another order, an extra notes column, leading zeros dropped, blank rows.
        let text = "\u{FEFF}en,zh,code,generation,备注\r\n"
            + "self,本人,1,0,\r\n"
            + "head,户主,2,0,\"the \"\"head\"\", who applies\"\r\n"
            + ",,,,\r\n"
            + "\"spouse, either\",配偶,10,0,\"two\r\nlines\"\r\n"
            + "bad,坏,11,zz,\r\n"
        try text.write(to: dir.appendingPathComponent("relationships.csv"), atomically: true, encoding: .utf8)
        let e = try #require(loadError(dir))
        #expect(e.file == "relationships.csv")
        #expect(e.line == 7, "the blank row and the two-line field still count as lines")

        try text.replacingOccurrences(of: "bad,坏,11,zz,\r\n", with: "")
            .write(to: dir.appendingPathComponent("relationships.csv"), atomically: true, encoding: .utf8)
        let r = try ReferenceData.load(from: dir)
        #expect(r.codes(.relationship).map(\.code) == ["01", "02", "10"])
        #expect(r.code(.relationship, "10")?.en == "spouse, either")

        // Excel's plain "CSV" on a Chinese Windows writes GB18030.
        let gb = "code,zh,en\nhealthy,健康,healthy\nchronic,慢性病,chronic\nserious,大病,serious\ndisabled,残疾,disabled\n"
        try #require(gb.data(using: ReferenceCSV.gb18030)).write(to: dir.appendingPathComponent("health.csv"))
        #expect(try ReferenceData.load(from: dir).code(.health, "chronic")?.zh == "慢性病")

        // Excel's own dates and amounts.
        try "programme,area,effective_from,amount_yuan,period\r\nrural_dibao,rural,2024/1/1,\"1,525\",month\r\n"
            .write(to: dir.appendingPathComponent("standards.csv"), atomically: true, encoding: .utf8)
        let s = try ReferenceData.load(from: dir).standards
        #expect(s == [Standard(programme: "rural_dibao", area: "rural", effectiveFrom: date("2024-01-01"),
                               amount: Money(yuan: 1525), period: .month)])
    }

    // MARK: Working days

    @Test func nationalDay2025() {
        let h = ref.holidays
        #expect(ReferenceData.isWorkingDay(date("2025-09-26"), holidays: h))        // Friday
        #expect(!ReferenceData.isWorkingDay(date("2025-09-27"), holidays: h))       // Saturday
        #expect(ReferenceData.isWorkingDay(date("2025-09-28"), holidays: h))        // Sunday, 调休上班
        for d in 1...8 {
            #expect(!ReferenceData.isWorkingDay(date("2025-10-0\(d)"), holidays: h), "10-\(d) is off")
        }
        #expect(ReferenceData.isWorkingDay(date("2025-10-09"), holidays: h))
        #expect(ReferenceData.isWorkingDay(date("2025-10-11"), holidays: h))        // Saturday, 调休上班
        #expect(!ReferenceData.isWorkingDay(date("2025-10-12"), holidays: h))       // Sunday

        #expect(ReferenceData.addWorkingDays(from: date("2025-09-30"), count: 1, holidays: h) == date("2025-10-09"))
        #expect(ReferenceData.addWorkingDays(from: date("2025-09-26"), count: 1, holidays: h) == date("2025-09-28"))
        #expect(ReferenceData.addWorkingDays(from: date("2025-09-25"), count: 15, holidays: h) == date("2025-10-22"))
        #expect(ReferenceData.addWorkingDays(from: date("2025-09-25"), count: 0, holidays: h) == date("2025-09-25"))
        #expect(ReferenceData.addWorkingDays(from: date("2025-10-09"), count: -1, holidays: h) == date("2025-09-30"))
        let cal = ref.calendar
        #expect(cal.workingDays(from: date("2025-09-25"), to: date("2025-10-22")) == 15)
        #expect(cal.workingDays(from: date("2025-10-22"), to: date("2025-09-25")) == -15)
        #expect(cal.covers(date("2026-03-01")) && !cal.covers(date("2027-03-01")))
    }

    @Test func makeUpSaturdaysAndTheCalendarFromTheStore() throws {
        let q = try installed(ref)
        let cal = try q.read { try ReferenceData.workingCalendar($0) }
        #expect(cal == ref.calendar)
        #expect(cal.isWorkingDay(date("2026-02-14")))     // Saturday before 春节 2026
        #expect(cal.isWorkingDay(date("2026-02-28")))     // Saturday after it
        #expect(!cal.isWorkingDay(date("2026-02-23")))    // Monday, 正月初七
        #expect(cal.isWorkingDay(date("2024-05-11")))     // Saturday, 劳动节 2024
        #expect(cal.isWorkingDay(date("2024-02-09")))     // 除夕 2024: the notice only encouraged a day off
        // Each year the notice adds as many weekday holidays net of make-up days as the law grants.
        for (year, statutory) in [(2024, 11), (2025, 13), (2026, 13)] {
            let rows = ref.holidays.filter { $0.date.year == year }
            let weekdayOff = rows.filter { $0.kind == .off && $0.date.weekday < 5 }.count
            let workdays = rows.filter { $0.kind == .workday }.count
            #expect(weekdayOff - workdays == statutory, "\(year)")
        }
    }

    // MARK: Settings and the data folder

    @Test func settingsAreTyped() {
        #expect(ref.setting("lockout_minutes") == "15")
        #expect(ref.setting("confirm_delegated") == "no")
        #expect(ref.setting("urban_recheck_months_c") == "3")
        for s in ref.settings { #expect(ReferenceData.problem(withSetting: s.key, value: s.value) == nil, "\(s.key)") }
        #expect(ReferenceData.problem(withSetting: "spotcheck_percent", value: "130") != nil)
        #expect(ReferenceData.problem(withSetting: "benefit_rounding", value: "up") != nil)
        #expect(ReferenceData.problem(withSetting: "anything_new", value: "whatever") == nil)
        #expect(AddOnAmount(settingText: "10%") == .percent(basisPoints: 1000))
        #expect(AddOnAmount(settingText: "12.5％") == .percent(basisPoints: 1250))
        #expect(AddOnAmount(settingText: "50") == .fixed(Money(yuan: 50)))
        #expect(AddOnAmount(settingText: "ten") == nil)
        #expect(AddOnAmount.percent(basisPoints: 1000).amount(standard: Money(yuan: 575)) == Money(fen: 5750))
    }

    /// Every setting means something in both languages: data/settings.csv gives each row an
    /// English meaning (description_en) beside the Chinese, and every setting the program reads
    /// is in the file.
    @Test func everySettingHasAnEnglishMeaning() throws {
        let meanings = try ReferenceData.settingMeanings(from: dataDir)
        #expect(meanings.count == ref.settings.count)
        for s in ref.settings {
            #expect(!s.description.isEmpty, "\(s.key) has no Chinese meaning")
            #expect(!s.descriptionEn.isEmpty, "\(s.key) has no English meaning (description_en)")
            #expect(s.descriptionEn != s.description, "\(s.key)")
            #expect(meanings[s.key] == Text2(zh: s.description, en: s.descriptionEn))
        }
        for key in ReferenceData.settingKinds.keys { #expect(meanings[key] != nil, "\(key) is read by the program but not in data/settings.csv") }
        // A county's older file without the column still loads; English falls back to the Chinese.
        let dir = try scratchData()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "key,value,description\nlockout_attempts,5,连续输错\n".write(to: dir.appendingPathComponent("settings.csv"), atomically: true, encoding: .utf8)
        #expect(try ReferenceData.settingMeanings(from: dir)["lockout_attempts"] == Text2(zh: "连续输错", en: "连续输错"))
    }

    @Test func findsTheDataFolder() throws {
        #expect(ReferenceData.defaultDirectory(environment: ["JIUZHU_HOME": repoRoot.path], executable: nil,
                                               currentDirectory: URL(fileURLWithPath: "/"))?.standardizedFileURL
                == dataDir.standardizedFileURL)
        let exe = repoRoot.appendingPathComponent(".build/debug/jiuzhu")
        #expect(ReferenceData.defaultDirectory(environment: [:], executable: exe,
                                               currentDirectory: URL(fileURLWithPath: "/"))?.standardizedFileURL
                == dataDir.standardizedFileURL)
        #expect(ReferenceData.defaultDirectory(environment: ["JIUZHU_HOME": "/nonexistent"], executable: nil,
                                               currentDirectory: repoRoot)?.standardizedFileURL
                == dataDir.standardizedFileURL)
        #expect(ReferenceData.defaultDirectory(environment: [:], executable: URL(fileURLWithPath: "/usr/bin/jiuzhu"),
                                               currentDirectory: URL(fileURLWithPath: "/")) == nil)
    }
}
