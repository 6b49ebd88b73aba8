import CNcursesw
import Foundation
import TermUI

/// Why the terminal could not be taken over.
public enum CursesError: Error, CustomStringConvertible {
    /// Standard input or output is not a terminal (redirected, or run from cron).
    case notATerminal
    /// curses does not know the terminal type (TERM unset, or no terminfo entry for it).
    case unknownTerminal(term: String)
    /// Another `CursesBackend` already owns the screen.
    case alreadyOpen

    public var description: String {
        switch self {
        case .notATerminal: return "standard input and output must be a terminal"
        case .unknownTerminal(let term): return "unknown terminal type \"\(term)\" (check TERM)"
        case .alreadyOpen: return "the terminal is already in use by this program"
        }
    }
}

/// The ncursesw `Backend`: draws `CellGrid`s by sending only the changed cells, and reads keys
/// as `KeyEvent`s.
///
/// Keys: the terminal is in cbreak mode with flow control, IEXTEN and suspend switched off,
/// so Ctrl-S, Ctrl-Q, Ctrl-V, Ctrl-O and Ctrl-Z arrive as `.ctrl` keys. Ctrl-C stays a signal
/// so that it works even when the app is busy: the first one arrives as `.ctrl("c")`, a
/// second one before the app read the first ends the program (see `TerminalRescue`).
///
/// Always give the terminal back: use `run`, or call `shutdown()`; signals, crashes and
/// `exit()` are covered too.
public final class CursesBackend: Backend {
    public private(set) var hasColors = false
    /// Escape sequences are waited for this long; short so Esc feels instant.
    public let escapeDelayMs: Int
    /// What the locale set-up found, for the log.
    public private(set) var localeNote = ""

    private var isOpen = false
    private var screen: OpaquePointer?
    private var lastGrid: CellGrid?
    private var attributeMap = AttributeMap(bold: 0, reverse: 0, underline: 0, dim: 0)
    private var colorPairs = ColorPairCache(maxPairs: 0, defaultColorsAvailable: false)
    private var looks: [Style: (attrs: attr_t, pair: Int16)] = [:]
    /// Input read ahead (while collecting a paste or an escape sequence) but not yet used.
    private var pending: [RawKey] = []
    private var cursorShown: Bool?
    private var savedStderr: Int32 = -1

    /// The backend that owns the terminal, for the `atexit` hook. `nonisolated(unsafe)`: curses
    /// is not thread-safe, so a backend is made, used and shut down on one thread (the one that
    /// runs the app); `init` sets this after its terminal checks, `shutdown` clears it, and the
    /// `atexit` hook reads it on the thread that calls `exit`, the app's main thread, the same
    /// one. (A backend asked for without a terminal only reads it, then throws.)
    nonisolated(unsafe) private static var openInstance: CursesBackend?

    /// Take over the terminal. Throws when there is no terminal to take.
    public init(escapeDelayMs: Int = 25) throws {
        self.escapeDelayMs = escapeDelayMs
        guard CursesBackend.openInstance == nil else { throw CursesError.alreadyOpen }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw CursesError.notATerminal }

        localeNote = CursesBackend.prepareLocale()
        TerminalRescue.saveShellModes(fd: STDOUT_FILENO)
        // newterm, not initscr: initscr prints an error and exits on an unknown TERM.
        guard let scr = newterm(nil, jz_stdout(), jz_stdin()) else {
            throw CursesError.unknownTerminal(term: ProcessInfo.processInfo.environment["TERM"] ?? "")
        }
        screen = scr
        isOpen = true
        CursesBackend.openInstance = self
        TerminalRescue.arm()

