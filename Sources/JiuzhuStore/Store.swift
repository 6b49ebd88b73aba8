@preconcurrency import Crypto   // SymmetricKey is immutable: see KeyFile.swift
import Foundation
import GRDB
import JiuzhuModel
import Synchronization

/// The office's database: one SQLite file (WAL, foreign keys, synchronous=FULL, busy timeout,
/// mode 0600). Every user change is one transaction that also writes its audit row.
public final class Store: Sendable {
    /// Not public: a change goes through a store method that checks who may make it and writes
    /// its audit row in the same transaction (`write` is not public either). `read` is public:
    /// GRDB runs it read-only (a query-only connection), so it cannot change anything.
    let writer: any DatabaseWriter
    /// The file path, or ":memory:".
    public let path: String
    /// PBKDF2 rounds for new password hashes; a stored hash with fewer is re-derived at the
    /// next successful login. Tests lower it to keep the suite quick.
    public var passwordIterations: Int {
        get { iterations.load(ordering: .relaxed) }
        set { iterations.store(newValue, ordering: .relaxed) }
    }
    private let iterations = Atomic<Int>(PasswordHash.defaultIterations)
    /// The schema once opened and migrated: a write that leaves it different (a table made or
    /// dropped outside a migration) is rolled back (`write`).
    var schemaAtOpen: String {
        get { openedSchema.withLock { $0 } }
        set { openedSchema.withLock { $0 = newValue } }
    }
    private let openedSchema = Mutex<String>("")

    /// `readOnly`: never writes (not even a migration or a key file); `verify` uses it.
    public enum OpenMode: Sendable { case mustExist, create, createOrOpen, readOnly }

    /// The office's key (the file `keyPath`), nil only for a read-only opening without it.
    public let key: SymmetricKey?
    /// `NAME.key` and `NAME.anchor` beside the database (see `KeyFile`).
    public let keyPath: String
    public let anchorPath: String
    /// Whether `quick_check` ran before the file was opened (a file above `quickCheckLimit` is
    /// checked afterwards by `checkAfterOpening`, off the first screen's path).
    public let checkedWhenOpened: Bool
    /// What `checkAfterOpening` found wrong: from then on every write is refused.
    private let damage = Mutex<String?>(nil)

