import BallastProtocol
import Foundation

/// `runs`, `runs show`, `runs compare` and `runs delete`: the daemon's record of past runs.
extension Render {
    /// The metric columns a listing shows unless `metrics=` names them: the sorted-by metric,
    /// then the first of these the page's runs have, three columns at most.
    static let listedMetricPreference = ["validation.f1", "validation.pr_auc", "train.f1", "train.pr_auc", "best.mean"]

    static func runList(_ r: JSONValue, params: [String: JSONValue], _ t: Terminal) -> String {
        let runs = r["runs"]?.arrayValue ?? []
        let total = Int(r["total"]?.intValue ?? Int64(runs.count))
        let offset = Int(params["offset"]?.intValue ?? 0)
        if runs.isEmpty {
            if total > 0 { return "  no runs from \(offset + 1) on: \(total) match ('runs offset=0' shows the first page)" }
            let filtered = params.keys.contains { !["sort_by", "order", "limit", "offset"].contains($0) && !$0.hasPrefix("@") }
            return filtered ? "  no runs match these filters" : "  no runs yet: 'train DATASET as NAME' records one"
        }
        let metrics = listedMetrics(runs, params: params)
        var table = Table(["run", "method", "status", "started (UTC)", "model", "loss", "datasets"] + metrics, leftColumns: Set(0...6))
        for run in runs {
            var seen: Set<String> = []
            let datasets = (run["datasets"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }.filter { seen.insert($0).inserted }
            let values = run["metrics"]?.objectValue ?? [:]
            table.add([run["run"]?.stringValue ?? "?", run["method"]?.stringValue ?? "", run["status"]?.stringValue ?? "",
                       timestamp(run["started"]?.stringValue), run["model"]?.stringValue ?? "–", run["loss"]?.stringValue ?? "–",
                       datasets.isEmpty ? "–" : datasets.joined(separator: ", ")]
                      + metrics.map { metricCell($0, values[$0]?.doubleValue) })
        }
        var footer = "  runs \(offset + 1)–\(offset + runs.count) of \(total), " + ordering(params)
        if r["next_offset"]?.intValue != nil { footer += "; 'runs next' shows the next page" }
        var lines = [table.render(t), footer]
        for run in runs where run["status"]?.stringValue == RunStatusName.failed.rawValue {
            lines.append("  \(run["run"]?.stringValue ?? "?") failed: \(run["message"]?.stringValue ?? "(no message kept)")")
        }
        return lines.joined(separator: "\n")
    }

    static func listedMetrics(_ runs: [JSONValue], params: [String: JSONValue]) -> [String] {
        if let asked = params["@metrics"]?.stringValue {
            return asked.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let present = Set(runs.flatMap { ($0["metrics"]?.objectValue ?? [:]).keys })
        var chosen: [String] = []
        if let sort = params["sort_by"]?.stringValue, !CommandTable.runSortColumns.contains(sort) { chosen.append(sort) }
        for name in listedMetricPreference where present.contains(name) && !chosen.contains(name) && chosen.count < 3 {
            chosen.append(name)
        }
        return chosen
    }

    /// "newest first", "by validation.f1, highest first".
    static func ordering(_ params: [String: JSONValue]) -> String {
        let ascending = params["order"]?.stringValue == SortOrderName.ascending.rawValue
        switch params["sort_by"]?.stringValue ?? "started" {
        case "started": return ascending ? "oldest first" : "newest first"
        case let key: return "by \(key), \(ascending ? "lowest" : "highest") first"
        }
    }

    /// `2026-11-30T08:35:38.125Z` → `2026-11-30 08:35:38` (UTC, to the second).
    static func timestamp(_ iso: String?) -> String {
        guard let iso, !iso.isEmpty else { return "–" }
        var text = iso.replacingOccurrences(of: "T", with: " ")
        if let dot = text.firstIndex(of: ".") { text = String(text[..<dot]) }
        if text.hasSuffix("Z") { text.removeLast() }
        return text
    }

    /// A ranked metric to four places; a count as an integer; another figure compactly.
    static func metricCell(_ name: String, _ value: Double?) -> String {
        guard let value else { return "–" }
        if RunMetricRanking.of(name) != nil { return Fmt.num(value) }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return Fmt.compact(value)
    }

    static func runDelete(_ r: JSONValue) -> String {
        let deleted = (r["deleted"]?.arrayValue ?? []).compactMap(\.stringValue)
        return deleted.isEmpty ? "  deleted nothing" : "  deleted " + deleted.joined(separator: ", ")
    }
}
