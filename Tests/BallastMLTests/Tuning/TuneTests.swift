import XCTest
import Synchronization
@testable import BallastML

final class TuneTests: XCTestCase {
    /// Binary data with `positives` rare rows.
    func binary(rows: Int = 600, rate: Double = 0.06, separation: Double = 1.5, seed: UInt64 = 3) throws -> Dataset {
        try SyntheticData.generate(SyntheticSpec(rows: rows, features: 6, informative: 3,
                                                 classProportions: [1 - rate, rate], separation: separation, seed: seed))
    }

    func settings(_ candidates: [TuneCandidate], objective: TuneObjective = .f1, calibration: CalibrationMethod = .none,
                  folds: Int = 5, repeats: Int? = nil, estimate: HonestEstimateMethod = .holdout(fraction: 0.2),
                  model: ModelKind = .logistic) -> TuneSettings {
        TuneSettings(candidates: candidates, objective: objective, calibration: calibration, folds: folds, repeats: repeats,
                     estimate: estimate, base: TrainingConfig(model: model, seed: 7), l2: nil)
    }

    /// The outcome without its timings, which are the only part allowed to differ between runs.
    func comparable(_ outcome: TuneOutcome) -> [String] {
        let board = outcome.leaderboard.map { "\($0.candidate.name) \($0.mean) \($0.sd) \($0.scores) \(String(describing: $0.threshold))" }
        return board + ["\(outcome.winner.candidate.name)", "\(String(describing: outcome.threshold))",
                        "\(outcome.model)", "\(outcome.config)", "\(String(describing: outcome.estimate))",
                        "\(String(describing: outcome.calibration))", "\(outcome.skipped)", "\(outcome.notes)", "\(outcome.plan)"]
    }

    func testOneAndTwoThreadsGiveBitIdenticalOutcomes() throws {
        let data = try binary()
        let candidates = [TuneCandidate.ce, .binaryWCE(0.9), .wceBalanced, .over, .smote]
        let one = try XCTUnwrap(Tune.run(data: data, settings: settings(candidates, calibration: .platt), threads: .fixed(1)))
        let two = try XCTUnwrap(Tune.run(data: data, settings: settings(candidates, calibration: .platt), threads: .fixed(2)))
        XCTAssertEqual(comparable(one), comparable(two))
        XCTAssertEqual(one.model, two.model)
        XCTAssertEqual(one.leaderboard.count, 5)
    }

    /// The one-standard-error rule: the winner is the first candidate within one standard error of
    /// the best mean; the leaderboard lists it first, then the rest by mean.
    func testTheWinnerIsTheFirstCandidateWithinOneStandardErrorOfTheBestAndListedFirst() throws {
        let data = try binary()
        let candidates = TuneCandidate.defaults(classCount: 2, wGrid: nil, gammaGrid: nil, includeMLP: false)
        XCTAssertEqual(candidates.map(\.name), ["ce", "wce_w0.6", "wce_w0.75", "wce_w0.9", "wce_w0.97", "wce_balanced",
                                                "focal_g0.5", "focal_g1", "focal_g2", "over", "under", "smote"])
        let outcome = try XCTUnwrap(Tune.run(data: data, settings: settings(candidates, estimate: .none)))
        let best = try XCTUnwrap(outcome.leaderboard.max { $0.mean < $1.mean })
        let standardError = best.sd / Double(best.scores.count).squareRoot()
        let within = candidates.filter { c in outcome.leaderboard.contains { $0.candidate == c && $0.mean >= best.mean - standardError } }
        XCTAssertEqual(outcome.winner.candidate, within.first, "the first candidate, in the order given, within one standard error")
        XCTAssertLessThan(outcome.winner.mean, best.mean, "this data's best mean is not the winner's: the rule is exercised")
        XCTAssertEqual(outcome.winner, outcome.leaderboard[0])
        let rest = outcome.leaderboard.dropFirst().map(\.mean)
        XCTAssertEqual(rest, rest.sorted(by: >))
        XCTAssertNil(outcome.estimate)
        XCTAssertEqual(outcome.plan.repeats, 3)  // 36 positives
        for score in outcome.leaderboard {
            XCTAssertEqual(score.scores.count, 15)
            XCTAssertEqual(score.mean, score.scores.reduce(0, +) / 15, accuracy: 1e-12)
        }
    }

