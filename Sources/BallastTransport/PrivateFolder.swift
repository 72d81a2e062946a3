#if canImport(Glibc)
import Glibc
#endif

/// Whether a folder may hold a secret (the connection file, the daemon's lock): it must belong
/// to this user and be writable by nobody else, unless it is sticky, where others may add files
/// but cannot rename or remove ours. A sticky folder must still be this user's own: `/tmp` is
/// sticky but root's, so it is refused; a folder of one's own inside it (`mktemp -d`) is fine.
enum PrivateFolder {
    /// Nil when the open folder `descriptor` (found at `path`) may hold a secret; else why not,
    /// as a sentence that says what to do.
    static func refusal(of descriptor: Int32, at path: String) -> String? {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            return "its folder \(path) cannot be examined: \(String(cString: strerror(errno)))."
        }
        let owner = geteuid()
        if status.st_uid != owner {
            return "its folder \(path) belongs to user id \(status.st_uid), not to you (\(owner)), so its owner could "
                + "read or replace what is written there. Use a folder of your own, such as $XDG_RUNTIME_DIR."
        }
        let mode = status.st_mode & 0o7777
        if mode & 0o022 != 0 && mode & S_ISVTX == 0 {
            return "its folder \(path) is writable by other users (mode 0\(String(mode, radix: 8))), so they could "
                + "replace what is written there. Run 'chmod go-w \(path)' or use a private folder."
        }
        return nil
    }
}
