import BallastProtocol
import Foundation

/// The seed's comparison table and a sweep's chart.
extension Render {
    /// The comparison arms as the seed's table names them.
    static func armLabel(_ arm: String) -> String {
        guard let name = ArmName(rawValue: arm) else { return arm }
        return switch name {
        case .ce: "CE"
        case .wceInverse: "WCE (inverse)"
        case .wceBalanced: "WCE (balanced)"
        case .focal: "Focal (γ 2, α 0.25)"
        case .over: "CE + over-sampling"
        case .under: "CE + under-sampling"
        case .smote: "CE + SMOTE"
        case .ceBestF1: "CE, best-F1 threshold"
        }
    }

    /// The seed's table: Loss Function | Recall | Precision | F1-Score | PR-AUC | ROC-AUC | MCC | Threshold.
    static func compare(_ r: JSONValue, _ t: Terminal) -> String {
        let rows = r["rows"]?.arrayValue ?? []
        let bestF1 = rows.compactMap { $0["f1"]?.doubleValue }.max()
        var table = Table(["Loss Function"] + metricHeader)
        for row in rows {
            var label = armLabel(row["arm"]?.stringValue ?? "?")
            if let f1 = row["f1"]?.doubleValue, f1 == bestF1 { label += " *" }
            table.add([label, Fmt.num(row["recall"]?.doubleValue), Fmt.num(row["precision"]?.doubleValue), Fmt.num(row["f1"]?.doubleValue),
                       Fmt.num(row["pr_auc"]?.doubleValue), Fmt.num(row["roc_auc"]?.doubleValue), Fmt.num(row["mcc"]?.doubleValue),
                       Fmt.num(row["threshold"]?.doubleValue, 3)])
        }
        var lines = [table.render(t), "  * best F1. Metrics are the positive class's, on the test set (run \(r["run"]?.stringValue ?? "?"))."]
        for (arm, why) in (r["skipped"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            lines.append("  skipped \(arm): \(why.stringValue ?? "")")
        }
        return lines.joined(separator: "\n")
    }

    static func sweep(_ r: JSONValue, _ t: Terminal) -> String {
        let param = r["param"]?.stringValue ?? "value"
        let metric = r["metric"]?.stringValue ?? "metric"
        let points = r["results"]?.arrayValue ?? []
        let best = r["best"]?["value"]?.doubleValue
        let means = points.compactMap { $0["mean"]?.doubleValue }
        let lo = means.min() ?? 0, hi = means.max() ?? 1
        var table = Table([param, "mean \(metric)", "sd", ""], leftColumns: [3])
        for p in points {
            let mean = p["mean"]?.doubleValue ?? 0
            let length = hi > lo ? 1 + Int((mean - lo) / (hi - lo) * 23) : 12
            var bar = String(repeating: "█", count: length)
            if p["value"]?.doubleValue == best { bar += " best" }
            table.add([Fmt.compact(p["value"]?.doubleValue ?? .nan), Fmt.num(mean), Fmt.num(p["sd"]?.doubleValue), bar])
        }
        let folds = points.first?["folds"]?.arrayValue?.count ?? 0
        var text = table.render(t) + "\n  best \(param)=\(best.map(Fmt.compact) ?? "?"): \(metric) \(Fmt.num(r["best"]?["mean"]?.doubleValue)) ± \(Fmt.num(r["best"]?["sd"]?.doubleValue)) over \(folds) folds (run \(r["run"]?.stringValue ?? "?"))"
        // Why there are more scores than folds asked (a small class: the folds were repeated).
        if let note = r["folds"]?["note"]?.stringValue { text += "\n  " + note }
        if let chart = Charts.sweepPlot(r, width: Charts.width(forTerminal: t.width)) { text += "\n" + chart.render() }
        return text
    }
}