    /// Each fold's score is the objective at the threshold tuned on the other folds' out-of-fold
    /// scores, recomputed here by hand from the same folds and fits.
    func testCrossFittedThresholdsMatchADirectRecomputation() throws {
        let data = try binary(rows: 300, rate: 0.1)
        let outcome = try XCTUnwrap(Tune.run(data: data, settings: settings([.ce], folds: 3, repeats: 2, estimate: .none)))
        let plan = outcome.plan
        XCTAssertEqual(plan.folds, 3)
        XCTAssertEqual(plan.repeats, 2)
        let positive = try XCTUnwrap(data.positiveClass)
        let heldOut = try plan.heldOut(classIndex: data.classIndex, classCount: 2, seed: 7)
        var expected: [Double] = []
        var pooledScores: [Float] = []
        var pooledTruth: [Int32] = []
        for folds in heldOut {
            var oof = [Float](repeating: 0, count: data.rowCount)
            for fold in folds {
                let train = data.selecting(rows: (0..<data.rowCount).filter { !fold.contains($0) })
                var config = TrainingConfig(model: .logistic, seed: 7)
                config.l2 = Comparison.defaultL2(config, train)
                let model = try Trainer.train(config, on: train, threads: .fixed(1)).model
                let p = try model.probabilities(data.selecting(rows: fold), threads: .fixed(1))
                for (i, row) in fold.enumerated() { oof[row] = p[i * 2 + positive] }
            }
            for fold in folds {
                let other = (0..<data.rowCount).filter { !fold.contains($0) }
                let t = ObjectiveSearch.bestThreshold(.f1, classIndex: other.map { data.classIndex[$0] },
                                                      positiveProbability: other.map { oof[$0] }, positiveClass: positive)
                expected.append(ObjectiveSearch.value(.f1, classIndex: fold.map { data.classIndex[$0] },
                                                      positiveProbability: fold.map { oof[$0] }, positiveClass: positive, threshold: t))
            }
            pooledScores += oof
            pooledTruth += data.classIndex
        }
        XCTAssertEqual(outcome.winner.scores, expected)
        let pooled = ObjectiveSearch.bestThreshold(.f1, classIndex: pooledTruth, positiveProbability: pooledScores, positiveClass: positive)
        XCTAssertEqual(outcome.winner.threshold, pooled)
        XCTAssertEqual(outcome.threshold, pooled)
    }

    /// Garbage in the holdout rows' features cannot change anything the selection decides.
    func testTheHoldoutRowsNeverReachTheSelection() throws {
        let data = try binary()
        let split = try Splitting.stratifiedSplit(classIndex: data.classIndex, classCount: 2, test: 0.2, validation: 0, seed: 7)
        var poisoned = data
        for row in split.test {
            for f in 0..<data.featureCount { poisoned.features[row * data.featureCount + f] = data.classIndex[row] == 1 ? -50 : 50 }
        }
        let candidates = [TuneCandidate.ce, .binaryWCE(0.75), .binaryWCE(0.97), .under]
        let clean = try XCTUnwrap(Tune.run(data: data, settings: settings(candidates, calibration: .platt)))
        let dirty = try XCTUnwrap(Tune.run(data: poisoned, settings: settings(candidates, calibration: .platt)))
        XCTAssertEqual(clean.leaderboard, dirty.leaderboard.map { var s = $0; s.seconds = clean.leaderboard.first { $0.candidate == s.candidate }!.seconds; return s })
        XCTAssertEqual(clean.winner.candidate, dirty.winner.candidate)
        XCTAssertEqual(clean.calibration?.calibrator, dirty.calibration?.calibrator)
        XCTAssertEqual(clean.threshold, dirty.threshold)
        // The poison did reach the estimate (its rows are the holdout) and the final model (all rows).
        XCTAssertEqual(clean.estimate?.rows, split.test.count)
        XCTAssertNotEqual(clean.estimate?.objective, dirty.estimate?.objective)
        XCTAssertNotEqual(clean.model, dirty.model)
    }

