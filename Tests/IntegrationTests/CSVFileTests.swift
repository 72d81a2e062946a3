import BallastML
import Foundation
import XCTest
@testable import BallastServer

/// Reading a CSV file from disk, the daemon's side of `dataset/load` (the engine parses bytes).
final class CSVFileTests: XCTestCase {
    private func failure(_ path: String) -> DataError? {
        do {
            _ = try CSVFile(opening: path).parse(options: CSVOptions())
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

    /// A file in the temporary folder holding `text`, removed after the test.
    private func temporaryFile(_ text: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-csv-\(UUID()).csv").path
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testAMappedFileLoads() throws {
        let path = temporaryFile("a,b,y\n1,2,0\n3,4,1\n5,6,0\n")
        let file = try CSVFile(opening: path)
        XCTAssertEqual(file.access, .mapped, "a private file of the daemon's own user is mapped")
        let mapped = try file.parse(options: CSVOptions())
        XCTAssertEqual(mapped.dataset.features, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(mapped.dataset.classLabels, ["0", "1"])
    }

    /// The size the budget is asked about and the bytes parsed are the same open file's, whatever
    /// the path names by then.
    func testTheOpenFileIsTheOneMeasuredAndParsed() throws {
        let path = temporaryFile("a,b,y\n1,2,0\n3,4,1\n")
        let file = try CSVFile(opening: path)
        let replacement = temporaryFile("a,b,y\n" + String(repeating: "9,9,1\n", count: 1_000))
        XCTAssertEqual(rename(replacement, path), 0)
        XCTAssertEqual(file.size, 18)
        let table = try file.parse(options: CSVOptions())
        XCTAssertEqual(table.dataset.rowCount, 2)
    }

    /// Only a file that nobody but the daemon's own user can truncate is mapped: a truncation
    /// under a mapping kills the daemon with SIGBUS, under a read it only shortens the file.
    func testOnlyFilesNobodyElseCanTruncateAreMapped() {
        let me: uid_t = 1_000, someone: uid_t = 1_001
        XCTAssertEqual(CSVFile.access(owner: me, mode: S_IFREG | 0o600, user: me), .mapped)
        XCTAssertEqual(CSVFile.access(owner: me, mode: S_IFREG | 0o644, user: me), .mapped)
        XCTAssertEqual(CSVFile.access(owner: me, mode: S_IFREG | 0o444, user: me), .mapped)
        XCTAssertEqual(CSVFile.access(owner: me, mode: S_IFREG | 0o664, user: me), .read, "its group may write it")
        XCTAssertEqual(CSVFile.access(owner: me, mode: S_IFREG | 0o646, user: me), .read, "anyone may write it")
        XCTAssertEqual(CSVFile.access(owner: someone, mode: S_IFREG | 0o644, user: me), .read, "its owner may write it")
        XCTAssertEqual(CSVFile.access(owner: someone, mode: S_IFREG | 0o444, user: me), .read, "its owner may make it writable")
        XCTAssertEqual(CSVFile.access(owner: 0, mode: S_IFREG | 0o644, user: 0), .mapped)
    }

    func testAFileOthersMayWriteIsReadNotMappedAndLoadsTheSame() throws {
        let path = temporaryFile("a,b,y\n1,2,0\n3,4,1\n5,6,0\n")
        XCTAssertEqual(chmod(path, 0o666), 0)
        let file = try CSVFile(opening: path)
        XCTAssertEqual(file.access, .read)
        let table = try file.parse(options: CSVOptions())
        XCTAssertEqual(table.dataset.features, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(table.dataset.classLabels, ["0", "1"])
    }

    /// Needs root, to give a file to another user.
    func testAFileOfAnotherUserIsReadNotMapped() throws {
        guard geteuid() == 0 else { throw XCTSkip("only root can give a file to another user") }
        let path = temporaryFile("a,b,y\n1,2,0\n3,4,1\n5,6,0\n")
        XCTAssertEqual(chown(path, 65_534, 65_534), 0)
        let file = try CSVFile(opening: path)
        XCTAssertEqual(file.access, .read)
        let table = try file.parse(options: CSVOptions())
        XCTAssertEqual(table.dataset.features, [1, 2, 3, 4, 5, 6])
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
