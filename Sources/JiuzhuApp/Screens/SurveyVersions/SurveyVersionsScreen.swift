import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// A case's survey versions (issue 21 item 4), opened from the case with V: every version, oldest
/// first, who recorded it, when and why; below the table, the selected version's figures, the
/// decisions worked out on it and what changed from the version before. F9 prints the selected
/// version for signatures.
public struct SurveyVersionsState: Equatable, Sendable {
    public var caseId: Int64
    /// "案件 #12 张三 农村低保", from the case that opened the screen.
    public var caseTitle: String
    /// The decisions and adjustments by the survey version they were worked out on: "2026-03-01 同意（shenpi）".
    public var usedBy: [Int: [String]]
    public var versions: [SurveyVersion] = []
    public var selected = 0
    public var detailScroll = 0
    public var loading = true
    public init(caseId: Int64, caseTitle: String, usedBy: [Int: [String]] = [:]) {
        self.caseId = caseId; self.caseTitle = caseTitle; self.usedBy = usedBy
    }
    public var selectedVersion: SurveyVersion? { versions.indices.contains(selected) ? versions[selected] : nil }
}

public enum SurveyVersionsScreen: ScreenModule {
    public static let id: ScreenID = "surveyVersions"

    public enum Effect: Equatable, Sendable {
        case load(Int64)
        case print(caseId: Int64, version: Int, values: FormValues)
    }

    public enum Event: Sendable {
        case loaded(Int64, [SurveyVersion])
        case printed([String])
    }

    public static func isQuickRead(_ effect: Effect) -> Bool { if case .load = effect { return true } else { return false } }

    /// Opened from a case: its title and the decisions on record, by the survey version each used.
    static func open(_ s: inout AppState, _ file: CaseFile, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        let c = file.caseRecord
        let title = env.t("sv.caseTitle", ["case": IdBlock.shown(c.id ?? 0), "head": file.head?.name ?? "", "programme": c.programme.label(env.lang)])
        s.push(SurveyVersionsScreen.embed(SurveyVersionsState(caseId: c.id ?? 0, caseTitle: title, usedBy: usedBy(file, env: env))))
        return [effect(.load(c.id ?? 0))]
    }

    /// The case's decisions and adjustments by the survey version recorded in their inputs.
    static func usedBy(_ f: CaseFile, env: AppEnvironment) -> [Int: [String]] {
        var out: [Int: [String]] = [:]
        for r in f.history {
            guard let v = CaseReport.surveyVersionUsed(r) else { continue }
            out[v, default: []].append(env.t("sv.usedEntry", ["date": r.actedOn.iso, "step": env.stepLabel(f.caseRecord.programme, r.step),
                                                              "action": CaseReport.actionLabel(r.action, env: env), "actor": r.actor]))
        }
        return out
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        switch effect {
        case .load(let id):
            return .loaded(id, try cx.store.surveyVersions(caseId: id))
        case .print(let id, let version, let values):
            return .printed(try SurveyPrint.write(values: values, caseId: id, version: version, besides: cx.store.path, env: cx.env,
                                                  office: try cx.store.office()))
        }
    }

    public static func event(_ s: inout AppState, _ v: inout SurveyVersionsState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch event {
        case .loaded(let id, let versions):
            guard v.caseId == id else { return [] }
            v.versions = versions; v.loading = false
            // The newest first in view: it is the one the rules read now.
            v.selected = max(0, versions.count - 1); v.detailScroll = 0
        case .printed(let paths):
            App.printed(&s, paths, env: env)
        }
        return []
    }

    public static func orphan(_ s: inout AppState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        if case .printed(let paths) = event { App.printed(&s, paths, env: env) }
        return []
    }

    public static func key(_ s: inout AppState, _ v: inout SurveyVersionsState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch cmd {
        case .up?: v.selected = max(0, v.selected - 1); v.detailScroll = 0
        case .down?: v.selected = min(max(0, v.versions.count - 1), v.selected + 1); v.detailScroll = 0
        case .first?: v.selected = 0; v.detailScroll = 0
        case .last?: v.selected = max(0, v.versions.count - 1); v.detailScroll = 0
        case .pageDown?:
            let n = AppView.surveyVersionDetail(v, env: env, width: s.width).count
            v.detailScroll = min(v.detailScroll + 3, max(0, n - 1))
        case .pageUp?: v.detailScroll = max(0, v.detailScroll - 3)
        case .print?:
            guard let sv = v.selectedVersion, let values = sv.values else { return [] }
            return [effect(.print(caseId: v.caseId, version: sv.version, values: values))]
        case .back?: s.pop()
        default: break
        }
        return []
    }

    public static func view(_ g: inout CellGrid, _ v: SurveyVersionsState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.surveyVersions(&g, v, s, env)
        return nil
    }
}

