/// How a binary report turns P(positive) into a predicted class: positive iff P(positive) ≥ threshold.
///
/// "≥" is the convention of every threshold in Ballast (curves, best-F1, reports), so a threshold
/// taken from a curve point or from `Thresholds.bestF1` reproduces that point exactly. (scikit-learn's
/// `predict` uses "> 0.5"; the two differ only for probabilities exactly 0.5.)
///
/// Multiclass reports always predict the argmax (first class on ties, like `numpy.argmax`) and
/// ignore the threshold.
public enum ThresholdRule: Sendable, Equatable {
    /// 0.5 on P(positive) for binary data; argmax for multiclass data.
    case standard
    /// A fixed threshold on P(positive).
    case value(Double)
    /// The threshold that maximises the positive class's F1. Resolve it on validation data with
    /// `Thresholds.bestF1` and pass `.value`; `Metrics.report` given `.bestF1` uses its own data.
    case bestF1
}

public enum Thresholds {
    /// The threshold on P(positive) that maximises the positive class's F1 on the given data (ties:
    /// the larger threshold). Binary only.
    ///
    /// Candidates are the distinct values of `positiveProbability` (predict positive iff p ≥ t), so
    /// the answer is always one of the given probabilities and reproduces the best F1 exactly when
    /// passed back as `.value`. O(n) (radix sort), no per-row allocation.
    ///
    /// If there is no positive row (or n = 0), F1 is 0 at every threshold and the answer is 0.5.
    public static func bestF1(classIndex: [Int32], positiveProbability: [Float], positiveClass: Int) -> Double {
        require(classIndex.count == positiveProbability.count,
                "bestF1: \(classIndex.count) classes for \(positiveProbability.count) probabilities")
        let ranked = positiveProbability.withUnsafeBufferPointer { scores in
            classIndex.withUnsafeBufferPointer { classes in
                RankedScores(scores: scores, stride: 1, offset: 0, count: classes.count,
                             classIndex: classes, positiveClass: Int32(truncatingIfNeeded: positiveClass))
            }
        }
        return bestF1(ranked)
    }

    static func bestF1(_ ranked: RankedScores) -> Double {
        guard let index = ranked.bestF1Index else { return 0.5 }
        return Double(ranked.thresholds[index])
    }
}
