import Crypto
import _CryptoExtras
import Foundation
import GRDB
import JiuzhuModel

/// Password hashing: PBKDF2-SHA256 from swift-crypto, a random 16-byte salt per user, and the
/// algorithm and round count stored per user so they can be raised later (a user's hash is
/// upgraded at their next successful login).
public enum PasswordHash {
    public static let algorithm = "pbkdf2-sha256"
    /// OWASP's 2023 minimum for PBKDF2-HMAC-SHA256.
    public static let defaultIterations = 600_000

    public static func derive(_ password: String, salt: [UInt8], iterations: Int) throws -> [UInt8] {
        let key = try KDF.Insecure.PBKDF2.deriveKey(from: Array(password.utf8), salt: salt, using: .sha256,
                                                    outputByteCount: 32, unsafeUncheckedRounds: iterations)
        return key.withUnsafeBytes { Array($0) }
    }

    public static func newSalt() -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: 0...255, using: &g) }
    }

    /// Constant-time comparison.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var d: UInt8 = 0
        for i in 0..<a.count { d |= a[i] ^ b[i] }
        return d == 0
    }
}

/// A row of `app_user`, read and written through GRDB's record protocols. A role this build does
/// not know is an error naming the user and the value, never silently a clerk.
struct UserRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "app_user"
    var id: Int64?
    var name: String
    var displayName: String
    var role: String
    var active: Bool
    var pwAlgo: String
    var pwIterations: Int
    var pwSalt: Data
    var pwHash: Data
    var failedAttempts: Int
    var lockedUntil: String?
    var version: Int
    var createdAt: String

    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    static func named(_ db: Database, _ name: String) throws -> UserRow? {
        try UserRow.filter(Column("name") == name).fetchOne(db)
    }

    /// The user, or `StoreError.unknownRole` when the stored role is not one of `Role`.
    func user() throws -> User {
        guard let r = Role(rawValue: role) else { throw StoreError.unknownRole(user: name, value: role) }
        return User(id: id, name: name, displayName: displayName, role: r, active: active)
    }

    func status() throws -> Store.UserStatus {
        Store.UserStatus(user: try user(), failedAttempts: failedAttempts, lockedUntil: lockedUntil)
    }
}

extension Store {
    /// Add a user. `iterations` is lowered only by tests.
    @discardableResult
    public func addUser(name: String, displayName: String? = nil, role: Role, password: String,
                        by actor: String, iterations: Int? = nil) throws -> Int64 {
        let iterations = iterations ?? passwordIterations
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 32, !name.contains(where: { $0.isWhitespace }) else {
            throw StoreError.said("store.users.aUserNameIs")
        }
        try TextBounds.check(name, field: pair("store.users.theUserName"), max: 32)
        if let d = displayName { try TextBounds.check(d, field: pair("store.users.theFullName"), allowEmpty: true) }
        guard password.count >= 4 else {
            throw StoreError.said("store.users.thePasswordNeedsAt")
        }
        let salt = PasswordHash.newSalt()
        let hash = try PasswordHash.derive(password, salt: salt, iterations: iterations)
        return try write { db in
            // The first user of a new database (`init`) is an administrator, made by no one;
            // after that only an administrator adds users.
            if try UserRow.fetchCount(db) > 0 || role != .admin { try Store.authorize(db, actor, .manageUsers) }
            if try UserRow.named(db, name) != nil {
                throw StoreError.userExists(name)
            }
            let row = UserRow(id: nil, name: name, displayName: displayName ?? name, role: role.rawValue, active: true,
                              pwAlgo: PasswordHash.algorithm, pwIterations: iterations, pwSalt: Data(salt), pwHash: Data(hash),
                              failedAttempts: 0, lockedUntil: nil, version: 1, createdAt: Timestamp.now())
            try row.insert(db)
            let id = row.id ?? db.lastInsertedRowID
            try Audit.append(db, user: actor, action: "user.add", entity: "user", entityId: name,
                             detail: Audit.detail(["role": role.rawValue, "display_name": displayName ?? name]))
            return id
        }
    }

    public func users() throws -> [User] {
        try read { db in try UserRow.order(Column("id")).fetchAll(db).map { try $0.user() } }
    }

    public struct UserStatus: Sendable {
        public var user: User
        public var failedAttempts: Int
        public var lockedUntil: String?
    }

    public func userStatus(_ name: String) throws -> UserStatus? {
        try read { db in try UserRow.named(db, name)?.status() }
    }

