import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// The benefit certificate a monthly benefit is issued with once decided (step 9 of the rural
/// 十步流程, 发放领取证): 农村居民最低生活保障领取证, 城市居民最低生活保障证, 特困人员救助供养证.
/// One A4 page: the certificate number, the holder, the persons covered (names and relations
/// only), the class or support mode, the monthly amount and the first month paid, the issuing
/// body's seal and the decision's date, the holder's duties (民发〔2021〕57号: a change in the
/// family's members, income or property is to be reported), and a table of payments received.
/// It goes to the family: the ID number masked, no phone, no bank card, no health.
public enum CaseCertificate {
    public struct Document: Sendable {
        public var zh: Bool
        public var office: String
        public var title: String
        public var number: String
        public var rows: [(String, String)]
        public var membersHeading: String
        /// Name and relation of each person covered.
        public var members: [(String, String)]
        public var dutiesHeading: String
        public var duties: String
        public var recordHeading: String
        public var recordColumns: [String]
        /// The months of the first year, from the first month paid.
        public var recordMonths: [String]
        public var seal: String
        public var date: String
    }

    static func titleKey(_ p: Programme) -> String? {
        switch p {
        case .ruralDibao: return "print.certificate.title.ruralDibao"
        case .urbanDibao: return "print.certificate.title.urbanDibao"
        case .tekun: return "print.certificate.title.tekun"
        default: return nil
        }
    }

    /// The certificate of a decided monthly benefit; nil for a programme that issues none, or a
    /// case never approved.
    public static func document(_ file: CaseFile, env: AppEnvironment, office: Office?, rules: PaymentRules = PaymentRules()) -> Document? {
        let lang = env.lang
        func t(_ key: String, _ v: [String: String] = [:]) -> String { say(key, lang, v) }
        let c = file.caseRecord
        guard let key = titleKey(c.programme), let rec = CaseNotice.decisionRecord(file, kind: .approval),
              [.active, .suspended, .terminated].contains(c.status) || c.status == .inProgress else { return nil }
        let decided = rec.actedOn
        let body = CaseNotice.decidingBody(file, rec, office: office, lang: lang, delegated: env.delegated)
        let first = rules.startMonth(decidedOn: decided)
        let perPerson = env.catalog?.definition(c.programme).unit == "person"
        let holder: Person? = perPerson ? (c.personId.flatMap { pid in file.members.first { $0.id == pid } } ?? file.head) : file.head
        let covered: [Person] = perPerson ? [holder].compactMap { $0 }
            : file.members.filter { $0.coResident && !$0.absent && $0.diedOn == nil && $0.leftOn == nil }
        let yuan = t("print.notice.yuan")
        var rows: [(String, String)] = [
            (t(perPerson ? "print.certificate.row.holder" : "print.certificate.row.head"), holder?.name ?? ""),
            (t("print.notice.row.idNumber"), holder.map { Masking.idNumber($0.idNumber) } ?? ""),
            (t("print.notice.row.village"), file.villageName),
            (t("print.notice.row.programme"), env.catalog?.definition(c.programme).label(lang) ?? c.programme.label(lang)),
        ]
        if let cls = c.urbanClass { rows.append((t("print.notice.row.class"), cls.rawValue)) }
        if let mode = Store.object(rec.inputs)["supportMode"] as? String, !mode.isEmpty { rows.append((t("print.notice.row.supportMode"), mode)) }
        rows.append((t("print.notice.row.persons"), "\(c.coveredMembers)"))
        let monthly = c.monthlyAmount ?? CaseNotice.amount(rec)
        rows.append((t("print.notice.row.monthly"), monthly.map { "\($0.yuanString) \(yuan)" } ?? "—"))
        rows.append((t("print.notice.row.firstPaid"), CaseNotice.monthText(first, lang)))
        rows.append((t("print.notice.row.decidedOn"), decided.iso))
        rows.append((t("print.notice.row.body"), body))
        let months = (0..<12).map { CaseNotice.monthText(first.adding($0), lang) }
        return Document(
            zh: lang == .zh, office: body, title: t(key),
            number: t("print.certificate.number", ["n": file.certificateNo ?? IdBlock.shown(c.id ?? 0)]),
            rows: rows,
            membersHeading: t("print.certificate.members", ["n": "\(covered.count)"]),
            members: covered.map { ($0.name, $0.isHead ? t("print.certificate.headRelation") : env.label("relationship", $0.relation)) },
            dutiesHeading: t("print.certificate.dutiesHeading"),
            duties: t("print.certificate.duties"),
            recordHeading: t("print.certificate.recordHeading"),
            recordColumns: [t("print.certificate.col.month"), t("print.certificate.col.amount"), t("print.certificate.col.signature"), t("print.certificate.col.note")],
            recordMonths: months,
            seal: t("print.notice.seal", ["body": body]),
            date: CaseNotice.longDate(decided, lang))
    }

    // MARK: text

