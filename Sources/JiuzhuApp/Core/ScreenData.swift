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
    case pick, addItem, deleteItem, moveItemUp, moveItemDown, submit, print, newItem
    case approve, reject, sendBack, objection, urgentPay, terminate, withdraw, filterVillage, filterProgramme
    case closeBatch, objectionResult, dueWork, campaigns, complaints, recordCheck
    case resetPassword, toggleUser, backup, settings, rosters, auditLog, standardRaise
    /// The household card's F7: record a change to the household (issue 21).
    case householdChange
    /// The case view's survey keys (issue 21 item 4): correct the survey as a new version, and
    /// read every version.
    case correctSurvey, surveyVersions
    /// The case view's `e`: extend the whole flow's limit to its special-case length, with the
    /// reason (issue 22 item 5).
    case extendLimit
    /// A county file's screens (issue 25 item 4): filter by township (cycles), and the review
    /// queue's county steps only (县级审批 from every township).
    case filterTownship, countySteps
    /// The household list's F9: bring an office's ledger in (issue 23).
    case importLedger
    /// A screen's binding to `none` unbinds a generic key there.
    case unbound = "none"
}

/// A section of `keymap.json`: a screen's name there (each module declares its own,
/// `static let id: ScreenID = "audit"`), or one of the sections several screens share.
public struct ScreenID: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }

    /// A message box over any screen.
    public static let message: ScreenID = "message"
    /// A dialog (a reason, a question) over a screen.
    public static let caseAction: ScreenID = "caseAction"

    /// Every section the keymap may name: each screen's, the sections its modes read, and the
    /// shared ones above.
    public static var all: [ScreenID] {
        [message, caseAction] + Screen.modules.flatMap { [$0.id] + $0.otherSections }
    }

    /// The section of this name, or nil when no screen declares it.
    public static func known(_ name: String) -> ScreenID? { all.first { $0.rawValue == name } }
}

public struct KeyBinding: Codable, Equatable, Sendable {
    public var key: String
    public var command: Command
    public var zh: String
    public var en: String
    public var hidden: Bool?
    /// Short label for the bottom key bar; bindings without one are only in the help screen.
    public var bar: Text2?
    /// How the key bar writes the key, when not as the key itself ("↑↓" for Up and Down).
    public var barKey: String?
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
    /// Taken by every screen (tig's generic keymap), unless the screen binds the key itself.
    public var generic: [KeyBinding]
    public var global: [KeyBinding]
    public var screens: [String: [KeyBinding]]

    /// The command `key` means on `screen`: the screen's own binding first (`none`: no command),
    /// then the generic one, then the global one.
    public func command(for key: KeyEvent, on screen: ScreenID) -> Command? {
        let name = key.keymapName
        if let b = screens[screen.rawValue]?.first(where: { $0.key == name }) { return b.command == .unbound ? nil : b.command }
        if let b = generic.first(where: { $0.key == name }) { return b.command }
        return global.first(where: { $0.key == name })?.command
    }

    /// A screen's bindings as it takes them, for its help screen and key bar: the generic ones
    /// it does not bind, then its own. An own binding of a generic key to the same command, not
    /// hidden and without a bar label, keeps the generic bar label (it only rewords the help);
    /// a binding to `none` is left out.
    public func bindings(for screen: ScreenID) -> [KeyBinding] {
        let own = screens[screen.rawValue] ?? []
        var merged = generic.filter { g in !own.contains { $0.key == g.key } }
        for var b in own where b.command != .unbound {
            if b.bar == nil, b.hidden != true, let g = generic.first(where: { $0.key == b.key && $0.command == b.command }) {
                b.bar = g.bar; b.barKey = g.barKey
            }
            merged.append(b)
        }
        return merged
    }

