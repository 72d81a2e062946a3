import XCTest
@testable import BallastML

/// Expected values: Reference/metrics_reference.py (scikit-learn 1.9.1, imbalanced-learn 0.14.2 for the
/// G-mean). Exact formulas are compared to 1e-12 relative; ranking metrics (sklearn sums floats, we sum
/// integers) to 1e-12 too; log loss to 1e-12 against float64 evaluation with sklearn's float32 clip and to
/// 1e-7 against sklearn run on the float32 array (which computes the logs in float32).
final class MetricReportTests: XCTestCase {
    let binary = MetricTestData.binary()
    let three = MetricTestData.multiclass()

    func binaryReport(_ threshold: ThresholdRule) -> MetricReport {
        Metrics.report(classIndex: binary.classIndex, probabilities: binary.probabilities, classCount: 2,
                       classLabels: ["legit", "fraud"], positiveClass: 1, threshold: threshold)
    }

    func testDataMatchesTheReferenceScript() {
        XCTAssertEqual(binary.classIndex.count, 1000)
        XCTAssertEqual(binary.classIndex.reduce(0) { $0 + Int($1) }, 19)
        XCTAssertEqual(MetricTestData.column(binary.probabilities, 2, 1).prefix(5),
                       [0.072265625, 0.0859375, 0.4130859375, 0.4462890625, 0.3193359375])
        XCTAssertEqual(three.classIndex.count, 600)
        XCTAssertEqual(Array(three.probabilities.prefix(3)), [0.008780487813055515, 0.699999988079071, 0.2912195026874542])
        XCTAssertEqual([0, 1, 2].map { c in three.classIndex.filter { $0 == c }.count }, [373, 174, 53])
    }

    func testBinaryAtStandardThreshold() {
        let r = binaryReport(.standard)
        XCTAssertEqual(r.threshold, 0.5)
        XCTAssertEqual(r.confusion, [[632, 349], [6, 13]])
        assertRelative(r.perClass.map(\.precision), [0.9905956112852664, 0.03591160220994475], 1e-12, "precision")
        assertRelative(r.perClass.map(\.recall), [0.6442405708460754, 0.6842105263157895], 1e-12, "recall")
        assertRelative(r.perClass.map(\.f1), [0.7807288449660285, 0.06824146981627296], 1e-12, "f1")
        XCTAssertEqual(r.perClass.map(\.support), [981, 19])
        XCTAssertEqual(r.perClass.map(\.label), ["legit", "fraud"])
        XCTAssertEqual(r.positive, r.perClass[1])
        assertRelative(r.accuracy, 0.645, 1e-12, "accuracy")
        assertRelative(r.balancedAccuracy, 0.6642255485809325, 1e-12, "balanced accuracy")
        assertRelative(r.macroF1, 0.4244851573911507, 1e-12, "macro F1")
        assertRelative(r.mcc, 0.09330768111578978, 1e-12, "MCC")
        assertRelative(r.gMean, 0.6639248301220387, 1e-12, "G-mean")
        assertRelative(r.prAUC, 0.2946335804207385, 1e-12, "average precision")
        assertRelative(r.rocAUC, 0.6775041579483878, 1e-12, "ROC AUC")
        assertRelative(r.logLoss, 0.5931822107210594, 1e-12, "log loss (float64, float32 eps)")
        assertRelative(r.logLoss, 0.5931822061538696, 1e-7, "log loss (sklearn on float32)")
        assertRelative(r.brier, 0.19398356151580812, 1e-12, "Brier")
    }

