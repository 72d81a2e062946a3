/// Picking one number out of a report by its wire name, for early stopping and sweeps.
extension MetricReport {
    /// The metric names a caller may choose; for each, higher is better (`loss` is negated).
    public static let selectableMetrics = ["f1", "pr_auc", "roc_auc", "recall", "precision", "mcc", "balanced_accuracy", "g_mean", "loss"]

    /// The named metric: the positive class's for binary reports (`f1`, `recall`, `precision`),
    /// macro or balanced figures for multiclass ones. Nil for an unknown name.
    public func score(_ name: String) -> Double? {
        switch name {
        case "f1": positive?.f1 ?? macroF1
        case "pr_auc": prAUC
        case "roc_auc": rocAUC
        case "recall": positive?.recall ?? balancedAccuracy
        case "precision": positive?.precision ?? perClass.map(\.precision).reduce(0, +) / Double(max(1, perClass.count))
        case "mcc": mcc
        case "balanced_accuracy": balancedAccuracy
        case "g_mean": gMean
        case "loss": -logLoss
        default: nil
        }
    }
}
