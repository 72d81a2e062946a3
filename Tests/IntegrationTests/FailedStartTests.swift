import BallastClient
import BallastProtocol
import BallastServer
import BallastTransport
import Foundation
import XCTest

/// A start that fails leaves nothing behind: no port bound, no lock held.
final class FailedStartTests: XCTestCase {
    /// A TCP port on the loopback that nothing listens on now (the system's choice for port 0).
    private func unusedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(fd, address, length) == 0 && getsockname(fd, address, &length) == 0
            }
        }
        XCTAssertTrue(bound, "bound a probe socket to port 0")
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The connection file cannot be written (its path is a folder), after the ports are bound:
    /// start throws, and the same ports can be bound again by the next daemon.
    func testAStartThatCannotWriteItsConnectionFileFreesItsPortsAndLock() throws {
        let folder = NSTemporaryDirectory() + "ballast-failed-start-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let blocked = folder + "/ballastd.json"
        // A folder (not empty) where the file should go: renaming the file over it fails.
        try FileManager.default.createDirectory(atPath: blocked + "/inside", withIntermediateDirectories: true)
        let ports = try (0..<3).map { _ in try unusedPort() }
        func configuration(_ connectionFile: String) -> ServerConfiguration {
            var configuration = ServerConfiguration()
            configuration.connectionFile = connectionFile
            configuration.requestPort = ports[0]
            configuration.controlPort = ports[1]
            configuration.eventPort = ports[2]
            configuration.log = Log(minimum: .error)
            return configuration
        }

        XCTAssertThrowsError(try Server(configuration: configuration(blocked)).start(), "the file cannot be written")
        XCTAssertNoThrow(try DaemonLock(connectionFile: blocked).release(), "the lock was released")

        // ZeroMQ closes a listener on its own thread: retry within a bound that only catches ports
        // that stay taken.
        let next = Server(configuration: configuration(folder + "/next.json"))
        var info: ConnectionInfo?
        var lastError: (any Error)?
        let deadline = Date().addingTimeInterval(20)
        while info == nil && Date() < deadline {
            do { info = try next.start() } catch {
                lastError = error
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        let started = try XCTUnwrap(info, "the ports are free again (last error: \(String(describing: lastError)))")
        XCTAssertEqual([started.requestPort, started.controlPort, started.eventPort], ports)
        let client = try Client(started)
        client.defaultTimeout = 20
        try client.initialize(name: "tests")
        XCTAssertEqual(try client.call(Ping.method)["pong"], true, "and the next daemon serves on them")
        next.requestStop()
        XCTAssertEqual(next.waitUntilStopped(), 0)
    }
}
