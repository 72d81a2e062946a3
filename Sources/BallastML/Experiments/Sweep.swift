/// The seed's "trial and error" done properly: for each value of one parameter, the mean and
/// standard deviation of a metric over stratified k folds.
public enum SweepParameter: CaseIterable, Sendable, Hashable {
    /// The rare class's weight w in the seed's binary WCE (the other class gets 1 − w).
    case w
    /// β of the effective-number weights (Cui et al. 2019).
    case beta
    /// γ of the focal loss (α left out so γ alone is measured).
    case gamma
}

public struct SweepPoint: Sendable, Equatable {
    public var value: Double
    public var mean: Double
    /// Sample standard deviation over the folds (n − 1).
    public var sd: Double
    public var folds: [Double]
}

public enum Sweep {
    /// Trains `grid.count × folds` models. Each fold's model is trained on the other folds and
    /// scored on the held-out fold at the standard threshold. Returns nil when cancelled.
    /// `l2` nil: scikit-learn's C = 1 for each fold's data and weights.
    public static func run(data: Dataset, parameter: SweepParameter, grid: [Double], folds: Int, metric: SelectableMetric,
                           base: TrainingConfig, l2: Double?, threads: ThreadBudget = .allCores,
                           onFit: @Sendable (_ done: Int, _ total: Int, _ value: Double) -> Void = { _, _, _ in },
                           isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> [SweepPoint]? {
        guard !grid.isEmpty else { throw InvalidArgument(field: .sweepGrid, message: "The grid needs at least one value.") }
        guard grid.count <= TrainingLimits.maxGridValues else {
            throw InvalidArgument(field: .sweepGrid, message: "The grid has \(grid.count) values; a sweep takes at most \(TrainingLimits.maxGridValues) (each value trains one model per fold).")
        }
        if parameter == .w && data.classCount != 2 {
            throw InvalidArgument(field: .sweepParameter, message: "The weight w is the rare class's weight in binary WCE; this dataset has \(data.classCount) classes.")
        }
        let heldOut = try Splitting.stratifiedKFold(classIndex: data.classIndex, classCount: data.classCount,
                                                    folds: folds, seed: base.seed)
        let splits = heldOut.map { test -> (Dataset, Dataset) in
            var isTest = [Bool](repeating: false, count: data.rowCount)
            for row in test { isTest[row] = true }
            return (data.selecting(rows: (0..<data.rowCount).filter { !isTest[$0] }), data.selecting(rows: test))
        }
        let observer = TrainingObserver(isCancelled: isCancelled)
        var points: [SweepPoint] = []
        var done = 0
        for value in grid {
            var scores: [Double] = []
            for (train, test) in splits {
                var config = try configure(base, parameter: parameter, value: value, train: train)
                config.l2 = l2 ?? Comparison.defaultL2(config, train)
                let outcome = try Trainer.train(config, on: train, threads: threads, observer: observer)
                if outcome.stopReason == .cancelled { return nil }
                let report = Metrics.report(classIndex: test.classIndex, probabilities: try outcome.model.probabilities(test, threads: threads),
                                            classCount: test.classCount, classLabels: test.classLabels,
                                            positiveClass: outcome.model.positiveClass, threshold: .standard)
                scores.append(report.score(metric))
                done += 1
                onFit(done, grid.count * splits.count, value)
            }
            let mean = scores.reduce(0, +) / Double(scores.count)
            let variance = scores.count > 1 ? scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(scores.count - 1) : 0
            points.append(SweepPoint(value: value, mean: mean, sd: variance.squareRoot(), folds: scores))
        }
        return points
    }

    static func configure(_ base: TrainingConfig, parameter: SweepParameter, value: Double, train: Dataset) throws -> TrainingConfig {
        var config = base
        switch parameter {
        case .w:
            config.loss = .crossEntropy
            config.classWeights = try Comparison.weights(.binary(w: value), train)
        case .beta:
            config.loss = .crossEntropy
            config.classWeights = try Comparison.weights(.effectiveNumber(beta: value), train)
        case .gamma:
            guard value >= 0 else { throw InvalidArgument(field: .sweepGrid, message: "γ must be 0 or more, got \(value).") }
            config.loss = .focal(gamma: value, alpha: nil)
        }
        return config
    }
}
