import BallastProtocol
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import BallastCLI

/// The SVG form of a plot: well-formed, self-contained, deterministic, data inside the plot area.
@Suite struct SVGChartTests {
    func plot(_ series: [[(Double, Double)]], title: String = "loss by step") -> Charts.Plot {
        var plot = Charts.Plot(title: title)
        plot.xLabel = "step"
        plot.series = series
        return plot
    }

    func svg(_ plot: Charts.Plot) throws -> String {
        let text = SVGChart(plot).svg
        return try #require(text)
    }

    /// The (x, y) pairs of each polyline that draws a series (the axes' polyline left out).
    func seriesPoints(_ svg: String) throws -> [[(Double, Double)]] {
        try elements("polyline", in: try xmlDocument(svg)).filter { $0.value(of: "stroke") != nil }.map { line in
            (line.value(of: "points") ?? "").split(separator: " ").map { pair in
                let xy = pair.split(separator: ",").map { Double($0)! }
                return (xy[0], xy[1])
            }
        }
    }

    @Test func theImageIsWellFormedSelfContainedAndSized() throws {
        var series: [(Double, Double)] = []
        for i in 0..<50 { series.append((Double(i), 1 / Double(i + 1))) }
        let text = try svg(plot([series]))
        let document = try xmlDocument(text)
        let root = try #require(document.rootElement())
        #expect(root.localName == "svg")
        #expect(root.uri == "http://www.w3.org/2000/svg")
        #expect(root.value(of: "width") == "640")
        #expect(root.value(of: "height") == "360")
        #expect(root.value(of: "viewBox") == "0 0 640 360")
        #expect(!text.contains("<script") && !text.contains("href") && !text.contains("@import") && !text.contains(" id="))
        let rects = try elements("rect", in: document)
        let background = try #require(rects.first)
        #expect(background.value(of: "fill") == "#ffffff")
        #expect(background.value(of: "width") == "640")
        let texts = try elements("text", in: document).map { $0.stringValue ?? "" }
        #expect(texts.contains("loss by step"))
        #expect(texts.contains("step"))
    }

    @Test func theSameInputGivesTheSameBytes() throws {
        let sines: [(Double, Double)] = (0..<200).map { (Double($0), sin(Double($0) / 10)) }
        let cosines: [(Double, Double)] = (0..<200).map { (Double($0), cos(Double($0) / 10)) }
        let first = try svg(plot([sines, cosines])), second = try svg(plot([sines, cosines]))
        #expect(first == second)
    }

    @Test func eachAxisHasFourToSixRoundTicksWithLabels() throws {
        for (lo, hi) in [(0.0, 1.0), (0.0137, 0.9), (3.0, 1700.0), (0.4812, 0.4973), (-2.5, 7.25), (0.0, 12345678.0)] {
            let axis = try #require(SVGChart.Axis(data: [lo, hi], fixed: nil))
            #expect((4...6).contains(axis.ticks.count), "\(lo)…\(hi): \(axis.ticks)")
            #expect(axis.lower <= lo && axis.upper >= hi, "the domain holds the data")
            let labels = axis.ticks.map(axis.label)
            #expect(Set(labels).count == labels.count, "distinct labels: \(labels)")
        }
        let unit = try #require(SVGChart.Axis(data: [0.2, 0.3], fixed: 0...1))
        #expect(unit.lower == 0 && unit.upper == 1)
        #expect((4...6).contains(unit.ticks.count))
        #expect(unit.ticks.first == 0 && unit.ticks.last == 1)
    }

    @Test func thePolylinePointsMapTheDataIntoThePlotArea() throws {
        var chart = plot([[(0, 0), (0.5, 0.25), (1, 1)]])
        chart.xRange = 0...1
        chart.yRange = 0...1
        let all = try seriesPoints(try svg(chart))
        let points = try #require(all.first)
        let frame = SVGChart(chart).frame
        #expect(points.count == 3)
        #expect(points[0].0 == frame.left && points[0].1 == frame.bottom)
        #expect(points[2].0 == frame.right && points[2].1 == frame.top)
        #expect(abs(points[1].0 - (frame.left + frame.width / 2)) <= 0.05)
        #expect(abs(points[1].1 - (frame.bottom - frame.height / 4)) <= 0.05)
        // Automatic ranges: every point inside the frame, the extremes on the widened domain.
        var loss: [(Double, Double)] = []
        for step in 1...40 { loss.append((Double(step * 10), 0.7 * exp(-Double(step) / 9) + 0.05)) }
        let lossLines = try seriesPoints(try svg(plot([loss])))
        let drawn = try #require(lossLines.first)
        let inside = drawn.allSatisfy { p in p.0 >= frame.left && p.0 <= frame.right && p.1 >= frame.top && p.1 <= frame.bottom }
        #expect(inside)
        let xs: [Double] = drawn.map { $0.0 }
        #expect(xs == xs.sorted(), "x increases with the step")
        #expect(drawn.first!.1 > frame.top - 0.01 && drawn.last!.1 > drawn.first!.1, "the loss falls, so y grows downwards")
    }

    @Test func nanAndInfinitePointsAreSkipped() throws {
        let chart = plot([[(0, 1), (1, .nan), (2, .infinity), (.nan, 3), (3, 2)]])
        let text = try svg(chart)
        #expect(!text.contains("nan") && !text.contains("inf"))
        #expect(try seriesPoints(text).first?.count == 2)
        #expect(SVGChart(plot([[(0, .nan), (.infinity, 1)]])).svg == nil, "nothing finite: no image")
        #expect(SVGChart(plot([])).svg == nil)
    }

