#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// `<state dir>/datasets/`, held open by its descriptor: every column file is made, mapped and
/// removed relative to it (`openat`, `renameat`, `unlinkat`), never through a link.
///
/// Writes are atomic as `AtomicFile`'s (BallastTransport) are, but streamed: a temporary file
/// with a random name (`O_CREAT | O_EXCL | O_NOFOLLOW`) is written a column at a time, fsynced,
/// renamed over the name, and the folder fsynced, so a reader sees a whole file or none and a
/// dataset of a gigabyte is never copied whole into memory to be written.
///
/// - Important: the descriptor has one owner, this object; it is closed when the object ends.
///   errno is read straight after each failing call, before any cleanup.
public final class DatasetFolder: Sendable {
    public static let folderName = "datasets"
    /// Column files end so; temporary ones start with `.` and end with `.tmp`.
    public static let fileExtension = ".columns"

    public let path: String
    private let descriptor: Int32

    /// Opens (creating, mode 0700, when missing) `<directory>/datasets`, refusing a link there.
    public init(in directory: String) throws(DatasetFileError) {
        let path = directory + "/" + Self.folderName
        if mkdir(path, 0o700) != 0 {
            let code = errno
            guard code == EEXIST else { throw .system(file: path, step: "creating the datasets folder", code: code) }
        }
        let opened = Self.retrying { open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        guard opened.value >= 0 else { throw .system(file: path, step: "opening the datasets folder (not a link)", code: opened.code) }
        self.path = path
        descriptor = opened.value
    }

    deinit { close(descriptor) }

    /// A new file name for a dataset: its name and a random part, so a replacement never
    /// overwrites the file the store still names until the store names the new one.
    public static func newFileName(for dataset: String) -> String {
        dataset + "-" + String(UInt64.random(in: 0...UInt64.max), radix: 16) + fileExtension
    }

    /// A new row file name for a disk dataset kept in this folder (`DatasetRowFile`), random as
    /// `newFileName`'s are.
    public static func newRowFileName(for dataset: String) -> String {
        dataset + "-" + String(UInt64.random(in: 0...UInt64.max), radix: 16) + DatasetRowFile.fileExtension
    }

    /// Whether `name` is a dataset file's own name in this folder: no `/`, not starting with `.`
    /// (so neither `.`, `..` nor a temporary file), ending in `.columns` (a column file) or
    /// `.rows` (a kept disk dataset's row file). Names come from the store, which a person may
    /// have edited: `O_NOFOLLOW` guards only the last component, so `../ballast.sqlite` would
    /// otherwise reach the store itself.
    public static func isDatasetFileName(_ name: String) -> Bool {
        guard !name.isEmpty, !name.utf8.contains(UInt8(ascii: "/")), !name.hasPrefix("."), !name.utf8.contains(0) else { return false }
        return [fileExtension, DatasetRowFile.fileExtension].contains { name.hasSuffix($0) && name.utf8.count > $0.utf8.count }
    }

    /// Whether `name` names a kept disk dataset's row file rather than a column file.
    public static func isRowFileName(_ name: String) -> Bool {
        isDatasetFileName(name) && name.hasSuffix(DatasetRowFile.fileExtension)
    }

    /// The full path of the file `name`, after checking it is a dataset file's own name.
    public func pathOfFile(named name: String) throws(DatasetFileError) -> String {
        try checkName(name)
        return shown(name)
    }

    /// Refuses a name that is not a dataset file's own name (`isDatasetFileName`).
    private func checkName(_ name: String) throws(DatasetFileError) {
        guard Self.isDatasetFileName(name) else {
            throw .damaged(file: path + "/" + name, reason: "the store names it '\(name)', which is not a dataset file's name in the datasets folder")
        }
    }

    /// Writes `name` atomically; `produce` is handed a sink and pours the file's bytes into it in
    /// order. After a failed write the sink ignores what follows, and the failure is thrown once
    /// `produce` returns. Returns the bytes written.
    public func write(named name: String, _ produce: (_ sink: (UnsafeRawBufferPointer) -> Void) -> Void) throws(DatasetFileError) -> Int {
        try checkName(name)
        let temporary = "." + name + ".\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        let opened = Self.retrying { openat(descriptor, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600) }
        guard opened.value >= 0 else { throw .system(file: shown(name), step: "creating its temporary file", code: opened.code) }
        let fd = opened.value
        var total = 0
        func abandon() {
            close(fd)
            unlinkat(descriptor, temporary, 0)
        }
        var failure: DatasetFileError?
        produce { bytes in
            guard failure == nil, bytes.count > 0 else { return }
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    failure = .system(file: shown(name), step: "writing", code: code)
                    return
                }
                offset += written
            }
            total += bytes.count
        }
        if let failure {
            abandon()
            throw failure
        }
        let synced = Self.retrying { fsync(fd) }
        guard synced.value == 0 else {
            abandon()
            throw .system(file: shown(name), step: "syncing to disk", code: synced.code)
        }
        // Not retried: on Linux the descriptor is released even when close reports EINTR.
        if close(fd) != 0 {
            let code = errno
            if code != EINTR {
                unlinkat(descriptor, temporary, 0)
                throw .system(file: shown(name), step: "closing", code: code)
            }
        }
        if renameat(descriptor, temporary, descriptor, name) != 0 {
            let code = errno
            unlinkat(descriptor, temporary, 0)
            throw .system(file: shown(name), step: "renaming into place", code: code)
        }
        let folderSynced = Self.retrying { fsync(descriptor) }
        guard folderSynced.value == 0 || folderSynced.code == EINVAL else {
            throw .system(file: shown(name), step: "syncing its folder", code: folderSynced.code)
        }
        return total
    }

    /// Maps `name` read-only (never through a link) and hands its bytes to `body`; unmapped after.
    public func withMappedFile<T>(named name: String, _ body: (UnsafeRawBufferPointer) throws(DatasetFileError) -> T) throws(DatasetFileError) -> T {
        try checkName(name)
        let opened = Self.retrying { openat(descriptor, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
        guard opened.value >= 0 else {
            if opened.code == ENOENT { throw .missing(file: shown(name)) }
            throw .system(file: shown(name), step: "opening", code: opened.code)
        }
        defer { close(opened.value) }
        var status = stat()
        guard fstat(opened.value, &status) == 0 else { throw .system(file: shown(name), step: "reading its size", code: errno) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .damaged(file: shown(name), reason: "it is not a regular file") }
        let size = Int(status.st_size)
        guard size > 0 else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, opened.value, 0), mapped != MAP_FAILED else {
            throw .system(file: shown(name), step: "mapping it into memory", code: errno)
        }
        defer { munmap(mapped, size) }
        // Read in order, once: the kernel may read ahead.
        madvise(mapped, size, MADV_SEQUENTIAL)
        return try body(UnsafeRawBufferPointer(start: mapped, count: size))
    }

    /// Removes `name` if it is there; a file already gone is no error. Only a dataset file's own
    /// name, or a temporary file's (`ownEntries`), is removed.
    public func remove(named name: String) throws(DatasetFileError) {
        let temporary = name.hasPrefix(".") && name.hasSuffix(".tmp") && !name.utf8.contains(UInt8(ascii: "/"))
        if !temporary { try checkName(name) }
        guard unlinkat(descriptor, name, 0) == 0 else {
            let code = errno
            if code == ENOENT { return }
            throw .system(file: shown(name), step: "removing", code: code)
        }
    }

    /// The entries of the folder that Ballast made: column files, row files and temporary files.
    public func ownEntries() -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return entries.filter { Self.isDatasetFileName($0) || ($0.hasPrefix(".") && $0.hasSuffix(".tmp")) }
    }

    /// The size of `name`, or nil when it is not there.
    public func size(ofEntry name: String) -> Int? {
        var status = stat()
        guard fstatat(descriptor, name, &status, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return Int(status.st_size)
    }

    private func shown(_ name: String) -> String { path + "/" + name }

    private static func retrying(_ call: () -> Int32) -> (value: Int32, code: Int32) {
        while true {
            let value = call()
            if value >= 0 { return (value, 0) }
            let code = errno
            if code != EINTR { return (value, code) }
        }
    }
}
