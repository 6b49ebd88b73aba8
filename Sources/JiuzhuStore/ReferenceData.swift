import Foundation
import GRDB
import JiuzhuModel

/// One entry of a code list (relationships, ethnicities, ...), as it sits in `ref_code`.
public struct RefCode: Hashable, Sendable {
    public var kind: String
    public var code: String
    public var zh: String
    public var en: String
    /// Per kind: relationship → generation relative to the head ("-1", "" when unknown);
    /// income_kind → "counted" or "excluded"; ethnicity → the GB/T 3304 letter code.
    public var extra: String
    /// Order in the file, from 1.
    public var sort: Int

    public init(kind: String, code: String, zh: String, en: String, extra: String = "", sort: Int) {
        self.kind = kind; self.code = code; self.zh = zh; self.en = en; self.extra = extra; self.sort = sort
    }

    public func label(_ lang: Lang) -> String { lang == .zh ? zh : en }

    /// Relationships: generations relative to the head (+1 parents, -1 children), nil when unknown.
    public var generation: Int? { kind == RefCodeKind.relationship.rawValue ? Int(extra) : nil }

    /// Income kinds: whether the income counts towards household income.
    public var counted: Bool? {
        guard kind == RefCodeKind.incomeKind.rawValue else { return nil }
        return extra == "counted" ? true : extra == "excluded" ? false : nil
    }
}

/// The code lists kept in `ref_code`, and the file each comes from.
public enum RefCodeKind: String, CaseIterable, Sendable {
    case relationship
    case ethnicity
    case disabilityType = "disability_type"
    case disabilityLevel = "disability_level"
    case povertyCause = "poverty_cause"
    case incomeKind = "income_kind"
    case health
    case workAbility = "work_ability"
    /// 开户银行: the banks a household's card may be with (a county adds its local ones).
    case bank
    /// 灾害种类 and 救灾物资 (with the unit they are counted in, column `unit`): disaster work.
    case disasterKind = "disaster_kind"
    case reliefItem = "relief_item"
    /// 供养服务机构 (敬老院) where 特困 persons live under 集中供养; extra: the account paid.
    case institution

    public var file: String {
        switch self {
        case .relationship: return "relationships.csv"
        case .ethnicity: return "ethnicities.csv"
        case .disabilityType: return "disability_types.csv"
        case .disabilityLevel: return "disability_levels.csv"
        case .povertyCause: return "poverty_causes.csv"
        case .incomeKind: return "income_kinds.csv"
        case .health: return "health.csv"
        case .workAbility: return "work_ability.csv"
        case .bank: return "banks.csv"
        case .disasterKind: return "disaster_kinds.csv"
        case .reliefItem: return "relief_items.csv"
        case .institution: return "institutions.csv"
        }
    }

    /// Codes that are numbers of a fixed width in their standard. Excel drops leading zeros
    /// ("01" → "1") when a county opens and saves the file, so they are padded back.
    var codeWidth: Int? {
        switch self {
        case .relationship, .ethnicity: return 2
        default: return nil
        }
    }

    /// Codes the program itself switches on: the file may relabel them, not add or drop any.
    var fixedCodes: [String]? {
        switch self {
        case .health: return Health.allCases.map(\.rawValue)
        case .workAbility: return WorkAbility.allCases.map(\.rawValue)
        default: return nil
        }
    }
}

/// A benefit standard (保障标准) in force from a date until the next one for the same
/// programme and area.
public struct Standard: Hashable, Sendable {
    public enum Period: String, CaseIterable, Sendable {
        case month
        case year
        /// Per event, e.g. the 临时救助 base amount per time.
        case once
        /// Per person per day (受灾 应急期 and 过渡期生活救助).
        case day
    }

    /// A `Programme` code: rural_dibao, urban_dibao, tekun, temporary, medical, disaster.
    public var programme: String
    /// rural, urban, concentrated (集中供养), dispersed (分散供养) or any.
    public var area: String
    public var effectiveFrom: CivilDate
    public var amount: Money
    public var period: Period

