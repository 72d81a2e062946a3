import BallastML
import BallastProtocol
import Foundation

extension Handlers {
    /// `experiment/compare`, `experiment/sweep`: jobs, reporting per arm or per fit.
    func registerExperiments(into table: inout MethodTable) {
        registerTune(into: &table)
        table.register(ExperimentCompare.self, lane: .jobs) { params, context in
            let names = [params.train, params.test] + (params.validation.map { [$0] } ?? [])
            let release = try workspace.lease(names)
            defer { release() }
            let train = try workspace.dataset(params.train, field: "train")
            let (test, testWarnings) = try Self.align(try workspace.dataset(params.test, field: "test"), named: params.test,
                                                      field: "test", toTraining: train)
            var validation: Dataset?
            var warnings = testWarnings
            if let name = params.validation {
                let aligned = try Self.align(try workspace.dataset(name, field: "validation"), named: name, field: "validation",
                                             toTraining: train)
                validation = aligned.dataset
                warnings += aligned.warnings
            }
            let armNames = params.arms ?? ArmName.allCases
            // Each arm trains a model: a name given twice would train the same one again.
            for (index, name) in armNames.enumerated() where armNames[..<index].contains(name) {
                throw RPCError.invalidParams("The arm '\(name.rawValue)' is listed more than once; each arm is compared once.",
                                             field: "arms[\(index)]")
            }
            let arms = armNames.map(ComparisonArm.init)
            // Over- and under-sampling arms pick rows (views of a disk dataset); SMOTE makes new ones.
            if let at = armNames.firstIndex(of: .smote) {
                try workspace.checkRoomToCopy(train, rows: MemoryBudget.product(train.rowCount, 2),
                                              doing: "The SMOTE arm of the comparison", field: "arms[\(at)]")
            }
            if let at = armNames.firstIndex(where: { [.over, .under].contains($0) }) {
                try workspace.checkRoomForViews(train, rows: MemoryBudget.product(train.rowCount, 2),
                                                doing: "The resampling arms of the comparison", field: "arms[\(at)]")
            }
            let base = try baseConfig(model: params.model, optimizer: params.optimizer, seed: params.seed, data: train)
            let share = computeShare.enter(cancellation: context.cancellation)
            defer { share.leave() }
            var datasets = [try runDataset(params.train, role: "train"), try runDataset(params.test, role: "test")]
            if let name = params.validation { datasets.append(try runDataset(name, role: "validation")) }
            var config = Self.describe(base)
            config["arms"] = .array(armNames.map { .string($0.rawValue) })
            config["l2"] = params.l2.map { .double($0) }
            let details = RunDetails(datasets: datasets, modelType: ModelName(base.model).rawValue, config: .object(config))
            return try runs.record(method: ExperimentCompare.method, details: details, context: context,
                                   metrics: RunMetrics.of) { recorder in
                recorder.begin(RunEvent(kind: .begin, title: "Comparing \(arms.count) arms on \(train.rowCount) rows", total: arms.count))
                // The arm being trained and its place, so that step reports say how far the comparison is
                // (the arm's own report is often coalesced away by the step reports that follow it).
                let current = LastValue<(arm: ArmName, index: Int)>()
                let paths = WirePaths(overrides: [.dataset: "train"])
                let outcome = try paths.translating {
                    try Comparison.run(
                        arms: arms, train: train, test: test, validation: validation, base: base, l2: params.l2, threads: share.budget,
                        onArm: { index, arm in
                            current.value = (ArmName(arm), index)
                            recorder.report(RunEvent(kind: .report, total: arms.count, percentage: 100 * Double(index) / Double(arms.count),
                                                     arm: ArmName(arm), index: index + 1))
                        },
                        observer: TrainingObserver(
                            onStep: { step, _ in
                                let place = current.value
                                recorder.report(RunEvent(kind: .report, total: arms.count, step: step.step, loss: step.objective,
                                                         percentage: place.map { 100 * Double($0.index) / Double(arms.count) },
                                                         arm: place?.arm, index: place.map { $0.index + 1 }))
                                return nil
                            },
                            isCancelled: { context.cancellation.isCancelled }))
                }
                let rows = outcome.rows.map { row in
                    ExperimentCompare.Row(arm: ArmName(row.arm), description: row.arm.summary, recall: row.report.positive?.recall ?? 0,
                                          precision: row.report.positive?.precision ?? 0, f1: row.report.positive?.f1 ?? 0,
                                          prAUC: row.report.prAUC, rocAUC: row.report.rocAUC, mcc: row.report.mcc,
                                          threshold: row.threshold, seconds: row.seconds)
                }
                if outcome.cancelled {
                    recorder.end(RunEvent(kind: .end, stopReason: .cancelled))
                    throw RPCError.cancelled(partial: ["run": .string(recorder.id), "rows": try JSONValue(encoding: rows)])
                }
                recorder.end(RunEvent(kind: .end, stopReason: .completed, arms: rows.count))
                return ExperimentCompare.Result(run: recorder.id, rows: rows,
                                                skipped: Dictionary(uniqueKeysWithValues: outcome.skipped.map { (ArmName($0).rawValue, $1) }),
                                                warnings: warnings.isEmpty ? nil : warnings)
            }
        }
        table.register(ExperimentSweep.self, lane: .jobs) { params, context in
            if params.engine == .spark { return try sweepWithSpark(params, context: context) }
            if params.source != nil {
                throw RPCError.invalidParams("source is the file engine=spark reads; the local engine sweeps the dataset in memory.",
                                             field: "source")
            }
            let release = try workspace.lease([params.dataset])
            defer { release() }
            let data = try workspace.dataset(params.dataset)
            let metric = params.metric ?? .f1
            let folds = params.folds ?? 5
            // Checked before the run's total multiplies it by the grid length: folds of Int64.max
            // overflowed there and trapped the daemon (fuzz seed 20261130).
            guard folds >= 2, folds <= data.rowCount else {
                throw RPCError.invalidParams("folds must be at least 2 and at most the dataset's \(data.rowCount) rows, got \(folds).",
                                             field: "folds")
            }
            // The fold plan the sweep will run (fewer folds and repeats for a tiny class); a class of
            // one row is refused here, before the run begins.
            let plan = try WirePaths.standard.translating {
                try FoldPlan.adapt(classCounts: data.classCounts, classLabels: data.classLabels, folds: folds, repeats: nil)
            }
            // Each repeat selects every fold's training and held-out rows at once (views of a disk dataset).
            try workspace.checkRoomForViews(data, rows: MemoryBudget.product(data.rowCount, plan.folds),
                                          doing: "Sweeping \(plan.folds) folds of '\(params.dataset)'")
            let base = try baseConfig(model: params.model, optimizer: params.optimizer, seed: params.seed, data: data)
            let share = computeShare.enter(cancellation: context.cancellation)
            defer { share.leave() }
            let config = Self.describeSweep(params, base: base, folds: folds)
            let details = RunDetails(datasets: [try runDataset(params.dataset, role: "dataset")],
                                     modelType: ModelName(base.model).rawValue, config: .object(config))
            return try runs.record(method: ExperimentSweep.method, details: details, context: context,
                                   metrics: RunMetrics.of) { recorder in
                let fits = params.grid.count * plan.folds * plan.repeats
                let repeats = plan.repeats == 1 ? "" : " × \(plan.repeats) repeats"
                recorder.begin(RunEvent(kind: .begin, title: "Sweeping \(params.param.rawValue) over \(params.grid.count) values × \(plan.folds) folds\(repeats)",
                                        total: fits))
                // A grid value is a weight, a β or a γ: the engine's complaint about it points at `grid`.
                let paths = WirePaths(overrides: [.binaryWeight: "grid", .effectiveNumberBeta: "grid", .focalGamma: "grid"])
                let points = try paths.translating {
                    try Sweep.run(
                        data: data, parameter: SweepParameter(params.param), grid: params.grid, folds: folds,
                        metric: SelectableMetric(metric), base: base, l2: params.l2, threads: share.budget,
                        onFit: { done, total, value in
                            recorder.report(RunEvent(kind: .report, total: total, percentage: 100 * Double(done) / Double(total),
                                                     fit: done, value: value))
                        },
                        isCancelled: { context.cancellation.isCancelled })
                }
                guard let outcome = points else {
                    recorder.end(RunEvent(kind: .end, stopReason: .cancelled))
                    throw RPCError.cancelled(partial: ["run": .string(recorder.id)])
                }
                let wire = outcome.points.map { ExperimentSweep.Point(value: $0.value, mean: $0.mean, sd: $0.sd, folds: $0.folds) }
                let best = wire.max { $0.mean < $1.mean }!
                recorder.end(RunEvent(kind: .end, stopReason: .completed, best: best.value))
                return ExperimentSweep.Result(run: recorder.id, param: params.param, metric: metric, results: wire, best: best,
                                              folds: FoldPlanReport(outcome.plan))
            }
        }
    }

