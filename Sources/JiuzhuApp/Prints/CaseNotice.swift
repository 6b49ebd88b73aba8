import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// The written notice a decision owes the family (最低生活保障审核确认办法, 民发〔2021〕57号: the
/// applicant is told in writing, with the reasons, of a 确认, a 不予确认, a stop and a change):
/// who it is for, the programme, the decision with its kind and the first month it bears on, the
/// reasons and the rules the case did not meet with their figures, the legal basis, how to appeal,
/// and the seal of the body that decided. Dated on the decision, never on the day it is printed
/// (a notice printed again is the same notice). A4, as plain text for any printer and as HTML for
/// a browser's print.
///
/// It goes to the family, so it carries what they need and no more: the ID number masked, no
/// phone, no bank card, no member's health.
public enum CaseNotice {
    public enum Kind: String, Equatable, Sendable, CaseIterable {
        /// 确认通知书: the decision granted the benefit (amount, persons, first month paid).
        case approval
        /// 不予确认通知书, 停止救助通知书 (取消 or 清退).
        case rejection, termination
        /// A case in force whose amount was changed (调整救助金额通知书), or whose payments
        /// were suspended (暂停发放通知书).
        case adjustment, suspension

        var action: CaseAction {
            switch self {
            case .approval: return .approve
            case .rejection: return .reject
            case .termination: return .terminate
            case .adjustment: return .adjust
            case .suspension: return .suspend
            }
        }
        var fileName: String { rawValue }
    }

    /// Whether `r` is a record a notice is about: a decision (an approval at the decision step,
    /// which the engine marks `decision`), a refusal, or a change to a case in force.
    static func isNoticeRecord(_ r: CaseStepRecord) -> Bool {
        guard let a = CaseAction(rawValue: r.action) else { return false }
        switch a {
        case .approve: return Store.object(r.inputs)["decision"] != nil
        case .reject, .terminate, .adjust, .suspend, .resume: return true
        default: return false
        }
    }

    /// The notice a case is owed now: the one of its last decision or change (a resumption ends
    /// a suspension and owes none of its own; 维持不变 changes nothing).
    public static func kind(for file: CaseFile) -> Kind? {
        guard let last = file.history.last(where: isNoticeRecord), let a = CaseAction(rawValue: last.action) else { return nil }
        switch a {
        case .approve: return file.caseRecord.status == .withdrawn ? nil : .approval
        case .reject: return .rejection
        case .terminate: return .termination
        case .adjust: return .adjustment
        case .suspend: return file.caseRecord.status == .suspended || file.caseRecord.status == .terminated ? .suspension : nil
        default: return nil
        }
    }

    /// Every notice the case's history owes, oldest first (a notice printed again for an earlier decision).
    public static func kinds(for file: CaseFile) -> [Kind] {
        var out: [Kind] = []
        for r in file.history where isNoticeRecord(r) {
            if let k = Kind.allCases.first(where: { $0.action.rawValue == r.action }), !out.contains(k) { out.append(k) }
        }
        return out
    }

    /// The monthly (or once) amount a decision record set, from its inputs.
    static func amount(_ rec: CaseStepRecord?, _ key: String? = nil) -> Money? {
        guard let rec else { return nil }
        let o = Store.object(rec.inputs)
        return Store.fen(key.map { o[$0] } ?? (o["monthlyFen"] ?? o["amountFen"])).map(Money.init(fen:))
    }

    /// What the notice says, in the environment's language.
    public struct Document: Sendable {
        public var kind: Kind
        /// Chinese (else English).
        public var zh: Bool
        /// The deciding body, in full (the county's 民政局 or the township's 人民政府).
        public var office: String
        public var title: String
        /// Case number and decision date: the same case prints the same number again.
        public var number: String
        public var addressee: String
        /// Label and value rows: head, masked ID number, village, programme, dates, kind, months.
        public var particulars: [(String, String)]
        /// The decision in one sentence.
        public var decision: String
        public var reasonsHeading: String
        public var reasons: String
        public var failedHeading: String
        /// The rules the case did not meet, each with its figures.
        public var failedRules: [String]
        public var basisHeading: String
        /// The national documents the decision rests on.
        public var basis: String
        public var appealHeading: String
        public var appeal: String
        public var seal: String
        /// The decision's date (落款日期).
        public var date: String
        public var decidedOn: CivilDate
    }

