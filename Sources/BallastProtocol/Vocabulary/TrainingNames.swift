/// `model.type`.
public enum ModelName: String, WireName {
    case logistic, softmax, mlp
    public static let kind = "model"
}

/// `loss.type`: cross-entropy, weighted cross-entropy (the seed's WCE), focal loss.
public enum LossName: String, WireName {
    case ce, wce, focal
    public static let kind = "loss"
    public static let kinds = "losses"
}

/// `optimizer.type`.
public enum OptimizerName: String, WireName {
    case lbfgs, adam, sgd
    public static let kind = "optimizer"

    /// The fields of `optimizer` this optimizer takes besides `type`; the others are refused.
    public var fields: [String] {
        switch self {
        case .lbfgs: ["tol", "max_iter", "memory"]
        case .adam: ["lr", "epochs", "batch_size", "beta1", "beta2", "eps"]
        case .sgd: ["lr", "epochs", "batch_size", "momentum"]
        }
    }
}

/// `reduction`: how the weighted per-row losses are combined.
public enum ReductionName: String, WireName {
    case mean, sum
    public static let kind = "reduction"
}

/// `stop_reason` of a training (in its result and its run's `end` record), and of an
/// experiment's `end` record (`completed`, `cancelled`).
public enum StopReasonName: String, WireName {
    case converged
    case maxIterations = "max_iterations"
    case epochs
    case earlyStopping = "early_stopping"
    case cancelled
    case failed
    case completed
    public static let kind = "stop reason"
}
