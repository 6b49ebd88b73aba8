import Foundation
import Synchronization
import Testing
@testable import TermCurses

@Suite(.serialized) struct LogFile {
    @Test func appendsStampedLinesToAPrivateFile() throws {
        let path = NSTemporaryDirectory() + "jiuzhu-log-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log"
        defer { Log.close(); try? FileManager.default.removeItem(atPath: path) }
        try Log.open(path: path)
        Log.write("first 张三")
        Log.write("second")
        Log.close()
        Log.write("after close: dropped")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasSuffix("] first 张三"))
        #expect(lines[1].hasSuffix("] second"))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func sinkSeesEveryLine() {
        final class Box: Sendable { let lines = Mutex<[String]>([]) }
        let box = Box()
        Log.sink = { line in box.lines.withLock { $0.append(line) } }
        defer { Log.sink = nil }
        Log.write("hello")
        let lines = box.lines.withLock { $0 }
        #expect(lines.count == 1)
        #expect(lines.first?.hasSuffix("hello\n") == true)
    }

    @Test func openingAnImpossiblePathThrows() {
        #expect(throws: (any Error).self) { try Log.open(path: "/nonexistent-dir/x.log") }
    }
}
