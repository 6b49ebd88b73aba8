import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// The form engine's part of the reducer: keys move between fields, leaving a field checks it
/// and saves the draft, F2 checks everything and submits.
extension App {
    // MARK: opening

    static func openForm(_ s: inout AppState, values: FormValues?, draftId: Int64?, env: AppEnvironment) -> [Effect] {
        guard let spec = env.screens.forms[ApplicationForm.formId] else { return [] }
        var f = FormState(formId: spec.id, values: values ?? FormValues.blank(spec, today: env.today), draftId: draftId)
        f.lastSaved = values
        enter(&f, page: 0, slot: 0, spec: spec, env: env)
        s.push(FormScreen.embed(f))
        // A draft's members and household are checked against the database again: it may have
        // changed since the draft was saved.
        var fx: [Effect] = []
        let hid = f.values.fields["household"].flatMap { Int64($0) }
        for (i, m) in f.values.items("members").enumerated() {
            if let id = m["id_number"].flatMap({ IDNumber($0, today: env.today) }) {
                fx.append(FormScreen.effect(.checkID(FieldRef(section: "members", item: i, field: "id_number"), value: id.value, household: hid)))
            }
        }
        if let hid, let p = f.values.fields["programme"].flatMap(Programme.init(rawValue:)) {
            fx.append(FormScreen.effect(.checkOpenCase(householdId: hid, programme: p)))
        }
        return fx
    }

    /// The form on a case's stored survey, to correct it as the next version (issue 21 item 4).
    /// The ID numbers are checked against other households again; the case's own programme and
    /// household are not offered for change.
    static func openCorrection(_ s: inout AppState, _ survey: SurveyRecord, caseVersion: Int, version: Int, env: AppEnvironment) -> [Effect] {
        guard let spec = env.screens.forms[ApplicationForm.formId] else { return [] }
        var values = survey.values
        // A survey submitted for a new household names it now: the case's own.
        if (values.fields["household"] ?? "").isEmpty { values.fields["household"] = String(survey.householdId) }
        var f = FormState(formId: spec.id, values: values)
        f.correction = SurveyCorrection(caseId: survey.caseId, caseVersion: caseVersion, version: version)
        f.lastSaved = values
        enter(&f, page: 0, slot: 0, spec: spec, env: env)
        s.push(FormScreen.embed(f))
        var fx: [Effect] = []
        for (i, m) in f.values.items("members").enumerated() {
            if let id = m["id_number"].flatMap({ IDNumber($0, today: env.today) }) {
                fx.append(FormScreen.effect(.checkID(FieldRef(section: "members", item: i, field: "id_number"), value: id.value, household: survey.householdId)))
            }
        }
        return fx
    }

    /// Fields a survey correction leaves as the case has them.
    static let caseOwnFields: Set<String> = ["programme", "household"]

    /// F2 on a complete correction: the box asking why, before the new version is saved.
    static func reasonBox(_ c: SurveyCorrection, env: AppEnvironment) -> ActionDialog {
        ActionDialog(action: .back, title: env.t("form.correctTitle", ["case": IdBlock.shown(c.caseId), "new": String(c.version + 1)]),
                     fields: [DialogField(id: DialogID.reason, label: env.t("form.correctReason"), hint: env.t("form.correctReasonHint"),
                                          required: true, field: TextField("", maxLength: 200))])
    }

    /// Keys while the reason box is open: F2 (or Enter) saves through the store, which checks it all again.
    static func correctionBoxKey(_ f: inout FormState, _ key: KeyEvent, env: AppEnvironment) -> [Effect] {
        guard let c = f.correction else { return [] }
        let values = f.values, caseId = c.caseId, caseVersion = c.caseVersion
        var box = c.reasonBox
        let fx = boxKey(&box, key, env: env) { d in
            if missing(&d, env: env) { return ([], false) }
            d.busy = true
            return ([FormScreen.effect(.correct(caseId: caseId, caseVersion: caseVersion, values: values, reason: d.value(DialogID.reason)))], false)
        }
        f.correction?.reasonBox = box
        return fx
    }

    // MARK: keys

