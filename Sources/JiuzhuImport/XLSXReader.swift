import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// An Office Open XML workbook (.xlsx from Excel or WPS): the ZIP through ZIPFoundation, each
/// part through Foundation's XMLParser (SAX, so a sheet of 30,000 rows is never a tree).
enum XLSXReader {
    static func read(_ url: URL) throws -> [SheetGrid] {
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw SheetReadError.unreadable(path: url.path, kind: .xlsx, detail: "\(error)")
        }
        func part(_ name: String) throws -> Data? {
            guard let entry = archive[name] else { return nil }
            var data = Data()
            data.reserveCapacity(Int(entry.uncompressedSize))
            do { _ = try archive.extract(entry, skipCRC32: false) { data.append($0) } } catch {
                throw SheetReadError.unreadable(path: url.path, kind: .xlsx, detail: "\(name): \(error)")
            }
            return data
        }
        guard let workbook = try part("xl/workbook.xml") else {
            throw SheetReadError.unreadable(path: url.path, kind: .xlsx, detail: "no xl/workbook.xml")
        }
        // A part that is not well-formed XML (a damaged or half-written file) is refused with the
        // parser's own words, never read as an empty sheet.
        func xml<T>(_ name: String, _ read: () throws -> T) throws -> T {
            do { return try read() } catch let e as XMLPartError {
                throw SheetReadError.unreadable(path: url.path, kind: .xlsx, detail: "\(name): \(e.detail)")
            }
        }
        let sheets = try xml("xl/workbook.xml") { try WorkbookParser.parse(workbook) }
        let rels = try part("xl/_rels/workbook.xml.rels").map { d in try xml("xl/_rels/workbook.xml.rels") { try RelationsParser.parse(d) } } ?? [:]
        let shared = try part("xl/sharedStrings.xml").map { d in try xml("xl/sharedStrings.xml") { try SharedStringsParser.parse(d) } } ?? []
        var out: [SheetGrid] = []
        for (i, s) in sheets.enumerated() {
            var target = rels[s.rid] ?? "worksheets/sheet\(i + 1).xml"
            if target.hasPrefix("/") { target.removeFirst() } else { target = "xl/" + target }
            guard let data = try part(target) else { continue }
            var grid = SheetGrid(name: s.name, rows: [])
            let parsed = try xml(target) { try SheetParser.parse(data, shared: shared) }
            grid.rows = parsed.rows
            grid.fillMerged(parsed.merges)
            out.append(grid)
        }
        if out.isEmpty { throw SheetReadError.unreadable(path: url.path, kind: .xlsx, detail: "no worksheet") }
        return out
    }

    /// A number as a person would type it: 525.3 rather than 525.29999999999995, an ID number
    /// stored as a number in full digits while Excel kept them (15 significant digits).
    static func number(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(format: "%.15g", d)
    }
}

struct XMLPartError: Error { let detail: String }

/// A parser fed from a stream, not handed the whole part: on Linux, Foundation's XMLParser given
/// one `Data` over about 10 MB fails with NSXMLParserErrorDomain 1 (libxml2's limit on one
/// input chunk; swift-corelibs-foundation issue #4851), and Excel and WPS write a sheet's XML on
/// one line — a 10,000-household roll is a 13.8 MB `sheet1.xml`. Fed in chunks it parses whole.
private func xmlParser(_ data: Data) -> XMLParser {
    XMLParser(stream: InputStream(data: data))
}

/// Runs a parser to the end; a part that is not well-formed throws what the parser said.
private func parsed(_ p: XMLParser) throws {
    if !p.parse() { throw XMLPartError(detail: p.parserError.map { "\($0.localizedDescription) (line \(p.lineNumber))" } ?? "not well-formed XML") }
}

/// `xl/workbook.xml`: each sheet's name and relationship id, in the workbook's order.
private final class WorkbookParser: NSObject, XMLParserDelegate {
    var sheets: [(name: String, rid: String)] = []
    static func parse(_ data: Data) throws -> [(name: String, rid: String)] {
        let p = xmlParser(data)
        let d = WorkbookParser()
        p.delegate = d
        try parsed(p)
        return d.sheets
    }
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        guard local(name) == "sheet" else { return }
        let rid = attributes.first { $0.key == "r:id" || $0.key.hasSuffix(":id") }?.value ?? ""
        sheets.append((attributes["name"] ?? "", rid))
    }
}