    /// The experiments' shared config as wire JSON, without the loss, class weights and l2 that
    /// each arm or fit sets for itself (the l2 asked for, if any, is added back by the caller).
    /// A sweep's run config: the base training's, and what the sweep varied and scored.
    static func describeSweep(_ params: ExperimentSweep.Params, base: TrainingConfig, folds: Int) -> [String: JSONValue] {
        var config = describe(base)
        config["param"] = .string(params.param.rawValue)
        config["grid"] = .array(params.grid.map { .double($0) })
        config["folds"] = .int(Int64(folds))
        config["metric"] = .string((params.metric ?? .f1).rawValue)
        config["l2"] = params.l2.map { .double($0) }
        return config
    }

    static func describe(_ base: TrainingConfig) -> [String: JSONValue] {
        var config = (try? JSONValue(encoding: TrainingConfigSpec(base, lossName: .ce)))?.objectValue ?? [:]
        config["loss"] = nil
        config["class_weights"] = nil
        config["l2"] = nil
        return config
    }

    /// Model, optimizer and seed for the experiments; the loss, weights and l2 are set per arm or fit.
    func baseConfig(model: ModelSpec?, optimizer: OptimizerSpec?, seed: UInt64?, data: Dataset) throws -> TrainingConfig {
        try TrainingPlan(.init(model: model, loss: nil, optimizer: optimizer, l2: nil, reduction: nil, seed: seed,
                               earlyStopping: nil, threshold: nil, hasValidation: false),
                         data: data).config
    }
}
