import Foundation
import TermUI
import Testing

/// Compare `actual` with `Golden/<name>.txt` beside this file (see `GoldenFile`).
func expectGolden(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name).txt")
    if let problem = GoldenFile.check(actual, against: url) { Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation) }
}