    /// Open (or create) the database file at `path`. An existing file is first looked at
    /// read-only: an empty file, one that is not SQLite, one made by a newer version, or one that
    /// fails `quick_check` is refused with a message naming it, and nothing is written. Only then
    /// is it opened for writing, and it is migrated only if a migration is due. `sidecars`: the
    /// name the key and anchor files follow (the final name while `init` builds `NAME.part`).
    /// `quickCheckLimit`: the size up to which the file is checked before it is opened (tests lower it).
    public init(path: String, mode: OpenMode, sidecars: String? = nil, anchor: String? = nil, allowUnsigned: Bool = false,
                quickCheckLimit: Int = Store.quickCheckLimit) throws {
        self.path = path
        keyPath = KeyFile.keyPath(for: sidecars ?? path)
        anchorPath = anchor ?? KeyFile.anchorPath(for: sidecars ?? path)
        let fm = FileManager.default
        var isDir: ObjCBool = false
        let exists = fm.fileExists(atPath: path, isDirectory: &isDir)
        if exists && isDir.boolValue { throw StoreError.notADatabase(path: path) }
        switch mode {
        case .mustExist where !exists, .readOnly where !exists: throw StoreError.missingFile(path: path)
        case .create where exists: throw StoreError.alreadyExists(path: path)
        default: break
        }
        var probe = Probe(checked: true)
        if exists {
            if !fm.isReadableFile(atPath: path) { throw StoreError.readOnly(path: path) }
            probe = try Store.probe(path, quickCheckLimit: quickCheckLimit)
        }
        if !exists {
            let dir = SafeFile.split(path).folder
            if !fm.fileExists(atPath: dir) {
                do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) }
                catch { throw StoreError.cannotCreate(path: path, detail: error.localizedDescription) }
            }
        }
        // The key: the file beside the database; a new one for a new database or one never
        // keyed; a keyed database whose key is gone is refused (read-only: checked without).
        let hadKey = fm.fileExists(atPath: keyPath)
        var key = try KeyFile.load(keyPath)
        if key == nil && mode != .readOnly {
            if probe.keyed { throw StoreError.keyMissing(path: keyPath) }
            key = try KeyFile.create(keyPath)
        }
        if exists && mode != .readOnly && !probe.keyed && probe.hasAudit && hadKey && !allowUnsigned {
            throw StoreError.unsignedDatabase(path: path)
        }
        if !exists {
            // A stale anchor of a database that was removed would claim rows this one never had.
            unlink(anchorPath)
        }
        self.key = key
        checkedWhenOpened = probe.checked
        if !exists {
            // Create the file 0600 before SQLite does: SQLite gives its -wal and -shm files the
            // database file's permissions.
            let fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
            if fd < 0 { throw StoreError.cannotCreate(path: path, detail: String(cString: strerror(errno))) }
            Glibc.close(fd)
        }
        let dir = SafeFile.split(path).folder
        let writable = fm.isWritableFile(atPath: path) && fm.isWritableFile(atPath: dir)
        do {
            var config = Store.configuration(key: key, anchorPath: mode == .readOnly ? nil : anchorPath)
            if mode == .readOnly {
                config.readonly = true
                writer = try DatabaseQueue(path: path, configuration: config)
            } else {
                if !writable { throw StoreError.readOnly(path: path) }
                writer = try DatabasePool(path: path, configuration: config)
                let (due, triggers) = try writer.read { db in
                    (!(try Store.migrator.hasCompletedMigrations(db)), try db.tableExists("guard_digest") && !(try Guarded.triggersComplete(db)))
                }
                if due { try Store.migrator.migrate(writer) }
                if triggers { try writer.write { try Guarded.installTriggers($0) } }
                schemaAtOpen = try writer.read { try Store.schemaText($0) }
            }
        } catch let e as StoreError {
            throw e
        } catch let e as DatabaseError {
            throw Store.translate(e, path: path)
        }
        SafeFile.protect(database: path)
        if let s = sidecars { SafeFile.protect(database: s) }
    }

    /// Close the file (the store is not used again); a WAL database is checkpointed and left as
    /// one file.
    public func close() throws {
        if let p = writer as? DatabasePool {
            try p.close()
            // The pool's readers close last and, read-only, leave the WAL beside the file: a
            // connection of its own folds it in, so the file is whole by itself.
            if FileManager.default.fileExists(atPath: path + "-wal") {
                let q = try DatabaseQueue(path: path, configuration: Store.waiting())
                try q.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
                try q.close()
            }
        }
        if let q = writer as? DatabaseQueue { try q.close() }
    }

    /// Make the file whole by itself (the WAL folded in, `journal_mode=DELETE`) and close it:
    /// before a file built as `.part` is renamed, since a `-wal` does not follow a rename.
    public func seal() throws {
        // The pool's readers close last and, read-only, cannot fold the WAL in: a connection of
        // its own does, once the pool is closed.
        try close()
        guard path != ":memory:" else { return }
        let q = try DatabaseQueue(path: path, configuration: Store.waiting())
        try q.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            try db.execute(sql: "PRAGMA journal_mode = DELETE")
        }
        try q.close()
    }

    /// Files up to this size get SQLite's `quick_check` before they are opened (some 11,000
    /// households; under a second even from a cold disk). A larger file is opened at once and
    /// checked by `checkAfterOpening` while the first screen is in use: 100,000 households are
    /// 567 MB, whose check took 16 s from a cold disk and 1.7 s from the page cache
    /// (docs/reliability.md).
    public static let quickCheckLimit = 64 << 20

    /// SQLite's `quick_check` on a read-only connection of its own, for a file that was too
    /// large to check before it was opened (`checkedWhenOpened` false; the app runs this in the
    /// background). A damaged file is remembered: every later write is refused with the same
    /// message, so nothing more is written into it. nil when the file is sound (or was checked).
    public func checkAfterOpening() -> StoreError? {
        guard path != ":memory:", !checkedWhenOpened else { return nil }
        let config = Store.checking()
        let found: StoreError?
        do {
            let q = try DatabaseQueue(path: path, configuration: config)
            defer { try? q.close() }
            let problems = try q.read { try String.fetchAll($0, sql: "PRAGMA quick_check") }.filter { $0 != "ok" }
            found = problems.isEmpty ? nil : .corrupt(path: path, detail: Store.summary(problems))
        } catch let e as DatabaseError {
            switch e.resultCode {
            case .SQLITE_CORRUPT, .SQLITE_NOTADB: found = .corrupt(path: path, detail: e.message ?? "corrupt")
            default: found = nil   // busy, out of memory ...: not a finding about the file
            }
        } catch {
            found = nil
        }
        if case .corrupt(_, let detail)? = found { damage.withLock { $0 = detail } }
        return found
    }

    /// SQLite's check findings, short enough for a message box: the first two lines (one row
    /// may hold many, such as "Page 136 is never used" for each page cut off by a damaged one),
    /// without its "*** in database main ***" heading, and "…" for the rest.
    public static func summary(_ problems: [String]) -> String {
        let lines = problems.flatMap { $0.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) } }
            .filter { !$0.isEmpty && !$0.hasPrefix("***") }
        return lines.prefix(2).joined(separator: "; ") + (lines.count > 2 ? " …" : "")
    }

    /// What the check after opening found wrong with the file, if anything.
    public var damaged: String? { damage.withLock { $0 } }

    /// What a read-only look at an existing file found.
    struct Probe {
        var keyed = false
        var hasAudit = false
        /// `quick_check` ran (the file is not above `quickCheckLimit`).
        var checked = false
    }

    /// Look at an existing file without writing to it: SQLite's header, `quick_check`, the
    /// migrations it has (none unknown to this build), whether its audit rows are keyed.
    /// A read-only connection for `probe` and `checkAfterOpening`. Another program's write holds
    /// the file for a moment (a rollback-journal file, as `init` and `demo` leave it, is locked
    /// while a commit is written): wait for it as writes do, rather than failing at once with
    /// "database is locked". `quick_check` reads every page once: SQLite's default 2 MB page
    /// cache only holds pages it will not read again (256 kB checks a 640 MB file as quickly),
    /// and `checkAfterOpening` runs while a clerk works (issue 26).
    static func checking() -> Configuration {
        var config = Configuration()
        config.readonly = true
        config.busyMode = Store.busyTimeout
        config.prepareDatabase { try $0.execute(sql: "PRAGMA cache_size = -256") }
        return config
    }

    static func probe(_ path: String, quickCheckLimit: Int = Store.quickCheckLimit) throws -> Probe {
        guard let h = FileHandle(forReadingAtPath: path) else { throw StoreError.readOnly(path: path) }
        let head = (try? h.read(upToCount: 100)) ?? Data()
        try? h.close()
        if head.isEmpty { throw StoreError.emptyFile(path: path) }
        guard head.count == 100, head.prefix(16) == Data("SQLite format 3\0".utf8) else { throw StoreError.notADatabase(path: path) }
        do {
            let q = try DatabaseQueue(path: path, configuration: Store.checking())
            defer { try? q.close() }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            return try q.read { db in
                if size <= quickCheckLimit {
                    let problems = try String.fetchAll(db, sql: "PRAGMA quick_check").filter { $0 != "ok" }
                    if !problems.isEmpty { throw StoreError.corrupt(path: path, detail: Store.summary(problems)) }
                } else {
                    // quick_check reads every page: a minute for a 700 MB file on a busy disk.
                    // Above the limit the schema and each table's first rows are read instead;
                    // `verify` and every backup still run the full check.
                    for t in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
                        _ = try Row.fetchAll(db, sql: "SELECT * FROM \"\(t)\" LIMIT 2")
                    }
                }
                if (try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0) != 0 { throw StoreError.newerSchema(path: path) }
                if try db.tableExists("grdb_migrations") {
                    let known = Set(Store.migrator.migrations)
                    if try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations").contains(where: { !known.contains($0) }) {
                        throw StoreError.newerSchema(path: path)
                    }
                }
                var p = Probe(checked: size <= quickCheckLimit)
                if try db.tableExists("audit") {
                    p.hasAudit = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM audit)") ?? false
                    if try db.columns(in: "audit").contains(where: { $0.name == "mac" }) {
                        p.keyed = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM audit WHERE mac IS NOT NULL)") ?? false
                    }
                } else if try !db.tableExists("household") && (try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0) > 0 {
                    throw StoreError.notADatabase(path: path)
                }
                return p
            }
        } catch let e as StoreError {
            throw e
        } catch let e as DatabaseError {
            throw Store.translate(e, path: path)
        }
    }

    /// An in-memory database for tests (the real GRDB code path), with a key of its own.
    public init() throws {
        path = ":memory:"
        keyPath = ""
        anchorPath = ""
        checkedWhenOpened = true
        let k = SymmetricKey(size: .bits256)
        key = k
        writer = try DatabaseQueue(configuration: Store.configuration(key: k, anchorPath: nil))
        try Store.migrator.migrate(writer)
        schemaAtOpen = try writer.read { try Store.schemaText($0) }
    }

    /// Every table, index and trigger with its definition, in a fixed order (SQLite's own
    /// `sqlite_stat1`, which `ANALYZE` makes, aside).
    static func schemaText(_ db: Database) throws -> String {
        try String.fetchAll(db, sql: """
            SELECT type || ' ' || name || ' ' || ifnull(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name
            """).joined(separator: "\n")
    }

    /// A plain connection that waits out another program's lock (`busyTimeout`).
    static func waiting() -> Configuration {
        var c = Configuration()
        c.busyMode = busyTimeout
        return c
    }

    /// How long an opening, a read or a write waits for another program's lock on the file.
    static let busyTimeout = Database.BusyMode.timeout(5)

    static func configuration(key: SymmetricKey? = nil, anchorPath: String? = nil) -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = Store.busyTimeout
        // An old PC: few connections with small page caches (the OS caches the file anyway),
        // which keeps the app's peak memory near 40 MB at 100,000 households.
        config.maximumReaderCount = 2
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA cache_size = -1024")
            if let key {
                Guarded.register(db, key: key)
                if let anchorPath { db.add(transactionObserver: AnchorKeeper(path: anchorPath, key: key), extent: .databaseLifetime) }
            }
        }
        return config
    }

    /// Turn SQLite's errors into ones a clerk can act on.
    public static func translate(_ e: DatabaseError, path: String) -> StoreError {
        switch e.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .locked(path: path)
        case .SQLITE_READONLY: return .readOnly(path: path)
        case .SQLITE_CORRUPT: return .corrupt(path: path, detail: e.message ?? "corrupt")
        case .SQLITE_NOTADB: return .notADatabase(path: path)
        case .SQLITE_ERROR where (e.message ?? "").contains("no such function: jz_"):
            return .invalid("\(path): the key functions are missing on this connection")
        case .SQLITE_FULL: return .diskFull(path: path)
        case .SQLITE_IOERR:
            // A file-size limit or a failing disk while SQLite writes its journal.
            return .writeFailed(path: path, detail: e.message ?? "I/O error")
        case .SQLITE_CANTOPEN: return .cannotCreate(path: path, detail: e.message ?? "cannot open")
        default: return .invalid("\(path): \(e.message ?? e.description)")
        }
    }

    /// Read in a snapshot, translating database errors. Read-only: GRDB refuses a write here.
    @discardableResult
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try writer.read(body) }
        catch let e as DatabaseError { throw Store.translate(e, path: path) }
    }

    /// One user change: `body` and its audit rows in one transaction. Internal: callers outside
    /// the store use its methods, each of which keeps the invariants and writes the audit row.
    ///
    /// Tables are made and dropped only by migrations: a change that leaves the schema other
    /// than it was after opening is rolled back. (SQLite's authorizer would refuse the statement
    /// itself, but GRDB keeps the connection's one authorizer for its own bookkeeping; the
    /// demo's bulk load drops triggers and indexes and makes them again, which is allowed.)
    /// `capture: false`: not recorded for the exchange even when the file takes part in one
    /// (applying the other side's package, which must not travel back).
    @discardableResult
    func write<T>(capture: Bool = true, _ body: (Database) throws -> T) throws -> T {
        if let d = damaged { throw StoreError.corrupt(path: path, detail: d) }
        let expected = schemaAtOpen
        let guarded = { (db: Database) throws -> T in
            let version = try Int.fetchOne(db, sql: "PRAGMA schema_version")
            let result: T
            if capture, try Changes.capturing(db) {
                // Taking part in an exchange: the transaction's changes kept with it (issue 25).
                let (r, changes) = try Changes.capture(db) { try body(db) }
                try Changes.checkOwnBlock(db, changes)
                try Changes.record(db, changes)
                result = r
            } else {
                result = try body(db)
            }
            if try Int.fetchOne(db, sql: "PRAGMA schema_version") != version, try Store.schemaText(db) != expected {
                let t = sayBoth("store.schemaChanged")
                throw StoreError.fieldRefused(zh: t.zh, en: t.en)
            }
            return result
        }
        do { return try writer.write(guarded) }
        catch let e as DatabaseError {
            if e.resultCode == .SQLITE_CONSTRAINT { throw StoreError.invalid(e.message ?? "constraint failed") }
            throw Store.translate(e, path: path)
        }
    }

    /// Full integrity check of the file: SQLite's `integrity_check` (`jiuzhu verify`), with a 16 MB page cache for the while: it
    /// seeks every index entry from its table row, and with the sessions' 1 MB cache each seek
    /// was a read from the OS (100,000 households in the shell: 9.6 s in the kernel with 1 MB,
    /// 2.4 s with 16 MB). The cache is given back afterwards.
    public func integrityCheck(cacheKB: Int = 16 * 1024) throws -> [String] {
        try read { db in
            try db.execute(sql: "PRAGMA cache_size = -\(cacheKB)")
            defer { try? db.execute(sql: "PRAGMA cache_size = -1024") }
            return try String.fetchAll(db, sql: "PRAGMA integrity_check")
        }.filter { $0 != "ok" }
    }

    // MARK: settings

    public func setting(_ key: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key]) }
    }

    public static func setting(_ db: Database, _ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key])
    }

    public static func setSetting(_ db: Database, _ key: String, _ value: String, description: String = "") throws {
        try db.execute(sql: """
            INSERT INTO setting(key, value, description) VALUES (?, ?, ?)
            ON CONFLICT(key) DO UPDATE SET value = excluded.value, version = version + 1
            """, arguments: [key, value, description])
    }

    public static func intSetting(_ db: Database, _ key: String, default d: Int) throws -> Int {
        try setting(db, key).flatMap { Int($0) } ?? d
    }
}

