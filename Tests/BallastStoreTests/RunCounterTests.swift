import BallastProtocol
import Foundation
import GRDB
import XCTest
@testable import BallastStore

/// Run numbers never given twice (v5-run-counter), and never trapping on a strange id.
final class RunCounterTests: XCTestCase {
    /// Ids planted straight in the file, as a hand edit or another tool could leave them: one whose
    /// number SQLite casts to Int.max, one at Int.max - 1. Both are ignored, not counted on from.
    func testIdsPastTheBoundAreIgnored() throws {
        let directory = try temporaryStateDirectory(self)
        try Store(directory: directory).close()
        let queue = try DatabaseQueue(path: directory.appendingPathComponent(Store.fileName).path)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO runs (id, method, params, status, started) VALUES
                ('r99999999999999999999', 'model/train', '{}', 'completed', 1),
                ('r\(Int.max - 1)', 'model/train', '{}', 'completed', 2),
                ('r5', 'model/train', '{}', 'completed', 3);
                """)
        }
        try queue.close()
        let store = try Store(directory: directory)
        defer { try? store.close() }
        XCTAssertEqual(try store.largestRunNumber(), 5)
        try store.beginRun(RunStart(id: "r\(Int.max)", method: "model/train", params: [:]))
        XCTAssertEqual(try store.largestRunNumber(), 5, "a run begun with a number past the bound does not raise the counter")
        XCTAssertEqual(RunNumber.of("r\(RunNumber.largest)"), RunNumber.largest)
        XCTAssertNil(RunNumber.of("r\(RunNumber.largest + 1)"))
        XCTAssertNil(RunNumber.of("r"))
        XCTAssertNil(RunNumber.of("r-3"))
        XCTAssertNil(RunNumber.of("r١٢"), "digits other than ASCII")
    }

    /// The newest run deleted, the store reopened: its number is not given again.
    func testDeletingTheNewestRunDoesNotFreeItsNumber() throws {
        let directory = try temporaryStateDirectory(self)
        do {
            let store = try Store(directory: directory)
            for id in ["r1", "r2", "r3"] { try store.beginRun(RunStart(id: id, method: "model/train", params: [:])) }
            try store.finishRun(RunFinish(id: "r3", status: .completed))
            XCTAssertEqual(try store.deleteRuns(["r3"]), ["r3"])
            try store.close()
        }
        let store = try Store(directory: directory)
        defer { try? store.close() }
        XCTAssertEqual(try store.largestRunNumber(), 3)
    }

    /// A store from before v5 starts its counter at the largest id it keeps, a run's or one a kept
    /// model names (its run deleted already), so a model never points at a later, unrelated run.
    func testTheMigrationStartsFromTheLargestIdKept() throws {
        let directory = try temporaryStateDirectory(self)
        let path = directory.appendingPathComponent(Store.fileName).path
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(queue, upTo: "v4-datasets")
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO runs (id, method, params, status, started) VALUES
                    ('r9', 'model/train', '{}', 'completed', 1), ('r12', 'model/train', '{}', 'completed', 2),
                    ('r99999999999999999999', 'model/train', '{}', 'completed', 3), ('rx', 'model/train', '{}', 'completed', 4);
                    INSERT INTO models (name, file, trained_on, loss, run, stored) VALUES
                    ('m1', x'00', 'cards', 'wce', 'r15', 5), ('m2', x'00', 'cards', 'ce', 'r99999999999999999999', 6);
                    """)
            }
            try queue.close()
        }
        let store = try Store(directory: directory)
        try store.deleteRuns(["r12"])
        try store.close()
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        try queue.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT largest FROM run_counter"), 15)
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA user_version"), 5)
        }
    }
}
