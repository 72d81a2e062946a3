import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A lock a daemon holds for its whole life: on `<connection file>.daemon.lock`, so that of two
/// daemons started on one connection file exactly one serves, and on `<state dir>/ballastd.lock`,
/// so that two daemons never keep their workspace in one state directory. The loser learns who
/// holds it and exits before it binds anything. The file holds the pid of the daemon that holds it.
///
/// An exclusive, non-blocking `flock`: the kernel drops it when the process ends, however it ends,
/// so a crashed daemon never leaves a stale lock. (Clients that start a daemon take `<file>.lock`
/// meanwhile, a different file: this one is the daemon's own.)
///
/// - Important: the lock lasts as long as its descriptor; `release()` is idempotent and `deinit`
///   releases what was not released.
public final class DaemonLock: Sendable {
    public enum Failure: Error, CustomStringConvertible, Equatable {
        /// Another daemon holds the lock: `pid` when it could be read.
        case held(connectionFile: String, pid: Int32?)
        /// Another daemon keeps its workspace in this state directory.
        case stateHeld(directory: String, pid: Int32?)
        case unusable(path: String, reason: String)

        public var description: String {
            switch self {
            case let .held(file, pid):
                let who = pid.map { "Another ballastd (pid \($0))" } ?? "Another ballastd"
                let stop = pid.map { "'ballast stop' or 'kill \($0)'" } ?? "'ballast stop'"
                return "\(who) already serves the connection file \(file); this one exits without binding anything. "
                    + "Use that daemon, stop it first (\(stop)), or give this one another --connection-file."
            case let .stateHeld(directory, pid):
                let who = pid.map { "Another ballastd (pid \($0))" } ?? "Another ballastd"
                return "\(who) keeps its workspace in \(directory); two daemons never share a state directory. "
                    + "Use that daemon, stop it first, or give this one another --state-dir (or --ephemeral)."
            case let .unusable(path, reason):
                return "Cannot take the daemon lock \(path): \(reason)"
            }
        }
    }

    public static func path(for connectionFile: String) -> String { connectionFile + ".daemon.lock" }
    public static func path(forStateDirectory directory: String) -> String { directory + "/ballastd.lock" }

    public let path: String
    private let descriptor = Mutex<Int32?>(nil)

    /// Takes the lock for the daemon serving `connectionFile`, creating the folder (mode 0700) when
    /// missing. Throws `.held` at once when another process holds it.
    public convenience init(connectionFile: String) throws(Failure) {
        try self.init(lockFile: Self.path(for: connectionFile)) { .held(connectionFile: connectionFile, pid: $0) }
    }

    /// Takes the lock on the state directory `directory`, creating it (mode 0700) when missing.
    /// Throws `.stateHeld` at once when another process holds it.
    public convenience init(stateDirectory directory: String) throws(Failure) {
        try self.init(lockFile: Self.path(forStateDirectory: directory)) { .stateHeld(directory: directory, pid: $0) }
    }

    private init(lockFile: String, held: (Int32?) -> Failure) throws(Failure) {
        path = lockFile
        let parts = FolderAndName(path)
        try? FileManager.default.createDirectory(atPath: parts.folder, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        let folder: OpenFolder
        do { folder = try OpenFolder(parts.folder, policy: .privateToOwner) } catch { throw .unusable(path: path, reason: error.reason) }
        let fd = openat(folder.descriptor, parts.name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let code = errno
            throw .unusable(path: path, reason: code == ELOOP ? "it is a symbolic link; delete it and start again."
                : String(cString: strerror(code)))
        }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_uid == geteuid() else {
            close(fd)
            throw .unusable(path: path, reason: "it is not a regular file of yours; delete it and start again.")
        }
        var locked: Int32
        repeat { locked = flock(fd, LOCK_EX | LOCK_NB) } while locked != 0 && errno == EINTR
        if locked != 0 {
            let code = errno
            guard code == EWOULDBLOCK else {
                close(fd)
                throw .unusable(path: path, reason: String(cString: strerror(code)))
            }
            let holder = Self.holder(fd)
            close(fd)
            throw held(holder)
        }
        let line = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, line, line.count, 0)
        descriptor.withLock { $0 = fd }
    }

    deinit { release() }

    /// Lets another daemon take the lock. The file stays: removing it would let two daemons lock
    /// two different files of one name.
    public func release() {
        guard let fd = descriptor.withLock({ held -> Int32? in
            defer { held = nil }
            return held
        }) else { return }
        close(fd)
    }

    /// The pid written in the lock file by the daemon that holds it. The winner of a race writes
    /// it just after locking, so a moment is allowed for it to appear (a bound, not a timing).
    private static func holder(_ fd: Int32) -> Int32? {
        for _ in 0..<50 {
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = pread(fd, &buffer, buffer.count, 0)
            if count > 0, let pid = Int32(String(decoding: buffer[..<count], as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0, kill(pid, 0) == 0 || errno == EPERM {
                return pid
            }
            usleep(20_000)
        }
        return nil
    }
}
