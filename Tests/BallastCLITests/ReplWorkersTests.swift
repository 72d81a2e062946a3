import BallastProtocol
import Foundation
import Synchronization
import XCTest
@testable import BallastCLI

/// The bridge's `repl/*` workers without a daemon: one reply a request, ids not shared, a
/// daemon that is gone fails the cells queued behind, a cancel reaches only its own cell.
final class ReplWorkersTests: XCTestCase {
    /// What the workers wrote, and a hook run on each message as it is written.
    private final class Written: Sendable {
        let messages = Mutex<[JSONValue]>([])
        let arrived = DispatchSemaphore(value: 0)
        let onWrite = Mutex<(@Sendable (JSONValue) -> Void)?>(nil)

        func write(_ message: JSONValue) {
            onWrite.withLock { $0 }?(message)
            messages.withLock { $0.append(message) }
            arrived.signal()
        }

        func reply(to id: JSONValue, timeout: Double = 30) -> JSONValue? {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if let found = messages.withLock({ $0.first { $0["id"] == id } }) { return found }
                _ = arrived.wait(timeout: .now() + 0.1)
            }
            return nil
        }
    }

    /// Waits (bounded, only to catch a hang) until every reply written has also been forgotten.
    private func settled(_ workers: ReplWorkers) -> Int {
        let deadline = Date().addingTimeInterval(30)
        while workers.outstanding > 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        return workers.outstanding
    }

    private func workers() -> (ReplWorkers, ReplService, Written) {
        let folder = NSTemporaryDirectory() + "ballast-repl-\(UUID().uuidString)"
        let service = ReplService(options: SessionOptions(connectionFile: folder + "/none.json", noSpawn: true), workingDirectory: folder)
        let written = Written()
        return (ReplWorkers(service: service, write: { written.write($0) }), service, written)
    }

    func testACellQueuedBehindOneThatFindsNoDaemonFailsRatherThanRuns() throws {
        let (workers, _, written) = workers()
        workers.submit(editorID: 1, method: ReplService.execute, params: ["code": "datasets"])
        workers.submit(editorID: 2, method: ReplService.execute, params: ["code": "\n# first\necho queued"])
        let first = try XCTUnwrap(written.reply(to: 1)?["result"])
        XCTAssertEqual(first["outputs"]?.arrayValue?.last?["error"]?["data"]?["kind"], "unavailable")
        let second = try XCTUnwrap(written.reply(to: 2)?["result"])
        XCTAssertEqual(second["status"], "error", "not run: \(second)")
        let output = try XCTUnwrap(second["outputs"]?.arrayValue?.first)
        XCTAssertEqual(output["command"], "echo")
        XCTAssertEqual(output["line"], 3)
        let error = try XCTUnwrap(output["error"])
        XCTAssertEqual(error["code"], .int(Int64(ErrorCode.shuttingDown)))
        XCTAssertEqual(error["data"]?["line"], 3)
        XCTAssertEqual(error["data"]?["kind"], "unavailable")
        XCTAssertEqual(output["text"], .string("error: " + (error["message"]?.stringValue ?? "")),
                       "as the REPL reports a daemon it cannot reach")
        XCTAssertNotNil(workers.daemonGone, "the bridge exits 3")
        // One submitted later fails too, without running.
        workers.submit(editorID: 3, method: ReplService.execute, params: ["code": "echo later"])
        XCTAssertEqual(written.reply(to: 3)?["result"]?["status"], "error")
        XCTAssertEqual(settled(workers), 0)
    }

    func testAnIDStillOutstandingIsRefusedAndEachReplyForgetsOnlyItsJob() throws {
        let (workers, _, written) = workers()
        // Lookup 9's reply is held as it is written, so lookup 1, queued behind it, stays unanswered.
        let hold = DispatchSemaphore(value: 0)
        written.onWrite.withLock { $0 = { message in if message["id"] == 9 { hold.wait() } } }
        XCTAssertTrue(workers.submit(editorID: 9, method: ReplService.isComplete, params: ["code": "echo"]))
        XCTAssertTrue(workers.submit(editorID: 1, method: ReplService.isComplete, params: ["code": "echo"]))
        XCTAssertTrue(workers.isOutstanding(1))
        XCTAssertFalse(workers.submit(editorID: 1, method: ReplService.execute, params: ["code": "echo twice"]), "its reply could not be told apart")
        XCTAssertTrue(workers.submit(editorID: 2, method: ReplService.execute, params: ["code": "echo"]))
        hold.signal()
        XCTAssertEqual(written.reply(to: 1)?["result"]?["status"], "complete")
        XCTAssertEqual(written.reply(to: 2)?["result"]?["status"], "ok")
        XCTAssertEqual(written.reply(to: 9)?["result"]?["status"], "complete")
        XCTAssertEqual(written.messages.withLock { $0.count }, 3, "one reply each, none for the refused one")
        XCTAssertEqual(settled(workers), 0)
        XCTAssertTrue(workers.submit(editorID: 1, method: ReplService.isComplete, params: ["code": "echo"]), "free again once answered")
        XCTAssertNotNil(written.reply(to: 1))
    }

    func testACancelArrivingWhileTheReplyIsWrittenReachesNoOtherCell() throws {
        let (workers, service, written) = workers()
        let answered = Mutex(false)
        // The editor's cancel for cell 1 arrives just as its reply is being written: its id is
        // free already (the editor may reuse it once it reads the reply), so the cancel is not the
        // workers' (the bridge relays it, and the daemon has no such request).
        written.onWrite.withLock { $0 = { message in
            if message["id"] == 1 { answered.withLock { $0 = workers.cancel(1) } }
        } }
        workers.submit(editorID: 1, method: ReplService.execute, params: ["code": "echo one"])
        XCTAssertEqual(written.reply(to: 1)?["result"]?["status"], "ok")
        XCTAssertFalse(answered.withLock { $0 }, "answered: no longer the workers'")
        XCTAssertFalse(service.commands.session.canceller.takeArmed(), "nothing kept for the next cell's first request")
        XCTAssertEqual(written.messages.withLock { $0.count }, 1)
    }

    func testACancelForALookupIsIgnoredQuietly() {
        let (workers, _, written) = workers()
        // Lookup 4's reply is held as it is written, so lookup 5, queued behind it, is unanswered.
        let hold = DispatchSemaphore(value: 0)
        written.onWrite.withLock { $0 = { message in if message["id"] == 4 { hold.wait() } } }
        workers.submit(editorID: 4, method: ReplService.isComplete, params: ["code": "echo"])
        workers.submit(editorID: 5, method: ReplService.isComplete, params: ["code": "echo"])
        XCTAssertTrue(workers.cancel(5), "not relayed to the daemon")
        hold.signal()
        XCTAssertEqual(written.reply(to: 5)?["result"]?["status"], "complete")
        XCTAssertEqual(settled(workers), 0)
        XCTAssertFalse(workers.cancel(5), "answered: no longer the workers'")
    }
}
