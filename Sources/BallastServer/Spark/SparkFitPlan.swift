import BallastML
import BallastProtocol

/// A training plan as the sidecar's `fit` request, and Spark's answer back as a model.
///
/// Spark minimises Σwᵢℓᵢ/Σwᵢ + (regParam/2)‖β‖² (intercepts unpenalised), Ballast's J with a
/// mean reduction, so regParam is Ballast's l2. A sum reduction, Σsᵢℓᵢ + (l2/2)‖W‖², has the
/// same minimiser as the mean with l2/Σsᵢ: regParam is l2/Σsᵢ, and the objective reported is
/// Spark's times Σsᵢ, in the sum's own terms.
struct SparkFitPlan: Sendable {
    let request: SparkFitRequest
    let maxIterations: Int
    let reduction: Reduction
    let weightSum: Double
    let data: (classLabels: [String], positiveClass: Int?, schema: DatasetSchema, kind: ModelKind)

    /// Spark's `tol` (relative change of the objective) unless `optimizer.tol` says otherwise:
    /// tight enough that Spark's fit agrees with the local L-BFGS's to about 1e-6.
    static let defaultTolerance = 1e-10

    init(plan: TrainingPlan, data train: Dataset, source: SparkSource, tolerance: Double?) {
        let config = plan.config
        let perClass = config.classWeights ?? Array(repeating: 1, count: train.classCount)
        weightSum = zip(train.classCounts, perClass).reduce(0.0) { $0 + Double($1.0) * $1.1 }
        reduction = config.reduction
        let maxIterations: Int = if case .lbfgs(_, let iterations, _) = config.optimizer { iterations } else { 1000 }
        self.maxIterations = maxIterations
        let binomial = config.model == .logistic
        let positive = binomial ? Self.positiveClass(of: train) : nil
        data = (train.classLabels, positive, train.schema, config.model)
        request = SparkFitRequest(
            id: "", path: source.path, format: source.format, delimiter: source.delimiter, header: source.header,
            columns: source.columns, label: source.label,
            features: train.featureNames, classes: train.classLabels, positive: positive, classWeights: config.classWeights,
            family: binomial ? .binomial : .multinomial,
            regParam: config.reduction == .sum ? config.l2 / weightSum : config.l2,
            maxIterations: maxIterations, tolerance: tolerance ?? Self.defaultTolerance,
            classCounts: train.classCounts)
    }

    /// The positive class of binary data as the local trainer picks it: the dataset's, else the
    /// rarer class (class 1 on a tie).
    static func positiveClass(of data: Dataset) -> Int? {
        guard data.classCount == 2 else { return nil }
        if let given = data.positiveClass, given == 0 || given == 1 { return given }
        let counts = data.classCounts
        return counts[1] <= counts[0] ? 1 : 0
    }

    /// Spark's coefficients as a model with a local fit's layout: one layer, `outputs × features`
    /// float32 weights row-major, one output (P(positive)) for logistic, one per class for softmax.
    func model(from result: SparkFitResult) throws(RPCError) -> TrainedModel {
        let features = data.schema.featureNames.count
        let outputs = data.kind == .logistic ? 1 : data.classLabels.count
        guard result.coefficients.count == outputs, result.intercepts.count == outputs,
              result.coefficients.allSatisfy({ $0.count == features }) else {
            throw RPCError.internalError("The Spark sidecar answered with \(result.coefficients.count) rows of coefficients (\(result.coefficients.first?.count ?? 0) each) and \(result.intercepts.count) intercepts; \(outputs) rows of \(features) were expected.")
        }
        let layer = DenseLayer(inputs: features, outputs: outputs, weights: result.coefficients.flatMap { $0.map { Float($0) } },
                               bias: result.intercepts.map { Float($0) })
        return TrainedModel(kind: data.kind, classLabels: data.classLabels, positiveClass: data.positiveClass,
                            schema: data.schema, layers: [layer])
    }

    /// Spark's last objective, in the reduction's terms.
    func objective(_ result: SparkFitResult) -> Double {
        // A fit that ran has at least its first objective; none (an empty dataset) reports 0.
        guard let last = result.objectiveHistory.last else { return 0 }
        let sum = result.weightSum.isFinite && result.weightSum > 0 ? result.weightSum : weightSum
        return reduction == .sum ? last * sum : last
    }
}
