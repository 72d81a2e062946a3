import Foundation

/// Small terminal charts: sparklines (block characters) and line plots (braille dots, 2×4 per cell).
enum Charts {
    /// A range with room in it: a single value (all points alike) opened by 1 each way as
    /// before, or by a tenth of itself where 1 is lost in its size, always finite.
    static func opened(_ range: ClosedRange<Double>) -> ClosedRange<Double> {
        guard range.lowerBound == range.upperBound else { return range }
        let v = range.lowerBound
        if v - 1 < v && v + 1 > v { return (v - 1)...(v + 1) }
        let pad = abs(v) * 0.1
        if (v + pad).isFinite && (v - pad).isFinite { return (v - pad)...(v + pad) }
        return v > 0 ? (v - 2 * pad)...v : v...(v + 2 * pad)
    }

    /// Where `value` lies in `range`, 0 at its lower bound and 1 at its upper, without the
    /// span overflowing for values near ±Double.greatestFiniteMagnitude.
    static func fraction(_ value: Double, of range: ClosedRange<Double>) -> Double {
        let span = range.upperBound - range.lowerBound
        if span.isFinite { return (value - range.lowerBound) / span }
        return (value / 2 - range.lowerBound / 2) / (range.upperBound / 2 - range.lowerBound / 2)
    }

    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The last `width` values as block characters scaled between their min and max.
    static func sparkline(_ values: [Double], width: Int) -> String {
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty else { return "" }
        // Resample to at most `width` points (keep the most recent shape).
        var points = finite
        if points.count > width {
            points = (0..<width).map { i in finite[Int(Double(i) * Double(finite.count - 1) / Double(width - 1))] }
        }
        let lo = points.min()!, hi = points.max()!
        return String(points.map { v in
            hi > lo ? blocks[min(7, Int((v - lo) / (hi - lo) * 7.999))] : blocks[3]
        })
    }

    /// A line plot of one or more series on a braille canvas with labelled axes.
    struct Plot {
        var title: String
        var width = 60
        var height = 12
        var xLabel = ""
        var yLabel = ""
        var xRange: ClosedRange<Double>?
        var yRange: ClosedRange<Double>?
        var series: [[(Double, Double)]] = []
        /// The series' names, for the legend of the SVG form (the text has no legend).
        var seriesNames: [String] = []
        /// Series drawn thin and dashed in the SVG form, in the colour of the series before them
        /// (a band such as mean ± sd).
        var thinSeries: Set<Int> = []

        /// The plot as text; it records itself into the current `RenderCapture` too, so the
        /// front doors can show it as an image.
        func render() -> String {
            let drawn = text()
            RenderCapture.current?.record(self, drawnAs: drawn)
            return drawn
        }

        func text() -> String {
            let all = series.flatMap { $0 }.filter { $0.0.isFinite && $0.1.isFinite }
            guard !all.isEmpty else { return "  \(title): nothing to plot" }
            var xr = xRange ?? (all.map(\.0).min()!...all.map(\.0).max()!)
            var yr = yRange ?? (all.map(\.1).min()!...all.map(\.1).max()!)
            xr = Charts.opened(xr)
            yr = Charts.opened(yr)
            let dotsX = width * 2, dotsY = height * 4
            var cells = Array(repeating: Array(repeating: UInt8(0), count: width), count: height)
            func plot(_ dx: Int, _ dy: Int) {
                guard dx >= 0, dx < dotsX, dy >= 0, dy < dotsY else { return }
                let cx = dx / 2, cy = dy / 4
                let bx = dx % 2, by = dy % 4
                // Braille dot numbering: left column 1,2,3,7; right column 4,5,6,8.
                let bit: UInt8 = bx == 0 ? [0x01, 0x02, 0x04, 0x40][by] : [0x08, 0x10, 0x20, 0x80][by]
                cells[cy][cx] |= bit
            }
            func toDots(_ p: (Double, Double)) -> (Int, Int)? {
                let x = Charts.fraction(p.0, of: xr) * Double(dotsX - 1)
                let y = (1 - Charts.fraction(p.1, of: yr)) * Double(dotsY - 1)
                // A point far outside a fixed range is left out rather than drawn to forever.
                guard x.isFinite, y.isFinite, abs(x) < 1e6, abs(y) < 1e6 else { return nil }
                return (Int(x.rounded()), Int(y.rounded()))
            }
            for s in series {
                let points = s.filter { $0.0.isFinite && $0.1.isFinite }.compactMap(toDots)
                guard var previous = points.first else { continue }
                plot(previous.0, previous.1)
                for next in points.dropFirst() {
                    // Bresenham between consecutive points.
                    var (x0, y0) = previous
                    let (x1, y1) = next
                    let dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1
                    let dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1
                    var err = dx + dy
                    while true {
                        plot(x0, y0)
                        if x0 == x1 && y0 == y1 { break }
                        let e2 = 2 * err
                        if e2 >= dy { err += dy; x0 += sx }
                        if e2 <= dx { err += dx; y0 += sy }
                    }
                    previous = next
                }
            }
            let top = Fmt.compact(yr.upperBound), bottom = Fmt.compact(yr.lowerBound)
            let labelWidth = max(top.count, bottom.count, 4)
            var lines = ["  \(title)"]
            for (row, line) in cells.enumerated() {
                let label = row == 0 ? top : row == height - 1 ? bottom : row == height / 2 ? String(yLabel.prefix(labelWidth)) : ""
                let text = String(line.map { Character(UnicodeScalar(0x2800 + UInt32($0))!) })
                lines.append("  " + String(repeating: " ", count: labelWidth - label.count) + label + " ┤" + text)
            }
            lines.append("  " + String(repeating: " ", count: labelWidth) + " └" + String(repeating: "─", count: width))
            let left = Fmt.compact(xr.lowerBound), right = Fmt.compact(xr.upperBound)
            let middle = xLabel
            let gap = max(1, width - left.count - right.count - middle.count)
            lines.append("  " + String(repeating: " ", count: labelWidth + 2) + left
                         + String(repeating: " ", count: gap / 2) + middle
                         + String(repeating: " ", count: gap - gap / 2) + right)
            return lines.joined(separator: "\n")
        }
    }
}
