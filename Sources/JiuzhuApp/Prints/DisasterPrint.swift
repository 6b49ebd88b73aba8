import Foundation
import JiuzhuModel
import JiuzhuStore
import TextColumns

/// Disaster prints (issue 24): a stage report (初报 / 续报 / 核报, 《自然灾害情况统计调查制度》) with
/// the ledger's totals and the difference beside it, the relief cards several to an A4 page
/// (text and HTML), and the event's summary the command line shows. All within 80 columns;
/// ID numbers masked (a card is the family's paper, shown at the distribution point).
public enum DisasterPrint {
    static func t(_ key: String, _ lang: Lang, _ v: [String: String] = [:]) -> String { say(key, lang, v) }
    static func fit(_ s: String, _ w: Int, right: Bool = false) -> String { TextWidth.fit(s, w, alignRight: right, ellipsis: true) }
    static func rule(_ w: Int = 78) -> String { String(repeating: "─", count: w) }
    static func centred(_ s: String, _ w: Int = 78) -> String {
        let pad = max(0, (w - TextWidth.of(s)) / 2)
        return String(repeating: " ", count: pad) + s
    }

    /// A figure's value as the report shows it.
    static func value(_ f: DisasterFigures, _ key: String) -> String {
        switch key {
        case "cropArea": return DisasterFigures.areaText(f.cropArea)
        case "loss": return f.loss.wanYuanString
        default: return DisasterFigures.countFields.first { $0.key == key }.map { String(f[keyPath: $0.path]) } ?? ""
        }
    }

    static let reportKeys = DisasterFigures.countFields.map(\.key) + ["cropArea", "loss"]

    /// The stage report as an A4 text page.
    public static func stageReport(_ e: DisasterEvent, kind: String, villages: [String], report r: DisasterReport, ledger: DisasterFigures,
                                   township: String, lang: Lang) -> String {
        var out: [String] = []
        out.append(centred(t("disaster.print.reportTitle", lang, ["township": township, "stage": r.stage.label(lang)])))
        out.append("")
        out.append(t("disaster.print.event", lang, ["name": e.name, "kind": kind, "from": e.startedOn.iso, "until": e.endedOn?.iso ?? "—"]))
        out.append(t("disaster.print.villages", lang, ["villages": Strings.shared.list(villages, lang)]))
        out.append(t("disaster.print.reportedOn", lang, ["date": r.reportedOn.iso, "by": r.reportedBy]))
        out.append(rule())
        out.append(fit(t("disaster.print.figure", lang), 36) + fit(t("disaster.print.thisReport", lang), 14, right: true)
                   + fit(t("disaster.print.ledger", lang), 14, right: true) + fit(t("disaster.print.difference", lang), 14, right: true))
        out.append(rule())
        let ledgerKeys = Set(DisasterFigures.ledgerFields.map(\.key))
        for key in reportKeys {
            var line = fit(DisasterFigures.label(key)(lang), 36) + fit(value(r.figures, key), 14, right: true)
            if ledgerKeys.contains(key) {
                let l = Int(value(ledger, key)) ?? 0, rep = Int(value(r.figures, key)) ?? 0
                line += fit(String(l), 14, right: true) + fit(l == rep ? "0" : String(format: "%+d", l - rep), 14, right: true)
            }
            out.append(line)
        }
        out.append(rule())
        out.append(t("disaster.print.differenceNote", lang))
        out.append(t("disaster.print.basis", lang))
        out.append("")
        out.append(t("disaster.print.signatures", lang, ["township": township]))
        return out.joined(separator: "\n") + "\n"
    }

