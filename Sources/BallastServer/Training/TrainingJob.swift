import BallastML
import BallastProtocol
import Foundation

/// One training run: trains, reports each step to the run's record (coalesced), scores the
/// validation data when a report is due or early stopping needs it, and finishes with the final
/// metrics. Runs on a job worker; cancellation is checked every batch or iteration.
struct TrainingJob {
    let plan: TrainingPlan
    let train: Dataset
    let validation: Dataset?
    let recorder: RunRecorder
    let cancellation: CancellationFlag
    /// The rows the training metrics are measured on when they are not those trained on:
    /// `model/train`'s `resample` trains on resampled rows but reports on the rows it was given.
    var reportedTrain: Dataset? = nil

    struct Outcome {
        var training: TrainingOutcome
        var threshold: Double?
        var metrics: (train: MetricReport, validation: MetricReport?)
        var calibration: CalibrationSummary?
        var seconds: Double
    }

    func run(threads: ThreadBudget = .allCores) throws -> Outcome {
        let started = Date()
        let total: Int = switch plan.config.optimizer {
        case .lbfgs(_, let maxIterations, _): maxIterations
        case .adam(_, let epochs, _, _, _, _), .sgd(_, let epochs, _, _): epochs
        }
        let modelName = ModelName(plan.config.model).rawValue
        recorder.begin(RunEvent(kind: .begin, title: "Training \(modelName) with \(plan.lossName.rawValue) on \(train.rowCount) rows",
                                total: total))
        let lastValidation = LastValue<MetricReport>()
        let observer = TrainingObserver(
            onStep: { [plan, validation, recorder] step, model in
                // Scoring the validation data costs a pass over it: only when a report will be
                // recorded now, or early stopping needs the score.
                let scoreNow = plan.earlyStoppingMetric != nil || recorder.isReportDue
                var event = RunEvent(kind: .report, total: total, step: step.step, loss: step.objective,
                                     elapsedSeconds: step.elapsedSeconds,
                                     percentage: min(100, 100 * Double(step.step) / Double(total)))
                var score: Double?
                if scoreNow, let validation, let report = try? Self.report(model, on: validation, threshold: .standard, threads: threads) {
                    lastValidation.value = report
                    event.validation = ProgressMetrics(report)
                    score = plan.earlyStoppingMetric.map { report.score($0) }
                }
                recorder.report(event)
                return score
            },
            isCancelled: { [cancellation] in cancellation.isCancelled })
        let training: TrainingOutcome
        do {
            training = try Trainer.train(plan.config, on: train, sampleWeights: plan.sampleWeights, threads: threads, observer: observer)
        } catch {
            recorder.end(RunEvent(kind: .end, stopReason: .failed, message: error.message))
            throw error
        }
        if training.stopReason == .cancelled {
            var partial: [String: JSONValue] = ["run": .string(recorder.id), "steps": .int(Int64(training.steps))]
            // NaN when cancelled inside the first pass: there is no objective to report yet.
            if training.objective.isFinite { partial["objective"] = .double(training.objective) }
            if let last = lastValidation.value { partial["validation"] = try JSONValue(encoding: ProgressMetrics(last)) }
            recorder.end(RunEvent(kind: .end, stopReason: .cancelled, steps: training.steps))
            throw RPCError.cancelled(partial: .object(partial))
        }
        // Each dataset is scored once; the threshold, the reports and the calibration share it.
        // What they hold is counted by `TrainingPlan.reportBytes` (the probabilities, one ranking's
        // keys); the calibration makes its corrected rows one at a time.
        let train = reportedTrain ?? train
        let trainProbabilities = try training.model.probabilities(train, threads: threads)
        let validationProbabilities = try validation.map { data throws(InvalidArgument) in try training.model.probabilities(data, threads: threads) }
        let threshold = resolvedThreshold(training.model, validationProbabilities)
        let trainReport = Self.report(training.model, trainProbabilities, on: train, threshold: threshold)
        var validationReport: MetricReport?
        if let validation, let validationProbabilities {
            validationReport = Self.report(training.model, validationProbabilities, on: validation, threshold: threshold)
        }
        var calibration: CalibrationSummary?
        if let weights = plan.config.classWeights, Set(weights).count > 1 {
            let (scored, probabilities) = validation.flatMap { v in validationProbabilities.map { (v, $0) } } ?? (train, trainProbabilities)
            calibration = BallastML.Calibration.summary(classIndex: scored.classIndex, probabilities: probabilities,
                                                        classCount: scored.classCount, classWeights: weights)
        }
        let seconds = Date().timeIntervalSince(started)
        recorder.end(RunEvent(kind: .end, elapsedSeconds: seconds, stopReason: StopReasonName(training.stopReason),
                              steps: training.steps, objective: training.objective))
        let value: Double? = if case .value(let t) = threshold { t } else { train.classCount == 2 ? 0.5 : nil }
        return Outcome(training: training, threshold: value, metrics: (trainReport, validationReport),
                       calibration: calibration, seconds: seconds)
    }

    /// `best_f1` is tuned on the validation data; the other choices pass through.
    private func resolvedThreshold(_ model: TrainedModel, _ validationProbabilities: [Float]?) -> ThresholdRule {
        guard case .bestF1 = plan.threshold, let validation, let probabilities = validationProbabilities,
              let positive = model.positiveClass else { return plan.threshold }
        return .value(Thresholds.bestF1(classIndex: validation.classIndex, binaryProbabilities: probabilities, positiveClass: positive))
    }

    static func report(_ model: TrainedModel, on data: Dataset, threshold: ThresholdRule, threads: ThreadBudget) throws -> MetricReport {
        report(model, try model.probabilities(data, threads: threads), on: data, threshold: threshold)
    }

    static func report(_ model: TrainedModel, _ probabilities: [Float], on data: Dataset, threshold: ThresholdRule) -> MetricReport {
        Metrics.report(classIndex: data.classIndex, probabilities: probabilities, classCount: data.classCount,
                       classLabels: data.classLabels, positiveClass: model.positiveClass, threshold: threshold)
    }
}

/// A value written by the training thread's callback and read after training ends.
final class LastValue<Value: Sendable>: @unchecked Sendable {
    // @unchecked: written only from the observer callback, which the trainer calls on its own
    // thread one step at a time, and read only after `Trainer.train` has returned.
    var value: Value?
}
