import BallastML
import BallastProtocol

/// Version 1 of the model file, as protocol 1.2's daemons wrote it: Swift's synthesized `Codable`
/// of the engine types of the time (camelCase keys, enums as `{"case": {labels…}}`). Its shape
/// is spelled out here so that no later rename inside BallastML can stop it from loading.
/// Read only; its `threads` and `run` are ignored.
///
/// ```
/// {"format": "ballast-model", "version": 1, "loss": "wce", "trained_on": "toy.train", "threshold": 0.5,
///  "model": {"kind": {"logistic": {}}, "classLabels": ["0", "1"], "positiveClass": 1,
///            "featureNames": [...], "layers": [{"inputs": 4, "outputs": 1, "weights": [...], "bias": [...]}]},
///  "config": {"model": {"logistic": {}}, "loss": {"crossEntropy": {}},
///             "optimizer": {"lbfgs": {"tolerance": 1e-06, "maxIterations": 1000, "memory": 10}},
///             "classWeights": [...], "l2": 0.01, "reduction": "mean", "seed": 3, "threads": 2}}
/// ```
struct ModelFileV1: Decodable {
    var model: Model
    var config: Config
    var trainedOn: String
    var loss: String
    var threshold: Double?

    enum CodingKeys: String, CodingKey {
        case model, config, loss, threshold
        case trainedOn = "trained_on"
    }

    struct Model: Decodable {
        var kind: Kind
        var classLabels: [String]
        var positiveClass: Int?
        var featureNames: [String]
        /// The same four keys as version 2's layers.
        var layers: [ModelFileV2.Layer]

        enum CodingKeys: String, CodingKey {
            case kind, classLabels, positiveClass, featureNames, layers
        }
    }

    /// `{"logistic": {}}`, `{"softmax": {}}` or `{"mlp": {"hidden": [64, 32]}}`.
    struct Kind: Decodable {
        var logistic: Empty?
        var softmax: Empty?
        var mlp: Hidden?

        enum CodingKeys: String, CodingKey {
            case logistic, softmax, mlp
        }
    }

    struct Hidden: Decodable {
        var hidden: [Int]

        enum CodingKeys: String, CodingKey {
            case hidden
        }
    }

    struct Empty: Decodable {}

    struct Config: Decodable {
        var model: Kind
        var loss: Loss
        var optimizer: Optimizer
        var classWeights: [Double]?
        var l2: Double
        var reduction: String
        var seed: UInt64
        var earlyStopping: EarlyStopping?

        enum CodingKeys: String, CodingKey {
            case model, loss, optimizer, classWeights, l2, reduction, seed, earlyStopping
        }
    }

    /// `{"crossEntropy": {}}` or `{"focal": {"gamma": 2, "alpha": 0.25}}`.
    struct Loss: Decodable {
        var crossEntropy: Empty?
        var focal: Focal?

        enum CodingKeys: String, CodingKey {
            case crossEntropy, focal
        }
    }

    struct Focal: Decodable {
        var gamma: Double
        var alpha: Double?

        enum CodingKeys: String, CodingKey {
            case gamma, alpha
        }
    }

    /// `{"lbfgs": {…}}`, `{"adam": {…}}` or `{"sgd": {…}}`.
    struct Optimizer: Decodable {
        var lbfgs: LBFGS?
        var adam: Adam?
        var sgd: SGD?

        enum CodingKeys: String, CodingKey {
            case lbfgs, adam, sgd
        }
    }

    struct LBFGS: Decodable {
        var tolerance: Double
        var maxIterations: Int
        var memory: Int

        enum CodingKeys: String, CodingKey {
            case tolerance, maxIterations, memory
        }
    }

    struct Adam: Decodable {
        var learningRate: Double
        var epochs: Int
        var batchSize: Int
        var beta1: Double
        var beta2: Double
        var epsilon: Double

        enum CodingKeys: String, CodingKey {
            case learningRate, epochs, batchSize, beta1, beta2, epsilon
        }
    }

    struct SGD: Decodable {
        var learningRate: Double
        var epochs: Int
        var batchSize: Int
        var momentum: Double

        enum CodingKeys: String, CodingKey {
            case learningRate, epochs, batchSize, momentum
        }
    }

    struct EarlyStopping: Decodable {
        var patience: Int
        var minDelta: Double

        enum CodingKeys: String, CodingKey {
            case patience, minDelta
        }
    }
}

extension ModelFileV1 {
    /// The model this file describes, as `ModelFileV2.entry()` gives it.
    func entry() throws(RPCError) -> Models.Entry {
        let layers = model.layers.map { DenseLayer(inputs: $0.inputs, outputs: $0.outputs, weights: $0.weights, bias: $0.bias) }
        if let positive = model.positiveClass, !model.classLabels.indices.contains(positive) {
            throw .invalidParams("The positive class \(positive) is not a class index.", field: "model.positiveClass")
        }
        let trained = TrainedModel(kind: try model.kind.modelKind(field: "model.kind"), classLabels: model.classLabels,
                                   positiveClass: model.positiveClass, schema: .numeric(model.featureNames), layers: layers)
        return Models.Entry(model: trained, config: try config.trainingConfig(), trainedOn: trainedOn,
                            loss: try LossName.parse(loss, field: "loss"),
                            threshold: threshold, run: nil)
    }
}

extension ModelFileV1.Kind {
    func modelKind(field: String) throws(RPCError) -> ModelKind {
        switch (logistic, softmax, mlp) {
        case (.some, nil, nil): return .logistic
        case (nil, .some, nil): return .softmax
        case (nil, nil, let mlp?): return .mlp(hidden: mlp.hidden)
        default: throw .invalidParams("The field '\(field)' must hold one of logistic, softmax, mlp.", field: field)
        }
    }
}

extension ModelFileV1.Config {
    func trainingConfig() throws(RPCError) -> TrainingConfig {
        let lossKind: LossKind
        switch (loss.crossEntropy, loss.focal) {
        case (.some, nil): lossKind = .crossEntropy
        case (nil, let focal?): lossKind = .focal(gamma: focal.gamma, alpha: focal.alpha)
        default: throw .invalidParams("The field 'config.loss' must hold one of crossEntropy, focal.", field: "config.loss")
        }
        let optimizerKind: OptimizerKind
        switch (optimizer.lbfgs, optimizer.adam, optimizer.sgd) {
        case (let lbfgs?, nil, nil):
            optimizerKind = .lbfgs(tolerance: lbfgs.tolerance, maxIterations: lbfgs.maxIterations, memory: lbfgs.memory)
        case (nil, let adam?, nil):
            optimizerKind = .adam(learningRate: adam.learningRate, epochs: adam.epochs, batchSize: adam.batchSize,
                                  beta1: adam.beta1, beta2: adam.beta2, epsilon: adam.epsilon)
        case (nil, nil, let sgd?):
            optimizerKind = .sgd(learningRate: sgd.learningRate, epochs: sgd.epochs, batchSize: sgd.batchSize, momentum: sgd.momentum)
        default:
            throw .invalidParams("The field 'config.optimizer' must hold one of lbfgs, adam, sgd.", field: "config.optimizer")
        }
        let reductionKind = Reduction(try ReductionName.parse(reduction, field: "config.reduction"))
        return TrainingConfig(model: try model.modelKind(field: "config.model"), loss: lossKind, optimizer: optimizerKind,
                              classWeights: classWeights, l2: l2, reduction: reductionKind, seed: seed,
                              earlyStopping: earlyStopping.map { EarlyStopping(patience: $0.patience, minDelta: $0.minDelta) })
    }
}
