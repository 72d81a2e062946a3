import BallastProtocol
import Foundation

/// Human-readable forms of each command's result: aligned tables and one-line summaries.
enum Render {
    static func result(_ command: String, _ r: JSONValue, params: [String: JSONValue], terminal t: Terminal) -> String {
        switch command {
        case "generate", "resample": return summary(r)
        case "load":
            var text = summary(r["dataset"] ?? .null)
            text += "\n  read in \(Fmt.num(r["seconds"]?.doubleValue, 2)) s (\(Fmt.num(r["mb_per_s"]?.doubleValue, 0)) MB/s)"
            if let dropped = r["dropped_rows"]?.intValue, dropped > 0 { text += "; \(Fmt.count(dropped)) rows dropped" }
            if let encoded = r["encoded_columns"]?.arrayValue, !encoded.isEmpty {
                text += "; one-hot: " + encoded.compactMap { $0.stringValue ?? $0["name"]?.stringValue }.joined(separator: ", ")
            }
            return text
        case "split": return datasetTable(r["datasets"]?.arrayValue ?? [], t)
        case "datasets":
            var text = datasetTable(r["datasets"]?.arrayValue ?? [], t)
            text += "\n  memory: \(Fmt.bytes(r["bytes_used"]?.doubleValue)) of \(Fmt.bytes(r["memory_budget"]?.doubleValue)) budget"
            return text
        case "describe": return describe(r, t)
        case "kfold":
            var table = Table(["fold", "held-out classes", "train", "test"], leftColumns: [1, 2, 3])
            for fold in r["folds"]?.arrayValue ?? [] {
                let classes = (fold["classes"]?.arrayValue ?? []).map { "\($0["label"]?.stringValue ?? "?"): \(Fmt.count($0["count"]?.intValue))" }
                table.add([String(fold["index"]?.intValue ?? 0), classes.joined(separator: ", "),
                           fold["train"]?.stringValue ?? "", fold["test"]?.stringValue ?? ""])
            }
            return table.render(t)
        case "standardize":
            let outputs = (r["outputs"]?.objectValue ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value.stringValue ?? "?")" }
            return "  standardized: " + outputs.joined(separator: ", ")
        case "weights": return weights(r, t)
        case "train": return train(r, t)
        case "evaluate": return evaluate(r, t)
        case "predict": return predict(r, t)
        case "save": return "  wrote \(r["path"]?.stringValue ?? "?") (\(Fmt.bytes(r["bytes"]?.doubleValue)))"
        case "load-model": return "  " + modelLine(r)
        case "models":
            let models = r["models"]?.arrayValue ?? []
            if models.isEmpty { return "  no models yet: 'train DATASET as NAME' makes one" }
            var table = Table(["model", "type", "loss", "trained on", "classes", "features", "threshold"], leftColumns: [0, 1, 2, 3, 4])
            for m in models {
                table.add([m["name"]?.stringValue ?? "?", m["type"]?.stringValue ?? "", m["loss"]?.stringValue ?? "",
                           m["trained_on"]?.stringValue ?? "", (m["classes"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ","),
                           String(m["features"]?.intValue ?? 0), Fmt.num(m["threshold"]?.doubleValue, 3)])
            }
            return table.render(t)
        case "describe-model":
            var lines = ["  " + modelLine(r["model"] ?? .null)]
            if let coefficients = r["parameters"]?["coefficients"]?.arrayValue, let names = r["feature_names"]?.arrayValue {
                let flat = coefficients.flatMap { $0.arrayValue ?? [$0] }.compactMap(\.doubleValue)
                if flat.count == names.count {
                    let top = zip(names.compactMap(\.stringValue), flat).sorted { abs($0.1) > abs($1.1) }.prefix(8)
                    var table = Table(["feature", "coefficient"])
                    for (name, value) in top { table.add([name, Fmt.num(value)]) }
                    lines.append("  largest coefficients:")
                    lines.append(table.render(t))
                }
            }
            lines.append("  config: " + JSONWriter.string(r["config"] ?? .null))
            return lines.joined(separator: "\n")
        case "drop":
            return "  dropped \(r["dropped"]?.stringValue ?? "?") (\(Fmt.bytes(r["bytes_freed"]?.doubleValue)) freed)"
        case "drop-model": return "  dropped \(r["dropped"]?.stringValue ?? "?")"
        case "compare": return compare(r, t)
        case "sweep": return sweep(r, t)
        case "events":
            var table = Table(["seq", "kind", "step", "loss", "val F1", "other"], leftColumns: [1, 5])
            for e in r["events"]?.arrayValue ?? [] {
                var other = e.objectValue ?? [:]
                for key in ["seq", "kind", "step", "loss", "validation", "run"] { other[key] = nil }
                table.add([String(e["seq"]?.intValue ?? 0), e["kind"]?.stringValue ?? "",
                           e["step"]?.intValue.map { String($0) } ?? "", e["loss"]?.doubleValue.map { Fmt.compact($0) } ?? "",
                           Fmt.num(e["validation"]?["f1"]?.doubleValue, 3), other.isEmpty ? "" : JSONWriter.string(.object(other))])
            }
            return table.render(t) + "\n  complete: \(r["complete"]?.boolValue ?? false)"
        case "cancel":
            return "  run \(r["run"]?.stringValue ?? "?"): " + ((r["cancelled"]?.boolValue ?? false) ? "cancelled" : "had already ended")
        case "status": return status(r, t)
        case "ping": return "  pong (daemon up \(Fmt.duration(r["uptime_s"]?.doubleValue ?? 0)))"
        default: return JSONWriter.string(r, pretty: true)
        }
    }

    static func summary(_ d: JSONValue) -> String {
        let classes = (d["classes"]?.arrayValue ?? []).map { "\($0["label"]?.stringValue ?? "?"): \(Fmt.count($0["count"]?.intValue))" }
        var text = "  \(d["name"]?.stringValue ?? "?"): \(Fmt.count(d["rows"]?.intValue)) rows × \(d["features"]?.intValue ?? 0) features"
        text += "; classes \(classes.joined(separator: ", "))"
        if let ratio = d["imbalance_ratio"]?.doubleValue { text += "; imbalance \(Fmt.num(ratio, 1)):1" }
        if let positive = d["positive"]?.stringValue { text += "; positive '\(positive)'" }
        text += "; \(Fmt.bytes(d["bytes"]?.doubleValue))"
        if d["replaced"]?.boolValue == true { text += " (replaced)" }
        return text
    }

    static func datasetTable(_ datasets: [JSONValue], _ t: Terminal) -> String {
        if datasets.isEmpty { return "  no datasets yet: 'generate fraud as cards' or 'load FILE' makes one" }
        var table = Table(["dataset", "rows", "features", "classes", "imbalance", "memory"], leftColumns: [0, 3])
        for d in datasets {
            let classes = (d["classes"]?.arrayValue ?? []).map { "\($0["label"]?.stringValue ?? "?"): \(Fmt.count($0["count"]?.intValue))" }
            table.add([d["name"]?.stringValue ?? "?", Fmt.count(d["rows"]?.intValue), String(d["features"]?.intValue ?? 0),
                       classes.joined(separator: ", "), Fmt.num(d["imbalance_ratio"]?.doubleValue, 1) + ":1", Fmt.bytes(d["bytes"]?.doubleValue)])
        }
        return table.render(t)
    }

    static func describe(_ r: JSONValue, _ t: Terminal) -> String {
        var lines = [summary(r["dataset"] ?? .null) + "; origin \(r["origin"]?.stringValue ?? "?")"]
        var table = Table(["feature", "mean", "std", "min", "max", "missing"])
        for f in r["feature_stats"]?.arrayValue ?? [] {
            table.add([f["name"]?.stringValue ?? "?", Fmt.compact(f["mean"]?.doubleValue ?? .nan), Fmt.compact(f["std"]?.doubleValue ?? .nan),
                       Fmt.compact(f["min"]?.doubleValue ?? .nan), Fmt.compact(f["max"]?.doubleValue ?? .nan), Fmt.count(f["missing"]?.intValue)])
        }
        lines.append(table.render(t))
        return lines.joined(separator: "\n")
    }

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

    static func evaluate(_ r: JSONValue, _ t: Terminal) -> String {
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
        return table.render(t) + "\n  best \(param)=\(best.map(Fmt.compact) ?? "?"): \(metric) \(Fmt.num(r["best"]?["mean"]?.doubleValue)) ± \(Fmt.num(r["best"]?["sd"]?.doubleValue)) over \(folds) folds (run \(r["run"]?.stringValue ?? "?"))"
    }

    static func status(_ r: JSONValue, _ t: Terminal) -> String {
        var lines = ["  daemon pid \(r["pid"]?.intValue ?? 0), up \(Fmt.duration(r["uptime_s"]?.doubleValue ?? 0)), protocol \(r["protocol_version"]?.stringValue ?? "?"), "
                     + "\(r["sessions"]?.intValue ?? Int64(r["sessions"]?.arrayValue?.count ?? 0)) session(s)"
                     + ((r["shutting_down"]?.boolValue ?? false) ? ", shutting down" : "")]
        let inFlight = r["in_flight"]?.arrayValue ?? []
        if inFlight.isEmpty {
            lines.append("  idle")
        } else {
            var table = Table(["method", "id", "session", "elapsed"], leftColumns: [0, 2])
            for f in inFlight {
                table.add([f["method"]?.stringValue ?? "?", f["id"].map { JSONWriter.string($0) } ?? "", String((f["session"]?.stringValue ?? "").prefix(8)),
                           Fmt.duration(f["elapsed_s"]?.doubleValue ?? 0)])
            }
            lines.append(table.render(t))
        }
        return lines.joined(separator: "\n")
    }
}
