import Foundation

/// An aligned text table: the first row is the header; numeric-looking cells align right.
struct Table: Sendable {
    var header: [String]
    var rows: [[String]] = []
    var indent = "  "
    /// Columns aligned left regardless of content.
    var leftColumns: Set<Int> = [0]

    init(_ header: [String], leftColumns: Set<Int> = [0]) {
        self.header = header
        self.leftColumns = leftColumns
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    /// The table as text; it records itself into the current `RenderCapture` too, so the front
    /// doors can show it as an HTML table.
    func render(_ terminal: Terminal, separator: String = "  ") -> String {
        let text = text(terminal, separator: separator)
        RenderCapture.current?.record(self, drawnAs: text)
        return text
    }

    func text(_ terminal: Terminal, separator: String = "  ") -> String {
        let columns = header.count
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < columns { widths[i] = max(widths[i], cell.count) }
        }
        func format(_ row: [String]) -> String {
            var parts: [String] = []
            for i in 0..<columns {
                let cell = i < row.count ? row[i] : ""
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                parts.append(leftColumns.contains(i) ? cell + pad : pad + cell)
            }
            var line = indent + parts.joined(separator: separator)
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
        var lines = [terminal.bold(format(header))]
        lines.append(indent + widths.map { String(repeating: "─", count: $0) }.joined(separator: separator))
        lines += rows.map(format)
        return lines.joined(separator: "\n")
    }
}
