import BallastClient
import BallastProtocol
import Foundation
import XCTest
@testable import BallastServer

/// Runs kept in the state directory come back when another daemon opens it.
final class RunRestartTests: XCTestCase {
    /// A state directory shared by the daemons of one test, removed when it ends.
    private func stateDirectory() -> String {
        let folder = NSTemporaryDirectory() + "ballast-runs-\(UUID().uuidString)"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
        return folder + "/state"
    }

    func testARestartBringsBackEveryRunWithItsEventsAndContinuesTheIds() throws {
        let state = stateDirectory()
        var first: (list: JSONValue, describe: [JSONValue], events: [JSONValue], runs: [String])
        do {
            let daemon = try TestDaemon { $0.stateDirectory = state }
            let client = try daemon.client()
            try client.prepareCards(rows: 4_000)
            let trained = try client.call("model/train", params: [
                "dataset": "cards.train", "validation": "cards.validation", "name": "m1",
                "optimizer": ["type": "adam", "epochs": 5, "lr": 0.05, "batch_size": 256]])
            let compared = try client.call("experiment/compare", params: [
                "train": "cards.train", "test": "cards.test", "arms": ["ce", "wce_inverse"]])
            let swept = try client.call("experiment/sweep", params: ["dataset": "cards.train", "param": "w", "grid": [0.5, 0.9], "folds": 2])
            let runs = try [trained, compared, swept].map { try XCTUnwrap($0["run"]?.stringValue) }
            XCTAssertEqual(runs, ["r1", "r2", "r3"])
            first.runs = runs
            first.list = try client.call("run/list")
            first.describe = try runs.map { try client.call("run/describe", params: ["run": .string($0)]) }
            first.events = try runs.map { try client.call("run/events", params: ["run": .string($0)]) }
            XCTAssertEqual(daemon.stop(), 0)
        }
        XCTAssertEqual(first.list["total"], 3)
        XCTAssertEqual(first.list["runs"]?.arrayValue?.compactMap { $0["run"]?.stringValue }, ["r3", "r2", "r1"], "newest first")
        let train = try XCTUnwrap(first.describe[0]["summary"])
        XCTAssertEqual(train["status"], "completed")
        XCTAssertEqual(train["model"], "m1")
        XCTAssertEqual(train["model_type"], "logistic")
        XCTAssertEqual(train["loss"], "ce")
        XCTAssertEqual(train["datasets"]?.arrayValue?.compactMap { $0["role"]?.stringValue }, ["dataset", "validation"])
        XCTAssertEqual(train["datasets"]?.arrayValue?.first?["fingerprint"]?.stringValue?.count, 64)
        XCTAssertNotNil(train["metrics"]?["validation.f1"]?.doubleValue)
        XCTAssertEqual(train["metrics"]?["steps"], 5)
        XCTAssertEqual(first.describe[0]["params"]?["optimizer"]?["lr"], 0.05, "the params as sent")
        XCTAssertEqual(first.describe[0]["config"]?["optimizer"]?["type"], "adam")
        XCTAssertNotNil(first.describe[0]["config"]?["l2"]?.doubleValue, "the config as resolved")
        XCTAssertNotNil(first.describe[1]["summary"]?["metrics"]?["wce_inverse.f1"]?.doubleValue)
        XCTAssertNotNil(first.describe[2]["summary"]?["metrics"]?["best.mean"]?.doubleValue)
        XCTAssertEqual(first.events.map { $0["complete"] }, [true, true, true])

        let daemon = try TestDaemon { $0.stateDirectory = state }
        let client = try daemon.client()
        XCTAssertEqual(try client.call("run/list"), first.list)
        for (index, run) in first.runs.enumerated() {
            XCTAssertEqual(try client.call("run/describe", params: ["run": .string(run)]), first.describe[index])
            XCTAssertEqual(try client.call("run/events", params: ["run": .string(run)]), first.events[index])
        }
        try client.prepareCards(rows: 2_000)
        let next = try client.call("model/train", params: ["dataset": "cards.train", "name": "m2"])
        XCTAssertEqual(next["run"], "r4", "ids continue after the largest kept")
        XCTAssertEqual(try client.call("run/list")["total"], 4)
    }
}
