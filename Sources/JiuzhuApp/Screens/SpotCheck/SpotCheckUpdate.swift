import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// 抽查督查: the draws, a new draw from a box, one draw's sample with its visits and coverage.
public struct SpotListState: Equatable, Sendable {
    public var draws: [SpotCheckDraw] = []
    public var coverage: SpotCheckCoverage?
    public var selected = 0
    public var loading = true
    public var dialog: ActionDialog?
    public init() {}
}

public struct SpotDrawState: Equatable, Sendable {
    public var drawId: Int64
    public var draw: SpotCheckDraw?
    public var records: [SpotCheckRecord] = []
    public var coverage: SpotCheckCoverage?
    public var selected = 0
    public var dialog: ActionDialog?
    public init(drawId: Int64) { self.drawId = drawId }
    public var selectedRecord: SpotCheckRecord? { records.indices.contains(selected) ? records[selected] : nil }
}

/// 抽查督查, the list of draws: the module.
public enum SpotListScreen: ScreenModule {
    public static let id: ScreenID = "spotchecks"
    public static func keymapSection(_ l: SpotListState, _ s: AppState) -> ScreenID { l.dialog != nil ? .caseAction : id }

    public enum Effect: Equatable, Sendable {
        case load
        case draw(programme: Programme, percent: Int, seed: UInt64, period: String)
    }

    public enum Event: Sendable {
        case loaded([SpotCheckDraw], SpotCheckCoverage?)
        case drawn(SpotCheckDrawResult, seed: UInt64, percent: Int)
        case refused(any Error)
    }

    public static func open(_ s: inout AppState, env: AppEnvironment) -> [JiuzhuApp.Effect]? {
        s.push(SpotListScreen.embed(SpotListState()))
        return [effect(.load)]
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        switch effect {
        case .load:
            return .loaded(try cx.store.spotCheckDraws(), try cx.store.coverage())
        case .draw(let p, let pct, let seed, let period):
            guard let u = cx.user else { return nil }
            do { return .drawn(try cx.store.drawSpotCheck(programme: p, period: period, percent: pct, seed: seed, by: u.name, dryRun: false), seed: seed, percent: pct) }
            catch { return .refused(error) }
        }
    }

    public static func event(_ s: inout AppState, _ l: inout SpotListState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        switch event {
        case .loaded(let draws, let coverage):
            l.draws = draws; l.coverage = coverage; l.loading = false
            l.selected = min(l.selected, max(0, draws.count - 1))
        case .drawn(let r, let seed, let pct):
            var text = env.t("spot.drawn", ["n": String(r.lines.count), "of": String(r.population), "seed": String(seed), "pct": String(pct)])
            if let w = r.warning { text += "\n" + w(env.lang) }
            if top(s) != nil { l.dialog = nil }
            s.message = Message(title: env.t("screen.spotchecks"), text: text)
            guard let id = r.drawId else { return [effect(.load)] }
            s.push(SpotDrawScreen.embed(SpotDrawState(drawId: id)))
            return [SpotDrawScreen.effect(.load(id))]
        case .refused(let error):
            let why = App.describe(error, env.lang)
            if top(s) != nil, var d = l.dialog { d.error = why; d.busy = false; l.dialog = d; return [] }
            s.message = Message(title: env.t("error.title"), text: why)
        }
        return []
    }

    public static func key(_ s: inout AppState, _ l: inout SpotListState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        App.spotListKey(&s, &l, key, cmd, env: env)
    }

    public static func view(_ g: inout CellGrid, _ l: SpotListState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.spotList(&g, l, s, env)
    }
}

/// One draw's sample, its visits and coverage: the module.
public enum SpotDrawScreen: ScreenModule {
    public static let id: ScreenID = "spotDraw"
    public static func keymapSection(_ d: SpotDrawState, _ s: AppState) -> ScreenID { d.dialog != nil ? .caseAction : id }

    public enum Effect: Equatable, Sendable {
        case load(Int64)
        case record(id: Int64, on: CivilDate, by: String, findings: String, discrepancy: Bool, action: SpotCheckAction)
    }

    public enum Event: Sendable {
        case loaded(Int64, SpotCheckDraw?, [SpotCheckRecord], SpotCheckCoverage?)
        case recorded(discrepancy: Bool, action: SpotCheckAction)
        case refused(any Error)
    }

