import BallastML
import BallastProtocol

/// A training request turned into what the engine needs: the config (class weights worked out
/// on the training data, defaults filled in), the loss's name, the threshold rule and the metric
/// early stopping watches. Shared by `model/train` and, without a loss, by the experiments.
struct TrainingPlan: Sendable {
    var config: TrainingConfig
    var lossName: LossName
    var threshold: ThresholdRule
    /// The validation metric early stopping watches (higher is better).
    var earlyStoppingMetric: SelectableMetric?
    /// One weight per training row (`model/train`'s `sample_weight`), multiplied into the class
    /// weights: sᵢ = classWeight(yᵢ) × sampleWeightᵢ.
    var sampleWeights: [Double]?

    struct Request {
        var model: ModelSpec?
        var loss: LossSpec?
        var optimizer: OptimizerSpec?
        var l2: Double?
        var reduction: ReductionName?
        var seed: UInt64?
        var earlyStopping: EarlyStoppingSpec?
        var threshold: Threshold?
        var hasValidation: Bool
        var sampleWeights: [Double]? = nil
    }

    init(_ request: Request, data: Dataset) throws {
        let model = try ModelKind(requested: request.model, classes: data.classCount)
        let (loss, lossName, classWeights) = try LossKind.requested(request.loss, data: data)
        let optimizer = try OptimizerKind(requested: request.optimizer, model: model)
        let reduction = Reduction(request.reduction ?? .mean)
        // scikit-learn's default C = 1 is l2 = 1/Σsᵢ for a mean, 1 for a sum; sᵢ includes the
        // row's sample weight, so that weight 2 and a row given twice are the same problem.
        let perClass = classWeights ?? Array(repeating: 1, count: data.classCount)
        let weightSum: Double = if let sampleWeights = request.sampleWeights {
            zip(data.classIndex, sampleWeights).reduce(0.0) { $0 + perClass[Int($1.0)] * $1.1 }
        } else {
            zip(data.classCounts, perClass).reduce(0.0) { $0 + Double($1.0) * $1.1 }
        }
        let l2 = request.l2 ?? (reduction == .mean ? 1 / weightSum : 1)
        guard l2 >= 0, l2.isFinite else { throw RPCError.invalidParams("l2 must be 0 or more, got \(l2).", field: "l2") }
        var earlyStopping: EarlyStopping?
        if let spec = request.earlyStopping {
            guard request.hasValidation else {
                throw RPCError.invalidParams("Early stopping watches a validation metric: give a 'validation' dataset.", field: "early_stopping")
            }
            earlyStopping = EarlyStopping(patience: spec.patience ?? 5, minDelta: spec.minDelta ?? 0)
            earlyStoppingMetric = SelectableMetric(spec.metric ?? .prAUC)
        }
        config = TrainingConfig(model: model, loss: loss, optimizer: optimizer, classWeights: classWeights, l2: l2,
                                reduction: reduction, seed: request.seed ?? 0, earlyStopping: earlyStopping)
        self.lossName = lossName
        sampleWeights = request.sampleWeights
        threshold = try ThresholdRule(request.threshold, field: "threshold", binary: data.classCount == 2,
                                      hasValidation: request.hasValidation)
    }

    /// Bytes a running training holds besides its data: its parameters, gradient and the
    /// optimizer's state as doubles (L-BFGS keeps 2 × `memory` vectors), saturating at `Int.max`,
    /// so that an absurd `memory` or `hidden` is refused by the memory budget before anything is
    /// allocated.
    func workingBytes(features: Int, classes: Int) -> Int {
        let vectors: Int = switch config.optimizer {
        case .lbfgs(_, _, let memory): memory.multipliedReportingOverflow(by: 2).overflow ? .max : 2 * memory &+ 4
        case .adam: 5
        case .sgd: 4
        }
        let (doubles, o1) = parameterCount(features: features, classes: classes).multipliedReportingOverflow(by: max(vectors, 0))
        let (bytes, o2) = doubles.multipliedReportingOverflow(by: 8)
        return o1 || o2 || vectors < 0 ? .max : bytes
    }

    /// Bytes a training's metrics hold besides the data, saturating at `Int.max`: the class
    /// probabilities of every row scored (4 bytes a class a row; the training rows and the
    /// validation rows are held at once for the threshold, the reports and the calibration), and
    /// the keys of one ranking at a time (4 bytes a row of the largest). At 50 million binary rows
    /// that is 600 MB, which must fit the budget before the training starts, not be found missing
    /// after an hour of iterations.
    static func reportBytes(classes: Int, rows: [Int]) -> Int {
        let probabilities = MemoryBudget.sum(rows.map { MemoryBudget.product($0, classes, MemoryLayout<Float>.size) })
        return MemoryBudget.sum([probabilities, Metrics.workingBytes(rows: rows.max() ?? 0)])
    }

    /// How many weights and biases the trained model will have, saturating at `Int.max`.
    func parameterCount(features: Int, classes: Int) -> Int {
        let hidden: [Int] = if case .mlp(let sizes) = config.model { sizes } else { [] }
        let sigmoid = classes == 2 && config.model != .softmax
        let sizes = [features] + hidden + [sigmoid ? 1 : classes]
        var total = 0
        for (inputs, outputs) in zip(sizes, sizes.dropFirst()) {
            let (weights, o1) = inputs.multipliedReportingOverflow(by: outputs)
            let (layer, o2) = weights.addingReportingOverflow(outputs)
            let (sum, o3) = total.addingReportingOverflow(layer)
            if o1 || o2 || o3 { return .max }
            total = sum
        }
        return total
    }
}
