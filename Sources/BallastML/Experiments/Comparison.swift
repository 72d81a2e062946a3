/// The seed's experiment and its follow-ups in one call: one model per arm, each trained on the
/// same training data (resampled for the resampling arms) and scored on the same test data.
public enum ComparisonArm: CaseIterable, Sendable, Hashable {
    case ce
    case wceInverse
    case wceBalanced
    case focal
    case over
    case under
    case smote
    case ceBestF1

    /// A line for a table: what the arm does.
    public var summary: String {
        switch self {
        case .ce: "cross-entropy, threshold 0.5"
        case .wceInverse: "weighted CE, the seed's inverse weights (sum to 1)"
        case .wceBalanced: "weighted CE, scikit-learn's balanced weights"
        case .focal: "focal loss, γ 2, α 0.25 (Lin et al. 2017)"
        case .over: "CE after random over-sampling to 1:1"
        case .under: "CE after random under-sampling to 1:1"
        case .smote: "CE after SMOTE to 1:1 (k 5)"
        case .ceBestF1: "CE, threshold moved to the best validation F1"
        }
    }
}

public struct ComparisonRow: Sendable, Equatable {
    public var arm: ComparisonArm
    public var report: MetricReport
    public var threshold: Double
    public var seconds: Double
}

/// What a comparison did not run, and why.
public struct ComparisonOutcome: Sendable {
    public var rows: [ComparisonRow]
    public var skipped: [ComparisonArm: String]
    public var cancelled: Bool
}

public enum Comparison {
    /// Trains and scores each arm in order. `base` gives the model, optimizer and seed; its loss and
    /// class weights are set per arm. `l2` nil means scikit-learn's C = 1 for each arm's own data
    /// (l2 = 1/Σsᵢ), so the weighted arms regularise as scikit-learn's `class_weight` would.
    /// `onStep` hears each arm's training steps; `onArm` is told when an arm starts.
    public static func run(arms: [ComparisonArm], train: Dataset, test: Dataset, validation: Dataset?,
                           base: TrainingConfig, l2: Double?, threads: ThreadBudget = .allCores,
                           onArm: @Sendable (Int, ComparisonArm) -> Void = { _, _ in },
                           observer: TrainingObserver = .silent) throws -> ComparisonOutcome {
        guard train.classCount == 2, let positive = train.positiveClass else {
            throw InvalidArgument(field: .dataset, message: "The comparison is about a rare class: it needs binary data with a positive class.")
        }
        var rows: [ComparisonRow] = []
        var skipped: [ComparisonArm: String] = [:]
        for (index, arm) in arms.enumerated() {
            if arm == .ceBestF1 && validation == nil {
                skipped[arm] = "needs a validation dataset to tune the threshold on"
                continue
            }
            onArm(index, arm)
            let clock = ContinuousClock.now
            let (config, data) = try setUp(arm, train: train, base: base, l2: l2)
            let outcome = try Trainer.train(config, on: data, threads: threads, observer: observer)
            if outcome.stopReason == .cancelled { return ComparisonOutcome(rows: rows, skipped: skipped, cancelled: true) }
            var threshold = 0.5
            if arm == .ceBestF1, let validation {
                let p = try outcome.model.probabilities(validation, threads: threads)
                threshold = Thresholds.bestF1(classIndex: validation.classIndex,
                                              positiveProbability: Metrics.positiveColumn(p, positiveClass: positive),
                                              positiveClass: positive)
            }
            let report = Metrics.report(classIndex: test.classIndex, probabilities: try outcome.model.probabilities(test, threads: threads),
                                        classCount: 2, classLabels: test.classLabels, positiveClass: positive,
                                        threshold: .value(threshold))
            let elapsed = ContinuousClock.now - clock
            rows.append(ComparisonRow(arm: arm, report: report, threshold: threshold,
                                      seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18))
        }
        return ComparisonOutcome(rows: rows, skipped: skipped, cancelled: false)
    }

    /// The training config and data of one arm.
    static func setUp(_ arm: ComparisonArm, train: Dataset, base: TrainingConfig, l2: Double?) throws -> (TrainingConfig, Dataset) {
        var config = base
        config.loss = .crossEntropy
        config.classWeights = nil
        var data = train
        switch arm {
        case .ce, .ceBestF1: break
        case .wceInverse: config.classWeights = try weights(.inverse, train)
        case .wceBalanced: config.classWeights = try weights(.balanced, train)
        case .focal: config.loss = .focal(gamma: 2, alpha: 0.25)
        case .over: data = try resampled(arm) { try Resampling.randomOver(train, ratio: 1, seed: base.seed) }
        case .under: data = try resampled(arm) { try Resampling.randomUnder(train, ratio: 1, seed: base.seed) }
        case .smote: data = try resampled(arm) { try Resampling.smote(train, ratio: 1, k: 5, seed: base.seed) }
        }
        config.l2 = l2 ?? defaultL2(config, data)
        return (config, data)
    }

    /// A resampling arm's fixed settings are the arm's, not the caller's: its failure is about
    /// the training data, and says which arm could not run.
    static func resampled(_ arm: ComparisonArm, _ resample: () throws -> Dataset) throws -> Dataset {
        do {
            return try resample()
        } catch let error as InvalidArgument {
            throw InvalidArgument(field: .dataset, message: "The arm \"\(arm.summary)\" cannot run on this training data: \(error.message)")
        }
    }

    static func weights(_ scheme: WeightScheme, _ data: Dataset) throws -> [Double] {
        try ClassWeights.compute(scheme, classCounts: data.classCounts, classLabels: data.classLabels,
                                 positiveClass: data.positiveClass).weights
    }

    /// scikit-learn's default C = 1 in Ballast's terms: l2 = 1/Σsᵢ for a mean, 1 for a sum.
    public static func defaultL2(_ config: TrainingConfig, _ data: Dataset) -> Double {
        guard config.reduction == .mean else { return 1 }
        let weights = config.classWeights ?? Array(repeating: 1, count: data.classCount)
        return 1 / zip(data.classCounts, weights).reduce(0.0) { $0 + Double($1.0) * $1.1 }
    }
}
