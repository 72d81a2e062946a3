import BallastML
import BallastProtocol
import Foundation

/// A tune's outcome in the wire's shapes: the leaderboard, the winner with why it won and the
/// `model/train` params that train it again, the fold plan, the estimate and the calibration.
struct TuneReport {
    let plan: TunePlan
    let outcome: TuneOutcome
    let data: Dataset

    func result(run: String, model: String, warnings: [String]) throws -> ExperimentTune.Result {
        let leaderboard = outcome.leaderboard.enumerated().map { index, score in
            ExperimentTune.LeaderboardRow(rank: index + 1, candidate: score.candidate.name, description: score.candidate.summary,
                                          mean: score.mean, sd: score.sd, scores: score.scores, threshold: score.threshold,
                                          seconds: score.seconds)
        }
        let winner = ExperimentTune.Winner(candidate: outcome.winner.candidate.name, description: outcome.winner.candidate.summary,
                                           threshold: outcome.threshold, why: why, config: try config())
        var notes = outcome.notes + floorNotes
        if outcome.winner.threshold == 0 {
            notes.append("The tuned threshold is 0, which flags every row: model/train takes thresholds inside (0, 1), so the winner's config leaves it out.")
        }
        return ExperimentTune.Result(
            run: run, model: model, objective: plan.objective, leaderboard: leaderboard, winner: winner,
            folds: FoldPlanReport(outcome.plan), estimate: estimate, calibration: calibration, skipped: outcome.skipped,
            notes: notes, warnings: warnings.isEmpty ? nil : warnings, seconds: outcome.seconds)
    }

    /// "wce_w0.9 had the best mean F1 over 5 folds × 1 repeat (0.812 ± 0.031), 0.014 ahead of
    /// smote; its threshold 0.43 was tuned on out-of-fold predictions.", or, when the
    /// one-standard-error rule kept a simpler candidate, how close the best mean was.
    var why: String {
        let objective = plan.settings.objective
        let winner = outcome.winner
        let folds = outcome.plan
        let best = objective.higherIsBetter ? "best" : "lowest"
        let over = "over \(folds.folds) folds × \(folds.repeats) repeat\(folds.repeats == 1 ? "" : "s")"
        let own = "(\(Self.figure(winner.mean)) ± \(Self.figure(winner.sd)))"
        // The leaderboard lists the winner, then the rest by mean: the second row is the best of the rest.
        var sentence: String
        if outcome.leaderboard.count < 2 {
            sentence = "\(winner.candidate.name) had the \(best) mean \(objective.name) \(over) \(own), the only candidate that ran"
        } else if case let top = outcome.leaderboard[1], objective.isBetter(top.mean, than: winner.mean) {
            sentence = "\(winner.candidate.name) is the simplest candidate whose mean \(objective.name) \(over) \(own) is within "
                + "one standard error of the \(best), \(top.candidate.name)'s \(Self.figure(top.mean)) (standard error "
                + "\(Self.figure(top.standardError))): a gap that small is noise, so the simpler candidate was kept"
        } else {
            let second = outcome.leaderboard[1]
            let gap = abs(winner.mean - second.mean)
            let shown = Self.figure(gap) == "0" ? "less than 0.001" : Self.figure(gap)
            let side = gap == 0 ? "tied with \(second.candidate.name), listed earlier"
                : "\(shown) \(objective.higherIsBetter ? "ahead of" : "below") \(second.candidate.name)"
            sentence = "\(winner.candidate.name) had the \(best) mean \(objective.name) \(over) \(own), \(side)"
        }
        if let threshold = winner.threshold {
            sentence += "; its threshold \(Self.figure(threshold)) was tuned on out-of-fold predictions"
            if let stored = outcome.threshold, outcome.calibration?.appliedToModel == true, stored != threshold {
                sentence += " (\(Self.figure(stored)) on the calibrated probabilities the stored model gives)"
            }
        } else if case .costMatrix = objective {
            sentence += "; each row takes the class of least expected cost"
        } else {
            sentence += "; each row takes its most probable class"
        }
        return sentence + "."
    }

    /// For the constrained objectives, what a value below 0 means and how often the winner met
    /// its floor: a fold that misses the floor scores the shortfall, not a recall or precision.
    var floorNotes: [String] {
        let objective = plan.settings.objective
        let (kept, floor, value): (String, Double, String)
        switch objective {
        case .recallAtPrecision(let p): (kept, floor, value) = ("precision", p, "recall")
        case .precisionAtRecall(let r): (kept, floor, value) = ("recall", r, "precision")
        default: return []
        }
        let missed = outcome.winner.scores.filter { $0 < 0 }.count
        var notes = ["A fold that misses the \(kept) floor \(Self.figure(floor)) scores its shortfall (\(kept) − \(Self.figure(floor)), below 0) rather than its \(value), "
            + "so any threshold that meets the floor ranks above any that does not; the winner missed it in \(missed) of \(outcome.winner.scores.count) folds."]
        if let estimate = outcome.estimate?.objective, estimate < 0 {
            notes.append("On the honest-estimate rows the tuned threshold missed the \(kept) floor: \(kept) fell short by \(Self.figure(-estimate)).")
        }
        return notes
    }

