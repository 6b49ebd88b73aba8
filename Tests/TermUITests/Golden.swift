import Foundation
import Testing

/// Compare `actual` with `Golden/<name>.txt` beside this file.
///
/// A missing file is written and the test fails saying so: the first run records, the second
/// compares. `TERMUI_RECORD_GOLDEN=1` re-records every golden file (then check the diff by eye).
func expectGolden(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden").appendingPathComponent("\(name).txt")
    let text = actual + "\n"
    let recording = ProcessInfo.processInfo.environment["TERMUI_RECORD_GOLDEN"] == "1"
    guard !recording, let expected = try? String(contentsOf: url, encoding: .utf8) else {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("Recorded golden file Golden/\(name).txt; check it and run the tests again.", sourceLocation: sourceLocation)
        } catch {
            Issue.record("Golden file Golden/\(name).txt is missing and could not be written: \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard expected != text else { return }
    let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let got = text.split(separator: "\n", omittingEmptySubsequences: false)
    let line = zip(want, got).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(want.count, got.count)
    Issue.record("""
        Screen differs from Golden/\(name).txt at line \(line + 1):
        expected: \(line < want.count ? String(want[line]) : "<end>")
        actual:   \(line < got.count ? String(got[line]) : "<end>")
        actual screen:
        \(actual)
        """, sourceLocation: sourceLocation)
}
