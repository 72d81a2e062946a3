/// What the selection on some rows chose, and the evidence.
struct Selection {
    var plan: FoldPlan
    /// Best first.
    var leaderboard: [CandidateScore]
    var winner: CandidateScore
    var skipped: [String: String]
    var notes: [String]
    /// Binary: the winner's threshold on raw P(positive), tuned on its pooled out-of-fold scores.
    var rawThreshold: Double?
    /// Fitted on the winner's pooled out-of-fold probabilities; nil for `.none`.
    var calibrator: Calibrator?
    /// The winner's out-of-fold probabilities of every repeat, pooled (repeat-major), with the truth.
    var pooledClassIndex: [Int32]
    var pooledProbabilities: [Float]
}

/// A cross-validation fit's result: the held-out fold's probabilities, or why it failed.
enum FoldFit: Sendable {
    case fitted(probabilities: [Float], seconds: Double)
    case failed(String)
    case cancelled
    case notRun
}

extension Tune {
    /// Scores every candidate on `data` by repeated stratified k-fold with cross-fitted thresholds
    /// and chooses the best mean; nil when cancelled.
    static func select(_ data: Dataset, settings: TuneSettings, stage: String, job: TuneJob) throws -> Selection? {
        let k = data.classCount
        let n = data.rowCount
        let candidates = settings.candidates
        let plan = try FoldPlan.adapt(classCounts: data.classCounts, classLabels: data.classLabels,
                                      folds: settings.folds, repeats: settings.repeats)
        let heldOut = try plan.heldOut(classIndex: data.classIndex, classCount: k, seed: settings.base.seed)
        var notes: [String] = []
        if let note = plan.note { notes.append(note) }
        // oof[c][r]: candidate c's out-of-fold probabilities in repeat r, n × k.
        var oof = [[[Float]]](repeating: [], count: candidates.count)
        var failure = [String?](repeating: nil, count: candidates.count)
        var fitSeconds = [Double](repeating: 0, count: candidates.count)
        for r in 0..<plan.repeats {
            let folds = heldOut[r]
            let parts = foldParts(data, heldOut: folds, workers: job.threads.current)
            let count = candidates.count * folds.count
            let dropped = failure
            let results = ParallelFits.run(count: count, workers: job.threads.current) { index -> FoldFit in
                let c = index / folds.count, f = index % folds.count
                guard dropped[c] == nil else { return .notRun }
                if job.isCancelled() { return .cancelled }
                let start = ContinuousClock.now
                let result: FoldFit
                do throws(CandidateFailure) {
                    if let fitted = try fit(candidates[c], on: parts[f].train, settings: settings,
                                            resampleSeed: resampleSeed(settings.base.seed, repeat: r, fold: f),
                                            threads: .fixed(1), isCancelled: job.isCancelled) {
                        let p = try? fitted.model.probabilities(parts[f].test, threads: .fixed(1))
                        result = p.map { .fitted(probabilities: $0, seconds: seconds(since: start)) }
                            ?? .failed("its model could not predict the held-out rows")
                    } else {
                        result = .cancelled
                    }
                } catch {
                    result = .failed(error.reason)
                }
                job.finished(stage: stage, candidate: candidates[c].name)
                return result
            }
            if job.isCancelled() { return nil }
            for c in candidates.indices {
                if failure[c] != nil {
                    // Dropped in an earlier repeat: its fits of this repeat count as done, one by one.
                    for _ in folds { job.finished(stage: stage, candidate: candidates[c].name) }
                    continue
                }
                var probabilities = [Float](repeating: 0, count: n * k)
                for f in folds.indices {
                    switch results[c * folds.count + f] {
                    case .fitted(let p, let s):
                        fitSeconds[c] += s
                        for (i, row) in folds[f].enumerated() {
                            for j in 0..<k { probabilities[row * k + j] = p[i * k + j] }
                        }
                    case .failed(let reason):
                        if failure[c] == nil { failure[c] = "fold \(f + 1) of repeat \(r + 1): \(reason)" }
                    case .cancelled: return nil
                    case .notRun: break
                    }
                }
                if failure[c] == nil { oof[c].append(probabilities) }
            }
        }
        var skipped: [String: String] = [:]
        for c in candidates.indices { if let reason = failure[c] { skipped[candidates[c].name] = reason } }
        guard skipped.count < candidates.count else {
            let reasons = candidates.map { "\($0.name): \(failure[candidates.firstIndex(of: $0)!]!)" }
            throw InvalidArgument(field: .candidates, message: "No candidate could run on this data (\(reasons.joined(separator: "; "))).")
        }
        notes += smoteNotes(data, heldOut: heldOut, candidates: candidates, skipped: skipped)
        var scores: [CandidateScore] = []
        for c in candidates.indices where failure[c] == nil {
            let values = foldScores(oof[c], data: data, heldOut: heldOut, settings: settings, candidate: candidates[c])
            scores.append(CandidateScore(candidate: candidates[c], mean: mean(values), sd: sampleSD(values), scores: values,
                                         threshold: pooledThreshold(oof[c], data: data, objective: settings.objective),
                                         seconds: fitSeconds[c]))
        }
        let objective = settings.objective
        let winnerIndex = Self.oneStandardErrorWinner(scores, objective: objective)
        let winner = scores[winnerIndex]
        let order = [winnerIndex] + scores.indices.filter { $0 != winnerIndex }.sorted { a, b in
            if objective.isBetter(scores[a].mean, than: scores[b].mean) { return true }
            if objective.isBetter(scores[b].mean, than: scores[a].mean) { return false }
            return a < b
        }
        let c = candidates.firstIndex(of: winner.candidate)!
        let pooledClassIndex = Array([[Int32]](repeating: data.classIndex, count: plan.repeats).joined())
        let pooledProbabilities = Array(oof[c].joined())
        var calibrator: Calibrator?
        if settings.calibration != .none {
            calibrator = try Calibrator.fit(settings.calibration, classIndex: pooledClassIndex, probabilities: pooledProbabilities,
                                            classCount: k, positiveClass: data.positiveClass,
                                            effectiveWeights: effectiveWeights(winner.candidate, data.classCounts, data: data))
        }
        return Selection(plan: plan, leaderboard: order.map { scores[$0] }, winner: winner, skipped: skipped, notes: notes,
                         rawThreshold: winner.threshold, calibrator: calibrator,
                         pooledClassIndex: pooledClassIndex, pooledProbabilities: pooledProbabilities)
    }

