import ArgumentParser
import Foundation
import JiuzhuModel
import JiuzhuStore

struct VerifyCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "verify",
            abstract: L("检查数据库完整性并逐行核对审计链(只读,不改动文件)", "check the database's integrity and walk the audit chain (read-only: the file is not changed)"),
            discussion: L("核对:每行的哈希链接与密钥签名(密钥文件 NAME.key)、数据库旁锚点文件记录的链头(发现从末尾删掉的行)、案件/步骤/名册/用户/参数各表的签名摘要(发现不经程序、没有审计记录的改动)。",
                          "Checks each row's hash link and its key (the key file NAME.key), the chain head recorded in the anchor file beside the database (rows cut from the end), and the keyed digests of the cases, steps, rosters, users and settings (changes made outside the program, with no audit row)."))
    }
    @OptionGroup var common: CommonOptions
    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .readOnly) }
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
        // Each case's monthly amount against the last decision or adjustment on its record.
        guard let dir = ReferenceData.defaultDirectory(),
              let data = FileManager.default.contents(atPath: dir.appendingPathComponent("programmes.json").path) else {
            throw fail(L("找不到办理流程文件 data/programmes.json,保障金额没有核对。请在项目目录里运行,或设置 JIUZHU_HOME 为含 data/ 的文件夹。",
                         "Cannot find data/programmes.json: the amounts were not checked. Run from the project folder, or set JIUZHU_HOME to the folder holding data/."))
        }
        let catalog = try guarded(lang) { try ProgrammeCatalog.decode(data) }
        let started = Date()
        let (checked, bad) = try guarded(lang) { try store.verifyAmounts(catalog: catalog) }
        let took = String(format: "%.2f", Date().timeIntervalSince(started))
        if bad.isEmpty {
            print(L("保障金额核对 \(checked) 件:均与最后一次审批或调整记录一致(用时 \(took) 秒)。",
                    "Amounts checked: \(checked); each is that of the case's last decision or adjustment (\(took) s)."))
        } else {
            for m in bad.prefix(20) {
                print(L("案件 \(m.caseId):案件上为 \(m.row?.yuanString ?? "—") 元,记录决定的是 \(m.records?.yuanString ?? "—(没有审批记录)") 元",
                        "case \(m.caseId): the case says \(m.row?.yuanString ?? "—"), its records decided \(m.records?.yuanString ?? "— (no decision recorded)")"))
            }
            throw fail(L("保障金额核对 \(checked) 件,\(bad.count) 件与记录不符(以上列出前 20 件)。什么也没有改动。",
                         "Amounts checked: \(checked); \(bad.count) differ from their records (the first 20 above). Nothing was changed."), code: 1)
        }
        // The process behind the records: postings that happened, refusals where they are decided.
        let p = try guarded(lang) { try store.verifyProcess(catalog: catalog) }
        if p.problemCount > 0 {
            throw fail(L("办理过程核对发现 \(p.problemCount) 处问题(公示 \(p.publicityChecked) 条、不予确认 \(p.refusalsChecked) 条):\n",
                         "The process check found \(p.problemCount) problems (\(p.publicityChecked) postings, \(p.refusalsChecked) refusals checked):\n")
                       + p.problems.joined(separator: "\n"), code: 1)
        }
        print(L("办理过程:\(p.publicityChecked) 条公示均经张贴的公示批次期满结束,\(p.refusalsChecked) 件不予确认均在决定环节作出。",
                "Process: \(p.publicityChecked) publicity steps each closed through a posted batch after its window; \(p.refusalsChecked) refusals each taken at the decision step."))
    }
}
