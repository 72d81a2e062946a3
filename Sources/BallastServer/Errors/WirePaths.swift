import BallastML

/// Where each engine input sits in the params of the request being served, so that an engine
/// error names the field the client sent: `learningRate` is `optimizer.lr`, and a cost matrix is
/// `cost` in `weights/compute` but `loss.weights.cost` in `model/train`.
struct WirePaths: Sendable {
    /// Where the class-weight fields sit: `""` in `weights/compute`, `"loss.weights."` in training.
    var weightsPrefix = ""
    /// Paths that differ in this request (a comparison's training data is its `train`).
    var overrides: [InputField: String] = [:]

    static let standard = WirePaths()
    static let training = WirePaths(weightsPrefix: "loss.weights.")

    /// The wire path of `field`.
    func path(_ field: InputField) -> String {
        if let override = overrides[field] { return override }
        switch field {
        case .dataset, .classLabels, .classCounts, .positiveClass, .classIndex, .classCount, .sampleWeights: return "dataset"
        case .featureRows: return "rows"
        case .model: return "model"
        case .weightScheme: return weightsPrefix + "scheme"
        case .effectiveNumberBeta: return weightsPrefix + "beta"
        case .binaryWeight: return weightsPrefix + "w"
        case .customWeights: return weightsPrefix + "weights"
        case .costMatrix: return weightsPrefix + "cost"
        case .hiddenLayers: return "model.hidden"
        case .classWeights: return "loss.weights"
        case .l2: return "l2"
        case .focalGamma: return "loss.gamma"
        case .focalAlpha: return "loss.alpha"
        case .tolerance: return "optimizer.tol"
        case .maxIterations: return "optimizer.max_iter"
        case .lbfgsMemory: return "optimizer.memory"
        case .learningRate: return "optimizer.lr"
        case .epochs: return "optimizer.epochs"
        case .batchSize: return "optimizer.batch_size"
        case .momentum: return "optimizer.momentum"
        case .adamBeta1: return "optimizer.beta1"
        case .adamBeta2: return "optimizer.beta2"
        case .adamEpsilon: return "optimizer.eps"
        case .patience: return "early_stopping.patience"
        case .minDelta: return "early_stopping.min_delta"
        case .rowCount: return "rows"
        case .featureCount, .featureNames: return "features"
        case .informativeCount: return "informative"
        case .classProportions: return "class_weights"
        case .separation: return "separation"
        case .labelNoise: return "noise"
        case .testFraction: return "test"
        case .validationFraction: return "validation"
        case .folds: return "folds"
        case .resampleRatio: return "ratio"
        case .neighbours: return "k"
        case .sweepGrid: return "grid"
        case .sweepParameter: return "param"
        case .objective: return "objective"
        case .calibration: return "calibrate"
        case .repeats: return "repeats"
        case .holdout: return "holdout"
        case .candidates: return "candidates"
        }
    }

    /// Runs engine code, turning its errors into JSON-RPC errors that name this request's fields.
    func translating<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as InvalidArgument {
            throw error.rpcError(at: self)
        } catch let error as TrainingError {
            throw error.rpcError(at: self)
        }
    }
}
