import Foundation
import XCTest
@testable import BallastStore

/// The store's files are the user's only: 0600 whatever the umask, an existing looser file is
/// tightened, and a symbolic link in its place is refused.
final class StoreFileModeTests: XCTestCase {
    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func testANewStoreAndItsWALAndSHMAreReadableByTheOwnerOnly() throws {
        let directory = try temporaryStateDirectory(self)
        let path = directory.appendingPathComponent(Store.fileName).path
        let previous = umask(0o022)
        defer { umask(previous) }
        let store = try Store(directory: directory)
        defer { try? store.close() }
        try store.beginRun(RunStart(id: "r1", method: "model/train", params: [:]))
        for file in [path, path + "-wal", path + "-shm"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: file), file)
            XCTAssertEqual(try mode(file), 0o600, file)
        }
    }

    func testAnExistingLooserStoreIsTightened() throws {
        let directory = try temporaryStateDirectory(self)
        let path = directory.appendingPathComponent(Store.fileName).path
        try Store(directory: directory).close()
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            XCTAssertEqual(chmod(file, 0o644), 0)
        }
        let store = try Store(directory: directory)
        defer { try? store.close() }
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            XCTAssertEqual(try mode(file), 0o600, file)
        }
    }

    func testASymbolicLinkInPlaceOfTheStoreIsRefused() throws {
        let directory = try temporaryStateDirectory(self)
        let path = directory.appendingPathComponent(Store.fileName).path
        let elsewhere = directory.appendingPathComponent("elsewhere.sqlite").path
        XCTAssertTrue(FileManager.default.createFile(atPath: elsewhere, contents: nil))
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: elsewhere)
        XCTAssertThrowsError(try Store(directory: directory)) { error in
            guard case let .cannotOpen(errorPath, reason) = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(errorPath, path)
            XCTAssertTrue(reason.contains("symbolic link"), reason)
        }
    }
}
