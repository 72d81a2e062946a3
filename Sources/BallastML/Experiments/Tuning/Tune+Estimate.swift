/// Predictions of rows the selection never saw (the holdout, or every outer test fold), as the
/// stored model would make them, with the objective per part.
struct HeldOutPredictions {
    var classIndex: [Int32] = []
    /// n × k, uncalibrated.
    var raw: [Float] = []
    /// n × k after the selection's calibrator (== raw without one).
    var calibrated: [Float] = []
    /// What the stored model's probabilities would be: calibrated unless the calibrator does not fold (isotonic).
    var stored: [Float] = []
    var decisions: [Int32] = []
    /// Objective value of each part (holdout: one; nested: one per outer fold).
    var scores: [Double] = []
    var winners: [String] = []
    /// Each part's threshold on the stored model's scale (binary).
    var thresholds: [Double] = []
    var classCount: Int
    var classLabels: [String]
    var positiveClass: Int?

    init(classCount: Int, classLabels: [String], positiveClass: Int?) {
        self.classCount = classCount
        self.classLabels = classLabels
        self.positiveClass = positiveClass
    }

    static func of(_ model: TrainedModel, on heldOut: Dataset, selection: Selection, settings: TuneSettings) throws -> HeldOutPredictions {
        var predictions = HeldOutPredictions(classCount: heldOut.classCount, classLabels: heldOut.classLabels,
                                             positiveClass: heldOut.positiveClass)
        try predictions.append(model, on: heldOut, selection: selection, settings: settings)
        return predictions
    }

    mutating func append(_ model: TrainedModel, on heldOut: Dataset, selection: Selection, settings: TuneSettings) throws {
        let k = heldOut.classCount
        let raw = try model.probabilities(heldOut, threads: .fixed(1))
        let calibrated = selection.calibrator?.apply(raw, classCount: k) ?? raw
        let folds = selection.calibrator.map { $0.method != .isotonic } ?? false
        let y = heldOut.classIndex
        if let positive = heldOut.positiveClass, k == 2, let t = selection.rawThreshold {
            let p = Metrics.positiveColumn(raw, positiveClass: positive)
            scores.append(ObjectiveSearch.value(settings.objective, classIndex: y, positiveProbability: p,
                                                positiveClass: positive, threshold: t))
            decisions += p.map { Double($0) >= t ? Int32(positive) : Int32(1 - positive) }
            let calibrator = folds ? selection.calibrator : nil
            thresholds.append(calibrator?.calibratedThreshold(t, positiveClass: positive) ?? t)
        } else {
            scores.append(ObjectiveSearch.value(settings.objective, classIndex: y, probabilities: calibrated, classCount: k))
            decisions += ObjectiveSearch.decisions(settings.objective, probabilities: calibrated, classCount: k)
        }
        classIndex += y
        self.raw += raw
        self.calibrated += calibrated
        stored += folds ? calibrated : raw
        winners.append(selection.winner.candidate.name)
    }

    func estimate(method: HonestEstimateMethod) -> HonestEstimate {
        let nested = scores.count > 1 || { if case .nested = method { true } else { false } }()
        return HonestEstimate(method: method, objective: Tune.mean(scores), sd: nested ? Tune.sampleSD(scores) : nil,
                              scores: scores, winners: winners, report: report(), rows: classIndex.count)
    }

    /// Probability metrics from the stored model's probabilities, decision metrics from the
    /// decisions actually made (each part at its own threshold, or by the Bayes rule).
    func report() -> MetricReport {
        let k = classCount
        let threshold: Double? = thresholds.isEmpty || Set(thresholds).count > 1 ? nil : thresholds[0]
        var report = Metrics.report(classIndex: classIndex, probabilities: stored, classCount: k, classLabels: classLabels,
                                    positiveClass: positiveClass, threshold: .value(threshold ?? 0.5))
        var oneHot = [Float](repeating: 0, count: decisions.count * k)
        for (i, d) in decisions.enumerated() { oneHot[i * k + Int(d)] = 1 }
        let decided = Metrics.report(classIndex: classIndex, probabilities: oneHot, classCount: k, classLabels: classLabels,
                                     positiveClass: positiveClass, threshold: .value(0.5))
        report.threshold = k == 2 ? threshold : nil
        report.accuracy = decided.accuracy
        report.balancedAccuracy = decided.balancedAccuracy
        report.perClass = decided.perClass
        report.positive = decided.positive
        report.macroF1 = decided.macroF1
        report.mcc = decided.mcc
        report.gMean = decided.gMean
        report.confusion = decided.confusion
        return report
    }
}

