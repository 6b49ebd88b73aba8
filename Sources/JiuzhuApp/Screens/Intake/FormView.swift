import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// Drawing a form: a header with the page and draft state, the section tabs, the page's fields
/// (two columns in a wide window), messages under their fields, pop-ups on top.
extension AppView {
    static let warnStyle = Style(fg: .yellow, attrs: .bold)
    static let labelWidth = 18
    static let requiredMark = "*"

    /// One field's rows on a page: where it starts and how many rows it takes.
    struct FieldBlock {
        var ref: FieldRef
        var spec: FieldSpec
        var rows: Int
    }

    static func form(_ g: inout CellGrid, _ f: FormState, _ s: AppState, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        guard let spec = env.screens.forms[f.formId] else { return nil }
        let pages = spec.pages(f.values)
        let page = pages[min(f.page, pages.count - 1)]
        let slots = spec.slots(page, f.values)
        let focused = slots.indices.contains(f.focus) && f.submittedCase == nil ? slots[f.focus] : nil
        guard let sec = spec.section(page.section) else { return nil }

        // Header: form, page, item; draft state on the right.
        var where_ = sec.title(env.lang)
        if let i = page.item, let rep = sec.repeat {
            where_ += " \(i + 1)/\(f.values.items(sec.id).count)"
            if let t = rep.titleField, let name = f.values.items(sec.id)[i][t], !name.isEmpty { where_ += " · " + name }
        }
        var left = env.t("form.header", ["form": spec.title(env.lang), "page": String(f.page + 1), "pages": String(pages.count), "where": where_])
        var right: (String, Style) = ("", dimStyle)
        if let c = f.correction {
            // A correction says which case and which version it makes, and that no draft is kept.
            left = env.t("form.correctHeader", ["case": IdBlock.shown(c.caseId), "page": String(f.page + 1), "pages": String(pages.count), "where": where_])
            right = (env.t("form.correctVersion", ["old": String(c.version), "new": String(c.version + 1)]), noteStyle)
        } else if let c = f.submittedCase { right = (env.t("form.submittedShort", ["case": IdBlock.shown(c)]), headingStyle) }
        else if let e = f.draftError { right = (env.t("form.draftError", ["why": e]), errorStyle) }
        else if let at = f.draftSavedAt { right = (env.t("form.draftSaved", ["time": at]), dimStyle) }
        let rw = min(right.0.displayWidth, g.width / 2)
        // Where the whole header does not fit beside the draft's state, the form's name gives way
        // to the page and section rather than the section being cut.
        if f.correction == nil, left.displayWidth > g.width - rw - 3 {
            left = env.t("form.headerShort", ["page": String(f.page + 1), "pages": String(pages.count), "where": where_])
        }
        g.put(left, x: 1, y: 1, style: headingStyle, maxWidth: g.width - rw - 3)
        g.put(right.0, x: g.width - rw - 1, y: 1, style: right.1, maxWidth: rw)

        // Section tabs.
        var tx = 1
        // When the tabs do not all fit (a programme's own sections added), the leading ones give
        // way until the current one shows, marked by "‹".
        var tabs = spec.sections.filter { spec.applies($0, in: f.values) }
        func width(_ list: [SectionSpec]) -> Int { list.reduce(0) { $0 + (" " + $1.title(env.lang) + " ").displayWidth + 2 } }
        var dropped = false
        while let cur = tabs.firstIndex(where: { $0.id == sec.id }), cur > 0, width(tabs) + 3 >= g.width {
            tabs.removeFirst(); dropped = true
        }
        if dropped { tx += g.put("‹", x: tx, y: 2, style: dimStyle) + 1 }
        for other in tabs {
            let label = " " + other.title(env.lang) + " "
            guard tx + label.displayWidth < g.width else { if tx < g.width { g.put("›", x: tx, y: 2, style: dimStyle) }; break }
            let bad = f.messages.contains { $0.key.section == other.id && $0.value.contains { $0.severity == .error } }
                || f.dbMessages.keys.contains { $0.section == other.id }
            let style: Style = other.id == sec.id ? selectedStyle : (bad ? errorStyle : dimStyle)
            tx += g.put(label + (bad && other.id != sec.id ? "!" : ""), x: tx, y: 2, style: style) + 1
        }

        let top = 3, bottom = g.height - 3
        var cursor: (x: Int, y: Int)?
        if page.isTable {
            cursor = formTable(&g, f, spec, sec, focused, top: top, bottom: bottom, env)
        } else if page.item == nil && sec.repeat != nil {
            g.put(env.t("form.noItems", ["item": sec.repeat!.item(env.lang)]), x: 2, y: top + 1, style: dimStyle)
        } else {
            cursor = formFields(&g, f, spec, sec, page, focused, top: top, bottom: bottom, env)
        }

        // Status: why a key did nothing, else the focused field's first message or hint, and the counts.
        let errors = f.messages.values.joined().filter { $0.severity == .error }.count + f.dbMessages.count
        let warnings = f.messages.values.joined().filter { $0.severity == .warning }.count
        var info = f.typingNote ?? ""
        if info.isEmpty, let r = focused, let fld = spec.field(r.field) {
            info = fld.hint(env.lang) ?? (fld.kind == .code || fld.kind == .multi ? env.t("form.codeHint") : "")
            if fld.kind == .household { info = fld.hint(env.lang) ?? "" }
            if fld.kind == .note { info = env.t("form.noteHint") }
            if fld.kind == .yesno { info = env.t("form.yesnoHint") }
        }
        let counts = errors + warnings == 0 ? env.t("form.noProblems") : env.t("form.counts", ["errors": String(errors), "warnings": String(warnings),
                                                                                                 "es_en": errors == 1 ? "" : "s", "ws_en": warnings == 1 ? "" : "s"])
        status(&g, left: info, right: counts)

        if let p = f.picker {
            let (pw, ph) = p.picker.preferredSize(maxWidth: min(64, g.width - 4), maxHeight: min(18, g.height - 4))
            let px = max(2, min(g.width - pw - 2, 2 + labelWidth))
            let py = max(2, min(g.height - ph - 2, (cursor?.y ?? 4) + 1))
            cursor = p.picker.render(into: &g, x: px, y: py, width: pw, height: ph)
        }
        if let list = f.errorList {
            cursor = nil
            errorListBox(&g, list, selection: f.errorSelection, spec: spec, values: f.values, env)
        }
        if let box = f.confirmBox {
            box.render(into: &g)
            cursor = nil
        }
        if let d = f.correction?.reasonBox { cursor = actionDialog(&g, d, env) }
        return cursor
    }