    func testBinaryAtAFixedThreshold() {
        let r = binaryReport(.value(0.3))
        XCTAssertEqual(r.threshold, 0.3)
        XCTAssertEqual(r.confusion, [[378, 603], [3, 16]])
        assertRelative(r.perClass.map(\.precision), [0.9921259842519685, 0.025848142164781908], 1e-12, "precision")
        assertRelative(r.perClass.map(\.recall), [0.3853211009174312, 0.8421052631578947], 1e-12, "recall")
        assertRelative(r.perClass.map(\.f1), [0.5550660792951542, 0.050156739811912224], 1e-12, "f1")
        assertRelative(r.accuracy, 0.394, 1e-12)
        assertRelative(r.balancedAccuracy, 0.6137131820376629, 1e-12)
        assertRelative(r.macroF1, 0.3026114095535332, 1e-12)
        assertRelative(r.mcc, 0.06393582890986721, 1e-12)
        assertRelative(r.gMean, 0.5696322735663448, 1e-12)
        // ThresholdRule-free metrics do not move.
        assertRelative(r.prAUC, 0.2946335804207385, 1e-12)
        assertRelative(r.rocAUC, 0.6775041579483878, 1e-12)
    }

    func testBinaryAtBestF1OnItsOwnData() {
        let r = binaryReport(.bestF1)
        XCTAssertEqual(r.threshold, 0.7998046875)
        XCTAssertEqual(r.confusion, [[981, 0], [14, 5]])
        assertRelative(r.positive?.f1 ?? -1, 0.4166666666666667, 1e-12, "best F1")
        XCTAssertEqual(r.positive?.precision, 1)
        assertRelative(r.accuracy, 0.986, 1e-12)
        assertRelative(r.balancedAccuracy, 0.631578947368421, 1e-12)
        assertRelative(r.macroF1, 0.7047908232118758, 1e-12)
        assertRelative(r.mcc, 0.5093674219949594, 1e-12)
        assertRelative(r.gMean, 0.512989176042577, 1e-12)
        XCTAssertEqual(binaryReport(.value(0.7998046875)), r)
    }

    func testPositiveClassZeroIsTheMirrorImage() {
        // Swap the columns and the labels: the rare class is now index 0.
        let y = binary.classIndex.map { 1 - $0 }
        var p = binary.probabilities
        for i in 0..<y.count { p.swapAt(2 * i, 2 * i + 1) }
        let mirrored = Metrics.report(classIndex: y, probabilities: p, classCount: 2, classLabels: ["fraud", "legit"],
                                      positiveClass: 0, threshold: .standard)
        let original = binaryReport(.standard)
        XCTAssertEqual(mirrored.positive?.f1, original.positive?.f1)
        XCTAssertEqual(mirrored.positive?.support, 19)
        XCTAssertEqual(mirrored.confusion, [[13, 6], [349, 632]])
        assertRelative(mirrored.prAUC, original.prAUC, 1e-15)
        assertRelative(mirrored.rocAUC, original.rocAUC, 1e-15)
        assertRelative(mirrored.logLoss, original.logLoss, 1e-15)
        assertRelative(mirrored.brier, original.brier, 1e-15)
        assertRelative(mirrored.mcc, original.mcc, 1e-15)
    }

    func testMulticlassMatchesScikitLearn() {
        let r = Metrics.report(classIndex: three.classIndex, probabilities: three.probabilities, classCount: 3,
                               classLabels: ["a", "b", "c"], positiveClass: nil, threshold: .value(0.9))
        XCTAssertNil(r.threshold)
        XCTAssertNil(r.positive)
        XCTAssertEqual(r.confusion, [[251, 52, 70], [28, 117, 29], [8, 16, 29]])
        assertRelative(r.perClass.map(\.precision), [0.8745644599303136, 0.6324324324324324, 0.2265625], 1e-12)
        assertRelative(r.perClass.map(\.recall), [0.6729222520107239, 0.6724137931034483, 0.5471698113207547], 1e-12)
        assertRelative(r.perClass.map(\.f1), [0.7606060606060606, 0.6518105849582173, 0.32044198895027626], 1e-12)
        XCTAssertEqual(r.perClass.map(\.support), [373, 174, 53])
        assertRelative(r.accuracy, 0.6616666666666666, 1e-12)
        assertRelative(r.balancedAccuracy, 0.6308352854783089, 1e-12)
        assertRelative(r.macroF1, 0.5776195448381848, 1e-12)
        assertRelative(r.mcc, 0.4464240344616494, 1e-12)
        assertRelative(r.gMean, 0.6279251487550246, 1e-12)
        assertRelative(r.rocAUC, 0.8032111318326494, 1e-12, "ROC AUC ovr macro")
        assertRelative(r.prAUC, 0.6498835815257141, 1e-12, "AP macro")
        assertRelative(r.logLoss, 0.8769611027587111, 1e-12)
        assertRelative(r.logLoss, 0.8769611716270447, 1e-7)
        assertRelative(r.brier, 0.5064493211584927, 1e-12, "Brier (summed over classes)")
    }

