import BallastProtocol
import BallastStore
import BallastTransport
import Foundation

/// The folders the daemon may write files into for a client (`model/save`), and the check that a
/// path a client names is one it may replace.
///
/// By default: the daemon's working directory, unless it is `/` (a daemon started by an editor
/// often inherits `/`, and a root of `/` confines nothing), and its state directory
/// (`$XDG_STATE_HOME/ballast`, else `~/.local/state/ballast`); `ballastd --write-root DIR` adds
/// more, `/` included when asked for by name. A target is approved when
/// - its folder, resolved with `realpath` (so `..` and links in the folder are followed first),
///   lies inside a resolved root;
/// - its final component is not a symbolic link (`lstat`, which does not follow it);
/// - if it exists, it is a regular file (never a device, FIFO, socket or folder) that the daemon's
///   user may write: a read-only file is refused rather than renamed over.
///
/// The resolved folder is opened once, walking from `/` without following links
/// (`OpenFolder(walkingResolved:)`), and the approval hands that open folder on: the file is
/// written through `AtomicFile` into it, not into whatever its path names by then. A folder on
/// the way swapped for a link after `realpath` fails the walk; one swapped after the walk changes
/// nothing. In the folder, a temporary file made with `O_EXCL` (which never follows a link) is
/// renamed over the name (which replaces a link that appeared since, never writes through it).
///
/// A state directory is a default root, but the store's own files in it (`ballast.sqlite`, its
/// `-wal` and `-shm`, `ballastd.lock`, anything under `datasets/`) are never written.
///
/// - Important: refusals are -32602 with `data.field` = `"path"`, `data.path` and `data.kind`
///   (`outside_write_roots`, `symlink`, `not_a_regular_file`, `read_only`, `store_file`); a folder that does not
///   exist or cannot be resolved is -32010 as any other failure to write.
struct WriteRoots: Sendable {
    /// The folders as configured (unresolved: a root may be created after the daemon starts).
    let roots: [String]
    /// State directories whose store files are never written (this daemon's, and the default
    /// one, which another daemon may be using).
    var stateDirectories: [String] = []

    /// `data.kind` of a refusal.
    enum Refusal: String {
        case outsideWriteRoots = "outside_write_roots"
        case symlink
        case notARegularFile = "not_a_regular_file"
        case readOnly = "read_only"
        case storeFile = "store_file"
    }

    /// Where the daemon keeps its own files by default (`StateDirectory.defaultPath`).
    static var stateDirectory: String { StateDirectory.defaultPath }

    /// The working directory (unless it is `/`) and the state directory.
    static var defaults: [String] { defaults(workingDirectory: FileManager.default.currentDirectoryPath) }

    /// `workingDirectory` unless it resolves to `/`, and the state directory.
    static func defaults(workingDirectory: String) -> [String] {
        let isRoot = (resolve(workingDirectory).path ?? workingDirectory) == "/"
        return (isRoot ? [] : [workingDirectory]) + [stateDirectory]
    }

    /// One line for the log at start-up: each root resolved, or said to be missing.
    var summary: String {
        let shown = roots.map { root in
            Self.resolve(root).path ?? "\(root) (missing for now)"
        }
        let working = FileManager.default.currentDirectoryPath
        let note = working == "/" && !roots.contains("/") ? " The working directory, /, is not one of them." : ""
        return "model/save may write inside: " + (shown.isEmpty ? "no folder" : shown.joined(separator: ", ")) + "." + note
    }

    /// A file a client may write, its folder open (see `approve`).
    struct Approved: ~Copyable {
        let folder: OpenFolder
        let name: String
    }