extension Tune {
    /// The whole selection inside each outer fold, its winner refitted on the outer-train rows and
    /// scored on the outer-test rows; nil when cancelled.
    static func nestedEstimate(_ data: Dataset, outer: [[Int]], settings: TuneSettings, job: TuneJob) throws -> HeldOutPredictions? {
        var predictions = HeldOutPredictions(classCount: data.classCount, classLabels: data.classLabels,
                                             positiveClass: data.positiveClass)
        for (o, test) in outer.enumerated() {
            let stage = "estimate, outer fold \(o + 1) of \(outer.count)"
            var isTest = [Bool](repeating: false, count: data.rowCount)
            for row in test { isTest[row] = true }
            let train = data.selecting(rows: (0..<data.rowCount).filter { !isTest[$0] })
            guard let selection = try select(train, settings: settings, stage: stage, job: job),
                  let fitted = try fitAll([(train, stage)], candidate: selection.winner.candidate, settings: settings, job: job)
            else { return nil }
            try predictions.append(fitted[0].model, on: data.selecting(rows: test), selection: selection, settings: settings)
        }
        return predictions
    }

    /// Brier, log loss and reliability before and after the calibrator, on the honest-estimate rows
    /// when there are any, else on the out-of-fold rows it was fitted on.
    static func calibrationOutcome(_ calibrator: Calibrator, selection: Selection, evaluation: HeldOutPredictions?,
                                   data: Dataset, applied: Bool) -> CalibrationOutcome {
        let k = data.classCount
        let truth = evaluation?.classIndex ?? selection.pooledClassIndex
        let before = evaluation?.raw ?? selection.pooledProbabilities
        let after = evaluation?.calibrated ?? calibrator.apply(before, classCount: k)
        let lossesBefore = Calibration.losses(truth, before, k)
        let lossesAfter = Calibration.losses(truth, after, k)
        return CalibrationOutcome(
            calibrator: calibrator, brierBefore: lossesBefore.brier, brierAfter: lossesAfter.brier,
            logLossBefore: lossesBefore.logLoss, logLossAfter: lossesAfter.logLoss,
            reliabilityBefore: Reliability.curve(classIndex: truth, probabilities: before, classCount: k, positiveClass: data.positiveClass),
            reliabilityAfter: Reliability.curve(classIndex: truth, probabilities: after, classCount: k, positiveClass: data.positiveClass),
            onHeldOutRows: evaluation != nil, appliedToModel: applied)
    }

    /// Why a calibration is not folded into the stored model, or nil when folding keeps the
    /// tuned decisions exactly. Folding maps the threshold through the calibration, which keeps
    /// "p ≥ t" only for a strictly increasing map and a threshold below the probabilities' saturation.
    static func foldRefusal(_ calibrator: Calibrator, rawThreshold: Double?) -> String? {
        if calibrator.method == .isotonic {
            return "Isotonic calibration is a step function and cannot be folded into the model's output layer"
        }
        if calibrator.method == .platt, let slope = calibrator.parameters["a"], !(slope > 0) {
            return "Platt's fit found the winner's out-of-fold scores running against the labels (slope a = \(rounded(slope))), so applying it would invert the model's decisions"
        }
        if let t = rawThreshold, !(t >= saturation && t <= 1 - saturation) {
            return "The tuned threshold \(t) lies where the model's float probabilities saturate, so the calibration could not be folded without changing decisions"
        }
        return nil
    }

    /// Thresholds closer than this to 0 or 1 are not mapped through a calibration: float32
    /// probabilities there no longer tell the model's scores apart.
    static let saturation = 1e-6

    static func calibrationNotes(settings: TuneSettings, selection: Selection, evaluation: HeldOutPredictions?, applied: Bool,
                                 refusal: String?) -> [String] {
        guard let calibrator = selection.calibrator else { return [] }
        var notes: [String] = []
        if !applied {
            let t = selection.rawThreshold.map { " Its threshold \(rounded($0)) is on that raw scale, as are its decisions." } ?? ""
            notes.append("\(refusal ?? "This calibration cannot be folded into the model's output layer"): the stored model gives uncalibrated probabilities.\(t)")
        }
        if calibrator.method == .prior, case .focal = selection.winner.candidate.loss {
            notes.append("The winner uses focal loss, whose shift of the probabilities is not known: prior correction undid only its class weights and resampling.")
        }
        if calibrator.method == .platt && calibrator.parameters["T"] != nil {
            notes.append("With more than two classes, platt calibration is temperature scaling: one temperature divides every log-probability.")
        }
        if evaluation == nil {
            notes.append("With no honest-estimate rows, the calibration was measured on the out-of-fold rows it was fitted on: its 'after' figures flatter it.")
        }
        return notes
    }

    static func rounded(_ value: Double) -> String {
        let scaled = (value * 1000).rounded() / 1000
        return "\(scaled)"
    }
}
