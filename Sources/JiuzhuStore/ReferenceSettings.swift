import Foundation
import GRDB
import JiuzhuModel

/// What a setting's value must look like. Settings are text in the `setting` table; the
/// known keys are checked when `settings.csv` is loaded and when an office edits one.
public enum SettingKind: Hashable, Sendable {
    case integer(ClosedRange<Int>)
    /// Yuan, e.g. "24000.00".
    case money
    /// yes / no (是 / 否 also accepted).
    case yesNo
    /// A `Money.Rounding` code such as up_yuan.
    case rounding
    /// 分类施保 add-on: a percent of the standard ("10%") or a fixed amount in yuan ("50.00").
    case addOn
    /// One of a few words.
    case oneOf([String])
    /// Anything; keys the program does not know yet.
    case text
}

extension ReferenceData {
    /// The shape of each setting the program reads. Unknown keys are plain text.
    public static let settingKinds: [String: SettingKind] = [
        "lockout_attempts": .integer(1...100),
        "lockout_minutes": .integer(0...10_000),
        "publicity_days": .integer(1...90),
        "confirm_delegated": .yesNo,
        "flow_limit_days": .integer(1...365),
        "spotcheck_percent": .integer(0...100),
        "benefit_rounding": .rounding,
        "new_job_exempt_months": .integer(0...36),
        "asset_financial_per_person": .money,
        "asset_vehicles_max": .integer(0...100),
        "asset_houses_max": .integer(0...100),
        "asset_business_allowed": .yesNo,
        "addon_elderly_age": .integer(0...150),
        "addon_elderly": .addOn,
        "addon_minor_age": .integer(0...30),
        "addon_minor": .addOn,
        "addon_disability_max_level": .integer(0...4),
        "addon_disability": .addOn,
        "addon_illness": .addOn,
        "addon_stacking": .oneOf(["max", "sum"]),
        "urban_recheck_months_a": .integer(1...60),
        "urban_recheck_months_b": .integer(1...60),
        "urban_recheck_months_c": .integer(1...60),
        "temporary_yearly_cap": .money,
        "medical_assist_percent": .integer(0...100),
        "auto_backup_days": .integer(0...365),
        "auto_backup_keep": .integer(1...1000),
        "payment_start_months": .integer(0...1),
        "amount_ceiling_ratio": .integer(1...100),
        // Issue 22: the 低保 income rules, 临时救助's amounts and the time limits (ProgrammeRules.swift).
        "flow_limit_special_days": .integer(1...365),
        "step_stall_days": .integer(1...365),
        "imputed_income_monthly": .money,
        "working_age_from": .integer(0...30),
        "working_age_to_male": .integer(30...100),
        "working_age_to_female": .integer(30...100),
        "employment_cost_deduction": .addOn,
        "dibao_edge_percent": .integer(100...500),
        "dibao_severe_disability_level": .integer(1...4),
        "dibao_taper_months": .integer(0...36),
        "dibao_minimum_per_person": .money,
        "temporary_months_urgent": .integer(0...24),
        "temporary_months_expense": .integer(0...24),
        "temporary_once_cap": .money,
        "temporary_urgent_max": .money,
    ]

    public static func settingKind(for key: String) -> SettingKind { settingKinds[key] ?? .text }

    /// Nil when `value` is acceptable for `key`, otherwise what is wrong with it (English).
    public static func problem(withSetting key: String, value: String) -> String? {
        let v = value.trimmingCharacters(in: .whitespaces)
        if key.hasPrefix("publicity_columns_") {
            let unknown = v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { PublicColumn(rawValue: $0) == nil }
            return unknown.isEmpty ? nil : "\(key): unknown column \(unknown.joined(separator: ", ")) (known: \(PublicColumn.allCases.map(\.rawValue).joined(separator: ", ")))"
        }
        if key == "publicity_phone", !v.isEmpty, !PublicityContact.isPhone(v) {
            return "\(key) \"\(value)\" is not a phone number (a mobile, a fixed line with its area code, or a service line such as 12345)"
        }
        switch settingKind(for: key) {
        case .text:
            return nil
        case .integer(let range):
            guard let n = Int(v) else { return "\(key) \"\(value)\" is not a whole number" }
            return range.contains(n) ? nil : "\(key) \(n) is outside \(range.lowerBound)…\(range.upperBound)"
        case .money:
            guard let m = Money(yuanText: v) else { return "\(key) \"\(value)\" is not an amount in yuan" }
            return m.fen < 0 ? "\(key) must not be negative" : nil
        case .yesNo:
            return yesNo(v) == nil ? "\(key) \"\(value)\" is not yes or no" : nil
        case .rounding:
            return Money.Rounding(rawValue: v) == nil
                ? "\(key) \"\(value)\" is not one of \(Money.Rounding.allCases.map(\.rawValue).joined(separator: ", "))" : nil
        case .oneOf(let words):
            return words.contains(v) ? nil : "\(key) \"\(value)\" is not one of \(words.joined(separator: ", "))"
        case .addOn:
            return AddOnAmount(settingText: v) == nil
                ? "\(key) \"\(value)\" is neither a percent like 10% nor an amount like 50.00" : nil
        }
    }

