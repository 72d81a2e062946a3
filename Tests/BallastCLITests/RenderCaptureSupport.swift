import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import BallastCLI

/// Runs one statement of the REPL language with a fresh capture made current, as the front
/// doors run each command, and returns the text it printed and what it drew.
func captured(_ statement: String, session: Session, output: CapturedOutput) -> (text: String, capture: RenderCapture, status: Int32) {
    let capture = RenderCapture()
    let before = output.text.count
    let status = RenderCapture.$current.withValue(capture) {
        Runner.script(statement, source: "capture.bal", session: session)
    }
    return (String(output.text.dropFirst(before)), capture, status)
}

/// An XML document from text that must be well-formed (the HTML fragments and SVG images are).
func xmlDocument(_ text: String) throws -> XMLDocument {
    try XMLDocument(xmlString: text, options: [])
}

/// The elements named `name` anywhere under `node`, whatever their namespace.
func elements(_ name: String, in node: XMLNode) throws -> [XMLElement] {
    try node.nodes(forXPath: ".//*[local-name()='\(name)']").compactMap { $0 as? XMLElement }
}

/// A parsed HTML table: header cells and body rows, as text, with each row's style.
struct HTMLTable {
    var header: [String]
    var rows: [[String]]
    var rowStyles: [String]
    var cellStyles: [[String]]

    static func all(in html: String) throws -> [HTMLTable] {
        let document = try xmlDocument(html)
        return try elements("table", in: document).map { table in
            let header = try elements("th", in: table).map { $0.stringValue ?? "" }
            let rows = try elements("tbody", in: table).flatMap { try elements("tr", in: $0) }
            return HTMLTable(header: header,
                             rows: try rows.map { try elements("td", in: $0).map { $0.stringValue ?? "" } },
                             rowStyles: rows.map { $0.value(of: "style") ?? "" },
                             cellStyles: try rows.map { try elements("td", in: $0).map { $0.value(of: "style") ?? "" } })
        }
    }
}

/// The tables in a command's text, read back from the text alone: a line of `─` runs is the rule
/// under the header; its runs give the columns; `rowCounts[i]` lines after the i-th rule are rows.
func textTables(_ text: String, rowCounts: [Int]) -> [(header: [String], rows: [[String]])] {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
    var tables: [(header: [String], rows: [[String]])] = []
    for (index, line) in lines.enumerated() where index > 0 && line.contains("─") && line.allSatisfy({ $0 == "─" || $0 == " " }) {
        var spans: [Range<Int>] = []
        var start: Int?
        for (i, c) in (line + [" "]).enumerated() {
            if c == "─", start == nil { start = i }
            if c != "─", let s = start { spans.append(s..<i); start = nil }
        }
        // Columns are separated by two spaces; an empty header cell's column has no run of its own.
        func cells(_ row: [Character]) -> [String] {
            spans.map { span in
                let lower = min(span.lowerBound, row.count), upper = min(span.upperBound, row.count)
                return String(row[lower..<upper]).trimmingCharacters(in: .whitespaces)
            }
        }
        let count = tables.count < rowCounts.count ? rowCounts[tables.count] : 0
        let rows = lines[(index + 1)..<min(lines.count, index + 1 + count)].map(cells)
        tables.append((cells(lines[index - 1]), Array(rows)))
    }
    return tables
}

extension XMLElement {
    /// An attribute's value by name (corelibs Foundation's `attribute(forName:)` misses them on
    /// elements in a default namespace, as SVG's are).
    func value(of attribute: String) -> String? {
        attributes?.first { $0.name == attribute }?.stringValue
    }
}
