import BallastML
import BallastProtocol

extension TrainingConfigSpec {
    /// The describe side of `TrainingPlan`: a config in the shapes `model/train` takes.
    init(_ config: TrainingConfig, lossName: LossName) {
        let model: ModelSpec = switch config.model {
        case .logistic: ModelSpec(type: .logistic)
        case .softmax: ModelSpec(type: .softmax)
        case .mlp(let hidden): ModelSpec(type: .mlp, hidden: hidden)
        }
        var loss = LossSpec(type: lossName)
        if case .focal(let gamma, let alpha) = config.loss {
            loss.gamma = gamma
            loss.alpha = alpha
        }
        let optimizer: OptimizerSpec = switch config.optimizer {
        case let .lbfgs(tolerance, maxIterations, memory):
            OptimizerSpec(type: .lbfgs, tol: tolerance, maxIter: maxIterations, memory: memory)
        case let .adam(learningRate, epochs, batchSize, beta1, beta2, epsilon):
            OptimizerSpec(type: .adam, lr: learningRate, epochs: epochs, batchSize: batchSize, beta1: beta1, beta2: beta2, eps: epsilon)
        case let .sgd(learningRate, epochs, batchSize, momentum):
            OptimizerSpec(type: .sgd, lr: learningRate, epochs: epochs, batchSize: batchSize, momentum: momentum)
        }
        let earlyStopping = config.earlyStopping.map { EarlyStoppingSpec(patience: $0.patience, minDelta: $0.minDelta) }
        self.init(model: model, loss: loss, optimizer: optimizer, l2: config.l2, reduction: ReductionName(config.reduction),
                  seed: config.seed, classWeights: config.classWeights, earlyStopping: earlyStopping)
    }
}

extension TrainingConfig {
    /// The decode side of a config written by `TrainingConfigSpec.init(_:lossName:)`, as a model
    /// file keeps it: every field the model and optimizer take must be there (no defaults, no
    /// data to work class weights out from). `prefix` is where the config sits, for error paths.
    init(exactly spec: TrainingConfigSpec, at prefix: String) throws(RPCError) {
        func required<Value>(_ value: Value?, _ field: String, for owner: String) throws(RPCError) -> Value {
            guard let value else { throw .invalidParams("The field '\(prefix)\(field)' is required for \(owner).", field: prefix + field) }
            return value
        }
        let model: ModelKind = switch spec.model.type {
        case .logistic: .logistic
        case .softmax: .softmax
        case .mlp: .mlp(hidden: try required(spec.model.hidden, "model.hidden", for: "an mlp"))
        }
        let loss: LossKind = switch spec.loss.type {
        case .ce, .wce: .crossEntropy
        case .focal: .focal(gamma: try required(spec.loss.gamma, "loss.gamma", for: "the focal loss"), alpha: spec.loss.alpha)
        }
        let o = spec.optimizer
        let name = o.type.rawValue
        let optimizer: OptimizerKind = switch o.type {
        case .lbfgs:
            .lbfgs(tolerance: try required(o.tol, "optimizer.tol", for: name),
                   maxIterations: try required(o.maxIter, "optimizer.max_iter", for: name),
                   memory: try required(o.memory, "optimizer.memory", for: name))
        case .adam:
            .adam(learningRate: try required(o.lr, "optimizer.lr", for: name),
                  epochs: try required(o.epochs, "optimizer.epochs", for: name),
                  batchSize: try required(o.batchSize, "optimizer.batch_size", for: name),
                  beta1: try required(o.beta1, "optimizer.beta1", for: name),
                  beta2: try required(o.beta2, "optimizer.beta2", for: name),
                  epsilon: try required(o.eps, "optimizer.eps", for: name))
        case .sgd:
            .sgd(learningRate: try required(o.lr, "optimizer.lr", for: name),
                 epochs: try required(o.epochs, "optimizer.epochs", for: name),
                 batchSize: try required(o.batchSize, "optimizer.batch_size", for: name),
                 momentum: try required(o.momentum, "optimizer.momentum", for: name))
        }
        let earlyStopping = try spec.earlyStopping.map { stopping throws(RPCError) in
            EarlyStopping(patience: try required(stopping.patience, "early_stopping.patience", for: "early stopping"),
                          minDelta: try required(stopping.minDelta, "early_stopping.min_delta", for: "early stopping"))
        }
        self.init(model: model, loss: loss, optimizer: optimizer, classWeights: spec.classWeights, l2: spec.l2,
                  reduction: Reduction(spec.reduction), seed: spec.seed, earlyStopping: earlyStopping)
    }
}