    /// The text a field shows when it is not being typed into.
    static func display(_ fld: FieldSpec, _ r: FieldRef, _ v: FormValues, _ env: AppEnvironment, figures: SurveyFigures? = nil) -> String {
        let raw = v[r] ?? ""
        switch fld.kind {
        case .code:
            guard !raw.isEmpty else { return "" }
            let label = env.forms.label(fld.codes ?? "", raw, env.lang, values: v)
            return label == raw ? raw : "\(label)"
        case .multi:
            return raw.split(separator: ",").map { env.forms.label(fld.codes ?? "", String($0), env.lang, values: v) }.joined(separator: env.t("form.text"))
        case .yesno:
            if raw.isEmpty { return "" }
            return raw == "yes" ? env.t("yesChosen") : env.t("noChosen")
        case .computed:
            return env.forms.rules.computed(fld.compute ?? "", ref: r, values: v, figures: figures, lang: env.lang)
        case .household:
            if raw.isEmpty { return env.t("form.newHousehold") }
            let head = v.items("members").first { $0["relation"] == SurveyRules.headRelation }?["name"] ?? ""
            return env.t("form.existingHousehold", ["id": raw, "head": head])
        default:
            return raw
        }
    }

    static func formFields(_ g: inout CellGrid, _ f: FormState, _ spec: FormSpec, _ sec: SectionSpec, _ page: FormPage,
                           _ focused: FieldRef?, top: Int, bottom: Int, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        let refs = spec.shown(page, f.values)
        // The household's sums, once for every computed field on the page.
        let figures = refs.contains { spec.field($0.field)?.kind == .computed } ? env.forms.rules.figures(f.values) : nil
        let twoColumns = g.width >= 160 && refs.count > 6
        let colWidth = twoColumns ? (g.width - 3) / 2 : g.width - 2
        // Labels whole where the window allows (English ones are longer: "Cadre or staff
        // relative"): the label column widens to the page's widest label, up to a third of it.
        let widest = refs.compactMap { spec.field($0.field).map { TextWidth.of($0.label(env.lang)) } }.max() ?? labelWidth
        let labelWidth = min(max(Self.labelWidth, widest), max(Self.labelWidth, colWidth / 3))
        let valueWidth = max(10, min(colWidth - labelWidth - 3, 60))
        // A message under a field wraps onto lines of its own rather than being cut.
        let messageWidth = max(10, colWidth - labelWidth - 2)
        func messageLines(_ r: FieldRef) -> [(String, Style)] {
            f.messages(for: r).flatMap { m -> [(String, Style)] in
                let style = m.severity == .error ? errorStyle : warnStyle
                return wrap((m.severity == .error ? "✗ " : "! ") + m.text(env.lang), width: messageWidth).enumerated().map { ($0.offset == 0 ? $0.element : "  " + $0.element, style) }
            }
        }
        var blocks: [FieldBlock] = []
        for r in refs {
            guard let fld = spec.field(r.field) else { continue }
            let msgs = messageLines(r).count
            let rows = (fld.kind == .note ? 3 : 1) + msgs
            blocks.append(FieldBlock(ref: r, spec: fld, rows: rows))
        }
        // Columns: fields in order, the first half (by rows) on the left.
        let total = blocks.map(\.rows).reduce(0, +)
        var columns: [[FieldBlock]] = [[]]
        var acc = 0
        for b in blocks {
            if twoColumns && columns.count == 1 && acc >= (total + 1) / 2 { columns.append([]) }
            columns[columns.count - 1].append(b); acc += b.rows
        }
        let area = bottom - top
        var cursor: (x: Int, y: Int)?
        for (ci, col) in columns.enumerated() {
            // Scroll so the focused field and its messages are in view.
            var offset = 0
            var y = 0
            for b in col {
                if b.ref == focused && y + b.rows > area { offset = y + b.rows - area }
                y += b.rows
            }
            let x0 = 1 + ci * (colWidth + 1)
            y = top - offset
            if offset > 0 { g.put("↑", x: x0 + colWidth - 1, y: top, style: dimStyle) }
            for b in col {
                defer { y += b.rows }
                guard y >= top, y + (b.spec.kind == .note ? 3 : 1) <= bottom else { continue }
                let isFocus = b.ref == focused
                let mark = b.spec.isRequired && b.spec.isEditable ? requiredMark : " "
                g.put(mark, x: x0, y: y, style: errorStyle)
                g.put(TextWidth.fit(b.spec.label(env.lang), labelWidth, ellipsis: true), x: x0 + 1, y: y, style: isFocus ? headingStyle : .plain)
                let vx = x0 + labelWidth + 2
                if isFocus && f.picker == nil {
                    switch b.spec.kind {
                    case .note:
                        cursor = f.note.render(into: &g, x: vx, y: y, width: min(valueWidth, 58), height: 3)
                    case .code, .multi, .yesno, .household:
                        g.put(TextWidth.fit(display(b.spec, b.ref, f.values, env), valueWidth), x: vx, y: y, style: selectedStyle)
                        cursor = (vx, y)
                    default:
                        cursor = (f.editor.render(into: &g, x: vx, y: y, width: min(valueWidth, max(b.spec.defaultMaxLength + 1, 12))), y)
                    }
                } else {
                    let text = display(b.spec, b.ref, f.values, env, figures: figures)
                    if b.spec.kind == .note {
                        for (i, line) in wrap(text, width: valueWidth).prefix(3).enumerated() { g.put(line, x: vx, y: y + i, maxWidth: valueWidth) }
                    } else {
                        g.put(text, x: vx, y: y, style: b.spec.kind == .computed ? headingStyle : .plain, maxWidth: valueWidth)
                    }
                }
                var my = y + (b.spec.kind == .note ? 3 : 1)
                for (text, style) in messageLines(b.ref) where my < bottom {
                    g.put(text, x: vx, y: my, style: style, maxWidth: messageWidth)
                    my += 1
                }
            }
            if y > bottom { g.put("↓", x: x0 + colWidth - 1, y: bottom - 1, style: dimStyle) }
        }
        return cursor
    }

