import BallastML
import Foundation

/// A CSV file opened for `dataset/load`. It is opened once: its size comes from that descriptor,
/// so the memory budget is asked about the very file that is parsed, not about whatever the path
/// named a moment earlier; then its bytes go to the engine's parser, which does no file I/O.
///
/// Only regular files are opened for good: a FIFO would block the request queue until a writer
/// came, and a device such as `/dev/zero` never ends. `O_NONBLOCK` makes opening a FIFO return at
/// once, so what the path is can be checked on the open file. A binary file is refused on its
/// first 64 KiB, before the rest is read.
///
/// - Important: the descriptor has one owner, this value, which closes it when it goes away.
struct CSVFile: ~Copyable {
    let path: String
    /// The size of the open file (`fstat`), and all of it that is read.
    let size: Int
    /// How the bytes reach the parser (`access(owner:mode:user:)`).
    let access: Access
    private let descriptor: Int32

    enum Access: Equatable {
        /// Mapped into memory: no copy, read straight from the page cache.
        case mapped
        /// Read into memory first: costs the file's size for the length of the parse.
        case read
    }

    /// Opens `path` and checks what it is; nothing beyond its status is read yet.
    init(opening path: String) throws(DataError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            let code = errno
            throw Self.openFailure(code, path: path)
        }
        var info = stat()
        if fstat(fd, &info) != 0 {
            let code = errno
            close(fd)
            throw DataError(kind: .fileNotFound, message: "Cannot read \(path): \(String(cString: strerror(code))).", path: path)
        }
        let refusal: DataError? = switch info.st_mode & S_IFMT {
        case S_IFREG where info.st_size == 0:
            DataError(kind: .empty, message: "\(path) is empty.", path: path)
        case S_IFREG:
            nil
        case S_IFDIR:
            DataError(kind: .isDirectory, message: "\(path) is a folder, not a file.", path: path)
        default:
            DataError(kind: .notARegularFile, message: "\(path) is not a regular file (a pipe, socket or device); only files are loaded.",
                      path: path)
        }
        if let refusal {
            close(fd)
            throw refusal
        }
        self.path = path
        self.size = Int(info.st_size)
        self.access = Self.access(owner: info.st_uid, mode: info.st_mode)
        self.descriptor = fd
    }

    deinit { close(descriptor) }

    /// How a file is best given to the parser.
    ///
    /// A mapped file that shrinks while it is parsed makes every touch of a page past its new end
    /// raise SIGBUS, which kills the daemon with every dataset, model and training in it. Only the
    /// daemon's own user, or anyone the file lets write it, can truncate it: a file that belongs to
    /// the daemon's user and that neither its group nor others may write is mapped (its owner can
    /// only hurt their own daemon); any other file is read into memory, where a truncation just
    /// ends the read early and the parser sees a shorter file.
    static func access(owner: uid_t, mode: mode_t, user: uid_t = geteuid()) -> Access {
        owner == user && mode & (S_IWGRP | S_IWOTH) == 0 ? .mapped : .read
    }

    /// Refuses a binary file on its first block, then parses the file as it was when opened (the
    /// file is closed when this returns).
    consuming func parse(options: CSVOptions) throws(DataError) -> LoadedTable {
        try checkText()
        switch access {
        case .mapped:
            guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, descriptor, 0), mapped != MAP_FAILED else {
                let code = errno
                throw DataError(kind: .fileNotFound, message: "Cannot map \(path) into memory: \(String(cString: strerror(code))).", path: path)
            }
            defer { munmap(mapped, size) }
            return try CSVLoader.load(bytes: UnsafeRawBufferPointer(start: mapped, count: size), path: path, options: options)
        case .read:
            let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
            defer { bytes.deallocate() }
            let filled = try read(into: bytes)
            guard filled > 0 else { throw DataError(kind: .empty, message: "\(path) is empty.", path: path) }
            return try CSVLoader.load(bytes: UnsafeRawBufferPointer(rebasing: bytes[..<filled]), path: path, options: options)
        }
    }

    /// Streams the file window by window through the parser (`CSVStream`), reading each window
    /// with `pread`: memory holds one window and its rows, never the file. Refuses a binary file on
    /// its first block first. `append` takes each window's rows (the row file's writer).
    ///
    /// - Throws: `DataError`, `CSVStream.NeedsMemory`, or what `append` throws.
    func stream(options: CSVOptions, windowBytes: Int, append: CSVStream.Append) throws -> StreamedTable {
        try checkText()
        let descriptor = self.descriptor, path = self.path
        return try CSVStream.load(size: size, path: path, options: options, windowBytes: windowBytes,
                                  read: { buffer, offset throws(DataError) in
                                      try Self.read(descriptor, path: path, into: buffer, at: offset)
                                  },
                                  append: append)
    }

    /// About how many records the file holds, from the newlines of its first MiB (for the memory
    /// budget's estimate of a disk load's classes); at least 1.
    func estimatedRecords() throws(DataError) -> Int {
        let sample = UnsafeMutableRawBufferPointer.allocate(byteCount: min(size, 1 << 20), alignment: 1)
        defer { sample.deallocate() }
        let filled = try read(into: sample)
        let newlines = max(1, sample[..<filled].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) })
        return max(1, Int((Double(size) / Double(max(1, filled))) * Double(newlines)))
    }

    /// Reads from `offset` into `buffer` until it is full or the file ends (it may have shrunk
    /// since it was opened); returns how many bytes were read.
    private func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataError) -> Int {
        try Self.read(descriptor, path: path, into: buffer, at: 0)
    }

    private static func read(_ descriptor: Int32, path: String, into buffer: UnsafeMutableRawBufferPointer,
                             at offset: Int) throws(DataError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let got = pread(descriptor, buffer.baseAddress! + filled, buffer.count - filled, off_t(offset + filled))
            if got < 0 {
                let code = errno
                if code == EINTR { continue }
                throw DataError(kind: .fileNotFound, message: "Cannot read \(path): \(String(cString: strerror(code))).", path: path)
            }
            if got == 0 { break }
            filled += got
        }
        return filled
    }

    /// Reads the first block (`BinaryContent.sampleBytes`, less a UTF-8 byte order mark) and
    /// refuses a file that is not text, so a 2 GiB binary file costs one small read, not 2 GiB.
    private func checkText() throws(DataError) {
        let bom = 3
        let sample = UnsafeMutableRawBufferPointer.allocate(byteCount: min(size, BinaryContent.sampleBytes + bom), alignment: 1)
        defer { sample.deallocate() }
        let filled = try read(into: sample)
        let start = filled >= bom && sample[0] == 0xEF && sample[1] == 0xBB && sample[2] == 0xBF ? bom : 0
        let end = min(filled, start + BinaryContent.sampleBytes)
        if let reason = BinaryContent.reason(UnsafeRawBufferPointer(rebasing: sample[start..<end])) {
            throw DataError(kind: .binary, message: BinaryContent.message(path: path, reason: reason), path: path)
        }
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
