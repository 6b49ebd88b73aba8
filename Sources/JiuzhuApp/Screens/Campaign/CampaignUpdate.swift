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

/// 专项行动: the module.
public enum CampaignScreen: ScreenModule {
    public static let id: ScreenID = "campaigns"
    public static func keymapSection(_ c: CampaignState, _ s: AppState) -> ScreenID { c.dialog != nil ? .caseAction : id }

    public enum Effect: Equatable, Sendable {
        case load
        case start(name: String, programme: Programme, from: CivilDate, until: CivilDate)
        case close(id: Int64, on: CivilDate)
    }

    public enum Event: Sendable {
        case loaded([CampaignRow])
        /// A campaign was started: it as stored (its listed cases and persons).
        case started(name: String, Campaign?)
        case closed(on: CivilDate)
        /// Starting or closing was refused: said on the box.
        case refused(any Error)
    }

    /// Opened from 抽查 (F8): the campaigns and their outcomes.
    static func open(_ s: inout AppState) -> [JiuzhuApp.Effect] {
        s.push(CampaignScreen.embed(CampaignState()))
        return [effect(.load)]
    }

    /// Who may start or end a campaign: the supervisor, the approver and the administrator.
    static func mayRun(_ u: User?) -> Bool {
        Policy.allows(u?.role, .campaigns)
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        switch effect {
        case .load:
            // An outcome that cannot be counted fails the whole list: the user is told, not shown a blank.
            let rows = try cx.store.campaigns().map { g in
                CampaignRow(campaign: g, outcome: try cx.env.catalog.flatMap { try cx.store.campaignOutcome(id: g.id, catalog: $0, today: cx.env.today) })
            }
            return .loaded(rows)
        case .start(let name, let programme, let from, let until):
            guard let u = cx.user else { return nil }
            do {
                let id = try cx.store.startCampaign(name: name, programme: programme, startedOn: from, endsOn: until, by: u.name)
                return .started(name: name, try cx.store.campaign(id: id))
            } catch { return .refused(error) }
        case .close(let id, let on):
            guard let u = cx.user else { return nil }
            do {
                try cx.store.closeCampaign(id: id, on: on, by: u.name)
                return .closed(on: on)
            } catch { return .refused(error) }
        }
    }

    public static func event(_ s: inout AppState, _ c: inout CampaignState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        func done(_ text: String) -> [JiuzhuApp.Effect] {
            c.dialog = nil
            s.message = Message(title: env.t("screen.campaigns"), text: text)
            return [effect(.load)]
        }
        switch event {
        case .loaded(let rows):
            c.rows = rows; c.loading = false
            c.selected = min(c.selected, max(0, rows.count - 1))
        case .started(let name, let g):
            return done(env.t("campaign.started", ["name": name, "n": String(g?.listed ?? 0), "p": String(g?.persons ?? 0)]))
        case .closed(let on):
            return done(env.t("campaign.closed", ["on": on.iso]))
        case .refused(let error):
            App.showRefusal(error, in: &c.dialog, &s, env: env)
        }
        return []
    }

    public static func view(_ g: inout CellGrid, _ c: CampaignState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.campaignView(&g, c, s, env)
    }

    public static func key(_ s: inout AppState, _ c: inout CampaignState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        if c.dialog != nil {
            var box = c.dialog
            let closing = c.selectedRow?.campaign.id
            let fx = App.boxKey(&box, key, env: env) { d in (submit(&d, closing: closing, env: env), false) }
            c.dialog = box
            return fx
        }
        switch cmd {
        case .up?: c.selected = max(0, c.selected - 1)
        case .down?: c.selected = min(max(0, c.rows.count - 1), c.selected + 1)
        case .back?: s.pop()
        case .confirm?, .dueWork?:
            s.replaceTop(CampaignScreen.embed(c))
            return DueScreen.open(&s, kind: .campaign)
        case .addItem?, .newItem?:
            guard mayRun(s.user) else {
                s.message = Message(title: env.t("screen.campaigns"), text: env.t("campaign.notYours")); return []
            }
            func f(_ id: String, _ key: String, _ v: String, _ hint: String) -> DialogField {
                DialogField(id: id, label: env.t(key), hint: hint, required: true, field: TextField(v, maxLength: 30))
            }
            c.dialog = ActionDialog(action: .done, title: env.t("campaign.newTitle"), fields: [
                f("name", "campaign.name", env.t("campaign.sunshineCampaignYear", ["year": "\(env.today.year)"]), env.t("campaign.eGSunshineCampaign")),
                f("programme", "publicity.programme", Programme.ruralDibao.label(env.lang), env.t("campaign.programme")),
                f("from", "campaign.from", env.today.iso, "YYYY-MM-DD"),
                f("until", "campaign.until", env.today.adding(days: 30).iso, "YYYY-MM-DD"),
            ])
        case .closeBatch?:
            guard let r = c.selectedRow, r.campaign.closedOn == nil else { return [] }
            guard mayRun(s.user) else {
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
    static func submit(_ d: inout ActionDialog, closing: Int64?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        if App.missing(&d, env: env) { return [] }
        func date(_ id: String) -> CivilDate? {
            let t = d.value(id).trimmingCharacters(in: .whitespaces)
            return CivilDate(iso: t) ?? CivilDate(compact: t)
        }
        func fail(_ text: String, _ id: String) -> [JiuzhuApp.Effect] {
            d.error = text; d.focus = d.fields.firstIndex { $0.id == id } ?? d.focus; return []
        }
        if d.fields.first?.id == "on" {
            guard let id = closing else { return [] }
            guard let on = date("on"), on <= env.today else { return fail(env.t("publicity.badDate"), "on") }
            d.busy = true
            return [effect(.close(id: id, on: on))]
        }
        guard let p = Programme(text: d.value("programme").trimmingCharacters(in: .whitespaces)) else { return fail(env.t("publicity.badProgramme"), "programme") }
        guard let from = date("from") else { return fail(env.t("publicity.badDate"), "from") }
        guard let until = date("until") else { return fail(env.t("publicity.badDate"), "until") }
        if until < from { return fail(env.t("campaign.endsBeforeStart"), "until") }
        d.busy = true
        return [effect(.start(name: d.value("name").trimmingCharacters(in: .whitespaces), programme: p, from: from, until: until))]
    }
}
