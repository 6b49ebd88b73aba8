import Foundation
import GRDB
import JiuzhuModel
@testable import JiuzhuStore
import Testing

/// Opening a database another program is writing to waits out its lock (the 5 s busy timeout)
/// on the read-only path as on the write path, instead of failing with "database is locked".
@Suite(.serialized) struct LockTests {
    /// A database as `init` leaves it (sealed: one file, rollback journal), and a second
    /// connection that holds its write lock until `release` is signalled.
    func lockedDatabase() throws -> (path: String, held: DispatchSemaphore, release: DispatchSemaphore, done: DispatchSemaphore) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jz-lock-\(UUID().uuidString)")
        let path = dir.appendingPathComponent("office.sqlite").path
        let s = try Store(path: path, mode: .create)
        s.passwordIterations = 1000
        try s.addUser(name: "admin", role: .admin, password: "demo", by: "init")
        try s.seal()
        let other = try DatabaseQueue(path: path)
        let held = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? other.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN EXCLUSIVE")
                held.signal()
                release.wait()
                try db.execute(sql: "COMMIT")
            }
            try? other.close()
            done.signal()
        }
        held.wait()
        return (path, held, release, done)
    }

    @Test(arguments: [Store.OpenMode.readOnly, .mustExist])
    func anOpeningWaitsForAnotherProgramsWrite(mode: Store.OpenMode) throws {
        let (path, _, release, done) = try lockedDatabase()
        // The other program commits a moment later, well within the busy timeout.
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { release.signal() }
        let s = try Store(path: path, mode: mode)
        #expect(try s.users().map(\.name) == ["admin"])
        try s.close()
        done.wait()
    }

    /// Without the wait the opening would fail: the lock is really held (a connection that does
    /// not wait is refused while it is).
    @Test func theLockIsReallyHeld() throws {
        let (path, _, release, done) = try lockedDatabase()
        var config = Configuration()
        config.readonly = true
        #expect(throws: DatabaseError.self) {
            let q = try DatabaseQueue(path: path, configuration: config)
            defer { try? q.close() }
            _ = try q.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM app_user") }
        }
        release.signal()
        done.wait()
        let q = try DatabaseQueue(path: path, configuration: config)
        #expect(try q.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM app_user") } == 1)
        try q.close()
    }
}
