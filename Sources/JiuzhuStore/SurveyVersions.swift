import Foundation
import GRDB
import JiuzhuModel

/// One version of a case's household survey (issue 21 item 4).
public struct SurveyVersion: Equatable, Sendable {
    public var caseId: Int64
    public var version: Int
    public var surveyedOn: CivilDate
    public var investigators: [String]
    public var values: FormValues?
    public var figures: SurveyFigures?
    /// Why it was corrected; empty for the survey as first submitted.
    public var reason: String
    public var recordedBy: String
    public var recordedAt: String
}

extension Store {
    /// Copy the case's current survey (`survey`) into its versions as the version it carries.
    static func keepSurveyVersion(_ db: Database, caseId: Int64, reason: String) throws {
        try db.execute(sql: """
            INSERT INTO survey_version(case_id, version, surveyed_on, investigator1, investigator2, form, data, members_counted,
                income_counted_fen, income_excluded_fen, per_capita_fen, assets_pass, figures, reason, recorded_by, recorded_at)
            SELECT case_id, version, surveyed_on, investigator1, investigator2, form, data, members_counted, income_counted_fen,
                income_excluded_fen, per_capita_fen, assets_pass, figures, ?, recorded_by, recorded_at FROM survey WHERE case_id = ?
            """, arguments: [reason, caseId])
    }

    /// The survey version a case has now (nil: the case has no survey).
    static func surveyVersionNumber(_ db: Database, caseId: Int64) throws -> Int? {
        try Int.fetchOne(db, sql: "SELECT version FROM survey WHERE case_id = ?", arguments: [caseId])
    }

    /// Correct the survey of a case not yet decided (at the survey step, or sent back for
    /// re-investigation): the whole form again, as a new version with its reason; the earlier
    /// versions stay as they were. The rules read the newest from now on. One transaction with
    /// its audit row; refused for a case decided (a change then is a household change or a
    /// re-check), for a case changed since it was read (`caseVersion`), without a reason, with
    /// one investigator named twice, or with a form naming another programme or household.
    @discardableResult
    public func correctSurvey(caseId: Int64, caseVersion: Int, values: FormValues, figures: SurveyFigures, reason: String, by user: String,
                              today: CivilDate) throws -> Int {
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if why.isEmpty { throw StoreError.said("store.survey.reasonMissing") }
        let field = sayBoth("store.survey.reasonField")
        try TextBounds.check(why, field: (field.zh, field.en), max: 500)
        let f = values.fields
        let inv1 = (f["investigator1"] ?? "").trimmingCharacters(in: .whitespaces)
        let inv2 = (f["investigator2"] ?? "").trimmingCharacters(in: .whitespaces)
        if inv1.isEmpty || inv2.isEmpty { throw StoreError.said("store.intake.theSurveyNeedsTwo") }
        if inv1 == inv2 {
            let step = sayBoth("store.survey.stepName")
            throw StoreError.workflow(.sameInvestigator, stepZh: step.zh, stepEn: step.en)
        }
        let surveyed = f["survey_date"].flatMap { CivilDate(iso: $0) } ?? today
        if surveyed > today { throw StoreError.said("store.survey.dateAfterToday", ["date": surveyed.iso]) }
        return try write { db in
            try Store.authorize(db, user, .takeApplications)
            guard let row = try Store.caseExtras(db, caseId) else { throw StoreError.notFound(entity: "case", id: String(caseId)) }
            let c = Store.caseRecord(from: row)
            if c.version != caseVersion { throw StoreError.staleEdit(entity: "case", id: caseId) }
            if c.status != .inProgress { throw StoreError.said("store.survey.caseDecided", ["case": String(caseId)]) }
            // The form corrects this case's survey: its programme and household stay the case's.
            let prog = (f["programme"] ?? "").trimmingCharacters(in: .whitespaces)
            let hh = (f["household"] ?? "").trimmingCharacters(in: .whitespaces)
            if (!prog.isEmpty && prog != c.programme.rawValue) || (!hh.isEmpty && hh != String(c.householdId)) {
                throw StoreError.said("store.survey.otherCase", ["case": String(caseId)])
            }
            guard let old = try Store.surveyVersionNumber(db, caseId: caseId) else {
                throw StoreError.said("store.survey.none", ["case": String(caseId)])
            }
            // The same form again is no new version.
            if let stored = try String.fetchOne(db, sql: "SELECT data FROM survey WHERE case_id = ?", arguments: [caseId]),
               let before = try? FormValues.decode(stored), Self.sameSurvey(before, values) {
                throw StoreError.said("store.survey.unchanged", ["case": String(caseId)])
            }
            let next = old + 1
            let now = Timestamp.now()
            try db.execute(sql: """
                UPDATE survey SET surveyed_on = ?, investigator1 = ?, investigator2 = ?, data = ?, members_counted = ?, income_counted_fen = ?,
                    income_excluded_fen = ?, per_capita_fen = ?, assets_pass = ?, figures = ?, recorded_by = ?, recorded_at = ?, version = ?
                WHERE case_id = ?
                """, arguments: [surveyed.iso, inv1, inv2, values.json(), figures.membersCounted, figures.incomeCountedYearly.fen,
                                 figures.incomeExcludedYearly.fen, figures.perCapitaMonthly.fen, figures.assetsPass, Audit.detail(figures),
                                 user, now, next, caseId])
            try Store.keepSurveyVersion(db, caseId: caseId, reason: why)
            try db.execute(sql: "UPDATE assistance_case SET investigators = ?, version = version + 1, updated_at = ? WHERE id = ?",
                           arguments: ["\(inv1)\u{3001}\(inv2)", now, caseId])
            try Audit.append(db, user: user, action: "survey.correct", entity: "case", entityId: String(caseId),
                             detail: Audit.detail(["version": String(next), "reason": why, "per_capita": figures.perCapitaMonthly.yuanString,
                                                   "members": String(figures.membersCounted)]))
            return next
        }
    }

    /// Two survey forms alike but for blanks around values and the household a new one came to be.
    static func sameSurvey(_ a: FormValues, _ b: FormValues) -> Bool {
        func norm(_ v: FormValues) -> FormValues {
            var v = v
            v.fields = v.fields.filter { $0.key != "household" }.mapValues { $0.trimmingCharacters(in: .whitespaces) }
            v.groups = v.groups.mapValues { $0.map { $0.mapValues { $0.trimmingCharacters(in: .whitespaces) } } }
            return v
        }
        return norm(a) == norm(b)
    }

    /// Every version of a case's survey, oldest first.
    public func surveyVersions(caseId: Int64) throws -> [SurveyVersion] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM survey_version WHERE case_id = ? ORDER BY version", arguments: [caseId]).map { r in
                SurveyVersion(caseId: r["case_id"], version: r["version"], surveyedOn: CivilDate(iso: r["surveyed_on"]) ?? .today,
                              investigators: [r["investigator1"], r["investigator2"]],
                              values: try? FormValues.decode(r["data"] as String),
                              figures: try? JSONDecoder().decode(SurveyFigures.self, from: Data((r["figures"] as String).utf8)),
                              reason: r["reason"], recordedBy: r["recorded_by"], recordedAt: r["recorded_at"])
            }
        }
    }
}
