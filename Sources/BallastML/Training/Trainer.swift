/// Fits models: validates the request, then runs L-BFGS or a mini-batch optimizer on the
/// objective J described in `TrainingConfig`.
public enum Trainer {
    /// Trains a model on `data`.
    ///
    /// - Parameters:
    ///   - sampleWeights: optional per-row weights (each ≥ 0 and finite, not all 0), multiplied into
    ///     the class weights: sᵢ = classWeight(yᵢ) × sampleWeightᵢ.
    ///   - threads: how many threads each pass over the data may use, asked again before every
    ///     pass; the result is bit-identical whatever it answers.
    ///   - observer: called after every step; may cancel and may supply a validation score for
    ///     early stopping.
    /// - Returns: the model, how many steps were taken and why training stopped. Cancelling is
    ///   not an error: the outcome holds the model as it was. With early stopping the best model
    ///   seen is returned.
    /// - Throws: `TrainingError.invalidArgument` (with the offending field) for a request that
    ///   cannot be carried out; `TrainingError.diverged` when J or the parameters stop being finite
    ///   (or J grows a million-fold), with the learning rate to lower.
    public static func train(_ config: TrainingConfig, on data: Dataset, sampleWeights: [Double]? = nil,
                             threads: ThreadBudget = .allCores,
                             observer: TrainingObserver = .silent) throws(TrainingError) -> TrainingOutcome {
        var problem = try makeObjective(config, data: data, sampleWeights: sampleWeights, threads: threads)
        problem.isCancelled = observer.isCancelled
        try validateOptimizer(config)
        var run = TrainingRun(config: config, data: data, objective: problem, observer: observer)
        switch config.optimizer {
        case .lbfgs(let tolerance, let maxIterations, let memory):
            return try run.lbfgs(tolerance: tolerance, maxIterations: maxIterations, memory: memory)
        case .adam, .sgd:
            return try run.stochastic()
        }
    }

    /// J of `model` under `config` (loss, class weights, l2, reduction) on `data`: what training
    /// minimises. NaN if the config does not fit the data or the model does not fit the config.
    public static func objective(_ config: TrainingConfig, model: TrainedModel, on data: Dataset,
                                 sampleWeights: [Double]? = nil) -> Double {
        guard let problem = try? makeObjective(config, data: data, sampleWeights: sampleWeights),
              let theta = problem.shape.parameters(model.layers)
        else { return .nan }
        return theta.withUnsafeBufferPointer {
            problem.evaluate($0, gradient: nil, rows: .all(data.rowCount), scale: problem.lossScale)
        }
    }

    /// The positive class of binary data: the dataset's, else the rarer class (class 1 on a tie).
    static func positiveClass(of data: Dataset) -> Int? {
        guard data.classCount == 2 else { return nil }
        if let given = data.positiveClass, given == 0 || given == 1 { return given }
        let counts = data.classCounts
        return counts[1] <= counts[0] ? 1 : 0
    }