    /// One page of at most 78 columns.
    public static func text(_ d: Document) -> String {
        let width = 78
        var out: [String] = []
        func center(_ s: String) -> String { String(repeating: " ", count: max(0, (width - s.displayWidth) / 2)) + s }
        func right(_ s: String) -> String { String(repeating: " ", count: max(0, width - s.displayWidth)) + s }
        func heading(_ s: String) { out.append(""); out.append(say("print.heading", d.zh ? .zh : .en, ["title": s])) }
        out.append(center(d.office))
        out.append(center(d.title))
        out.append("")
        out.append(right(d.number))
        out.append("")
        for (label, value) in d.rows { out.append(TextWidth.fit(label, 18) + "  " + value) }
        heading(d.membersHeading)
        // Two to a line: name and relation in 36 columns each.
        var pair: [String] = []
        for (i, m) in d.members.enumerated() {
            pair.append(TextWidth.fit("\(i + 1). \(m.0)", 22) + TextWidth.fit(m.1, 14))
            if pair.count == 2 { out.append(pair.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)); pair = [] }
        }
        if !pair.isEmpty { out.append(pair.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)) }
        heading(d.dutiesHeading)
        for l in CaseNotice.clauseWrap(d.duties, width: width) { out.append(l) }
        out.append("")
        out.append(right(d.seal))
        out.append(right(d.date))
        heading(d.recordHeading)
        let widths = [14, 14, 24, 20]
        func row(_ cells: [String]) -> String {
            "|" + zip(cells, widths).map { " " + TextWidth.fit($0, $1 - 2) + " " }.joined(separator: "|") + "|"
        }
        let rule = "+" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "+") + "+"
        out.append(rule)
        out.append(row(d.recordColumns))
        out.append(rule)
        for m in d.recordMonths { out.append(row([m, "", "", ""])); out.append(rule) }
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: HTML

    public static func html(_ d: Document) -> String {
        let esc = CaseNotice.esc
        var h = """
        <!DOCTYPE html>
        <html lang="\((d.zh ? Lang.zh : .en).htmlCode)"><head><meta charset="utf-8"><title>\(esc(d.title))</title>
        <style>
        @page { size: A4; margin: 18mm 18mm; }
        body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 12pt; line-height: 1.5; }
        .office { text-align: center; font-size: 14pt; } h1 { font-size: 18pt; text-align: center; margin: 4pt 0 10pt; }
        .number { text-align: right; } h2 { font-size: 12pt; margin: 10pt 0 4pt; }
        table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #000; padding: 2pt 6pt; text-align: left; vertical-align: top; }
        table.kv th { width: 24%; font-weight: normal; background: #f2f2f2; }
        table.record td { height: 16pt; }
        .sign { margin-top: 12pt; text-align: right; } .sign p { margin: 4pt 0; }
        tr, .sign { page-break-inside: avoid; break-inside: avoid; }
        </style></head><body>
        <div class="office">\(esc(d.office))</div>
        <h1>\(esc(d.title))</h1>
        <p class="number">\(esc(d.number))</p>
        <table class="kv">

        """
        for (label, value) in d.rows { h += "<tr><th>\(esc(label))</th><td>\(esc(value))</td></tr>\n" }
        h += "</table>\n<h2>\(esc(d.membersHeading))</h2>\n<table>\n"
        for (i, m) in d.members.enumerated() { h += "<tr><td>\(i + 1)</td><td>\(esc(m.0))</td><td>\(esc(m.1))</td></tr>\n" }
        h += "</table>\n<h2>\(esc(d.dutiesHeading))</h2>\n<p>\(esc(d.duties))</p>\n"
        h += "<div class=\"sign\"><p>\(esc(d.seal))</p><p>\(esc(d.date))</p></div>\n"
        h += "<h2>\(esc(d.recordHeading))</h2>\n<table class=\"record\">\n<tr>" + d.recordColumns.map { "<th>\(esc($0))</th>" }.joined() + "</tr>\n"
        for m in d.recordMonths { h += "<tr><td>\(esc(m))</td><td></td><td></td><td></td></tr>\n" }
        h += "</table>\n</body></html>\n"
        return h
    }

    /// Write the certificate as text and HTML into `prints/` beside the database (0600); none
    /// when the case has no certificate.
    public static func write(_ file: CaseFile, besides dbPath: String, env: AppEnvironment, office: Office?,
                             rules: PaymentRules = PaymentRules()) throws -> [String] {
        guard let doc = document(file, env: env, office: office, rules: rules) else { return [] }
        let dir = try PrintsFolder.url(besides: dbPath)
        let stamp = Int(Date().timeIntervalSince1970)
        let name = "certificate-case\(IdBlock.shown(file.caseRecord.id ?? 0))-\(stamp)"
        var out: [String] = []
        for (ext, text) in [("txt", text(doc)), ("html", html(doc))] {
            let path = dir.appendingPathComponent("\(name).\(ext)").path
            try SurveyPrint.writePrivate(text, to: path)
            out.append(path)
        }
        return out
    }
}
