import BallastML
import BallastProtocol
import Foundation

extension Handlers {
    /// `model/evaluate`, `model/predict`, `model/list`, `model/describe`, `model/drop`.
    func registerModelUse(into table: inout MethodTable) {
        table.register(ModelEvaluate.self) { params, _ in
            let entry = try models.entry(params.model)
            let data = try workspace.dataset(params.dataset)
            try Self.checkFeatures(entry.model, data, field: "dataset")
            var probabilities = try entry.model.probabilities(data)
            if params.priorCorrection ?? false, let weights = entry.config.classWeights {
                probabilities = PriorCorrection.corrected(probabilities: probabilities, classCount: data.classCount, classWeights: weights)
            }
            let threshold = try evaluationThreshold(params.threshold, entry: entry, validation: params.validation)
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
            return MetricsReport(report, curves: curves)
        }
        table.register(ModelPredict.self) { params, _ in
            let entry = try models.entry(params.model)
            let model = entry.model
            let probabilities: [Float]
            let rowCount: Int
            switch (params.dataset, params.rows) {
            case let (name?, nil):
                let data = try workspace.dataset(name)
                try Self.checkFeatures(model, data, field: "dataset", classes: false)
                probabilities = try model.probabilities(data)
                rowCount = data.rowCount
            case let (nil, rows?):
                if let bad = rows.firstIndex(where: { $0.count != model.featureNames.count }) {
                    throw RPCError.invalidParams("Row \(bad) has \(rows[bad].count) values; the model takes \(model.featureNames.count) features.",
                                                 field: "rows[\(bad)]")
                }
                if let bad = rows.firstIndex(where: { $0.contains { !$0.isFinite } }) {
                    throw RPCError.invalidParams("Row \(bad) holds a value that is not a finite number.", field: "rows[\(bad)]")
                }
                probabilities = try model.probabilities(rows: rows.map { $0.map(Float.init) })
                rowCount = rows.count
            default:
                throw RPCError.invalidParams("Give exactly one of 'dataset' (a name) or 'rows' (an array of feature rows).", field: "dataset")
            }
            let classes = model.classLabels.count
            let threshold = try evaluationThreshold(params.threshold, entry: entry, validation: nil)
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
            return ModelPredict.Result(classes: model.classLabels, probabilities: table, labels: labels, threshold: cut)
        }
        table.register(ModelList.self) { _, _ in
            ModelList.Result(models: models.names.compactMap { name in (try? models.entry(name)).map { models.summary(name, $0) } })
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
                                        parameters: parameters, config: TrainingConfigSpec(entry.config, lossName: entry.loss))
        }
        table.register(ModelDrop.self) { params, _ in
            try models.drop(params.model)
            return ModelDrop.Result(dropped: params.model)
        }
    }

    /// A threshold for scoring an existing model: given, tuned on `validation`, or the model's own.
    private func evaluationThreshold(_ requested: Threshold?, entry: Models.Entry, validation: String?) throws -> ThresholdRule {
        let binary = entry.model.classLabels.count == 2 && entry.model.positiveClass != nil
        guard let requested else { return entry.threshold.map { .value($0) } ?? .standard }
        if requested == .bestF1, validation == nil, let stored = entry.threshold { return .value(stored) }
        let rule = try ThresholdRule(requested, field: "threshold", binary: binary, hasValidation: validation != nil)
        guard case .bestF1 = rule, let validation, let positive = entry.model.positiveClass else { return rule }
        let data = try workspace.dataset(validation, field: "validation")
        try Self.checkFeatures(entry.model, data, field: "validation")
        let probabilities = try entry.model.probabilities(data)
        let column = Metrics.positiveColumn(probabilities, positiveClass: positive)
        return .value(Thresholds.bestF1(classIndex: data.classIndex, positiveProbability: column, positiveClass: positive))
    }

    /// The dataset must have the model's features (and, to be scored, its classes in its order).
    static func checkFeatures(_ model: TrainedModel, _ data: Dataset, field: String, classes: Bool = true) throws {
        guard model.featureNames.count == data.featureCount else {
            throw RPCError(code: ErrorCode.invalidParams,
                           message: "The model takes \(model.featureNames.count) features but the dataset has \(data.featureCount).",
                           data: ["field": .string(field), "model_features": .int(Int64(model.featureNames.count)),
                                  "dataset_features": .int(Int64(data.featureCount))])
        }
        guard !classes || model.classLabels == data.classLabels else {
            throw RPCError(code: ErrorCode.invalidParams,
                           message: "The model knows the classes \(model.classLabels.joined(separator: ", ")) but the dataset has \(data.classLabels.joined(separator: ", ")).",
                           data: ["field": .string(field)])
        }
    }
}
