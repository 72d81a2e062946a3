import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a small secret file (the connection file) only when nobody but its owner, this user,
/// could have written it or could read it: never through a symbolic link, never a file of
/// another user, never one that group or others may read or write.
enum PrivateFile {
    /// Why a file was not read: `missing` and `unreadable` carry the system's sentence,
    /// `untrusted` a sentence saying what is wrong and what to do.
    enum Failure: Error, Equatable {
        case unreadable(reason: String)
        case untrusted(reason: String)
    }

    /// The largest file read; a connection file is a few hundred bytes.
    static let maxBytes = 1 << 16

    static func read(_ path: String) throws(Failure) -> Data {
        // O_NONBLOCK: a FIFO planted at the path opens at once, then fails the regular-file check.
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) } while fd < 0 && errno == EINTR
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP {
                throw .untrusted(reason: "it is a symbolic link, which could point at a file someone else controls. "
                    + "Remove the link and give the real file (--connection-file or BALLAST_CONNECTION_FILE).")
            }
            throw .unreadable(reason: String(cString: strerror(code)))
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw .unreadable(reason: String(cString: strerror(errno))) }
        if let refusal = refusal(status, path: path) { throw .untrusted(reason: refusal) }
        var bytes = [UInt8](repeating: 0, count: maxBytes + 1)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw .unreadable(reason: String(cString: strerror(errno)))
            }
            if got == 0 { break }
            count += got
        }
        guard count <= maxBytes else { throw .unreadable(reason: "it is larger than \(maxBytes) bytes") }
        return Data(bytes[..<count])
    }

    private static func refusal(_ status: stat, path: String) -> String? {
        guard status.st_mode & S_IFMT == S_IFREG else {
            return "it is not a regular file. Delete it and start ballastd again."
        }
        let owner = geteuid()
        if status.st_uid != owner {
            return "it belongs to user id \(status.st_uid), not to you (\(owner)), so another user may have planted it "
                + "to capture what you send. Delete it and start ballastd again."
        }
        let mode = status.st_mode & 0o777
        if mode & 0o066 != 0 {
            return "other users may read or change it (mode 0\(String(mode, radix: 8))), and whoever reads it can drive "
                + "the daemon. Run 'chmod 600 \(path)' if you made it yourself; otherwise delete it and start ballastd again."
        }
        return nil
    }
}