    /// The file to write for `path` (absolute): its folder resolved, checked and opened; throws when
    /// it may not be written.
    func approve(_ path: String, what: String = "Models") throws(RPCError) -> Approved {
        let parts = FolderAndName(path)
        guard !path.utf8.contains(0) else {
            throw RPCError.invalidParams("The path holds a NUL character, which no file name can.", field: "path")
        }
        guard FolderAndName.isEntryName(parts.name) else {
            throw refusal("\(path) names a folder, not a file.", path: path, kind: .notARegularFile)
        }
        let name = parts.name
        let (resolved, code) = Self.resolve(parts.folder)
        guard let resolvedFolder = resolved else {
            throw RPCError(code: ErrorCode.invalidData, message: "Cannot write \(path): \(String(cString: strerror(code))).",
                           data: ["path": .string(path)])
        }
        let allowed = roots.compactMap { Self.resolve($0).path }
        guard allowed.contains(where: { Self.folder(resolvedFolder, isInside: $0) }) else {
            let shown = allowed.isEmpty ? "no folder (none of the write roots exists)" : allowed.joined(separator: ", ")
            throw refusal("\(what) can only be saved inside \(shown); \(path) is outside. Pass --write-root to ballastd to allow another folder.",
                          path: path, kind: .outsideWriteRoots, ["write_roots": .array(allowed.map { .string($0) })])
        }
        if let refusal = storeFileRefusal(resolvedFolder, name: name, path: path) { throw refusal }
        let folder: OpenFolder
        do {
            folder = try OpenFolder(walkingResolved: resolvedFolder)
        } catch {
            let reason = error.explanation ?? "\(String(cString: strerror(error.code)))."
            throw RPCError(code: ErrorCode.invalidData, message: "Cannot write \(path): \(reason)", data: ["path": .string(path)])
        }
        let (status, statusCode) = folder.status(ofEntry: name)
        guard let info = status else {
            if statusCode == ENOENT { return Approved(folder: folder, name: name) }
            throw RPCError(code: ErrorCode.invalidData, message: "Cannot write \(path): \(String(cString: strerror(statusCode))).",
                           data: ["path": .string(path)])
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            guard Self.mayWrite(info) else {
                throw refusal("\(path) is read-only; it is not replaced. Make it writable, or choose another name.",
                              path: path, kind: .readOnly)
            }
            return Approved(folder: folder, name: name)
        case S_IFLNK:
            throw refusal("\(path) is a symbolic link; files are never written through a link. Name the file it points to, or another name.",
                          path: path, kind: .symlink)
        case S_IFDIR:
            throw refusal("\(path) is a folder; name a file inside it.", path: path, kind: .notARegularFile)
        default:
            throw refusal("\(path) is not a regular file (a device, pipe or socket); only regular files are replaced.",
                          path: path, kind: .notARegularFile)
        }
    }

    /// Refuses a file of a store: in a state directory, its database, journal files and lock,
    /// and anything in its datasets folder.
    private func storeFileRefusal(_ resolvedFolder: String, name: String, path: String) -> RPCError? {
        for directory in stateDirectories {
            guard let state = Self.resolve(directory).path else { continue }
            let own = [Store.fileName, Store.fileName + "-wal", Store.fileName + "-shm",
                       (DaemonLock.path(forStateDirectory: state) as NSString).lastPathComponent, DatasetFolder.folderName]
            let datasets = state + "/" + DatasetFolder.folderName
            if (resolvedFolder == state && own.contains(name)) || Self.folder(resolvedFolder, isInside: datasets) {
                return refusal("\(path) is one of the files the daemon keeps its workspace in (its state directory is \(state)); model/save never writes over them. Choose another name or folder.",
                               path: path, kind: .storeFile, ["state_dir": .string(state)])
            }
        }
        return nil
    }

    private func refusal(_ message: String, path: String, kind: Refusal, _ extra: [String: JSONValue] = [:]) -> RPCError {
        let data: [String: JSONValue] = ["field": "path", "path": .string(path), "kind": .string(kind.rawValue)]
        return RPCError(code: ErrorCode.invalidParams, message: message, data: .object(data.merging(extra) { a, _ in a }))
    }

    /// `realpath(3)`, or nil and errno (read straight after the call) when the folder does not
    /// exist or cannot be searched.
    static func resolve(_ folder: String) -> (path: String?, code: Int32) {
        guard let resolved = realpath(folder, nil) else { return (nil, errno) }
        defer { free(resolved) }
        return (String(cString: resolved), 0)
    }

    /// Whether resolved `folder` is `root` or below it (by whole components: `/a/bc` is not in `/a/b`).
    static func folder(_ folder: String, isInside root: String) -> Bool {
        folder == root || root == "/" || folder.hasPrefix(root + "/")
    }

    /// Whether the mode bits let the daemon's user write the file. Root may write anything, so for
    /// root a file with no write bit at all counts as read-only: it was made so on purpose.
    static func mayWrite(_ info: stat) -> Bool {
        let user = geteuid()
        if user == 0 { return info.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH) != 0 }
        if info.st_uid == user { return info.st_mode & S_IWUSR != 0 }
        if Self.inGroup(info.st_gid) { return info.st_mode & S_IWGRP != 0 }
        return info.st_mode & S_IWOTH != 0
    }

    private static func inGroup(_ group: gid_t) -> Bool {
        if getegid() == group { return true }
        let count = getgroups(0, nil)
        guard count > 0 else { return false }
        var groups = [gid_t](repeating: 0, count: Int(count))
        let filled = getgroups(count, &groups)
        return filled > 0 && groups.prefix(Int(filled)).contains(group)
    }
}
