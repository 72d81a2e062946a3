import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// `experiment/tune`'s params refused with -32602 at the wire path of what is wrong, before any
/// fit runs; and `model/train`'s `resample`.
final class TuneParamsTests: XCTestCase {
    private var daemon: TestDaemon!
    private var client: Client!

    override func setUpWithError() throws {
        daemon = try TestDaemon()
        client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["name": "bin", "rows": 400, "features": 3, "positive_rate": 0.1, "seed": 1])
        _ = try client.call("dataset/generate", params: ["preset": "multiclass", "name": "mc", "rows": 300, "seed": 1])
    }

    /// The error of tuning `dataset` with `params`, which must be -32602 at `field`.
    @discardableResult
    private func refused(_ params: [String: JSONValue], dataset: String = "bin", at field: String,
                         file: StaticString = #filePath, line: UInt = #line) throws -> RPCError {
        var all = params
        all["dataset"] = .string(dataset)
        let error = try XCTUnwrap(client.rpcError("experiment/tune", .object(all)), "\(params) was accepted", file: file, line: line)
        XCTAssertEqual(error.code, ErrorCode.invalidParams, error.message, file: file, line: line)
        XCTAssertEqual(error.data?["field"]?.stringValue, field, error.message, file: file, line: line)
        XCTAssertFalse(error.message.isEmpty, file: file, line: line)
        return error
    }

    func testCandidatesAreCheckedOneByOneAtTheirPlace() throws {
        let unknown = try refused(["candidates": ["ce", "wce_w0.8"]], at: "candidates[1]")
        XCTAssertTrue(unknown.message.contains("'wce_w0.8'"), unknown.message)
        XCTAssertTrue(unknown.message.contains("\"grid\": {\"w\": [0.8]}"), unknown.message)
        let misspelt = try refused(["candidates": ["smoat"]], at: "candidates[0]")
        XCTAssertTrue(misspelt.message.hasSuffix("Did you mean 'smote'?"), misspelt.message)
        XCTAssertEqual(unknown.data?["known"]?.arrayValue?.first, "ce")
        XCTAssertEqual(unknown.data?["known"]?.arrayValue?.last, "mlp", "mlp may be named even when include_mlp is false")
        // A grid renames the candidates, and its names are then the known ones.
        XCTAssertEqual(try client.call("experiment/tune", params: ["dataset": "bin", "candidates": ["wce_w0.8"], "grid": ["w": [0.8]],
                                                                  "estimate": "none", "folds": 2])["winner"]?["candidate"], "wce_w0.8")
        try refused(["candidates": ["ce", "smote", "ce"]], at: "candidates[2]")
        try refused(["candidates": ["ce", ["name": "ce"]]], at: "candidates[1]")
        try refused(["candidates": ["ce", "ce_best_f1", ["loss": ["type": "focal", "gamma": -1]]]], at: "candidates[1]")
        try refused(["candidates": ["ce", "smote", ["loss": ["type": "focal", "gamma": -1]]]], at: "candidates[2].loss.gamma")
        try refused(["candidates": [["loss": ["type": "wce", "weights": ["scheme": "binary"]]]]], at: "candidates[0].loss.weights.w")
        try refused(["candidates": [["loss": ["type": "wce", "weights": ["scheme": "custom", "weights": ["7": 1]]]]]],
                    at: "candidates[0].loss.weights.weights")
        try refused(["candidates": [["loss": ["type": "ce"], "colour": "red"]]], at: "candidates[0].colour")
        try refused(["candidates": [["resample": ["method": "smote", "ratio": 2]]]], at: "candidates[0].resample.ratio")
        try refused(["candidates": [["resample": ["method": "over", "k": 3]]]], at: "candidates[0].resample.k")
        try refused(["candidates": [["resample": ["method": "bootstrap"]]]], at: "candidates[0].resample.method")
        try refused(["candidates": [["model": ["type": "logistic"]]]], dataset: "mc", at: "candidates[0].model.type")
        try refused(["candidates": []], at: "candidates")
        try refused(["candidates": ["wce_w0.9"]], dataset: "mc", at: "candidates[0]")
        try refused(["grid": ["w": [0.5, 1.5]]], at: "grid.w[1]")
        try refused(["grid": ["w": [0.5]]], dataset: "mc", at: "grid.w")
        try refused(["grid": ["gamma": [1, 1]]], at: "grid.gamma[1]")
        try refused(["grid": ["gamma": .array((0...1000).map { .double(Double($0)) })]], at: "grid.gamma")
        try refused(["candidates": .array((0...1000).map { _ in ["loss": ["type": "ce"]] })], at: "candidates")
        // With a list of candidates, options that would only shape the defaults are refused, not ignored.
        let unusedGrid = try refused(["candidates": ["ce"], "grid": ["w": [0.8]]], at: "grid.w")
        XCTAssertTrue(unusedGrid.message.contains("wce_w0.8"), unusedGrid.message)
        try refused(["candidates": ["ce", "wce_w0.9"], "grid": ["gamma": [3]]], at: "grid.gamma")
        try refused(["candidates": ["ce"], "include_mlp": true], at: "include_mlp")
    }

    func testTheObjectiveCalibrationAndEstimateAreCheckedAgainstTheData() throws {
        let fbeta = try refused(["objective": ["type": "fbeta", "beta": 2]], dataset: "mc", at: "objective.type")
        XCTAssertTrue(fbeta.message.contains("binary"), fbeta.message)
        try refused(["objective": "recall_at_precision"], dataset: "mc", at: "objective.type")
        try refused(["objective": ["type": "cost", "fp": 1, "fn": 5]], dataset: "mc", at: "objective.type")
        let unknown = try refused(["objective": ["type": "auc"]], at: "objective.type")
        XCTAssertEqual(unknown.data?["known"]?.arrayValue?.count, ObjectiveName.allCases.count)
        try refused(["objective": "f2"], at: "objective")
        try refused(["objective": ["type": "fbeta"]], at: "objective.beta")
        try refused(["objective": ["type": "fbeta", "beta": 0]], at: "objective.beta")
        try refused(["objective": ["type": "f1", "beta": 2]], at: "objective.beta")
        try refused(["objective": ["type": "recall_at_precision", "precision": 1.5]], at: "objective.precision")
        try refused(["objective": ["type": "precision_at_recall"]], at: "objective.recall")
        try refused(["objective": ["type": "cost", "fp": 0, "fn": 0]], at: "objective.fn")
        try refused(["objective": ["type": "cost", "fp": 1]], at: "objective.fn")
        try refused(["objective": ["type": "cost", "matrix": [[0, 1], [1, 0]]]], dataset: "mc", at: "objective.matrix")
        try refused(["objective": ["type": "cost", "matrix": [[0, -1], [1, 0]]]], at: "objective.matrix")
        try refused(["objective": ["type": "cost", "fp": 1, "fn": 2, "matrix": [[0, 1], [1, 0]]]], at: "objective.fp")
        try refused(["objective": ["type": "f1", "colour": 1]], at: "objective.colour")

        let isotonic = try refused(["calibrate": "isotonic"], dataset: "mc", at: "calibrate")
        XCTAssertTrue(isotonic.message.contains("binary"), isotonic.message)
        try refused(["calibrate": "beta"], at: "calibrate")

        try refused(["holdout": 0.9], at: "holdout")
        try refused(["holdout": 0], at: "holdout")
        try refused(["estimate": "nested", "holdout": 0.3], at: "holdout")
        try refused(["estimate": "holdout", "outer_folds": 4], at: "outer_folds")
        try refused(["estimate": "nested", "outer_folds": 11], at: "outer_folds")
        try refused(["estimate": "bootstrap"], at: "estimate")
        try refused(["folds": 1], at: "folds")
        try refused(["folds": 101], at: "folds")
        try refused(["repeats": 0], at: "repeats")
        try refused(["repeats": 21], at: "repeats")
        try refused(["l2": -1], at: "l2")
        try refused(["model": ["type": "logistic", "hidden": [3]]], at: "model.hidden")
        try refused(["optimizer": ["type": "adam", "tol": 1]], at: "optimizer.tol")
        try refused(["name": "no/slash"], at: "name")
        XCTAssertEqual(client.rpcError("experiment/tune", ["dataset": "nothing"])?.data?["field"], "dataset")
        XCTAssertEqual(try client.call("model/list")["models"], [], "no refused tune stored a model")
    }

    func testModelTrainResamplesTheTrainingRowsButReportsOnTheRowsGiven() throws {
        let plain = try client.call("model/train", params: ["dataset": "bin", "name": "plain"])
        let smote = try client.call("model/train", params: ["dataset": "bin", "name": "smote", "resample": ["method": "smote", "k": 3],
                                                            "seed": 4])
        let support = { (result: JSONValue) in result["metrics"]?["train"]?["per_class"]?.arrayValue?.compactMap { $0["support"]?.intValue } }
        XCTAssertEqual(support(smote), support(plain), "the training metrics count the rows given, once")
        XCTAssertNotEqual(smote["threshold"], nil)
        let plainRecall = try XCTUnwrap(plain["metrics"]?["train"]?["positive"]?["recall"]?.doubleValue)
        let smoteRecall = try XCTUnwrap(smote["metrics"]?["train"]?["positive"]?["recall"]?.doubleValue)
        XCTAssertGreaterThan(smoteRecall, plainRecall, "balanced training finds more of the rare class at 0.5")
        // The same seed resamples the same rows: the same model.
        let again = try client.call("model/train", params: ["dataset": "bin", "name": "smote2", "resample": ["method": "smote", "k": 3],
                                                            "seed": 4])
        XCTAssertEqual(again["objective"], smote["objective"])

        let ratio = client.rpcError("model/train", ["dataset": "bin", "resample": ["method": "under", "ratio": 1.5]])
        XCTAssertEqual(ratio?.data?["field"], "resample.ratio")
        XCTAssertEqual(client.rpcError("model/train", ["dataset": "bin", "resample": ["method": "smote", "k": 0]])?.data?["field"], "resample.k")
        XCTAssertEqual(client.rpcError("model/train", ["dataset": "bin", "resample": ["method": "smote", "colour": 1]])?.data?["field"],
                       "resample.colour")
        let run = try client.call("run/describe", params: ["run": .string(smote["run"]?.stringValue ?? "")])
        XCTAssertEqual(run["config"]?["resample"]?["method"], "smote", "the run records the resampling")
        XCTAssertEqual(run["summary"]?["method"], "model/train")
    }
}