    func testThreePositivesAdaptTheFoldsAndSayWhatWasDone() throws {
        var data = try binary(rows: 200, rate: 0.015)
        XCTAssertEqual(data.classCounts[1], 3)
        data.positiveClass = 1
        let candidates = TuneCandidate.defaults(classCount: 2, wGrid: nil, gammaGrid: nil, includeMLP: false)
        var seen: [Int] = []
        let log = Mutex<[Int]>([])
        let outcome = try XCTUnwrap(Tune.run(data: data, settings: settings(candidates),
                                             onProgress: { progress in log.withLock { $0.append(progress.fitsDone) } }))
        seen = log.withLock { $0 }
        // The holdout keeps 1 positive, the selection 2: 2 folds repeated 5 times.
        XCTAssertEqual(outcome.estimate?.method, .holdout(fraction: 0.2))
        XCTAssertEqual(outcome.plan.folds, 2)
        XCTAssertEqual(outcome.plan.repeats, 5)
        let note = try XCTUnwrap(outcome.plan.note)
        XCTAssert(outcome.notes.contains(note), "\(outcome.notes)")
        // SMOTE has a single positive to interpolate from in every fold: dropped, with the reason.
        XCTAssertNotNil(outcome.skipped["smote"])
        XCTAssertFalse(outcome.leaderboard.contains { $0.candidate.name == "smote" })
        XCTAssertEqual(outcome.leaderboard.count, candidates.count - 1)
        XCTAssert(outcome.leaderboard.allSatisfy { $0.scores.count == 10 })
        // Progress counts every planned fit once, in order, skipped ones included.
        let planned = try Tune.plannedFits(data: data, settings: settings(candidates))
        XCTAssertEqual(planned, candidates.count * 10 + 2)
        XCTAssertEqual(seen, Array(1...planned))
    }

    func testTwoPositivesFallBackFromTheHoldoutAndThenHaveNoEstimate() throws {
        var data = try binary(rows: 120, rate: 0.0167)
        XCTAssertEqual(data.classCounts[1], 2)
        data.positiveClass = 1
        let outcome = try XCTUnwrap(Tune.run(data: data, settings: settings([.ce, .binaryWCE(0.9)])))
        XCTAssertNil(outcome.estimate)
        XCTAssert(outcome.notes.contains { $0.contains("no honest estimate") }, "\(outcome.notes)")
        XCTAssertEqual(outcome.plan.folds, 2)
    }

    func testAHoldoutTooSmallForTheRareClassFallsBackToNested() throws {
        let data = try binary(rows: 400, rate: 0.01)  // 4 positives: a 10 % holdout keeps none of them
        let outcome = try XCTUnwrap(Tune.run(data: data, settings: settings([.ce, .wceBalanced], estimate: .holdout(fraction: 0.1))))
        XCTAssertEqual(outcome.estimate?.method, .nested(outerFolds: 3))
        XCTAssertEqual(outcome.estimate?.scores.count, 3)
        XCTAssertEqual(outcome.estimate?.winners.count, 3)
        XCTAssertEqual(outcome.estimate?.rows, 400)
        XCTAssert(outcome.notes.contains { $0.contains("nested cross-validation") }, "\(outcome.notes)")
    }

    func testEveryCandidateSkippedIsAnError() throws {
        var data = try binary(rows: 120, rate: 0.0167)
        data.positiveClass = 1
        XCTAssertThrowsError(try Tune.run(data: data, settings: settings([.smote], estimate: .none))) { error in
            XCTAssertEqual((error as? InvalidArgument)?.field, .candidates)
        }
    }

    func testACancelledTuneReturnsNil() throws {
        let data = try binary()
        let candidates = [TuneCandidate.ce, .wceBalanced, .over]
        XCTAssertNil(try Tune.run(data: data, settings: settings(candidates), isCancelled: { true }))
        // Cancelled part-way: after the fourth fit.
        let fits = Mutex(0)
        let outcome = try Tune.run(data: data, settings: settings(candidates), threads: .fixed(2),
                                   onProgress: { _ in fits.withLock { $0 += 1 } },
                                   isCancelled: { fits.withLock { $0 >= 4 } })
        XCTAssertNil(outcome)
        XCTAssertLessThan(fits.withLock { $0 }, try Tune.plannedFits(data: data, settings: settings(candidates)))
    }

    func testMulticlassWithACostMatrixChoosesTheLowestExpectedCost() throws {
        let data = try SyntheticData.generate(SyntheticSpec(rows: 600, features: 5, informative: 3,
                                                            classProportions: [0.7, 0.2, 0.1], separation: 1.5, seed: 4))
        let matrix: [[Double]] = [[0, 1, 1], [5, 0, 1], [20, 5, 0]]
        let candidates = TuneCandidate.defaults(classCount: 3, wGrid: nil, gammaGrid: nil, includeMLP: false)
        XCTAssertEqual(candidates.map(\.name), ["ce", "wce_balanced", "wce_inverse_sqrt", "focal_g1", "focal_g2"])
        let outcome = try XCTUnwrap(Tune.run(data: data, settings: settings(candidates, objective: .costMatrix(matrix),
                                                                            calibration: .platt, model: .softmax)))
        XCTAssertEqual(outcome.winner.mean, outcome.leaderboard.map(\.mean).min())
        XCTAssertEqual(outcome.leaderboard.map(\.mean), outcome.leaderboard.map(\.mean).sorted())
        XCTAssertNil(outcome.threshold)
        XCTAssert(outcome.leaderboard.allSatisfy { $0.threshold == nil })
        // The estimate scores the holdout with the Bayes rule on calibrated probabilities.
        let estimate = try XCTUnwrap(outcome.estimate)
        let report = try XCTUnwrap(estimate.report)
        let cost = zip(matrix.joined(), report.confusion.joined()).reduce(0) { $0 + $1.0 * Double($1.1) } / Double(estimate.rows)
        XCTAssertEqual(estimate.objective, cost, accuracy: 1e-12)
        XCTAssertEqual(outcome.calibration?.appliedToModel, true)
    }