    /// Check a password. Wrong passwords count up; the `lockout_attempts`-th locks the account
    /// for `lockout_minutes` (settings, default 5 and 15). Every outcome is audited.
    public func authenticate(name: String, password: String, now: Date = Date()) throws -> User {
        // Read the stored hash first, derive outside the write lock (PBKDF2 is deliberately slow).
        guard let row = try read({ db in try UserRow.named(db, name) }) else {
            // Audited like a wrong password, under no user, with the name typed (shown safely);
            // the message is the same as for a wrong password.
            try write { db in
                try Audit.append(db, user: "?", action: "login.failed", entity: "user", entityId: TextBounds.visible(String(name.prefix(40))),
                                 detail: Audit.detail(["reason": "unknown name"]))
            }
            throw StoreError.loginFailed
        }
        let user = try row.user()
        if !user.active { throw StoreError.accountDisabled(name) }
        if let until = row.lockedUntil, let d = ClockText.parseUTC(until), d > now {
            throw StoreError.accountLocked(until: Store.localTime(d))
        }
        let salt = [UInt8](row.pwSalt)
        let stored = [UInt8](row.pwHash)
        let iterations = row.pwIterations
        let ok = PasswordHash.equal(try PasswordHash.derive(password, salt: salt, iterations: iterations), stored)
        let target = passwordIterations
        let upgrade: (salt: [UInt8], hash: [UInt8])? = ok && iterations < target
            ? { let s = PasswordHash.newSalt(); return (s, (try? PasswordHash.derive(password, salt: s, iterations: target)) ?? []) }()
            : nil
        let outcome: StoreError? = try write { db in
            if ok {
                try db.execute(sql: "UPDATE app_user SET failed_attempts = 0, locked_until = NULL WHERE name = ?", arguments: [name])
                if let u = upgrade, !u.hash.isEmpty {
                    try db.execute(sql: "UPDATE app_user SET pw_salt = ?, pw_hash = ?, pw_iterations = ? WHERE name = ?",
                                   arguments: [Data(u.salt), Data(u.hash), target, name])
                }
                try Audit.append(db, user: name, action: "login", entity: "user", entityId: name, detail: "{}")
                return nil
            }
            let maxAttempts = try Store.intSetting(db, "lockout_attempts", default: 5)
            let minutes = try Store.intSetting(db, "lockout_minutes", default: 15)
            let failed = (try Int.fetchOne(db, sql: "SELECT failed_attempts FROM app_user WHERE name = ?", arguments: [name]) ?? 0) + 1
            if failed >= maxAttempts {
                let until = now.addingTimeInterval(TimeInterval(minutes * 60))
                try db.execute(sql: "UPDATE app_user SET failed_attempts = 0, locked_until = ? WHERE name = ?",
                               arguments: [ClockText.utc(until), name])
                try Audit.append(db, user: name, action: "login.locked", entity: "user", entityId: name,
                                 detail: Audit.detail(["until": ClockText.utc(until)]))
                return StoreError.accountLocked(until: Store.localTime(until))
            }
            try db.execute(sql: "UPDATE app_user SET failed_attempts = ? WHERE name = ?", arguments: [failed, name])
            try Audit.append(db, user: name, action: "login.failed", entity: "user", entityId: name,
                             detail: Audit.detail(["attempt": String(failed)]))
            return StoreError.loginFailed
        }
        if let e = outcome { throw e }
        return user
    }

    /// Check a password without writing anything (the users of a backup a rescue puts in place
    /// of a database that cannot be opened). A wrong name or password: `loginFailed`.
    public func checkPassword(name: String, password: String) throws -> User {
        guard let row = try read({ db in try UserRow.named(db, name) }) else {
            throw StoreError.loginFailed
        }
        let user = try row.user()
        let ok = PasswordHash.equal(try PasswordHash.derive(password, salt: [UInt8](row.pwSalt), iterations: row.pwIterations),
                                    [UInt8](row.pwHash))
        guard ok else { throw StoreError.loginFailed }
        if !user.active { throw StoreError.accountDisabled(name) }
        return user
    }

    /// Every user with their lock state, for the administrator's list.
    public func userStatuses() throws -> [UserStatus] {
        try read { db in try UserRow.order(Column("id")).fetchAll(db).map { try $0.status() } }
    }

    /// Disable or enable a user. The last active administrator is never disabled (nobody could
    /// manage users again), nor is the one doing it.
    public func setUserActive(name: String, active: Bool, by actor: String) throws {
        try write { db in
            try Store.authorize(db, actor, .manageUsers)
            guard let role = try String.fetchOne(db, sql: "SELECT role FROM app_user WHERE name = ?", arguments: [name]) else {
                throw StoreError.unknownUser(name)
            }
            if !active {
                if name == actor { throw StoreError.said("store.users.youCannotDisableYour") }
                let admins = try Int.fetchOne(db, sql: "SELECT count(*) FROM app_user WHERE role = 'admin' AND active = 1 AND name <> ?",
                                              arguments: [name]) ?? 0
                if role == Role.admin.rawValue && admins == 0 {
                    throw StoreError.said("store.users.thisIsTheLast")
                }
            }
            try db.execute(sql: "UPDATE app_user SET active = ?, failed_attempts = 0, locked_until = NULL WHERE name = ?",
                           arguments: [active, name])
            try Audit.append(db, user: actor, action: active ? "user.enable" : "user.disable", entity: "user", entityId: name, detail: "{}")
        }
    }

    /// Give a user a new password (and lift any lock). The password itself is never audited.
    public func resetPassword(name: String, password: String, by actor: String, iterations: Int? = nil) throws {
        guard password.count >= 4 else {
            throw StoreError.said("store.users.thePasswordNeedsAt")
        }
        guard try userStatus(name) != nil else { throw StoreError.unknownUser(name) }
        let iterations = iterations ?? passwordIterations
        let salt = PasswordHash.newSalt()
        let hash = try PasswordHash.derive(password, salt: salt, iterations: iterations)
        try write { db in
            try Store.authorize(db, actor, .manageUsers)
            try db.execute(sql: """
                UPDATE app_user SET pw_algo = ?, pw_iterations = ?, pw_salt = ?, pw_hash = ?, failed_attempts = 0, locked_until = NULL
                WHERE name = ?
                """, arguments: [PasswordHash.algorithm, iterations, Data(salt), Data(hash), name])
            try Audit.append(db, user: actor, action: "user.password", entity: "user", entityId: name, detail: "{}")
        }
    }

    static func localTime(_ d: Date) -> String {
        ClockText.local(d, "%Y-%m-%d %H:%M")
    }
}
