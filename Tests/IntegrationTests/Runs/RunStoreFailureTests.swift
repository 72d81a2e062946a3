import BallastProtocol
import BallastStore
import Foundation
import XCTest
@testable import BallastServer

/// A store that fails under a run costs the run its record, never its answer nor the daemon.
final class RunStoreFailureTests: XCTestCase {
    func testARunWhoseStoreFailsStillAnswersAndTheFailureIsLogged() throws {
        let store = try Store.inMemory()
        let capture = LogCapture()
        let runs = Runs(store: store, log: capture.log(minimum: .error))
        defer { runs.close() }
        try store.close()  // every write from now on fails
        let context = RequestContext(session: "s", id: .number(1), cancellation: CancellationFlag(), progressToken: nil,
                                     notifyClient: { _ in }, events: EventPublisher(publish: { _, _ in }))
        let answer = try runs.record(method: "model/train", details: RunDetails(datasets: []), context: context,
                                     metrics: { (value: Int) in ["value": Double(value)] }) { recorder in
            recorder.begin(RunEvent(kind: .begin, title: "Training"))
            XCTAssertEqual(try runs.events(run: recorder.id, since: 0, limit: 10).events.count, 1, "an unrecorded live run's records are answered from memory")
            return 42
        }
        XCTAssertEqual(answer, 42, "the run answers")
        XCTAssertTrue(capture.waitForLine(containing: "could not be kept in the store"), "\(capture.all)")
        XCTAssertTrue(capture.waitForLine(containing: "is closed"), "a closed store says so, not \"out of memory\": \(capture.all)")
        XCTAssertThrowsError(try runs.record(method: "model/train", details: RunDetails(datasets: []), context: context,
                                             metrics: { (_: Int) in [:] }) { _ in throw RPCError.invalidParams("bad", field: "x") }) { error in
            XCTAssertEqual((error as? RPCError)?.code, ErrorCode.invalidParams, "the run's own error goes out unchanged")
        }
    }
}
