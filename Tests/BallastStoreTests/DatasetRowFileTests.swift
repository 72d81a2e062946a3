import BallastML
import BallastProtocol
import Foundation
import XCTest
@testable import BallastStore

/// The row file on a real disk: what the writer streams in reads back exactly with its features
/// mapped, a damaged or truncated file is refused naming the file, and the file goes when its
/// dataset does.
final class DatasetRowFileTests: XCTestCase {
    /// Four rows, a numeric and a text column (two one-hot features), ids, a positive class.
    private let sample = Dataset(
        schema: DatasetSchema(columns: [.numeric(name: "amount"), .categorical(name: "country", levels: ["DE", "FR"])]),
        features: [1.5, 1, 0, -2, 0, 1, 0.25, 1, 0, .greatestFiniteMagnitude, 0, 1],
        classIndex: [0, 1, 0, 1], classLabels: ["no", "yes"], positiveClass: 1, ids: ["a", "b", "c", "d"])

    private func path(_ name: String = "s.rows") throws -> String {
        try temporaryStateDirectory(self).path + "/" + name
    }

    /// Writes `data` through a writer in `windows` appends (the last may be short), as a streaming
    /// load does, and opens it.
    static func writeRowFile(_ data: Dataset, to path: String, windows: Int = 3, deleteWhenUnused: Bool = false) throws -> Dataset {
        let writer = try DatasetRowFile.Writer(path: path, featureCount: data.featureCount)
        let perWindow = max(1, (data.rowCount + windows - 1) / windows)
        let width = data.featureCount
        var start = 0
        while start < data.rowCount {
            let end = min(data.rowCount, start + perWindow)
            try data.features.withUnsafeBufferPointer { features in
                try data.classIndex.withUnsafeBufferPointer { classes in
                    try writer.append(features: UnsafeBufferPointer(rebasing: features[(start * width)..<(end * width)]),
                                      classes: UnsafeBufferPointer(rebasing: classes[start..<end]))
                }
            }
            start = end
        }
        XCTAssertEqual(writer.rowCount, data.rowCount)
        return try writer.finish(schema: data.schema, classLabels: data.classLabels, positiveClass: data.positiveClass,
                                 ids: data.ids, classRemap: nil, deleteWhenUnused: deleteWhenUnused)
    }

