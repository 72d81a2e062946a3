import Foundation
import XCTest
@testable import BallastTransport

/// What a peer without a key may make the events socket hold.
final class SubscriptionGateTests: XCTestCase {
    private func topic(_ text: String) -> Data { Data(text.utf8) }

    func testOnlyTopicsOfAKnownShapeAndLengthAreAccepted() {
        var gate = SubscriptionGate<Int>()
        for accepted in ["", "r", "run", "run.", "run.r12", "run.a-b_c.d", "d", "daemon"] {
            XCTAssertEqual(gate.subscribe(topic(accepted), from: 1), .accepted, accepted)
        }
        for odd in ["x", "daemons", "run/1", "run.r 1", "run.é", "daemon.x", "\u{0}"] {
            XCTAssertEqual(gate.subscribe(topic(odd), from: 1), .refused(.shape), odd)
        }
        XCTAssertEqual(gate.subscribe(topic("run." + String(repeating: "a", count: 124)), from: 1), .accepted)
        XCTAssertEqual(gate.subscribe(topic("run." + String(repeating: "a", count: 125)), from: 1), .refused(.length))
        XCTAssertEqual(gate.subscribe(topic("run.1"), from: nil), .refused(.unknownPeer))
    }

    func testEachPeerAndAllPeersTogetherHoldABoundedNumberAndUnsubscribingFreesAPlace() {
        var limits = SubscriptionLimits()
        limits.perPeer = 3
        limits.total = 5
        var gate = SubscriptionGate<Int>(limits: limits)
        for index in 0..<3 { XCTAssertEqual(gate.subscribe(topic("run.\(index)"), from: 1), .accepted) }
        XCTAssertEqual(gate.subscribe(topic("run.3"), from: 1), .refused(.peerLimit))
        XCTAssertEqual(gate.subscribe(topic("run.0"), from: 1), .accepted, "a repeat takes no new place")
        XCTAssertEqual(gate.unsubscribe(topic("run.0"), from: 1), .withdrawn)
        XCTAssertEqual(gate.unsubscribe(topic("run.0"), from: 1), .ignored)
        XCTAssertEqual(gate.subscribe(topic("run.3"), from: 1), .accepted)
        XCTAssertEqual(gate.accepted(by: 1), 3)
        XCTAssertEqual(gate.subscribe(topic("run.a"), from: 2), .accepted)
        XCTAssertEqual(gate.subscribe(topic("run.b"), from: 2), .accepted)
        XCTAssertEqual(gate.subscribe(topic("run.c"), from: 3), .refused(.totalLimit))
        XCTAssertEqual(gate.totalAccepted, 5)
        XCTAssertEqual(gate.forgetPeers(unless: { $0 != 1 }), 1)
        XCTAssertEqual(gate.totalAccepted, 2, "a peer that left frees its places")
        XCTAssertEqual(gate.subscribe(topic("run.c"), from: 3), .accepted)
    }

    func testAPeerHoldingTooManyRefusedSubscriptionsIsOverTheLimit() {
        var limits = SubscriptionLimits()
        limits.perPeer = 2
        limits.disconnectAbove = 4
        var gate = SubscriptionGate<Int>(limits: limits)
        XCTAssertEqual(gate.subscribe(topic("run.1"), from: 7), .accepted)
        for index in 0..<3 { XCTAssertEqual(gate.subscribe(topic("bad\(index)"), from: 7), .refused(.shape)) }
        XCTAssertFalse(gate.isOverLimit(7))
        XCTAssertEqual(gate.unsubscribe(topic("bad0"), from: 7), .ignored)
        XCTAssertEqual(gate.subscribe(topic("bad0"), from: 7), .refused(.shape))
        XCTAssertFalse(gate.isOverLimit(7), "an unsubscription lowers what the peer holds")
        XCTAssertEqual(gate.subscribe(topic("bad4"), from: 7), .refused(.shape))
        XCTAssertTrue(gate.isOverLimit(7))
        XCTAssertFalse(gate.isOverLimit(8))
    }
}
