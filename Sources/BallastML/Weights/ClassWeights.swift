import RealModule

/// How to turn class counts into per-class loss weights.
///
/// With counts `n_c`, `n = Σ n_c` and `K` classes:
/// - `inverse`: `w_c ∝ 1/n_c`, normalised to sum to 1. For binary data the rare class gets
///   `n_majority / n` — the seed method's weight. Normalization `sumTo1`.
/// - `balanced`: `w_c = n / (K · n_c)`, scikit-learn's `compute_class_weight('balanced')`; the mean
///   per-row weight over the data is 1. Normalization `meanSampleWeight1`.
/// - `inverseSqrt`: `w_c ∝ 1/√n_c`, normalised to sum to 1 (a milder correction). `sumTo1`.
/// - `effectiveNumber(beta:)`: class-balanced weights of Cui et al. (CVPR 2019),
///   `w_c ∝ (1 − β)/(1 − β^{n_c})`, rescaled to sum to `K`; `0 ≤ β < 1`, β = 0 gives all ones and
///   β → 1 approaches `inverse`. `1 − β^{n}` is computed as `−expm1(n · log β)`. `sumToK`.
/// - `binary(w:)`: the seed form `w·y·log p + (1−w)·(1−y)·log(1−p)`: weight `w` for the positive
///   class, `1 − w` for the other; binary data only, `0 < w < 1`. `sumTo1`.
/// - `custom(_:)`: label → weight, every class named exactly once by its label, each weight
///   positive and finite; used as given. `none`.
/// - `cost(_:)`: a `K × K` cost matrix, `C[i][j]` = cost of predicting class `j` when the truth is
///   class `i` (rows and columns in `classLabels` order). The diagonal (correct answers) is
///   ignored but must be ≥ 0; every entry is finite and ≥ 0 and each row's off-diagonal sum is
///   positive. Class `i` gets `w_i ∝ Σ_{j≠i} C[i][j]`, normalised to sum to 1: weighting each
///   row by the total cost of getting it wrong (the rescaling of Elkan 2001 — for binary data the
///   weight ratio equals the cost ratio `C[pos][neg] / C[neg][pos]` — generalised to `K`
///   classes by row sums, as in Zhou & Liu 2006). `sumTo1`.
public enum WeightScheme: Sendable, Equatable {
    case inverse
    case balanced
    case inverseSqrt
    case effectiveNumber(beta: Double)
    case binary(w: Double)
    case custom([String: Double])
    case cost([[Double]])
}

/// What a scheme scales its weights to.
public enum WeightNormalization: Sendable, Equatable {
    /// The weights sum to 1 (`inverse`, `inverseSqrt`, `binary`, `cost`).
    case sumTo1
    /// The mean per-row weight over the data is 1 (`balanced`).
    case meanSampleWeight1
    /// The weights sum to the number of classes (`effectiveNumber`).
    case sumToK
    /// Used as given (`custom`).
    case none
}

/// Per-class loss weights for weighted cross-entropy, and how they were normalised.
public struct ClassWeights: Sendable, Equatable {
    /// One weight per class, indexed like the dataset's `classLabels`; all positive and finite.
    public var weights: [Double]
    /// What the weights were scaled to (see `WeightScheme`).
    public var normalization: WeightNormalization
    /// Binary data: `w_positive / w_negative`, the `pos_weight` of PyTorch's `BCEWithLogitsLoss` and
    /// TensorFlow's `weighted_cross_entropy_with_logits` (those scale only the positive term, so
    /// the loss equals ours divided by `w_negative`). `nil` for multiclass data.
    public var posWeight: Double?

    public init(weights: [Double], normalization: WeightNormalization, posWeight: Double?) {
        self.weights = weights
        self.normalization = normalization
        self.posWeight = posWeight
    }

