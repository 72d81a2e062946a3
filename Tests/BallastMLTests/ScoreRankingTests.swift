import XCTest
@testable import BallastML

/// The in-place ranking (`ScoreRanking`, `RankingSummary`, `RankedScores`) against the two-buffer
/// radix ranking it replaced (kept here verbatim as `LegacyRanking`) and a plain comparison sort:
/// every point, AUC, AP and best-F1 threshold equal bit for bit, on ties, −0.0, one class, many
/// duplicates, infinities and sizes on both sides of the insertion-sort cut.
final class ScoreRankingTests: XCTestCase {
    struct Case {
        var name: String
        var scores: [Float]
        var classes: [Int32]
    }

    static func cases() -> [Case] {
        var g = MetricTestData.SplitMix64(state: 15)
        func uniform() -> Float { Float(g.next() >> 40) / Float(1 << 24) }
        var cases: [Case] = []
        func add(_ name: String, _ n: Int, positiveOneIn: UInt64, _ score: () -> Float) {
            var s: [Float] = [], y: [Int32] = []
            for _ in 0..<n {
                s.append(score())
                y.append(positiveOneIn == 0 ? 0 : positiveOneIn == 1 ? 1 : (g.next() % positiveOneIn == 0 ? 1 : 0))
            }
            cases.append(Case(name: name, scores: s, classes: y))
        }
        add("empty", 0, positiveOneIn: 3) { 0 }
        add("one row", 1, positiveOneIn: 1) { 0.3 }
        for n in [2, 31, 32, 33, 200, 5_000, 120_000] {
            add("full floats \(n)", n, positiveOneIn: 7) { let u = uniform(); return u * u }
            add("ties \(n)", n, positiveOneIn: 5) { Float(Int(uniform() * 10)) / 10 }
        }
        add("three values", 50_000, positiveOneIn: 4) { [0.25, 0.5, 0.75][Int(g.next() % 3)] }
        add("one value", 10_000, positiveOneIn: 9) { 0.125 }
        add("signed zeros", 3_000, positiveOneIn: 2) { g.next() % 2 == 0 ? -0.0 : 0.0 }
        add("zeros among values", 40_000, positiveOneIn: 3) { [Float(-0.0), 0, 0.5, -0.5, 1e-30, -1e-30][Int(g.next() % 6)] }
        add("signed and infinite", 60_000, positiveOneIn: 11) {
            switch g.next() % 20 {
            case 0: .infinity
            case 1: -.infinity
            case 2: -0.0
            default: (uniform() - 0.5) * Float(1 << Int(g.next() % 40))
            }
        }
        add("only positives", 20_000, positiveOneIn: 1) { uniform() }
        add("only negatives", 20_000, positiveOneIn: 0) { uniform() }
        add("rare positives", 100_000, positiveOneIn: 600) { let u = uniform(); return u * u * u }
        add("subnormals", 5_000, positiveOneIn: 3) { Float(bitPattern: UInt32(g.next() % 64)) }
        return cases
    }

    /// What sklearn's `_binary_clf_curve` gives, from a comparison sort.
    static func reference(_ s: [Float], _ y: [Int32]) -> (thresholds: [Float], tps: [Int], fps: [Int]) {
        let order = s.indices.sorted { s[$0] > s[$1] }
        var thresholds: [Float] = [], tps: [Int] = [], fps: [Int] = []
        var tp = 0, fp = 0
        for (rank, i) in order.enumerated() {
            if y[i] == 1 { tp += 1 } else { fp += 1 }
            if rank == order.count - 1 || s[order[rank + 1]] != s[i] {
                thresholds.append(s[i] == 0 ? 0 : s[i])
                tps.append(tp)
                fps.append(fp)
            }
        }
        return (thresholds, tps, fps)
    }

    func testEveryPointEqualsTheOldRankingAndAComparisonSort() {
        for c in Self.cases() {
            let (new, old) = c.scores.withUnsafeBufferPointer { s in
                c.classes.withUnsafeBufferPointer { y in
                    (RankedScores(scores: s, stride: 1, offset: 0, count: y.count, classIndex: y, positiveClass: 1),
                     LegacyRanking(scores: s, stride: 1, offset: 0, count: y.count, classIndex: y, positiveClass: 1))
                }
            }
            XCTAssertEqual(new.thresholds.map(\.bitPattern), old.thresholds.map(\.bitPattern), c.name)
            XCTAssertEqual(new.truePositives, old.truePositives, c.name)
            XCTAssertEqual(new.falsePositives, old.falsePositives, c.name)
            let want = Self.reference(c.scores, c.classes)
            XCTAssertEqual(new.thresholds.map(\.bitPattern), want.thresholds.map(\.bitPattern), c.name)
            XCTAssertEqual(new.truePositives, want.tps, c.name)
            XCTAssertEqual(new.falsePositives, want.fps, c.name)
            XCTAssertEqual(new.rocAUC?.bitPattern, old.rocAUC?.bitPattern, c.name)
            XCTAssertEqual(new.averagePrecision?.bitPattern, old.averagePrecision?.bitPattern, c.name)
        }
    }

