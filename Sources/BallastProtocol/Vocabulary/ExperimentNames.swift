/// A metric a request can select by name: `early_stopping.metric`, `experiment/sweep`'s `metric`.
/// Higher is better for every one of them; `loss` is selected as the negated log loss.
public enum MetricName: String, WireName {
    case f1
    case prAUC = "pr_auc"
    case rocAUC = "roc_auc"
    case recall, precision, mcc
    case balancedAccuracy = "balanced_accuracy"
    case gMean = "g_mean"
    case loss
    public static let kind = "metric"
}

/// An arm of `experiment/compare`: one row of the seed's table.
public enum ArmName: String, WireName {
    case ce
    case wceInverse = "wce_inverse"
    case wceBalanced = "wce_balanced"
    case focal, over, under, smote
    case ceBestF1 = "ce_best_f1"
    public static let kind = "arm"
}

/// `param` of `experiment/sweep`: the rare class's weight w, the effective number's β, focal γ.
public enum SweepParamName: String, WireName {
    case w, beta, gamma
    public static let kind = "sweep parameter"
}

/// `objective.type` of `experiment/tune` (or the whole `objective` as a string): what the tuning
/// maximises (or, for `cost`, minimises).
public enum ObjectiveName: String, WireName {
    case f1, fbeta
    case recallAtPrecision = "recall_at_precision"
    case precisionAtRecall = "precision_at_recall"
    case balancedAccuracy = "balanced_accuracy"
    case mcc, cost
    public static let kind = "objective"
}

/// `calibrate` of `experiment/tune`: how the winner's probabilities are calibrated.
public enum CalibrationName: String, WireName {
    case none, prior, platt, isotonic
    public static let kind = "calibration method"
}

/// `estimate` of `experiment/tune`: how the winner's performance is estimated honestly.
public enum EstimateName: String, WireName {
    case holdout, nested, none
    public static let kind = "estimate method"
}

/// The candidates `experiment/tune` tries by default (binary and multiclass together, and `mlp`,
/// which it tries only when asked), by their names with the default grids. A `grid` renames the
/// weighted and focal ones (`wce_w0.8`), so `candidates` takes any string and the daemon checks
/// it against the defaults of that request; this list is for completion.
public enum CandidateName: String, WireName {
    case ce
    case wceW06 = "wce_w0.6"
    case wceW075 = "wce_w0.75"
    case wceW09 = "wce_w0.9"
    case wceW097 = "wce_w0.97"
    case wceBalanced = "wce_balanced"
    case wceInverseSqrt = "wce_inverse_sqrt"
    case focalG05 = "focal_g0.5"
    case focalG1 = "focal_g1"
    case focalG2 = "focal_g2"
    case over, under, smote, mlp
    public static let kind = "candidate"
}
