import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// Correctly signed messages a client should never send still get a clear answer, and the daemon
/// goes on serving (issue 10's hostile input, as far as it has come).
final class HostileInputTests: XCTestCase {
    func testIdsOutsideInt64AreRefusedOnEverySocketAndTheDaemonLivesOn() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client(initialize: false)
        for id in ["1e300", "9223372036854775808", "-1e19"] {
            let raw = Array(#"{"jsonrpc": "2.0", "id": \#(id), "method": "ping"}"#.utf8)
            for control in [false, true] {
                // Trailing spaces keep the two payloads apart for the replay guard.
                try client.sendRaw(raw + Array(String(repeating: " ", count: control ? 2 : 1).utf8), control: control)
                let reply = try XCTUnwrap(try client.receiveMessage(timeout: 5, control: control), "\(id) control \(control)")
                XCTAssertEqual(reply["id"], .null, "\(id)")
                XCTAssertEqual(reply["error"]?["code"], .int(Int64(ErrorCode.invalidRequest)), "\(id)")
                XCTAssertEqual(reply["error"]?["data"]?["field"], "id")
            }
            // Inside $/cancelRequest the id is ignored (a notification gets no answer).
            try client.sendRaw(Array(#"{"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": \#(id)}}"#.utf8), control: true)
        }
        XCTAssertEqual(try client.control(Ping.method)["pong"], true)
        _ = try client.initialize()
        XCTAssertEqual(try client.call(Ping.method)["pong"], true, "the daemon still serves")
    }
}
