import Foundation

/// A chart one command drew, as an SVG image (what the notebook and editor doors show).
public struct ChartImage: Sendable, Equatable {
    public var title: String
    public var svg: String

    public init(title: String, svg: String) {
        self.title = title
        self.svg = svg
    }
}

/// What one command drew besides its text: its tables (to render as HTML) and its charts (as SVG).
/// Made current with `RenderCapture.$current.withValue(capture) { … }` around one command; Table
/// and Charts.Plot record themselves into the current capture when they render.
final class RenderCapture: @unchecked Sendable {
    @TaskLocal static var current: RenderCapture?

    /// A table as it was drawn into the text, so the HTML can put the table where its text was.
    struct DrawnTable {
        var table: Table
        var text: String
    }

    private let lock = NSLock()
    private var drawnTables: [DrawnTable] = []
    private var drawnCharts: [ChartImage] = []
    /// The text form of each chart that became an image: the HTML leaves it out, as the image
    /// shows the same.
    private var drawnChartTexts: [String] = []

    init() {}

    private(set) var charts: [ChartImage] {
        get { lock.withLock { drawnCharts } }
        set { lock.withLock { drawnCharts = newValue } }
    }

    /// The tables recorded so far, in the order they were drawn.
    var tables: [DrawnTable] { lock.withLock { drawnTables } }

    /// Records a table as drawn (Table.render calls this).
    func record(_ table: Table, drawnAs text: String) {
        lock.withLock { drawnTables.append(DrawnTable(table: table, text: text)) }
    }

    /// Records a chart (Charts.Plot.render calls this, with the text it drew when it has drawn
    /// it); a plot with nothing to draw is left out.
    func record(_ plot: Charts.Plot, drawnAs text: String? = nil) {
        guard let svg = SVGChart(plot).svg else { return }
        let image = ChartImage(title: plot.title, svg: svg)
        lock.withLock {
            drawnCharts.append(image)
            if let text { drawnChartTexts.append(text) }
        }
    }

    /// `text` (the command's whole text output) as one HTML fragment: each recorded table as a
    /// <table> (header, right-aligned numbers, best-row marks kept), the rest as escaped <pre>
    /// blocks, in order, inside <div class="ballast-output">, without the text form of the charts
    /// that are images. nil when the command drew neither a table nor such a chart.
    func html(for text: String) -> String? {
        var rest = text
        var removed = false
        for chart in lock.withLock({ drawnChartTexts }) {
            guard let found = rest.range(of: chart) else { continue }
            rest.removeSubrange(found)
            removed = true
        }
        return HTMLRender.fragment(rest, tables: tables, evenWithoutTables: removed)
    }
}
