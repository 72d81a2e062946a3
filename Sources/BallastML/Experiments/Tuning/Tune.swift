import Synchronization

/// Chooses for the user, honestly: scores every candidate by cross-validation with cross-fitted
/// thresholds, picks the best mean, calibrates it on its out-of-fold probabilities, measures it on
/// rows the choice never saw, and refits it on all rows.
public enum Tune {
    /// nil when cancelled. Throws InvalidArgument for bad settings/data.
    public static func run(data: Dataset, settings: TuneSettings, threads: ThreadBudget = .allCores,
                           onProgress: @Sendable (TuneProgress) -> Void = { _ in },
                           isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> TuneOutcome? {
        let clock = ContinuousClock.now
        let data = withPositiveClass(data)
        try validate(settings, data: data)
        let layout = try TuneLayout(data: data, settings: settings)
        return try withoutActuallyEscaping(onProgress) { onProgress in
            let job = TuneJob(total: try layout.plannedFits(data: data, settings: settings), threads: threads,
                              report: onProgress, isCancelled: isCancelled)
            guard var outcome = try run(data: data, settings: settings, layout: layout, job: job) else { return nil }
            outcome.seconds = seconds(since: clock)
            return outcome
        }
    }

    /// Total fits the job will run (for progress totals) — same arithmetic as run.
    public static func plannedFits(data: Dataset, settings: TuneSettings) throws -> Int {
        let data = withPositiveClass(data)
        try validate(settings, data: data)
        return try TuneLayout(data: data, settings: settings).plannedFits(data: data, settings: settings)
    }

    static func run(data: Dataset, settings: TuneSettings, layout: TuneLayout, job: TuneJob) throws -> TuneOutcome? {
        var notes = layout.notes
        var estimate: HonestEstimate?
        var evaluation: HeldOutPredictions?
        let selection: Selection
        let finalFit: FittedCandidate
        switch layout.estimate {
        case .holdout:
            let split = layout.holdout!
            let selectionRows = data.selecting(rows: split.selection)
            guard let chosen = try select(selectionRows, settings: settings, stage: "selection", job: job) else { return nil }
            selection = chosen
            let heldOut = data.selecting(rows: split.holdout)
            let refits = try fitAll([(selectionRows, "estimate, holdout"), (data, "final")],
                                    candidate: chosen.winner.candidate, settings: settings, job: job)
            guard let refits else { return nil }
            finalFit = refits[1]
            let predictions = try HeldOutPredictions.of(refits[0].model, on: heldOut, selection: chosen, settings: settings)
            evaluation = predictions
            estimate = predictions.estimate(method: layout.estimate)
        case .nested(let outerFolds):
            guard let nested = try nestedEstimate(data, outer: layout.outer!, settings: settings, job: job) else { return nil }
            evaluation = nested
            estimate = nested.estimate(method: .nested(outerFolds: outerFolds))
            guard let chosen = try select(data, settings: settings, stage: "selection", job: job) else { return nil }
            selection = chosen
            guard let fitted = try fitAll([(data, "final")], candidate: chosen.winner.candidate, settings: settings, job: job)
            else { return nil }
            finalFit = fitted[0]
        case .none:
            guard let chosen = try select(data, settings: settings, stage: "selection", job: job) else { return nil }
            selection = chosen
            guard let fitted = try fitAll([(data, "final")], candidate: chosen.winner.candidate, settings: settings, job: job)
            else { return nil }
            finalFit = fitted[0]
        }
        notes += selection.notes
        var model = finalFit.model
        var threshold = selection.rawThreshold
        var calibration: CalibrationOutcome?
        if let calibrator = selection.calibrator {
            let refusal = foldRefusal(calibrator, rawThreshold: threshold)
            let folded = refusal == nil ? calibrator.folded(into: model) : nil
            if let folded {
                model = folded
                if let raw = threshold, let positive = data.positiveClass {
                    threshold = calibrator.calibratedThreshold(raw, positiveClass: positive)
                }
            }
            calibration = calibrationOutcome(calibrator, selection: selection, evaluation: evaluation, data: data,
                                             applied: folded != nil)
            notes += calibrationNotes(settings: settings, selection: selection, evaluation: evaluation, applied: folded != nil,
                                      refusal: refusal)
        }
        if case .costMatrix = settings.objective, data.classCount > 2 {
            notes.append("The stored model keeps the probabilities, not the cost rule: model/evaluate and model/predict take the most probable class. To decide at the least expected cost, take model/predict's probabilities p and choose the class j with the least Σᵢ pᵢ·C[i][j].")
        }
        if case .mlp = selection.winner.candidate.model, finalFit.config.optimizer != settings.base.optimizer {
            notes.append("The mlp candidate trained with Adam's defaults (learning rate 0.001, 20 epochs, batches of 256): L-BFGS, the linear models' optimizer, does not train networks here. Ask for Adam or SGD (optimizer, lr, epochs) to set them.")
        }
        return TuneOutcome(leaderboard: selection.leaderboard, winner: selection.winner, plan: selection.plan,
                           threshold: threshold, calibration: calibration, estimate: estimate, model: model,
                           config: finalFit.config, skipped: selection.skipped, notes: notes, seconds: 0)
    }

    /// Binary data always has its positive class set, so every subset agrees on it.
    static func withPositiveClass(_ data: Dataset) -> Dataset {
        var data = data
        if data.classCount == 2 { data.positiveClass = Trainer.positiveClass(of: data) }
        return data
    }

    static func validate(_ settings: TuneSettings, data: Dataset) throws(InvalidArgument) {
        guard !settings.candidates.isEmpty else {
            throw InvalidArgument(field: .candidates, message: "There are no candidates to choose from.")
        }
        var seen = Set<String>()
        for candidate in settings.candidates where !seen.insert(candidate.name).inserted {
            throw InvalidArgument(field: .candidates, message: "Two candidates are called '\(candidate.name)'; give each a different name.")
        }
        guard data.rowCount >= 1, data.featureCount >= 1 else {
            throw InvalidArgument(field: .dataset, message: "Tuning needs rows and features; the dataset has \(data.rowCount) row(s) and \(data.featureCount) feature(s).")
        }
        let present = data.classCounts.filter { $0 > 0 }.count
        guard present >= 2 else {
            throw InvalidArgument(field: .dataset, message: "Tuning needs at least two classes with rows; the dataset has \(present).")
        }
        try settings.objective.validate(classCount: data.classCount)
        if settings.calibration == .isotonic && data.classCount > 2 {
            throw InvalidArgument(field: .calibration, message: "Isotonic calibration is for binary data; with \(data.classCount) classes use platt (temperature scaling) or prior.")
        }
        guard settings.folds >= 2 && settings.folds <= 100 else {
            throw InvalidArgument(field: .folds, message: "folds must be between 2 and 100, got \(settings.folds).")
        }
        switch settings.estimate {
        case .holdout(let fraction):
            guard fraction > 0 && fraction <= 0.5 else {
                throw InvalidArgument(field: .holdout, message: "The holdout fraction must be above 0 and at most 0.5, got \(fraction).")
            }
        case .nested(let outer):
            guard outer >= 2 && outer <= 10 else {
                throw InvalidArgument(field: .folds, message: "The outer folds of a nested estimate must be between 2 and 10, got \(outer).")
            }
        case .none: break
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}

/// The state every stage of one tune shares: the progress count and cancellation.
final class TuneJob: Sendable {
    let total: Int
    let threads: ThreadBudget
    let isCancelled: @Sendable () -> Bool
    private let report: @Sendable (TuneProgress) -> Void
    private let done = Mutex<Int>(0)

    init(total: Int, threads: ThreadBudget, report: @escaping @Sendable (TuneProgress) -> Void,
         isCancelled: @escaping @Sendable () -> Bool) {
        self.total = total
        self.threads = threads
        self.report = report
        self.isCancelled = isCancelled
    }

    /// Counts `fits` more as done and reports; reports arrive in order of their count.
    func finished(_ fits: Int = 1, stage: String, candidate: String) {
        guard fits > 0 else { return }
        done.withLock { done in
            done += fits
            report(TuneProgress(stage: stage, fitsDone: done, fitsTotal: total, candidate: candidate))
        }
    }
}
