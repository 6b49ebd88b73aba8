import Foundation
import TextColumns

/// Display width of public text on a terminal or a fixed-pitch printer, as the screens count
/// it (`TextWidth`): an East Asian wide or full-width character takes 2 columns.
public enum PublicText {
    public static func width(_ ch: Character) -> Int { TextWidth.of(ch) }
    public static func width(scalar s: Unicode.Scalar) -> Int { TextWidth.of(scalar: s) }
    public static func width(_ s: some StringProtocol) -> Int { TextWidth.of(s) }
    /// The longest prefix of `s` that fits in `columns`, never cutting a wide character in half.
    public static func prefix(_ s: some StringProtocol, fitting columns: Int) -> String { TextWidth.prefix(s, fitting: columns) }
    /// `s` padded with spaces to `columns` (left or right aligned); a longer `s` is cut and ends in "…".
    public static func fit(_ s: String, _ columns: Int, alignRight: Bool = false) -> String {
        TextWidth.fit(s, columns, alignRight: alignRight, ellipsis: true)
    }

    /// Lines of at most `columns`, cut between characters (Chinese has no spaces to break at).
    public static func wrap(_ s: String, _ columns: Int) -> [String] {
        guard columns > 0, width(s) > columns else { return [s] }
        var lines: [String] = [], line = "", w = 0
        for ch in s {
            let cw = width(ch)
            if w + cw > columns, !line.isEmpty { lines.append(line); line = ""; w = 0 }
            line.append(ch); w += cw
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}

/// The public document of a posting (张榜公示) as plain text for any printer, HTML for a
/// browser's print, and CSV for Excel.
///
/// Every renderer is a pure function of a `PublicityDocument` and a language: it prints the
/// document's fields and fixed labels, and has no other data source. Masking is enforced by
/// `PublicLine`'s type — a line has no field that could hold an ID number, a phone, a bank card
/// or a health detail, and a minor head is not named — so nothing here masks or filters.
public enum PublicityRender {
    // MARK: shared content

    /// Lines per A4 page of plain text: 60 for 80 columns (portrait, 10 cpi, 6 lpi, with margins),
    /// 44 for 132 columns (landscape, condensed 17 cpi, 6 lpi, with margins). Widths over 100 are
    /// taken as landscape.
    public static func linesPerPage(width: Int) -> Int { width > 100 ? 44 : 60 }

    public static func isNumeric(_ c: PublicColumn) -> Bool {
        switch c {
        case .index, .persons, .perCapita, .monthly, .amount: return true
        default: return false
        }
    }

    /// The text of one cell; `number` is the line's 1-based position.
    public static func cell(_ c: PublicColumn, _ l: PublicLine, number: Int, lang: Lang) -> String {
        switch c {
        case .index: return String(number)
        case .name: return l.name
        case .village: return l.village
        case .persons: return String(l.persons)
        case .change: return l.change.label(lang)
        case .programme: return l.programme
        case .category: return l.category
        case .perCapita: return l.perCapita?.yuanString ?? ""
        case .monthly, .amount: return l.monthly?.yuanString ?? ""
        }
    }

    public static func rows(_ doc: PublicityDocument, lang: Lang) -> [[String]] {
        doc.lines.enumerated().map { i, l in doc.columns.map { cell($0, l, number: i + 1, lang: lang) } }
    }

    public static func date(_ d: CivilDate, lang: Lang) -> String {
        say("model.publicity.date", lang, ["year_zh": String(d.year), "month_zh": String(d.month), "day_zh": String(d.day), "iso_en": d.iso])
    }

    /// "公示期：2026年12月1日至2026年12月8日"
    public static func datesLine(_ doc: PublicityDocument, lang: Lang) -> String {
        if doc.standing == true { return say("model.publicity.standingDates", lang, ["date": date(doc.postedFrom, lang: lang)]) }
        return say("model.publicity.dates", lang, ["from": date(doc.postedFrom, lang: lang), "until": date(doc.postedUntil, lang: lang)])
    }

    /// 户数, 人数, and 月保障金合计 when the monthly column is shown.
    public static func totalsLine(_ doc: PublicityDocument, lang: Lang) -> String {
        let money = doc.columns.contains(.monthly), once = doc.columns.contains(.amount)
        let key = money ? "model.publicity.totalsMonthly" : once ? "model.publicity.totalsAmount" : "model.publicity.totals"
        return say(key, lang, ["households": String(doc.lines.count), "persons": String(doc.totalPersons), "amount": doc.totalMonthly.yuanString])
    }

    /// 监督电话、举报箱、公示地点 — the parts that are filled in.
    public static func complaintParts(_ doc: PublicityDocument, lang: Lang) -> [String] {
        let parts = [("model.publicity.phone", doc.complaintPhone), ("model.publicity.box", doc.complaintBox), ("model.publicity.place", doc.place)]
        return parts.filter { !$0.1.isEmpty }.map { say($0.0, lang, ["value": $0.1]) }
    }

    public static func complaintLine(_ doc: PublicityDocument, lang: Lang) -> String {
        complaintParts(doc, lang: lang).joined(separator: say("model.publicity.partsGap", lang))
    }

    /// "（盖章）  2026年12月1日"
    public static func sealLine(_ doc: PublicityDocument, lang: Lang) -> String {
        say("model.publicity.seal", lang, ["date": date(doc.issuedOn, lang: lang)])
    }

    public static func pageFooter(_ page: Int, of pages: Int, lang: Lang) -> String {
        say("model.publicity.page", lang, ["page": String(page), "pages": String(pages)])
    }

    // MARK: plain text

    /// Column widths and the header lines of a text table that fits `width` where it can.
    struct TextLayout {
        var widths: [Int]
        var gap: Int
        /// Header lines, bottom-aligned: a title wrapped to two lines has its first part above.
        var header: [[String]]
        var tableWidth: Int { widths.reduce(0, +) + gap * max(0, widths.count - 1) }
    }

    /// Widths are taken over the whole document, so every page's columns are the same.
    /// In order, until the table fits: natural widths with 2 spaces between columns; titles
    /// wider than their values wrapped to two lines; 1 space between columns; village and
    /// programme cut (with "…") down to 6 columns. Names, numbers and amounts are never cut — a
    /// table that still does not fit is printed wider than `width`.
    static func layout(_ doc: PublicityDocument, rows: [[String]], lang: Lang, width: Int) -> TextLayout {
        let titles = doc.columns.map { $0.title(lang) }
        let valueWidths = doc.columns.indices.map { c in rows.map { PublicText.width($0[c]) }.max() ?? 0 }
        let titleWidths = titles.map { PublicText.width($0) }
        func total(_ w: [Int], _ gap: Int) -> Int { w.reduce(0, +) + gap * max(0, w.count - 1) }
        func header(_ w: [Int]) -> [[String]] {
            let parts = titles.indices.map { titleLines(titles[$0], w[$0]) }
            let height = parts.map(\.count).max() ?? 1
            return (0..<height).map { line in
                parts.map { p in
                    let i = line - (height - p.count)
                    return i >= 0 ? p[i] : ""
                }
            }
        }
        let natural = zip(valueWidths, titleWidths).map { max($0, $1) }
        let twoLine = titles.indices.map { max(valueWidths[$0], twoLineWidth(titles[$0])) }
        // Titles go to two lines one at a time, the one that saves most first, only until it fits.
        let wrapOrder = titles.indices.filter { twoLine[$0] < natural[$0] }
            .sorted { (natural[$0] - twoLine[$0], $1) > (natural[$1] - twoLine[$1], $0) }
        for gap in [2, 1] {
            var w = natural
            if total(w, gap) <= width { return TextLayout(widths: w, gap: gap, header: header(w)) }
            for c in wrapOrder {
                w[c] = twoLine[c]
                if total(w, gap) <= width { return TextLayout(widths: w, gap: gap, header: header(w)) }
            }
        }
        var widths = twoLine
        let cuttable = doc.columns.indices.filter { doc.columns[$0] == .village || doc.columns[$0] == .programme }
        while total(widths, 1) > width {
            guard let c = cuttable.filter({ widths[$0] > 6 }).max(by: { widths[$0] < widths[$1] }) else { break }
            widths[c] -= 1
        }
        return TextLayout(widths: widths, gap: 1, header: header(widths))
    }

    /// A title broken before its unit, "人均月收入" over "(元)", when both parts fit `width`;
    /// else cut between characters.
    static func titleLines(_ title: String, _ width: Int) -> [String] {
        if PublicText.width(title) <= width { return [title] }
        if let i = title.firstIndex(where: { $0 == "(" || $0 == "（" }), i != title.startIndex,
           PublicText.width(title[..<i]) <= width, PublicText.width(title[i...]) <= width {
            return [String(title[..<i]), String(title[i...])]
        }
        return PublicText.wrap(title, width)
    }

    /// The width a title needs on two lines: broken before its unit unless that is more than 2
    /// columns wider than the narrowest two-line cut.
    static func twoLineWidth(_ title: String) -> Int {
        let full = PublicText.width(title)
        var narrowest = max(1, (full + 1) / 2)
        while narrowest < full && PublicText.wrap(title, narrowest).count > 2 { narrowest += 1 }
        if let i = title.firstIndex(where: { $0 == "(" || $0 == "（" }), i != title.startIndex {
            let atUnit = max(PublicText.width(title[..<i]), PublicText.width(title[i...]))
            if atUnit <= narrowest + 2 { return atUnit }
        }
        return narrowest
    }

    static func centred(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, (width - PublicText.width(s)) / 2)) + s
    }