    public init(programme: String, area: String, effectiveFrom: CivilDate, amount: Money, period: Period) {
        self.programme = programme; self.area = area; self.effectiveFrom = effectiveFrom
        self.amount = amount; self.period = period
    }

    /// The disaster ones: 应急期 and 过渡期 per person per day, 冬春救助 per person for the
    /// season by need (口粮, 衣被, 取暖).
    /// care_self / care_semi / care_full: 特困 照料护理标准 by 生活自理能力; supporter_line: 当地上年
    /// 人均可支配收入, the line for a legal supporter's ability (民发〔2021〕43号 第八条).
    public static let areas = ["rural", "urban", "concentrated", "dispersed", "any",
                               "emergency", "transition", "winter_food", "winter_clothing", "winter_heating",
                               "care_self", "care_semi", "care_full", "supporter_line"]
}

/// The reference data in `data/`: code lists, benefit standards, holidays and setting
/// defaults, loaded from the CSV files and installed into the store.
public struct ReferenceData: Sendable {
    public struct Setting: Hashable, Sendable {
        public var key: String
        public var value: String
        /// What the setting means, in Chinese (`description`) and English (`description_en`).
        public var description: String
        public var descriptionEn: String
        public init(key: String, value: String, description: String, descriptionEn: String = "") {
            self.key = key; self.value = value; self.description = description; self.descriptionEn = descriptionEn
        }
        /// The meaning in both languages (English falls back to the Chinese when the file has none).
        public var meaning: Text2 { Text2(zh: description, en: descriptionEn.isEmpty ? description : descriptionEn) }
    }

    /// Code lists by kind (`RefCodeKind` raw values), each in file order.
    public var codes: [String: [RefCode]]
    public var standards: [Standard]
    public var holidays: [Holiday]
    /// Defaults, in file order; `install` adds those an office does not have yet.
    public var settings: [Setting]
    /// 医疗救助 起付标准, ratio and cap per category (MedicalReference.swift).
    public var medicalRules: [MedicalRule] = []
    /// 资助参保 per year and category.
    public var premiumSubsidies: [PremiumSubsidy] = []

    public init(codes: [String: [RefCode]], standards: [Standard], holidays: [Holiday], settings: [Setting],
                medicalRules: [MedicalRule] = [], premiumSubsidies: [PremiumSubsidy] = []) {
        self.codes = codes; self.standards = standards; self.holidays = holidays; self.settings = settings
        self.medicalRules = medicalRules; self.premiumSubsidies = premiumSubsidies
    }

    public static let settingsFile = "settings.csv"
    public static let standardsFile = "standards.csv"
    public static let holidaysFile = "holidays.csv"

    // MARK: - Loading

    /// Reads every reference file in `directory`. Throws `ReferenceDataError` naming the file,
    /// the line and what is wrong at the first problem found.
    public static func load(from directory: URL) throws -> ReferenceData {
        var codes: [String: [RefCode]] = [:]
        for kind in RefCodeKind.allCases {
            codes[kind.rawValue] = try loadCodes(kind, from: directory)
        }
        return ReferenceData(codes: codes,
                             standards: try loadStandards(from: directory),
                             holidays: try loadHolidays(from: directory),
                             settings: try loadSettings(from: directory),
                             medicalRules: try loadMedicalRules(from: directory),
                             premiumSubsidies: try loadPremiumSubsidies(from: directory))
    }

