import CNcursesw
import Foundation
import Synchronization

/// Gives the terminal back when the program is ended by a signal or crashes.
///
/// A signal handler may only make async-signal-safe calls, and `endwin` is not one (it goes
/// through curses' output buffer and may allocate). So everything a handler needs is prepared
/// in advance: the terminal modes from before curses started, and the bytes `endwin` would
/// send (reset attributes, cursor to the last line, cursor visible, keypad off, leave the
/// alternate screen). The handler writes those bytes, puts the modes back with `tcsetattr`,
/// and leaves with `_exit(128 + signal)` -- all on POSIX's async-signal-safe list.
///
/// The trade-off of `_exit`: no `atexit` handlers, no stdio flush, no deinit. Nothing the app
/// has not committed is kept, which is what the store's design already assumes (SQLite in
/// WAL mode with synchronous=FULL loses no committed transaction; drafts are saved per field).
///
/// Ctrl-C: the first one only sets a flag, and `CursesBackend.readEvent` delivers it as
/// `.ctrl("c")`, so the app can ask before dropping unsaved input. A second Ctrl-C arriving
/// before the app has read the first means the app is not reading keys (stuck in a long
/// query or a loop): the terminal is restored and the program exits with 130.
enum TerminalRescue {
    /// Signals that end the program: the terminal is restored, then `_exit(128 + signal)`.
    static let terminating: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    /// Signals of a crash: the terminal is restored, then the signal is passed on to whoever
    /// handled it before (the default action, or the Swift runtime's backtracer).
    static let crashing: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

    /// Save the terminal modes as the shell left them. Call before curses changes them.
    static func saveShellModes(fd: Int32) {
        let s = state
        s.pointee.fd = fd
        s.pointee.hasShellModes = tcgetattr(fd, &s.pointee.shellModes) == 0
    }

    /// Prepare the bytes that undo curses' changes on screen; again after a resize (the
    /// "last line" moves). Needs curses' terminfo, so call after `newterm`.
    static func prepareResetBytes(lines: Int32) {
        var bytes: [UInt8] = []
        func add(_ s: UnsafePointer<CChar>?) {
            guard let s else { return }
            bytes += stripPadding(Array(UnsafeBufferPointer(start: s, count: strlen(s))).map { UInt8(bitPattern: $0) })
        }
        add(jz_tigetstr("sgr0"))
        add(jz_cursor_address(max(0, lines - 1), 0))
        add(jz_tigetstr("cnorm"))
        add(jz_tigetstr("rmkx"))
        add(jz_tigetstr("rmcup"))
        let s = state
        let n = min(bytes.count, resetCapacity)
        // A handler running now sees count 0 (nothing written) or the new bytes, never a mix
        // beyond a stale cursor position.
        s.pointee.resetCount = 0
        for i in 0..<n { s.pointee.resetBytes[i] = bytes[i] }
        s.pointee.resetCount = n
    }

    /// terminfo strings may carry delays like "$<2>" (vt100's sgr0); `tputs` would turn them
    /// into pauses, a raw write would print them. Drop them.
    static func stripPadding(_ s: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < s.count {
            if s[i] == UInt8(ascii: "$"), i + 1 < s.count, s[i + 1] == UInt8(ascii: "<"),
               let close = s[(i + 2)...].firstIndex(of: UInt8(ascii: ">")) {
                i = close + 1
                continue
            }
            out.append(s[i])
            i += 1
        }
        return out
    }

    /// Install the handlers (remembering the ones they replace) and the `atexit` hook.
    static func arm() {
        let s = state
        s.pointee.interruptPending = 0
        for sig in terminating { _ = jz_sigaction(sig, onTerminatingSignal, &s.pointee.previous[Int(sig)]); _ = jz_unblock_signal(sig) }
        for sig in crashing { _ = jz_sigaction(sig, onCrashSignal, &s.pointee.previous[Int(sig)]) }
        // ncurses turns SIGWINCH into KEY_RESIZE: it must reach this thread too.
        _ = jz_unblock_signal(SIGWINCH)
        s.pointee.armed = 1
        let first = atexitRegistered.withLock { done in
            defer { done = true }
            return !done
        }
        if first { atexit { CursesBackend.restoreAtExit() } }
    }

