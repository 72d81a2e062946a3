import BallastClient
import BallastProtocol
import BallastTransport
import Foundation
import XCTest

/// Binary buffers after the payload, through a real daemon (protocol/README.md sections 1 and 2):
/// signed with the payload, refused where no method takes them, never on the control socket.
final class BinaryFramesTests: XCTestCase {
    private func rejected(_ client: Client) throws -> JSONValue? {
        try client.control(Status.method)["rejected"]
    }

    private func request(_ id: Int64, _ method: String, _ params: JSONValue = [:]) -> [UInt8] {
        JSONWriter.data(Message.request(id: .number(id), method: method, params: params).json)
    }

    func testABufferChangedAfterSigningIsDroppedUnansweredAndCounted() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let payload = request(41, Ping.method, ["x": ["buffer": 0]])
        let buffer = Data([1, 2, 3, 4])
        let signature = Data(client.signer.signature(of: payload, buffers: [buffer]).utf8)
        try client.sendRaw(payload, signature: signature, buffers: [Data([1, 2, 3, 5])])
        XCTAssertNil(try client.next(timeout: 0.3), "no answer to a message whose buffer does not match its signature")
        try client.sendRaw(request(42, Ping.method), signature: signature, buffers: [])
        XCTAssertNil(try client.next(timeout: 0.3), "nor to one whose buffer was dropped")
        XCTAssertEqual(try rejected(client)?["bad_signature"], 2)
    }

    func testBuffersSentToAMethodThatTakesNoneAreRefusedNamingTheField() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let carried = try XCTUnwrap(client.rpcError(Ping.method, buffers: [Data([0, 0, 0, 0])]))
        XCTAssertEqual(carried.code, ErrorCode.invalidParams)
        XCTAssertEqual(carried.data?["field"], "buffers")
        XCTAssertTrue(carried.message.contains("takes no binary buffers"), carried.message)
        let listed = try XCTUnwrap(client.rpcError(DatasetList.method, buffers: [Data()]))
        XCTAssertEqual(listed.code, ErrorCode.invalidParams)
        XCTAssertEqual(try client.call(Ping.method)["pong"], true, "the session goes on")
    }

    func testTheControlSocketRefusesBuffers() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let payload = request(43, Ping.method)
        try client.sendRaw(payload, buffers: [Data([1])], control: true)
        XCTAssertNil(try client.receiveMessage(timeout: 0.3, control: true), "a control message with a buffer is malformed")
        XCTAssertEqual(try rejected(client)?["malformed"], 1)
    }

    func testMoreBuffersThanAMessageMayCarryAreDroppedBeforeTheSignatureIsChecked() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let buffers = [Data](repeating: Data([0, 0, 0, 0]), count: Frames.maxBuffers + 1)
        try client.sendRaw(request(44, Ping.method), buffers: buffers)
        XCTAssertNil(try client.receiveMessage(timeout: 0.3), "65 buffers are malformed, not answered")
        XCTAssertEqual(try rejected(client)?["malformed"], 1)
        XCTAssertEqual(try rejected(client)?["bad_signature"], 0, "the signature was never looked at")
        XCTAssertEqual(try client.call(Ping.method)["pong"], true, "the session goes on")
    }

    func testANotificationWithBuffersIsIgnored() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let exit = JSONWriter.data(Message.notification(method: Exit.method, params: [:]).json)
        try client.sendRaw(exit, buffers: [Data([1])])
        XCTAssertEqual(try client.call(Ping.method)["pong"], true, "'exit' with a buffer did not stop the daemon")
    }
}
