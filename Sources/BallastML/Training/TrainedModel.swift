/// One fully connected layer: `output = weights · input + bias`.
public struct DenseLayer: Sendable, Equatable {
    public var inputs: Int
    public var outputs: Int
    /// `outputs × inputs`, row-major: row o holds the weights into output unit o.
    public var weights: [Float]
    public var bias: [Float]

    public init(inputs: Int, outputs: Int, weights: [Float], bias: [Float]) {
        self.inputs = inputs
        self.outputs = outputs
        self.weights = weights
        self.bias = bias
    }
}

/// A fitted model: its layers (float32) and what its outputs mean.
///
/// Between layers the activation is ReLU. One output unit means a sigmoid giving
/// P(`positiveClass`); `K` output units mean a softmax over the classes in `classLabels` order.
public struct TrainedModel: Sendable, Equatable {
    public var kind: ModelKind
    public var classLabels: [String]
    /// For a sigmoid output (logistic, binary mlp), the class whose probability the output gives.
    public var positiveClass: Int?
    /// The columns it was trained on: data it scores is aligned to them by name.
    public var schema: DatasetSchema
    public var featureNames: [String] { schema.featureNames }
    public var layers: [DenseLayer]

    public init(kind: ModelKind, classLabels: [String], positiveClass: Int?, schema: DatasetSchema, layers: [DenseLayer]) {
        self.kind = kind
        self.classLabels = classLabels
        self.positiveClass = positiveClass
        self.schema = schema
        self.layers = layers
    }

    /// Logistic models: the weight of each feature in the log-odds of the positive class.
    public var coefficients: [Float]? {
        guard kind == .logistic, layers.count == 1 else { return nil }
        return layers[0].weights
    }

    /// Logistic models: the log-odds of the positive class when every feature is 0.
    public var intercept: Float? {
        guard kind == .logistic, layers.count == 1 else { return nil }
        return layers[0].bias.first
    }

    /// Class probabilities of every row of `data`: `rowCount × classCount`, row-major, each row
    /// summing to 1 (binary: `[P(class 0), P(class 1)]`, in class-index order).
    /// Features are matched by position; their count must equal the model's. A job that shares
    /// the cores passes its `threads`.
    public func probabilities(_ data: Dataset, threads: ThreadBudget = .allCores) throws(InvalidArgument) -> [Float] {
        guard data.featureCount == featureNames.count else {
            throw InvalidArgument(field: .dataset,
                                  message: "The model was trained on \(featureNames.count) features but the dataset has \(data.featureCount).")
        }
        return try probabilities(features: data.features, rows: data.rowCount, threads: threads)
    }

    /// Class probabilities of the given rows (each with one value per feature), as `probabilities(_:)`.
    public func probabilities(rows: [[Float]]) throws(InvalidArgument) -> [Float] {
        var flat: [Float] = []
        flat.reserveCapacity(rows.count * featureNames.count)
        for (index, row) in rows.enumerated() {
            guard row.count == featureNames.count else {
                throw InvalidArgument(field: .featureRows,
                                      message: "Row \(index) has \(row.count) values but the model takes \(featureNames.count) features.")
            }
            flat += row
        }
        return try probabilities(features: FeatureMatrix(flat), rows: rows.count, threads: .allCores)
    }

    private func probabilities(features: FeatureMatrix, rows: Int, threads: ThreadBudget) throws(InvalidArgument) -> [Float] {
        guard let first = layers.first else {
            throw InvalidArgument(field: .model, message: "The model has no layers.")
        }
        let shape = NetworkShape(sizes: [first.inputs] + layers.map(\.outputs))
        guard first.inputs == featureNames.count, let theta = shape.parameters(layers),
              shape.outputCount == (classLabels.count == 2 && shape.sigmoidOutput ? 1 : classLabels.count)
        else {
            throw InvalidArgument(field: .model, message: "The model's layers do not fit together or do not match its classes.")
        }
        let positive = positiveClass ?? 1
        let objective = Objective(shape: shape, features: features, rowCount: rows, classIndex: [],
                                  positiveClass: positive, lossFactor: [], sampleWeights: nil, weightSum: 1,
                                  gamma: 0, focal: false, l2: 0, reduction: .mean,
                                  threads: threads)
        return theta.withUnsafeBufferPointer { objective.probabilities($0, classCount: classLabels.count) }
    }
}
