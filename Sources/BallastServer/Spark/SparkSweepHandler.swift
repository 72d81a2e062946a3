import BallastML
import BallastProtocol
import Foundation

extension Handlers {
    /// `experiment/sweep` with `engine: "spark"`: the local sweep's plan (its fold plan, each
    /// fold's class weights and default l2 from the fold's training rows), run by the sidecar's
    /// `sweep` on the file the dataset came from (or `source`). Spark assigns the stratified folds
    /// itself, from the seed and the rows, so no row crosses the pipe; each fold comes back as
    /// its confusion counts and log loss, scored here as `MetricReport.score` scores them.
    func sweepWithSpark(_ params: ExperimentSweep.Params, context: RequestContext) throws -> ExperimentSweep.Result {
        try SparkRefusals.check(params)
        let release = try workspace.lease([params.dataset])
        defer { release() }
        let entry = try workspace.entry(params.dataset)
        let data = entry.dataset
        try SparkRefusals.check(data)
        guard state.spark.isAvailable else { throw SparkRefusals.unavailable }
        let metric = params.metric ?? .f1
        let folds = params.folds ?? 5
        guard folds >= 2, folds <= data.rowCount else {
            throw RPCError.invalidParams("folds must be at least 2 and at most the dataset's \(data.rowCount) rows, got \(folds).",
                                         field: "folds")
        }
        guard !params.grid.isEmpty, params.grid.count <= TrainingLimits.maxGridValues else {
            throw RPCError.invalidParams(params.grid.isEmpty ? "The grid needs at least one value."
                                            : "The grid has \(params.grid.count) values; a sweep takes at most \(TrainingLimits.maxGridValues) (each value trains one model per fold).",
                                         field: "grid")
        }
        if params.param == .w && data.classCount != 2 {
            throw RPCError.invalidParams("The weight w is the rare class's weight in binary WCE; this dataset has \(data.classCount) classes.",
                                         field: "param")
        }
        let plan = try WirePaths.standard.translating {
            try FoldPlan.adapt(classCounts: data.classCounts, classLabels: data.classLabels, folds: folds, repeats: nil)
        }
        let base = try baseConfig(model: params.model, optimizer: params.optimizer, seed: params.seed, data: data)
        let source = try SparkSource(params.source, dataset: params.dataset, entry: entry)
        let sweep = try SparkSweepPlan(params: params, data: data, base: base, plan: plan, source: source)

        var config = Self.describeSweep(params, base: base, folds: folds)
        config["engine"] = .string(EngineName.spark.rawValue)
        config["source"] = ["path": .string(source.path), "format": .string(source.format.rawValue)]
        if let tolerance = params.optimizer?.tol { config["spark_tol"] = .double(tolerance) }
        let details = RunDetails(datasets: [try runDataset(params.dataset, role: "dataset")],
                                 modelType: ModelName(base.model).rawValue, config: .object(config))
        return try runs.record(method: ExperimentSweep.method, details: details, context: context,
                               metrics: RunMetrics.of) { recorder in
            let fits = sweep.request.fits.count
            let repeats = plan.repeats == 1 ? "" : " × \(plan.repeats) repeats"
            recorder.begin(RunEvent(kind: .begin, title: "Sweeping \(params.param.rawValue) over \(params.grid.count) values × \(plan.folds) folds\(repeats) on Spark, reading \(source.path)",
                                    total: fits))
            let result: SparkSweepResult
            do throws(SparkFailure) {
                result = try state.spark.sweep(sweep.request, cancellation: context.cancellation) { stage, done, total, fitCount in
                    if let fitCount, fitCount.done > 0 {
                        recorder.report(RunEvent(kind: .report, total: fitCount.total,
                                                 percentage: 100 * Double(fitCount.done) / Double(max(1, fitCount.total)),
                                                 fit: fitCount.done, value: sweep.value(ofFit: fitCount.done - 1), stage: stage))
                    } else {
                        recorder.report(RunEvent(kind: .report, total: fits, message: "Spark \(stage): \(done) of \(total) tasks",
                                                 stage: stage))
                    }
                }
            } catch .cancelled {
                recorder.end(RunEvent(kind: .end, stopReason: .cancelled))
                throw RPCError.cancelled(partial: ["run": .string(recorder.id)])
            } catch {
                throw SparkRefusals.wire(error, source: params.source != nil, run: recorder.id)
            }
            // Each fold's class weights and l2 were worked out from the dataset's class counts:
            // Spark must have read its rows (as model/train checks).
            if result.classCounts != data.classCounts {
                throw SparkRefusals.otherRows(read: result.classCounts, expected: data.classCounts, labels: data.classLabels,
                                              dataset: params.dataset, source: params.source != nil)
            }
            let wire = try sweep.points(metric: SelectableMetric(metric), result: result)
            let best = wire.max { $0.mean < $1.mean }!
            recorder.end(RunEvent(kind: .end, elapsedSeconds: result.seconds, stopReason: .completed, best: best.value))
            return ExperimentSweep.Result(run: recorder.id, param: params.param, metric: metric, results: wire, best: best,
                                          folds: FoldPlanReport(plan))
        }
    }
}