    static func formKey(_ s: inout AppState, _ f: inout FormState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        guard let spec = env.screens.forms[f.formId] else { return [] }
        f.typingNote = nil
        if f.correction?.reasonBox != nil { return correctionBoxKey(&f, key, env: env) }
        if var box = f.confirmBox, let what = f.confirm {
            guard let choice = box.handle(key) else { f.confirmBox = box; return [] }
            f.confirmBox = nil; f.confirm = nil
            guard choice == .yes else { return [] }
            switch what {
            case .discard:
                let fx = leave(&f, spec: spec, env: env, user: s.user)
                s.pop()
                return fx
            case .deleteItem(let section, let item):
                deleteItem(&f, section: section, item: item, spec: spec, env: env)
                return saveDraft(&f, spec: spec, env: env)
            case .submitWithWarnings:
                if let c = f.correction { f.correction?.reasonBox = reasonBox(c, env: env); return [] }
                f.busy = true
                return [FormScreen.effect(.submit(f.values, draftId: f.draftId))]
            }
        }
        if let list = f.errorList {
            switch key {
            case .up: f.errorSelection = max(0, f.errorSelection - 1)
            case .down: f.errorSelection = min(list.count - 1, f.errorSelection + 1)
            case .enter:
                f.errorList = nil
                if list.indices.contains(f.errorSelection) { jump(&f, to: list[f.errorSelection].ref, spec: spec, env: env) }
            case .escape: f.errorList = nil
            default: break
            }
            return []
        }
        if f.picker != nil { return pickerKey(&f, key, spec: spec, env: env) }
        if f.busy { return [] }
        if f.submittedCase != nil {
            switch cmd {
            case .print?: return [FormScreen.effect(.printSurvey(f.values, caseId: f.submittedCase))]
            case .back?, .confirm?: s.pop(); return []
            default: return []
            }
        }
        let pages = spec.pages(f.values)
        let page = pages[min(f.page, pages.count - 1)]
        let slots = spec.slots(page, f.values)
        let ref = slots.indices.contains(f.focus) ? slots[f.focus] : nil
        let field = ref.flatMap { spec.field($0.field) }
        // A correction keeps the case's programme and household: say so rather than do nothing.
        if f.correction != nil, let r = ref, caseOwnFields.contains(r.field), let fld = field {
            switch cmd {
            case .nextField?, .confirm?, .down?, .prevField?, .up?, .pageDown?, .pageUp?, .submit?, .print?, .back?: break
            default:
                if cmd == .pick || key.keymapName.count == 1 || key == .backspace || key == .delete {
                    f.typingNote = env.t("form.correctLocked", ["field": fld.label(env.lang)])
                    return []
                }
            }
        }

        // A note takes Up and Down inside itself while it has rows to move through.
        if field?.kind == .note, cmd != .nextField, cmd != .prevField, cmd != .pageUp, cmd != .pageDown,
           key != .escape, key.keymapName.hasPrefix("F") == false, f.note.handle(key) {
            if let r = ref { f.values[r] = f.note.value }
            return []
        }
        switch cmd {
        case .nextField?, .confirm?, .down?:
            return move(&f, by: 1, spec: spec, env: env, user: s.user)
        case .prevField?, .up?:
            return move(&f, by: -1, spec: spec, env: env, user: s.user)
        case .pageDown?:
            return goto(&f, page: min(pages.count - 1, f.page + 1), spec: spec, env: env, user: s.user)
        case .pageUp?:
            return goto(&f, page: max(0, f.page - 1), spec: spec, env: env, user: s.user)
        case .pick?:
            if let r = ref, let fld = field { openPicker(&f, ref: r, field: fld, filter: "", env: env) }
            return f.picker?.householdSearch == true ? [FormScreen.effect(.searchHouseholds(requestId: f.picker!.requestId, text: ""))] : []
        case .addItem?:
            return addItem(&f, page: page, spec: spec, env: env, user: s.user)
        case .deleteItem?:
            guard let sec = spec.section(page.section), sec.repeat != nil, let item = page.item ?? ref?.item else { return [] }
            let name = f.values.items(sec.id)[item][sec.repeat?.titleField ?? ""] ?? ""
            f.confirm = .deleteItem(section: sec.id, item: item)
            f.confirmBox = ConfirmBox(title: env.t("form.deleteTitle"),
                                      message: env.t("form.deleteItem", ["item": sec.repeat!.item(env.lang), "n": String(item + 1), "name": name]),
                                      yesLabel: env.t("confirm.yes"), noLabel: env.t("confirm.no"))
            return []
        case .moveItemUp?, .moveItemDown?:
            guard let sec = spec.section(page.section), sec.repeat != nil, let item = page.item ?? ref?.item else { return [] }
            let to = item + (cmd == .moveItemUp ? -1 : 1)
            guard f.values.items(sec.id).indices.contains(to) else { return [] }
            let fx = leave(&f, spec: spec, env: env, user: s.user)
            swapItems(&f, section: sec.id, item, to)
            if page.isTable {
                let newSlots = spec.slots(page, f.values)
                let target = FieldRef(section: sec.id, item: to, field: ref?.field ?? "")
                enter(&f, page: f.page, slot: newSlots.firstIndex(of: target) ?? 0, spec: spec, env: env)
            } else {
                enter(&f, page: f.page + (to - item), slot: f.focus, spec: spec, env: env)
            }
            return fx + saveDraft(&f, spec: spec, env: env)
        case .submit?:
            return submit(&f, spec: spec, env: env, user: s.user)
        case .print?:
            let fx = leave(&f, spec: spec, env: env, user: s.user)
            return fx + [FormScreen.effect(.printSurvey(f.values, caseId: nil))]
        case .back?:
            f.confirm = .discard
            if let c = f.correction {
                f.confirmBox = ConfirmBox(title: env.t("form.leaveTitle"), message: env.t("form.correctLeave", ["v": String(c.version)]),
                                          yesLabel: env.t("form.correctLeaveYes"), noLabel: env.t("form.leaveNo"))
                return []
            }
            f.confirmBox = ConfirmBox(title: env.t("form.leaveTitle"), message: env.t("form.leave"),
                                      yesLabel: env.t("form.leaveYes"), noLabel: env.t("form.leaveNo"))
            return []
        default:
            break
        }
        guard let r = ref, let fld = field else { return [] }
        return typeInto(&f, r, fld, key, spec: spec, env: env)
    }