/// What changed between two versions of a survey, in the form's own words: one line per field
/// changed, members and income rows added or removed. ID numbers are masked (a screen can be
/// read over a shoulder).
public enum SurveyDiff {
    public static func lines(from old: FormValues, to new: FormValues, spec: FormSpec, env: AppEnvironment) -> [String] {
        var out: [String] = []
        func shown(_ f: FieldSpec, _ value: String, _ values: FormValues) -> String {
            let t = value.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return "—" }
            switch f.kind {
            case .id: return Masking.idNumber(t)
            case .code, .multi:
                guard let list = f.codes else { return t }
                return t.split(separator: ",").map { env.forms.label(list, String($0), env.lang, values: values) }.joined(separator: env.t("list.separator"))
            case .yesno: return t == "yes" || t == "no" ? env.t(t) : t
            default: return t
            }
        }
        for sec in spec.sections {
            // The household is the case's own (a correction does not change it; a survey of a new
            // household names it once the case exists).
            let editable = sec.fields.filter { $0.isEditable && $0.kind != .household }
            guard let rep = sec.repeat else {
                for f in editable {
                    let a = old.fields[f.id] ?? "", b = new.fields[f.id] ?? ""
                    if a.trimmingCharacters(in: .whitespaces) != b.trimmingCharacters(in: .whitespaces) {
                        out.append(env.t("sv.diff.field", ["section": sec.title(env.lang), "field": f.label(env.lang), "old": shown(f, a, old), "new": shown(f, b, new)]))
                    }
                }
                continue
            }
            let a = old.items(sec.id), b = new.items(sec.id)
            if a.count != b.count {
                out.append(env.t("sv.diff.count", ["section": sec.title(env.lang), "old": String(a.count), "new": String(b.count)]))
            }
            // A row told by its values: "王大山 工资性收入 6000.00".
            func row(_ item: [String: String], _ values: FormValues) -> String {
                editable.compactMap { f in
                    let v = item[f.id] ?? ""
                    return v.trimmingCharacters(in: .whitespaces).isEmpty ? nil : shown(f, v, values)
                }.joined(separator: " ")
            }
            // Members are matched by ID number (else name), so a member added in the middle is one
            // line; rows without a name (income) are matched whole.
            let title = rep.titleField
            func identity(_ item: [String: String]) -> String? {
                if let id = item["id_number"], !id.isEmpty { return "id:" + id }
                if let t = title, let n = item[t], !n.isEmpty { return "name:" + n }
                return nil
            }
            var unmatchedNew = Array(b.indices)
            for (i, x) in a.enumerated() {
                let j: Int?
                if let key = identity(x) { j = unmatchedNew.first { identity(b[$0]) == key } }
                else { j = unmatchedNew.first { b[$0] == x } }
                guard let k = j else {
                    out.append(env.t("sv.diff.removed", ["item": rep.item(env.lang), "what": row(x, old)])); continue
                }
                unmatchedNew.removeAll { $0 == k }
                let y = b[k]
                let label = title.flatMap { y[$0] }.map { "\(sec.title(env.lang)) · \($0)" } ?? "\(sec.title(env.lang)) \(i + 1)"
                for f in editable {
                    let u = x[f.id] ?? "", w = y[f.id] ?? ""
                    if u.trimmingCharacters(in: .whitespaces) != w.trimmingCharacters(in: .whitespaces) {
                        out.append(env.t("sv.diff.field", ["section": label, "field": f.label(env.lang), "old": shown(f, u, old), "new": shown(f, w, new)]))
                    }
                }
            }
            for k in unmatchedNew { out.append(env.t("sv.diff.added", ["item": rep.item(env.lang), "what": row(b[k], new)])) }
        }
        return out
    }

    /// The sums the rules read, where they differ.
    public static func figures(from a: SurveyFigures, to b: SurveyFigures, env: AppEnvironment) -> [String] {
        var out: [String] = []
        if a.membersCounted != b.membersCounted {
            out.append(env.t("sv.diff.members", ["old": String(a.membersCounted), "new": String(b.membersCounted)]))
        }
        if a.incomeCountedYearly != b.incomeCountedYearly {
            out.append(env.t("sv.diff.income", ["old": a.incomeCountedYearly.yuanString, "new": b.incomeCountedYearly.yuanString]))
        }
        if a.perCapitaMonthly != b.perCapitaMonthly {
            out.append(env.t("sv.diff.perCapita", ["old": a.perCapitaMonthly.yuanString, "new": b.perCapitaMonthly.yuanString]))
        }
        if a.assetsPass != b.assetsPass {
            out.append(env.t("sv.diff.assets", ["old": env.t(a.assetsPass ? "sv.assetsPass" : "sv.assetsFail"),
                                                "new": env.t(b.assetsPass ? "sv.assetsPass" : "sv.assetsFail")]))
        }
        return out
    }
}

