import BallastProtocol

/// A run's final metrics, flat, by dotted wire name, as `run/list` sorts by them and
/// `run/compare` tabulates them: `train.f1`, `validation.recall`, `objective`, `steps`;
/// `wce_inverse.f1` per arm of a comparison; `best.mean` and `best.value` of a sweep.
enum RunMetrics {
    /// Every finite number in `json`, by its dotted path. Arrays are left out (per-class rows,
    /// confusion counts, curves: not one figure per run); a metric report's `positive` class
    /// row is lifted into the report (`train.f1`, not `train.positive.f1`).
    static func flatten(_ json: JSONValue, prefix: String = "") -> [String: Double] {
        guard case .object(let members) = json else { return [:] }
        var flat: [String: Double] = [:]
        for (key, value) in members {
            switch value {
            case .int, .double:
                if let number = value.doubleValue, number.isFinite { flat[prefix + key] = number }
            case .object:
                let inner = key == "positive" ? prefix : prefix + key + "."
                flat.merge(flatten(value, prefix: inner)) { kept, _ in kept }
            default:
                break
            }
        }
        return flat
    }

    /// `model/train`: both metric reports, the objective, the steps and the threshold.
    static func of(_ result: ModelTrain.Result) -> [String: Double] {
        var flat = (try? JSONValue(encoding: result.metrics)).map { flatten($0) } ?? [:]
        flat["steps"] = Double(result.steps)
        if result.objective.isFinite { flat["objective"] = result.objective }
        if let threshold = result.threshold, threshold.isFinite { flat["threshold"] = threshold }
        // A report's `support` is the positive class's count, not a metric of the run.
        return flat.filter { !$0.key.hasSuffix(".support") }
    }

    /// `experiment/compare`: each arm's figures under its name (`wce_inverse.f1`).
    static func of(_ result: ExperimentCompare.Result) -> [String: Double] {
        var flat: [String: Double] = [:]
        for row in result.rows {
            guard let json = try? JSONValue(encoding: row) else { continue }
            flat.merge(flatten(json, prefix: row.arm.rawValue + ".")) { kept, _ in kept }
        }
        return flat
    }

    /// `experiment/sweep`: the best point (`best.value`, `best.mean`, `best.sd`).
    static func of(_ result: ExperimentSweep.Result) -> [String: Double] {
        (try? JSONValue(encoding: result.best)).map { flatten($0, prefix: "best.") } ?? [:]
    }

    /// `experiment/tune`: the winner's cross-validated `objective` and `sd`, the honest
    /// `estimate`, the stored `threshold`, and each candidate's mean (`wce_w0.9.mean`).
    static func of(_ result: ExperimentTune.Result) -> [String: Double] {
        var flat: [String: Double] = [:]
        for row in result.leaderboard where row.mean.isFinite { flat[row.candidate + ".mean"] = row.mean }
        if let winner = result.leaderboard.first {
            if winner.mean.isFinite { flat["objective"] = winner.mean }
            if winner.sd.isFinite { flat["sd"] = winner.sd }
        }
        if let estimate = result.estimate.objective, estimate.isFinite { flat["estimate"] = estimate }
        if let threshold = result.winner.threshold, threshold.isFinite { flat["threshold"] = threshold }
        return flat
    }
}
