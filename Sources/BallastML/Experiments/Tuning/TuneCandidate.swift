/// How a candidate rebalances each fit's training rows before training (see `Resampling`).
public enum CandidateSampling: Sendable, Equatable {
    case over(ratio: Double), under(ratio: Double), smote(ratio: Double, k: Int)
}

/// One way of training that `Tune` scores by cross-validation: a loss, class weights computed on
/// each fit's own training rows, an optional resampling of those rows, an optional other model.
public struct TuneCandidate: Sendable, Equatable {
    public var name: String
    public var loss: LossKind
    /// Computed on each fit's training rows as trained on (after its resampling, like the l2
    /// default); nil = plain CE weights.
    public var weights: WeightScheme?
    /// Seeded per repeat and fold during selection, with the request's seed for the refits (so
    /// `model/train` with the same `resample` and seed reproduces the final model). SMOTE's k is
    /// capped at the smallest class's rows − 1 (at least 1) of each training part, with a note.
    public var sampling: CandidateSampling?
    /// nil = the base config's model.
    public var model: ModelKind?
    /// One line for a table ("weighted CE, w = 0.9 for the rare class").
    public var summary: String

    public init(name: String, loss: LossKind = .crossEntropy, weights: WeightScheme? = nil,
                sampling: CandidateSampling? = nil, model: ModelKind? = nil, summary: String) {
        self.name = name
        self.loss = loss
        self.weights = weights
        self.sampling = sampling
        self.model = model
        self.summary = summary
    }

    /// The default w grid of the binary WCE candidates and the default γ grids of the focal ones.
    public static let defaultWeightGrid: [Double] = [0.6, 0.75, 0.9, 0.97]
    public static let defaultBinaryGammaGrid: [Double] = [0.5, 1, 2]
    public static let defaultMulticlassGammaGrid: [Double] = [1, 2]

    /// The default candidates, in the order the leaderboard breaks ties by. `wGrid` and
    /// `gammaGrid` replace the default lists (`wGrid` is ignored for multiclass data).
    public static func defaults(classCount: Int, wGrid: [Double]?, gammaGrid: [Double]?, includeMLP: Bool) -> [TuneCandidate] {
        var candidates = [ce]
        if classCount == 2 {
            candidates += (wGrid ?? defaultWeightGrid).map(binaryWCE)
            candidates.append(wceBalanced)
            candidates += (gammaGrid ?? defaultBinaryGammaGrid).map(focal)
            candidates += [over, under, smote]
        } else {
            candidates += [wceBalanced, wceInverseSqrt]
            candidates += (gammaGrid ?? defaultMulticlassGammaGrid).map(focal)
        }
        if includeMLP { candidates.append(mlp) }
        return candidates
    }

    public static let ce = TuneCandidate(name: "ce", summary: "cross-entropy")
    public static let wceBalanced = TuneCandidate(name: "wce_balanced", weights: .balanced,
                                                  summary: "weighted CE, scikit-learn's balanced weights")
    public static let wceInverseSqrt = TuneCandidate(name: "wce_inverse_sqrt", weights: .inverseSqrt,
                                                     summary: "weighted CE, weights ∝ 1/√(class count)")
    public static let over = TuneCandidate(name: "over", sampling: .over(ratio: 1),
                                           summary: "CE after random over-sampling to 1:1")
    public static let under = TuneCandidate(name: "under", sampling: .under(ratio: 1),
                                            summary: "CE after random under-sampling to 1:1")
    public static let smote = TuneCandidate(name: "smote", sampling: .smote(ratio: 1, k: 5),
                                            summary: "CE after SMOTE to 1:1 (k 5)")
    /// hidden [32], CE; trained with Adam's defaults unless the request's model is already an mlp.
    public static let mlp = TuneCandidate(name: "mlp", model: .mlp(hidden: [32]),
                                          summary: "mlp, one hidden layer of 32, CE")

    public static func binaryWCE(_ w: Double) -> TuneCandidate {
        TuneCandidate(name: "wce_w\(shortest(w))", weights: .binary(w: w),
                      summary: "weighted CE, w = \(shortest(w)) for the rare class")
    }

    public static func focal(_ gamma: Double) -> TuneCandidate {
        TuneCandidate(name: "focal_g\(shortest(gamma))", loss: .focal(gamma: gamma, alpha: nil),
                      summary: "focal loss, γ = \(shortest(gamma)) (no α)")
    }

    /// Swift's shortest Double description, without a trailing ".0" for whole numbers
    /// (`focal_g1`, `wce_w0.9`).
    public static func shortest(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