    func testTheSummaryEqualsTheOldRankingsMetricsBitForBit() {
        for c in Self.cases() {
            for positive in [Int32(0), 1] {
                let (summary, old) = c.scores.withUnsafeBufferPointer { s in
                    c.classes.withUnsafeBufferPointer { y in
                        (RankingSummary(scores: s, stride: 1, offset: 0, count: y.count, classIndex: y, positiveClass: positive),
                         LegacyRanking(scores: s, stride: 1, offset: 0, count: y.count, classIndex: y, positiveClass: positive))
                    }
                }
                let what = "\(c.name), positive \(positive)"
                XCTAssertEqual(summary.positives, old.positives, what)
                XCTAssertEqual(summary.negatives, old.negatives, what)
                XCTAssertEqual(summary.rocAUC?.bitPattern, old.rocAUC?.bitPattern, what)
                XCTAssertEqual(summary.averagePrecision?.bitPattern, old.averagePrecision?.bitPattern, what)
                let oldBest = old.bestF1Index.map { Double(old.thresholds[$0]) } ?? 0.5
                XCTAssertEqual(summary.bestF1Threshold.bitPattern, oldBest.bitPattern, what)
            }
        }
    }

    /// A column read with a stride (the positive column of n × 2 probabilities) ranks as the copied column.
    func testAStridedColumnRanksAsTheCopiedColumn() {
        for c in Self.cases() where c.scores.count > 0 {
            let interleaved = c.scores.flatMap { [1 - $0, $0] }
            let strided = interleaved.withUnsafeBufferPointer { s in
                c.classes.withUnsafeBufferPointer { y in
                    RankedScores(scores: s, stride: 2, offset: 1, count: y.count, classIndex: y, positiveClass: 1)
                }
            }
            let copied = LegacyRanking(c.scores, c.classes)
            XCTAssertEqual(strided.thresholds.map(\.bitPattern), copied.thresholds.map(\.bitPattern), c.name)
            XCTAssertEqual(strided.truePositives, copied.truePositives, c.name)
            XCTAssertEqual(Thresholds.bestF1(classIndex: c.classes, binaryProbabilities: interleaved, positiveClass: 1).bitPattern,
                           (copied.bestF1Index.map { Double(copied.thresholds[$0]) } ?? 0.5).bitPattern, c.name)
        }
    }

    /// The calibration summary, made a row at a time, equals correcting the whole array first.
    func testTheCalibrationSummaryEqualsCorrectingTheWholeArray() {
        var g = MetricTestData.SplitMix64(state: 3)
        for k in [2, 3] {
            let n = 5_000
            var y: [Int32] = [], p: [Float] = []
            for i in 0..<n {
                y.append(Int32(g.next() % UInt64(k)))
                var row = (0..<k).map { _ in Float(g.next() >> 40) / Float(1 << 24) }
                if i % 97 == 0 { row = [Float](repeating: 0, count: k) }
                let total = row.reduce(0, +)
                p += row.map { total > 0 ? $0 / total : 0 }
            }
            let weights = k == 2 ? [0.5, 38.0] : [1.0, 2.5, 7.0]
            let summary = Calibration.summary(classIndex: y, probabilities: p, classCount: k, classWeights: weights)
            let after = PriorCorrection.corrected(probabilities: p, classCount: k, classWeights: weights)
            let before = Calibration.losses(y, p, k), corrected = Calibration.losses(y, after, k)
            XCTAssertEqual(summary.brierBefore.bitPattern, before.brier.bitPattern)
            XCTAssertEqual(summary.logLossBefore.bitPattern, before.logLoss.bitPattern)
            XCTAssertEqual(summary.brierAfter.bitPattern, corrected.brier.bitPattern, "k = \(k)")
            XCTAssertEqual(summary.logLossAfter.bitPattern, corrected.logLoss.bitPattern, "k = \(k)")
        }
    }
}

/// The ranking as it was before it was made in place: LSD radix sort of 64-bit keys (score bits,
/// class bit) through two n-sized buffers, every point kept. The reference the new one must equal.
struct LegacyRanking {
    var thresholds: [Float] = []
    var truePositives: [Int] = []
    var falsePositives: [Int] = []

    var positives: Int { truePositives.last ?? 0 }
    var negatives: Int { falsePositives.last ?? 0 }
    var count: Int { thresholds.count }

    init(_ scores: [Float], _ classes: [Int32]) {
        self = scores.withUnsafeBufferPointer { s in
            classes.withUnsafeBufferPointer { y in
                LegacyRanking(scores: s, stride: 1, offset: 0, count: y.count, classIndex: y, positiveClass: 1)
            }
        }
    }

