import Foundation

/// Every user-facing text of the program — screens, prints, notices, messages, the command line
/// and the store's errors — in Chinese and English, from `screens/strings.json` and its siblings
/// `screens/strings-AREA.json`, looked up one way: `Strings.text(key, lang, values)` (the screens
/// call it as `env.t(key)`, the command line as `t(key)`, the store and model as `say(key, lang)`).
///
/// A key's first part names its file: `cli.…` lives in `strings-cli.json`, `store.…` in
/// `strings-store.json`, `print.…` in `strings-prints.json`, `model.…` in `strings-model.json`,
/// everything else in `strings.json`. Loading checks every entry has both languages with the
/// same `{name}`s, and that every key the code names (`Strings.keysInCode`, kept equal to the
/// sources by a test) is there; a problem stops the program with `screens/FILE: key …`.
public struct Strings: Sendable {
    public private(set) var table: [String: Text2]

    public init(table: [String: Text2]) { self.table = table }

    public struct LoadError: Error, CustomStringConvertible, Equatable, Sendable {
        public var file: String
        public var problem: String
        public init(file: String, problem: String) { self.file = file; self.problem = problem }
        public var description: String { "screens/\(file): \(problem)" }
    }

    /// The areas with their own file.
    public static let areaFiles: [String: String] = [
        "cli": "strings-cli.json", "store": "strings-store.json", "print": "strings-prints.json", "model": "strings-model.json",
        "disaster": "strings-disaster.json",
        "import": "strings-import.json",
        "county": "strings-county.json",
    ]

    /// The file a key belongs in.
    public static func file(of key: String) -> String {
        let area = key.split(separator: ".", maxSplits: 1).first.map(String.init) ?? key
        return areaFiles[area] ?? "strings.json"
    }

    /// The text of `key` in `lang` with `{name}` filled from `values`. A key that is not there
    /// (impossible once `load` passed, as every key the code names is checked) shows as itself.
    public func text(_ key: String, _ lang: Lang, _ values: [String: String] = [:]) -> String {
        let s = table[key].map { $0(lang) } ?? key
        return values.isEmpty ? s : Self.fill(s, values)
    }

    /// Both languages of `key`.
    public func both(_ key: String, _ values: [String: String] = [:]) -> Text2 {
        Text2(zh: text(key, .zh, values), en: text(key, .en, values))
    }

    public subscript(key: String) -> Text2? { table[key] }

    /// Items joined as a list is written in `lang` (、 or ", ").
    public func list(_ items: [String], _ lang: Lang) -> String { items.joined(separator: text("list.separator", lang)) }

