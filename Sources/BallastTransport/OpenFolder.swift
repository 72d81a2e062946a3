#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A folder held open by its descriptor, so that what is made in it (`openat`, `renameat`,
/// `fsync`) stays in it whatever its path names afterwards: a folder renamed away or swapped for
/// a symbolic link once it is open changes nothing for what is written through this value.
///
/// Two ways to open one:
/// - `init(_:policy:)`: by path. `.any` goes through links as any program would; `.privateToOwner`
///   (for a secret) refuses a folder that is itself a link, then one `PrivateFolder` refuses.
/// - `init(walkingResolved:)`: a path already resolved (`realpath`, so it holds no link) and
///   approved, opened one component at a time from `/`, each with `O_NOFOLLOW`: a component
///   swapped for a link since it was resolved fails the walk instead of leading elsewhere.
///
/// - Important: the descriptor has one owner, this value, which cannot be copied; it is closed
///   when the value ends.
public struct OpenFolder: ~Copyable {
    /// The path it was opened by, for messages.
    public let path: String
    let descriptor: Int32

    /// Why a folder was not opened: the errno of the failing call, and a sentence where the
    /// system's own would mislead ("Too many levels of symbolic links" for a refused link).
    public struct Failure: Error, Sendable, Equatable {
        public enum Stage: Sendable {
            /// Opening it (or a folder on the way to it) failed or was refused.
            case open
            /// It opened, and its owner or mode make it unfit (`PrivateFolder`).
            case check
        }

        public let stage: Stage
        public let code: Int32
        public let explanation: String?

        public var reason: String { explanation ?? String(cString: strerror(code)) }
    }

    /// Opens the folder at `path` (relative paths from the working directory) as `policy` allows.
    public init(_ path: String, policy: AtomicFile.FolderPolicy) throws(Failure) {
        let refusesLinks = policy == .privateToOwner
        let flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (refusesLinks ? O_NOFOLLOW : 0)
        let opened = retryingInterrupts { open(path, flags) }
        guard opened.value >= 0 else {
            let code = opened.code
            // O_NOFOLLOW | O_DIRECTORY on a link gives ELOOP or ENOTDIR: say which it was.
            var status = stat()
            let isLink = refusesLinks && (code == ELOOP || code == ENOTDIR)
                && lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK
            throw Failure(stage: .open, code: code,
                          explanation: isLink ? "its folder \(path) is a symbolic link; give the real folder instead." : nil)
        }
        if refusesLinks, let refusal = PrivateFolder.refusal(of: opened.value, at: path) {
            close(opened.value)
            throw Failure(stage: .check, code: EPERM, explanation: refusal)
        }
        self.path = path
        descriptor = opened.value
    }

    /// Opens `path`, an absolute path with no link, `.` or `..` in it (as `realpath` gives),
    /// walking from `/` without following any link. Intermediate folders need only be searchable.
    public init(walkingResolved path: String) throws(Failure) {
        let components = path.split(separator: "/").map(String.init)
        guard path.hasPrefix("/"), !components.contains(where: { $0 == "." || $0 == ".." }) else {
            throw Failure(stage: .open, code: EINVAL, explanation: "\(path) is not a resolved absolute path.")
        }
        // O_PATH: a descriptor that only names the folder, so walking through it needs search
        // permission alone; the last folder is opened for reading, which fsync needs.
        func flags(last: Bool) -> Int32 { (last ? O_RDONLY : searchOnly) | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC }
        let root = retryingInterrupts { open("/", flags(last: components.isEmpty)) }
        guard root.value >= 0 else { throw Failure(stage: .open, code: root.code, explanation: nil) }
        var current = root.value
        var walked = ""
        for (index, component) in components.enumerated() {
            let parent = current
            let opened = retryingInterrupts { openat(parent, component, flags(last: index == components.count - 1)) }
            walked += "/" + component
            if opened.value < 0 {
                var status = stat()
                let isLink = (opened.code == ELOOP || opened.code == ENOTDIR)
                    && fstatat(parent, component, &status, AT_SYMLINK_NOFOLLOW) == 0 && status.st_mode & S_IFMT == S_IFLNK
                close(parent)
                throw Failure(stage: .open, code: opened.code, explanation: isLink
                    ? "\(walked) is now a symbolic link, though it was a folder when the path was checked; nothing is written through it."
                    : nil)
            }
            close(parent)
            current = opened.value
        }
        self.path = path
        descriptor = current
    }

    deinit { close(descriptor) }

    /// `lstat` of the entry `name` in this folder (a link is described, not followed), or nil and
    /// errno, read straight after the call.
    public func status(ofEntry name: String) -> (status: stat?, code: Int32) {
        var status = stat()
        guard fstatat(descriptor, name, &status, AT_SYMLINK_NOFOLLOW) == 0 else { return (nil, errno) }
        return (status, 0)
    }
}

#if os(Linux)
/// `O_PATH`, which Glibc shows Swift only under `_GNU_SOURCE`: the same value on every Linux
/// architecture Swift builds for (those with another, alpha, parisc and sparc, it does not).
private let searchOnly: Int32 = 0o10000000
#else
private let searchOnly: Int32 = O_RDONLY
#endif

/// Runs a system call again while a signal interrupts it; on failure also returns errno, read
/// before anything else can run.
func retryingInterrupts(_ call: () -> Int32) -> (value: Int32, code: Int32) {
    while true {
        let value = call()
        if value >= 0 { return (value, 0) }
        let code = errno
        if code != EINTR { return (value, code) }
    }
}
