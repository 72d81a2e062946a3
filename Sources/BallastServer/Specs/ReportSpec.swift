import BallastML
import BallastProtocol

// The engine's reports in the protocol's shapes (`MetricsReport`, `Calibration`, `Curves`).

extension MetricsReport {
    init(_ report: MetricReport, curves: BallastProtocol.Curves? = nil) {
        self.init(threshold: report.threshold, logLoss: report.logLoss, accuracy: report.accuracy,
                  balancedAccuracy: report.balancedAccuracy, perClass: report.perClass.map(BallastProtocol.ClassMetrics.init),
                  positive: report.positive.map(BallastProtocol.ClassMetrics.init), macroF1: report.macroF1,
                  prAUC: report.prAUC, rocAUC: report.rocAUC, mcc: report.mcc, gMean: report.gMean,
                  confusion: report.confusion, brier: report.brier, curves: curves)
    }
}

extension BallastProtocol.ClassMetrics {
    init(_ row: BallastML.ClassMetrics) {
        self.init(label: row.label, precision: row.precision, recall: row.recall, f1: row.f1, support: row.support)
    }
}

extension ProgressMetrics {
    /// The rare class's figures for a progress record (the positive class's, else macro or balanced ones).
    init(_ report: MetricReport) {
        self.init(loss: report.logLoss, f1: report.score(.f1), recall: report.score(.recall),
                  precision: report.score(.precision), prAUC: report.prAUC)
    }
}

extension BallastProtocol.Calibration {
    init(_ summary: CalibrationSummary) {
        self.init(brierBefore: summary.brierBefore, brierAfter: summary.brierAfter,
                  logLossBefore: summary.logLossBefore, logLossAfter: summary.logLossAfter)
    }
}

extension BallastProtocol.CurvePoint {
    init(_ point: BallastML.CurvePoint) {
        self.init(x: point.x, y: point.y, threshold: point.threshold)
    }
}
