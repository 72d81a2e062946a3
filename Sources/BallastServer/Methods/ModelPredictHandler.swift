import BallastML
import BallastProtocol
import Foundation

extension Handlers {
    /// `model/predict`: probabilities and labels for a dataset or for rows given inline.
    func registerModelPredict(into table: inout MethodTable) {
        table.register(ModelPredict.self) { params, _ in
            let entry = try models.entry(params.model)
            let input = try predictionInput(params, model: entry.model)
            let prediction = try Prediction(input, entry: entry, threshold: params.threshold, priorCorrection: params.priorCorrection,
                                            handlers: self)
            let classes = entry.model.classLabels
            return ModelPredict.Result(classes: classes, probabilities: prediction.table, labels: prediction.labels.map { classes[Int($0)] },
                                       threshold: prediction.cut, ids: input.ids, truth: input.truth,
                                       warnings: input.warnings.isEmpty ? nil : input.warnings)
        }
    }

    /// What is to be predicted, encoded as the model's features.
    struct PredictionInput {
        var probabilities: [Float]
        var rowCount: Int
        var warnings: [String] = []
        var ids: [String]?
        var truth: [String]?
    }

    private func predictionInput(_ params: ModelPredict.Params, model: TrainedModel) throws -> PredictionInput {
        let unseen = UnseenLevels(params.unseenLevels)
        switch (params.dataset, params.rows) {
        case let (name?, nil):
            // Labels play no part in a prediction: the data keeps its own classes.
            let stored = try workspace.dataset(name)
            let (data, warnings) = try Self.align(stored, named: name, field: "dataset", to: model.schema, classes: stored.classLabels,
                                                  positive: stored.positiveClass, unseenLevels: unseen)
            return PredictionInput(probabilities: try model.probabilities(data), rowCount: data.rowCount, warnings: warnings,
                                   ids: data.ids, truth: data.classIndex.map { data.classLabels[Int($0)] })
        case let (nil, rows?):
            var encoder = PredictRowEncoder(schema: model.schema, unseenLevels: unseen)
            var features: [[Float]] = []
            features.reserveCapacity(rows.count)
            for (index, row) in rows.enumerated() {
                features.append(try encoder.features(row, field: "rows[\(index)]"))
            }
            return PredictionInput(probabilities: try model.probabilities(rows: features), rowCount: rows.count,
                                   warnings: encoder.warnings)
        default:
            throw RPCError.invalidParams("Give exactly one of 'dataset' (a name) or 'rows' (an array of feature rows).", field: "dataset")
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
