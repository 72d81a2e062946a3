import BallastProtocol
import Foundation
import XCTest
@testable import BallastStore

/// Models and dataset rows in a real store file: kept across a reopen, forgotten, and evicted
/// least recently used first with their provenance kept.
final class StoreWorkspaceTests: XCTestCase {
    func testAKeptModelComesBackAfterAReopenAndAForgottenOneDoesNot() throws {
        let directory = try temporaryStateDirectory(self)
        let model = StoredModel(name: "m1", file: Array("{\"format\": \"ballast-model\"}".utf8), trainedOn: "cards.train",
                                loss: "wce", threshold: 0.25, thresholdTuned: true, run: "r1", stored: Date(timeIntervalSince1970: 100))
        do {
            let store = try Store(directory: directory)
            try store.keepModel(model)
            try store.keepModel(StoredModel(name: "m2", file: [1, 2], trainedOn: "x", loss: "ce", threshold: nil,
                                            thresholdTuned: false, run: nil))
            try store.forgetModel(named: "m2")
            try store.close()
        }
        let store = try Store(directory: directory)
        defer { try? store.close() }
        XCTAssertEqual(try store.models().readable, [model])
    }

    private func row(_ name: String, bytes: Int, lastUsed: Double) -> StoredDataset {
        StoredDataset(name: name, provenance: ["method": "dataset/generate", "params": ["rows": 10]], origin: "generated",
                      derivedFrom: nil, missing: [0, 0], fingerprint: String(repeating: "a", count: 64), rows: 10, features: 2,
                      file: name + ".columns", bytes: bytes, kept: true, stored: Date(timeIntervalSince1970: 1),
                      lastUsed: Date(timeIntervalSince1970: lastUsed))
    }

    func testTheLeastRecentlyUsedFilesAreEvictedAndTheirRowsStay() throws {
        let store = try Store(directory: try temporaryStateDirectory(self))
        defer { try? store.close() }
        try store.keepDatasets([row("a", bytes: 40, lastUsed: 10), row("b", bytes: 40, lastUsed: 20), row("c", bytes: 40, lastUsed: 30)])
        try store.recordDatasetUse(["a": Date(timeIntervalSince1970: 40)])
        let evicted = try store.evictDatasets(toFit: 90)
        XCTAssertEqual(evicted.map(\.name), ["b"])
        XCTAssertEqual(evicted.first?.file, "b.columns", "the caller is told which file to remove")
        let rows = try store.datasets().readable
        XCTAssertEqual(rows.map(\.name), ["a", "b", "c"])
        XCTAssertTrue(rows[1].isEvicted)
        XCTAssertEqual(rows[1].provenance, ["method": "dataset/generate", "params": ["rows": 10]])
        XCTAssertEqual(try store.evictDatasets(toFit: 90), [], "within the limit, nothing more goes")
    }

    func testReplacingADatasetReturnsTheFileNoRowNamesAndForgettingReturnsItsFile() throws {
        let store = try Store(directory: try temporaryStateDirectory(self))
        defer { try? store.close() }
        try store.keepDatasets([row("a", bytes: 1, lastUsed: 1)])
        var replacement = row("a", bytes: 2, lastUsed: 2)
        replacement.file = "a-2.columns"
        XCTAssertEqual(try store.keepDatasets([replacement]), ["a.columns"])
        XCTAssertEqual(try store.forgetDataset(named: "a"), "a-2.columns")
        XCTAssertEqual(try store.datasets().readable, [])
    }
}
