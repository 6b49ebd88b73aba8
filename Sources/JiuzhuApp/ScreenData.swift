import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// Commands a key can be bound to in `screens/keymap.json` (tig's idea: requests as an enum,
/// bound by a keymap file, help generated from it).
public enum Command: String, Codable, CaseIterable, Sendable {
    case help, mainMenu, quit, logout, back, confirm
    case nextField, prevField
    case up, down, pageUp, pageDown, first, last
    case find, sortNext, sortReverse, clearFilter
}

/// The screens the keymap knows.
public enum ScreenID: String, CaseIterable, Sendable {
    case login, menu, households, householdCard, help, message
}

public struct KeyBinding: Codable, Equatable, Sendable {
    public var key: String
    public var command: Command
    public var zh: String
    public var en: String
    public var hidden: Bool?
    /// Short label for the bottom key bar; bindings without one are only in the help screen.
    public var bar: Text2?
    public func text(_ lang: Lang) -> String { lang == .zh ? zh : en }

    /// How the key is written for people: arrows as arrows, Ctrl-U rather than C-u.
    public var displayKey: String {
        switch key {
        case "Up": return "↑"
        case "Down": return "↓"
        case "Left": return "←"
        case "Right": return "→"
        case "S-Tab": return "Shift-Tab"
        default:
            if key.hasPrefix("C-") { return "Ctrl-" + key.dropFirst(2).uppercased() }
            return key
        }
    }
}

public struct Keymap: Codable, Sendable {
    public var global: [KeyBinding]
    public var screens: [String: [KeyBinding]]

    /// The command `key` means on `screen`: the screen's own binding first, then the global one.
    public func command(for key: KeyEvent, on screen: ScreenID) -> Command? {
        let name = key.keymapName
        if let b = screens[screen.rawValue]?.first(where: { $0.key == name }) { return b.command }
        return global.first(where: { $0.key == name })?.command
    }

    /// What the help screen and key bar show for a screen.
    public func bindings(for screen: ScreenID) -> [KeyBinding] { screens[screen.rawValue] ?? [] }
}

public struct MenuItemSpec: Codable, Equatable, Sendable {
    public var key: String
    public var id: String
    public var zh: String
    public var en: String
    public var roles: [String]
    public var screen: String?
    public func label(_ lang: Lang) -> String { lang == .zh ? zh : en }
}

public struct ColumnSpec: Codable, Equatable, Sendable {
    public var id: String
    public var zh: String
    public var en: String
    public var width: Int
    public var priority: Int
    public var sort: String?
    public var align: String?
    public var flex: Bool?
    public func title(_ lang: Lang) -> String { lang == .zh ? zh : en }
}

/// Everything in `screens/`: loaded and checked at start-up, so a county can relabel a field
/// or reorder columns without a rebuild, and a mistake is reported naming the file.
public struct ScreenData: Sendable {
    public var keymap: Keymap
    public var menu: [MenuItemSpec]
    public var householdColumns: [ColumnSpec]
    public var strings: [String: Text2]

    public struct LoadError: Error, CustomStringConvertible, Equatable {
        public var file: String
        public var problem: String
        public var description: String { "screens/\(file): \(problem)" }
    }

    /// Strings the app uses; each must exist in strings.json.
    static let requiredStrings: [String] = [
        "app.tooSmall", "title.line", "login.title", "login.user", "login.password", "login.checking", "login.demoHint",
        "login.empty", "login.database", "menu.title", "menu.hint", "menu.notAvailable", "menu.denied", "households.title",
        "households.search", "households.searchHint", "households.count", "households.counting", "households.empty",
        "households.loading", "households.sort", "sort.asc", "sort.desc", "card.title", "card.address", "card.village",
        "card.hukou", "card.housing", "card.causes", "card.phone", "card.members", "card.cases", "card.noCases",
        "card.col.name", "card.col.relation", "card.col.sex", "card.col.age", "card.col.ethnicity", "card.col.health",
        "card.col.work", "card.col.id", "card.col.programme", "card.col.step", "card.col.status", "card.col.since",
        "card.col.amount", "card.cadre", "card.dilapidated", "hukou.agricultural", "hukou.nonAgricultural",
        "housing.own", "housing.rent", "housing.none", "help.title", "help.global", "message.ok", "error.title",
    ] + ScreenID.allCases.map { "screen.\($0.rawValue)" }

    static let knownColumns: Set<String> = ["head", "id", "village", "members", "programmes"]

    public static func load(from dir: URL) throws -> ScreenData {
        func decode<T: Decodable>(_ file: String, _ type: T.Type) throws -> T {
            let url = dir.appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw LoadError(file: file, problem: "missing (looked in \(dir.path))")
            }
            do { return try JSONDecoder().decode(T.self, from: data) }
            catch let DecodingError.dataCorrupted(c) { throw LoadError(file: file, problem: "not valid JSON: \(c.debugDescription) \(c.underlyingError.map { "\($0)" } ?? "")") }
            catch let DecodingError.keyNotFound(k, c) { throw LoadError(file: file, problem: "missing '\(k.stringValue)' at \(path(c.codingPath))") }
            catch let DecodingError.typeMismatch(_, c) { throw LoadError(file: file, problem: "wrong type at \(path(c.codingPath)): \(c.debugDescription)") }
            catch let DecodingError.valueNotFound(_, c) { throw LoadError(file: file, problem: "missing value at \(path(c.codingPath))") }
        }
        struct MenuFile: Decodable { var items: [MenuItemSpec] }
        struct ColumnsFile: Decodable { var columns: [ColumnSpec] }
        struct StringsFile: Decodable { var strings: [String: Text2] }

        let keymap = try decode("keymap.json", Keymap.self)
        for name in keymap.screens.keys where ScreenID(rawValue: name) == nil {
            throw LoadError(file: "keymap.json", problem: "unknown screen '\(name)' (known: \(ScreenID.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let menu = try decode("menu.json", MenuFile.self).items
        for item in menu {
            for r in item.roles where Role(rawValue: r) == nil {
                throw LoadError(file: "menu.json", problem: "item '\(item.id)' names unknown role '\(r)'")
            }
            if let s = item.screen, ScreenID(rawValue: s) == nil {
                throw LoadError(file: "menu.json", problem: "item '\(item.id)' names unknown screen '\(s)'")
            }
        }
        let columns = try decode("households.json", ColumnsFile.self).columns
        for c in columns {
            if !knownColumns.contains(c.id) { throw LoadError(file: "households.json", problem: "unknown column '\(c.id)'") }
            if let s = c.sort, HouseholdQuery.Sort(rawValue: s) == nil { throw LoadError(file: "households.json", problem: "column '\(c.id)' has unknown sort '\(s)'") }
            if c.width < 1 { throw LoadError(file: "households.json", problem: "column '\(c.id)' has width \(c.width)") }
        }
        let strings = try decode("strings.json", StringsFile.self).strings
        for k in requiredStrings where strings[k] == nil {
            throw LoadError(file: "strings.json", problem: "missing string '\(k)'")
        }
        return ScreenData(keymap: keymap, menu: menu, householdColumns: columns, strings: strings)
    }

    static func path(_ p: [CodingKey]) -> String { p.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") }

    /// A UI string with its `{placeholders}` filled in.
    public func text(_ key: String, _ lang: Lang, _ values: [String: String] = [:]) -> String {
        var s = strings[key].map { $0(lang) } ?? key
        for (k, v) in values { s = s.replacingOccurrences(of: "{\(k)}", with: v) }
        return s
    }
}

