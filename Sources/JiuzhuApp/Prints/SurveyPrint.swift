import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// The filled survey as a paper form (A4) for the family and both investigators to sign: plain
/// text for any printer, and HTML for a browser's print. An internal record, not a public list:
/// ID numbers are in full, and the file is made readable by its owner only.
public enum SurveyPrint {
    public struct Document: Sendable {
        public var title: String
        public var office: String
        public var caseId: Int64?
        public var values: FormValues
        public var figures: SurveyFigures
        /// Printed again after a decision: who decided, for which body, when (谁审批谁负责).
        public var decision: String?
    }

    public static func document(values: FormValues, caseId: Int64?, figures: SurveyFigures, env: AppEnvironment, office: Office?) -> Document {
        let place = [office?.countyName, office?.townshipName].compactMap { $0 }.joined()
        return Document(title: env.t("print.surveyTitle"), office: place.isEmpty ? env.township : place, caseId: caseId,
                        values: values, figures: figures)
    }

    /// The decision on a case, for a survey printed again after it: who decided, for which body,
    /// what and when (谁审批谁负责); nil before a decision.
    public static func decisionLine(_ file: CaseFile, lang: Lang) -> String? {
        guard let rec = file.decisionRecord else { return nil }
        let who = file.approver.isEmpty ? rec.actor : file.approver
        let what = rec.action == CaseAction.reject.rawValue ? CaseAction.reject.label(lang) : say("print.survey.approved", lang)
        return say("print.survey.decidedBy", lang, ["who": who, "body": file.decidingBody ?? "—", "date": rec.actedOn.iso, "what": what])
    }

    /// Write both forms beside the database, in `prints/`, and return their paths.
    /// `version`: an earlier version of a case's survey (issue 21 item 4), named in the title and the file name.
    public static func write(values: FormValues, caseId: Int64?, version: Int? = nil, besides dbPath: String, env: AppEnvironment, office: Office?) throws -> [String] {
        var doc = document(values: values, caseId: caseId, figures: env.forms.rules.figures(values), env: env, office: office)
        if let v = version { doc.title += env.t("print.surveyVersion", ["v": String(v)]) }
        let dir = try PrintsFolder.url(besides: dbPath)
        let stamp = Int(Date().timeIntervalSince1970)
        let base = caseId.map { "survey-case\(IdBlock.shown($0))" + (version.map { "-v\($0)" } ?? "") + "-\(stamp)" } ?? "survey-draft-\(stamp)"
        var out: [String] = []
        for (ext, text) in [("txt", self.text(doc, env: env)), ("html", html(doc, env: env))] {
            let path = dir.appendingPathComponent("\(base).\(ext)").path
            try writePrivate(text, to: path)
            out.append(path)
        }
        return out
    }

    /// Write a file readable by its owner only (0600), whole or not at all (`SafeFile`). A file
    /// in `prints/` is replaced (`force`); a path a person typed is not, unless they say so.
    public static func writePrivate(_ text: String, to path: String, force: Bool = true) throws {
        try SafeFile.write(text, to: path, force: force)
    }

    // MARK: content shared by both forms

    /// Label and value rows of a section that is not repeated.
    static func rows(_ section: String, _ d: Document, env: AppEnvironment) -> [(String, String)] {
        guard let spec = env.screens.forms[ApplicationForm.formId], let s = spec.section(section) else { return [] }
        return s.fields.filter { spec.applies($0, section: s, item: nil, in: d.values) }.map { f in
            (f.label(env.lang), value(f, FieldRef(section: section, field: f.id), d, env: env))
        }
    }

    static func value(_ f: FieldSpec, _ r: FieldRef, _ d: Document, env: AppEnvironment) -> String {
        let raw = d.values[r] ?? ""
        switch f.kind {
        case .code: return env.forms.label(f.codes ?? "", raw, env.lang, values: d.values)
        case .multi: return raw.split(separator: ",").map { env.forms.label(f.codes ?? "", String($0), env.lang, values: d.values) }.joined(separator: env.t("list.separator"))
        case .yesno: return raw.isEmpty ? "" : env.t(raw == "yes" ? "yes" : "no")
        case .computed: return env.forms.rules.computed(f.compute ?? "", ref: r, values: d.values, figures: d.figures, lang: env.lang)
        case .household: return raw.isEmpty ? env.t("print.newHousehold") : "#\(raw)"
        case .money: return raw.isEmpty ? "" : env.t("print.survey.yuan", ["amount": Money(yuanText: raw)?.yuanString ?? raw])
        default: return raw
        }
    }