    /// Weights for a scheme given rows per class.
    ///
    /// - Parameters:
    ///   - classCounts: rows per class (e.g. `Dataset.classCounts`, of the training part); every
    ///     class must have at least one row and there must be at least two classes.
    ///   - classLabels: the labels, same order; used for `custom` and in messages.
    ///   - positiveClass: for binary data, the positive class; `nil` means the rarer class
    ///     (class 1 on a tie). Ignored for multiclass data.
    public static func compute(_ scheme: WeightScheme, classCounts: [Int], classLabels: [String],
                               positiveClass: Int?) throws(InvalidArgument) -> ClassWeights {
        let k = classCounts.count
        if classLabels.count != k {
            throw InvalidArgument(field: .classLabels,
                                  message: "There are \(classLabels.count) class labels but \(k) class counts.")
        }
        if k < 2 {
            throw InvalidArgument(field: .classCounts,
                                  message: "Class weights need at least two classes; the data has \(k) (\(classLabels.joined(separator: ", "))).")
        }
        if let empty = classCounts.firstIndex(where: { $0 <= 0 }) {
            throw InvalidArgument(field: .classCounts,
                                  message: "Class '\(classLabels[empty])' has no rows, so it has no frequency to weight by.")
        }
        var positive: Int? = nil
        if k == 2 {
            if let given = positiveClass {
                guard given == 0 || given == 1 else {
                    throw InvalidArgument(field: .positiveClass,
                                          message: "The positive class must be 0 or 1 for binary data, got \(given).")
                }
                positive = given
            } else {
                positive = classCounts[1] <= classCounts[0] ? 1 : 0
            }
        }

        let counts = classCounts.map(Double.init)
        let total = counts.reduce(0, +)
        var weights: [Double]
        let normalization: WeightNormalization
        switch scheme {
        case .inverse:
            weights = normalized(counts.map { 1 / $0 }, to: 1)
            normalization = .sumTo1
        case .balanced:
            weights = counts.map { total / (Double(k) * $0) }
            normalization = .meanSampleWeight1
        case .inverseSqrt:
            weights = normalized(counts.map { 1 / $0.squareRoot() }, to: 1)
            normalization = .sumTo1
        case .effectiveNumber(let beta):
            guard beta >= 0 && beta < 1 else {
                throw InvalidArgument(field: .effectiveNumberBeta, message: "beta must be at least 0 and below 1, got \(beta).")
            }
            // (1 − β) is common to all classes and cancels in the normalisation.
            let logBeta = Double.log(beta)  // −∞ for β = 0: then 1 − β^n = 1 for every class.
            weights = normalized(counts.map { 1 / -Double.expMinusOne($0 * logBeta) }, to: Double(k))
            normalization = .sumToK
        case .binary(let w):
            guard k == 2, let positive else {
                throw InvalidArgument(field: .weightScheme,
                                      message: "The binary scheme needs exactly two classes; the data has \(k) (\(classLabels.joined(separator: ", "))).")
            }
            guard w > 0 && w < 1 else {
                throw InvalidArgument(field: .binaryWeight, message: "w (the positive class's weight) must be above 0 and below 1, got \(w).")
            }
            weights = [0, 0]
            weights[positive] = w
            weights[1 - positive] = 1 - w
            normalization = .sumTo1
        case .custom(let map):
            let known = Set(classLabels)
            if let unknown = map.keys.sorted().first(where: { !known.contains($0) }) {
                throw InvalidArgument(field: .customWeights,
                                      message: "There is no class '\(unknown)'; the classes are \(listed(classLabels)).")
            }
            weights = []
            for label in classLabels {
                guard let w = map[label] else {
                    throw InvalidArgument(field: .customWeights,
                                          message: "Class '\(label)' has no weight; give one for each of \(listed(classLabels)).")
                }
                guard w > 0 && w.isFinite else {
                    throw InvalidArgument(field: .customWeights,
                                          message: "The weight of class '\(label)' must be positive and finite, got \(w).")
                }
                weights.append(w)
            }
            normalization = .none
        case .cost(let matrix):
            guard matrix.count == k, matrix.allSatisfy({ $0.count == k }) else {
                throw InvalidArgument(field: .costMatrix,
                                      message: "The cost matrix must be \(k) × \(k), one row and column per class (\(listed(classLabels))), in that order.")
            }
            weights = []
            for i in 0..<k {
                var rowSum = 0.0
                for j in 0..<k {
                    let c = matrix[i][j]
                    guard c >= 0 && c.isFinite else {
                        throw InvalidArgument(field: .costMatrix,
                                              message: "Costs must be finite and at least 0; C[\(i)][\(j)] (truth '\(classLabels[i])', predicted '\(classLabels[j])') is \(c).")
                    }
                    if j != i { rowSum += c }
                }
                guard rowSum > 0 else {
                    throw InvalidArgument(field: .costMatrix,
                                          message: "Misclassifying class '\(classLabels[i])' must cost something: row \(i) of the cost matrix has no positive off-diagonal entry.")
                }
                weights.append(rowSum)
            }
            weights = normalized(weights, to: 1)
            normalization = .sumTo1
        }

        if let bad = weights.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
            throw InvalidArgument(field: .customWeights,
                                  message: "The weight of class '\(classLabels[bad])' came out as \(weights[bad]); weights must be positive and finite (counts too extreme for this scheme?).")
        }
        let posWeight = positive.map { weights[$0] / weights[1 - $0] }
        return ClassWeights(weights: weights, normalization: normalization, posWeight: posWeight)
    }

    static func normalized(_ values: [Double], to target: Double) -> [Double] {
        let sum = values.reduce(0, +)
        return values.map { $0 / sum * target }
    }

    static func listed(_ labels: [String]) -> String {
        labels.map { "'\($0)'" }.joined(separator: ", ")
    }
}
