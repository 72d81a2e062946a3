import BallastClient
import BallastProtocol
import BallastTransport
import Foundation
import XCTest

/// A timeout that is no time to wait (NaN, infinity, zero, negative) is refused before anything is
/// sent, and a NaN deadline never reaches the socket's receive timeout.
final class WaitLimitTests: XCTestCase {
    func testCallsRefuseTimeoutsThatAreNoTime() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        defer { client.close() }
        for timeout in [Double.nan, .infinity, -.infinity, 0, -1] {
            XCTAssertThrowsError(try client.call(Ping.method, timeout: timeout)) { error in
                guard case .badArgument(let message) = error as? ClientError else { return XCTFail("\(timeout): \(error)") }
                XCTAssertTrue(message.contains("finite number of seconds above 0"), message)
            }
            XCTAssertThrowsError(try client.control(Ping.method, timeout: timeout)) { error in
                guard case .badArgument = error as? ClientError else { return XCTFail("\(timeout): \(error)") }
            }
        }
        XCTAssertThrowsError(try DaemonStopper.stop(connectionFile: daemon.connectionFile, wait: .nan)) { error in
            guard case .badArgument = error as? ClientError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try client.call(Ping.method, timeout: 10)["pong"], true)
    }

    func testANaNDeadlineIsTreatedAsPassed() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        defer { client.close() }
        XCTAssertNil(try client.receiveMessage(timeout: .nan))
    }
}
