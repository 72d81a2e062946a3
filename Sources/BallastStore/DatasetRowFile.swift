#if canImport(Glibc)
import Glibc
#endif
import BallastML
import BallastProtocol

#if _endian(big)
#error("Row files are little-endian; this build would need to swap bytes.")
#endif

/// A disk-backed dataset's file: the features row-major as float32, mapped rather than read, so a
/// dataset larger than memory can be trained on (the OS pages rows in as a pass reads them and the
/// pass releases them behind it).
///
/// ```
/// offset  0  "BLSTROWS"                              8 bytes
///         8  version (1)                              u32
///        12  0                                        u32
///        16  metadata length M                        u64
///        24  rows R                                   u64
///        32  features F                               u64
///        40  data offset D (a multiple of 4096)       u64
///        48  file size (D + 4·F·R + 4·R + M)          u64
///        56  metadata offset (D + 4·F·R + 4·R)        u64
///        64  zeros up to D
///         D  row 0's F floats, row 1's, …, row R-1's; then R class indices (int32); then the metadata
/// ```
/// The metadata is the column file's JSON (`DatasetColumnFile`), with `"format":
/// "ballast-dataset-rows"` and `"fingerprint": null`: it comes last because it is known only when
/// the last row is written. A row file is a spill file of one daemon run, checked by its sizes and
/// classes when opened; its fingerprint, a pass over every byte, is left to whoever needs it.
public enum DatasetRowFile {
    static let magic = Array("BLSTROWS".utf8)
    static let format = "ballast-dataset-rows"
    static let version: UInt32 = 1
    static let headerBytes = DatasetFileHeader.byteCount
    /// Where the features start: a page boundary, so releasing rows never touches the header.
    static let dataOffset = 4096
    /// The name every row file ends with.
    public static let fileExtension = ".rows"

    /// What opening the row file at `path` will hold in memory besides its ids: 4 bytes a row of
    /// classes (its features stay mapped). Reads the header only, checked as `open` checks it, so
    /// it can be weighed against the memory budget first.
    public static func residentBytesWithoutIDs(path: String) throws(DatasetFileError) -> Int {
        let mapping = try FileMapping(path: path)
        let header = try header(UnsafeRawBufferPointer(start: mapping.base, count: mapping.length), file: path)
        return DatasetColumnFile.product(header.rows, 4)
    }

    /// Maps the row file at `path` and returns its dataset: the features stay mapped (backed),
    /// the classes are read into memory and checked. With `deleteWhenUnused` the file is removed
    /// when the last copy of the dataset goes away (never when opening it fails).
    public static func open(path: String, deleteWhenUnused: Bool) throws(DatasetFileError) -> Dataset {
        let mapping = try FileMapping(path: path)
        let bytes = UnsafeRawBufferPointer(start: mapping.base, count: mapping.length)
        let header = try header(bytes, file: path)
        let metadata: DatasetColumnFile.Metadata
        do {
            let json = try JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[header.metadataOffset..<(header.metadataOffset + header.metadataLength)]))
            metadata = try DatasetColumnFile.Metadata(json, format: format, fingerprintRequired: false)
        } catch let problem as DatasetColumnFile.MetadataProblem {
            throw .damaged(file: path, reason: problem.reason)
        } catch {
            throw .damaged(file: path, reason: "its metadata is not valid JSON (\(error))")
        }
        let rows = header.rows, width = header.features
        guard metadata.schema.featureNames.count == width else {
            throw .damaged(file: path, reason: "its metadata names \(metadata.schema.featureNames.count) features, its header \(width)")
        }
        guard metadata.ids.map({ $0.count == rows }) ?? true else {
            throw .damaged(file: path, reason: "it holds \(metadata.ids!.count) ids for \(rows) rows")
        }
        guard metadata.positive.map({ metadata.classes.indices.contains($0) }) ?? true else {
            throw .damaged(file: path, reason: "its positive class is not one of its classes")
        }
        let classCount = Int32(clamping: metadata.classes.count)
        let classStart = mapping.base.advanced(by: header.dataOffset + width * rows * 4).assumingMemoryBound(to: Int32.self)
        let classIndex = Array(UnsafeBufferPointer(start: classStart, count: rows))
        if let bad = classIndex.firstIndex(where: { $0 < 0 || $0 >= classCount }) {
            throw .damaged(file: path, reason: "row \(bad)'s class \(classIndex[bad]) is not one of its \(classCount) classes")
        }
        // The classes were read once and are not needed mapped; the features are read in order.
        mapping.release(bytes: header.dataOffset + width * rows * 4 ..< mapping.length)
        mapping.advise(bytes: header.dataOffset ..< header.dataOffset + width * rows * 4, MADV_SEQUENTIAL)
        let features = MappedFeatures(mapping: mapping, byteOffset: header.dataOffset, count: rows * width,
                                      removing: deleteWhenUnused ? path : nil)
        return Dataset(schema: metadata.schema, features: FeatureMatrix(backing: features), classIndex: classIndex,
                       classLabels: metadata.classes, positiveClass: metadata.positive, ids: metadata.ids)
    }

    /// What a row file's header says, checked against the file's size.
    struct Header: Equatable {
        var rows: Int
        var features: Int
        var dataOffset: Int
        var metadataOffset: Int
        var metadataLength: Int
    }

    static func header(_ bytes: UnsafeRawBufferPointer, file: String) throws(DatasetFileError) -> Header {
        let words = try DatasetFileHeader.read(bytes, magic: magic, version: version, format: "a Ballast row file", file: file)
        let rows = words.rows, width = words.features, dataOffset = words.dataOffset, metadataOffset = words.extra
        let product = DatasetColumnFile.product, sum = DatasetColumnFile.sum
        guard dataOffset >= headerBytes, dataOffset % 4096 == 0,
              metadataOffset == sum([dataOffset, product(product(rows, width), 4), product(rows, 4)]),
              sum([metadataOffset, words.metadataLength]) == words.fileSize else {
            throw .damaged(file: file, reason: "its header's sizes do not add up")
        }
        return Header(rows: rows, features: width, dataOffset: dataOffset,
                      metadataOffset: metadataOffset, metadataLength: words.metadataLength)
    }

    /// The header's 64 bytes for a file of `rows` rows of `features` values and `metadataLength`
    /// bytes of metadata.
    static func headerBytes(rows: Int, features: Int, metadataLength: Int) -> [UInt8] {
        let metadataOffset = dataOffset + rows * features * 4 + rows * 4
        return DatasetFileHeader(metadataLength: metadataLength, rows: rows, features: features, dataOffset: dataOffset,
                                 fileSize: metadataOffset + metadataLength, extra: metadataOffset)
            .bytes(magic: magic, version: version)
    }
}
