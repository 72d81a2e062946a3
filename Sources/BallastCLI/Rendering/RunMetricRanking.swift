/// Which way is better for a run's final metric, by the last part of its dotted name
/// (`validation.f1` → `f1`), so `runs compare` can mark each metric's best.
enum RunMetricRanking: Equatable {
    case higherIsBetter, lowerIsBetter

    /// The metrics' own names (MetricsReport, the experiments' rows) where lower is better.
    static let lowerIsBetterNames: Set<String> = ["loss", "log_loss", "brier", "objective", "cost"]
    /// Quality figures where higher is better. Anything else (steps, threshold, a sweep's
    /// `best.value`, its `sd`) is a fact about the run, not ranked.
    static let higherIsBetterNames: Set<String> = ["f1", "precision", "recall", "pr_auc", "roc_auc", "mcc", "accuracy",
                                                   "balanced_accuracy", "g_mean", "macro_f1", "mean",
                                                   "fbeta", "recall_at_precision", "precision_at_recall"]

    /// nil when the metric is not ranked.
    static func of(_ metric: String) -> RunMetricRanking? {
        let last = String(metric.split(separator: ".").last ?? Substring(metric))
        if lowerIsBetterNames.contains(last) { return .lowerIsBetter }
        if higherIsBetterNames.contains(last) { return .higherIsBetter }
        return nil
    }

    /// The best of `values` (nil where a run lacks the metric), or nil when none is ranked or
    /// present.
    static func best(of metric: String, _ values: [Double?]) -> Double? {
        let present = values.compactMap { $0 }.filter { !$0.isNaN }
        switch of(metric) {
        case .higherIsBetter: return present.max()
        case .lowerIsBetter: return present.min()
        case nil: return nil
        }
    }
}