    static func loadCodes(_ kind: RefCodeKind, from directory: URL) throws -> [RefCode] {
        var required = ["code", "zh", "en"]
        if kind == .relationship { required.append("generation") }
        if kind == .incomeKind { required.append("counted") }
        if kind == .reliefItem { required.append("unit") }
        let csv = try ReferenceCSV(directory: directory, file: kind.file, required: required)

        var out: [RefCode] = []
        var lineOf: [String: Int] = [:]
        for row in csv.rows {
            var code = row["code"]
            guard !code.isEmpty else { throw csv.error(row, "code is empty") }
            guard !code.contains(where: \.isWhitespace) else { throw csv.error(row, "code \"\(code)\" contains a space") }
            if let w = kind.codeWidth {
                guard code.allSatisfy({ $0.isASCII && $0.isNumber }), code.count <= w else {
                    throw csv.error(row, "code \"\(code)\" is not a number of at most \(w) digits")
                }
                code = String(repeating: "0", count: w - code.count) + code
            }
            if let first = lineOf[code] { throw csv.error(row, "code \(code) is already on line \(first)") }
            lineOf[code] = row.line
            let zh = row["zh"]
            guard !zh.isEmpty else { throw csv.error(row, "zh (the Chinese name) is empty for code \(code)") }
            let en = row["en"].isEmpty ? zh : row["en"]

            var extra = ""
            switch kind {
            case .relationship:
                let g = row["generation"]
                if !g.isEmpty {
                    guard let n = Int(g), (-5...5).contains(n) else {
                        throw csv.error(row, "generation \"\(g)\" is not a whole number from -5 to 5 (or empty when unknown)")
                    }
                    extra = String(n)
                }
            case .incomeKind:
                guard let counted = yesNo(row["counted"]) else {
                    throw csv.error(row, "counted \"\(row["counted"])\" is not yes or no")
                }
                extra = counted ? "counted" : "excluded"
            case .ethnicity:
                extra = row["alpha"]
            case .reliefItem:
                // The unit in Chinese, and in English after a bar when the file gives it.
                guard !row["unit"].isEmpty else { throw csv.error(row, "unit is empty for code \(code)") }
                extra = row["unit_en"].isEmpty ? row["unit"] : row["unit"] + "|" + row["unit_en"]
            case .institution:
                extra = row["account"]
            default:
                break
            }
            if let fixed = kind.fixedCodes, !fixed.contains(code) {
                throw csv.error(row, "code \"\(code)\" is not one the program knows (\(fixed.joined(separator: ", "))); only zh and en may be changed")
            }
            out.append(RefCode(kind: kind.rawValue, code: code, zh: zh, en: en, extra: extra, sort: out.count + 1))
        }
        if let fixed = kind.fixedCodes, let missing = fixed.first(where: { lineOf[$0] == nil }) {
            throw ReferenceDataError(file: kind.file, message: "code \"\(missing)\" is missing; the program needs all of \(fixed.joined(separator: ", "))")
        }
        if kind == .relationship && lineOf[Person.headRelation] == nil {
            throw ReferenceDataError(file: kind.file, message: "code \(Person.headRelation) (户主, head of household) is missing; every household needs it")
        }
        if out.isEmpty { throw ReferenceDataError(file: kind.file, message: "the file has no codes") }
        return out
    }

