import BallastClient
import BallastProtocol
import XCTest

/// Replacing something others depend on is allowed, and said: a dataset whose splits still hold
/// its old rows, a model trained again under its name.
final class ReplacementWarningTests: XCTestCase {
    func testReplacingADatasetThatOthersWereMadeFromSaysWhichStillHoldItsData() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["name": "toy", "rows": 400, "features": 3, "seed": 1])
        _ = try client.call("dataset/split", params: ["dataset": "toy", "test": 0.3])
        _ = try client.call("dataset/resample", params: ["dataset": "toy.train", "method": "over"])
        let again = try client.call("dataset/generate", params: ["name": "toy", "rows": 400, "features": 3, "seed": 2])
        XCTAssertEqual(again["replaced"], true)
        XCTAssertEqual(again["warnings"], ["'toy' was replaced, but 'toy.test', 'toy.train' were made from the data it held and still hold it."])
        // Splitting again replaces the parts together: the resampled set made from toy.train is named.
        let split = try client.call("dataset/split", params: ["dataset": "toy", "test": 0.3])
        let train = split["datasets"]?.arrayValue?.first { $0["name"] == "toy.train" }
        XCTAssertEqual(train?["warnings"], ["'toy.train' was replaced, but 'toy.train.over' was made from the data it held and still holds it."])
        let fresh = try client.call("dataset/generate", params: ["name": "other", "rows": 100, "features": 3])
        XCTAssertNil(fresh["warnings"], "nothing replaced, nothing said")
    }

    func testTrainingUnderATakenNameSaysTheModelWasReplaced() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["name": "toy", "rows": 400, "features": 3, "seed": 1])
        let first = try client.call("model/train", params: ["dataset": "toy", "name": "m"])
        XCTAssertNil(first["warnings"])
        let second = try client.call("model/train", params: ["dataset": "toy", "name": "m"])
        XCTAssertEqual(second["warnings"], ["The model 'm' was replaced by this training."])
    }
}
