import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore

/// The language of this run, decided before argument parsing so `--help` can follow it too.
let runLang: Lang = {
    let args = CommandLine.arguments
    var explicit: String?
    if let i = args.firstIndex(of: "--lang"), i + 1 < args.count { explicit = args[i + 1] }
    if let a = args.first(where: { $0.hasPrefix("--lang=") }) { explicit = String(a.dropFirst(7)) }
    return Lang.detect(explicit: explicit)
}()

/// The text of `key` in this run's language, from `screens/strings-cli.json` (see `Strings`).
func t(_ key: String, _ values: [String: String] = [:]) -> String { say(key, runLang, values) }

/// Of a text in both languages, this run's.
func pick(_ p: (zh: String, en: String)) -> String { runLang == .zh ? p.zh : p.en }
func pick(_ p: Text2) -> String { p(runLang) }

/// Items joined as this run's language writes a list.
func list(_ items: [String]) -> String { Strings.shared.list(items, runLang) }

/// Options every command takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(t("cli.common.databaseFileDefaultJiuzhu")))
    var db: String?

    @Option(name: .long, help: ArgumentHelp(t("cli.common.languageZhOrEn")))
    var lang: String?

    var language: Lang { Lang.detect(explicit: lang) }

    func validate() throws {
        if let l = lang, !["zh", "en"].contains(l.lowercased()) {
            throw ValidationError(t("cli.checkID.langTakesZhOr", ["l": "\(l)"]))
        }
    }

    /// The database path this run uses.
    func databasePath(demo: Bool = false) -> String {
        if let p = db { return p }
        let env = ProcessInfo.processInfo.environment
        let base: String
        if let p = env["JIUZHU_DB"], !p.isEmpty { base = p }
        else {
            let dataHome = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
                ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
            base = (dataHome as NSString).appendingPathComponent("jiuzhu/jiuzhu.sqlite")
        }
        return demo ? ((base as NSString).deletingLastPathComponent as NSString).appendingPathComponent("demo.sqlite") : base
    }
}

/// Print a user-facing error (never a stack trace) and exit non-zero.
func fail(_ message: String, code: Int32 = 2) -> ExitCode {
    try? FileHandle.standardError.write(contentsOf: Data((message + "\n").utf8))
    return ExitCode(code)
}

/// Run `body`, turning the store's errors into a paragraph for the user.
@discardableResult
func guarded<T>(_ lang: Lang, _ body: () throws -> T) throws -> T {
    do { return try body() }
    catch let e as StoreError {
        // The screens' wording speaks of input kept on screen; a command has no screen.
        switch e {
        case .diskFull(let p): throw fail(t("cli.common.theDiskIsFull", ["p": "\(p)"]))
        case .locked(let p): throw fail(t("cli.common.theDatabaseIsLocked", ["p": "\(p)"]))
        case .staleEdit(let what, let id): throw fail(t("cli.common.wasJustChangedBy", ["what": "\(what)", "id": "\(id)"]))
        default: throw fail(e.message(lang))
        }
    }
    catch let e as ProgrammeCatalog.CatalogError {
        throw fail(t("cli.common.theProgrammeStepsFile", ["eDescription": "\(e.description)"]))
    }
    catch let e as ExitCode { throw e }
    catch let e as CleanExit { throw e }
    catch { throw fail(t("cli.common.error") + String(describing: error)) }
}

/// Read a password from the terminal without echo.
func readSecret(_ prompt: String) -> String? {
    try? FileHandle.standardError.write(contentsOf: Data(prompt.utf8))
    var old = termios()
    let isTTY = isatty(STDIN_FILENO) == 1
    if isTTY {
        tcgetattr(STDIN_FILENO, &old)
        var new = old
        new.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &new)
    }
    defer {
        if isTTY { tcsetattr(STDIN_FILENO, TCSAFLUSH, &old); try? FileHandle.standardError.write(contentsOf: Data("\n".utf8)) }
    }
    return readLine(strippingNewline: true)
}

/// A new password: from stdin (`--password-stdin`), or asked twice without echo.
func newPassword(fromStdin: Bool) throws -> String {
    if fromStdin {
        guard let p = readLine(strippingNewline: true), !p.isEmpty else {
            throw fail(t("cli.common.noPasswordOnStandard"))
        }
        return p
    }
    guard let a = readSecret(t("cli.common.password")), let b = readSecret(t("cli.common.passwordAgain")) else {
        throw fail(t("cli.common.noPasswordWasRead"))
    }
    if a != b { throw fail(t("cli.common.theTwoPasswordsDiffer")) }
    return a
}

/// Write a command's output to `path` through `SafeFile` (0600, whole or nothing, never over
/// the database's files, over an existing file only with `force`), or to standard output.
func writeOutput(_ path: String?, force: Bool, _ body: (SafeFile.Writer) throws -> Void) throws {
    if let path { try SafeFile.stream(to: path, force: force, body) } else { try SafeFile.standardOutput(body) }
}

/// The reference-data folder, or a clear error.
func dataDirectory() throws -> URL {
    guard let d = ReferenceData.defaultDirectory() else {
        throw fail(t("cli.common.cannotFindTheReference"))
    }
    return d
}

/// "710" or "#710" as a record number, or a clear error naming what it should be and saying
/// `outcome` (what was not done).
func recordNumber(_ text: String, what: (zh: String, en: String), outcome: (zh: String, en: String)) throws -> Int64 {
    let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
    // "104-17": township 104's record 17, as a county file names records (IdBlock.describe).
    let parts = digits.split(separator: "-", omittingEmptySubsequences: false)
    if parts.count == 2, parts[0].count == 3, let b = Int64(parts[0]), let n = Int64(parts[1]), n > 0, n < IdBlock.size {
        return b * IdBlock.size + n
    }
    guard let id = Int64(digits), id > 0 else {
        throw fail(t("cli.common.aIsAPositive", ["what": "\(pick(what))", "text": "\(text)", "outcome": "\(pick(outcome))"]).trimmingCharacters(in: .whitespaces))
    }
    return id
}

