import XCTest
@testable import BallastML

/// Reference values from scikit-learn 1.9.1 (see `TuningReference`): f1_score, fbeta_score,
/// matthews_corrcoef and balanced_accuracy_score on y_pred = (p >= t).
final class TuneObjectiveTests: XCTestCase {
    let data = TuningReference.binary

    func testBinaryObjectivesAtThresholdsMatchScikitLearn() {
        let expected: [(t: Double, f1: Double, f2: Double, fHalf: Double, mcc: Double, bacc: Double)] = [
            (0.3, 0.8, 0.8333333333333334, 0.7692307692307693, 0.47809144373375745, 0.7285714285714285),
            (0.5, 0.6923076923076923, 0.6617647058823529, 0.7258064516129032, 0.3380617018914066, 0.6714285714285715),
            (0.7, 0.4, 0.3225806451612903, 0.5263157894736842, 0.09759000729485331, 0.5428571428571429),
        ]
        for row in expected {
            func value(_ objective: TuneObjective) -> Double {
                ObjectiveSearch.value(objective, classIndex: data.classIndex, positiveProbability: data.positive,
                                      positiveClass: 1, threshold: row.t)
            }
            XCTAssertEqual(value(.f1), row.f1, accuracy: 1e-12, "t \(row.t)")
            XCTAssertEqual(value(.fBeta(2)), row.f2, accuracy: 1e-12, "t \(row.t)")
            XCTAssertEqual(value(.fBeta(0.5)), row.fHalf, accuracy: 1e-12, "t \(row.t)")
            XCTAssertEqual(value(.mcc), row.mcc, accuracy: 1e-12, "t \(row.t)")
            XCTAssertEqual(value(.balancedAccuracy), row.bacc, accuracy: 1e-12, "t \(row.t)")
        }
    }

    func testConstrainedObjectivesPreferAnyFeasibleThreshold() {
        // TP 8, FP 2, P 10, N 10: precision 0.8, recall 0.8.
        XCTAssertEqual(TuneObjective.recallAtPrecision(0.8).value(truePositives: 8, falsePositives: 2, positives: 10, negatives: 10), 0.8)
        XCTAssertEqual(TuneObjective.recallAtPrecision(0.9).value(truePositives: 8, falsePositives: 2, positives: 10, negatives: 10),
                       0.8 - 0.9, accuracy: 1e-15)
        XCTAssertEqual(TuneObjective.precisionAtRecall(0.9).value(truePositives: 9, falsePositives: 9, positives: 10, negatives: 10), 0.5)
        XCTAssertEqual(TuneObjective.precisionAtRecall(0.9).value(truePositives: 8, falsePositives: 0, positives: 10, negatives: 10),
                       0.8 - 0.9, accuracy: 1e-15)
        // 9/10 is exactly the double nearest 0.9: feasible.
        XCTAssertEqual(TuneObjective.recallAtPrecision(0.9).value(truePositives: 9, falsePositives: 1, positives: 18, negatives: 10), 0.5)
    }

    func testCostsAreMeanCostPerRowAndLowerIsBetter() {
        // FP 3, FN 2 of 20 rows.
        let fpfn = TuneObjective.cost(falsePositive: 1, falseNegative: 10)
        let expectedCost: Double = (3 + 20) / 20
        XCTAssertEqual(fpfn.value(truePositives: 8, falsePositives: 3, positives: 10, negatives: 10), expectedCost)
        XCTAssertFalse(fpfn.higherIsBetter)
        XCTAssertTrue(fpfn.isBetter(0.1, than: 0.2))
        XCTAssertTrue(TuneObjective.f1.isBetter(0.2, than: 0.1))
        // A 2×2 matrix with its diagonal, read with the given positive class.
        let matrix = TuneObjective.costMatrix([[0.5, 1], [10, 0]])
        let expectedMatrix: Double = (0.5 * 7 + 3 + 20) / 20
        XCTAssertEqual(matrix.value(truePositives: 8, falsePositives: 3, positives: 10, negatives: 10), expectedMatrix)
        // Positive class 0: TN/FP/FN/TP swap rows and columns.
        let expectedSwapped: Double = (0.5 * 8 + 10 * 3 + 1 * 2) / 20
        XCTAssertEqual(matrix.value(truePositives: 8, falsePositives: 3, positives: 10, negatives: 10, positiveClass: 0),
                       expectedSwapped)
    }