    func testPerClassAveragePrecisionOfTheMulticlassCase() {
        let want = [0.8677828033027088, 0.680822573549302, 0.40104536772513183]
        for c in 0..<3 {
            let ranked = MetricTestData.column(three.probabilities, 3, c).withUnsafeBufferPointer { s in
                three.classIndex.withUnsafeBufferPointer { y in
                    RankedScores(scores: s, stride: 1, offset: 0, count: y.count, classIndex: y, positiveClass: Int32(c))
                }
            }
            assertRelative(ranked.averagePrecision ?? -1, want[c], 1e-12, "AP class \(c)")
        }
    }

    // MARK: Edge cases

    func assertNoNaN(_ r: MetricReport, file: StaticString = #filePath, line: UInt = #line) {
        let values = [r.logLoss, r.accuracy, r.balancedAccuracy, r.macroF1, r.prAUC, r.rocAUC, r.mcc, r.gMean, r.brier]
            + r.perClass.flatMap { [$0.precision, $0.recall, $0.f1] }
        XCTAssertFalse(values.contains { !$0.isFinite }, "\(r)", file: file, line: line)
    }

    func testNoPredictedPositiveGivesZeroPrecisionNotNaN() {
        let r = binaryReport(.value(1.5))
        XCTAssertEqual(r.confusion, [[981, 0], [19, 0]])
        XCTAssertEqual(r.positive, ClassMetrics(label: "fraud", precision: 0, recall: 0, f1: 0, support: 19))
        XCTAssertEqual(r.mcc, 0)
        XCTAssertEqual(r.gMean, 0)
        assertRelative(r.balancedAccuracy, 0.5, 1e-15)
        assertRelative(r.macroF1, r.perClass[0].f1 / 2, 1e-15)  // both classes occur in the truth
        assertNoNaN(r)
    }

    func testOneClassAbsentFromTheTruth() {
        // No positives at all: ROC AUC undefined → 0.5; AP undefined → 0 (the positive rate).
        let y: [Int32] = [0, 0, 0, 0]
        let p: [Float] = [0.9, 0.1, 0.4, 0.6, 0.7, 0.3, 0.2, 0.8]
        let r = Metrics.report(classIndex: y, probabilities: p, classCount: 2, classLabels: ["0", "1"],
                               positiveClass: 1, threshold: .standard)
        XCTAssertEqual(r.rocAUC, 0.5)
        XCTAssertEqual(r.prAUC, 0)
        XCTAssertEqual(r.confusion, [[2, 2], [0, 0]])
        XCTAssertEqual(r.balancedAccuracy, 0.5)   // only class 0 is in the truth
        XCTAssertEqual(r.gMean, 0)                // class 1 predicted but never true: recall 0 (imbalanced-learn)
        XCTAssertEqual(r.mcc, 0)
        XCTAssertEqual(r.macroF1, (2.0 / 3.0 + 0) / 2)
        assertNoNaN(r)
        // All positive: AP is well defined (1), ROC AUC is not (0.5).
        let all = Metrics.report(classIndex: [1, 1, 1], probabilities: [0.9, 0.1, 0.5, 0.5, 0.2, 0.8], classCount: 2,
                                 classLabels: ["0", "1"], positiveClass: 1, threshold: .standard)
        XCTAssertEqual(all.prAUC, 1)
        XCTAssertEqual(all.rocAUC, 0.5)
        assertNoNaN(all)
    }

