import Foundation

/// A `Charts.Plot` as a standalone SVG image: white background, title, axes with a few round
/// ticks, one polyline per series, a legend when there are several. No scripts, fonts or ids
/// (notebooks inline many SVGs into one page), and the same plot always gives the same bytes.
struct SVGChart {
    static let width = 640.0, height = 360.0
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
    /// At most this many points get a dot marker as well as the line.
    static let markerLimit = 25

    var plot: Charts.Plot

    init(_ plot: Charts.Plot) { self.plot = plot }

    /// The plot area in image coordinates.
    struct Frame {
        var left = 72.0, top = 40.0, right = SVGChart.width - 20, bottom = SVGChart.height - 52
        var width: Double { right - left }
        var height: Double { bottom - top }
    }

    /// The finite points of each series (NaN and infinite points are left out).
    var finiteSeries: [[(Double, Double)]] { plot.series.map { $0.filter { $0.0.isFinite && $0.1.isFinite } } }

    /// Whether the legend is drawn: several series, or one with a name.
    var hasLegend: Bool {
        let drawn = finiteSeries.indices.filter { !finiteSeries[$0].isEmpty }
        return drawn.count > 1 || drawn.contains { !name(of: $0).isEmpty }
    }

    var frame: Frame {
        var frame = Frame()
        if hasLegend { frame.bottom -= 20 }
        return frame
    }

    /// The axes' domains and ticks, or nil when there is nothing finite to plot.
    var axes: (x: Axis, y: Axis)? {
        let all = finiteSeries.flatMap { $0 }
        guard !all.isEmpty else { return nil }
        guard let x = Axis(data: all.map(\.0), fixed: plot.xRange), let y = Axis(data: all.map(\.1), fixed: plot.yRange) else { return nil }
        return (x, y)
    }

    /// A point in image coordinates, kept inside the plot area.
    func position(_ p: (Double, Double), _ x: Axis, _ y: Axis) -> (Double, Double) {
        let f = frame
        let px = f.left + (p.0 - x.lower) / (x.upper - x.lower) * f.width
        let py = f.bottom - (p.1 - y.lower) / (y.upper - y.lower) * f.height
        return (min(max(px, f.left), f.right), min(max(py, f.top), f.bottom))
    }

    func name(of series: Int) -> String { series < plot.seriesNames.count ? plot.seriesNames[series] : "" }

    /// A thin series takes the colour of the nearest thick one before it (a band around its line).
    func colour(of series: Int) -> String {
        var index = series
        while index > 0 && plot.thinSeries.contains(index) { index -= 1 }
        let thick = (0...index).filter { !plot.thinSeries.contains($0) }.count - 1
        return Self.palette[max(0, thick) % Self.palette.count]
    }