    /// What is wrong with the file, or nil: a key bound twice in one section, a generic key
    /// unbound or also global, an unknown screen.
    func problem() -> String? {
        func twice(_ list: [KeyBinding], _ section: String) -> String? {
            var seen = Set<String>()
            for b in list where !seen.insert(b.key).inserted { return "key '\(b.key)' is bound twice in '\(section)'" }
            return nil
        }
        if let p = twice(generic, "generic") ?? twice(global, "global") { return p }
        if let b = generic.first(where: { $0.command == .unbound }) { return "generic key '\(b.key)' is bound to 'none'" }
        if let b = generic.first(where: { g in global.contains { $0.key == g.key } }) { return "key '\(b.key)' is both generic and global" }
        for (name, list) in screens.sorted(by: { $0.key < $1.key }) {
            if ScreenID.known(name) == nil {
                return "unknown screen '\(name)' (known: \(ScreenID.all.map(\.rawValue).joined(separator: ", ")))"
            }
            if let p = twice(list, name) { return p }
            if let b = list.first(where: { b in b.command == .unbound && !generic.contains { $0.key == b.key } }) {
                return "'\(name)' binds '\(b.key)' to 'none', but it is not a generic key"
            }
        }
        return nil
    }
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
    /// Forms by id, from `screens/form_*.json`.
    public var forms: [String: FormSpec] = [:]
    /// The spot-check visit form (`spotcheck.json`).
    public var spotCheckForm: [ProgrammeCatalog.Input] = []
    struct SpotCheckFile: Decodable { var fields: [ProgrammeCatalog.Input] }

    public struct LoadError: Error, CustomStringConvertible, Equatable {
        public var file: String
        public var problem: String
        /// The line of the file the problem is on, when it is known.
        public var line: Int? = nil
        public var description: String { "screens/\(file)\(line.map { " line \($0)" } ?? ""): \(problem)" }

        /// From `JSONLocation.describe`'s " line 12: …" (or ": …").
        static func decoding(_ e: DecodingError, file: String, data: Data) -> LoadError {
            let d = JSONLocation.describe(e, in: data)
            let scanner = Scanner(string: d)
            var line: Int?
            if scanner.scanString("line") != nil, let n = scanner.scanInt() { line = n }
            let rest = String(d[d.index(d.startIndex, offsetBy: scanner.currentIndex.utf16Offset(in: d))...])
            let problem = rest.hasPrefix(":") ? String(rest.dropFirst()).trimmingCharacters(in: .whitespaces) : rest
            return LoadError(file: file, problem: problem, line: line)
        }
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
        // The questions before an irreversible action (issue 18).
        "review.finding", "review.findingHint", "review.withdrawReason", "review.withdrawHint", "review.askReject",
        "review.askTerminate", "review.askWithdraw", "publicity.askPost", "publicity.askRemove", "system.askDisable",
    ] + ScreenID.all.map { "screen.\($0.rawValue)" }

    static let knownColumns: Set<String> = ["head", "id", "village", "members", "programmes"]

    /// Every screen file, checked; an error names the file and, where it can be found, the line
    /// of the value it is about.
    public static func load(from dir: URL) throws -> ScreenData {
        do { return try loadChecked(from: dir) }
        catch var e as LoadError where e.line == nil {
            if let word = JSONLocation.quoted(e.problem),
               let data = FileManager.default.contents(atPath: dir.appendingPathComponent(e.file).path) {
                e.line = JSONLocation.line(of: word, in: data)
            }
            throw e
        }
    }

    static func loadChecked(from dir: URL) throws -> ScreenData {
        func decode<T: Decodable>(_ file: String, _ type: T.Type) throws -> T {
            let url = dir.appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw LoadError(file: file, problem: "missing (looked in \(dir.path))")
            }
            do { return try JSONDecoder().decode(T.self, from: data) }
            catch let e as DecodingError { throw LoadError.decoding(e, file: file, data: data) }
        }
        struct MenuFile: Decodable { var items: [MenuItemSpec] }
        struct ColumnsFile: Decodable { var columns: [ColumnSpec] }

