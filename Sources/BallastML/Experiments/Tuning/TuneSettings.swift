/// How `Tune` measures the chosen setup on rows the choice never saw.
///
/// - `holdout(fraction:)`: a stratified part of the rows, (0, 0.5], kept out of the selection.
/// - `nested(outerFolds:)`: the whole selection repeated inside each of 2…10 outer folds.
/// - `none`: no estimate; the leaderboard's scores are optimistic for the winner.
public enum HonestEstimateMethod: Sendable, Equatable {
    case holdout(fraction: Double), nested(outerFolds: Int), none
}

/// Everything a tune is asked to do.
public struct TuneSettings: Sendable {
    public var candidates: [TuneCandidate]
    public var objective: TuneObjective
    public var calibration: CalibrationMethod
    /// Requested folds (the fold plan may use fewer for a tiny class).
    public var folds: Int
    /// nil = automatic (1, 3 or 5 by the smallest class).
    public var repeats: Int?
    public var estimate: HonestEstimateMethod
    /// Model, optimizer and seed; loss and class weights are set per candidate.
    public var base: TrainingConfig
    /// nil = scikit-learn's C = 1 on each fit's own data (`Comparison.defaultL2`).
    public var l2: Double?

    public init(candidates: [TuneCandidate], objective: TuneObjective, calibration: CalibrationMethod, folds: Int,
                repeats: Int?, estimate: HonestEstimateMethod, base: TrainingConfig, l2: Double?) {
        self.candidates = candidates
        self.objective = objective
        self.calibration = calibration
        self.folds = folds
        self.repeats = repeats
        self.estimate = estimate
        self.base = base
        self.l2 = l2
    }
}

/// Reported after every fit (and for the fits of a skipped candidate when they are dropped).
public struct TuneProgress: Sendable, Equatable {
    /// "selection", "estimate, outer fold 2 of 3", "estimate, holdout", "final".
    public var stage: String
    public var fitsDone: Int
    /// Of the whole job, known at the start (`Tune.plannedFits`).
    public var fitsTotal: Int
    public var candidate: String

    public init(stage: String, fitsDone: Int, fitsTotal: Int, candidate: String) {
        self.stage = stage
        self.fitsDone = fitsDone
        self.fitsTotal = fitsTotal
        self.candidate = candidate
    }
}
