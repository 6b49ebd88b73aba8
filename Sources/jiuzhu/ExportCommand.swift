import ArgumentParser
import Foundation
import JiuzhuModel
import JiuzhuStore

struct ExportCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "export", abstract: L("导出", "export"), subcommands: [ExportHouseholds.self])
    }
}

enum ExportFormat: String, ExpressibleByArgument, CaseIterable { case csv }

struct ExportHouseholds: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "households",
            abstract: L("导出全部家庭户(CSV,带 BOM,Excel 可直接打开;身份证号默认脱敏)",
                        "export every household (CSV with BOM for Excel; ID numbers masked by default)"),
            discussion: L("--unmasked 导出完整身份证号,须 --user 指定管理员并输入其密码,此次导出记入审计日志。文件权限 0600。",
                          "--unmasked exports full ID numbers: it needs --user naming an admin and that admin's password, and is written to the audit log. Files are created mode 0600."))
    }
    @OptionGroup var common: CommonOptions
    @Option(name: .long, help: ArgumentHelp(L("格式", "format")))
    var format: ExportFormat = .csv
    @Option(name: .shortAndLong, help: ArgumentHelp(L("输出文件(默认标准输出)", "output file (default stdout)")))
    var output: String?
    @Flag(name: .long, help: ArgumentHelp(L("导出完整身份证号(需管理员)", "full ID numbers (admin only)")))
    var unmasked = false
    @Option(name: .long, help: ArgumentHelp(L("管理员用户名(配合 --unmasked)", "admin user name (with --unmasked)")))
    var user: String?
    @Flag(name: .customLong("password-stdin"), help: ArgumentHelp(L("从标准输入读密码", "read the password from stdin")))
    var passwordStdin = false

    mutating func run() throws {
        let lang = common.language
        let store = try guarded(lang) { try Store(path: common.databasePath(), mode: .mustExist) }
        var actor = "cli"
        if unmasked {
            guard let name = user else {
                throw fail(L("--unmasked 需要 --user 管理员用户名。什么也没有导出。", "--unmasked needs --user with an admin's name. Nothing was exported."))
            }
            let pw: String?
            if passwordStdin { pw = readLine(strippingNewline: true) } else { pw = readSecret(L("\(name) 的密码:", "Password for \(name): ")) }
            let u = try guarded(lang) { try store.authenticate(name: name, password: pw ?? "") }
            guard u.role == .admin else {
                throw fail(L("只有管理员可以导出完整身份证号;\(name) 是\(u.role.label.zh)。什么也没有导出。",
                             "Only an admin may export full ID numbers; \(name) is a \(u.role.label.en). Nothing was exported."))
            }
            actor = name
        }
        let out: FileHandle = try output.map { try createPrivateFile($0) } ?? FileHandle.standardOutput
        var buffer = CSVWriter.bom + CSVWriter.line(Store.householdExportHeader(lang).components(separatedBy: ","))
        var rows = 0
        let unmasked = self.unmasked
        try guarded(lang) {
            try store.forEachHouseholdForExport(unmasked: unmasked) { fields in
                buffer += CSVWriter.line(fields)
                rows += 1
                if buffer.utf8.count > 1 << 16 { out.write(Data(buffer.utf8)); buffer = "" }
            }
        }
        out.write(Data(buffer.utf8))
        if unmasked { try guarded(lang) { try store.auditUnmaskedExport(by: actor, what: "households", rows: rows) } }
        if let o = output { FileHandle.standardError.write(Data(L("已导出 \(rows) 户到 \(o)\n", "Exported \(rows) households to \(o)\n").utf8)) }
    }
}
