import BallastClient
import BallastProtocol
import BallastTransport
import Foundation
import XCTest

/// Messages that fail verification are dropped, counted and logged: never executed, never answered.
final class SecurityTests: XCTestCase {
    private func rejected(_ client: Client) throws -> JSONValue? {
        try client.control(Status.method)["rejected"]
    }

    func testBadSignatureIsNeverExecutedNorAnswered() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let shutdown = JSONWriter.data(Message.request(id: .number(9_001), method: Shutdown.method, params: [:]).json)
        try client.sendRaw(shutdown, signature: Data(String(repeating: "0", count: 64).utf8))
        XCTAssertNil(try client.next(timeout: 0.3), "no answer to an unverified message")
        try client.sendRaw(shutdown, signature: Data(MessageSigner(key: "not the key").signature(of: shutdown).utf8))
        XCTAssertNil(try client.next(timeout: 0.3))
        XCTAssertEqual(try client.call(Ping.method)["pong"], true, "shutdown was not executed")
        XCTAssertEqual(try rejected(client)?["bad_signature"], 2)
    }

    func testMissingSignatureFrameIsDroppedAsMalformed() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try client.sendFrames([Data(JSONWriter.data(Message.request(id: .number(5), method: "ping", params: [:]).json))])
        XCTAssertNil(try client.next(timeout: 0.3))
        XCTAssertEqual(try rejected(client)?["malformed"], 1)
    }

    func testReplayedPayloadIsRefused() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let ping = JSONWriter.data(Message.request(id: .number(77), method: Ping.method, params: [:]).json)
        try client.sendRaw(ping)
        XCTAssertNotNil(try client.next(), "the first copy is answered")
        try client.sendRaw(ping)
        XCTAssertNil(try client.next(timeout: 0.3), "the replay is not")
        // Replayed from another connection, as an eavesdropper would.
        let other = try daemon.client()
        try other.sendRaw(ping)
        XCTAssertNil(try other.next(timeout: 0.3))
        XCTAssertEqual(try rejected(client)?["replayed"], 2)
    }

    func testDaemonRefusesNonLoopbackAddressWithoutExplicitFlag() {
        XCTAssertThrowsError(try TestDaemon { $0.ip = "0.0.0.0" }) { error in
            XCTAssertTrue("\(error)".contains("loopback"), "\(error)")
        }
    }

    func testRepliesGoOnlyToTheClientThatAsked() throws {
        let daemon = try TestDaemon()
        let first = try daemon.client(), second = try daemon.client()
        XCTAssertNotEqual(first.session, second.session)
        XCTAssertEqual(try first.call(Ping.method)["pong"], true)
        XCTAssertNil(try second.next(timeout: 0.2), "the other client hears nothing")
    }
}
