import Foundation
import Synchronization

/// The one way the program writes a file (exports, prints, reports, the anchor file): the bytes
/// go to `NAME.part` (mode 0600), are flushed to the disk (`fsync`), and only then is the file
/// given its name, so a full disk, a crash or a kill leaves either the whole file or nothing
/// that looks like one. It refuses the files of any database this process has open (the file,
/// its `-wal`, `-shm`, `-journal`, key and anchor files) and, unless `force`, a file that exists.
public enum SafeFile {
    /// Databases this process has open; their files are never written through here.
    private static let protected = Mutex<Set<String>>([])

    /// Keep the files of the database at `path` from being written (called by `Store`).
    public static func protect(database path: String) {
        guard path != ":memory:" else { return }
        let file = canonical(path)
        protected.withLock { _ = $0.insert(file) }
    }

    /// The files that make up the database at `path`.
    public static func databaseFiles(_ path: String) -> [String] {
        [path, path + "-wal", path + "-shm", path + "-journal", KeyFile.keyPath(for: path), KeyFile.anchorPath(for: path)]
    }

    /// The folder part and the name of `path` ("." for a bare name). Not NSString's
    /// `deletingLastPathComponent`, which traps on a one-character path in this Foundation.
    public static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    /// `path` with its folder's symbolic links resolved (the file itself need not exist).
    static func canonical(_ path: String) -> String {
        let abs = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        if let r = realpath(abs, nil) { defer { free(r) }; return String(cString: r) }
        let (dir, name) = split(abs)
        if let r = realpath(dir, nil) { defer { free(r) }; return String(cString: r) + "/" + name }
        return abs
    }

    /// Refuse `path` when it is one of an open database's files (by name, or by inode for a
    /// hard link) or, unless `force`, when it exists; a folder is always refused.
    public static func check(_ path: String, force: Bool) throws {
        let target = canonical(path)
        var st = stat()
        let exists = lstat(path, &st) == 0
        let dbs = protected.withLock { $0 }
        for db in dbs {
            for f in databaseFiles(db) {
                if canonical(f) == target { throw StoreError.databaseFile(path: path) }
                var o = stat()
                if exists, stat(f, &o) == 0, o.st_dev == st.st_dev, o.st_ino == st.st_ino { throw StoreError.databaseFile(path: path) }
            }
        }
        if exists {
            if (st.st_mode & S_IFMT) == S_IFDIR { throw StoreError.writeFailed(path: path, detail: "is a folder / 是文件夹") }
            if !force { throw StoreError.fileExists(path: path) }
        }
    }

    /// The error for a failed write to `path` with `errno` `code`.
    static func failure(_ path: String, _ code: Int32) -> StoreError {
        switch code {
        case ENOSPC, EFBIG, EDQUOT: return .fileDiskFull(path: path)
        default: return .writeFailed(path: path, detail: String(cString: strerror(code)))
        }
    }

    /// Writes to an open descriptor; every failure is thrown, never a trap.
    public final class Writer {
        let fd: Int32
        let path: String
        var buffer: [UInt8] = []
        init(fd: Int32, path: String) { self.fd = fd; self.path = path }

        public func write(_ text: String) throws {
            buffer.append(contentsOf: text.utf8)
            if buffer.count >= 1 << 16 { try flush() }
        }
        public func write(_ data: Data) throws { try write(Array(data)) }
        public func write(_ bytes: [UInt8]) throws {
            buffer += bytes
            if buffer.count >= 1 << 16 { try flush() }
        }
        /// A CSV line's bytes.
        public func write(_ line: CSVLine) throws { try write(line.bytes) }
        public func flush() throws {
            var done = 0
            while done < buffer.count {
                let n = buffer[done...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw SafeFile.failure(path, errno)
                }
                done += n
            }
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// Write `text` to `path` whole (see the type's comment).
    public static func write(_ text: String, to path: String, force: Bool = false) throws {
        try stream(to: path, force: force) { try $0.write(text) }
    }

    public static func write(_ data: Data, to path: String, force: Bool = false) throws {
        try stream(to: path, force: force) { try $0.write(data) }
    }

    /// Write `path` through `body`, in pieces; nothing is left if `body` or the disk fails.
    public static func stream(to path: String, force: Bool = false, _ body: (Writer) throws -> Void) throws {
        try stream(to: path, force: force, unchecked: false, sync: true, body)
    }

    /// `unchecked`: the store's own files (key, anchor), which `check` would refuse.
    static func stream(to path: String, force: Bool, unchecked: Bool, sync: Bool = true, _ body: (Writer) throws -> Void) throws {
        if !unchecked { try check(path, force: force) }
        let part = path + ".part"
        unlink(part)
        let fd = open(part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure(path, errno) }
        var closed = false
        do {
            fchmod(fd, 0o600)
            let w = Writer(fd: fd, path: path)
            try body(w)
            try w.flush()
            if sync, fsync(fd) != 0 { throw failure(path, errno) }
            closed = true
            if close(fd) != 0 { throw failure(path, errno) }
            try place(part, at: path, force: force, checked: true, sync: sync)
        } catch {
            if !closed { close(fd) }
            unlink(part)
            throw error
        }
    }

    /// Give a finished file (`built`, written by a library such as libxlsxwriter) its name: it is
    /// made 0600 and flushed to the disk, then renamed to `path` (refused as `check` says). On any
    /// failure `built` is removed.
    public static func place(_ built: String, at path: String, force: Bool = false, checked: Bool = false, sync: Bool = true) throws {
        do {
            if !checked { try check(path, force: force) }
            guard chmod(built, 0o600) == 0 else { throw failure(path, errno) }
            if sync {
                let fd = open(built, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { throw failure(path, errno) }
                let synced = fsync(fd) == 0
                let e = errno
                close(fd)
                if !synced { throw failure(path, e) }
            }
            if force {
                guard rename(built, path) == 0 else { throw failure(path, errno) }
            } else {
                // link() never replaces: a file made meanwhile under the name is kept.
                if link(built, path) != 0 {
                    let e = errno
                    if e == EEXIST { throw StoreError.fileExists(path: path) }
                    // A file system without hard links (a FAT stick): check, then rename.
                    if access(path, F_OK) == 0 { throw StoreError.fileExists(path: path) }
                    guard rename(built, path) == 0 else { throw failure(path, errno) }
                } else {
                    unlink(built)
                }
            }
            if sync { syncFolder(of: path) }
        } catch {
            unlink(built)
            throw error
        }
    }

    /// Flush a folder's entries (a rename is durable once its folder is).
    public static func syncFolder(of path: String) {
        let fd = open(split(path).folder, O_RDONLY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    /// Standard output as a `Writer` (a full disk behind `>` is an error, not a trap).
    public static func standardOutput(_ body: (Writer) throws -> Void) throws {
        let w = Writer(fd: 1, path: "stdout")
        try body(w)
        try w.flush()
    }
}