    static func rightAligned(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - PublicText.width(s))) + s
    }

    static func trimEnd(_ s: String) -> String {
        var t = s
        while t.last == " " { t.removeLast() }
        return t
    }

    /// The complaint parts joined on as few lines of `width` as whole parts allow.
    static func packed(_ parts: [String], _ width: Int, gap: String) -> [String] {
        var lines: [String] = []
        for p in parts {
            if let last = lines.last, PublicText.width(last + gap + p) <= width {
                lines[lines.count - 1] = last + gap + p
            } else {
                lines.append(contentsOf: PublicText.wrap(p, width))
            }
        }
        return lines
    }

    /// Plain text for any printer: A4 pages of at most `linesPerPage(width:)` lines, separated by
    /// a form feed. Each page has the title centred, the posting dates, the column header, its
    /// share of the lines and "第 n 页 共 N 页" on its last line; the last page also has the
    /// totals, the complaint line and the office with the seal and date. Columns are aligned by
    /// display width (a Chinese character takes 2 columns), numbers right-aligned.
    public static func text(_ doc: PublicityDocument, lang: Lang, width: Int) -> String {
        let pageLines = linesPerPage(width: width)
        let rows = rows(doc, lang: lang)
        let lay = layout(doc, rows: rows, lang: lang, width: width)
        let right = doc.columns.map(isNumeric)
        func tableLine(_ cells: [String]) -> String {
            trimEnd(cells.indices.map { PublicText.fit(cells[$0], lay.widths[$0], alignRight: right[$0]) }
                .joined(separator: String(repeating: " ", count: lay.gap)))
        }
        let rule = String(repeating: "-", count: max(1, lay.tableWidth))
        var top = PublicText.wrap(doc.title, width).map { centred($0, width) }
        top.append(centred(datesLine(doc, lang: lang), width))
        top.append("")
        top += lay.header.map(tableLine)
        top.append(rule)
        var closing = [rule, totalsLine(doc, lang: lang), ""]
        closing += packed(complaintParts(doc, lang: lang), width, gap: say("model.publicity.partsGap", lang))
        closing.append("")
        closing.append(rightAligned(doc.office, width))
        closing.append(rightAligned(sealLine(doc, lang: lang), width))
        // A blank line and the page number close every page.
        let capacity = max(1, pageLines - top.count - 2)
        var chunks: [[String]] = stride(from: 0, to: rows.count, by: capacity).map { start in
            rows[start..<min(rows.count, start + capacity)].map(tableLine)
        }
        if chunks.isEmpty { chunks = [[]] }
        if chunks[chunks.count - 1].count + closing.count > capacity {
            // The closing block goes on a page of its own, with the last line carried over so the
            // totals never stand alone.
            let carry = chunks[chunks.count - 1].isEmpty || capacity - closing.count < 1 ? 0 : 1
            let moved = Array(chunks[chunks.count - 1].suffix(carry))
            chunks[chunks.count - 1].removeLast(carry)
            chunks.append(moved)
        }
        let pages = chunks.count
        var out: [String] = []
        for (p, body) in chunks.enumerated() {
            var lines = top + body
            if p == pages - 1 { lines += closing }
            while lines.count < pageLines - 1 { lines.append("") }
            lines.append(centred(pageFooter(p + 1, of: pages, lang: lang), width))
            out.append(lines.map(trimEnd).joined(separator: "\n") + "\n")
        }
        return out.joined(separator: "\u{0C}")
    }

    // MARK: HTML

    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A complete HTML page for a browser's print on A4: black on white, the header row repeated
    /// on every printed page, page numbers in the bottom margin where the browser supports CSS
    /// page margin boxes (Chrome 131 and later). Every text is escaped.
    public static func html(_ doc: PublicityDocument, lang: Lang) -> String {
        let e = escape
        // The page footer's words around CSS counters: "第 " counter(page) " 页 共 " counter(pages) " 页".
        var pageNumber = "\"" + say("model.publicity.page", lang, ["page": "\" counter(page) \"", "pages": "\" counter(pages) \""]) + "\""
        if pageNumber.hasSuffix(" \"\"") { pageNumber.removeLast(3) }
        var h = """
        <!DOCTYPE html>
        <html lang="\(lang.htmlCode)">
        <head>
        <meta charset="utf-8">
        <title>\(e(doc.title))</title>
        <style>
        @page { size: A4 portrait; margin: 15mm 12mm 18mm 12mm;
          @bottom-center { content: \(pageNumber); font-size: 9pt; color: #000; } }
        html, body { background: #fff; color: #000; }
        body { margin: 0; font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", serif; font-size: 11pt; }
        h1 { font-size: 18pt; text-align: center; margin: 0 0 4pt; }
        p.dates { text-align: center; margin: 0 0 8pt; }
        table { border-collapse: collapse; width: 100%; }
        thead { display: table-header-group; }
        tr { break-inside: avoid; page-break-inside: avoid; }
        th, td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: middle; }
        th { font-weight: bold; text-align: center; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        tr.totals td { font-weight: bold; }
        p.complaint { margin: 10pt 0 0; }
        div.seal { text-align: right; margin-top: 28pt; line-height: 2; break-inside: avoid; page-break-inside: avoid; }
        </style>
        </head>
        <body>
        <h1>\(e(doc.title))</h1>
        <p class="dates">\(e(datesLine(doc, lang: lang)))</p>
        <table>
        <thead><tr>
        """
        h += doc.columns.map { "<th>\(e($0.title(lang)))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for r in rows(doc, lang: lang) {
            h += "<tr>" + r.indices.map { i in
                isNumeric(doc.columns[i]) ? "<td class=\"num\">\(e(r[i]))</td>" : "<td>\(e(r[i]))</td>"
            }.joined() + "</tr>\n"
        }
        h += "<tr class=\"totals\"><td colspan=\"\(max(1, doc.columns.count))\">\(e(totalsLine(doc, lang: lang)))</td></tr>\n"
        h += "</tbody>\n</table>\n"
        let complaint = complaintLine(doc, lang: lang)
        if !complaint.isEmpty { h += "<p class=\"complaint\">\(e(complaint))</p>\n" }
        h += "<div class=\"seal\">\(e(doc.office))<br>\(e(sealLine(doc, lang: lang)))</div>\n</body>\n</html>\n"
        return h
    }

    // MARK: CSV

    /// One CSV field: quoted when it holds a comma, a quote, a line break or edge spaces; a
    /// leading = + - @ (other than a number) gets a ' so Excel does not evaluate the cell.
    public static func csvField(_ f: String) -> String {
        var t = f
        if let c = t.first, "=+-@".contains(c), !(c == "-" && Double(t) != nil) { t = "'" + t }
        // By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".
        if t.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || t.hasPrefix(" ") || t.hasSuffix(" ") {
            return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return t
    }

    /// UTF-8 CSV with a BOM (Excel opens it as Chinese text): the column titles, then one row per
    /// line; CRLF line ends.
    public static func csv(_ doc: PublicityDocument, lang: Lang) -> String {
        var out = "\u{FEFF}"
        out += doc.columns.map { csvField($0.title(lang)) }.joined(separator: ",") + "\r\n"
        for r in rows(doc, lang: lang) { out += r.map(csvField).joined(separator: ",") + "\r\n" }
        return out
    }
}
