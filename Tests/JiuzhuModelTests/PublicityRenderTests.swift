import Foundation
import JiuzhuModel
import PropertyBased
import Testing

/// Display width measured here, independently of the renderer: the characters these documents
/// use are ASCII (1 column) or CJK ideographs, CJK punctuation and full-width forms (2).
private func cols(_ s: some StringProtocol) -> Int {
    s.unicodeScalars.reduce(0) { w, u in
        switch u.value {
        case 0x2E80...0x303E, 0x3040...0x9FFF, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6: return w + 2
        case 0x300...0x36F: return w
        default: return w + 1
        }
    }
}

private let renderDay = CivilDate(year: 2026, month: 12, day: 1)!

private func document(_ lines: [PublicLine], columns: [PublicColumn] = PublicColumn.allCases) -> PublicityDocument {
    PublicityDocument(batchId: 7, title: "李家村2026年12月农村低保审批结果公示", office: "某某县某某乡人民政府",
                      postedFrom: renderDay, postedUntil: CivilDate(year: 2026, month: 12, day: 8)!, place: "李家村村务公开栏",
                      complaintPhone: "0871-6123456", complaintBox: "乡政府大门口举报箱", columns: columns, lines: lines,
                      issuedOn: renderDay)
}

/// Names of 2, 3 and 4 characters (and the minor's 5-character stand-in), villages of 3 to 7
/// characters, persons of 1 and 2 digits, amounts from 4 to 8 characters wide. Every cell is
/// filled, so cells are the space-separated words of a row.
private func mixedLines(_ n: Int) -> [PublicLine] {
    let names = ["王芳", "李建国", "欧阳明月", "张伟", "司马相如", "未成年人户", "赵小红"]
    let villages = ["李家村", "城关镇东门社区", "河口村", "新民社区"]
    let programmes = ["农村低保", "特困供养", "城镇低保"]
    let categories = ["A类", "B类", "分散供养", "集中供养"]
    let perCapita: [Int64] = [0, 8_550, 123_456, 50, 99_999]
    let monthly: [Int64] = [5_000, 41_200, 1_234_567, 999, 120_000, 30]
    return (0..<n).map { i in
        PublicLine(caseId: Int64(1000 + i), name: names[i % names.count], village: villages[i % villages.count],
                   persons: i % 9 == 0 ? 12 : 1 + i % 5, minors: i % 3, change: PublicityChange.allCases[i % 3],
                   programme: programmes[i % programmes.count], category: categories[i % categories.count],
                   perCapita: Money(fen: perCapita[i % perCapita.count]), monthly: Money(fen: monthly[i % monthly.count]))
    }
}

/// The cells a line should show, worked out here from the spec, not by the renderer.
private func expectedCells(_ l: PublicLine, number: Int, columns: [PublicColumn], lang: Lang) -> [String] {
    columns.map { c in
        switch c {
        case .index: return String(number)
        case .name: return l.name
        case .village: return l.village
        case .persons: return String(l.persons)
        case .change: return l.change.label(lang)
        case .programme: return l.programme
        case .category: return l.category
        case .perCapita: return l.perCapita.map { String(format: "%d.%02d", $0.fen / 100, $0.fen % 100) } ?? ""
        case .monthly, .amount: return l.monthly.map { String(format: "%d.%02d", $0.fen / 100, $0.fen % 100) } ?? ""
        }
    }
}

private struct Word { var text: String; var start: Int; var end: Int }

/// Space-separated words of a line with the display columns each starts and ends at.
private func words(_ line: String) -> [Word] {
    var out: [Word] = []
    var col = 0
    var current = "", start = 0
    for ch in line {
        if ch == " " {
            if !current.isEmpty { out.append(Word(text: current, start: start, end: col)); current = "" }
        } else {
            if current.isEmpty { start = col }
            current.append(ch)
        }
        col += cols(String(ch))
    }
    if !current.isEmpty { out.append(Word(text: current, start: start, end: col)) }
    return out
}

private let rightAligned: Set<PublicColumn> = [.index, .persons, .perCapita, .monthly, .amount]

private struct Page {
    var lines: [String]
    var header: [String]
    var rows: [String]
}