extension AppView {
    /// The selected version told in full: who, when, why, its sums, the decisions on it, what changed.
    static func surveyVersionDetail(_ v: SurveyVersionsState, env: AppEnvironment, width: Int) -> [CaseReport.Line] {
        guard let sv = v.selectedVersion else { return [] }
        var out: [CaseReport.Line] = []
        let at = ClockText.parseUTC(sv.recordedAt).map { ClockText.local($0, "%Y-%m-%d %H:%M") } ?? sv.recordedAt
        out.append(CaseReport.Line(.heading, env.t("sv.detail.head", ["v": String(sv.version), "by": sv.recordedBy, "at": at,
                                                                     "date": sv.surveyedOn.iso, "investigators": sv.investigators.joined(separator: env.t("list.separator"))])))
        out.append(CaseReport.Line(.plain, sv.reason.isEmpty ? env.t("sv.detail.first") : env.t("sv.detail.reason", ["reason": sv.reason])))
        if let f = sv.figures {
            out.append(CaseReport.Line(.plain, env.t("sv.detail.figures", ["members": String(f.membersCounted), "income": f.incomeCountedYearly.yuanString,
                                                                          "per": f.perCapitaMonthly.yuanString,
                                                                          "assets": env.t(f.assetsPass ? "sv.assetsPass" : "sv.assetsFail")])))
        }
        for d in v.usedBy[sv.version] ?? [] { out.append(CaseReport.Line(.pass, env.t("sv.detail.used", ["decision": d]))) }
        if let i = v.versions.firstIndex(where: { $0.version == sv.version }), i > 0 {
            let prev = v.versions[i - 1]
            var changes: [String] = []
            if let spec = env.screens.forms[ApplicationForm.formId], let a = prev.values, let b = sv.values {
                changes = SurveyDiff.lines(from: a, to: b, spec: spec, env: env)
            }
            if let a = prev.figures, let b = sv.figures { changes += SurveyDiff.figures(from: a, to: b, env: env) }
            out.append(CaseReport.Line(.heading, changes.isEmpty ? env.t("sv.detail.same", ["prev": String(prev.version)])
                                                                 : env.t("sv.detail.changes", ["prev": String(prev.version)])))
            out += changes.map { CaseReport.Line(.note, "  · " + $0) }
        }
        // Wrapped to the screen, continuations indented.
        let w = max(10, width - 2)
        return out.flatMap { line -> [CaseReport.Line] in
            let parts = wrap(line.text, width: w)
            return parts.enumerated().map { CaseReport.Line(line.kind, ($0.offset == 0 ? "" : "    ") + $0.element) }
        }
    }

    static func surveyVersions(_ g: inout CellGrid, _ v: SurveyVersionsState, _ s: AppState, _ env: AppEnvironment) {
        g.put(env.t("sv.title", ["case": v.caseTitle, "n": String(v.versions.count)]), x: 1, y: 1, style: headingStyle, maxWidth: g.width - 2)
        let cells: [[String]] = v.versions.map { sv in
            let at = ClockText.parseUTC(sv.recordedAt).map { ClockText.local($0, "%m-%d %H:%M") } ?? sv.recordedAt
            return [String(sv.version), sv.surveyedOn.iso, sv.recordedBy, at, sv.figures?.perCapitaMonthly.yuanString ?? "—",
                    v.usedBy[sv.version] == nil ? "" : "✓", sv.reason.isEmpty ? env.t("sv.firstShort") : sv.reason]
        }
        let titles = ["sv.col.version", "sv.col.date", "sv.col.by", "sv.col.at", "sv.col.perCapita", "sv.col.used", "sv.col.reason"].map { env.t($0) }
        func fit(_ i: Int, _ least: Int, _ most: Int) -> Int { columnWidth(cells, i, title: titles[i], least: least, most: most) }
        let cols = [TableColumn(titles[0], width: fit(0, 3, 6), alignment: .right, priority: 9),
                    TableColumn(titles[1], width: 10, priority: 8),
                    TableColumn(titles[2], width: fit(2, 6, 10), priority: 7),
                    TableColumn(titles[3], width: 11, priority: 6),
                    TableColumn(titles[4], width: fit(4, 8, 12), alignment: .right, priority: 8),
                    TableColumn(titles[5], width: fit(5, 2, 8), priority: 7),
                    TableColumn(titles[6], width: 10, flex: 1, priority: 9)]
        let tableHeight = min(max(2, v.versions.count + 1), 7)
        lateTable(&g, columns: cols, count: v.versions.count, selected: v.selected, top: 2, height: tableHeight,
                  emptyText: v.loading ? env.t("review.loading") : env.t("sv.none"), late: { _ in false }) { i in cells[i] }
        let lines = surveyVersionDetail(v, env: env, width: g.width)
        let top = 2 + tableHeight + 1
        let area = max(0, g.height - 2 - top)
        let first = min(v.detailScroll, max(0, lines.count - area))
        for (k, line) in lines.dropFirst(first).prefix(area).enumerated() {
            g.put(line.text, x: 1, y: top + k, style: style(line.kind), maxWidth: g.width - 2)
        }
        let right = v.versions.isEmpty ? "" : "\(v.selected + 1)/\(v.versions.count)"
        let more = lines.count > area ? env.t("sv.more") : ""
        status(&g, left: (v.loading ? env.t("review.loading") : env.t("sv.status")) + more, right: right)
    }
}
