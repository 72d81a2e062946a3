import Foundation

/// A file's size and modification time when a dataset was loaded from it, so that whoever reads
/// the file again later (Spark, for `engine: "spark"`) can tell it changed since, rather than fit
/// other data than the dataset holds.
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
}
