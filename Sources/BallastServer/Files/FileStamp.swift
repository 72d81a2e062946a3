import BallastProtocol
import Foundation

/// A file's size and modification time when a dataset was loaded from it, so that whoever reads
/// the file again later (Spark, for `engine: "spark"`) can tell it changed since, rather than fit
/// other data than the dataset holds. Recorded in the store with a kept dataset's provenance
/// (`json`), so the check holds after a restart too.
struct FileStamp: Sendable, Equatable {
    var size: Int
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int

    /// The stamp of the file at `path` now; nil when it cannot be read.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        size = Int(info.st_size)
        modifiedSeconds = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
    }

    /// `{"size", "modified_seconds", "modified_nanoseconds"}`, as the store records it.
    var json: JSONValue {
        ["size": .int(Int64(size)), "modified_seconds": .int(Int64(modifiedSeconds)),
         "modified_nanoseconds": .int(Int64(modifiedNanoseconds))]
    }

    /// The stamp `json` recorded; nil for anything else (a row an older daemon wrote has none).
    init?(json: JSONValue?) {
        guard let size = json?["size"]?.intValue, let seconds = json?["modified_seconds"]?.intValue,
              let nanoseconds = json?["modified_nanoseconds"]?.intValue else { return nil }
        self.size = Int(size)
        modifiedSeconds = Int(seconds)
        modifiedNanoseconds = Int(nanoseconds)
    }
}
