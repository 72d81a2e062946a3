/// The parts of a training request, shared by `model/train` and the experiments.

/// `{"type": "logistic"}`, `{"type": "softmax"}` or `{"type": "mlp", "hidden": [64, 32]}`.
public struct ModelSpec: Codable, Sendable, Equatable {
    public var type: String
    public var hidden: [Int]?
    public init(type: String, hidden: [Int]? = nil) {
        self.type = type
        self.hidden = hidden
    }
}

/// Class weights inside a loss: the params of `weights/compute` without the dataset.
public struct WeightSpec: Codable, Sendable, Equatable {
    public var scheme: String?
    public var beta: Double?
    public var w: Double?
    public var weights: [String: Double]?
    public var cost: [[Double]]?
    public init(scheme: String? = nil, beta: Double? = nil, w: Double? = nil, weights: [String: Double]? = nil, cost: [[Double]]? = nil) {
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
    public var type: String
    public var weights: WeightSpec?
    public var gamma: Double?
    public var alpha: Double?
    public init(type: String, weights: WeightSpec? = nil, gamma: Double? = nil, alpha: Double? = nil) {
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
    public var type: String
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
    public init(type: String, tol: Double? = nil, maxIter: Int? = nil, memory: Int? = nil, lr: Double? = nil,
                epochs: Int? = nil, batchSize: Int? = nil, momentum: Double? = nil) {
        self.type = type
        self.tol = tol
        self.maxIter = maxIter
        self.memory = memory
        self.lr = lr
        self.epochs = epochs
        self.batchSize = batchSize
        self.momentum = momentum
    }
    enum CodingKeys: String, CodingKey {
        case type, tol, memory, lr, epochs, momentum, beta1, beta2, eps
        case maxIter = "max_iter"
        case batchSize = "batch_size"
    }
}

/// Stop when the validation metric has not improved by `min_delta` for `patience` steps.
public struct EarlyStoppingSpec: Codable, Sendable, Equatable {
    public var metric: String?
    public var patience: Int?
    public var minDelta: Double?
    public init(metric: String? = nil, patience: Int? = nil, minDelta: Double? = nil) {
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