    /// A key for the focused field, by its kind.
    static func typeInto(_ f: inout FormState, _ r: FieldRef, _ fld: FieldSpec, _ key: KeyEvent, spec: FormSpec, env: AppEnvironment) -> [Effect] {
        switch fld.kind {
        case .code, .multi, .household:
            var typed = ""
            switch key {
            case .char(" "): typed = ""
            case .char(let c): typed = String(c)
            case .text(let t): typed = t
            case .backspace, .delete:
                if fld.kind == .household { return [] }
                f.values[r] = ""
                return []
            default: return []
            }
            openPicker(&f, ref: r, field: fld, filter: typed, env: env)
            if fld.kind == .household, let p = f.picker { return [FormScreen.effect(.searchHouseholds(requestId: p.requestId, text: typed))] }
            return []
        case .yesno:
            switch key {
            case .char("y"), .char("Y"), .char("1"), .char("是"): f.values[r] = "yes"
            case .char("n"), .char("N"), .char("0"), .char("否"): f.values[r] = "no"
            case .char(" "), .left, .right: f.values[r] = f.values[r] == "yes" ? "no" : "yes"
            default: break
            }
            return []
        case .note, .computed:
            return []
        default:
            let before = f.editor
            guard f.editor.handle(key) else { return [] }
            // An ID number takes an X only as its 18th character.
            if fld.kind == .id, let x = f.editor.value.firstIndex(where: { $0 == "X" || $0 == "x" }),
               f.editor.value.distance(from: f.editor.value.startIndex, to: x) != 17 {
                f.editor = before
                f.typingNote = env.t("form.idOnlyDigits", ["chars": "X"])
                return []
            }
            if !f.editor.lastRejected.isEmpty {
                let chars = String(f.editor.lastRejected)
                f.typingNote = fld.kind == .id ? env.t("form.idOnlyDigits", ["chars": chars])
                    : env.t("form.rejected", ["chars": chars, "field": fld.label(env.lang)])
            }
            f.values[r] = f.editor.value
            return []
        }
    }

    // MARK: moving

