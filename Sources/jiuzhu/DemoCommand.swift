import ArgumentParser
import Foundation
import JiuzhuDemo
import JiuzhuModel
import JiuzhuStore

struct DemoCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "demo",
            abstract: t("cli.demo.generateADemoTownship"),
            discussion: t("cli.demo.demoAccountsJingbanClerk"))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .long, help: ArgumentHelp(t("cli.demo.numberOfHouseholdsTo")))
    var households: Int = 600
    @Option(name: .long, help: ArgumentHelp(t("cli.demo.randomSeed")))
    var seed: UInt64 = 1
    @Flag(name: .long, help: ArgumentHelp(t("cli.demo.countyHelp")))
    var county = false
    @Option(name: .long, help: ArgumentHelp(t("cli.demo.townshipsHelp")))
    var townships: Int?

    func validate() throws {
        if let n = townships, !county || !(3...23).contains(n) { throw ValidationError(t("cli.demo.townshipsRange")) }
        guard (1...1_000_000).contains(households) else {
            throw ValidationError(t("cli.demo.householdsMustBeTo"))
        }
    }

    mutating func run() throws {
        let lang = common.language
        let path = common.databasePath()
        let t0 = Date()
        if county {
            let lines = try DemoCounty.create(path: path, households: households, townships: townships ?? 3, seed: seed, lang: lang)
            print(lines.joined(separator: "\n"))
            print(t("cli.demo.wroteInS", ["path": "\(path)", "v2": "\(String(format: "%.1f", Date().timeIntervalSince(t0)))"]))
            return
        }
        let (store, summary) = try DemoSetup.create(path: path, households: households, seed: seed, lang: lang)
        let causes = (try? ReferenceData.load(from: try dataDirectory()))?.codes[RefCodeKind.povertyCause.rawValue] ?? []
        let labels = Dictionary(causes.map { ($0.code, Text2(zh: $0.zh, en: $0.en)) }, uniquingKeysWith: { a, _ in a })
        print(summary.lines(lang, causeLabels: labels).joined(separator: "\n"))
        print(t("cli.demo.wroteInS", ["path": "\(path)", "v2": "\(String(format: "%.1f", Date().timeIntervalSince(t0)))"]))
        _ = store
    }
}

enum DemoSetup {
    /// The fixed "today" of demo townships, so the same seed gives the same file on any day
    /// (`JIUZHU_TODAY` overrides it).
    static var demoToday: CivilDate {
        if let s = ProcessInfo.processInfo.environment["JIUZHU_TODAY"], let d = CivilDate(iso: s) { return d }
        return CivilDate(year: 2026, month: 11, day: 23)!
    }

    /// Generate a township into a new file; refuses to overwrite one. Returns the store and
    /// the township's summary.
    static func create(path: String, households: Int, seed: UInt64, lang: Lang,
                       township: ((inout DemoInputs) -> Void)? = nil) throws -> (Store, DemoSummary) {
        if FileManager.default.fileExists(atPath: path) { throw fail(existingFile(path).message(lang)) }
        let dir = try dataDirectory()
        var files: [String: String] = [:]
        for name in DemoInputs.fileNames {
            let p = dir.appendingPathComponent("demo").appendingPathComponent(name).path
            guard let text = try? String(contentsOfFile: p, encoding: .utf8) else {
                throw fail(t("cli.demo.theDemoInputIs", ["p": "\(p)"]))
            }
            files[name] = text
        }
        files["standards.csv"] = try? String(contentsOfFile: dir.appendingPathComponent("standards.csv").path, encoding: .utf8)
        files["settings.csv"] = try? String(contentsOfFile: dir.appendingPathComponent("settings.csv").path, encoding: .utf8)
        files["medical_assistance.csv"] = try? String(contentsOfFile: dir.appendingPathComponent("medical_assistance.csv").path, encoding: .utf8)
        var inputs: DemoInputs
        do { inputs = try DemoInputs.parse(files: files) }
        catch let e as DemoInputError { throw fail(t("cli.demo.aDemoInputIs") + e.description) }
        township?(&inputs)
        let reference = try guarded(lang) { try ReferenceData.load(from: dir) }
        guard let catalogData = FileManager.default.contents(atPath: dir.appendingPathComponent("programmes.json").path) else {
            throw fail(t("cli.demo.dataProgrammesJsonIs"))
        }
        let catalog = try guarded(lang) { try ProgrammeCatalog.decode(catalogData) }
        let township = DemoTownship.generate(households: households, seed: seed, inputs: inputs, catalog: catalog, today: demoToday)
        // Built as NAME.part and named at the end: a kill or Ctrl-C half-way leaves no file
        // that looks like a database (the next run removes the .part).
        do {
            let store = try Store.build(at: path) { store in
                try store.loadDemo(township, reference: reference, password: "demo")
                try store.loadDemoPublicity(catalog: catalog, today: demoToday)
                try store.loadDemoSupervision(catalog: catalog, today: demoToday)
                try store.loadDemoHouseholdChanges(catalog: catalog, today: demoToday)
                try store.loadDemoDisaster(catalog: catalog, today: demoToday)
            }
            return (store, township.summary)
        } catch {
            if let e = error as? StoreError { throw fail(e.message(lang)) }
            throw fail(String(describing: error))
        }
    }

    /// `jiuzhu --demo`: open the demo file, making it (600 households) on first use.
    static func openOrCreate(path: String, lang: Lang) throws -> Store {
        if FileManager.default.fileExists(atPath: path) { return try Store(path: path, mode: .mustExist) }
        try? FileHandle.standardError.write(contentsOf: Data(t("cli.demo.firstUseGeneratingThe", ["path": "\(path)"]).utf8))
        return try create(path: path, households: 600, seed: 1, lang: lang).0
    }
}