/// `xl/_rels/workbook.xml.rels`: relationship id → part.
private final class RelationsParser: NSObject, XMLParserDelegate {
    var map: [String: String] = [:]
    static func parse(_ data: Data) throws -> [String: String] {
        let p = xmlParser(data)
        let d = RelationsParser()
        p.delegate = d
        try parsed(p)
        return d.map
    }
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        guard local(name) == "Relationship", let id = attributes["Id"], let t = attributes["Target"] else { return }
        map[id] = t
    }
}

/// `xl/sharedStrings.xml`: each `<si>`'s text, its rich-text runs joined; the phonetic guide
/// (`<rPh>`) left out.
private final class SharedStringsParser: NSObject, XMLParserDelegate {
    var strings: [String] = []
    var current = ""
    var inT = false
    var inPhonetic = false
    static func parse(_ data: Data) throws -> [String] {
        let p = xmlParser(data)
        let d = SharedStringsParser()
        p.delegate = d
        try parsed(p)
        return d.strings
    }
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        switch local(name) {
        case "si": current = ""
        case "t": inT = !inPhonetic
        case "rPh": inPhonetic = true
        default: break
        }
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch local(name) {
        case "si": strings.append(current)
        case "t": inT = false
        case "rPh": inPhonetic = false
        default: break
        }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inT { current += string }
    }
}

/// A worksheet part: the cells by reference, and the merged ranges.
private final class SheetParser: NSObject, XMLParserDelegate {
    var rows: [[String]] = []
    var merges: [(Int, Int, Int, Int)] = []
    let shared: [String]
    var row = 0
    var nextColumn = 0
    var column = 0
    var type = ""
    var value = ""
    var inValue = false
    init(shared: [String]) { self.shared = shared }

    static func parse(_ data: Data, shared: [String]) throws -> (rows: [[String]], merges: [(Int, Int, Int, Int)]) {
        let p = xmlParser(data)
        let d = SheetParser(shared: shared)
        p.delegate = d
        try parsed(p)
        return (d.rows, d.merges)
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        switch local(name) {
        case "row":
            if let r = attributes["r"].flatMap(Int.init) { row = r - 1 } else { row = rows.count }
            nextColumn = 0
        case "c":
            if let ref = attributes["r"], let p = CellRef.parse(ref) { column = p.column; row = p.row - 1 } else { column = nextColumn }
            nextColumn = column + 1
            type = attributes["t"] ?? "n"
            value = ""
        case "v", "t":
            inValue = true
        case "mergeCell":
            if let ref = attributes["ref"] {
                let ends = ref.split(separator: ":").compactMap { CellRef.parse(String($0)) }
                if ends.count == 2 { merges.append((ends[0].row - 1, ends[0].column, ends[1].row - 1, ends[1].column)) }
            }
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inValue { value += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch local(name) {
        case "v", "t": inValue = false
        case "c":
            let text: String
            switch type {
            case "s": text = Int(value).flatMap { shared.indices.contains($0) ? shared[$0] : nil } ?? ""
            case "n": text = (value.contains(".") || value.contains("E")) ? Double(value).map(XLSXReader.number) ?? value : value
            case "b": text = value == "1" ? "TRUE" : "FALSE"
            case "e": text = ""
            default: text = value   // str (a formula's text), inlineStr
            }
            guard !text.isEmpty, column < 16_384 else { return }
            while rows.count <= row { rows.append([]) }
            if rows[row].count <= column { rows[row] += Array(repeating: "", count: column + 1 - rows[row].count) }
            rows[row][column] = text
        default: break
        }
    }
}

/// An element's name without its namespace prefix (WPS and some generators write `x:c`).
private func local(_ name: String) -> Substring {
    if let i = name.firstIndex(of: ":") { return name[name.index(after: i)...] }
    return Substring(name)
}