        cbreak()
        noecho()
        nonl()                           // Enter arrives as CR, not translated; both map to .enter
        intrflush(jz_stdscr(), false)
        keypad(jz_stdscr(), true)
        set_escdelay(Int32(escapeDelayMs))
        _ = jz_keys_to_program(STDOUT_FILENO)
        def_prog_mode()                  // so curses re-applies our tweaks after a suspend
        setUpColors()
        attributeMap = .curses(supported: term_attrs())
        setCursor(visible: false)
        TerminalRescue.prepareResetBytes(lines: jz_lines())
        redirectStderrToLog()
        Log.write("curses: TERM=\(ProcessInfo.processInfo.environment["TERM"] ?? "") size=\(size) colors=\(hasColors) dim=\(attributeMap.dim != 0) \(localeNote)")
    }

    deinit { shutdown() }

    /// Start curses, run `body`, and give the terminal back however `body` ends.
    /// (Throws rather than rethrows: taking the terminal can itself fail.)
    public static func run<T>(escapeDelayMs: Int = 25, _ body: (CursesBackend) throws -> T) throws -> T {
        let backend = try CursesBackend(escapeDelayMs: escapeDelayMs)
        defer { backend.shutdown() }
        return try body(backend)
    }

    /// Give the terminal back. Safe to call more than once.
    public func shutdown() {
        guard isOpen else { return }
        isOpen = false
        endwin()
        TerminalRescue.disarm()
        restoreStderr()
        if let screen { delscreen(screen) }
        screen = nil
        lastGrid = nil
        if CursesBackend.openInstance === self { CursesBackend.openInstance = nil }
        Log.write("curses: terminal given back")
    }

    /// For `atexit`: the app called `exit()` while curses owned the screen.
    static func restoreAtExit() {
        openInstance?.shutdown()
    }

    // MARK: Locale

    /// Wide characters need a UTF-8 locale: in "C" (LANG unset: cron, CI, a bare ssh)
    /// `wcwidth` of a Chinese character is -1 and curses would draw it as garbage.
    static func prepareLocale() -> String {
        setlocale(LC_ALL, "")
        if isUTF8Codeset() { return "codeset=\(codeset())" }
        let was = codeset()
        for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, name) != nil {
            if isUTF8Codeset() { return "codeset=\(was), using LC_CTYPE=\(name)" }
        }
        return "codeset=\(was), no UTF-8 locale found: Chinese will not display"
    }

    private static func codeset() -> String { String(cString: nl_langinfo(nl_item(CODESET))) }

    private static func isUTF8Codeset() -> Bool {
        let c = codeset().lowercased().replacingOccurrences(of: "-", with: "")
        return c == "utf8"
    }

    // MARK: Size and colours

    public var size: (width: Int, height: Int) {
        isOpen ? (Int(jz_cols()), Int(jz_lines())) : (0, 0)
    }

    private func setUpColors() {
        // NO_COLOR (no-color.org) lets a user with a hard-to-read palette turn colour off.
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        guard !noColor, has_colors(), start_color() == OK, jz_colors() >= 8 else {
            hasColors = false
            return
        }
        hasColors = true
        let defaults = use_default_colors() == OK
        colorPairs = ColorPairCache(maxPairs: Int(jz_color_pairs()), defaultColorsAvailable: defaults)
    }

    private func look(for style: Style) -> (attrs: attr_t, pair: Int16) {
        if let l = looks[style] { return l }
        var pair: Int16 = 0
        if hasColors {
            let p = colorPairs.pair(fg: style.fg, bg: style.bg)
            pair = p.pair
            if p.isNew {
                let n = colorPairs.colorNumbers(fg: style.fg, bg: style.bg)
                if init_pair(p.pair, n.fg, n.bg) != OK { pair = 0 }
            }
        }
        let l = (attributeMap.attributes(for: style.attrs), pair)
        looks[style] = l
        return l
    }

    // MARK: Drawing

    /// Forget what is on screen, so the next `draw` repaints every cell (after a resize, or
    /// when something else may have written to the terminal).
    public func redrawAll() {
        guard isOpen else { return }
        lastGrid = nil
        clearok(jz_curscr(), true)
    }

    public func draw(_ grid: CellGrid, cursor: (x: Int, y: Int)?) {
        guard isOpen else { return }
        let win = jz_stdscr()
        let (cols, lines) = size
        let full = lastGrid == nil || lastGrid!.width != grid.width || lastGrid!.height != grid.height
        if full { werase(win) }
        var chars: [wchar_t] = []
        chars.reserveCapacity(Int(CCHARW_MAX) + 1)
        for change in grid.changes(from: full ? nil : lastGrid) where change.y < lines {
            for (i, cell) in change.cells.enumerated() {
                let x = change.x + i
                guard x < cols else { break }
                if cell.isContinuation {
                    // Normally the wide character before it covers this cell. If curses thinks
                    // that character is narrow, blank the cell so nothing stale shows.
                    if x > 0, curses(width: grid[x - 1, change.y].text) < 2 {
                        put(" ", style: cell.style, x: x, y: change.y, into: &chars)
                    }
                    continue
                }
                // A wide character in the last column (a grid wider than the screen, just
                // after a resize) cannot be drawn whole: a space, never half a character.
                let fits = x + 1 < cols || curses(width: cell.text) < 2
                put(fits ? cell.text : " ", style: cell.style, x: x, y: change.y, into: &chars)
            }
        }
        lastGrid = grid
        if let c = cursor, c.x >= 0, c.y >= 0, c.x < cols, c.y < lines {
            setCursor(visible: true)
            wmove(win, Int32(c.y), Int32(c.x))
        } else {
            // Terminals without civis (vt100) keep showing it: park it in the corner.
            if !setCursor(visible: false) { wmove(win, Int32(max(0, lines - 1)), Int32(max(0, cols - 1))) }
        }
        wnoutrefresh(win)
        doupdate()
    }

    /// Columns curses (the C library's `wcwidth`) gives the first character of `text`.
    private func curses(width text: String) -> Int {
        guard let s = text.unicodeScalars.first else { return 0 }
        return Int(wcwidth(wchar_t(bitPattern: s.value)))
    }

    private func put(_ text: String, style: Style, x: Int, y: Int, into chars: inout [wchar_t]) {
        let look = look(for: style)
        chars.removeAll(keepingCapacity: true)
        for s in text.unicodeScalars.prefix(Int(CCHARW_MAX)) { chars.append(wchar_t(bitPattern: s.value)) }
        // Control characters, unassigned code points, empty cells: a space, never garbage.
        if chars.isEmpty || wcwidth(chars[0]) < 0 { chars = [wchar_t(32)] }
        chars.append(0)
        var cc = cchar_t()
        if setcchar(&cc, chars, look.attrs, look.pair, nil) != OK {
            // Only combining marks may follow the first character (an emoji sequence fails).
            chars = [chars[0], 0]
            if setcchar(&cc, chars, look.attrs, look.pair, nil) != OK { return }
        }
        // At the bottom-right corner curses cannot advance the cursor and reports an error,
        // but the character is drawn; ignore it.
        _ = mvwadd_wch(jz_stdscr(), Int32(y), Int32(x), &cc)
    }

    /// Show or hide the cursor; false when the terminal cannot do it.
    @discardableResult
    private func setCursor(visible: Bool) -> Bool {
        if cursorShown == visible { return true }
        let ok = curs_set(visible ? 1 : 0) != ERR
        cursorShown = ok ? visible : nil
        return ok
    }

    // MARK: Input

    struct RawKey {
        var code: Int32
        var isKeyCode: Bool
    }

    public func readEvent(timeoutMs: Int) -> KeyEvent? {
        guard isOpen else { return nil }
        let deadline = timeoutMs < 0 ? nil : CursesBackend.nowMs() + timeoutMs
        while true {
            if TerminalRescue.takeInterrupt() { return .ctrl("c") }
            let wait = deadline.map { max(0, $0 - CursesBackend.nowMs()) } ?? -1
            if let raw = nextRaw(timeoutMs: wait), let event = decode(raw) { return event }
            if TerminalRescue.takeInterrupt() { return .ctrl("c") }
            // A read that fails at once on a hung-up terminal would spin: say it is gone.
            if terminalGone() { return .hangup }
            // A dropped key, or a wait cut short by a signal: keep waiting out the time given.
            if let deadline, CursesBackend.nowMs() >= deadline { return nil }
        }
    }

    private func nextRaw(timeoutMs: Int) -> RawKey? {
        if !pending.isEmpty { return pending.removeFirst() }
        let win = jz_stdscr()
        wtimeout(win, Int32(clamping: timeoutMs))
        var wc: wint_t = 0
        switch wget_wch(win, &wc) {
        case OK: return RawKey(code: Int32(bitPattern: wc), isKeyCode: false)
        case KEY_CODE_YES: return RawKey(code: Int32(bitPattern: wc), isKeyCode: true)
        default: return nil
        }
    }

    /// True when standard input has hung up or closed (the window or connection is gone).
    private func terminalGone() -> Bool {
        var p = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 0) >= 0 else { return false }
        return p.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 || isatty(STDIN_FILENO) == 0
    }

    private func pushBack(_ raw: RawKey) { pending.insert(raw, at: 0) }

    private func decode(_ raw: RawKey) -> KeyEvent? {
        if raw.isKeyCode {
            if raw.code == KEY_RESIZE {
                // curses has resized its windows; repaint everything on the next draw.
                redrawAll()
                TerminalRescue.prepareResetBytes(lines: jz_lines())
                Log.write("curses: resized to \(size)")
            }
            if raw.code > KEY_MAX, let name = keyname(raw.code) {
                return KeyDecoder.map(extendedKeyName: String(cString: name))
            }
            return KeyDecoder.map(code: raw.code, isKeyCode: true, size: size)
        }
        if raw.code == 27 { return afterEscape() }
        if KeyDecoder.isPrintable(raw.code) { return collectText(startingWith: raw) }
        return KeyDecoder.map(code: raw.code, isKeyCode: false)
    }

    /// Characters already waiting after the first one are a paste or an input method's
    /// composed text (拼音 → 张三): deliver them as one `.text`, so the app handles them in one
    /// update and one redraw instead of one per character.
    private func collectText(startingWith first: RawKey) -> KeyEvent? {
        var text = String.UnicodeScalarView()
        if let s = Unicode.Scalar(UInt32(first.code)) { text.append(s) }
        while text.count < 4096, let more = nextRaw(timeoutMs: 0) {
            guard !more.isKeyCode, KeyDecoder.isPrintable(more.code), let s = Unicode.Scalar(UInt32(more.code)) else {
                pushBack(more)
                break
            }
            text.append(s)
        }
        let string = String(text)
        guard let firstChar = string.first else { return nil }
        return string.count == 1 ? .char(firstChar) : .text(string)
    }

    /// ESC alone is the Esc key. ESC followed at once by more is a key sequence curses did
    /// not recognise (decoded here if it is a common one) or Alt+key (dropped): either way
    /// it must not turn into typed characters.
    private func afterEscape() -> KeyEvent? {
        // curses has already waited escapeDelayMs for a sequence, so anything that is part
        // of one is here now.
        guard let next = nextRaw(timeoutMs: 0) else { return .escape }
        if next.isKeyCode || next.code == 27 {
            // Alt+function key: keep the key, drop the Alt. ESC ESC: two Esc presses.
            pushBack(next)
            return next.code == 27 && !next.isKeyCode ? .escape : nil
        }
        guard let first = Unicode.Scalar(UInt32(next.code)) else { return nil }
        var body = [first]
        while !KeyDecoder.isCompleteEscapeBody(body), body.count < 16 {
            // Inside a sequence the rest may lag a little (ssh); wait for it briefly.
            guard let more = nextRaw(timeoutMs: escapeDelayMs) else { break }
            guard !more.isKeyCode, let s = Unicode.Scalar(UInt32(more.code)) else {
                pushBack(more)
                break
            }
            body.append(s)
        }
        if let key = KeyDecoder.decodeEscapeBody(body) { return key }
        Log.write("curses: dropped unknown input ESC \(body.map { $0.escaped(asASCII: true) }.joined())")
        return nil
    }

    // MARK: stderr

    /// A stray message on stderr would scribble over the screen; with a log file open, send
    /// stderr there while curses owns the screen (a Swift runtime error lands in the log).
    private func redirectStderrToLog() {
        guard let logFD = Log.fileDescriptor else { return }
        savedStderr = dup(STDERR_FILENO)
        if savedStderr >= 0 { dup2(logFD, STDERR_FILENO) }
    }

    private func restoreStderr() {
        guard savedStderr >= 0 else { return }
        dup2(savedStderr, STDERR_FILENO)
        close(savedStderr)
        savedStderr = -1
    }

    private static func nowMs() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return ts.tv_sec * 1000 + ts.tv_nsec / 1_000_000
    }
}
