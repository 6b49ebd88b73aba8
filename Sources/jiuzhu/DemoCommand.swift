import ArgumentParser
import Foundation
import JiuzhuModel
import JiuzhuStore

struct DemoCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "demo",
            abstract: L("生成演示乡镇数据库(同一种子,同样内容)", "generate a demo township database (same seed, same content)"),
            discussion: L("演示账户 jingban 经办员、shenhe 审核员、shenpi 审批员、duzha 督查员、admin 管理员,密码都是 demo。不会覆盖已有文件。",
                          "Demo accounts jingban (clerk), shenhe (reviewer), shenpi (approver), duzha (supervisor), admin; the password is demo. Never overwrites a file."))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .long, help: ArgumentHelp(L("户数(1 至 1000000;超过 100000 时每 10000 户一个乡镇)", "number of households (1 to 1000000; past 100000, one township per 10000)")))
    var households: Int = 600
    @Option(name: .long, help: ArgumentHelp(L("随机种子", "random seed")))
    var seed: UInt64 = 1

    func validate() throws {
        guard (1...1_000_000).contains(households) else {
            throw ValidationError(L("户数应在 1 到 1000000 之间", "households must be 1 to 1000000"))
        }
    }

    mutating func run() throws {
        let lang = common.language
        let path = common.databasePath()
        let t0 = Date()
        let store = try DemoSetup.create(path: path, households: households, seed: seed, lang: lang)
        let summary = DemoSetup.lastSummary.map { $0.lines(lang) } ?? []
        print(summary.joined(separator: "\n"))
        print(L("已生成 \(path),用时 \(String(format: "%.1f", Date().timeIntervalSince(t0))) 秒。",
                "Wrote \(path) in \(String(format: "%.1f", Date().timeIntervalSince(t0))) s."))
        _ = store
    }
}

enum DemoSetup {
    nonisolated(unsafe) static var lastSummary: DemoSummary?

    /// The fixed "today" of demo townships, so the same seed gives the same file on any day
    /// (`JIUZHU_TODAY` overrides it).
    static var demoToday: CivilDate {
        if let s = ProcessInfo.processInfo.environment["JIUZHU_TODAY"], let d = CivilDate(iso: s) { return d }
        return CivilDate(year: 2026, month: 11, day: 23)!
    }

    /// Generate a township into a new file; refuses to overwrite one.
    static func create(path: String, households: Int, seed: UInt64, lang: Lang) throws -> Store {
        if FileManager.default.fileExists(atPath: path) { throw fail(StoreError.alreadyExists(path: path).message(lang)) }
        let dir = try dataDirectory()
        var files: [String: String] = [:]
        for name in DemoInputs.fileNames {
            let p = dir.appendingPathComponent("demo").appendingPathComponent(name).path
            guard let text = try? String(contentsOfFile: p, encoding: .utf8) else {
                throw fail(L("缺少演示数据文件 \(p)。", "The demo input \(p) is missing."))
            }
            files[name] = text
        }
        files["standards.csv"] = try? String(contentsOfFile: dir.appendingPathComponent("standards.csv").path, encoding: .utf8)
        files["settings.csv"] = try? String(contentsOfFile: dir.appendingPathComponent("settings.csv").path, encoding: .utf8)
        let inputs: DemoInputs
        do { inputs = try DemoInputs.parse(files: files) }
        catch let e as DemoInputError { throw fail(L("演示数据文件有误:", "A demo input is wrong: ") + e.description) }
        let reference = try guarded(lang) { try ReferenceData.load(from: dir) }
        guard let catalogData = FileManager.default.contents(atPath: dir.appendingPathComponent("programmes.json").path) else {
            throw fail(L("缺少 data/programmes.json。", "data/programmes.json is missing."))
        }
        let catalog = try guarded(lang) { try ProgrammeCatalog.decode(catalogData) }
        let township = DemoTownship.generate(households: households, seed: seed, inputs: inputs, catalog: catalog, today: demoToday)
        lastSummary = township.summary
        // Built as NAME.part and named at the end: a kill or Ctrl-C half-way leaves no file
        // that looks like a database (the next run removes the .part).
        do {
            return try Store.build(at: path) { store in
                try store.loadDemo(township, reference: reference, password: "demo")
                try store.loadDemoPublicity(catalog: catalog, today: demoToday)
                try store.loadDemoSupervision(catalog: catalog, today: demoToday)
            }
        } catch {
            if let e = error as? StoreError { throw fail(e.message(lang)) }
            throw fail(String(describing: error))
        }
    }

    /// `jiuzhu --demo`: open the demo file, making it (600 households) on first use.
    static func openOrCreate(path: String, lang: Lang) throws -> Store {
        if FileManager.default.fileExists(atPath: path) { return try Store(path: path, mode: .mustExist) }
        try? FileHandle.standardError.write(contentsOf: Data(L("首次使用:正在生成演示乡镇 \(path) …\n", "First use: generating the demo township \(path) …\n").utf8))
        return try create(path: path, households: 600, seed: 1, lang: lang)
    }
}
