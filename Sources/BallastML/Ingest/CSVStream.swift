#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a CSV file of any size in bounded memory, window by window, handing each window's rows
/// to a sink (the server's `DatasetRowFile.Writer`) instead of keeping them.
///
/// The start of the file (its first `headBytes`, cut at a record boundary) settles what the whole
/// file is as `CSVLoader` would: delimiter, header, decimal mark, encoding, label and id columns.
/// Then the data is read in windows (`CSVWindows`: about `windowBytes` each, cut after the last
/// whole record, quotes tracked across windows), each parsed by the parallel parser into a
/// matrix of its rows. Labels are interned across windows as they come: the rows carry
/// provisional class ids, and `StreamedTable.classRemap` maps them to the classes sorted as
/// `CSVLoader` sorts them (numerically when every label is a number), which the sink applies at
/// the end. The label checks run on the merged labels. Line numbers in errors are the file's.
///
/// Memory: one window's text, its parsed rows (at most about twice its bytes), the labels seen,
/// and the ids when the file has an id column; nothing grows with the rows but the ids.
///
/// What needs the whole file before the first row is written is refused (`NeedsMemory`): text
/// feature columns (one-hot needs every level) and `missing: impute_mean` (the means).
/// A loaded dataset equals `CSVLoader`'s load of the same file: same features bit for bit, same
/// classes and labels, same ids, warnings and counts.
public enum CSVStream {
    /// About this many bytes of text per window by default.
    public static let defaultWindowBytes = 64 << 20
    /// How much of the start is read to settle the format (the sniffers look at 256 KiB at most).
    static let headBytes = 4 << 20

    /// Fills the buffer from a file offset; returns how many bytes it read (0 at the end).
    public typealias Read = (_ into: UnsafeMutableRawBufferPointer, _ at: Int) throws -> Int
    /// Takes a window's rows: features row-major, and their provisional class ids.
    public typealias Append = (_ features: UnsafeBufferPointer<Float>, _ classes: UnsafeBufferPointer<Int32>) throws -> Void

    /// Why a file cannot be loaded window by window; `column` is the feature column's name where
    /// one is to blame, nil for an option.
    public struct NeedsMemory: Error, Sendable, Equatable {
        public var message: String
        public var column: String?
    }

    /// Streams the `size` bytes `read` gives through the parser into `append`. Throws `DataError`
    /// (the file), `NeedsMemory`, or what `read` and `append` throw.
    public static func load(size: Int, path: String, options: CSVOptions, windowBytes: Int = defaultWindowBytes,
                            read: Read, append: Append) throws -> StreamedTable {
        try CSVLoader.validate(options, path: path)
        if options.missing == .imputeMean {
            throw NeedsMemory(message: "storage=disk cannot impute means (they need the whole file before the first row is written); use missing=drop_rows or error, or load it in memory.",
                              column: nil)
        }
        guard size > 0 else { throw DataError(kind: .empty, message: "\(path) is empty.", path: path) }
        return try withoutActuallyEscaping(read) { read in
            let head = try Head(read: read, size: size, path: path, options: options)
            var state = StreamState(prepared: head.prepared, path: path, options: options)
            var windows = CSVWindows(read: read, from: head.prepared.dataStart, size: size, windowBytes: windowBytes,
                                     maxLineBytes: options.maxLineBytes, bareCR: head.bareCR, path: path)
            let threads = options.threads == 0 ? coreCount() : options.threads
            while let window = try windows.next(line: state.line) {
                guard let base = window.baseAddress, window.count > 0 else { continue }
                let reader = Reader(base: base, count: window.count, path: path, options: options)
                try state.take(try reader.parseChunks(layout: head.prepared.layout, dataStart: 0, dataLine: state.line,
                                                       threads: threads), append: append)
            }
            return try state.finish()
        }
    }
}

/// What `CSVStream.load` learned besides the rows it handed on: what the sink needs to finish
/// the dataset, and what `LoadedTable` reports.
public struct StreamedTable: Sendable {
    public var schema: DatasetSchema
    /// Sorted as `CSVLoader` sorts them.
    public var classLabels: [String]
    public var positiveClass: Int?
    public var ids: [String]?
    /// `classRemap[provisional] = final` for the class ids the rows were handed with.
    public var classRemap: [Int32]
    public var rows: Int
    public var missingPerFeature: [Int]
    public var droppedRows: Int
    public var skippedLines: Int
    public var firstSkippedLines: [Int]
    public var warnings: [String]
}

/// The start of the file, read once to settle the format.
private struct Head {
    let prepared: Reader.Prepared
    let bareCR: Bool

    init(read: CSVStream.Read, size: Int, path: String, options: CSVOptions) throws {
        let want = min(size, CSVStream.headBytes)
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: want)
        var got = 0
        while got < want {
            let n = try read(UnsafeMutableRawBufferPointer(start: bytes + got, count: want - got), got)
            if n == 0 { break }
            got += n
        }
        guard got > 0 else {
            bytes.deallocate()
            throw DataError(kind: .empty, message: "\(path) is empty.", path: path)
        }
        var count = got
        if got < size {
            // Cut after the last record that ends in it, so no sampled record is cut short.
            var inQuote = false
            var lastEnd = -1
            for i in 0..<got {
                let c = bytes[i]
                if c == CSVLexer.quote { inQuote.toggle() } else if c == CSVLexer.newline && !inQuote { lastEnd = i }
            }
            if lastEnd >= 0 { count = lastEnd + 1 }
        }
        var text = UnsafePointer(bytes)
        let converted = LineEndings.copyWithLineFeeds(text, count)
        if let converted { text = UnsafePointer(converted) }
        bareCR = converted != nil
        defer {
            bytes.deallocate()
            converted?.deallocate()
        }
        prepared = try Reader(base: text, count: count, path: path, options: options).prepare()
    }
}
