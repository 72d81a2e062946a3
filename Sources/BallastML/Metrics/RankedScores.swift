/// One score column sorted once (descending) and collapsed to its distinct values: the shared
/// input of the ranking metrics that need every point (ROC/PR curves, the tuning objectives).
///
/// `thresholds[i]` is the i-th largest distinct score; `truePositives[i]` / `falsePositives[i]`
/// count the rows with score ≥ `thresholds[i]` that are / are not positive. This is scikit-learn's
/// `_binary_clf_curve` (`confusion_matrix_at_thresholds`), so ties are handled the same way: rows
/// with equal scores enter together.
///
/// The points come from `ScoreRanking.walk` (4 bytes a row while it runs). They take 20 bytes a
/// distinct score, which is up to 20 bytes a row: reports that need only the AUCs and the best-F1
/// threshold use `RankingSummary`, which keeps no point. `-0.0` is ranked as `+0.0`; NaN scores are
/// not supported (they rank above +∞).
struct RankedScores {
    var thresholds: [Float] = []
    var truePositives: [Int] = []
    var falsePositives: [Int] = []

    var positives: Int { truePositives.last ?? 0 }
    var negatives: Int { falsePositives.last ?? 0 }
    var count: Int { thresholds.count }

    /// Ranks `count` scores read at `scores[offset + i * stride]`; row i is positive when
    /// `classIndex[i] == positiveClass`.
    init(scores: UnsafeBufferPointer<Float>, stride: Int, offset: Int, count n: Int,
         classIndex: UnsafeBufferPointer<Int32>, positiveClass: Int32) {
        guard n > 0 else { return }
        thresholds.reserveCapacity(min(n, 65_536))
        truePositives.reserveCapacity(min(n, 65_536))
        falsePositives.reserveCapacity(min(n, 65_536))
        ScoreRanking.walk(scores: scores, stride: stride, offset: offset, count: n,
                          classIndex: classIndex, positiveClass: positiveClass) { threshold, tp, fp in
            thresholds.append(threshold)
            truePositives.append(tp)
            falsePositives.append(fp)
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

/// Traps with a message, also in `-Ounchecked` builds (where `precondition` is not checked).
@inline(__always)
func require(_ condition: Bool, _ message: @autoclosure () -> String,
             file: StaticString = #fileID, line: UInt = #line) {
    if !condition { fatalError(message(), file: file, line: line) }
}
