import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore

/// `jiuzhu publicity list`: every batch ever made, with its state and window.
struct PublicityCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "publicity", abstract: L("张榜公示批次", "publicity batches"), subcommands: [PublicityList.self])
    }
}

struct PublicityList: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: L("列出全部公示批次:编号、状态、公示期、户数、待处理异议、标题",
                                                             "list every batch: number, state, window, lines, open objections, title"))
    }
    @OptionGroup var common: CommonOptions

    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        let batches = try guarded(lang) { try store.batches() }
        if batches.isEmpty {
            print(L("还没有公示批次。", "No publicity batches yet."))
            return
        }
        for b in batches.sorted(by: { $0.id < $1.id }) {
            let state = b.state.label(lang == .zh ? .zh : .en)
            print("#\(b.id)\t\(state)\t\(b.postedFrom.iso)~\(b.postedUntil.iso)\t\(b.lineCount)\t\(b.pendingObjections)\t\(b.title)")
        }
    }
}

enum PublicityFormat: String, ExpressibleByArgument, CaseIterable { case txt, txt132, html, csv, xlsx }

/// `jiuzhu export publicity BATCH --format txt|txt132|html|csv|xlsx [-o FILE]`.
struct ExportPublicity: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "publicity",
            abstract: L("打印一个公示批次(A4:80 或 132 列纯文本、HTML、CSV、XLSX)", "print a publicity batch (A4: 80- or 132-column text, HTML, CSV, XLSX)"),
            discussion: L("已张贴或已结束的批次按张贴时的内容原样输出;草稿按现在的数据。身份证号、电话、银行卡、健康情况一律不出现,未成年人不列姓名。文件权限 0600。",
                          "A posted or closed batch prints exactly what was posted; a draft prints today's data. No ID number, phone, bank card or health detail ever appears, and no minor is named. Files are created mode 0600."))
    }
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp(L("批次号", "batch number"), valueName: "batch"))
    var batch: String
    @Option(name: .long, help: ArgumentHelp(L("格式", "format")))
    var format: PublicityFormat = .txt
    @Option(name: .shortAndLong, help: ArgumentHelp(L("输出文件(默认标准输出;xlsx 必须指定)", "output file (default stdout; required for xlsx)")))
    var output: String?
    @Flag(name: .long, help: ArgumentHelp(L("覆盖已有的输出文件", "replace an existing output file")))
    var force = false

    mutating func run() throws {
        let lang = common.language
        let outcome = (zh: "什么也没有导出。", en: "Nothing was exported.")
        let id = try recordNumber(batch, what: (zh: "批次号", en: "batch number"), outcome: outcome)
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .readOnly) }
        let env = try AppLauncher.environment(store: store, lang: lang, demo: false, outcome: outcome)
        guard let catalog = env.catalog else { throw fail(L("找不到 data/programmes.json。什么也没有导出。", "data/programmes.json is missing. Nothing was exported.")) }
        guard try guarded(lang, { try store.batch(id: id) }) != nil else {
            throw fail(L("没有公示批次 #\(id)(数据库 \(store.path))。什么也没有导出。可用 jiuzhu publicity list 查看。",
                         "There is no batch #\(id) in \(store.path). Nothing was exported. See jiuzhu publicity list."))
        }
        let doc = try guarded(lang) { try store.document(batchId: id, today: env.today, catalog: catalog) }
        let f: PublicityPrint.Format
        switch format {
        case .txt: f = .txt
        case .txt132: f = .txt132
        case .html: f = .html
        case .csv: f = .csv
        case .xlsx: f = .xlsx
        }
        if let path = output {
            let force = self.force
            try guarded(lang) { try PublicityPrint.write(doc, format: f, to: path, lang: env.lang, force: force) }
            try? FileHandle.standardError.write(contentsOf: Data(L("已写出 \(path)\n", "Wrote \(path)\n").utf8))
        } else if let text = PublicityPrint.render(doc, f, lang: env.lang) {
            try guarded(lang) { try SafeFile.standardOutput { try $0.write(text) } }
        } else {
            throw fail(L("xlsx 须用 -o 指定输出文件。什么也没有导出。", "xlsx needs -o FILE. Nothing was exported."))
        }
    }
}
