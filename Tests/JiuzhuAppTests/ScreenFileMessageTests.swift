import Foundation
@testable import JiuzhuApp
import Testing

/// A mistake in a `screens/` file is reported with the file and the line it is on.
@Suite struct ScreenFileMessageTests {
    @Test(arguments: [
        ("menu.json", #""roles": ["clerk", "admin"]"#, #""roles": ["clerk", "boss"]"#),
        ("households.json", #""sort": "#, #""sort": "sideways", "x": "#),
        ("menu.json", #""key": "2""#, #""key": 2"#),
    ])
    func aMistakeNamesTheFileAndTheLine(file: String, find: String, replace: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("screens-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Fixture.root.appendingPathComponent("screens"), to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        let r = try #require(text.range(of: find), "\(find) not in \(file)")
        let line = text[..<r.lowerBound].filter { $0 == "\n" }.count + 1
        try text.replacingCharacters(in: r, with: replace).write(to: url, atomically: true, encoding: .utf8)
        do {
            _ = try ScreenData.load(from: dir)
            Issue.record("a broken \(file) was accepted")
        } catch let e as ScreenData.LoadError {
            #expect(e.file == file)
            #expect(e.line == line, "\(e)")
            #expect(e.description.hasPrefix("screens/\(file) line \(line): "), "\(e)")
        }
    }
}
