import Synchronization

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
    /// repeats × folds scores, repeat-major.
    public var folds: [Double]
}

/// A sweep's points and the fold plan they were scored with.
public struct SweepOutcome: Sendable, Equatable {
    public var points: [SweepPoint]
    public var plan: FoldPlan

    public init(points: [SweepPoint], plan: FoldPlan) {
        self.points = points
        self.plan = plan
    }
}

public enum Sweep {
    /// Trains `grid.count × folds × repeats` models, several at once on `threads.current` workers
    /// (each fit single-threaded; results are the same for any thread count). The fold plan adapts
    /// to a tiny class as `FoldPlan.adapt` says (fewer folds, more repeats). Each fold's model is
    /// trained on the other folds and scored on the held-out fold at the standard threshold.
    /// Returns nil when cancelled. `l2` nil: scikit-learn's C = 1 for each fold's data and weights.
    public static func run(data: Dataset, parameter: SweepParameter, grid: [Double], folds: Int, metric: SelectableMetric,
                           base: TrainingConfig, l2: Double?, threads: ThreadBudget = .allCores,
                           onFit: @Sendable (_ done: Int, _ total: Int, _ value: Double) -> Void = { _, _, _ in },
                           isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> SweepOutcome? {
        guard !grid.isEmpty else { throw InvalidArgument(field: .sweepGrid, message: "The grid needs at least one value.") }
        guard grid.count <= TrainingLimits.maxGridValues else {
            throw InvalidArgument(field: .sweepGrid, message: "The grid has \(grid.count) values; a sweep takes at most \(TrainingLimits.maxGridValues) (each value trains one model per fold).")
        }
        if parameter == .w && data.classCount != 2 {
            throw InvalidArgument(field: .sweepParameter, message: "The weight w is the rare class's weight in binary WCE; this dataset has \(data.classCount) classes.")
        }
        let plan = try FoldPlan.adapt(classCounts: data.classCounts, classLabels: data.classLabels, folds: folds, repeats: nil)
        let heldOut = try plan.heldOut(classIndex: data.classIndex, classCount: data.classCount, seed: base.seed)
        let total = grid.count * plan.folds * plan.repeats
        let done = Mutex<Int>(0)
        let observer = TrainingObserver(isCancelled: isCancelled)
        // scores[g] holds repeats × folds, repeat-major.
        var scores = [[Double]](repeating: [], count: grid.count)
        for r in 0..<plan.repeats {
            let folds = heldOut[r]
            let parts = Tune.foldParts(data, heldOut: folds, workers: threads.current)
            let results = ParallelFits.run(count: grid.count * folds.count, workers: threads.current) { index -> Result<Double?, any Error> in
                let g = index / folds.count, f = index % folds.count
                if isCancelled() { return .success(nil) }
                let (train, test) = parts[f]
                let result = Result<Double?, any Error> {
                    var config = try configure(base, parameter: parameter, value: grid[g], train: train)
                    config.l2 = l2 ?? Comparison.defaultL2(config, train)
                    let outcome = try Trainer.train(config, on: train, threads: .fixed(1), observer: observer)
                    if outcome.stopReason == .cancelled { return nil }
                    let report = Metrics.report(classIndex: test.classIndex,
                                                probabilities: try outcome.model.probabilities(test, threads: .fixed(1)),
                                                classCount: test.classCount, classLabels: test.classLabels,
                                                positiveClass: outcome.model.positiveClass, threshold: .standard)
                    return report.score(metric)
                }
                done.withLock { done in
                    done += 1
                    onFit(done, total, grid[g])
                }
                return result
            }
            for (index, result) in results.enumerated() {
                guard let score = try result.get() else { return nil }
                scores[index / folds.count].append(score)
            }
        }
        let points = zip(grid, scores).map { value, scores in
            SweepPoint(value: value, mean: Tune.mean(scores), sd: Tune.sampleSD(scores), folds: scores)
        }
        return SweepOutcome(points: points, plan: plan)
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