    /// The record that decided it: the last record of the kind's action that a notice is about.
    static func decisionRecord(_ file: CaseFile, kind: Kind) -> CaseStepRecord? {
        file.history.last { $0.action == kind.action.rawValue && isNoticeRecord($0) }
    }

    /// The amount in force before `rec`: the last approval or adjustment before it that set one.
    static func previousAmount(_ file: CaseFile, before rec: CaseStepRecord?) -> Money? {
        guard let rec else { return nil }
        // Kept on the record since the adjustment was made.
        if let m = amount(rec, "previousFen") { return m }
        guard let i = file.history.lastIndex(where: { $0 == rec }) else { return nil }
        for r in file.history[..<i].reversed() where r.action == CaseAction.approve.rawValue || r.action == CaseAction.adjust.rawValue {
            if let m = amount(r) { return m }
        }
        return nil
    }

    /// The reason as typed: the record's `reason` input, else its note.
    static func reason(_ rec: CaseStepRecord?) -> String {
        guard let rec else { return "" }
        if let r = Store.object(rec.inputs)["reason"] as? String, !r.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return r.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return rec.note.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// 2026年11月23日, or 2026-11-23 in English.
    public static func longDate(_ d: CivilDate, _ lang: Lang) -> String {
        say("print.notice.longDate", lang, ["year_zh": "\(d.year)", "month_zh": "\(d.month)", "day_zh": "\(d.day)", "iso_en": d.iso])
    }

    /// 2026年12月, or 2026-12.
    public static func monthText(_ m: PayMonth, _ lang: Lang) -> String {
        say("print.notice.month", lang, ["year_zh": "\(m.index / 12)", "month_zh": "\(m.index % 12 + 1)", "ym_en": m.description])
    }

    /// The body that decided, in full: the record's own (谁审批谁负责), else the case's decision's,
    /// with the county's name before a township's government (巍山县南诏镇人民政府).
    /// With nothing recorded (a case decided before bodies were), the body the office's setting
    /// makes decide: the township government where 审核确认 is delegated, else the county's 民政局.
    public static func decidingBody(_ file: CaseFile, _ rec: CaseStepRecord?, office: Office?, lang: Lang, delegated: Bool = false) -> String {
        let recorded = rec.flatMap { Store.object($0.inputs)["body"] as? String } ?? file.decidingBody
        let county = office?.countyName ?? ""
        guard var body = recorded, !body.isEmpty else {
            if !delegated { return county + say("print.notice.civilAffairs", lang) }
            let t = office?.townshipName ?? ""
            return county + t + say("print.notice.government", lang)
        }
        if !county.isEmpty && !body.hasPrefix(county) { body = county + body }
        return body
    }

    /// The national documents a decision of `programme` rests on (cited in screens/strings-prints.json).
    static func basis(_ p: Programme, _ lang: Lang) -> String {
        switch p {
        case .ruralDibao, .urbanDibao: return say("print.notice.basis.dibao", lang)
        case .tekun: return say("print.notice.basis.tekun", lang)
        case .temporary: return say("print.notice.basis.temporary", lang)
        case .medical: return say("print.notice.basis.medical", lang)
        case .disaster: return say("print.notice.basis.disaster", lang)
        }
    }

    public static func document(_ file: CaseFile, kind: Kind, env: AppEnvironment, office: Office?,
                                rules: PaymentRules = PaymentRules()) -> Document {
        let lang = env.lang
        let zh = lang == .zh
        func t(_ key: String, _ v: [String: String] = [:]) -> String { say(key, lang, v) }
        let c = file.caseRecord
        let def = env.catalog?.definition(c.programme)
        let programme = def?.label(lang) ?? c.programme.label(lang)
        let perPerson = def?.unit == "person"
        let monthly = def?.isMonthly ?? (c.monthlyAmount != nil)
        let rec = decisionRecord(file, kind: kind)
        let recorded = rec.map { Store.object($0.inputs) } ?? [:]
        let decided = rec?.actedOn ?? c.stepSince
        let stepName = rec.map { env.stepLabel(c.programme, $0.step) } ?? ""
        let body = decidingBody(file, rec, office: office, lang: lang, delegated: env.delegated)
        let head = file.head
        let name = head?.name ?? ""
        let yuan = t("print.notice.yuan")

        var rows: [(String, String)] = [
            (t("print.notice.row.head"), name),
            (t("print.notice.row.idNumber"), head.map { Masking.idNumber($0.idNumber) } ?? ""),
            (t("print.notice.row.village"), file.villageName),
        ]
        if let pid = c.personId, let p = file.members.first(where: { $0.id == pid }), p.id != head?.id {
            rows.append((t("print.notice.row.person"), p.name))
        }
        rows.append((t("print.notice.row.programme"), programme))
        rows.append((t("print.notice.row.appliedOn"), c.appliedOn.iso))
        rows.append((t("print.notice.row.decidedOn"), decided.iso))
        // 谁审批谁负责: who decided, and for which body.
        if let rec {
            let person = (recorded["approver"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? (file.approver.isEmpty ? rec.actor : file.approver)
            rows.append((t("print.notice.row.decidedBy"), person))
        }
        rows.append((t("print.notice.row.body"), body))

        let who = t(perPerson ? "print.notice.who.person" : "print.notice.who.household")
        let step = stepName.isEmpty ? t("print.notice.review") : stepName
        var v: [String: String] = ["who": who, "programme": programme, "applied": c.appliedOn.iso, "decided": decided.iso, "step": step]
        let decision: String
        var why = reason(rec)
        switch kind {
        case .approval:
            let amount = amount(rec) ?? file.amount
            v["amount"] = amount?.yuanString ?? "—"
            if monthly {
                let first = rules.startMonth(decidedOn: decided)
                let persons = (recorded["covered"] as? Int) ?? (recorded["covered"] as? String).flatMap { Int($0) } ?? c.coveredMembers
                v["month"] = monthText(first, lang)
                v["persons"] = "\(persons)"
                decision = t("print.notice.decision.approvalMonthly", v)
                rows.append((t("print.notice.row.kind"), t("print.notice.kind.approval")))
                rows.append((t("print.notice.row.persons"), "\(persons)"))
                rows.append((t("print.notice.row.monthly"), "\(v["amount"]!) \(yuan)"))
                rows.append((t("print.notice.row.firstPaid"), monthText(first, lang)))
                if let cls = c.urbanClass { rows.append((t("print.notice.row.class"), cls.rawValue)) }
                if let mode = recorded["supportMode"] as? String, !mode.isEmpty { rows.append((t("print.notice.row.supportMode"), mode)) }
                if let n = file.certificateNo { rows.append((t("print.notice.row.certificate"), n)) }
            } else {
                decision = t("print.notice.decision.approvalOnce", v)
                rows.append((t("print.notice.row.kind"), t("print.notice.kind.approval")))
                rows.append((t("print.notice.row.once"), "\(v["amount"]!) \(yuan)"))
            }
        case .rejection:
            decision = t("print.notice.decision.rejection", v)
            rows.append((t("print.notice.row.kind"), t("print.notice.kind.rejection")))
            if let s = recorded["proposedAt"] as? String {
                rows.append((t("print.notice.row.proposedAt"), env.stepLabel(c.programme, s)))
            }
        case .termination:
            let clear = (recorded["kind"] as? String) == TerminationKind.clear.rawValue
            let stop = (recorded["stopMonth"] as? String).flatMap(PayMonth.init) ?? rules.stopMonth(decidedOn: decided)
            v["month"] = monthText(stop, lang)
            decision = t(clear ? "print.notice.decision.clear" : "print.notice.decision.cancel", v)
            rows.append((t("print.notice.row.kind"), t(clear ? "print.notice.kind.clear" : "print.notice.kind.cancel")))
            rows.append((t("print.notice.row.notPaidFrom"), monthText(stop, lang)))
        case .adjustment:
            let new = amount(rec), old = previousAmount(file, before: rec)
            let from = (recorded["effectiveMonth"] as? String).flatMap(PayMonth.init) ?? rules.startMonth(decidedOn: decided)
            v["month"] = monthText(from, lang)
            v["new"] = new?.yuanString ?? "—"
            if let old {
                v["old"] = old.yuanString
                decision = t("print.notice.decision.adjustment", v)
                rows.append((t("print.notice.row.kind"), t("print.notice.kind.adjustment")))
                rows.append((t("print.notice.row.before"), "\(old.yuanString) \(yuan)"))
            } else {
                decision = t("print.notice.decision.adjustmentNew", v)
                rows.append((t("print.notice.row.kind"), t("print.notice.kind.adjustment")))
            }
            if let new { rows.append((t("print.notice.row.after"), "\(new.yuanString) \(yuan)")) }
            if let n = recorded["covered"] { rows.append((t("print.notice.row.persons"), "\(n)")) }
            rows.append((t("print.notice.row.paidFrom"), monthText(from, lang)))
        case .suspension:
            let stop = (recorded["stopMonth"] as? String).flatMap(PayMonth.init) ?? rules.stopMonth(decidedOn: decided)
            v["month"] = monthText(stop, lang)
            decision = t("print.notice.decision.suspension", v)
            rows.append((t("print.notice.row.kind"), t("print.notice.kind.suspension")))
            rows.append((t("print.notice.row.notPaidFrom"), monthText(stop, lang)))
        }
        if kind == .approval && why.isEmpty { why = t("print.notice.approvalReason") }
        // The rules a refusal or a stop failed; the others keep the case, so none.
        let failed = kind == .rejection || kind == .termination
            ? file.assessment.rules.filter { $0.pass == false && !$0.byOffice }.map { t("print.notice.failedRule", ["rule": $0.rule(lang), "detail": $0.detail(lang)]) } : []
        let county = office?.countyName ?? ""
        let reasonsKey: String
        switch kind {
        case .approval: reasonsKey = "print.notice.reasons.approval"
        case .rejection: reasonsKey = "print.notice.reasons.rejection"
        case .termination: reasonsKey = "print.notice.reasons.termination"
        case .adjustment: reasonsKey = "print.notice.reasons.adjustment"
        case .suspension: reasonsKey = "print.notice.reasons.suspension"
        }
        return Document(
            kind: kind, zh: zh, office: body,
            title: Self.title(kind, lang),
            number: t("print.notice.number", ["n": "\(IdBlock.shown(c.id ?? 0))-\(decided.iso.replacingOccurrences(of: "-", with: ""))"]),
            addressee: t("print.notice.addressee", ["name": name]),
            particulars: rows, decision: decision,
            reasonsHeading: t(reasonsKey),
            reasons: why.isEmpty ? t("print.notice.noReason") : why,
            failedHeading: t("print.notice.failed"),
            failedRules: failed,
            basisHeading: t("print.notice.basisHeading"),
            basis: basis(c.programme, lang),
            appealHeading: t("print.notice.appealHeading"),
            appeal: t("print.notice.appeal", ["county": county.isEmpty ? t("print.notice.countyFallback") : county]),
            seal: t("print.notice.seal", ["body": body]),
            date: longDate(decided, lang),
            decidedOn: decided)
    }

    public static func title(_ kind: Kind, _ lang: Lang) -> String {
        switch kind {
        case .approval: return say("print.notice.title.approval", lang)
        case .rejection: return say("print.notice.title.rejection", lang)
        case .termination: return say("print.notice.title.termination", lang)
        case .adjustment: return say("print.notice.title.adjustment", lang)
        case .suspension: return say("print.notice.title.suspension", lang)
        }
    }

    // MARK: text

    public static func text(_ file: CaseFile, kind: Kind, env: AppEnvironment, office: Office?, rules: PaymentRules = PaymentRules()) -> String {
        text(document(file, kind: kind, env: env, office: office, rules: rules))
    }

    /// Lines of at most 78 columns (an A4 page at 10 cpi with margins).
    public static func text(_ d: Document) -> String {
        let width = 78
        var out: [String] = []
        func center(_ s: String) -> String { String(repeating: " ", count: max(0, (width - s.displayWidth) / 2)) + s }
        func right(_ s: String) -> String { String(repeating: " ", count: max(0, width - s.displayWidth)) + s }
        func heading(_ s: String) { out.append(""); out.append(say("print.heading", d.zh ? .zh : .en, ["title": s])) }
        func paragraph(_ s: String, indent: String = "") {
            for l in clauseWrap(s, width: width - indent.displayWidth) { out.append(indent + l) }
        }
        out.append(center(d.office))
        out.append(center(d.title))
        out.append("")
        out.append(right(d.number))
        out.append("")
        out.append(d.addressee)
        paragraph(d.decision, indent: "    ")
        out.append("")
        for (label, value) in d.particulars {
            let lines = clauseWrap(value, width: width - 20)
            out.append(TextWidth.fit(label, 18) + "  " + (lines.first ?? ""))
            for more in lines.dropFirst() { out.append(String(repeating: " ", count: 20) + more) }
        }
        heading(d.reasonsHeading)
        paragraph(d.reasons)
        if !d.failedRules.isEmpty {
            heading(d.failedHeading)
            for r in d.failedRules {
                let lines = clauseWrap(r, width: width - 4)
                for (i, l) in lines.enumerated() { out.append((i == 0 ? "  ✗ " : "    ") + l) }
            }
        }
        heading(d.basisHeading)
        paragraph(d.basis)
        heading(d.appealHeading)
        paragraph(d.appeal)
        out.append("")
        out.append("")
        let signWidth = max(d.seal.displayWidth, d.date.displayWidth)
        out.append(right(TextWidth.fit(d.seal, signWidth)).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
        out.append("")
        out.append(right(TextWidth.fit(d.date, signWidth)).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
        return out.joined(separator: "\n") + "\n"
    }

    /// Lines of at most `width` columns that break after a clause (，。；、：) where they can, so
    /// terms such as 行政复议 stay whole and can be found in the file; a clause longer than a
    /// line is wrapped as usual.
    static func clauseWrap(_ s: String, width: Int) -> [String] {
        var clauses: [String] = []
        var cur = ""
        for ch in s {
            cur.append(ch)
            if "，。；、：".contains(ch) { clauses.append(cur); cur = "" }
        }
        if !cur.isEmpty { clauses.append(cur) }
        var out: [String] = []
        var line = ""
        for c in clauses {
            if (line + c).displayWidth <= width { line += c; continue }
            // A line less than half full takes what fits of a long clause rather than standing
            // ragged; a closing mark never starts the next line (避头点).
            if line.displayWidth < width / 2 && c.displayWidth > width / 3 {
                var head = TextWidth.prefix(c, fitting: width - line.displayWidth)
                while head.count > 1, let next = c.dropFirst(head.count).first, "）」》】〕，。；、：".contains(next) { head.removeLast() }
                out.append(line + head)
                line = ""
                let rest = String(c.dropFirst(head.count))
                if rest.displayWidth <= width { line = rest; continue }
                let parts = wrap(rest, width: width)
                out += parts.dropLast()
                line = parts.last ?? ""
                continue
            }
            if !line.isEmpty { out.append(line); line = "" }
            if c.displayWidth <= width { line = c; continue }
            let parts = wrap(c, width: width)
            out += parts.dropLast()
            line = parts.last ?? ""
        }
        if !line.isEmpty { out.append(line) }
        return out
    }

    // MARK: HTML

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;").replacingOccurrences(of: "\n", with: "<br>")
    }

    public static func html(_ file: CaseFile, kind: Kind, env: AppEnvironment, office: Office?, rules: PaymentRules = PaymentRules()) -> String {
        html(document(file, kind: kind, env: env, office: office, rules: rules))
    }

    public static func html(_ d: Document) -> String {
        var h = """
        <!DOCTYPE html>
        <html lang="\((d.zh ? Lang.zh : .en).htmlCode)"><head><meta charset="utf-8"><title>\(esc(d.title))</title>
        <style>
        @page { size: A4; margin: 20mm 18mm; }
        body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 12pt; line-height: 1.6; }
        .office { text-align: center; font-size: 14pt; } h1 { font-size: 18pt; text-align: center; margin: 4pt 0 12pt; }
        .number { text-align: right; } .decision { text-indent: 2em; }
        h2 { font-size: 12pt; margin: 12pt 0 4pt; }
        table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #000; padding: 2pt 6pt; text-align: left; vertical-align: top; }
        th { width: 24%; font-weight: normal; background: #f2f2f2; }
        ul { margin: 0; padding-left: 1.5em; } li { margin: 2pt 0; }
        .sign { margin-top: 36pt; text-align: right; } .sign p { margin: 6pt 0; }
        h2, li, tr, .sign { page-break-inside: avoid; break-inside: avoid; }
        @media print { body { margin: 0; } }
        </style></head><body>
        <div class="office">\(esc(d.office))</div>
        <h1>\(esc(d.title))</h1>
        <p class="number">\(esc(d.number))</p>
        <p>\(esc(d.addressee))</p>
        <p class="decision">\(esc(d.decision))</p>
        <table>

        """
        for (label, value) in d.particulars { h += "<tr><th>\(esc(label))</th><td>\(esc(value))</td></tr>\n" }
        h += "</table>\n<h2>\(esc(d.reasonsHeading))</h2>\n<p>\(esc(d.reasons))</p>\n"
        if !d.failedRules.isEmpty {
            h += "<h2>\(esc(d.failedHeading))</h2>\n<ul>\n"
            for r in d.failedRules { h += "<li>\(esc(r))</li>\n" }
            h += "</ul>\n"
        }
        h += "<h2>\(esc(d.basisHeading))</h2>\n<p>\(esc(d.basis))</p>\n"
        h += "<h2>\(esc(d.appealHeading))</h2>\n<p>\(esc(d.appeal))</p>\n"
        h += "<div class=\"sign\"><p>\(esc(d.seal))</p><p>\(esc(d.date))</p></div>\n</body></html>\n"
        return h
    }

    // MARK: writing

    /// Write the notice as text and HTML into `prints/` beside the database (files mode 0600),
    /// and return their paths; an approval of a monthly benefit also writes the certificate
    /// (低保证 / 供养证 / 领取证, `CaseCertificate`). An in-memory database (tests) has no
    /// folder: the temporary one.
    public static func write(_ file: CaseFile, kind: Kind, besides dbPath: String, env: AppEnvironment, office: Office?,
                             rules: PaymentRules = PaymentRules()) throws -> [String] {
        let doc = document(file, kind: kind, env: env, office: office, rules: rules)
        let dir = try PrintsFolder.url(besides: dbPath)
        let stamp = Int(Date().timeIntervalSince1970)
        let name = "notice-\(kind.fileName)-case\(IdBlock.shown(file.caseRecord.id ?? 0))-\(stamp)"
        var out: [String] = []
        for (ext, text) in [("txt", text(doc)), ("html", html(doc))] {
            let path = dir.appendingPathComponent("\(name).\(ext)").path
            try SurveyPrint.writePrivate(text, to: path)
            out.append(path)
        }
        if kind == .approval, CaseCertificate.document(file, env: env, office: office, rules: rules) != nil {
            out += try CaseCertificate.write(file, besides: dbPath, env: env, office: office, rules: rules)
        }
        return out
    }
}
