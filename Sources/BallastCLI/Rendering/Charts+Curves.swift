import BallastProtocol
import Foundation

/// The plots several commands share: a run's training curves, a model's PR and ROC curves, a
/// sweep's objective by the swept value.
extension Charts {
    /// The training curves of one run, from its reports' (step, loss) and (step, validation F1):
    /// a loss plot, and a validation plot when there are at least two values.
    static func trainingPlots(title: String, loss: [(Double, Double)], validation: [(Double, Double)], width: Int) -> [Plot] {
        var plots: [Plot] = []
        var lossPlot = Plot(title: "\(title): training loss by step", width: width, height: 10)
        lossPlot.xLabel = "step"
        lossPlot.series = [loss]
        plots.append(lossPlot)
        if validation.count > 1 {
            var f1Plot = Plot(title: "\(title): validation F1 by step", width: width, height: 6)
            f1Plot.xLabel = "step"
            f1Plot.series = [validation]
            plots.append(f1Plot)
        }
        return plots
    }

    /// The points of one of an evaluation's curves (`curves.pr`, `curves.roc`).
    static func curvePoints(_ report: JSONValue, _ name: String) -> [(Double, Double)] {
        (report["curves"]?[name]?.arrayValue ?? []).compactMap { point in
            guard let x = point["x"]?.doubleValue, let y = point["y"]?.doubleValue else { return nil }
            return (x, y)
        }
    }

    /// A precision-recall curve on the unit square.
    static func prPlot(title: String, _ points: [(Double, Double)], width: Int) -> Plot {
        var chart = Plot(title: title, width: width, height: 12)
        chart.xLabel = "recall"
        chart.yLabel = "precision"  // the text shows its first four letters
        chart.xRange = 0...1
        chart.yRange = 0...1
        chart.series = [points]
        return chart
    }

    /// A ROC curve on the unit square, with the chance diagonal as a thin second series.
    static func rocPlot(title: String, _ points: [(Double, Double)], width: Int) -> Plot {
        var chart = Plot(title: title, width: width, height: 12)
        chart.xLabel = "false positive rate"
        chart.yLabel = "TPR"
        chart.xRange = 0...1
        chart.yRange = 0...1
        chart.series = [points, [(0, 0), (1, 1)]]
        chart.seriesNames = ["ROC", "chance"]
        chart.thinSeries = [1]
        return chart
    }

    /// A sweep's objective mean by the swept value, with mean ± sd as two thin series.
    static func sweepPlot(_ r: JSONValue, width: Int) -> Plot? {
        let param = r["param"]?.stringValue ?? "value"
        let metric = r["metric"]?.stringValue ?? "metric"
        var mean: [(Double, Double)] = [], upper: [(Double, Double)] = [], lower: [(Double, Double)] = []
        for p in r["results"]?.arrayValue ?? [] {
            guard let value = p["value"]?.doubleValue, let m = p["mean"]?.doubleValue else { continue }
            mean.append((value, m))
            if let sd = p["sd"]?.doubleValue, sd.isFinite {
                upper.append((value, m + sd))
                lower.append((value, m - sd))
            }
        }
        mean.sort { $0.0 < $1.0 }
        upper.sort { $0.0 < $1.0 }
        lower.sort { $0.0 < $1.0 }
        guard mean.count > 1 else { return nil }
        var chart = Plot(title: "\(metric) by \(param) (mean ± sd over folds)", width: width, height: 8)
        chart.xLabel = param
        chart.series = [mean, upper, lower]
        chart.seriesNames = ["mean \(metric)", "mean ± sd", ""]
        chart.thinSeries = [1, 2]
        return chart
    }

    /// The width the charts under a table take on a terminal of `columns`.
    static func width(forTerminal columns: Int) -> Int { max(30, min(60, columns - 14)) }
}
