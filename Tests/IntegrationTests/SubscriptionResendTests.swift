import BallastClient
import BallastProtocol
import BallastTransport
import Foundation
import Synchronization
import XCTest
import ZeroMQ

/// The daemon refuses, silently, a subscription it cannot place or cannot yet tell apart from
/// junk a keyless peer sent (see `ServerSockets.screen`). A client therefore sends its
/// subscription again while no `$/welcome` comes, until its own timeout.
final class SubscriptionResendTests: XCTestCase {
    /// Keyless peers take every place the events socket has (64 peers × 64 topics), so the next
    /// subscription is refused; one place freed afterwards lets the resent subscription in.
    func testASubscriptionRefusedOnceIsSentAgainAndWelcomedOnceAPlaceFrees() throws {
        let capture = LogCapture()
        let daemon = try TestDaemon { $0.log = capture.log(minimum: .warning) }
        let limits = SubscriptionLimits()
        let context = try Context()
        var hogs: [Socket] = []
        defer { hogs.forEach { $0.close() } }
        for peer in 0..<(limits.total / limits.perPeer) {
            let hog = try Socket(context, .xsub)
            try hog.setReceiveTimeout(milliseconds: 20_000)
            try hog.connect(daemon.info.eventEndpoint)
            for index in 0..<limits.perPeer {
                _ = try hog.send([Data([1]) + Data(String(format: "run.h%02d.%02d", peer, index).utf8)])
            }
            hogs.append(hog)
        }
        // Each hog hears the welcome of each of its topics: then every place is taken.
        for (peer, hog) in hogs.enumerated() {
            var welcomed = 0
            while welcomed < limits.perPeer, try hog.receive() != nil { welcomed += 1 }
            XCTAssertEqual(welcomed, limits.perPeer, "hog \(peer)")
        }

        let outcome = Mutex<Result<Void, ClientError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let info = daemon.info
        Thread.detachNewThread {
            let result = Result { () throws(ClientError) in
                try EventSubscription(info, topic: "run.honest", timeout: 20).close()
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        XCTAssertTrue(capture.waitForLine(containing: SubscriptionRefusal.totalLimit.rawValue),
                      "the first subscription was refused: \(capture.all)")
        _ = try hogs[0].send([Data([0]) + Data("run.h00.00".utf8)])
        XCTAssertEqual(done.wait(timeout: .now() + 30), .success, "the subscription returned")
        switch outcome.withLock({ $0 }) {
        case .success?: break
        case .failure(let error)?: XCTFail("the resent subscription was not welcomed: \(error)")
        case nil: XCTFail("no outcome")
        }
    }
}
