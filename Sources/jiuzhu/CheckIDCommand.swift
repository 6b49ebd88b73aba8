import ArgumentParser
import Foundation
import JiuzhuModel
import JiuzhuStore

struct CheckIDCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "check-id",
            abstract: t("cli.checkID.checkIdNumbersPer"),
            discussion: t("cli.checkID.printsIdTabOk"))
    }

    @Argument(help: ArgumentHelp(t("cli.checkID.idNumbersOrTo")))
    var ids: [String] = []

    @Option(name: .long, help: ArgumentHelp(t("cli.checkID.languageZhOrEn")))
    var lang: String?

    func validate() throws {
        if let l = lang, !["zh", "en"].contains(l.lowercased()) {
            throw ValidationError(t("cli.checkID.langTakesZhOr", ["l": "\(l)"]))
        }
    }

    mutating func run() throws {
        let language = Lang.detect(explicit: lang)
        var inputs: [String] = []
        for a in ids {
            if a == "-" { while let line = readLine() { inputs.append(line) } } else { inputs.append(a) }
        }
        if inputs.isEmpty { throw ValidationError(t("cli.checkID.giveAtLeastOne")) }
        var anyInvalid = false
        var out = ""
        for raw in inputs {
            let shown = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if shown.isEmpty {
                // An empty argument is no valid number (a blank line read from - is skipped).
                if ids.contains(raw) { anyInvalid = true; out += "\tINVALID\t" + (say("cli.checkID.empty", language)) + "\n" }
                continue
            }
            switch IDNumber.parse(shown) {
            case .success(let id):
                var line = "\(shown)\tOK\t\(id.birthDate.iso)\t\(id.sex.label(.zh))"
                if id.convertedFrom15 { line += "\t" + (say("cli.checkID.oldDigitNumberConverted", language, ["idValue": "\(id.value)"])) }
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