    func testMulticlassValuesMatchScikitLearn() {
        let m = TuningReference.multiclass
        // f1_score(average="macro"), matthews_corrcoef, balanced_accuracy_score on P.argmax(1).
        func value(_ objective: TuneObjective) -> Double {
            ObjectiveSearch.value(objective, classIndex: m.classIndex, probabilities: m.probabilities, classCount: 3)
        }
        XCTAssertEqual(value(.f1), 0.5564859117490696, accuracy: 1e-12)
        XCTAssertEqual(value(.mcc), 0.4291033120288643, accuracy: 1e-12)
        XCTAssertEqual(value(.balancedAccuracy), 0.5597222222222222, accuracy: 1e-12)
    }

    func testBayesRuleOnACostMatrixByHand() {
        // C[truth][predicted]. Row p = (0.5, 0.3, 0.2): expected costs per prediction
        // j=0: 0.3·10 + 0.2·10 = 5; j=1: 0.5·1 + 0.2·1 = 0.7; j=2: 0.5·1 + 0.3·1 = 0.8 → 1 (argmax would say 0).
        // Row (0.1, 0.1, 0.8): j=0: 0.1·10 + 0.8·10 = 9; j=1: 0.1 + 0.8 = 0.9; j=2: 0.1 + 0.1 = 0.2 → 2.
        // Row (1, 0, 0): j=0: 0; j=1: 1; j=2: 1 → 0. Row (0, 0.5, 0.5): j=0: 10; j=1: 0.5; j=2: 0.5,
        // a tie → the lowest j, 1.
        let cost: [[Double]] = [[0, 1, 1], [10, 0, 1], [10, 1, 0]]
        let probabilities: [Float] = [0.5, 0.3, 0.2, 0.1, 0.1, 0.8, 1, 0, 0, 0, 0.5, 0.5]
        let objective = TuneObjective.costMatrix(cost)
        XCTAssertEqual(ObjectiveSearch.decisions(objective, probabilities: probabilities, classCount: 3), [1, 2, 0, 1])
        XCTAssertEqual(ObjectiveSearch.decisions(.f1, probabilities: probabilities, classCount: 3), [0, 2, 0, 1])
        // Truth (0, 2, 0, 2): costs C[0][1] = 1, 0, 0, C[2][1] = 1 → 2 / 4.
        XCTAssertEqual(ObjectiveSearch.value(objective, classIndex: [0, 2, 0, 2], probabilities: probabilities, classCount: 3), 0.5)
    }

    func testBestThresholdMatchesABruteForceSearch() {
        // Brute force in scikit-learn: max over distinct p of (f1_score(y, p >= t), t) → t = 0.2822265625, F1 0.8125.
        let t = ObjectiveSearch.bestThreshold(.f1, classIndex: data.classIndex, positiveProbability: data.positive, positiveClass: 1)
        XCTAssertEqual(t, 0.2822265625)
        XCTAssertEqual(ObjectiveSearch.value(.f1, classIndex: data.classIndex, positiveProbability: data.positive,
                                             positiveClass: 1, threshold: t), 0.8125, accuracy: 1e-12)
        // Same answer as the existing best-F1 search.
        XCTAssertEqual(t, Thresholds.bestF1(classIndex: data.classIndex, positiveProbability: data.positive, positiveClass: 1))
        // Every objective: the search's value equals the best value of a direct scan over distinct scores,
        // and no larger threshold reaches it.
        let objectives: [TuneObjective] = [.f1, .fBeta(2), .fBeta(0.5), .mcc, .balancedAccuracy, .recallAtPrecision(0.7),
                                           .precisionAtRecall(0.9), .cost(falsePositive: 1, falseNegative: 5),
                                           .costMatrix([[0, 2], [3, 0]])]
        let candidates = Set(data.positive.map(Double.init)).sorted(by: >)
        for objective in objectives {
            let found = ObjectiveSearch.bestThreshold(objective, classIndex: data.classIndex, positiveProbability: data.positive, positiveClass: 1)
            let values = candidates.map {
                ObjectiveSearch.value(objective, classIndex: data.classIndex, positiveProbability: data.positive, positiveClass: 1, threshold: $0)
            }
            let best = objective.higherIsBetter ? values.max()! : values.min()!
            let firstBest = candidates[values.firstIndex(of: best)!]
            XCTAssertEqual(found, firstBest, "\(objective)")
        }
    }

