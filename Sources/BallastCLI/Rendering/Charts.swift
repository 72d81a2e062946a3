import Foundation

/// Small terminal charts: sparklines (block characters) and line plots (braille dots, 2×4 per cell).
enum Charts {
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
            RenderCapture.current?.record(self)
            return text()
        }

        func text() -> String {
            let all = series.flatMap { $0 }.filter { $0.0.isFinite && $0.1.isFinite }
            guard !all.isEmpty else { return "  \(title): nothing to plot" }
            var xr = xRange ?? (all.map(\.0).min()!...all.map(\.0).max()!)
            var yr = yRange ?? (all.map(\.1).min()!...all.map(\.1).max()!)
            if xr.lowerBound == xr.upperBound { xr = (xr.lowerBound - 1)...(xr.upperBound + 1) }
            if yr.lowerBound == yr.upperBound { yr = (yr.lowerBound - 1)...(yr.upperBound + 1) }
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
            func toDots(_ p: (Double, Double)) -> (Int, Int) {
                let x = (p.0 - xr.lowerBound) / (xr.upperBound - xr.lowerBound) * Double(dotsX - 1)
                let y = (yr.upperBound - p.1) / (yr.upperBound - yr.lowerBound) * Double(dotsY - 1)
                return (Int(x.rounded()), Int(y.rounded()))
            }
            for s in series {
                let points = s.filter { $0.0.isFinite && $0.1.isFinite }
                guard var previous = points.first.map(toDots) else { continue }
                plot(previous.0, previous.1)
                for p in points.dropFirst() {
                    let next = toDots(p)
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