    static let memberColumns = ["name", "relation", "sex", "birth_date", "ethnicity", "health", "work_ability", "co_resident", "id_number"]
    static let incomeColumns = ["member", "kind", "amount", "note"]

    static func table(_ section: String, _ columns: [String], _ d: Document, env: AppEnvironment) -> (header: [String], rows: [[String]]) {
        guard let spec = env.screens.forms[ApplicationForm.formId], let s = spec.section(section) else { return ([], []) }
        let fields = columns.compactMap { c in s.fields.first { $0.id == c } }
        let rows = d.values.items(section).indices.map { i in
            fields.map { f -> String in
                var v = value(f, FieldRef(section: section, item: i, field: f.id), d, env: env)
                if f.id == "health", let t = d.values.items(section)[i]["disability_type"], !t.isEmpty {
                    v += "(" + env.forms.label("disability_type", t, env.lang, values: d.values) +
                        (d.values.items(section)[i]["disability_level"].map { " " + env.forms.label("disability_level", $0, env.lang, values: d.values) } ?? "") + ")"
                }
                return v
            }
        }
        return (fields.map { $0.label(env.lang) }, rows)
    }

    /// The co-resident adults (18 or over on the print day, or of unknown age) of the member
    /// table, with their relation: each signs the authorisation to check the family's finances
    /// (授权书: 最低生活保障审核确认办法 asks every co-resident family member to authorise it).
    static func adults(_ d: Document, env: AppEnvironment) -> [(name: String, relation: String)] {
        let codes = env.screens.forms[ApplicationForm.formId]?.section("members")?.fields.first { $0.id == "relation" }?.codes ?? "relation"
        return d.values.items("members").compactMap { m in
            let name = (m["name"] ?? "").trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, m["co_resident"] != "no", m["absent"] != "yes" else { return nil }
            if let id = m["id_number"].flatMap({ IDNumber($0, today: env.today) }), id.age(on: env.today) < 18 { return nil }
            if (m["id_number"] ?? "").uppercased().hasPrefix("BC") { return nil }   // a newborn's birth certificate
            return (name, env.forms.label(codes, m["relation"] ?? "", env.lang, values: d.values))
        }
    }

    /// The authorisation lines, one per co-resident adult, then the investigators and the village.
    static func signatureLines(_ d: Document, env: AppEnvironment) -> [String] {
        let f = d.values.fields
        var out = adults(d, env: env).map { env.t("print.survey.signMember", ["name": $0.name, "relation": $0.relation]) }
        if out.isEmpty { out = [env.t("print.signApplicant")] }
        return out + [env.t("print.signInvestigator", ["n": "1", "name": f["investigator1"] ?? ""]),
                      env.t("print.signInvestigator", ["n": "2", "name": f["investigator2"] ?? ""]),
                      env.t("print.signVillage")]
    }

    /// The opinion boxes below the signatures: the village's, the township's review (审核) and
    /// the county's confirmation (审批确认), each with the signer, the seal and the date.
    static func opinionBoxes(env: AppEnvironment) -> [(title: String, signers: String)] {
        [(env.t("print.survey.opinionVillage"), env.t("print.survey.opinionSigners")),
         (env.t("print.survey.opinionTownship"), env.t("print.survey.opinionSigners")),
         (env.t("print.survey.opinionCounty"), env.t("print.survey.opinionSigners"))]
    }

    /// A table of at most `width` columns: every column gets its natural width when that fits;
    /// else the widest columns other than `keep` give up width and their cells wrap onto more
    /// lines (never cut), so a member's health or a long relation stays whole.
    static func tableLines(header: [String], rows: [[String]], width: Int, keep: Set<Int> = []) -> [String] {
        guard !header.isEmpty else { return [] }
        let natural = header.indices.map { c in max(header[c].displayWidth, rows.map { $0[c].displayWidth }.max() ?? 0) }
        var widths = natural
        func total() -> Int { widths.reduce(0, +) + widths.count - 1 }
        // The smallest a column may get: its longest unbreakable piece, at least 4 columns (two characters).
        while total() > width {
            guard let c = widths.indices.filter({ !keep.contains($0) && widths[$0] > 4 }).max(by: { widths[$0] < widths[$1] }) else { break }
            widths[c] -= 1
        }
        func lines(_ cells: [String]) -> [String] {
            let parts = cells.indices.map { PublicText.wrap(cells[$0], max(2, widths[$0])) }
            let height = parts.map(\.count).max() ?? 1
            return (0..<height).map { i in
                parts.indices.map { c in TextWidth.fit(i < parts[c].count ? parts[c][i] : "", widths[c]) }.joined(separator: " ")
                    .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
            }
        }
        var out = lines(header)
        out.append(String(repeating: "-", count: min(width, total())))
        for r in rows { out += lines(r) }
        return out
    }

