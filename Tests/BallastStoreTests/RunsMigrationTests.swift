import BallastProtocol
import Foundation
import GRDB
import Synchronization
import XCTest
@testable import BallastStore

/// A store written before "v2-runs" (only "v1" applied, as the first Ballast with a store left
/// it) opens after migrating, and keeps its runs, made findable by dataset and metric.
final class RunsMigrationTests: XCTestCase {
    func testAV1StoreOpensAfterMigratingAndKeepsItsRuns() throws {
        let directory = try temporaryStateDirectory(self)
        let path = directory.appendingPathComponent(Store.fileName).path
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(queue, upTo: "v1")
            try queue.write { db in
                XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA user_version"), 1)
                try db.execute(sql: """
                    INSERT INTO runs (id, method, params, config, status, started, ended, metrics) VALUES
                    ('r1', 'model/train', '{"dataset":"cards.train","validation":"cards.validation","name":"m1"}', '{"l2":0.1}',
                     'completed', 100, 105, '{"validation.f1":0.5,"steps":12,"note":"text is not a metric"}'),
                    ('r2', 'experiment/compare', '{"train":"cards.train","test":"cards.test"}', NULL, 'completed', 200, 230, NULL),
                    ('r3', 'model/train', '{"dataset":"other"}', NULL, 'running', 300, NULL, NULL);
                    INSERT INTO run_events (run_id, seq, body) VALUES
                    ('r1', 1, '{"kind":"begin","run":"r1","seq":1}'), ('r1', 2, '{"kind":"end","run":"r1","seq":2}');
                    """)
            }
            try queue.close()
        }

        let store = try Store(directory: directory)
        defer { try? store.close() }
        XCTAssertEqual(store.interruptedAtOpen, ["r3"])
        try store.pool.read { db in
            XCTAssertEqual(try StoreSchema.migrator.appliedMigrations(db), StoreSchema.migrator.migrations)
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA user_version"), Store.formatVersion)
        }
        let runs = try store.runs()
        XCTAssertEqual(runs.map(\.id), ["r1", "r2", "r3"])
        XCTAssertEqual(runs.map(\.status), [.completed, .completed, .interrupted])
        XCTAssertEqual(runs[0].params, ["dataset": "cards.train", "validation": "cards.validation", "name": "m1"])
        XCTAssertEqual(runs[0].config, ["l2": 0.1])
        XCTAssertEqual(runs[0].model, "m1", "recovered from the params")
        XCTAssertEqual(runs[0].metricValues, ["validation.f1": 0.5, "steps": 12])
        XCTAssertEqual(runs[0].datasets, [RunDataset(role: "dataset", name: "cards.train"),
                                          RunDataset(role: "validation", name: "cards.validation")])
        XCTAssertEqual(runs[1].datasets.map(\.role), ["train", "test"])
        XCTAssertEqual(try store.events(run: "r1").map(\.seq), [1, 2])

        var query = RunQuery()
        query.dataset = "cards.train"
        XCTAssertEqual(try store.listRuns(query).runs.map(\.id), ["r2", "r1"])
        query = RunQuery()
        query.sortBy = .metric("validation.f1")
        XCTAssertEqual(try store.listRuns(query).runs.map(\.id), ["r1", "r3", "r2"], "runs without the metric last")
        XCTAssertEqual(try store.largestRunNumber(), 3)
    }
}

/// The batching writer: few transactions for many records, and nothing queued lost at a finish.
final class RunWriterTests: XCTestCase {
    private func event(_ seq: Int, run: String = "r1") -> RunEvent {
        var event = RunEvent(kind: seq == 1 ? .begin : .report, step: seq)
        (event.run, event.seq) = (run, seq)
        return event
    }

