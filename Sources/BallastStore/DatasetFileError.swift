#if canImport(Glibc)
import Glibc
#endif

/// Why a dataset's column file could not be written or read back. Each case names the file and
/// says, for a person, what is wrong.
public enum DatasetFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file the store names is not in the datasets folder.
    case missing(file: String)
    /// The file is shorter (or longer) than its header says: cut off by a crash or a full disk.
    case truncated(file: String, expected: Int, actual: Int)
    /// The file's header or metadata do not parse, or its data no longer gives its fingerprint.
    case damaged(file: String, reason: String)
    /// A system call failed; `step` says which, `code` is its errno.
    case system(file: String, step: String, code: Int32)

    public var description: String {
        switch self {
        case let .missing(file):
            return "Its \(noun) \(file) is missing."
        case let .truncated(file, expected, actual):
            return "Its \(noun) \(file) is truncated: \(actual) bytes where its header says \(expected)."
        case let .damaged(file, reason):
            return "Its \(noun) \(file) is damaged: \(reason)."
        case let .system(file, step, code):
            return "Its \(noun) \(file) failed while \(step): \(String(cString: strerror(code)))."
        }
    }

    /// What the file is to a person: a disk-backed dataset's row file or a kept dataset's column file.
    private var noun: String {
        let file: String
        switch self {
        case let .missing(name), let .truncated(name, _, _), let .damaged(name, _), let .system(name, _, _): file = name
        }
        return file.hasSuffix(DatasetRowFile.fileExtension) ? "row file" : "column file"
    }

    /// `missing`, `damaged` (truncated included) or `unreadable`, as a client sees it.
    public var kind: String {
        switch self {
        case .missing: "missing"
        case .truncated, .damaged: "damaged"
        case .system: "unreadable"
        }
    }
}
