import BallastML
import Foundation

/// A sweep's metric for one held-out fold, from what Spark returns of it: the confusion counts
/// (`[truth][predicted]`) and the summed clipped log loss. The figures are those of
/// `Metrics.report` (its `summarize` step) and `MetricReport.score`, for the metrics a confusion
/// matrix and a log loss determine; the ranking metrics (`pr_auc`, `roc_auc`) are refused before
/// a spark sweep starts.
enum SparkFoldScore {
    /// `positive`: the positive class of a binary report (nil: a multiclass one).
    static func score(_ metric: SelectableMetric, confusion: [[Int]], positive: Int?, logLossSum: Double) -> Double {
        let k = confusion.count
        var support = [Int](repeating: 0, count: k), predicted = [Int](repeating: 0, count: k)
        var correct = 0
        for t in 0..<k {
            for q in 0..<k {
                support[t] += confusion[t][q]
                predicted[q] += confusion[t][q]
            }
            correct += confusion[t][t]
        }
        let n = support.reduce(0, +)
        var precision = [Double](), recall = [Double](), f1 = [Double]()
        var f1Sum = 0.0, occurring = 0, recallSum = 0.0, present = 0, logRecallSum = 0.0, anyZeroRecall = false
        for c in 0..<k {
            let tp = confusion[c][c]
            let fp = predicted[c] - tp, fn = support[c] - tp
            precision.append(predicted[c] > 0 ? Double(tp) / Double(predicted[c]) : 0)
            recall.append(support[c] > 0 ? Double(tp) / Double(support[c]) : 0)
            let denominator = 2 * tp + fp + fn
            f1.append(denominator > 0 ? Double(2 * tp) / Double(denominator) : 0)
            if support[c] > 0 {
                recallSum += recall[c]
                present += 1
            }
            if support[c] > 0 || predicted[c] > 0 {
                f1Sum += f1[c]
                occurring += 1
                if recall[c] == 0 { anyZeroRecall = true } else { logRecallSum += log(recall[c]) }
            }
        }
        let balancedAccuracy = present > 0 ? recallSum / Double(present) : 0
        switch metric {
        case .f1: return positive.map { f1[$0] } ?? (occurring > 0 ? f1Sum / Double(occurring) : 0)
        case .recall: return positive.map { recall[$0] } ?? balancedAccuracy
        case .precision: return positive.map { precision[$0] } ?? precision.reduce(0, +) / Double(max(1, k))
        case .balancedAccuracy: return balancedAccuracy
        case .gMean: return occurring == 0 || anyZeroRecall ? 0 : exp(logRecallSum / Double(occurring))
        case .logLoss: return n > 0 ? -logLossSum / Double(n) : 0
        case .mcc:
            let s = Double(n), c = Double(correct)
            var pt = 0.0, pp = 0.0, tt = 0.0
            for i in 0..<k {
                pt += Double(predicted[i]) * Double(support[i])
                pp += Double(predicted[i]) * Double(predicted[i])
                tt += Double(support[i]) * Double(support[i])
            }
            let covPP = s * s - pp, covTT = s * s - tt
            return covPP * covTT == 0 ? 0 : (c * s - pt) / (covTT * covPP).squareRoot()
        case .prAUC, .rocAUC:
            // Refused at `metric` before the sweep (SparkRefusals): never reached.
            return .nan
        }
    }
}