    /// Each fold's training and held-out datasets, built once per repeat and shared by every candidate.
    static func foldParts(_ data: Dataset, heldOut: [[Int]], workers: Int) -> [(train: Dataset, test: Dataset)] {
        ParallelFits.run(count: heldOut.count, workers: workers) { f in
            var isTest = [Bool](repeating: false, count: data.rowCount)
            for row in heldOut[f] { isTest[row] = true }
            let train = (0..<data.rowCount).filter { !isTest[$0] }
            return (data.selecting(rows: train), data.selecting(rows: heldOut[f]))
        }
    }

    /// repeats × folds scores, repeat-major. Binary: fold f at the threshold tuned on the other
    /// folds' out-of-fold scores of the same repeat. Multiclass: the fold's probabilities, after a
    /// calibrator fitted on the other folds when the tune calibrates.
    static func foldScores(_ oof: [[Float]], data: Dataset, heldOut: [[[Int]]], settings: TuneSettings,
                           candidate: TuneCandidate) -> [Double] {
        let k = data.classCount
        var values: [Double] = []
        for (r, probabilities) in oof.enumerated() {
            for fold in heldOut[r] {
                var inFold = [Bool](repeating: false, count: data.rowCount)
                for row in fold { inFold[row] = true }
                let other = (0..<data.rowCount).filter { !inFold[$0] }
                if let positive = data.positiveClass, k == 2 {
                    let t = ObjectiveSearch.bestThreshold(settings.objective, classIndex: other.map { data.classIndex[$0] },
                                                          positiveProbability: other.map { probabilities[$0 * 2 + positive] },
                                                          positiveClass: positive)
                    values.append(ObjectiveSearch.value(settings.objective, classIndex: fold.map { data.classIndex[$0] },
                                                        positiveProbability: fold.map { probabilities[$0 * 2 + positive] },
                                                        positiveClass: positive, threshold: t))
                } else {
                    var foldProbabilities = gather(probabilities, rows: fold, k: k)
                    if settings.calibration != .none,
                       let calibrator = try? Calibrator.fit(settings.calibration, classIndex: other.map { data.classIndex[$0] },
                                                            probabilities: gather(probabilities, rows: other, k: k), classCount: k,
                                                            positiveClass: nil,
                                                            effectiveWeights: effectiveWeights(candidate, data.classCounts, data: data)) {
                        foldProbabilities = calibrator.apply(foldProbabilities, classCount: k)
                    }
                    values.append(ObjectiveSearch.value(settings.objective, classIndex: fold.map { data.classIndex[$0] },
                                                        probabilities: foldProbabilities, classCount: k))
                }
            }
        }
        return values
    }