    /// yes/no as a county might type it in Excel: yes, no, y, n, true, false, 1, 0, 是, 否.
    public static func yesNo(_ text: String) -> Bool? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "yes", "y", "true", "1", "是": return true
        case "no", "n", "false", "0", "否": return false
        default: return nil
        }
    }
}

extension ReferenceData {
    /// What a value of `key` must look like, for the box where an office edits it.
    public static func settingShape(_ key: String, zh: Bool) -> String {
        let lang: Lang = zh ? .zh : .en
        if key.hasPrefix("publicity_columns_") {
            return (say("store.referenceSettings.columnNamesCommaSeparated", lang)) + PublicColumn.allCases.map(\.rawValue).joined(separator: ",")
        }
        switch settingKind(for: key) {
        case .text: return say("store.referenceSettings.text", lang)
        case .integer(let r): return say("store.referenceSettings.aWholeNumber", lang, ["lowerBound": "\(r.lowerBound)", "upperBound": "\(r.upperBound)"])
        case .money: return say("store.referenceSettings.anAmountInYuan", lang)
        case .yesNo: return say("store.referenceSettings.yesOrNo", lang)
        case .rounding: return Money.Rounding.allCases.map(\.rawValue).joined(separator: " / ")
        case .oneOf(let words): return words.joined(separator: " / ")
        case .addOn: return say("store.referenceSettings.aPercentLikeOr", lang)
        }
    }
}

/// One setting as the administrator sees and edits it.
public struct SettingRow: Equatable, Sendable {
    public var key: String
    public var value: String
    public var description: String
    public var version: Int
    public init(key: String, value: String, description: String, version: Int) {
        self.key = key; self.value = value; self.description = description; self.version = version
    }
}

extension Store {
    /// Every setting, in the order `settings.csv` installed them.
    public func settingRows() throws -> [SettingRow] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT key, value, description, version FROM setting ORDER BY rowid").map {
                SettingRow(key: $0["key"], value: $0["value"], description: $0["description"], version: $0["version"])
            }
        }
    }

    /// Change one setting: checked against its shape, refused if someone changed it since it was
    /// read (`version`), audited with the value before and after.
    public func changeSetting(key: String, value: String, version: Int, by actor: String) throws {
        let v = value.trimmingCharacters(in: .whitespaces)
        if let problem = ReferenceData.problem(withSetting: key, value: v) {
            throw StoreError.said("store.referenceSettings.text2", ["key_zh": "\(key)", "v2_zh": "\(ReferenceData.settingShape(key, zh: true))", "problem_en": "\(problem)"])
        }
        try write { db in
            try Store.authorize(db, actor, .changeSettings)
            guard let row = try Row.fetchOne(db, sql: "SELECT value, version FROM setting WHERE key = ?", arguments: [key]) else {
                throw StoreError.notFound(entity: "setting", id: key)
            }
            guard (row["version"] as Int) == version else { throw StoreError.staleEdit(entity: "setting \(key)", id: Int64(row["version"] as Int)) }
            let before: String = row["value"]
            try db.execute(sql: "UPDATE setting SET value = ?, version = version + 1 WHERE key = ?", arguments: [v, key])
            try Audit.append(db, user: actor, action: "setting.change", entity: "setting", entityId: key,
                             detail: Audit.detail(["before": before, "after": v]))
        }
    }
}
