/// The first 64 bytes that both of Ballast's dataset files (the column file and the row file)
/// start with: an 8-byte magic naming the format, a UInt32 version, 4 bytes of padding, then six
/// little-endian UInt64 words. Each format checks the sizes the words must add up to itself; this
/// type only reads and writes them, so the two formats share one parse and one layout.
struct DatasetFileHeader: Equatable {
    static let byteCount = 64

    var metadataLength: Int
    var rows: Int
    var features: Int
    var dataOffset: Int
    /// The size the file must have, checked against the bytes read.
    var fileSize: Int
    /// The sixth word, the format's own (the row file: where its metadata starts; the column file: 0).
    var extra: Int

    /// The header at the start of `bytes`, after checking its length, magic, version and declared
    /// size; `format` names the file's kind in the errors ("a Ballast row file"). A word too large
    /// for `Int` reads as `Int.max`, so absurd sizes fail the format's checks instead of trapping.
    static func read(_ bytes: UnsafeRawBufferPointer, magic: [UInt8], version: UInt32, format: String,
                     file: String) throws(DatasetFileError) -> DatasetFileHeader {
        guard bytes.count >= byteCount else { throw .truncated(file: file, expected: byteCount, actual: bytes.count) }
        guard bytes.prefix(8).elementsEqual(magic) else {
            throw .damaged(file: file, reason: "it does not start as \(format)")
        }
        let fileVersion = bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        guard fileVersion == version else {
            throw .damaged(file: file, reason: "it is version \(fileVersion); this daemon reads version \(version)")
        }
        func word(_ index: Int) -> Int {
            let value = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 16 + 8 * index, as: UInt64.self))
            return value > UInt64(Int.max) ? Int.max : Int(value)
        }
        let header = DatasetFileHeader(metadataLength: word(0), rows: word(1), features: word(2),
                                       dataOffset: word(3), fileSize: word(4), extra: word(5))
        guard header.fileSize == bytes.count else {
            throw .truncated(file: file, expected: header.fileSize, actual: bytes.count)
        }
        return header
    }

    /// The header's 64 bytes under `magic` and `version`.
    func bytes(magic: [UInt8], version: UInt32) -> [UInt8] {
        var out = magic
        out.reserveCapacity(Self.byteCount)
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
        append(version)
        append(UInt32(0))
        for value in [metadataLength, rows, features, dataOffset, fileSize, extra] { append(UInt64(value)) }
        return out
    }
}
