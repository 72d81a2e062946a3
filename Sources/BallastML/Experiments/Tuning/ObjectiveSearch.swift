/// Threshold search and decision rules for a `TuneObjective`.
public enum ObjectiveSearch {
    /// Best threshold on P(positive) for the objective (ties → larger); 0.5 with no positive.
    ///
    /// Candidates are the distinct scores ("positive iff p ≥ t"), ranked once by `RankedScores`
    /// (O(n) radix sort), then each scored from its (TP, FP) in O(1): O(n) in all. The costs also
    /// consider flagging nothing (the threshold just above the highest score, when that score is
    /// below 1), which can be the cheapest choice when false positives cost much more.
    public static func bestThreshold(_ objective: TuneObjective, classIndex: [Int32], positiveProbability: [Float],
                                     positiveClass: Int) -> Double {
        require(classIndex.count == positiveProbability.count,
                "bestThreshold: \(classIndex.count) classes for \(positiveProbability.count) probabilities")
        let ranked = positiveProbability.withUnsafeBufferPointer { scores in
            classIndex.withUnsafeBufferPointer { classes in
                RankedScores(scores: scores, stride: 1, offset: 0, count: classes.count,
                             classIndex: classes, positiveClass: Int32(truncatingIfNeeded: positiveClass))
            }
        }
        return bestThreshold(objective, ranked: ranked, positiveClass: positiveClass)
    }

    static func bestThreshold(_ objective: TuneObjective, ranked: RankedScores, positiveClass: Int) -> Double {
        let p = ranked.positives, n = ranked.negatives
        guard p > 0 else { return 0.5 }
        var bestThreshold = Double(ranked.thresholds[0])
        var bestValue = objective.value(truePositives: ranked.truePositives[0], falsePositives: ranked.falsePositives[0],
                                        positives: p, negatives: n, positiveClass: positiveClass)
        if !objective.higherIsBetter, ranked.thresholds[0] < 1 {
            let none = objective.value(truePositives: 0, falsePositives: 0, positives: p, negatives: n, positiveClass: positiveClass)
            if !objective.isBetter(bestValue, than: none) {
                bestValue = none
                bestThreshold = Double(ranked.thresholds[0].nextUp)
            }
        }
        for i in 1..<ranked.count {
            let value = objective.value(truePositives: ranked.truePositives[i], falsePositives: ranked.falsePositives[i],
                                        positives: p, negatives: n, positiveClass: positiveClass)
            if objective.isBetter(value, than: bestValue) {
                bestValue = value
                bestThreshold = Double(ranked.thresholds[i])
            }
        }
        return bestThreshold
    }

    /// The objective's value at a threshold (positive iff p ≥ threshold).
    public static func value(_ objective: TuneObjective, classIndex: [Int32], positiveProbability: [Float],
                             positiveClass: Int, threshold: Double) -> Double {
        require(classIndex.count == positiveProbability.count,
                "value: \(classIndex.count) classes for \(positiveProbability.count) probabilities")
        var tp = 0, fp = 0, positives = 0
        let positive = Int32(truncatingIfNeeded: positiveClass)
        positiveProbability.withUnsafeBufferPointer { scores in
            classIndex.withUnsafeBufferPointer { classes in
                for i in 0..<classes.count {
                    let isPositive = classes[i] == positive
                    positives += isPositive ? 1 : 0
                    if Double(scores[i]) >= threshold {
                        if isPositive { tp += 1 } else { fp += 1 }
                    }
                }
            }
        }
        return objective.value(truePositives: tp, falsePositives: fp, positives: positives,
                               negatives: classIndex.count - positives, positiveClass: positiveClass)
    }

    /// Multiclass: value with argmax, or the Bayes rule when the objective is a cost matrix.
    public static func value(_ objective: TuneObjective, classIndex: [Int32], probabilities: [Float], classCount: Int) -> Double {
        let predicted = decisions(objective, probabilities: probabilities, classCount: classCount)
        require(predicted.count == classIndex.count, "value: \(classIndex.count) classes for \(predicted.count) rows")
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
        for (truth, guess) in zip(classIndex, predicted) {
            confusion[Int(truth)][Int(guess)] += 1
        }
        return objective.value(confusion: confusion)
    }

    /// Predicted classes under the objective's decision rule (argmax / Bayes), K classes.
    ///
    /// Argmax takes the first class on ties (as `numpy.argmax`). With a cost matrix C[truth][predicted]
    /// the Bayes rule predicts argmin_j Σᵢ pᵢ·C[i][j], the lowest j on ties.
    public static func decisions(_ objective: TuneObjective, probabilities: [Float], classCount k: Int) -> [Int32] {
        require(k >= 2 && probabilities.count % k == 0, "decisions: \(probabilities.count) probabilities for \(k) classes")
        let n = probabilities.count / k
        var result = [Int32](repeating: 0, count: n)
        if case .costMatrix(let matrix) = objective {
            require(matrix.count == k, "decisions: a \(matrix.count)-class cost matrix for \(k) classes")
            let cost = matrix.flatMap { $0 }  // cost[i * k + j]
            var expected = [Double](repeating: 0, count: k)
            probabilities.withUnsafeBufferPointer { p in
                for row in 0..<n {
                    for j in 0..<k { expected[j] = 0 }
                    for i in 0..<k {
                        let pi = Double(p[row * k + i])
                        if pi == 0 { continue }
                        for j in 0..<k { expected[j] += pi * cost[i * k + j] }
                    }
                    var best = 0
                    for j in 1..<k where expected[j] < expected[best] { best = j }
                    result[row] = Int32(best)
                }
            }
            return result
        }
        probabilities.withUnsafeBufferPointer { p in
            for row in 0..<n {
                var best = 0
                for j in 1..<k where p[row * k + j] > p[row * k + best] { best = j }
                result[row] = Int32(best)
            }
        }
        return result
    }
}
