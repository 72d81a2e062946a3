import Foundation
import XCTest
@testable import BallastTransport

final class ConnectionInfoTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-conn-\(UUID().uuidString)"
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    func testWritesAtomicallyWithOwnerOnlyPermissionsAndReadsBack() throws {
        let path = folder + "/nested/conn.json"
        let info = ConnectionInfo(requestPort: 1, controlPort: 2, eventPort: 3, pid: 42, protocolVersion: "1.0")
        try info.write(to: path)
        XCTAssertEqual(try ConnectionInfo.read(from: path), info)
        let fileMode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        let folderMode = try FileManager.default.attributesOfItem(atPath: folder + "/nested")[.posixPermissions] as? Int
        XCTAssertEqual(fileMode, 0o600)
        XCTAssertEqual(folderMode, 0o700)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder + "/nested")
        XCTAssertEqual(leftovers, ["conn.json"], "no temporary file is left behind")
    }

    func testInvalidFilesGiveClearErrors() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/bad.json"
        try Data("{\"transport\": \"tcp\"}".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ConnectionInfo.read(from: path)) { error in
            XCTAssertTrue("\(error)".contains("is not valid"), "\(error)")
        }
        var info = ConnectionInfo()
        info.signatureScheme = "md5"
        try info.write(to: path)
        XCTAssertThrowsError(try ConnectionInfo.read(from: path)) { error in
            XCTAssertTrue("\(error)".contains("hmac-sha256"))
        }
        XCTAssertThrowsError(try ConnectionInfo.read(from: folder + "/missing.json")) { error in
            XCTAssertTrue("\(error)".contains("Cannot read"))
        }
    }

    func testEndpointsBracketIPv6() {
        XCTAssertEqual(ConnectionInfo(ip: "::1", requestPort: 5).requestEndpoint, "tcp://[::1]:5")
        XCTAssertEqual(ConnectionInfo(ip: "127.0.0.1", controlPort: 6).controlEndpoint, "tcp://127.0.0.1:6")
    }
}