    func testRecordsAreWrittenInBatchesAndAFinishWritesWhatIsQueuedWithTheFinalRow() throws {
        let store = try Store(directory: try temporaryStateDirectory(self))
        defer { try? store.close() }
        try store.beginRun(RunStart(id: "r1", method: "model/train", params: [:]))
        // An interval longer than the test: only a full batch or the finish writes.
        let writer = RunWriter(store: store, interval: 3_600, batchLimit: 256)
        defer { writer.close() }
        for seq in 1...1_000 { writer.append(event(seq)) }
        try writer.finish(RunFinish(id: "r1", status: .completed, seconds: 1.5, metrics: ["train.f1": 0.75, "bad": .nan],
                                    result: ["model": "m"]))
        XCTAssertEqual(try store.events(run: "r1").map(\.seq), Array(1...1_000), "every record, in order, before finish returns")
        XCTAssertLessThanOrEqual(writer.transactionCount, 5, "1,000 records in batches of 256 and a finish, not one per record")
        let run = try XCTUnwrap(try store.run(id: "r1"))
        XCTAssertEqual(run.status, .completed)
        XCTAssertEqual(run.seconds, 1.5)
        XCTAssertEqual(run.metricValues, ["train.f1": 0.75], "a non-finite metric is left out")
        XCTAssertEqual(run.result, ["model": "m"])
    }

    func testTheIntervalWritesWithoutAFinishAndCloseFlushes() throws {
        let store = try Store(directory: try temporaryStateDirectory(self))
        defer { try? store.close() }
        try store.beginRun(RunStart(id: "r1", method: "model/train", params: [:]))
        let writer = RunWriter(store: store, interval: 0.05)
        writer.append(event(1))
        // Waits for the background thread, with a bound that only catches a hang.
        let deadline = Date().addingTimeInterval(30)
        while try store.eventCount(run: "r1") == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        XCTAssertEqual(try store.eventCount(run: "r1"), 1)
        writer.append(event(2))
        writer.close()
        XCTAssertEqual(try store.eventCount(run: "r1"), 2, "close writes what is queued")
        writer.append(event(3))
        try writer.flush()
        XCTAssertEqual(try store.eventCount(run: "r1"), 2, "records queued after close are dropped")
    }

    func testABatchThatFailsDoesNotCostAFinishingRunItsFinalRow() throws {
        let store = try Store(directory: try temporaryStateDirectory(self))
        defer { try? store.close() }
        try store.beginRun(RunStart(id: "r1", method: "model/train", params: [:]))
        let failures = FailureLog()
        let writer = RunWriter(store: store, interval: 3_600) { failures.append($0) }
        defer { writer.close() }
        writer.append(event(1))
        writer.append(event(1, run: "r-unknown"))
        try writer.finish(RunFinish(id: "r1", status: .completed))
        XCTAssertEqual(try store.run(id: "r1")?.status, .completed)
        XCTAssertEqual(try store.eventCount(run: "r1"), 1, "written again run by run: another run's bad record does not cost r1 its own")
        XCTAssertEqual(failures.count, 1, "the failing run's records are reported")
    }

    func testDeleteLeavesRunningRunsAndTheIdsCountFromTheLargest() throws {
        let store = try Store(directory: try temporaryStateDirectory(self))
        defer { try? store.close() }
        for id in ["r2", "r10", "rx", "r9"] { try store.beginRun(RunStart(id: id, method: "model/train", params: [:])) }
        XCTAssertEqual(try store.largestRunNumber(), 10, "numbers compare as numbers; other ids are ignored")
        try store.finishRun(RunFinish(id: "r2", status: .completed))
        XCTAssertEqual(try store.deleteRuns(["r2", "r9", "r404"]), ["r2"], "a running run is not deleted")
        XCTAssertNil(try store.run(id: "r2"))
        XCTAssertNotNil(try store.run(id: "r9"))
    }
}

private final class FailureLog: Sendable {
    private let failures = Mutex<[StoreError]>([])
    func append(_ error: StoreError) { failures.withLock { $0.append(error) } }
    var count: Int { failures.withLock { $0.count } }
}
