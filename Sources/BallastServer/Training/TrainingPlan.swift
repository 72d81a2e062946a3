import BallastML
import BallastProtocol
import Foundation

/// A training request turned into what the engine needs: the config (with class weights worked
/// out on the training data and the defaults filled in), the loss's name, and how to pick the
/// threshold and the early-stopping score.
struct TrainingPlan: Sendable {
    var config: TrainingConfig
    var lossName: String
    var threshold: Threshold
    /// The validation metric early stopping watches (higher is better; `loss` is negated).
    var earlyStoppingMetric: String?

    static let losses = ["ce", "wce", "focal"]
    static let models = ["logistic", "softmax", "mlp"]
    static let optimizers = ["lbfgs", "adam", "sgd"]

    struct Request {
        var model: ModelSpec?
        var loss: LossSpec?
        var optimizer: OptimizerSpec?
        var l2: Double?
        var reduction: String?
        var seed: UInt64?
        var earlyStopping: EarlyStoppingSpec?
        var threshold: JSONValue?
        var hasValidation: Bool
    }

    init(_ request: Request, data: Dataset, handlers: Handlers) throws {
        let model = try Self.model(request.model, data: data)
        let (loss, lossName, classWeights) = try Self.loss(request.loss, data: data, handlers: handlers)
        let optimizer = try Self.optimizer(request.optimizer, model: model)
        let reduction: Reduction
        switch request.reduction {
        case nil, "mean"?: reduction = .mean
        case "sum"?: reduction = .sum
        case let other?: throw RPCError.invalidParams("reduction must be mean or sum, not '\(other)'.", field: "reduction")
        }
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
            let metric = spec.metric ?? "pr_auc"
            guard MetricReport.selectableMetrics.contains(metric) else {
                throw RPCError.invalidParams("early_stopping.metric must be one of \(MetricReport.selectableMetrics.joined(separator: ", ")), not '\(metric)'.",
                                             field: "early_stopping.metric")
            }
            earlyStopping = EarlyStopping(patience: spec.patience ?? 5, minDelta: spec.minDelta ?? 0)
            earlyStoppingMetric = metric
        }
        config = TrainingConfig(model: model, loss: loss, optimizer: optimizer, classWeights: classWeights, l2: l2,
                                reduction: reduction, seed: request.seed ?? 0, earlyStopping: earlyStopping)
        self.lossName = lossName
        threshold = try Self.threshold(request.threshold, field: "threshold", binary: data.classCount == 2,
                                       hasValidation: request.hasValidation)
    }

    private static func model(_ spec: ModelSpec?, data: Dataset) throws -> ModelKind {
        let type = spec?.type ?? (data.classCount == 2 ? "logistic" : "softmax")
        if spec?.hidden != nil && type != "mlp" {
            throw RPCError.invalidParams("'hidden' applies to the mlp model only.", field: "model.hidden")
        }
        switch type {
        case "logistic": return .logistic
        case "softmax": return .softmax
        case "mlp": return .mlp(hidden: spec?.hidden ?? [32])
        default: throw unknown("model", "model.type", type, known: models)
        }
    }

    private static func loss(_ spec: LossSpec?, data: Dataset, handlers: Handlers) throws -> (LossKind, String, [Double]?) {
        let type = spec?.type ?? "ce"
        guard losses.contains(type) else { throw unknown("loss", "loss.type", type, known: losses) }
        if type != "focal" {
            if spec?.gamma != nil { throw RPCError.invalidParams("'gamma' applies to the focal loss only.", field: "loss.gamma") }
            if spec?.alpha != nil { throw RPCError.invalidParams("'alpha' applies to the focal loss only.", field: "loss.alpha") }
        }
        if type == "ce" && spec?.weights != nil {
            throw RPCError.invalidParams("Plain cross-entropy takes no class weights; use {\"type\": \"wce\", \"weights\": …}.", field: "loss.weights")
        }
        var classWeights: [Double]?
        if let weights = spec?.weights ?? (type == "wce" ? WeightSpec(scheme: "inverse") : nil) {
            do {
                let scheme = try handlers.weightScheme(weights)
                classWeights = try ClassWeights.compute(scheme, classCounts: data.classCounts, classLabels: data.classLabels,
                                                        positiveClass: data.positiveClass).weights
            } catch {
                // Name the field by its place in model/train's params.
                var rpc = MethodTable.rpcError(from: error)
                if case .object(var data)? = rpc.data, let field = data["field"]?.stringValue {
                    data["field"] = .string("loss.weights.\(field)")
                    rpc.data = .object(data)
                }
                throw rpc
            }
        }
        if type == "focal" {
            let gamma = spec?.gamma ?? 2
            let alpha = spec?.alpha ?? (data.classCount == 2 ? 0.25 : nil)
            return (.focal(gamma: gamma, alpha: alpha), type, classWeights)
        }
        return (.crossEntropy, type, classWeights)
    }

    private static func optimizer(_ spec: OptimizerSpec?, model: ModelKind) throws -> OptimizerKind {
        let defaultType = if case .mlp = model { "adam" } else { "lbfgs" }
        let type = spec?.type ?? defaultType
        let applicable: [String: Set<String>] = [
            "lbfgs": ["tol", "max_iter", "memory"],
            "adam": ["lr", "epochs", "batch_size", "beta1", "beta2", "eps"],
            "sgd": ["lr", "epochs", "batch_size", "momentum"],
        ]
        guard let allowed = applicable[type] else { throw unknown("optimizer", "optimizer.type", type, known: optimizers) }
        if let spec {
            let given: [(String, Bool)] = [("tol", spec.tol != nil), ("max_iter", spec.maxIter != nil), ("memory", spec.memory != nil),
                                           ("lr", spec.lr != nil), ("epochs", spec.epochs != nil), ("batch_size", spec.batchSize != nil),
                                           ("momentum", spec.momentum != nil), ("beta1", spec.beta1 != nil), ("beta2", spec.beta2 != nil),
                                           ("eps", spec.eps != nil)]
            for (field, present) in given where present && !allowed.contains(field) {
                throw RPCError.invalidParams("'\(field)' does not apply to the \(type) optimizer (it takes \(allowed.sorted().joined(separator: ", "))).",
                                             field: "optimizer.\(field)")
            }
        }
        switch type {
        case "lbfgs":
            return .lbfgs(tolerance: spec?.tol ?? 1e-6, maxIterations: spec?.maxIter ?? 1000, memory: spec?.memory ?? 10)
        case "adam":
            return .adam(learningRate: spec?.lr ?? 1e-3, epochs: spec?.epochs ?? 20, batchSize: spec?.batchSize ?? 256,
                         beta1: spec?.beta1 ?? 0.9, beta2: spec?.beta2 ?? 0.999, epsilon: spec?.eps ?? 1e-8)
        default:
            return .sgd(learningRate: spec?.lr ?? 0.01, epochs: spec?.epochs ?? 20, batchSize: spec?.batchSize ?? 256,
                        momentum: spec?.momentum ?? 0.9)
        }
    }

    /// `"standard"`, a number in (0, 1), or `"best_f1"` (binary data with a validation set).
    static func threshold(_ value: JSONValue?, field: String, binary: Bool, hasValidation: Bool) throws -> Threshold {
        switch value {
        case nil, .string("standard")?: return .standard
        case .string("best_f1")?:
            guard binary else { throw RPCError.invalidParams("best_f1 applies to binary data; multiclass predictions take the argmax.", field: field) }
            guard hasValidation else {
                throw RPCError.invalidParams("best_f1 tunes the threshold on validation data: give a 'validation' dataset.", field: field)
            }
            return .bestF1
        case let number? where number.doubleValue != nil:
            let t = number.doubleValue!
            guard t > 0 && t < 1 else { throw RPCError.invalidParams("A threshold must lie strictly between 0 and 1, got \(t).", field: field) }
            guard binary else { throw RPCError.invalidParams("A threshold applies to binary data; multiclass predictions take the argmax.", field: field) }
            return .value(t)
        default:
            throw RPCError.invalidParams("threshold must be \"standard\", \"best_f1\" or a number between 0 and 1.", field: field)
        }
    }

    static func unknown(_ kind: String, _ field: String, _ name: String, known: [String]) -> RPCError {
        RPCError(code: ErrorCode.invalidParams, message: "There is no \(kind) named '\(name)' (\(kind)s: \(known.joined(separator: ", "))).",
                 data: ["field": .string(field), "known": .array(known.map { .string($0) })])
    }
}

extension TrainingError: RPCErrorConvertible {
    /// A request the engine cannot carry out is invalid params; divergence is its own domain error.
    public var rpcError: RPCError {
        switch kind {
        case .invalidArgument:
            return .invalidParams(message, field: field)
        case .diverged:
            return RPCError(code: ErrorCode.trainingDiverged, message: message, data: field.map { ["field": .string($0)] })
        }
    }
}
