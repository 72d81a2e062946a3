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

    func testAWrongTypedModelOrDatasetRowFailsTheRead() throws {
        let directory = try temporaryStateDirectory(self)
        let path = directory.appendingPathComponent(Store.fileName).path
        try Store(directory: directory).close()
        try plant("""
            INSERT INTO models (name, file, trained_on, loss, threshold, threshold_tuned, run, stored)
                VALUES ('m', x'00', 'd', 'ce', 0.5, 0, NULL, 'never');
            """, in: directory)
        let store = try Store(directory: directory)
        defer { try? store.close() }
        assertDamaged(try store.models(), path: path, naming: "models row of m")
    }
}
