/// The parts of a training request, shared by `model/train` and the experiments.

/// `{"type": "logistic"}`, `{"type": "softmax"}` or `{"type": "mlp", "hidden": [64, 32]}`.
public struct ModelSpec: Codable, Sendable, Equatable {
    public var type: ModelName
    public var hidden: [Int]?
    public init(type: ModelName, hidden: [Int]? = nil) {
        self.type = type
        self.hidden = hidden
    }
}

/// Class weights inside a loss: the params of `weights/compute` without the dataset.
public struct WeightSpec: Codable, Sendable, Equatable {
    public var scheme: WeightSchemeName?
    public var beta: Double?
    public var w: Double?
    public var weights: [String: Double]?
    public var cost: [[Double]]?
    public init(scheme: WeightSchemeName? = nil, beta: Double? = nil, w: Double? = nil, weights: [String: Double]? = nil, cost: [[Double]]? = nil) {
        self.scheme = scheme
        self.beta = beta
        self.w = w
        self.weights = weights
        self.cost = cost
    }
}

/// `{"type": "ce"}`, `{"type": "wce", "weights": {"scheme": "inverse"}}`,
/// `{"type": "focal", "gamma": 2, "alpha": 0.25, "weights": …}`.
public struct LossSpec: Codable, Sendable, Equatable {
    public var type: LossName
    public var weights: WeightSpec?
    public var gamma: Double?
    public var alpha: Double?
    public init(type: LossName, weights: WeightSpec? = nil, gamma: Double? = nil, alpha: Double? = nil) {
        self.type = type
        self.weights = weights
        self.gamma = gamma
        self.alpha = alpha
    }
}

/// `{"type": "lbfgs", "tol": 1e-8, "max_iter": 500}` or
/// `{"type": "adam", "lr": 0.001, "epochs": 50, "batch_size": 256}` or
/// `{"type": "sgd", "lr": 0.01, "epochs": 50, "batch_size": 256, "momentum": 0.9}`.
public struct OptimizerSpec: Codable, Sendable, Equatable {
    public var type: OptimizerName
    public var tol: Double?
    public var maxIter: Int?
    public var memory: Int?
    public var lr: Double?
    public var epochs: Int?
    public var batchSize: Int?
    public var momentum: Double?
    public var beta1: Double?
    public var beta2: Double?
    public var eps: Double?
    public init(type: OptimizerName, tol: Double? = nil, maxIter: Int? = nil, memory: Int? = nil, lr: Double? = nil,
                epochs: Int? = nil, batchSize: Int? = nil, momentum: Double? = nil, beta1: Double? = nil,
                beta2: Double? = nil, eps: Double? = nil) {
        self.type = type
        self.tol = tol
        self.maxIter = maxIter
        self.memory = memory
        self.lr = lr
        self.epochs = epochs
        self.batchSize = batchSize
        self.momentum = momentum
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
    }
    enum CodingKeys: String, CodingKey {
        case type, tol, memory, lr, epochs, momentum, beta1, beta2, eps
        case maxIter = "max_iter"
        case batchSize = "batch_size"
    }
}

/// Stop when the validation metric has not improved by `min_delta` for `patience` steps.
public struct EarlyStoppingSpec: Codable, Sendable, Equatable {
    public var metric: MetricName?
    public var patience: Int?
    public var minDelta: Double?
    public init(metric: MetricName? = nil, patience: Int? = nil, minDelta: Double? = nil) {
        self.metric = metric
        self.patience = patience
        self.minDelta = minDelta
    }
    enum CodingKeys: String, CodingKey {
        case metric, patience
        case minDelta = "min_delta"
    }
}

extension ModelSpec: KnownFields { public static let fieldNames = ["type", "hidden"] }
extension WeightSpec: KnownFields { public static let fieldNames = ["scheme", "beta", "w", "weights", "cost"] }
extension LossSpec: KnownFields {
    public static let fieldNames = ["type", "weights", "gamma", "alpha"]
    public static var nestedFields: [String: any KnownFields.Type] { ["weights": WeightSpec.self] }
}
extension OptimizerSpec: KnownFields {
    public static let fieldNames = ["type", "tol", "max_iter", "memory", "lr", "epochs", "batch_size", "momentum", "beta1", "beta2", "eps"]
}
extension EarlyStoppingSpec: KnownFields { public static let fieldNames = ["metric", "patience", "min_delta"] }

/// A trained model's configuration in the shapes `model/train` takes, so that what
/// `model/describe` shows can be sent back to train the same model again; `class_weights` are
/// the weights the loss's scheme worked out.
public struct TrainingConfigSpec: Codable, Sendable, Equatable {
    public var model: ModelSpec
    public var loss: LossSpec
    public var optimizer: OptimizerSpec
    public var l2: Double
    public var reduction: ReductionName
    /// A seed from 2⁶³ on is written as its 64-bit two's complement (JSON integers are 64-bit signed).
    public var seed: Int64
    public var classWeights: [Double]?
    public var earlyStopping: EarlyStoppingSpec?

    public init(model: ModelSpec, loss: LossSpec, optimizer: OptimizerSpec, l2: Double, reduction: ReductionName,
                seed: Int64, classWeights: [Double]?, earlyStopping: EarlyStoppingSpec?) {
        self.model = model
        self.loss = loss
        self.optimizer = optimizer
        self.l2 = l2
        self.reduction = reduction
        self.seed = seed
        self.classWeights = classWeights
        self.earlyStopping = earlyStopping
    }

    enum CodingKeys: String, CodingKey {
        case model, loss, optimizer, l2, reduction, seed
        case classWeights = "class_weights"
        case earlyStopping = "early_stopping"
    }
}
