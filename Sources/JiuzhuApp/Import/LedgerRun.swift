import Foundation
import JiuzhuImport
import JiuzhuModel
import JiuzhuStore

/// One import of an office's spreadsheet, as the command line and the screen both do it: read
/// the file, find each sheet's header, check every row against the file itself and the
/// database, write the report beside the source; then, when asked, bring in the good
/// households in one transaction.
public struct LedgerRun: Sendable {
    public var path: String
    public var sha256: String
    public var kind: SheetFile.Kind
    public var encoding: String?
    public var plan: LedgerPlan
    /// The same bytes imported before (refused unless asked again).
    public var importedBefore: LedgerImportedBefore?
    public var profile: LedgerProfile?

    /// A file that could not be read at all, in words.
    public struct Unreadable: Error, Sendable { public var text: Text2 }

    /// Read and check `path`. Nothing is written (the report is `writeReport`).
    public static func check(path: String, store: Store, profile: LedgerProfile?, vocabulary: LedgerVocabulary,
                             today: CivilDate) throws -> LedgerRun {
        let file: SheetFile
        do { file = try SheetReader.read(path) } catch let e as SheetReadError { throw Unreadable(text: words(e)) }
        let context = try store.ledgerContext(today: today)
        var plan = LedgerReader.plan(sheets: file.sheets.map { ($0.name, $0.rows) }, vocabulary: vocabulary, profile: profile, context: context)
        let ids = plan.households.flatMap { $0.members.map(\.idNumber) }
        plan.markHeld(try store.idHolders(ids))
        let sha = try Store.fileSHA256(path)
        return LedgerRun(path: path, sha256: sha, kind: file.kind, encoding: file.encoding, plan: plan,
                         importedBefore: try store.ledgerImported(sha256: sha), profile: profile)
    }

    static func words(_ e: SheetReadError) -> Text2 {
        switch e {
        case .missing(let p): return sayBoth("import.read.missing", ["path": p])
        case .empty(let p): return sayBoth("import.read.empty", ["path": p])
        case .notText(let p): return sayBoth("import.read.notText", ["path": p])
        case .badQuotes(let p, let line): return sayBoth("import.read.badQuotes", ["path": p, "line": line.map(String.init) ?? "?"])
        case .unreadable(let p, let kind, let detail): return sayBoth("import.read.unreadable", ["path": p, "kind": kind.rawValue, "detail": detail])
        }
    }

    /// The kind of file in words ("Excel 工作簿 (.xlsx)", "CSV, GB18030").
    public func kindText(_ lang: Lang) -> String {
        switch kind {
        case .xlsx: return say("import.kind.xlsx", lang)
        case .xls: return say("import.kind.xls", lang)
        case .csv: return say("import.kind.csv", lang, ["encoding": encoding ?? "?"])
        }
    }

    /// The report's two files beside the source: `NAME-导入检查.csv` and `.xlsx`.
    public func reportPaths(_ lang: Lang) -> (csv: String, xlsx: String) {
        let url = URL(fileURLWithPath: path)
        let stem = url.deletingPathExtension().lastPathComponent + say("import.report.suffix", lang)
        let dir = url.deletingLastPathComponent()
        return (dir.appendingPathComponent(stem + ".csv").path, dir.appendingPathComponent(stem + ".xlsx").path)
    }

    /// The report's rows: sheet, row, column, problem, value (ID numbers masked), kind.
    public func reportRows(_ lang: Lang) -> [[String]] {
        plan.problems.map { p in
            [p.sheet, p.row > 0 ? String(p.row) : "", p.column, p.text(lang), p.value,
             say(p.severity == .error ? "import.report.error" : "import.report.notice", lang)]
        }
    }

    public func reportHeader(_ lang: Lang) -> [String] {
        ["import.report.col.sheet", "import.report.col.row", "import.report.col.column", "import.report.col.problem",
         "import.report.col.value", "import.report.col.kind"].map { say($0, lang) }
    }

    /// One line of counts for the report's title and the screen.
    public func summary(_ lang: Lang) -> String {
        let good = plan.good
        return say("import.summary", lang, [
            "households": String(good.count), "persons": String(good.reduce(0) { $0 + $1.members.count }),
            "cases": String(good.reduce(0) { $0 + $1.cases.count }), "badRows": String(plan.badRows),
            "badHouseholds": String(plan.households.count - good.count)])
    }

    /// Write the report (CSV with BOM for Excel, and a workbook) beside the source, replacing
    /// the previous report of the same file; 0600.
    @discardableResult
    public func writeReport(_ lang: Lang) throws -> (csv: String, xlsx: String) {
        let paths = reportPaths(lang)
        let rows = reportRows(lang)
        try SafeFile.stream(to: paths.csv, force: true) { w in
            try w.write(CSVWriter.bom)
            try w.write(CSVWriter.line(reportHeader(lang)))
            for r in rows { try w.write(CSVWriter.line(r)) }
        }
        let title = (URL(fileURLWithPath: path).lastPathComponent) + " · " + summary(lang)
        try TableXLSX.write(title: title, sheet: say("import.report.sheet", lang), header: reportHeader(lang), numeric: [1], lang: lang,
                            to: paths.xlsx, force: true) { sink in
            for r in rows { try sink(r) }
        }
        return paths
    }

    /// Bring the good households in (all of them, or with `skipBadRows` those without a
    /// problem), as `user`. Refused while any row has a problem unless `skipBadRows`.
    public func importNow(store: Store, user: String, again: Bool, skipBadRows: Bool, catalog: ProgrammeCatalog) throws -> LedgerImportResult {
        if plan.errorCount > 0 && !skipBadRows {
            throw StoreError.said("store.import.problemsLeft", ["rows": String(plan.badRows), "good": String(plan.good.count)])
        }
        let left = plan.households.count - plan.good.count
        return try store.importLedger(plan.good, file: path, sha256: sha256, again: again,
                                      skipped: (rows: plan.badRows, households: left), by: user, catalog: catalog)
    }
}

/// Saved mappings, one JSON file each in `import-profiles/` beside the database (0600).
public enum LedgerProfiles {
    public static func folder(database: String) -> String {
        ((database as NSString).deletingLastPathComponent as NSString).appendingPathComponent("import-profiles")
    }

    static func file(_ name: String, database: String) -> String {
        let safe = name.filter { !"/\\:".contains($0) && !$0.isNewline }
        return (folder(database: database) as NSString).appendingPathComponent(safe + ".json")
    }

    public static func load(_ name: String, database: String) throws -> LedgerProfile? {
        guard let data = FileManager.default.contents(atPath: file(name, database: database)) else { return nil }
        return try JSONDecoder().decode(LedgerProfile.self, from: data)
    }

    public static func list(database: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder(database: database))) ?? [])
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// The mapping a run used, as a profile named `name` (the headers as written → fields).
    public static func from(_ plan: LedgerPlan, name: String, base: LedgerProfile?) -> LedgerProfile {
        var headers = base?.headers ?? [:]
        for s in plan.sheets {
            for (c, f) in s.mapping.fields { if let h = s.mapping.headers[c], let last = h.split(separator: "/").last { headers[LedgerVocabulary.normal(String(last))] = f } }
        }
        return LedgerProfile(name: name, headers: headers)
    }

    public static func save(_ p: LedgerProfile, database: String) throws {
        let dir = folder(database: database)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        try SafeFile.write(try enc.encode(p), to: file(p.name, database: database), force: true)
    }
}
