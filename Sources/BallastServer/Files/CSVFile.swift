import BallastML
import Foundation

/// A CSV file on disk, read for `dataset/load`: mapped into memory and handed to the engine's
/// parser, which does no file I/O of its own. Only regular files are read: a FIFO would block the
/// request queue until a writer came, and a device such as `/dev/zero` never ends. `O_NONBLOCK`
/// makes opening a FIFO return at once, so what the path is can be checked on the open file.
/// A binary file is refused on its first 64 KiB, before the rest is mapped and read.
enum CSVFile {
    static func load(path: String, options: CSVOptions) throws(DataError) -> LoadedTable {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            let code = errno
            throw openFailure(code, path: path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            throw DataError(kind: .fileNotFound, message: "Cannot read \(path): \(String(cString: strerror(code))).", path: path)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw DataError(kind: .isDirectory, message: "\(path) is a folder, not a file.", path: path)
        }
        if (info.st_mode & S_IFMT) != S_IFREG {
            throw DataError(kind: .notARegularFile, message: "\(path) is not a regular file (a pipe, socket or device); only files are loaded.",
                            path: path)
        }
        let size = Int(info.st_size)
        if size == 0 { throw DataError(kind: .empty, message: "\(path) is empty.", path: path) }
        try checkText(fd, size: size, path: path)
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0), mapped != MAP_FAILED else {
            let code = errno
            throw DataError(kind: .fileNotFound, message: "Cannot map \(path) into memory: \(String(cString: strerror(code))).", path: path)
        }
        defer { munmap(mapped, size) }
        return try CSVLoader.load(bytes: UnsafeRawBufferPointer(start: mapped, count: size), path: path, options: options)
    }

    /// Reads the first block (`BinaryContent.sampleBytes`, less a UTF-8 byte order mark) and
    /// refuses a file that is not text, so a 2 GiB binary file costs one small read, not 2 GiB.
    private static func checkText(_ fd: Int32, size: Int, path: String) throws(DataError) {
        let bom = 3
        var sample = [UInt8](repeating: 0, count: min(size, BinaryContent.sampleBytes + bom))
        var filled = 0
        while filled < sample.count {
            let (got, code) = sample.withUnsafeMutableBytes { buffer in
                let result = pread(fd, buffer.baseAddress! + filled, buffer.count - filled, off_t(filled))
                return (result, result < 0 ? errno : 0)
            }
            if got < 0 && code == EINTR { continue }
            if got < 0 {
                throw DataError(kind: .fileNotFound, message: "Cannot read \(path): \(String(cString: strerror(code))).", path: path)
            }
            if got == 0 { break }
            filled += got
        }
        let start = filled >= bom && sample[0] == 0xEF && sample[1] == 0xBB && sample[2] == 0xBF ? bom : 0
        let end = min(filled, start + BinaryContent.sampleBytes)
        let reason = sample.withUnsafeBytes { BinaryContent.reason(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
        if let reason { throw DataError(kind: .binary, message: BinaryContent.message(path: path, reason: reason), path: path) }
    }

    private static func openFailure(_ code: Int32, path: String) -> DataError {
        switch code {
        case EACCES, EPERM:
            DataError(kind: .permissionDenied, message: "Permission denied reading \(path).", path: path)
        case EISDIR:
            DataError(kind: .isDirectory, message: "\(path) is a folder, not a file.", path: path)
        case ENOENT, ENOTDIR:
            DataError(kind: .fileNotFound, message: "No file at \(path).", path: path)
        default:
            DataError(kind: .fileNotFound, message: "Cannot open \(path): \(String(cString: strerror(code))).", path: path)
        }
    }
}
