import BallastProtocol
import Foundation

/// Reliability curves (mean predicted probability against the fraction that was positive, per
/// bin), before and after a calibration.
extension Charts {
    /// The points of one reliability curve (`before.reliability`, `after.reliability`).
    static func reliabilityPoints(_ side: JSONValue?) -> [(Double, Double)] {
        (side?["reliability"]?.arrayValue ?? []).compactMap { bin in
            guard let x = bin["mean_predicted"]?.doubleValue, let y = bin["fraction_positive"]?.doubleValue else { return nil }
            return (x, y)
        }
    }

    /// One reliability plot on the unit square with the diagonal of perfect calibration.
    static func reliabilityPlot(title: String, _ curves: [(name: String, points: [(Double, Double)])], width: Int, height: Int) -> Plot {
        var chart = Plot(title: title, width: width, height: height)
        chart.xLabel = "mean predicted"
        chart.yLabel = "positive"
        chart.xRange = 0...1
        chart.yRange = 0...1
        // The diagonal right after the first curve: thin and dashed, in its colour.
        for (index, curve) in curves.enumerated() {
            chart.series.append(curve.points)
            chart.seriesNames.append(curve.name)
            if index == 0 {
                chart.series.append([(0, 0), (1, 1)])
                chart.seriesNames.append("perfectly calibrated")
                chart.thinSeries = [1]
            }
        }
        return chart
    }

    /// The text shows before and after as two plots, one above the other (braille cannot tell two
    /// curves apart); the image is one plot with both curves and a legend. nil without a curve.
    static func reliabilityPlots(_ calibration: JSONValue, method: String, width: Int) -> String? {
        let before = reliabilityPoints(calibration["before"]), after = reliabilityPoints(calibration["after"])
        guard !before.isEmpty || !after.isEmpty else { return nil }
        let beforeName = "before calibration", afterName = "after \(method)"
        let texts = [(beforeName, before), (afterName, after)].filter { !$0.1.isEmpty }.map { name, points in
            reliabilityPlot(title: "reliability \(name): fraction positive by mean predicted probability", [(name, points)],
                            width: width, height: 8).text()
        }
        let text = texts.joined(separator: "\n")
        let image = reliabilityPlot(title: "reliability before and after \(method) calibration",
                                    [(beforeName, before), (afterName, after)].filter { !$0.1.isEmpty }, width: width, height: 8)
        RenderCapture.current?.record(image, drawnAs: text)
        return text
    }
}