    public static func perform(_ effect: Effect, _ cx: EffectContext) throws -> Event? {
        let store = cx.store
        switch effect {
        case .load(let id):
            return .loaded(id, try store.spotCheckDraw(id: id), try store.spotChecks(drawId: id), try store.coverage(drawId: id))
        case .record(let id, let on, let by, let findings, let discrepancy, let action):
            guard let u = cx.user else { return nil }
            do {
                try store.recordSpotCheckVisit(id: id, visitedOn: on, by: by, findings: findings, discrepancy: discrepancy, proposedAction: action, user: u.name)
                return .recorded(discrepancy: discrepancy, action: action)
            } catch { return .refused(error) }
        }
    }

    public static func event(_ s: inout AppState, _ d: inout SpotDrawState, _ event: Event, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        guard top(s) != nil else { return [] }
        switch event {
        case .loaded(let id, let draw, let records, let coverage):
            guard d.drawId == id else { return [] }
            d.draw = draw; d.records = records; d.coverage = coverage
            d.selected = min(d.selected, max(0, records.count - 1))
        case .recorded(let discrepancy, let action):
            d.dialog = nil
            s.message = Message(title: env.t("screen.spotchecks"),
                                text: env.t(discrepancy ? "spot.recordedDiscrepancy" : "spot.recorded", ["action": action.label(env.lang)]))
            return [effect(.load(d.drawId))]
        case .refused(let error):
            let why = App.describe(error, env.lang)
            if var box = d.dialog { box.error = why; box.busy = false; d.dialog = box; return [] }
            s.message = Message(title: env.t("error.title"), text: why)
        }
        return []
    }

    public static func key(_ s: inout AppState, _ d: inout SpotDrawState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [JiuzhuApp.Effect] {
        App.spotDrawKey(&s, &d, key, cmd, env: env)
    }

    public static func view(_ g: inout CellGrid, _ d: SpotDrawState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        AppView.spotDraw(&g, d, s, env)
    }
}

extension App {
    static func spotListKey(_ s: inout AppState, _ l: inout SpotListState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        if l.dialog != nil {
            var box = l.dialog
            let fx = boxKey(&box, key, env: env) { d in (submitDraw(&d, env: env), false) }
            l.dialog = box
            return fx
        }
        switch cmd {
        case .up?: l.selected = max(0, l.selected - 1)
        case .down?: l.selected = min(max(0, l.draws.count - 1), l.selected + 1)
        case .back?: s.pop()
        case .confirm?:
            guard l.draws.indices.contains(l.selected) else { return [] }
            let id = l.draws[l.selected].id
            s.replaceTop(SpotListScreen.embed(l))
            s.push(SpotDrawScreen.embed(SpotDrawState(drawId: id)))
            return [SpotDrawScreen.effect(.load(id))]
        case .dueWork?:
            s.replaceTop(SpotListScreen.embed(l))
            return DueScreen.open(&s)
        case .campaigns?:
            s.replaceTop(SpotListScreen.embed(l))
            return CampaignScreen.open(&s)
        case .complaints?:
            s.replaceTop(SpotListScreen.embed(l))
            return ComplaintScreen.open(&s)
        case .addItem?, .newItem?:
            func f(_ id: String, _ key: String, _ v: String, _ hint: String, _ req: Bool) -> DialogField {
                DialogField(id: id, label: env.t(key), hint: hint, required: req, field: TextField(v, maxLength: 20))
            }
            l.dialog = ActionDialog(action: .done, title: env.t("spot.newTitle"), fields: [
                f("programme", "publicity.programme", Programme.ruralDibao.label(env.lang), env.t("spot.programme"), true),
                f("percent", "spot.percent", String(env.spotCheckPercent), env.t("spot.countyMinimumSpotcheckpercent", ["spotCheckPercent": "\(env.spotCheckPercent)"]), true),
                f("seed", "spot.seed", "", env.t("spot.blankARandomOne"), false),
                f("period", "spot.period", String(env.today.year), "YYYY / YYYY-MM", true),
            ])
        default: break
        }
        return []
    }

