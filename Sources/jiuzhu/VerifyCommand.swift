import ArgumentParser
import Foundation
import JiuzhuModel
import JiuzhuStore

struct VerifyCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "verify",
            abstract: L("检查数据库完整性并逐行核对审计链", "check the database's integrity and walk the audit chain"))
    }
    @OptionGroup var common: CommonOptions
    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        let problems = try guarded(lang) { try store.integrityCheck() }
        if !problems.isEmpty {
            throw fail(StoreError.corrupt(path: store.path, detail: problems.prefix(3).joined(separator: "; ")).message(lang))
        }
        switch try guarded(lang, { try store.verifyAudit() }) {
        case .intact(let n):
            print(L("数据库完好;审计链 \(n) 行,逐行核对无误。", "Database intact; audit chain of \(n) rows verified."))
        case .broken(let row, let reason):
            throw fail(StoreError.auditBroken(atRow: row, detail: reason).message(lang), code: 1)
        }
    }
}
