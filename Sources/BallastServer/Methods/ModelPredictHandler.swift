import BallastML
import BallastProtocol
import Foundation

extension Handlers {
    /// `model/predict`: probabilities and labels for a dataset, for rows given inline, or for a
    /// binary float32 matrix (answered with buffers).
    func registerModelPredict(into table: inout MethodTable) {
        table.register(ModelPredict.self, buffers: ["features"]) { params, context in
            let entry = try models.entry(params.model)
            let input = try predictionInput(params, model: entry.model, buffers: context.buffers)
            let prediction = try Prediction(input, entry: entry, threshold: params.threshold, priorCorrection: params.priorCorrection,
                                            handlers: self)
            let classes = entry.model.classLabels
            let warnings = input.warnings.isEmpty ? nil : input.warnings
            guard input.binary else {
                return ModelPredict.Result(classes: classes, probabilities: .inline(prediction.table),
                                           labels: .inline(prediction.labels.map { classes[Int($0)] }), threshold: prediction.cut,
                                           ids: input.ids, truth: input.truth, warnings: warnings)
            }
            // Binary in, binary out: buffer 0 the probabilities, buffer 1 the class indices.
            let probabilities = context.buffers.attach(prediction.probabilities, shape: [input.rowCount, classes.count])
            let labels = context.buffers.attach(prediction.labels, shape: [input.rowCount])
            return ModelPredict.Result(classes: classes, probabilities: .buffer(probabilities), labels: .buffer(labels),
                                       threshold: prediction.cut, warnings: warnings)
        }
    }

    /// What is to be predicted, encoded as the model's features.
    struct PredictionInput {
        var probabilities: [Float]
        var rowCount: Int
        var warnings: [String] = []
        var ids: [String]?
        var truth: [String]?
        /// Sent as a binary buffer, so answered with buffers.
        var binary = false
    }

    private func predictionInput(_ params: ModelPredict.Params, model: TrainedModel, buffers: RequestBuffers) throws -> PredictionInput {
        let unseen = UnseenLevels(params.unseenLevels)
        if params.features == nil, params.columns != nil || params.count != nil {
            throw RPCError.invalidParams("'columns' and 'count' describe a binary 'features' matrix, and none was given.",
                                         field: params.columns != nil ? "columns" : "count")
        }
        switch (params.dataset, params.rows, params.features) {
        case let (name?, nil, nil):
            // Labels play no part in a prediction: the data keeps its own classes.
            let stored = try workspace.dataset(name)
            let (data, warnings) = try Self.align(stored, named: name, field: "dataset", to: model.schema, classes: stored.classLabels,
                                                  positive: stored.positiveClass, unseenLevels: unseen)
            return PredictionInput(probabilities: try model.probabilities(data), rowCount: data.rowCount, warnings: warnings,
                                   ids: data.ids, truth: data.classIndex.map { data.classLabels[Int($0)] })
        case let (nil, rows?, nil):
            var encoder = PredictRowEncoder(schema: model.schema, unseenLevels: unseen)
            var features: [[Float]] = []
            features.reserveCapacity(rows.count)
            for (index, row) in rows.enumerated() {
                features.append(try encoder.features(row, field: "rows[\(index)]"))
            }
            return PredictionInput(probabilities: try model.probabilities(rows: features), rowCount: rows.count,
                                   warnings: encoder.warnings)
        case let (nil, nil, reference?):
            let (data, warnings) = try FeatureMatrixSpec.dataset(reference, columns: params.columns, count: params.count, model: model,
                                                                 buffers: buffers)
            return PredictionInput(probabilities: try model.probabilities(data), rowCount: data.rowCount, warnings: warnings, binary: true)
        default:
            throw RPCError.invalidParams("Give exactly one of 'dataset' (a name), 'rows' (an array of feature rows) or 'features' (a binary float32 matrix with its 'columns' and 'count').",
                                         field: "dataset")
        }
    }

    /// Probabilities (prior-corrected when asked) and the class index each row is labelled with:
    /// for a binary model, the positive class when P(positive) ≥ the threshold (the model's own,
    /// else 0.5); otherwise the most probable class, the first on a tie.
    struct Prediction {
        var probabilities: [Float]
        var labels: [Int32]
        /// The threshold on P(positive) used (binary models).
        var cut: Double?
        let classCount: Int

        init(_ input: PredictionInput, entry: Models.Entry, threshold: Threshold?, priorCorrection: Bool?,
             handlers: Handlers) throws {
            let model = entry.model
            classCount = model.classLabels.count
            probabilities = Handlers.priorCorrected(input.probabilities, entry: entry, asked: priorCorrection)
            let rule = try handlers.evaluationThreshold(threshold, entry: entry, validation: nil, canTune: false)
            cut = model.positiveClass == nil || classCount != 2 ? nil : {
                if case .value(let t) = rule { return t }
                return 0.5
            }()
            labels = []
            labels.reserveCapacity(input.rowCount)
            let k = classCount
            for row in 0..<input.rowCount {
                let slice = probabilities[(row * k)..<((row + 1) * k)]
                if let cut, let positive = model.positiveClass {
                    labels.append(Int32(Double(slice[slice.startIndex + positive]) >= cut ? positive : 1 - positive))
                } else {
                    var best = 0
                    for c in 1..<k where slice[slice.startIndex + c] > slice[slice.startIndex + best] { best = c }
                    labels.append(Int32(best))
                }
            }
        }

        /// One row of probabilities per row predicted, as the JSON result gives them.
        var table: [[Double]] {
            (0..<labels.count).map { row in (0..<classCount).map { Double(probabilities[row * classCount + $0]) } }
        }
    }
}