    static func formTable(_ g: inout CellGrid, _ f: FormState, _ spec: FormSpec, _ sec: SectionSpec, _ focused: FieldRef?,
                          top: Int, bottom: Int, _ env: AppEnvironment) -> (x: Int, y: Int)? {
        let fields = sec.fields.filter(\.isEditable)
        let items = f.values.items(sec.id)
        var x = 6
        var xs: [Int] = []
        for fld in fields { xs.append(x); x += (fld.width ?? 12) + 1 }
        // A column title longer than its column ("Yearly (yuan)") wraps onto a second header line.
        let titles = fields.map { fld in Array(wrap((fld.isRequired ? requiredMark : "") + fld.label(env.lang), width: fld.width ?? 12).prefix(2)) }
        let headerLines = max(1, titles.map(\.count).max() ?? 1)
        for k in 0..<headerLines {
            let style = k == headerLines - 1 ? Style(attrs: .underline) : .plain
            if k == headerLines - 1 { g.put("#", x: 1, y: top + k, style: style) }
            for (i, fld) in fields.enumerated() {
                // Titles sit on the last header line; a wrapped one starts above it.
                let t = titles[i], j = k - (headerLines - t.count)
                g.put(TextWidth.fit(j >= 0 ? t[j] : "", fld.width ?? 12), x: xs[i], y: top + k, style: style)
            }
        }
        // Summary lines under the table: what the rows add up to.
        let fig = env.forms.rules.figures(f.values)
        let summary = env.t("form.incomeSummary", ["income": fig.incomeCountedYearly.yuanString, "excluded": fig.incomeExcludedYearly.yuanString,
                                                   "n": String(fig.membersCounted), "perCapita": fig.perCapitaMonthly.yuanString])
        // The summary and the focused cell's messages wrap rather than being cut.
        let summaryLines = Array(wrap(summary, width: g.width - 2).prefix(2))
        let messageLines: [(String, Style)] = (focused.map { f.messages(for: $0) } ?? []).flatMap { m in
            wrap((m.severity == .error ? "✗ " : "! ") + m.text(env.lang), width: g.width - 8).enumerated()
                .map { ($0.offset == 0 ? $0.element : "  " + $0.element, m.severity == .error ? errorStyle : warnStyle) }
        }
        let msgRows = messageLines.count
        let area = max(1, bottom - top - headerLines - summaryLines.count - msgRows)
        if items.isEmpty {
            g.put(env.t("form.noItems", ["item": sec.repeat?.item(env.lang) ?? ""]), x: 2, y: top + headerLines, style: dimStyle)
        }
        let focusRow = focused?.item ?? 0
        let first = TableView.clampScroll(max(0, focusRow - area + 1), selected: focusRow, count: items.count, visible: area)
        var cursor: (x: Int, y: Int)?
        for (line, i) in (first..<min(items.count, first + area)).enumerated() {
            let y = top + headerLines + line
            g.put(String(i + 1), x: 1, y: y, style: i == focusRow ? headingStyle : dimStyle)
            for (c, fld) in fields.enumerated() {
                let r = FieldRef(section: sec.id, item: i, field: fld.id)
                let w = fld.width ?? 12
                let bad = f.messages(for: r).contains { $0.severity == .error }
                if r == focused && f.picker == nil {
                    if fld.kind == .code || fld.kind == .multi || fld.kind == .yesno {
                        g.put(TextWidth.fit(display(fld, r, f.values, env), w), x: xs[c], y: y, style: selectedStyle)
                        cursor = (xs[c], y)
                    } else {
                        cursor = (f.editor.render(into: &g, x: xs[c], y: y, width: w), y)
                    }
                } else {
                    g.put(TextWidth.fit(display(fld, r, f.values, env), w, ellipsis: true), x: xs[c], y: y, style: bad ? errorStyle : .plain)
                }
            }
        }
        var y = top + headerLines + min(area, max(1, items.count - first))
        for (text, style) in messageLines where y < bottom - summaryLines.count {
            g.put(text, x: 6, y: y, style: style, maxWidth: g.width - 8)
            y += 1
        }
        for (k, line) in summaryLines.enumerated() {
            g.put(line, x: 1, y: bottom - summaryLines.count + k, style: headingStyle, maxWidth: g.width - 2)
        }
        return cursor
    }

