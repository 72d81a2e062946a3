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
/// The target's folder is opened once, and everything after happens relative to that open
/// folder (`openat`, `renameat`), so a folder swapped for a link midway changes nothing. A
/// temporary file with a random name is created in it (`O_CREAT | O_EXCL | O_NOFOLLOW`: never
/// an existing file, never through a planted link) with the final mode, written in full and
/// fsynced, then renamed over the target (a link planted at the target is replaced, not
/// followed); the folder is fsynced last so that the rename itself is durable. A caller that has
/// opened and checked the folder itself (`OpenFolder`) writes into it with `write(_:named:in:)`.
///
/// - Important: errno is read straight after each failing call, before the cleanup (`close`,
///   `unlink`) that would replace it. Calls interrupted by a signal (EINTR) are retried.
public enum AtomicFile {
    /// The step of a write that failed.
    public enum Step: String, Sendable {
        case openFolder = "opening its folder"
        case checkFolder = "checking who may write in its folder"
        case create = "creating a temporary file beside it"
        case write = "writing the temporary file"
        case sync = "syncing the temporary file to disk"
        case close = "closing the temporary file"
        case rename = "renaming the temporary file over it"
        case syncDirectory = "syncing its directory to disk"
    }

    /// Which folders a file may be written into.
    public enum FolderPolicy: Sendable {
        /// Any folder the process may write in, reached through links or not.
        case any
        /// A secret's folder: not a symbolic link, owned by this user, and writable by nobody
        /// else (unless sticky, where others cannot replace what is ours).
        case privateToOwner
    }

    /// Why a write failed: the path asked for, the step that failed and the system's errno (or,
    /// for a folder refused by its policy, a sentence saying why).
    public struct WriteError: Error, Sendable, Equatable, CustomStringConvertible {
        public let path: String
        public let step: Step
        public let code: Int32
        public let explanation: String?

        init(path: String, step: Step, code: Int32, explanation: String? = nil) {
            self.path = path
            self.step = step
            self.code = code
            self.explanation = explanation
        }

        /// The system's sentence for `code` ("No such file or directory"), or the explanation.
        public var reason: String { explanation ?? String(cString: strerror(code)) }
        public var description: String { "Cannot write \(path): \(reason)" }
    }

    /// Replaces the file at `path` with `bytes`. The new file gets `mode` less the process's
    /// umask, as `open(2)` gives it (0o666 gives the usual 0o644; 0o600 keeps a secret private
    /// from its first byte on). The target's directory must exist and satisfy `folderPolicy`.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o666,
                             folderPolicy: FolderPolicy = .any) throws(WriteError) {
        try write(bytes, to: path, mode: mode, folderPolicy: folderPolicy, temporaryName: nil)
    }

    /// `temporaryName` lets tests plant something at the name the temporary file will take.
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t, folderPolicy: FolderPolicy,
                      temporaryName: String?) throws(WriteError) {
        let parts = FolderAndName(path)
        let folder: OpenFolder
        do {
            folder = try OpenFolder(parts.folder, policy: folderPolicy)
        } catch {
            let step: Step = error.stage == .check ? .checkFolder : error.code == ENOENT ? .create : .openFolder
            throw WriteError(path: path, step: step, code: error.code, explanation: error.explanation)
        }
        try write(bytes, named: parts.name, in: folder, mode: mode, temporaryName: temporaryName, shownAs: path)
    }

    /// Replaces the entry `name` of a folder already open (see `OpenFolder`) with `bytes`, as
    /// `write(_:to:)` does: whatever the folder's path names by now, the file lands in the folder
    /// that was opened. Errors name `folder.path` + `name`.
    public static func write(_ bytes: [UInt8], named name: String, in folder: borrowing OpenFolder,
                             mode: mode_t = 0o666) throws(WriteError) {
        try write(bytes, named: name, in: folder, mode: mode, temporaryName: nil,
                  shownAs: FolderAndName(folder.path + "/" + name).path)
    }

    static func write(_ bytes: [UInt8], named name: String, in openFolder: borrowing OpenFolder, mode: mode_t,
                      temporaryName: String?, shownAs path: String) throws(WriteError) {
        guard FolderAndName.isEntryName(name) else {
            throw WriteError(path: path, step: .create, code: EINVAL, explanation: "it names no file inside its folder.")
        }
        let folder = openFolder.descriptor
        let temporary = temporaryName ?? "." + name + ".\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        let opened = retryingInterrupts {
            openat(folder, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        }
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
                abandon(fd, temporary, in: folder)
                throw WriteError(path: path, step: .write, code: code)
            }
            offset += written
        }
        let synced = retryingInterrupts { fsync(fd) }
        guard synced.value == 0 else {
            abandon(fd, temporary, in: folder)
            throw WriteError(path: path, step: .sync, code: synced.code)
        }
        // Not retried: on Linux the descriptor is released even when close reports EINTR.
        if close(fd) != 0 {
            let code = errno
            if code != EINTR {
                unlinkat(folder, temporary, 0)
                throw WriteError(path: path, step: .close, code: code)
            }
        }
        if renameat(folder, temporary, folder, name) != 0 {
            let code = errno
            unlinkat(folder, temporary, 0)
            throw WriteError(path: path, step: .rename, code: code)
        }
        let folderSynced = retryingInterrupts { fsync(folder) }
        guard folderSynced.value == 0 || folderSynced.code == EINVAL else {
            throw WriteError(path: path, step: .syncDirectory, code: folderSynced.code)
        }
    }

    /// Closes and removes a temporary file after a failure whose errno has already been kept.
    private static func abandon(_ fd: Int32, _ temporary: String, in folder: Int32) {
        close(fd)
        unlinkat(folder, temporary, 0)
    }
}
