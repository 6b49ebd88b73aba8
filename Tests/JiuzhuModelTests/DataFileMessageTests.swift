import Foundation
import JiuzhuModel
import Testing

/// A mistake in `data/programmes.json` is reported with the file and the line it is on.
@Suite struct DataFileMessageTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let text = try! String(contentsOf: root.appendingPathComponent("data/programmes.json"), encoding: .utf8)

    /// The file with the `n`-th (from 0) occurrence of `old` replaced, and that line's number.
    func broken(_ old: String, _ new: String, occurrence n: Int = 0) throws -> (Data, Int) {
        var r = try #require(Self.text.range(of: old))
        for _ in 0..<n { r = try #require(Self.text.range(of: old, range: r.upperBound..<Self.text.endIndex)) }
        let line = Self.text[..<r.lowerBound].filter { $0 == "\n" }.count + 1
        return (Data(Self.text.replacingCharacters(in: r, with: new).utf8), line)
    }

    func message(_ data: Data) -> String {
        do { _ = try ProgrammeCatalog.decode(data); return "decoded" } catch { return "\(error)" }
    }

    @Test func anUnknownRoleNamesTheFileAndItsLine() throws {
        // The second programme's approver.
        let (data, line) = try broken(#""role": "approver""#, #""role": "boss""#, occurrence: 2)
        let m = message(data)
        #expect(m.hasPrefix("data/programmes.json line \(line): "), "\(m)")
        #expect(m.contains("boss"))
    }

    @Test func aWrongStepReferenceNamesItsLine() throws {
        let (data, line) = try broken(#""backTo": "survey""#, #""backTo": "nowhere""#)
        let m = message(data)
        #expect(m.hasPrefix("data/programmes.json line \(line): "), "\(m)")
    }

    @Test func aSyntaxErrorNamesItsLine() throws {
        let (data, line) = try broken(#""limitWorkingDays": 15,"#, #""limitWorkingDays": 15,,"#)
        let m = message(data)
        #expect(m.hasPrefix("data/programmes.json line \(line)"), "\(m)")
    }

    @Test func anUnknownNoticeActionNamesItsLine() throws {
        let (data, line) = try broken(#""suspend"]"#, #""suspend", "shout"]"#)
        let m = message(data)
        #expect(m.hasPrefix("data/programmes.json line \(line): "), "\(m)")
        #expect(m.contains("shout"))
    }

    @Test func theFileAsShippedDecodes() throws {
        #expect(message(Data(Self.text.utf8)) == "decoded")
    }
}