    /// Each problem whole: a long one wraps onto lines of its own, indented, rather than cut
    /// (issue 21 item 6); the box scrolls by problems and keeps the selected one in view.
    static func errorListBox(_ g: inout CellGrid, _ list: [FieldMessage], selection: Int, spec: FormSpec, values: FormValues, _ env: AppEnvironment) {
        let w = min(g.width - 4, 100)
        let entries: [[String]] = list.map { m in
            let text = App.describe(m, spec: spec, values: values, env: env)
            let head = wrap(text, width: w - 4)
            guard let first = head.first else { return [""] }
            let rest = String(text.dropFirst(first.count).drop { $0 == " " })
            return [first] + (rest.isEmpty ? [] : wrap(rest, width: w - 6).map { "  " + $0 })
        }
        let total = entries.reduce(0) { $0 + $1.count }
        let h = min(g.height - 4, total + 4)
        let x = (g.width - w) / 2, y = (g.height - h) / 2
        g.drawBox(x: x, y: y, width: w, height: h, title: env.t("form.errorsTitle", ["n": String(list.count)]))
        let visible = h - 4
        var first = min(TableView.clampScroll(0, selected: selection, count: list.count, visible: visible), max(0, selection))
        while first < selection, entries[first...selection].reduce(0, { $0 + $1.count }) > visible { first += 1 }
        var line = 0
        for i in first..<list.count {
            for part in entries[i] where line < visible {
                g.put(TextWidth.fit(part, w - 4, ellipsis: true), x: x + 2, y: y + 1 + line, style: i == selection ? selectedStyle : errorStyle)
                line += 1
            }
            if line >= visible { break }
        }
        g.put(env.t("form.errorsHint"), x: x + 2, y: y + h - 2, style: dimStyle, maxWidth: w - 4)
    }