/// A page cut into its parts by what a reader sees: the header is what stands between the blank
/// line after the dates and the first rule; rows follow up to the next rule or blank line.
private func parse(_ page: String) -> Page {
    var lines = page.components(separatedBy: "\n")
    if lines.last == "" { lines.removeLast() }
    let firstRule = lines.firstIndex { !$0.isEmpty && $0.allSatisfy { $0 == "-" } }!
    let blank = lines[..<firstRule].lastIndex(of: "")!
    let header = Array(lines[(blank + 1)..<firstRule])
    var rows: [String] = []
    for l in lines[(firstRule + 1)...] {
        if l.isEmpty || l.allSatisfy({ $0 == "-" }) { break }
        rows.append(l)
    }
    return Page(lines: lines, header: header, rows: rows)
}

@Suite struct PublicityRenderTests {
    @Test(arguments: [80, 132])
    func columnsLineUpByDisplayWidth(width: Int) throws {
        let lines = mixedLines(130)
        for (columns, lang) in [(PublicColumn.allCases, Lang.zh), ([.index, .name, .village, .persons, .change, .programme, .category, .monthly], .zh),
                                (PublicColumn.allCases, .en)] {
            let doc = document(lines, columns: columns)
            let pages = PublicityRender.text(doc, lang: lang, width: width).components(separatedBy: "\u{0C}").map(parse)
            var seen = 0
            for page in pages {
                #expect(page.lines.count <= PublicityRender.linesPerPage(width: width))
                for l in page.lines where !l.allSatisfy({ $0 == "-" }) { #expect(cols(l) <= width, "wider than \(width): \(l)") }
                // The header's bottom line holds every title or its last part; a title wrapped
                // to two lines has its first part above, in the same column.
                let bottom = words(page.header.last!)
                try #require(bottom.count == columns.count, "header \(page.header)")
                for (k, c) in columns.enumerated() {
                    let title = c.title(lang)
                    var text = bottom[k].text
                    for upper in page.header.dropLast() {
                        for w in words(upper) where rightAligned.contains(c) ? w.end == bottom[k].end : w.start == bottom[k].start {
                            text = w.text + text
                        }
                    }
                    #expect(text == title, "column \(c) header reads \(text)")
                }
                for row in page.rows {
                    let ws = words(row)
                    try #require(ws.count == columns.count, "row \(row)")
                    let number = Int(ws[columns.firstIndex(of: .index)!].text)!
                    #expect(number == seen + 1)
                    let expected = expectedCells(lines[number - 1], number: number, columns: columns, lang: lang)
                    for (k, c) in columns.enumerated() {
                        if c == .village || c == .programme, ws[k].text.hasSuffix("…") {
                            #expect(expected[k].hasPrefix(String(ws[k].text.dropLast())))
                        } else {
                            #expect(ws[k].text == expected[k])
                        }
                        // Left-aligned cells start where their title starts, right-aligned ones end
                        // where it ends: the display width of the prefix up to each column.
                        if rightAligned.contains(c) {
                            #expect(ws[k].end == bottom[k].end, "\(c) ends at \(ws[k].end), header at \(bottom[k].end): \(row)")
                        } else {
                            #expect(ws[k].start == bottom[k].start, "\(c) starts at \(ws[k].start), header at \(bottom[k].start): \(row)")
                        }
                    }
                    seen += 1
                }
            }
            #expect(seen == lines.count, "every line printed once, in order")
        }
    }

    @Test(arguments: [80, 132])
    func everyPageHasTitleDatesAndItsNumber(width: Int) {
        let doc = document(mixedLines(130))
        let text = PublicityRender.text(doc, lang: .zh, width: width)
        let pages = text.components(separatedBy: "\u{0C}")
        // 130 lines: 52 a page at 80 columns (two-line header), 37 at 132.
        #expect(pages.count == (width == 80 ? 3 : 4))
        for (i, page) in pages.enumerated() {
            let lines = parse(page).lines
            #expect(lines.count == PublicityRender.linesPerPage(width: width), "footer on the page's last line")
            #expect(lines.last!.trimmingCharacters(in: .whitespaces) == "第 \(i + 1) 页 共 \(pages.count) 页")
            #expect(lines[0].trimmingCharacters(in: .whitespaces) == doc.title)
            // Centred: the spaces before the title are half of what is left, rounded down.
            #expect(cols(lines[0].prefix { $0 == " " }) == (width - cols(doc.title)) / 2)
            #expect(lines[1].contains("公示期：2026年12月1日至2026年12月8日"))
            let last = i == pages.count - 1
            #expect(page.contains("合计：") == last)
            #expect(page.contains("监督电话：0871-6123456") == last)
            #expect(page.contains("（盖章）  2026年12月1日") == last)
            #expect(page.contains(doc.office) == last)
        }
    }

    @Test func totalsAreCounted() {
        let lines = mixedLines(130)
        let persons = lines.reduce(0) { $0 + $1.persons }
        let fen = lines.reduce(Int64(0)) { $0 + $1.monthly!.fen }
        let money = String(format: "%d.%02d", fen / 100, fen % 100)
        for width in [80, 132] {
            let text = PublicityRender.text(document(lines), lang: .zh, width: width)
            #expect(text.contains("合计：130 户，\(persons) 人，月保障金合计 \(money) 元"), "\(money)")
            // Without the monthly column, no money total.
            let noMoney = PublicityRender.text(document(lines, columns: [.index, .name, .village, .persons]), lang: .zh, width: width)
            #expect(noMoney.contains("合计：130 户，\(persons) 人\n"))
            #expect(!noMoney.contains("月保障金合计"))
        }
        #expect(PublicityRender.text(document(lines), lang: .en, width: 80).contains("Total: 130 households, \(persons) persons, monthly total \(money) yuan"))
        #expect(PublicityRender.html(document(lines), lang: .zh).contains("合计：130 户，\(persons) 人，月保障金合计 \(money) 元"))
    }

    @Test func aShortListIsOnePageWithEverything() {
        let text = PublicityRender.text(document(Array(mixedLines(3))), lang: .zh, width: 80)
        #expect(!text.contains("\u{0C}"))
        #expect(text.contains("第 1 页 共 1 页"))
        #expect(text.contains("合计：3 户"))
        let empty = PublicityRender.text(document([]), lang: .zh, width: 132)
        #expect(empty.contains("第 1 页 共 1 页") && empty.contains("合计：0 户，0 人，月保障金合计 0.00 元"))
    }

    @Test func closingBlockNeverStandsAlone() {
        // Enough lines to fill the first page exactly: the closing block needs a second page,
        // and one line goes with it.
        for width in [80, 132] {
            for n in 30...60 {
                let pages = PublicityRender.text(document(mixedLines(n)), lang: .zh, width: width).components(separatedBy: "\u{0C}").map(parse)
                #expect(pages.last!.rows.count >= 1, "\(n) lines at \(width)")
                #expect(pages.reduce(0) { $0 + $1.rows.count } == n)
            }
        }
    }

    @Test func htmlEscapesAndPrintsOnA4() {
        var lines = mixedLines(2)
        lines[0].name = "<b>李&王</b>"
        lines[1].village = "\"村\" & 'x'"
        var doc = document(lines)
        doc.title = "公示 <script>alert(1)</script>"
        let h = PublicityRender.html(doc, lang: .zh)
        #expect(h.hasPrefix("<!DOCTYPE html>"))
        #expect(h.contains("&lt;b&gt;李&amp;王&lt;/b&gt;"))
        #expect(!h.contains("<b>李"))
        #expect(!h.contains("<script>"))
        #expect(h.contains("&quot;村&quot; &amp; &#39;x&#39;"))
        #expect(h.contains("size: A4"))
        #expect(h.contains("display: table-header-group"))
        #expect(h.contains("counter(page)") && h.contains("counter(pages)"))
        #expect(h.contains("</html>"))
        #expect(h.components(separatedBy: "<th>").count - 1 == PublicColumn.allCases.count)
    }

    @Test func csvHasBomCrlfAndQuotes() {
        var lines = mixedLines(3)
        lines[0].name = "李,王"
        lines[1].village = "说\"好\"村"
        lines[2].name = "=SUM(A1)"
        let doc = document(lines, columns: [.index, .name, .village, .monthly])
        let csv = PublicityRender.csv(doc, lang: .zh)
        #expect(Array(csv.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let bytes = Array(csv.utf8)
        for (i, b) in bytes.enumerated() where b == 0x0A { #expect(i > 0 && bytes[i - 1] == 0x0D) }
        let rows = String(csv.dropFirst()).components(separatedBy: "\r\n")
        #expect(rows.count == 5 && rows.last == "")
        #expect(rows[0] == "序号,户主姓名,村（社区）,月保障金(元)")
        #expect(rows[1] == "1,\"李,王\",李家村,50.00")
        #expect(rows[2] == "2,李建国,\"说\"\"好\"\"村\",412.00")
        #expect(rows[3] == "3,'=SUM(A1),河口村,12345.67")
        let en = PublicityRender.csv(doc, lang: .en)
        #expect(en.hasPrefix("\u{FEFF}No.,Head,Village,Monthly\r\n"))
    }

    /// Households as the office holds them: every member with an ID number, the household with a
    /// mobile and a bank card. The public lines are made from them only through `PublicLine`'s
    /// initialiser and `PublicLine.name(of:on:)`, as the store makes them; none of the private
    /// strings may reach any rendering.
    @Test func privateDataNeverPrinted() async {
        let surnames = Array("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗欧阳司马")
        let given = Array("明华建国秀英芳伟强军平静丽敏红军玉兰桂花德福")
        let villages = ["李家村", "河口村", "新民社区", "城关镇东门社区", "石门坎村"]
        let regions = ["532927", "110105", "440524", "510112", "620102"]
        let digit = Gen.character(in: "0"..."9")
        let member = zip(Gen.element(of: surnames).map { $0! }, Gen.element(of: given).map { $0! }.string(of: 1...3),
                         Gen.int(in: 0...32_000), Gen.int(in: 0...999), Gen.element(of: regions).map { $0! })
            .map { s, g, days, seq, region -> Person in
                let birth = CivilDate(year: 1938, month: 1, day: 1)!.adding(days: days)
                return Person(name: String(s) + g, idNumber: IDNumber.make(region: region, birth: birth, sequence: seq).value,
                              relation: "02", sex: seq % 2 == 1 ? .male : .female, birthDate: birth)
            }
        let household = zip(member.array(of: 1...5), Gen.int(in: 0..<villages.count),
                            Gen.element(of: ["13", "15", "17", "18", "19"]).map { $0! }, digit.string(of: 9),
                            digit.string(of: 14...17), Gen.int(in: 0...300_000), Gen.int(in: 0...400_000), Gen.int(in: 0...2))
        await propertyCheck(count: 150, input: household.array(of: 0...45), Gen.int(in: 1...PublicColumn.allCases.count)) { households, ncols in
            var privateStrings: [String] = []
            var minorNames: [String] = []
            var lines: [PublicLine] = []
            for (i, h) in households.enumerated() {
                let (members, v, mobilePrefix, mobileRest, cardRest, income, amount, change) = h
                let mobile = mobilePrefix + mobileRest
                let card = "62" + cardRest
                #expect(mobile.count == 11 && (16...19).contains(card.count))
                privateStrings += members.map(\.idNumber) + [mobile, card]
                let head = members[0]
                if head.birthDate.age(on: renderDay) < 18 { minorNames.append(head.name) }
                lines.append(PublicLine(caseId: Int64(i + 1), name: PublicLine.name(of: head, on: renderDay), village: villages[v],
                                        persons: members.count, minors: members.filter { $0.birthDate.age(on: renderDay) < 18 }.count,
                                        change: PublicityChange.allCases[change], programme: "农村低保",
                                        category: ["A类", "B类", "C类", ""][i % 4],
                                        perCapita: Money(fen: Int64(income)), monthly: Money(fen: Int64(amount))))
            }
            let doc = document(lines, columns: Array(PublicColumn.allCases.prefix(ncols)))
            let outputs = [PublicityRender.text(doc, lang: .zh, width: 80), PublicityRender.text(doc, lang: .zh, width: 132),
                           PublicityRender.text(doc, lang: .en, width: 80), PublicityRender.html(doc, lang: .zh),
                           PublicityRender.csv(doc, lang: .zh)]
            let printedNames = lines.map(\.name) + villages + [doc.title, doc.office, doc.place, doc.complaintBox]
            for out in outputs {
                for p in privateStrings { #expect(!out.contains(p), "private \(p) printed") }
                for n in minorNames where !printedNames.contains(where: { $0.contains(n) }) {
                    #expect(!out.contains(n), "minor head \(n) named")
                }
            }
        }
    }
}