    /// The stage report as an A4 HTML page for a browser's print: the same title, particulars,
    /// figures against the ledger with the difference, basis and signatures as the text page.
    public static func stageReportHTML(_ e: DisasterEvent, kind: String, villages: [String], report r: DisasterReport, ledger: DisasterFigures,
                                       township: String, lang: Lang) -> String {
        let title = t("disaster.print.reportTitle", lang, ["township": township, "stage": r.stage.label(lang)])
        var h = """
            <!DOCTYPE html>
            <html lang="\(lang.htmlCode)"><head><meta charset="utf-8"><title>\(esc(title))</title>
            <style>
            @page { size: A4; margin: 18mm 15mm; }
            body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 11pt; line-height: 1.5; }
            h1 { font-size: 16pt; text-align: center; margin: 0 0 10pt; } p { margin: 3pt 0; }
            table { border-collapse: collapse; width: 100%; margin: 8pt 0; } td, th { border: 1px solid #000; padding: 2pt 6pt; }
            th { font-weight: normal; background: #f2f2f2; } td.n { text-align: right; } td.off { font-weight: bold; }
            tr { page-break-inside: avoid; break-inside: avoid; } .note { font-size: 10pt; } .sign { margin-top: 28pt; }
            @media print { body { margin: 0; } }
            </style></head><body>
            <h1>\(esc(title))</h1>

            """
        h += "<p>\(esc(t("disaster.print.event", lang, ["name": e.name, "kind": kind, "from": e.startedOn.iso, "until": e.endedOn?.iso ?? "—"])))</p>\n"
        h += "<p>\(esc(t("disaster.print.villages", lang, ["villages": Strings.shared.list(villages, lang)])))</p>\n"
        h += "<p>\(esc(t("disaster.print.reportedOn", lang, ["date": r.reportedOn.iso, "by": r.reportedBy])))</p>\n"
        h += "<table>\n<tr><th>\(esc(t("disaster.print.figure", lang)))</th><th>\(esc(t("disaster.print.thisReport", lang)))</th>"
            + "<th>\(esc(t("disaster.print.ledger", lang)))</th><th>\(esc(t("disaster.print.difference", lang)))</th></tr>\n"
        let ledgerKeys = Set(DisasterFigures.ledgerFields.map(\.key))
        for key in reportKeys {
            h += "<tr><td>\(esc(DisasterFigures.label(key)(lang)))</td><td class=\"n\">\(esc(value(r.figures, key)))</td>"
            if ledgerKeys.contains(key) {
                let l = Int(value(ledger, key)) ?? 0, rep = Int(value(r.figures, key)) ?? 0
                h += "<td class=\"n\">\(l)</td><td class=\"n\(l == rep ? "" : " off")\">\(l == rep ? "0" : String(format: "%+d", l - rep))</td></tr>\n"
            } else {
                h += "<td></td><td></td></tr>\n"
            }
        }
        h += "</table>\n<p class=\"note\">\(esc(t("disaster.print.differenceNote", lang)))</p>\n"
        h += "<p class=\"note\">\(esc(t("disaster.print.basis", lang)))</p>\n"
        h += "<p class=\"sign\">\(esc(t("disaster.print.signatures", lang, ["township": township])))</p>\n</body></html>\n"
        return h
    }

    /// What a card entitles or has left, as "现金 880.00 元；大米 25 公斤".
    static func goods(_ cash: Money, _ items: [String: Int], _ refs: [RefCode], _ lang: Lang) -> String {
        var parts = [t("disaster.print.cash", lang, ["amount": cash.yuanString])]
        for r in refs where (items[r.code] ?? 0) != 0 {
            parts.append("\(r.label(lang)) \(items[r.code]!) \(r.unit(lang))")
        }
        return parts.joined(separator: t("disaster.print.sep", lang))
    }

    /// Rows for hand-written distributions below the recorded ones.
    static let cardRows = 6

    /// One card's lines (a box 78 columns wide).
    static func card(_ c: ReliefCard, refs: [RefCode], township: String, lang: Lang) -> [String] {
        let w = 78
        func boxed(_ s: String) -> String { "│" + fit(" " + s, w - 2) + "│" }
        var out = ["┌" + String(repeating: "─", count: w - 2) + "┐"]
        out.append(boxed(t("disaster.print.cardTitle", lang, ["number": c.number, "township": township])))
        let scope = c.scope == "winter" ? t("disaster.print.scopeWinter", lang, ["season": c.season]) : t("disaster.print.scopeEvent", lang)
        out.append(boxed(t("disaster.print.cardEvent", lang, ["event": c.eventName, "scope": scope])))
        out.append(boxed(t("disaster.print.cardHead", lang, ["head": c.headName, "id": Masking.idNumber(c.headId), "village": c.villageName,
                                                            "persons": String(c.persons)])))
        out.append(boxed(t("disaster.print.cardIssued", lang, ["date": c.issuedOn.iso, "by": c.issuedBy])))
        out.append(boxed(t("disaster.print.entitled", lang, ["what": goods(c.cash, c.items, refs, lang)])))
        out.append("├" + String(repeating: "─", count: w - 2) + "┤")
        out.append(boxed(fit(t("disaster.print.colDate", lang), 11) + fit(t("disaster.print.colCash", lang), 11, right: true) + "  "
                         + fit(t("disaster.print.colGoods", lang), 28) + fit(t("disaster.print.colReceiver", lang), 11)
                         + fit(t("disaster.print.colIssuer", lang), 10)))
        for d in c.distributions {
            let g = refs.filter { (d.items[$0.code] ?? 0) > 0 }.map { "\($0.label(lang))\(d.items[$0.code]!)\($0.unit(lang))" }.joined(separator: t("list.separator", lang))
            out.append(boxed(fit(d.handedOn.iso, 11) + fit(d.cash.yuanString, 11, right: true) + "  " + fit(g.isEmpty ? "—" : g, 28)
                             + fit(d.receiver, 11) + fit(d.issuedBy, 10)))
        }
        for _ in 0..<max(1, cardRows - c.distributions.count) { out.append(boxed(fit("____-__-__", 11) + String(repeating: " ", count: 60))) }
        var left: [String: Int] = [:]
        for k in c.items.keys { left[k] = c.left(k) }
        out.append(boxed(t("disaster.print.left", lang, ["what": goods(c.cashLeft, left, refs, lang)])))
        out.append("└" + String(repeating: "─", count: w - 2) + "┘")
        return out
    }

