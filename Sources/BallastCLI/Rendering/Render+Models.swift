import BallastProtocol
import Foundation

/// Class weights, trainings, evaluations, predictions and model summaries.
extension Render {
    static func weights(_ r: JSONValue, _ t: Terminal) -> String {
        var table = Table(["class", "rows", "weight"])
        for c in r["classes"]?.arrayValue ?? [] {
            table.add([c["label"]?.stringValue ?? "?", Fmt.count(c["count"]?.intValue), Fmt.num(c["weight"]?.doubleValue, 6)])
        }
        var lines = ["  scheme \(r["scheme"]?.stringValue ?? "?"), normalization \(r["normalization"]?.stringValue ?? "?")", table.render(t)]
        if let pw = r["pos_weight"]?.doubleValue {
            lines.append("  pos_weight \(Fmt.num(pw, 2)) (PyTorch BCEWithLogitsLoss, TensorFlow weighted_cross_entropy_with_logits)")
        }
        return lines.joined(separator: "\n")
    }

    static let metricHeader = ["Recall", "Precision", "F1-Score", "PR-AUC", "ROC-AUC", "MCC", "Threshold"]

    static func metricCells(_ report: JSONValue, threshold: Double? = nil) -> [String] {
        let positive = report["positive"]
        return [Fmt.num(positive?["recall"]?.doubleValue), Fmt.num(positive?["precision"]?.doubleValue), Fmt.num(positive?["f1"]?.doubleValue),
                Fmt.num(report["pr_auc"]?.doubleValue), Fmt.num(report["roc_auc"]?.doubleValue), Fmt.num(report["mcc"]?.doubleValue),
                Fmt.num(threshold ?? report["threshold"]?.doubleValue, 3)]
    }

    static func train(_ r: JSONValue, _ t: Terminal) -> String {
        var head = "  \(t.bold(r["model"]?.stringValue ?? "?")) (run \(r["run"]?.stringValue ?? "?")): \(r["steps"]?.intValue ?? 0) steps, "
        head += "\(r["stop_reason"]?.stringValue ?? "?"), \(Fmt.duration(r["seconds"]?.doubleValue ?? 0)), objective \(Fmt.compact(r["objective"]?.doubleValue ?? .nan))"
        var lines = [head]
        let metrics = r["metrics"]?.objectValue ?? [:]
        if !metrics.isEmpty {
            var table = Table(["Set"] + metricHeader)
            for name in ["train", "validation"] + metrics.keys.sorted().filter({ $0 != "train" && $0 != "validation" }) {
                guard let report = metrics[name] else { continue }
                table.add([name] + metricCells(report))
            }
            lines.append(table.render(t))
        }
        if let c = r["calibration"], let before = c["brier_before"]?.doubleValue, let after = c["brier_after"]?.doubleValue {
            lines.append("  calibration: Brier \(Fmt.num(before)) → \(Fmt.num(after)) after prior correction")
        }
        return lines.joined(separator: "\n")
    }

    /// The metrics table, the confusion matrix and the summary line; with `curves=true`, the PR
    /// and ROC curves under them.
    static func evaluate(_ r: JSONValue, params: [String: JSONValue] = [:], _ t: Terminal) -> String {
        var lines = [evaluateTables(r, t)]
        if params["curves"]?.boolValue == true {
            let width = Charts.width(forTerminal: t.width)
            let positive = r["positive"]?["label"]?.stringValue.map { " (positive '\($0)')" } ?? ""
            let pr = Charts.curvePoints(r, "pr"), roc = Charts.curvePoints(r, "roc")
            if pr.count > 1 {
                lines.append(Charts.prPlot(title: "precision-recall curve\(positive), PR-AUC \(Fmt.num(r["pr_auc"]?.doubleValue))", pr, width: width).render())
            }
            if roc.count > 1 {
                lines.append(Charts.rocPlot(title: "ROC curve\(positive), ROC-AUC \(Fmt.num(r["roc_auc"]?.doubleValue))", roc, width: width).render())
            }
        }
        return lines.joined(separator: "\n")
    }

    static func evaluateTables(_ r: JSONValue, _ t: Terminal) -> String {
        var table = Table(["Positive class"] + metricHeader)
        table.add([r["positive"]?["label"]?.stringValue ?? "?"] + metricCells(r))
        var lines = [table.render(t)]
        if let confusion = r["confusion"]?.arrayValue {
            let labels = (r["per_class"]?.arrayValue ?? []).compactMap { $0["label"]?.stringValue }
            var matrix = Table(["truth \\ predicted"] + labels)
            for (i, row) in confusion.enumerated() {
                matrix.add([i < labels.count ? labels[i] : String(i)] + (row.arrayValue ?? []).map { Fmt.count($0.intValue) })
            }
            lines.append(matrix.render(t))
        }
        lines.append("  accuracy \(Fmt.num(r["accuracy"]?.doubleValue)), balanced accuracy \(Fmt.num(r["balanced_accuracy"]?.doubleValue)), "
                     + "G-mean \(Fmt.num(r["g_mean"]?.doubleValue)), log loss \(Fmt.num(r["log_loss"]?.doubleValue))")
        return lines.joined(separator: "\n")
    }

    static func predict(_ r: JSONValue, _ t: Terminal) -> String {
        let classes = (r["classes"]?.arrayValue ?? []).compactMap(\.stringValue)
        let labels = (r["labels"]?.arrayValue ?? []).compactMap(\.stringValue)
        let probabilities = r["probabilities"]?.arrayValue ?? []
        var counts: [String: Int] = [:]
        for label in labels { counts[label, default: 0] += 1 }
        var lines = ["  \(Fmt.count(Int64(labels.count))) rows; predicted " + classes.map { "\($0): \(Fmt.count(Int64(counts[$0] ?? 0)))" }.joined(separator: ", ")
                     + (r["threshold"]?.doubleValue.map { "; threshold \(Fmt.num($0, 3))" } ?? "")]
        var table = Table(["row"] + classes.map { "P(\($0))" } + ["label"])
        for i in 0..<min(5, labels.count) {
            table.add([String(i)] + (probabilities[i].arrayValue ?? []).map { Fmt.num($0.doubleValue) } + [labels[i]])
        }
        lines.append(table.render(t))
        if labels.count > 5 { lines.append("  … (--json prints every row)") }
        return lines.joined(separator: "\n")
    }

    static func modelLine(_ m: JSONValue) -> String {
        var text = "\(m["name"]?.stringValue ?? "?"): \(m["type"]?.stringValue ?? "?")"
        if let loss = m["loss"]?.stringValue { text += ", loss \(loss)" }
        if let on = m["trained_on"]?.stringValue { text += ", trained on \(on)" }
        text += ", \(m["features"]?.intValue ?? 0) features"
        if let th = m["threshold"]?.doubleValue { text += ", threshold \(Fmt.num(th, 3))" }
        return text
    }
}
