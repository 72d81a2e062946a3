import BallastML
import BallastProtocol

#if _endian(big)
#error("Column files are little-endian; this build would need to swap bytes.")
#endif

/// A dataset as the store keeps it on disk: each feature a contiguous column of float32, then
/// the class column as int32, all little-endian, so that a later reader (out-of-core training)
/// can map one column without reading the others.
///
/// ```
/// offset  0  "BLSTCOLS"                         8 bytes
///         8  version (1)                         u32
///        12  0                                   u32
///        16  metadata length M                   u64
///        24  rows R                              u64
///        32  features F                          u64
///        40  data offset D (a multiple of 64)    u64
///        48  file size (D + 4·F·R + 4·R)         u64
///        56  0                                   u64
///        64  metadata: JSON, M bytes, then zeros up to D
///         D  feature 0's R floats, feature 1's, …, feature F-1's; then R class indices
/// ```
/// The metadata: `{"format": "ballast-dataset-columns", "version": 1, "columns": [{"name": "amount",
/// "type": "numeric"}, {"name": "country", "type": "text", "levels": ["DE", "FR"]}], "classes":
/// ["0", "1"], "positive": 1, "ids": null, "fingerprint": "<64 hex digits>"}`.
///
/// - Important: the fingerprint (`DatasetFingerprint`) is the checksum. Reading rebuilds the
///   dataset and refuses it unless it gives the fingerprint the file and the store recorded, so
///   a flipped bit anywhere in the data or the names is caught. Keys are written out here, never
///   synthesized from engine types: changing one means a version 2 with a reader for version 1.
public enum DatasetColumnFile {
    static let magic = Array("BLSTCOLS".utf8)
    static let format = "ballast-dataset-columns"
    static let version: UInt32 = 1
    static let headerBytes = DatasetFileHeader.byteCount
    static let alignment = 64
    /// Rows gathered into one column buffer at a time when writing.
    static let chunkRows = 1 << 16

    /// Writes `dataset` as the file `name` in `folder`, atomically. Returns its size in bytes.
    public static func write(_ dataset: Dataset, fingerprint: String, named name: String,
                             in folder: DatasetFolder) throws(DatasetFileError) -> Int {
        let layout = Layout(dataset, fingerprint: fingerprint)
        return try folder.write(named: name) { sink in
            layout.prefix.withUnsafeBytes { sink($0) }
            let rows = dataset.rowCount, width = dataset.featureCount
            var column = [Float](repeating: 0, count: min(rows, chunkRows))
            // Read row by row (`withRows`): a row-index view is written without being gathered first.
            dataset.features.withRows(width: width) { features in
                for feature in 0..<width {
                    var start = 0
                    while start < rows {
                        let count = min(chunkRows, rows - start)
                        column.withUnsafeMutableBufferPointer { target in
                            for row in 0..<count { target[row] = features[start + row][feature] }
                        }
                        column.withUnsafeBytes { sink(UnsafeRawBufferPointer(rebasing: $0.prefix(count * 4))) }
                        start += count
                    }
                }
            }
            dataset.classIndex.withUnsafeBytes { sink($0) }
        }
    }

    /// The size the file of `dataset` will have, for the size policy before it is written.
    public static func byteCount(of dataset: Dataset, fingerprint: String) -> Int {
        Layout(dataset, fingerprint: fingerprint).fileSize
    }

    /// Maps the file `name` and rebuilds its dataset, checking it against its fingerprint.
    public static func read(named name: String, in folder: DatasetFolder) throws(DatasetFileError) -> (dataset: Dataset, fingerprint: String) {
        let shown = folder.path + "/" + name
        return try folder.withMappedFile(named: name) { (bytes) throws(DatasetFileError) in
            try decode(bytes, file: shown)
        }
    }

    /// What a column file's header says of its data: enough to know what reading it will
    /// allocate before anything is.
    public struct Header: Sendable, Equatable {
        public var rows: Int
        public var features: Int
        var metadataLength: Int
        var dataOffset: Int

        /// The bytes the dataset will hold in memory, ids aside (their size is in the metadata):
        /// a float32 per cell and an int32 class per row, as `Dataset.byteCount` counts them.
        public var bytesWithoutIDs: Int { sum([product(product(rows, features), 4), product(rows, 4)]) }
    }

    /// Maps the file `name` and reads its header only (checked as `read` checks it), so that what
    /// the file will allocate can be weighed against the memory budget before it is read.
    public static func header(named name: String, in folder: DatasetFolder) throws(DatasetFileError) -> Header {
        let shown = folder.path + "/" + name
        return try folder.withMappedFile(named: name) { (bytes) throws(DatasetFileError) in try header(bytes, file: shown) }
    }

