import BallastML
import BallastProtocol
import Foundation

extension Handlers {
    /// `model/train`: a job. The datasets it reads are leased for its duration, so they cannot be
    /// dropped or replaced under it. A cancelled or failed training stores no model.
    func registerModelTrain(into table: inout MethodTable) {
        table.register(ModelTrain.self, lane: .jobs, buffers: ["sample_weight"]) { params, context in
            if params.engine == .spark { return try trainWithSpark(params, context: context) }
            if params.source != nil {
                throw RPCError.invalidParams("source is the file engine=spark reads; the local engine trains on the dataset in memory.",
                                             field: "source")
            }
            let names = [params.dataset] + (params.validation.map { [$0] } ?? [])
            let release = try workspace.lease(names)
            defer { release() }
            let given = try workspace.dataset(params.dataset)
            if params.resample != nil, params.sampleWeight != nil {
                throw RPCError.invalidParams("resample and sample_weight cannot be combined: resampled rows have no weights of their own.",
                                             field: "resample")
            }
            if let resample = params.resample {
                try workspace.checkRoomToResample(given, smote: resample.method == .smote, rows: resample.resultRows(of: given),
                                                  doing: "Resampling '\(params.dataset)'", field: "resample")
            }
            // Resampled before the plan, so that class weights and the default l2 are those of the
            // rows trained on, as each candidate's fit in experiment/tune does.
            let train = try params.resample.map { try $0.apply(to: given, seed: params.seed ?? 0, path: "resample") } ?? given
            var validation: Dataset?
            var warnings: [String] = []
            if let validationName = params.validation {
                (validation, warnings) = try Self.align(try workspace.dataset(validationName, field: "validation"), named: validationName,
                                                        field: "validation", toTraining: train)
            }
            let sampleWeights = try SampleWeightSpec.weights(params.sampleWeight, rows: train.rowCount, buffers: context.buffers)
            let plan = try TrainingPlan(
                .init(model: params.model, loss: params.loss, optimizer: params.optimizer, l2: params.l2, reduction: params.reduction,
                      seed: params.seed, earlyStopping: params.earlyStopping, threshold: params.threshold,
                      hasValidation: validation != nil, sampleWeights: sampleWeights),
                data: train)
            let share = computeShare.enter(cancellation: context.cancellation)
            defer { share.leave() }
            let name = params.name ?? models.freeName()
            try Workspace.validate(name: name)
            // The metrics are measured on the rows given (not the resampled ones) and on the validation rows.
            let reportBytes = TrainingPlan.reportBytes(classes: train.classCount, rows: [given.rowCount] + (validation.map { [$0.rowCount] } ?? []))
            let parameters = plan.parameterCount(features: train.featureCount, classes: train.classCount)
            let working = plan.workingBytes(features: train.featureCount, classes: train.classCount)
            // A refusal points at what made the reservation large: a network's size, or the rows.
            let modelBytes = MemoryBudget.sum([Models.byteCount(parameters: parameters), working])
            let field = modelBytes > reportBytes && params.model?.hidden != nil ? "model.hidden" : "dataset"
            let reservation = try models.reserve(parameters: parameters, working: MemoryBudget.sum([working, reportBytes]),
                                                 for: name, field: field)
            defer { reservation.release() }
            if (try? models.entry(name)) != nil { warnings.append("The model '\(name)' was replaced by this training.") }
            var datasets = [try runDataset(params.dataset, role: "dataset")]
            if let name = params.validation { datasets.append(try runDataset(name, role: "validation")) }
            var config = try? JSONValue(encoding: TrainingConfigSpec(plan.config, lossName: plan.lossName))
            if let resample = params.resample, case .object(var members)? = config {
                members["resample"] = try? JSONValue(encoding: resample)
                config = .object(members)
            }
            let details = RunDetails(datasets: datasets, model: name, modelType: ModelName(plan.config.model).rawValue,
                                     loss: plan.lossName.rawValue, config: config)
            return try runs.record(method: ModelTrain.method, outputName: name, details: details, context: context,
                                   metrics: RunMetrics.of) { recorder in
                let job = TrainingJob(plan: plan, train: train, validation: validation, recorder: recorder,
                                      cancellation: context.cancellation, reportedTrain: params.resample == nil ? nil : given)
                let outcome = try Self.trainingPaths.translating { try job.run(threads: share.budget) }
                var entry = Models.Entry(model: outcome.training.model, config: plan.config, trainedOn: params.dataset,
                                         loss: plan.lossName, threshold: outcome.threshold, run: recorder.id)
                entry.thresholdTuned = plan.threshold == .bestF1
                try models.store(name, entry, inPlaceOf: reservation, keep: params.keep ?? true)
                return ModelTrain.Result(model: name, run: recorder.id, steps: outcome.training.steps,
                                         stopReason: StopReasonName(outcome.training.stopReason), seconds: outcome.seconds,
                                         objective: outcome.training.objective, threshold: outcome.threshold,
                                         metrics: .init(train: MetricsReport(outcome.metrics.train),
                                                        validation: outcome.metrics.validation.map { MetricsReport($0) }),
                                         calibration: outcome.calibration.map { Calibration($0) },
                                         warnings: warnings.isEmpty ? nil : warnings)
            }
        }
    }

    /// Where an engine error of `model/train` points: the class-weight fields inside `loss`, and
    /// the sample weights at `sample_weight`.
    static let trainingPaths = WirePaths(weightsPrefix: WirePaths.training.weightsPrefix, overrides: [.sampleWeights: SampleWeightSpec.field])
}
