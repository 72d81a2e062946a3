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
                                 featureNames: model.featureNames, columns: model.schema.wireColumns,
                                 layers: model.layers.map { Layer(inputs: $0.inputs, outputs: $0.outputs, weights: $0.weights, bias: $0.bias) }),
                  config: TrainingConfigSpec(entry.config, lossName: entry.loss),
                  trainedOn: entry.trainedOn, threshold: entry.threshold)
    }

    /// The model this file describes; errors are -32602 naming the field, for `ModelFile` to
    /// turn into -32010 naming the file.
    func entry() throws(RPCError) -> Models.Entry {
        let hiddenSizes = model.layers.dropLast().map(\.outputs)
        let kind = try ModelKind(try ModelName.parse(model.type, field: "model.type"), hidden: hiddenSizes)
        var positiveClass: Int?
        if let positive = model.positive {
            guard let index = model.classes.firstIndex(of: positive) else {
                throw .invalidParams("The positive class '\(positive)' is not one of the classes.", field: "model.positive")
            }
            positiveClass = index
        }
        let layers = model.layers.map { DenseLayer(inputs: $0.inputs, outputs: $0.outputs, weights: $0.weights, bias: $0.bias) }
        let schema = model.columns.map(DatasetSchema.init) ?? .numeric(model.featureNames)
        guard schema.featureNames == model.featureNames else {
            throw .invalidParams("The columns do not give the file's feature names.", field: "model.columns")
        }
        return Models.Entry(model: TrainedModel(kind: kind, classLabels: model.classes, positiveClass: positiveClass,
                                                schema: schema, layers: layers),
                            config: try TrainingConfig(exactly: config, at: "config."), trainedOn: trainedOn, loss: config.loss.type,
                            threshold: threshold, run: nil)
    }
}