    /// Put the previous handlers back (normal shutdown).
    static func disarm() {
        let s = state
        guard s.pointee.armed != 0 else { return }
        s.pointee.armed = 0
        for sig in terminating + crashing { _ = sigaction(sig, &s.pointee.previous[Int(sig)], nil) }
    }

    /// Whether a Ctrl-C arrived that the app has not seen yet; clears it.
    static func takeInterrupt() -> Bool {
        let s = state
        guard s.pointee.interruptPending != 0 else { return false }
        s.pointee.interruptPending = 0
        return true
    }

    // MARK: State the handlers read

    fileprivate static let resetCapacity = 512

    fileprivate struct State {
        var armed: Int32 = 0
        var interruptPending: Int32 = 0
        var fd: Int32 = 1
        var hasShellModes = false
        var shellModes = termios()
        var resetBytes: UnsafeMutablePointer<UInt8>
        var resetCount = 0
        var previous: UnsafeMutablePointer<sigaction>
    }

    /// Allocated once and never freed, so a handler reads plain memory. Touched by
    /// `saveShellModes` before any handler is installed, so a handler never runs the lazy
    /// global initialiser, only its already-done fast path.
    ///
    /// `nonisolated(unsafe)`: memory shared with a signal handler, which may take no lock and
    /// may run on any thread at any moment (C would say `volatile sig_atomic_t`; Swift has no
    /// type for it). It holds because: only the thread that owns curses writes it
    /// (`saveShellModes`, `prepareResetBytes`, `arm`, `disarm`, `takeInterrupt`; `CursesBackend`
    /// is used on one thread); the modes and previous handlers are written before the handlers
    /// are installed; after that the writes a handler can meet are single aligned words
    /// (`armed`, `interruptPending`, and `resetCount`, set to 0 before the bytes change).
    nonisolated(unsafe) fileprivate static let state: UnsafeMutablePointer<State> = {
        let p = UnsafeMutablePointer<State>.allocate(capacity: 1)
        let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
        previous.initialize(repeating: sigaction(), count: 65)
        p.initialize(to: State(resetBytes: .allocate(capacity: resetCapacity), previous: previous))
        return p
    }()

    private static let atexitRegistered = Mutex(false)
}

/// Undo curses' screen and mode changes using only async-signal-safe calls.
private func restoreTerminalFromHandler() {
    let s = TerminalRescue.state
    guard s.pointee.armed != 0 else { return }
    s.pointee.armed = 0
    if s.pointee.resetCount > 0 { _ = write(s.pointee.fd, s.pointee.resetBytes, s.pointee.resetCount) }
    if s.pointee.hasShellModes { _ = tcsetattr(s.pointee.fd, TCSANOW, &s.pointee.shellModes) }
}

private let onTerminatingSignal: @convention(c) (Int32) -> Void = { sig in
    let s = TerminalRescue.state
    if sig == SIGINT, s.pointee.armed != 0, s.pointee.interruptPending == 0 {
        s.pointee.interruptPending = 1     // delivered as .ctrl("c") by readEvent
        return
    }
    restoreTerminalFromHandler()
    _exit(128 + sig)
}

private let onCrashSignal: @convention(c) (Int32) -> Void = { sig in
    restoreTerminalFromHandler()
    // Hand the signal to whoever had it before: it is blocked while we run, so the raise is
    // delivered as this handler returns (a fault would also simply happen again).
    _ = sigaction(sig, &TerminalRescue.state.pointee.previous[Int(sig)], nil)
    _ = raise(sig)
}
