import BallastML
import BallastProtocol

/// A sweep as the sidecar's `sweep` request, and its answer back as the sweep's points.
///
/// The fits run repeat by repeat, value by value, fold by fold, the order of the local sweep's
/// scores (each point's `folds` repeat-major). Each fit's class weights and default l2 are the
/// local sweep's for that fold's training rows: their class counts are known before Spark runs,
/// because the sidecar deals class c's rows to folds by rank mod k, so fold f holds
/// ⌈(n_c − f)/k⌉ of them (checked against the counts Spark returns).
struct SparkSweepPlan: Sendable {
    let request: SparkSweepRequest
    let grid: [Double]
    let plan: FoldPlan
    /// The positive class of a binary report (nil: multiclass, argmax).
    let positive: Int?
    let heldOut: [[Int]]

    init(params: ExperimentSweep.Params, data: Dataset, base: TrainingConfig, plan: FoldPlan, source: SparkSource) throws {
        grid = params.grid
        self.plan = plan
        let positive = SparkFitPlan.positiveClass(of: data)
        self.positive = positive
        let heldOut = Self.heldOutCounts(classCounts: data.classCounts, folds: plan.folds)
        self.heldOut = heldOut
        let maxIterations: Int = if case .lbfgs(_, let iterations, _) = base.optimizer { iterations } else { 1000 }
        let binomial = base.model == .logistic
        let parameter = SweepParameter(params.param)
        var fits: [SparkSweepRequest.Fit] = []
        // A grid value is a weight or a β: the engine's complaint about it points at `grid`.
        try WirePaths(overrides: [.binaryWeight: "grid", .effectiveNumberBeta: "grid"]).translating {
            for r in 0..<plan.repeats {
                for value in params.grid {
                    for f in 0..<plan.folds {
                        let trainCounts = zip(data.classCounts, heldOut[f]).map { $0 - $1 }
                        let scheme: WeightScheme = parameter == .w ? .binary(w: value) : .effectiveNumber(beta: value)
                        let weights = try ClassWeights.compute(scheme, classCounts: trainCounts, classLabels: data.classLabels,
                                                               positiveClass: data.positiveClass).weights
                        let weightSum = zip(trainCounts, weights).reduce(0.0) { $0 + Double($1.0) * $1.1 }
                        // The local sweep's l2: the one asked for, else scikit-learn's C = 1 for the fold.
                        let l2 = params.l2 ?? (base.reduction == .mean ? 1 / weightSum : 1)
                        fits.append(.init(repeatIndex: r, fold: f, classWeights: weights,
                                          regParam: base.reduction == .sum ? l2 / weightSum : l2))
                    }
                }
            }
        }
        let data = SparkFitRequest(
            id: "", path: source.path, format: source.format, delimiter: source.delimiter, header: source.header,
            columns: source.columns, label: source.label, features: data.featureNames, classes: data.classLabels,
            positive: positive, classWeights: nil, family: binomial ? .binomial : .multinomial, regParam: 0,
            maxIterations: maxIterations, tolerance: params.optimizer?.tol ?? SparkFitPlan.defaultTolerance,
            classCounts: data.classCounts)
        request = SparkSweepRequest(data: data, folds: plan.folds,
                                    seeds: (0..<plan.repeats).map { FoldPlan.seed(base.seed, repeat: $0) }, fits: fits)
    }

    /// [fold][class] rows held out when class c's rows are dealt to `folds` folds by rank mod k.
    static func heldOutCounts(classCounts: [Int], folds: Int) -> [[Int]] {
        (0..<folds).map { f in classCounts.map { n in max(0, (n - f + folds - 1) / folds) } }
    }

    /// The grid value fit `index` (in request order) trains with.
    func value(ofFit index: Int) -> Double? {
        guard index >= 0, index < request.fits.count else { return nil }
        return grid[(index / plan.folds) % grid.count]
    }

    /// Each grid value's scores (repeat-major), mean and sample standard deviation.
    func points(metric: SelectableMetric, result: SparkSweepResult) throws(RPCError) -> [ExperimentSweep.Point] {
        guard result.fits.count == request.fits.count,
              result.fits.allSatisfy({ $0.confusion.count == request.data.classes.count }) else {
            throw RPCError.internalError("The Spark sidecar answered the sweep with \(result.fits.count) fits; \(request.fits.count) were asked for.")
        }
        let expected = Array(repeating: heldOut, count: plan.repeats)
        guard result.foldCounts == expected else {
            throw RPCError.internalError("The Spark sidecar dealt the folds otherwise than the daemon counted them (held-out rows per fold and class \(result.foldCounts) against \(expected)), so the class weights would not be the fold's.")
        }
        var scores = [[Double]](repeating: [], count: grid.count)
        for (index, fit) in result.fits.enumerated() {
            let g = (index / plan.folds) % grid.count
            // Scored at 0.5 (binary) or by argmax, as the local sweep scores its held-out folds.
            let report = Metrics.report(confusion: fit.confusion, classLabels: request.data.classes, positiveClass: positive,
                                        threshold: positive == nil ? nil : 0.5, logLossSum: fit.logLossSum)
            scores[g].append(report.score(metric))
        }
        return zip(grid, scores).map { value, scores in
            let mean = scores.isEmpty ? 0 : scores.reduce(0, +) / Double(scores.count)
            let sd = scores.count > 1
                ? (scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(scores.count - 1)).squareRoot() : 0
            return ExperimentSweep.Point(value: value, mean: mean, sd: sd, folds: scores)
        }
    }
}