    /// Cards as A4 text: `perPage` to a page (a form feed between pages), with the page number.
    public static func cardsText(_ cards: [ReliefCard], refs: [RefCode], township: String, lang: Lang, perPage: Int = 3) -> String {
        var pages: [String] = []
        let chunks = stride(from: 0, to: cards.count, by: perPage).map { Array(cards[$0..<min($0 + perPage, cards.count)]) }
        for (i, chunk) in chunks.enumerated() {
            var lines: [String] = []
            for c in chunk { lines += card(c, refs: refs, township: township, lang: lang); lines.append("") }
            lines.append(centred(t("disaster.print.page", lang, ["n": String(i + 1), "of": String(chunks.count)])))
            pages.append(lines.joined(separator: "\n"))
        }
        return pages.joined(separator: "\n\u{0C}") + "\n"
    }

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Cards as HTML for a browser's print: `perPage` to an A4 page.
    public static func cardsHTML(_ cards: [ReliefCard], refs: [RefCode], township: String, lang: Lang, perPage: Int = 3) -> String {
        var h = """
            <!DOCTYPE html><html lang="\(lang.htmlCode)"><head><meta charset="utf-8"><title>\(esc(t("disaster.print.cardsTitle", lang)))</title>
            <style>@page{size:A4;margin:12mm} body{font-family:sans-serif;font-size:10pt} .card{border:1px solid #000;padding:4mm;margin-bottom:5mm;height:80mm;overflow:hidden}
            .page{page-break-after:always} table{border-collapse:collapse;width:100%} td,th{border:1px solid #999;padding:1mm 2mm;text-align:left}</style></head><body>
            """
        let chunks = stride(from: 0, to: cards.count, by: perPage).map { Array(cards[$0..<min($0 + perPage, cards.count)]) }
        for chunk in chunks {
            h += "<div class=\"page\">"
            for c in chunk {
                let lines = card(c, refs: refs, township: township, lang: lang)
                h += "<div class=\"card\"><pre>" + esc(lines.dropFirst().dropLast().map { String($0.dropFirst().dropLast()) }.joined(separator: "\n")) + "</pre></div>"
            }
            h += "</div>"
        }
        return h + "</body></html>\n"
    }

