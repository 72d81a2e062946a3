import BallastML
import BallastProtocol

extension TrainingConfig {
    /// The config in the shapes `model/train` takes (`model`, `loss`, `optimizer`, …), so that what
    /// `model/describe` shows can be sent back to train the same model again.
    func wireDescription(lossName: String) -> JSONValue {
        let model: JSONValue = switch self.model {
        case .logistic: ["type": "logistic"]
        case .softmax: ["type": "softmax"]
        case .mlp(let hidden): ["type": "mlp", "hidden": .array(hidden.map { .int(Int64($0)) })]
        }
        var loss: [String: JSONValue] = ["type": .string(lossName)]
        if case .focal(let gamma, let alpha) = self.loss {
            loss["gamma"] = .double(gamma)
            if let alpha { loss["alpha"] = .double(alpha) }
        }
        let optimizer: JSONValue = switch self.optimizer {
        case let .lbfgs(tolerance, maxIterations, memory):
            ["type": "lbfgs", "tol": .double(tolerance), "max_iter": .int(Int64(maxIterations)), "memory": .int(Int64(memory))]
        case let .adam(learningRate, epochs, batchSize, beta1, beta2, epsilon):
            ["type": "adam", "lr": .double(learningRate), "epochs": .int(Int64(epochs)), "batch_size": .int(Int64(batchSize)),
             "beta1": .double(beta1), "beta2": .double(beta2), "eps": .double(epsilon)]
        case let .sgd(learningRate, epochs, batchSize, momentum):
            ["type": "sgd", "lr": .double(learningRate), "epochs": .int(Int64(epochs)), "batch_size": .int(Int64(batchSize)),
             "momentum": .double(momentum)]
        }
        var description: [String: JSONValue] = [
            "model": model, "loss": .object(loss), "optimizer": optimizer, "l2": .double(l2),
            "reduction": .string(reduction.rawValue), "seed": .int(Int64(bitPattern: seed)),
        ]
        if let classWeights { description["class_weights"] = .array(classWeights.map { .double($0) }) }
        if let earlyStopping {
            description["early_stopping"] = ["patience": .int(Int64(earlyStopping.patience)), "min_delta": .double(earlyStopping.minDelta)]
        }
        return .object(description)
    }
}
