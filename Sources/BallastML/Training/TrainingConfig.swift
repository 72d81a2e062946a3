/// What to train: the shape of the model.
///
/// - `logistic`: binary data only; one linear unit whose sigmoid is P(positive class). The
///   positive class is the dataset's `positiveClass`, or the rarer class (class 1 on a tie).
/// - `softmax`: `K` linear units and a softmax over the `K` classes (multinomial logistic
///   regression, full parameterisation as scikit-learn's `multinomial`).
/// - `mlp(hidden:)`: fully connected ReLU hidden layers of the given sizes (each ≥ 1), then a
///   sigmoid output for P(positive class) on binary data or a softmax over `K` classes otherwise.
public enum ModelKind: Sendable, Equatable {
    case logistic
    case softmax
    case mlp(hidden: [Int])
}

/// The per-row loss ℓᵢ.
///
/// - `crossEntropy`: ℓ = −log p_y. With `TrainingConfig.classWeights` this is weighted
///   cross-entropy (WCE), the seed method.
/// - `focal(gamma:alpha:)`: Lin et al. (2017), ℓ = −α_t (1 − p_t)^γ log p_t. For a sigmoid output
///   (logistic, binary mlp) α weighs the positive class and 1 − α the negative class; `nil` means no
///   α factor. For a softmax output ℓ = −(1 − p_y)^γ log p_y; α is then allowed only on binary
///   data (same meaning) — for per-class factors with more classes use `classWeights`.
///   γ = 0 and α = nil is exactly cross-entropy. γ ≥ 0; α in (0, 1).
public enum LossKind: Sendable, Equatable {
    case crossEntropy
    case focal(gamma: Double, alpha: Double?)
}

/// How the parameters are fitted.
///
/// - `lbfgs`: full-batch limited-memory BFGS (the default for linear models). Stops when the
///   largest absolute component of ∇J is at most `tolerance` (for `.sum` reduction the gradient
///   is first divided by Σsᵢ, so the test does not depend on the reduction), when an iteration
///   lowers J by no more than 64·ε relative (scipy's `ftol` as scikit-learn sets it), or after
///   `maxIterations` iterations. `memory` is the number of correction pairs kept (scipy: 10).
///   Defaults: tolerance 1e-6, 1000 iterations, memory 10.
/// - `adam`: mini-batch Adam (Kingma & Ba 2015) with bias correction.
/// - `sgd`: mini-batch SGD with classical (heavy-ball) momentum: v ← μv − η∇, θ ← θ + v.
///
/// Mini-batch gradients are unbiased estimates of ∇J: a batch B of a training set of N rows
/// contributes (N/|B|)·Σ_{i∈B} sᵢ∇ℓᵢ / Σ_all sᵢ (mean reduction; without the Σ_all sᵢ for sum),
/// plus the full l2 term. Rows are reshuffled every epoch from the seed.
public enum OptimizerKind: Sendable, Equatable {
    case lbfgs(tolerance: Double = 1e-6, maxIterations: Int = 1000, memory: Int = 10)
    case adam(learningRate: Double = 1e-3, epochs: Int = 20, batchSize: Int = 256,
              beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8)
    case sgd(learningRate: Double = 0.01, epochs: Int = 20, batchSize: Int = 256, momentum: Double = 0.9)

    /// L-BFGS with its defaults (tolerance 1e-6, 1000 iterations, memory 10).
    public static let defaultLBFGS: OptimizerKind = .lbfgs()
    /// Adam with its defaults (η 1e-3, 20 epochs, batches of 256, β₁ 0.9, β₂ 0.999, ε 1e-8).
    public static let defaultAdam: OptimizerKind = .adam()
}

/// How the weighted per-row losses are combined (see `TrainingConfig`).
public enum Reduction: Sendable, Equatable {
    /// Σᵢ sᵢℓᵢ / Σᵢ sᵢ: scaling every weight by the same constant changes nothing.
    case mean
    /// Σᵢ sᵢℓᵢ: as libraries that sum the loss (the l2 term then weighs relatively less as rows are added).
    case sum
}

/// Stop when the caller's validation score (returned by `TrainingObserver.onStep`, higher is
/// better) has not improved by more than `minDelta` for `patience` consecutive steps; the best
/// model seen is returned. Steps for which the observer returns `nil` are not counted.
public struct EarlyStopping: Sendable, Equatable {
    /// Steps without improvement before stopping, ≥ 1.
    public var patience: Int
    /// The least gain that counts as an improvement, ≥ 0.
    public var minDelta: Double

    public init(patience: Int, minDelta: Double = 0) {
        self.patience = patience
        self.minDelta = minDelta
    }
}

/// Everything that decides a training run. Same config, data and seed give bit-identical results
/// whatever the number of threads (which is not part of the config: see `Trainer.train`'s
/// `threads`).
///
/// The objective minimised is
///
///     J(θ) = Σᵢ sᵢ·ℓᵢ / Σᵢ sᵢ + (l2/2)·‖W‖²
///
/// where ℓᵢ is the loss of row i (`LossKind`), sᵢ = class weight of yᵢ × the optional per-row
/// sample weight, and ‖W‖² sums the squares of every weight of every layer; biases are not
/// penalised. With `reduction: .sum` the first term is Σᵢ sᵢ·ℓᵢ instead. `.mean` makes scaling all
/// weights by a constant change nothing; `.sum` matches libraries that sum the loss.
///
/// Equivalence: scikit-learn's `LogisticRegression(C = 1/(l2·Σsᵢ))` with the same class (and
/// sample) weights minimises the same J (mean reduction), and so does its multinomial
/// `LogisticRegression` for `softmax`.
public struct TrainingConfig: Sendable, Equatable {
    public var model: ModelKind
    public var loss: LossKind
    public var optimizer: OptimizerKind
    /// One weight per class index, each positive and finite; `nil` = all 1 (plain CE).
    public var classWeights: [Double]?
    /// Strength of the L2 penalty on the weights (not the biases), ≥ 0.
    public var l2: Double
    public var reduction: Reduction
    /// Seeds the MLP initialisation and the mini-batch shuffles.
    public var seed: UInt64
    public var earlyStopping: EarlyStopping?

    public init(model: ModelKind = .logistic, loss: LossKind = .crossEntropy,
                optimizer: OptimizerKind = .defaultLBFGS, classWeights: [Double]? = nil,
                l2: Double = 1e-4, reduction: Reduction = .mean, seed: UInt64 = 0,
                earlyStopping: EarlyStopping? = nil) {
        self.model = model
        self.loss = loss
        self.optimizer = optimizer
        self.classWeights = classWeights
        self.l2 = l2
        self.reduction = reduction
        self.seed = seed
        self.earlyStopping = earlyStopping
    }
}