    /// The cursor on a slot: the editors take the field's value.
    static func enter(_ f: inout FormState, page: Int, slot: Int, spec: FormSpec, env: AppEnvironment) {
        let pages = spec.pages(f.values)
        f.page = max(0, min(page, pages.count - 1))
        let slots = spec.slots(pages[f.page], f.values)
        f.focus = max(0, min(slot, slots.count - 1))
        guard slots.indices.contains(f.focus), let fld = spec.field(slots[f.focus].field) else { return }
        let value = f.values[slots[f.focus]] ?? ""
        if fld.kind == .note {
            // Enter starts a new line in a note (Ctrl-J arrives as Enter from most terminals); Tab leaves it.
            f.note = TextArea(value, maxLength: fld.defaultMaxLength, enterInsertsNewline: true, layoutWidth: 58, visibleRows: 3)
        } else {
            f.editor = TextField(value, maxLength: fld.defaultMaxLength, filter: { [fld] c in fld.accepts(c) })
            // A value the form filled in (0.00, today's date) starts selected: typing replaces it,
            // the arrows keep it (issue 21 item 6). What a person typed is edited, not replaced.
            let prefilled = fld.default.map { $0 == "today" ? env.today.iso : $0 }
            f.editor.isSelected = !value.isEmpty && value == prefilled
        }
    }

    /// Leave the focused field: tidy its value, check it, save the draft.
    static func leave(_ f: inout FormState, spec: FormSpec, env: AppEnvironment, user: User?) -> [Effect] {
        let pages = spec.pages(f.values)
        guard pages.indices.contains(f.page) else { return [] }
        let slots = spec.slots(pages[f.page], f.values)
        var fx: [Effect] = []
        if slots.indices.contains(f.focus), let fld = spec.field(slots[f.focus].field) {
            let r = slots[f.focus]
            fx += leaveField(&f, r, fld, spec: spec, env: env)
        }
        return fx + saveDraft(&f, spec: spec, env: env)
    }

    static func leaveField(_ f: inout FormState, _ r: FieldRef, _ fld: FieldSpec, spec: FormSpec, env: AppEnvironment) -> [Effect] {
        let rules = env.forms.rules
        var fx: [Effect] = []
        var v = (f.values[r] ?? "").trimmingCharacters(in: .whitespaces)
        switch fld.kind {
        case .id:
            v = v.uppercased()
            if let id = IDNumber(v, today: rules.today) {
                v = id.value
                let sexRef = FieldRef(section: r.section, item: r.item, field: "sex")
                if spec.field("sex") != nil, !f.values.has(sexRef) { f.values[sexRef] = id.sex.rawValue }
                let hid = f.values.fields["household"].flatMap { Int64($0) }
                fx.append(FormScreen.effect(.checkID(r, value: id.value, household: hid)))
            } else {
                f.dbMessages[r] = nil
            }
        case .date:
            if let d = CivilDate(compact: v) { v = d.iso }
        case .money:
            if let m = Money(yuanText: v) { v = m.yuanString }
        default: break
        }
        if fld.kind != .note && fld.kind != .computed { f.values[r] = v }
        f.messages[r] = rules.check(r, spec: spec, values: f.values)
        // Fields of the same item whose messages may have changed with this one (sex after the ID).
        for other in f.messages.keys where other != r && other.section == r.section && other.item == r.item {
            f.messages[other] = rules.check(other, spec: spec, values: f.values)
        }
        if r.field == "id_number" || r.field == "relation" {
            // A relation is judged against the others' birth dates: look at the whole section again.
            for (i, _) in f.values.items(r.section).enumerated() {
                let rel = FieldRef(section: r.section, item: i, field: "relation")
                if f.values.has(rel) { f.messages[rel] = rules.check(rel, spec: spec, values: f.values) }
            }
        }
        if (r.field == "programme" || r.field == "household") && f.correction == nil {
            if let hid = f.values.fields["household"].flatMap({ Int64($0) }),
               let p = f.values.fields["programme"].flatMap(Programme.init(rawValue:)) {
                fx.append(FormScreen.effect(.checkOpenCase(householdId: hid, programme: p)))
            } else {
                f.dbMessages[FieldRef(section: "application", field: "programme")] = nil
            }
        }
        return fx
    }

    static func saveDraft(_ f: inout FormState, spec: FormSpec, env: AppEnvironment) -> [Effect] {
        // A correction keeps no draft: it is saved as a whole version, or not at all.
        guard f.lastSaved != f.values, f.submittedCase == nil, f.correction == nil else { return [] }
        // Nothing typed yet: no draft to keep.
        if f.draftId == nil && f.values == FormValues.blank(spec, today: env.today) { return [] }
        f.lastSaved = f.values
        let prog = env.forms.label("programme", f.values.fields["programme"], env.lang, values: f.values)
        let village = env.forms.label("village", f.values.fields["village"], env.lang, values: f.values)
        return [FormScreen.effect(.saveDraft(id: f.draftId, title: ApplicationForm.title(f.values, programmeLabel: prog, villageLabel: village, lang: env.lang), values: f.values))]
    }

