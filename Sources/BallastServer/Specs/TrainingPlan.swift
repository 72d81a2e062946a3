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
    }

    init(_ request: Request, data: Dataset) throws {
        let model = try Self.model(request.model, data: data)
        let (loss, lossName, classWeights) = try Self.loss(request.loss, data: data)
        let optimizer = try Self.optimizer(request.optimizer, model: model)
        let reduction = Reduction(request.reduction ?? .mean)
        // scikit-learn's default C = 1 is l2 = 1/Σsᵢ for a mean, 1 for a sum.
        let weightSum = zip(data.classCounts, classWeights ?? Array(repeating: 1, count: data.classCount))
            .reduce(0.0) { $0 + Double($1.0) * $1.1 }
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
        threshold = try ThresholdRule(request.threshold, field: "threshold", binary: data.classCount == 2,
                                      hasValidation: request.hasValidation)
    }

    private static func model(_ spec: ModelSpec?, data: Dataset) throws(RPCError) -> ModelKind {
        let type = spec?.type ?? (data.classCount == 2 ? .logistic : .softmax)
        if spec?.hidden != nil && type != .mlp {
            throw .invalidParams("'hidden' applies to the mlp model only.", field: "model.hidden")
        }
        switch type {
        case .logistic: return .logistic
        case .softmax: return .softmax
        case .mlp: return .mlp(hidden: spec?.hidden ?? [32])
        }
    }

    private static func loss(_ spec: LossSpec?, data: Dataset) throws -> (LossKind, LossName, [Double]?) {
        let type = spec?.type ?? .ce
        if type != .focal {
            if spec?.gamma != nil { throw RPCError.invalidParams("'gamma' applies to the focal loss only.", field: "loss.gamma") }
            if spec?.alpha != nil { throw RPCError.invalidParams("'alpha' applies to the focal loss only.", field: "loss.alpha") }
        }
        if type == .ce && spec?.weights != nil {
            throw RPCError.invalidParams("Plain cross-entropy takes no class weights; use {\"type\": \"wce\", \"weights\": …}.", field: "loss.weights")
        }
        var classWeights: [Double]?
        if let weights = spec?.weights ?? (type == .wce ? WeightSpec(scheme: .inverse) : nil) {
            let scheme = try WeightScheme(weights, at: WirePaths.training.weightsPrefix)
            classWeights = try WirePaths.training.translating {
                try ClassWeights.compute(scheme, classCounts: data.classCounts, classLabels: data.classLabels,
                                         positiveClass: data.positiveClass).weights
            }
        }
        switch type {
        case .focal:
            let alpha = spec?.alpha ?? (data.classCount == 2 ? 0.25 : nil)
            return (.focal(gamma: spec?.gamma ?? 2, alpha: alpha), type, classWeights)
        case .ce, .wce:
            return (.crossEntropy, type, classWeights)
        }
    }

    /// The optimizer with its defaults; a field that belongs to another optimizer is refused.
    private static func optimizer(_ spec: OptimizerSpec?, model: ModelKind) throws(RPCError) -> OptimizerKind {
        let defaultType: OptimizerName = if case .mlp = model { .adam } else { .lbfgs }
        let type = spec?.type ?? defaultType
        let allowed: Set<String> = switch type {
        case .lbfgs: ["tol", "max_iter", "memory"]
        case .adam: ["lr", "epochs", "batch_size", "beta1", "beta2", "eps"]
        case .sgd: ["lr", "epochs", "batch_size", "momentum"]
        }
        if let spec {
            let given: [(String, Bool)] = [("tol", spec.tol != nil), ("max_iter", spec.maxIter != nil), ("memory", spec.memory != nil),
                                           ("lr", spec.lr != nil), ("epochs", spec.epochs != nil), ("batch_size", spec.batchSize != nil),
                                           ("momentum", spec.momentum != nil), ("beta1", spec.beta1 != nil), ("beta2", spec.beta2 != nil),
                                           ("eps", spec.eps != nil)]
            for (field, present) in given where present && !allowed.contains(field) {
                throw .invalidParams("'\(field)' does not apply to the \(type.rawValue) optimizer (it takes \(allowed.sorted().joined(separator: ", "))).",
                                     field: "optimizer.\(field)")
            }
        }
        switch type {
        case .lbfgs:
            return .lbfgs(tolerance: spec?.tol ?? 1e-6, maxIterations: spec?.maxIter ?? 1000, memory: spec?.memory ?? 10)
        case .adam:
            return .adam(learningRate: spec?.lr ?? 1e-3, epochs: spec?.epochs ?? 20, batchSize: spec?.batchSize ?? 256,
                         beta1: spec?.beta1 ?? 0.9, beta2: spec?.beta2 ?? 0.999, epsilon: spec?.eps ?? 1e-8)
        case .sgd:
            return .sgd(learningRate: spec?.lr ?? 0.01, epochs: spec?.epochs ?? 20, batchSize: spec?.batchSize ?? 256,
                        momentum: spec?.momentum ?? 0.9)
        }
    }
}
