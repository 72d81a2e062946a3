import XCTest
@testable import BallastML

/// Curve points from Reference/metrics_reference.py: scikit-learn 1.9.1 precision_recall_curve and
/// roc_curve(drop_intermediate=False) on a 10-row case with tied scores.
final class CurveTests: XCTestCase {
    let y: [Int32] = [0, 1, 0, 1, 1, 0, 0, 1, 0, 0]
    let scores: [Float] = [0.125, 0.5, 0.375, 0.875, 0.5, 0.125, 0.875, 0.375, 0.25, 0.5]

    func testPrecisionRecallCurveWithTies() {
        let curve = Curves.precisionRecall(classIndex: y, positiveProbability: scores, positiveClass: 1)
        assertRelative(curve.map(\.y), [0.4, 0.5, 0.5714285714285714, 0.6, 0.5, 1.0], 1e-15, "precision")
        assertRelative(curve.map(\.x), [1.0, 1.0, 1.0, 0.75, 0.25, 0.0], 1e-15, "recall")
        XCTAssertEqual(curve.map(\.threshold), [0.125, 0.25, 0.375, 0.5, 0.875, .infinity])
    }

    func testROCCurveWithTies() {
        let curve = Curves.roc(classIndex: y, positiveProbability: scores, positiveClass: 1)
        assertRelative(curve.map(\.x), [0.0, 0.16666666666666666, 0.3333333333333333, 0.5, 0.6666666666666666, 1.0], 1e-15, "fpr")
        assertRelative(curve.map(\.y), [0.0, 0.25, 0.75, 1.0, 1.0, 1.0], 1e-15, "tpr")
        XCTAssertEqual(curve.map(\.threshold), [.infinity, 0.875, 0.5, 0.375, 0.25, 0.125])
    }

    func testAreasOfTheSmallCaseMatchScikitLearn() {
        let p = scores.flatMap { [1 - $0, $0] }
        let r = Metrics.report(classIndex: y, probabilities: p, classCount: 2, classLabels: ["0", "1"],
                               positiveClass: 1, threshold: .standard)
        assertRelative(r.prAUC, 0.5678571428571428, 1e-15, "AP")
        assertRelative(r.rocAUC, 0.75, 1e-15, "ROC AUC")
        // The same areas from the curves themselves.
        let roc = Curves.roc(classIndex: y, positiveProbability: scores, positiveClass: 1)
        let trapezoid = zip(roc, roc.dropFirst()).reduce(0.0) { $0 + ($1.1.x - $1.0.x) * ($1.1.y + $1.0.y) / 2 }
        assertRelative(trapezoid, 0.75, 1e-15)
        let pr = Curves.precisionRecall(classIndex: y, positiveProbability: scores, positiveClass: 1)
        let step = zip(pr, pr.dropFirst()).reduce(0.0) { $0 + ($1.0.x - $1.1.x) * $1.0.y }
        assertRelative(step, 0.5678571428571428, 1e-15)
    }

    func testPositiveClassSelectsTheRows() {
        // Class 0 as positive with P(0) as the score mirrors the ROC curve.
        let flipped = y.map { 1 - $0 }
        let a = Curves.roc(classIndex: y, positiveProbability: scores, positiveClass: 1)
        let b = Curves.roc(classIndex: flipped, positiveProbability: scores, positiveClass: 0)
        XCTAssertEqual(a, b)
    }

    func testOneClassCurvesHaveNoNaN() {
        let none: [Int32] = [0, 0, 0]
        let s: [Float] = [0.2, 0.9, 0.2]
        let roc = Curves.roc(classIndex: none, positiveProbability: s, positiveClass: 1)
        XCTAssertEqual(roc.map(\.x), [0, 1.0 / 3, 1])
        XCTAssertEqual(roc.map(\.y), roc.map(\.x))  // diagonal, AUC 0.5
        let pr = Curves.precisionRecall(classIndex: none, positiveProbability: s, positiveClass: 1)
        XCTAssertEqual(pr.map(\.x), [1, 1, 0])      // sklearn: recall set to 1
        XCTAssertEqual(pr.map(\.y), [0, 0, 1])
        let all = Curves.roc(classIndex: [1, 1], positiveProbability: [0.3, 0.6], positiveClass: 1)
        XCTAssertEqual(all.map(\.x), [0, 0.5, 1])
        XCTAssertEqual(all.map(\.y), [0, 0.5, 1])
        XCTAssertEqual(Curves.precisionRecall(classIndex: [], positiveProbability: [], positiveClass: 1),
                       [CurvePoint(x: 0, y: 1, threshold: .infinity)])
        XCTAssertEqual(Curves.roc(classIndex: [], positiveProbability: [], positiveClass: 1),
                       [CurvePoint(x: 0, y: 0, threshold: .infinity)])
    }

