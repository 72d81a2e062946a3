import Foundation
import XCTest
@testable import BallastTransport

/// The one atomic file writer behind the connection file and the model file.
final class AtomicFileTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-atomic-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func contents(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    private func mode(_ path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    }

    func testAMissingDirectoryGivesAnErrorNamingThePathAndTheSystemsReason() throws {
        let path = folder + "/absent/model.json"
        XCTAssertThrowsError(try AtomicFile.write([1, 2, 3], to: path)) { error in
            guard let error = error as? AtomicFile.WriteError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.path, path)
            XCTAssertEqual(error.step, .create)
            XCTAssertEqual(error.code, ENOENT)
            XCTAssertEqual(error.description, "Cannot write \(path): No such file or directory")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), [])
    }

    func testAnExistingFileIsReplacedWholeAndNoTemporaryFileIsLeft() throws {
        let path = folder + "/model.json"
        try AtomicFile.write(Array(repeating: UInt8(ascii: "x"), count: 100_000), to: path)
        try AtomicFile.write(Array("short".utf8), to: path)
        XCTAssertEqual(try contents(path), Array("short".utf8), "no tail of the longer file survives")
        try AtomicFile.write([], to: path)
        XCTAssertEqual(try contents(path), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["model.json"])
    }

    func testTheFileHasTheRequestedModeEvenWhenReplacingAMorePermissiveOne() throws {
        let path = folder + "/secret.json"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("old".utf8),
                                                     attributes: [.posixPermissions: 0o644]))
        try AtomicFile.write(Array("new".utf8), to: path, mode: 0o600)
        XCTAssertEqual(try mode(path), 0o600)
        XCTAssertEqual(try contents(path), Array("new".utf8))
    }

    func testAFailedRenameKeepsItsOwnReasonAndRemovesTheTemporaryFile() throws {
        let path = folder + "/taken"
        try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
        XCTAssertThrowsError(try AtomicFile.write([1], to: path)) { error in
            guard let error = error as? AtomicFile.WriteError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.step, .rename)
            XCTAssertEqual(error.code, EISDIR, error.reason)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["taken"], "the temporary file is removed")
    }

    func testARelativePathIsWrittenBesideTheWorkingDirectory() {
        XCTAssertEqual(AtomicFile.split("model.json").folder, ".")
        XCTAssertEqual(AtomicFile.split("/model.json").folder, "/")
        XCTAssertEqual(AtomicFile.split("/a/b/model.json").folder, "/a/b")
        XCTAssertEqual(AtomicFile.split("/a/b/model.json").name, "model.json")
    }
}
