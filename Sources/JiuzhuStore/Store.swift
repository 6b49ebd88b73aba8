import Foundation
import GRDB
import JiuzhuModel

/// The office's database: one SQLite file (WAL, foreign keys, synchronous=FULL, busy timeout,
/// mode 0600). Every user change is one transaction that also writes its audit row.
public final class Store: @unchecked Sendable {
    public let writer: any DatabaseWriter
    /// The file path, or ":memory:".
    public let path: String
    /// PBKDF2 rounds for new password hashes; a stored hash with fewer is re-derived at the
    /// next successful login. Tests lower it to keep the suite quick.
    public var passwordIterations = PasswordHash.defaultIterations

    public enum OpenMode { case mustExist, create, createOrOpen }

    /// Open (or create) the database file at `path`.
    public init(path: String, mode: OpenMode) throws {
        self.path = path
        let fm = FileManager.default
        let exists = fm.fileExists(atPath: path)
        switch mode {
        case .mustExist where !exists: throw StoreError.missingFile(path: path)
        case .create where exists: throw StoreError.alreadyExists(path: path)
        default: break
        }
        if !exists {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty && !fm.fileExists(atPath: dir) {
                do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) }
                catch { throw StoreError.cannotCreate(path: path, detail: error.localizedDescription) }
            }
            // Create the file 0600 before SQLite does: SQLite gives its -wal and -shm files the
            // database file's permissions.
            let fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
            if fd < 0 { throw StoreError.cannotCreate(path: path, detail: String(cString: strerror(errno))) }
            close(fd)
        } else {
            if !fm.isReadableFile(atPath: path) { throw StoreError.readOnly(path: path) }
            if let size = try? fm.attributesOfItem(atPath: path)[.size] as? Int, size > 0, size < 100 {
                throw StoreError.notADatabase(path: path)
            }
        }
        let writable = fm.isWritableFile(atPath: path) && fm.isWritableFile(atPath: (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent)
        do {
            var config = Store.configuration()
            if !writable { config.readonly = true }
            writer = try DatabasePool(path: path, configuration: config)
            if !writable { throw StoreError.readOnly(path: path) }
            try Store.migrator.migrate(writer)
        } catch let e as StoreError {
            throw e
        } catch let e as DatabaseError {
            throw Store.translate(e, path: path)
        }
    }

    /// An in-memory database for tests (the real GRDB code path).
    public init() throws {
        path = ":memory:"
        writer = try DatabaseQueue(configuration: Store.configuration())
        try Store.migrator.migrate(writer)
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(5)
        // An old PC: few connections with small page caches (the OS caches the file anyway),
        // which keeps the app's peak memory near 40 MB at 100,000 households.
        config.maximumReaderCount = 2
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA cache_size = -1024")
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
        case .SQLITE_FULL: return .diskFull(path: path)
        case .SQLITE_CANTOPEN: return .cannotCreate(path: path, detail: e.message ?? "cannot open")
        default: return .invalid("\(path): \(e.message ?? e.description)")
        }
    }

    /// Read in a snapshot, translating database errors.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try writer.read(body) }
        catch let e as DatabaseError { throw Store.translate(e, path: path) }
    }

    /// One user change: `body` and its audit rows in one transaction.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try writer.write(body) }
        catch let e as DatabaseError {
            if e.resultCode == .SQLITE_CONSTRAINT { throw StoreError.invalid(e.message ?? "constraint failed") }
            throw Store.translate(e, path: path)
        }
    }

    /// Full integrity check of the file (used by `jiuzhu verify`).
    public func integrityCheck() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }.filter { $0 != "ok" }
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
