import BallastClient
import BallastProtocol
import BallastServer
import BallastTransport
import Foundation
import XCTest

final class LifecycleTests: XCTestCase {
    func testInitializeListsCapabilitiesAndNamesTheSession() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client(initialize: false)
        let result = try client.initialize(name: "lifecycle")
        XCTAssertEqual(result.protocolVersion, ProtocolVersion.current)
        XCTAssertEqual(result.session, client.session)
        XCTAssertTrue(result.capabilities.methods.contains("initialize"))
        XCTAssertEqual(result.capabilities.controlMethods, ["ping", "run/cancel", "shutdown", "status"])
        XCTAssertEqual(try client.control(Status.method)["sessions"], 1)
    }

    func testExitAfterShutdownEndsWithZeroAndRemovesTheConnectionFile() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        XCTAssertEqual(try client.call(Shutdown.method), .null)
        XCTAssertThrowsError(try client.call(Ping.method)) { error in
            guard case .rpc(let rpc) = error as? ClientError else { return XCTFail("\(error)") }
            XCTAssertEqual(rpc.code, ErrorCode.shuttingDown)
        }
        try client.notify(Exit.method)
        XCTAssertEqual(daemon.server.waitUntilStopped(), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: daemon.connectionFile))
    }

    func testExitWithoutShutdownEndsWithOne() throws {
        let daemon = try TestDaemon()
        try daemon.client().notify(Exit.method)
        XCTAssertEqual(daemon.server.waitUntilStopped(), 1)
    }

    func testControlShutdownStopsTheDaemon() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client(initialize: false)
        XCTAssertEqual(try client.control(Shutdown.method), .null)
        XCTAssertEqual(daemon.server.waitUntilStopped(), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: daemon.connectionFile))
    }

    func testProvisionedConnectionFileSuppliesKeyAndPorts() throws {
        let first = try TestDaemon()
        let provisioned = first.info
        first.stop()
        let folder = NSTemporaryDirectory() + "ballast-provisioned-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var wanted = ConnectionInfo(requestPort: provisioned.requestPort, controlPort: 0, eventPort: 0, key: "provisioned-key")
        wanted.pid = nil
        try wanted.write(to: folder + "/c.json")
        let daemon = try TestDaemon { $0.connectionFile = folder + "/c.json" }
        XCTAssertEqual(daemon.info.key, "provisioned-key")
        XCTAssertEqual(daemon.info.requestPort, provisioned.requestPort)
        XCTAssertNotEqual(daemon.info.controlPort, 0, "port 0 means choose one")
        let written = try ConnectionInfo.read(from: folder + "/c.json")
        XCTAssertEqual(written.pid, getpid())
        XCTAssertEqual(written.controlPort, daemon.info.controlPort)
        XCTAssertEqual(try daemon.client().call(Ping.method)["pong"], true)
    }

    func testCancellingAFinishedRequestIsHarmless() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        _ = try client.call(Ping.method)
        try client.cancel(.number(1))
        XCTAssertEqual(try client.call(Ping.method)["pong"], true)
    }

    func testEventSubscribersAreWelcomedOnTheirTopic() throws {
        let daemon = try TestDaemon()
        let first = try EventSubscription(daemon.info, topic: "run.42")
        let second = try EventSubscription(daemon.info, topic: "run.42")
        // The second subscription's welcome also reaches the first subscriber: proof both are live.
        let event = try XCTUnwrap(try first.next(timeout: 2))
        XCTAssertEqual(event.topic, "run.42")
        XCTAssertEqual(event.method, Welcome.method)
        XCTAssertNil(try second.next(timeout: 0.2))
    }
}
