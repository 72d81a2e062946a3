import Foundation
import GRDB
import XCTest
@testable import BallastStore

/// A store that runs out of room (SQLite's page limit stands in for a full disk: both are
/// SQLITE_FULL) fails with that code, which the daemon answers as `disk_full`; and only a column
/// file's own name is ever opened or removed in the datasets folder.
final class StoreFullDiskTests: XCTestCase {
    func testAModelThatDoesNotFitFailsWithSQLiteFullAndIsNotKept() throws {
        let store = try Store(directory: try temporaryStateDirectory(self))
        defer { try? store.close() }
        try store.pool.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages + 4)")
        }
        let model = StoredModel(name: "m", file: [UInt8](repeating: 7, count: 1 << 20), trainedOn: "d", loss: "ce",
                                threshold: nil, thresholdTuned: false, run: nil)
        XCTAssertThrowsError(try store.keepModel(model)) { error in
            guard case let .database(code, _) = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(code & 0xFF, 13, "SQLITE_FULL")
        }
        XCTAssertEqual(try store.models().readable, [])
    }

    func testOnlyADatasetFilesOwnNameIsOpenedOrRemoved() throws {
        let directory = try temporaryStateDirectory(self)
        let store = try Store(directory: directory)
        defer { try? store.close() }
        let folder = try XCTUnwrap(store.datasetFolder)
        for name in ["../" + Store.fileName, "..", ".", "", "a/b.columns", ".columns", ".rows", "a/b.rows", ".hidden.columns", "d.json"] {
            XCTAssertFalse(DatasetFolder.isDatasetFileName(name), name)
            XCTAssertThrowsError(try folder.remove(named: name), name) { error in
                XCTAssertEqual((error as? DatasetFileError)?.kind, "damaged", name)
            }
            XCTAssertThrowsError(try folder.withMappedFile(named: name) { _ in }, name)
        }
        XCTAssertTrue(DatasetFolder.isDatasetFileName("cards.train-1f.columns"))
        XCTAssertTrue(DatasetFolder.isRowFileName("cards-1f.rows"))
        XCTAssertFalse(DatasetFolder.isRowFileName("cards-1f.columns"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.path + "/" + Store.fileName))
    }
}