    /// Binary: the threshold tuned on every repeat's out-of-fold scores pooled; nil multiclass.
    static func pooledThreshold(_ oof: [[Float]], data: Dataset, objective: TuneObjective) -> Double? {
        guard data.classCount == 2, let positive = data.positiveClass else { return nil }
        var scores: [Float] = []
        scores.reserveCapacity(oof.count * data.rowCount)
        for probabilities in oof { for i in 0..<data.rowCount { scores.append(probabilities[i * 2 + positive]) } }
        let truth = Array([[Int32]](repeating: data.classIndex, count: oof.count).joined())
        return ObjectiveSearch.bestThreshold(objective, classIndex: truth, positiveProbability: scores, positiveClass: positive)
    }

    static func gather(_ probabilities: [Float], rows: [Int], k: Int) -> [Float] {
        var out = [Float](repeating: 0, count: rows.count * k)
        for (i, row) in rows.enumerated() { for j in 0..<k { out[i * k + j] = probabilities[row * k + j] } }
        return out
    }

    /// Class weight × sampling rate per class: the shift a candidate puts into its probabilities,
    /// which `prior` calibration undoes. Focal loss adds a shift nobody knows; it is left out.
    static func effectiveWeights(_ candidate: TuneCandidate, _ counts: [Int], data: Dataset) -> [Double] {
        let k = counts.count
        var weights = candidate.weights.flatMap {
            try? ClassWeights.compute($0, classCounts: counts, classLabels: data.classLabels, positiveClass: data.positiveClass).weights
        } ?? [Double](repeating: 1, count: k)
        guard let sampling = candidate.sampling, counts.allSatisfy({ $0 > 0 }) else { return weights }
        let majority = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }!
        let smallest = counts.min()!
        for c in 0..<k {
            let n = Double(counts[c])
            var after = n
            switch sampling {
            case .over(let ratio), .smote(let ratio, _):
                if c != majority { after = max(n, (ratio * Double(counts[majority])).rounded(.down)) }
            case .under(let ratio):
                after = c == majority ? min(n, (Double(smallest) / ratio).rounded(.down)) : Double(smallest)
            }
            weights[c] *= after / n
        }
        return weights
    }

    static func smoteNotes(_ data: Dataset, heldOut: [[[Int]]], candidates: [TuneCandidate], skipped: [String: String]) -> [String] {
        var notes: [String] = []
        for candidate in candidates where skipped[candidate.name] == nil {
            guard case .smote(_, let k) = candidate.sampling else { continue }
            var fewest = Int.max
            for folds in heldOut {
                for fold in folds {
                    let held = TuneLayout.counts(fold, data)
                    let train = zip(data.classCounts, held).map { $0 - $1 }.filter { $0 > 0 }
                    fewest = min(fewest, train.min() ?? fewest)
                }
            }
            let used = smoteNeighbours(k, [fewest])
            if used < k {
                notes.append("\(candidate.name): SMOTE used k = \(used) instead of \(k): a fold's training part has only \(fewest) rows of its smallest class.")
            }
        }
        return notes
    }

    static func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }

    static func sampleSD(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let m = mean(values)
        return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
    }
}

extension Tune {
    /// The one-standard-error rule (Breiman et al. 1984; Hastie, Tibshirani and Friedman, §7.10):
    /// the best mean is itself noisy, so the winner is the first candidate, in the order given
    /// (simplest first: CE, then weights, focal loss, resampling), whose mean is within one
    /// standard error of the best mean. With a few dozen rare rows many candidates' means lie
    /// within noise of each other, and choosing the largest of them picks noise.
    static func oneStandardErrorWinner(_ scores: [CandidateScore], objective: TuneObjective) -> Int {
        var best = 0
        for i in scores.indices.dropFirst() where objective.isBetter(scores[i].mean, than: scores[best].mean) { best = i }
        let bar = objective.higherIsBetter ? scores[best].mean - scores[best].standardError
            : scores[best].mean + scores[best].standardError
        return scores.indices.first { !objective.isBetter(bar, than: scores[$0].mean) } ?? best
    }
}
