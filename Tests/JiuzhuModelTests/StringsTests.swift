import Foundation
import JiuzhuModel
import Testing

/// One way to say a string (issue 20 item 4): every key the code names is in screens/ and checked
/// at start-up, each entry has both languages, and no Chinese is written in the sources but data.
@Suite struct StringsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var screens: URL { root.appendingPathComponent("screens") }

    /// Every .swift file under Sources/, relative path and text.
    static func sources() throws -> [(String, String)] {
        let base = root.appendingPathComponent("Sources")
        let walker = try #require(FileManager.default.enumerator(atPath: base.path))
        var out: [(String, String)] = []
        for case let rel as String in walker where rel.hasSuffix(".swift") {
            out.append(("Sources/" + rel, try String(contentsOf: base.appendingPathComponent(rel), encoding: .utf8)))
        }
        #expect(out.count > 50)
        return out.sorted { $0.0 < $1.0 }
    }

    @Test func theInstalledStringsLoad() throws {
        let s = try Strings.load(from: Self.screens)
        #expect(s.table.count > 800)
        for key in Strings.keysInCode { #expect(s[key] != nil, "\(key)") }
    }

    /// `Strings.keysInCode` (what start-up checks) is exactly the keys the sources name: a string
    /// literal "area.name…" whose area is one the files use (in JiuzhuStore only "store.…" and "disaster.…", as the
    /// store's audit codes look alike).
    @Test func keysInCodeAreTheKeysTheSourcesName() throws {
        let table = try Strings.load(from: Self.screens).table
        let areas = Set(table.keys.compactMap { $0.split(separator: ".").first.map(String.init) })
        let literal = try Regex(#""([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9_]+)+)""#)
        let fileLike = try Regex(#"\.(json|csv|txt|sqlite|xlsx|md|key|anchor)$"#)
        var found: Set<String> = []
        for (path, text) in try Self.sources() where !path.hasSuffix("/StringKeys.swift") {
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.trimmingCharacters(in: .whitespaces).hasPrefix("//") { continue }
                for m in line.matches(of: literal) {
                    let key = String(m.output[1].substring ?? "")
                    if path.contains("/JiuzhuStore/") && !key.hasPrefix("store.") && !key.hasPrefix("disaster.") { continue }
                    guard let area = key.split(separator: ".").first, areas.contains(String(area)), key.firstMatch(of: fileLike) == nil else { continue }
                    found.insert(key)
                }
            }
        }
        let listed = Set(Strings.keysInCode)
        #expect(found.subtracting(listed).isEmpty, "keys named in the sources but not in StringKeys.swift (start-up would not check them): \(found.subtracting(listed).sorted())")
        #expect(listed.subtracting(found).isEmpty, "keys in StringKeys.swift that no source names: \(listed.subtracting(found).sorted())")
        #expect(found.subtracting(table.keys).isEmpty, "keys named in the sources but in no screens/strings*.json: \(found.subtracting(table.keys).sorted())")
    }

    /// A copy of screens/'s strings files in a fresh folder, changed by `edit`, then loaded.
    func loadEdited(_ file: String, _ edit: (inout [String: Any]) -> Void) throws -> Result<Strings, Error> {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("strings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.screens.path) where name.hasPrefix("strings") {
            var data = try Data(contentsOf: Self.screens.appendingPathComponent(name))
            if name == file {
                var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                var strings = try #require(root["strings"] as? [String: Any])
                edit(&strings)
                root["strings"] = strings
                data = try JSONSerialization.data(withJSONObject: root)
            }
            try data.write(to: dir.appendingPathComponent(name))
        }
        return Result { try Strings.load(from: dir) }
    }

    func problem(_ r: Result<Strings, Error>) -> String? {
        if case .failure(let e) = r { return "\(e)" }
        return nil
    }

    @Test func aMissingKeyStopsNamingTheFileAndKey() throws {
        let key = try #require(Strings.keysInCode.first { $0.hasPrefix("cli.") })
        let r = try loadEdited("strings-cli.json") { $0[key] = nil }
        #expect(problem(r) == "screens/strings-cli.json: key '\(key)' is missing (the program uses it)")
    }

    @Test func aMissingLanguageStops() throws {
        let r = try loadEdited("strings.json") { $0["login.user"] = ["zh": "用户名"] }
        #expect(problem(r)?.hasPrefix("screens/strings.json: ") == true)
        let r2 = try loadEdited("strings.json") { $0["login.user"] = ["zh": "用户名", "en": ""] }
        #expect(problem(r2) == "screens/strings.json: key 'login.user' has no English (en)")
    }

    @Test func placeholdersMustMatchAndKeysLiveInTheirAreasFile() throws {
        let r = try loadEdited("strings.json") { $0["login.user"] = ["zh": "用户 {name}", "en": "User {nmae}"] }
        #expect(problem(r)?.contains("key 'login.user': zh fills {name} but en fills {nmae}") == true)
        let r2 = try loadEdited("strings.json") { $0["cli.stray"] = ["zh": "中", "en": "x"] }
        #expect(problem(r2) == "screens/strings.json: key 'cli.stray' belongs in strings-cli.json")
    }

    @Test func fillingIsOnePass() {
        #expect(Strings.fill("{a} and {b} {c}", ["a": "{b}", "b": "2"]) == "{b} and 2 {c}")
    }

    // MARK: - No Chinese in the sources but data

    /// Data, not user-facing text written in code: the demo township's names and the pinyin table.
    static let dataFiles = ["Sources/JiuzhuDemo/", "Sources/JiuzhuModel/PinyinTable.swift"]

    /// Targets still holding Chinese literals, with at most how many lines: a ceiling that may only
    /// go down (issue 20 item 4 moves them to screens/strings*.json area by area; per target, so
    /// moving code between files of a target does not trip it). A target not listed must have none.
    static let pending: [String: Int] = [
        "Sources/JiuzhuApp/": 19,
        "Sources/JiuzhuModel/": 20,
        "Sources/JiuzhuStore/": 38,
        "Sources/TermUI/": 10,
    ]

    /// The code of a line without its trailing // comment.
    static func code(_ line: Substring) -> Substring {
        var inString = false
        var escaped = false
        var prev: Character = " "
        for i in line.indices {
            let c = line[i]
            if escaped { escaped = false; prev = c; continue }
            if c == "\\" && inString { escaped = true; continue }
            if c == "\"" { inString.toggle() }
            if !inString && c == "/" && prev == "/" { return line[..<line.index(before: i)] }
            prev = c
        }
        return line
    }

    static func isChinese(_ s: Unicode.Scalar) -> Bool {
        (0x3000...0x303F).contains(s.value) || (0x4E00...0x9FFF).contains(s.value) || (0xFF00...0xFFEF).contains(s.value)
    }

    /// No text picks its language in code (`zh ? "…" : "…"`, `Text2(zh: "…", en: "…")`): a text in
    /// two languages is a key in screens/strings*.json. Choosing between a data row's own two
    /// labels (`lang == .zh ? zh : en`) is not a literal and stays allowed.
    @Test func noTextChoosesItsLanguageInCode() throws {
        let choice = #/(\bzh|== \.zh) \? *\(?"|Text2\(zh: *"/#
        var found: [String] = []
        for (path, text) in try Self.sources() {
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let t = line.drop { $0 == " " || $0 == "\t" }
                if t.hasPrefix("//") { continue }
                if Self.code(t).contains(choice) { found.append("\(path):\(n + 1)") }
            }
        }
        #expect(found.isEmpty, "texts chosen by language in code (make them keys): \(found)")
    }

    @Test func noChineseLiteralsOutsideDataFiles() throws {
        var counts: [String: Int] = [:]
        var where_: [String: [String]] = [:]
        for (path, text) in try Self.sources() where !Self.dataFiles.contains(where: { path.hasPrefix($0) }) {
            let target = path.split(separator: "/").prefix(2).joined(separator: "/") + "/"
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let t = line.drop { $0 == " " || $0 == "\t" }
                if t.hasPrefix("//") || t.hasPrefix("--") { continue }   // a Swift or an SQL comment
                if Self.code(t).unicodeScalars.contains(where: Self.isChinese) {
                    counts[target, default: 0] += 1
                    where_[target, default: []].append("\(path):\(n + 1)")
                }
            }
        }
        for (target, n) in counts.sorted(by: { $0.key < $1.key }) {
            let allowed = Self.pending[target] ?? 0
            #expect(n <= allowed, "\(target) has \(n) lines with Chinese in code (at most \(allowed)): say it with a key in screens/strings*.json. Lines: \(where_[target, default: []].suffix(20))")
        }
    }
}
