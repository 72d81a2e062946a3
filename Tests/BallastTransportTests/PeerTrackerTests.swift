import Foundation
import XCTest
@testable import BallastTransport

/// Joining messages (with their connection's descriptor) and DISCONNECTED events into "client gone".
final class PeerTrackerTests: XCTestCase {
    let a = Data("a".utf8), b = Data("b".utf8)

    func testADisconnectedDescriptorReportsTheClientThatLastSentOnIt() {
        var tracker = PeerTracker()
        XCTAssertNil(tracker.received(from: a, on: 7))
        XCTAssertNil(tracker.received(from: b, on: 8))
        XCTAssertEqual(tracker.disconnected(7), a)
        XCTAssertNil(tracker.disconnected(7), "each connection ends once")
        XCTAssertNil(tracker.disconnected(9), "a connection that never sent anything names nobody")
        XCTAssertEqual(tracker.connectedCount, 1)
    }

    func testAReusedDescriptorReadBeforeTheOldEventReportsTheOldClientOnceAndKeepsTheNewOne() {
        var tracker = PeerTracker()
        XCTAssertNil(tracker.received(from: a, on: 7))
        XCTAssertEqual(tracker.received(from: b, on: 7), a, "b on a's descriptor proves a's connection ended")
        XCTAssertNil(tracker.disconnected(7), "the late event for a's connection must not take b")
        XCTAssertEqual(tracker.disconnected(7), b)
    }

    func testAnIdentityThatMovesToANewConnectionIsNotTakenByTheOldOnesEnd() {
        var tracker = PeerTracker()
        XCTAssertNil(tracker.received(from: a, on: 7))
        XCTAssertNil(tracker.received(from: a, on: 9))
        XCTAssertNil(tracker.disconnected(7))
        XCTAssertEqual(tracker.disconnected(9), a)
    }
}
