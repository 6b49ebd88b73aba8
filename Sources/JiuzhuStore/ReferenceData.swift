import Foundation
import GRDB

// Placeholder until the reference-data loader lands: the tables only.
public struct ReferenceData {
    public static func createTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE ref_code(kind TEXT NOT NULL, code TEXT NOT NULL, zh TEXT NOT NULL, en TEXT NOT NULL,
                extra TEXT NOT NULL DEFAULT '', sort INTEGER NOT NULL, PRIMARY KEY(kind, code));
            CREATE TABLE standard(programme TEXT NOT NULL, area TEXT NOT NULL, effective_from TEXT NOT NULL,
                amount_fen INTEGER NOT NULL, period TEXT NOT NULL, PRIMARY KEY(programme, area, effective_from));
            CREATE TABLE holiday(date TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL);
            CREATE TABLE setting(key TEXT PRIMARY KEY, value TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
                version INTEGER NOT NULL DEFAULT 1);
            """)
    }
}

// Placeholder API (replaced by the loader).
extension ReferenceData {
    public static func defaultDirectory() -> URL? { nil }
    public static func load(from directory: URL) throws -> ReferenceData { ReferenceData() }
    public func install(in db: Database) throws {}
}
