/// A single figure of a report that a caller can optimise: early stopping watches one, a sweep
/// ranks by one. Higher is better for each (`logLoss` is selected negated).
public enum SelectableMetric: Sendable, Hashable, CaseIterable {
    case f1, prAUC, rocAUC, recall, precision, mcc, balancedAccuracy, gMean, logLoss
}

extension MetricReport {
    /// The metric's value: the positive class's for binary reports (`f1`, `recall`, `precision`),
    /// macro or balanced figures for multiclass ones; `logLoss` negated so that higher is better.
    public func score(_ metric: SelectableMetric) -> Double {
        switch metric {
        case .f1: positive?.f1 ?? macroF1
        case .prAUC: prAUC
        case .rocAUC: rocAUC
        case .recall: positive?.recall ?? balancedAccuracy
        case .precision: positive?.precision ?? perClass.map(\.precision).reduce(0, +) / Double(max(1, perClass.count))
        case .mcc: mcc
        case .balancedAccuracy: balancedAccuracy
        case .gMean: gMean
        case .logLoss: -logLoss
        }
    }
}
