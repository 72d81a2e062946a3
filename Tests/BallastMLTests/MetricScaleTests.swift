import XCTest
@testable import BallastML

/// The radix ranking against a plain comparison sort on full-precision scores, and the cost at the
/// size Ballast runs every epoch (300,000 rows, fraud-like 0.17 % positives).
final class MetricScaleTests: XCTestCase {
    func fraudLike(_ n: Int, seed: UInt64) -> (y: [Int32], p: [Float]) {
        var g = MetricTestData.SplitMix64(state: seed)
        var y = [Int32](repeating: 0, count: n), p = [Float](repeating: 0, count: 2 * n)
        for i in 0..<n {
            let positive = g.next() % 600 == 0
            // Full 24-bit mantissas over many exponents: p = u² (u uniform), positives pushed up.
            var u = Float(g.next() >> 40) / Float(1 << 24)
            if positive { u = (u + 1) / 2 }
            let p1 = u * u
            y[i] = positive ? 1 : 0
            p[2 * i] = 1 - p1
            p[2 * i + 1] = p1
        }
        return (y, p)
    }

    func testRadixRankingMatchesAComparisonSort() {
        let (y, p) = fraudLike(50_000, seed: 5)
        let s = MetricTestData.column(p, 2, 1) + [-0.5, -0.0, 0, 2, -2, .infinity]
        let yy = y + [1, 0, 1, 0, 1, 0]
        let ranked = s.withUnsafeBufferPointer { s in
            yy.withUnsafeBufferPointer { y in
                RankedScores(scores: s, stride: 1, offset: 0, count: y.count, classIndex: y, positiveClass: 1)
            }
        }
        let order = s.indices.sorted { s[$0] > s[$1] }
        var thresholds: [Float] = [], tps: [Int] = [], fps: [Int] = []
        var tp = 0, fp = 0
        for (rank, i) in order.enumerated() {
            if yy[i] == 1 { tp += 1 } else { fp += 1 }
            if rank == order.count - 1 || s[order[rank + 1]] != s[i] {
                thresholds.append(s[i] == 0 ? 0 : s[i])
                tps.append(tp)
                fps.append(fp)
            }
        }
        XCTAssertEqual(ranked.thresholds, thresholds)
        XCTAssertEqual(ranked.truePositives, tps)
        XCTAssertEqual(ranked.falsePositives, fps)
        // Mann–Whitney U, counted pair by pair over a subsample, agrees with the trapezoid AUC.
        let small = 3_000
        let sub = Array(s.prefix(small)), suby = Array(yy.prefix(small))
        var wins = 0.0, pairs = 0.0
        for i in 0..<small where suby[i] == 1 {
            for j in 0..<small where suby[j] == 0 {
                wins += sub[i] > sub[j] ? 1 : (sub[i] == sub[j] ? 0.5 : 0)
                pairs += 1
            }
        }
        let auc = Metrics.report(classIndex: suby, probabilities: sub.flatMap { [1 - $0, $0] }, classCount: 2,
                                 classLabels: ["0", "1"], positiveClass: 1, threshold: .standard).rocAUC
        assertRelative(auc, wins / pairs, 1e-12, "AUC vs Mann–Whitney")
    }

    /// At the scale of a fraud split (300,000 rows), the pieces a training epoch uses agree with each
    /// other. Their speed is measured by `make bench`, not asserted here.
    func testThreeHundredThousandRowsAgree() {
        let (y, p) = fraudLike(300_000, seed: 11)
        let s = MetricTestData.column(p, 2, 1)
        let best = Thresholds.bestF1(classIndex: y, positiveProbability: s, positiveClass: 1)
        let report = Metrics.report(classIndex: y, probabilities: p, classCount: 2, classLabels: ["0", "1"],
                                    positiveClass: 1, threshold: .value(best))
        let tuned = Metrics.report(classIndex: y, probabilities: p, classCount: 2, classLabels: ["0", "1"],
                                   positiveClass: 1, threshold: .bestF1)
        let pr = Curves.downsample(Curves.precisionRecall(classIndex: y, positiveProbability: s, positiveClass: 1), maxPoints: 200)
        let roc = Curves.downsample(Curves.roc(classIndex: y, positiveProbability: s, positiveClass: 1), maxPoints: 200)
        XCTAssertEqual(report.threshold, best)
        XCTAssertEqual(tuned.positive?.f1, report.positive?.f1, "bestF1 in the report is the same search")
        XCTAssertGreaterThan(report.rocAUC, 0.7)
        XCTAssertLessThanOrEqual(pr.count, 200)
        XCTAssertLessThanOrEqual(roc.count, 200)

        let three = MetricTestData.multiclass(n: 300_000)
        let multiclass = Metrics.report(classIndex: three.classIndex, probabilities: three.probabilities, classCount: 3,
                                        classLabels: ["a", "b", "c"], positiveClass: nil, threshold: .standard)
        XCTAssertEqual(multiclass.confusion.joined().reduce(0, +), 300_000)
    }
}
