import BallastProtocol
import Foundation

/// `head`: a dataset's rows as a table, one column per source column plus the label.
extension Render {
    /// The mark for a text column whose features are all zero (a level unseen when its schema was fixed).
    static let unseenLevel = "(unseen)"

    /// One column of the table: its header and a cell per row.
    struct HeadColumn {
        var header: String
        var cells: [String]
        /// A text column's levels align left, numbers right.
        var isText = false
        var width: Int { cells.reduce(header.count) { max($0, $1.count) } }
    }

    static func head(_ r: JSONValue, _ t: Terminal) -> String {
        let rows = r["rows"]?.arrayValue ?? []
        let total = r["total_rows"]?.intValue ?? 0
        let name = r["dataset"]?.stringValue ?? "?"
        guard let first = rows.first?["row"]?.intValue, let last = rows.last?["row"]?.intValue else {
            return "  \(name): no rows from \(Fmt.count(r["offset"]?.intValue)) on (\(Fmt.count(total)) rows in all)"
        }
        let features = headColumns(r, rows)
        let number = HeadColumn(header: "row", cells: rows.map { String($0["row"]?.intValue ?? 0) })
        let label = HeadColumn(header: "label", cells: rows.map { $0["label"]?.stringValue ?? "?" }, isText: true)
        let (shown, hidden) = fitting(features, besides: [number, label], width: t.width)
        var columns = [number] + features.prefix(shown)
        if hidden > 0 { columns.append(HeadColumn(header: "…", cells: rows.map { _ in "…" }, isText: true)) }
        columns.append(label)

        let left = Set(columns.indices.filter { columns[$0].isText })
        var table = Table(columns.map(\.header), leftColumns: left)
        for i in rows.indices { table.add(columns.map { $0.cells[i] }) }
        var lines = [table.render(t), "  rows \(Fmt.count(first))–\(Fmt.count(last)) of \(Fmt.count(total)) in \(name)"]
        if hidden > 0 {
            lines[1] += "; \(hidden) more column\(hidden == 1 ? "" : "s") not shown (--json prints every value)"
        }
        return lines.joined(separator: "\n")
    }

    /// How many feature columns fit beside the row number and label (and a `…` column when some
    /// do not), and how many are left out. At least one is always shown.
    static func fitting(_ features: [HeadColumn], besides fixed: [HeadColumn], width: Int) -> (shown: Int, hidden: Int) {
        let separator = 2, indent = 2
        let base = indent + fixed.reduce(0) { $0 + $1.width } + separator * fixed.count
        let all = features.reduce(base) { $0 + $1.width + separator }
        if all - separator <= width { return (features.count, 0) }
        var used = base + 1 + separator  // the `…` column
        var shown = 0
        for column in features {
            guard used + column.width + separator <= width + separator else { break }
            used += column.width + separator
            shown += 1
        }
        shown = max(shown, 1)
        return (shown, features.count - shown)
    }

    /// The feature columns: a numeric column's value; a text column's level when every row's
    /// features name one (else its one-hot features, as numbers).
    static func headColumns(_ r: JSONValue, _ rows: [JSONValue]) -> [HeadColumn] {
        let names = (r["feature_names"]?.arrayValue ?? []).compactMap(\.stringValue)
        let values = rows.map { ($0["values"]?.arrayValue ?? []).map { $0.doubleValue } }
        func numeric(_ feature: Int) -> HeadColumn {
            HeadColumn(header: feature < names.count ? names[feature] : "?",
                       cells: values.map { feature < $0.count ? $0[feature].map(Fmt.compact) ?? "?" : "?" })
        }
        guard let columns = r["columns"]?.arrayValue else { return names.indices.map(numeric) }
        var result: [HeadColumn] = [], feature = 0
        for column in columns {
            let name = column["name"]?.stringValue ?? "?"
            guard let levels = column["levels"]?.arrayValue else {
                result.append(numeric(feature))
                feature += 1
                continue
            }
            let read = rows.map { $0["levels"]?[name] }
            if read.allSatisfy({ $0 != nil }) {
                result.append(HeadColumn(header: name, cells: read.map { $0?.stringValue ?? unseenLevel }, isText: true))
            } else {
                result += (feature..<(feature + levels.count)).map(numeric)
            }
            feature += levels.count
        }
        return result
    }
}