    /// Checks everything but the optimizer and builds the objective.
    static func makeObjective(_ config: TrainingConfig, data: Dataset, sampleWeights: [Double]?,
                              threads: ThreadBudget = .allCores) throws(TrainingError) -> Objective {
        let k = data.classCount
        guard data.rowCount >= 1, data.featureCount >= 1 else {
            throw .invalid(.dataset, "Training needs at least one row and one feature; the dataset has \(data.rowCount) row(s) and \(data.featureCount) feature(s).")
        }
        guard k >= 2 else {
            throw .invalid(.dataset, "Training needs at least two classes; the dataset has \(k).")
        }
        switch config.model {
        case .logistic:
            guard k == 2 else {
                throw .invalid(.model, "A logistic model needs binary data but the dataset has \(k) classes; use softmax or mlp.")
            }
        case .softmax:
            break
        case .mlp(let hidden):
            guard !hidden.isEmpty else {
                throw .invalid(.hiddenLayers, "An mlp needs at least one hidden layer; for none, use logistic or softmax.")
            }
            if let bad = hidden.firstIndex(where: { $0 < 1 }) {
                throw .invalid(.hiddenLayers, "Every hidden layer needs at least 1 unit; layer \(bad + 1) has \(hidden[bad]).")
            }
        }
        var classWeights = [Double](repeating: 1, count: k)
        if let given = config.classWeights {
            guard given.count == k else {
                throw .invalid(.classWeights, "Give one class weight per class: the data has \(k) classes but \(given.count) weights were given.")
            }
            if let bad = given.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
                throw .invalid(.classWeights, "Class weights must be positive and finite; the weight of class '\(data.classLabels[bad])' is \(given[bad]).")
            }
            classWeights = given
        }
        if let sampleWeights {
            guard sampleWeights.count == data.rowCount else {
                throw .invalid(.sampleWeights, "Give one sample weight per row: the data has \(data.rowCount) rows but \(sampleWeights.count) weights were given.")
            }
            if let bad = sampleWeights.firstIndex(where: { !($0 >= 0 && $0.isFinite) }) {
                throw .invalid(.sampleWeights, "Sample weights must be finite and at least 0; row \(bad) has \(sampleWeights[bad]).")
            }
        }
        guard config.l2 >= 0 && config.l2.isFinite else {
            throw .invalid(.l2, "The L2 penalty must be finite and at least 0, got \(config.l2).")
        }
        if let stopping = config.earlyStopping {
            guard stopping.patience >= 1 else {
                throw .invalid(.patience, "Early-stopping patience must be at least 1 step, got \(stopping.patience).")
            }
            guard stopping.minDelta >= 0 && stopping.minDelta.isFinite else {
                throw .invalid(.minDelta, "The early-stopping minimum improvement must be finite and at least 0, got \(stopping.minDelta).")
            }
        }
        let positive = positiveClass(of: data)
        var lossFactor = classWeights
        var gamma = 0.0
        var focal = false
        if case .focal(let g, let alpha) = config.loss {
            guard g >= 0 && g.isFinite else {
                throw .invalid(.focalGamma, "The focal-loss gamma must be finite and at least 0, got \(g).")
            }
            gamma = g
            focal = g != 0
            if let alpha {
                guard alpha > 0 && alpha < 1 else {
                    throw .invalid(.focalAlpha, "The focal-loss alpha must be above 0 and below 1, got \(alpha).")
                }
                guard let positive else {
                    throw .invalid(.focalAlpha, "The focal-loss alpha weighs the positive class of binary data; with \(k) classes leave it out and give per-class factors as class weights.")
                }
                lossFactor[positive] *= alpha
                lossFactor[1 - positive] *= 1 - alpha
            }
        }
        // Σ sᵢ (class weight × sample weight).
        var weightSum = 0.0
        if let sampleWeights {
            for (row, c) in data.classIndex.enumerated() { weightSum += classWeights[Int(c)] * sampleWeights[row] }
        } else {
            for (c, count) in data.classCounts.enumerated() { weightSum += classWeights[c] * Double(count) }
        }
        guard weightSum > 0 else {
            throw .invalid(.sampleWeights, "The sample weights are all 0, so there is nothing to learn from.")
        }
        let shape = NetworkShape.of(config.model, features: data.featureCount, classes: k)
        return Objective(shape: shape, features: data.features, rowCount: data.rowCount, classIndex: data.classIndex,
                         positiveClass: positive ?? 0, lossFactor: lossFactor, sampleWeights: sampleWeights,
                         weightSum: weightSum, gamma: gamma, focal: focal, l2: config.l2,
                         reduction: config.reduction, threads: threads)
    }

    static func validateOptimizer(_ config: TrainingConfig) throws(TrainingError) {
        switch config.optimizer {
        case .lbfgs(let tolerance, let maxIterations, let memory):
            guard tolerance >= 0 && tolerance.isFinite else {
                throw .invalid(.tolerance, "The L-BFGS tolerance must be finite and at least 0, got \(tolerance).")
            }
            guard maxIterations >= 1 && maxIterations <= TrainingLimits.maxIterations else {
                throw .invalid(.maxIterations, "The iteration limit must be between 1 and \(TrainingLimits.maxIterations), got \(maxIterations).")
            }
            guard memory >= 1 else {
                throw .invalid(.lbfgsMemory, "The L-BFGS memory must be at least 1 correction pair, got \(memory).")
            }
        case .adam(let learningRate, let epochs, let batchSize, let beta1, let beta2, let epsilon):
            try validateStochastic(learningRate: learningRate, epochs: epochs, batchSize: batchSize)
            guard beta1 >= 0 && beta1 < 1 else { throw .invalid(.adamBeta1, "Adam's beta1 must be at least 0 and below 1, got \(beta1).") }
            guard beta2 >= 0 && beta2 < 1 else { throw .invalid(.adamBeta2, "Adam's beta2 must be at least 0 and below 1, got \(beta2).") }
            guard epsilon > 0 && epsilon.isFinite else { throw .invalid(.adamEpsilon, "Adam's epsilon must be positive and finite, got \(epsilon).") }
        case .sgd(let learningRate, let epochs, let batchSize, let momentum):
            try validateStochastic(learningRate: learningRate, epochs: epochs, batchSize: batchSize)
            guard momentum >= 0 && momentum < 1 else {
                throw .invalid(.momentum, "The momentum must be at least 0 and below 1, got \(momentum).")
            }
        }
    }

    private static func validateStochastic(learningRate: Double, epochs: Int, batchSize: Int) throws(TrainingError) {
        guard learningRate > 0 && learningRate.isFinite else {
            throw .invalid(.learningRate, "The learning rate must be positive and finite, got \(learningRate).")
        }
        guard epochs >= 1 && epochs <= TrainingLimits.maxEpochs else {
            throw .invalid(.epochs, "The number of epochs must be between 1 and \(TrainingLimits.maxEpochs), got \(epochs).")
        }
        guard batchSize >= 1 else { throw .invalid(.batchSize, "The batch size must be at least 1 row, got \(batchSize).") }
    }

    /// Seeded initial parameters: zeros for linear models (as scikit-learn); for an mlp, He-normal
    /// weights N(0, 2/fan_in) into ReLU layers, Glorot-uniform U(±√(6/(fan_in + fan_out))) into the
    /// output layer, zero biases. Layer l draws from stream l of the seed.
    static func initialParameters(_ shape: NetworkShape, model: ModelKind, seed: UInt64) -> [Double] {
        var theta = [Double](repeating: 0, count: shape.parameterCount)
        guard case .mlp = model else { return theta }
        for layer in 0..<shape.layerCount {
            var generator = SeededGenerator(seed: seed, stream: UInt64(layer))
            let fanIn = shape.sizes[layer]
            let fanOut = shape.sizes[layer + 1]
            let start = shape.weightOffsets[layer]
            let count = fanIn * fanOut
            if layer < shape.layerCount - 1 {
                let sd = (2 / Double(fanIn)).squareRoot()
                var i = 0
                while i < count {
                    let (a, b) = generator.nextGaussianPair()
                    theta[start + i] = sd * a
                    if i + 1 < count { theta[start + i + 1] = sd * b }
                    i += 2
                }
            } else {
                let limit = (6 / Double(fanIn + fanOut)).squareRoot()
                for i in 0..<count { theta[start + i] = (2 * generator.nextUnit() - 1) * limit }
            }
        }
        return theta
    }
}