    /// The event as `jiuzhu disaster show` prints it: reports, the ledger village by village with
    /// its totals against the latest report, relief, cards, goods and houses.
    public static func summary(_ e: DisasterEvent, kind: String, villages: [String], reports: [DisasterReport], victims: [DisasterVictim],
                               ledger: DisasterFigures, grants: [ReliefGrant], cards: [ReliefCard], stock: [GoodsStock], houses: [DisasterHouse],
                               today: CivilDate, lang: Lang) -> String {
        var out: [String] = []
        out.append("#\(e.id) " + t("disaster.print.event", lang, ["name": e.name, "kind": kind, "from": e.startedOn.iso, "until": e.endedOn?.iso ?? "—"]))
        out.append(t("disaster.print.villages", lang, ["villages": Strings.shared.list(villages, lang)]))
        out.append("")
        out.append(t("disaster.print.reports", lang))
        if reports.isEmpty { out.append("  " + t("disaster.print.none", lang)) }
        for r in reports {
            let parts = reportKeys.prefix(5).map { "\(DisasterFigures.shortLabel($0)(lang)) \(value(r.figures, $0))" }
            let line = "  \(r.reportedOn.iso) \(r.stage.label(lang)) · " + parts.joined(separator: " · ")
            if TextWidth.of(line) <= 78 { out.append(line) } else {
                // Too wide for 80 columns (English): the rest on a second line.
                out.append("  \(r.reportedOn.iso) \(r.stage.label(lang)) · " + parts.prefix(3).joined(separator: " · "))
                out.append("    " + parts.dropFirst(3).joined(separator: " · "))
            }
        }
        out.append("")
        out.append(t("disaster.print.ledgerTitle", lang, ["n": String(victims.count)]))
        var village = ""
        for v in victims {
            if v.villageName != village {
                village = v.villageName
                let lines = victims.filter { $0.villageCode == v.villageCode }
                let checked = lines.allSatisfy { $0.checkedOn != nil }
                out.append("  " + t(checked ? "disaster.print.villageChecked" : "disaster.print.villageOpen", lang,
                                    ["village": village, "n": String(lines.count), "persons": String(lines.reduce(0) { $0 + $1.persons }),
                                     "date": lines.first?.checkedOn?.iso ?? ""]))
            }
            out.append("    " + fit("\(v.id)", 5) + fit(v.headName, 10) + fit(t("disaster.print.persons", lang, ["n": String(v.persons)]), 8)
                       + fit(v.damage.label(lang) + (v.rooms > 0 ? " \(v.rooms)" + t("disaster.print.rooms", lang) : ""), 18)
                       + fit((v.relocated ? t("disaster.print.relocated", lang) + " " : "") + v.needs, 30))
        }
        if let latest = reports.last {
            out.append("")
            out.append(t("disaster.print.againstLatest", lang, ["stage": latest.stage.label(lang), "date": latest.reportedOn.iso]))
            for d in DisasterRules.difference(ledger: ledger, report: latest.figures) {
                out.append("  " + fit(DisasterFigures.label(d.key)(lang), 30) + fit(String(d.ledger), 8, right: true) + fit(String(d.report), 8, right: true)
                           + fit(d.ledger == d.report ? "0" : String(format: "%+d", d.ledger - d.report), 8, right: true))
            }
        }
        out.append("")
        out.append(t("disaster.print.relief", lang))
        for p in ReliefPeriod.allCases {
            let gs = grants.filter { $0.period == p }
            guard !gs.isEmpty else { continue }
            let decided = gs.filter { $0.amount != nil && $0.status != .rejected && $0.status != .withdrawn }
            out.append("  " + t("disaster.print.reliefLine", lang, ["period": p.label(lang), "n": String(gs.count), "decided": String(decided.count),
                                                                     "persons": String(decided.reduce(0) { $0 + $1.persons }),
                                                                     "amount": Money(fen: decided.reduce(0) { $0 + ($1.amount?.fen ?? 0) }).yuanString]))
        }
        let entitled = Money(fen: cards.reduce(0) { $0 + $1.cash.fen }), handed = Money(fen: cards.reduce(0) { $0 + $1.cashGiven.fen })
        out.append("  " + t("disaster.print.cardsLine", lang, ["n": String(cards.count), "entitled": entitled.yuanString, "handed": handed.yuanString,
                                                               "distributions": String(cards.reduce(0) { $0 + $1.distributions.count })]))
        out.append("")
        out.append(t("disaster.print.stock", lang))
        for s in stock where s.received != 0 || s.onHand != 0 {
            out.append("  " + fit(s.label(lang), 14) + " " + t("disaster.print.stockLine", lang, ["received": String(s.received), "issued": String(s.issued),
                                                                                             "counted": String(s.counted), "onHand": String(s.onHand), "unit": s.unit(lang)]))
        }
        out.append("")
        out.append(t("disaster.print.houses", lang, ["n": String(houses.count)]))
        for st in HouseStage.allCases {
            let n = houses.filter { $0.stage == st }.count
            if n > 0 { out.append("  " + fit(st.label(lang), 18) + " " + String(n)) }
        }
        let late = houses.filter { $0.overdue(on: today) }
        if !late.isEmpty {
            out.append("  " + t("disaster.print.overdue", lang, ["n": String(late.count)]))
            for h in late { out.append("    " + fit(h.headName, 10) + fit(h.villageName, 10) + fit(h.stage.label(lang), 18) + " " + h.dueOn.iso) }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
