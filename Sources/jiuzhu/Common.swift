import ArgumentParser
import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore

/// The language of this run, decided before argument parsing so `--help` can follow it too.
nonisolated(unsafe) var runLang: Lang = {
    let args = CommandLine.arguments
    var explicit: String?
    if let i = args.firstIndex(of: "--lang"), i + 1 < args.count { explicit = args[i + 1] }
    if let a = args.first(where: { $0.hasPrefix("--lang=") }) { explicit = String(a.dropFirst(7)) }
    return Lang.detect(explicit: explicit)
}()

/// Pick the text of this run's language.
func L(_ zh: String, _ en: String) -> String { runLang == .zh ? zh : en }

/// Options every command takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(L("数据库文件(默认 $JIUZHU_DB,或 $XDG_DATA_HOME/jiuzhu/jiuzhu.sqlite)",
                                              "database file (default $JIUZHU_DB, else $XDG_DATA_HOME/jiuzhu/jiuzhu.sqlite)")))
    var db: String?

    @Option(name: .long, help: ArgumentHelp(L("界面语言:zh 或 en(默认看 LANG)", "language: zh or en (default from LANG)")))
    var lang: String?

    var language: Lang { Lang.detect(explicit: lang) }

    func validate() throws {
        if let l = lang, !["zh", "en"].contains(l.lowercased()) {
            throw ValidationError(L("--lang 只能是 zh 或 en,而不是「\(l)」。", "--lang takes zh or en, not \"\(l)\"."))
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
func guarded<T>(_ lang: Lang, _ body: () throws -> T) throws -> T {
    do { return try body() }
    catch let e as StoreError {
        // The screens' wording speaks of input kept on screen; a command has no screen.
        switch e {
        case .diskFull(let p): throw fail(L("磁盘已满,\(p) 没有写成,数据库没有改动(这次修改整体撤销)。请腾出磁盘空间后再运行。",
                                            "The disk is full: \(p) was not written and the database is unchanged (the change was undone as a whole). Free some disk space and run the command again."))
        case .locked(let p): throw fail(L("数据库 \(p) 正被另一个程序锁定(可能有人正在保存)。什么也没有改动。请稍候再运行。",
                                          "The database \(p) is locked by another program (perhaps someone is saving). Nothing was changed. Run the command again in a moment."))
        case .staleEdit(let what, let id): throw fail(L("\(what) \(id) 刚被别人修改过。什么也没有改动。请重新运行。",
                                                        "\(what) \(id) was just changed by someone else. Nothing was changed. Run the command again."))
        default: throw fail(e.message(lang))
        }
    }
    catch let e as ProgrammeCatalog.CatalogError {
        throw fail(L("办理流程文件有误:\(e.description)。什么也没有改动;请改正该文件(或从安装包恢复)后再运行。",
                     "The programme steps file is wrong: \(e.description). Nothing was changed; fix that file (or restore it) and run again."))
    }
    catch let e as ExitCode { throw e }
    catch let e as CleanExit { throw e }
    catch { throw fail(L("出错了:", "Error: ") + String(describing: error)) }
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
            throw fail(L("标准输入没有读到密码。", "No password on standard input."))
        }
        return p
    }
    guard let a = readSecret(L("密码:", "Password: ")), let b = readSecret(L("再输一次密码:", "Password again: ")) else {
        throw fail(L("没有读到密码。", "No password was read."))
    }
    if a != b { throw fail(L("两次输入的密码不一致,什么也没有改动。请重新运行。", "The two passwords differ; nothing was changed. Run the command again.")) }
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
        throw fail(L("找不到参考数据文件夹 data/(应含 programmes.json)。请在项目目录里运行,或设置 JIUZHU_HOME 为含 data/ 的文件夹。",
                     "Cannot find the reference data folder data/ (with programmes.json). Run from the project folder, or set JIUZHU_HOME to the folder holding data/."))
    }
    return d
}

/// "710" or "#710" as a record number, or a clear error naming what it should be and saying
/// `outcome` (what was not done).
func recordNumber(_ text: String, what: (zh: String, en: String), outcome: (zh: String, en: String)) throws -> Int64 {
    let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
    guard let id = Int64(digits), id > 0 else {
        throw fail(L("\(what.zh)应是正整数,而不是「\(text)」。\(outcome.zh)",
                     "A \(what.en) is a positive whole number, not \"\(text)\". \(outcome.en)").trimmingCharacters(in: .whitespaces))
    }
    return id
}