    // MARK: text

    public static func text(_ d: Document, env: AppEnvironment) -> String {
        let width = 78
        var out: [String] = []
        func center(_ s: String) -> String { String(repeating: " ", count: max(0, (width - s.displayWidth) / 2)) + s }
        func heading(_ s: String) { out.append(""); out.append(env.t("print.heading", ["title": s])) }
        out.append(center(d.office))
        out.append(center(d.title))
        out.append("")
        var ident = env.t("print.caseNo", ["case": d.caseId.map(IdBlock.shown) ?? env.t("print.notSubmitted")])
        ident += "    " + env.t("print.printedOn", ["date": env.today.iso])
        out.append(ident)
        guard let spec = env.screens.forms[ApplicationForm.formId] else { return out.joined(separator: "\n") }
        // A section shown only for another programme (医疗救助's bills, 特困's supporters) is not printed.
        for s in spec.sections where spec.applies(s, in: d.values) {
            heading(s.title(env.lang))
            if s.id == "members" || s.id == "income" {
                let t = table(s.id, s.id == "members" ? memberColumns : incomeColumns, d, env: env)
                // The ID number is never wrapped (it is checked against the card by eye).
                let keep = Set(s.id == "members" ? ["name", "birth_date", "id_number"].compactMap { memberColumns.firstIndex(of: $0) } : [])
                out += tableLines(header: t.header, rows: t.rows, width: width, keep: keep)
                if t.rows.isEmpty { out.append(env.t("print.none")) }
                continue
            }
            for (label, value) in rows(s.id, d, env: env) {
                // A long label wraps in its own column rather than being cut.
                let labels = PublicText.wrap(label, 18)
                let lines = wrap(value, width: width - 20)
                for i in 0..<max(labels.count, lines.count, 1) {
                    let l = i < labels.count ? labels[i] : ""
                    let v = i < lines.count ? lines[i] : ""
                    out.append((TextWidth.fit(l, 18) + "  " + v).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
                }
            }
        }
        heading(env.t("print.figures"))
        out += CaseNotice.clauseWrap(env.t("print.figuresLine", ["counted": String(d.figures.membersCounted), "listed": String(d.figures.membersListed),
                                               "income": d.figures.incomeCountedYearly.yuanString,
                                               "excluded": d.figures.incomeExcludedYearly.yuanString,
                                               "perCapita": d.figures.perCapitaMonthly.yuanString]), width: width)
        for a in d.figures.assets {
            for (i, l) in CaseNotice.clauseWrap(a.text(env.lang), width: width - 4).enumerated() { out.append((i > 0 ? "    " : a.pass ? "  ✓ " : "  ✗ ") + l) }
        }
        heading(env.t("print.signatures"))
        out += CaseNotice.clauseWrap(env.t("print.declaration"), width: width)
        out.append("")
        let blank = env.t("print.survey.dateBlank")
        for l in signatureLines(d, env: env) {
            // Label, a line to sign on, and the date, in 78 columns whatever the label's length.
            let tail = "  " + env.t("print.date") + " " + blank
            let room = width - tail.displayWidth - l.displayWidth - 2
            out.append(room >= 12 ? l + "  " + String(repeating: "_", count: min(24, room)) + tail
                                  : l)
            if room < 12 { out.append("    " + String(repeating: "_", count: 24) + tail) }
            out.append("")
        }
        for box in opinionBoxes(env: env) {
            let inner = width - 4
            out.append("+" + String(repeating: "-", count: width - 2) + "+")
            out.append("| " + TextWidth.fit(box.title, inner) + " |")
            for _ in 0..<3 { out.append("| " + String(repeating: " ", count: inner) + " |") }
            out.append("| " + TextWidth.fit(box.signers + "    " + blank, inner, alignRight: true) + " |")
            out.append("+" + String(repeating: "-", count: width - 2) + "+")
        }
        if let dec = d.decision { out.append(dec) }
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: HTML

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "\n", with: "<br>")
    }

