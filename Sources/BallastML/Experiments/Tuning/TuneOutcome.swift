/// One candidate's cross-validated score on the selection rows.
public struct CandidateScore: Sendable, Equatable {
    public var candidate: TuneCandidate
    public var mean: Double
    /// Sample standard deviation (n − 1) of `scores`; 0 for one score.
    public var sd: Double
    /// repeats × folds, repeat-major: each fold scored at the threshold tuned on the other folds.
    public var scores: [Double]
    /// Binary: tuned on all its out-of-fold scores pooled (raw scale); nil multiclass.
    public var threshold: Double?
    /// Summed fit time of its cross-validation fits.
    public var seconds: Double

    /// The standard error of `mean`, sd/√n over its scores (0 for one score): the one-standard-error
    /// rule's yardstick.
    public var standardError: Double {
        scores.count > 1 ? sd / Double(scores.count).squareRoot() : 0
    }

    public init(candidate: TuneCandidate, mean: Double, sd: Double, scores: [Double], threshold: Double?, seconds: Double) {
        self.candidate = candidate
        self.mean = mean
        self.sd = sd
        self.scores = scores
        self.threshold = threshold
        self.seconds = seconds
    }
}

/// The winner's score on rows its choice never saw.
public struct HonestEstimate: Sendable, Equatable {
    /// What actually ran (after any fallback).
    public var method: HonestEstimateMethod
    /// Holdout value, or the nested mean.
    public var objective: Double
    /// Nested: sample sd over the outer folds; nil for a holdout.
    public var sd: Double?
    /// Nested: one per outer fold; holdout: [objective].
    public var scores: [Double]
    /// Nested: each outer fold's winner; holdout: [winner].
    public var winners: [String]
    /// Holdout: the full report at the tuned threshold; nested: the pooled outer-test predictions
    /// (each fold's decisions at its own threshold; `threshold` nil when they differ).
    public var report: MetricReport?
    /// Rows scored.
    public var rows: Int
}

/// The calibrator fitted on the winner's out-of-fold probabilities, and what it did.
public struct CalibrationOutcome: Sendable, Equatable {
    public var calibrator: Calibrator
    public var brierBefore: Double, brierAfter: Double, logLossBefore: Double, logLossAfter: Double
    public var reliabilityBefore: [ReliabilityBin], reliabilityAfter: [ReliabilityBin]
    /// false: measured on the out-of-fold rows the calibrator was fitted on.
    public var onHeldOutRows: Bool
    /// false for isotonic: the stored model stays uncalibrated.
    public var appliedToModel: Bool
}

/// What `Tune.run` chose, why, and how well it should do.
public struct TuneOutcome: Sendable {
    /// Sorted best first (ties keep candidate order).
    public var leaderboard: [CandidateScore]
    public var winner: CandidateScore
    /// Of the selection that chose the final model.
    public var plan: FoldPlan
    /// Binary: on the STORED model's probability scale.
    public var threshold: Double?
    /// nil for `.none`.
    public var calibration: CalibrationOutcome?
    /// nil for `.none` (asked for, or fallen back to).
    public var estimate: HonestEstimate?
    /// Final, calibration folded in when possible.
    public var model: TrainedModel
    /// The final fit's config (weights and l2 resolved).
    public var config: TrainingConfig
    /// Candidate name → why it was dropped.
    public var skipped: [String: String]
    /// Adaptations, fallbacks, calibration caveats.
    public var notes: [String]
    public var seconds: Double
}
