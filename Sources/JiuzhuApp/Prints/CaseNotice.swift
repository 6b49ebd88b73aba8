import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// The written notice a refused (不予批准通知书) or stopped (停止救助通知书) case is owed: who it
/// is for, the programme, the decision and its date, the reasons and the rules the case did not
/// meet with their figures, how to appeal, and room for the office's seal. A4, as plain text
/// for any printer and as HTML for a browser's print.
///
/// It goes to the family, so it carries what they need and no more: the ID number masked, no
/// phone, no bank card, no member's health.
public enum CaseNotice {
    public enum Kind: Equatable, Sendable {
        case rejection, termination
        /// A case in force whose amount was changed (调整救助金额通知书), or whose payments
        /// were suspended (暂停发放通知书).
        case adjustment, suspension

        var action: CaseAction {
            switch self {
            case .rejection: return .reject
            case .termination: return .terminate
            case .adjustment: return .adjust
            case .suspension: return .suspend
            }
        }
        var fileName: String {
            switch self {
            case .rejection: return "rejection"
            case .termination: return "termination"
            case .adjustment: return "adjustment"
            case .suspension: return "suspension"
            }
        }
    }

    /// The notice a case is owed, if any: refused cases, stopped ones, and a case in force
    /// whose last decision changed its amount or suspended it.
    public static func kind(for file: CaseFile) -> Kind? {
        switch file.caseRecord.status {
        case .rejected: return .rejection
        case .terminated: return .termination
        case .suspended: return .suspension
        case .active:
            // The last decision that changed what is paid (维持不变 changes nothing; a resume
            // ends a suspension and owes no notice of its own).
            let changes: [CaseAction] = [.adjust, .suspend, .resume]
            let last = file.history.last { CaseAction(rawValue: $0.action).map(changes.contains) == true }
            return last?.action == CaseAction.adjust.rawValue ? .adjustment : nil
        default: return nil
        }
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
        public var office: String
        public var title: String
        /// Case number and decision date: the same case prints the same number again.
        public var number: String
        public var addressee: String
        /// Label and value rows: head, masked ID number, village, programme, dates.
        public var particulars: [(String, String)]
        /// The decision in one sentence.
        public var decision: String
        public var reasonsHeading: String
        public var reasons: String
        public var failedHeading: String
        /// The rules the case did not meet, each with its figures.
        public var failedRules: [String]
        public var appealHeading: String
        public var appeal: String
        public var seal: String
        public var date: String
    }

    public static let appealZh = "如对本决定不服，可自收到本通知之日起60日内向县人民政府或上一级民政部门申请行政复议，或在6个月内向人民法院提起行政诉讼。"
    public static let appealEn = "If you disagree with this decision, you may apply for administrative reconsideration to the county people's government or to the civil-affairs department at the next level up within 60 days of receiving this notice, or bring an administrative lawsuit before a people's court within 6 months."

