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
