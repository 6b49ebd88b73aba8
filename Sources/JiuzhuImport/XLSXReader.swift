import CXMLReader
import Foundation
import ZIPFoundation

/// An Office Open XML workbook (.xlsx from Excel or WPS): the ZIP through ZIPFoundation, each
/// part through libxml2's streaming reader (one node at a time, so a sheet of 30,000 rows is
/// never a tree), opened with dlopen when the first workbook is read (CXMLReader: not
/// Foundation's XMLParser, which would link libxml2 and the ICU it pulls in into every start).
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

/// What a part's reader reports, in document order (as a SAX parser would): a self-closing
/// element is a start and an end.
private protocol PartHandler: AnyObject {
    func start(_ name: String, attributes: [String: String])
    func end(_ name: String)
    func characters(_ string: String)
}

extension PartHandler {
    func end(_ name: String) {}
    func characters(_ string: String) {}
}

/// Reads one part to the end; a part that is not well-formed throws what libxml2 said (a sheet
/// over 10 MB, which Excel and WPS write on one line, is read whole: XML_PARSE_HUGE).
private func read(_ data: Data, into handler: PartHandler) throws {
    if let why = jz_xml_library_error() { throw XMLPartError(detail: "libxml2: \(String(cString: why))") }
    guard !data.isEmpty else { throw XMLPartError(detail: "empty part") }
    guard data.count <= Int(Int32.max) else { throw XMLPartError(detail: "part over 2 GB") }
    try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
        guard let base = bytes.baseAddress, let r = jz_xml_reader_new(base, Int32(bytes.count)) else {
            throw XMLPartError(detail: "libxml2 could not start a reader")
        }
        defer { jz_xml_free(r) }
        func text(_ p: UnsafePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "" }
        while true {
            switch jz_xml_next(r) {
            case JZ_XML_END_OF_PART:
                return
            case JZ_XML_ERROR:
                throw XMLPartError(detail: "\(text(jz_xml_error(r))) (line \(jz_xml_line(r)))")
            case JZ_XML_START:
                let name = text(jz_xml_name(r))
                let empty = jz_xml_is_empty(r) != 0
                var attributes: [String: String] = [:]
                while jz_xml_next_attribute(r) == 1 { attributes[text(jz_xml_name(r))] = text(jz_xml_value(r)) }
                handler.start(name, attributes: attributes)
                if empty { handler.end(name) }
            case JZ_XML_END:
                handler.end(text(jz_xml_name(r)))
            case JZ_XML_TEXT:
                handler.characters(text(jz_xml_value(r)))
            default:
                continue
            }
        }
    }
}

/// `xl/workbook.xml`: each sheet's name and relationship id, in the workbook's order.
private final class WorkbookParser: PartHandler {
    var sheets: [(name: String, rid: String)] = []
    static func parse(_ data: Data) throws -> [(name: String, rid: String)] {
        let d = WorkbookParser()
        try read(data, into: d)
        return d.sheets
    }
    func start(_ name: String, attributes: [String: String]) {
        guard local(name) == "sheet" else { return }
        let rid = attributes.first { $0.key == "r:id" || $0.key.hasSuffix(":id") }?.value ?? ""
        sheets.append((attributes["name"] ?? "", rid))
    }
}

/// `xl/_rels/workbook.xml.rels`: relationship id → part.
private final class RelationsParser: PartHandler {
    var map: [String: String] = [:]
    static func parse(_ data: Data) throws -> [String: String] {
        let d = RelationsParser()
        try read(data, into: d)
        return d.map
    }
    func start(_ name: String, attributes: [String: String]) {
        guard local(name) == "Relationship", let id = attributes["Id"], let t = attributes["Target"] else { return }
        map[id] = t
    }
}

/// `xl/sharedStrings.xml`: each `<si>`'s text, its rich-text runs joined; the phonetic guide
/// (`<rPh>`) left out.
private final class SharedStringsParser: PartHandler {
    var strings: [String] = []
    var current = ""
    var inT = false
    var inPhonetic = false
    static func parse(_ data: Data) throws -> [String] {
        let d = SharedStringsParser()
        try read(data, into: d)
        return d.strings
    }
    func start(_ name: String, attributes: [String: String]) {
        switch local(name) {
        case "si": current = ""
        case "t": inT = !inPhonetic
        case "rPh": inPhonetic = true
        default: break
        }
    }
    func end(_ name: String) {
        switch local(name) {
        case "si": strings.append(current)
        case "t": inT = false
        case "rPh": inPhonetic = false
        default: break
        }
    }
    func characters(_ string: String) {
        if inT { current += string }
    }
}

/// A worksheet part: the cells by reference, and the merged ranges.
private final class SheetParser: PartHandler {
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
        let d = SheetParser(shared: shared)
        try read(data, into: d)
        return (d.rows, d.merges)
    }

    func start(_ name: String, attributes: [String: String]) {
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

    func characters(_ string: String) {
        if inValue { value += string }
    }

    func end(_ name: String) {
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