        let keymap = try decode("keymap.json", Keymap.self)
        if let problem = keymap.problem() { throw LoadError(file: "keymap.json", problem: problem) }
        let menu = try decode("menu.json", MenuFile.self).items
        for item in menu {
            for r in item.roles where Role(rawValue: r) == nil {
                throw LoadError(file: "menu.json", problem: "item '\(item.id)' names unknown role '\(r)'")
            }
            if let s = item.screen, ScreenID.known(s) == nil {
                throw LoadError(file: "menu.json", problem: "item '\(item.id)' names unknown screen '\(s)'")
            }
        }
        let columns = try decode("households.json", ColumnsFile.self).columns
        for c in columns {
            if !knownColumns.contains(c.id) { throw LoadError(file: "households.json", problem: "unknown column '\(c.id)'") }
            if let s = c.sort, HouseholdQuery.Sort(rawValue: s) == nil { throw LoadError(file: "households.json", problem: "column '\(c.id)' has unknown sort '\(s)'") }
            if c.width < 1 { throw LoadError(file: "households.json", problem: "column '\(c.id)' has width \(c.width)") }
        }
        // strings.json and its siblings, every key the code names checked (see `Strings`).
        let strings: [String: Text2]
        do { strings = try Strings.load(from: dir, required: requiredStrings).table }
        catch let e as Strings.LoadError { throw LoadError(file: e.file, problem: e.problem) }
        var data = ScreenData(keymap: keymap, menu: menu, householdColumns: columns, strings: strings)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        for file in files.sorted() where file.hasPrefix("form_") && file.hasSuffix(".json") {
            let form = try decode(file, FormSpec.self)
            if let data = FileManager.default.contents(atPath: dir.appendingPathComponent(file).path),
               let problem = unknownKeys(data) { throw LoadError(file: file, problem: problem) }
            if let problem = validate(form) { throw LoadError(file: file, problem: problem) }
            data.forms[form.id] = form
        }
        if FileManager.default.fileExists(atPath: dir.appendingPathComponent("spotcheck.json").path) {
            let fields = try decode("spotcheck.json", SpotCheckFile.self).fields
            for f in fields where f.kind == .choice && (f.choices ?? []).isEmpty {
                throw LoadError(file: "spotcheck.json", problem: "field '\(f.id)' has no choices")
            }
            guard let action = fields.first(where: { $0.id == "action" }),
                  (action.choices ?? []).allSatisfy({ SpotCheckAction(rawValue: $0.code) != nil }) else {
                throw LoadError(file: "spotcheck.json", problem: "field 'action' with the codes none, adjust, suspend, cancel is needed")
            }
            data.spotCheckForm = fields
        }
        if data.forms[ApplicationForm.formId] == nil {
            throw LoadError(file: "form_application.json", problem: "missing: the application form '\(ApplicationForm.formId)' is needed")
        }
        return data
    }

    /// Code lists a form may name: those in `data/` and those the program makes.
    public static let dataCodeLists: Set<String> = ["relationship", "ethnicity", "health", "disability_type", "disability_level",
                                                    "work_ability", "poverty_cause", "income_kind", "institution"]

    /// A misspelt key is silently ignored by a decoder; here it is an error naming where it is.
    static func unknownKeys(_ data: Data) -> String? {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        let formKeys: Set<String> = ["comment", "id", "zh", "en", "sections"]
        let sectionKeys: Set<String> = ["id", "zh", "en", "repeat", "fields", "comment", "when"]
        let repeatKeys: Set<String> = ["min", "max", "itemZh", "itemEn", "titleField", "layout"]
        let fieldKeys: Set<String> = ["id", "zh", "en", "kind", "codes", "required", "when", "checks", "compute", "default",
                                      "maxLength", "width", "hintZh", "hintEn", "comment"]
        let whenKeys: Set<String> = ["field", "in"]
        func extra(_ o: [String: Any], _ allowed: Set<String>, _ at: String) -> String? {
            let bad = Set(o.keys).subtracting(allowed)
            return bad.isEmpty ? nil : "unknown key '\(bad.sorted().joined(separator: "', '"))' at \(at)"
        }
        if let e = extra(root, formKeys, "the top") { return e }
        for s in root["sections"] as? [[String: Any]] ?? [] {
            let sid = s["id"] as? String ?? "?"
            if let e = extra(s, sectionKeys, "section '\(sid)'") { return e }
            if let r = s["repeat"] as? [String: Any], let e = extra(r, repeatKeys, "section '\(sid)'.repeat") { return e }
            if let w = s["when"] as? [String: Any], let e = extra(w, whenKeys, "section '\(sid)'.when") { return e }
            for f in s["fields"] as? [[String: Any]] ?? [] {
                let at = "field '\(sid).\(f["id"] as? String ?? "?")'"
                if let e = extra(f, fieldKeys, at) { return e }
                if let w = f["when"] as? [String: Any], let e = extra(w, whenKeys, at + ".when") { return e }
            }
        }
        return nil
    }

    /// What is wrong with a form, or nil: an unknown field, rule, computation or code list.
    public static func validate(_ form: FormSpec) -> String? {
        var seen = Set<String>()
        let allIds = Set(form.sections.flatMap { $0.fields.map(\.id) })
        for s in form.sections {
            if s.fields.isEmpty { return "section '\(s.id)' has no fields" }
            if let w = s.when, !allIds.contains(w.field) { return "section '\(s.id)': 'when' names unknown field '\(w.field)'" }
            if let r = s.repeat {
                if r.min < 0 || r.max < max(1, r.min) { return "section '\(s.id)': repeat min \(r.min) max \(r.max) make no sense" }
                if let l = r.layout, l != "pages" && l != "table" { return "section '\(s.id)': unknown layout '\(l)' (pages or table)" }
                if let t = r.titleField, !s.fields.contains(where: { $0.id == t }) { return "section '\(s.id)': unknown titleField '\(t)'" }
            }
            for f in s.fields {
                if !seen.insert(f.id).inserted { return "field '\(f.id)' appears twice" }
                let at = "field '\(s.id).\(f.id)'"
                if f.kind == .code || f.kind == .multi {
                    guard let list = f.codes else { return "\(at) is a code list field without 'codes'" }
                    if !dataCodeLists.contains(list) && !SurveyRules.builtInCodeLists.contains(list) {
                        return "\(at) names unknown code list '\(list)' (known: \((dataCodeLists.union(SurveyRules.builtInCodeLists)).sorted().joined(separator: ", ")))"
                    }
                } else if let list = f.codes {
                    return "\(at) has codes '\(list)' but is not a code or multi field"
                }
                if f.kind == .computed {
                    guard let c = f.compute else { return "\(at) is computed without 'compute'" }
                    if !SurveyRules.knownComputations.contains(c) { return "\(at) names unknown computation '\(c)' (known: \(SurveyRules.knownComputations.sorted().joined(separator: ", ")))" }
                } else if let c = f.compute {
                    return "\(at) has compute '\(c)' but is not computed"
                }
                for c in f.checks ?? [] {
                    let parts = c.split(separator: ":", maxSplits: 1).map(String.init)
                    if !SurveyRules.knownChecks.contains(parts[0]) { return "\(at) names unknown rule '\(c)' (known: \(SurveyRules.knownChecks.sorted().joined(separator: ", ")))" }
                    if parts[0] == "differsFrom" && (parts.count < 2 || !allIds.contains(parts[1])) { return "\(at): rule '\(c)' names an unknown field" }
                }
                if let w = f.when, !allIds.contains(w.field) { return "\(at): 'when' names unknown field '\(w.field)'" }
            }
        }
        return nil
    }

    static func path(_ p: [CodingKey]) -> String { p.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") }

    /// A UI string with its `{placeholders}` filled in.
    public func text(_ key: String, _ lang: Lang, _ values: [String: String] = [:]) -> String {
        let s = strings[key].map { $0(lang) } ?? key
        return values.isEmpty ? s : Strings.fill(s, values)
    }

    static func fill(_ template: String, _ values: [String: String]) -> String { Strings.fill(template, values) }
}

