import Foundation
import GRDB
import JiuzhuModel

// The county's 医疗救助 figures (国办发〔2021〕42号): data/medical_assistance.csv (起付标准, ratio and
// yearly cap per category, dated) and data/insurance_subsidy.csv (资助参保 per year and category),
// loaded with the other reference files and kept in the tables of migration v19.

extension ReferenceData {
    public static let medicalFile = "medical_assistance.csv"
    public static let subsidyFile = "insurance_subsidy.csv"

    static func loadMedicalRules(from directory: URL) throws -> [MedicalRule] {
        let csv = try ReferenceCSV(directory: directory, file: medicalFile,
                                   required: ["category", "effective_from", "deductible_yuan", "ratio_percent", "yearly_cap_yuan"])
        var out: [MedicalRule] = []
        var lineOf: [String: Int] = [:]
        for row in csv.rows {
            guard let c = MedicalCategory(rawValue: row["category"]) else {
                throw csv.error(row, "category \"\(row["category"])\" is not one of \(MedicalCategory.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let from = CivilDate(iso: row["effective_from"]) else {
                throw csv.error(row, "effective_from \"\(row["effective_from"])\" is not a date (YYYY-MM-DD)")
            }
            guard let d = Money(yuanText: row["deductible_yuan"]), d.fen >= 0 else {
                throw csv.error(row, "deductible_yuan \"\(row["deductible_yuan"])\" is not an amount of 0 or more")
            }
            guard let r = Int(row["ratio_percent"]), (0...100).contains(r) else {
                throw csv.error(row, "ratio_percent \"\(row["ratio_percent"])\" is not a whole percent from 0 to 100")
            }
            guard let cap = Money(yuanText: row["yearly_cap_yuan"]), cap.fen >= 0 else {
                throw csv.error(row, "yearly_cap_yuan \"\(row["yearly_cap_yuan"])\" is not an amount of 0 or more")
            }
            let key = "\(c.rawValue)/\(from.iso)"
            if let first = lineOf[key] { throw csv.error(row, "\(c.rawValue) from \(from.iso) is already on line \(first)") }
            lineOf[key] = row.line
            out.append(MedicalRule(category: c, effectiveFrom: from, deductible: d, ratioPercent: r, yearlyCap: cap))
        }
        return out
    }

    static func loadPremiumSubsidies(from directory: URL) throws -> [PremiumSubsidy] {
        let csv = try ReferenceCSV(directory: directory, file: subsidyFile, required: ["year", "category", "premium_yuan", "subsidy_yuan"])
        var out: [PremiumSubsidy] = []
        var lineOf: [String: Int] = [:]
        for row in csv.rows {
            guard let year = Int(row["year"]), (2000...2100).contains(year) else {
                throw csv.error(row, "year \"\(row["year"])\" is not a year")
            }
            guard let c = MedicalCategory(rawValue: row["category"]) else {
                throw csv.error(row, "category \"\(row["category"])\" is not one of \(MedicalCategory.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let premium = Money(yuanText: row["premium_yuan"]), premium.fen >= 0 else {
                throw csv.error(row, "premium_yuan \"\(row["premium_yuan"])\" is not an amount of 0 or more")
            }
            // "full" (全额资助) or an amount (定额资助), never more than the premium.
            let text = row["subsidy_yuan"]
            let subsidy: Money
            if text == "full" { subsidy = premium }
            else if let m = Money(yuanText: text), m.fen >= 0, m <= premium { subsidy = m }
            else { throw csv.error(row, "subsidy_yuan \"\(text)\" is neither full nor an amount from 0 to the premium \(premium.yuanString)") }
            let key = "\(year)/\(c.rawValue)"
            if let first = lineOf[key] { throw csv.error(row, "\(c.rawValue) for \(year) is already on line \(first)") }
            lineOf[key] = row.line
            out.append(PremiumSubsidy(year: year, category: c, premium: premium, subsidy: subsidy))
        }
        return out
    }

    /// The medical tables made equal to the files (when the database has them: migration v19).
    func installMedical(in db: Database) throws {
        guard try db.tableExists("medical_rule"), try db.tableExists("premium_subsidy") else { return }
        try db.execute(sql: "DELETE FROM medical_rule")
        for r in medicalRules {
            try db.execute(sql: "INSERT INTO medical_rule(category, effective_from, deductible_fen, ratio_percent, cap_fen) VALUES (?, ?, ?, ?, ?)",
                           arguments: [r.category.rawValue, r.effectiveFrom.iso, r.deductible.fen, r.ratioPercent, r.yearlyCap.fen])
        }
        try db.execute(sql: "DELETE FROM premium_subsidy")
        for p in premiumSubsidies {
            try db.execute(sql: "INSERT INTO premium_subsidy(year, category, premium_fen, subsidy_fen) VALUES (?, ?, ?, ?)",
                           arguments: [p.year, p.category.rawValue, p.premium.fen, p.subsidy.fen])
        }
    }

    // MARK: queries

    public static func medicalRules(_ db: Database) throws -> [MedicalRule] {
        guard try db.tableExists("medical_rule") else { return [] }
        return try Row.fetchAll(db, sql: "SELECT * FROM medical_rule").compactMap { r in
            guard let c = MedicalCategory(rawValue: r["category"]), let d = CivilDate(iso: r["effective_from"]) else { return nil }
            return MedicalRule(category: c, effectiveFrom: d, deductible: Money(fen: r["deductible_fen"]), ratioPercent: r["ratio_percent"],
                               yearlyCap: Money(fen: r["cap_fen"]))
        }
    }

    public static func premiumSubsidies(_ db: Database, year: Int) throws -> [PremiumSubsidy] {
        guard try db.tableExists("premium_subsidy") else { return [] }
        return try Row.fetchAll(db, sql: "SELECT * FROM premium_subsidy WHERE year = ?", arguments: [year]).compactMap { r in
            guard let c = MedicalCategory(rawValue: r["category"]) else { return nil }
            return PremiumSubsidy(year: year, category: c, premium: Money(fen: r["premium_fen"]), subsidy: Money(fen: r["subsidy_fen"]))
        }
    }
}
