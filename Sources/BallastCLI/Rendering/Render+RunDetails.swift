import BallastProtocol
import Foundation

/// `runs show` (one run, everything kept) and `runs compare` (runs side by side).
extension Render {
    /// The order of a report's figures in a run's metric grid; others follow by name.
    static let reportOrder = ["f1", "precision", "recall", "pr_auc", "roc_auc", "mcc", "g_mean", "balanced_accuracy",
                              "accuracy", "macro_f1", "log_loss", "brier", "threshold"]

    static func runDescribe(_ r: JSONValue, _ t: Terminal) -> String {
        let s = r["summary"] ?? .null
        let run = s["run"]?.stringValue ?? "?"
        var head = "  run \(run): \(s["method"]?.stringValue ?? "?"), \(s["status"]?.stringValue ?? "?"); started \(timestamp(s["started"]?.stringValue)) UTC"
        if let ended = s["ended"]?.stringValue { head += ", ended \(timestamp(ended))" }
        if let seconds = s["seconds"]?.doubleValue { head += " (\(Fmt.duration(seconds)))" }
        var lines = [head]
        if let model = s["model"]?.stringValue {
            let about = [s["model_type"]?.stringValue, s["loss"]?.stringValue.map { "loss \($0)" }].compactMap { $0 }
            lines.append("  model: \(model)" + (about.isEmpty ? "" : " (\(about.joined(separator: ", ")))"))
        }
        let datasets = (s["datasets"]?.arrayValue ?? []).map { d in
            let print = d["fingerprint"]?.stringValue.map { ", " + $0.prefix(12) } ?? ""
            return "\(d["name"]?.stringValue ?? "?") (\(d["role"]?.stringValue ?? "?")\(print))"
        }
        if !datasets.isEmpty { lines.append("  datasets: " + datasets.joined(separator: ", ")) }
        if let message = s["message"]?.stringValue { lines.append("  \(s["status"]?.stringValue ?? "ended"): \(message)") }
        let metrics = (s["metrics"]?.objectValue ?? [:]).compactMapValues(\.doubleValue)
        if !metrics.isEmpty { lines += metricGrid(metrics, t) }
        lines.append("  params: " + JSONWriter.string(r["params"] ?? .null))
        if let config = r["config"], config != .null { lines.append("  config: " + JSONWriter.string(config)) }
        let events = r["event_count"]?.intValue ?? 0
        lines.append("  records: \(events)" + (events > 0 ? " ('events \(run)' lists them)" : ""))
        return lines.joined(separator: "\n")
    }

    /// Dotted metrics as a grid: one column per group (`train`, `validation`, an arm, a tune's
    /// candidate), one row per figure; names without a dot on one line beneath. The figure follows
    /// the last dot: a candidate's name may hold one (`wce_w0.9.mean`), a figure never does.
    static func metricGrid(_ metrics: [String: Double], _ t: Terminal) -> [String] {
        var groups: [String] = []
        var figures: [String] = []
        var loose: [(String, Double)] = []
        for (name, value) in metrics.sorted(by: { $0.key < $1.key }) {
            guard let dot = name.lastIndex(of: ".") else { loose.append((name, value)); continue }
            let group = String(name[..<dot]), figure = String(name[name.index(after: dot)...])
            if !groups.contains(group) { groups.append(group) }
            if !figures.contains(figure) { figures.append(figure) }
        }
        figures.sort { a, b in
            let i = reportOrder.firstIndex(of: a) ?? reportOrder.count, j = reportOrder.firstIndex(of: b) ?? reportOrder.count
            return i != j ? i < j : a < b
        }
        var lines: [String] = []
        if !groups.isEmpty {
            var table = Table(["metric"] + groups)
            for figure in figures {
                table.add([figure] + groups.map { metricCell("\($0).\(figure)", metrics["\($0).\(figure)"]) })
            }
            lines.append(table.render(t))
        }
        if !loose.isEmpty {
            lines.append("  " + loose.map { "\($0.0) \(metricCell($0.0, $0.1))" }.joined(separator: ", "))
        }
        return lines
    }

    /// One row per run, or one column per run when the runs are fewer than the rows to show;
    /// each metric's best is marked `*`.
    static func runCompare(_ r: JSONValue, _ t: Terminal) -> String {
        let metrics = (r["metrics"]?.arrayValue ?? []).compactMap(\.stringValue)
        let params = (r["params"]?.arrayValue ?? []).compactMap(\.stringValue)
        let rows = r["rows"]?.arrayValue ?? []
        let runs = rows.map { $0["run"]?.stringValue ?? "?" }
        func metric(_ row: Int, _ column: Int) -> Double? { rows[row]["metrics"]?.arrayValue?[safe: column]?.doubleValue }
        func param(_ row: Int, _ column: Int) -> String {
            switch rows[row]["params"]?.arrayValue?[safe: column] {
            case .string(let text)?: text
            case nil, .null?: "–"
            case let value?: JSONWriter.string(value)
            }
        }
        // Each metric column's cells, with the best marked (and the others padded to align).
        let metricCells: [[String]] = metrics.indices.map { column in
            let values = rows.indices.map { metric($0, column) }
            let best = RunMetricRanking.best(of: metrics[column], values)
            return values.map { value in
                let cell = metricCell(metrics[column], value)
                guard best != nil else { return cell }
                return cell + (value != nil && value == best ? "*" : " ")
            }
        }
        var table: Table
        if rows.count < metrics.count + params.count {
            table = Table([""] + runs)
            for (column, name) in params.enumerated() { table.add([name] + rows.indices.map { param($0, column) }) }
            for (column, name) in metrics.enumerated() { table.add([name] + metricCells[column]) }
        } else {
            table = Table(["run"] + params + metrics, leftColumns: Set(0...params.count))
            for (row, run) in runs.enumerated() {
                table.add([run] + params.indices.map { param(row, $0) } + metrics.indices.map { metricCells[$0][row] })
            }
        }
        var lines = [table.render(t)]
        if metrics.contains(where: { RunMetricRanking.of($0) != nil }) && rows.count > 1 {
            lines.append("  * each metric's best: the highest, or the lowest for a loss, log_loss, brier, objective or cost.")
        }
        return lines.joined(separator: "\n")
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
