import Foundation

/// `prints/` beside the database, where every printed or exported file goes (made 0700 if
/// missing); the temporary folder for a database in memory (tests).
public enum PrintsFolder {
    public static func url(besides databasePath: String) throws -> URL {
        let base = databasePath.isEmpty || databasePath == ":memory:" ? FileManager.default.temporaryDirectory
            : URL(fileURLWithPath: databasePath).deletingLastPathComponent()
        let dir = base.appendingPathComponent("prints")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return dir
    }
}