    @Test func onePointAndEqualMinAndMaxStillDraw() throws {
        let one = try svg(plot([[(3, 0.5)]]))
        let document = try xmlDocument(one)
        #expect(try elements("circle", in: document).count == 1, "a lone point is a dot")
        let frame = SVGChart(plot([[(3, 0.5)]])).frame
        let onePoints = try seriesPoints(one)
        let point = try #require(onePoints.first?.first)
        #expect(point.0 > frame.left && point.0 < frame.right && point.1 > frame.top && point.1 < frame.bottom, "in the middle, not on an edge")
        let flat = try svg(plot([[(0, 2), (1, 2), (2, 2)]]))
        #expect(!flat.contains("nan"))
        let flatPoints = try seriesPoints(flat)
        let ys = Set((flatPoints.first ?? []).map { $0.1 })
        #expect(ys.count == 1)
    }

    @Test func textIsEscaped() throws {
        var chart = plot([[(0, 1), (1, 2)], [(0, 2), (1, 1)]], title: "a<b & \"c\" 'd' \u{1B}[1m")
        chart.seriesNames = ["<one>", "two & three"]
        let text = try svg(chart)
        let document = try xmlDocument(text)
        let texts = try elements("text", in: document).map { $0.stringValue ?? "" }
        #expect(texts.contains("a<b & \"c\" 'd' [1m"))
        #expect(texts.contains("<one>") && texts.contains("two & three"))
        #expect(!text.contains("a<b"))
    }

    @Test func severalSeriesGetALegendAndTheirOwnColours() throws {
        var chart = plot([[(0, 1), (1, 2)], [(0, 2), (1, 1)]])
        chart.seriesNames = ["train", "validation"]
        let document = try xmlDocument(try svg(chart))
        let lines = try elements("polyline", in: document).compactMap { $0.value(of: "stroke") }
        #expect(Set(lines).count == 2, "two colours: \(lines)")
        #expect(try elements("text", in: document).map { $0.stringValue ?? "" }.contains("validation"))
        let single = try xmlDocument(try svg(plot([[(0, 1), (1, 2)]])))
        #expect(!(try elements("text", in: single).map { $0.stringValue ?? "" }.contains("series 1")), "one unnamed series has no legend")
    }

    @Test func theROCPlotDrawsTheChanceLineThinAndDashed() throws {
        let roc = Charts.rocPlot(title: "ROC", [(0, 0), (0.1, 0.6), (0.4, 0.9), (1, 1)], width: 40)
        let document = try xmlDocument(try svg(roc))
        let series = try elements("polyline", in: document).filter { $0.value(of: "stroke-linejoin") != nil }
        try #require(series.count == 2)
        #expect(series[0].value(of: "stroke-dasharray") == nil)
        #expect(series[1].value(of: "stroke-dasharray") != nil)
        #expect(series[1].value(of: "stroke-width") == "1")
        #expect(series[0].value(of: "stroke") == series[1].value(of: "stroke"), "the band takes its line's colour")
    }

    /// Data near the largest Double (a sweep of `gamma` over 1e307…1.7e308): the round domain
    /// would overflow to infinity, and its ticks then never end. Drawn on the data's own ends,
    /// or, where even the span overflows, not drawn at all; the text chart neither hangs nor traps.
    @Test(.timeLimit(.minutes(1))) func dataNearTheLargestDoubleGivesFiniteChartsOrNone() throws {
        let huge = [(1e307, 0.5), (1.7e308, 0.75)]
        for series in [huge, huge.map { ($0.1, $0.0) }, [(1.0, 1.7e308), (2.0, 1.7e308)], [(1.0, -1.7e308), (2.0, -1.7e308)]] {
            let image = try svg(plot([series]))
            #expect(!image.contains("nan") && !image.contains("inf"), "\(series): finite coordinates")
            _ = try xmlDocument(image)
            let ticks = try #require(SVGChart.Axis(data: series.map(\.0), fixed: nil))
            #expect(ticks.ticks.count <= SVGChart.Axis.tickLimit && ticks.ticks.allSatisfy(\.isFinite))
            let text = plot([series]).text()
            #expect(text.hasPrefix("  loss by step\n"), "\(text)")
        }
        let overflowing = [(-1e308, 0.5), (1e308, 0.75)]
        #expect(SVGChart(plot([overflowing])).svg == nil, "a span past the largest Double: no chart rather than NaN coordinates")
        #expect(SVGChart(plot([overflowing.map { ($0.1, $0.0) }])).svg == nil)
        let text = plot([overflowing, [(0, 0.6)]]).text()
        #expect(text.contains("⠀") || text.contains("┤"), "the text chart is drawn: \(text)")
    }

    @Test func aRangeTooNarrowForItsSizeFallsBackToItsEnds() throws {
        // 1e16 + 2 and 1e16 + 6: round steps of 1 exist, but are lost in float rounding.
        let axis = try #require(SVGChart.Axis(data: [1e16 + 2, 1e16 + 6], fixed: nil))
        #expect(axis.ticks.count <= SVGChart.Axis.tickLimit)
        #expect(Set(axis.ticks).count == axis.ticks.count)
    }
}
