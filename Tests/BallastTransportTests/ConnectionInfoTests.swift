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
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("{\"transport\": \"tcp\"}".utf8),
                                                     attributes: [.posixPermissions: 0o600]))
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

    func testAFileThatIsALinkOrThatOthersMayReadOrIsAnotherUsersIsRefusedWithWhatToDo() throws {
        let path = folder + "/conn.json"
        try ConnectionInfo(requestPort: 1, controlPort: 2, eventPort: 3).write(to: path)
        XCTAssertNoThrow(try ConnectionInfo.read(from: path))
        func refusal(_ path: String) -> String {
            do {
                _ = try ConnectionInfo.read(from: path)
                return "read"
            } catch {
                guard case .untrusted = error as? ConnectionInfo.FileError else { return "not refused: \(error)" }
                return "\(error)"
            }
        }
        let link = folder + "/link.json"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        XCTAssertTrue(refusal(link).contains("is a symbolic link"), refusal(link))
        XCTAssertTrue(refusal(link).hasPrefix("Refusing the connection file \(link)"), refusal(link))
        for mode: mode_t in [0o644, 0o640, 0o620, 0o602] {
            chmod(path, mode)
            XCTAssertTrue(refusal(path).contains("chmod 600 \(path)"), "\(String(mode, radix: 8)): \(refusal(path))")
        }
        chmod(path, 0o600)
        if geteuid() == 0 {
            chown(path, 65_534, 65_534)
            XCTAssertTrue(refusal(path).contains("belongs to user id 65534"), refusal(path))
            XCTAssertTrue(refusal(path).contains("Delete it"), refusal(path))
        }
        try FileManager.default.removeItem(atPath: path)
        XCTAssertEqual(mkfifo(path, 0o600), 0)
        XCTAssertTrue(refusal(path).contains("not a regular file"), "a FIFO neither blocks nor is read: \(refusal(path))")
    }

    func testEndpointsBracketIPv6() {
        XCTAssertEqual(ConnectionInfo(ip: "::1", requestPort: 5).requestEndpoint, "tcp://[::1]:5")
        XCTAssertEqual(ConnectionInfo(ip: "127.0.0.1", controlPort: 6).controlEndpoint, "tcp://127.0.0.1:6")
    }
}
