import BallastProtocol
import Foundation
import GRDB
import XCTest
@testable import BallastStore

/// A row whose value has the wrong type (a hand edit, another tool) fails the read that meets it
/// with `damaged`, naming the file and the row; it never stops the process.
final class DamagedRowTests: XCTestCase {
    private func plant(_ sql: String, in directory: URL) throws {
        let queue = try DatabaseQueue(path: directory.appendingPathComponent(Store.fileName).path)
        try queue.write { db in try db.execute(sql: sql) }
        try queue.close()
    }

    private func assertDamaged(_ expression: @autoclosure () throws -> some Any, path: String, naming what: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            guard case let .damaged(errorPath, reason) = error as? StoreError else {
                return XCTFail("expected damaged, got \(error)", file: file, line: line)
            }
            XCTAssertEqual(errorPath, path, "the real file", file: file, line: line)
            XCTAssertTrue(reason.contains(what), reason, file: file, line: line)
        }
    }

    func testAWrongTypedRunColumnFailsTheReadNamingTheRun() throws {
        let directory = try temporaryStateDirectory(self)
        let path = directory.appendingPathComponent(Store.fileName).path
        do {
            let store = try Store(directory: directory)
            try store.beginRun(RunStart(id: "r1", method: "model/train", params: [:]))
            try store.beginRun(RunStart(id: "r2", method: "model/train", params: [:]))
            try store.close()
        }
        try plant("UPDATE runs SET started = 'yesterday' WHERE id = 'r1'", in: directory)
        let store = try Store(directory: directory)
        defer { try? store.close() }
        assertDamaged(try store.runs(), path: path, naming: "r1")
        assertDamaged(try store.run(id: "r1"), path: path, naming: "started")
        assertDamaged(try store.listRuns(RunQuery()), path: path, naming: "r1")
        XCTAssertEqual(try store.run(id: "r2")?.id, "r2", "the other rows still read")
    }

    func testWrongTypedMetricsDatasetsAndEventsFailTheRead() throws {
        let directory = try temporaryStateDirectory(self)
        let path = directory.appendingPathComponent(Store.fileName).path
        do {
            let store = try Store(directory: directory)
            try store.beginRun(RunStart(id: "r1", method: "model/train", params: [:],
                                        datasets: [RunDataset(role: "dataset", name: "d")]))
            try store.close()
        }
        try plant("""
            INSERT INTO run_metrics (run_id, name, value) VALUES ('r1', 'f1', 'high');
            INSERT INTO run_events (run_id, seq, body) VALUES ('r1', 'first', '{}');
            """, in: directory)
        let store = try Store(directory: directory)
        defer { try? store.close() }
        assertDamaged(try store.run(id: "r1"), path: path, naming: "run_metrics row of r1")
        assertDamaged(try store.events(run: "r1"), path: path, naming: "run_events row of r1")
    }

    func testAWrongTypedModelOrDatasetRowIsReportedAndTheOthersRead() throws {
        let directory = try temporaryStateDirectory(self)
        do {
            let store = try Store(directory: directory)
            for name in ["a", "m"] {
                try store.keepModel(StoredModel(name: name, file: [1], trainedOn: "d", loss: "ce", threshold: nil,
                                                thresholdTuned: false, run: nil))
            }
            try store.keepDatasets(["a", "b", "c"].map { name in
                StoredDataset(name: name, provenance: [:], origin: "generated", derivedFrom: nil, missing: [0],
                              fingerprint: "f", rows: 4, features: 1, file: name + ".cols", bytes: 10, kept: true)
            })
            try store.close()
        }
        try plant("""
            UPDATE models SET stored = 'never' WHERE name = 'm';
            UPDATE datasets SET rows = 'many' WHERE name = 'a';
            UPDATE datasets SET name = x'00ff' WHERE name = 'b';
            UPDATE datasets SET bytes = -1 WHERE name = 'c';
            """, in: directory)
        let store = try Store(directory: directory)
        defer { try? store.close() }
        let models = try store.models()
        XCTAssertEqual(models.readable.map(\.name), ["a"])
        XCTAssertEqual(models.damaged.map(\.label), ["m"])
        XCTAssertTrue(models.damaged.first?.reason.contains("models row of m: stored") ?? false, "\(models.damaged)")
        let datasets = try store.datasets()
        XCTAssertEqual(datasets.readable.map(\.name), [])
        XCTAssertEqual(datasets.damaged.map(\.label).sorted(), ["a", "c", "row 2"], "an unreadable name is named by rowid")
        XCTAssertEqual(datasets.damaged.compactMap(\.file).sorted(), ["a.cols", "b.cols", "c.cols"], "their files are known")

        // A drop forgets a damaged row by the name it is listed under, its label `row <rowid>` too.
        XCTAssertEqual(try store.forgetDataset(named: "row 2"), "b.cols")
        try store.forgetModel(named: "m")
        XCTAssertEqual(try store.datasets().damaged.map(\.label).sorted(), ["a", "c"])
        XCTAssertEqual(try store.models().damaged, [])
    }

    func testAnAbsurdSizeIsADamagedRowAndTheSizePolicyNeverTraps() throws {
        let directory = try temporaryStateDirectory(self)
        do {
            let store = try Store(directory: directory)
            try store.keepDatasets(["huge", "other", "small"].map { name in
                StoredDataset(name: name, provenance: [:], origin: "generated", derivedFrom: nil, missing: [0],
                              fingerprint: "f", rows: 4, features: 1, file: name + ".cols", bytes: 10, kept: true)
            })
            try store.close()
        }
        try plant("UPDATE datasets SET bytes = \(Int.max - 5) WHERE name IN ('huge', 'other')", in: directory)
        let store = try Store(directory: directory)
        defer { try? store.close() }
        XCTAssertEqual(try store.datasets().damaged.map(\.label), ["huge", "other"])
        XCTAssertEqual(try store.evictDatasets(toFit: 5).map(\.name), ["small"], "only the readable row is weighed")
    }
}
