import Foundation
import GRDB
import JiuzhuModel

/// A saved draft, as the "my drafts" list shows it.
public struct DraftSummary: Equatable, Sendable {
    public var id: Int64
    public var form: String
    public var title: String
    public var updatedAt: String
}

/// What a submitted survey looked like, for printing and `jiuzhu export survey`.
public struct SurveyRecord: Equatable, Sendable {
    public var caseId: Int64
    public var householdId: Int64
    public var programme: Programme
    public var appliedOn: CivilDate
    public var surveyedOn: CivilDate
    public var investigators: (String, String)
    public var values: FormValues
    public var figures: SurveyFigures
    public var recordedBy: String
    public var recordedAt: String
    public static func == (a: SurveyRecord, b: SurveyRecord) -> Bool {
        a.caseId == b.caseId && a.values == b.values && a.figures == b.figures && a.investigators == b.investigators
    }
}

/// The application to submit: the form's values and what the program worked out from them.
public struct Submission: Sendable {
    public var values: FormValues
    public var programme: Programme
    public var figures: SurveyFigures
    /// The programme's steps: the first (户主申请), the survey step if it has one, and the step the
    /// case waits at afterwards.
    public var applyStep: String
    public var surveyStep: String?
    public var nextStep: String
    public var draftId: Int64?
    public var today: CivilDate
    /// The programme steps, to check the 申请 step's signatures against its inputs.
    public var catalog: ProgrammeCatalog?
    public init(values: FormValues, programme: Programme, figures: SurveyFigures, applyStep: String, surveyStep: String?,
                nextStep: String, draftId: Int64?, today: CivilDate, catalog: ProgrammeCatalog? = nil) {
        self.values = values; self.programme = programme; self.figures = figures; self.applyStep = applyStep
        self.surveyStep = surveyStep; self.nextStep = nextStep; self.draftId = draftId; self.today = today; self.catalog = catalog
    }
}

extension Store {
    // MARK: drafts