    /// `strings.json` and every `strings-*.json` in `dir`, checked (see the type's comment).
    /// `required` are keys the caller needs beyond `keysInCode`.
    public static func load(from dir: URL, required: [String] = []) throws -> Strings {
        struct File: Decodable { var strings: [String: Text2] }
        let fm = FileManager.default
        let names = ["strings.json"] + ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? [])
            .filter { $0.hasPrefix("strings-") && $0.hasSuffix(".json") }.sorted()
        var table: [String: Text2] = [:]
        var fileOf: [String: String] = [:]
        for name in names {
            guard let data = fm.contents(atPath: dir.appendingPathComponent(name).path) else {
                throw LoadError(file: name, problem: "missing (looked in \(dir.path))")
            }
            let strings: [String: Text2]
            do { strings = try JSONDecoder().decode(File.self, from: data).strings }
            catch { throw LoadError(file: name, problem: "not a strings file ({\"strings\": {KEY: {\"zh\": …, \"en\": …}}}): \(error)") }
            for (key, value) in strings.sorted(by: { $0.key < $1.key }) {
                if let other = fileOf[key] { throw LoadError(file: name, problem: "key '\(key)' is also in \(other)") }
                if file(of: key) != name { throw LoadError(file: name, problem: "key '\(key)' belongs in \(file(of: key))") }
                if value.zh.isEmpty { throw LoadError(file: name, problem: "key '\(key)' has no Chinese (zh)") }
                if value.en.isEmpty { throw LoadError(file: name, problem: "key '\(key)' has no English (en)") }
                // `{x_zh}` is filled only in Chinese, `{x_en}` only in English (a list joined with 、 or ", ").
                let (pz, pe) = (placeholders(value.zh), placeholders(value.en))
                if let wrong = pz.first(where: { $0.hasSuffix("_en") }) ?? pe.first(where: { $0.hasSuffix("_zh") }) {
                    throw LoadError(file: name, problem: "key '\(key)': {\(wrong)} is in the other language's text")
                }
                if pz.filter({ !$0.hasSuffix("_zh") }) != pe.filter({ !$0.hasSuffix("_en") }) {
                    throw LoadError(file: name, problem: "key '\(key)': zh fills {\(pz.sorted().joined(separator: "}, {"))} but en fills {\(pe.sorted().joined(separator: "}, {"))}")
                }
                table[key] = value
                fileOf[key] = name
            }
        }
        for key in keysInCode + required where table[key] == nil {
            throw LoadError(file: file(of: key), problem: "key '\(key)' is missing (the program uses it)")
        }
        return Strings(table: table)
    }

    /// The `{name}`s a text fills.
    static func placeholders(_ s: String) -> Set<String> {
        var out: Set<String> = []
        var rest = s[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let name = rest[rest.index(after: open)..<close]
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), name.first!.isASCII { out.insert(String(name)) }
            rest = rest[rest.index(after: close)...]
        }
        return out
    }

    /// `{name}` in `template` replaced by `values["name"]`, in one pass (a value is never
    /// scanned for further names); an unknown `{name}` stays as written.
    public static func fill(_ template: String, _ values: [String: String]) -> String {
        guard template.utf8.contains(UInt8(ascii: "{")) else { return template }
        var out = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            if let v = values[name] { out += v } else { out += rest[open...close] }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out
    }

    // MARK: - The program's strings

    /// `screens/` of this installation: `$JIUZHU_HOME/screens`, else the nearest `screens/`
    /// holding `strings.json` in the running program's folder or one above it, else `./screens`
    /// (the same search as `ReferenceData.defaultDirectory` makes for `data/`).
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        let fm = FileManager.default
        func screensIn(_ dir: URL) -> URL? {
            let s = dir.appendingPathComponent("screens")
            return fm.fileExists(atPath: s.appendingPathComponent("strings.json").path) ? s : nil
        }
        if let home = environment["JIUZHU_HOME"], !home.isEmpty, let d = screensIn(URL(fileURLWithPath: home)) { return d }
        let exe = Bundle.main.executableURL
            ?? CommandLine.arguments.first.map { URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: fm.currentDirectoryPath)) }
        if let exe {
            var dir = exe.standardizedFileURL.resolvingSymlinksInPath().deletingLastPathComponent()
            while true {
                if let d = screensIn(dir) { return d }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path || dir.path == "/" { break }
                dir = parent
            }
        }
        return screensIn(URL(fileURLWithPath: fm.currentDirectoryPath))
    }

    /// This installation's strings, loaded and checked once. The command line and the app check
    /// `loaded` before anything else and stop with its error; a library caller that skipped the
    /// check sees keys in place of texts rather than a crash.
    public static let loaded: Result<Strings, LoadError> = {
        guard let dir = defaultDirectory() else {
            return .failure(LoadError(file: "strings.json", problem: "cannot find the screens/ folder (run from the project folder, or set JIUZHU_HOME to the folder holding screens/ and data/)"))
        }
        do { return .success(try load(from: dir)) }
        catch let e as LoadError { return .failure(e) }
        catch { return .failure(LoadError(file: "strings.json", problem: "\(error)")) }
    }()

    public static var shared: Strings { (try? loaded.get()) ?? Strings(table: [:]) }
}

/// The text of `key` in `lang` from this installation's strings (see `Strings`).
public func say(_ key: String, _ lang: Lang, _ values: [String: String] = [:]) -> String {
    Strings.shared.text(key, lang, values)
}

/// Both languages of `key` from this installation's strings.
public func sayBoth(_ key: String, _ values: [String: String] = [:]) -> Text2 {
    Strings.shared.both(key, values)
}

/// Both languages of `key` as a pair, for a value said later in either.
public func pair(_ key: String, _ values: [String: String] = [:]) -> (zh: String, en: String) {
    let b = Strings.shared.both(key, values)
    return (b.zh, b.en)
}