    func testNegativeZeroTiesWithZero() {
        let curve = Curves.roc(classIndex: [0, 1], positiveProbability: [-0.0, 0.0], positiveClass: 1)
        XCTAssertEqual(curve.count, 2)
        XCTAssertEqual(curve.last?.x, 1)
        XCTAssertEqual(curve.last?.y, 1)
    }

    func testCurvesOnTheLargerCaseAreMonotoneAndEndRight() {
        let data = MetricTestData.binary()
        let s = MetricTestData.column(data.probabilities, 2, 1)
        let roc = Curves.roc(classIndex: data.classIndex, positiveProbability: s, positiveClass: 1)
        XCTAssertEqual(roc.count, Set(s).count + 1)
        XCTAssertEqual(roc.last?.x, 1)
        XCTAssertEqual(roc.last?.y, 1)
        for (a, b) in zip(roc, roc.dropFirst()) {
            XCTAssertLessThanOrEqual(a.x, b.x)
            XCTAssertLessThanOrEqual(a.y, b.y)
            XCTAssertGreaterThan(a.threshold, b.threshold)
        }
        let pr = Curves.precisionRecall(classIndex: data.classIndex, positiveProbability: s, positiveClass: 1)
        XCTAssertEqual(pr.first?.x, 1)
        assertRelative(pr.first?.y ?? 0, 19.0 / 1000, 1e-15)  // lowest threshold: everything is positive
        for (a, b) in zip(pr, pr.dropFirst()) { XCTAssertGreaterThanOrEqual(a.x, b.x) }
    }

    func testDownsampleKeepsEndpointsAndTheBudget() {
        let data = MetricTestData.binary()
        let s = MetricTestData.column(data.probabilities, 2, 1)
        for curve in [Curves.roc(classIndex: data.classIndex, positiveProbability: s, positiveClass: 1),
                      Curves.precisionRecall(classIndex: data.classIndex, positiveProbability: s, positiveClass: 1)] {
            XCTAssertGreaterThan(curve.count, 500)
            for maxPoints in [2, 3, 10, 50, 200] {
                let thin = Curves.downsample(curve, maxPoints: maxPoints)
                XCTAssertLessThanOrEqual(thin.count, maxPoints)
                XCTAssertGreaterThanOrEqual(thin.count, min(maxPoints, 2))
                XCTAssertEqual(thin.first, curve.first)
                XCTAssertEqual(thin.last, curve.last)
                // Picked in order, never invented.
                var position = curve.startIndex
                for point in thin {
                    let found = curve[position...].firstIndex(of: point)
                    XCTAssertNotNil(found)
                    position = (found ?? curve.endIndex - 1) + 1
                    if position > curve.endIndex { break }
                }
            }
            // The thinned ROC still has (nearly) the full area.
            if curve.first?.threshold == .infinity {
                let area = { (c: [CurvePoint]) in zip(c, c.dropFirst()).reduce(0.0) { $0 + ($1.1.x - $1.0.x) * ($1.1.y + $1.0.y) / 2 } }
                XCTAssertEqual(area(Curves.downsample(curve, maxPoints: 100)), area(curve), accuracy: 0.01)
            }
            // A budget of 100 is mostly used (points spread, not bunched).
            XCTAssertGreaterThan(Curves.downsample(curve, maxPoints: 100).count, 60)
        }
        XCTAssertEqual(Curves.downsample([], maxPoints: 5), [])
        let three = [CurvePoint(x: 0, y: 0, threshold: 1), CurvePoint(x: 0.5, y: 0.5, threshold: 0.5), CurvePoint(x: 1, y: 1, threshold: 0)]
        XCTAssertEqual(Curves.downsample(three, maxPoints: 3), three)
        XCTAssertEqual(Curves.downsample(three, maxPoints: 2), [three[0], three[2]])
        XCTAssertEqual(Curves.downsample(three, maxPoints: 1), [three[0]])
        XCTAssertEqual(Curves.downsample(three, maxPoints: 0), [])
        let still = Array(repeating: CurvePoint(x: 1, y: 1, threshold: 0), count: 10)
        XCTAssertEqual(Curves.downsample(still, maxPoints: 4).count, 2)
    }
}
