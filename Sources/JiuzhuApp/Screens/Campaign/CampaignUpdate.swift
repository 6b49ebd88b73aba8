import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// One campaign with its outcome counts, as the screen shows it.
public struct CampaignRow: Equatable, Sendable {
    public var campaign: Campaign
    public var outcome: CampaignOutcome?
}

/// 专项行动 (阳光行动 …): the campaigns, their progress, and their outcomes in 户 and 人.
public struct CampaignState: Equatable, Sendable {
    public var rows: [CampaignRow] = []
    public var selected = 0
    public var loading = true
    public var dialog: ActionDialog?
    public init() {}
    public var selectedRow: CampaignRow? { rows.indices.contains(selected) ? rows[selected] : nil }
}

extension App {
    /// Who may start or end a campaign: the supervisor, the approver and the administrator.
    static func mayRunCampaigns(_ u: User?) -> Bool {
        guard let r = u?.role else { return false }
        return r == .supervisor || r == .approver || r == .admin
    }

    static func campaignEvent(_ s: inout AppState, _ event: AppEvent, env: AppEnvironment) -> [Effect] {
        guard let i = s.stack.lastIndex(where: { $0.id == .campaigns }), case .campaigns(var c) = s.stack[i] else { return [] }
        switch event {
        case .campaignsLoaded(let rows):
            c.rows = rows; c.loading = false
            c.selected = min(c.selected, max(0, rows.count - 1))
        case .campaignDone(let text):
            c.dialog = nil
            s.stack[i] = .campaigns(c)
            s.message = Message(title: env.t("screen.campaigns"), text: text)
            return [.loadCampaigns]
        case .campaignFailed(let why):
            if var box = c.dialog { box.error = why; box.busy = false; c.dialog = box } else { s.message = Message(title: env.t("error.title"), text: why) }
        default: return []
        }
        s.stack[i] = .campaigns(c)
        return []
    }

    static func campaignKey(_ s: inout AppState, _ c: inout CampaignState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        if c.dialog != nil {
            var box = c.dialog
            let closing = c.selectedRow?.campaign.id
            let fx = boxKey(&box, key, env: env) { d in (submitCampaign(&d, closing: closing, env: env), false) }
            c.dialog = box
            return fx
        }
        switch cmd {
        case .up?: c.selected = max(0, c.selected - 1)
        case .down?: c.selected = min(max(0, c.rows.count - 1), c.selected + 1)
        case .back?: s.pop()
        case .confirm?, .dueWork?:
            s.replaceTop(.campaigns(c))
            s.push(.due(DueState(kind: .campaign)))
            return [.loadDue]
        case .addItem?, .newItem?:
            guard mayRunCampaigns(s.user) else {
                s.message = Message(title: env.t("screen.campaigns"), text: env.t("campaign.notYours")); return []
            }
            let zh = env.lang == .zh
            func f(_ id: String, _ key: String, _ v: String, _ hint: String) -> DialogField {
                DialogField(id: id, label: env.t(key), hint: hint, required: true, field: TextField(v, maxLength: 30))
            }
            c.dialog = ActionDialog(action: .done, title: env.t("campaign.newTitle"), fields: [
                f("name", "campaign.name", zh ? "\(env.today.year)年阳光行动" : "Sunshine campaign \(env.today.year)", zh ? "如：阳光行动" : "e.g. Sunshine campaign"),
                f("programme", "publicity.programme", Programme.ruralDibao.label(env.lang), zh ? "农村低保/城镇低保/特困供养" : "programme"),
                f("from", "campaign.from", env.today.iso, "YYYY-MM-DD"),
                f("until", "campaign.until", env.today.adding(days: 30).iso, "YYYY-MM-DD"),
            ])
        case .closeBatch?:
            guard let r = c.selectedRow, r.campaign.closedOn == nil else { return [] }
            guard mayRunCampaigns(s.user) else {
                s.message = Message(title: env.t("screen.campaigns"), text: env.t("campaign.notYours")); return []
            }
            c.dialog = ActionDialog(action: .done, title: env.t("campaign.closeTitle", ["name": r.campaign.name]), fields: [
                DialogField(id: "on", label: env.t("campaign.closedOn"), hint: "YYYY-MM-DD", required: true, field: TextField(env.today.iso, maxLength: 10)),
            ])
        default: break
        }
        return []
    }

    /// The new-campaign or close box read into an effect, or an error on the box.
    static func submitCampaign(_ d: inout ActionDialog, closing: Int64?, env: AppEnvironment) -> [Effect] {
        if missing(&d, env: env) { return [] }
        func date(_ id: String) -> CivilDate? {
            let t = d.value(id).trimmingCharacters(in: .whitespaces)
            return CivilDate(iso: t) ?? CivilDate(compact: t)
        }
        func fail(_ text: String, _ id: String) -> [Effect] {
            d.error = text; d.focus = d.fields.firstIndex { $0.id == id } ?? d.focus; return []
        }
        if d.fields.first?.id == "on" {
            guard let id = closing else { return [] }
            guard let on = date("on"), on <= env.today else { return fail(env.t("publicity.badDate"), "on") }
            d.busy = true
            return [.closeCampaign(id: id, on: on)]
        }
        guard let p = Programme(text: d.value("programme").trimmingCharacters(in: .whitespaces)) else { return fail(env.t("publicity.badProgramme"), "programme") }
        guard let from = date("from") else { return fail(env.t("publicity.badDate"), "from") }
        guard let until = date("until") else { return fail(env.t("publicity.badDate"), "until") }
        if until < from { return fail(env.t("campaign.endsBeforeStart"), "until") }
        d.busy = true
        return [.startCampaign(name: d.value("name").trimmingCharacters(in: .whitespaces), programme: p, from: from, until: until)]
    }
}