    /// The winner as `model/train` params (without `dataset` and `name`): the final fit's model,
    /// optimizer, l2 and seed, the candidate's loss and resampling, and its uncalibrated threshold.
    func config() throws -> ExperimentTune.WinnerConfig {
        let final = outcome.config
        let candidate = outcome.winner.candidate
        let wire = try plan.wireCandidates[candidate.name] ?? TunePlan.WireCandidate(candidate, data: data)
        var resample = wire.resample
        if resample?.method == .smote, let k = resample?.k {
            // SMOTE's k is capped at the rare rows − 1 of the rows it resamples: the final fit's are all rows.
            let rare = data.classCounts.filter { $0 > 0 }.min() ?? 1
            resample?.k = max(1, min(k, rare - 1))
        }
        let threshold = outcome.winner.threshold.flatMap(Self.trainableThreshold)
        var config = ExperimentTune.WinnerConfig(model: ModelSpec(final.model), loss: wire.loss, optimizer: OptimizerSpec(final.optimizer),
                                                 l2: final.l2, seed: final.seed, resample: resample, threshold: threshold)
        if data.classCount == 2, case .focal(_, nil) = final.loss { Self.halveForNoAlpha(&config) }
        return config
    }

    /// `model/train` takes a threshold inside (0, 1). A tuned 1 ("flag only probabilities that
    /// round to 1") is sent as the largest Double below 1, which float32 probabilities meet only at
    /// 1: the same decisions. A tuned 0 (flag every row) has no such stand-in and is left out;
    /// `notes` says so.
    static func trainableThreshold(_ threshold: Double) -> Double? {
        if threshold >= 1 { return Double(1).nextDown }
        return threshold > 0 ? threshold : nil
    }

    /// A focal loss without α on binary data, in words `model/train` takes: its focal loss gives
    /// α 0.25 when none is given, and α 0.5 weighs both classes by ½, which halves J. Half the l2
    /// keeps the minimiser, and half the gradient tolerance (L-BFGS), half Adam's ε or twice the
    /// SGD step keeps every step: the same model, exactly (halving is exact in floating point).
    static func halveForNoAlpha(_ config: inout ExperimentTune.WinnerConfig) {
        config.loss.alpha = 0.5
        config.l2 /= 2
        switch config.optimizer.type {
        case .lbfgs: config.optimizer.tol = config.optimizer.tol.map { $0 / 2 }
        case .adam: config.optimizer.eps = config.optimizer.eps.map { $0 / 2 }
        case .sgd: config.optimizer.lr = config.optimizer.lr.map { $0 * 2 }
        }
    }

    var estimate: ExperimentTune.EstimateReport {
        guard let estimate = outcome.estimate else { return .init(method: .none) }
        return .init(method: EstimateName(estimate.method), objective: estimate.objective, sd: estimate.sd, scores: estimate.scores,
                     winners: estimate.winners, rows: estimate.rows, metrics: estimate.report.map { MetricsReport($0) })
    }

    var calibration: ExperimentTune.CalibrationReport? {
        guard let calibration = outcome.calibration, calibration.calibrator.method != .none else { return nil }
        let on: ExperimentTune.CalibrationRows = if !calibration.onHeldOutRows {
            .oof
        } else if case .nested? = outcome.estimate?.method {
            .outerFolds
        } else {
            .holdout
        }
        var calibrated: Double?
        // Isotonic's flat steps map raw scores below the threshold to its calibrated value too, so
        // a calibrated threshold would not make the stored model's decisions: none is given.
        if calibration.calibrator.method != .isotonic, let raw = outcome.winner.threshold, let positive = data.positiveClass {
            calibrated = calibration.calibrator.calibratedThreshold(raw, positiveClass: positive)
        }
        return .init(method: CalibrationName(calibration.calibrator.method), parameters: calibration.calibrator.parameters,
                     appliedToModel: calibration.appliedToModel, on: on, thresholdCalibrated: calibrated,
                     before: .init(brier: calibration.brierBefore, logLoss: calibration.logLossBefore,
                                   reliability: calibration.reliabilityBefore.map(ExperimentTune.ReliabilityPoint.init)),
                     after: .init(brier: calibration.brierAfter, logLoss: calibration.logLossAfter,
                                  reliability: calibration.reliabilityAfter.map(ExperimentTune.ReliabilityPoint.init)))
    }

    /// Three decimals without trailing zeros: 0.430 → "0.43"; large figures keep fewer.
    static func figure(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        var text = String(format: abs(value) >= 1000 ? "%.0f" : "%.3f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}

extension FoldPlanReport {
    init(_ plan: FoldPlan) {
        self.init(requested: plan.requestedFolds, used: plan.folds, repeats: plan.repeats, note: plan.note)
    }
}

extension ExperimentTune.ReliabilityPoint {
    init(_ bin: ReliabilityBin) {
        self.init(meanPredicted: bin.meanPredicted, fractionPositive: bin.fractionPositive, count: bin.count)
    }
}

extension EstimateName {
    init(_ method: HonestEstimateMethod) {
        switch method {
        case .holdout: self = .holdout
        case .nested: self = .nested
        case .none: self = .none
        }
    }
}

extension CalibrationName {
    init(_ method: CalibrationMethod) {
        switch method {
        case .none: self = .none
        case .prior: self = .prior
        case .platt: self = .platt
        case .isotonic: self = .isotonic
        }
    }
}