    public static func html(_ d: Document, env: AppEnvironment) -> String {
        var h = """
        <!DOCTYPE html>
        <html lang="\(env.lang.htmlCode)"><head><meta charset="utf-8"><title>\(esc(d.title))</title>
        <style>
        @page { size: A4; margin: 15mm; }
        body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 11pt; }
        h1 { font-size: 16pt; text-align: center; margin: 0; } .office { text-align: center; }
        h2 { font-size: 12pt; border-bottom: 1px solid #000; margin: 10pt 0 4pt; }
        table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #000; padding: 2pt 4pt; text-align: left; vertical-align: top; }
        th { background: #eee; } .kv th { width: 28%; } .sign td { height: 28pt; border: none; border-bottom: 1px solid #000; }
        .fail { font-weight: bold; }
        .opinion { border: 1px solid #000; margin-top: 8pt; padding: 4pt 6pt; height: 90pt; position: relative; break-inside: avoid; page-break-inside: avoid; }
        .opinion p { margin: 0; } .opinion .signers { position: absolute; right: 6pt; bottom: 4pt; }
        </style></head><body>
        <div class="office">\(esc(d.office))</div>
        <h1>\(esc(d.title))</h1>
        <p>\(esc(env.t("print.caseNo", ["case": d.caseId.map(IdBlock.shown) ?? env.t("print.notSubmitted")])))　\(esc(env.t("print.printedOn", ["date": env.today.iso])))</p>

        """
        guard let spec = env.screens.forms[ApplicationForm.formId] else { return h + "</body></html>\n" }
        for s in spec.sections where spec.applies(s, in: d.values) {
            h += "<h2>\(esc(s.title(env.lang)))</h2>\n"
            if s.id == "members" || s.id == "income" {
                let t = table(s.id, s.id == "members" ? memberColumns : incomeColumns, d, env: env)
                h += "<table><tr>" + t.header.map { "<th>\(esc($0))</th>" }.joined() + "</tr>\n"
                for r in t.rows { h += "<tr>" + r.map { "<td>\(esc($0))</td>" }.joined() + "</tr>\n" }
                if t.rows.isEmpty { h += "<tr><td colspan=\"\(t.header.count)\">\(esc(env.t("print.none")))</td></tr>\n" }
                h += "</table>\n"
                continue
            }
            h += "<table class=\"kv\">\n"
            for (label, value) in rows(s.id, d, env: env) { h += "<tr><th>\(esc(label))</th><td>\(esc(value))</td></tr>\n" }
            h += "</table>\n"
        }
        h += "<h2>\(esc(env.t("print.figures")))</h2>\n<p>" + esc(env.t("print.figuresLine", [
            "counted": String(d.figures.membersCounted), "listed": String(d.figures.membersListed),
            "income": d.figures.incomeCountedYearly.yuanString, "excluded": d.figures.incomeExcludedYearly.yuanString,
            "perCapita": d.figures.perCapitaMonthly.yuanString])) + "</p>\n<ul>\n"
        for a in d.figures.assets { h += "<li\(a.pass ? "" : " class=\"fail\"")>\(a.pass ? "✓" : "✗") \(esc(a.text(env.lang)))</li>\n" }
        h += "</ul>\n<h2>\(esc(env.t("print.signatures")))</h2>\n<p>\(esc(env.t("print.declaration")))</p>\n<table class=\"sign\">\n"
        for l in signatureLines(d, env: env) {
            h += "<tr><th style=\"border:none;background:none;width:40%\">\(esc(l))</th><td></td><th style=\"border:none;background:none;width:8%\">\(esc(env.t("print.date")))</th><td style=\"width:22%\"></td></tr>\n"
        }
        h += "</table>\n"
        for box in opinionBoxes(env: env) {
            h += "<div class=\"opinion\"><p>\(esc(box.title))</p><p class=\"signers\">\(esc(box.signers))  \(esc(env.t("print.survey.dateBlank")))</p></div>\n"
        }
        if let dec = d.decision { h += "<p>\(esc(dec))</p>\n" }
        h += "</body></html>\n"
        return h
    }
}
