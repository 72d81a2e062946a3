import Foundation
import Synchronization
import XCTest
@testable import BallastTransport
import ZeroMQ

/// A peer that floods a socket must not hold back what the loop has queued to send.
final class SocketLoopFairnessTests: XCTestCase {
    /// The loop owns three sockets: `flood` (a peer has queued `floodSize` messages on it before the
    /// loop starts), and the two ends of an in-process pair, `outbound` and `echo`. The first flood
    /// message makes another thread queue one message on `outbound`; it comes back on `echo`, and
    /// the test records how many flood messages had been read by then. Draining a socket until
    /// EAGAIN reads the whole flood first; a bounded turn sends the queued message after at most a
    /// few turns. Every step is caused by the one before (no sleeps, no timing).
    func testAQueuedMessageIsSentBeforeAFloodIsFullyRead() throws {
        let floodSize = 400, perTurn = 8
        let context = try Context()
        let flood = try Socket(context, .pair)
        try flood.bind("inproc://fairness-flood")
        let peer = try Socket(context, .pair)
        try peer.connect("inproc://fairness-flood")
        let echo = try Socket(context, .pair)
        try echo.bind("inproc://fairness-echo")
        let outbound = try Socket(context, .pair)
        try outbound.connect("inproc://fairness-echo")
        for index in 0..<floodSize { try peer.send([Data("flood \(index)".utf8)]) }

        let loop = try SocketLoop(name: "fairness", sockets: [flood, outbound, echo], messagesPerTurn: perTurn) { _ in }
        let floodRead = Atomic<Int>(0)
        let readWhenEchoed = Atomic<Int>(-1)
        let echoed = DispatchSemaphore(value: 0)
        let allRead = DispatchSemaphore(value: 0)
        loop.start { index, _, _ in
            switch index {
            case 0:
                let count = floodRead.add(1, ordering: .sequentiallyConsistent).newValue
                if count == 1 {
                    // From another thread, so the message waits in the outbox as a reply would.
                    let queued = DispatchSemaphore(value: 0)
                    Thread.detachNewThread {
                        loop.send([Data("outbound".utf8)], on: 1)
                        queued.signal()
                    }
                    queued.wait()
                }
                if count == floodSize { allRead.signal() }
            case 2:
                readWhenEchoed.store(floodRead.load(ordering: .sequentiallyConsistent), ordering: .sequentiallyConsistent)
                echoed.signal()
            default:
                XCTFail("nothing arrives on the outbound end")
            }
        }
        defer {
            loop.stop()
            loop.waitUntilStopped()
        }
        // Generous bounds only so that a broken loop fails instead of hanging; nothing is timed.
        XCTAssertEqual(echoed.wait(timeout: .now() + 30), .success, "the queued message was never sent")
        XCTAssertEqual(allRead.wait(timeout: .now() + 30), .success, "the flood was not read to the end")
        let seen = readWhenEchoed.load(ordering: .sequentiallyConsistent)
        XCTAssertGreaterThan(seen, 0)
        XCTAssertLessThan(seen, floodSize, "the queued message waited until the whole flood was read")
        XCTAssertEqual(floodRead.load(ordering: .sequentiallyConsistent), floodSize, "no flood message is lost")
    }
}
