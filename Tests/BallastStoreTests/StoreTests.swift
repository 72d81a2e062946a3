import BallastProtocol
import Foundation
import GRDB
import XCTest
@testable import BallastStore

/// The store on a real SQLite file: schema, batched events, restart after a crash, and refusal of
/// a file written by a newer Ballast.
final class StoreTests: XCTestCase {
    func testMigrationsApplyToANewFile() throws {
        let directory = try temporaryStateDirectory(self)
        let store = try Store(directory: directory)
        try store.close()

        let queue = try DatabaseQueue(path: directory.appendingPathComponent(Store.fileName).path)
        defer { try? queue.close() }
        try queue.read { db in
            XCTAssertEqual(try StoreSchema.migrator.appliedMigrations(db), ["v1", "v2-runs", "v3-models", "v4-datasets", "v5-run-counter"])
            XCTAssertTrue(try db.tableExists("models"))
            XCTAssertTrue(try db.tableExists("datasets"))
            XCTAssertTrue(try db.tableExists("runs"))
            XCTAssertTrue(try db.tableExists("run_events"))
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA user_version"), Store.formatVersion)
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA journal_mode"), "wal")
        }
    }

    /// WAL, and a writer that syncs every commit, so that what was acknowledged survives a reboot.
    /// A second close does nothing (GRDB would hand SQLite its closed handle), and a clean close
    /// folds the write-ahead log into the one file.
    func testClosingTwiceIsHarmlessAndLeavesOneFile() throws {
        let directory = try temporaryStateDirectory(self)
        let store = try Store(directory: directory)
        try store.beginRun(id: "r1", method: "model/train", params: ["dataset": "cards"])
        _ = try store.runs()
        try store.close()
        try store.close()
        let log = (try? FileManager.default.attributesOfItem(atPath: store.path + "-wal"))?[.size] as? Int
        XCTAssertTrue(log == nil || log == 0, "the write-ahead log holds \(log ?? 0) bytes after close")
    }

    func testTheWriterIsInWALModeAndSyncsEveryCommit() throws {
        let store = try Store(directory: try temporaryStateDirectory(self))
        defer { try? store.close() }
        try store.pool.writeWithoutTransaction { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA journal_mode"), "wal")
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA synchronous"), 2, "FULL")
        }
    }

    func testStatusOutsideTheVocabularyIsRejectedBySQLite() throws {
        let directory = try temporaryStateDirectory(self)
        try Store(directory: directory).close()
        let queue = try DatabaseQueue(path: directory.appendingPathComponent(Store.fileName).path)
        defer { try? queue.close() }
        XCTAssertThrowsError(try queue.write { db in
            try db.execute(sql: "INSERT INTO runs (id, method, params, status, started) VALUES ('x', 'm', '{}', 'paused', 0)")
        })
    }

    func testEventsWrittenInBatchesComeBackInOrder() throws {
        let store = try Store(directory: try temporaryStateDirectory(self))
        defer { try? store.close() }
        let params: JSONValue = ["name": "m1", "steps": 30]
        try store.beginRun(id: "r1", method: "model/train", params: params, config: ["lr": 0.1])
        try store.beginRun(id: "r2", method: "model/train", params: ["name": "m2"])

        var events = [numbered(RunEvent(kind: .begin, title: "Training m1", total: 30), run: "r1", seq: 1)]
        events += (2...30).map { numbered(RunEvent(kind: .report, step: $0 - 1, loss: 1.0 / Double($0)), run: "r1", seq: $0) }
        events.append(numbered(RunEvent(kind: .end, stopReason: .maxIterations, steps: 30), run: "r1", seq: 31))
        // Batches of 7, with another run's record mixed into one, as a shared writer would send.
        for (index, start) in stride(from: 0, to: events.count, by: 7).enumerated() {
            var batch = Array(events[start..<min(start + 7, events.count)])
            if index == 1 { batch.append(numbered(RunEvent(kind: .begin, title: "Training m2"), run: "r2", seq: 1)) }
            try store.appendEvents(batch)
        }
        try store.finishRun(id: "r1", status: .completed, metrics: ["f1": 0.75])

        XCTAssertEqual(try store.events(run: "r1"), events)
        XCTAssertEqual(try store.events(run: "r1", since: 29), Array(events.suffix(2)))
        XCTAssertEqual(try store.events(run: "r2").map(\.seq), [1])
        let runs = try store.runs()
        XCTAssertEqual(runs.map(\.id), ["r1", "r2"])
        XCTAssertEqual(runs[0].status, .completed)
        XCTAssertEqual(runs[0].params, params)
        XCTAssertEqual(runs[0].config, ["lr": 0.1])
        XCTAssertEqual(runs[0].metrics, ["f1": 0.75])
        XCTAssertNotNil(runs[0].ended)
        XCTAssertEqual(runs[1].status, .running)
    }

