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