    // MARK: drafts list

    static func intake(_ g: inout CellGrid, _ st: IntakeState, _ s: AppState, _ env: AppEnvironment) {
        g.put(env.t(st.atLogin ? "intake.resumeTitle" : "intake.title"), x: 1, y: 1, style: headingStyle)
        // The hint whole, over two lines where it needs them; the list starts below it.
        let hint = st.atLogin ? Array(wrap(env.t("intake.resumeHint"), width: g.width - 2).prefix(2)) : []
        for (i, line) in hint.enumerated() { g.put(line, x: 1, y: 2 + i, style: warnStyle, maxWidth: g.width - 2) }
        let rows = [env.t("intake.new")] + st.drafts.map { "\($0.title)    \(env.t("intake.savedAt", ["time": String($0.updatedAt.prefix(19)).replacingOccurrences(of: "T", with: " ")]))" }
        let top = max(4, 3 + hint.count)
        let visible = g.height - top - 3
        let first = TableView.clampScroll(0, selected: st.selection, count: rows.count, visible: visible)
        for (line, i) in (first..<min(rows.count, first + visible)).enumerated() {
            g.put(TextWidth.fit("  " + rows[i], g.width - 4), x: 2, y: top + line, style: i == st.selection ? selectedStyle : (i == 0 ? headingStyle : .plain))
        }
        if st.loading { g.put(env.t("households.loading"), x: 2, y: top + rows.count, style: dimStyle) }
        status(&g, left: env.t("intake.count", ["n": String(st.drafts.count)]), right: "")
        if st.confirmDelete != nil {
            ConfirmBox(title: env.t("intake.deleteTitle"), message: env.t("intake.delete"), yesLabel: env.t("confirm.yes"), noLabel: env.t("confirm.no")).render(into: &g)
        }
    }
}
