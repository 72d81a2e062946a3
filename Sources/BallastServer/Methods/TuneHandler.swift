import BallastML
import BallastProtocol
import Foundation

extension Handlers {
    /// `experiment/tune`: a job that cross-validates candidate trainings, tunes a threshold and a
    /// calibration, estimates the choice honestly, and stores the winner as `model/train` stores a
    /// model (memory budget, `keep`); a cancelled or failed tune stores nothing.
    func registerTune(into table: inout MethodTable) {
        table.register(ExperimentTune.self, lane: .jobs) { params, context in
            let release = try workspace.lease([params.dataset])
            defer { release() }
            let data = try workspace.dataset(params.dataset)
            let plan = try TunePlan(params, raw: context.params, data: data)
            let name = params.name ?? models.freeName()
            try Workspace.validate(name: name)
            let paths = Self.tunePaths
            // The fold plan of all rows: a class of one row is refused before anything runs.
            let folds = try paths.translating {
                try FoldPlan.adapt(classCounts: data.classCounts, classLabels: data.classLabels, folds: plan.settings.folds,
                                   repeats: plan.settings.repeats)
            }
            let fits = try paths.translating { try Tune.plannedFits(data: data, settings: plan.settings) }
            let share = computeShare.enter(cancellation: context.cancellation)
            defer { share.leave() }
            let reservation = try reserveModel(plan, data: data, name: name, workers: share.budget)
            defer { reservation.release() }
            var warnings: [String] = []
            if (try? models.entry(name)) != nil { warnings.append("The model '\(name)' was replaced by this tune.") }
            let details = RunDetails(datasets: [try runDataset(params.dataset, role: "dataset")], model: name,
                                     modelType: ModelName(plan.settings.base.model).rawValue,
                                     config: .object(Self.describeTune(params, plan: plan)))
            return try runs.record(method: ExperimentTune.method, outputName: name, details: details, context: context,
                                   metrics: RunMetrics.of) { recorder in
                let candidates = plan.settings.candidates.count
                recorder.begin(RunEvent(
                    kind: .begin,
                    title: "Tuning \(candidates) candidate\(candidates == 1 ? "" : "s") on \(Self.grouped(data.rowCount)) rows: "
                        + "\(Self.grouped(fits)) fits, \(folds.folds) folds × \(folds.repeats) repeat\(folds.repeats == 1 ? "" : "s")"
                        + (Self.estimateWords(plan.settings.estimate).map { ", \($0)" } ?? ""),
                    total: fits))
                let outcome = try paths.translating {
                    try Tune.run(
                        data: data, settings: plan.settings, threads: share.budget,
                        onProgress: { progress in
                            let total = max(progress.fitsTotal, 1)
                            recorder.report(RunEvent(kind: .report, total: progress.fitsTotal,
                                                     percentage: min(100, 100 * Double(progress.fitsDone) / Double(total)),
                                                     fit: progress.fitsDone, candidate: progress.candidate, stage: progress.stage))
                        },
                        isCancelled: { context.cancellation.isCancelled })
                }
                guard let outcome else {
                    recorder.end(RunEvent(kind: .end, stopReason: .cancelled))
                    throw RPCError.cancelled(partial: ["run": .string(recorder.id)])
                }
                let result = try TuneReport(plan: plan, outcome: outcome, data: data).result(run: recorder.id, model: name,
                                                                                             warnings: warnings)
                var entry = Models.Entry(model: outcome.model, config: outcome.config, trainedOn: params.dataset,
                                         loss: Self.lossName(outcome.winner.candidate), threshold: outcome.threshold, run: recorder.id)
                entry.thresholdTuned = outcome.threshold != nil
                try models.store(name, entry, inPlaceOf: reservation, keep: params.keep ?? true)
                recorder.end(RunEvent(kind: .end, elapsedSeconds: outcome.seconds, stopReason: .completed,
                                      winner: outcome.winner.candidate.name))
                return result
            }
        }
    }

    /// The honest estimate in a progress title's words; nil without one.
    private static func estimateWords(_ estimate: HonestEstimateMethod) -> String? {
        switch estimate {
        case .holdout(let fraction): "a \(Int((fraction * 100).rounded())) % holdout"
        case .nested(let outerFolds): "nested in \(outerFolds) outer folds"
        case .none: nil
        }
    }

