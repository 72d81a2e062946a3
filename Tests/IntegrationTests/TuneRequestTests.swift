import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// `experiment/tune` through a real daemon: the leaderboard, the stored winner and its threshold,
/// the winner's config trained again by `model/train`, progress, cancellation, a tiny class.
final class TuneRequestTests: XCTestCase {
    /// An imbalanced binary dataset `d` (5 % positives) split into `d.train` and `d.test`.
    private func prepare(_ client: Client, rows: Int = 3000, positiveRate: Double = 0.05) throws {
        _ = try client.call("dataset/generate", params: ["name": "d", "rows": .int(Int64(rows)), "features": 6, "informative": 3,
                                                         "positive_rate": .double(positiveRate), "seed": 7])
        _ = try client.call("dataset/split", params: ["dataset": "d", "test": 0.3, "seed": 0])
    }

    func testADefaultTuneRanksTheCandidatesAndStoresTheWinnerWithItsTunedThreshold() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try prepare(client)
        var progress: [JSONValue] = []
        let result = try client.call("experiment/tune", params: ["dataset": "d.train", "name": "best", "progress_token": "t"]) { method, params in
            if method == WorkProgress.method, let value = params["value"] { progress.append(value) }
        }
        XCTAssertEqual(try SchemaChecker("experiment.tune.result").problems(result), [])
        let typed = try result.decode(as: ExperimentTune.Result.self)

        // Best first, ranked 1…n, the winner on top; every default binary candidate either ranked or skipped.
        let board = typed.leaderboard
        XCTAssertEqual(board.map(\.rank), Array(1...board.count))
        XCTAssertEqual(board.first?.candidate, typed.winner.candidate)
        for (better, worse) in zip(board.dropFirst(), board.dropFirst(2)) { XCTAssertGreaterThanOrEqual(better.mean, worse.mean) }
        let defaults = ["ce", "wce_w0.6", "wce_w0.75", "wce_w0.9", "wce_w0.97", "wce_balanced", "focal_g0.5", "focal_g1", "focal_g2",
                        "over", "under", "smote"]
        XCTAssertEqual(Set(board.map(\.candidate)).union(typed.skipped.keys), Set(defaults))
        XCTAssertEqual(board.map(\.candidate).filter { !defaults.contains($0) }, [])
        for row in board {
            XCTAssertEqual(row.scores.count, typed.folds.used * typed.folds.repeats, row.candidate)
            XCTAssertEqual(row.mean, row.scores.reduce(0, +) / Double(row.scores.count), accuracy: 1e-9)
            XCTAssertNotNil(row.threshold, "binary data: every candidate has a tuned threshold")
        }
        XCTAssertEqual(typed.folds, FoldPlanReport(requested: 5, used: 5, repeats: 1))
        XCTAssertEqual(typed.objective.type, .f1)
        XCTAssertEqual(typed.objective.higherIsBetter, true)
        XCTAssertEqual(typed.estimate.method, .nested, "the default estimate repeats the choice in outer folds")
        XCTAssertEqual(typed.estimate.winners?.count, 3)
        XCTAssertNotNil(typed.estimate.metrics)
        XCTAssertNil(typed.calibration, "calibrate defaults to none")
        // The best mean is wce_w0.75's, but ce, first in order, is within one standard error of it.
        XCTAssertGreaterThan(board[1].mean, board[0].mean)
        XCTAssertTrue(typed.winner.why.hasPrefix(typed.winner.candidate + " is the simplest candidate whose mean F1"), typed.winner.why)
        XCTAssertEqual(typed.model, "best")

        // Progress: a begin with the planned fits, reports naming the candidate and stage, an end with the winner.
        XCTAssertEqual(progress.first?["kind"], "begin")
        let total = try XCTUnwrap(progress.first?["total"]?.intValue)
        XCTAssertGreaterThanOrEqual(total, Int64(defaults.count * 5))
        let reports = progress.filter { $0["kind"] == "report" }
        XCTAssertFalse(reports.isEmpty)
        for report in reports {
            XCTAssertNotNil(report["candidate"]?.stringValue, "\(report)")
            XCTAssertNotNil(report["stage"]?.stringValue, "\(report)")
            XCTAssertEqual(report["total"]?.intValue, total)
        }
        XCTAssertEqual(progress.last?["kind"], "end")
        XCTAssertEqual(progress.last?["winner"]?.stringValue, typed.winner.candidate)
        XCTAssertEqual(progress.last?["stop_reason"], "completed")

