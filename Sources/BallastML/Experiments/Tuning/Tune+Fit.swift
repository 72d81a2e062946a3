/// One fit of one candidate: resampling, class weights and l2 on the fit's own training rows.
struct FittedCandidate: Sendable {
    var model: TrainedModel
    var config: TrainingConfig
}

/// Why a candidate could not be fitted on some data.
struct CandidateFailure: Error {
    var reason: String
}

extension Tune {
    /// The training config and (resampled) data of one fit of `candidate` on `train`.
    static func setUp(_ candidate: TuneCandidate, on train: Dataset, settings: TuneSettings,
                      resampleSeed: UInt64) throws(CandidateFailure) -> (TrainingConfig, Dataset) {
        var data = train
        do {
            switch candidate.sampling {
            case nil: break
            case .over(let ratio): data = try Resampling.randomOver(train, ratio: ratio, seed: resampleSeed)
            case .under(let ratio): data = try Resampling.randomUnder(train, ratio: ratio, seed: resampleSeed)
            case .smote(let ratio, let k):
                data = try Resampling.smote(train, ratio: ratio, k: smoteNeighbours(k, train.classCounts), seed: resampleSeed)
            }
        } catch {
            throw CandidateFailure(reason: error.message)
        }
        var config = settings.base
        config.loss = candidate.loss
        if let model = candidate.model, model != settings.base.model {
            config.model = model
            // An mlp added to a linear request trains with Adam's defaults, as scikit-learn's
            // MLPClassifier, unless the request chose a mini-batch optimizer (lr=, epochs=).
            if case .mlp = model, case .lbfgs = settings.base.optimizer { config.optimizer = .defaultAdam }
        }
        do {
            config.classWeights = try candidate.weights.map { scheme throws(InvalidArgument) in
                try ClassWeights.compute(scheme, classCounts: data.classCounts, classLabels: data.classLabels,
                                         positiveClass: data.positiveClass).weights
            }
        } catch {
            throw CandidateFailure(reason: error.message)
        }
        config.l2 = settings.l2 ?? Comparison.defaultL2(config, data)
        return (config, data)
    }

    /// SMOTE's k capped at the smallest class's rows − 1 (at least 1) of this training part.
    static func smoteNeighbours(_ k: Int, _ counts: [Int]) -> Int {
        let smallest = counts.filter { $0 > 0 }.min() ?? 1
        return max(1, min(k, smallest - 1))
    }

    /// Fits; nil when cancelled.
    static func fit(_ candidate: TuneCandidate, on train: Dataset, settings: TuneSettings, resampleSeed: UInt64,
                    threads: ThreadBudget, isCancelled: @escaping @Sendable () -> Bool) throws(CandidateFailure) -> FittedCandidate? {
        let (config, data) = try setUp(candidate, on: train, settings: settings, resampleSeed: resampleSeed)
        do {
            let outcome = try Trainer.train(config, on: data, threads: threads, observer: TrainingObserver(isCancelled: isCancelled))
            if outcome.stopReason == .cancelled { return nil }
            return FittedCandidate(model: outcome.model, config: config)
        } catch {
            throw CandidateFailure(reason: error.message)
        }
    }

    /// The seed of the resampling in repeat r, fold f: distinct streams of the request's seed.
    static func resampleSeed(_ base: UInt64, repeat r: Int, fold f: Int) -> UInt64 {
        var z = base &+ 0x9E37_79B9_7F4A_7C15 &* (UInt64(r) << 20 | UInt64(f + 1))
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Fits the winner on each dataset at once (the refits: holdout's selection part, the final
    /// model), resampled with the request's seed as `model/train` would; nil when cancelled.
    /// A failure here is the request's: the winner ran on every fold.
    static func fitAll(_ parts: [(Dataset, String)], candidate: TuneCandidate, settings: TuneSettings,
                       job: TuneJob) throws -> [FittedCandidate]? {
        let workers = job.threads.current
        let share = ThreadBudget.fixed(max(1, workers / parts.count))
        let results = ParallelFits.run(count: parts.count, workers: workers) { i -> Result<FittedCandidate?, CandidateFailure> in
            if job.isCancelled() { return .success(nil) }
            let result = Result { () throws(CandidateFailure) in
                try fit(candidate, on: parts[i].0, settings: settings, resampleSeed: settings.base.seed,
                        threads: share, isCancelled: job.isCancelled)
            }
            job.finished(stage: parts[i].1, candidate: candidate.name)
            return result
        }
        var fitted: [FittedCandidate] = []
        for result in results {
            switch result {
            case .success(let model?): fitted.append(model)
            case .success(nil): return nil
            case .failure(let failure):
                throw InvalidArgument(field: .candidates, message: "The winner '\(candidate.name)' could not be refitted: \(failure.reason)")
            }
        }
        return fitted
    }
}
