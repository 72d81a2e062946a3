import BallastProtocol
import Foundation

/// `tune`'s result: the leaderboard, what Ballast chose and why, how it cross-validated, the honest
/// estimate of its choice, the calibration before and after, and what it left out.
extension Render {
    static func tune(_ r: JSONValue, _ t: Terminal) -> String {
        let objective = objectiveName(r["objective"])
        let winner = r["winner"]?["candidate"]?.stringValue
        let leaderboard = r["leaderboard"]?.arrayValue ?? []
        var lines = ["  \(t.bold(r["model"]?.stringValue ?? "?")) (run \(r["run"]?.stringValue ?? "?")): "
                     + "\(leaderboard.count) candidate\(leaderboard.count == 1 ? "" : "s") ranked by \(objective) "
                     + "(\(r["objective"]?["higher_is_better"]?.boolValue == false ? "lower" : "higher") is better), "
                     + "\(foldPlan(r["folds"])), \(Fmt.duration(r["seconds"]?.doubleValue ?? 0))"]
        lines.append(leaderboardTable(leaderboard, objective: objective, winner: winner, t).render(t))
        let scored = r["winner"]?["threshold"]?.doubleValue == nil ? "" : ", each fold's at the threshold tuned on the other folds"
        lines.append("  * the winner, stored as model \(r["model"]?.stringValue ?? "?"). Scores are out-of-fold\(scored).")
        // A calibration folded into the model moved its threshold from the leaderboard's.
        let folded = r["calibration"]?["applied_to_model"]?.boolValue == true
        let rawThreshold = folded ? leaderboard.first { $0["candidate"]?.stringValue == winner }?["threshold"]?.doubleValue : nil
        lines += winnerLines(r["winner"], rawThreshold: rawThreshold, model: r["model"]?.stringValue)
        let foldNote = r["folds"]?["note"]?.stringValue
        if let foldNote { lines.append("  folds: \(foldNote)") }
        lines += estimateLines(r["estimate"], objective: objective, t)
        lines += calibrationLines(r["calibration"], t)
        for (name, why) in (r["skipped"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            lines.append("  skipped \(name): \(why.stringValue ?? "")")
        }
        // The fold plan's note is said once, with the folds.
        for note in r["notes"]?.arrayValue ?? [] where note.stringValue == nil || note.stringValue != foldNote {
            lines.append("  note: \(note.stringValue ?? JSONWriter.string(note))")
        }
        return lines.joined(separator: "\n")
    }

    /// The objective as people say it (`F1`, `recall at precision ≥ 0.9`), from the daemon's `name`.
    static func objectiveName(_ objective: JSONValue?) -> String {
        objective?["name"]?.stringValue ?? objective?["type"]?.stringValue ?? objective?.stringValue ?? "objective"
    }

    /// `5 folds × 1 repeat` (and what was asked, when fewer folds were used).
    static func foldPlan(_ folds: JSONValue?) -> String {
        let used = folds?["used"]?.intValue ?? 0, repeats = folds?["repeats"]?.intValue ?? 1
        var text = "\(used) folds × \(repeats) repeat\(repeats == 1 ? "" : "s")"
        if let requested = folds?["requested"]?.intValue, requested != used { text += " (\(requested) folds asked)" }
        return text
    }

    /// Rank, candidate (the winner marked), mean ± sd of the objective over the folds, the tuned
    /// threshold, the seconds its fits took; the candidates' descriptions when the terminal is wide.
    static func leaderboardTable(_ rows: [JSONValue], objective: String, winner: String?, _ t: Terminal) -> Table {
        let thresholds = rows.contains { $0["threshold"]?.doubleValue != nil }
        let described = t.width >= 120 && rows.contains { $0["description"]?.stringValue != nil }
        var header = ["rank", "candidate", "\(objective) mean ± sd"]
        if thresholds { header.append("threshold") }
        header.append("seconds")
        if described { header.append("description") }
        var table = Table(header, leftColumns: described ? [1, header.count - 1] : [1])
        for (index, row) in rows.enumerated() {
            let name = row["candidate"]?.stringValue ?? "?"
            var cells = [String(row["rank"]?.intValue ?? Int64(index + 1)), name == winner ? name + " *" : name,
                         "\(Fmt.num(row["mean"]?.doubleValue)) ± \(Fmt.num(row["sd"]?.doubleValue))"]
            if thresholds { cells.append(Fmt.num(row["threshold"]?.doubleValue, 3)) }
            cells.append(Fmt.num(row["seconds"]?.doubleValue, 1))
            if described { cells.append(row["description"]?.stringValue ?? "") }
            table.add(cells)
        }
        return table
    }

    /// What Ballast chose, why, and the config that trains it again with `model/train`.
    /// `rawThreshold` is the winner's threshold on its uncalibrated scores (the leaderboard's), said
    /// beside the stored one when a calibration moved it.
    static func winnerLines(_ w: JSONValue?, rawThreshold: Double? = nil, model: String?) -> [String] {
        guard let w else { return [] }
        var chosen = "  chosen: \(w["candidate"]?.stringValue ?? "?")"
        if let description = w["description"]?.stringValue { chosen += " (\(description))" }
        if let threshold = w["threshold"]?.doubleValue {
            chosen += ", threshold \(Fmt.num(threshold, 3))"
            if let rawThreshold, Fmt.num(rawThreshold, 3) != Fmt.num(threshold, 3) {
                chosen += " (\(Fmt.num(rawThreshold, 3)) before calibration)"
            }
        }
        let evaluate = w["threshold"]?.doubleValue == nil ? nil : model.map { "; 'evaluate \($0) DATASET' scores it with that threshold" }
        var lines = [chosen + (evaluate ?? "")]
        if let why = w["why"]?.stringValue { lines.append("  why: \(why)") }
        if let config = w["config"], config != .null { lines.append("  config (model/train params): " + JSONWriter.string(config)) }
        return lines
    }

    /// The honest estimate: the winner scored on rows that took no part in choosing it, with the
    /// metrics there (holdout), or the spread over outer folds (nested); or a warning without one.
    static func estimateLines(_ e: JSONValue?, objective: String, _ t: Terminal) -> [String] {
        let method = e?["method"]?.stringValue ?? EstimateName.none.rawValue
        guard method != EstimateName.none.rawValue, let value = e?["objective"]?.doubleValue else {
            return ["  no honest estimate: the leaderboard's scores chose the winner, so they flatter it."]
        }
        let rows = e?["rows"]?.intValue.map { " of \(Fmt.count($0)) rows" } ?? ""
        var lines: [String]
        if method == EstimateName.nested.rawValue {
            let scores = (e?["scores"]?.arrayValue ?? []).compactMap(\.doubleValue)
            var line = "  honest estimate (nested, \(scores.count) outer folds\(rows)): \(objective) \(Fmt.num(value))"
            if let sd = e?["sd"]?.doubleValue { line += " ± \(Fmt.num(sd))" }
            lines = [line]
            let winners = (e?["winners"]?.arrayValue ?? []).compactMap(\.stringValue)
            if !scores.isEmpty {
                let each = scores.enumerated().map { i, s in Fmt.num(s) + (i < winners.count ? " (\(winners[i]))" : "") }
                lines.append("  per outer fold (its own winner): " + each.joined(separator: ", "))
            }
        } else {
            lines = ["  honest estimate (\(method)\(rows), never used to choose): \(objective) \(Fmt.num(value))"]
        }
        if let metrics = e?["metrics"], metrics != .null {
            if method == EstimateName.nested.rawValue {
                lines.append("  every outer fold's test rows pooled, each decided by its own fold's winner:")
            }
            lines.append(evaluateTables(metrics, t))
        }
        return lines
    }

    /// Brier and log loss before and after calibration, where they were measured, whether the
    /// stored model carries it, and the reliability curves.
    static func calibrationLines(_ c: JSONValue?, _ t: Terminal) -> [String] {
        guard let c, c != .null, let method = c["method"]?.stringValue, method != CalibrationName.none.rawValue else { return [] }
        let on = switch c["on"]?.stringValue {
        case "holdout": "on the holdout rows"
        case "outer_folds": "on the outer folds' test rows"
        default: "on out-of-fold predictions (no held-out rows)"
        }
        let parameters = (c["parameters"]?.objectValue ?? [:]).sorted { $0.key < $1.key }
            .map { "\($0.key) \($0.value.doubleValue.map(Fmt.compact) ?? JSONWriter.string($0.value))" }
        var line = "  calibration \(method)\(parameters.isEmpty ? "" : " (" + parameters.joined(separator: ", ") + ")"), \(on): "
        line += "Brier \(Fmt.num(c["before"]?["brier"]?.doubleValue)) → \(Fmt.num(c["after"]?["brier"]?.doubleValue)), "
        line += "log loss \(Fmt.num(c["before"]?["log_loss"]?.doubleValue)) → \(Fmt.num(c["after"]?["log_loss"]?.doubleValue))"
        var lines = [line]
        if c["applied_to_model"]?.boolValue == false {
            lines.append("  the stored model keeps its raw probabilities (\(method) does not fold into it); its threshold is the raw score that decides as the calibrated one does")
        } else {
            var folded = "  folded into the stored model: it predicts calibrated probabilities"
            if let threshold = c["threshold_calibrated"]?.doubleValue { folded += ", its threshold \(Fmt.num(threshold, 3)) on that scale" }
            lines.append(folded)
        }
        if let chart = Charts.reliabilityPlots(c, method: method, width: Charts.width(forTerminal: t.width)) { lines.append(chart) }
        return lines
    }
}