    /// Save a draft (insert when `id` is nil) and return its id. One small row, written with the
    /// database's full durability: what was there when the field was left survives a power cut.
    @discardableResult
    public func saveDraft(id: Int64?, user: String, form: String, title: String, values: FormValues) throws -> Int64 {
        try write { db in
            let now = Timestamp.now()
            if let id {
                try db.execute(sql: "UPDATE draft SET title = ?, data = ?, updated_at = ? WHERE id = ? AND user = ?",
                               arguments: [title, values.json(), now, id, user])
                if db.changesCount > 0 { return id }
            }
            try db.execute(sql: "INSERT INTO draft(user, form, title, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [user, form, title, values.json(), now, now])
            return db.lastInsertedRowID
        }
    }

    public func drafts(user: String) throws -> [DraftSummary] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, form, title, updated_at FROM draft WHERE user = ? ORDER BY updated_at DESC, id DESC",
                             arguments: [user]).map {
                DraftSummary(id: $0["id"], form: $0["form"], title: $0["title"], updatedAt: $0["updated_at"])
            }
        }
    }

    public func draft(id: Int64, user: String) throws -> FormValues? {
        try read { db in
            guard let json = try String.fetchOne(db, sql: "SELECT data FROM draft WHERE id = ? AND user = ?", arguments: [id, user]) else { return nil }
            return try FormValues.decode(json)
        }
    }

    public func deleteDraft(id: Int64, user: String) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM draft WHERE id = ? AND user = ?", arguments: [id, user])
            try Audit.append(db, user: user, action: "draft.delete", entity: "draft", entityId: String(id), detail: "{}")
        }
    }

    // MARK: checks against the whole database

    /// Who else holds this ID number: a member of another household (not `householdId`).
    public func idHolder(idNumber: String, outside householdId: Int64?) throws -> IDHolder? {
        try read { db in
            guard let h = try Store.idHolder(db, idNumber: idNumber), h.householdId != householdId else { return nil }
            return h
        }
    }

    /// A case of `programme` for this household that is in progress or in force.
    public static func openCase(_ db: Database, householdId: Int64, programme: Programme) throws -> Case? {
        try Row.fetchOne(db, sql: """
            SELECT * FROM assistance_case WHERE household_id = ? AND programme = ? AND status IN ('in_progress', 'active', 'suspended') LIMIT 1
            """, arguments: [householdId, programme.rawValue]).map(caseRecord(from:))
    }

    public func openCase(householdId: Int64, programme: Programme) throws -> Case? {
        try read { db in try Store.openCase(db, householdId: householdId, programme: programme) }
    }

    // MARK: submit

    /// The application becomes a case: the household (new, or the picked one brought up to date),
    /// the case with its 户主申请 step, the survey as the 入户调查 step with both investigators,
    /// the survey's values and figures, one audit row; the draft goes. One transaction.
    public func submitApplication(_ s: Submission, by user: String) throws -> Int64 {
        // 受灾救助 goes strictly by the victims' ledger (严格按照灾民台帐): a grant to a household on
        // a disaster's ledger (grantRelief), never an application form of its own.
        if s.programme == .disaster { throw StoreError.said("disaster.err.formNotForRelief") }
        guard let members = ApplicationForm.members(s.values, today: s.today), !members.isEmpty else {
            throw StoreError.said("store.intake.aMemberSId")
        }
        let f = s.values.fields
        let existing = f["household"].flatMap { Int64($0) }
        return try write { db in
            try Store.authorize(db, user, .takeApplications)
            let now = Timestamp.now()
            var hid: Int64
            if let existing {
                hid = existing
                let version = f["household_version"].flatMap { Int($0) } ?? 0
                // What the application changes on a household already on record is recorded as
                // household changes (issue 21): dated, with their reason, on the card's history,
                // each reaching the household's other cases in force; never a silent rewrite.
                let applied = f["applied_on"].flatMap { CivilDate(iso: $0) }.map { min($0, s.today) } ?? s.today
                try Store.recordApplicationChanges(db, householdId: existing, version: version, values: s.values, members: members,
                                                   programme: s.programme, on: applied, by: user, today: s.today, catalog: s.catalog)
                if let open = try Store.openCase(db, householdId: existing, programme: s.programme) {
                    throw StoreError.said("store.intake.thisHouseholdAlreadyHas", ["label_zh": "\(s.programme.label.zh)", "v2": "\(open.id ?? 0)", "labelZh2_zh": "\(open.status.label.zh)", "label_en": "\(s.programme.label.en)", "labelEn2_en": "\(open.status.label.en)"])
                }
            } else {
                for m in members {
                    if let holder = try Store.idHolder(db, idNumber: m.idNumber) { throw Store.duplicateError(holder, id: m.idNumber) }
                }
                (hid, _) = try Store.insertHousehold(db, ApplicationForm.household(s.values), members: members, now: now)
            }
            let applied = f["applied_on"].flatMap { CivilDate(iso: $0) } ?? s.today
            let surveyed = f["survey_date"].flatMap { CivilDate(iso: $0) } ?? s.today
            let inv1 = (f["investigator1"] ?? "").trimmingCharacters(in: .whitespaces)
            let inv2 = (f["investigator2"] ?? "").trimmingCharacters(in: .whitespaces)
            // 谁调查谁负责: two investigators, two different people, on the case.
            if s.surveyStep != nil && (inv1.isEmpty || inv2.isEmpty) {
                throw StoreError.said("store.intake.theSurveyNeedsTwo")
            }
            if s.surveyStep != nil && inv1 == inv2 { throw StoreError.workflow(.sameInvestigator, stepZh: "入户调查", stepEn: "household survey") }
            // The programme must fit where the household lives (rural 低保: a village; urban: a community).
            let village = f["village"] ?? ""
            if let r = try Row.fetchOne(db, sql: "SELECT name, level FROM region WHERE code = ?", arguments: [village]),
               let level = RegionLevel(rawValue: r["level"]), let why = programmeMisfit(s.programme, place: r["name"], level: level) {
                throw StoreError.said("store.intake.nothingWasSubmitted", ["why_zh": "\(why.zh)", "why_en": "\(why.en)"])
            }
            // The applicant's signatures, checked against the 申请 step's inputs (书面申请已签字, 授权核对书).
            let head0 = members.first(where: { $0.isHead }) ?? members[0]
            if f["application_signed"] != "yes" {
                throw StoreError.said("store.intake.theWrittenApplicationMust")
            }
            var raw = ["applicant": head0.name, "signed": f["application_signed"] ?? "no", "authorised": f["check_authorised"] ?? "no"]
            // 临时救助: 急难型 or 支出型 (民发〔2018〕23号); only 急难型 may be paid first.
            if s.programme == .temporary { raw["kind"] = TemporaryKind(rawValue: f["temporary_kind"] ?? "")?.rawValue ?? TemporaryKind.expense.rawValue }
            let applySpecs = (s.catalog?.definition(s.programme).step(s.applyStep)?.stepInputs ?? []).filter { raw[$0.id] != nil }
            var applyInputs: [String: Any]
            do { applyInputs = try Workflow.validated(raw, specs: applySpecs, date: applied) }
            catch let e as WorkflowError { throw StoreError.workflow(e, stepZh: "户主申请", stepEn: "application") }
            // 特困 and 医疗 help one person: who, and the programme's own sections (PersonIntake.swift).
            let personal = try Store.personIntake(db, s, householdId: hid, members: members)
            for (k, v) in personal?.applyInputs ?? [:] { applyInputs[k] = v }
            var surveyInputs: [String: Any] = ["investigators": [inv1, inv2], "investigator1": inv1, "investigator2": inv2, "date": surveyed.iso,
                                               "per_capita_monthly": s.figures.perCapitaMonthly.yuanString,
                                               "members_counted": String(s.figures.membersCounted)]
            if f["signed"] == "yes" { surveyInputs["formsFiled"] = true }
            let inputs = Workflow.json(surveyInputs)
            var steps = [CaseStepRecord(caseId: 0, step: s.applyStep, action: "done", actor: user, actedOn: applied,
                                        note: f["reason"] ?? "", inputs: Workflow.json(applyInputs))]
            if let survey = s.surveyStep {
                steps.append(CaseStepRecord(caseId: 0, step: survey, action: "done", actor: user, actedOn: surveyed,
                                            note: f["findings"] ?? "", inputs: inputs))
            }
            let head = members.first(where: { $0.isHead }) ?? members[0]
            let c = Case(householdId: hid, personId: personal?.personId, programme: s.programme, step: s.nextStep, stepSince: surveyed,
                         appliedOn: applied, coveredMembers: personal == nil ? s.figures.membersCounted : 1)
            let cid = try Store.insertCase(db, c, steps: steps, villageCode: village, now: now)
            if let p = personal { try Store.keepPersonColumns(db, caseId: cid, p.columns) }
            if s.surveyStep != nil {
                try db.execute(sql: "UPDATE assistance_case SET investigators = ? WHERE id = ?", arguments: ["\(inv1)、\(inv2)", cid])
            }
            let figures = Audit.detail(s.figures)
            try db.execute(sql: """
                INSERT INTO survey(case_id, household_id, surveyed_on, investigator1, investigator2, form, data, members_counted,
                    income_counted_fen, income_excluded_fen, per_capita_fen, assets_pass, figures, recorded_by, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [cid, hid, surveyed.iso, inv1, inv2, ApplicationForm.formId, s.values.json(), s.figures.membersCounted,
                                 s.figures.incomeCountedYearly.fen, s.figures.incomeExcludedYearly.fen, s.figures.perCapitaMonthly.fen,
                                 s.figures.assetsPass, figures, user, now])
            try Store.keepSurveyVersion(db, caseId: cid, reason: "")
            try Store.refreshHouseholdSummary(db, hid)
            if let d = s.draftId { try db.execute(sql: "DELETE FROM draft WHERE id = ? AND user = ?", arguments: [d, user]) }
            try Audit.append(db, user: user, action: "case.apply", entity: "case", entityId: String(cid),
                             detail: Audit.detail(["household": String(hid), "programme": s.programme.rawValue, "head": head.name,
                                                   "investigators": "\(inv1)、\(inv2)", "figures": figures]))
            return cid
        }
    }

    /// The survey recorded with a case, or nil if the case has none.
    /// How many household surveys the database holds.
    public func surveyCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM survey") ?? 0 }
    }

    public func survey(caseId: Int64) throws -> SurveyRecord? {
        try read { db in
            guard let r = try Row.fetchOne(db, sql: """
                SELECT s.*, c.programme, c.applied_on FROM survey s JOIN assistance_case c ON c.id = s.case_id WHERE s.case_id = ?
                """, arguments: [caseId]) else { return nil }
            let figures = try JSONDecoder().decode(SurveyFigures.self, from: Data((r["figures"] as String).utf8))
            return SurveyRecord(caseId: caseId, householdId: r["household_id"], programme: Programme(rawValue: r["programme"]) ?? .ruralDibao,
                                appliedOn: CivilDate(iso: r["applied_on"]) ?? .today, surveyedOn: CivilDate(iso: r["surveyed_on"]) ?? .today,
                                investigators: (r["investigator1"], r["investigator2"]), values: try FormValues.decode(r["data"]),
                                figures: figures, recordedBy: r["recorded_by"], recordedAt: r["recorded_at"])
        }
    }

    /// Regions for the village picker: villages and communities.
    public func villages() throws -> [Region] {
        try read { db in try Store.regions(db).filter { $0.level == .village || $0.level == .community } }
    }
}

/// The code lists, their extra columns and the settings a form needs, read once at start-up.
public struct FormReference: Sendable {
    /// Code lists in their file order: code and label.
    public var lists: [String: [(code: String, label: Text2)]]
    /// The extra column by list and code (income kinds: counted yes/no; relationships: generation).
    public var extras: [String: [String: String]]
    public var settings: [String: String]
    public var villages: [Region]
}

extension Store {
    public func formReference() throws -> FormReference {
        try read { db in
            var lists: [String: [(code: String, label: Text2)]] = [:]
            var extras: [String: [String: String]] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT kind, code, zh, en, extra FROM ref_code ORDER BY kind, sort, code") {
                let kind: String = r["kind"], code: String = r["code"]
                lists[kind, default: []].append((code, Text2(zh: r["zh"], en: r["en"])))
                extras[kind, default: [:]][code] = r["extra"]
            }
            var settings: [String: String] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT key, value FROM setting") { settings[r["key"]] = r["value"] }
            let villages = try Store.regions(db).filter { $0.level == .village || $0.level == .community }
            return FormReference(lists: lists, extras: extras, settings: settings, villages: villages)
        }
    }
}
