import BallastML
import BallastProtocol
import Foundation

extension Handlers {
    /// `model/evaluate`, `model/predict`, `model/list`, `model/describe`, `model/drop`.
    func registerModelUse(into table: inout MethodTable) {
        table.register(ModelEvaluate.self) { params, _ in
            let entry = try models.entry(params.model)
            let (data, warnings) = try Self.align(try workspace.dataset(params.dataset), named: params.dataset, field: "dataset",
                                                  to: entry.model.schema, classes: entry.model.classLabels,
                                                  positive: entry.model.positiveClass, unseenLevels: UnseenLevels(params.unseenLevels))
            var probabilities = try entry.model.probabilities(data)
            if params.priorCorrection ?? false, let weights = entry.config.classWeights {
                probabilities = PriorCorrection.corrected(probabilities: probabilities, classCount: data.classCount, classWeights: weights)
            }
            let threshold = try evaluationThreshold(params.threshold, entry: entry, validation: params.validation,
                                                    unseenLevels: UnseenLevels(params.unseenLevels))
            let report = Metrics.report(classIndex: data.classIndex, probabilities: probabilities, classCount: data.classCount,
                                        classLabels: data.classLabels, positiveClass: entry.model.positiveClass, threshold: threshold)
            var curves: BallastProtocol.Curves?
            if params.curves ?? true, let positive = entry.model.positiveClass, data.classCount == 2 {
                let column = Metrics.positiveColumn(probabilities, positiveClass: positive)
                let pr = BallastML.Curves.precisionRecall(classIndex: data.classIndex, positiveProbability: column, positiveClass: positive)
                let roc = BallastML.Curves.roc(classIndex: data.classIndex, positiveProbability: column, positiveClass: positive)
                curves = .init(pr: BallastML.Curves.downsample(pr, maxPoints: 200).map(BallastProtocol.CurvePoint.init),
                               roc: BallastML.Curves.downsample(roc, maxPoints: 200).map(BallastProtocol.CurvePoint.init))
            }
            var result = MetricsReport(report, curves: curves)
            result.warnings = warnings.isEmpty ? nil : warnings
            return result
        }
        table.register(ModelPredict.self) { params, _ in
            let entry = try models.entry(params.model)
            let model = entry.model
            let probabilities: [Float]
            let rowCount: Int
            var warnings: [String] = []
            var ids: [String]?
            let unseen = UnseenLevels(params.unseenLevels)
            switch (params.dataset, params.rows) {
            case let (name?, nil):
                // Labels play no part in a prediction: the data keeps its own classes.
                let stored = try workspace.dataset(name)
                let (data, said) = try Self.align(stored, named: name, field: "dataset", to: model.schema, classes: stored.classLabels,
                                                  positive: stored.positiveClass, unseenLevels: unseen)
                warnings = said
                ids = data.ids
                probabilities = try model.probabilities(data)
                rowCount = data.rowCount
            case let (nil, rows?):
                var encoder = PredictRowEncoder(schema: model.schema, unseenLevels: unseen)
                var features: [[Float]] = []
                features.reserveCapacity(rows.count)
                for (index, row) in rows.enumerated() {
                    features.append(try encoder.features(row, field: "rows[\(index)]"))
                }
                warnings = encoder.warnings
                probabilities = try model.probabilities(rows: features)
                rowCount = rows.count
            default:
                throw RPCError.invalidParams("Give exactly one of 'dataset' (a name) or 'rows' (an array of feature rows).", field: "dataset")
            }
            let classes = model.classLabels.count
            let threshold = try evaluationThreshold(params.threshold, entry: entry, validation: nil, canTune: false)
            let cut: Double? = model.positiveClass == nil || classes != 2 ? nil : {
                if case .value(let t) = threshold { return t }
                return 0.5
            }()
            var table: [[Double]] = []
            var labels: [String] = []
            table.reserveCapacity(rowCount)
            for row in 0..<rowCount {
                let slice = (0..<classes).map { Double(probabilities[row * classes + $0]) }
                table.append(slice)
                if let cut, let positive = model.positiveClass {
                    labels.append(model.classLabels[slice[positive] >= cut ? positive : 1 - positive])
                } else {
                    labels.append(model.classLabels[slice.indices.max { slice[$0] < slice[$1] || (slice[$0] == slice[$1] && $0 > $1) }!])
                }
            }
            return ModelPredict.Result(classes: model.classLabels, probabilities: table, labels: labels, threshold: cut,
                                       ids: ids, warnings: warnings.isEmpty ? nil : warnings)
        }
        table.register(ModelList.self) { _, _ in
            let unavailable = models.unavailable
            return ModelList.Result(models: models.names.compactMap { name in (try? models.entry(name)).map { models.summary(name, $0) } },
                                    unavailable: unavailable.isEmpty ? nil : unavailable)
        }
        table.register(ModelDescribe.self) { params, _ in
            let entry = try models.entry(params.model)
            let parameters: ModelDescribe.Parameters
            if let coefficients = entry.model.coefficients, let intercept = entry.model.intercept {
                parameters = .linear(coef: coefficients.map(Double.init), intercept: Double(intercept))
            } else {
                parameters = .layers(entry.model.layers.map {
                    ModelDescribe.Layer(inputs: $0.inputs, outputs: $0.outputs, weights: $0.weights.map(Double.init), bias: $0.bias.map(Double.init))
                })
            }
            return ModelDescribe.Result(model: models.summary(params.model, entry), featureNames: entry.model.featureNames,
                                        columns: entry.model.schema.wireColumns, parameters: parameters, config: TrainingConfigSpec(entry.config, lossName: entry.loss))
        }
        table.register(ModelDrop.self) { params, _ in
            try models.drop(params.model)
            return ModelDrop.Result(dropped: params.model)
        }
    }

    /// A threshold for scoring an existing model: given, tuned on `validation` (matched to the
    /// model's columns as the scored data is), or the model's own. `canTune` is false for
    /// `model/predict`, which takes no validation data.
    private func evaluationThreshold(_ requested: Threshold?, entry: Models.Entry, validation: String?, canTune: Bool = true,
                                     unseenLevels: UnseenLevels = .refuse) throws -> ThresholdRule {
        let binary = entry.model.classLabels.count == 2 && entry.model.positiveClass != nil
        guard let requested else { return entry.threshold.map { .value($0) } ?? .standard }
        if requested == .bestF1, validation == nil {
            // The threshold tuned at training, when it was; never a quiet 0.5.
            guard entry.thresholdTuned, let stored = entry.threshold else {
                throw RPCError.invalidParams(canTune
                    ? "best_f1 tunes the threshold on validation data: give a 'validation' dataset (this model's threshold was not tuned at training)."
                    : "best_f1 here reuses the threshold tuned at training, and this model's was not: give a number, or train it with threshold best_f1.",
                    field: "threshold")
            }
            return .value(stored)
        }
        let rule = try ThresholdRule(requested, field: "threshold", binary: binary, hasValidation: validation != nil)
        guard case .bestF1 = rule, let validation, let positive = entry.model.positiveClass else { return rule }
        let (data, _) = try Self.align(try workspace.dataset(validation, field: "validation"), named: validation, field: "validation",
                                       to: entry.model.schema, classes: entry.model.classLabels, positive: entry.model.positiveClass,
                                       unseenLevels: unseenLevels)
        let probabilities = try entry.model.probabilities(data)
        let column = Metrics.positiveColumn(probabilities, positiveClass: positive)
        return .value(Thresholds.bestF1(classIndex: data.classIndex, positiveProbability: column, positiveClass: positive))
    }
}
