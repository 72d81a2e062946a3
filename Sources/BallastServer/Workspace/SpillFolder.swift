import BallastProtocol
import Foundation
import Synchronization

/// Where the row files of disk datasets (`dataset/load` with `storage: "disk"`) that are not kept
/// live (a kept one's row file is written into the datasets folder instead, `DatasetKeeper`):
/// `<state dir>/spill/` for a daemon with a state directory, a private folder of its own in the
/// temporary directory (`ballast-spill-<pid>-XXXXXX`) for an ephemeral one. Both are 0700; each
/// row file is 0600 and deleted when its dataset goes away (dropped or replaced).
///
/// Stale files, left by a daemon that stopped without dropping its disk datasets (a spill file is
/// never kept across restarts), are removed when the folder is first used: every file in `spill/` (this
/// daemon holds the state directory's lock and has written nothing there yet), and the temporary
/// folders of ephemeral daemons whose process is gone. A daemon that stops gracefully removes its
/// own (`removeAll`).
public final class SpillFolder: Sendable {
    /// The folder once made, and whether it is an ephemeral daemon's own (removed at stop).
    private let folder = Mutex<(path: String, temporary: Bool)?>(nil)

    public init() {}

    /// The folder, made (and cleared of stale files) on first use.
    ///
    /// - Throws: -32603 saying why the folder could not be made.
    func path(stateDirectory: String?) throws(RPCError) -> String {
        try folder.withLock { (folder) throws(RPCError) -> String in
            if let folder { return folder.path }
            let made = if let stateDirectory { try Self.persistent(in: stateDirectory) } else { try Self.temporary() }
            folder = (made, stateDirectory == nil)
            return made
        }
    }

    /// A new row file's path for the dataset `name`.
    func newFile(for name: String, stateDirectory: String?) throws(RPCError) -> String {
        try path(stateDirectory: stateDirectory) + "/" + name + "-" + UUID().uuidString.prefix(8).lowercased() + ".rows"
    }

    /// Removes every row file, and an ephemeral daemon's own folder, when the daemon stops: the
    /// datasets they hold are not kept, so their files would only fill the disk. Mappings
    /// still open stay readable until they are unmapped (an unlinked file lives on while mapped).
    func removeAll() {
        folder.withLock { folder in
            guard let (path, temporary) = folder else { return }
            for file in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] { unlink(path + "/" + file) }
            if temporary { rmdir(path) }
            folder = nil
        }
    }

    private static func persistent(in directory: String) throws(RPCError) -> String {
        let path = directory + "/spill"
        if mkdir(path, 0o700) != 0 {
            let code = errno
            if code != EEXIST { throw failure("make the spill folder \(path)", code) }
        }
        chmod(path, 0o700)
        for file in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] { unlink(path + "/" + file) }
        return path
    }

    private static let temporaryPrefix = "ballast-spill-"

    private static func temporary() throws(RPCError) -> String {
        let root = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        removeStaleTemporaries(in: root)
        var template = Array("\(root)/\(temporaryPrefix)\(getpid())-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw failure("make a spill folder in \(root)", errno)
        }
        return String(cString: made)
    }

    /// Removes the spill folders (and their files) of ephemeral daemons whose process is gone.
    private static func removeStaleTemporaries(in root: String) {
        let user = geteuid()
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] where entry.hasPrefix(temporaryPrefix) {
            let pidText = entry.dropFirst(temporaryPrefix.count).prefix { $0 != "-" }
            guard let pid = pid_t(pidText), pid > 0, kill(pid, 0) != 0, errno == ESRCH else { continue }
            let path = root + "/" + entry
            var info = stat()
            guard lstat(path, &info) == 0, info.st_uid == user, info.st_mode & S_IFMT == S_IFDIR else { continue }
            for file in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] { unlink(path + "/" + file) }
            rmdir(path)
        }
    }

    private static func failure(_ doing: String, _ code: Int32) -> RPCError {
        RPCError(code: ErrorCode.internalError, message: "Could not \(doing): \(String(cString: strerror(code))).",
                 data: ["field": "storage"])
    }
}
