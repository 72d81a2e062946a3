import XCTest
@testable import BallastML

final class ThresholdTests: XCTestCase {
    /// F1 of the positive class for "positive iff p ≥ t", counted directly.
    func bruteF1(_ y: [Int32], _ s: [Float], _ positive: Int32, _ t: Double) -> Double {
        var tp = 0, fp = 0, fn = 0
        for (c, p) in zip(y, s) {
            let predicted = Double(p) >= t
            if predicted && c == positive { tp += 1 } else if predicted { fp += 1 } else if c == positive { fn += 1 }
        }
        return 2 * tp + fp + fn == 0 ? 0 : Double(2 * tp) / Double(2 * tp + fp + fn)
    }

    /// Every distinct score (and one above all of them) tried; ties keep the larger threshold.
    func bruteBest(_ y: [Int32], _ s: [Float], _ positive: Int32) -> (threshold: Double, f1: Double) {
        var best = (threshold: 2.0, f1: 0.0)
        for t in Set(s).map(Double.init).sorted() {
            let f = bruteF1(y, s, positive, t)
            if f >= best.f1 { best = (t, f) }
        }
        return best
    }

    func testBestF1MatchesScikitLearnBruteForce() {
        let data = MetricTestData.binary()
        let s = MetricTestData.column(data.probabilities, 2, 1)
        let t = Thresholds.bestF1(classIndex: data.classIndex, positiveProbability: s, positiveClass: 1)
        XCTAssertEqual(t, 0.7998046875)  // the script's loop over f1_score at every distinct score
        assertRelative(bruteF1(data.classIndex, s, 1, t), 0.4166666666666667, 1e-15)
        let brute = bruteBest(data.classIndex, s, 1)
        XCTAssertEqual(t, brute.threshold)
    }

    func testBestF1MatchesBruteForceOnManyRandomCases() {
        var g = MetricTestData.SplitMix64(state: 99)
        for trial in 0..<40 {
            let n = 5 + Int(g.next() % 200)
            let levels = 2 + g.next() % 30   // coarse grids force ties
            let y = (0..<n).map { _ in Int32(g.next() % 5 == 0 ? 1 : 0) }
            let s = y.map { c in Float((g.next() % levels) + (c == 1 ? g.next() % 3 : 0)) / Float(levels + 2) }
            let t = Thresholds.bestF1(classIndex: y, positiveProbability: s, positiveClass: 1)
            if !y.contains(1) {
                XCTAssertEqual(t, 0.5, "trial \(trial)")
                continue
            }
            let brute = bruteBest(y, s, 1)
            XCTAssertEqual(t, brute.threshold, "trial \(trial)")
            XCTAssertEqual(bruteF1(y, s, 1, t), brute.f1, "trial \(trial)")
        }
    }

    func testTiesGoToTheLargerThreshold() {
        // t = 0.8 → TP 1, FP 0, FN 1: F1 2/3. t = 0.4 → TP 2, FP 2, FN 0: F1 2/3. Same F1: keep 0.8.
        let y: [Int32] = [1, 1, 0, 0, 0]
        let s: [Float] = [0.8, 0.4, 0.4, 0.4, 0.2]
        XCTAssertEqual(bruteF1(y, s, 1, Double(Float(0.8))), bruteF1(y, s, 1, Double(Float(0.4))))
        XCTAssertEqual(Thresholds.bestF1(classIndex: y, positiveProbability: s, positiveClass: 1), Double(Float(0.8)))
        XCTAssertEqual(Thresholds.bestF1(classIndex: [0, 0], positiveProbability: [0.1, 0.9], positiveClass: 1), 0.5)
        XCTAssertEqual(Thresholds.bestF1(classIndex: [], positiveProbability: [], positiveClass: 1), 0.5)
        // positiveClass 0 reads rows of class 0 as positive.
        XCTAssertEqual(Thresholds.bestF1(classIndex: y.map { 1 - $0 }, positiveProbability: s, positiveClass: 0), Double(Float(0.8)))
    }
}