    init(scores: UnsafeBufferPointer<Float>, stride: Int, offset: Int, count n: Int,
         classIndex: UnsafeBufferPointer<Int32>, positiveClass: Int32) {
        guard n > 0 else { return }
        let keys = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: n)
        let spare = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: n)
        let histogram = UnsafeMutableBufferPointer<Int>.allocate(capacity: 3 * 2048)
        defer { keys.deallocate(); spare.deallocate(); histogram.deallocate() }
        histogram.initialize(repeating: 0)
        var index = offset
        for i in 0..<n {
            var score = scores[index]
            index += stride
            if score == 0 { score = 0 }  // -0.0 → +0.0
            let bits = score.bitPattern
            let sortable = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
            let key = UInt64(sortable) << 32 | (classIndex[i] == positiveClass ? 1 : 0)
            keys[i] = key
            histogram[Int(truncatingIfNeeded: (key >> 32) & 0x7FF)] += 1
            histogram[2048 + Int(truncatingIfNeeded: (key >> 43) & 0x7FF)] += 1
            histogram[4096 + Int(truncatingIfNeeded: key >> 54)] += 1
        }
        var source = keys, target = spare
        for pass in 0..<3 {
            let base = pass * 2048
            let shift = UInt64(32 + 11 * pass)
            // A pass where every key has the same digit would leave the order unchanged.
            var skip = false
            for digit in 0..<2048 where histogram[base + digit] != 0 {
                skip = histogram[base + digit] == n
                break
            }
            if skip { continue }
            var start = 0
            for digit in 0..<2048 {
                let c = histogram[base + digit]
                histogram[base + digit] = start
                start += c
            }
            for key in source {
                let digit = base + Int(truncatingIfNeeded: (key >> shift) & 0x7FF)
                target[histogram[digit]] = key
                histogram[digit] += 1
            }
            swap(&source, &target)
        }
        let sorted = source
        thresholds.reserveCapacity(min(n, 65_536))
        truePositives.reserveCapacity(min(n, 65_536))
        falsePositives.reserveCapacity(min(n, 65_536))
        var i = n - 1
        var tp = 0
        while i >= 0 {
            let value = sorted[i] >> 32
            repeat {
                tp += Int(truncatingIfNeeded: sorted[i] & 1)
                i -= 1
            } while i >= 0 && sorted[i] >> 32 == value
            let bits = UInt32(truncatingIfNeeded: value)
            let original = bits & 0x8000_0000 != 0 ? bits & 0x7FFF_FFFF : ~bits
            thresholds.append(Float(bitPattern: original))
            truePositives.append(tp)
            falsePositives.append(n - 1 - i - tp)
        }
    }

    /// Area under the ROC curve by the trapezoidal rule over every distinct threshold, summed
    /// exactly in integers (scikit-learn's `roc_auc_score`, which also uses the trapezoid).
    /// `nil` when the truth has only one class (undefined; callers apply their convention).
    var rocAUC: Double? {
        let p = positives, q = negatives
        guard p > 0, q > 0 else { return nil }
        var twiceArea = 0
        var previousTP = 0, previousFP = 0
        truePositives.withUnsafeBufferPointer { tps in
            falsePositives.withUnsafeBufferPointer { fps in
                for i in 0..<tps.count {
                    twiceArea += (fps[i] - previousFP) * (tps[i] + previousTP)
                    previousTP = tps[i]
                    previousFP = fps[i]
                }
            }
        }
        return Double(twiceArea) / (2 * Double(p) * Double(q))
    }

    /// Non-interpolated average precision, Σ (Rᵢ − Rᵢ₋₁) Pᵢ over distinct thresholds from the
    /// highest down (scikit-learn's `average_precision_score`). `nil` when there is no positive.
    var averagePrecision: Double? {
        let p = positives
        guard p > 0 else { return nil }
        var sum = 0.0
        var previousTP = 0
        truePositives.withUnsafeBufferPointer { tps in
            falsePositives.withUnsafeBufferPointer { fps in
                for i in 0..<tps.count where tps[i] != previousTP {
                    sum += Double(tps[i] - previousTP) * (Double(tps[i]) / Double(tps[i] + fps[i]))
                    previousTP = tps[i]
                }
            }
        }
        return sum / Double(p)
    }

    /// Index of the distinct threshold with the largest F1 = 2·TP / (TP + FP + P) for "positive iff
    /// score ≥ threshold"; ties go to the larger threshold (the earlier index). Compared exactly
    /// by cross-multiplication. `nil` when there is no positive (F1 is 0 everywhere).
    var bestF1Index: Int? {
        let p = positives
        guard p > 0 else { return nil }
        var best = 0
        var bestNumerator = 0, bestDenominator = 1
        for i in 0..<count {
            let numerator = truePositives[i]
            let denominator = truePositives[i] + falsePositives[i] + p
            if numerator * bestDenominator > bestNumerator * denominator {
                best = i
                bestNumerator = numerator
                bestDenominator = denominator
            }
        }
        return best
    }
}
