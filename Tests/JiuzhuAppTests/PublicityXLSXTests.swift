import Foundation
import JiuzhuApp
import JiuzhuModel
import Testing
import TermUI

private let xlsxDay = CivilDate(year: 2026, month: 12, day: 1)!

/// A household as the office holds it, and the document its public line goes into.
private func sample() -> (doc: PublicityDocument, privateStrings: [String]) {
    let heads = [("欧阳明月", "53292719800101001"), ("王芳", "11010519491231002"), ("李建国", "44052419750615123")]
    var ids: [String] = []
    var lines: [PublicLine] = []
    for (i, (name, body)) in heads.enumerated() {
        let id = body + String(IDNumber.checkCharacter(for: body)!)
        ids.append(id)
        let head = Person(name: name, idNumber: id, relation: "02", sex: .female, birthDate: IDNumber(id, today: xlsxDay)!.birthDate)
        lines.append(PublicLine(caseId: Int64(i + 1), name: PublicLine.name(of: head, on: xlsxDay), village: ["李家村", "城关镇东门社区", "河口村"][i],
                                persons: i + 1, minors: 0, change: .new, programme: "农村低保", category: "A类",
                                perCapita: Money(fen: 12_345), monthly: Money(fen: [41_200, 5_000, 1_234_567][i])))
    }
    let doc = PublicityDocument(batchId: 3, title: "李家村2026年12月农村低保审批结果公示", office: "某某县某某乡人民政府", postedFrom: xlsxDay,
                                postedUntil: CivilDate(year: 2026, month: 12, day: 8)!, place: "李家村村务公开栏", complaintPhone: "0871-6123456",
                                complaintBox: "乡政府大门口举报箱", columns: [.index, .name, .village, .persons, .change, .programme, .category, .monthly],
                                lines: lines, issuedOn: xlsxDay)
    return (doc, ids + ["13812345678", "6217000012345678901"])
}

private func tempDir() throws -> URL {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("jiuzhu-xlsx-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
    return d
}

private let unzipPath = ["/usr/bin/unzip", "/bin/unzip", "/usr/local/bin/unzip"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// One member of the zip, through `unzip -p`.
private func unzipped(_ zip: String, _ member: String) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: unzipPath!)
    p.arguments = ["-p", zip, member]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

/// The names in a zip's central directory (signature PK\1\2, name length at +28, name at +46).
private func zipNames(_ data: Data) -> [String] {
    let b = [UInt8](data)
    var names: [String] = []
    var i = 0
    while i + 46 <= b.count {
        if b[i] == 0x50, b[i + 1] == 0x4B, b[i + 2] == 1, b[i + 3] == 2 {
            let n = Int(b[i + 28]) | Int(b[i + 29]) << 8
            if i + 46 + n <= b.count { names.append(String(decoding: b[(i + 46)..<(i + 46 + n)], as: UTF8.self)) }
            i += 46 + n
        } else {
            i += 1
        }
    }
    return names
}

@Suite struct PublicityXLSXTests {
    @Test func writesAPrivateWorkbookWithTheDocumentOnly() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (doc, privateStrings) = sample()
        let path = dir.appendingPathComponent("publicity-3.xlsx").path
        try PublicityXLSX.write(doc, lang: .zh, to: path)

        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(data.prefix(2) == Data("PK".utf8))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        // Nothing left beside it: the library's working directory is gone.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["publicity-3.xlsx"])
        let names = zipNames(data)
        #expect(names.contains("xl/sharedStrings.xml"))
        #expect(names.contains("xl/worksheets/sheet1.xml"))

        guard unzipPath != nil else {
            print("unzip not found: checked the zip's names only")
            return
        }
        let strings = try unzipped(path, "xl/sharedStrings.xml")
        #expect(strings.contains(doc.title))
        #expect(strings.contains("欧阳明月") && strings.contains("城关镇东门社区"))
        #expect(strings.contains("公示期：2026年12月1日至2026年12月8日"))
        #expect(strings.contains("监督电话：0871-6123456"))
        #expect(strings.contains("（盖章）  2026年12月1日"))
        #expect(strings.contains("合计：3 户"))
        var everything = ""
        for n in names where n.hasSuffix(".xml") || n.hasSuffix(".rels") { everything += try unzipped(path, n) }
        for p in privateStrings { #expect(!everything.contains(p), "\(p) in the workbook") }
        #expect(everything.range(of: "[0-9]{17}[0-9X]", options: .regularExpression) == nil, "no ID number at all")

        let sheet = try unzipped(path, "xl/worksheets/sheet1.xml")
        #expect(sheet.contains("paperSize=\"9\""), "A4")
        #expect(sheet.contains("fitToHeight=\"0\""), "1 page wide, as many tall as needed")
        #expect(sheet.contains("<fitToPage/>") || sheet.contains("fitToPage=\"1\""))
        #expect(sheet.contains("<mergeCell ref=\"A1:H1\"/>"), "title across the columns")
        #expect(sheet.contains("&amp;P") && sheet.contains("&amp;N"), "page numbers in the footer")
        let totalPersons = "<v>\(doc.totalPersons)</v>", totalMoney = "<v>12807.67</v>"
        #expect(sheet.contains(totalPersons) && sheet.contains(totalMoney))
        let workbook = try unzipped(path, "xl/workbook.xml")
        #expect(workbook.contains("_xlnm.Print_Titles") && workbook.contains("$3:$3"), "header row repeated")
        #expect(workbook.contains("_xlnm.Print_Area"))
    }

    @Test func aFileThereIsReplacedAndStaysPrivate() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("p.xlsx").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("old".utf8), attributes: [.posixPermissions: 0o644]))
        try PublicityXLSX.write(sample().doc, lang: .en, to: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(2) == Data("PK".utf8))
    }

    @Test func aFolderThatIsNotThereIsAnError() {
        #expect(throws: PublicityXLSX.Failure.self) {
            try PublicityXLSX.write(sample().doc, lang: .zh, to: "/nonexistent-\(UUID().uuidString)/p.xlsx")
        }
    }

    @Test func emptyDocumentAndOneColumn() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        var doc = sample().doc
        doc.lines = []
        try PublicityXLSX.write(doc, lang: .zh, to: dir.appendingPathComponent("a.xlsx").path)
        doc.columns = [.name]
        doc.lines = sample().doc.lines
        try PublicityXLSX.write(doc, lang: .zh, to: dir.appendingPathComponent("b.xlsx").path)
        doc.columns = [.persons, .name]
        try PublicityXLSX.write(doc, lang: .zh, to: dir.appendingPathComponent("c.xlsx").path)
    }
}
