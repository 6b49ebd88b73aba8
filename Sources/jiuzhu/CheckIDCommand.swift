import ArgumentParser
import Foundation
import JiuzhuModel
import JiuzhuStore

struct CheckIDCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "check-id",
            abstract: L("按 GB 11643 校验身份证号,每个一行输出。", "Check ID numbers per GB 11643, one line each."),
            discussion: L("输出:号码<TAB>OK<TAB>出生日期<TAB>性别,或 号码<TAB>INVALID<TAB>原因。15 位旧号会被升位并注明。有任一无效则退出码为 1。给 - 则从标准输入逐行读。",
                          "Prints ID<TAB>OK<TAB>birth date<TAB>sex, or ID<TAB>INVALID<TAB>reason. Old 15-digit numbers are converted and say so. Exits 1 if any is invalid. Give - to read lines from stdin."))
    }

    @Argument(help: ArgumentHelp(L("身份证号,或 - 从标准输入读", "ID numbers, or - to read from stdin")))
    var ids: [String] = []

    @Option(name: .long, help: ArgumentHelp(L("界面语言:zh 或 en", "language: zh or en")))
    var lang: String?

    func validate() throws {
        if let l = lang, !["zh", "en"].contains(l.lowercased()) {
            throw ValidationError(L("--lang 只能是 zh 或 en,而不是「\(l)」。", "--lang takes zh or en, not \"\(l)\"."))
        }
    }

    mutating func run() throws {
        let language = Lang.detect(explicit: lang)
        var inputs: [String] = []
        for a in ids {
            if a == "-" { while let line = readLine() { inputs.append(line) } } else { inputs.append(a) }
        }
        if inputs.isEmpty { throw ValidationError(L("请给出至少一个身份证号,或 -", "Give at least one ID number, or -")) }
        var anyInvalid = false
        var out = ""
        for raw in inputs {
            let shown = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if shown.isEmpty {
                // An empty argument is no valid number (a blank line read from - is skipped).
                if ids.contains(raw) { anyInvalid = true; out += "\tINVALID\t" + (language == .zh ? "空号码" : "empty") + "\n" }
                continue
            }
            switch IDNumber.parse(shown) {
            case .success(let id):
                var line = "\(shown)\tOK\t\(id.birthDate.iso)\t\(id.sex.label(.zh))"
                if id.convertedFrom15 { line += "\t" + (language == .zh ? "15位旧号,升位为 \(id.value)" : "old 15-digit number, converted to \(id.value)") }
                out += line + "\n"
            case .failure(let p):
                anyInvalid = true
                out += "\(shown)\tINVALID\t\(p.message(language))\n"
            }
        }
        do { try SafeFile.standardOutput { try $0.write(out) } }
        catch let e as StoreError { throw ValidationError(e.message(language)) }
        if anyInvalid { throw ExitCode(1) }
    }
}
