import ArgumentParser
import Foundation
import JiuzhuModel
import JiuzhuStore

struct DemoCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "demo",
            abstract: L("生成演示乡镇数据库(同一种子,同样内容)", "generate a demo township database (same seed, same content)"))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .long, help: ArgumentHelp(L("户数", "number of households")))
    var households: Int = 600
    @Option(name: .long, help: ArgumentHelp(L("随机种子", "random seed")))
    var seed: UInt64 = 1

    mutating func run() throws {
        throw fail(L("演示生成器尚未提供。", "The demo generator is not built yet."))
    }
}

enum DemoSetup {
    static func openOrCreate(path: String, lang: Lang) throws -> Store {
        try Store(path: path, mode: .mustExist)
    }
}