    func testPlattCalibrationIsFoldedIntoTheStoredModelAndItsThreshold() throws {
        let data = try binary()
        let outcome = try XCTUnwrap(Tune.run(data: data, settings: settings([.ce, .binaryWCE(0.9)], calibration: .platt)))
        let calibration = try XCTUnwrap(outcome.calibration)
        XCTAssertTrue(calibration.appliedToModel)
        XCTAssertTrue(calibration.onHeldOutRows)
        let raw = try XCTUnwrap(outcome.winner.threshold)
        XCTAssertEqual(try XCTUnwrap(outcome.threshold), calibration.calibrator.calibratedThreshold(raw, positiveClass: 1), accuracy: 1e-12)
    }

    func testIsotonicLeavesTheModelRawAndSaysSo() throws {
        let data = try binary()
        let outcome = try XCTUnwrap(Tune.run(data: data, settings: settings([.ce, .binaryWCE(0.9)], calibration: .isotonic)))
        XCTAssertEqual(outcome.calibration?.appliedToModel, false)
        XCTAssertEqual(outcome.threshold, outcome.winner.threshold)
        XCTAssert(outcome.notes.contains { $0.contains("cannot be folded") }, "\(outcome.notes)")
    }

    func testBadSettingsAreRefusedByField() throws {
        let data = try binary()
        XCTAssertThrowsError(try Tune.run(data: data, settings: settings([]))) { XCTAssertEqual(($0 as? InvalidArgument)?.field, .candidates) }
        XCTAssertThrowsError(try Tune.run(data: data, settings: settings([.ce, .ce]))) { XCTAssertEqual(($0 as? InvalidArgument)?.field, .candidates) }
        XCTAssertThrowsError(try Tune.run(data: data, settings: settings([.ce], estimate: .holdout(fraction: 0.6)))) {
            XCTAssertEqual(($0 as? InvalidArgument)?.field, .holdout)
        }
    }

    func testGridsReplaceTheDefaultWeightsAndGammasAndNameTheirCandidates() {
        let binary = TuneCandidate.defaults(classCount: 2, wGrid: [0.8, 0.95], gammaGrid: [3, 0.25], includeMLP: true)
        XCTAssertEqual(binary.map(\.name), ["ce", "wce_w0.8", "wce_w0.95", "wce_balanced", "focal_g3", "focal_g0.25",
                                             "over", "under", "smote", "mlp"])
        XCTAssertEqual(binary[1].weights, .binary(w: 0.8))
        XCTAssertEqual(binary[4].loss, .focal(gamma: 3, alpha: nil))
        let multiclass = TuneCandidate.defaults(classCount: 4, wGrid: [0.8], gammaGrid: [0.5], includeMLP: false)
        XCTAssertEqual(multiclass.map(\.name), ["ce", "wce_balanced", "wce_inverse_sqrt", "focal_g0.5"])
    }

    func testProgressNamesEachStageOfANestedEstimateAndEndsWithTheFinalFit() throws {
        let data = try binary(rows: 300, rate: 0.1)
        let stages = Mutex<[String]>([])
        let chosen = settings([.ce, .wceBalanced], folds: 3, estimate: .nested(outerFolds: 2))
        let outcome = try XCTUnwrap(Tune.run(data: data, settings: chosen,
                                             onProgress: { progress in stages.withLock { $0.append(progress.stage) } }))
        let seen = stages.withLock { $0 }
        XCTAssertEqual(seen.count, try Tune.plannedFits(data: data, settings: chosen))
        XCTAssertEqual(Set(seen), ["estimate, outer fold 1 of 2", "estimate, outer fold 2 of 2", "selection", "final"])
        XCTAssertEqual(seen.last, "final")
        XCTAssertEqual(outcome.estimate?.method, .nested(outerFolds: 2))
        XCTAssertEqual(outcome.estimate?.scores.count, 2)
    }
}
