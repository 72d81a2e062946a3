import BallastML
import BallastProtocol
import Foundation

extension Handlers {
    /// `model/evaluate`, `model/list`, `model/describe`, `model/drop` (`model/predict` has a file of its own).
    func registerModelUse(into table: inout MethodTable) {
        registerModelPredict(into: &table)
        table.register(ModelEvaluate.self) { params, _ in
            let entry = try models.entry(params.model)
            let (data, warnings) = try Self.align(try workspace.dataset(params.dataset), named: params.dataset, field: "dataset",
                                                  to: entry.model.schema, classes: entry.model.classLabels,
                                                  positive: entry.model.positiveClass, unseenLevels: UnseenLevels(params.unseenLevels))
            let wantsCurves = params.curves ?? true
            // Curves are drawn for binary data only.
            let release = try holdEvaluationMemory(rows: data.rowCount, classes: data.classCount,
                                                   curves: wantsCurves && data.classCount == 2, dataset: params.dataset)
            defer { release() }
            let probabilities = Self.priorCorrected(try entry.model.probabilities(data), entry: entry, asked: params.priorCorrection)
            let threshold = try evaluationThreshold(params.threshold, entry: entry, validation: params.validation,
                                                    unseenLevels: UnseenLevels(params.unseenLevels))
            let report = Metrics.report(classIndex: data.classIndex, probabilities: probabilities, classCount: data.classCount,
                                        classLabels: data.classLabels, positiveClass: entry.model.positiveClass, threshold: threshold)
            var curves: BallastProtocol.Curves?
            if wantsCurves, let positive = entry.model.positiveClass, data.classCount == 2 {
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
    func evaluationThreshold(_ requested: Threshold?, entry: Models.Entry, validation: String?, canTune: Bool = true,
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

    /// The model's probabilities with the shift its class weights put into them undone, when
    /// `prior_correction` asks (`model/evaluate` and `model/predict` alike); a model trained
    /// without class weights has nothing to undo.
    static func priorCorrected(_ probabilities: [Float], entry: Models.Entry, asked: Bool?) -> [Float] {
        guard asked ?? false, let weights = entry.config.classWeights else { return probabilities }
        return PriorCorrection.corrected(probabilities: probabilities, classCount: entry.model.classLabels.count, classWeights: weights)
    }
}
