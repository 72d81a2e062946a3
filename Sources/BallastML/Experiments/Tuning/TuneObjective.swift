/// What a tune optimises: a binary objective on P(positive) at a threshold, or a K-class one.
///
/// Binary values come from the confusion at a threshold (TP, FP, P positives, N negatives) with
/// scikit-learn's `zero_division = 0` conventions: an undefined precision, recall, F-score or MCC
/// counts as 0. Balanced accuracy averages the recall of the classes present in the truth.
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
    public var name: String {
        switch self {
        case .f1: return "F1"
        case .fBeta(let beta): return "F\(shortest(beta))"
        case .recallAtPrecision(let p): return "recall at precision ≥ \(shortest(p))"
        case .precisionAtRecall(let r): return "precision at recall ≥ \(shortest(r))"
        case .balancedAccuracy: return "balanced accuracy"
        case .mcc: return "MCC"
        case .cost, .costMatrix: return "expected cost"
        }
    }

    /// Can it only be scored at a threshold on P(positive) (binary data)?
    var isBinaryOnly: Bool {
        switch self {
        case .fBeta, .recallAtPrecision, .precisionAtRecall, .cost: return true
        default: return false
        }
    }

    /// Checks parameters and applicability to K classes (InvalidArgument field .objective).
    public func validate(classCount: Int) throws(InvalidArgument) {
        if classCount < 2 {
            throw InvalidArgument(field: .objective, message: "An objective needs at least 2 classes, got \(classCount).")
        }
        switch self {
        case .f1, .balancedAccuracy, .mcc: break
        case .fBeta(let beta):
            if !(beta > 0 && beta.isFinite) {
                throw InvalidArgument(field: .objective, message: "The β of an F-score must be a finite number above 0, got \(beta).")
            }
        case .recallAtPrecision(let p):
            if !(p > 0 && p <= 1) {
                throw InvalidArgument(field: .objective, message: "The minimum precision must be above 0 and at most 1, got \(p).")
            }
        case .precisionAtRecall(let r):
            if !(r > 0 && r <= 1) {
                throw InvalidArgument(field: .objective, message: "The minimum recall must be above 0 and at most 1, got \(r).")
            }
        case .cost(let fp, let fn):
            if !(fp >= 0 && fp.isFinite && fn >= 0 && fn.isFinite) {
                throw InvalidArgument(field: .objective, message: "The costs of a false positive and a false negative must be finite and at least 0, got \(fp) and \(fn).")
            }
            if fp == 0 && fn == 0 {
                throw InvalidArgument(field: .objective, message: "The costs of a false positive and a false negative are both 0: every threshold would cost nothing.")
            }
        case .costMatrix(let matrix):
            if matrix.count != classCount || matrix.contains(where: { $0.count != classCount }) {
                throw InvalidArgument(field: .objective, message: "The cost matrix must be \(classCount) × \(classCount), one row and one column per class (truth by row, prediction by column).")
            }
            if matrix.joined().contains(where: { !($0 >= 0 && $0.isFinite) }) {
                throw InvalidArgument(field: .objective, message: "Every cost in the cost matrix must be finite and at least 0.")
            }
            if matrix.joined().allSatisfy({ $0 == 0 }) {
                throw InvalidArgument(field: .objective, message: "The cost matrix is all zeros: every prediction would cost nothing.")
            }
        }
        if classCount > 2 && isBinaryOnly {
            throw InvalidArgument(field: .objective, message: "\(name) is scored at a threshold on the positive class's probability, so it needs binary data; with \(classCount) classes use f1 (macro), balanced_accuracy, mcc or a \(classCount) × \(classCount) cost matrix.")
        }
    }

    /// Binary value at a confusion (TP, FP with P positives, N negatives). A 2×2 cost matrix is read
    /// with `positiveClass` as the positive class index.
    public func value(truePositives tp: Int, falsePositives fp: Int, positives: Int, negatives: Int, positiveClass: Int = 1) -> Double {
        let fn = positives - tp, tn = negatives - fp
        let tpD = Double(tp), fpD = Double(fp), p = Double(positives), n = Double(negatives)
        switch self {
        case .f1:
            return ratio(2 * tpD, tpD + fpD + p)
        case .fBeta(let beta):
            let b2 = beta * beta
            return ratio((1 + b2) * tpD, (1 + b2) * tpD + b2 * Double(fn) + fpD)
        case .recallAtPrecision(let minimum):
            let precision = ratio(tpD, tpD + fpD)
            return precision >= minimum ? ratio(tpD, p) : precision - minimum
        case .precisionAtRecall(let minimum):
            let recall = ratio(tpD, p)
            return recall >= minimum ? ratio(tpD, tpD + fpD) : recall - minimum
        case .balancedAccuracy:
            let present = (positives > 0 ? 1.0 : 0) + (negatives > 0 ? 1.0 : 0)
            return ratio(ratio(tpD, p) + ratio(Double(tn), n), present)
        case .mcc:
            let denominator = ((tpD + fpD) * p * n * (Double(tn) + Double(fn))).squareRoot()
            return ratio(tpD * Double(tn) - fpD * Double(fn), denominator)
        case .cost(let costFP, let costFN):
            return ratio(costFP * fpD + costFN * Double(fn), p + n)
        case .costMatrix(let c):
            let pos = positiveClass, neg = 1 - positiveClass
            let total = c[neg][neg] * Double(tn) + c[neg][pos] * fpD + c[pos][neg] * Double(fn) + c[pos][pos] * tpD
            return ratio(total, p + n)
        }
    }

    /// Multiclass (or any K) value of a confusion matrix counts[truth][predicted].
    ///
    /// K > 2: F1 is the macro F1 over the classes in the truth or the predictions, balanced accuracy
    /// the mean recall of the classes in the truth, MCC the K-class MCC (all as scikit-learn's). For
    /// K = 2 it is the binary value with class `positiveClass` positive.
    public func value(confusion: [[Int]], positiveClass: Int = 1) -> Double {
        let k = confusion.count
        if k == 2 {
            let pos = positiveClass, neg = 1 - positiveClass
            return value(truePositives: confusion[pos][pos], falsePositives: confusion[neg][pos],
                         positives: confusion[pos][pos] + confusion[pos][neg],
                         negatives: confusion[neg][neg] + confusion[neg][pos], positiveClass: positiveClass)
        }
        var truth = [Int](repeating: 0, count: k), predicted = [Int](repeating: 0, count: k)
        var correct = 0, total = 0
        for i in 0..<k {
            for j in 0..<k {
                truth[i] += confusion[i][j]
                predicted[j] += confusion[i][j]
            }
            correct += confusion[i][i]
        }
        total = truth.reduce(0, +)
        switch self {
        case .f1:
            var sum = 0.0, classes = 0.0
            for c in 0..<k where truth[c] + predicted[c] > 0 {
                sum += ratio(2 * Double(confusion[c][c]), Double(truth[c] + predicted[c]))
                classes += 1
            }
            return ratio(sum, classes)
        case .balancedAccuracy:
            var sum = 0.0, classes = 0.0
            for c in 0..<k where truth[c] > 0 {
                sum += Double(confusion[c][c]) / Double(truth[c])
                classes += 1
            }
            return ratio(sum, classes)
        case .mcc:
            let s = Double(total), c = Double(correct)
            var pt = 0.0, pp = 0.0, tt = 0.0
            for j in 0..<k {
                pt += Double(predicted[j]) * Double(truth[j])
                pp += Double(predicted[j]) * Double(predicted[j])
                tt += Double(truth[j]) * Double(truth[j])
            }
            return ratio(c * s - pt, ((s * s - pp) * (s * s - tt)).squareRoot())
        case .costMatrix(let cost):
            var sum = 0.0
            for i in 0..<k { for j in 0..<k { sum += cost[i][j] * Double(confusion[i][j]) } }
            return ratio(sum, Double(total))
        case .fBeta, .recallAtPrecision, .precisionAtRecall, .cost:
            // Rejected by `validate` for K > 2; NaN rather than a number that looks meaningful.
            return .nan
        }
    }

    /// Is `a` better than `b` in this objective's direction (strictly)?
    public func isBetter(_ a: Double, than b: Double) -> Bool {
        higherIsBetter ? a > b : a < b
    }
}

/// a / b, or 0 when b is 0 (scikit-learn's `zero_division = 0`).
@inline(__always)
private func ratio(_ a: Double, _ b: Double) -> Double {
    b == 0 ? 0 : a / b
}

/// Swift's shortest description, without a trailing ".0" for whole numbers ("2", "0.5").
private func shortest(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : x.description
}
