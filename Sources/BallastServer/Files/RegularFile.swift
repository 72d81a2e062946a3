import BallastProtocol
import Foundation

/// A small file read whole for a client (`model/load`). Only a regular file is read: a FIFO would
/// block the request queue until a writer came, and a device such as `/dev/zero` never ends.
/// `O_NONBLOCK` lets a FIFO open at once, so what the path is can be checked on the open file.
enum RegularFile {
    /// The file's bytes; refuses anything but a regular file, and whatever `admit` refuses: it is
    /// given the size of the open file (the one read) before anything is read.
    static func read(_ path: String, admit: (_ size: Int) throws(RPCError) -> Void) throws(RPCError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                throw RPCError(code: ErrorCode.notFound, message: "No file at \(path).", data: ["path": .string(path)])
            }
            throw cannotRead(path, code)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw cannotRead(path, errno) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            let what = info.st_mode & S_IFMT == S_IFDIR ? "a folder" : "not a regular file (a pipe, socket or device)"
            throw RPCError(code: ErrorCode.invalidData, message: "\(path) is \(what); only files are read.", data: ["path": .string(path)])
        }
        let size = Int(info.st_size)
        try admit(size)
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        while filled < size {
            let (got, code) = bytes.withUnsafeMutableBytes { buffer in
                let result = pread(fd, buffer.baseAddress! + filled, size - filled, off_t(filled))
                return (result, result < 0 ? errno : 0)
            }
            if got < 0 {
                if code == EINTR { continue }
                throw cannotRead(path, code)
            }
            if got == 0 { break }  // the file shrank while it was read
            filled += got
        }
        return Array(bytes.prefix(filled))
    }

    private static func cannotRead(_ path: String, _ code: Int32) -> RPCError {
        RPCError(code: ErrorCode.invalidData, message: "Cannot read \(path): \(String(cString: strerror(code))).",
                 data: ["path": .string(path)])
    }
}
