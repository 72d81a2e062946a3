import BallastProtocol
import Foundation
import Synchronization
import XCTest
@testable import BallastServer

/// Every request gets one reply, even when its work loses the handle: the sessions must not keep
/// a dropped handle alive, or its `deinit` never answers and the request stays in flight for ever.
final class ReplyHandleTests: XCTestCase {
    /// What a handle delivered and whether it reported being dropped unanswered.
    final class Outbox: Sendable {
        let messages = Mutex<[JSONValue]>([])
        let drops = Mutex<[String]>([])
    }

    /// Registers request `id` as the Dispatcher does: answering ends it in `sessions`.
    private func begin(_ sessions: Sessions, id: Int64, outbox: Outbox) -> ReplyHandle? {
        let requestID = RequestID.number(id)
        let admission = sessions.begin(session: "s", id: requestID, method: "model/train") {
            ReplyHandle(id: requestID, method: "model/train", droppedUnanswered: { id, method in
                outbox.drops.withLock { $0.append("\(id) \(method)") }
            }) { [sessions] message, _ in
                sessions.end(session: "s", id: requestID)
                outbox.messages.withLock { $0.append(message) }
            }
        }
        guard case .started(_, let handle) = admission else { return nil }
        return handle
    }

    func testAHandleDroppedUnansweredAnswersInternalErrorAndEndsTheRequest() throws {
        let sessions = Sessions()
        let outbox = Outbox()
        do {
            // The work takes the handle and loses it without answering.
            let handle = try XCTUnwrap(begin(sessions, id: 7, outbox: outbox))
            XCTAssertEqual(sessions.inFlightCount, 1)
            _ = handle
        }
        let messages = outbox.messages.withLock { $0 }
        XCTAssertEqual(messages.count, 1, "the dropped handle answered once")
        XCTAssertEqual(messages.first?["id"], 7)
        XCTAssertEqual(messages.first?["error"]?["code"]?.intValue, Int64(ErrorCode.internalError))
        XCTAssertEqual(outbox.drops.withLock { $0 }.count, 1, "the drop was reported (an assertion in the daemon)")
        XCTAssertEqual(sessions.inFlightCount, 0, "no request stays in flight")
    }

    /// The stop still reaches every live handle through the weak references, and answers each once.
    func testAbandonAllAnswersLiveHandlesOnceAndTheWorksLateReplyIsDropped() throws {
        let sessions = Sessions()
        let outbox = Outbox()
        let first = try XCTUnwrap(begin(sessions, id: 1, outbox: outbox))
        let second = try XCTUnwrap(begin(sessions, id: 2, outbox: outbox))
        XCTAssertEqual(sessions.abandonAll(with: .stoppedBeforeFinishing), 2)
        XCTAssertEqual(sessions.inFlightCount, 0)
        first.succeed(.null)
        second.fail(.cancelled())
        let codes = outbox.messages.withLock { $0 }.map { $0["error"]?["code"]?.intValue }
        XCTAssertEqual(codes, [Int64(ErrorCode.shuttingDown), Int64(ErrorCode.shuttingDown)])
        XCTAssertEqual(outbox.drops.withLock { $0 }, [])
    }

    func testAnAnsweredHandleSaysNothingMoreWhenDroppedAndLeavesNothingInFlight() throws {
        let sessions = Sessions()
        let outbox = Outbox()
        do {
            let handle = try XCTUnwrap(begin(sessions, id: 3, outbox: outbox))
            handle.succeed(["ok": true])
        }
        XCTAssertEqual(outbox.messages.withLock { $0 }.map { $0["result"] }, [["ok": true]])
        XCTAssertEqual(outbox.drops.withLock { $0 }, [])
        XCTAssertEqual(sessions.inFlightCount, 0)
    }
}