    static func move(_ f: inout FormState, by step: Int, spec: FormSpec, env: AppEnvironment, user: User?) -> [Effect] {
        let fx = leave(&f, spec: spec, env: env, user: user)
        let pages = spec.pages(f.values)
        let slots = spec.slots(pages[f.page], f.values)
        let next = f.focus + step
        if slots.indices.contains(next) {
            enter(&f, page: f.page, slot: next, spec: spec, env: env)
        } else if step > 0 && f.page + 1 < pages.count {
            f.scroll = 0
            enter(&f, page: f.page + 1, slot: 0, spec: spec, env: env)
        } else if step < 0 && f.page > 0 {
            f.scroll = 0
            enter(&f, page: f.page - 1, slot: Int.max / 2, spec: spec, env: env)
        }
        return fx
    }

    static func goto(_ f: inout FormState, page: Int, spec: FormSpec, env: AppEnvironment, user: User?) -> [Effect] {
        let fx = leave(&f, spec: spec, env: env, user: user)
        f.scroll = 0
        enter(&f, page: page, slot: 0, spec: spec, env: env)
        return fx
    }

    /// Put the cursor on a field (from the error list).
    static func jump(_ f: inout FormState, to ref: FieldRef, spec: FormSpec, env: AppEnvironment) {
        let pages = spec.pages(f.values)
        guard let p = pages.firstIndex(where: { $0.section == ref.section && ($0.isTable || $0.item == ref.item) }) else { return }
        let slots = spec.slots(pages[p], f.values)
        f.scroll = 0
        enter(&f, page: p, slot: slots.firstIndex(of: ref) ?? 0, spec: spec, env: env)
    }

    // MARK: repeated sections

    static func addItem(_ f: inout FormState, page: FormPage, spec: FormSpec, env: AppEnvironment, user: User?) -> [Effect] {
        guard let sec = spec.section(page.section), let rep = sec.repeat else { return [] }
        var items = f.values.items(sec.id)
        guard items.count < rep.max else {
            f.typingNote = env.t("form.tooMany", ["n": String(rep.max), "item": rep.item(env.lang)])
            return []
        }
        var fx = leave(&f, spec: spec, env: env, user: user)
        let slots = spec.slots(page, f.values)
        let current = slots.indices.contains(f.focus) ? slots[f.focus].item : page.item
        let at = current.map { $0 + 1 } ?? items.count
        items.insert(FormValues.newItem(sec, today: env.today), at: at)
        f.values.groups[sec.id] = items
        shiftMessages(&f, section: sec.id) { $0 >= at ? $0 + 1 : $0 }
        if sec.id == "members" {
            // Income rows keep pointing at the same people.
            var income = f.values.items("income")
            for i in income.indices {
                if let m = income[i]["member"].flatMap({ Int($0) }), m > at { income[i]["member"] = String(m + 1) }
            }
            f.values.groups["income"] = income
        }
        let pages = spec.pages(f.values)
        if page.isTable {
            let newSlots = spec.slots(page, f.values)
            enter(&f, page: f.page, slot: newSlots.firstIndex { $0.item == at } ?? 0, spec: spec, env: env)
        } else {
            let p = pages.firstIndex { $0.section == sec.id && $0.item == at } ?? f.page
            f.scroll = 0
            enter(&f, page: p, slot: 0, spec: spec, env: env)
        }
        fx += saveDraft(&f, spec: spec, env: env)
        return fx
    }

    static func deleteItem(_ f: inout FormState, section: String, item: Int, spec: FormSpec, env: AppEnvironment) {
        var items = f.values.items(section)
        guard items.indices.contains(item) else { return }
        items.remove(at: item)
        f.values.groups[section] = items
        for k in f.messages.keys where k.section == section && k.item == item { f.messages[k] = nil }
        for k in f.dbMessages.keys where k.section == section && k.item == item { f.dbMessages[k] = nil }
        shiftMessages(&f, section: section) { $0 > item ? $0 - 1 : $0 }
        // Income rows pointing at members: a deleted member's rows fall back to the whole household.
        if section == "members" {
            var income = f.values.items("income")
            for i in income.indices {
                guard let m = income[i]["member"].flatMap({ Int($0) }), m > 0 else { continue }
                if m == item + 1 { income[i]["member"] = "0" } else if m > item + 1 { income[i]["member"] = String(m - 1) }
            }
            f.values.groups["income"] = income
        }
        f.scroll = 0
        enter(&f, page: f.page, slot: f.focus, spec: spec, env: env)
    }

