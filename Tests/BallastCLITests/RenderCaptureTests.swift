import BallastProtocol
import Foundation
import Testing
@testable import BallastCLI

/// What a command draws is recorded only inside a capture, and drawing into one leaves the text
/// exactly as it is without.
@Suite struct RenderCaptureTests {
    let sweep: JSONValue = ["param": "w", "metric": "f1", "run": "r3", "best": ["value": 0.7, "mean": 0.8, "sd": 0.01],
                            "results": [["value": 0.5, "mean": 0.7, "sd": 0.02, "folds": [0.7, 0.7, 0.7]],
                                        ["value": 0.7, "mean": 0.8, "sd": 0.01, "folds": [0.8, 0.8, 0.8]],
                                        ["value": 0.9, "mean": 0.75, "sd": 0.03, "folds": [0.75, 0.75, 0.75]]]]

    @Test func tablesAndChartsAreRecordedOnlyWhereACaptureIsCurrent() {
        let capture = RenderCapture()
        var table = Table(["a", "b"])
        table.add(["x", "1"])
        _ = table.render(.plain())
        _ = Charts.Plot(title: "outside", series: [[(0, 1), (1, 2)]]).render()
        let inside = RenderCapture.$current.withValue(capture) { () -> String in
            _ = Charts.Plot(title: "inside", series: [[(0, 1), (1, 2)]]).render()
            return table.render(.plain())
        }
        #expect(capture.tables.map(\.text) == [inside])
        #expect(capture.charts.map(\.title) == ["inside"])
        #expect(RenderCapture.current == nil)
    }

    @Test func aPlotWithNothingToDrawRecordsNoChart() {
        let capture = RenderCapture()
        let text = RenderCapture.$current.withValue(capture) { Charts.Plot(title: "empty", series: [[(0, .nan)]]).render() }
        #expect(text == "  empty: nothing to plot")
        #expect(capture.charts.isEmpty)
    }

    @Test func theTextIsTheSameWithAndWithoutACapture() {
        let plain = Render.sweep(sweep, .plain())
        let capture = RenderCapture()
        let withCapture = RenderCapture.$current.withValue(capture) { Render.sweep(sweep, .plain()) }
        #expect(plain == withCapture)
        #expect(capture.tables.count == 1)
        #expect(capture.charts.map(\.title) == ["f1 by w (mean ± sd over folds)"])
        #expect(capture.charts[0].svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    }

    @Test func aSweepDrawsItsObjectiveUnderTheTable() {
        let text = Render.sweep(sweep, .plain())
        let lines = text.split(separator: "\n").map(String.init)
        let best = lines.firstIndex { $0.hasPrefix("  best w=0.7") }!
        #expect(lines[best + 1] == "  f1 by w (mean ± sd over folds)")
        #expect(lines.dropFirst(best + 2).contains { $0.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) } }, "braille dots")
    }

    @Test func evaluateDrawsPRAndROCOnlyWhenCurvesWereAsked() {
        let report: JSONValue = ["positive": ["label": "1", "recall": 0.5, "precision": 0.5, "f1": 0.5], "pr_auc": 0.6, "roc_auc": 0.8,
                                 "curves": ["pr": [["x": 0, "y": 1, "threshold": 0.9], ["x": 0.5, "y": 0.7, "threshold": 0.5], ["x": 1, "y": 0.1, "threshold": 0]],
                                            "roc": [["x": 0, "y": 0, "threshold": 1], ["x": 0.2, "y": 0.7, "threshold": 0.5], ["x": 1, "y": 1, "threshold": 0]]]]
        let without = Render.evaluate(report, params: [:], .plain())
        #expect(without == Render.evaluateTables(report, .plain()))
        let capture = RenderCapture()
        let with = RenderCapture.$current.withValue(capture) { Render.evaluate(report, params: ["curves": true], .plain()) }
        #expect(with.hasPrefix(without + "\n"))
        #expect(capture.charts.map(\.title) == ["precision-recall curve (positive '1'), PR-AUC 0.6000", "ROC curve (positive '1'), ROC-AUC 0.8000"])
    }

    @Test func trainingPlotsGiveALossPlotAndAValidationPlotFromTwoValues() {
        let loss = [(1.0, 0.7), (2.0, 0.5), (3.0, 0.4)]
        let one = Charts.trainingPlots(title: "w", loss: loss, validation: [(3, 0.6)], width: 40)
        #expect(one.map(\.title) == ["w: training loss by step"])
        let two = Charts.trainingPlots(title: "w", loss: loss, validation: [(1, 0.5), (3, 0.6)], width: 40)
        #expect(two.map(\.title) == ["w: training loss by step", "w: validation F1 by step"])
        #expect(two.allSatisfy { $0.width == 40 && $0.xLabel == "step" })
        #expect(two[0].series.first?.count == 3)
    }

    /// `plot MODEL` against a real daemon: loss, validation F1, PR and the new ROC curve, as text
    /// and as images.
    @Test func plotDrawsLossPRAndROCAsTextAndImages() throws {
        try withLiveSession { session, output, _ in
            try session.connect()
            for statement in ["generate fraud rows=3000 seed=1 as cards", "split cards test=0.3 val=0.2 seed=0",
                              "train cards.train val=cards.validation loss=wce as w"] {
                #expect(Runner.script(statement, source: "setup.bal", session: session) == 0, "\(output.errors)")
            }
            let (text, capture, status) = captured("plot w", session: session, output: output)
            #expect(status == 0, "\(output.errors)")
            let titles = capture.charts.map(\.title)
            #expect(titles.first?.hasPrefix("w: training loss by step (run ") == true, "\(titles)")
            #expect(titles.contains { $0.hasPrefix("w: precision-recall curve on cards.test (PR-AUC ") }, "\(titles)")
            #expect(titles.last?.hasPrefix("w: ROC curve on cards.test (ROC-AUC ") == true, "\(titles)")
            for title in titles { #expect(text.contains("  " + title), "the text draws \(title) too") }
            for chart in capture.charts { _ = try xmlDocument(chart.svg) }
            // No table, but the HTML leaves out the braille charts the images show.
            let html = try #require(capture.html(for: text))
            #expect(!html.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) } && !html.contains("ROC curve"), "\(html)")
            #expect(text.contains("ROC curve"), "the text keeps them")
        }
    }
}