    static func loadStandards(from directory: URL) throws -> [Standard] {
        let csv = try ReferenceCSV(directory: directory, file: standardsFile,
                                   required: ["programme", "area", "effective_from", "amount_yuan", "period"])
        var out: [Standard] = []
        var lineOf: [String: Int] = [:]
        for row in csv.rows {
            let programme = row["programme"]
            guard Programme(rawValue: programme) != nil else {
                throw csv.error(row, "programme \"\(programme)\" is not one of \(Programme.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let area = row["area"]
            guard Standard.areas.contains(area) else {
                throw csv.error(row, "area \"\(area)\" is not one of \(Standard.areas.joined(separator: ", "))")
            }
            guard let from = CivilDate(iso: row["effective_from"]) else {
                throw csv.error(row, "effective_from \"\(row["effective_from"])\" is not a date (YYYY-MM-DD)")
            }
            guard let amount = Money(yuanText: row["amount_yuan"]) else {
                throw csv.error(row, "amount_yuan \"\(row["amount_yuan"])\" is not an amount")
            }
            guard amount.fen >= 0 else { throw csv.error(row, "amount_yuan \(amount) is negative") }
            guard let period = Standard.Period(rawValue: row["period"]) else {
                throw csv.error(row, "period \"\(row["period"])\" is not one of \(Standard.Period.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let key = "\(programme)/\(area)/\(from.iso)"
            if let first = lineOf[key] {
                throw csv.error(row, "\(programme) \(area) from \(from.iso) is already on line \(first)")
            }
            lineOf[key] = row.line
            out.append(Standard(programme: programme, area: area, effectiveFrom: from, amount: amount, period: period))
        }
        return out
    }

    static func loadHolidays(from directory: URL) throws -> [Holiday] {
        let csv = try ReferenceCSV(directory: directory, file: holidaysFile, required: ["date", "kind", "name"])
        var out: [Holiday] = []
        var lineOf: [CivilDate: Int] = [:]
        for row in csv.rows {
            guard let date = CivilDate(iso: row["date"]) else {
                throw csv.error(row, "date \"\(row["date"])\" is not a date (YYYY-MM-DD)")
            }
            guard let kind = Holiday.Kind(rawValue: row["kind"]) else {
                throw csv.error(row, "kind \"\(row["kind"])\" is not off or workday")
            }
            if kind == .workday && date.weekday < 5 {
                throw csv.error(row, "\(date.iso) is a weekday; a workday row is only for a Saturday or Sunday worked (调休上班)")
            }
            if let first = lineOf[date] { throw csv.error(row, "\(date.iso) is already on line \(first)") }
            lineOf[date] = row.line
            out.append(Holiday(date: date, kind: kind, name: row["name"]))
        }
        return out.sorted { $0.date < $1.date }
    }

    static func loadSettings(from directory: URL) throws -> [Setting] {
        let csv = try ReferenceCSV(directory: directory, file: settingsFile, required: ["key", "value", "description"])
        var out: [Setting] = []
        var lineOf: [String: Int] = [:]
        for row in csv.rows {
            let key = row["key"]
            guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw csv.error(row, "key \"\(key)\" must be letters, digits and _ only")
            }
            if let first = lineOf[key] { throw csv.error(row, "key \(key) is already on line \(first)") }
            lineOf[key] = row.line
            if let problem = problem(withSetting: key, value: row["value"]) { throw csv.error(row, problem) }
            out.append(Setting(key: key, value: row["value"], description: row["description"], descriptionEn: row["description_en"]))
        }
        return out
    }

    /// What each setting of `data/settings.csv` means, in both languages, read afresh from the
    /// file (the program's words, not an office's values: a database made by an older program
    /// shows today's meanings). A missing file gives none.
    public static func settingMeanings(from directory: URL) throws -> [String: Text2] {
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(settingsFile).path) else { return [:] }
        let csv = try ReferenceCSV(directory: directory, file: settingsFile, required: ["key", "description"])
        var out: [String: Text2] = [:]
        for row in csv.rows where !row["key"].isEmpty {
            out[row["key"]] = Setting(key: row["key"], value: "", description: row["description"], descriptionEn: row["description_en"]).meaning
        }
        return out
    }

    // MARK: - In memory

    public func codes(_ kind: RefCodeKind) -> [RefCode] { codes[kind.rawValue] ?? [] }

    public func code(_ kind: RefCodeKind, _ code: String) -> RefCode? {
        codes(kind).first { $0.code == code }
    }

    /// The standard in force on `date`: the latest one whose effective_from is on or before it.
    public func standard(programme: String, area: String, on date: CivilDate) -> Standard? {
        standards.filter { $0.programme == programme && $0.area == area && $0.effectiveFrom <= date }
            .max { $0.effectiveFrom < $1.effectiveFrom }
    }

    public var calendar: WorkingCalendar { WorkingCalendar(holidays: holidays) }

    public func setting(_ key: String) -> String? { settings.first { $0.key == key }?.value }

    // MARK: - Calendar

    public static func isWorkingDay(_ date: CivilDate, holidays: [Holiday]) -> Bool {
        WorkingCalendar(holidays: holidays).isWorkingDay(date)
    }

    /// `count` working days after `start`, the start day not counted (see `WorkingCalendar`).
    public static func addWorkingDays(from start: CivilDate, count: Int, holidays: [Holiday]) -> CivilDate {
        WorkingCalendar(holidays: holidays).adding(workingDays: count, to: start)
    }

    // MARK: - Finding data/

    /// Where the `data/` folder is: `$JIUZHU_HOME/data`, else the nearest `data/` holding
    /// `programmes.json` in the running program's folder or one above it, else `./data`.
    public static func defaultDirectory() -> URL? {
        let fm = FileManager.default
        let exe = Bundle.main.executableURL
            ?? CommandLine.arguments.first.map { URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: fm.currentDirectoryPath)) }
        return defaultDirectory(environment: ProcessInfo.processInfo.environment,
                                executable: exe,
                                currentDirectory: URL(fileURLWithPath: fm.currentDirectoryPath))
    }

