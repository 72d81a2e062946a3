import BallastML
import BallastProtocol

// `optimizer`: L-BFGS, Adam and SGD with their settings, both ways.

extension OptimizerKind {
    /// A request's optimizer with its defaults: L-BFGS for linear models and Adam for the mlp. A
    /// field that belongs to another optimizer is refused.
    init(requested spec: OptimizerSpec?, model: ModelKind) throws(RPCError) {
        let defaultType: OptimizerName = if case .mlp = model { .adam } else { .lbfgs }
        let type = spec?.type ?? defaultType
        if let spec {
            let allowed = Set(type.fields)
            for (field, present) in spec.presence where present && !allowed.contains(field) {
                throw .invalidParams("'\(field)' does not apply to the \(type.rawValue) optimizer (it takes \(allowed.sorted().joined(separator: ", "))).",
                                     field: "optimizer.\(field)")
            }
        }
        switch type {
        case .lbfgs:
            self = .lbfgs(tolerance: spec?.tol ?? 1e-6, maxIterations: spec?.maxIter ?? 1000, memory: spec?.memory ?? 10)
        case .adam:
            self = .adam(learningRate: spec?.lr ?? 1e-3, epochs: spec?.epochs ?? 20, batchSize: spec?.batchSize ?? 256,
                         beta1: spec?.beta1 ?? 0.9, beta2: spec?.beta2 ?? 0.999, epsilon: spec?.eps ?? 1e-8)
        case .sgd:
            self = .sgd(learningRate: spec?.lr ?? 0.01, epochs: spec?.epochs ?? 20, batchSize: spec?.batchSize ?? 256,
                        momentum: spec?.momentum ?? 0.9)
        }
    }

    /// An optimizer as written by `OptimizerSpec(_:)`: every field of its type must be there.
    init(exactly spec: OptimizerSpec, at prefix: String) throws(RPCError) {
        let name = spec.type.rawValue
        func required<Value>(_ value: Value?, _ field: String) throws(RPCError) -> Value {
            try SpecField.required(value, "\(prefix)optimizer.\(field)", for: name)
        }
        switch spec.type {
        case .lbfgs:
            self = .lbfgs(tolerance: try required(spec.tol, "tol"), maxIterations: try required(spec.maxIter, "max_iter"),
                          memory: try required(spec.memory, "memory"))
        case .adam:
            self = .adam(learningRate: try required(spec.lr, "lr"), epochs: try required(spec.epochs, "epochs"),
                         batchSize: try required(spec.batchSize, "batch_size"), beta1: try required(spec.beta1, "beta1"),
                         beta2: try required(spec.beta2, "beta2"), epsilon: try required(spec.eps, "eps"))
        case .sgd:
            self = .sgd(learningRate: try required(spec.lr, "lr"), epochs: try required(spec.epochs, "epochs"),
                        batchSize: try required(spec.batchSize, "batch_size"), momentum: try required(spec.momentum, "momentum"))
        }
    }
}

extension OptimizerSpec {
    init(_ kind: OptimizerKind) {
        switch kind {
        case let .lbfgs(tolerance, maxIterations, memory):
            self.init(type: .lbfgs, tol: tolerance, maxIter: maxIterations, memory: memory)
        case let .adam(learningRate, epochs, batchSize, beta1, beta2, epsilon):
            self.init(type: .adam, lr: learningRate, epochs: epochs, batchSize: batchSize, beta1: beta1, beta2: beta2, eps: epsilon)
        case let .sgd(learningRate, epochs, batchSize, momentum):
            self.init(type: .sgd, lr: learningRate, epochs: epochs, batchSize: batchSize, momentum: momentum)
        }
    }

    /// Which of the optional fields the request gave, by wire name.
    var presence: [(String, Bool)] {
        [("tol", tol != nil), ("max_iter", maxIter != nil), ("memory", memory != nil), ("lr", lr != nil),
         ("epochs", epochs != nil), ("batch_size", batchSize != nil), ("momentum", momentum != nil),
         ("beta1", beta1 != nil), ("beta2", beta2 != nil), ("eps", eps != nil)]
    }
}
