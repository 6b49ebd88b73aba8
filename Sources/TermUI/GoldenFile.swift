import Foundation

/// Golden-file comparison for screen tests (beside `TestBackend`, test support that ships so
/// every test target compares screens the same way).
public enum GoldenFile {
    /// Compare `actual` with the file at `url`. Returns nil when they match, else what to tell
    /// the tester. A missing file (or `TERMUI_RECORD_GOLDEN=1`) is written and reported as recorded,
    /// so a first run records and the second compares.
    public static func check(_ actual: String, against url: URL) -> String? {
        let text = actual + "\n"
        let recording = ProcessInfo.processInfo.environment["TERMUI_RECORD_GOLDEN"] == "1"
        guard !recording, let expected = try? String(contentsOf: url, encoding: .utf8) else {
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
                return "Recorded golden file \(url.lastPathComponent); check it and run the tests again."
            } catch {
                return "Golden file \(url.lastPathComponent) is missing and could not be written: \(error)"
            }
        }
        guard expected != text else { return nil }
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let got = text.split(separator: "\n", omittingEmptySubsequences: false)
        let line = zip(want, got).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(want.count, got.count)
        return """
            Screen differs from \(url.lastPathComponent) at line \(line + 1):
            expected: \(line < want.count ? String(want[line]) : "<end>")
            actual:   \(line < got.count ? String(got[line]) : "<end>")
            actual screen:
            \(actual)
            """
    }
}