    static func swapItems(_ f: inout FormState, section: String, _ a: Int, _ b: Int) {
        var items = f.values.items(section)
        items.swapAt(a, b)
        f.values.groups[section] = items
        shiftMessages(&f, section: section) { $0 == a ? b : ($0 == b ? a : $0) }
        if section == "members" {
            var income = f.values.items("income")
            for i in income.indices {
                if income[i]["member"] == String(a + 1) { income[i]["member"] = String(b + 1) }
                else if income[i]["member"] == String(b + 1) { income[i]["member"] = String(a + 1) }
            }
            f.values.groups["income"] = income
        }
    }

    /// Messages follow their items when items are inserted, deleted or moved.
    static func shiftMessages(_ f: inout FormState, section: String, _ map: (Int) -> Int) {
        func remap<V>(_ d: [FieldRef: V]) -> [FieldRef: V] {
            var out: [FieldRef: V] = [:]
            for (k, v) in d {
                var k2 = k
                if k.section == section, let i = k.item { k2.item = map(i) }
                out[k2] = v
            }
            return out
        }
        f.messages = remap(f.messages).mapValues { $0.map { m in var m = m; if m.ref.section == section, let i = m.ref.item { m.ref.item = map(i) }; return m } }
        f.dbMessages = remap(f.dbMessages)
    }

    // MARK: pickers

    static func openPicker(_ f: inout FormState, ref: FieldRef, field: FieldSpec, filter: String, env: AppEnvironment) {
        let current = Set((f.values[ref] ?? "").split(separator: ",").map(String.init))
        var p: Picker
        var household = false
        switch field.kind {
        case .household:
            p = Picker(title: field.label(env.lang), options: [], filter: filter)
            p.emptyText = env.t("form.householdSearching")
            household = true
        case .code, .multi:
            var opts = env.forms.pickerOptions(field.codes ?? "", values: f.values, lang: env.lang)
            // 与户主关系: the head is 户主 (02); 本人 (01) says the same and is offered only to a
            // value already holding it, which stays readable.
            if field.codes == "relationship" && !current.contains(SurveyRules.selfRelation) {
                opts.removeAll { $0.code == SurveyRules.selfRelation }
            }
            p = Picker(title: field.label(env.lang), options: opts, multiSelect: field.kind == .multi, selected: current, filter: filter)
        case .yesno:
            p = Picker(title: field.label(env.lang), options: env.forms.pickerOptions("yesno", values: f.values, lang: env.lang), selected: current, filter: filter)
        default:
            return
        }
        // A multi-select says how to tick.
        p.filterLabel = env.t(field.kind == .multi ? "picker.filterMulti" : "picker.filter")
        // Numbered lists (relationships, ethnicities) show their codes; the others only labels.
        p.showsCodes = p.options.contains { $0.code.first?.isNumber == true } && field.codes != "members" && field.codes != "village"
        if !household { p.emptyText = env.t("picker.empty") }
        let id = (f.picker?.requestId ?? 0) + 1
        f.picker = FormPicker(ref: ref, picker: p, householdSearch: household, requestId: id)
    }

    static func pickerKey(_ f: inout FormState, _ key: KeyEvent, spec: FormSpec, env: AppEnvironment) -> [Effect] {
        guard var fp = f.picker else { return [] }
        let before = fp.picker.filter
        let action = fp.picker.handle(key)
        f.picker = fp
        switch action {
        case .chosen(let code):
            f.picker = nil
            if fp.householdSearch {
                guard let hid = Int64(code) else { return [] }
                return [FormScreen.effect(.loadHousehold(hid))]
            }
            // 受灾救助 is granted on a disaster's ledger, not through this form: hand over to it.
            if fp.ref.field == "programme" && code == Programme.disaster.rawValue && f.correction == nil {
                f.toDisaster = true
                return []
            }
            f.values[fp.ref] = code
            return move(&f, by: 1, spec: spec, env: env, user: nil)
        case .chosenMany(let codes):
            f.picker = nil
            f.values[fp.ref] = codes.joined(separator: ",")
            return move(&f, by: 1, spec: spec, env: env, user: nil)
        case .cancelled:
            f.picker = nil
            return []
        default:
            if fp.householdSearch && fp.picker.filter != before {
                fp.requestId += 1
                fp.picker.emptyText = env.t("form.householdSearching")
                f.picker = fp
                return [FormScreen.effect(.searchHouseholds(requestId: fp.requestId, text: fp.picker.filter))]
            }
            return []
        }
    }

