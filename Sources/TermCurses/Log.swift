import Foundation
import Synchronization

/// A tiny append-only file log. While curses owns the screen nothing may be written to stdout
/// or stderr (it would scribble over the screen), so diagnostics go here instead; the app opens
/// it beside its database. Until `open` is called (or after `close`) messages are dropped,
/// unless `sink` is set, which receives every line too (tests, or an app's own logger).
public enum Log {
    /// The open file (-1 for none) and the extra sink, read and changed under one lock.
    private struct Target {
        var fd: Int32 = -1
        var sink: (@Sendable (String) -> Void)?
    }
    private static let target = Mutex(Target())

    /// Also send every formatted line here (nil to stop). It may be called from any thread.
    public static var sink: (@Sendable (String) -> Void)? {
        get { target.withLock { $0.sink } }
        set { target.withLock { $0.sink = newValue } }
    }

    /// Append to the file at `path`, creating it readable by its owner only (it may name
    /// households). Replaces any file opened before.
    public static func open(path: String) throws {
        let newFD = posixOpenAppend(path)
        guard newFD >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [
                NSFilePathErrorKey: path,
                NSLocalizedDescriptionKey: "cannot open log file \(path): \(String(cString: strerror(errno)))",
            ])
        }
        target.withLock {
            if $0.fd >= 0 { posixClose($0.fd) }
            $0.fd = newFD
        }
    }

    public static func close() {
        target.withLock {
            if $0.fd >= 0 { posixClose($0.fd) }
            $0.fd = -1
        }
    }

    /// The open log file's descriptor, or nil (the backend points stderr at it).
    static var fileDescriptor: Int32? { target.withLock { $0.fd >= 0 ? $0.fd : nil } }

    /// Append one line, stamped with local time. One `write` per line, so lines from two
    /// processes sharing the file (O_APPEND) do not interleave.
    public static func write(_ message: @autoclosure () -> String) {
        let (fd, extra) = target.withLock { ($0.fd, $0.sink) }
        guard fd >= 0 || extra != nil else { return }
        let line = "\(timestamp()) [\(getpid())] \(message())\n"
        extra?(line)
        guard fd >= 0 else { return }
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buf in
            _ = posixWrite(fd, buf.baseAddress, buf.count)
        }
    }

    private static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var buf = [CChar](repeating: 0, count: 40)
        let n = strftime(&buf, buf.count, "%Y-%m-%d %H:%M:%S%z", &parts)
        return String(decoding: buf.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

// File-scope wrappers: inside `Log`, its own `open`/`close`/`write` hide the POSIX ones.
private func posixOpenAppend(_ path: String) -> Int32 {
    open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
}
private func posixClose(_ fd: Int32) { _ = close(fd) }
private func posixWrite(_ fd: Int32, _ buf: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, buf, count) }