    /// The search behind `defaultDirectory()`, with its inputs given (tests).
    public static func defaultDirectory(environment: [String: String], executable: URL?, currentDirectory: URL) -> URL? {
        func dataIn(_ dir: URL) -> URL? {
            let data = dir.appendingPathComponent("data")
            return FileManager.default.fileExists(atPath: data.appendingPathComponent("programmes.json").path) ? data : nil
        }
        if let home = environment["JIUZHU_HOME"], !home.isEmpty, let d = dataIn(URL(fileURLWithPath: home)) {
            return d
        }
        if let exe = executable {
            var dir = exe.standardizedFileURL.resolvingSymlinksInPath().deletingLastPathComponent()
            while true {
                if let d = dataIn(dir) { return d }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path || dir.path == "/" { break }
                dir = parent
            }
        }
        return dataIn(currentDirectory)
    }
}

// MARK: - The store

extension ReferenceData {
    /// Tables for reference data; the store's first migration calls this.
    public static func createTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE ref_code (
                kind TEXT NOT NULL,
                code TEXT NOT NULL,
                zh TEXT NOT NULL,
                en TEXT NOT NULL,
                extra TEXT NOT NULL DEFAULT '',
                sort INTEGER NOT NULL,
                PRIMARY KEY (kind, code)
            );
            CREATE TABLE standard (
                programme TEXT NOT NULL,
                area TEXT NOT NULL,
                effective_from TEXT NOT NULL,
                amount_fen INTEGER NOT NULL,
                period TEXT NOT NULL,
                PRIMARY KEY (programme, area, effective_from)
            );
            CREATE TABLE holiday (
                date TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                name TEXT NOT NULL
            );
            CREATE TABLE setting (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                version INTEGER NOT NULL DEFAULT 1
            );
            """)
    }

    /// Makes the store's code lists, standards and holidays exactly those loaded (rows are
    /// updated in place, so anything referring to a code that stays is untouched), and adds
    /// the settings the store lacks. A setting that exists is never changed: an office may
    /// have set its own value.
    public func install(in db: Database) throws {
        try db.inSavepoint {
            // ref_code
            var keep = Set<String>()
            for list in codes.values {
                for c in list {
                    try db.execute(sql: """
                        INSERT INTO ref_code (kind, code, zh, en, extra, sort) VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (kind, code) DO UPDATE SET
                            zh = excluded.zh, en = excluded.en, extra = excluded.extra, sort = excluded.sort
                        """, arguments: [c.kind, c.code, c.zh, c.en, c.extra, c.sort])
                    keep.insert(c.kind + "\u{1F}" + c.code)
                }
            }
            for row in try Row.fetchAll(db, sql: "SELECT kind, code FROM ref_code") {
                let kind: String = row["kind"], code: String = row["code"]
                if !keep.contains(kind + "\u{1F}" + code) {
                    try db.execute(sql: "DELETE FROM ref_code WHERE kind = ? AND code = ?", arguments: [kind, code])
                }
            }

            // standard
            keep = []
            for s in standards {
                try db.execute(sql: """
                    INSERT INTO standard (programme, area, effective_from, amount_fen, period) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (programme, area, effective_from) DO UPDATE SET
                        amount_fen = excluded.amount_fen, period = excluded.period
                    """, arguments: [s.programme, s.area, s.effectiveFrom.iso, s.amount.fen, s.period.rawValue])
                keep.insert([s.programme, s.area, s.effectiveFrom.iso].joined(separator: "\u{1F}"))
            }
            for row in try Row.fetchAll(db, sql: "SELECT programme, area, effective_from FROM standard") {
                let p: String = row["programme"], a: String = row["area"], f: String = row["effective_from"]
                if !keep.contains([p, a, f].joined(separator: "\u{1F}")) {
                    try db.execute(sql: "DELETE FROM standard WHERE programme = ? AND area = ? AND effective_from = ?",
                                   arguments: [p, a, f])
                }
            }

            // holiday
            keep = []
            for h in holidays {
                try db.execute(sql: """
                    INSERT INTO holiday (date, kind, name) VALUES (?, ?, ?)
                    ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, name = excluded.name
                    """, arguments: [h.date.iso, h.kind.rawValue, h.name])
                keep.insert(h.date.iso)
            }
            for date in try String.fetchAll(db, sql: "SELECT date FROM holiday") where !keep.contains(date) {
                try db.execute(sql: "DELETE FROM holiday WHERE date = ?", arguments: [date])
            }

            // setting: only the missing ones
            for s in settings {
                try db.execute(sql: """
                    INSERT INTO setting (key, value, description) VALUES (?, ?, ?)
                    ON CONFLICT (key) DO NOTHING
                    """, arguments: [s.key, s.value, s.description])
            }
            try installMedical(in: db)
            return .commit
        }
    }

    // MARK: Queries

    /// The amount of the standard in force on `date` (latest effective_from ≤ date), nil when
    /// none has started yet.
    public static func standard(_ db: Database, programme: String, area: String, on date: CivilDate) throws -> Money? {
        try standardInForce(db, programme: programme, area: area, on: date)?.amount
    }

    /// The whole standard row in force on `date`, with its period and start.
    public static func standardInForce(_ db: Database, programme: String, area: String, on date: CivilDate) throws -> Standard? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT effective_from, amount_fen, period FROM standard
            WHERE programme = ? AND area = ? AND effective_from <= ?
            ORDER BY effective_from DESC LIMIT 1
            """, arguments: [programme, area, date.iso]) else { return nil }
        let from: String = row["effective_from"], fen: Int64 = row["amount_fen"], period: String = row["period"]
        guard let d = CivilDate(iso: from), let p = Standard.Period(rawValue: period) else { return nil }
        return Standard(programme: programme, area: area, effectiveFrom: d, amount: Money(fen: fen), period: p)
    }

    /// A code list in display order.
    public static func codes(_ db: Database, kind: RefCodeKind) throws -> [RefCode] {
        try Row.fetchAll(db, sql: "SELECT kind, code, zh, en, extra, sort FROM ref_code WHERE kind = ? ORDER BY sort, code",
                         arguments: [kind.rawValue]).map(refCode)
    }

    public static func code(_ db: Database, kind: RefCodeKind, code: String) throws -> RefCode? {
        try Row.fetchOne(db, sql: "SELECT kind, code, zh, en, extra, sort FROM ref_code WHERE kind = ? AND code = ?",
                         arguments: [kind.rawValue, code]).map(refCode)
    }

    private static func refCode(_ row: Row) -> RefCode {
        RefCode(kind: row["kind"], code: row["code"], zh: row["zh"], en: row["en"], extra: row["extra"], sort: row["sort"])
    }

    public static func holidays(_ db: Database) throws -> [Holiday] {
        try Row.fetchAll(db, sql: "SELECT date, kind, name FROM holiday ORDER BY date").compactMap { row in
            guard let d = CivilDate(iso: row["date"]), let k = Holiday.Kind(rawValue: row["kind"]) else { return nil }
            return Holiday(date: d, kind: k, name: row["name"])
        }
    }

    public static func workingCalendar(_ db: Database) throws -> WorkingCalendar {
        WorkingCalendar(holidays: try holidays(db))
    }

    public static func setting(_ db: Database, key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key])
    }
}
