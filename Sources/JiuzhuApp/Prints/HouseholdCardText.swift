import Foundation
import JiuzhuModel
import JiuzhuStore

/// A household card as plain text (`jiuzhu household show`): its facts, members, cases and
/// change history (变动记录). ID numbers, phone and card are masked; health is shown (internal).
public enum HouseholdCardText {
    public static func lines(_ card: HouseholdRecord, lang: Lang) -> [String] {
        func t(_ key: String, _ v: [String: String] = [:]) -> String { say(key, lang, v) }
        let h = card.household
        let head = card.members.first(where: \.isHead) ?? card.members.first
        var out: [String] = []
        let title = t("print.householdCard.title", ["id": IdBlock.shown(h.id ?? 0), "head": head?.name ?? "—"])
        out.append(title)
        out.append(String(repeating: "=", count: max(4, title.displayWidthApprox)))
        if let m = card.mergedInto { out.append(t("print.householdCard.merged", ["id": IdBlock.shown(m)])) }
        var hukou = h.hukou.label(lang)
        if let r = h.hukouRegion { hukou += "(\(r.label(lang)))" }
        out.append(t("print.householdCard.village", ["village": card.village, "hukou": hukou]))
        out.append(t("print.householdCard.address", ["address": h.address]))
        var housing = h.housing.label(lang)
        if let a = h.housingArea { housing += t("print.householdCard.area", ["area": "\(a)"]) }
        if h.dilapidated { housing += t("print.householdCard.dilapidated") }
        out.append(t("print.householdCard.housing", ["housing": housing]))
        out.append(t("print.householdCard.contact", ["phone": h.phone.map(Masking.phone) ?? "—",
                                 "card": h.bankCard.map { (card.bankName.map { $0 + " " } ?? "") + Masking.bankCard($0) } ?? "—"]))
        out.append("")
        out.append(t("print.householdCard.members", ["n": "\(card.members.count)"]))
        out.append("--------")
        for m in card.members { out.append(memberLine(m, lang: lang, relations: card.relationLabels)) }
        if !card.formerMembers.isEmpty {
            out.append("")
            out.append(t("print.householdCard.former"))
            out.append("--------")
            for m in card.formerMembers {
                var line = memberLine(m, lang: lang, relations: card.relationLabels)
                if let d = m.diedOn { line += t("print.householdCard.died", ["date": d.iso]) }
                if let d = m.leftOn { line += "  " + (m.leftReason?.label(lang) ?? t("print.householdCard.left")) + " \(d.iso)" }
                out.append(line)
            }
        }
        out.append("")
        out.append(t("print.householdCard.cases"))
        out.append("--------")
        if card.cases.isEmpty { out.append(t("print.householdCard.none")) }
        for c in card.cases {
            let amount = c.monthlyAmount.map { t("print.householdCard.monthly", ["amount": $0.yuanString]) } ?? (c.id.flatMap { card.onceAmounts[$0] }?.yuanString ?? "—")
            out.append("#\(c.id ?? 0)  \(c.programme.label(lang))  \(c.status.label(lang))  \(amount)  " + t("print.householdCard.covered", ["n": "\(c.coveredMembers)"]))
        }
        out.append("")
        out.append(t("print.householdCard.changes", ["n": "\(card.changes.count)"]))
        out.append("--------")
        if card.changes.isEmpty { out.append(t("print.householdCard.none")) }
        for c in card.changes {
            out.append("\(c.effectiveOn.iso)  \(c.kind.label(lang))  \(c.summary)")
            out.append("    " + t("print.householdCard.reasonBy", ["reason": c.reason, "by": c.recordedBy, "at": c.recordedAt]))
        }
        return out
    }

    static func memberLine(_ m: Person, lang: Lang, relations: [String: Text2]) -> String {
        func t(_ key: String, _ v: [String: String] = [:]) -> String { say(key, lang, v) }
        var flags: [String] = []
        if m.absent { flags.append(m.leftReason?.label(lang) ?? t("print.householdCard.away")) }
        if m.student { flags.append(t("print.householdCard.student")) }
        if !m.coResident && m.isCurrentMember { flags.append(t("print.householdCard.notCoResident")) }
        var health: String
        switch m.health {
        case .healthy: health = t("print.householdCard.health.healthy")
        case .chronic: health = t("print.householdCard.health.chronic")
        case .serious: health = t("print.householdCard.health.serious")
        case .disabled: health = t("print.householdCard.health.disabled")
        }
        if m.health == .disabled, let l = m.disabilityLevel { health += t("print.householdCard.level", ["level": "\(l)"]) }
        let work: String
        switch m.workAbility {
        case .full: work = t("print.householdCard.work.full")
        case .partial: work = t("print.householdCard.work.partial")
        case .none: work = t("print.householdCard.work.none")
        }
        return "[\(m.id ?? 0)] \(m.name)  \(relations[m.relation]?(lang) ?? m.relation)  \(m.sex.label(lang))  \(m.birthDate.iso)  \(m.maskedIdentity(lang))  \(health)  \(work)"
            + (flags.isEmpty ? "" : "  (" + Strings.shared.list(flags, lang) + ")")
    }
}

extension String {
    /// Columns on a terminal, for the underline (wide characters count two).
    var displayWidthApprox: Int { unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) } }
}
