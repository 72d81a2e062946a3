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
    /// passed back as `.value`. O(n) (radix sort), 4 bytes a row while it runs.
    ///
    /// If there is no positive row (or n = 0), F1 is 0 at every threshold and the answer is 0.5.
    public static func bestF1(classIndex: [Int32], positiveProbability: [Float], positiveClass: Int) -> Double {
        require(classIndex.count == positiveProbability.count,
                "bestF1: \(classIndex.count) classes for \(positiveProbability.count) probabilities")
        let ranked = positiveProbability.withUnsafeBufferPointer { scores in
            classIndex.withUnsafeBufferPointer { classes in
                RankingSummary(scores: scores, stride: 1, offset: 0, count: classes.count,
                               classIndex: classes, positiveClass: Int32(truncatingIfNeeded: positiveClass))
            }
        }
        return ranked.bestF1Threshold
    }

    /// `bestF1(classIndex:positiveProbability:positiveClass:)` of binary probabilities as
    /// `TrainedModel.probabilities` gives them (row-major n × 2), read in place: no column is copied.
    public static func bestF1(classIndex: [Int32], binaryProbabilities probabilities: [Float], positiveClass: Int) -> Double {
        require(probabilities.count == 2 * classIndex.count && (positiveClass == 0 || positiveClass == 1),
                "bestF1: \(probabilities.count) probabilities for \(classIndex.count) rows × 2 classes")
        let ranked = probabilities.withUnsafeBufferPointer { scores in
            classIndex.withUnsafeBufferPointer { classes in
                RankingSummary(scores: scores, stride: 2, offset: positiveClass, count: classes.count,
                               classIndex: classes, positiveClass: Int32(positiveClass))
            }
        }
        return ranked.bestF1Threshold
    }

    static func bestF1(_ ranked: RankedScores) -> Double {
        guard let index = ranked.bestF1Index else { return 0.5 }
        return Double(ranked.thresholds[index])
    }
}
