import BallastML
import BallastProtocol

/// Between a version-2 file and a model in memory. A loaded model's `run` is nil: it does not
/// belong in a file (nor does a thread count, which is the daemon's, not the config's).
extension ModelFileV2 {
    init(_ entry: Models.Entry) {
        let model = entry.model
        self.init(format: ModelFile.format, version: 2,
                  model: Network(type: ModelName(model.kind).rawValue, classes: model.classLabels,
                                 positive: model.positiveClass.map { model.classLabels[$0] },
                                 featureNames: model.featureNames,
                                 layers: model.layers.map { Layer(inputs: $0.inputs, outputs: $0.outputs, weights: $0.weights, bias: $0.bias) }),
                  config: Config(entry.config, lossName: entry.loss.rawValue),
                  trainedOn: entry.trainedOn, threshold: entry.threshold)
    }

    /// The model this file describes; errors are -32602 naming the field, for `ModelFile` to
    /// turn into -32010 naming the file.
    func entry() throws(RPCError) -> Models.Entry {
        let hiddenSizes = model.layers.dropLast().map(\.outputs)
        let kind: ModelKind = switch try ModelName.parse(model.type, field: "model.type") {
        case .logistic: .logistic
        case .softmax: .softmax
        case .mlp: .mlp(hidden: hiddenSizes)
        }
        var positiveClass: Int?
        if let positive = model.positive {
            guard let index = model.classes.firstIndex(of: positive) else {
                throw .invalidParams("The positive class '\(positive)' is not one of the classes.", field: "model.positive")
            }
            positiveClass = index
        }
        let layers = model.layers.map { DenseLayer(inputs: $0.inputs, outputs: $0.outputs, weights: $0.weights, bias: $0.bias) }
        return Models.Entry(model: TrainedModel(kind: kind, classLabels: model.classes, positiveClass: positiveClass,
                                                featureNames: model.featureNames, layers: layers),
                            config: try config.trainingConfig(), trainedOn: trainedOn,
                            loss: try LossName.parse(config.loss.type, field: "config.loss.type"),
                            threshold: threshold, run: nil)
    }
}

extension ModelFileV2.Config {
    init(_ config: TrainingConfig, lossName: String) {
        switch config.model {
        case .logistic: model = .init(type: ModelName.logistic.rawValue)
        case .softmax: model = .init(type: ModelName.softmax.rawValue)
        case .mlp(let hidden): model = .init(type: ModelName.mlp.rawValue, hidden: hidden)
        }
        switch config.loss {
        case .crossEntropy: loss = .init(type: lossName)
        case let .focal(gamma, alpha): loss = .init(type: lossName, gamma: gamma, alpha: alpha)
        }
        switch config.optimizer {
        case let .lbfgs(tolerance, maxIterations, memory):
            optimizer = .init(type: OptimizerName.lbfgs.rawValue, tol: tolerance, maxIter: maxIterations, memory: memory)
        case let .adam(learningRate, epochs, batchSize, beta1, beta2, epsilon):
            optimizer = .init(type: OptimizerName.adam.rawValue, lr: learningRate, epochs: epochs, batchSize: batchSize,
                              beta1: beta1, beta2: beta2, eps: epsilon)
        case let .sgd(learningRate, epochs, batchSize, momentum):
            optimizer = .init(type: OptimizerName.sgd.rawValue, lr: learningRate, epochs: epochs, batchSize: batchSize,
                              momentum: momentum)
        }
        l2 = config.l2
        reduction = (config.reduction == .mean ? ReductionName.mean : ReductionName.sum).rawValue
        seed = Int64(bitPattern: config.seed)
        classWeights = config.classWeights
        earlyStopping = config.earlyStopping.map { .init(patience: $0.patience, minDelta: $0.minDelta) }
    }

    func trainingConfig() throws(RPCError) -> TrainingConfig {
        let modelKind: ModelKind = switch try ModelName.parse(model.type, field: "config.model.type") {
        case .logistic: .logistic
        case .softmax: .softmax
        case .mlp: .mlp(hidden: try required(model.hidden, "config.model.hidden", for: "an mlp"))
        }
        let lossKind: LossKind = switch try LossName.parse(loss.type, field: "config.loss.type") {
        case .ce, .wce: .crossEntropy
        case .focal: .focal(gamma: try required(loss.gamma, "config.loss.gamma", for: "the focal loss"), alpha: loss.alpha)
        }
        let field = "config.optimizer"
        let optimizerKind: OptimizerKind
        switch try OptimizerName.parse(optimizer.type, field: "\(field).type") {
        case .lbfgs:
            optimizerKind = .lbfgs(tolerance: try required(optimizer.tol, "\(field).tol", for: "lbfgs"),
                                   maxIterations: try required(optimizer.maxIter, "\(field).max_iter", for: "lbfgs"),
                                   memory: try required(optimizer.memory, "\(field).memory", for: "lbfgs"))
        case .adam:
            optimizerKind = .adam(learningRate: try required(optimizer.lr, "\(field).lr", for: "adam"),
                                  epochs: try required(optimizer.epochs, "\(field).epochs", for: "adam"),
                                  batchSize: try required(optimizer.batchSize, "\(field).batch_size", for: "adam"),
                                  beta1: try required(optimizer.beta1, "\(field).beta1", for: "adam"),
                                  beta2: try required(optimizer.beta2, "\(field).beta2", for: "adam"),
                                  epsilon: try required(optimizer.eps, "\(field).eps", for: "adam"))
        case .sgd:
            optimizerKind = .sgd(learningRate: try required(optimizer.lr, "\(field).lr", for: "sgd"),
                                 epochs: try required(optimizer.epochs, "\(field).epochs", for: "sgd"),
                                 batchSize: try required(optimizer.batchSize, "\(field).batch_size", for: "sgd"),
                                 momentum: try required(optimizer.momentum, "\(field).momentum", for: "sgd"))
        }
        let reductionKind: Reduction = switch try ReductionName.parse(reduction, field: "config.reduction") {
        case .mean: .mean
        case .sum: .sum
        }
        return TrainingConfig(model: modelKind, loss: lossKind, optimizer: optimizerKind, classWeights: classWeights, l2: l2,
                              reduction: reductionKind, seed: UInt64(bitPattern: seed),
                              earlyStopping: earlyStopping.map { EarlyStopping(patience: $0.patience, minDelta: $0.minDelta) })
    }

    private func required<Value>(_ value: Value?, _ field: String, for owner: String) throws(RPCError) -> Value {
        guard let value else { throw .invalidParams("The field '\(field)' is required for \(owner).", field: field) }
        return value
    }
}
