#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// Writes a whole file so that a reader sees either the old contents or the new ones, never a
/// part, and so that the new contents survive a crash once `write` has returned.
///
/// A temporary file is created beside the target (same directory, hence same file system) with
/// the final mode, written in full and fsynced, then renamed over the target; the directory is
/// fsynced last so that the rename itself is durable.
///
/// - Important: errno is read straight after each failing call, before the cleanup (`close`,
///   `unlink`) that would replace it. Calls interrupted by a signal (EINTR) are retried.
public enum AtomicFile {
    /// The step of a write that failed.
    public enum Step: String, Sendable {
        case create = "creating a temporary file beside it"
        case write = "writing the temporary file"
        case sync = "syncing the temporary file to disk"
        case close = "closing the temporary file"
        case rename = "renaming the temporary file over it"
        case syncDirectory = "syncing its directory to disk"
    }

    /// Why a write failed: the path asked for, the step that failed and the system's errno.
    public struct WriteError: Error, Sendable, Equatable, CustomStringConvertible {
        public let path: String
        public let step: Step
        public let code: Int32

        /// The system's sentence for `code`: "No such file or directory".
        public var reason: String { String(cString: strerror(code)) }
        public var description: String { "Cannot write \(path): \(reason)" }
    }

    /// Replaces the file at `path` with `bytes`. The new file gets `mode` less the process's
    /// umask, as `open(2)` gives it (0o666 gives the usual 0o644; 0o600 keeps a secret private
    /// from its first byte on). The target's directory must exist.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o666) throws(WriteError) {
        let (folder, name) = split(path)
        let temporary = folder + "/." + name + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let opened = retryingInterrupts { open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode) }
        guard opened.value >= 0 else { throw WriteError(path: path, step: .create, code: opened.code) }
        let fd = opened.value

        var offset = 0
        while offset < bytes.count {
            let (written, code) = bytes.withUnsafeBytes { buffer in
                let result = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                return (result, result < 0 ? errno : 0)
            }
            if written < 0 {
                if code == EINTR { continue }
                abandon(fd, temporary)
                throw WriteError(path: path, step: .write, code: code)
            }
            offset += written
        }
        let synced = retryingInterrupts { fsync(fd) }
        guard synced.value == 0 else {
            abandon(fd, temporary)
            throw WriteError(path: path, step: .sync, code: synced.code)
        }
        // Not retried: on Linux the descriptor is released even when close reports EINTR.
        if close(fd) != 0 {
            let code = errno
            if code != EINTR {
                unlink(temporary)
                throw WriteError(path: path, step: .close, code: code)
            }
        }
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw WriteError(path: path, step: .rename, code: code)
        }
        try syncDirectory(folder, path: path)
    }

    /// Makes the rename durable. A file system that cannot sync a directory (EINVAL) is accepted.
    private static func syncDirectory(_ folder: String, path: String) throws(WriteError) {
        let opened = retryingInterrupts { open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard opened.value >= 0 else { throw WriteError(path: path, step: .syncDirectory, code: opened.code) }
        let synced = retryingInterrupts { fsync(opened.value) }
        close(opened.value)
        guard synced.value == 0 || synced.code == EINVAL else {
            throw WriteError(path: path, step: .syncDirectory, code: synced.code)
        }
    }

    /// Runs a system call again while a signal interrupts it; on failure also returns errno,
    /// read before anything else can run.
    private static func retryingInterrupts(_ call: () -> Int32) -> (value: Int32, code: Int32) {
        while true {
            let value = call()
            if value >= 0 { return (value, 0) }
            let code = errno
            if code != EINTR { return (value, code) }
        }
    }

    /// Closes and removes a temporary file after a failure whose errno has already been kept.
    private static func abandon(_ fd: Int32, _ temporary: String) {
        close(fd)
        unlink(temporary)
    }

    /// `/a/b/c.json` → (`/a/b`, `c.json`); `c.json` → (`.`, `c.json`); `/c.json` → (`/`, `c.json`).
    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }
}