    /// One transaction per batch: a batch with a duplicate record keeps none of its records.
    func testAFailedBatchKeepsNothing() throws {
        let store = try Store(directory: try temporaryStateDirectory(self))
        defer { try? store.close() }
        try store.beginRun(id: "r1", method: "model/train", params: [:])
        try store.appendEvents([numbered(RunEvent(kind: .begin), run: "r1", seq: 1)])
        XCTAssertThrowsError(try store.appendEvents([numbered(RunEvent(kind: .report, step: 1), run: "r1", seq: 2),
                                                     numbered(RunEvent(kind: .report, step: 2), run: "r1", seq: 1)]))
        XCTAssertEqual(try store.events(run: "r1").map(\.seq), [1])
        XCTAssertThrowsError(try store.appendEvents([RunEvent(kind: .report)])) { error in
            XCTAssertEqual(error as? StoreError, .unnumberedEvent(kind: "report"))
        }
    }

    func testReopeningMarksARunningRunInterrupted() throws {
        let directory = try temporaryStateDirectory(self)
        do {
            let store = try Store(directory: directory)
            try store.beginRun(id: "r1", method: "model/train", params: [:])
            try store.finishRun(id: "r1", status: .completed)
            try store.beginRun(id: "r2", method: "experiment/compare", params: [:])
            try store.appendEvents([numbered(RunEvent(kind: .begin), run: "r2", seq: 1),
                                    numbered(RunEvent(kind: .report, step: 1), run: "r2", seq: 2)])
            XCTAssertEqual(store.interruptedAtOpen, [])
            try store.close()
        }
        let store = try Store(directory: directory)
        defer { try? store.close() }
        XCTAssertEqual(store.interruptedAtOpen, ["r2"])
        XCTAssertEqual(try store.runs().map(\.status), [.completed, .interrupted])
        XCTAssertNil(try store.runs()[1].ended)
        XCTAssertEqual(try store.events(run: "r2").map(\.seq), [1, 2], "events up to the last batch are kept")
    }

    func testADatabaseWithAnUnknownMigrationIsRefusedAndLeftUnchanged() throws {
        let directory = try temporaryStateDirectory(self)
        try Store(directory: directory).close()
        let path = directory.appendingPathComponent(Store.fileName).path
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2-from-the-future')") }
            try queue.close()
        }
        try assertRefusedAndUnchanged(path: path, directory: directory) { error in
            XCTAssertEqual(error, .newerVersion(path: path, userVersion: Store.formatVersion, unknownMigrations: ["v2-from-the-future"]))
        }
    }

    func testADatabaseWithANewerUserVersionIsRefusedAndLeftUnchanged() throws {
        let directory = try temporaryStateDirectory(self)
        try Store(directory: directory).close()
        let path = directory.appendingPathComponent(Store.fileName).path
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA user_version = \(Store.formatVersion + 1)") }
            try queue.close()
        }
        try assertRefusedAndUnchanged(path: path, directory: directory) { error in
            XCTAssertEqual(error, .newerVersion(path: path, userVersion: Store.formatVersion + 1, unknownMigrations: []))
        }
    }

    func testAFileThatIsNotADatabaseIsRefusedAndLeftUnchanged() throws {
        let directory = try temporaryStateDirectory(self)
        let path = directory.appendingPathComponent(Store.fileName).path
        try Data(repeating: 0x2A, count: 4096).write(to: URL(fileURLWithPath: path))
        try assertRefusedAndUnchanged(path: path, directory: directory) { error in
            guard case .damaged = error else { return XCTFail("expected .damaged, got \(error)") }
        }
    }

    private func assertRefusedAndUnchanged(path: String, directory: URL,
                                           file: StaticString = #filePath, line: UInt = #line,
                                           _ check: (StoreError) -> Void) throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let modifiedBefore = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        Thread.sleep(forTimeInterval: 0.02)  // so that a write would show in the mtime
        do {
            let store = try Store(directory: directory)
            try? store.close()
            XCTFail("the store opened", file: file, line: line)
        } catch {
            check(error)
            XCTAssertTrue(error.description.contains("not changed"), error.description, file: file, line: line)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, "bytes", file: file, line: line)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date, modifiedBefore,
                       "mtime", file: file, line: line)
    }

    private func numbered(_ event: RunEvent, run: String, seq: Int) -> RunEvent {
        var event = event
        event.run = run
        event.seq = seq
        return event
    }
}
