import BallastML
import BallastProtocol
import Foundation

extension Handlers {
    /// `experiment/compare`, `experiment/sweep`: jobs, reporting per arm or per fit.
    func registerExperiments(into table: inout MethodTable) {
        table.register(ExperimentCompare.self, lane: .jobs) { params, context in
            let names = [params.train, params.test] + (params.validation.map { [$0] } ?? [])
            let release = try workspace.lease(names)
            defer { release() }
            let train = try workspace.dataset(params.train, field: "train")
            let test = try workspace.dataset(params.test, field: "test")
            let validation = try params.validation.map { name throws(RPCError) in try workspace.dataset(name, field: "validation") }
            try Self.requireAlike(test, train, field: "test")
            if let validation { try Self.requireAlike(validation, train, field: "validation") }
            let arms = try (params.arms ?? ComparisonArm.allCases.map(\.rawValue)).map { name in
                guard let arm = ComparisonArm(rawValue: name) else {
                    throw TrainingPlan.unknown("arm", "arms", name, known: ComparisonArm.allCases.map(\.rawValue))
                }
                return arm
            }
            let base = try baseConfig(model: params.model, optimizer: params.optimizer, seed: params.seed, data: train)
            let share = server.computeShare.enter()
            defer { share.leave() }
            let recorder = server.runs.begin(method: ExperimentCompare.method, outputName: nil, context: context)
            recorder.begin(["title": .string("Comparing \(arms.count) arms on \(train.rowCount) rows"), "total": .int(Int64(arms.count))])
            let current = LastValue<String>()
            let outcome = try Comparison.run(
                arms: arms, train: train, test: test, validation: validation, base: base, l2: params.l2, threads: share.budget,
                onArm: { index, arm in
                    current.value = arm.rawValue
                    recorder.report(["arm": .string(arm.rawValue), "index": .int(Int64(index + 1)), "total": .int(Int64(arms.count)),
                                     "percentage": .double(100 * Double(index) / Double(arms.count))])
                },
                observer: TrainingObserver(
                    onStep: { step, _ in
                        recorder.report(["arm": .string(current.value ?? ""), "step": .int(Int64(step.step)), "loss": .double(step.objective)])
                        return nil
                    },
                    isCancelled: { context.cancellation.isCancelled }))
            let rows = outcome.rows.map { row in
                ExperimentCompare.Row(arm: row.arm.rawValue, description: row.arm.summary, recall: row.report.positive?.recall ?? 0,
                                      precision: row.report.positive?.precision ?? 0, f1: row.report.positive?.f1 ?? 0,
                                      prAUC: row.report.prAUC, rocAUC: row.report.rocAUC, mcc: row.report.mcc,
                                      threshold: row.threshold, seconds: row.seconds)
            }
            if outcome.cancelled {
                recorder.end(["stop_reason": "cancelled"])
                throw RPCError.cancelled(partial: ["run": .string(recorder.id), "rows": try JSONValue(encoding: rows)])
            }
            recorder.end(["stop_reason": "completed", "arms": .int(Int64(rows.count))])
            return ExperimentCompare.Result(run: recorder.id, rows: rows,
                                            skipped: Dictionary(uniqueKeysWithValues: outcome.skipped.map { ($0.rawValue, $1) }))
        }
        table.register(ExperimentSweep.self, lane: .jobs) { params, context in
            let release = try workspace.lease([params.dataset])
            defer { release() }
            let data = try workspace.dataset(params.dataset)
            guard let parameter = SweepParameter(rawValue: params.param) else {
                throw TrainingPlan.unknown("sweep parameter", "param", params.param, known: SweepParameter.allCases.map(\.rawValue))
            }
            let metric = params.metric ?? "f1"
            let folds = params.folds ?? 5
            let base = try baseConfig(model: params.model, optimizer: params.optimizer, seed: params.seed, data: data)
            let share = server.computeShare.enter()
            defer { share.leave() }
            let recorder = server.runs.begin(method: ExperimentSweep.method, outputName: nil, context: context)
            recorder.begin(["title": .string("Sweeping \(parameter.rawValue) over \(params.grid.count) values × \(folds) folds"),
                            "total": .int(Int64(params.grid.count * folds))])
            let points = try Sweep.run(
                data: data, parameter: parameter, grid: params.grid, folds: folds, metric: metric, base: base, l2: params.l2, threads: share.budget,
                onFit: { done, total, value in
                    recorder.report(["fit": .int(Int64(done)), "total": .int(Int64(total)), "value": .double(value),
                                     "percentage": .double(100 * Double(done) / Double(total))])
                },
                isCancelled: { context.cancellation.isCancelled })
            guard let points else {
                recorder.end(["stop_reason": "cancelled"])
                throw RPCError.cancelled(partial: ["run": .string(recorder.id)])
            }
            let wire = points.map { ExperimentSweep.Point(value: $0.value, mean: $0.mean, sd: $0.sd, folds: $0.folds) }
            let best = wire.max { $0.mean < $1.mean }!
            recorder.end(["stop_reason": "completed", "best": .double(best.value)])
            return ExperimentSweep.Result(run: recorder.id, param: parameter.rawValue, metric: metric, results: wire, best: best)
        }
    }

    /// Model, optimizer and seed for the experiments; the loss, weights and l2 are set per arm or fit.
    private func baseConfig(model: ModelSpec?, optimizer: OptimizerSpec?, seed: UInt64?, data: Dataset) throws -> TrainingConfig {
        try TrainingPlan(.init(model: model, loss: nil, optimizer: optimizer, l2: nil, reduction: nil, seed: seed,
                               earlyStopping: nil, threshold: nil, hasValidation: false),
                         data: data, handlers: self).config
    }
}
