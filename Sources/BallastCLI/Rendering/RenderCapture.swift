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

    /// Records a chart (Charts.Plot.render calls this); a plot with nothing to draw is left out.
    func record(_ plot: Charts.Plot) {
        guard let svg = SVGChart(plot).svg else { return }
        let image = ChartImage(title: plot.title, svg: svg)
        lock.withLock { drawnCharts.append(image) }
    }

    /// `text` (the command's whole text output) as one HTML fragment: each recorded table as a
    /// <table> (header, right-aligned numbers, best-row marks kept), the rest as escaped <pre>
    /// blocks, in order, inside <div class="ballast-output">. nil when no table was recorded.
    func html(for text: String) -> String? {
        HTMLRender.fragment(text, tables: tables)
    }
}