    func testCostCanChooseToFlagNothing() {
        // False positives cost 100: flagging nothing (3 FN × 1 / 6) beats every threshold.
        let classIndex: [Int32] = [0, 1, 0, 1, 0, 1]
        let scores: [Float] = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]
        let t = ObjectiveSearch.bestThreshold(.cost(falsePositive: 100, falseNegative: 1), classIndex: classIndex,
                                              positiveProbability: scores, positiveClass: 1)
        XCTAssertEqual(t, Double(Float(0.9).nextUp))
        XCTAssertEqual(ObjectiveSearch.value(.cost(falsePositive: 100, falseNegative: 1), classIndex: classIndex,
                                             positiveProbability: scores, positiveClass: 1, threshold: t), 0.5)
    }

    func testNoPositiveRowGivesOneHalfAndTiesGoToTheLargerThreshold() {
        XCTAssertEqual(ObjectiveSearch.bestThreshold(.f1, classIndex: [0, 0, 0], positiveProbability: [0.2, 0.7, 0.9], positiveClass: 1), 0.5)
        XCTAssertEqual(ObjectiveSearch.bestThreshold(.mcc, classIndex: [], positiveProbability: [], positiveClass: 1), 0.5)
        // Positive class 0 counts class 0 as positive. Rows: (0.8, class 0), (0.6, class 1), (0.3, class 0). t=0.8: TP1 FP0 P2 → 2/3; t=0.6: TP1 FP1 → 2/4; t=0.3: 4/5.
        XCTAssertEqual(ObjectiveSearch.bestThreshold(.f1, classIndex: [0, 1, 0], positiveProbability: [0.8, 0.6, 0.3], positiveClass: 0),
                       Double(Float(0.3)))
        // Balanced accuracy 0.75 at both 0.9 and 0.1 (0.5 at 0.8 and 0.05): ties → 0.9.
        XCTAssertEqual(ObjectiveSearch.bestThreshold(.balancedAccuracy, classIndex: [1, 0, 1, 0],
                                                     positiveProbability: [0.9, 0.8, 0.1, 0.05], positiveClass: 1),
                       Double(Float(0.9)))
    }

    func testValidationNamesTheObjective() {
        let bad: [(TuneObjective, Int)] = [
            (.fBeta(0), 2), (.fBeta(.infinity), 2), (.recallAtPrecision(0), 2), (.recallAtPrecision(1.5), 2),
            (.precisionAtRecall(-1), 2), (.cost(falsePositive: 0, falseNegative: 0), 2), (.cost(falsePositive: -1, falseNegative: 1), 2),
            (.costMatrix([[0, 1], [1, 0]]), 3), (.costMatrix([[0, 0], [0, 0]]), 2), (.costMatrix([[0, .nan], [1, 0]]), 2),
            (.fBeta(2), 3), (.recallAtPrecision(0.9), 3), (.precisionAtRecall(0.9), 3), (.cost(falsePositive: 1, falseNegative: 2), 3),
        ]
        for (objective, k) in bad {
            XCTAssertThrowsError(try objective.validate(classCount: k), "\(objective) on \(k) classes") {
                XCTAssertEqual(($0 as? InvalidArgument)?.field, .objective)
            }
        }
        let good: [(TuneObjective, Int)] = [(.f1, 3), (.mcc, 4), (.balancedAccuracy, 2), (.costMatrix([[0, 1, 1], [5, 0, 1], [5, 1, 0]]), 3),
                                            (.recallAtPrecision(1), 2), (.fBeta(0.5), 2)]
        for (objective, k) in good { XCTAssertNoThrow(try objective.validate(classCount: k), "\(objective)") }
    }

    func testNames() {
        XCTAssertEqual(TuneObjective.f1.name, "F1")
        XCTAssertEqual(TuneObjective.fBeta(2).name, "F2")
        XCTAssertEqual(TuneObjective.fBeta(0.5).name, "F0.5")
        XCTAssertEqual(TuneObjective.recallAtPrecision(0.9).name, "recall at precision ≥ 0.9")
        XCTAssertEqual(TuneObjective.cost(falsePositive: 1, falseNegative: 10).name, "expected cost")
    }
}