    // MARK: submit

    static func submit(_ f: inout FormState, spec: FormSpec, env: AppEnvironment, user: User?) -> [Effect] {
        let fx = leave(&f, spec: spec, env: env, user: user)
        let all = env.forms.rules.checkAll(spec: spec, values: f.values) + f.dbMessages.values.sorted { $0.ref.description < $1.ref.description }
        // Every field shows its own messages after a submit, not only those left.
        var byRef: [FieldRef: [FieldMessage]] = [:]
        for m in all where f.dbMessages[m.ref] != m { byRef[m.ref, default: []].append(m) }
        f.messages = byRef
        let errors = all.filter { $0.severity == .error }
        if !errors.isEmpty {
            f.errorList = errors
            f.errorSelection = 0
            return fx
        }
        let warnings = all.filter { $0.severity == .warning }
        if !warnings.isEmpty {
            f.confirm = .submitWithWarnings(warnings.count)
            let list = warnings.prefix(4).map { "· " + describe($0, spec: spec, values: f.values, env: env) }.joined(separator: "\n")
            f.confirmBox = ConfirmBox(title: env.t("form.submitTitle"),
                                      message: env.t("form.warnings", ["n": String(warnings.count)]) + "\n" + list,
                                      yesLabel: env.t("form.submitYes"), noLabel: env.t("confirm.no"))
            return fx
        }
        if let c = f.correction {
            f.correction?.reasonBox = reasonBox(c, env: env)
            return fx
        }
        f.busy = true
        return fx + [FormScreen.effect(.submit(f.values, draftId: f.draftId))]
    }

    /// "家庭成员 2 李四 · 身份证号: 校验位错误…"
    public static func describe(_ m: FieldMessage, spec: FormSpec, values: FormValues, env: AppEnvironment) -> String {
        let sec = spec.section(m.ref.section)
        var place = sec?.title(env.lang) ?? m.ref.section
        if let i = m.ref.item, let rep = sec?.repeat {
            place += " \(i + 1)"
            if let t = rep.titleField, let name = values.items(m.ref.section).indices.contains(i) ? values.items(m.ref.section)[i][t] : nil, !name.isEmpty {
                place += " " + name
            }
        }
        let label = spec.field(m.ref.field)?.label(env.lang) ?? m.ref.field
        return "\(place) · \(label): \(m.text(env.lang))"
    }

    // MARK: events

    // MARK: drafts list

    static func intakeKey(_ s: inout AppState, _ st: inout IntakeState, _ key: KeyEvent, _ cmd: Command?, env: AppEnvironment) -> [Effect] {
        if let id = st.confirmDelete {
            switch key {
            case .char("y"), .char("Y"):
                st.confirmDelete = nil
                st.loading = true
                return [IntakeScreen.effect(.deleteDraft(id))]
            case .char("n"), .char("N"), .escape, .enter:
                st.confirmDelete = nil
            default: break
            }
            return []
        }
        let count = st.drafts.count + 1
        switch cmd {
        case .up?: st.selection = max(0, st.selection - 1)
        case .down?: st.selection = min(count - 1, st.selection + 1)
        case .first?: st.selection = 0
        case .last?: st.selection = count - 1
        case .newItem?:
            s.replaceTop(IntakeScreen.embed(st))
            return openForm(&s, values: nil, draftId: nil, env: env)
        case .confirm?:
            s.replaceTop(IntakeScreen.embed(st))
            if st.selection == 0 { return openForm(&s, values: nil, draftId: nil, env: env) }
            return [IntakeScreen.effect(.openDraft(st.drafts[st.selection - 1].id))]
        case .deleteItem?:
            if st.selection > 0 { st.confirmDelete = st.drafts[st.selection - 1].id }
        case .back?:
            s.pop()
        default: break
        }
        return []
    }
}
