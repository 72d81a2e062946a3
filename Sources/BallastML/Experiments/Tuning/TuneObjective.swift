/// What a tune optimises: a binary objective on P(positive) at a threshold, or a K-class one.
public enum TuneObjective: Sendable, Equatable {
    case f1
    case fBeta(Double)
    case recallAtPrecision(Double)
    case precisionAtRecall(Double)
    case balancedAccuracy
    case mcc
    case cost(falsePositive: Double, falseNegative: Double)
    case costMatrix([[Double]])

    /// false for the two costs.
    public var higherIsBetter: Bool {
        switch self {
        case .cost, .costMatrix: return false
        default: return true
        }
    }

    /// "F1", "F2", "recall at precision ≥ 0.9", "expected cost", …
    public var name: String { "" }

    /// Checks parameters and applicability to K classes (InvalidArgument field .objective).
    public func validate(classCount: Int) throws(InvalidArgument) {}

    /// Binary value at a confusion (TP, FP with P positives, N negatives). A 2×2 cost matrix is read
    /// with `positiveClass` as the positive class index.
    public func value(truePositives: Int, falsePositives: Int, positives: Int, negatives: Int, positiveClass: Int = 1) -> Double {
        0
    }

    /// Multiclass (or any K) value of a confusion matrix counts[truth][predicted].
    public func value(confusion: [[Int]]) -> Double { 0 }

    /// Is `a` better than `b` in this objective's direction (strictly)?
    public func isBetter(_ a: Double, than b: Double) -> Bool {
        higherIsBetter ? a > b : a < b
    }
}