    func testMulticlassAveragesAUCsOverClassesPresentInTheTruth() {
        // Class 2 never occurs: its one-vs-rest AUCs are undefined and left out of the macro means.
        let y: [Int32] = [0, 1, 0, 1]
        let p: [Float] = [0.7, 0.2, 0.1, 0.3, 0.6, 0.1, 0.5, 0.3, 0.2, 0.4, 0.4, 0.2]
        let r = Metrics.report(classIndex: y, probabilities: p, classCount: 3, classLabels: ["a", "b", "c"],
                               positiveClass: nil, threshold: .standard)
        XCTAssertEqual(r.rocAUC, 1)   // column 0 ranks both 0s first; column 1 ranks both 1s first
        XCTAssertEqual(r.prAUC, 1)
        XCTAssertEqual(r.confusion, [[2, 0, 0], [1, 1, 0], [0, 0, 0]])  // row 4: 0.4 vs 0.4 tie → first max (numpy.argmax)
        XCTAssertEqual(r.perClass[2], ClassMetrics(label: "c", precision: 0, recall: 0, f1: 0, support: 0))
        assertRelative(r.gMean, 0.7071067811865476, 1e-15)  // imbalanced-learn: class c neither true nor predicted, left out
        assertRelative(r.macroF1, (0.8 + 2.0 / 3.0) / 2, 1e-15)
        assertNoNaN(r)
    }

    func testEmptyInputGivesAnAllZeroReport() {
        for (k, positive) in [(2, 1 as Int?), (3, nil)] {
            let r = Metrics.report(classIndex: [], probabilities: [], classCount: k, classLabels: (0..<k).map(String.init),
                                   positiveClass: positive, threshold: .bestF1)
            XCTAssertEqual(r.accuracy, 0)
            XCTAssertEqual(r.logLoss, 0)
            XCTAssertEqual(r.brier, 0)
            XCTAssertEqual(r.rocAUC, 0.5)
            XCTAssertEqual(r.prAUC, 0)
            XCTAssertEqual(r.confusion, Array(repeating: Array(repeating: 0, count: k), count: k))
            XCTAssertEqual(r.threshold, positive == nil ? nil : 0.5)
            assertNoNaN(r)
        }
    }

    func testLogLossClipsExactZerosAndOnes() {
        // A confident wrong answer costs −log ε, a confident right one −log(1 − ε), ε = float32 epsilon.
        let eps = Double(Float.ulpOfOne)
        let r = Metrics.report(classIndex: [1, 0], probabilities: [1, 0, 1, 0], classCount: 2, classLabels: ["0", "1"],
                               positiveClass: 1, threshold: .standard)
        assertRelative(r.logLoss, (-Foundation.log(eps) - Foundation.log(1 - eps)) / 2, 1e-15)
        assertRelative(r.logLoss, 7.9711926360440195, 1e-12)       // the same in numpy float64
        assertRelative(r.logLoss, 7.971192359924316, 1e-7)         // sklearn log_loss on the float32 array
        XCTAssertEqual(r.brier, 0.5)
        XCTAssertEqual(r.rocAUC, 0.5)  // tied scores
    }

    func testAllScoresTiedGiveChanceAUCAndThePositiveRate() {
        let y: [Int32] = [0, 1, 0, 0, 1, 0, 0, 0]
        let p = [Float](repeating: 0.5, count: 16)
        let r = Metrics.report(classIndex: y, probabilities: p, classCount: 2, classLabels: ["0", "1"],
                               positiveClass: 1, threshold: .standard)
        XCTAssertEqual(r.rocAUC, 0.5)
        XCTAssertEqual(r.prAUC, 0.25)
        XCTAssertEqual(r.confusion, [[0, 6], [0, 2]])  // 0.5 ≥ 0.5 is positive
    }
}
