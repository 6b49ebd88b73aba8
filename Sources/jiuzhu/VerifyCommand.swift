import ArgumentParser
import Foundation
import JiuzhuModel
import JiuzhuStore

struct VerifyCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "verify",
            abstract: t("cli.verify.checkTheDatabaseS"),
            discussion: t("cli.verify.checksEachRowS"))
    }
    @OptionGroup var common: CommonOptions
    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .readOnly) }
        let problems = try guarded(lang) { try store.integrityCheck() }
        if !problems.isEmpty {
            throw fail(StoreError.corrupt(path: store.path, detail: Store.summary(problems)).message(lang))
        }
        switch try guarded(lang, { try store.verifyAudit() }) {
        case .intact(let n):
            print(t("cli.verify.databaseIntactAuditChain", ["n": "\(n)"]))
        case .broken(let row, let reason):
            throw fail(StoreError.auditBroken(atRow: row, reason: reason).message(lang), code: 1)
        }
        // The running figures per short search text against a fresh count (SearchCounts).
        let countsStarted = Date()
        if let (texts, differ) = try guarded(lang, { try store.verifySearchCounts() }) {
            let countsTook = String(format: "%.2f", Date().timeIntervalSince(countsStarted))
            if !differ.isEmpty {
                throw fail(t("cli.verify.searchCountsDiffer", ["texts": differ.joined(separator: " ")]), code: 1)
            }
            print(t("cli.verify.searchCountsAgree", ["texts": "\(texts)", "took": countsTook]))
        }
        // Each case's monthly amount against the last decision or adjustment on its record.
        guard let dir = ReferenceData.defaultDirectory(),
              let data = FileManager.default.contents(atPath: dir.appendingPathComponent("programmes.json").path) else {
            throw fail(t("cli.verify.cannotFindDataProgrammes"))
        }
        let catalog = try guarded(lang) { try ProgrammeCatalog.decode(data) }
        let started = Date()
        let (checked, bad) = try guarded(lang) { try store.verifyAmounts(catalog: catalog) }
        let took = String(format: "%.2f", Date().timeIntervalSince(started))
        if bad.isEmpty {
            print(t("cli.verify.amountsCheckedEachIs", ["checked": "\(checked)", "took": "\(took)"]))
        } else {
            for m in bad.prefix(20) {
                print(t("cli.verify.caseTheCaseSays", ["caseId": "\(m.caseId)", "row": m.row?.yuanString ?? "—", "records": m.records?.yuanString ?? t("cli.verify.noDecisionRecorded")]))
            }
            throw fail(t("cli.verify.amountsCheckedDifferFrom", ["checked": "\(checked)", "badCount": "\(bad.count)"]), code: 1)
        }
        // The process behind the records: postings that happened, refusals where they are decided.
        let p = try guarded(lang) { try store.verifyProcess(catalog: catalog) }
        if p.problemCount > 0 {
            throw fail(t("cli.verify.theProcessCheckFound", ["problemCount": "\(p.problemCount)", "publicityChecked": "\(p.publicityChecked)", "refusalsChecked": "\(p.refusalsChecked)"])
                       + p.problems.joined(separator: "\n"), code: 1)
        }
        print(t("cli.verify.processPublicityStepsEach", ["publicityChecked": "\(p.publicityChecked)", "refusalsChecked": "\(p.refusalsChecked)"]))
    }
}