    /// Where the engine's complaints about a tune point.
    static let tunePaths = WirePaths(overrides: [.binaryWeight: "grid.w", .focalGamma: "grid.gamma", .objective: "objective",
                                                 .calibration: "calibrate"])

    /// The final model's parameters, and the working memory of as many fits at once as there are
    /// workers, for the largest model any candidate trains.
    private func reserveModel(_ plan: TunePlan, data: Dataset, name: String, workers: ThreadBudget) throws -> Models.Reservation {
        var sized = try TrainingPlan(.init(model: nil, loss: nil, optimizer: nil, l2: nil, reduction: nil, seed: nil,
                                           earlyStopping: nil, threshold: nil, hasValidation: false),
                                     data: data)
        sized.config = plan.settings.base
        var kinds: [ModelKind] = []
        for kind in plan.settings.candidates.map({ $0.model ?? plan.settings.base.model }) where !kinds.contains(kind) { kinds.append(kind) }
        var largest = (parameters: 0, working: 0)
        for kind in kinds {
            sized.config.model = kind
            largest = (max(largest.parameters, sized.parameterCount(features: data.featureCount, classes: data.classCount)),
                       max(largest.working, sized.workingBytes(features: data.featureCount, classes: data.classCount)))
        }
        let (all, overflow) = largest.working.multipliedReportingOverflow(by: workers.current)
        let working = MemoryBudget.sum([overflow ? .max : all, Self.selectionBytes(plan, data: data, workers: workers.current)])
        return try models.reserve(parameters: largest.parameters, working: working, for: name)
    }

    /// What a selection holds beside the models, as float32: every candidate's out-of-fold
    /// probabilities for every repeat (kept until the leaderboard is made), each fold's training
    /// and held-out rows (built once per repeat), and a resampled copy of the training rows per
    /// concurrent fit (over-sampling to 1:1 about doubles them). Of a disk dataset the folds and
    /// the over- and under-samples are row-index views (a row map and the classes, 8 bytes a
    /// row); only SMOTE copies. A request whose grid, repeats or folds would not fit is refused by
    /// the budget rather than run out of memory.
    static func selectionBytes(_ plan: TunePlan, data: Dataset, workers: Int) -> Int {
        let repeats = (try? FoldPlan.adapt(classCounts: data.classCounts, classLabels: data.classLabels,
                                           folds: plan.settings.folds, repeats: plan.settings.repeats).repeats) ?? 20
        let folds = min(plan.settings.folds, max(2, data.rowCount))
        let copy = MemoryBudget.product(data.rowCount, data.featureCount, 4)
        let view = MemoryBudget.product(data.rowCount, 8)
        let onDisk = data.features.isBacked
        let smote = plan.settings.candidates.contains { if case .smote? = $0.sampling { true } else { false } }
        let whole = onDisk ? view : copy
        let resampled = onDisk && !smote ? view : copy
        let outOfFold = MemoryBudget.product(plan.settings.candidates.count, repeats, data.rowCount, data.classCount, 4)
        return MemoryBudget.sum([outOfFold, MemoryBudget.product(folds, whole), MemoryBudget.product(2 * workers, resampled)])
    }

    /// The run's configuration: the base model, optimizer and seed, and what the tune was asked.
    private static func describeTune(_ params: ExperimentTune.Params, plan: TunePlan) -> [String: JSONValue] {
        var config = describe(plan.settings.base)
        config["candidates"] = .array(plan.settings.candidates.map { .string($0.name) })
        config["objective"] = (try? JSONValue(encoding: params.objective ?? .init(type: .f1))) ?? .null
        config["calibrate"] = .string((params.calibrate ?? .none).rawValue)
        config["folds"] = .int(Int64(plan.settings.folds))
        config["repeats"] = params.repeats.map { .int(Int64($0)) }
        config["estimate"] = .string(TunePlan.estimateName(params).rawValue)
        switch plan.settings.estimate {
        case .holdout(let fraction): config["holdout"] = .double(fraction)
        case .nested(let outer): config["outer_folds"] = .int(Int64(outer))
        case .none: break
        }
        config["l2"] = params.l2.map { .double($0) }
        return config
    }

    /// The loss a stored model says it was trained with.
    static func lossName(_ candidate: TuneCandidate) -> LossName {
        if case .focal = candidate.loss { return .focal }
        return candidate.weights == nil ? .ce : .wce
    }

    /// 9000 → "9,000".
    static func grouped(_ count: Int) -> String {
        let digits = String(count.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (count < 0 ? "-" : "") + out
    }
}
