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

    func testInitializeAnnouncesTheRequestSocketsFrameLimit() throws {
        let limit: Int64 = 300_000
        let daemon = try TestDaemon { $0.maxMessageBytes = limit }
        let client = try daemon.client(initialize: false)
        XCTAssertEqual(try client.initialize(name: "lifecycle").maxMessageBytes, limit)
        let standard = try TestDaemon()
        XCTAssertEqual(try standard.client(initialize: false).initialize().maxMessageBytes, 64 << 20, "the default")

        // The number is the socket's: a frame of exactly that size arrives (and is answered, here
        // refused by a method that takes no buffers); one byte more never reaches the daemon.
        let fits = try XCTUnwrap(client.rpcError(Ping.method, buffers: [Data(count: Int(limit))]))
        XCTAssertEqual(fits.data?["field"], "buffers", fits.message)
        let payload = JSONWriter.data(Message.request(id: .number(9), method: Ping.method, params: [:]).json)
        let over = [Data(count: Int(limit) + 1)]
        try client.sendRaw(payload, signature: Data(client.signer.signature(of: payload, buffers: over).utf8), buffers: over)
        XCTAssertNil(try client.next(timeout: 0.5), "libzmq drops the frame and the sender without an answer")
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

    func testAPlantedConnectionFilesKeyAndPortsAreNeverUsed() throws {
        let folder = NSTemporaryDirectory() + "ballast-planted-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/c.json"
        // Planted the way the daemon itself would write it (private, this user's), so only the
        // daemon's choice not to read it keeps the planted key out.
        try ConnectionInfo(requestPort: 1, controlPort: 2, eventPort: 3, key: "planted-key").write(to: path)
        let daemon = try TestDaemon { $0.connectionFile = path }
        XCTAssertNotEqual(daemon.info.key, "planted-key")
        XCTAssertEqual(daemon.info.key.count, 64, "a fresh random key")
        XCTAssertFalse([1, 2, 3].contains(daemon.info.requestPort), "ports come from the flags only")
        let written = try ConnectionInfo.read(from: path)
        XCTAssertEqual(written.key, daemon.info.key)
        XCTAssertEqual(written.pid, getpid())
        XCTAssertEqual(try daemon.client().call(Ping.method)["pong"], true)
    }

    func testAMessageSignedBeforeARestartIsDroppedAfterIt() throws {
        let folder = NSTemporaryDirectory() + "ballast-restart-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/c.json"
        let first = try TestDaemon { $0.connectionFile = path }
        let firstClient = try first.client()
        // What an eavesdropper captured: a signed shutdown, never sent to the first daemon.
        let shutdown = JSONWriter.data(Message.request(id: .number(4_242), method: Shutdown.method, params: [:]).json)
        let captured = Data(first.info.signer.signature(of: shutdown).utf8)
        XCTAssertEqual(try firstClient.call(Ping.method)["pong"], true)
        XCTAssertEqual(first.stop(), 0)

        let second = try TestDaemon { $0.connectionFile = path }
        XCTAssertNotEqual(second.info.key, first.info.key, "each start makes a fresh key")
        let client = try second.client()
        try client.sendRaw(shutdown, signature: captured, control: true)
        try client.sendRaw(shutdown, signature: captured)
        XCTAssertNil(try client.next(timeout: 0.3), "the captured message is not answered")
        XCTAssertEqual(try client.control(Ping.method)["pong"], true, "nor executed")
        XCTAssertEqual(try client.control(Status.method)["rejected"]?["bad_signature"], 2)
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
