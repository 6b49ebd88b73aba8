import Foundation

/// Where in a JSON file a problem is, for a message that names the file and the line
/// ("data/programmes.json line 12: …"): `data/` and `screens/` are edited by hand.
public enum JSONLocation {
    /// The line (from 1) of the first `"needle"` (quoted, as a key or a string value) at or after
    /// line `from`; nil when it is not there.
    public static func line(of needle: String, in data: Data, from: Int = 1) -> Int? {
        let text = String(decoding: data, as: UTF8.self)
        var line = 1
        var search = text.startIndex
        // Skip to the line `from`.
        while line < from, let nl = text[search...].firstIndex(of: "\n") { search = text.index(after: nl); line += 1 }
        guard let r = text.range(of: "\"\(needle)\"", range: search..<text.endIndex) else { return nil }
        return line + text[search..<r.lowerBound].filter { $0 == "\n" }.count
    }

    /// The last '…'-quoted word of a problem ("names unknown role 'boss'" → boss), for finding it.
    public static func quoted(_ problem: String) -> String? {
        let parts = problem.components(separatedBy: "'")
        return parts.count >= 3 ? parts[parts.count - 2] : nil
    }

    /// " line 12: …" for a decoding error: the line of a syntax error, or of the key the decoder
    /// was at (its last key's first occurrence), and what was wrong, in plain words.
    public static func describe(_ e: DecodingError, in data: Data) -> String {
        func at(_ c: DecodingError.Context) -> String {
            let target = c.codingPath.map { k in k.intValue.map(Component.index) ?? .key(k.stringValue) }
            var scan = Scan(bytes: Array(data))
            guard let l = scan.value([], target) ?? c.codingPath.last.flatMap({ line(of: $0.stringValue, in: data) }) else { return "" }
            return " line \(l)"
        }
        func path(_ c: [CodingKey]) -> String {
            c.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch e {
        case .dataCorrupted(let c):
            // JSONSerialization's message names the line for a syntax error.
            let detail = (c.underlyingError.map { "\($0)" } ?? c.debugDescription)
            if let r = detail.range(of: #"line \d+"#, options: .regularExpression) { return " \(detail[r]): not valid JSON (\(c.debugDescription))" }
            var scan = Scan(bytes: Array(data))
            if let l = scan.syntaxError() { return " line \(l): not valid JSON" }
            return ": not valid JSON (\(c.debugDescription))"
        case .keyNotFound(let k, let c):
            return "\(at(c)): \(path(c.codingPath)) lacks \"\(k.stringValue)\""
        case .typeMismatch(let t, let c), .valueNotFound(let t, let c):
            return "\(at(c)): \(path(c.codingPath)) should be \(t)"
        @unknown default:
            return ": \(e)"
        }
    }

    enum Component: Equatable { case key(String), index(Int) }

    /// A small JSON walk that finds the line where the value at a path starts (the decoder's
    /// coding path names the value, not where it is).
    struct Scan {
        let bytes: [UInt8]
        var i = 0
        var line = 1

        mutating func space() {
            while i < bytes.count, [9, 10, 13, 32].contains(bytes[i]) {
                if bytes[i] == 10 { line += 1 }
                i += 1
            }
        }

        mutating func string() -> String? {
            guard i < bytes.count, bytes[i] == 34 else { return nil }
            i += 1
            var out: [UInt8] = []
            while i < bytes.count, bytes[i] != 34 {
                if bytes[i] == 92 { i += 1 }
                guard i < bytes.count else { break }
                if bytes[i] == 10 { line += 1 }
                out.append(bytes[i])
                i += 1
            }
            i += 1
            return String(decoding: out, as: UTF8.self)
        }

        /// The line where the text stops being JSON, or nil when it is JSON.
        mutating func syntaxError() -> Int? {
            struct Bad: Error {}
            func value(_ s: inout Scan) throws {
                s.space()
                guard s.i < s.bytes.count else { throw Bad() }
                switch s.bytes[s.i] {
                case 123, 91:
                    let close: UInt8 = s.bytes[s.i] == 123 ? 125 : 93
                    s.i += 1
                    s.space()
                    if s.i < s.bytes.count, s.bytes[s.i] == close { s.i += 1; return }
                    while true {
                        if close == 125 {
                            s.space()
                            guard s.i < s.bytes.count, s.bytes[s.i] == 34 else { throw Bad() }
                            _ = s.string()
                            s.space()
                            guard s.i < s.bytes.count, s.bytes[s.i] == 58 else { throw Bad() }
                            s.i += 1
                        }
                        try value(&s)
                        s.space()
                        guard s.i < s.bytes.count else { throw Bad() }
                        if s.bytes[s.i] == close { s.i += 1; return }
                        guard s.bytes[s.i] == 44 else { throw Bad() }
                        s.i += 1
                    }
                case 34:
                    _ = s.string()
                default:
                    let start = s.i
                    while s.i < s.bytes.count, Array("+-.0123456789Eaeflnrstu".utf8).contains(s.bytes[s.i]) { s.i += 1 }
                    let word = String(decoding: s.bytes[start..<s.i], as: UTF8.self)
                    guard ["true", "false", "null"].contains(word) || Double(word) != nil else { throw Bad() }
                }
            }
            do {
                try value(&self)
                space()
                return i < bytes.count ? line : nil
            } catch { return line }
        }

        /// The line of the value at `target`, walking the value at `path` that starts here.
        mutating func value(_ path: [Component], _ target: [Component]) -> Int? {
            space()
            if path == target { return line }
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case 123:                                   // {
                i += 1
                while true {
                    space()
                    guard i < bytes.count else { return nil }
                    if bytes[i] == 125 { i += 1; return nil }
                    if bytes[i] == 44 { i += 1; continue }
                    guard let k = string() else { return nil }
                    space()
                    if i < bytes.count, bytes[i] == 58 { i += 1 }
                    if let l = value(path + [.key(k)], target) { return l }
                }
            case 91:                                    // [
                i += 1
                var n = 0
                while true {
                    space()
                    guard i < bytes.count else { return nil }
                    if bytes[i] == 93 { i += 1; return nil }
                    if bytes[i] == 44 { i += 1; n += 1; continue }
                    let at = i
                    if let l = value(path + [.index(n)], target) { return l }
                    if i == at { return nil }           // not JSON here: give up
                }
            case 34:
                _ = string()
                return nil
            default:
                while i < bytes.count, ![44, 125, 93, 9, 10, 13, 32].contains(bytes[i]) { i += 1 }
                return nil
            }
        }
    }
}
