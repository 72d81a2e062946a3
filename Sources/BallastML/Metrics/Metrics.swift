import RealModule

public enum Metrics {
    /// P(positive) for each row of binary probabilities (row-major n × 2, class-index order):
    /// what thresholds and curves are computed on.
    public static func positiveColumn(_ probabilities: [Float], positiveClass: Int) -> [Float] {
        stride(from: positiveClass, to: probabilities.count, by: 2).map { probabilities[$0] }
    }

    /// Bytes `report` allocates for `rows` rows besides its inputs: one ranking's keys at a time.
    public static func workingBytes(rows: Int) -> Int { ScoreRanking.workingBytes(rows: rows) }

    /// Lower clip for probabilities in log loss: float32 machine epsilon, as scikit-learn 1.9
    /// (`np.finfo(y_proba.dtype).eps`) uses for float32 input; the upper clip is 1 − ε.
    public static let logLossEpsilon = Double(Float.ulpOfOne)

    /// Every metric of `MetricReport` for one set of predictions.
    ///
    /// - Parameters:
    ///   - classIndex: the true class of each row, each in `0..<classCount`.
    ///   - probabilities: row-major `n × classCount`, rows summing to 1 (not checked; nothing is renormalised).
    ///   - classLabels: `classCount` labels, copied into `perClass`.
    ///   - positiveClass: the rare class for binary data. The report is binary (threshold on P(positive),
    ///     `positive` row, `threshold` field) when `classCount == 2` and this is set; otherwise multiclass
    ///     (argmax, threshold ignored).
    ///   - threshold: `.standard` = 0.5; `.bestF1` picks `Thresholds.bestF1` on *this* data (normally the
    ///     caller resolves it on validation data and passes `.value`).
    ///
    /// n = 0 is allowed and gives an all-zero report (AUCs 0.5, AP 0, zero confusion). Mismatched sizes or
    /// class indices out of range trap (also in `-Ounchecked` builds). Cost: one O(n·K) pass plus one
    /// O(n) radix ranking per AUC column (1 for binary, K for multiclass), each holding 4 bytes a row
    /// while it runs (`workingBytes`) and keeping no curve point.
    public static func report(classIndex: [Int32], probabilities: [Float], classCount: Int,
                              classLabels: [String], positiveClass: Int?, threshold: ThresholdRule) -> MetricReport {
        let n = classIndex.count, k = classCount
        require(k >= 2, "report: classCount must be at least 2, got \(k)")
        require(probabilities.count == n * k,
                "report: \(probabilities.count) probabilities for \(n) rows × \(k) classes")
        require(classLabels.count == k, "report: \(classLabels.count) labels for \(k) classes")
        let binaryPositive: Int? = k == 2 ? positiveClass : nil
        if let positive = binaryPositive { require(positive == 0 || positive == 1, "report: positiveClass \(positive) not 0 or 1") }

        return probabilities.withUnsafeBufferPointer { p in
            classIndex.withUnsafeBufferPointer { y in
                var confusion = [Int](repeating: 0, count: k * k)
                var logLoss = 0.0, brier = 0.0
                let low = logLossEpsilon, high = 1 - logLossEpsilon
                var usedThreshold: Double?
                var rankedPositive: RankingSummary?

                if let positive = binaryPositive {
                    let ranked = RankingSummary(scores: p, stride: 2, offset: positive, count: n,
                                                classIndex: y, positiveClass: Int32(positive))
                    rankedPositive = ranked
                    let t: Double
                    switch threshold {
                    case .standard: t = 0.5
                    case .value(let v): t = v
                    case .bestF1: t = ranked.bestF1Threshold
                    }
                    usedThreshold = t
                    let negative = 1 - positive
                    confusion.withUnsafeMutableBufferPointer { confusion in
                        for i in 0..<n {
                            let truth = Int(y[i])
                            require(truth == 0 || truth == 1, "report: class index \(truth) out of range 0..<2")
                            let pPositive = Double(p[2 * i + positive])
                            let predicted = pPositive >= t ? positive : negative
                            confusion[truth * 2 + predicted] += 1
                            let pTruth = min(max(Double(p[2 * i + truth]), low), high)
                            logLoss -= Double.log(pTruth)
                            // Both columns, halved: sklearn's form, exact even if a row's sum is off by an ulp.
                            let d0 = Double(p[2 * i]) - (truth == 0 ? 1 : 0)
                            let d1 = Double(p[2 * i + 1]) - (truth == 1 ? 1 : 0)
                            brier += 0.5 * (d0 * d0 + d1 * d1)
                        }
                    }
                } else {
                    confusion.withUnsafeMutableBufferPointer { confusion in
                        for i in 0..<n {
                            let truth = Int(y[i])
                            require(truth >= 0 && truth < k, "report: class index \(truth) out of range 0..<\(k)")
                            let row = i * k
                            var best = 0
                            var bestValue = p[row]
                            var squares = 0.0
                            for c in 0..<k {
                                let value = p[row + c]
                                if value > bestValue { bestValue = value; best = c }
                                let d = Double(value) - (c == truth ? 1 : 0)
                                squares += d * d
                            }
                            confusion[truth * k + best] += 1
                            let pTruth = min(max(Double(p[row + truth]), low), high)
                            logLoss -= Double.log(pTruth)
                            brier += squares
                        }
                    }
                    // sklearn halves the summed form for two columns (scale_by_half="auto").
                    if k == 2 { brier *= 0.5 }
                }
                if n > 0 {
                    logLoss /= Double(n)
                    brier /= Double(n)
                }

                var prAUC = 0.0, rocAUC = 0.5
                if let ranked = rankedPositive {
                    prAUC = ranked.averagePrecision ?? 0
                    rocAUC = ranked.rocAUC ?? 0.5
                } else {
                    var apSum = 0.0, apCount = 0, rocSum = 0.0, rocCount = 0
                    for c in 0..<k {
                        let ranked = RankingSummary(scores: p, stride: k, offset: c, count: n,
                                                    classIndex: y, positiveClass: Int32(c))
                        if let ap = ranked.averagePrecision { apSum += ap; apCount += 1 }
                        if let roc = ranked.rocAUC { rocSum += roc; rocCount += 1 }
                    }
                    if apCount > 0 { prAUC = apSum / Double(apCount) }
                    if rocCount > 0 { rocAUC = rocSum / Double(rocCount) }
                }

                return summarize(confusion: confusion, classCount: k, classLabels: classLabels,
                                 positiveClass: binaryPositive, threshold: usedThreshold,
                                 logLoss: logLoss, brier: brier, prAUC: prAUC, rocAUC: rocAUC)
            }
        }
    }