/// A programme given on the command line, by code (rural_dibao) or label (农村低保), or a clear
/// error listing the known ones and saying `outcome`.
func programmeArgument(_ text: String, outcome: (zh: String, en: String)) throws -> Programme {
    guard let p = Programme(text: text.trimmingCharacters(in: .whitespaces)) else {
        let known = Programme.allCases.map { "\($0.rawValue)(\($0.label.zh))" }.joined(separator: "、")
        throw fail(L("没有救助项目「\(text)」。可用:\(known)。\(outcome.zh)",
                     "There is no programme \"\(text)\". Known: \(Programme.allCases.map(\.rawValue).joined(separator: ", ")). \(outcome.en)"))
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
        throw fail(L("找不到办理流程文件 data/programmes.json。\(outcome.zh)请在项目目录里运行,或设置 JIUZHU_HOME 为含 data/ 的文件夹。",
                     "Cannot find the programme steps file data/programmes.json. \(outcome.en) Run from the project folder, or set JIUZHU_HOME to the folder holding data/."))
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
    if passwordStdin { pw = readLine(strippingNewline: true) } else { pw = readSecret(L("\(name) 的密码:", "Password for \(name): ")) }
    return try guarded(lang) { try store.authenticate(name: name, password: pw ?? "") }
}


/// The command line's security model (README, "Security"): a command that changes data or shows
/// unmasked data acts as a named user, after that user's password (asked on the terminal
/// without echo, or the first line of standard input with `--password-stdin`), with a role the
/// screens would allow for the same work; its audit rows carry that user's name.
struct SignIn: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(L("以此用户身份操作(需输入其密码)", "act as this user (after their password)")))
    var user: String?
    @Flag(name: .customLong("password-stdin"), help: ArgumentHelp(L("从标准输入第一行读密码", "read the password from the first line of stdin")))
    var passwordStdin = false

    /// The user, checked: the password, an active account, one of `roles`. `what` names the work.
    func user(_ store: Store, roles: Set<Role>, what: (zh: String, en: String), lang: Lang) throws -> User {
        try signedIn(store, name: user, passwordStdin: passwordStdin, roles: roles, what: what, lang: lang)
    }
}

func signedIn(_ store: Store, name: String?, passwordStdin: Bool, roles: Set<Role>, what: (zh: String, en: String), lang: Lang) throws -> User {
    let allowed = Role.allCases.filter(roles.contains)
    guard let name, !name.isEmpty else {
        throw fail(L("\(what.zh)需要 --user 指定操作人(\(allowed.map(\.label.zh).joined(separator: "、"))),并输入其密码(或用 --password-stdin 从标准输入读)。什么也没有改动。",
                     "\(what.en) needs --user naming who does it (\(allowed.map(\.label.en).joined(separator: ", "))) and that user's password (asked, or read with --password-stdin). Nothing was changed."))
    }
    let u = try authenticated(store, name: name, passwordStdin: passwordStdin, lang: lang)
    guard roles.contains(u.role) else {
        throw fail(L("\(what.zh)仅限\(allowed.map(\.label.zh).joined(separator: "、"));\(name) 是\(u.role.label.zh)。什么也没有改动。",
                     "\(what.en) is for \(allowed.map(\.label.en).joined(separator: ", ")) only; \(name) is \(u.role.label.en). Nothing was changed."))
    }
    return u
}

enum SignInCheck {
    /// An administrator's password checked against `store` without writing to it; the name.
    static func offline(_ store: Store, _ signIn: SignIn, what: (zh: String, en: String), lang: Lang) throws -> String {
        guard let name = signIn.user, !name.isEmpty else {
            throw fail(L("\(what.zh)需要 --user 指定管理员,并输入其密码。什么也没有改动。", "\(what.en) needs --user naming an administrator, and that user's password. Nothing was changed."))
        }
        let pw = signIn.passwordStdin ? readLine(strippingNewline: true) : readSecret(L("\(name) 的密码:", "Password for \(name): "))
        let u = try guarded(lang) { try store.checkPassword(name: name, password: pw ?? "") }
        guard u.role == .admin else {
            throw fail(L("\(what.zh)仅限管理员;\(name) 是\(u.role.label.zh)。什么也没有改动。", "\(what.en) is for an administrator only; \(name) is \(u.role.label.en). Nothing was changed."))
        }
        return name
    }
}
