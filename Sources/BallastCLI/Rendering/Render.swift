import BallastProtocol
import Foundation

/// Human-readable forms of each command's result: aligned tables and one-line summaries.
enum Render {
    /// A command's result as text, then its `warnings`, one line each.
    static func result(_ command: String, _ r: JSONValue, params: [String: JSONValue], terminal t: Terminal) -> String {
        ([body(command, r, params: params, terminal: t)] + warnings(r)).joined(separator: "\n")
    }

    /// What the daemon says a result took (columns re-ordered, levels encoded as zeros, …), one
    /// note a line, marked as the other notes under a table are.
    static func warnings(_ r: JSONValue) -> [String] {
        (r["warnings"]?.arrayValue ?? []).map { "  warning: " + ($0.stringValue ?? JSONWriter.string($0)) }
    }

    static func body(_ command: String, _ r: JSONValue, params: [String: JSONValue], terminal t: Terminal) -> String {
        switch command {
        case "generate", "resample": return summary(r)
        case "load":
            var text = summary(r["dataset"] ?? .null)
            text += "\n  read in \(Fmt.num(r["seconds"]?.doubleValue, 2)) s (\(Fmt.num(r["mb_per_s"]?.doubleValue, 0)) MB/s)"
            if let dropped = r["dropped_rows"]?.intValue, dropped > 0 { text += "; \(Fmt.count(dropped)) rows dropped" }
            if let skipped = r["skipped_lines"]?["count"]?.intValue, skipped > 0 {
                let lines = (r["skipped_lines"]?["first"]?.arrayValue ?? []).compactMap(\.intValue).map(String.init)
                text += "; \(Fmt.count(skipped)) bad line\(skipped == 1 ? "" : "s") skipped (line\(lines.count == 1 ? "" : "s") "
                    + lines.joined(separator: ", ") + (Int(skipped) > lines.count ? ", …" : "") + ")"
            }
            if let encoded = r["encoded_columns"]?.arrayValue, !encoded.isEmpty {
                text += "; one-hot: " + encoded.compactMap { $0.stringValue ?? $0["name"]?.stringValue }.joined(separator: ", ")
            }
            return text
        case "split": return datasetTable(r["datasets"]?.arrayValue ?? [], t)
        case "datasets":
            var text = datasetTable(r["datasets"]?.arrayValue ?? [], t)
            text += "\n  memory: \(Fmt.bytes(r["bytes_used"]?.doubleValue)) of \(Fmt.bytes(r["memory_budget"]?.doubleValue)) budget"
            return text + notAvailable(r)
        case "describe": return describe(r, t)
        case "head": return head(r, t)
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
        case "evaluate": return evaluate(r, params: params, t)
        case "predict": return predict(r, t)
        case "save": return "  wrote \(r["path"]?.stringValue ?? "?") (\(Fmt.bytes(r["bytes"]?.doubleValue)))"
        case "load-model": return "  " + modelLine(r)
        case "models":
            let models = r["models"]?.arrayValue ?? []
            if models.isEmpty { return "  no models yet: 'train DATASET as NAME' makes one" + notAvailable(r) }
            var table = Table(["model", "type", "loss", "trained on", "classes", "features", "threshold"], leftColumns: [0, 1, 2, 3, 4])
            for m in models {
                table.add([m["name"]?.stringValue ?? "?", m["type"]?.stringValue ?? "", m["loss"]?.stringValue ?? "",
                           m["trained_on"]?.stringValue ?? "", (m["classes"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ","),
                           String(m["features"]?.intValue ?? 0), Fmt.num(m["threshold"]?.doubleValue, 3)])
            }
            return table.render(t) + notAvailable(r)
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
        case "tune": return tune(r, t)
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
        case "runs", "runs next": return runList(r, params: params, t)
        case "runs show": return runDescribe(r, t)
        case "runs compare": return runCompare(r, t)
        case "runs delete": return runDelete(r)
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
        text += "; \(memory(d))"
        if d["replaced"]?.boolValue == true { text += " (replaced)" }
        return text
    }

    static func datasetTable(_ datasets: [JSONValue], _ t: Terminal) -> String {
        if datasets.isEmpty { return "  no datasets yet: 'generate fraud as cards' or 'load FILE' makes one" }
        var table = Table(["dataset", "rows", "features", "classes", "imbalance", "memory"], leftColumns: [0, 3])
        for d in datasets {
            let classes = (d["classes"]?.arrayValue ?? []).map { "\($0["label"]?.stringValue ?? "?"): \(Fmt.count($0["count"]?.intValue))" }
            table.add([d["name"]?.stringValue ?? "?", Fmt.count(d["rows"]?.intValue), String(d["features"]?.intValue ?? 0),
                       classes.joined(separator: ", "), Fmt.num(d["imbalance_ratio"]?.doubleValue, 1) + ":1", memory(d)])
        }
        return table.render(t)
    }

    /// What a dataset holds in memory, and for a disk dataset what it keeps on disk beside; a view
    /// (a row map over another disk dataset's file) owns no file, so it says whose rows it reads.
    static func memory(_ d: JSONValue) -> String {
        let held = Fmt.bytes(d["bytes"]?.doubleValue)
        guard d["storage"]?.stringValue == DatasetStorageName.disk.rawValue else { return held }
        if d["view"] == true {
            return "\(held) (view of \(Fmt.bytes(d["disk_bytes"]?.doubleValue)) on disk)"
        }
        return "\(held) (+\(Fmt.bytes(d["disk_bytes"]?.doubleValue)) on disk)"
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

    /// The `unavailable` entries of `dataset/list` and `model/list`: what an earlier daemon kept that
    /// did not come back, one line each, with why and how to get it back.
    static func notAvailable(_ r: JSONValue) -> String {
        (r["unavailable"]?.arrayValue ?? []).map { gone in
            "\n  not available: \(gone["name"]?.stringValue ?? "?") (\(gone["reason"]?.stringValue ?? "?")): " + (gone["message"]?.stringValue ?? "")
        }.joined()
    }

    static func status(_ r: JSONValue, _ t: Terminal) -> String {
        var lines = ["  daemon pid \(r["pid"]?.intValue ?? 0), up \(Fmt.duration(r["uptime_s"]?.doubleValue ?? 0)), protocol \(r["protocol_version"]?.stringValue ?? "?"), "
                     + "\(r["sessions"]?.intValue ?? Int64(r["sessions"]?.arrayValue?.count ?? 0)) session(s)"
                     + ((r["shutting_down"]?.boolValue ?? false) ? ", shutting down" : ""),
                     "  workspace: " + (r["state_dir"]?.stringValue ?? "in memory only (--ephemeral)")]
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