    /// The report of predictions known only by their confusion counts (`confusion[truth][predicted]`)
    /// and their summed clipped log loss (Σ −log p_y, ≥ 0), as an engine that scores elsewhere
    /// (Spark) returns them: the figures of `report` at `threshold` (nil: argmax), with the ranking
    /// metrics (PR and ROC AUC) and the Brier score, which need every score, set to NaN.
    public static func report(confusion: [[Int]], classLabels: [String], positiveClass: Int?,
                              threshold: Double?, logLossSum: Double) -> MetricReport {
        let n = confusion.reduce(0) { $0 + $1.reduce(0, +) }
        return summarize(confusion: confusion.flatMap { $0 }, classCount: confusion.count, classLabels: classLabels,
                         positiveClass: positiveClass, threshold: threshold,
                         logLoss: n > 0 ? logLossSum / Double(n) : 0, brier: .nan, prAUC: .nan, rocAUC: .nan)
    }

    /// The confusion-matrix metrics (per-class P/R/F1, accuracy, balanced accuracy, macro F1, MCC, G-mean).
    static func summarize(confusion flat: [Int], classCount k: Int, classLabels: [String], positiveClass: Int?,
                          threshold: Double?, logLoss: Double, brier: Double,
                          prAUC: Double, rocAUC: Double) -> MetricReport {
        var support = [Int](repeating: 0, count: k), predicted = [Int](repeating: 0, count: k)
        var correct = 0
        for t in 0..<k {
            for q in 0..<k {
                support[t] += flat[t * k + q]
                predicted[q] += flat[t * k + q]
            }
            correct += flat[t * k + t]
        }
        let n = support.reduce(0, +)

        var perClass: [ClassMetrics] = []
        perClass.reserveCapacity(k)
        var f1Sum = 0.0, occurring = 0
        var recallSum = 0.0, present = 0
        var logRecallSum = 0.0, anyZeroRecall = false
        for c in 0..<k {
            let tp = flat[c * k + c]
            let fp = predicted[c] - tp, fn = support[c] - tp
            let precision = predicted[c] > 0 ? Double(tp) / Double(predicted[c]) : 0
            let recall = support[c] > 0 ? Double(tp) / Double(support[c]) : 0
            let f1Denominator = 2 * tp + fp + fn
            let f1 = f1Denominator > 0 ? Double(2 * tp) / Double(f1Denominator) : 0
            perClass.append(ClassMetrics(label: classLabels[c], precision: precision, recall: recall,
                                         f1: f1, support: support[c]))
            if support[c] > 0 {
                recallSum += recall
                present += 1
            }
            if support[c] > 0 || predicted[c] > 0 {
                f1Sum += f1
                occurring += 1
                if recall == 0 { anyZeroRecall = true } else { logRecallSum += Double.log(recall) }
            }
        }

        // Matthews: (c·s − Σ pₖtₖ) / √((s² − Σ pₖ²)(s² − Σ tₖ²)), 0 when either factor is 0.
        let s = Double(n), c = Double(correct)
        var pt = 0.0, pp = 0.0, tt = 0.0
        for i in 0..<k {
            pt += Double(predicted[i]) * Double(support[i])
            pp += Double(predicted[i]) * Double(predicted[i])
            tt += Double(support[i]) * Double(support[i])
        }
        let covPP = s * s - pp, covTT = s * s - tt
        let mcc = covPP * covTT == 0 ? 0 : (c * s - pt) / (covTT * covPP).squareRoot()

        var confusion: [[Int]] = []
        confusion.reserveCapacity(k)
        for t in 0..<k { confusion.append(Array(flat[(t * k)..<(t * k + k)])) }

        return MetricReport(
            threshold: threshold,
            logLoss: logLoss,
            accuracy: n > 0 ? c / s : 0,
            balancedAccuracy: present > 0 ? recallSum / Double(present) : 0,
            perClass: perClass,
            positive: positiveClass.map { perClass[$0] },
            macroF1: occurring > 0 ? f1Sum / Double(occurring) : 0,
            prAUC: prAUC,
            rocAUC: rocAUC,
            mcc: mcc,
            gMean: occurring == 0 || anyZeroRecall ? 0 : Double.exp(logRecallSum / Double(occurring)),
            confusion: confusion,
            brier: brier)
    }
}
