import XCTest
@testable import BallastML

/// Reference losses after correction: Reference/metrics_reference.py (numpy p/w renormalised in float64,
/// rounded to float32, then sklearn's Brier and float64 log loss with the float32 clip).
final class CalibrationTests: XCTestCase {
    func testUnitOrConstantWeightsChangeNothing() {
        let data = MetricTestData.binary()
        XCTAssertEqual(PriorCorrection.corrected(probabilities: data.probabilities, classCount: 2, classWeights: [1, 1]),
                       data.probabilities)
        let three = MetricTestData.multiclass()
        let corrected = PriorCorrection.corrected(probabilities: three.probabilities, classCount: 3, classWeights: [4, 4, 4])
        for (a, b) in zip(corrected, three.probabilities) { XCTAssertEqual(a, b, accuracy: 1e-7) }
        let s = Calibration.summary(classIndex: data.classIndex, probabilities: data.probabilities, classCount: 2,
                                    classWeights: [1, 1])
        XCTAssertEqual(s.brierBefore, s.brierAfter)
        XCTAssertEqual(s.logLossBefore, s.logLossAfter)
    }

    func testCorrectionUndoesAKnownLogitShift() {
        // p̃ = σ(logit p + log(w₁/w₀)) is what weighted training would produce; correcting must give p back.
        let w0 = 0.5, w1 = 25.0
        let originals: [Double] = [0.001, 0.02, 0.1, 0.5, 0.73, 0.999]
        var shifted: [Float] = []
        for p in originals {
            let z = Foundation.log(p / (1 - p)) + Foundation.log(w1 / w0)
            let q = 1 / (1 + Foundation.exp(-z))
            shifted += [Float(1 - q), Float(q)]
        }
        let corrected = PriorCorrection.corrected(probabilities: shifted, classCount: 2, classWeights: [w0, w1])
        for (i, p) in originals.enumerated() {
            XCTAssertEqual(Double(corrected[2 * i + 1]), p, accuracy: p * 1e-5, "row \(i)")
            XCTAssertEqual(Double(corrected[2 * i]) + Double(corrected[2 * i + 1]), 1, accuracy: 1e-6)
        }
        // Multiclass: p̃ₖ ∝ wₖ pₖ, corrected back.
        let weights = [0.6, 1.2, 3.0]
        let p: [Double] = [0.7, 0.2, 0.1, 0.05, 0.05, 0.9]
        var tilted: [Float] = []
        for row in 0..<2 {
            let q = (0..<3).map { weights[$0] * p[row * 3 + $0] }
            tilted += q.map { Float($0 / q.reduce(0, +)) }
        }
        let back = PriorCorrection.corrected(probabilities: tilted, classCount: 3, classWeights: weights)
        for (a, b) in zip(back, p) { XCTAssertEqual(Double(a), b, accuracy: 1e-6) }
    }

    func testCorrectedValuesAndLossesMatchTheReference() {
        let data = MetricTestData.binary()
        let corrected = PriorCorrection.corrected(probabilities: data.probabilities, classCount: 2, classWeights: [0.5, 25])
        XCTAssertEqual(Array(MetricTestData.column(corrected, 2, 1).prefix(5)),
                       [0.0015554714482277632, 0.0018768127774819732, 0.013881140388548374, 0.01586419902741909, 0.009295846335589886])
        let s = Calibration.summary(classIndex: data.classIndex, probabilities: data.probabilities, classCount: 2,
                                    classWeights: [0.5, 25])
        assertRelative(s.brierBefore, 0.19398356151580812, 1e-12)
        assertRelative(s.logLossBefore, 0.5931822107210594, 1e-12)
        assertRelative(s.brierAfter, 0.01703834738153028, 1e-12)
        assertRelative(s.logLossAfter, 0.11466091828439386, 1e-12)

        let three = MetricTestData.multiclass()
        let m = Calibration.summary(classIndex: three.classIndex, probabilities: three.probabilities, classCount: 3,
                                    classWeights: [0.6, 1.2, 3])
        assertRelative(m.brierBefore, 0.5064493211584927, 1e-12)
        assertRelative(m.logLossBefore, 0.8769611027587111, 1e-12)
        assertRelative(m.brierAfter, 0.3977773366988837, 1e-12)
        assertRelative(m.logLossAfter, 0.6991524557790272, 1e-12)
    }

    func testSummaryAgreesWithTheReport() {
        let three = MetricTestData.multiclass()
        let s = Calibration.summary(classIndex: three.classIndex, probabilities: three.probabilities, classCount: 3,
                                    classWeights: [1, 2, 3])
        let r = Metrics.report(classIndex: three.classIndex, probabilities: three.probabilities, classCount: 3,
                               classLabels: ["a", "b", "c"], positiveClass: nil, threshold: .standard)
        XCTAssertEqual(s.brierBefore, r.brier)
        XCTAssertEqual(s.logLossBefore, r.logLoss)
    }

    func testZeroRowsAreLeftAlone() {
        XCTAssertEqual(PriorCorrection.corrected(probabilities: [0, 0, 1, 0], classCount: 2, classWeights: [1, 3]), [0, 0, 1, 0])
        XCTAssertEqual(PriorCorrection.corrected(probabilities: [], classCount: 3, classWeights: [1, 2, 3]), [])
    }
}
