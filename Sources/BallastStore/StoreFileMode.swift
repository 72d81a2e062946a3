import Foundation

/// The store's file is readable by its owner only: runs' params, models and datasets' provenance
/// are the user's. SQLite gives `-wal` and `-shm` the mode of the database file, so securing that
/// one file (before SQLite first opens it) secures all three.
enum StoreFileMode {
    /// Creates the database file 0600 when missing; for an existing one, refuses anything but a
    /// regular file owned by this user (a symlink is not followed) and tightens it to 0600, as
    /// well as `-wal` and `-shm` left by an earlier daemon.
    static func secure(path: String) throws(StoreError) {
        try secureFile(path: path, create: true)
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try secureFile(path: path + suffix, create: false)
        }
    }

    private static func secureFile(path: String, create: Bool) throws(StoreError) {
        let flags = O_RDWR | O_NOFOLLOW | O_CLOEXEC | (create ? O_CREAT : 0)
        let descriptor = open(path, flags, mode_t(0o600))
        guard descriptor >= 0 else {
            let code = errno
            let reason = code == ELOOP ? "it is a symbolic link; the store must be a regular file"
                : String(cString: strerror(code))
            throw .cannotOpen(path: path, reason: reason)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            throw .cannotOpen(path: path, reason: String(cString: strerror(code)))
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw .cannotOpen(path: path, reason: "it is not a regular file")
        }
        guard status.st_uid == geteuid() else {
            throw .cannotOpen(path: path, reason: "it belongs to user \(status.st_uid), not to this user (\(geteuid()))")
        }
        if status.st_mode & 0o077 != 0, fchmod(descriptor, 0o600) != 0 {
            let code = errno
            throw .cannotOpen(path: path, reason: "its mode could not be set to 0600: \(String(cString: strerror(code)))")
        }
    }
}