    var svg: String? {
        guard let (x, y) = axes else { return nil }
        let f = frame
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(Self.width)) \(n(Self.height))\" "
            + "width=\"\(n(Self.width))\" height=\"\(n(Self.height))\" font-family=\"sans-serif\" font-size=\"11\">"
        out += "<title>\(Self.escape(plot.title))</title>"
        out += "<rect x=\"0\" y=\"0\" width=\"\(n(Self.width))\" height=\"\(n(Self.height))\" fill=\"#ffffff\"/>"
        // A long title (long names) is set smaller rather than run off the image.
        let titleSize = plot.title.count > 72 ? max(9, Int(13 * 72 / Double(plot.title.count))) : 13
        out += "<text x=\"\(n(f.left))\" y=\"22\" font-size=\"\(titleSize)\" font-weight=\"bold\" fill=\"#222222\">\(Self.escape(plot.title))</text>"
        // Grid and ticks.
        out += "<g stroke=\"#e6e6e6\" stroke-width=\"1\">"
        for t in x.ticks { let px = position((t, y.lower), x, y).0; out += "<line x1=\"\(n(px))\" y1=\"\(n(f.top))\" x2=\"\(n(px))\" y2=\"\(n(f.bottom))\"/>" }
        for t in y.ticks { let py = position((x.lower, t), x, y).1; out += "<line x1=\"\(n(f.left))\" y1=\"\(n(py))\" x2=\"\(n(f.right))\" y2=\"\(n(py))\"/>" }
        out += "</g>"
        out += "<g stroke=\"#444444\" stroke-width=\"1\" fill=\"none\">"
        out += "<polyline points=\"\(n(f.left)),\(n(f.top)) \(n(f.left)),\(n(f.bottom)) \(n(f.right)),\(n(f.bottom))\"/>"
        for t in x.ticks { let px = position((t, y.lower), x, y).0; out += "<line x1=\"\(n(px))\" y1=\"\(n(f.bottom))\" x2=\"\(n(px))\" y2=\"\(n(f.bottom + 4))\"/>" }
        for t in y.ticks { let py = position((x.lower, t), x, y).1; out += "<line x1=\"\(n(f.left - 4))\" y1=\"\(n(py))\" x2=\"\(n(f.left))\" y2=\"\(n(py))\"/>" }
        out += "</g>"
        out += "<g fill=\"#333333\">"
        for t in x.ticks {
            let px = position((t, y.lower), x, y).0
            out += "<text x=\"\(n(px))\" y=\"\(n(f.bottom + 16))\" text-anchor=\"middle\">\(Self.escape(x.label(t)))</text>"
        }
        for t in y.ticks {
            let py = position((x.lower, t), x, y).1
            out += "<text x=\"\(n(f.left - 7))\" y=\"\(n(py + 4))\" text-anchor=\"end\">\(Self.escape(y.label(t)))</text>"
        }
        if !plot.xLabel.isEmpty {
            out += "<text x=\"\(n((f.left + f.right) / 2))\" y=\"\(n(f.bottom + 34))\" text-anchor=\"middle\">\(Self.escape(plot.xLabel))</text>"
        }
        if !plot.yLabel.isEmpty {
            let cy = (f.top + f.bottom) / 2
            out += "<text x=\"16\" y=\"\(n(cy))\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(n(cy)))\">\(Self.escape(plot.yLabel))</text>"
        }
        out += "</g>"
        // The series.
        for (index, points) in finiteSeries.enumerated() where !points.isEmpty {
            let colour = colour(of: index)
            let thin = plot.thinSeries.contains(index)
            let coordinates = Self.simplified(points.map { position($0, x, y) }.map { (n($0.0), n($0.1)) }).map { "\($0.0),\($0.1)" }
            out += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"\(thin ? "1" : "2")\" stroke-linejoin=\"round\""
                + (thin ? " stroke-dasharray=\"4 3\" stroke-opacity=\"0.7\"" : "") + " points=\"\(coordinates.joined(separator: " "))\"/>"
            if !thin && points.count <= Self.markerLimit {
                out += "<g fill=\"\(colour)\">"
                for p in points {
                    let (px, py) = position(p, x, y)
                    out += "<circle cx=\"\(n(px))\" cy=\"\(n(py))\" r=\"2.5\"/>"
                }
                out += "</g>"
            }
        }
        if hasLegend { out += legend(below: f) }
        return out + "</svg>"
    }

    /// The written points without repeats, and without the middle of three on one vertical or
    /// horizontal line (a curve's steps hold thousands of those).
    static func simplified(_ points: [(String, String)]) -> [(String, String)] {
        var kept: [(String, String)] = []
        for p in points {
            if let last = kept.last, last == p { continue }
            if kept.count >= 2 {
                let a = kept[kept.count - 2], b = kept[kept.count - 1]
                if (a.0 == b.0 && b.0 == p.0) || (a.1 == b.1 && b.1 == p.1) { kept[kept.count - 1] = p; continue }
            }
            kept.append(p)
        }
        return kept
    }

    /// One row of entries under the x axis label: a line sample and the series' name (a thin
    /// series without a name goes with the one before it).
    func legend(below f: Frame) -> String {
        var out = "<g font-size=\"11\" fill=\"#333333\">"
        var at = f.left
        let y = Self.height - 12
        for index in finiteSeries.indices where !finiteSeries[index].isEmpty && !(plot.thinSeries.contains(index) && name(of: index).isEmpty) {
            let label = name(of: index).isEmpty ? "series \(index + 1)" : name(of: index)
            let thin = plot.thinSeries.contains(index)
            out += "<line x1=\"\(n(at))\" y1=\"\(n(y - 4))\" x2=\"\(n(at + 18))\" y2=\"\(n(y - 4))\" stroke=\"\(colour(of: index))\" "
                + "stroke-width=\"\(thin ? "1" : "2")\"" + (thin ? " stroke-dasharray=\"4 3\"" : "") + "/>"
            out += "<text x=\"\(n(at + 22))\" y=\"\(n(y))\">\(Self.escape(label))</text>"
            at += 22 + Double(label.count) * 6.5 + 16
        }
        return out + "</g>"
    }

    /// A coordinate with one decimal (deterministic, short).
    func n(_ value: Double) -> String {
        let text = String(format: "%.1f", value)
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// Text for XML: escaped as for HTML, with the control characters XML 1.0 does not allow
    /// left out.
    static func escape(_ text: String) -> String {
        var allowed = String.UnicodeScalarView()
        allowed.append(contentsOf: text.unicodeScalars.filter { scalar in
            !(scalar.value < 0x20 || scalar.value == 0x7F || (0xFFFE...0xFFFF).contains(scalar.value))
        })
        return HTMLRender.escape(String(allowed))
    }

    /// One axis: its domain (the data's, widened to round ticks unless fixed) and 4–6 ticks.
    struct Axis {
        var lower: Double
        var upper: Double
        var step: Double
        var ticks: [Double]

        /// At most this many ticks (a range so narrow for its size that round steps repeat, or
        /// lost in float rounding, falls back to its two ends).
        static let tickLimit = 12

        /// nil when the range cannot be drawn: its span overflows (data from near -max to near
        /// +max), or is zero even after opening (every coordinate would be NaN).
        init?(data: [Double], fixed: ClosedRange<Double>?) {
            var lo = fixed?.lowerBound ?? data.min()!, hi = fixed?.upperBound ?? data.max()!
            if !(hi > lo) {
                let pad = lo == 0 ? 1 : abs(lo) * 0.1
                // Opened the other way where the pad would overflow (a value near the largest Double).
                if (hi + pad).isFinite && (lo - pad).isFinite { lo -= pad; hi += pad } else if lo > 0 { lo -= 2 * pad } else { hi += 2 * pad }
            }
            guard lo.isFinite, hi.isFinite, (hi - lo).isFinite, hi - lo > 0 else { return nil }
            let choice = Self.niceStep(lo, hi, widen: fixed == nil)
            step = choice
            lower = lo
            upper = hi
            ticks = [lo, hi]
            guard choice.isFinite, choice > 0 else { return }
            if fixed == nil {
                let widenedLower = (lo / choice).rounded(.down) * choice, widenedUpper = (hi / choice).rounded(.up) * choice
                // Rounded out to the step, the domain may overflow (data near the largest Double).
                if widenedLower.isFinite && widenedUpper.isFinite && (widenedUpper - widenedLower).isFinite {
                    lower = widenedLower
                    upper = widenedUpper
                }
            }
            let first = (lower / choice - 1e-9).rounded(.up), last = (upper / choice + 1e-9).rounded(.down)
            guard first.isFinite, last.isFinite, first <= last, last - first < Double(Self.tickLimit) else { return }
            let stepped = (0...Int(last - first)).map { (first + Double($0)) * choice }.map { abs($0) < choice * 1e-9 ? 0 : $0 }
            if stepped.allSatisfy(\.isFinite) && Set(stepped).count == stepped.count { ticks = stepped }
        }

        /// The round step (1, 2, 2.5 or 5 × 10ⁿ) whose ticks over the range number closest to 5,
        /// within 4–6 where one does.
        static func niceStep(_ lo: Double, _ hi: Double, widen: Bool) -> Double {
            let span = hi - lo
            let magnitude = pow(10, (log10(span)).rounded(.down) - 1)
            var best = span / 4, bestScore = Double.infinity
            for power in [magnitude, magnitude * 10, magnitude * 100] {
                for factor in [1.0, 2, 2.5, 5] {
                    let s = factor * power
                    let count = widen ? (hi / s).rounded(.up) - (lo / s).rounded(.down) + 1
                                      : (hi / s + 1e-9).rounded(.down) - (lo / s - 1e-9).rounded(.up) + 1
                    // 1, 2 and 5 read more easily than 2.5: it wins only where they cannot give 4–6.
                    let score = ((4...6).contains(count) ? abs(count - 5) : 10 + abs(count - 5)) + (factor == 2.5 ? 1.5 : 0)
                    if score < bestScore { best = s; bestScore = score }
                }
            }
            return best
        }

        /// A tick's label with as many decimals as the step needs.
        func label(_ value: Double) -> String {
            let biggest = max(abs(lower), abs(upper))
            if biggest >= 1e6 || (biggest < 1e-3 && biggest > 0) { return String(format: "%g", value) }
            var decimals = 0
            while decimals < 8 && abs((step * pow(10, Double(decimals))).rounded() - step * pow(10, Double(decimals))) > 1e-6 * max(1, step * pow(10, Double(decimals))) {
                decimals += 1
            }
            return String(format: "%.\(decimals)f", value)
        }
    }
}
