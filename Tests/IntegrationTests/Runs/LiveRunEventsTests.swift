import BallastProtocol
@testable import BallastStore
import Foundation
import XCTest
@testable import BallastServer

/// A live run's records are not kept in memory: run/events reads them from the writer's queue
/// (not yet committed) and from the store, missing none.
final class LiveRunEventsTests: XCTestCase {
    func testALiveRunsRecordsComeFromTheQueueAndTheStoreNotFromMemory() throws {
        let store = try Store.inMemory()
        defer { try? store.close() }
        // A batch interval long enough that the records stay queued until a flush is asked for.
        let runs = Runs(store: store, log: Log(minimum: .error), batchInterval: 3_600)
        defer { runs.close() }
        let context = RequestContext(session: "s", id: .number(1), cancellation: CancellationFlag(), progressToken: nil,
                                     notifyClient: { _ in }, events: EventPublisher(publish: { _, _ in }))
        _ = try runs.record(method: "model/train", details: RunDetails(datasets: []), context: context,
                            metrics: { (_: Int) in [:] }) { recorder in
            recorder.begin(RunEvent(kind: .begin, title: "Training"))
            // `begin` records at once (a `report` may wait for the report interval).
            for step in 1...5 { recorder.begin(RunEvent(kind: .report, step: step)) }
            let live = try XCTUnwrap(runs.liveRun(recorder.id))
            XCTAssertTrue(live.unrecordedEvents.isEmpty, "a recorded run keeps no record in memory")
            XCTAssertEqual(live.eventCount, 6)
            let queued = try runs.events(run: recorder.id, since: 0, limit: 100)
            XCTAssertEqual(queued.events.compactMap(\.seq), [1, 2, 3, 4, 5, 6], "all of them, from the queue")
            XCTAssertFalse(queued.complete)
            try runs.writer.flush()
            XCTAssertEqual(try store.eventCount(run: recorder.id), 6)
            recorder.begin(RunEvent(kind: .report, step: 6))
            let mixed = try runs.events(run: recorder.id, since: 2, limit: 3)
            XCTAssertEqual(mixed.events.compactMap(\.seq), [3, 4, 5])
            XCTAssertEqual(mixed.nextSinceSeq, 5)
            let rest = try runs.events(run: recorder.id, since: 5, limit: 100)
            XCTAssertEqual(rest.events.compactMap(\.seq), [6, 7], "from the store, then from the queue")
            XCTAssertNil(rest.nextSinceSeq)
            return 1
        }
        let ended = try runs.events(run: "r1", since: 0, limit: 100)
        XCTAssertEqual(ended.events.compactMap(\.seq), Array(1...7), "ended: all from the store")
        XCTAssertTrue(ended.complete)
    }
}
