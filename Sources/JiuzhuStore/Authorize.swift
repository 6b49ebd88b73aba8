import Foundation
import GRDB
import JiuzhuModel

extension Store {
    /// The acting user, as the database has them, if `Policy` lets their role do `p`; else
    /// `StoreError.notPermitted` naming the roles that may (an unknown or disabled name too).
    /// Every guarded write calls this inside its transaction, so a screen, a command and any
    /// other caller meet the same check; the caller's own idea of the role is never trusted.
    @discardableResult
    static func authorize(_ db: Database, _ actor: String, _ p: Permission) throws -> User {
        let user = try actingUser(db, actor, for: p)
        guard Policy.allows(user.role, p) else { throw StoreError.notPermitted(user: actor, role: user.role, permission: p) }
        return user
    }

    /// The active user named `actor`; `p` names the work in the refusal.
    static func actingUser(_ db: Database, _ actor: String, for p: Permission?) throws -> User {
        guard let row = try UserRow.named(db, actor) else { throw StoreError.notPermitted(user: actor, role: nil, permission: p) }
        let user = try row.user()
        if !user.active { throw StoreError.accountDisabled(actor) }
        return user
    }

    /// Whether `actor` may do `p`, for a screen or command asking before it offers the work
    /// (the store still checks on the write).
    public func may(_ actor: String, _ p: Permission) -> Bool {
        (try? read { db in try Store.authorize(db, actor, p) }) != nil
    }
}

extension Store {
    /// Every household for export as `forEachHouseholdForExport(unmasked:_:)`, with full ID
    /// numbers only for a user `Policy` allows (`Permission.exportUnmasked`), checked here.
    public func forEachHouseholdForExport(unmasked: Bool, by actor: String, _ body: ([String]) throws -> Void) throws {
        if unmasked { try read { db in try Store.authorize(db, actor, .exportUnmasked) } }
        try forEachHouseholdForExport(unmasked: unmasked, body)
    }
}