/// A programme given on the command line, by code (rural_dibao) or label (农村低保), or a clear
/// error listing the known ones and saying `outcome`.
func programmeArgument(_ text: String, outcome: (zh: String, en: String)) throws -> Programme {
    guard let p = Programme(text: text.trimmingCharacters(in: .whitespaces)) else {
        throw fail(t("cli.common.thereIsNoProgramme", ["text": "\(text)", "known": list(Programme.allCases.map { t("cli.common.programmeCode", ["code": $0.rawValue, "label": pick($0.label)]) }), "outcome": "\(pick(outcome))"]))
    }
    return p
}

/// The database that must exist, the app's environment, and the programme catalog, or a clear
/// error saying what is missing and `outcome`.
func storeWithCatalog(_ common: CommonOptions, outcome: (zh: String, en: String), readOnly: Bool = false) throws -> (store: Store, env: AppEnvironment, catalog: ProgrammeCatalog) {
    let lang = common.language
    let store = try guarded(lang) { try Store(path: common.databasePath(), mode: readOnly ? .readOnly : .mustExist) }
    let env = try AppLauncher.environment(store: store, lang: lang, demo: false, outcome: outcome)
    guard let catalog = env.catalog else {
        throw fail(t("cli.common.cannotFindTheProgramme", ["outcome": "\(pick(outcome))"]))
    }
    return (store, env, catalog)
}

/// One malloc arena for the whole process. glibc gives threads that allocate their own arenas
/// (up to eight per core), and the pages each one keeps count in the app's resident memory; the
/// app's few threads (the count queue, GRDB's readers) hardly contend for one. Looked up at run
/// time: Swift's Glibc module does not declare mallopt.
func useOneMallocArena() {
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    guard let me = dlopen(nil, RTLD_NOW), let f = dlsym(me, "mallopt") else { return }
    _ = unsafeBitCast(f, to: Mallopt.self)(-8 /* M_ARENA_MAX */, 1)
}

/// `name`'s password (from stdin, or asked without echo) checked against the store; the user.
/// Wrong passwords count towards the lockout as at the login screen.
func authenticated(_ store: Store, name: String, passwordStdin: Bool, lang: Lang) throws -> User {
    let pw: String?
    if passwordStdin { pw = readLine(strippingNewline: true) } else { pw = readSecret(t("cli.common.passwordFor", ["name": "\(name)"])) }
    return try guarded(lang) { try store.authenticate(name: name, password: pw ?? "") }
}


/// The command line's security model (README, "Security"): a command that changes data or shows
/// unmasked data acts as a named user, after that user's password (asked on the terminal
/// without echo, or the first line of standard input with `--password-stdin`), with a role the
/// screens would allow for the same work; its audit rows carry that user's name.
struct SignIn: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(t("cli.common.actAsThisUser")))
    var user: String?
    @Flag(name: .customLong("password-stdin"), help: ArgumentHelp(t("cli.common.readThePasswordFrom")))
    var passwordStdin = false

    /// The user, checked: the password, an active account, one of `roles`. `what` names the work.
    func user(_ store: Store, roles: Set<Role>, what: (zh: String, en: String), lang: Lang) throws -> User {
        try signedIn(store, name: user, passwordStdin: passwordStdin, roles: roles, what: what, lang: lang)
    }
}

func signedIn(_ store: Store, name: String?, passwordStdin: Bool, roles: Set<Role>, what: (zh: String, en: String), lang: Lang) throws -> User {
    let allowed = Role.allCases.filter(roles.contains)
    guard let name, !name.isEmpty else {
        throw fail(t("cli.common.needsUserNamingWho", ["what": "\(pick(what))", "roles": list(allowed.map { pick($0.label) })]))
    }
    let u = try authenticated(store, name: name, passwordStdin: passwordStdin, lang: lang)
    guard roles.contains(u.role) else {
        throw fail(t("cli.common.isForOnlyIs", ["what": "\(pick(what))", "roles": list(allowed.map { pick($0.label) }), "name": "\(name)", "label": "\(pick(u.role.label))"]))
    }
    return u
}

enum SignInCheck {
    /// An administrator's password checked against `store` without writing to it; the name.
    static func offline(_ store: Store, _ signIn: SignIn, what: (zh: String, en: String), lang: Lang) throws -> String {
        guard let name = signIn.user, !name.isEmpty else {
            throw fail(t("cli.common.needsUserNamingAn", ["what": "\(pick(what))"]))
        }
        let pw = signIn.passwordStdin ? readLine(strippingNewline: true) : readSecret(t("cli.common.passwordFor", ["name": "\(name)"]))
        let u = try guarded(lang) { try store.checkPassword(name: name, password: pw ?? "") }
        guard Policy.allows(u.role, .restore) else {
            throw fail(t("cli.common.isForAnAdministrator", ["what": "\(pick(what))", "name": "\(name)", "label": "\(pick(u.role.label))"]))
        }
        return name
    }
}

/// Why `init` or `demo` does not make a database at `path`, which exists: an empty file (left by
/// an interrupted program, or made by hand) is said as such, with what to do; anything else is
/// never overwritten.
func existingFile(_ path: String) -> StoreError {
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
    return size == 0 ? .emptyFile(path: path) : .alreadyExists(path: path)
}