    /// The record that decided it: the last refusal or stop in the history.
    static func decisionRecord(_ file: CaseFile, kind: Kind) -> CaseStepRecord? {
        file.history.last { $0.action == kind.action.rawValue }
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

    static func longDate(_ d: CivilDate, _ lang: Lang) -> String {
        lang == .zh ? "\(d.year)年\(d.month)月\(d.day)日" : d.iso
    }

    public static func document(_ file: CaseFile, kind: Kind, env: AppEnvironment, office: Office?) -> Document {
        let zh = env.lang == .zh
        let c = file.caseRecord
        let def = env.catalog?.definition(c.programme)
        let programme = def?.label(env.lang) ?? c.programme.label(env.lang)
        let perPerson = def?.unit == "person"
        let rec = decisionRecord(file, kind: kind)
        let decided = rec?.actedOn ?? c.stepSince
        let stepName = rec.map { env.stepLabel(c.programme, $0.step) } ?? ""
        let place = [office?.countyName, office?.townshipName].compactMap { $0 }.joined()
        let officeName = place.isEmpty ? env.township : place
        let head = file.head
        let name = head?.name ?? ""

        var rows: [(String, String)] = [
            (zh ? "户主" : "Head of household", name),
            (zh ? "身份证号" : "ID number", head.map { Masking.idNumber($0.idNumber) } ?? ""),
            (zh ? "村/社区" : "Village", file.villageName),
        ]
        if let pid = c.personId, let p = file.members.first(where: { $0.id == pid }), p.id != head?.id {
            rows.append((zh ? "救助对象" : "Person assisted", p.name))
        }
        rows.append((zh ? "救助项目" : "Programme", programme))
        rows.append((zh ? "申请日期" : "Applied on", c.appliedOn.iso))
        rows.append((zh ? "决定日期" : "Decided on", decided.iso))
        // 谁审批谁负责: who decided, and for which body.
        if kind == .rejection || kind == .termination, let rec {
            let o = Store.object(rec.inputs)
            let person = (o["approver"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? (file.approver.isEmpty ? rec.actor : file.approver)
            rows.append((zh ? "决定人" : "Decided by", person))
            if let body = (o["body"] as? String) ?? file.decidingBody { rows.append((zh ? "决定机关" : "Deciding body", body)) }
        }

        let who = zh ? (perPerson ? "你" : "你户") : (perPerson ? "You" : "Your household")
        let at = stepName.isEmpty ? "" : (zh ? "经\(stepName)，" : " at \(stepName)")
        let decision: String
        switch kind {
        case .rejection:
            decision = zh ? "\(who)于 \(c.appliedOn.iso) 申请的\(programme)，\(at)于 \(decided.iso) 决定不予批准。特此通知。"
                          : "\(who) applied for \(programme) on \(c.appliedOn.iso). On \(decided.iso) it was decided\(at) not to grant it."
            if let o = rec.map({ Store.object($0.inputs) }), let step = o["proposedAt"] as? String {
                rows.append((zh ? "提出不予意见" : "Refusal proposed at", env.stepLabel(c.programme, step)))
            }
        case .termination:
            // A stop is recorded at the step the case ended at (the payment), which says nothing to the family.
            decision = zh ? "\(who)享受的\(programme)，经复核，于 \(decided.iso) 决定停止救助。特此通知。"
                          : "On review, it was decided on \(decided.iso) to stop the \(programme) that \(perPerson ? "you receive" : "your household receives")."
        case .adjustment:
            let new = amount(rec), old = previousAmount(file, before: rec)
            let per = zh ? (c.programme == .ruralDibao || c.programme == .urbanDibao || c.programme == .tekun ? "月救助金" : "救助金")
                         : "monthly payment"
            if let new, let old {
                decision = zh ? "\(who)享受的\(programme)，经复核，自 \(decided.iso) 起\(per)由 \(old.yuanString) 元调整为 \(new.yuanString) 元。特此通知。"
                              : "On review, the \(per) of the \(programme) that \(perPerson ? "you receive" : "your household receives") changes from \(old.yuanString) to \(new.yuanString) yuan from \(decided.iso)."
                rows.append((zh ? "调整前\(per)" : "Before", "\(old.yuanString) \(zh ? "元" : "yuan")"))
            } else {
                decision = zh ? "\(who)享受的\(programme)，经复核，自 \(decided.iso) 起\(per)调整为 \(new?.yuanString ?? "—") 元。特此通知。"
                              : "On review, the \(per) of the \(programme) changes to \(new?.yuanString ?? "—") yuan from \(decided.iso)."
            }
            if let new { rows.append((zh ? "调整后\(per)" : "From now on", "\(new.yuanString) \(zh ? "元" : "yuan")")) }
        case .suspension:
            decision = zh ? "\(who)享受的\(programme)，经复核，自 \(decided.iso) 起暂停发放，待核实后恢复或停止。特此通知。"
                          : "On review, payment of the \(programme) that \(perPerson ? "you receive" : "your household receives") is suspended from \(decided.iso) until it is checked again."
        }
        // The month payment stops (停发月份) or a new amount is paid from, as recorded.
        let recorded = rec.map { Store.object($0.inputs) } ?? [:]
        if kind == .termination || kind == .suspension, let m = recorded["stopMonth"] as? String {
            rows.append((zh ? "停发月份" : "Not paid from", zh ? "\(m) 起停发" : m))
        }
        if kind == .adjustment, let m = recorded["effectiveMonth"] as? String {
            rows.append((zh ? "执行月份" : "Paid from", zh ? "\(m) 起按调整后金额发放" : m))
        }
        let why = reason(rec)
        // The rules a refusal or a stop failed; an adjustment or a suspension keeps the case, so none.
        let failed = kind == .rejection || kind == .termination
            ? file.assessment.rules.filter { $0.pass == false && !$0.byOffice }.map { "\($0.rule(env.lang))\(zh ? "：" : ": ")\($0.detail(env.lang))" } : []
        return Document(
            kind: kind, zh: zh, office: officeName,
            title: Self.title(kind, zh),
            number: zh ? "编号：第 \(c.id ?? 0)-\(decided.iso.replacingOccurrences(of: "-", with: "")) 号"
                       : "No. \(c.id ?? 0)-\(decided.iso.replacingOccurrences(of: "-", with: ""))",
            addressee: zh ? "\(name)：" : "To \(name):",
            particulars: rows, decision: decision,
            reasonsHeading: Self.reasonsHeading(kind, zh),
            reasons: why.isEmpty ? (zh ? "（未记录理由）" : "(no reason was recorded)") : why,
            failedHeading: zh ? "不符合的条件" : "Conditions not met",
            failedRules: failed,
            appealHeading: zh ? "救济途径" : "How to appeal",
            appeal: zh ? appealZh : appealEn,
            seal: zh ? "\(officeName)（盖章）" : "\(officeName) (seal)",
            date: (zh ? "日期：" : "Date: ") + longDate(env.today, env.lang))
    }

    public static func title(_ kind: Kind, _ zh: Bool) -> String {
        switch kind {
        case .rejection: return zh ? "不予批准通知书" : "Notice of Refusal of Assistance"
        case .termination: return zh ? "停止救助通知书" : "Notice of Termination of Assistance"
        case .adjustment: return zh ? "调整救助金额通知书" : "Notice of Change in Assistance"
        case .suspension: return zh ? "暂停发放通知书" : "Notice of Suspension of Payments"
        }
    }

    static func reasonsHeading(_ kind: Kind, _ zh: Bool) -> String {
        switch kind {
        case .rejection: return zh ? "不予批准的理由" : "Reasons for the refusal"
        case .termination: return zh ? "停止救助的理由" : "Reasons for stopping assistance"
        case .adjustment: return zh ? "调整的理由" : "Reasons for the change"
        case .suspension: return zh ? "暂停发放的理由" : "Reasons for the suspension"
        }
    }

    // MARK: text

    public static func text(_ file: CaseFile, kind: Kind, env: AppEnvironment, office: Office?) -> String {
        text(document(file, kind: kind, env: env, office: office))
    }

    public static func text(_ d: Document) -> String {
        let width = 78
        var out: [String] = []
        func center(_ s: String) -> String { String(repeating: " ", count: max(0, (width - s.displayWidth) / 2)) + s }
        func right(_ s: String) -> String { String(repeating: " ", count: max(0, width - s.displayWidth)) + s }
        func heading(_ s: String) { out.append(""); out.append(d.zh ? "【\(s)】" : "[\(s)]") }
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
        for (label, value) in d.particulars { out.append(TextWidth.fit(label, 18) + "  " + value) }
        heading(d.reasonsHeading)
        paragraph(d.reasons)
        if !d.failedRules.isEmpty {
            heading(d.failedHeading)
            for r in d.failedRules {
                let lines = clauseWrap(r, width: width - 4)
                for (i, l) in lines.enumerated() { out.append((i == 0 ? "  ✗ " : "    ") + l) }
            }
        }
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

    public static func html(_ file: CaseFile, kind: Kind, env: AppEnvironment, office: Office?) -> String {
        html(document(file, kind: kind, env: env, office: office))
    }

    public static func html(_ d: Document) -> String {
        var h = """
        <!DOCTYPE html>
        <html lang="\(d.zh ? "zh-CN" : "en")"><head><meta charset="utf-8"><title>\(esc(d.title))</title>
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
        h += "<h2>\(esc(d.appealHeading))</h2>\n<p>\(esc(d.appeal))</p>\n"
        h += "<div class=\"sign\"><p>\(esc(d.seal))</p><p>\(esc(d.date))</p></div>\n</body></html>\n"
        return h
    }

    // MARK: writing

    /// Write the notice as text and HTML into `prints/` beside the database (files mode 0600),
    /// and return their paths. An in-memory database (tests) has no folder: the temporary one.
    public static func write(_ file: CaseFile, kind: Kind, besides dbPath: String, env: AppEnvironment, office: Office?) throws -> [String] {
        let doc = document(file, kind: kind, env: env, office: office)
        let dir = try PrintsFolder.url(besides: dbPath)
        let stamp = Int(Date().timeIntervalSince1970)
        let name = "notice-\(kind.fileName)-case\(file.caseRecord.id ?? 0)-\(stamp)"
        var out: [String] = []
        for (ext, text) in [("txt", text(doc)), ("html", html(doc))] {
            let path = dir.appendingPathComponent("\(name).\(ext)").path
            try SurveyPrint.writePrivate(text, to: path)
            out.append(path)
        }
        return out
    }
}
