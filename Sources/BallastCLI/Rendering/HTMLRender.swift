import Foundation

/// A command's text output as one HTML fragment for notebooks: its tables as real tables, the
/// text around them as preformatted blocks. Styles are inline attributes (sanitisers that strip
/// `<style>` keep them) and colours are inherited or translucent greys, so the fragment reads on
/// light and dark themes alike.
enum HTMLRender {
    static let containerStyle = "font-family:inherit;color:inherit;line-height:1.4"
    static let preStyle = "margin:0.2em 0;padding:0;background:transparent;color:inherit;white-space:pre;"
        + "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:0.92em"
    static let tableStyle = "border-collapse:collapse;margin:0.4em 0;color:inherit;background:transparent;"
        + "font-variant-numeric:tabular-nums;font-size:0.95em"
    static let headerCellStyle = "font-weight:bold;padding:3px 10px;border-bottom:1px solid rgba(128,128,128,0.6);white-space:nowrap"
    static let cellStyle = "padding:2px 10px;border-bottom:1px solid rgba(128,128,128,0.2);white-space:nowrap"
    static let bestRowStyle = "font-weight:bold;background:rgba(128,128,128,0.12)"

    /// nil when none of `tables` is found in `text` (no table, or the text does not hold it),
    /// unless `evenWithoutTables` (the text lost charts shown as images beside it).
    static func fragment(_ text: String, tables: [RenderCapture.DrawnTable], evenWithoutTables: Bool = false) -> String? {
        guard !tables.isEmpty || evenWithoutTables else { return nil }
        let plain = stripANSI(text)
        var parts: [String] = []
        var rest = plain[...]
        var placed = 0
        for drawn in tables {
            let tableText = stripANSI(drawn.text)
            guard !tableText.isEmpty, let found = rest.range(of: tableText) else { continue }
            parts.append(contentsOf: pre(rest[..<found.lowerBound]))
            parts.append(table(drawn.table))
            rest = rest[found.upperBound...]
            placed += 1
        }
        guard placed > 0 || evenWithoutTables else { return nil }
        parts.append(contentsOf: pre(rest))
        return "<div class=\"ballast-output\" style=\"\(containerStyle)\">" + parts.joined() + "</div>"
    }

    /// Text between tables as one <pre> block, without the blank lines around it and without
    /// the indent every line shares; nothing for text that is only blank.
    static func pre(_ text: Substring) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        guard !lines.isEmpty else { return [] }
        let indent = lines.filter { !$0.allSatisfy(\.isWhitespace) }
            .map { $0.prefix { $0 == " " }.count }.min() ?? 0
        let body = lines.map { String($0.dropFirst(min(indent, $0.prefix { $0 == " " }.count))) }.joined(separator: "\n")
        return ["<pre style=\"\(preStyle)\">\(escape(body))</pre>"]
    }

    /// One table: header in <thead>, rows in <tbody>; the columns the text aligns right are
    /// aligned right here; a row the text marks best (`… *`, `… best`) is bold, and so is a
    /// cell marked best on its own (`runs compare`'s `0.9123*`). Cells keep their marks.
    static func table(_ table: Table) -> String {
        let columns = table.header.count
        func align(_ column: Int) -> String { table.leftColumns.contains(column) ? "left" : "right" }
        var html = "<table style=\"\(tableStyle)\"><thead><tr>"
        for (i, name) in table.header.enumerated() {
            html += "<th style=\"\(headerCellStyle);text-align:\(align(i))\">\(escape(name))</th>"
        }
        html += "</tr></thead><tbody>"
        for row in table.rows {
            let cells = (0..<columns).map { i in i < row.count ? row[i].trimmingCharacters(in: .whitespaces) : "" }
            let best = marksBestRow(cells)
            html += best ? "<tr style=\"\(bestRowStyle)\">" : "<tr>"
            for (i, cell) in cells.enumerated() {
                let bold = !best && cell.count > 1 && cell.hasSuffix("*")
                html += "<td style=\"\(cellStyle);text-align:\(align(i))\(bold ? ";font-weight:bold" : "")\">\(escape(cell))</td>"
            }
            html += "</tr>"
        }
        return html + "</tbody></table>"
    }

    /// Whether the text marks the whole row best: a cell ends in ` *` (compare's first cell,
    /// tune's candidate after its rank) or in the word `best` (sweep's bar).
    static func marksBestRow(_ cells: [String]) -> Bool {
        if cells.contains(where: { $0.hasSuffix(" *") }) { return true }
        return cells.contains { $0 == "best" || $0.hasSuffix(" best") }
    }

    /// Text for HTML and XML: the five special characters escaped. By Unicode scalar, not by
    /// Character: a `<` that a combining mark follows is one Character, and is escaped too.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The text without terminal colour codes (`ESC [ … m`).
    static func stripANSI(_ text: String) -> String {
        guard text.contains("\u{1B}") else { return text }
        var out = ""
        var scalars = text.unicodeScalars.makeIterator()
        while let s = scalars.next() {
            guard s == "\u{1B}" else { out.unicodeScalars.append(s); continue }
            guard let open = scalars.next(), open == "[" else { continue }
            while let c = scalars.next(), !(c.value >= 0x40 && c.value <= 0x7E) {}
        }
        return out
    }
}
