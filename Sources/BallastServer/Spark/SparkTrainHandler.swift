import BallastML
import BallastProtocol
import Foundation

extension Handlers {
    /// `model/train` with `engine: "spark"`: the same plan as a local fit (class weights from the
    /// dataset's class counts, Ballast's l2), fitted by Spark's `LogisticRegression` on the file
    /// the dataset came from (or `source`), then stored as a local linear model, so that
    /// evaluate, predict, save and load work as for any other. Metrics are computed locally.
    func trainWithSpark(_ params: ModelTrain.Params, context: RequestContext) throws -> ModelTrain.Result {
        try SparkRefusals.check(params)
        let release = try workspace.lease([params.dataset])
        defer { release() }
        let entry = try workspace.entry(params.dataset)
        let train = entry.dataset
        try SparkRefusals.check(train)
        guard state.spark.isAvailable else { throw SparkRefusals.unavailable }
        let source = try SparkSource(params.source, dataset: params.dataset, entry: entry)
        let plan = try TrainingPlan(
            .init(model: params.model, loss: params.loss, optimizer: params.optimizer, l2: params.l2, reduction: params.reduction,
                  seed: params.seed, earlyStopping: nil, threshold: params.threshold, hasValidation: false),
            data: train)
        let fit = SparkFitPlan(plan: plan, data: train, source: source, tolerance: params.optimizer?.tol)
        let name = params.name ?? models.freeName()
        try Workspace.validate(name: name)
        let reservation = try models.reserve(parameters: plan.parameterCount(features: train.featureCount, classes: train.classCount),
                                             working: TrainingPlan.reportBytes(classes: train.classCount, rows: [train.rowCount]), for: name, field: "dataset")
        defer { reservation.release() }
        var warnings: [String] = []
        if (try? models.entry(name)) != nil { warnings.append("The model '\(name)' was replaced by this training.") }
        var config = try? JSONValue(encoding: TrainingConfigSpec(plan.config, lossName: plan.lossName))
        if case .object(var members)? = config {
            members["engine"] = .string(EngineName.spark.rawValue)
            members["source"] = ["path": .string(source.path), "format": .string(source.format.rawValue)]
            if let tolerance = params.optimizer?.tol { members["spark_tol"] = .double(tolerance) }
            config = .object(members)
        }
        let details = RunDetails(datasets: [try runDataset(params.dataset, role: "dataset")], model: name,
                                 modelType: ModelName(plan.config.model).rawValue, loss: plan.lossName.rawValue, config: config)
        return try runs.record(method: ModelTrain.method, outputName: name, details: details, context: context,
                               metrics: RunMetrics.of) { recorder in
            let started = Date()
            recorder.begin(RunEvent(kind: .begin, title: "Training \(ModelName(plan.config.model).rawValue) with \(plan.lossName.rawValue) on Spark, reading \(source.path)",
                                    total: fit.maxIterations))
            let result: SparkFitResult
            do throws(SparkFailure) {
                result = try state.spark.fit(fit.request, cancellation: context.cancellation) { stage, done, total in
                    recorder.report(RunEvent(kind: .report, total: total, step: done,
                                             elapsedSeconds: Date().timeIntervalSince(started),
                                             percentage: total > 0 ? 100 * Double(done) / Double(total) : nil,
                                             message: "Spark \(stage): \(done) of \(total) tasks", stage: stage))
                }
            } catch {
                throw SparkRefusals.wire(error, source: params.source != nil, run: recorder.id)
            }
            // The class weights, the default l2 and the metrics are the dataset's: Spark must have
            // fitted its rows, not another file's (a sample loaded here, the whole on the cluster),
            // nor a file its loader read otherwise (quoted newlines, another line ending).
            if result.classCounts != train.classCounts {
                throw SparkRefusals.otherRows(read: result.classCounts, expected: train.classCounts, labels: train.classLabels,
                                              dataset: params.dataset, source: params.source != nil)
            }
            let model = try fit.model(from: result)
            let threads = computeShare.enter(cancellation: context.cancellation)
            defer { threads.leave() }
            let probabilities = try model.probabilities(train, threads: threads.budget)
            let report = TrainingJob.report(model, probabilities, on: train, threshold: plan.threshold)
            var calibration: CalibrationSummary?
            if let weights = plan.config.classWeights, Set(weights).count > 1 {
                calibration = BallastML.Calibration.summary(classIndex: train.classIndex, probabilities: probabilities,
                                                            classCount: train.classCount, classWeights: weights)
            }
            let objective = fit.objective(result)
            let stopReason: StopReasonName = result.iterations >= fit.maxIterations ? .maxIterations : .converged
            let seconds = Date().timeIntervalSince(started)
            recorder.end(RunEvent(kind: .end, elapsedSeconds: seconds, stopReason: stopReason, steps: result.iterations, objective: objective))
            let threshold: Double? = if case .value(let t) = plan.threshold { t } else { train.classCount == 2 ? 0.5 : nil }
            let entry = Models.Entry(model: model, config: plan.config, trainedOn: params.dataset, loss: plan.lossName,
                                     threshold: threshold, run: recorder.id)
            try models.store(name, entry, inPlaceOf: reservation, keep: params.keep ?? true)
            return ModelTrain.Result(model: name, run: recorder.id, steps: result.iterations, stopReason: stopReason,
                                     seconds: seconds, objective: objective, threshold: threshold,
                                     metrics: .init(train: MetricsReport(report), validation: nil),
                                     calibration: calibration.map { Calibration($0) }, warnings: warnings.isEmpty ? nil : warnings)
        }
    }
}