        // The stored model uses the tuned threshold by default.
        let threshold = try XCTUnwrap(typed.winner.threshold)
        let evaluated = try client.call("model/evaluate", params: ["model": "best", "dataset": "d.test", "curves": false])
        XCTAssertEqual(try XCTUnwrap(evaluated["threshold"]?.doubleValue), threshold, accuracy: 1e-12)
        let reused = try client.call("model/evaluate", params: ["model": "best", "dataset": "d.test", "curves": false, "threshold": "best_f1"])
        XCTAssertEqual(reused["threshold"], evaluated["threshold"], "the tuned threshold is the model's tuned one")

        // The run is recorded with the winner's figures.
        let run = try client.call("run/describe", params: ["run": .string(typed.run)])
        XCTAssertEqual(run["summary"]?["method"], "experiment/tune")
        XCTAssertEqual(run["summary"]?["model"], "best")
        XCTAssertEqual(try XCTUnwrap(run["summary"]?["metrics"]?["cv.f1"]?.doubleValue), board[0].mean, accuracy: 1e-12)
        XCTAssertEqual(run["config"]?["candidates"]?.arrayValue?.count, defaults.count)
    }

    func testTheWinnersConfigSentBackToModelTrainTrainsTheSameModel() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try prepare(client)
        // One run per kind of winner config: weights, resampling, a focal loss without α (which
        // model/train writes as α 0.5 with half the l2 and tolerance), a focal loss with its own α.
        let choices: [JSONValue] = [
            ["wce_balanced"],
            ["smote"],
            ["focal_g1"],
            [["name": "focal_alpha", "loss": ["type": "focal", "gamma": 1, "alpha": 0.3]]],
        ]
        for (index, candidates) in choices.enumerated() {
            let name = "tuned\(index)"
            let result = try client.call("experiment/tune", params: ["dataset": "d.train", "name": .string(name), "candidates": candidates,
                                                                    "estimate": "none", "folds": 3, "seed": 5])
            var params = try XCTUnwrap(result["winner"]?["config"]?.objectValue)
            params["dataset"] = "d.train"
            params["name"] = .string("again\(index)")
            let trained = try client.call("model/train", params: .object(params))
            XCTAssertEqual(trained["threshold"], result["winner"]?["threshold"], "\(candidates)")
            let tuned = try client.call("model/predict", params: ["model": .string(name), "dataset": "d.test"])
            let again = try client.call("model/predict", params: ["model": .string("again\(index)"), "dataset": "d.test"])
            let p = try XCTUnwrap(tuned["probabilities"]?.arrayValue), q = try XCTUnwrap(again["probabilities"]?.arrayValue)
            XCTAssertEqual(p.count, q.count)
            let gap = zip(p, q).map { a, b in
                zip(a.arrayValue ?? [], b.arrayValue ?? []).map { abs(($0.doubleValue ?? 0) - ($1.doubleValue ?? 1)) }.max() ?? 1
            }.max() ?? 1
            XCTAssertLessThanOrEqual(gap, 1e-6, "\(candidates): the config trains the tuned model")
            XCTAssertEqual(tuned["labels"], again["labels"], "\(candidates)")
        }
    }

    func testACancelledTuneStoresNothing() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try prepare(client)
        let earlier = try client.call("model/train", params: ["dataset": "d.train", "name": "never"])
        let (_, failure) = client.callCancellingAtFirstProgress(
            "experiment/tune", ["dataset": "d.train", "name": "never", "progress_token": 1, "include_mlp": true, "repeats": 20],
            reportsOnly: false)
        let error = try XCTUnwrap(failure)
        XCTAssertEqual(error.code, ErrorCode.requestCancelled)
        let run = try XCTUnwrap(error.data?["run"]?.stringValue)
        let models = try client.call("model/list")["models"]?.arrayValue ?? []
        XCTAssertEqual(models.compactMap { $0["name"]?.stringValue }, ["never"], "a cancelled tune stores no model")
        XCTAssertEqual(try client.call("model/describe", params: ["model": "never"])["model"]?["run"], earlier["run"],
                       "the model of the same name is left as it was")
        XCTAssertEqual(try client.call("run/describe", params: ["run": .string(run)])["summary"]?["status"], "cancelled")
        XCTAssertEqual(try client.call("dataset/drop", params: ["dataset": "d.train"])["dropped"], "d.train", "the dataset is free again")
    }

    func testATinyClassOfThreeRowsIsCrossValidatedWithFewerFoldsRepeatedAndSaysSo() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["name": "tiny", "rows": 60, "features": 3, "informative": 2,
                                                         "positive_rate": 0.05, "seed": 2])
        let counts = try client.call("dataset/describe", params: ["dataset": "tiny"])["dataset"]?["classes"]?.arrayValue?.compactMap { $0["count"]?.intValue }
        XCTAssertEqual(counts, [57, 3])
        let result = try client.call("experiment/tune", params: ["dataset": "tiny", "estimate": "none"])
        XCTAssertEqual(try SchemaChecker("experiment.tune.result").problems(result), [])
        let folds = try result.decode(as: ExperimentTune.Result.self).folds
        XCTAssertEqual(folds.requested, 5)
        XCTAssertEqual(folds.used, 3)
        XCTAssertEqual(folds.repeats, 5)
        XCTAssertEqual(folds.note, "Class '1' has only 3 rows, fewer than the 5 folds asked for: used 3 folds, repeated 5 times.")
        XCTAssertFalse(result["leaderboard"]?.arrayValue?.isEmpty ?? true)
        // With the default holdout the rare class cannot spare a row for it and keep 2 per fold:
        // the estimate falls back or adapts, and the notes say what happened.
        let held = try client.call("experiment/tune", params: ["dataset": "tiny", "candidates": ["ce", "wce_balanced"]])
        XCTAssertEqual(try SchemaChecker("experiment.tune.result").problems(held), [])
        XCTAssertFalse(held["notes"]?.arrayValue?.isEmpty ?? true, "\(held)")
        // One row of a class is too few to cross-validate at all.
        _ = try client.call("dataset/generate", params: ["name": "one", "rows": 20, "features": 2, "positive_rate": 0.05, "seed": 2])
        let refused = client.rpcError("experiment/tune", ["dataset": "one"])
        XCTAssertEqual(refused?.code, ErrorCode.invalidParams)
        XCTAssertEqual(refused?.data?["field"], "dataset")
        XCTAssertTrue(refused?.message.contains("only 1 row") ?? false, refused?.message ?? "")
    }

    func testAMulticlassTuneHasNoThresholdAndCalibratesByTemperature() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["preset": "multiclass", "name": "mc", "rows": 1500, "seed": 3])
        let result = try client.call("experiment/tune", params: ["dataset": "mc", "calibrate": "platt", "objective": "balanced_accuracy",
                                                                "folds": 3])
        XCTAssertEqual(try SchemaChecker("experiment.tune.result").problems(result), [])
        let typed = try result.decode(as: ExperimentTune.Result.self)
        XCTAssertEqual(typed.leaderboard.map(\.candidate).filter { $0.hasPrefix("wce_w") || ["over", "under", "smote"].contains($0) }, [],
                       "the binary-only candidates are not tried on multiclass data")
        XCTAssertNil(typed.winner.threshold)
        XCTAssertTrue(typed.leaderboard.allSatisfy { $0.threshold == nil })
        XCTAssertNil(typed.winner.config.threshold)
        XCTAssertEqual(typed.calibration?.method, .platt)
        XCTAssertEqual(typed.calibration?.appliedToModel, true)
        XCTAssertEqual(typed.objective.type, .balancedAccuracy)
    }

    func testTheSweepReportsItsFoldPlanAndRepeatsForATinyClass() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["name": "tiny", "rows": 60, "features": 3, "positive_rate": 0.05, "seed": 2])
        let result = try client.call("experiment/sweep", params: ["dataset": "tiny", "param": "w", "grid": [0.5, 0.9], "folds": 5])
        XCTAssertEqual(try SchemaChecker("experiment.sweep.result").problems(result), [])
        let typed = try result.decode(as: ExperimentSweep.Result.self)
        XCTAssertEqual(typed.folds, FoldPlanReport(requested: 5, used: 3, repeats: 5,
                                                   note: "Class '1' has only 3 rows, fewer than the 5 folds asked for: used 3 folds, repeated 5 times."))
        XCTAssertTrue(typed.results.allSatisfy { $0.folds.count == 15 }, "repeats × folds scores per point")
    }
}
