import BallastML
import BallastProtocol
import Foundation
import XCTest
@testable import BallastStore

/// The column file on a real folder: what is written reads back exactly, laid out by column, and
/// a truncated, damaged or missing file is refused naming the file.
final class DatasetColumnFileTests: XCTestCase {
    /// Three rows, a numeric and a text column (two one-hot features), ids, a positive class.
    private let sample = Dataset(
        schema: DatasetSchema(columns: [.numeric(name: "amount"), .categorical(name: "country", levels: ["DE", "FR"])]),
        features: [1.5, 1, 0, -2, 0, 1, 0.25, 1, 0], classIndex: [0, 1, 0], classLabels: ["no", "yes"], positiveClass: 1,
        ids: ["a", "b", "c"])

    private func folder() throws -> DatasetFolder {
        try DatasetFolder(in: try temporaryStateDirectory(self).path)
    }

    func testADatasetReadsBackExactlyWithItsFingerprint() throws {
        let folder = try folder()
        let fingerprint = DatasetFingerprint.of(sample)
        let bytes = try DatasetColumnFile.write(sample, fingerprint: fingerprint, named: "s.columns", in: folder)
        XCTAssertEqual(bytes, folder.size(ofEntry: "s.columns"))
        XCTAssertEqual(bytes, DatasetColumnFile.byteCount(of: sample, fingerprint: fingerprint))
        let (read, readFingerprint) = try DatasetColumnFile.read(named: "s.columns", in: folder)
        XCTAssertEqual(read, sample)
        XCTAssertEqual(readFingerprint, fingerprint)
        XCTAssertEqual(folder.ownEntries(), ["s.columns"], "no temporary file is left behind")
    }

    /// Each feature is a contiguous run of float32 at the data offset, then the int32 classes:
    /// what a reader mapping one column relies on.
    func testTheDataIsLaidOutByColumn() throws {
        let folder = try folder()
        _ = try DatasetColumnFile.write(sample, fingerprint: DatasetFingerprint.of(sample), named: "s.columns", in: folder)
        let data = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/s.columns"))
        XCTAssertEqual(Array(data.prefix(8)), Array("BLSTCOLS".utf8))
        let offset = Int(data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 40, as: UInt64.self) })
        XCTAssertEqual(offset % 64, 0)
        let floats = data.withUnsafeBytes { raw in (0..<9).map { raw.loadUnaligned(fromByteOffset: offset + 4 * $0, as: Float.self) } }
        XCTAssertEqual(floats, [1.5, -2, 0.25, 1, 0, 1, 0, 1, 0])
        let classes = data.withUnsafeBytes { raw in (0..<3).map { raw.loadUnaligned(fromByteOffset: offset + 36 + 4 * $0, as: Int32.self) } }
        XCTAssertEqual(classes, [0, 1, 0])
        XCTAssertEqual(data.count, offset + 36 + 12)
    }

    /// Rows beyond one write chunk, numeric only, no ids, multiclass.
    func testALargeDatasetReadsBackExactly() throws {
        let folder = try folder()
        let rows = DatasetColumnFile.chunkRows + 123, width = 3
        let features = (0..<(rows * width)).map { Float($0) * 0.5 - 7 }
        let large = Dataset(featureNames: ["a", "b", "c"], features: features, classIndex: (0..<rows).map { Int32($0 % 3) },
                            classLabels: ["x", "y", "z"], positiveClass: nil)
        _ = try DatasetColumnFile.write(large, fingerprint: DatasetFingerprint.of(large), named: "l.columns", in: folder)
        XCTAssertEqual(try DatasetColumnFile.read(named: "l.columns", in: folder).dataset, large)
    }

    func testATruncatedFileIsRefused() throws {
        let folder = try folder()
        let bytes = try DatasetColumnFile.write(sample, fingerprint: DatasetFingerprint.of(sample), named: "s.columns", in: folder)
        XCTAssertEqual(truncate(folder.path + "/s.columns", off_t(bytes - 5)), 0)
        XCTAssertThrowsError(try DatasetColumnFile.read(named: "s.columns", in: folder)) { error in
            XCTAssertEqual(error as? DatasetFileError, .truncated(file: folder.path + "/s.columns", expected: bytes, actual: bytes - 5))
        }
    }

    func testAFlippedBitInTheDataIsCaughtByTheFingerprint() throws {
        let folder = try folder()
        let bytes = try DatasetColumnFile.write(sample, fingerprint: DatasetFingerprint.of(sample), named: "s.columns", in: folder)
        let path = folder.path + "/s.columns"
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        data[bytes - 14] ^= 0x01  // inside the last feature column
        try data.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try DatasetColumnFile.read(named: "s.columns", in: folder)) { error in
            guard case .damaged(let file, let reason)? = error as? DatasetFileError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, path)
            XCTAssertTrue(reason.contains("fingerprint"), reason)
        }
    }

    func testAMissingFileAndALinkAreRefused() throws {
        let folder = try folder()
        XCTAssertThrowsError(try DatasetColumnFile.read(named: "none.columns", in: folder)) { error in
            XCTAssertEqual(error as? DatasetFileError, .missing(file: folder.path + "/none.columns"))
        }
        _ = try DatasetColumnFile.write(sample, fingerprint: DatasetFingerprint.of(sample), named: "s.columns", in: folder)
        XCTAssertEqual(symlink(folder.path + "/s.columns", folder.path + "/link.columns"), 0)
        XCTAssertThrowsError(try DatasetColumnFile.read(named: "link.columns", in: folder)) { error in
            guard case .system(_, _, let code)? = error as? DatasetFileError else { return XCTFail("\(error)") }
            XCTAssertEqual(code, ELOOP)
        }
    }
}
