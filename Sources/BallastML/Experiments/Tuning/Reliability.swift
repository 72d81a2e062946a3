/// One bin of a reliability curve.
public struct ReliabilityBin: Sendable, Equatable {
    public var meanPredicted: Double
    public var fractionPositive: Double
    public var count: Int

    public init(meanPredicted: Double, fractionPositive: Double, count: Int) {
        self.meanPredicted = meanPredicted
        self.fractionPositive = fractionPositive
        self.count = count
    }
}

public enum Reliability {
    /// 10 uniform bins on P(positive) (binary) or on the top-class confidence (multiclass:
    /// fraction = accuracy), empty bins left out: sklearn's calibration_curve(strategy="uniform").
    ///
    /// Bin edges are i / bins computed as `i × (1 / bins)` in Double (numpy's `linspace`), and a
    /// value on an inner edge goes to the lower bin (`searchsorted(..., side="left")`), as
    /// scikit-learn does. The top-class confidence takes the first class on ties.
    public static func curve(classIndex: [Int32], probabilities: [Float], classCount k: Int, positiveClass: Int?, bins: Int = 10) -> [ReliabilityBin] {
        let n = classIndex.count
        require(bins >= 1 && k >= 2 && probabilities.count == n * k,
                "reliability: \(probabilities.count) probabilities for \(n) rows × \(k) classes")
        let step = 1 / Double(bins)
        var sums = [Double](repeating: 0, count: bins)
        var hits = [Int](repeating: 0, count: bins)
        var counts = [Int](repeating: 0, count: bins)
        let binary = k == 2
        let positive = positiveClass ?? 1
        probabilities.withUnsafeBufferPointer { p in
            for row in 0..<n {
                let score: Double, hit: Bool
                if binary {
                    score = Double(p[row * k + positive])
                    hit = Int(classIndex[row]) == positive
                } else {
                    var best = 0
                    for j in 1..<k where p[row * k + j] > p[row * k + best] { best = j }
                    score = Double(p[row * k + best])
                    hit = Int(classIndex[row]) == best
                }
                // Number of inner edges strictly below the score.
                var bin = min(max(Int((score / step).rounded(.up)) - 1, 0), bins - 1)
                if bin > 0 && !(Double(bin) * step < score) { bin -= 1 }
                if bin < bins - 1 && Double(bin + 1) * step < score { bin += 1 }
                sums[bin] += score
                hits[bin] += hit ? 1 : 0
                counts[bin] += 1
            }
        }
        return (0..<bins).filter { counts[$0] > 0 }.map {
            ReliabilityBin(meanPredicted: sums[$0] / Double(counts[$0]),
                           fractionPositive: Double(hits[$0]) / Double(counts[$0]), count: counts[$0])
        }
    }
}