extension Store {
    /// Run `body` in a read and return the SQL statements it executed, arguments inlined (the
    /// benchmark replays them in the `sqlite3` shell to compare).
    public func captureSQL<T>(_ body: (Database) throws -> T) throws -> (T, [String]) {
        try read { db in
            var statements: [String] = []
            db.trace(options: .statement) { event in
                if case .statement(let s) = event { statements.append(s.expandedSQL) }
            }
            defer { db.trace(options: .statement, nil) }
            return (try body(db), statements)
        }
    }
}

extension Store {
    /// Make a new database at `path` the way nothing half-made is ever left under its name: it is
    /// built in `NAME.part` (a leftover of an interrupted run is removed first), closed, flushed
    /// to the disk and only then given its name; a failure removes the `.part`. The key and
    /// anchor files are those of `path` from the start.
    public static func build(at path: String, _ body: (Store) throws -> Void) throws -> Store {
        if FileManager.default.fileExists(atPath: path) { throw StoreError.alreadyExists(path: path) }
        let part = path + ".part"
        let leftovers = [part, part + "-wal", part + "-shm", part + "-journal"]
        for f in leftovers { unlink(f) }
        do {
            let store = try Store(path: part, mode: .create, sidecars: path)
            try body(store)
            try store.seal()
            try SafeFile.place(part, at: path, force: false, checked: true)
        } catch {
            for f in leftovers { unlink(f) }
            throw error
        }
        return try Store(path: path, mode: .mustExist)
    }
}