    func testWhatIsWrittenReadsBackExactlyWithItsFeaturesMapped() throws {
        let path = try path()
        let finished = try Self.writeRowFile(sample, to: path)
        XCTAssertTrue(finished.features.isBacked)
        XCTAssertEqual(finished, sample)
        XCTAssertEqual(finished.residentBytes, sample.byteCount - sample.features.count * 4)
        let opened = try DatasetRowFile.open(path: path, deleteWhenUnused: false)
        XCTAssertTrue(opened.features.isBacked)
        XCTAssertEqual(opened, sample)
        XCTAssertEqual(DatasetFingerprint.of(opened), DatasetFingerprint.of(sample))

        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(Array(bytes.prefix(8)), Array("BLSTROWS".utf8))
        let dataOffset = Int(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 40, as: UInt64.self) })
        XCTAssertEqual(dataOffset % 4096, 0)
        let row1 = bytes.withUnsafeBytes { raw in (0..<3).map { raw.loadUnaligned(fromByteOffset: dataOffset + (3 + $0) * 4, as: Float.self) } }
        XCTAssertEqual(row1, [-2, 0, 1], "row-major: row 1's values follow row 0's")
    }

    /// Labels merged across windows are renumbered at the end: the file holds the new numbers.
    func testClassesAreRemappedAtFinish() throws {
        let path = try path()
        let writer = try DatasetRowFile.Writer(path: path, featureCount: 1)
        let features: [Float] = [1, 2, 3]
        let classes: [Int32] = [0, 1, 2]
        try features.withUnsafeBufferPointer { f in
            try classes.withUnsafeBufferPointer { try writer.append(features: f, classes: $0) }
        }
        let dataset = try writer.finish(schema: .numeric(["x"]), classLabels: ["a", "b", "c"], positiveClass: nil, ids: nil,
                                        classRemap: [2, 0, 1], deleteWhenUnused: false)
        XCTAssertEqual(dataset.classIndex, [2, 0, 1])
        XCTAssertEqual(try DatasetRowFile.open(path: path, deleteWhenUnused: false).classIndex, [2, 0, 1])
    }

    func testAnEmptyDatasetRoundTrips() throws {
        let path = try path()
        let empty = Dataset(schema: .numeric(["x", "y"]), features: [Float](), classIndex: [], classLabels: ["0", "1"], positiveClass: nil)
        XCTAssertEqual(try Self.writeRowFile(empty, to: path), empty)
    }

    func testTheFileGoesWithItsLastDatasetOnlyWhenAskedTo() throws {
        let kept = try path("kept.rows")
        do { _ = try Self.writeRowFile(sample, to: kept, deleteWhenUnused: false) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: kept))

        let spilled = try path("spill.rows")
        var copy: Dataset?
        do {
            let dataset = try Self.writeRowFile(sample, to: spilled, deleteWhenUnused: true)
            copy = dataset
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: spilled), "a copy still reads it")
        XCTAssertEqual(copy, sample)
        copy = nil
        XCTAssertFalse(FileManager.default.fileExists(atPath: spilled))

        // Opening a damaged file never removes it, even when asked to remove it when unused.
        try Data("BLSTROWS".utf8).write(to: URL(fileURLWithPath: spilled))
        XCTAssertThrowsError(try DatasetRowFile.open(path: spilled, deleteWhenUnused: true))
        XCTAssertTrue(FileManager.default.fileExists(atPath: spilled))
    }

    func testAWriterRefusesAnExistingFileAndRemovesWhatItLeavesUnfinished() throws {
        let path = try path()
        try Data("mine".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try DatasetRowFile.Writer(path: path, featureCount: 2)) { error in
            XCTAssertEqual(error as? DatasetFileError, .system(file: path, step: "creating it", code: EEXIST))
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "mine", "an existing file is never overwritten")
        try FileManager.default.removeItem(atPath: path)

        let writer = try DatasetRowFile.Writer(path: path, featureCount: 2)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        writer.abandon()
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))

        do { _ = try DatasetRowFile.Writer(path: path, featureCount: 2) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "a writer let go unfinished removes its file")
    }

    func testAMissingFileIsNamed() throws {
        let path = try path()
        XCTAssertThrowsError(try DatasetRowFile.open(path: path, deleteWhenUnused: false)) { error in
            XCTAssertEqual(error as? DatasetFileError, .missing(file: path))
            XCTAssertEqual((error as? DatasetFileError)?.description, "Its row file \(path) is missing.")
        }
    }

    func testATruncatedFileIsRefused() throws {
        let path = try path()
        _ = try Self.writeRowFile(sample, to: path)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        for length in [0, 40, 4096, whole.count - 1] {
            try whole.prefix(length).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try DatasetRowFile.open(path: path, deleteWhenUnused: false), "cut at \(length)") { error in
                guard case let .truncated(file, expected, actual)? = error as? DatasetFileError else {
                    return XCTFail("cut at \(length): \(error)")
                }
                XCTAssertEqual(file, path)
                XCTAssertEqual(actual, length)
                XCTAssertEqual(expected, length < 64 ? 64 : whole.count)
                XCTAssertTrue((error as? DatasetFileError)?.description.contains("row file") == true)
            }
        }
    }

    func testADamagedFileIsRefusedSayingWhy() throws {
        let path = try path()
        _ = try Self.writeRowFile(sample, to: path)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        let dataOffset = 4096
        let classOffset = dataOffset + sample.features.count * 4
        let metadataOffset = classOffset + sample.rowCount * 4
        func damaged(_ change: (inout Data) -> Void) throws -> String? {
            var bytes = whole
            change(&bytes)
            try bytes.write(to: URL(fileURLWithPath: path))
            do {
                _ = try DatasetRowFile.open(path: path, deleteWhenUnused: false)
                return nil
            } catch {
                guard case let .damaged(file, reason) = error else { return "not damaged: \(error)" }
                XCTAssertEqual(file, path)
                return reason
            }
        }
        func put(_ value: UInt64, at offset: Int, in bytes: inout Data) {
            withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<(offset + 8), with: $0) }
        }
        XCTAssertEqual(try damaged { $0[0] = UInt8(ascii: "X") }, "it does not start as a Ballast row file")
        XCTAssertEqual(try damaged { $0[8] = 2 }, "it is version 2; this daemon reads version 1")
        XCTAssertEqual(try damaged { put(5, at: 24, in: &$0) }, "its header's sizes do not add up")
        XCTAssertEqual(try damaged { put(2, at: 32, in: &$0) }, "its header's sizes do not add up")
        XCTAssertEqual(try damaged { put(100, at: 40, in: &$0) }, "its header's sizes do not add up")
        XCTAssertEqual(try damaged { $0[classOffset + 8] = 7 }, "row 2's class 7 is not one of its 2 classes")
        XCTAssertEqual(try damaged { $0[classOffset + 3] = 0x80 }, "row 0's class -2147483648 is not one of its 2 classes")
        XCTAssertEqual(try damaged { $0[metadataOffset] = UInt8(ascii: "[") }?.hasPrefix("its metadata is not valid JSON"), true)
        XCTAssertEqual(try damaged { bytes in
            let text = String(decoding: bytes[metadataOffset...], as: UTF8.self)
                .replacingOccurrences(of: "ballast-dataset-rows", with: "ballast-dataset-cols")
            bytes.replaceSubrange(metadataOffset..., with: Data(text.utf8))
        }, "its metadata names no ballast-dataset-rows format")
        XCTAssertEqual(try damaged { bytes in
            let text = String(decoding: bytes[metadataOffset...], as: UTF8.self).replacingOccurrences(of: "\"d\"", with: "\"e\"")
            bytes.replaceSubrange(metadataOffset..., with: Data(text.utf8))
        }, nil, "an id changed in place is not a structural fault: row files carry no fingerprint")
    }
}
