import BallastML
import Foundation
import XCTest
@testable import BallastServer

/// Reading a CSV file from disk, the daemon's side of `dataset/load` (the engine parses bytes).
final class CSVFileTests: XCTestCase {
    private func failure(_ path: String) -> DataError? {
        do {
            _ = try CSVFile.load(path: path, options: CSVOptions())
            XCTFail("\(path) loaded")
            return nil
        } catch {
            return error
        }
    }

    func testAMissingFileIsNotFoundAndNamesThePath() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-no-such-\(UUID()).csv").path
        let error = failure(path)
        XCTAssertEqual(error?.kind, .fileNotFound)
        XCTAssertEqual(error?.path, path)
        XCTAssertEqual(error?.message, "No file at \(path).")
    }

    func testAFolderIsRefused() {
        XCTAssertEqual(failure(FileManager.default.temporaryDirectory.path)?.kind, .isDirectory)
    }

    func testAnEmptyFileIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-empty-\(UUID()).csv").path
        FileManager.default.createFile(atPath: path, contents: Data())
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertEqual(failure(path)?.kind, .empty)
    }

    func testAMappedFileLoads() throws {
        let text = "a,b,y\n1,2,0\n3,4,1\n5,6,0\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-csv-\(UUID()).csv").path
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let mapped = try CSVFile.load(path: path, options: CSVOptions())
        XCTAssertEqual(mapped.dataset.features, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(mapped.dataset.classLabels, ["0", "1"])
    }

    /// A FIFO used to block the request queue until a writer came; `/dev/zero` was read until the
    /// daemon was killed for memory. Neither is opened now.
    func testPipesAndDevicesAreRefusedWithoutBeingRead() throws {
        let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-fifo-\(UUID())").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        defer { unlink(fifo) }
        XCTAssertEqual(failure(fifo)?.kind, .notARegularFile, "no writer ever comes: a read would block")
        XCTAssertEqual(failure("/dev/zero")?.kind, .notARegularFile)
    }
}
