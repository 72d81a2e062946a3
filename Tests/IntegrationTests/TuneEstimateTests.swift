import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// `experiment/tune`'s other choices through a real daemon: a nested estimate, a cost that is
/// minimised, isotonic calibration left out of the stored model, the memory budget.
final class TuneEstimateTests: XCTestCase {
    private func generate(_ client: Client, rows: Int = 1500) throws {
        _ = try client.call("dataset/generate", params: ["name": "d", "rows": .int(Int64(rows)), "features": 5, "informative": 3,
                                                         "positive_rate": 0.08, "seed": 11])
    }

    func testANestedEstimateWithACostObjectiveRanksTheLowestCostFirst() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try generate(client)
        let result = try client.call("experiment/tune", params: [
            "dataset": "d", "candidates": ["ce", "wce_w0.9", "wce_balanced"], "objective": ["type": "cost", "fp": 1, "fn": 10],
            "estimate": "nested", "outer_folds": 3, "folds": 3, "calibrate": "platt",
        ])
        XCTAssertEqual(try SchemaChecker("experiment.tune.result").problems(result), [])
        let typed = try result.decode(as: ExperimentTune.Result.self)
        XCTAssertEqual(typed.objective.higherIsBetter, false)
        XCTAssertEqual(typed.objective.fp, 1)
        XCTAssertEqual(typed.objective.fn, 10)
        for (better, worse) in zip(typed.leaderboard, typed.leaderboard.dropFirst()) {
            XCTAssertLessThanOrEqual(better.mean, worse.mean, "lower cost first")
        }
        XCTAssertTrue(typed.winner.why.contains("lowest mean"), typed.winner.why)
        XCTAssertEqual(typed.estimate.method, .nested)
        XCTAssertEqual(typed.estimate.scores?.count, 3)
        XCTAssertEqual(typed.estimate.winners?.count, 3)
        XCTAssertNotNil(typed.estimate.sd)
        XCTAssertEqual(typed.estimate.rows, 1500, "every row is scored once, in its outer test fold")
        let scores = try XCTUnwrap(typed.estimate.scores)
        XCTAssertEqual(try XCTUnwrap(typed.estimate.objective), scores.reduce(0, +) / 3, accuracy: 1e-9)
        XCTAssertEqual(typed.calibration?.on, .outerFolds)
        XCTAssertEqual(typed.calibration?.appliedToModel, true)
        let parameters = try XCTUnwrap(typed.calibration?.parameters)
        XCTAssertNotNil(parameters["a"], "\(parameters)")
        XCTAssertNotNil(parameters["b"], "\(parameters)")
        let run = try client.call("run/describe", params: ["run": .string(typed.run)])
        XCTAssertEqual(run["config"]?["outer_folds"], 3)
        XCTAssertEqual(try XCTUnwrap(run["summary"]?["metrics"]?["estimate.cost"]?.doubleValue), try XCTUnwrap(typed.estimate.objective),
                       accuracy: 1e-12)
    }

    func testIsotonicCalibrationLeavesTheStoredModelRawWithTheMatchingRawThreshold() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try generate(client)
        let result = try client.call("experiment/tune", params: [
            "dataset": "d", "name": "iso", "candidates": ["ce", "wce_balanced"], "calibrate": "isotonic", "estimate": "none",
        ])
        XCTAssertEqual(try SchemaChecker("experiment.tune.result").problems(result), [])
        let typed = try result.decode(as: ExperimentTune.Result.self)
        let calibration = try XCTUnwrap(typed.calibration)
        XCTAssertEqual(calibration.method, .isotonic)
        XCTAssertEqual(calibration.appliedToModel, false)
        XCTAssertEqual(calibration.on, .oof, "without an estimate the calibration is measured on the rows it was fitted on")
        XCTAssertFalse(typed.notes.isEmpty, "the notes say the model stays uncalibrated")
        XCTAssertEqual(typed.estimate, ExperimentTune.EstimateReport(method: .none))
        // The stored model keeps the raw threshold tuned for the winner.
        let raw = try XCTUnwrap(typed.leaderboard.first?.threshold)
        XCTAssertEqual(try XCTUnwrap(typed.winner.threshold), raw, accuracy: 1e-12)
        let described = try client.call("model/describe", params: ["model": "iso"])
        XCTAssertEqual(try XCTUnwrap(described["model"]?["threshold"]?.doubleValue), raw, accuracy: 1e-12)
        XCTAssertEqual(described["model"]?["loss"], typed.winner.candidate == "ce" ? "ce" : "wce")
    }

    func testATuneWhoseModelsDoNotFitTheMemoryBudgetIsRefusedAndStoresNothing() throws {
        // 1,000 rows × 5 features take 24 kB; a one-candidate tune's selection about 190 kB more.
        let daemon = try TestDaemon { $0.memoryBudgetBytes = 400_000 }
        let client = try daemon.client()
        try generate(client, rows: 1000)
        let refused = try XCTUnwrap(client.rpcError("experiment/tune", [
            "dataset": "d", "name": "big", "candidates": ["ce"], "model": ["type": "mlp", "hidden": [4096]],
        ]))
        XCTAssertEqual(refused.code, ErrorCode.resourceLimit, refused.message)
        XCTAssertEqual(try client.call("model/list")["models"], [])
        // 900 candidates' out-of-fold probabilities (7.2 MB) are refused before any fit, not run out of memory.
        let grid = JSONValue.array((1...900).map { .double(Double($0) / 1000) })
        let wide = try XCTUnwrap(client.rpcError("experiment/tune", ["dataset": "d", "name": "wide", "grid": ["w": grid]]))
        XCTAssertEqual(wide.code, ErrorCode.resourceLimit, wide.message)
        // A logistic tune fits, and its model is counted.
        let fits = try client.call("experiment/tune", params: ["dataset": "d", "name": "small", "candidates": ["ce"], "estimate": "none"])
        XCTAssertEqual(fits["model"], "small")
        XCTAssertEqual(try client.call("model/list")["models"]?.arrayValue?.count, 1)
    }
}