    static func header(_ bytes: UnsafeRawBufferPointer, file: String) throws(DatasetFileError) -> Header {
        let words = try DatasetFileHeader.read(bytes, magic: magic, version: version, format: "a Ballast column file", file: file)
        let metadataLength = words.metadataLength, rows = words.rows, width = words.features, dataOffset = words.dataOffset
        guard metadataLength <= words.fileSize, dataOffset % alignment == 0, dataOffset >= headerBytes + metadataLength,
              sum([dataOffset, product(product(rows, width), 4), product(rows, 4)]) == words.fileSize else {
            throw .damaged(file: file, reason: "its header's sizes do not add up")
        }
        return Header(rows: rows, features: width, metadataLength: metadataLength, dataOffset: dataOffset)
    }

    /// The dataset in a column file's bytes, checked against its fingerprint.
    static func decode(_ bytes: UnsafeRawBufferPointer, file: String) throws(DatasetFileError) -> (dataset: Dataset, fingerprint: String) {
        func damaged(_ reason: String) -> DatasetFileError { .damaged(file: file, reason: reason) }
        let header = try header(bytes, file: file)
        let metadataLength = header.metadataLength, rows = header.rows, width = header.features, dataOffset = header.dataOffset
        let cells = product(rows, width)
        let metadata: Metadata
        do {
            let json = try JSONParser.parse(Array(bytes[headerBytes..<(headerBytes + metadataLength)]))
            metadata = try Metadata(json)
        } catch let problem as MetadataProblem {
            throw damaged(problem.reason)
        } catch {
            throw damaged("its metadata is not valid JSON (\(error))")
        }
        guard metadata.schema.featureNames.count == width else { throw damaged("its metadata names \(metadata.schema.featureNames.count) features, its header \(width)") }
        guard metadata.ids.map({ $0.count == rows }) ?? true else { throw damaged("it holds \(metadata.ids!.count) ids for \(rows) rows") }
        let classCount = Int32(clamping: metadata.classes.count)
        let classes = bytes.baseAddress!.advanced(by: dataOffset + cells * 4).assumingMemoryBound(to: Int32.self)
        let classIndex = Array(UnsafeBufferPointer(start: classes, count: rows))
        guard classIndex.allSatisfy({ $0 >= 0 && $0 < classCount }) else { throw damaged("a row's class is not one of its \(classCount) classes") }
        guard metadata.positive.map({ metadata.classes.indices.contains($0) }) ?? true else { throw damaged("its positive class is not one of its classes") }

        let columns = bytes.baseAddress!.advanced(by: dataOffset).assumingMemoryBound(to: Float.self)
        let features = [Float](unsafeUninitializedCapacity: cells) { target, initialized in
            // Blocks of rows, so the rows being filled stay in cache while each column is read.
            let block = 4_096
            var start = 0
            while start < rows {
                let end = min(rows, start + block)
                for feature in 0..<width {
                    let source = columns + feature * rows
                    for row in start..<end { target[row * width + feature] = source[row] }
                }
                start = end
            }
            initialized = cells
        }
        let dataset = Dataset(schema: metadata.schema, features: features, classIndex: classIndex,
                              classLabels: metadata.classes, positiveClass: metadata.positive, ids: metadata.ids)
        guard DatasetFingerprint.of(dataset) == metadata.fingerprint else {
            throw damaged("its data no longer gives the fingerprint it was written with")
        }
        return (dataset, metadata.fingerprint)
    }

    /// The header and the metadata, padded: the bytes before the columns.
    struct Layout {
        let prefix: [UInt8]
        let fileSize: Int

        init(_ dataset: Dataset, fingerprint: String) {
            let metadata = JSONWriter.data(Metadata(dataset, fingerprint: fingerprint).json)
            let dataOffset = (headerBytes + metadata.count + alignment - 1) / alignment * alignment
            fileSize = dataOffset + dataset.features.count * 4 + dataset.rowCount * 4
            var header = DatasetFileHeader(metadataLength: metadata.count, rows: dataset.rowCount,
                                           features: dataset.featureCount, dataOffset: dataOffset,
                                           fileSize: fileSize, extra: 0).bytes(magic: magic, version: version)
            header.reserveCapacity(dataOffset)
            header += metadata
            header += [UInt8](repeating: 0, count: dataOffset - header.count)
            prefix = header
        }
    }

    /// A product of sizes that saturates at `Int.max` (a header with absurd sizes is refused, not a trap).
    static func product(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow || a < 0 || b < 0 ? .max : value
    }

    static func sum(_ values: [Int]) -> Int {
        values.reduce(0) { total, value in
            let (next, overflow) = total.addingReportingOverflow(value)
            return overflow ? .max : next
        }
    }
}