    /// The new-draw box read into a draw, or an error on the box.
    static func submitDraw(_ d: inout ActionDialog, env: AppEnvironment) -> [Effect] {
        if missing(&d, env: env) { return [] }
        func fail(_ key: String, _ field: Int) -> [Effect] { d.error = env.t(key); d.focus = field; return [] }
        guard let p = Programme(text: d.value("programme").trimmingCharacters(in: .whitespaces)) else { return fail("publicity.badProgramme", 0) }
        guard let pct = Int(d.value("percent").trimmingCharacters(in: .whitespaces)), (1...100).contains(pct) else { return fail("spot.badPercent", 1) }
        let st = d.value("seed").trimmingCharacters(in: .whitespaces)
        var seed = env.random      // drawn for this event by the runner's clock
        if !st.isEmpty {
            guard let v = UInt64(st) else { return fail("spot.badSeed", 2) }
            seed = v
        }
        let period = d.value("period").trimmingCharacters(in: .whitespaces)
        guard SpotCheckPeriod.isValid(period) else { return fail("spot.badPeriod", 3) }
        d.busy = true
        return [SpotListScreen.effect(.draw(programme: p, percent: pct, seed: seed, period: period))]
    }

    /// The check form read against `screens/spotcheck.json`: every 否 is a discrepancy.
    static func submitVisit(_ d: inout ActionDialog, _ rec: SpotCheckRecord, env: AppEnvironment) -> [Effect] {
        if missing(&d, env: env) { return [] }
        var raw: [String: String] = [:]
        for f in d.fields { raw[f.id] = f.field.value }
        do {
            let values = try Workflow.validated(raw, specs: env.screens.spotCheckForm, date: env.today, yesMeansDone: false)
            let discrepancy = env.screens.spotCheckForm.contains { $0.kind == .yesno && (values[$0.id] as? Bool) == false }
            let action = (values["action"] as? String).flatMap(SpotCheckAction.init(rawValue:)) ?? SpotCheckAction.none
            d.busy = true
            return [SpotDrawScreen.effect(.record(id: rec.id, on: CivilDate(iso: values["visitedOn"] as? String ?? "") ?? env.today,
                                                 by: values["visitedBy"] as? String ?? "", findings: Workflow.json(values),
                                                 discrepancy: discrepancy, action: action))]
        } catch let e as WorkflowError {
            d.error = e.message(env.lang)
        } catch {
            d.error = String(describing: error)
        }
        return []
    }

    static func spotDrawKey(_ s: inout AppState, _ st: inout SpotDrawState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        if st.dialog != nil {
            var box = st.dialog
            let record = st.selectedRecord
            let fx = boxKey(&box, key, env: env) { d in (record.map { submitVisit(&d, $0, env: env) } ?? [], false) }
            st.dialog = box
            return fx
        }
        switch cmd {
        case .up?: st.selected = max(0, st.selected - 1)
        case .down?: st.selected = min(max(0, st.records.count - 1), st.selected + 1)
        case .pageUp?: st.selected = max(0, st.selected - (s.height - 10))
        case .pageDown?: st.selected = min(max(0, st.records.count - 1), st.selected + (s.height - 10))
        case .back?:
            s.pop()
            return [SpotListScreen.effect(.load)]
        case .confirm?:
            guard let rec = st.selectedRecord else { return [] }
            var fields: [DialogField] = []
            for i in env.screens.spotCheckForm {
                var v = ""
                var hint = ""
                switch i.kind {
                case .date: v = rec.visitedOn?.iso ?? env.today.iso; hint = "YYYY-MM-DD"
                case .yesno: v = env.t("spot.yes"); hint = env.t("spot.yesNoNoDiffers")
                case .choice:
                    let choices = i.choices ?? []
                    v = choices.first { $0.code == rec.proposedAction?.rawValue }?.label(env.lang) ?? choices.first?.label(env.lang) ?? ""
                    hint = choices.map { $0.label(env.lang) }.joined(separator: "/")
                case .money: hint = env.t("spot.yuan")
                default: break
                }
                if i.id == "visitedBy" { v = rec.visitedBy ?? s.user?.displayName ?? "" }
                fields.append(DialogField(id: i.id, label: i.label(env.lang), hint: hint, required: i.isRequired, field: TextField(v, maxLength: 60)))
            }
            st.dialog = ActionDialog(action: .done, title: env.t("spot.visitTitle", ["name": rec.headName, "case": IdBlock.shown(rec.caseId)]), fields: fields)
        default: break
        }
        return []
    }
}
